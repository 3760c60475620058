"""Every lesson where learners open it: JupyterLab in Chromium, Run All, then a learner's first clicks.

Unit tests and nbval run the code without a page, so they cannot see a widget that fails to
render, a chart that does not update or an error that only shows in the browser. Here each
lesson is run from JupyterLab's Run menu, every chart, player and control its cells promise
(``expected.py``) must be on the page and drawn, no cell may show an error or a warning, and
one of each kind of widget is used: a slider moved from the keyboard redraws its chart, a typed
answer reaches the answers file, a button does what it says, the track plays. axe-core finds
nothing serious or critical in the lesson's content, in the light and the dark theme
(``a11y.py``). Screenshots of every lesson go to artifacts/browser/.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import a11y
import expected
from conftest import ARTIFACTS
from labdriver import CHART_SIGNATURE, LESSONS, PANEL, VIEWPORT, open_notebook, press_slider, run_all, shoot, \
    shutdown_kernel

pytestmark = pytest.mark.browser

CELL_OUTPUTS = f"{PANEL} .jp-CodeCell .jp-Cell-outputWrapper"

# Errors and warnings in the cells' outputs (the notebook model, not only what is drawn), and in
# JupyterLab's log console, where output from widget callbacks goes.
JS_OUTPUT_PROBLEMS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const found = [];
  Array.from(w.content.widgets).forEach((c, i) => {
    if (c.model.type !== 'code') return;
    for (const o of c.model.outputs.toJSON()) {
      if (o.output_type === 'error') found.push(`notebook cell ${i + 1}: ${o.ename}: ${o.evalue}`);
      const text = Array.isArray(o.text) ? o.text.join('') : (o.text || '');
      if (o.output_type === 'stream' && o.name === 'stderr' && text.trim()) found.push(`notebook cell ${i + 1} stderr: ${text.trim().slice(0, 300)}`);
    }
  });
  return found;
}"""
JS_LOG_CONSOLE = """async () => {
  await window.jupyterapp.commands.execute('logconsole:open', {insertMode: 'split-bottom'});
  await new Promise(r => setTimeout(r, 500));
  const outputs = Array.from(document.querySelectorAll('.jp-LogConsole .jp-OutputArea-output'));
  const text = outputs.map(o => o.innerText.trim()).filter(Boolean);
  await window.jupyterapp.commands.execute('logconsole:open');  // toggles it closed again
  return text;
}"""


@dataclass
class Visit:
    """One lesson open in the page, with what went wrong so far (reported together at the end)."""

    page: object
    name: str
    lab: object
    cells: list
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    typed: str = ""  # the answer typed_answer_is_saved typed

    @property
    def outputs(self):
        return self.page.locator(CELL_OUTPUTS)

    def output(self, cell) -> object:
        return self.outputs.nth(cell.index)

    def counts(self, cell) -> dict:
        return self.output(cell).evaluate(expected.COUNT_JS.replace("([root, selectors])", "(root, selectors)"),
                                          expected.SELECTORS)

    def cells_with(self, **wanted: int) -> list:
        return [c for c in self.cells if all(getattr(c.shows, k) >= v for k, v in wanted.items())]

    def check(self, ok: bool, problem: str) -> bool:
        if not ok:
            self.problems.append(problem)
        return ok


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)


def answers_text(lab) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(lab.answers).glob("*.json")))


# ---------------------------------------------------------------- what every lesson must show
def check_rendered(visit: Visit, timeout: float = 45) -> None:
    """Every cell shows what expected.py says, within ``timeout`` of Run All (players fetch their sound)."""
    missing: list[str] = []

    def complete() -> bool:
        missing.clear()
        for cell in visit.cells:
            missing.extend(expected.problems(visit.counts(cell), cell.shows, cell.label))
        return not missing

    wait_until(complete, timeout, 0.5)
    visit.problems.extend(missing)


def chart_backgrounds(visit: Visit, theme: str, when: str) -> list[str]:
    """Every chart is drawn on the theme's background (the page recolours the charts when the theme changes)."""
    from lessonkit.palette import THEMES

    paper = THEMES["dark" if "Dark" in theme else "light"]["paper"]
    want = "rgb({}, {}, {})".format(*(int(paper[i:i + 2], 16) for i in (1, 3, 5)))
    found = visit.page.locator(f"{PANEL} .js-plotly-plot").evaluate_all(
        "plots => plots.map(p => getComputedStyle(p.querySelector('.main-svg')).backgroundColor)")
    return [f"{theme}, {when}: a chart's background is {got}, not the theme's {want}" for got in found if got != want]


