"""Gathering submissions: files, folders and zips are read within limits, nothing runs, the latest per learner is kept,
and every file set aside, duplicate or late lesson is listed while the rest go on."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lessonkit.content import load_course
from lessonkit.teacher import collect as C
from lessonkit.teacher import unpack as U
from lessonkit.teacher.files import progress

from .teacher_builders import L01, L02, answers_doc, handed_in_notebook, write_json, zip_bytes

SUBMISSIONS = Path(__file__).parent / "fixtures" / "teacher" / "submissions"
LESSONKIT = shutil.which("lessonkit") or str(Path(sys.executable).with_name("lessonkit"))


@pytest.fixture(scope="module")
def course():
    return load_course()


def kinds(result: C.Collected) -> dict[str, str]:
    """Each problem's kind by the last part of its label."""
    return {p.label.replace(" › ", "/").rsplit("/", 1)[-1]: p.kind for p in result.problems}


def message(result: C.Collected, name: str) -> str:
    return next(p.message for p in result.problems if p.label.endswith(name))


# ---------------------------------------------------------------- answers files
def test_answers_files_become_one_submission_per_learner(course, tmp_path: Path):
    """Each answers file is read as its learner's submission, with the time of its last change."""
    write_json(tmp_path / "ada.json", answers_doc("ada", day=12))
    write_json(tmp_path / "sub" / "grace.json", answers_doc("grace", day=13))
    result = C.collect([tmp_path], course, quiet=True)
    assert sorted(result.answers) == ["ada", "grace"] and result.problems == [] and result.files == 2
    assert result.answers["ada"].last_change == dt.datetime(2026, 11, 12, 12, tzinfo=dt.timezone.utc)


def test_the_latest_submission_is_kept_and_older_ones_listed(course, tmp_path: Path):
    """Of three files from one learner, the one changed last is used; the others are listed as duplicates."""
    for day in (10, 14, 12):
        write_json(tmp_path / f"ada-{day}.json", answers_doc("ada", day=day, reflection=f"day {day}"))
    result = C.collect([tmp_path], course, quiet=True)
    assert result.answers["ada"].label.endswith("ada-14.json")
    assert kinds(result) == {"ada-10.json": "duplicate", "ada-12.json": "duplicate"}
    assert "the latest is used" in message(result, "ada-10.json")


@pytest.mark.parametrize(("fixture", "expected"), [
    ("not-answers.json", "it is not a lessonkit answers file"),
    ("truncated.json", "is not readable JSON"),
    ("wrong-course.json", "another course ('intro-to-baking'"),
    ("newer-version.json", "written by a newer lessonkit"),
])
def test_files_that_are_not_usable_answers_are_listed_and_the_rest_read(course, tmp_path: Path, fixture, expected):
    """A broken or foreign file is listed as malformed with the reason; a good file beside it is still read."""
    shutil.copy(SUBMISSIONS / fixture, tmp_path / fixture)
    write_json(tmp_path / "grace.json", answers_doc("grace"))
    result = C.collect([tmp_path], course, quiet=True)
    assert list(result.answers) == ["grace"]
    assert kinds(result) == {fixture: "malformed"} and expected in message(result, fixture)


def test_binary_junk_and_deep_nesting_are_refused_per_file(course, tmp_path: Path):
    """Random bytes named .json, JSON nested thousands deep, and answers nested too deeply are each set aside."""
    (tmp_path / "junk.json").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    nested: object = "x"
    for _ in range(40):
        nested = [nested]
    write_json(tmp_path / "nested.json", answers_doc("nested", extra={f"{L02}/patterns": nested}))
    write_json(tmp_path / "grace.json", answers_doc("grace"))
    result = C.collect([tmp_path], course, quiet=True)
    assert list(result.answers) == ["grace"]
    assert "not text" in message(result, "junk.json")
    assert "nests too deeply" in message(result, "deep.json")
    assert "nest more than 32 levels" in message(result, "nested.json")


def test_an_oversized_file_is_refused_without_being_read(course, tmp_path: Path):
    """A .json over the answers file limit is refused by its size alone."""
    with open(tmp_path / "huge.json", "wb") as handle:
        handle.truncate(U.MAX_ANSWERS_BYTES + 1)
    result = C.collect([tmp_path], course, quiet=True)
    assert kinds(result) == {"huge.json": "refused"} and "at most 5 MB" in message(result, "huge.json")


