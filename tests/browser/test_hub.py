"""A class on JupyterHub and Voila, end to end: every learner's work their own, the teacher sees every learner,
and an update the teacher pushes reaches every lesson.

A real JupyterHub on 127.0.0.1 (dummy login, the simple local spawner, each learner's home a folder
of a temporary folder) serves this environment's JupyterLab, where lessonkit is installed editable
as ``make install`` installs it, with nbgitpuller. The course is a git repository served over git's
smart HTTP. Two learners in headless Chromium follow the link ``lessonkit links`` prints, open
Lesson 01, Run All and write different answers; the teacher collects the homes; a change pushed to
the repository reaches a reading and a widget when the link is clicked again. Then two visitors open
one lesson in Voila. With ``CI`` set, a hub that cannot start fails the test; elsewhere it is skipped
with what to install.
"""

from __future__ import annotations

import importlib.util
import json
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hubdriver import course_repository, git, git_server, jupyterhub
from conftest import unavailable as browser_unavailable
from labdriver import PANEL, ROOT, VIEWPORT, start_run_all, voila_server, wait_kernel_idle, wait_rendered

# Marked browser too: it drives the browser suite's Chromium, and a quick run (-m "not browser") leaves it out.
pytestmark = [pytest.mark.hub, pytest.mark.browser]

LESSON = "01-music-producer"
LESSONKIT = str(Path(sys.executable).with_name("lessonkit"))
PROMPTS = Path("data") / "prompts" / f"{LESSON}.yaml"
READING = Path("data") / "readings" / LESSON / "the-work.md"
ARTIFACTS = ROOT / "artifacts" / "hub"


def unavailable(reason: str, how: str) -> None:
    """Fail in CI, skip elsewhere (the browser suite's rule), naming the hub test."""
    browser_unavailable(reason, how, what="the hub test")


@pytest.fixture(scope="module")
def hub_tools(browser) -> None:
    """What the hub test needs beyond the browser suite's Chromium (conftest.py): fails in CI, skips elsewhere."""
    missing = [name for name in ("jupyterhub", "nbgitpuller", "voila") if importlib.util.find_spec(name) is None]
    if missing:
        unavailable(f"{', '.join(missing)} not installed", "pip install -e '.[test,browser,voila,hub]' (make test does)")
    if not shutil.which("configurable-http-proxy"):
        unavailable("configurable-http-proxy is not installed", "npm install -g configurable-http-proxy (.ci/run does)")
    if not shutil.which("git"):
        unavailable("git is not installed", "apt-get install git")


@pytest.fixture(scope="module")
def hub_artifacts() -> Path:
    """artifacts/hub/: this run's screenshots and server logs (git-ignored), emptied first."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


def _wait(condition, timeout: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _cells(notebook: Path) -> int:
    return len(json.loads(notebook.read_text(encoding="utf-8"))["cells"])


def click_link(page, link: str, learner: str | None = None) -> None:
    """Click the nbgitpuller link, signing in first when the hub asks; returns without waiting for the pull."""
    page.goto(link, wait_until="domcontentloaded")
    if learner is not None:
        page.locator("#username_input").fill(learner)
        page.locator("#login_submit").click()


def wait_start_page(page) -> None:
    page.wait_for_url(re.compile(r"/lab/tree/course/notebooks/00-start-here\.ipynb"), timeout=180_000,
                      wait_until="commit")
    page.locator(PANEL).wait_for(timeout=120_000)


def open_lesson(page, hub: str, learner: str) -> None:
    """Lesson 01 from the learner's copy of the course, in a workspace of its own; returns once it is asked for."""
    page.goto(f"{hub}/user/{learner}/lab/workspaces/{LESSON}-{secrets.token_hex(3)}/tree/course/notebooks/"
              f"{LESSON}.ipynb", wait_until="commit")


