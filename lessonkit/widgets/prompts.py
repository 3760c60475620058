"""Prompt widgets: one question each, with its instructions, an example to reveal and a place for messages.

Every prompt is defined in ``data/prompts/<lesson id>.yaml`` and saved under the key
``<lesson id>/<prompt id>``. A prompt widget is a :class:`LessonWidget` whose state is
``{"value": <answer>}`` (the values are described in :mod:`lessonkit.models.prompts`);
``lesson.attach`` puts the saved answer back and saves every change. A prompt never
throws away what the learner typed: an answer that is too long stays in its field
with a message beside it, and the last saved version stays in the file.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .compact import shared_layout

from .. import kinds
from ..answers_limits import MAX_ANSWER_CHARS, text_length
from ..errors import LessonkitError
from ..models import prompts as P
from .base import LessonWidget, Message, prose_area

if TYPE_CHECKING:  # annotations only: a lesson's content is read as views of these models
    from ..schema import Option, Prompt, Signals



def full() -> W.Layout:
    """A control that fills its column (its own Layout: layouts shared between widgets change together)."""
    return shared_layout(width="auto", max_width="100%")


def button_layout() -> W.Layout:
    """A button as wide as its label, at the left (a column would otherwise stretch it); shared, so fixed."""
    return shared_layout(width="auto", align_self="flex-start")
MUTED = "color: var(--jp-content-font-color2, inherit)"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def HIDDEN() -> W.Layout:  # noqa: N802 (reads as a constant; built on first use, like every shared layout)
    return shared_layout(display="none")


class PromptWidget(LessonWidget):
    """Base class: subclasses build their controls and read and write ``value``."""

    answer_kind = ""

    @classmethod
    def for_prompt(cls, course: Any, key: str, spec: Prompt, *, label: str | None = None) -> PromptWidget:
        """This widget for the prompt ``spec`` saved under ``key``, with what it needs from the course."""
        return cls(key, spec, course.prompt_options(key.partition("/")[0], spec), label=label)

    def __init__(self, key: str, prompt: Prompt, options: list[Option] | None = None, *,
                 label: str | None = None) -> None:
        super().__init__(key)
        self.prompt = prompt
        self.options = list(options or [])
        self.message = Message()
        self._restoring = False
        self._head = W.HTML(f"<div><strong>{esc(label or prompt.title)}</strong></div>"
                            f'<div style="{MUTED}">{esc(prompt.instructions)}</div>')
        children: list[W.Widget] = [self._head, *self._build()]
        if prompt.example:
            self._example = W.HTML(f'<blockquote style="margin: 0.3em 0; padding-left: 0.8em; border-left: 3px solid '
                                   f'var(--jp-border-color1, #999)"><strong>Example.</strong> {esc(prompt.example)}'
                                   "</blockquote>", layout=HIDDEN())  # shown on request
            self._reveal = W.ToggleButton(description="Show an example", icon="lightbulb-o",
                                          tooltip="Show or hide an example answer", layout=button_layout())
            self._reveal.observe(self._toggle_example, "value")
            children += [self._reveal, self._example]
        children.append(self.message)
        self.view = W.VBox(children, layout=shared_layout(margin="0.3em 0 0.9em 0"))
        self.view.add_class("lessonkit-prompt")
        self._describe()

    # -- what subclasses provide
    def _build(self) -> list[W.Widget]:
        raise NotImplementedError

    @property
    def value(self) -> Any:
        raise NotImplementedError

    def _set(self, value: Any) -> None:
        raise NotImplementedError

    def _describe(self) -> None:
        """Refresh live displays (word counts, hints) from the controls."""

    # -- the LessonWidget protocol
    @property
    def state(self) -> dict[str, Any]:
        return {"value": self.value}

    def restore(self, state: dict[str, Any]) -> None:
        value = state.get("value") if isinstance(state, dict) else None
        self._restoring = True
        try:
            if value is not None:
                self._set(value)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError):
            pass  # a value this prompt cannot show is left in the file, untouched
        finally:
            self._restoring = False
        self._describe()

    @property
    def answered(self) -> bool:
        return kinds.get(self.answer_kind).is_answered(self.value)

    def summary(self) -> str:
        """The prompt and its answer as plain text (what papermill and screen readers get)."""
        value = self.value
        if not self.answered:
            shown = "not answered yet"
        elif isinstance(value, str):
            shown = value if len(value) <= 300 else value[:300] + "…"
        else:
            shown = "answered"
        return f"{self.prompt.title}: {shown}"

    # -- reacting to the learner
    def _on_edit(self, *_: Any) -> None:
        if self._restoring:
            return
        self._describe()
        value = self.value
        length, limit = text_length(value), min(self.prompt.max_chars, MAX_ANSWER_CHARS)
        if length > limit:
            self.message.error(f"This answer is {length:,} characters long; it can hold at most {limit:,}. "
                               "Shorten it to save it. Until then your last saved version is kept, and what "
                               "you typed stays here.")
            return
        self.message.clear()
        self.changed()

    def _toggle_example(self, change: dict[str, Any]) -> None:
        # two shared layouts, swapped, rather than one per example: each is saved once in a run notebook
        self._example.layout = shared_layout() if change["new"] else HIDDEN()
        self._reveal.description = "Hide the example" if change["new"] else "Show an example"


# ---------------------------------------------------------------- text
class _TextPrompt(PromptWidget):
    """A prompt answered in one text control, ``self._text``, made by the subclass's ``_build``."""

    @property
    def value(self) -> str:
        return self._text.value

    def _set(self, value: Any) -> None:
        self._text.value = str(value)


