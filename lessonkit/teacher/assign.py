"""Hand lessons out: one copy of each lesson per learner, with its parameters set and nothing executed.

Each copy goes through a short chain of ``notebook -> notebook`` steps, in this order:
copy the lesson (so the loaded lesson is never changed), inject the parameters with
papermill (``parameterize_notebook``: a hidden cell after the ``parameters`` cell, the
values recorded in ``metadata.papermill``), then name the lesson in ``metadata.lessonkit``
so ``collect`` can tell which lesson a handed-in notebook is.

Everything is written inside the output folder: ``<learner id>/<lesson notebook>``, a
``manifest.csv`` (id, name, email, files) and, on request, one zip for the whole class.
"""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from ..errors import LessonkitError
from .files import csv_bytes, inside, progress, write_file
from .params import PER_LEARNER, LessonSpec
from .roster import Learner, Roster

MANIFEST = "manifest.csv"
MANIFEST_HEADER = ["learner_id", "name", "email", "files"]

Step = Callable[[NotebookNode], NotebookNode]


@dataclass(frozen=True)
class AssignResult:
    out: Path
    learners: int
    files: int
    manifest: Path
    zip: Path | None


# ---------------------------------------------------------------- notebook -> notebook steps
def load_lesson(spec: LessonSpec) -> NotebookNode:
    """The lesson notebook as papermill reads it (every cell gets a ``tags`` list, which papermill needs)."""
    from papermill.iorw import load_notebook_node

    try:
        return load_notebook_node(str(spec.path))
    except Exception as error:  # a damaged lesson notebook: say which one
        raise LessonkitError(f"The lesson notebook {spec.path} cannot be read ({error.__class__.__name__}).") from None


def copied(nb: NotebookNode) -> NotebookNode:
    """A copy that shares the (unchanged) cells and owns its metadata: cheap enough for 500 learners."""
    out = NotebookNode(dict(nb))
    out.cells = list(nb.cells)
    out.metadata = nbformat.from_dict(copy.deepcopy(dict(nb.metadata)))
    out.metadata.setdefault("papermill", NotebookNode())
    return out


def injected(parameters: dict[str, Any]) -> Step:
    """Papermill's own injection: a hidden cell tagged ``injected-parameters`` after the parameters cell."""
    from papermill.parameterize import parameterize_notebook

    def step(nb: NotebookNode) -> NotebookNode:
        nb = parameterize_notebook(nb, dict(parameters), report_mode=True)
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell["id"] = "injected-parameters"  # a fixed id: the same roster gives the same files
        return nb

    return step


def marked(lesson_id: str) -> Step:
    def step(nb: NotebookNode) -> NotebookNode:
        nb.metadata["lessonkit"] = NotebookNode({"lesson": lesson_id})
        return nb

    return step


def for_learner(lesson: NotebookNode, lesson_id: str, parameters: dict[str, Any]) -> NotebookNode:
    """One learner's copy of a lesson: copy, inject the parameters, name the lesson."""
    nb = lesson
    for step in (copied, injected(parameters), marked(lesson_id)):
        nb = step(nb)
    return nb


def notebook_bytes(nb: NotebookNode) -> bytes:
    # nbformat.writes would validate every copy; the first copy of each lesson is validated instead.
    return (nbformat.v4.nbjson.writes(nb) + "\n").encode("utf-8")


# ---------------------------------------------------------------- the whole class
def safe_stem(text: str, fallback: str = "class") -> str:
    """A file name stem from any text (a roster file name, say): ASCII letters, digits, dots and dashes."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-_")[:60]
    return stem or fallback


def assign(roster: Roster, specs: list[LessonSpec], params: dict[str, dict[str, Any]], out: str | Path, *,
           zip_name: str | None = None, quiet: bool = False) -> AssignResult:
    """Write every learner's copies, the manifest and (with ``zip_name``) the class zip into ``out``."""
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise LessonkitError(f"--out {root} is a file; give a folder (it is made if missing).")
    root.mkdir(parents=True, exist_ok=True)
    lessons = {spec.entry.id: load_lesson(spec) for spec in specs}
    zip_path = inside(root, f"{safe_stem(zip_name)}.zip") if zip_name is not None else None
    archive = zipfile.ZipFile(_partial(zip_path), "w", zipfile.ZIP_DEFLATED) if zip_path else None
    rows, count, validated = [], 0, set()
    jobs = [(learner, spec) for learner in roster.learners for spec in specs]
    try:
        files: dict[str, list[str]] = {}
        for learner, spec in progress(jobs, total=len(jobs), label="assign", quiet=quiet):
            nb = for_learner(lessons[spec.entry.id], spec.entry.id,
                             {**params.get(spec.entry.id, {}), PER_LEARNER: learner.id})
            if spec.entry.id not in validated:
                _validate(nb, spec)
                validated.add(spec.entry.id)
            folder = inside(root, learner.id)
            if folder.exists() and not folder.is_dir():  # a file of the same name in --out
                raise LessonkitError(f"{folder} is a file, so the copies of learner {learner.id!r} cannot go in a "
                                     "folder of that name; move the file or give that learner another id.")
            folder.mkdir(exist_ok=True)
            data = notebook_bytes(nb)
            write_file(inside(root, learner.id, spec.entry.notebook), data)
            if archive is not None:
                archive.writestr(f"{learner.id}/{spec.entry.notebook}", data)
            files.setdefault(learner.id, []).append(f"{learner.id}/{spec.entry.notebook}")
            count += 1
        for learner in roster.learners:
            rows.append(manifest_row(learner, files.get(learner.id, [])))
        manifest = inside(root, MANIFEST)
        write_file(manifest, csv_bytes(MANIFEST_HEADER, rows))
    except BaseException:
        if archive is not None:
            archive.close()
            _partial(zip_path).unlink(missing_ok=True)  # type: ignore[arg-type]
        raise
    if archive is not None and zip_path is not None:
        archive.close()
        _partial(zip_path).replace(zip_path)
    return AssignResult(root, len(roster.learners), count, manifest, zip_path)


def _partial(path: Path) -> Path:
    return inside(path.parent, path.name + ".partial")


def _validate(nb: NotebookNode, spec: LessonSpec) -> None:
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        raise LessonkitError(f"The copy of {spec.path.name} would not be a valid notebook ({error.message}); "
                             "nothing more was written.") from None


def manifest_row(learner: Learner, files: list[str]) -> list[object]:
    return [learner.id, learner.name, learner.email, "; ".join(files)]
