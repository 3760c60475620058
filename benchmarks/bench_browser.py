"""How the lessons feel in a real browser (JupyterLab in headless Chromium, as the browser suite drives it).

- ``browser.<lesson>_run_all_s``: from choosing Run All Cells in the Run menu to every chart, player and
  control the lesson's cells promise (tests/browser/expected.py) being on the page and drawn. Median of
  RUN_ALL_RUNS runs, each in a new page (plotly.js arrives and starts again, as on a learner's first
  lesson of a session) and a kernel that has just started: one run alone swung by a third either way.
- ``browser.<lesson>_run_all_vs_empty``: that time over the same measure of a notebook whose one code
  cell does nothing (``pass``), run in the same page just before the lesson (median of 9): the page's, the server's and
  the kernel's fixed round trip, so the ratio holds steadier than the seconds when the machine is busy.
- ``browser.slider_to_chart_ms``: an arrow key on the first slider of Lesson 01's ideal week, from the
  keydown in the page to the frame after its chart changed in the DOM (the kernel's round trip, plotly's
  in-place update, the redraw). Median of 10 presses, after one unmeasured.
- ``browser.slider_to_chart_pay_paths_ms``: the same on Lesson 01's pay-paths percentile slider.
- ``browser.slider_to_chart_rebuild_ms``: the same on a scratch notebook using the common pattern the
  lessons avoid (the slider's callback clears an ``Output`` and displays a new plotly figure): the baseline.

Needs Playwright and a system Chromium (LESSONKIT_CHROMIUM, or chromium on PATH); without them it says
so on stderr and gives no figures.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

PRESSES = 10
READY = {"charts": "charts_drawn", "players": "players_ready", "images": "images_ready"}

# Every code cell has run and every cell shows what expected.py says (checked each 50 ms).
ALL_SHOWN = """([panel, selectors, cells, ready]) => {
  const count = COUNT;
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !Array.from(w.content.widgets).every(c => c.model.type !== 'code' || c.model.executionCount !== null)) return false;
  const outs = document.querySelectorAll(panel + ' .jp-CodeCell .jp-Cell-outputWrapper');
  if (outs.length < cells.length) return false;
  return cells.every((want, i) => {
    const r = count([outs[i], selectors]);
    if (want.text && !r.text.includes(want.text)) return false;
    return Object.entries(want.counts).every(([k, v]) =>
      ready[k] ? (r[k] === v && r[ready[k]] === v) : r[k] >= v);
  });
}"""

# Arms a probe on `root`: the next keydown starts the clock; the first mutation after it that leaves a
# different, non-empty chart signature stops it, and the following animation frame is the redraw.
ARM = """(root) => {
  const signature = SIGNATURE;
  const before = signature(root);
  const probe = window.__lessonkitProbe = {t0: null, t1: null, t2: null};
  const onKey = () => { if (probe.t0 === null) probe.t0 = performance.now(); };
  window.addEventListener('keydown', onKey, true);  // the window hears a key first
  const watch = new MutationObserver(() => {
    if (probe.t0 === null || probe.t1 !== null) return;
    const now = signature(root);
    if (!now || now === before) return;
    probe.t1 = performance.now();
    watch.disconnect();
    window.removeEventListener('keydown', onKey, true);
    requestAnimationFrame(() => { probe.t2 = performance.now(); });
  });
  watch.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
}"""

REBUILD_SOURCE = """import ipywidgets as W
import plotly.graph_objects as go
from IPython.display import display

share = W.IntSlider(value=25, min=0, max=100, description="Recording & tracking")
out = W.Output()

def draw(*_):
    rest = 100 - share.value
    with out:
        out.clear_output(wait=True)
        display(go.Figure(go.Bar(x=[share.value, rest * 0.4, rest * 0.2, rest * 0.13, rest * 0.27],
                                 y=["Recording", "Mixing", "Production", "Artists", "Business"], orientation="h"),
                          layout={"height": 320, "width": 500}))

