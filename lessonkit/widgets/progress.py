"""Finishing a lesson and seeing progress: the reflection, "Mark this lesson complete", the course-wide
progress table, and the buttons that move answers between sessions or hand them in.

The reflection and the completion mark are lesson widgets with a ``lesson_field``, so
``lesson.attach`` saves them in the answers file's ``lessons`` part. Depth points follow
the rule in ``data/prompts/<lesson id>.yaml`` (see :mod:`lessonkit.progress`).

When the teacher set ``required_prompts``, the finish box lists those prompts with how many are
answered, read from the answers store as the learner writes, and "Mark this lesson complete" is
refused (the box stays clear, a message beside it names what is missing) until all are answered.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from .. import handin, kinds
from ..answers_disk import parse_time
from ..answers_format import AnswersFileError
from ..answers_limits import MAX_ANSWER_CHARS
from ..errors import LessonkitError
from ..headings import prompt_headings
from ..progress import course_access, depth_points, missing_required, sentence_list
from ..progress import course_progress as progress_rows
from .compact import compacted, shared_layout
from .base import LessonWidget, Message, Summarised, clock_time, prose_area
from .prompts import MUTED, full



CELL = "text-align: left; padding: 0.25em 1em 0.25em 0"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- the two lesson fields
class ReflectionBox(LessonWidget):
    lesson_field = "reflection"

    def __init__(self, lesson_id: str, rule: Any) -> None:
        super().__init__(lesson_id)
        self.rule = rule
        self.message = Message()
        self._text = prose_area(placeholder="Your reflection", rows=5, layout=full(), continuous_update=True)
        self._count = W.HTML()
        self._restoring = False
        self._text.observe(self._on_edit, "value")
        self.view = W.VBox([W.HTML("<strong>Your reflection</strong>"),
                            self._text, self._count, self.message], layout=full())
        self._describe()

    @property
    def state(self) -> dict[str, Any]:
        return {"value": self._text.value}

    def restore(self, state: dict[str, Any]) -> None:
        value = state.get("value") if isinstance(state, dict) else None
        if isinstance(value, str):
            self._restoring = True
            try:
                self._text.value = value
            finally:
                self._restoring = False
        self._describe()

    @property
    def points(self) -> int:
        return depth_points(self.rule, kinds.get("reflection").word_count(self._text.value))

    def _describe(self) -> None:
        words = kinds.get("reflection").word_count(self._text.value)
        if self.points:
            status = f"✓ {words} words: {self.points} Depth points earned"
        else:
            status = f"{words} of the {self.rule.min_words} words that earn {self.rule.depth_points} Depth points"
        self._count.value = f'<small role="status" style="{MUTED}">{status}</small>'

    def _on_edit(self, _change: Any) -> None:
        if self._restoring:
            return
        self._describe()
        if len(self._text.value) > MAX_ANSWER_CHARS:
            self.message.error(f"This reflection is {len(self._text.value):,} characters long; it can hold at most "
                               f"{MAX_ANSWER_CHARS:,}. Shorten it to save it; what you typed stays here.")
            return
        self.message.clear()
        self.changed()


class CompletionMark(LessonWidget):
    """"Mark this lesson complete". With a ``guard`` (the headings of required prompts not answered yet), ticking
    it while any are missing is refused: the box stays clear and the message beside it names them."""

    lesson_field = "completed"

    def __init__(self, lesson_id: str, guard: Callable[[], list[str]] | None = None) -> None:
        super().__init__(lesson_id)
        self.message = Message()
        self._guard = guard
        self._quiet = False
        self._box = W.Checkbox(description="Mark this lesson complete", value=False, indent=False)
        self._box.observe(self._on_tick, "value")
        self.view = W.VBox([self._box, self.message])

    @property
    def state(self) -> dict[str, Any]:
        return {"value": bool(self._box.value)}

    def restore(self, state: dict[str, Any]) -> None:
        value = state.get("value") if isinstance(state, dict) else None
        if isinstance(value, bool) and value != self._box.value:
            self._set_quietly(value)  # what was saved is shown as it is, required prompts or not

    @property
    def has_message(self) -> bool:
        """Whether a refused tick left a message beside the box (cleared once a tick is accepted)."""
        return bool(self.message.value)

    def recheck(self) -> None:
        """After an answer changed: keep the refusal message up to date (gone once nothing is missing)."""
        if self.has_message and self._guard is not None:
            missing = self._guard()
            if missing:
                self._refuse(missing)
            else:
                self.message.info("Every required prompt is answered now: you can mark this lesson complete.")

    def _set_quietly(self, value: bool) -> None:
        self._quiet = True
        try:
            self._box.value = value
        finally:
            self._quiet = False

    def _refuse(self, missing: list[str]) -> None:
        self.message.error("Not marked complete yet. Still to answer: " + sentence_list(missing)
                           + " Everything you have written is kept.")

    def _on_tick(self, change: Any) -> None:
        if self._quiet:
            return
        if change["new"] and self._guard is not None:
            missing = self._guard()
            if missing:
                self._set_quietly(False)
                self._refuse(missing)
                return
        self.message.clear()
        self.changed()


# ---------------------------------------------------------------- moving answers around
def download_link(name: str, data: bytes, mime: str) -> str:
    """An HTML link that saves ``data`` as a file called ``name`` (a data: URI: no server round trip)."""
    size = f"{len(data) / 1024:.0f} KB" if len(data) >= 1024 else f"{len(data)} bytes"
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<a download="{esc(name)}" href="{href}" style="color: var(--jp-content-link-color, inherit)">⬇ {esc(name)}</a> ({size})'


class AnswerFiles(Summarised):
    """Download my answers, Load my answers, and the hand-in files (Markdown and HTML)."""

    def __init__(self, lesson: Any) -> None:
        self.lesson = lesson
        self.store = lesson.store
        self.message = Message()
        self._links = W.HTML()
        self._download = W.Button(description="Download my answers", icon="download", layout=shared_layout(width="auto"),
                                  tooltip="Make a file of all your answers to keep or to load on another computer")
        self._handin = W.Button(description="Make my hand-in", icon="file-text-o", layout=shared_layout(width="auto"),
                                tooltip="Write your answers as a Markdown file and a web page, ready to hand in")
        self._upload = W.FileUpload(accept=".json,application/json", multiple=False, description="Load my answers",
                                    layout=shared_layout(width="auto"))
        self._download.on_click(lambda _b: self.download())
        self._handin.on_click(lambda _b: self.make_handin())
        self._upload.observe(self._uploaded, "value")
        self.view = W.VBox([W.HBox([self._download, self._upload, self._handin], layout=shared_layout(flex_flow="row wrap")),
                            self._links, self.message])

    def summary(self) -> str:
        return "Download my answers · Load my answers · Make my hand-in"

    def download(self) -> None:
        data = self.store.export_text().encode("utf-8")
        name = f"{handin.file_stem(self.store.document())}.json"
        self._links.value = (f"{download_link(name, data, 'application/json')}. Keep it somewhere safe; "
                             "<strong>Load my answers</strong> brings it back, in any session, on any computer.")
        self.message.clear()

    def make_handin(self) -> None:
        self.store.export_text()  # writes anything pending first
        doc = self.store.document()
        try:
            md, page = handin.write(self.lesson.course, doc, self.store.path.parent / "handin")
        except Exception as error:  # a button must answer with a message, never a silent failure
            self.message.error(f"The hand-in files could not be written ({getattr(error, 'strerror', None) or error}).")
            return
        self._links.value = (f"{download_link(md.name, md.read_bytes(), 'text/markdown')} · "
                             f"{download_link(page.name, page.read_bytes(), 'text/html')}<br>"
                             f'<small style="{MUTED}">Also written to {esc(str(md.parent))}</small>')
        self.message.clear()

    def load(self, name: str, data: bytes) -> None:
        try:
            report = self.store.import_text(data, name=f"The file {name}")
        except AnswersFileError as error:
            self.message.error(str(error))
            return
        except Exception as error:  # never a traceback for a learner; nothing was changed
            self.message.error(f"The file {name} could not be loaded ({error.__class__.__name__}: {error}).")
            return
        self.lesson.restore_all()
        extra = ""
        if report.learner != self.store.learner_id:
            extra = f" It was saved for the learner id '{report.learner}'; its answers are now also yours here."
        self.message.info(f"{report}{extra}")

    def _uploaded(self, change: Any) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        self.load(str(item.get("name", "the file")), bytes(item.get("content", b"")))
        try:
            self._upload.value = ()
        except Exception:  # older ipywidgets cannot clear an upload; the next one still works
            pass


# ---------------------------------------------------------------- the finish box
class FinishLesson(Summarised):
    """Reflection, completion and the answer buttons at the end of a lesson."""

    def __init__(self, lesson: Any) -> None:
        rules = lesson.course.prompts.get(lesson.id)
        if rules is None:
            raise LessonkitError(f"This lesson has no data/prompts/{lesson.id}.yaml, so it has no reflection rule.")
        self.lesson = lesson
        self.required: tuple[str, ...] = tuple(getattr(lesson, "required", ()) or ())
        self._headings = prompt_headings(lesson.course, lesson.id) if self.required else {}
        self.reflection = ReflectionBox(lesson.id, rules.reflection)
        self.completion = CompletionMark(lesson.id, guard=self.missing_headings if self.required else None)
        self.files = AnswerFiles(lesson)
        self._saved = W.HTML()
        if lesson.store is not None:
            lesson.store.on_saved(self._on_saved)
        children = [self.reflection.view, self.completion.view, self._saved, self.files.view]
        if self.required:  # only then: a lesson without required prompts shows and stores what it always did
            self._required = W.HTML()
            children.insert(1, self._required)
            if lesson.store is not None:
                lesson.store.on_answer(self._on_answer)
            self._describe_required()
        self.view = W.VBox(children,
                           layout=shared_layout(border="1px solid var(--jp-border-color2, #ccc)", padding="0.6em"))

    @property
    def parts(self) -> list[LessonWidget]:
        return [self.reflection, self.completion]

    # -- prompts the teacher requires before the lesson can be marked complete
    def _answers(self) -> dict[str, Any]:
        """The lesson's saved answer values by key: from the store, else from the prompt widgets attached to it."""
        store = self.lesson.store
        if store is not None:
            return store.answers()
        return {w.key: w.state.get("value") for w in getattr(self.lesson, "widgets", [])
                if getattr(w, "answer_kind", None)}

    def missing(self) -> list[str]:
        """The ids of required prompts not answered yet."""
        return missing_required(self.lesson.course, self._answers(), self.lesson.id, self.required)

    def missing_headings(self) -> list[str]:
        return [self._headings.get(prompt_id, prompt_id) for prompt_id in self.missing()]

    def required_status(self) -> str:
        """One plain sentence: which prompts are required, and how many are answered."""
        missing = set(self.missing())
        done = len(self.required) - len(missing)
        titles = sentence_list([self._headings.get(p, p) for p in self.required])
        return (f"Required before you mark this lesson complete: {titles} "
                f"{done} of {len(self.required)} answered.")

    def _describe_required(self) -> None:
        missing = set(self.missing())
        done = len(self.required) - len(missing)
        items = "".join(f"<li>{'✓ answered' if p not in missing else '✗ not answered yet'}: "
                        f"{esc(self._headings.get(p, p))}</li>" for p in self.required)
        self._required.value = (f'<div role="status"><strong>Required before you mark this lesson complete</strong> '
                                f"({done} of {len(self.required)} answered)"
                                f'<ul style="margin: 0.2em 0 0.4em 0">{items}</ul></div>')

    def _on_answer(self, key: str | None) -> None:
        if key is None or key.startswith(f"{self.lesson.id}/"):
            self.refresh()

    def refresh(self) -> None:
        """Redraw what follows from the answers (after an answer changed, or "Load my answers")."""
        if self.required:
            self._describe_required()
            self.completion.recheck()

    def summary(self) -> str:
        rule = self.reflection.rule
        words = kinds.get("reflection").word_count(self.reflection.state["value"])
        done = "marked complete" if self.completion.state["value"] else "not marked complete yet"
        required = f" {self.required_status()}" if self.required else ""
        return (f"Your reflection: {words} of the {rule.min_words} words that earn {rule.depth_points} Depth points "
                f"({self.reflection.points} earned).{required} This lesson is {done}.")

    def _on_saved(self, saved_at: str | None, error: str | None) -> None:
        if error:
            self._saved.value = f'<small role="alert">⚠️ {esc(error)}</small>'
        elif saved_at:
            when = clock_time(parse_time(saved_at))
            self._saved.value = f'<small role="status" style="{MUTED}">✓ All your answers saved at {when}.</small>'


