"""`lessonkit check`, `sync` and `lessons` as a teacher runs them: plain lines, exit codes, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import edit

LESSONKIT = shutil.which("lessonkit") or str(Path(sys.executable).with_name("lessonkit"))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LESSONKIT, *args], capture_output=True, text=True, timeout=120)


def test_check_passes_on_the_course():
    result = cli("check")
    assert result.returncode == 0 and result.stdout.startswith("OK:")


def test_check_lists_every_problem_and_exits_1(data_copy: Path):
    edit(data_copy / "careers" / "music-producer.yaml", "share: 25,", "share: 5,")
    edit(data_copy / "careers" / "music-producer.yaml", "entry: 34000", "entry: -34000")
    edit(data_copy / "course.yaml", "based_on: [career-card]", "based_on: [career-crad]")
    result = cli("check", str(data_copy))
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == 3, result.stdout
    assert any(line.startswith("careers/music-producer.yaml:") and "sum to 80" in line for line in lines)
    assert any("pay.salaried.entry: must be greater than 0, got -34000" in line for line in lines)
    assert any(line.startswith("course.yaml:") and "'career-crad'" in line for line in lines)
    assert "3 problem(s)" in result.stderr and "Traceback" not in result.stderr


def test_check_accepts_a_single_file_and_explains_a_bad_path(data_copy: Path, tmp_path: Path):
    assert cli("check", str(data_copy / "course.yaml")).returncode == 0
    result = cli("check", str(tmp_path / "missing"))
    assert result.returncode == 1 and "does not exist" in result.stdout and "Traceback" not in result.stderr


def test_sync_check_reports_drift_without_a_traceback(data_copy: Path, notebooks_copy: Path):
    assert cli("sync", "--check", "--data", str(data_copy), "--notebooks", str(notebooks_copy)).returncode == 0
    edit(data_copy / "readings" / "00-start-here" / "welcome.md", "## Welcome", "## Hello")
    result = cli("sync", "--check", "--data", str(data_copy), "--notebooks", str(notebooks_copy))
    assert result.returncode == 1 and "00-start-here.ipynb cell" in result.stdout
    assert cli("sync", "--data", str(data_copy), "--notebooks", str(notebooks_copy)).returncode == 0
    edit(data_copy / "sources.yaml", "date: \"May 2024\"", "date: [")
    broken = cli("sync", "--data", str(data_copy), "--notebooks", str(notebooks_copy))
    assert broken.returncode == 1 and "YAML syntax error" in broken.stderr and "Traceback" not in broken.stderr


def test_lessons_lists_the_course_in_order():
    result = cli("lessons")
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        "00-start-here", "01-music-producer", "02-can-you-make-a-living", "03-make-a-track"]
    from lessonkit.content import load_course

    needs = load_course().lesson("03-make-a-track").extension.depth_points
    assert result.stdout.splitlines()[-1].endswith(f"\textension: opens at {needs} Depth points")