def check_accessible(visit: Visit, when: str, themes: tuple[str, ...] = ("JupyterLab Light",)) -> None:
    """axe-core finds nothing serious or critical in the lesson's content, and every chart has the theme's colours,
    in each of ``themes``."""
    for theme in themes:
        if theme != "JupyterLab Light":
            a11y.set_lab_theme(visit.page, theme)
        try:
            visit.problems.extend(chart_backgrounds(visit, theme, when))
            findings = a11y.audit(visit.page, a11y.NOTEBOOK_CONTENT)
        finally:
            if theme != "JupyterLab Light":
                a11y.set_lab_theme(visit.page, "JupyterLab Light")
        visit.problems.extend(a11y.blocking(findings, f"{theme}, {when}"))
        visit.problems.extend(f"{when}: a positive tabindex puts this first in the order of focus: {html}"
                              for html in a11y.out_of_order(visit.page, a11y.NOTEBOOK_CONTENT))
        visit.notes.append(f"axe, {theme}, {when}: {a11y.counts(findings)}")


def check_clean(visit: Visit) -> None:
    visit.problems.extend(visit.page.evaluate(JS_OUTPUT_PROBLEMS))
    text = visit.page.locator(PANEL).inner_text()
    for hit in re.findall(r".{0,60}\bTraceback\b.{0,60}", text):
        visit.problems.append(f"'Traceback' on the page: {hit!r}")


# ---------------------------------------------------------------- one of each kind of widget
def sliders_redraw_charts(visit: Visit) -> None:
    """In every cell with a chart and a slider, the slider moved one step from the keyboard redraws a chart."""
    for cell in visit.cells_with(charts=1, sliders=1):
        out = visit.output(cell)
        if out.locator(".widget-slider").count() == 0:
            continue  # already reported as missing
        slider = out.locator(".widget-slider").first
        before_chart = out.evaluate(CHART_SIGNATURE)
        before_value = slider.inner_text()
        press_slider(visit.page, slider, "ArrowRight")
        if not wait_until(lambda: slider.inner_text() != before_value, 3):  # at its maximum: go the other way
            press_slider(visit.page, slider, "ArrowLeft")
        moved = wait_until(lambda: slider.inner_text() != before_value, 3)
        if not visit.check(moved, f"{cell.label}: the slider {before_value!r} did not move on an arrow key"):
            continue
        redrawn = wait_until(lambda: out.evaluate(CHART_SIGNATURE) != before_chart, 10)
        visit.check(redrawn, f"{cell.label}: moving the slider {before_value!r} -> {slider.inner_text()!r} "
                             "did not change its chart")
        visit.notes.append(f"{cell.label}: slider {before_value!r} -> {slider.inner_text()!r}, chart redrawn")


def typed_answer_is_saved(visit: Visit) -> None:
    """Text typed in the lesson's first text box reaches the learner's answers file."""
    box = visit.page.locator(f"{CELL_OUTPUTS} .widget-textarea textarea").first
    words = f"Checked in a real browser {secrets.token_hex(4)}"
    box.scroll_into_view_if_needed()
    box.click()
    box.press_sequentially(words, delay=5)
    box.press("Tab")  # boxes that sync on leaving them (continuous_update=False) send their value now
    saved = wait_until(lambda: words in answers_text(visit.lab), 10)
    visit.check(saved, f"typed {words!r} in the box {box.get_attribute('placeholder')!r}; "
                       f"not in the answers file in {visit.lab.answers} after 10 s")
    visit.notes.append(f"typed answer saved: {saved}")
    visit.typed = words


def click(visit: Visit, cell, label: str) -> None:
    button = visit.output(cell).locator("button.jupyter-button", has_text=label).first
    button.scroll_into_view_if_needed()
    button.click()


def refresh_shows_progress(visit: Visit) -> None:
    """Start page: Refresh puts the reflection just typed into the progress table."""
    progress = next(c for c in visit.cells if "course_progress" in c.source)
    words = len(visit.typed.split())
    table = visit.output(progress).locator("table")
    before = table.inner_text()
    click(visit, progress, "Refresh")
    changed = wait_until(lambda: f"{words} of" in table.inner_text() and table.inner_text() != before, 10)
    visit.check(changed, f"Refresh did not show the {words}-word reflection in the progress table: "
                         f"{table.inner_text()[:300]!r}")


