"""`lessonkit new career|lesson`: data files with TODOs that `check` names by file and field until filled, then a
lesson made by `sync` with no Python written. Always in a scratch copy of the course, never in data/."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from lessonkit import layouts

from .conftest import DATA, NOTEBOOKS
from .example_career import CAREER_ID, FIXTURE, TITLE, add_example_career, fill, lesson_entry, lessonkit, \
    new_lesson_id, scratch_course

PROBLEM = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+): (?P<field>[^:\s]+): (?P<message>.+)$")


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The example career added to a scratch course and made into a notebook: (course folder, lesson id)."""
    root = tmp_path_factory.mktemp("course")
    before = _fingerprint(DATA)
    _data, lesson_id = add_example_career(root)
    assert _fingerprint(DATA) == before, "lessonkit new wrote into the course's own data/"
    return root, lesson_id


def test_new_career_writes_every_file_its_template_needs_with_placeholders_check_names(tmp_path: Path):
    data = scratch_course(tmp_path)
    made = lessonkit("new", "career", CAREER_ID, "--title", TITLE, "--data", str(data))
    assert made.returncode == 0, made.stderr
    lesson_id = new_lesson_id(data)
    readings = layouts.reading_names(layouts.refs(layouts.template("career-card").blocks))
    assert readings and sorted(p.stem for p in (data / "readings" / lesson_id).glob("*.md")) == sorted(readings)
    assert lesson_entry(data, lesson_id)["uses"] == {"card": CAREER_ID}

    checked = lessonkit("check", str(data), "--notebooks", str(tmp_path / "notebooks"))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    problems = [PROBLEM.match(line) for line in checked.stdout.splitlines()]
    assert all(problems), f"every problem names its file, line and field:\n{checked.stdout}"
    by_file = {(m["file"], m["field"]) for m in problems}
    card = f"careers/{CAREER_ID}.yaml"
    # every figure and every section of the card needs a source id, and each one left is named
    for field in ("source", "work.source", "day.source", "signals.source", "start_here.source", "pay.salaried.source",
                  "pay.salaried.range_source", "pay.artist.source", "outlook.source", "pay.salaried.median",
                  "pay.artist.high_low", "work.activities.0.share"):
        assert (card, field) in by_file, field
    # the words the widgets speak of the career with: each left to write is named too
    for field in ("work.people", "work.later", "work.moves_from", "work.moves_to", "work.moves_from_kinds.0",
                  "work.moves_to_kinds.0", "pay.salaried.people",
                  "pay.artist.people"):
        assert (card, field) in by_file, field
    assert {file for file, _ in by_file} == {card, "course.yaml", f"prompts/{lesson_id}.yaml"}
    assert all("placeholder" in m["message"] or "TODO" in m["message"] for m in problems)


def test_a_reading_left_as_written_is_named_by_file_and_line(tmp_path: Path):
    data = scratch_course(tmp_path)
    assert lessonkit("new", "career", CAREER_ID, "--title", TITLE, "--data", str(data)).returncode == 0
    skeleton = (data / "readings" / new_lesson_id(data) / "shift.md").read_text(encoding="utf-8")
    lesson_id = fill(data)
    (data / "readings" / lesson_id / "shift.md").write_text(skeleton, encoding="utf-8")
    checked = lessonkit("check", str(data))
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert lines and all(line.startswith(f"readings/{lesson_id}/shift.md:") for line in lines)
    assert any("placeholder" in line for line in lines)


def test_a_filled_career_becomes_a_lesson_with_lesson_01s_cells(example: tuple[Path, str], course):
    root, lesson_id = example
    made = nbformat.read(root / "notebooks" / f"{lesson_id}.ipynb", as_version=4)
    model = next(lesson for lesson in course.lessons() if lesson.template == "career-card")
    shipped = nbformat.read(NOTEBOOKS / model.notebook, as_version=4)
    assert [(c.cell_type, c.id, c.metadata) for c in made.cells] == [(c.cell_type, c.id, c.metadata) for c in shipped.cells]
    for mine, theirs in zip(made.cells, shipped.cells):
        if mine.cell_type == "code":
            assert mine.source == theirs.source.replace(model.id, lesson_id)
    markdown = "\n".join(c.source for c in made.cells if c.cell_type == "markdown")
    card = yaml.safe_load((FIXTURE / "career.yaml").read_text())
    assert card["summary"].strip() in markdown and card["outlook"]["trend"] in markdown
    assert made.cells[0].source.startswith(f"# Lesson {int(lesson_id[:2]):02d} · {TITLE}")
    synced = lessonkit("sync", "--check", "--data", str(root / "data"), "--notebooks", str(root / "notebooks"))
    assert synced.returncode == 0, synced.stdout


