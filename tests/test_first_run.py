"""A learner's first run, as they meet it (marker ``setup``, slow: one fresh environment per test, from pip's cache).

- ``make lab`` from a fresh clone, as the user CI runs as (root, usually): it installs the lessons' runtime
  and no test tools, starts JupyterLab (with --allow-root, said in one line, only as root), and the address it
  prints serves the start page.
- No clone: the course's wheel installed plainly (non-editable) in a new environment; ``lessonkit lab --dir``
  writes the lessons, a learner changes one, an upgraded wheel is installed over it, ``lessonkit lab`` runs again
  and the learner's change survives while the untouched lessons take the new version; then ``lessonkit lab``
  starts JupyterLab and its address serves the start page.

Each server gets a free port on 127.0.0.1 and a random token, and is stopped with its process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from lessonkit.labopen import ROOT_NOTE

from .clone import fresh_clone
from .conftest import NOTEBOOKS, REPO
from .test_labcopy import add_cell, run_it

pytestmark = pytest.mark.setup

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
INSTALL_TIMEOUT = 900  # seconds: a fresh environment from pip's cache takes one or two minutes on 2 cores


def need(ok: bool, what: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(what, pytrace=False)
        pytest.skip(what)


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment a learner's shell would have: no active virtual environment, no display, no test
    settings for answers or content, and Jupyter's own folders private to this test."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "LESSONKIT_DATA", "LESSONKIT_ANSWERS", "DISPLAY",
                        "WAYLAND_DISPLAY", "MAKEFLAGS", "MAKELEVEL", "PIP_REQUIRE_VIRTUALENV")}
    env.update(JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"), IPYTHONDIR=str(tmp / "ipython"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "lab-settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-ws"),
               PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_options(port: int, token: str) -> list[str]:
    return [f"--port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]


@contextlib.contextmanager
def started(cmd: list[str], cwd: Path, env: Mapping[str, str], log: Path, url: str) -> Iterator[str]:
    """Run ``cmd`` in its own process group until its output shows ``url`` (the address it prints for the
    learner); yields the output so far, then stops the whole group (make, JupyterLab and any kernel)."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + INSTALL_TIMEOUT
        while url not in (text := log.read_text(encoding="utf-8", errors="replace")):
            if proc.poll() is not None:
                pytest.fail(f"{' '.join(cmd)} exited with {proc.returncode} before serving:\n{text[-4000:]}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"{' '.join(cmd)} printed no {url} within {INSTALL_TIMEOUT} s:\n{text[-4000:]}",
                            pytrace=False)
            time.sleep(1)
        yield text
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def get(url: str) -> tuple[int, bytes]:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def check_start_page(text: str, base: str, token: str, path: str, lesson: Path) -> None:
    """The address printed for the learner is the start page, it is served, and so is the notebook itself,
    as the course has it; root was told in one line why --allow-root was added, and nobody else was."""
    printed = f"{base}/lab/tree/{path}?token="  # JupyterLab hides a token it was given: token=...
    assert printed in text, f"JupyterLab did not print {printed}:\n{text[-3000:]}"
    assert text.count(ROOT_NOTE) == (1 if AS_ROOT else 0), text[:2000]
    status, page = get(printed + token)
    assert status == 200 and b"JupyterLab" in page
    status, body = get(f"{base}/api/contents/{path}?token={token}")
    served = json.loads(body)
    assert status == 200 and served["type"] == "notebook"
    course_start = json.loads(lesson.read_text(encoding="utf-8"))
    assert [c["source"] for c in served["content"]["cells"]] == \
        ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in course_start["cells"]]


