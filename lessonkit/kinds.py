"""Every kind of answer a learner gives, registered once: what an answer of that kind *is*.

A :class:`Kind` says, for one kind (``short-text``, ``self-check``, the lesson's ``reflection``...):
its empty value, when a saved value counts as answered, how many words it holds, how the hand-in
and the class report show it (one :class:`Shown` that both the Markdown and the HTML are written
from), whether the class report gives it a column, and which widget asks for it. The widget is
named by a dotted path and imported only when a lesson builds one, so teacher code that asks this
registry never imports ipywidgets.

Adding a kind is one :func:`register` call here (or in the module that brings the kind); the
prompt schema, progress, the hand-in, the report and the widgets all ask :func:`get`.
"""

from __future__ import annotations

import copy
import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models.prompts import MARKS, SIGNAL_GROUPS, filled, self_check_marks, word_count


@dataclass(frozen=True)
class Shown:
    """One answer as the hand-in and the report show it: paragraphs of text, a list, or a list of links."""

    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    links: bool = False


@dataclass(frozen=True)
class Where:
    """What a kind may need to show an answer: the course, the lesson and the prompt (None for a lesson field)."""

    course: Any
    lesson_id: str
    prompt: Any = None


@dataclass(frozen=True)
class Kind:
    """One kind of answer, with everything the course needs to know about it."""

    name: str
    empty: Any  # the value of an untouched field (copied for each use)
    answered: Callable[[Any], bool]  # whether a saved value counts as an answer
    show: Callable[[Where, Any], Shown]  # how the hand-in and report show an answered value
    words: Callable[[Any], int] = lambda _value: 0  # the learner's words in a value
    column: str | None = None  # the class report's column for each prompt of this kind ("<column> <key>"), or None
    widget: str | None = None  # "module:attribute" of the widget that asks for it, imported on first use
    saved_as: str | None = None  # for a kind kept in a lesson widget's state: the widget's key in its lesson
    title: str = ""  # its heading in the hand-in, for a kind that is not a prompt (a prompt has its own title)

    def empty_value(self) -> Any:
        return copy.deepcopy(self.empty)

    def is_answered(self, value: Any) -> bool:
        """Whether ``value`` counts as an answer; a value of another shape (an older course, a hand-edited file)
        counts when it is not empty."""
        if value is None:
            return False
        try:
            return bool(self.answered(value))
        except (AttributeError, TypeError, ValueError, KeyError):
            return bool(value)

    def word_count(self, value: Any) -> int:
        try:
            return int(self.words(value))
        except (AttributeError, TypeError, ValueError, KeyError):
            return 0

    def shown(self, where: Where, value: Any) -> Shown | None:
        """The answer as shown to a reader; None when it is not answered. A value of another shape is shown as
        its JSON text, so nothing saved is ever hidden."""
        if value in (None, "", [], {}) or not self.is_answered(value):
            return None
        try:
            return self.show(where, value)
        except (AttributeError, TypeError, ValueError, KeyError):
            return as_json(where, value)

    def widget_factory(self) -> Any:
        """The widget class or function for this kind (imported now, on first use)."""
        if self.widget is None:
            raise LookupError(f"the answer kind '{self.name}' has no widget")
        module, _, name = self.widget.partition(":")
        return getattr(importlib.import_module(module), name)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (or replace one of the same name); returns it."""
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _KINDS.pop(name, None)


def get(name: str) -> Kind:
    """The kind called ``name``; an unknown name (a file from another version) gets :data:`UNKNOWN`'s rules."""
    return _KINDS.get(name, UNKNOWN)


def names() -> tuple[str, ...]:
    return tuple(_KINDS)


def prompt_kinds() -> tuple[str, ...]:
    """The kinds a prompt in ``data/prompts/`` may have (every kind with a widget, except lesson fields and
    kinds kept in a lesson widget's state)."""
    return tuple(name for name, kind in _KINDS.items()
                 if kind.widget and not kind.saved_as and name not in LESSON_FIELD_KINDS)


def check_prompt_kind(name: str) -> str:
    """``name`` if a prompt may have that kind; ValueError listing the kinds otherwise (for the content schema)."""
    if name not in prompt_kinds():
        raise ValueError(f"{name!r} is not allowed; expected one of {', '.join(map(repr, prompt_kinds()))}")
    return name


# ---------------------------------------------------------------- how each kind reads and shows
def _text(value: Any) -> bool:
    return bool(str(value).strip())


def paragraphs(text: str) -> list[str]:
    return [part.strip("\n") for part in re.split(r"\n\s*\n", str(text).strip()) if part.strip()]


def as_json(_where: Where, value: Any) -> Shown:
    return Shown([json.dumps(value, ensure_ascii=False)])


