"""One standalone HTML page shell and the escaping every page uses: the hand-in and the class report.

A page made here runs no script and loads nothing (its Content-Security-Policy forbids both), so
even text that slipped past escaping could do nothing; every piece of learner text goes through
:func:`esc`, and only ``http(s)`` addresses become links (:func:`link`).
"""

from __future__ import annotations

import html
import re

# No script may run and nothing may load: learner text is escaped, and this stops anything that slips through.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_WEB_ADDRESS = re.compile(r"^https?://[^\s\"'<>\\]+$")


def esc(text: object) -> str:
    """Text as HTML that shows exactly those characters (quotes included, so it is safe in attributes too)."""
    return html.escape(str(text), quote=True)


def link(text: str) -> str:
    """A web address as a link that opens in a fresh context; anything else as plain escaped text."""
    value = text.strip()
    if _WEB_ADDRESS.match(value):
        return f'<a href="{esc(value)}" rel="noopener noreferrer nofollow">{esc(value)}</a>'
    return esc(text)


def page(title: str, body: str, *, style: str) -> str:
    """A whole standalone page: ``title`` (plain text, escaped here), ``body`` (HTML) and its ``style`` sheet."""
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
