"""A lesson once opened: its content, parameters and answers store, the widgets it saves, and its Ready line.

``lessonkit.opening.open_lesson`` makes one; the older names below are still importable from here.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import engines
from .content import Course
from .render import PROSE_STYLE
from .saving import restore, saver

if TYPE_CHECKING:
    from .answers import AnswerStore
    from .progress import Access
    from .schema import LessonEntry



@dataclass(frozen=True)
class Lesson:
    course: Course
    entry: LessonEntry
    due: dt.date | None = None
    start_with: LessonEntry | None = None
    required: tuple[str, ...] = ()  # prompt ids to answer before the lesson can be marked complete
    open_extensions: bool = False  # the teacher opened every extension lesson, whatever the learner's points
    widgets: list[Any] = field(default_factory=list, compare=False, repr=False)
    store: AnswerStore | None = field(default=None, compare=False, repr=False)
    visit: bool = False  # a visitor with no name (Voila): the answers last as long as this visit
    content: str = ""  # which course content is in use, in plain words
    front_end: engines.FrontEnd = field(default=engines.FRONT_ENDS[-1], compare=False, repr=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)  # every parameter, as read

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def access(self) -> Access:
        """Whether this lesson's activities are open to the learner (always, unless it is a locked extension)."""
        from .progress import access

        doc = self.store.saved_if_any() if self.store is not None else None
        return access(self.course, doc, self.id, open_all=self.open_extensions, visit=self.visit)

    def attach(self, widget: Any) -> Any:
        """Register a lesson widget (a ``LessonWidget``): put its saved state back and save its changes; returns it.

        A prompt (a widget with an ``answer_kind``) is saved as an answer under its key; a widget with a
        ``lesson_field`` ("completed", "reflection") as that field of the lesson its key names; any
        other widget's ``state`` under its key in the file's widgets. A widget made of other widgets
        lists them in ``parts``; each part is attached in turn.
        """
        self.widgets.append(widget)
        parts = getattr(widget, "parts", None)
        if parts is not None:
            for part in parts:
                self.attach(part)
            return widget
        if self.store is not None:
            restore(self.store, widget)
            widget.on_change(saver(self.store, widget))
        return widget

    def restore_all(self) -> None:
        """Put the store's values back into every attached widget (after "Load my answers")."""
        if self.store is not None:
            for widget in self.widgets:
                if getattr(widget, "parts", None) is None:
                    restore(self.store, widget)
            for widget in self.widgets:
                refresh = getattr(widget, "refresh", None)
                if getattr(widget, "parts", None) is not None and callable(refresh):
                    refresh()  # a composite redraws what it works out from its parts

    def summary(self) -> str:
        """One plain sentence about the lesson: shown as text and read by screen readers."""
        due = f" Due {self.due:%A %d %B %Y}." if self.due else ""
        start = f" Begin with Lesson {self.start_with.number:02d} · {self.start_with.title}." if self.start_with else ""
        notices = "".join(f" {text}" for text in self.notices())
        required = ""
        if self.required:
            from .progress import prompt_headings, sentence_list

            headings = prompt_headings(self.course, self.id)
            required = (" Before you mark it complete, answer: "
                        + sentence_list([headings.get(p, p) for p in self.required]))
        return (f"Lesson {self.entry.number:02d} · {self.entry.title} is ready: about {self.entry.minutes} minutes,"
                f" built from {_count(len(self.entry.based_on), 'source document')}.{due}{start}{required}"
                f"{self._extension_words()}{notices}")

    def _extension_words(self) -> str:
        if self.entry.extension is None:
            return ""
        state = self.access
        if state.open:
            from .progress import OPEN_BECAUSE

            return f" This is an extension lesson, {OPEN_BECAUSE[state.reason]}."
        return (f" This is an extension lesson: its activities open at {state.needs} Depth points, and you have "
                f"{state.earned}, so {state.still_needed} more to go (write the reflections at the end of the other "
                "lessons). Everything you can read here is open now; run this lesson again once you have the points.")

    def notices(self) -> list[str]:
        """What the learner must be told about their saved answers (a file that had to be set aside)."""
        return list(self.store.notices) if self.store is not None else []

    def _repr_html_(self) -> str:
        text = html.escape(self.summary())
        if self.start_with:
            link = f'<a href="{html.escape(self.start_with.notebook)}" style="color: var(--jp-content-link-color, inherit)">open it</a>'
            text += f" ({link})"
        # Theme variables keep the line readable in light and dark themes alike.
        style = ("border-left: 4px solid var(--jp-success-color1, #2e7d32); padding: 0.5em 0.8em; "
                 "color: var(--jp-content-font-color1, inherit); background: var(--jp-layout-color2, transparent)")
        saved = f"<br><small>{self.saved_words()}</small>" if self.store is not None else ""
        note = f"<br><small>{html.escape(self.front_end.note)}</small>" if self.front_end.note else ""
        content = f"<br><small>Content: {html.escape(self.content)}.</small>" if self.content else ""
        from .widgets.slider import STYLE as SLIDER_STYLE  # imported here: only a lesson on screen needs it

        return (f'{PROSE_STYLE}{SLIDER_STYLE}<div role="status" style="{style}"><strong>✅ Ready.</strong> '
                f'{text}{note}{saved}{content}</div>')

    def saved_words(self) -> str:
        """Where this learner's answers are kept and how they keep them, as HTML for the Ready line."""
        if self.store is None:
            return ""
        if self.visit:
            return ("This page has no sign-in, so your answers are kept for this visit only, in a file of its "
                    "own that no other visitor can open. To keep them, press <strong>Download my answers</strong> "
                    "at the end of the lesson before you close the page; <strong>Load my answers</strong> brings "
                    "them back on your next visit.")
        path = self.store.path
        try:
            shown = "~/" + path.relative_to(Path.home()).as_posix()
        except ValueError:
            shown = str(path)
        return (f"Your answers are saved by themselves, as you write, for "
                f"<strong>{html.escape(self.store.learner_id)}</strong> in <code>{html.escape(shown)}</code>.")

    def __repr__(self) -> str:
        return self.summary()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# Names that lived here before the module was split by job: still importable from lessonkit.lesson.
_MOVED = {
    "open_lesson": "lessonkit.opening",
    "default_answers_dir": "lessonkit.answer_folder",
    "install_friendly_errors": "lessonkit.friendly",
    "parse_due": "lessonkit.parameters",
    "split_ids": "lessonkit.parameters",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        return getattr(import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'lessonkit.lesson' has no attribute {name!r}")
