"""`lessonkit lab` copies the course's lessons into a learner's folder and later updates them, never writing
over a lesson the learner changed. The slow end-to-end check (a wheel in a fresh environment) is in
tests/test_first_run.py; these run the copy step on scratch folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit.cli import main
from lessonkit.errors import LessonkitError
from lessonkit.labcopy import MANIFEST, OUTCOMES, copy_lessons, decide, default_folder, fingerprint

from .conftest import NOTEBOOKS


def names(course) -> list[str]:
    return [lesson.notebook for lesson in course.lessons()]


def outcomes(results) -> dict[str, str]:
    return {r.name: r.outcome for r in results}


def add_cell(path: Path, text: str, cell_type: str = "markdown") -> None:
    """Change what a notebook says: one more cell at the end."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": cell_type, "metadata": {}, "source": text,
                        **({"outputs": [], "execution_count": None} if cell_type == "code" else {})})
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def run_it(path: Path) -> None:
    """What running a lesson and saving does to its file: outputs and execution counts, no change to its cells' text."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell to run"
    for number, cell in enumerate(code, 1):
        cell["execution_count"] = number
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "Ready.\n"}]
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def test_outcome_follows_the_three_fingerprints():
    """Missing files are written, the learner's changes are kept, untouched lessons take the course's version."""
    assert decide("new", None, None) == "added"
    assert decide("new", "old", None) == "restored"
    assert decide("new", "old", "new") == "unchanged"
    assert decide("new", "old", "old") == "updated"
    assert decide("new", "old", "theirs") == "kept"
    assert decide("same", None, "theirs") == "kept"  # a file of that name that was never ours
    assert {outcome for outcome, o in OUTCOMES.items() if o.writes} == {"added", "restored", "updated"}


def test_a_notebook_is_compared_by_what_it_says_not_its_outputs(tmp_path: Path):
    lesson = tmp_path / "01.ipynb"
    lesson.write_bytes((NOTEBOOKS / "01-music-producer.ipynb").read_bytes())
    before = fingerprint(lesson.read_bytes())
    run_it(lesson)
    assert fingerprint(lesson.read_bytes()) == before
    add_cell(lesson, "My own note.")
    assert fingerprint(lesson.read_bytes()) != before
    assert fingerprint(b"not a notebook") != fingerprint(b"not a notebook!")


def test_first_run_writes_every_lesson_as_the_course_has_it(course, tmp_path: Path):
    folder = tmp_path / "my lessons"
    results, notes = copy_lessons(course, folder)
    assert outcomes(results) == {name: "added" for name in names(course)} and not notes
    for name in names(course):
        assert (folder / name).read_bytes() == (NOTEBOOKS / name).read_bytes()
    recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert recorded["course"] == course.id
    assert recorded["lessons"] == {name: fingerprint((NOTEBOOKS / name).read_bytes()) for name in names(course)}
    again, _ = copy_lessons(course, folder)
    assert outcomes(again) == {name: "unchanged" for name in names(course)}


def test_an_upgrade_updates_untouched_lessons_and_keeps_the_learners(course, tmp_path: Path, notebooks_copy: Path):
    """After an upgrade: a lesson only run is updated, a lesson the learner edited is kept byte for byte and said
    so, a deleted one is put back, and one the earlier version never had is added."""
    first, second, third, fourth = names(course)
    folder = tmp_path / "lessons"
    copy_lessons(course, folder, source=notebooks_copy)
    run_it(folder / first)
    add_cell(folder / second, "My notes on the pay paths.")
    learners = (folder / second).read_bytes()
    (folder / third).unlink()
    record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    del record["lessons"][fourth]  # as if the earlier version had no such lesson
    (folder / MANIFEST).write_text(json.dumps(record), encoding="utf-8")
    (folder / fourth).unlink()
    for name in (first, second):  # the course's new version changes both
        add_cell(notebooks_copy / name, "New in this version.")

    results, notes = copy_lessons(course, folder, source=notebooks_copy)
    assert outcomes(results) == {first: "updated", second: "kept", third: "restored", fourth: "added"} and not notes
    assert (folder / first).read_bytes() == (notebooks_copy / first).read_bytes()
    assert (folder / second).read_bytes() == learners
    kept = [r.message for r in results if r.outcome == "kept"]
    assert len(kept) == 1 and second in kept[0] and "Kept" in kept[0]
    # the learner's copy stays theirs on every later run, and the record still holds what was written before
    again, _ = copy_lessons(course, folder, source=notebooks_copy)
    assert outcomes(again)[second] == "kept" and (folder / second).read_bytes() == learners


def test_an_unreadable_record_keeps_every_lesson_that_differs(course, tmp_path: Path):
    first, second, *_ = names(course)
    folder = tmp_path / "lessons"
    copy_lessons(course, folder)
    add_cell(folder / second, "Mine.")
    (folder / MANIFEST).write_text("{not json", encoding="utf-8")
    results, notes = copy_lessons(course, folder)
    assert outcomes(results)[first] == "unchanged" and outcomes(results)[second] == "kept"
    assert len(notes) == 1 and MANIFEST in notes[0]
    assert "Mine." in (folder / second).read_text(encoding="utf-8")


def test_a_file_in_place_of_the_folder_is_refused_with_a_message(course, tmp_path: Path):
    target = tmp_path / "lessons"
    target.write_text("a learner's file", encoding="utf-8")
    with pytest.raises(LessonkitError, match="is a file; expected a folder"):
        copy_lessons(course, target)
    assert target.read_text(encoding="utf-8") == "a learner's file"


def test_the_default_folder_is_in_the_learners_home_named_after_the_course(course, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert default_folder(course) == tmp_path / course.id


def test_the_command_says_what_it_did_and_never_shows_a_traceback(course, tmp_path: Path, capsys):
    folder = tmp_path / "lessons"
    assert main(["lab", "--dir", str(folder), "--no-server"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == [f"Added {name}" for name in names(course)]
    assert out[-1] == f"Your lessons are in {folder.resolve()} ({len(names(course))} added)."
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert main(["lab", "--dir", str(tmp_path / "a-file"), "--no-server"]) == 1
    captured = capsys.readouterr()
    assert "is a file; expected a folder" in captured.err and "Traceback" not in captured.err + captured.out