def test_the_made_lesson_runs_top_to_bottom(example: tuple[Path, str], tmp_path: Path):
    """nbval runs every cell of the made notebook without an error, as `make test` does for the course's."""
    root, lesson_id = example
    env = {**os.environ, "LESSONKIT_ANSWERS": str(tmp_path / "answers")}
    env.pop("LESSONKIT_DATA", None)  # the lesson finds the scratch course's data/ beside its notebooks/
    ran = subprocess.run([sys.executable, "-m", "pytest", f"{lesson_id}.ipynb", "--nbval-lax", "--nbval-current-env",
                          "-q", "-p", "no:cacheprovider"], cwd=root / "notebooks", env=env, capture_output=True,
                         text=True, timeout=600)
    # the course's own data/ has no such lesson, so passing also shows it found the scratch course's content
    assert ran.returncode == 0 and " passed" in ran.stdout, ran.stdout[-3000:]


def test_new_honours_lessonkit_data_and_refuses_to_overwrite(tmp_path: Path):
    data = scratch_course(tmp_path)
    env = {**os.environ, "LESSONKIT_DATA": str(data)}
    first = subprocess.run([sys.executable, "-m", "lessonkit.cli", "new", "career", CAREER_ID, "--title", TITLE],
                           capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    assert (data / "careers" / f"{CAREER_ID}.yaml").is_file()
    before = _fingerprint(data)
    again = subprocess.run([sys.executable, "-m", "lessonkit.cli", "new", "career", CAREER_ID, "--title", TITLE],
                           capture_output=True, text=True, env=env, check=False)
    assert again.returncode == 1 and "already exists" in again.stderr and "nothing was written" in again.stderr
    assert "Traceback" not in again.stderr and _fingerprint(data) == before


@pytest.mark.parametrize("args, expected", [
    (["career", "Not An Id", "--title", "X"], "cannot be an id"),
    (["career", "fine-id", "--title", "  "], "--title is empty"),
    (["lesson", "fine-id", "--title", "X", "--module", "nowhere"], "'nowhere' is not a module"),
])
def test_new_refuses_bad_input_with_a_message_and_writes_nothing(tmp_path: Path, args: list[str], expected: str):
    data = scratch_course(tmp_path)
    before = _fingerprint(data)
    done = lessonkit("new", *args, "--data", str(data))
    assert done.returncode == 1 and expected in done.stderr and "Traceback" not in done.stderr
    assert _fingerprint(data) == before


def test_new_lesson_is_a_blocks_lesson_that_syncs_once_filled(tmp_path: Path):
    data = scratch_course(tmp_path)
    notebooks = tmp_path / "notebooks"
    assert lessonkit("new", "lesson", "example-lesson", "--title", "An Example Lesson", "--data", str(data)).returncode == 0
    lesson_id = next(p.name for p in (data / "readings").glob("*-example-lesson"))
    entry = lesson_entry(data, lesson_id)
    assert "blocks" in entry and "template" not in entry
    checked = lessonkit("check", str(data))
    assert checked.returncode == 1 and f"prompts/{lesson_id}.yaml" in checked.stdout
    assert all(PROBLEM.match(line) for line in checked.stdout.splitlines())

    text = (data / "course.yaml").read_text(encoding="utf-8")
    text = re.sub(r"minutes: TODO.*", "minutes: 5", text)
    text = text.replace("TODO the lesson in a sentence or two.", "An invented lesson for the tests.")
    text = text.replace("- TODO what learners will be able to do.", "- Open an invented lesson.")
    text = re.sub(r"based_on: \[TODO\].*", "based_on: [career-card]", text)
    (data / "course.yaml").write_text(text, encoding="utf-8")
    prompts = data / "prompts" / f"{lesson_id}.yaml"
    prompts.write_text(prompts.read_text(encoding="utf-8").replace("TODO", "Example"), encoding="utf-8")
    (data / "readings" / lesson_id / "introduction.md").write_text("## An example\n\nInvented for the tests.\n")
    assert lessonkit("check", str(data)).returncode == 0
    synced = lessonkit("sync", "--data", str(data), "--notebooks", str(notebooks))
    assert synced.returncode == 0 and f"{lesson_id}.ipynb" in synced.stdout
    cells = nbformat.read(notebooks / f"{lesson_id}.ipynb", as_version=4).cells
    assert [c.id for c in cells] == ["header", "parameters", "open-lesson", "reading-introduction", "first-thoughts",
                                     "finish", "finish-lesson", "sources"]  # the links join the sources' cell
