"""Pure helpers behind the prompt widgets: counting words, checking links, reading answer values.

Answer values, by prompt kind (as saved in the answers file):

- ``short-text``, ``long-text``, ``link``: the text as typed.
- ``single-choice``: ``{"choice": <option id or null>, "other": <text>}``.
- ``multiple-choice``: ``{"choices": [<option id>, ...], "other": <text>}``.
- ``list``: ``[<text>, ...]``, one entry per field shown, blanks included.
- ``estimate``: a whole percentage 0-100, or ``"unknown"`` when the learner cannot tell.
- ``self-check``: ``{"is_your_thing": [mark, ...], "probably_not": [mark, ...]}``, one mark per
  signal in the card's order; a mark is ``"yes"``, ``"no"``, ``"unsure"`` or null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

WORD = re.compile(r"\w+(?:['’-]\w+)*")
SEPARATORS = re.compile(r"[,;\n]+")
MARKS = {"yes": "That's me", "no": "Not me", "unsure": "Not sure"}


# Chinese and Japanese are written without spaces between words: each Han or kana character
# counts as one word, the way word processors count them (Korean spaces its words, so it needs nothing).
CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def word_count(text: str) -> int:
    text = text or ""
    return len(CJK.findall(text)) + len(WORD.findall(CJK.sub(" ", text)))


def listed(text: str) -> list[str]:
    """The items in a free-text field written as a list ("a, b; c")."""
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


def check_link(text: str) -> str | None:
    """None when ``text`` looks like a web address (or is empty); otherwise a hint saying what was expected."""
    value = (text or "").strip()
    if not value:
        return None
    parts = urlsplit(value if "://" in value else "")
    if parts.scheme in ("http", "https") and "." in parts.netloc and " " not in value:
        return None
    if "://" not in value and " " not in value and "." in value.split("/")[0]:
        return "Add https:// at the start so the link opens (like https://" + value + "). It is saved as you typed it."
    if parts.scheme in ("http", "https") and " " in value:
        return "A web address has no spaces; check for one that slipped in. It is saved as you typed it."
    if parts.scheme in ("http", "https"):
        return ("This link has no full site name (like example.com), so it may not open. "
                "It is saved as you typed it.")
    if "://" in value:
        return ("Only web links starting http:// or https:// can be opened from your hand-in. "
                "It is saved as you typed it.")
    return ("This is not a web address (those look like https://example.com/interview). That is fine for a "
            "magazine or a talk: it is saved as you typed it.")


def is_answered(kind: str, value: Any) -> bool:
    """Whether a saved value counts as an answer (blank text and untouched choices do not)."""
    try:
        return _is_answered(kind, value)
    except (AttributeError, TypeError):  # a value of another shape (an older course, a hand-edited file)
        return bool(value)


def _is_answered(kind: str, value: Any) -> bool:
    if value is None:
        return False
    if kind in ("short-text", "long-text", "link"):
        return bool(str(value).strip())
    if kind == "single-choice":
        return bool(value.get("choice") or str(value.get("other", "")).strip())
    if kind == "multiple-choice":
        return bool(value.get("choices") or str(value.get("other", "")).strip())
    if kind == "list":
        return any(str(item).strip() for item in value)
    if kind == "estimate":
        return value == "unknown" or isinstance(value, int)
    if kind == "self-check":
        return any(mark for marks in value.values() for mark in marks)
    return bool(value)


def filled(items: list[Any]) -> list[str]:
    """A list answer's non-blank items."""
    return [str(item).strip() for item in items or [] if str(item).strip()]


# ---------------------------------------------------------------- the "would you like it?" self-check
@dataclass(frozen=True)
class SelfCheckReading:
    """What a learner's marks say, in words: the signals they match, and nothing made up on top."""

    suits: list[str]
    warns: list[str]
    unsure: list[str]
    unmarked: int

    def sentences(self) -> list[str]:
        if not (self.suits or self.warns or self.unsure):
            return ["Mark the lines above and this space will say which ones you matched."]
        out = []
        if self.suits:
            out.append(f"You recognised yourself in {_n(len(self.suits), 'sign')} that the work suits someone: "
                       + _join(self.suits) + ".")
        else:
            out.append("None of the signs that the work suits someone sounded like you.")
        if self.warns:
            out.append(f"You matched {_n(len(self.warns), 'sign')} that it may not suit you: " + _join(self.warns)
                       + ". Those are worth thinking about before the others: one of them can outweigh several yes marks.")
        else:
            out.append("None of the warning signs sounded like you.")
        if self.unsure:
            out.append(f"You were not sure about {_n(len(self.unsure), 'line')}: " + _join(self.unsure)
                       + ". The project at the end of this lesson is a cheap way to find out.")
        if self.unmarked:
            out.append(f"{_n(self.unmarked, 'line').capitalize()} {'is' if self.unmarked == 1 else 'are'} still unmarked.")
        return out


def read_self_check(signals_yes: list[str], signals_no: list[str], value: dict[str, Any] | None) -> SelfCheckReading:
    value = value or {}
    yes_marks = list(value.get("is_your_thing") or [])
    no_marks = list(value.get("probably_not") or [])
    suits, warns, unsure, unmarked = [], [], [], 0
    for signals, marks, bucket in ((signals_yes, yes_marks, suits), (signals_no, no_marks, warns)):
        for i, signal in enumerate(signals):
            mark = marks[i] if i < len(marks) else None
            short = _short(signal)
            if mark == "yes":
                bucket.append(short)
            elif mark == "unsure":
                unsure.append(short)
            elif mark is None:
                unmarked += 1
    return SelfCheckReading(suits, warns, unsure, unmarked)


def _short(signal: str) -> str:
    """A signal's first clause, for listing it back ("you have the patience for long sessions...")."""
    first = re.split(r"[;,:]\s", signal.strip().rstrip("."), maxsplit=1)[0]
    return f"“{first[0].lower() + first[1:] if first[:1].isupper() else first}”"


def _n(count: int, noun: str) -> str:
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    return f"{words.get(count, str(count))} {noun}{'' if count == 1 else 's'}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
