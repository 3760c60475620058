"""A lesson as a Voila app: the code hidden, the readings, charts and controls there and working.

Voila runs the notebook and shows only its Markdown and outputs, which is how a teacher can
hand a lesson to learners who should never see code (``voila notebooks/01-music-producer.ipynb``,
with the ``voila`` extra). Lesson 01 is the one checked: it has the most charts and sliders.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import pytest

import expected
from labdriver import CHART_SIGNATURE, ROOT, VIEWPORT, press_slider

pytestmark = pytest.mark.browser

def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


def test_lesson_as_a_voila_app(browser, voila_app, artifacts: Path) -> None:
    """Lesson 01 in Voila shows no code and no error, draws every chart and control, a slider redraws its
    chart and a typed answer is saved."""
    url, answers, lesson = voila_app  # Lesson 01 (conftest.py): the most charts and sliders
    want = expected.totals(ROOT / "notebooks" / lesson)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page_errors: list[str] = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    problems: list[str] = []
    try:
        page.goto(url, timeout=120_000)  # Voila answers once the notebook has run
        problems += expected.missing_on_voila_page(page, want)
        body = page.locator("body")
        text = body.inner_text()
        problems += [f"code on the page: {s!r}" for s in ("import lessonkit", "open_lesson(") if s in text]
        problems += ["'Traceback' on the page"] if "Traceback" in text else []
        stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        problems += [f"error or warning output: {stderr.nth(i).inner_text()[:300]!r}" for i in range(stderr.count())]
        if "Lesson 01" not in text:
            problems.append("the lesson's heading is not on the page")

        # a slider in the same cell as a chart redraws it
        cell = page.locator(".jp-CodeCell").filter(has=page.locator(".widget-slider")) \
                   .filter(has=page.locator(".js-plotly-plot")).first
        before = cell.evaluate(CHART_SIGNATURE)
        press_slider(page, cell.locator(".widget-slider").first)
        if not _wait(lambda: cell.evaluate(CHART_SIGNATURE) != before, 10):
            problems.append("moving a slider from the keyboard did not redraw its chart")

        # a typed answer reaches the answers file
        words = f"Checked in Voila {secrets.token_hex(4)}"
        box = page.locator(".widget-textarea textarea").first
        box.scroll_into_view_if_needed()
        box.click()
        box.press_sequentially(words, delay=5)
        box.press("Tab")
        if not _wait(lambda: any(words in p.read_text(encoding="utf-8") for p in answers.rglob("*.json")), 10):
            problems.append(f"typed {words!r}; not in the answers file in {answers}")

        page.mouse.move(0, 0)
        height = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + 40, 16000)})
        page.wait_for_timeout(800)
        page.screenshot(path=artifacts / f"voila-{Path(lesson).stem}.png")
    finally:
        context.close()
    problems += [f"page: {e}" for e in page_errors]
    assert not problems, f"{lesson} in Voila (screenshot in {artifacts}):\n  " + "\n  ".join(problems)