def example_is_revealed(visit: Visit) -> None:
    """Lesson 01: "Show an example" shows the example answer and becomes "Hide the example"."""
    cell = next(c for c in visit.cells if "definition-of-success" in c.source)
    out = visit.output(cell)
    click(visit, cell, "Show an example")
    shown = wait_until(lambda: out.get_by_text("Example.", exact=False).first.is_visible()
                       and out.locator("button.jupyter-button", has_text="Hide the example").count() == 1, 10)
    visit.check(shown, f"{cell.label}: 'Show an example' did not show the example")


def next_step_draws_chart(visit: Visit) -> None:
    """Lesson 02: "Next step" opens step 2 of the Capacity Inventory, with its chart drawn."""
    cell = next(c for c in visit.cells if "capacity_inventory" in c.source)
    out = visit.output(cell)
    click(visit, cell, "Next step")
    shown = wait_until(lambda: "Step 2" in out.inner_text() and visit.counts(cell)["charts_drawn"] == 1, 15)
    visit.check(shown, f"{cell.label}: 'Next step' did not open step 2 with its chart "
                       f"({visit.counts(cell)['charts_drawn']} chart(s) drawn)")


def new_version_is_made(visit: Visit) -> None:
    """Lesson 03: "Make a new version" makes version 2, and the player, played before, loads its sound at once."""
    cell = next(c for c in visit.cells if "studio.maker" in c.source)
    out = visit.output(cell)
    audio = out.locator("audio").first
    before = audio.evaluate("a => a.currentSrc || a.src")
    click(visit, cell, "Make a new version")
    made = wait_until(lambda: "Version 2" in visit.page.locator(PANEL).inner_text().replace("\xa0", " "), 30)
    visit.check(made, f"{cell.label}: 'Make a new version' did not make version 2")
    loaded = wait_until(lambda: audio.evaluate("a => (a.currentSrc || a.src) !== %s && a.readyState >= 1"
                                               % json.dumps(before)), 30)
    visit.check(loaded, f"{cell.label}: the player did not load the new version's sound")


def lesson_is_marked_complete(visit: Visit) -> None:
    """The finish box's "Mark this lesson complete", ticked from the keyboard, reaches the answers file."""
    cell = next(c for c in visit.cells if "finish_lesson" in c.source)
    tick = visit.output(cell).locator(".widget-checkbox", has_text="Mark this lesson complete").locator("input")
    tick.scroll_into_view_if_needed()
    tick.focus()
    tick.press("Space")
    lesson_id = Path(visit.name).stem

    def completed() -> bool:
        for path in Path(visit.lab.answers).glob("*.json"):
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("lessons", {}).get(lesson_id, {}).get("completed", {}).get("value") is True:
                return True
        return False

    done = wait_until(completed, 10)
    visit.check(done, f"{cell.label}: ticking 'Mark this lesson complete' did not reach the answers file")
    visit.notes.append(f"marked complete: {done}")


def track_plays(visit: Visit) -> None:
    """Lesson 03: Run All made no sound; the first player's Play, reached with the keyboard and pressed with Enter,
    makes its version's sound, loads it and plays it (its time advances; sound muted in the test browser), and the
    keyboard carries on at the player. A player no one pressed still has made no sound."""
    cell = next(c for c in visit.cells if c.shows.players)
    out = visit.output(cell)
    audio = out.locator("audio").first
    unheard = "a => !a.getAttribute('src') && a.hidden"
    visit.check(audio.evaluate(unheard), f"{cell.label}: the player had a sound before anyone pressed play")
    button = out.get_by_role("button", name=re.compile(r"^Play Version 1 "))
    button.scroll_into_view_if_needed()
    button.focus()
    button.press("Enter")
    loaded = wait_until(lambda: audio.evaluate("a => !a.hidden && (a.currentSrc || a.src).startsWith('blob:') "
                                               "&& a.readyState >= 1"), 30)
    visit.check(loaded, f"{cell.label}: Enter on Play did not load the sound: "
                        f"{out.locator('.lessonkit-player').first.inner_text()!r}")
    state = audio.evaluate("""async a => { await new Promise(r => setTimeout(r, 1500));
        const s = {time: a.currentTime, duration: a.duration, paused: a.paused, error: a.error && a.error.message,
                   focused: document.activeElement === a};
        a.pause(); return s; }""")
    ok = loaded and state["time"] > 0.5 and not state["error"] and state["focused"]
    visit.check(ok, f"{cell.label}: the track did not play from the keyboard, or the focus was lost: {state}")
    visit.notes.append(f"audio after Enter on Play: {state}")
    compare = next(c for c in visit.cells if "studio.compare" in c.source)
    silent = visit.output(compare).locator("audio").evaluate_all(f"players => players.every({unheard})")
    visit.check(silent, f"{compare.label}: a player made its sound without being pressed")