class ShortText(_TextPrompt):
    answer_kind = "short-text"

    def _build(self) -> list[W.Widget]:
        self._text = W.Text(placeholder="Your answer", layout=full(), continuous_update=True)
        self._text.observe(self._on_edit, "value")
        return [self._text]


class LongText(_TextPrompt):
    answer_kind = "long-text"

    def _build(self) -> list[W.Widget]:
        self._text = prose_area(placeholder="Write here", rows=6, layout=full(), continuous_update=True)
        self._count = W.HTML()
        self._text.observe(self._on_edit, "value")
        return [self._text, self._count]

    def _describe(self) -> None:
        words = P.word_count(self._text.value)
        aim = f" · aim for at least {self.prompt.min_words}" if self.prompt.min_words else ""
        done = " ✓" if self.prompt.min_words and words >= self.prompt.min_words else ""
        self._count.value = f'<small style="{MUTED}">{words} word{"" if words == 1 else "s"}{aim}{done}</small>'


class Link(_TextPrompt):
    answer_kind = "link"

    def _build(self) -> list[W.Widget]:
        self._text = W.Text(placeholder="https://…", layout=full(), continuous_update=True)
        self._hint = W.HTML()
        self._text.observe(self._on_edit, "value")
        return [self._text, self._hint]

    def _describe(self) -> None:
        self._hint.value = _hint_html(P.check_link(self._text.value))


def _hint_html(hint: str | None) -> str:
    return f'<small role="status" style="{MUTED}">ℹ️ {esc(hint)}</small>' if hint else ""


# ---------------------------------------------------------------- choices
class _Choice(PromptWidget):
    """Shared by single and multiple choice: the options, an optional "other" field, unknown ids kept."""

    def _other_field(self) -> list[W.Widget]:
        self._other = W.Text(description="Other:", placeholder="in your own words", layout=full(),
                             continuous_update=True, style={"description_width": "initial"})
        self._other.observe(self._on_edit, "value")
        return [self._other] if self.prompt.other else []

    def _kept_note(self) -> None:
        if self._unknown:
            self.message.info("Kept from an earlier version of this lesson: " + ", ".join(self._unknown) + ".")


class SingleChoice(_Choice):
    answer_kind = "single-choice"

    def _build(self) -> list[W.Widget]:
        self._unknown: list[str] = []
        self._radio = W.RadioButtons(options=[(o.label, o.id) for o in self.options], value=None, layout=full())
        self._radio.observe(self._on_edit, "value")
        return [self._radio, *self._other_field()]

    @property
    def value(self) -> dict[str, Any]:
        choice = self._radio.value if self._radio.value is not None else (self._unknown[0] if self._unknown else None)
        return {"choice": choice, "other": self._other.value}

    def _set(self, value: Any) -> None:
        choice = value.get("choice")
        known = {o.id for o in self.options}
        self._unknown = [choice] if choice and choice not in known else []
        self._radio.value = choice if choice in known else None
        self._other.value = str(value.get("other") or "")
        self._kept_note()

    def _on_edit(self, *args: Any) -> None:
        if not self._restoring and self._radio.value is not None:
            self._unknown = []  # the learner chose again: the old choice is replaced on purpose
        super()._on_edit(*args)


