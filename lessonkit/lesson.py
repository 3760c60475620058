"""The first call in every lesson: check the parameters and content, then greet the learner.

``open_lesson`` fails fast with a message that names the bad value and lists
the valid ones. Inside IPython that message is shown on its own, without a
Python traceback, and the cell still counts as failed (so papermill and nbval stop).
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import engines
from .content import Course, load_course
from .errors import LessonkitError, ParameterError
from .identity import learner_for
from .models.timesplit import check_week_hours
from .render import PROSE_STYLE
from .schema import LessonEntry

if TYPE_CHECKING:
    from .answers import AnswerStore
    from .progress import Access



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

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def access(self) -> Access:
        """Whether this lesson's activities are open to the learner (always, unless it is a locked extension)."""
        from .progress import access

        doc = self.store.document() if self.store is not None else None
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
            _restore(self.store, widget)
            widget.on_change(_saver(self.store, widget))
        return widget

    def restore_all(self) -> None:
        """Put the store's values back into every attached widget (after "Load my answers")."""
        if self.store is not None:
            for widget in self.widgets:
                if getattr(widget, "parts", None) is None:
                    _restore(self.store, widget)
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


def parse_due(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError("due_date", value, "expected a date written YYYY-MM-DD, such as 2026-12-01, "
                                               "or an empty string for no due date") from None


def open_lesson(lesson_id: str, *, data_dir: str = "", due_date: str = "", start_with: str = "",
                learner_id: str = "", answers_dir: str = "", week_hours: int = 40,
                target_income: object = None, required_prompts: object = "", open_extensions: object = False) -> Lesson:
    """Load and check the course content and the lesson's parameters, then return the lesson.

    The lesson displays as one short status line. ``start_with`` (start page only)
    names the lesson learners should begin with. ``learner_id`` names the learner's
    answers file (default ``learner``) in ``answers_dir`` (default: see
    :func:`default_answers_dir`). ``week_hours`` (Lesson 01) is the week its time-split
    widgets turn shares into hours for; it is checked here so a bad value stops the first cell.
    ``required_prompts`` lists, separated by commas, the ids of this lesson's prompts a learner
    must answer before "Mark this lesson complete" is accepted (see :func:`parse_required_prompts`).
    ``open_extensions`` (True) opens every extension lesson whatever the learner's Depth points.
    """
    install_friendly_errors()
    from .locate import content_words

    course = load_course(data_dir or None, near=Path.cwd())
    entry = course.lesson(lesson_id)
    first = check_lesson_id(course, "start_with", start_with) if start_with else None
    due = parse_due(due_date)
    check_week_hours(week_hours)
    required = parse_required_prompts(course, entry.id, required_prompts)
    opened = parse_open_extensions(open_extensions)
    if target_income is not None:  # Lessons 01 and 02: the pay widgets' target, checked before anything shows
        from .models.salary import check_target_income

        check_target_income(target_income)
    learner, named = learner_for(learner_id)
    visit = not named and engines.is_visitor()
    if visit and not (str(answers_dir or "").strip() or os.environ.get("LESSONKIT_ANSWERS")):
        folder = engines.visit_folder()  # nobody to share a file with: this visit's own folder, in the temp folder
    else:
        folder = parse_answers_dir(answers_dir)
        if visit:  # a folder for everyone's answers, but no name: this visit's own folder inside it
            folder = engines.visit_folder(folder / "visits")
    from .answers import open_store

    store = open_store(folder / f"{learner}.json", course_id=course.id, learner_id=learner)
    return Lesson(course, entry, due, first, required, opened, store=store, visit=visit,
                  content=content_words(course.root, data_dir or None, near=Path.cwd()),
                  front_end=engines.front_end())


TRUE_WORDS, FALSE_WORDS = ("true", "yes", "1", "on"), ("false", "no", "0", "off", "")


def parse_open_extensions(value: object) -> bool:
    """The ``open_extensions`` parameter as True or False, or a ParameterError saying what is expected."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ParameterError("open_extensions", value, "expected True (open every extension lesson for everyone) or "
                                                   "False (each learner's Depth points open them)")


def split_ids(value: object) -> list[str]:
    """Ids written "a, b," (or given as a list): stripped, blanks dropped, each kept once, in order."""
    if value is None:
        return []
    parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return list(dict.fromkeys(str(part).strip() for part in parts if str(part).strip()))


def parse_required_prompts(course: Course, lesson_id: str, value: object) -> tuple[str, ...]:
    """The prompt ids a teacher requires in this lesson, or a ParameterError naming each unknown id.

    Blank items and spaces around commas are ignored ("a, b," is a and b); "" requires nothing.
    """
    wanted = split_ids(value)
    if not wanted:
        return ()
    entry = course.lesson(lesson_id)
    valid = [prompt.id for prompt in course.lesson_prompts(entry.id)]
    unknown = [item for item in wanted if item not in valid]
    if unknown:
        named = ", ".join(repr(item) for item in unknown)
        where = f"lesson {entry.number:02d} ({entry.id})"
        if not valid:
            expected = f"{where} has no prompts, so {named} cannot be required; use \"\" for none"
        else:
            verb = "is not a prompt" if len(unknown) == 1 else "are not prompts"
            expected = (f"{named} {verb} of {where}. Valid prompt ids: {', '.join(valid)}; separate several "
                        "with commas, or use \"\" for none")
        raise ParameterError("required_prompts", value, expected)
    return tuple(wanted)


def default_answers_dir(env: engines.Env | None = None) -> Path:
    """Where answers go when ``answers_dir`` is empty; never a folder other people's kernels share.

    ``LESSONKIT_ANSWERS`` if set; else, on a hub, the learner's own home (``~/.lessonkit/answers``),
    whatever the install; else the repository's git-ignored ``answers/``
    when lessonkit runs from a checkout that belongs to the user running the lesson (an editable
    install, ``make lab``), so one learner's answers stay in one place; else ``~/.lessonkit/answers``
    (a plain ``pip install``, Binder). Never beside a notebook, where a shared or version-controlled
    folder could pick the file up.
    """
    values = os.environ if env is None else env
    chosen = values.get("LESSONKIT_ANSWERS")
    if chosen:
        return Path(chosen).expanduser()
    home = Path.home() / ".lessonkit" / "answers"
    if engines.signed_in(values) is not None:
        return home
    repo = Path(__file__).resolve().parent.parent
    if (repo / "notebooks").is_dir() and (repo / "pyproject.toml").is_file() and engines.owned_by_me(repo):
        return repo / "answers"
    return home


def parse_answers_dir(value: str) -> Path:
    """The folder for answers files: made if missing, or a ParameterError saying why it cannot be used."""
    text = str(value or "").strip()
    if "\x00" in text:  # no system accepts it in a path; Python would raise a bare ValueError
        raise ParameterError("answers_dir", value, "a folder name cannot hold a NUL character (\\x00); expected a "
                                                   "folder for the answers files, or \"\" for the default")
    folder = Path(text).expanduser() if text else default_answers_dir()
    label = "answers_dir" if text else "the default answers folder"
    if folder.exists() and not folder.is_dir():
        raise ParameterError("answers_dir", value or str(folder), f"{label} {str(folder)!r} is a file; expected a "
                                                                  "folder for the answers files, or \"\" for the default")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ParameterError("answers_dir", value or str(folder), f"{label} {str(folder)!r} cannot be made "
                                                                  f"({error.strerror or error}); expected a folder "
                                                                  "you can write to, or \"\" for the default") from None
    if not os.access(folder, os.W_OK):
        raise ParameterError("answers_dir", value or str(folder), f"{label} {str(folder)!r} cannot be written to; "
                                                                  "expected a folder you can write to")
    return folder.resolve()


# ---------------------------------------------------------------- saving and restoring widgets
def _restore(store: AnswerStore, widget: Any) -> None:
    kind = getattr(widget, "answer_kind", None)
    lesson_field = getattr(widget, "lesson_field", None)
    if lesson_field:
        saved = store.lesson_field(widget.key, lesson_field)
    else:
        saved = store.answer(widget.key) if kind else store.widget_state(widget.key)
    if saved is None:
        return
    try:
        widget.restore({"value": saved} if kind or lesson_field else saved)
    except Exception as error:  # a widget must never show a traceback over a saved answer
        _report(widget, f"Your saved answer could not be put back here ({error.__class__.__name__}); it is still "
                        "in your answers file.")


def _saver(store: AnswerStore, widget: Any) -> Any:
    from .answers import AnswerError

    kind = getattr(widget, "answer_kind", None)
    lesson_field = getattr(widget, "lesson_field", None)

    def save(key: str, state: dict[str, Any]) -> None:
        try:
            if lesson_field:
                store.set_lesson_field(key, lesson_field, state.get("value"))
            elif kind:
                store.set_answer(key, state.get("value"), kind)
            else:
                store.set_widget_state(key, state)
        except (AnswerError, ValueError) as error:
            _report(widget, str(error))

    return save


def _report(widget: Any, text: str) -> None:
    message = getattr(widget, "message", None)
    if message is not None and hasattr(message, "error"):
        message.error(text)


def check_lesson_id(course: Course, name: str, value: str) -> LessonEntry:
    """A lesson id given as a parameter, or a ParameterError that lists the valid ones."""
    try:
        return course.lesson(value)
    except ParameterError as error:
        raise ParameterError(name, value, error.expected) from None


# ---------------------------------------------------------------- no tracebacks for learners
def _show_friendly(shell, etype, value, tb, tb_offset=None):  # noqa: ANN001 (IPython's signature)
    lines = str(value).splitlines() or [etype.__name__]
    stb = ["\x1b[1;31m⚠ This lesson cannot go on yet.\x1b[0m", *lines,
           "Nothing you wrote was lost. Fix the value above and run the cell again."]
    # IPython ignores what a custom handler returns; publishing is the handler's job.
    # The cell still ends in error, so papermill and nbval stop here.
    shell._showtraceback(etype, value, stb)
    return stb


def install_friendly_errors() -> None:
    """Show LessonkitError messages without a traceback in this IPython session (no-op elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and LessonkitError not in getattr(shell, "custom_exceptions", ()):
        shell.set_custom_exc((LessonkitError,), _show_friendly)
