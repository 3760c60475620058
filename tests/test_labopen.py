"""JupyterLab is opened on the start page, with --allow-root only for root (said in one line), and without
trying to open a browser where there is no desktop. The server itself is started in tests/test_first_run.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from lessonkit import labopen


@pytest.fixture
def as_user(monkeypatch):
    def set_uid(uid: int) -> None:
        monkeypatch.setattr(os, "geteuid", lambda: uid, raising=False)
    return set_uid


def test_root_gets_allow_root_and_an_ordinary_user_does_not(as_user, tmp_path: Path):
    as_user(0)
    assert "--allow-root" in labopen.lab_command(tmp_path, "00-start-here.ipynb")
    as_user(1000)
    assert "--allow-root" not in labopen.lab_command(tmp_path, "00-start-here.ipynb")


def test_the_start_page_is_the_address_jupyterlab_opens_and_prints(tmp_path: Path):
    cmd = labopen.lab_command(tmp_path, "notebooks/00 start here.ipynb", ["--port=9999"])
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--LabApp.default_url=/lab/tree/notebooks/00%20start%20here.ipynb" in cmd
    assert cmd[-1] == "--port=9999"  # the learner's own options come last, so they win


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="a desktop is always assumed there")
def test_no_browser_is_tried_without_a_display(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert "--no-browser" in labopen.lab_command(tmp_path, "a.ipynb")
    monkeypatch.setenv("DISPLAY", ":0")
    assert "--no-browser" not in labopen.lab_command(tmp_path, "a.ipynb")


@pytest.mark.skipif(os.name != "posix", reason="JupyterLab replaces the process only on POSIX")
def test_root_is_told_in_one_line_before_jupyterlab_starts(as_user, monkeypatch, capsys, tmp_path: Path):
    started = []
    monkeypatch.setattr(os, "execv", lambda path, cmd: started.append(cmd))
    for uid, said in ((0, [labopen.ROOT_NOTE]), (1000, [])):
        as_user(uid)
        labopen.open_lab(tmp_path, "00-start-here.ipynb")
        assert capsys.readouterr().out.splitlines() == said
        assert ("--allow-root" in started[-1]) == (uid == 0)


def test_a_missing_lesson_path_is_explained(capsys, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert labopen.main(["notebooks/00-start-here.ipynb"]) == 2
    assert "Expected the path of a lesson notebook" in capsys.readouterr().err