def cover_is_drawn_when_seen(visit: Visit) -> None:
    """Lesson 03: the cover, drawn when it comes on screen, is there once scrolled to, named for screen readers."""
    cell = next(c for c in visit.cells if c.shows.images)
    picture = visit.output(cell).locator("img").first
    picture.scroll_into_view_if_needed()
    drawn = wait_until(lambda: picture.evaluate("i => i.complete && i.naturalWidth > 0 && i.dataset.state === 'shown'"),
                       20)
    visit.check(drawn, f"{cell.label}: the cover was not drawn once on screen "
                       f"({picture.get_attribute('data-state')!r})")
    visit.check("The cover:" in (picture.get_attribute("alt") or ""), f"{cell.label}: the cover has no words")


def stream_fills_portfolio(visit: Visit) -> None:
    """Lesson 02: ticking a stream and typing its amounts redraws both portfolio charts."""
    cell = next(c for c in visit.cells if "portfolio_builder" in c.source)
    out = visit.output(cell)
    before = out.evaluate(CHART_SIGNATURE)
    tick = out.locator(".widget-checkbox", has_text="Mixing").first
    tick.locator("input").check()
    # the stream's row in the grid: its tick box, then its low, likely and high boxes
    for n, amount in enumerate(("2k", "6k", "12k"), start=1):
        box = tick.locator(f"xpath=following-sibling::*[contains(@class, 'widget-text')][{n}]//input")
        box.fill(amount)
        box.press("Tab")  # these boxes send their value on leaving them
    drawn = wait_until(lambda: out.evaluate(CHART_SIGNATURE) != before and "No streams yet" not in out.inner_text(), 15)
    visit.check(drawn, f"{cell.label}: ticking Mixing and typing 2k / 6k / 12k did not redraw the charts")


def master_fader_changes_meter(visit: Visit) -> None:
    """Lesson 03: the master fader moved from the keyboard changes the loudness meter's reading."""
    cell = next(c for c in visit.cells if "studio.mixer" in c.source)
    out = visit.output(cell)
    meter = out.get_by_text(re.compile(r"^Loudness ")).first
    before = meter.inner_text()
    slider = out.locator(".widget-slider", has_text="Master").first
    press_slider(visit.page, slider, "ArrowRight")
    changed = wait_until(lambda: meter.inner_text() != before, 15)
    visit.check(changed, f"{cell.label}: moving the master fader did not change the meter ({before!r})")
    visit.notes.append(f"meter {before!r} -> {meter.inner_text()!r}")


def export_is_pressed_from_the_keyboard(visit: Visit) -> None:
    """Lesson 03: Run All wrote no file; "Export the chosen version", reached with the keyboard and pressed with
    Enter, writes the four files into the folder its line names, and says so (screenshots before and after, dark)."""
    cell = next(c for c in visit.cells if "studio.exporter" in c.source)
    out = visit.output(cell)
    folder = Path(visit.lab.root) / "notebooks" / "artifacts" / "my-track"
    line = out.locator(".lessonkit-message").first
    visit.check(not folder.exists(), f"{cell.label}: Run All exported before anyone pressed Export: {folder}")
    visit.check(str(folder) in line.inner_text(), f"{cell.label}: the exporter's line does not name {folder}: "
                                                  f"{line.inner_text()!r}")
    button = out.get_by_role("button", name="Export the chosen version")
    button.scroll_into_view_if_needed()
    a11y.set_lab_theme(visit.page, "JupyterLab Dark")
    try:
        visit.page.mouse.move(0, 0)
        out.screenshot(path=str(ARTIFACTS / "03-exporter-before-dark.png"))
        button.focus()
        button.press("Enter")
        done = wait_until(lambda: line.inner_text().startswith("Exported at ") and folder.is_dir()
                          and len(list(folder.iterdir())) == 4, 60)
        out.screenshot(path=str(ARTIFACTS / "03-exporter-after-dark.png"))
    finally:
        a11y.set_lab_theme(visit.page, "JupyterLab Light")
    visit.check(done, f"{cell.label}: Enter on Export did not write four files into {folder}: {line.inner_text()!r}")
    files = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    visit.check(all(name in line.inner_text() for name in files), f"{cell.label}: the line does not name {files}")
    visit.notes.append(f"exported: {files}")


