"""What a learner waits for in Lesson 03 once Run All is done, now that sound and the cover are made when asked.

Run All makes no sound and draws no cover below the fold (``bench_browser`` times it); the work moves here:
- ``browser.track_play_to_sound_ms``: Enter on the first player's Play, on a version not yet heard, with no time
  to ask ahead (the key pressed as the button gets focus): from the keydown in the page to the audio element
  having the sound loaded (``loadedmetadata``). The kernel composes and synthesises the version, mixes it, reads
  its loudness and sends the WAV; the page loads it.
- ``browser.track_play_to_sound_asked_ahead_ms``: the same after the button has had focus for 1 s (as a learner
  who tabs to it, or rests the mouse on it, before pressing), which asks for the sound ahead.
- ``browser.track_cover_seen_to_drawn_ms``: from the cover being scrolled on screen to its preview loaded.
Each is the median over ``RUNS`` fresh kernels per figure (Run All each time, as a learner opening the lesson; the
two Play figures take turns, so each presses Play on a version no one has heard).

Needs Playwright and a system Chromium, as ``bench_browser`` does.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

LESSON = "03-make-a-track.ipynb"
RUNS = 3

def _press(page, button, wait_ms: int) -> float:
    """ms from Enter on ``button`` to its player's sound loaded."""
    button.evaluate("""(b) => {
      const audio = b.closest('.lessonkit-player').querySelector('audio');
      window.__lessonkitPlay = {t0: null, t1: null};
      audio.addEventListener('loadedmetadata', () => { window.__lessonkitPlay.t1 = performance.now(); }, {once: true});
      window.addEventListener('keydown', () => { window.__lessonkitPlay.t0 = performance.now(); },
                              {once: true, capture: true});
    }""")
    button.focus()
    if wait_ms:
        page.wait_for_timeout(wait_ms)
    button.press("Enter")
    page.wait_for_function("() => window.__lessonkitPlay.t1 !== null", timeout=60_000)
    probe = page.evaluate("() => window.__lessonkitPlay")
    return probe["t1"] - probe["t0"]


def _cover(page, picture) -> float:
    """ms from the cover scrolled on screen to its preview loaded."""
    picture.evaluate("""(img) => {
      window.__lessonkitCover = {t0: performance.now(), t1: null};
      const done = () => { if (img.complete && img.naturalWidth > 0) window.__lessonkitCover.t1 = performance.now(); };
      img.addEventListener('load', done, {once: true});
      img.scrollIntoView({block: 'center'});
    }""")
    page.wait_for_function("() => window.__lessonkitCover.t1 !== null", timeout=60_000)
    probe = page.evaluate("() => window.__lessonkitCover")
    return probe["t1"] - probe["t0"]


def _one_visit(page, lab, root: Path, ahead_ms: int) -> tuple[float, float]:
    """Run All, then Enter on the first player's Play (after ``ahead_ms`` of focus), then the cover scrolled to."""
    import bench_browser
    from labdriver import PANEL

    bench_browser.time_run_all(page, lab, root / "notebooks" / LESSON, f"notebooks/{LESSON}")  # every widget drawn
    outputs = page.locator(f"{PANEL} .jp-CodeCell .jp-Cell-outputWrapper")
    maker = outputs.filter(has_text="Make a new version").first
    play = _press(page, maker.get_by_role("button", name="Play Version 1", exact=False).first, ahead_ms)
    page.evaluate("() => document.querySelectorAll('audio').forEach(a => a.pause())")
    seen = _cover(page, outputs.filter(has=page.locator("img[data-state]")).first.locator("img").first)
    return play, seen


def run() -> list[tuple[str, float, str]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  playwright is not installed (pip install -e '.[browser]'): no browser figures", file=sys.stderr)
        return []
    from labdriver import VIEWPORT, earn_depth_points, find_chromium, lab_server, launch_chromium, shutdown_kernel

    chromium = find_chromium()
    if not chromium:
        print("  no Chromium (apt-get install chromium, or set LESSONKIT_CHROMIUM): no browser figures",
              file=sys.stderr)
        return []
    cold: list[float] = []
    ahead: list[float] = []
    seen: list[float] = []
    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-track-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "notebooks", root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "artifacts"))
        (root / "answers").mkdir()
        earn_depth_points(root / "answers")  # Lesson 03 open, as for a learner with the points
        env = {"LESSONKIT_ANSWERS": str(root / "answers")}
        with sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            try:
                with lab_server("light", root / "jupyterlab.log", root_dir=root, env=env) as lab:
                    for n in range(2 * RUNS):
                        waits = n % 2 == 1
                        print(f"  {LESSON}: Run All, then Play{' after 1 s of focus' if waits else ''} and the cover "
                              f"({n + 1} of {2 * RUNS})", file=sys.stderr, flush=True)
                        page = browser.new_page(viewport=VIEWPORT)
                        try:
                            play, cover = _one_visit(page, lab, root, 1000 if waits else 0)
                            (ahead if waits else cold).append(play)
                            seen.append(cover)
                        finally:
                            shutdown_kernel(page)
                            page.close()
            finally:
                browser.close()
    print("  runs (ms): " + json.dumps({"cold": [round(x) for x in cold], "ahead": [round(x) for x in ahead],
                                          "cover": [round(x) for x in seen]}), file=sys.stderr)
    return [("browser.track_play_to_sound_ms", statistics.median(cold), "ms"),
            ("browser.track_play_to_sound_asked_ahead_ms", statistics.median(ahead), "ms"),
            ("browser.track_cover_seen_to_drawn_ms", statistics.median(seen), "ms")]
