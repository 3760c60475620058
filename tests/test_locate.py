"""The course content is found wherever a lesson runs: a clone, a named folder, or a plain (non-editable) install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lessonkit.errors import LessonkitError
from lessonkit.locate import find_data_dir, find_notebooks_dir

from .conftest import DATA, NOTEBOOKS, REPO


def test_the_repository_data_is_found_by_default():
    assert find_data_dir() == DATA.resolve()


def test_a_named_folder_and_the_environment_variable_win(data_copy: Path, monkeypatch):
    assert find_data_dir(data_copy) == data_copy.resolve()
    monkeypatch.setenv("LESSONKIT_DATA", str(data_copy))
    assert find_data_dir() == data_copy.resolve()


def test_a_named_folder_is_never_swapped_for_another(tmp_path: Path):
    with pytest.raises(LessonkitError, match="does not exist"):
        find_data_dir(tmp_path / "nope")


def test_a_non_editable_install_carries_the_content(tmp_path: Path):
    """Build the wheel, install it into a bare folder, and load the course from there alone."""
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("lessonkit-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    probe = ("import lessonkit, lessonkit.locate as l; c = lessonkit.load_course(); "
             "print(l.find_data_dir()); print(len(c.lessons()), c.careers['music-producer'].pay.salaried.median); "
             "print(l.find_notebooks_dir())")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    found, summary, lessons = result.stdout.splitlines()
    assert found == str((target / "lessonkit" / "_data").resolve())
    assert summary == "4 66000"
    # the lessons travel too, as the repository has them, for `lessonkit lab` to copy
    assert lessons == str((target / "lessonkit" / "_notebooks").resolve())
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        assert (Path(lessons) / notebook.name).read_bytes() == notebook.read_bytes()


def test_the_repository_notebooks_are_found_in_a_checkout():
    assert find_notebooks_dir() == NOTEBOOKS.resolve()


def test_a_data_dir_naming_a_file_says_it_is_a_file(tmp_path: Path):
    (tmp_path / "course.yaml").write_text("id: x\n", encoding="utf-8")
    with pytest.raises(LessonkitError, match="is a file, not a folder"):
        find_data_dir(tmp_path / "course.yaml")
    with pytest.raises(LessonkitError, match="cannot hold a NUL character"):
        find_data_dir(str(tmp_path) + "/a\x00b")