INTERACTIONS: dict[str, list[Callable[[Visit], None]]] = {
    "00-start-here.ipynb": [typed_answer_is_saved, refresh_shows_progress],
    "01-music-producer.ipynb": [sliders_redraw_charts, typed_answer_is_saved, example_is_revealed],
    "02-can-you-make-a-living.ipynb": [sliders_redraw_charts, stream_fills_portfolio, typed_answer_is_saved,
                                       next_step_draws_chart],
    "03-make-a-track.ipynb": [track_plays, master_fader_changes_meter, typed_answer_is_saved, new_version_is_made,
                              cover_is_drawn_when_seen, export_is_pressed_from_the_keyboard,
                              lesson_is_marked_complete],
}


def test_every_lesson_has_its_interactions() -> None:
    """Each lesson in notebooks/ is listed above, so a new lesson is not left out of the browser suite."""
    from labdriver import ROOT

    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert on_disk == sorted(LESSONS) == sorted(INTERACTIONS)


@contextmanager
def lesson_after_run_all(browser, lab, name: str, cells: list, artifacts: Path, stem: str) -> Iterator[Visit]:
    """A fresh page on the lesson after Run All, every promised widget checked drawn, clean and accessible (light and
    dark theme): the visit is handed over for the lesson's own checks. Afterwards the kernel is shut down, the page
    closed, and the test fails with every problem found, errors the page logged included."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page_errors: list[str] = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("console", lambda m: page_errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    visit = Visit(page, name, lab, cells)
    try:
        n_cells = len(json.loads((lab.root / "notebooks" / name).read_text(encoding="utf-8"))["cells"])
        open_notebook(page, lab.base, lab.token, f"notebooks/{name}", n_cells)
        started = time.monotonic()
        run_all(page, settle_ms=0)
        check_rendered(visit)
        visit.notes.append(f"Run All to every widget rendered: {time.monotonic() - started:.1f} s")
        check_clean(visit)
        check_accessible(visit, "after Run All", ("JupyterLab Light", "JupyterLab Dark"))
        page.mouse.move(0, 0)  # no plotly hover toolbar in the pictures
        shoot(page, artifacts, f"{stem}-after-run-all")
        yield visit
    finally:
        shutdown_kernel(page)
        context.close()
    visit.problems.extend(f"page: {e}" for e in page_errors)
    visit.problems[:] = list(dict.fromkeys(visit.problems))  # checked before and after the clicks: say it once
    print(f"{name}:", *visit.notes, sep="\n  ")
    assert not visit.problems, f"{name} in JupyterLab (screenshots in {artifacts}):\n  " + "\n  ".join(visit.problems)


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_in_jupyterlab(lab, browser, artifacts: Path, name: str) -> None:
    """After Run All a lesson shows every chart, player and control it promises, with no error or warning
    anywhere, and a learner's first clicks, key presses and typing work."""
    stem = Path(name).stem
    with lesson_after_run_all(browser, lab, name, expected.cells(lab.root / "notebooks" / name), artifacts,
                              stem) as visit:
        page = visit.page
        for interaction in INTERACTIONS[name]:
            before = len(visit.problems)
            try:
                interaction(visit)
            except Exception as error:  # keep going: one broken widget must not hide the others
                visit.problems.append(f"{interaction.__name__}: {type(error).__name__}: {error}")
            if len(visit.problems) > before:
                page.screenshot(path=artifacts / f"{stem}-{interaction.__name__}-failed.png")
        check_clean(visit)  # interactions may have printed an error into a cell
        check_accessible(visit, "after the interactions")  # new steps, versions and messages are on the page
        visit.problems.extend(f"log console: {t[:400]}" for t in page.evaluate(JS_LOG_CONSOLE))
        page.mouse.move(0, 0)
        page.wait_for_timeout(300)
        shoot(page, artifacts, f"{stem}-after-interactions")
