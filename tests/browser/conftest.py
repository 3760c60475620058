"""Fixtures of the browser suite: the system's Chromium, and a private JupyterLab on a scratch copy of the lessons.

With ``CI`` set (as .ci/run runs), a missing Chromium or Playwright fails the suite: CI must
prove the lessons in a browser. Anywhere else the suite is skipped with what to install.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from labdriver import HOW_TO_GET_CHROMIUM, ROOT, earn_depth_points, find_chromium, lab_server, launch_chromium, \
    voila_server

ARTIFACTS = ROOT / "artifacts" / "browser"
# a lesson's own leftovers (Lesson 03's export folder, checkpoints) stay out of the scratch copies
COPY_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "artifacts")
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str, how: str, what: str = "the browser suite") -> None:
    """Fail in CI, skip elsewhere; either way say how to get what is missing."""
    if IN_CI:
        pytest.fail(f"{reason}, and CI must run {what}: {how}", pytrace=False)
    pytest.skip(f"{what} skipped: {reason}; to run it, {how}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if not path:
        unavailable("no Chromium found", HOW_TO_GET_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed", "pip install -e '.[browser]' (make test does)")
    with sync_playwright() as pw:
        chromium = launch_chromium(pw, chromium_path)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """artifacts/browser/: this run's screenshots and server logs (git-ignored), emptied first."""
    if ARTIFACTS.is_dir():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@dataclass(frozen=True)
class Lab:
    base: str
    token: str
    root: Path  # the server's root: a scratch copy holding notebooks/
    answers: Path  # LESSONKIT_ANSWERS of its kernels


@pytest.fixture(scope="session")
def scratch_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of notebooks/ to run: whatever a lesson writes beside itself (Lesson 03's export) stays out of the
    work tree. lessonkit still finds the course content (an editable install's data/)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=COPY_IGNORE)
    return root


@pytest.fixture(scope="session")
def lab(browser, artifacts: Path, scratch_course: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """One JupyterLab for the session (random token, 127.0.0.1); its kernels save answers to a scratch folder,
    where the learner already has the Depth points that open the extension lessons."""
    answers = tmp_path_factory.mktemp("answers")
    earn_depth_points(answers)
    with lab_server("light", artifacts / "jupyterlab.log", root_dir=scratch_course,
                    env={"LESSONKIT_ANSWERS": str(answers)}) as (base, token):
        yield Lab(base, token, scratch_course, answers)


VOILA_LESSON = "01-music-producer.ipynb"


@pytest.fixture(scope="session")
def voila_app(browser, artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """Voila serving a scratch copy of Lesson 01 as an app; yields (URL, its kernels' answers folder, lesson)."""
    if importlib.util.find_spec("voila") is None:
        unavailable("Voila is not installed", "pip install -e '.[voila]' (make test does)")
    folder = tmp_path_factory.mktemp("voila")
    shutil.copytree(ROOT / "notebooks", folder / "notebooks", ignore=COPY_IGNORE)
    answers = folder / "answers"
    with voila_server(folder / "notebooks" / VOILA_LESSON, artifacts / "voila.log",
                      env={"LESSONKIT_ANSWERS": str(answers)}) as url:
        yield url, answers, VOILA_LESSON