def test_other_files_links_and_missing_paths_are_reported(course, tmp_path: Path):
    """A PDF is ignored with a note, a link is not followed, a missing path is named; hidden files pass silently."""
    (tmp_path / "essay.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    write_json(tmp_path / ".ipynb_checkpoints" / "ada-checkpoint.json", answers_doc("ada"))
    (tmp_path / "link.json").symlink_to("/etc/hostname")
    result = C.collect([tmp_path, tmp_path / "nope"], course, quiet=True)
    assert kinds(result) == {"essay.pdf": "ignored", "link.json": "refused", "nope": "unreadable"}
    assert result.answers == {}


def test_a_linked_folder_is_reported_not_skipped_silently(course, tmp_path: Path):
    """A folder that is a link is not followed, and the report names it like a linked file."""
    write_json(tmp_path / "elsewhere" / "grace.json", answers_doc("grace"))
    (tmp_path / "class").mkdir()
    write_json(tmp_path / "class" / "ada.json", answers_doc("ada"))
    (tmp_path / "class" / "grace-home").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = C.collect([tmp_path / "class"], course, quiet=True)
    assert list(result.answers) == ["ada"] and kinds(result) == {"grace-home": "refused"}
    assert "link to a folder" in message(result, "grace-home")


def test_folders_nested_too_deep_are_not_searched(course, tmp_path: Path, monkeypatch):
    """Below the folder depth limit nothing is read, and the report says so."""
    monkeypatch.setattr(U, "MAX_DIR_DEPTH", 2)
    write_json(tmp_path / "a" / "ada.json", answers_doc("ada"))
    write_json(tmp_path / "a" / "b" / "c" / "grace.json", answers_doc("grace"))
    result = C.collect([tmp_path], course, quiet=True)
    assert list(result.answers) == ["ada"] and "nested deeper than 2 levels" in str(result.problems[0])


# ---------------------------------------------------------------- zips
def test_zips_and_zips_inside_zips_are_read_without_extracting(course, tmp_path: Path):
    """An LMS download (a zip of folders, one holding another zip) gives every learner's answers; nothing lands on disk."""
    inner = zip_bytes({"grace.json": json.dumps(answers_doc("grace")).encode()})
    (tmp_path / "lms.zip").write_bytes(zip_bytes({
        "Ada Lovelace_123/ada.json": json.dumps(answers_doc("ada")).encode(),
        "Grace Hopper_456/upload.zip": inner,
        "__MACOSX/._ada.json": b"\x00\x05\x16\x07",
        "readme.txt": b"hello"}))
    before = sorted(tmp_path.rglob("*"))
    result = C.collect([tmp_path / "lms.zip"], course, quiet=True)
    assert sorted(result.answers) == ["ada", "grace"] and kinds(result) == {"readme.txt": "ignored"}
    assert "lms.zip › Grace Hopper_456/upload.zip › grace.json" in result.answers["grace"].label
    assert sorted(tmp_path.rglob("*")) == before


def test_path_traversal_absolute_and_link_members_are_refused(course, tmp_path: Path):
    """Members named ../x, /x, C:x or with backslashes, and symlink members, are refused by name; the rest are read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        doc = json.dumps(answers_doc("ada")).encode()
        for name in ("../../evil.json", "ok/../../evil2.json", "C:/evil3.json", "dir\\evil4.json"):
            archive.writestr(zipfile.ZipInfo(name), doc)
        absolute = zipfile.ZipInfo("placeholder.json")
        absolute.filename = "/etc/evil5.json"
        archive.writestr(absolute, doc)
        link = zipfile.ZipInfo("link.json")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("grace.json", json.dumps(answers_doc("grace")).encode())
    (tmp_path / "class.zip").write_bytes(buffer.getvalue())
    result = C.collect([tmp_path / "class.zip"], course, quiet=True)
    assert list(result.answers) == ["grace"]
    refused = [p for p in result.problems if p.kind == "refused"]
    assert len(refused) == 6
    assert any("climbs out of the zip" in p.message for p in refused)
    assert any("absolute path" in p.message for p in refused) and any("link" in p.message for p in refused)
    assert not (tmp_path.parent / "evil.json").exists()


def test_zip_bombs_are_refused_by_ratio_total_size_member_count_and_depth(course, tmp_path: Path, monkeypatch):
    """A member that unpacks more than 100 times its packed size, a zip over its total budget, too many members
    and zips nested too deep are each refused with a message, and collect goes on."""
    (tmp_path / "ratio.zip").write_bytes(zip_bytes({"bomb.json": b"0" * 20_000_000}))
    nested = zip_bytes({"ada.json": json.dumps(answers_doc("ada")).encode()})
    for _ in range(3):
        nested = zip_bytes({"deeper.zip": nested})
    (tmp_path / "deep.zip").write_bytes(nested)
    result = C.collect([tmp_path / "ratio.zip", tmp_path / "deep.zip"], course, quiet=True)
    assert "a zip bomb?" in message(result, "bomb.json")
    assert "nested more than 3 deep" in message(result, "deeper.zip")
    assert result.answers == {}

    monkeypatch.setattr(U, "MAX_ZIP_MEMBERS", 5)
    monkeypatch.setattr(U, "MAX_UNPACKED_BYTES", 3_000)
    (tmp_path / "many.zip").write_bytes(zip_bytes({f"f{i}.json": b"{}" for i in range(6)}))
    (tmp_path / "big.zip").write_bytes(zip_bytes({f"{n}.json": json.dumps(answers_doc(n)).encode()
                                                  for n in ("ada", "grace", "kj")}))
    result = C.collect([tmp_path / "many.zip", tmp_path / "big.zip"], course, quiet=True)
    assert "holds 6 files; a zip may hold at most 5" in message(result, "many.zip")
    assert any("MB allowed for one zip in all" in p.message for p in result.problems)
    assert len(result.answers) < 3


def test_a_damaged_zip_is_listed_and_collect_goes_on(course, tmp_path: Path):
    """A file named .zip that is not one, or is cut short, is malformed; the other paths are still read."""
    (tmp_path / "fake.zip").write_bytes(b"not a zip at all")
    (tmp_path / "cut.zip").write_bytes(zip_bytes({"ada.json": json.dumps(answers_doc("ada")).encode()})[:60])
    write_json(tmp_path / "grace.json", answers_doc("grace"))
    result = C.collect([tmp_path], course, quiet=True)
    assert list(result.answers) == ["grace"]
    assert kinds(result)["fake.zip"] == "malformed" and kinds(result)["cut.zip"] == "malformed"


# ---------------------------------------------------------------- notebooks
def test_handed_in_notebooks_give_lesson_learner_and_due_date(course, tmp_path: Path):
    """A notebook from assign names its lesson and learner in metadata; the due date comes with it."""
    write_json(tmp_path / "ada" / "02.ipynb", handed_in_notebook("ada", L02, due="2026-11-15"))
    result = C.collect([tmp_path], course, quiet=True)
    record = result.notebooks[("ada", L02)]
    assert record.due == dt.date(2026, 11, 15) and record.params["learner_id"] == "ada"


def test_a_notebook_is_read_without_running_any_of_it(course, tmp_path: Path, monkeypatch):
    """Without papermill's metadata, only literal assignments of the parameter cells are read; code never runs."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SUBMISSIONS / "notebook-injected-cell-only.ipynb", tmp_path / "submitted.ipynb")
    result = C.collect([tmp_path / "submitted.ipynb"], course, quiet=True)
    assert result.notebooks[("ada", L02)].params == {"learner_id": "ada", "due_date": "2026-11-15"}
    assert not list(tmp_path.glob("PWNED*"))


def test_a_notebook_without_a_learner_id_or_lesson_is_listed(course, tmp_path: Path):
    """A notebook not handed out with assign, or not a lesson of this course, is malformed with the reason."""
    shutil.copy(SUBMISSIONS / "notebook-without-learner-id.ipynb", tmp_path / "a.ipynb")
    write_json(tmp_path / "b.ipynb", {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []})
    write_json(tmp_path / "c.ipynb", {"cells": "nope"})
    result = C.collect([tmp_path], course, quiet=True)
    assert "has no learner id" in message(result, "a.ipynb")
    assert "not one of this course's lessons" in message(result, "b.ipynb")
    assert "not a Jupyter notebook" in message(result, "c.ipynb")


# ---------------------------------------------------------------- late work
def test_lessons_changed_after_due_are_late(course, tmp_path: Path):
    """With --due, a lesson whose answers changed after the end of the due day is late; earlier work is not."""
    write_json(tmp_path / "ada.json", answers_doc("ada", day=20))
    write_json(tmp_path / "grace.json", answers_doc("grace", day=5))
    result = C.collect([tmp_path], course, due=C.parse_deadline("2026-11-15T00:00+00:00"), quiet=True)
    assert [(late.learner, late.lesson) for late in result.late] == [("ada", L01), ("ada", L02)]
    assert "days after its deadline" in message(result, "ada.json")


def test_the_due_date_comes_from_the_notebooks_when_not_given(course, tmp_path: Path):
    """Without --due, a learner's own notebook sets their deadline (an extension), else the class's usual due_date."""
    write_json(tmp_path / "ada.json", answers_doc("ada", day=20))
    write_json(tmp_path / "grace.json", answers_doc("grace", day=20))
    write_json(tmp_path / "ada.ipynb", handed_in_notebook("ada", L02, due="2026-11-10"))
    write_json(tmp_path / "kj.ipynb", handed_in_notebook("kj", L02, due="2026-11-10"))
    write_json(tmp_path / "grace.ipynb", handed_in_notebook("grace", L02, due="2026-11-25"))
    result = C.collect([tmp_path], course, quiet=True)
    assert [(late.learner, late.lesson) for late in result.late] == [("ada", L02)]
    assert L01 not in result.deadlines and L02 in result.deadlines


def test_a_deadline_that_is_not_a_date_is_explained():
    """--due accepts YYYY-MM-DD or a date and time, and anything else gets a message."""
    assert C.parse_deadline("2026-11-15T17:00+01:00") == dt.datetime(2026, 11, 15, 16, tzinfo=dt.timezone.utc)
    with pytest.raises(C.LessonkitError, match="YYYY-MM-DD"):
        C.parse_deadline("next friday")


def test_the_default_learner_id_gets_a_notice(course, tmp_path: Path):
    """Answers saved under the default id 'learner' are flagged: several learners may hide behind it."""
    write_json(tmp_path / "learner.json", answers_doc("learner"))
    result = C.collect([tmp_path], course, quiet=True)
    assert kinds(result) == {"learner.json": "notice"} and "default learner id" in str(result.problems[0])


# ---------------------------------------------------------------- a folder of learners' homes (a hub's /home)
def home_answers(homes: Path, home: str, learner: str, **kw) -> Path:
    path = homes / home / ".lessonkit" / "answers" / f"{learner}.json"
    write_json(path, answers_doc(learner, **kw))
    return path


def test_a_folder_of_homes_names_each_learner_from_their_home(course, tmp_path: Path):
    """Every home's hidden ~/.lessonkit/answers is searched; a file with only the default id is named after its home,
    a file with its own id keeps it, and no one is merged into anyone else."""
    home_answers(tmp_path, "ada", "learner", reflection="Ada's words")
    home_answers(tmp_path, "bo", "learner", reflection="Bo's words")
    home_answers(tmp_path, "cy", "cy-smith")
    write_json(tmp_path / "dee" / ".local" / "share" / "stray.json", {"not": "answers"})  # other hidden folders
    (tmp_path / "ada" / "course" / "data").mkdir(parents=True)  # the course nbgitpuller copied: not listed
    (tmp_path / "ada" / "course" / "data" / "course.yaml").write_text("id: x\n", encoding="utf-8")
    result = C.collect([tmp_path], course, quiet=True)
    assert sorted(result.answers) == ["ada", "bo", "cy-smith"]
    assert result.problems == [] and result.files == 3
    assert result.answers["bo"].doc.lesson_value(L02, "reflection") == "Bo's words"
    single = C.collect([tmp_path / "ada"], course, quiet=True)  # one home given on its own
    assert list(single.answers) == ["ada"] and single.problems == []


def test_one_id_in_two_homes_is_a_conflict_never_a_duplicate(course, tmp_path: Path):
    home_answers(tmp_path, "ada", "sam", day=10)
    home_answers(tmp_path, "bo", "sam", day=12)
    result = C.collect([tmp_path], course, quiet=True)
    assert sorted(result.answers) == ["sam (ada)", "sam (bo)"]
    assert [p.kind for p in result.problems] == ["conflict", "conflict"]
    assert "in 2 homes (ada, bo)" in result.problems[0].message


def test_default_id_files_with_no_home_cannot_be_told_apart(course, tmp_path: Path):
    """Several handed-in files that carry only 'learner' are each kept apart and reported, and the command fails."""
    for who in ("one", "two", "three"):
        write_json(tmp_path / who / "learner.json", answers_doc("learner", reflection=who))
    result = C.collect([tmp_path], course, quiet=True)
    assert len(result.answers) == 3 and all(name.startswith("learner (") for name in result.answers)
    assert {p.kind for p in result.problems} == {"conflict"} and "cannot be told apart" in result.problems[0].message
    run = cli("collect", str(tmp_path), "--out", str(tmp_path / "report"), "--quiet")
    assert run.returncode == 1 and "could not be told apart" in run.stderr and "conflict:" in run.stdout


def test_the_command_reports_every_home(course, tmp_path: Path):
    home_answers(tmp_path / "homes", "ada", "learner")
    home_answers(tmp_path / "homes", "bo", "learner")
    run = cli("collect", str(tmp_path / "homes"), "--out", str(tmp_path / "report"))
    assert run.returncode == 0, run.stderr
    assert "answers from 2 learners" in run.stdout
    table = (tmp_path / "report" / "class-report.csv").read_text(encoding="utf-8")
    assert "ada" in table and "bo" in table


# ---------------------------------------------------------------- the command and its progress bar
def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LESSONKIT, *args], capture_output=True, text=True, timeout=180)