def finish_run_all(page) -> None:
    """Wait until every code cell has run and the kernel is idle (Run All was chosen from the menu)."""
    page.wait_for_timeout(500)
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        return w && w.content && Array.from(w.content.widgets).every(
            c => c.model.type !== 'code' || c.model.executionCount !== null); }""", timeout=240_000)
    wait_kernel_idle(page, 120)
    page.wait_for_timeout(800)


def run_lessons(pages: dict, hub: str, homes: Path) -> None:
    """Every learner opens Lesson 01 and chooses Run All, at the same time, as a class does."""
    for learner, page in pages.items():
        open_lesson(page, hub, learner)
    for learner, page in pages.items():
        wait_rendered(page, _cells(homes / learner / "course" / "notebooks" / f"{LESSON}.ipynb"), timeout=180)
        start_run_all(page)
    for page in pages.values():
        finish_run_all(page)


def type_answer(page, words: str) -> None:
    box = page.locator(f"{PANEL} .widget-textarea textarea").first
    box.scroll_into_view_if_needed()
    box.click()
    box.press_sequentially(words, delay=2)
    box.press("Tab")


def test_a_class_on_jupyterhub(browser, hub_tools, hub_artifacts: Path, tmp_path: Path) -> None:
    """Two learners on one hub: each file holds only its learner's words, neither sees the other's, collect
    reports both, and a pushed change reaches a reading and a widget after the link is clicked again."""
    homes, served = tmp_path / "homes", tmp_path / "git"
    homes.mkdir()
    teacher = course_repository(tmp_path / "teacher", served)
    hub_log = hub_artifacts / "jupyterhub.log"
    with git_server(served) as git_base, jupyterhub(tmp_path / "hub", homes, hub_log) as hub:
        links = subprocess.run([LESSONKIT, "links", "--repo", f"{git_base}/class/course", "--hub", hub],
                               capture_output=True, text=True, timeout=60)
        assert links.returncode == 0, links.stderr
        link = next(line.strip() for line in links.stdout.splitlines() if "/git-pull?" in line)

        words = {"ada": f"Ada writes about mixing for friends {secrets.token_hex(4)}",
                 "bo": f"Bo writes about scoring short films {secrets.token_hex(4)}"}
        pages = {}
        for learner in words:
            page = pages[learner] = browser.new_context(viewport=VIEWPORT).new_page()
            page.set_default_timeout(30_000)
            click_link(page, link, learner)
        for learner, page in pages.items():
            wait_start_page(page)
            assert (homes / learner / "course" / "notebooks" / f"{LESSON}.ipynb").is_file(), "nbgitpuller copied nothing"
        run_lessons(pages, hub, homes)
        for learner, said in words.items():
            page = pages[learner]
            text = page.locator(PANEL).inner_text()
            assert "Traceback" not in text
            assert "the course folder this lesson sits in" in text
            assert not any(other in text for other in words.values()), f"{learner} sees another learner's words"
            type_answer(page, said)
            mine = homes / learner / ".lessonkit" / "answers" / f"{learner}.json"
            assert _wait(lambda: said in _text(mine), 20), f"{learner}'s words did not reach {mine}"
            page.locator(f"{PANEL} [role=status]").first.scroll_into_view_if_needed()
            page.screenshot(path=str(hub_artifacts / f"{learner}-lesson-01.png"))

        for learner, said in words.items():
            mine = _text(homes / learner / ".lessonkit" / "answers" / f"{learner}.json")
            assert json.loads(mine)["learner"] == learner
            assert [other for other in words.values() if other in mine] == [said]
        for path in [*ROOT.glob("answers/*.json"), *homes.glob("*/course/**/*.json")]:
            assert not any(said in _text(path) for said in words.values()), f"a learner's words in shared {path}"

        # the teacher collects the homes: one row per learner
        collected = subprocess.run([LESSONKIT, "collect", str(homes), "--out", str(tmp_path / "report"), "--quiet"],
                                   capture_output=True, text=True, timeout=120)
        assert collected.returncode == 0, collected.stdout + collected.stderr
        table = _text(tmp_path / "report" / "class-report.csv")
        assert all(f"\n{learner}," in table for learner in words), table

        # the teacher changes a prompt's title and a reading's heading, syncs, commits and pushes
        prompts, reading = teacher / PROMPTS, teacher / READING
        old_title = "Your definition of success"
        new_title = f"What success means to you ({secrets.token_hex(3)})"
        old_heading = _text(reading).splitlines()[0].lstrip("# ").strip()
        new_heading = f"Where a producer's week goes ({secrets.token_hex(3)})"
        assert old_title in _text(prompts) and old_heading
        prompts.write_text(_text(prompts).replace(old_title, new_title), encoding="utf-8")
        reading.write_text(_text(reading).replace(old_heading, new_heading, 1), encoding="utf-8")
        synced = subprocess.run([LESSONKIT, "sync", "--data", str(teacher / "data"), "--notebooks",
                                 str(teacher / "notebooks")], capture_output=True, text=True, timeout=120)
        assert synced.returncode == 0, synced.stderr
        git("commit", "-q", "-am", "A new prompt title and reading heading", cwd=teacher)
        git("push", "-q", str(served / "class" / "course"), "main", cwd=teacher)

        for page in pages.values():
            click_link(page, link)  # the same link, clicked again: nbgitpuller merges the update
        for page in pages.values():
            wait_start_page(page)
        run_lessons(pages, hub, homes)
        for learner, page in pages.items():
            markdown = page.locator(f"{PANEL} .jp-MarkdownCell").all_inner_texts()
            outputs = page.locator(f"{PANEL} .jp-OutputArea").all_inner_texts()
            assert any(new_heading in text for text in markdown), f"{learner}: the new reading heading is missing"
            assert any(new_title in text for text in outputs), f"{learner}: the prompt widget kept its old title"
            assert not any(old_title in text for text in outputs)
            box = page.locator(f"{PANEL} .widget-textarea textarea").first
            assert box.input_value() == words[learner], f"{learner}'s answer did not come back"
            box.scroll_into_view_if_needed()
            page.screenshot(path=str(hub_artifacts / f"{learner}-lesson-01-updated.png"))
            page.context.close()


def test_two_voila_visitors_never_see_each_others_words(browser, hub_tools, hub_artifacts: Path,
                                                        tmp_path: Path) -> None:
    """Voila serving one lesson to two visitors with no sign-in: each visit has a file of its own, each page shows
    only its own words, and the page says how to keep them."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints",
                                                                                             "artifacts"))
    answers = tmp_path / "answers"
    with voila_server(tmp_path / "notebooks" / f"{LESSON}.ipynb", hub_artifacts / "voila.log",
                      env={"LESSONKIT_ANSWERS": str(answers)}) as url:
        words = [f"First visitor {secrets.token_hex(4)}", f"Second visitor {secrets.token_hex(4)}"]
        pages = []
        for _ in words:  # two visitors at once
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.set_default_timeout(30_000)
            page.goto(url, timeout=180_000, wait_until="commit")
            pages.append(page)
        for page, said in zip(pages, words):
            page.locator(".widget-textarea textarea").first.wait_for(timeout=180_000)
            text = page.locator("body").inner_text()
            assert "kept for this visit only" in text and "Download my answers" in text
            assert "voila notebooks/" in text  # one lesson served alone: the page says how to serve the course
            assert not any(other in text for other in words), "a visitor sees another visitor's words"
            box = page.locator(".widget-textarea textarea").first
            box.scroll_into_view_if_needed()
            box.click()
            box.press_sequentially(said, delay=2)
            box.press("Tab")
            assert _wait(lambda: any(said in _text(p) for p in answers.rglob("*.json")), 20)
        # the first visitor keeps their work: the answers file and the hand-in download from the page
        first = pages[0]
        with first.expect_download() as event:
            first.get_by_role("button", name="Download my answers").click()
            first.locator('a[download$=".json"]').first.click()
        kept = Path(event.value.path()).read_text(encoding="utf-8")
        assert words[0] in kept and words[1] not in kept
        first.get_by_role("button", name="Make my hand-in").click()
        for kind in (".md", ".html"):
            with first.expect_download() as event:
                first.locator(f'a[download$="{kind}"]').first.click()
            assert words[0] in Path(event.value.path()).read_text(encoding="utf-8")
        files = [p for p in answers.rglob("*.json") if any(said in _text(p) for said in words)]
        assert len(files) == 2 and all(sum(said in _text(p) for said in words) == 1 for p in files)
        for page, said, other in zip(pages, words, reversed(words)):
            assert page.locator(".widget-textarea textarea").first.input_value() == said
            assert other not in page.locator("body").inner_text()
        first.reload(timeout=180_000, wait_until="commit")  # a later visit: a new kernel, a new file, no one's words
        first.locator(".widget-textarea textarea").first.wait_for(timeout=180_000)
        assert not any(w in first.locator("body").inner_text() for w in words)
        assert first.locator(".widget-textarea textarea").first.input_value() == ""
        pages[0].screenshot(path=str(hub_artifacts / "voila-visitor.png"), full_page=True)
        for page in pages:
            page.context.close()


