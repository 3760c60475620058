"""Write the course's lessons into a learner's own folder, and bring them up to date later.

A lesson the learner has changed is never written over. The folder keeps a small record
(``.lessonkit-lessons.json``) of what was written there last time, so a later run can tell a
lesson the learner left alone (updated to the course's new version) from one they changed
(kept, and said so). Only what a learner writes counts as a change: running a lesson saves its
outputs into the notebook, and those are not the learner's work (their answers live in the
answers file), so a notebook is compared by its cells' text, never its outputs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_atomic
from .content import Course
from .errors import LessonkitError
from .locate import find_notebooks_dir

MANIFEST = ".lessonkit-lessons.json"
MANIFEST_FORMAT = 1


def default_folder(course: Course) -> Path:
    """Where the lessons go when no folder is named: a folder in the learner's home named after the course."""
    return Path.home() / course.id


def fingerprint(data: bytes) -> str:
    """What a lesson says, as a hash: a notebook's cells (kind and text) without outputs, counts or metadata.

    A file that is not a readable notebook is hashed whole, so any change to it counts.
    """
    try:
        cells = json.loads(data.decode("utf-8"))["cells"]
        text = [[cell["cell_type"], "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]]
                for cell in cells]
    except (ValueError, KeyError, TypeError, AttributeError):
        return "file:" + hashlib.sha256(data).hexdigest()
    return "cells:" + hashlib.sha256(json.dumps(text, ensure_ascii=False).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- what to do with each lesson
@dataclass(frozen=True)
class Outcome:
    """One thing a run can do to a lesson: whether it writes the course's version, and how it says so."""

    writes: bool
    message: Callable[[str], str] | None  # None: nothing worth saying


OUTCOMES: dict[str, Outcome] = {
    "added": Outcome(True, lambda name: f"Added {name}"),
    "restored": Outcome(True, lambda name: f"Put back {name} (it was missing)"),
    "updated": Outcome(True, lambda name: f"Updated {name} to the course's new version"),
    "unchanged": Outcome(False, None),
    "kept": Outcome(False, lambda name: f"Kept {name} as you changed it; the course's version was not written over "
                                        "it (rename your copy and run this again to get the course's version too)"),
}


def decide(shipped: str, recorded: str | None, current: str | None) -> str:
    """The outcome for one lesson, from three fingerprints: the course's version, the one written there last
    time (None if never), and what is in the learner's folder now (None if no file)."""
    if current is None:
        return "added" if recorded is None else "restored"
    if current == shipped:
        return "unchanged"
    if current == recorded:
        return "updated"
    return "kept"


@dataclass(frozen=True)
class Result:
    name: str
    outcome: str

    @property
    def message(self) -> str | None:
        say = OUTCOMES[self.outcome].message
        return say(self.name) if say else None


# ---------------------------------------------------------------- the folder
def _read_manifest(folder: Path) -> tuple[dict[str, str], str | None]:
    """The fingerprints written last time, and a note if the record was there but could not be read."""
    path = folder / MANIFEST
    if not path.exists():
        return {}, None
    try:
        lessons = json.loads(path.read_text(encoding="utf-8"))["lessons"]
        if isinstance(lessons, dict) and all(isinstance(v, str) for v in lessons.values()):
            return dict(lessons), None
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {}, (f"The record of earlier copies ({MANIFEST}) could not be read, so every lesson that differs "
                "from the course's version is kept as it is.")


def _prepare(folder: Path) -> Path:
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise LessonkitError(f"{str(folder)!r} is a file; expected a folder for the lessons (it is made if missing).")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LessonkitError(f"The folder {str(folder)!r} cannot be made ({error.strerror or error}); "
                             "expected a folder you can write to, given with --dir.") from None
    return folder.resolve()


def copy_lessons(course: Course, folder: Path, source: Path | None = None) -> tuple[list[Result], list[str]]:
    """Write the course's lessons into ``folder`` (made if missing); returns what happened to each lesson, in
    course order, and any notes. ``source`` is the folder of the course's notebooks (default: the course's own)."""
    source = source or find_notebooks_dir()
    folder = _prepare(folder)
    recorded, note = _read_manifest(folder)
    written = dict(recorded)
    results = []
    for lesson in course.lessons():
        name = lesson.notebook
        try:
            shipped_bytes = (source / name).read_bytes()
        except OSError as error:
            raise LessonkitError(f"The course's lesson {name} cannot be read from {source} "
                                 f"({error.strerror or error}); reinstall the course.") from None
        target = folder / name
        current = fingerprint(target.read_bytes()) if target.is_file() else None
        if target.exists() and not target.is_file():
            current = "not a file"  # a folder in its place is the learner's: keep it
        shipped = fingerprint(shipped_bytes)
        outcome = decide(shipped, recorded.get(name), current)
        if OUTCOMES[outcome].writes:
            try:
                write_atomic(target, shipped_bytes)
            except OSError as error:
                raise LessonkitError(f"{target} cannot be written ({error.strerror or error}); nothing of yours "
                                     "was changed. Expected a folder you can write to, given with --dir.") from None
        if outcome != "kept":
            written[name] = shipped
        results.append(Result(name, outcome))
    record = {"format": MANIFEST_FORMAT, "course": course.id, "lessons": written}
    write_atomic(folder / MANIFEST, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return results, [note] if note else []


def summary(folder: Path, results: list[Result]) -> str:
    """One closing line: where the lessons are and how many of each outcome."""
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in OUTCOMES}
    said = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
    return f"Your lessons are in {folder.expanduser().resolve()} ({said})."