def test_the_command_writes_both_reports_and_lists_problems(tmp_path: Path):
    """lessonkit collect lists every problem, writes the CSV and the page, and exits 0 without a traceback."""
    write_json(tmp_path / "in" / "ada.json", answers_doc("ada"))
    shutil.copy(SUBMISSIONS / "truncated.json", tmp_path / "in" / "truncated.json")
    result = cli("collect", str(tmp_path / "in"), str(tmp_path / "missing"), "--out", str(tmp_path / "report"),
                 "--due", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert "malformed:" in result.stdout and "unreadable:" in result.stdout and "answers from 1 learners" in result.stdout
    assert (tmp_path / "report" / "class-report.csv").is_file() and (tmp_path / "report" / "class-report.html").is_file()
    assert "Traceback" not in result.stderr and result.stderr == ""


def test_the_command_with_nothing_to_read_exits_1(tmp_path: Path):
    """With no usable file and no class list, collect says there was nothing to collect."""
    result = cli("collect", str(tmp_path), "--out", str(tmp_path / "report"), "--due", "someday")
    assert result.returncode == 1 and "--due 'someday'" in result.stderr and "Traceback" not in result.stderr
    result = cli("collect", str(tmp_path), "--out", str(tmp_path / "report"))
    assert result.returncode == 1 and "Nothing to collect" in result.stderr


def test_the_progress_bar_shows_only_on_a_terminal(capsys, monkeypatch):
    """Progress goes to stderr on a terminal; piped output and --quiet stay silent."""
    assert list(progress(range(3), total=3, label="collect")) == [0, 1, 2]
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    list(progress(range(3), total=3, label="collect", quiet=True))
    assert capsys.readouterr().err == ""
    list(progress(range(3), total=3, label="collect"))
    assert "collect" in capsys.readouterr().err


def test_required_prompts_come_from_each_notebook_else_the_class(course, tmp_path: Path):
    """A handed-in notebook's required_prompts is read as ids (blanks dropped); a learner without a notebook of the
    lesson gets what most notebooks of that lesson carry, as for the due date."""
    write_json(tmp_path / "ada.ipynb", handed_in_notebook("ada", L02, params={"required_prompts": "patterns, ,own-capacities"}))
    write_json(tmp_path / "kj.ipynb", handed_in_notebook("kj", L02, params={"required_prompts": "patterns,own-capacities"}))
    write_json(tmp_path / "grace.ipynb", handed_in_notebook("grace", L02, metadata=False,
                                                          params={"required_prompts": "patterns"}))
    result = C.collect([tmp_path], course, quiet=True)
    assert result.notebooks[("ada", L02)].required == ("patterns", "own-capacities")
    assert result.notebooks[("grace", L02)].required == ("patterns",)  # read from the injected cell alone
    assert result.required == {L02: ("patterns", "own-capacities")}
    assert result.required_for("grace", L02) == ("patterns",)
    assert result.required_for("someone", L02) == ("patterns", "own-capacities")
    assert result.required_for("ada", L01) == ()