class MultipleChoice(_Choice):
    answer_kind = "multiple-choice"

    def _build(self) -> list[W.Widget]:
        self._unknown = []
        self._boxes = {o.id: W.Checkbox(description=o.label, value=False, indent=False, layout=shared_layout(width="auto"))
                       for o in self.options}
        for box in self._boxes.values():
            box.observe(self._on_edit, "value")
        grid = W.GridBox(list(self._boxes.values()),
                         layout=shared_layout(grid_template_columns="repeat(auto-fill, minmax(14em, 1fr))", width="100%"))
        return [grid, *self._other_field()]

    @property
    def value(self) -> dict[str, Any]:
        return {"choices": [i for i, box in self._boxes.items() if box.value] + self._unknown,
                "other": self._other.value}

    def _set(self, value: Any) -> None:
        chosen = list(value.get("choices") or [])
        self._unknown = [c for c in chosen if c not in self._boxes]
        for option_id, box in self._boxes.items():
            box.value = option_id in chosen
        self._other.value = str(value.get("other") or "")
        self._kept_note()

    def labels(self) -> list[str]:
        """What the learner chose, as words: ticked options, then each item written under Other."""
        names = {o.id: o.label for o in self.options}
        return [names.get(c, c) for c in self.value["choices"]] + P.listed(self._other.value)


# ---------------------------------------------------------------- lists
class ItemList(PromptWidget):
    answer_kind = "list"

    def _build(self) -> list[W.Widget]:
        self._box = W.VBox(layout=full())
        self._fields: list[W.Text | W.Combobox] = []
        self._hints: list[W.HTML] = []
        self._count = W.HTML()
        # Its own layout: it is hidden once the list is full.
        self._more = W.Button(description="Add another", icon="plus", layout=W.Layout(width="auto", align_self="flex-start", display=""))
        self._more.on_click(self._add_clicked)
        self._ensure(self.prompt.items or 1)
        return [self._box, self._count, self._more]

    def _ensure(self, count: int) -> None:
        suggestions = [o.label for o in self.options]
        while len(self._fields) < count:
            n = len(self._fields) + 1
            common = {"description": f"{n}.", "layout": full(), "continuous_update": True,
                      "style": {"description_width": "2em"}}
            if self.prompt.item == "link":
                field: W.Text | W.Combobox = W.Text(placeholder="https://… or a short description", **common)
            elif suggestions:
                field = W.Combobox(options=suggestions, ensure_option=False,
                                   placeholder="type your own, or pick a suggestion", **common)
            else:
                field = W.Text(placeholder="Your answer", **common)
            field.observe(self._on_edit, "value")
            self._fields.append(field)
            self._hints.append(W.HTML())
        self._box.children = [w for pair in zip(self._fields, self._hints) for w in pair]

    def _add_clicked(self, _button: Any) -> None:
        if len(self._fields) < (self.prompt.max_items or self.prompt.items or 1):
            self._ensure(len(self._fields) + 1)
            self._on_edit()

    @property
    def value(self) -> list[str]:
        return [field.value for field in self._fields]

    def _set(self, value: Any) -> None:
        items = [str(item) for item in value]
        self._ensure(len(items))
        for field, item in zip(self._fields, items + [""] * len(self._fields)):
            field.value = item

    def _describe(self) -> None:
        done = len(P.filled(self.value))
        need = self.prompt.min_items
        tick = " ✓" if need and done >= need else ""
        aim = f" (at least {need} asked for)" if need else ""
        self._count.value = f'<small style="{MUTED}">{done} filled in{aim}{tick}</small>'
        top = self.prompt.max_items or self.prompt.items or 1
        self._more.layout.display = "" if len(self._fields) < top else "none"
        if self.prompt.item == "link":
            for field, hint in zip(self._fields, self._hints):
                hint.value = _hint_html(P.check_link(field.value))


# ---------------------------------------------------------------- an estimate
class Estimate(PromptWidget):
    answer_kind = "estimate"
    NOT_SET = "not set"

    def _build(self) -> list[W.Widget]:
        choices = [("Choose your estimate", self.NOT_SET), *((f"about {n}%", n) for n in range(0, 101, 10)),
                   ("I can't tell", "unknown")]
        # the visible label is the drop-down's name for screen readers (a drop-down without one has none)
        self._pick = W.Dropdown(options=choices, value=self.NOT_SET, description="My estimate (%)",
                                style={"description_width": "initial"}, layout=shared_layout(width="22em"))
        self._pick.observe(self._on_edit, "value")
        return [self._pick]

    @property
    def value(self) -> int | str | None:
        return None if self._pick.value == self.NOT_SET else self._pick.value

    def _set(self, value: Any) -> None:
        if value == "unknown":
            self._pick.value = "unknown"
        elif isinstance(value, int) and not isinstance(value, bool):
            self._pick.value = min(range(0, 101, 10), key=lambda n: abs(n - value))
        else:
            raise ValueError(value)


