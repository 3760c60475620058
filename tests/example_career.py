"""A made-up career added to a scratch course the way an author would: ``lessonkit new``, then the TODOs filled.

The filled-in values live in ``tests/fixtures/careers/example-career/`` (invented, never part of the
course). Used by the unit tests (check, sync, nbval) and the browser suite (the lesson in JupyterLab).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "careers" / "example-career"
CAREER_ID = "example-career"
TITLE = "Example Career"


def lessonkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lessonkit.cli", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, check=False)


def scratch_course(root: Path) -> Path:
    """A copy of the course (data/ and notebooks/) under ``root``; returns its data folder."""
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root / "data"


def lesson_entry(data: Path, lesson_id: str) -> dict[str, Any]:
    course = yaml.safe_load((data / "course.yaml").read_text(encoding="utf-8"))
    return next(lesson for t in course["tracks"] for m in t["modules"] for lesson in m["lessons"]
                if lesson["id"] == lesson_id)


def new_lesson_id(data: Path) -> str:
    """The lesson id ``lessonkit new`` gives the example career in ``data``: the next number, then its id."""
    return next(path.parent.name for path in (data / "readings").glob(f"*-{CAREER_ID}/overview.md"))


def fill(data: Path) -> str:
    """Replace every TODO the skeleton left with the fixture's values, as an author would; returns the lesson id."""
    lesson_id = new_lesson_id(data)
    shutil.copy(FIXTURE / "career.yaml", data / "careers" / f"{CAREER_ID}.yaml")
    _merge(data / "prompts" / f"{lesson_id}.yaml", yaml.safe_load((FIXTURE / "prompts.yaml").read_text()))
    for reading in (FIXTURE / "readings").glob("*.md"):
        shutil.copy(reading, data / "readings" / lesson_id / reading.name)
    sources = yaml.safe_load((data / "sources.yaml").read_text(encoding="utf-8"))
    sources["sources"] += yaml.safe_load((FIXTURE / "sources.yaml").read_text())["sources"]
    (data / "sources.yaml").write_text(yaml.safe_dump(sources, sort_keys=False, allow_unicode=True), encoding="utf-8")
    course_file = data / "course.yaml"
    course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
    for track in course["tracks"]:
        for module in track["modules"]:
            for lesson in module["lessons"]:
                if lesson["id"] == lesson_id:
                    lesson.update(yaml.safe_load((FIXTURE / "lesson.yaml").read_text()))
    course_file.write_text(yaml.safe_dump(course, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return lesson_id


def _merge(path: Path, values: dict[str, Any]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(values)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def add_example_career(root: Path) -> tuple[Path, str]:
    """A scratch course under ``root`` with the example career added and its notebook made: (data, lesson id)."""
    data = scratch_course(root)
    for args in (["new", "career", CAREER_ID, "--title", TITLE, "--data", str(data)], None,
                 ["check", str(data), "--notebooks", str(root / "notebooks")],
                 ["sync", "--data", str(data), "--notebooks", str(root / "notebooks")]):
        if args is None:
            lesson_id = fill(data)
            continue
        done = lessonkit(*args)
        assert done.returncode == 0, f"lessonkit {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return data, lesson_id
