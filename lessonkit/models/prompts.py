"""Pure helpers behind the prompt widgets: counting words, checking links, reading answer values.

When a value counts as answered, and how it is shown, is each kind's entry in :mod:`lessonkit.kinds`.

Answer values, by prompt kind (as saved in the answers file):

- ``short-text``, ``long-text``, ``link``: the text as typed.
- ``single-choice``: ``{"choice": <option id or null>, "other": <text>}``.
- ``multiple-choice``: ``{"choices": [<option id>, ...], "other": <text>}``.
- ``list``: ``[<text>, ...]``, one entry per field shown, blanks included.
- ``estimate``: a whole percentage 0-100, or ``"unknown"`` when the learner cannot tell.
- ``self-check``: ``{"is_your_thing": [mark, ...], "probably_not": [mark, ...], "signals": {"is_your_thing":
  [text, ...], "probably_not": [text, ...]}}``, one mark per signal in the card's order; a mark is
  ``"yes"``, ``"no"``, ``"unsure"`` or null. ``signals`` holds the texts the marks were made
  against, so marks follow their signal when the card's list is reordered or grows
  (:func:`self_check_marks`); answers saved without it are read by position.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

WORD = re.compile(r"\w+(?:['’-]\w+)*")
SEPARATORS = re.compile(r"[,;\n]+")
MARKS = {"yes": "That's me", "no": "Not me", "unsure": "Not sure"}


# Chinese and Japanese are written without spaces between words: each Han or kana character
# counts as one word, the way word processors count them (Korean spaces its words, so it needs nothing).
CJK = r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"


@functools.cache
def _cjk() -> re.Pattern[str]:
    """CJK, compiled on first use: its wide ranges take a few milliseconds to compile, which no ASCII text needs."""
    return re.compile(CJK)


def word_count(text: str) -> int:
    text = text or ""
    if text.isascii():
        return len(WORD.findall(text))
    return len(_cjk().findall(text)) + len(WORD.findall(_cjk().sub(" ", text)))


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
                       + and_list(self.suits) + ".")
        else:
            out.append("None of the signs that the work suits someone sounded like you.")
        if self.warns:
            out.append(f"You matched {_n(len(self.warns), 'sign')} that it may not suit you: " + and_list(self.warns)
                       + ". Those are worth thinking about before the others: one of them can outweigh several yes marks.")
        else:
            out.append("None of the warning signs sounded like you.")
        if self.unsure:
            out.append(f"You were not sure about {_n(len(self.unsure), 'line')}: " + and_list(self.unsure)
                       + ". The project at the end of this lesson is a cheap way to find out.")
        if self.unmarked:
            out.append(f"{_n(self.unmarked, 'line').capitalize()} {'is' if self.unmarked == 1 else 'are'} still unmarked.")
        return out


SIGNAL_GROUPS = ("is_your_thing", "probably_not")


def self_check_value(signals: Any, marks: dict[str, list[str | None]]) -> dict[str, Any]:
    """What a self-check saves: the marks, and the signal texts they were made against."""
    return {**{group: list(marks[group]) for group in SIGNAL_GROUPS},
            "signals": {group: list(getattr(signals, group)) for group in SIGNAL_GROUPS}}


def self_check_marks(signals: Any, value: Any) -> dict[str, list[str | None]]:
    """A saved self-check's marks lined up with the card's signals as they are now.

    A mark goes with the signal whose text it was saved against, wherever that signal now sits;
    a signal reworded in place keeps the mark at its old position; a new signal starts unmarked
    and a removed one's mark is dropped. Answers saved without texts are read by position.
    Anything that is not a mark reads as unmarked.
    """
    value = value if isinstance(value, dict) else {}
    saved_texts = value.get("signals") if isinstance(value.get("signals"), dict) else {}
    out: dict[str, list[str | None]] = {}
    for group in SIGNAL_GROUPS:
        current = list(getattr(signals, group))
        marks = value.get(group) if isinstance(value.get(group), list) else []
        texts = saved_texts.get(group)
        if not (isinstance(texts, list) and len(texts) == len(marks)):
            texts = current[: len(marks)]  # no texts saved: by position
        where = {text: i for i, text in enumerate(texts) if isinstance(text, str)}
        matched = {where[text] for text in current if text in where}
        lined_up = []
        for i, text in enumerate(current):
            j = where.get(text, i if i < len(marks) and i not in matched and texts[i] not in current else None)
            mark = marks[j] if j is not None else None
            lined_up.append(mark if mark in MARKS else None)
        out[group] = lined_up
    return out


def read_self_check(signals: Any, value: dict[str, Any] | None) -> SelfCheckReading:
    marks = self_check_marks(signals, value)
    suits, warns, unsure, unmarked = [], [], [], 0
    for group, bucket in (("is_your_thing", suits), ("probably_not", warns)):
        for signal, mark in zip(getattr(signals, group), marks[group]):
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


def and_list(items: list[str]) -> str:
    """Items in a sentence: ['a'] → 'a', ['a', 'b', 'c'] → 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