def python_in(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / "python"


def test_make_lab_from_a_fresh_clone_serves_the_start_page(tmp_path: Path) -> None:
    """`make lab` in a fresh clone installs the runtime without the test tools, starts JupyterLab as this user
    (root in CI), and the address it prints serves the start page."""
    need(os.name == "posix", "make lab is the route on Linux and macOS; Windows uses the README's commands")
    need(shutil.which("make") is not None, "make is not installed (Debian: apt-get install make)")
    clone = fresh_clone(tmp_path / "clone")
    port, token = free_port(), secrets.token_hex(16)
    env = clean_env(tmp_path)
    cmd = ["make", "lab", "LAB_ARGS=" + " ".join(server_options(port, token))]
    with started(cmd, clone, env, tmp_path / "make-lab.log", f"127.0.0.1:{port}/lab/tree/") as text:
        check_start_page(text, f"http://127.0.0.1:{port}", token, "notebooks/00-start-here.ipynb",
                         NOTEBOOKS / "00-start-here.ipynb")
        found = subprocess.run([str(python_in(clone / ".venv")), "-c", "import importlib.util as u; "
                                "print([n for n in ('pytest', 'nbval', 'playwright', 'voila') if u.find_spec(n)])"],
                               capture_output=True, text=True, env=env, check=True).stdout.strip()
        assert found == "[]", f"make lab installed test tools a learner does not need: {found}"


def wheel_of(source: Path, out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = out.glob("lessonkit-*.whl")
    return wheel


def test_lessonkit_lab_without_a_clone_keeps_a_learners_change_across_an_upgrade(tmp_path: Path, course) -> None:
    """From a plain install of the wheel: `lessonkit lab --dir` writes the lessons, a second run after an upgrade
    updates what the learner left alone and keeps what they changed; answers go where README says; and
    `lessonkit lab` serves the start page."""
    need(os.name == "posix", "this check stops its server by process group (Linux, macOS)")
    first, second, third, *_ = [lesson.notebook for lesson in course.lessons()]
    wheel = wheel_of(REPO, tmp_path / "wheel-1")
    upgraded_source = fresh_clone(tmp_path / "upgraded")  # the next version: two lessons gain a cell
    for name in (first, second):
        add_cell(upgraded_source / "notebooks" / name, "New in the next version of the course.")
    upgraded = wheel_of(upgraded_source, tmp_path / "wheel-2")

    venv, home, folder = tmp_path / "venv", tmp_path / "home", tmp_path / "home" / "My lessons"
    home.mkdir()
    env = clean_env(tmp_path)  # pip keeps the real home: its cache
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(python_in(venv)), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True, env=env, timeout=INSTALL_TIMEOUT)
    lessonkit = str(python_in(venv).with_name("lessonkit"))
    learner = clean_env(tmp_path, HOME=str(home), USERPROFILE=str(home))

    def lab(*args: str) -> list[str]:
        done = subprocess.run([lessonkit, "lab", "--dir", str(folder), *args], capture_output=True, text=True,
                              env=learner, cwd=home, timeout=120)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        return done.stdout.splitlines()

    assert lab("--no-server")[:-1] == [f"Added {lesson.notebook}" for lesson in course.lessons()]
    for lesson in course.lessons():
        assert (folder / lesson.notebook).read_bytes() == (NOTEBOOKS / lesson.notebook).read_bytes()

    run_it(folder / first)  # the learner ran the start page: outputs only
    add_cell(folder / second, "My own notes on this lesson.")  # and wrote in Lesson 01
    theirs = (folder / second).read_bytes()
    (folder / third).unlink()
    subprocess.run([*pip, "--no-deps", "--force-reinstall", str(upgraded)], check=True, capture_output=True,
                   env=env, timeout=INSTALL_TIMEOUT)

    said = lab("--no-server")
    assert f"Updated {first} to the course's new version" in said
    assert f"Put back {third} (it was missing)" in said
    assert any(line.startswith(f"Kept {second} as you changed it") for line in said), said
    assert (folder / second).read_bytes() == theirs
    assert (folder / first).read_bytes() == (upgraded_source / "notebooks" / first).read_bytes()

    # where a lesson opened from this folder finds its content and saves answers (README: Learners' answers)
    probe = ("from lessonkit.lesson import default_answers_dir; from lessonkit.locate import find_data_dir; "
             "print(default_answers_dir()); print(find_data_dir())")
    answers, data = subprocess.run([str(python_in(venv)), "-c", probe], capture_output=True, text=True, env=learner,
                                   cwd=folder, check=True).stdout.splitlines()
    assert Path(answers) == home / ".lessonkit" / "answers"
    assert Path(data).is_relative_to(venv.resolve())

    port, token = free_port(), secrets.token_hex(16)
    cmd = [lessonkit, "lab", "--dir", str(folder), "--", *server_options(port, token)]
    with started(cmd, home, learner, tmp_path / "lessonkit-lab.log", f"127.0.0.1:{port}/lab/tree/") as text:
        check_start_page(text, f"http://127.0.0.1:{port}", token, first, upgraded_source / "notebooks" / first)