@compacted
def finish_lesson(lesson: Any) -> FinishLesson:
    box = FinishLesson(lesson)
    lesson.attach(box)
    return box


# ---------------------------------------------------------------- progress across lessons (the start page)
class CourseProgress(Summarised):
    def __init__(self, lesson: Any) -> None:
        self.lesson = lesson
        self._table = W.HTML()
        self._refresh = W.Button(description="Refresh", icon="refresh", layout=shared_layout(width="auto"),
                                 tooltip="Read your answers file again, including what other lessons saved")
        self._refresh.on_click(lambda _b: self.refresh(reread=True))
        self.files = AnswerFiles(lesson)
        self.view = W.VBox([self._table, self._refresh, self.files.view])
        self.refresh()

    def summary(self) -> str:
        rows, extensions = self.standing()
        opens = "".join(f" Lesson {a.lesson.number:02d} is an extension: {a.words()}." for a in extensions)
        return (f"Your progress: {sum(r.completed for r in rows)} of {len(rows)} lessons complete; "
                f"{sum(r.depth_points for r in rows)} of {sum(r.possible_points for r in rows)} Depth points.{opens}")

    def standing(self) -> tuple[list[Any], list[Any]]:
        """Each lesson's progress row, and the extension lessons' access (open or locked, and why), from one copy
        of the learner's saved answers."""
        saved, course = self.lesson.store.saved_if_any(), self.lesson.course
        states = course_access(course, saved, open_all=bool(getattr(self.lesson, "open_extensions", False)))
        return progress_rows(course, saved), [state for state in states if state.is_extension]

    def refresh(self, reread: bool = False) -> None:
        if reread:
            self.lesson.store.refresh()
        rows, extensions = self.standing()
        opens = {state.lesson.id: state for state in extensions}
        body = []
        for row in rows:
            prompts = f"{row.answered} of {row.prompts}" if row.prompts else "—"
            reflection = f"{row.reflection_words} of {row.rule.min_words} words" if row.rule else "—"
            state = opens.get(row.lesson.id)
            cells = [f"Lesson {row.lesson.number:02d} · {esc(row.lesson.title)}",
                     esc(f"Extension: {state.words()}") if state else "✓ core lesson",
                     "✓ complete" if row.completed else "not yet", prompts, reflection,
                     f"{row.depth_points} of {row.possible_points}"]
            body.append("<tr>" + "".join(f'<td style="{CELL}">{c}</td>' for c in cells) + "</tr>")
        points = sum(r.depth_points for r in rows)
        possible = sum(r.possible_points for r in rows)
        done = sum(r.completed for r in rows)
        self._table.value = (
            '<table style="border-collapse: collapse"><caption style="text-align: left"><strong>Your progress'
            "</strong></caption><thead><tr>"
            + "".join(f'<th style="{CELL}">{h}</th>' for h in ("Lesson", "Open?", "Marked", "Prompts answered",
                                                                "Reflection", "Depth points"))
            + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>"
            f'<p role="status">{done} of {len(rows)} lessons complete · <strong>{points} of {possible} Depth points'
            "</strong></p>"
            + (f'<p style="{MUTED}">Depth points open the extension lessons: write a reflection at the end of a lesson '
               "to earn them. A locked lesson's readings and questions are open all the same, and anything you "
               "have made in it stays yours.</p>" if opens else ""))


def course_progress(lesson: Any) -> CourseProgress:
    return CourseProgress(lesson)


def answer_files(lesson: Any) -> AnswerFiles:
    return AnswerFiles(lesson)