def test_every_file_a_lesson_makes_downloads_from_a_voila_page(browser, hub_tools, hub_artifacts: Path,
                                                              tmp_path: Path) -> None:
    """Voila has no file browser and serves no files: Lesson 03's exports download from the page itself, whole
    (the answers file and the hand-in: see the visitors' test), and a visitor's export never lands beside the
    notebook others share."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints",
                                                                                             "artifacts"))
    answers = tmp_path / "answers"
    with voila_server(tmp_path / "notebooks" / "03-make-a-track.ipynb", hub_artifacts / "voila-03.log",
                      env={"LESSONKIT_ANSWERS": str(answers)}) as url:
        page = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
        page.set_default_timeout(30_000)
        page.goto(url, timeout=180_000)
        fetch = page.get_by_role("button", name="Download the files")
        fetch.wait_for(timeout=180_000)
        assert not list(answers.rglob("artifacts/my-track/*")), "exported before the visitor pressed Export"
        export = page.get_by_role("button", name="Export the chosen version")
        export.scroll_into_view_if_needed()
        export.click()
        page.get_by_text(re.compile(r"^Exported at ")).wait_for(timeout=60_000)
        exported = sorted(p for p in answers.rglob("artifacts/my-track/*") if p.is_file())
        assert len(exported) == 4, exported
        assert not (tmp_path / "notebooks" / "artifacts").exists(), "a visitor's export beside the shared notebook"
        said = page.get_by_text(re.compile(r"^Exported at ")).inner_text()
        assert str(exported[0].parent) in said, f"the exporter's line does not name the visit's folder: {said!r}"

        def download(link) -> bytes:
            with page.expect_download() as event:
                link.click()
            return Path(event.value.path()).read_bytes()

        fetch.scroll_into_view_if_needed()
        fetch.click()
        for path in exported:
            assert download(page.locator(f'a[download="{path.name}"]')) == path.read_bytes(), path.name
        page.screenshot(path=str(hub_artifacts / "voila-03-downloads.png"))
        page.context.close()