# ---------------------------------------------------------------- the self-check over the card's signals
class SelfCheck(PromptWidget):
    answer_kind = "self-check"
    MARKS = [(label, mark) for mark, label in P.MARKS.items()]

    def __init__(self, key: str, prompt: Prompt, signals: Signals, *, label: str | None = None) -> None:
        self.signals = signals
        super().__init__(key, prompt, label=label)

    @classmethod
    def for_prompt(cls, course: Any, key: str, spec: Prompt, *, label: str | None = None) -> PromptWidget:
        return cls(key, spec, course.context(key.partition("/")[0])["card"].signals, label=label)

    def _build(self) -> list[W.Widget]:
        self._marks: dict[str, list[W.ToggleButtons]] = {"is_your_thing": [], "probably_not": []}
        rows: list[W.Widget] = []
        groups = (("is_your_thing", "Signs it is your thing"), ("probably_not", "Signs it probably is not"))
        for group, heading in groups:
            rows.append(W.HTML(f"<strong>{heading}</strong>"))
            for text in getattr(self.signals, group):
                buttons = W.ToggleButtons(options=self.MARKS, value=None, tooltips=[f"{m[0]}: {text}" for m in self.MARKS],
                                          style={"button_width": "6.5em"}, layout=signal_marks())
                buttons.observe(self._on_edit, "value")
                self._marks[group].append(buttons)
                # the line and its buttons, indented under the heading with a gap after (no box of their own)
                rows += [W.HTML(f"<div>{esc(text)}</div>", layout=signal_line()), buttons]
        self._reading = W.HTML()
        return [*rows, self._reading]

    @property
    def value(self) -> dict[str, Any]:
        return P.self_check_value(self.signals, {group: [b.value for b in buttons] for group, buttons in self._marks.items()})

    def _set(self, value: Any) -> None:
        if not isinstance(value, dict):
            raise ValueError(value)
        for group, marks in P.self_check_marks(self.signals, value).items():
            for button, mark in zip(self._marks[group], marks):
                button.value = mark

    def reading(self) -> P.SelfCheckReading:
        return P.read_self_check(self.signals, self.value)

    def _describe(self) -> None:
        sentences = "".join(f"<p>{esc(s)}</p>" for s in self.reading().sentences())
        self._reading.value = (f'<div role="status" style="border-left: 4px solid var(--jp-brand-color1, #0072B2); '
                               f'padding: 0.2em 0.8em; margin-top: 0.4em"><strong>What your marks say.</strong>'
                               f"{sentences}</div>")


# The indent and gap a box round each signal would give: the line keeps ipywidgets' own margin round it, the
# buttons have none of their own.
GAP = "var(--jp-widgets-margin, 2px)"


def signal_line() -> W.Layout:
    """One signal's line: a shared layout, made on first use."""
    return shared_layout(margin=f"{GAP} {GAP} {GAP} calc(0.8em + {GAP})")


def signal_marks() -> W.Layout:
    """One signal's buttons: a shared layout, made on first use."""
    return shared_layout(margin="0 0 0.5em 0.8em")


# ---------------------------------------------------------------- making prompts from data
def build(course: Any, key: str, *, label: str | None = None) -> PromptWidget:
    """The widget for the prompt saved under ``key`` (``<lesson id>/<prompt id>``), not yet attached; which
    widget a kind uses is its entry in :mod:`lessonkit.kinds`."""
    spec = course.prompt(key)
    return kinds.get(spec.kind).widget_factory().for_prompt(course, key, spec, label=label)


def prompt(lesson: Any, prompt_id: str) -> PromptWidget:
    """A lesson's prompt, with the learner's saved answer back in it; its changes are saved."""
    key = f"{lesson.id}/{prompt_id}"
    try:
        widget = build(lesson.course, key)
    except KeyError:
        known = ", ".join(p.id for p in lesson.course.lesson_prompts(lesson.id)) or "none"
        raise LessonkitError(f"This lesson has no prompt '{prompt_id}' in data/prompts/{lesson.id}.yaml "
                             f"(it has: {known}).") from None
    return lesson.attach(widget)
