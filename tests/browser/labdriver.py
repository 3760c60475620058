"""A private JupyterLab (or Voila) server and a headless Chromium page that drives it.

Shared by the screenshot tool (``lab.py``), the browser suite (``test_*.py`` here) and
``benchmarks/bench_browser.py``. The server runs on 127.0.0.1, a free port, a random token
and throw-away config, settings, workspace and data folders, so what the page shows is this
module's own setup (theme, no virtual scrolling, no autosave) and the user's Jupyter setup is
never touched. The browser is the system's Chromium; nothing here downloads one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ["00-start-here.ipynb", "01-music-producer.ipynb", "02-can-you-make-a-living.ipynb", "03-make-a-track.ipynb"]
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 # the lesson's audio player is tested by playing it: no click needed, no sound card either
                 "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
VIEWPORT = {"width": 1280, "height": 900}
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
SCROLLER = f"{PANEL} .jp-WindowedPanel-outer"
HOW_TO_GET_CHROMIUM = ("install Chromium (Debian/Ubuntu: apt-get install chromium) or Chrome and set "
                       "LESSONKIT_CHROMIUM=/path/to/the/browser")


def find_chromium() -> str | None:
    """The browser to drive: ``LESSONKIT_CHROMIUM`` if set, else a Chromium or Chrome on PATH."""
    explicit = os.environ.get("LESSONKIT_CHROMIUM", "").strip()
    if explicit:
        return explicit if Path(explicit).is_file() else shutil.which(explicit)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


# ---------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir: Path, theme: str) -> None:
    """User settings (JUPYTERLAB_SETTINGS_DIR) that make every run look the same and stay offline.

    windowingMode "none" renders every cell, not only those near the viewport, so a
    widget far down the lesson is in the page to be counted.
    """
    settings = {
        "@jupyterlab/apputils-extension/themes": {"theme": THEMES[theme]},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
    }
    for name, values in settings.items():
        path = settings_dir / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


def _private_env(tmp: Path, extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               IPYTHONDIR=str(tmp / "ipython"))
    env.pop("JUPYTER_PATH", None)
    env.update(extra or {})
    return env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _listens(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _serve(cmd: list[str], env: dict[str, str], cwd: Path, log_path: Path, ready, what: str):
    """Start ``cmd`` in its own session and wait until ``ready()`` is true; returns the process."""
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()  # the child has its own copy
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}; see {log_path}")
        if ready():
            return proc
        if time.monotonic() > deadline:
            stop_process(proc)
            raise RuntimeError(f"{what} did not answer within 90 s; see {log_path}")
        time.sleep(0.5)


@contextlib.contextmanager
def lab_server(theme: str, log_path: Path, root_dir: Path = ROOT,
               env: Mapping[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """A private JupyterLab serving ``root_dir``; yields (base_url, token) and shuts it down afterwards.

    ``env`` adds variables for the server and so for its kernels (``LESSONKIT_ANSWERS``, for one).
    """
    token = secrets.token_hex(16)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="lab-shots-") as tmp:
        tmp = Path(tmp)
        write_settings(tmp / "settings", theme)
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--IdentityProvider.token={token}",
               "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={root_dir}", "--LabApp.expose_app_in_browser=True",
               # JupyterLab makes a checkpoint when it opens a file: keep it out of the work tree
               f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        with _jupyter(cmd, tmp, env, log_path, port, token, "jupyter lab") as served:
            yield served


@contextlib.contextmanager
def _jupyter(cmd: list[str], tmp: Path, env: Mapping[str, str] | None, log_path: Path, port: int, token: str,
             name: str) -> Iterator[tuple[str, str]]:
    """Run a Jupyter server command until its API answers, and stop it afterwards; yields (base_url, token)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd = [*cmd, "--allow-root"]  # containers and CI often run as root
    base = f"http://127.0.0.1:{port}"
    proc = _serve(cmd, _private_env(tmp, env), tmp, log_path, lambda: _answers(f"{base}/api/status?token={token}"),
                  name)
    try:
        yield base, token
    finally:
        stop_server(proc, base, token)


