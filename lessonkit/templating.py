"""Fill a reading's ``{{ placeholders }}`` with figures from the course content.

A reading never types a figure itself: it writes ``{{ card.pay.salaried.median | usd_k }}``
and the number comes from ``data/``, so text, tables and charts cannot disagree.
A path is dotted attribute names; ``name[id]`` picks the item of a list whose id is ``id``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .content_view import field_names

PLACEHOLDER = re.compile(r"\{\{\s*([^{}|]+?)\s*(?:\|\s*([a-z_]+)\s*)?\}\}")
SEGMENT = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[([a-z0-9-]+)\])?$")


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


FORMATS: dict[str, Callable[[Any], str]] = {
    "plain": lambda v: _number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v),
    "usd": lambda v: f"${_number(v)}",
    "usd_k": lambda v: f"${_number(v / 1000)}K",
    "pct": lambda v: f"{_number(v)}%",
    "lower": lambda v: str(v).lower(),
    "join": lambda v: ", ".join(map(str, v)),
    "bullets": lambda v: "\n".join(f"- {getattr(item, 'label', item)}" for item in v),
    "numbered": lambda v: "\n".join(f"{i}. {item}" for i, item in enumerate(v, start=1)),
}


class TemplateError(ValueError):
    """A placeholder that names nothing in the content, or an unknown format."""


def resolve(path: str, context: Mapping[str, Any]) -> Any:
    """The value a dotted path names in ``context``."""
    node: Any = context
    walked: list[str] = []
    for part in path.split("."):
        match = SEGMENT.match(part)
        if not match:
            raise TemplateError(f"'{path}' is not a valid path (at '{part}')")
        name, item_id = match.groups()
        node = _child(node, name, path, walked)
        walked.append(name)
        if item_id is not None:
            items = node if isinstance(node, list) else []
            found = [item for item in items if getattr(item, "id", None) == item_id]
            if not found:
                known = ", ".join(str(getattr(i, "id", "?")) for i in items) or "none"
                raise TemplateError(f"'{path}': no item '{item_id}' in {'.'.join(walked)} (ids: {known})")
            node = found[0]
    return node


def _child(node: Any, name: str, path: str, walked: list[str]) -> Any:
    if isinstance(node, Mapping):
        if name in node:
            return node[name]
        known = ", ".join(sorted(node))
    elif (fields := field_names(node)) is not None:
        if name in fields:
            return getattr(node, name)
        known = ", ".join(fields)
    else:
        known = "nothing (it is a plain value)"
    where = ".".join(walked) or "the content"
    raise TemplateError(f"'{path}': {where} has no '{name}' (it has {known})")


def render(template: str, context: Mapping[str, Any]) -> str:
    """Replace every placeholder; raise TemplateError naming the first that fails."""

    def fill(match: re.Match[str]) -> str:
        path, fmt = match.group(1), match.group(2) or "plain"
        if fmt not in FORMATS:
            raise TemplateError(f"unknown format '{fmt}' in '{match.group(0)}' (formats: {', '.join(FORMATS)})")
        return FORMATS[fmt](resolve(path, context))

    return PLACEHOLDER.sub(fill, template)


def problems(template: str, context: Mapping[str, Any]) -> list[tuple[int, str]]:
    """Every placeholder that fails, as (line number, message): all of them, not just the first."""
    found = []
    for lineno, line in enumerate(template.splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            try:
                render(match.group(0), context)
            except TemplateError as error:
                found.append((lineno, str(error)))
        if "{{" in PLACEHOLDER.sub("", line):
            found.append((lineno, "an opening '{{' without a matching '}}'"))
    return found