def _choice_labels(where: Where) -> dict[str, str]:
    return {o.id: o.label for o in where.course.prompt_options(where.lesson_id, where.prompt)}


def _chosen(where: Where, chosen: list[Any], other: Any) -> Shown:
    labels = _choice_labels(where)
    bullets = [labels.get(c, c) for c in chosen if c]
    if str(other or "").strip():
        bullets.append(f"Other: {str(other).strip()}")
    return Shown(bullets=bullets)


def _list_words(value: Any) -> int:
    return sum(word_count(item) for item in value if isinstance(item, str))


def _self_check_shown(where: Where, value: Any) -> Shown:
    signals = where.course.context(where.lesson_id)["card"].signals
    marks = self_check_marks(signals, value)
    return Shown(bullets=[f"{MARKS.get(mark, 'Not marked')} ({title}): {text}"
                          for group, title in (("is_your_thing", "suits"), ("probably_not", "may not suit"))
                          for text, mark in zip(getattr(signals, group), marks[group])])


_WIDGETS = "lessonkit.widgets.prompts"

UNKNOWN = Kind("unknown", None, bool, as_json)

for _kind in (
    Kind("short-text", "", _text, lambda _w, v: Shown(paragraphs(v)), word_count, "words", f"{_WIDGETS}:ShortText"),
    Kind("long-text", "", _text, lambda _w, v: Shown(paragraphs(v)), word_count, "words", f"{_WIDGETS}:LongText"),
    Kind("link", "", _text, lambda _w, v: Shown(bullets=[str(v)], links=True), widget=f"{_WIDGETS}:Link"),
    Kind("single-choice", {"choice": None, "other": ""},
         lambda v: bool(v.get("choice") or str(v.get("other", "")).strip()),
         lambda w, v: _chosen(w, [v.get("choice")], v.get("other")), lambda v: word_count(str(v.get("other") or "")),
         widget=f"{_WIDGETS}:SingleChoice"),
    Kind("multiple-choice", {"choices": [], "other": ""},
         lambda v: bool(v.get("choices") or str(v.get("other", "")).strip()),
         lambda w, v: _chosen(w, list(v.get("choices") or []), v.get("other")),
         lambda v: word_count(str(v.get("other") or "")), widget=f"{_WIDGETS}:MultipleChoice"),
    Kind("list", [], lambda v: any(str(item).strip() for item in v),
         lambda w, v: Shown(bullets=filled(v), links=getattr(w.prompt, "item", "text") == "link"),
         _list_words, "words", f"{_WIDGETS}:ItemList"),
    Kind("estimate", None, lambda v: v == "unknown" or (isinstance(v, int) and not isinstance(v, bool)),
         lambda _w, v: Shown(["Could not tell" if v == "unknown" else f"About {v}%"]), widget=f"{_WIDGETS}:Estimate"),
    Kind("self-check", {group: [] for group in SIGNAL_GROUPS},
         lambda v: any(mark for group in SIGNAL_GROUPS for mark in (v.get(group) or [])),
         _self_check_shown, widget=f"{_WIDGETS}:SelfCheck"),
    # A lesson's reflection (a lesson field, not a prompt): its words earn the lesson's Depth points.
    Kind("reflection", "", _text, lambda _w, v: Shown(paragraphs(v)), word_count,
         widget="lessonkit.widgets.progress:ReflectionBox"),
):
    register(_kind)

#: Kinds saved as a lesson field rather than as a prompt's answer.
LESSON_FIELD_KINDS = ("reflection",)


# ---------------------------------------------------------------- the track journal (Lesson 03's studio)
def _notes(value: Any) -> list[tuple[Any, str, str]]:
    """(version number, what I hear, what I would change) for every version with a note."""
    return [(v.get("number"), str(v.get("heard") or "").strip(), str(v.get("change") or "").strip())
            for v in value.get("versions") or [] if isinstance(v, dict)
            and (str(v.get("heard") or "").strip() or str(v.get("change") or "").strip())]


def _journal_shown(_where: Where, value: Any) -> Shown:
    return Shown(bullets=[f"Version {n}: " + " · ".join(part for part in (f"I hear: {heard}" if heard else "",
                                                                       f"Change next: {change}" if change else "")
                                                         if part) for n, heard, change in _notes(value)])


register(Kind("track-journal", {"versions": []}, lambda v: bool(_notes(v)), _journal_shown,
              lambda v: sum(word_count(heard) + word_count(change) for _, heard, change in _notes(v)),
              widget="lessonkit.widgets.track:TrackStudio", saved_as="studio", title="Track journal"))


def widget_kinds() -> list[Kind]:
    """Kinds kept in a lesson widget's state (their ``saved_as`` key), such as the track journal."""
    return [kind for kind in _KINDS.values() if kind.saved_as]
