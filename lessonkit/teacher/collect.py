"""Gather what learners handed in: answers files and lesson notebooks, from files, folders and zips.

Nothing is executed and nothing is extracted: every file is read into memory within limits
(size, zip members, total unpacked size, packing ratio, nesting) and turned into one record
by a small ``file -> record`` function. A file that breaks a limit or cannot be read is set
aside with a message and the rest go on. The latest submission per learner is kept; older
ones are listed as duplicates, and lessons changed after their due date as late.

Given a folder of learners' homes (a hub's /home), a file that carries only the default learner id
is named after the home it sits in. Files that cannot be told apart (one id in two homes, or several
default-id files with no home) are never merged: each is kept apart and listed as a conflict.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import answers as store
from ..content import Course
from ..errors import LessonkitError, ParameterError
from ..identity import DEFAULT_LEARNER
from ..lesson import parse_due, split_ids
from .files import progress, shown
from .unpack import Candidate, Problem, Refused, candidates, too_big

MAX_JSON_DEPTH = 32
MAX_FILES = 50_000
_OPEN_LESSON = re.compile(r"open_lesson\(\s*[\"']([a-z0-9][a-z0-9-]{0,80})[\"']")
_LESSON_FILE = re.compile(r"(\d{2}-[a-z0-9-]+)\.ipynb$")


@dataclass(frozen=True)
class AnswersSubmission:
    label: str
    learner: str
    doc: dict[str, Any]
    saved_at: dt.datetime | None
    last_change: dt.datetime | None
    home: str | None = None  # the learner's home it was found in, if any


@dataclass(frozen=True)
class NotebookSubmission:
    label: str
    learner: str
    lesson: str
    params: dict[str, Any]
    mtime: dt.datetime | None

    @property
    def due(self) -> dt.date | None:
        try:
            return parse_due(str(self.params.get("due_date") or ""))
        except ParameterError:
            return None

    @property
    def required(self) -> tuple[str, ...]:
        """The prompt ids this copy required (parameter required_prompts), as written; () for none."""
        value = self.params.get("required_prompts")
        if not isinstance(value, (str, list, tuple)):
            return ()
        return tuple(item[:100] for item in split_ids(value)[:200])


@dataclass(frozen=True)
class Late:
    learner: str
    lesson: str
    changed: dt.datetime
    deadline: dt.datetime


@dataclass
class Collected:
    answers: dict[str, AnswersSubmission] = field(default_factory=dict)
    notebooks: dict[tuple[str, str], NotebookSubmission] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    late: list[Late] = field(default_factory=list)
    deadlines: dict[str, dt.datetime] = field(default_factory=dict)  # the class deadline per lesson, if known
    required: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the class's required prompts per lesson
    files: int = 0

    @property
    def learners(self) -> list[str]:
        return sorted({*self.answers, *(learner for learner, _ in self.notebooks)}, key=str.casefold)

    def required_for(self, learner: str, lesson: str) -> tuple[str, ...]:
        """The prompts ``learner`` had to answer in ``lesson``: their own notebook's required_prompts, else the
        value most handed-in notebooks of that lesson carry (as for due dates)."""
        own = self.notebooks.get((learner, lesson))
        return (own.required if own and own.required else None) or self.required.get(lesson, ())


# ---------------------------------------------------------------- file -> record
def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (worked out without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _time(stamp: Any) -> dt.datetime | None:
    if not isinstance(stamp, str) or len(stamp) > 40:
        return None
    try:
        value = store.parse_time(stamp)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def record_times(doc: dict[str, Any], lesson: str | None = None) -> list[dt.datetime]:
    """When each record was saved (every record, or only those of ``lesson``)."""
    found = []
    for key, record in doc.get("answers", {}).items():
        if lesson is None or key.startswith(lesson + "/"):
            found.append(_time(record.get("saved_at")))
    if lesson is None:
        found += [_time(record.get("saved_at")) for record in doc.get("widgets", {}).values()]
    for lesson_id, fields in doc.get("lessons", {}).items():
        if lesson is None or lesson_id == lesson:
            found += [_time(record.get("saved_at")) for record in fields.values()]
    return [stamp for stamp in found if stamp is not None]


def answers_record(candidate: Candidate, data: bytes, course: Course) -> AnswersSubmission:
    """An answers file (format v1) as a submission, or Refused saying what is wrong with it."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("malformed", "it is not text (binary data where an answers file was expected)") from None
    try:
        doc = store.loads(data, what="The file")
    except store.AnswersFileError as error:
        raise Refused("malformed", str(error)) from None
    except RecursionError:
        raise Refused("malformed", "its JSON nests too deeply to be an answers file") from None
    if doc["course"] != course.id:
        raise Refused("malformed", f"it holds answers for another course ({shown(doc['course'], 60)!r}, "
                                   f"not {course.id!r})")
    if _depth(doc) > MAX_JSON_DEPTH:
        raise Refused("malformed", f"its answers nest more than {MAX_JSON_DEPTH} levels deep")
    learner = _named(doc["learner"].strip(), candidate)
    if not learner or len(learner) > 200:
        raise Refused("malformed", "its learner id is empty or longer than 200 characters")
    times = record_times(doc)
    return AnswersSubmission(candidate.label, learner, doc, _time(doc.get("saved_at")),
                             max(times) if times else _time(doc.get("saved_at")), candidate.home)


