"""Shared fixtures: the course as shipped, and scratch copies of its content and notebooks to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import lessonkit
from lessonkit.content import load_course

# Fixture files are data for the tests, never tests: nbval (run over tests/ by `make test`) must not
# execute the deliberately hostile notebooks handed in to `lessonkit collect`.
collect_ignore = ["fixtures"]

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"


@pytest.fixture(scope="session")
def course() -> lessonkit.Course:
    return load_course()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may edit or break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def notebooks_copy(tmp_path: Path) -> Path:
    target = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


@pytest.fixture(autouse=True)
def _answers_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Learners' answers written during a test (lessons, papermill kernels) go to a scratch folder."""
    folder = tmp_path_factory.mktemp("answers")
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(folder))
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact snippet in a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