share.observe(draw, "value")
draw()
W.VBox([share, out])
"""


def slug(name: str) -> str:
    return Path(name).stem.replace("-", "_").lower()


# The execution count of the open notebook's first code cell (null before it has run).
FIRST_COUNT = """() => { const w = window.jupyterapp.shell.currentWidget;
  const cell = w && Array.from(w.content.widgets).find(c => c.model.type === 'code');
  return cell ? cell.model.executionCount : null; }"""
EMPTY_RUNS = 9
RUN_ALL_RUNS = 3


def write_notebook(path: Path, source: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def time_empty_run_all(page, lab, rel: str) -> float:
    """Median seconds from Run All to its cell having run again, in a notebook whose one code cell does nothing."""
    from labdriver import open_notebook, shutdown_kernel, start_run_all

    open_notebook(page, *lab, rel, 1)
    times = []
    for _ in range(EMPTY_RUNS):
        before = page.evaluate(FIRST_COUNT)
        start_run_all(page)
        start = time.perf_counter()
        # Run All first clears the count, then the kernel's reply sets the next one.
        page.wait_for_function(f"() => {{ const n = ({FIRST_COUNT})(); return n !== null && n !== {json.dumps(before)}; }}",
                               polling="raf", timeout=60_000)
        times.append(time.perf_counter() - start)
    shutdown_kernel(page)
    return statistics.median(times)


def write_rebuild_notebook(path: Path) -> Path:
    return write_notebook(path, REBUILD_SOURCE)


def time_run_all(page, lab, notebook: Path, rel: str) -> float:
    import expected
    from labdriver import PANEL, open_notebook, start_run_all

    cells = [{"counts": c.shows.counts(), "text": c.shows.text} for c in expected.cells(notebook)]
    open_notebook(page, *lab, rel, len(json.loads(notebook.read_text(encoding="utf-8"))["cells"]))
    start_run_all(page)
    start = time.perf_counter()
    page.wait_for_function(ALL_SHOWN.replace("COUNT", expected.COUNT_JS),
                           arg=[PANEL, expected.SELECTORS, cells, READY], polling=50, timeout=120_000)
    return time.perf_counter() - start


def slider_to_chart(page, output, slider_index: int = 0) -> float:
    """Median ms from an arrow key on a slider in ``output`` to the frame after its chart changed."""
    from labdriver import CHART_SIGNATURE, press_slider, wait_kernel_idle

    slider = output.locator(".widget-slider").nth(slider_index)
    arm = ARM.replace("SIGNATURE", CHART_SIGNATURE)
    times = []
    for i in range(PRESSES + 1):
        output.evaluate(arm)
        press_slider(page, slider, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function("() => window.__lessonkitProbe.t2 !== null", timeout=15_000)
        probe = page.evaluate("() => window.__lessonkitProbe")
        if i:  # the first press warms the kernel's and the page's code paths
            times.append(probe["t2"] - probe["t0"])
        wait_kernel_idle(page, 30)
        page.wait_for_timeout(300)  # let saving and any trailing update settle before the next press
    return statistics.median(times)


def run() -> list[tuple[str, float, str]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  playwright is not installed (pip install -e '.[browser]'): no browser figures", file=sys.stderr)
        return []
    from labdriver import LESSONS, PANEL, VIEWPORT, earn_depth_points, find_chromium, lab_server, launch_chromium, \
        run_all, shutdown_kernel

    chromium = find_chromium()
    if not chromium:
        print("  no Chromium (apt-get install chromium, or set LESSONKIT_CHROMIUM): no browser figures",
              file=sys.stderr)
        return []
    results: list[tuple[str, float, str]] = []
    outputs = f"{PANEL} .jp-CodeCell .jp-Cell-outputWrapper"
    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-browser-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "notebooks", root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "artifacts"))
        write_rebuild_notebook(root / "rebuild.ipynb")
        write_notebook(root / "empty.ipynb", "pass")  # Run All skips a blank cell: this one runs, doing nothing
        env = {"LESSONKIT_ANSWERS": str(root / "answers")}
        (root / "answers").mkdir()
        earn_depth_points(root / "answers")  # Lesson 03 is timed open, as a learner with the points runs it
        with sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            try:
                with lab_server("light", root / "jupyterlab.log", root_dir=root, env=env) as lab:
                    for name in LESSONS:
                        print(f"  {name}: Run All (after an empty notebook's), {RUN_ALL_RUNS} times", file=sys.stderr,
                              flush=True)
                        runs, empty = [], None
                        for i in range(RUN_ALL_RUNS):
                            page = browser.new_page(viewport=VIEWPORT)
                            if empty is None:
                                empty = time_empty_run_all(page, lab, "empty.ipynb")
                            runs.append(time_run_all(page, lab, root / "notebooks" / name, f"notebooks/{name}"))
                            if i < RUN_ALL_RUNS - 1:  # the last page stays open for the slider figures
                                shutdown_kernel(page)
                                page.close()
                        try:
                            seconds = statistics.median(runs)
                            results.append((f"browser.{slug(name)}_run_all_s", seconds, "s"))
                            results.append((f"browser.{slug(name)}_run_all_vs_empty", seconds / empty, "ratio"))
                            if name.startswith("01-"):
                                print("  slider to chart: ideal week, pay paths", file=sys.stderr, flush=True)
                                cells = page.locator(outputs)
                                week = cells.filter(has_text="Start again from the card's split").first
                                results.append(("browser.slider_to_chart_ms", slider_to_chart(page, week), "ms"))
                                pay = cells.filter(has_text="How many in 100 earn less than the entry figure").first
                                results.append(("browser.slider_to_chart_pay_paths_ms",
                                                slider_to_chart(page, pay), "ms"))
                        finally:
                            shutdown_kernel(page)
                            page.close()
                    print("  slider to chart: Output-rebuild baseline", file=sys.stderr, flush=True)
                    page = browser.new_page(viewport=VIEWPORT)
                    try:
                        from labdriver import open_notebook

                        open_notebook(page, *lab, "rebuild.ipynb", 1)
                        run_all(page)
                        page.wait_for_selector(f"{outputs} .js-plotly-plot .main-svg")
                        results.append(("browser.slider_to_chart_rebuild_ms",
                                        slider_to_chart(page, page.locator(outputs).first), "ms"))
                    finally:
                        shutdown_kernel(page)
                        page.close()
            finally:
                browser.close()
    return results