def _named(learner: str, candidate: Candidate) -> str:
    """The learner a file belongs to: its own id, or its home's name where it carries only the default id."""
    return candidate.home if candidate.home and learner in ("", DEFAULT_LEARNER) else learner


def _literal_assignments(source: str) -> dict[str, Any]:
    """``name = literal`` lines of a parameters cell, read without running anything."""
    if len(source) > 20_000:
        return {}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
            node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and getattr(node, "value", None) is not None:
            try:
                found[target.id] = ast.literal_eval(node.value)  # type: ignore[arg-type]
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                continue
    return found


def _source(cell: Any) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def notebook_params(nb: dict[str, Any]) -> dict[str, Any]:
    """The parameters a notebook was handed out with: papermill's record, else the injected cell's literals."""
    recorded = (nb.get("metadata") or {}).get("papermill", {})
    if isinstance(recorded, dict) and isinstance(recorded.get("parameters"), dict):
        return {str(k): v for k, v in recorded["parameters"].items()}
    params: dict[str, Any] = {}
    for tag in ("parameters", "injected-parameters"):
        for cell in nb["cells"]:
            tags = cell.get("metadata", {}).get("tags", []) if isinstance(cell, dict) else []
            if isinstance(tags, list) and tag in tags:
                params.update(_literal_assignments(_source(cell)))
    return params