@contextlib.contextmanager
def notebook7_server(log_path: Path, root_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """A private Jupyter Notebook 7 serving ``root_dir``, set up as ``lab_server`` sets up JupyterLab (light
    theme, every cell rendered); yields (base_url, token). A notebook opens at ``/notebooks/<path>``."""
    token = secrets.token_hex(16)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nb7-") as tmp:
        tmp = Path(tmp)
        write_settings(tmp / "settings", "light")
        # Notebook 7 has no extension manager: settings for a plugin it lacks stop its settings loading
        shutil.rmtree(tmp / "settings" / "@jupyterlab" / "extensionmanager-extension")
        cmd = [sys.executable, "-m", "notebook", "--no-browser", f"--IdentityProvider.token={token}",
               "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={root_dir}", "--JupyterNotebookApp.expose_app_in_browser=True",
               f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}"]
        with _jupyter(cmd, tmp, env, log_path, port, token, "jupyter notebook") as served:
            yield served


@contextlib.contextmanager
def voila_folder_server(folder: Path, log_path: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Voila serving every notebook in ``folder``; yields a URL template: ``url.format(name=...)`` opens one as
    an app, run in a new kernel."""
    token = secrets.token_hex(16)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="voila-") as tmp:
        cmd = [sys.executable, "-m", "voila", str(folder), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", f"--token={token}"]
        proc = _serve(cmd, _private_env(Path(tmp), env), folder, log_path, lambda: _listens(port), "voila")
        try:
            yield f"http://127.0.0.1:{port}/voila/render/{{name}}?token={token}"
        finally:
            stop_process(proc)


@contextlib.contextmanager
def voila_server(notebook: Path, log_path: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Voila serving one notebook as an app (code hidden); yields the app's URL, with its token.

    Voila runs the notebook in a new kernel each time the page is asked for, in the notebook's folder.
    """
    token = secrets.token_hex(16)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="voila-") as tmp:
        tmp = Path(tmp)
        cmd = [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", f"--token={token}",
               "--Voila.show_tracebacks=True"]
        proc = _serve(cmd, _private_env(tmp, env), notebook.parent, log_path, lambda: _listens(port), "voila")
        try:
            yield f"http://127.0.0.1:{port}/?token={token}"
        finally:
            stop_process(proc)


def stop_process(proc: subprocess.Popen) -> None:
    """End a server started by this module, then anything left in its process group (its kernels)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)


def stop_server(proc: subprocess.Popen, base: str, token: str) -> None:
    with contextlib.suppress(OSError):
        req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST", data=b"")
        urllib.request.urlopen(req, timeout=5).close()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    stop_process(proc)


# ---------------------------------------------------------------- the page
JS_STATE = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  const ctx = w && w.sessionContext;
  const kernel = ctx && ctx.session && ctx.session.kernel;
  const cells = w && w.content ? Array.from(w.content.widgets) : [];
  return {
    kernel: kernel ? kernel.status : null,
    dirty: w && w.context ? w.context.model.dirty : null,
    cells: cells.length,
    code: cells.filter(c => c.model.type === 'code').length,
    executed: cells.filter(c => c.model.type === 'code' && c.model.executionCount !== null).length,
    pending: document.querySelectorAll(PANEL_SEL + ' .jp-InputPrompt').length
      ? Array.from(document.querySelectorAll(PANEL_SEL + ' .jp-InputPrompt')).filter(p => p.textContent.includes('*')).length : 0,
  };
}""".replace("PANEL_SEL", json.dumps(PANEL))


def launch_chromium(playwright, executable: str):
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def open_notebook(page, base: str, token: str, path: str, n_cells: int, timeout: float = 60) -> None:
    """Open ``path`` (relative to the server's root) in JupyterLab and wait until every cell is rendered.

    Each notebook gets a workspace of its own, so JupyterLab does not reopen (and start kernels for)
    the notebooks opened before it on the same server.
    """
    workspace = re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?token={token}", wait_until="domcontentloaded")
    wait_rendered(page, n_cells, timeout)


def wait_rendered(page, n_cells: int, timeout: float = 60) -> None:
    page.wait_for_function(
        """([sel, n]) => { const p = document.querySelector(sel);
             return p && p.querySelectorAll('.jp-Cell').length >= n
               && p.querySelectorAll('.jp-MarkdownCell:not(.jp-mod-rendered)').length === 0; }""",
        arg=[PANEL, n_cells], timeout=timeout * 1000)
    wait_kernel_idle(page, timeout)
    page.wait_for_timeout(800)  # fonts, images, layout settle


def wait_kernel_idle(page, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    state = {}
    while time.monotonic() < deadline:
        state = page.evaluate(JS_STATE)
        if state["kernel"] == "idle" and not state["pending"]:
            return state
        page.wait_for_timeout(300)
    raise TimeoutError(f"kernel not idle after {timeout} s: {state}")


def start_run_all(page) -> None:
    """Choose Run -> Run All Cells from the menu bar, as the lesson tells learners to; returns at the click."""
    page.locator(PANEL).locator(".jp-Notebook").click(position={"x": 5, "y": 5})
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()


def run_all(page, settle_ms: int = 800) -> dict:
    """Run All Cells from the menu, then wait until every code cell has run and the kernel is idle."""
    start_run_all(page)
    page.wait_for_timeout(500)
    state = wait_kernel_idle(page, 180)
    if state["executed"] < state["code"]:  # the kernel may report idle before the last reply lands
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
            return Array.from(w.content.widgets).every(c => c.model.type !== 'code' || c.model.executionCount !== null); }""",
                               timeout=60_000)
        state = wait_kernel_idle(page, 60)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    return state


# height of the cells inside the notebook scroller (its scrollHeight adds JupyterLab's "scroll past end" space)
CONTENT_HEIGHT = """e => { const cells = e.querySelectorAll('.jp-Cell');
  const last = cells[cells.length - 1];
  const end = last ? last.getBoundingClientRect().bottom - e.getBoundingClientRect().top + e.scrollTop + 24 : e.scrollHeight;
  return [Math.min(Math.ceil(end), e.scrollHeight), e.clientHeight]; }"""


def shoot(page, out: Path, stem: str) -> list[str]:
    """The whole window once, then the notebook panel page by page (top to bottom), then one tall image."""
    files = []
    page.screenshot(path=out / f"{stem}-window.png")
    files.append(f"{stem}-window.png")
    scroller = page.locator(SCROLLER)
    panel = page.locator(PANEL)
    total, view = scroller.evaluate(CONTENT_HEIGHT)
    top, i = 0, 1
    while True:
        scroller.evaluate("(e, y) => { e.scrollTop = y; }", top)
        page.wait_for_timeout(250)
        name = f"{stem}-p{i:02d}.png"
        panel.screenshot(path=out / name)
        files.append(name)
        if top + view >= total:
            break
        top += view - 60  # keep a little overlap so no line is cut in half unseen
        top = min(top, total - view)  # the last page ends where the lesson ends
        i += 1
    # one tall picture of the whole lesson: grow the window until the notebook needs no scrolling
    chrome = VIEWPORT["height"] - view
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(total + chrome + 20, 16000)})
    page.wait_for_timeout(600)
    scroller.evaluate("e => { e.scrollTop = 0; }")
    box = panel.bounding_box()
    top_px = scroller.evaluate("e => e.getBoundingClientRect().top")
    clip = dict(x=box["x"], y=box["y"], width=box["width"],
                height=min(box["height"], top_px - box["y"] + scroller.evaluate(CONTENT_HEIGHT)[0]))
    page.screenshot(path=out / f"{stem}-full.png", clip=clip)
    files.append(f"{stem}-full.png")
    page.set_viewport_size(VIEWPORT)
    page.wait_for_timeout(400)
    scroller.evaluate("e => { e.scrollTop = 0; }")
    return files


# Everything plotly has drawn inside an element (bar and line paths, tick and annotation text):
# it changes whenever a chart there is redrawn with different data, whichever bar moved.
CHART_SIGNATURE = """root => Array.from(root.querySelectorAll('.js-plotly-plot')).map(p =>
  Array.from(p.querySelectorAll('.main-svg path, .main-svg text'))
    .map(e => e.getAttribute('d') || e.textContent).join('|')).join('#')"""


def press_slider(page, slider, key: str = "ArrowRight") -> None:
    """Move a slider one step from the keyboard, as a learner would (Tab to it, then an arrow key): a lesson's
    slider (a range input), or an ipywidgets one (its handle)."""
    handle = slider.locator("input[type=range], .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press(key)


def shutdown_kernel(page) -> None:
    """Stop the open notebook's kernel; never save."""
    with contextlib.suppress(Exception):
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")


def earn_depth_points(answers: Path) -> None:
    """The learner has written the reflection that opens the extension lessons (the core lesson worth the most
    points, read from data/), as a learner who reached Lesson 03 would have; Lesson 00's own reflection stays
    empty for the start page's checks."""
    from lessonkit.answers import open_store
    from lessonkit.content import load_course
    from lessonkit.identity import DEFAULT_LEARNER

    course = load_course()
    core = [lesson.id for lesson in course.lessons() if lesson.extension is None and lesson.id in course.prompts]
    richest = max(core, key=lambda lesson_id: course.prompts[lesson_id].reflection.depth_points)
    needs = max(lesson.extension.depth_points for lesson in course.lessons() if lesson.extension)
    rule = course.prompts[richest].reflection
    assert rule.depth_points >= needs, "no single core reflection opens the extensions; seed more of them"
    store = open_store(answers / f"{DEFAULT_LEARNER}.json", course_id=course.id, learner_id=DEFAULT_LEARNER)
    store.set_lesson_field(richest, "reflection", " ".join(["reflecting"] * rule.min_words))
    store.flush()
