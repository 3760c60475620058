"""`lessonkit check` verifies everything `lessonkit sync` needs, and both name the folder and the file."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import REPO
from .test_cli import cli


def test_check_names_a_missing_reading_by_file_and_field_and_sync_agrees(data_copy: Path):
    (data_copy / "readings" / "01-music-producer" / "shift.md").unlink()
    checked = cli("check", str(data_copy))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    (line,) = checked.stdout.splitlines()
    assert line.startswith("readings/01-music-producer/shift.md: is missing; lesson 01-music-producer shows it")
    assert "(template career-card: 'reading:shift')" in line and str(data_copy) in checked.stderr
    for args in (["sync", "--check"], ["sync", "--notebooks", str(data_copy / "nowhere")], ["sync"]):
        synced = cli(*args, "--data", str(data_copy))
        assert synced.returncode == 1 and "Traceback" not in synced.stderr
        assert f"from {data_copy}" in synced.stderr and "'no reading" not in synced.stderr
    assert "readings/01-music-producer/shift.md: is missing" in synced.stderr
    assert not (data_copy / "nowhere").exists()


def test_a_missing_notebook_is_not_a_problem_sync_writes_it_as_shipped(data_copy: Path, tmp_path: Path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks)
    (notebooks / "03-make-a-track.ipynb").unlink()
    assert cli("check", str(data_copy), "--notebooks", str(notebooks)).returncode == 0
    drifted = cli("sync", "--check", "--data", str(data_copy), "--notebooks", str(notebooks))
    assert drifted.returncode == 1 and "03-make-a-track.ipynb: is missing; `lessonkit sync` writes it" in drifted.stdout
    synced = cli("sync", "--data", str(data_copy), "--notebooks", str(notebooks))
    assert synced.returncode == 0 and synced.stdout.strip() == "Updated: 03-make-a-track.ipynb"
    assert {p.name: p.read_bytes() for p in notebooks.glob("*.ipynb")} == \
        {p.name: p.read_bytes() for p in (REPO / "notebooks").glob("*.ipynb")}


def test_check_and_sync_pass_on_the_course():
    assert cli("check").returncode == 0
    synced = cli("sync", "--check")
    assert synced.returncode == 0 and synced.stdout.startswith("OK: every generated cell matches data/")