def notebook_lesson(nb: dict[str, Any], name: str, course: Course) -> str | None:
    """Which lesson a notebook is: named in its metadata, in its open_lesson call, or in its file name."""
    known = {lesson.id for lesson in course.lessons()}
    marked = (nb.get("metadata") or {}).get("lessonkit", {})
    if isinstance(marked, dict) and marked.get("lesson") in known:
        return str(marked["lesson"])
    for cell in nb["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            found = _OPEN_LESSON.search(_source(cell)[:5000])
            if found and found.group(1) in known:
                return found.group(1)
    by_name = _LESSON_FILE.search(name.lower())
    return by_name.group(1) if by_name and by_name.group(1) in known else None


def notebook_record(candidate: Candidate, data: bytes, course: Course) -> NotebookSubmission:
    """A handed-in lesson notebook as a submission (its parameters and lesson), or Refused."""
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Refused("malformed", "it is not text (binary data where a notebook was expected)") from None
    except RecursionError:
        raise Refused("malformed", "its JSON nests too deeply to be a notebook") from None
    except ValueError as error:
        raise Refused("malformed", f"it is not readable JSON ({error.__class__.__name__})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        raise Refused("malformed", "it is not a Jupyter notebook (format 4)")
    if not isinstance(nb.get("metadata", {}), dict):
        raise Refused("malformed", "its metadata is damaged")
    lesson = notebook_lesson(nb, candidate.name, course)
    if lesson is None:
        raise Refused("malformed", "it is not one of this course's lessons")
    params = notebook_params(nb)
    learner = params.get("learner_id")
    if candidate.home and (learner is None or isinstance(learner, str)):
        learner = _named((learner or "").strip(), candidate)
    if not isinstance(learner, str) or not learner.strip():
        raise Refused("malformed", "it has no learner id; was it handed out with lessonkit assign?")
    if len(learner) > 200:
        raise Refused("malformed", "its learner id is longer than 200 characters")
    return NotebookSubmission(candidate.label, learner.strip(), lesson, params, candidate.mtime)


# ---------------------------------------------------------------- the whole class
def parse_deadline(text: str) -> dt.datetime:
    """``--due``: a date (late means after the end of that day, on this computer's clock) or a date and time."""
    value = text.strip()
    try:
        if len(value) == 10:
            return end_of(dt.date.fromisoformat(value))
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise LessonkitError(f"--due {text!r} is not a date; write it YYYY-MM-DD (late means after the end of that "
                             "day) or YYYY-MM-DDTHH:MM.") from None
    return (moment if moment.tzinfo else moment.astimezone()).astimezone(dt.timezone.utc)


def end_of(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` on this computer's clock, in UTC."""
    return dt.datetime.combine(day, dt.time.max).astimezone().astimezone(dt.timezone.utc)


def _newest(item: AnswersSubmission | NotebookSubmission) -> tuple[dt.datetime, dt.datetime, str]:
    low = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    if isinstance(item, AnswersSubmission):
        return item.last_change or low, item.saved_at or low, item.label
    return item.mtime or low, low, item.label


def collect(paths: list[str | Path], course: Course, *, due: dt.datetime | None = None,
            quiet: bool = False) -> Collected:
    """Read every submission under ``paths``; keep the latest per learner; list everything set aside."""
    result = Collected()
    answers: dict[str, list[AnswersSubmission]] = {}
    notebooks: dict[tuple[str, str], list[NotebookSubmission]] = {}
    # Each file is read as soon as it is found, while its zip is still open; the bar counts files.
    for candidate in progress(candidates(paths, result.problems), total=None, label="collect", quiet=quiet):
        if result.files >= MAX_FILES:
            result.problems.append(Problem(candidate.label, "refused", f"more than {MAX_FILES:,} files were given; "
                                                                       "this one and the rest were not read"))
            break
        result.files += 1
        try:
            record = read_candidate(candidate, course)
        except Refused as refusal:
            result.problems.append(Problem(candidate.label, refusal.kind, refusal.message))
            continue
        if isinstance(record, AnswersSubmission):
            answers.setdefault(record.learner, []).append(record)
        else:
            notebooks.setdefault((record.learner, record.lesson), []).append(record)
    result.answers = _keep_latest(_kept_apart(answers, result.problems), result.problems)
    result.notebooks = _keep_latest(notebooks, result.problems)
    if "learner" in result.answers:
        result.problems.append(Problem(result.answers["learner"].label, "notice",
                                       "saved under the default learner id 'learner': every learner who kept the "
                                       "default counts as this one learner. Hand lessons out with lessonkit assign "
                                       "so each learner has an id"))
    _mark_late(result, course, due)
    _class_required(result, course)
    return result


def read_candidate(candidate: Candidate, course: Course) -> AnswersSubmission | NotebookSubmission:
    """One file -> one record (or Refused)."""
    reason = too_big(candidate.size, candidate.name)
    if reason:
        raise Refused("refused", reason)
    try:
        data = candidate.read()
    except OSError as error:
        raise Refused("unreadable", f"it cannot be read ({error.strerror or error})") from None
    if candidate.name.lower().endswith(".ipynb"):
        return notebook_record(candidate, data, course)
    return answers_record(candidate, data, course)


def _kept_apart(groups: dict[str, list[AnswersSubmission]],
                problems: list[Problem]) -> dict[str, list[AnswersSubmission]]:
    """Split every group that may hold more than one person: one id found in two homes, or several files
    with the default id and no home to name them by. Each file is kept under a name of its own and listed
    as a conflict for the teacher to settle; none is merged or set aside as a duplicate."""
    kept: dict[str, list[AnswersSubmission]] = {}
    for learner, items in groups.items():
        homes = sorted({item.home for item in items if item.home})
        if len(homes) > 1:
            why = f"answers for {shown(learner, 80)!r} are in {len(homes)} homes ({shown(', '.join(homes), 160)})"
        elif learner == DEFAULT_LEARNER and not homes and len(items) > 1:
            why = (f"{len(items)} files carry the default learner id {DEFAULT_LEARNER!r} and no home names them, "
                   "so they cannot be told apart")
        else:
            kept.setdefault(learner, []).extend(items)
            continue
        for item in items:
            name = f"{learner} ({item.home or item.label})"
            kept.setdefault(name, []).append(item)
            problems.append(Problem(item.label, "conflict", f"{why}; this one is kept apart as {shown(name, 160)!r}. "
                                                            "Give each learner their own learner_id (or their own "
                                                            "home) and collect again"))
    return kept


def _keep_latest(groups: dict[Any, list[Any]], problems: list[Problem]) -> dict[Any, Any]:
    kept = {}
    for key, items in groups.items():
        ordered = sorted(items, key=_newest)
        kept[key] = ordered[-1]
        for older in ordered[:-1]:
            who = key if isinstance(key, str) else f"{key[0]}, lesson {key[1]}"
            problems.append(Problem(older.label, "duplicate", f"an older submission for {shown(who, 80)}; the latest "
                                                              f"is used ({shown(ordered[-1].label, 120)})"))
    return kept


def _mark_late(result: Collected, course: Course, due: dt.datetime | None) -> None:
    """Lessons whose answers changed after their deadline: --due, else the learner's own notebook's due_date,
    else the due_date most notebooks of that lesson carry."""
    class_due: dict[str, dt.date] = {}
    for lesson in course.lessons():
        dates = Counter(nb.due for (_, lesson_id), nb in result.notebooks.items() if lesson_id == lesson.id and nb.due)
        if dates:
            class_due[lesson.id] = dates.most_common(1)[0][0]
        if due is not None:
            result.deadlines[lesson.id] = due
        elif lesson.id in class_due:
            result.deadlines[lesson.id] = end_of(class_due[lesson.id])
    for learner, submission in result.answers.items():
        for lesson in course.lessons():
            own = result.notebooks.get((learner, lesson.id))
            deadline = due or (end_of(own.due) if own and own.due else result.deadlines.get(lesson.id))
            times = record_times(submission.doc, lesson.id)
            if deadline is not None and times and max(times) > deadline:
                result.late.append(Late(learner, lesson.id, max(times), deadline))
                result.problems.append(Problem(submission.label, "late", _late_words(lesson.id, max(times), deadline)))


def _class_required(result: Collected, course: Course) -> None:
    for lesson in course.lessons():
        found = Counter(nb.required for (_, lesson_id), nb in result.notebooks.items()
                        if lesson_id == lesson.id and nb.required)
        if found:
            result.required[lesson.id] = found.most_common(1)[0][0]


def _late_words(lesson: str, changed: dt.datetime, deadline: dt.datetime) -> str:
    hours = (changed - deadline).total_seconds() / 3600
    after = f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"
    return f"lesson {lesson[:2]} was last changed {changed:%Y-%m-%d %H:%M} UTC, {after} after its deadline " \
           f"({deadline:%Y-%m-%d %H:%M} UTC)"
