"""Every lesson usable by keyboard and screen reader beyond JupyterLab: as Voila apps, and in Notebook 7.

axe-core (WCAG 2.1 A/AA rules, ``a11y.py``) runs over each lesson as a Voila app and over Lesson 01
in Notebook 7; a serious or critical finding fails. (test_lessons.py runs it over every lesson in
JupyterLab, light and dark.) Notebook 7 also gets a learner's first moves for Lesson 01: Run All
from its Run menu, every chart drawn, and a slider reached with Tab and moved with an arrow key.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import a11y
import expected
from conftest import COPY_IGNORE, unavailable
from labdriver import LESSONS, ROOT, VIEWPORT, notebook7_server, run_all, shutdown_kernel, voila_folder_server, \
    wait_rendered
from test_lessons import Visit, check_accessible, check_clean, check_rendered, sliders_redraw_charts, wait_until

pytestmark = pytest.mark.browser

NOTEBOOK7_LESSON = "01-music-producer.ipynb"
# Notebook 7.6 itself throws this while loading its settings, on an empty notebook too: not the lesson's.
NOTEBOOK7_OWN_ERRORS = ("Cannot read properties of undefined (reading 'schema')",)


def _scratch(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    root = tmp_path_factory.mktemp(name)
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=COPY_IGNORE)
    return root


@pytest.fixture(scope="module")
def voila_lessons(browser, artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Voila serving a scratch copy of every lesson; yields the URL template (``.format(name=...)``)."""
    if importlib.util.find_spec("voila") is None:
        unavailable("Voila is not installed", "pip install -e '.[voila]' (make test does)")
    root = _scratch(tmp_path_factory, "voila-all")
    with voila_folder_server(root / "notebooks", artifacts / "voila-lessons.log",
                             env={"LESSONKIT_ANSWERS": str(root / "answers")}) as url:
        yield url


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_as_a_voila_app_is_accessible(browser, voila_lessons: str, artifacts: Path, name: str) -> None:
    """Once the Voila app has drawn everything its cells promise, axe-core finds nothing serious or critical."""
    want = expected.totals(ROOT / "notebooks" / name)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(voila_lessons.format(name=name), timeout=180_000)  # Voila answers once the notebook has run
        missing = expected.missing_on_voila_page(page, want)
        findings = a11y.audit(page, a11y.VOILA_CONTENT)
        jumps = a11y.out_of_order(page, a11y.VOILA_CONTENT)
        page.screenshot(path=artifacts / f"voila-a11y-{Path(name).stem}.png", full_page=True)
    finally:
        context.close()
    print(f"{name} in Voila: axe {a11y.counts(findings)}")
    problems = missing + a11y.blocking(findings, "Voila") + [f"a positive tabindex: {html}" for html in jumps]
    assert not problems, f"{name} as a Voila app:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def notebook7(browser, artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    if importlib.util.find_spec("notebook") is None:
        unavailable("Jupyter Notebook 7 is not installed", "pip install -e '.[browser]' (make test does)")
    root = _scratch(tmp_path_factory, "nb7")
    answers = root / "answers"
    with notebook7_server(artifacts / "notebook7.log", root, env={"LESSONKIT_ANSWERS": str(answers)}) as (base, token):
        yield base, token, root, answers


def tab_reaches_slider(visit: Visit) -> None:
    """From the box just before the first slider, Tab lands on that slider and an arrow key moves it."""
    cell = visit.cells_with(charts=1, sliders=1)[0]
    out = visit.output(cell)
    slider = out.locator(".widget-slider").first
    before_box = slider.locator("xpath=preceding::input[not(@type='range')][1]")
    before_box.scroll_into_view_if_needed()
    before_box.focus()
    visit.page.keyboard.press("Tab")
    reached = slider.locator("input[type=range]").first.evaluate("e => document.activeElement === e")
    if not visit.check(reached, f"{cell.label}: Tab from the box before the first slider did not reach it "
                                f"(focus on {visit.page.evaluate('() => document.activeElement.outerHTML.slice(0, 120)')})"):
        return
    before = slider.inner_text()
    visit.page.keyboard.press("ArrowRight")
    moved = wait_until(lambda: slider.inner_text() != before, 5)
    visit.check(moved, f"{cell.label}: the slider reached by Tab did not move on an arrow key ({before!r})")
    visit.notes.append(f"Tab to the slider, then ArrowRight: {before!r} -> {slider.inner_text()!r}")


def test_lesson_in_notebook7(notebook7, browser, artifacts: Path) -> None:
    """Lesson 01 in Notebook 7: Run All draws every chart, sliders move from the keyboard and redraw their
    charts, nothing errs, and axe-core finds nothing serious or critical."""
    base, token, root, answers = notebook7
    name = NOTEBOOK7_LESSON
    notebook = root / "notebooks" / name
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page_errors: list[str] = []
    page.on("pageerror", lambda e: None if str(e) in NOTEBOOK7_OWN_ERRORS else page_errors.append(str(e)))
    lab = type("Notebook7", (), {"answers": answers})()
    visit = Visit(page, name, lab, expected.cells(notebook))
    try:
        page.goto(f"{base}/notebooks/notebooks/{name}?token={token}", wait_until="domcontentloaded")
        wait_rendered(page, len(json.loads(notebook.read_text(encoding="utf-8"))["cells"]))
        run_all(page, settle_ms=0)
        check_rendered(visit)
        check_clean(visit)
        check_accessible(visit, "after Run All")
        for move in (tab_reaches_slider, sliders_redraw_charts):
            try:
                move(visit)
            except Exception as error:  # keep going: report every problem together
                visit.problems.append(f"{move.__name__}: {type(error).__name__}: {error}")
        check_clean(visit)
        page.mouse.move(0, 0)
        page.screenshot(path=artifacts / f"notebook7-{Path(name).stem}.png")
    finally:
        shutdown_kernel(page)
        context.close()
    visit.problems.extend(f"page: {e}" for e in page_errors)
    print(f"{name} in Notebook 7:", *visit.notes, sep="\n  ")
    assert not visit.problems, f"{name} in Notebook 7 (screenshots in {artifacts}):\n  " + "\n  ".join(visit.problems)
