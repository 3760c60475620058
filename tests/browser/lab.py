"""Screenshot lesson notebooks as a learner sees them in JupyterLab (headless Chromium).

Not a pytest module (the name does not start with ``test_``); run it by hand:

    python tests/browser/lab.py --out /tmp/shots --theme light            # all lessons
    python tests/browser/lab.py --out /tmp/shots --theme dark 02-can-you-make-a-living.ipynb

For each notebook it starts a private ``jupyter lab`` (random token, free port,
throw-away config/settings/workspace/data dirs, so the theme and windowing mode
are this script's own and nothing touches the user's Jupyter setup), opens the
lesson, screenshots it from top to bottom, runs Run -> Run All Cells from the
menu, waits for the kernel to be idle, screenshots again, and, where the lesson
has ``<details>`` FAQ items, checks that one opens from the keyboard.

Nothing is written to the work tree: autosave is off, the page is closed without
saving, and the checkpoint JupyterLab makes on opening goes to a temporary folder
(the script checks the notebooks' hashes at the end).

Needs: ``pip install playwright`` and a system Chromium (Debian: ``apt-get install
chromium``); it never downloads a browser. A JSON report with console errors,
error outputs and DOM facts (callouts, their colours and contrast, hidden code,
the "Ready" line) is written next to the PNGs.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ["00-start-here.ipynb", "01-music-producer.ipynb", "02-can-you-make-a-living.ipynb", "03-make-a-track.ipynb"]
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1280, "height": 900}
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
SCROLLER = f"{PANEL} .jp-WindowedPanel-outer"


# ---------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir: Path, theme: str) -> None:
    """User settings (JUPYTERLAB_SETTINGS_DIR) that make every run look the same and stay offline."""
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


@contextlib.contextmanager
def lab_server(theme: str, log_path: Path):
    """A private JupyterLab on a free port; yields (base_url, token) and shuts it down afterwards."""
    token = secrets.token_hex(16)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="lab-shots-") as tmp:
        tmp = Path(tmp)
        write_settings(tmp / "settings", theme)
        env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(tmp / "config"),
                   JUPYTER_DATA_DIR=str(tmp / "data"),
                   JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
                   IPYTHONDIR=str(tmp / "ipython"))
        env.pop("JUPYTER_PATH", None)
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--IdentityProvider.token={token}",
               "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={ROOT}", "--LabApp.expose_app_in_browser=True",
               # JupyterLab makes a checkpoint when it opens a file: keep it out of the work tree
               f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI often run as root
        with open(log_path, "w") as log:
            proc = subprocess.Popen(cmd, env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            base = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 90
                while True:
                    if proc.poll() is not None:
                        raise RuntimeError(f"jupyter lab exited with {proc.returncode}; see {log_path}")
                    try:
                        with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                            if r.status == 200:
                                break
                    except OSError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"jupyter lab did not answer within 90 s; see {log_path}")
                    time.sleep(0.5)
                yield base, token
            finally:
                stop_server(proc, base, token)


def stop_server(proc: subprocess.Popen, base: str, token: str) -> None:
    with contextlib.suppress(OSError):
        req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST", data=b"")
        urllib.request.urlopen(req, timeout=5).close()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # kernels were started in the server's own session (process group): end any left behind
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)


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

JS_FACTS = """() => {
  const panel = document.querySelector(PANEL_SEL);
  const lum = (rgb) => {
    const m = rgb.match(/[\\d.]+/g).map(Number);
    const ch = m.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return +((x + 0.05) / (y + 0.05)).toFixed(2); };
  const bgOf = (el) => { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
      if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const alerts = Array.from(panel.querySelectorAll('.alert')).map(a => {
    const s = getComputedStyle(a); const bg = bgOf(a);
    const strong = a.querySelector('strong'); const link = a.querySelector('a');
    return { cls: a.className, role: a.getAttribute('role'), aria_label: a.getAttribute('aria-label'),
      in_output: !!a.closest('.jp-OutputArea'), text: a.innerText.trim().slice(0, 90),
      bg, color: s.color, border: s.borderColor, contrast: contrast(s.color, bg),
      label_contrast: strong ? contrast(getComputedStyle(strong).color, bg) : null,
      link_contrast: link ? contrast(getComputedStyle(link).color, bg) : null };
  });
  const cells = Array.from(panel.querySelectorAll('.jp-Cell'));
  const code = cells.filter(c => c.classList.contains('jp-CodeCell'));
  const tables = Array.from(panel.querySelectorAll('.jp-RenderedMarkdown table'));
  return {
    theme: document.body.dataset.jpThemeName, light: document.body.dataset.jpThemeLight,
    cells: cells.length, markdown_cells: cells.length - code.length, code_cells: code.length,
    unrendered_markdown: panel.querySelectorAll('.jp-MarkdownCell:not(.jp-mod-rendered)').length,
    code_inputs_hidden: code.filter(c => c.querySelector('.jp-InputPlaceholder')).length,
    code_editors_visible: code.filter(c => { const e = c.querySelector('.jp-InputArea-editor'); return e && e.offsetParent !== null; }).length,
    headings: Array.from(panel.querySelectorAll('.jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3')).map(h => h.tagName + ' ' + h.textContent.replace('¶', '').trim()),
    tables: tables.length, table_rows: tables.map(t => t.rows.length),
    details: panel.querySelectorAll('.jp-RenderedMarkdown details').length,
    summaries: Array.from(panel.querySelectorAll('.jp-RenderedMarkdown summary')).map(s => s.textContent.trim()),
    navs: Array.from(panel.querySelectorAll('.jp-RenderedMarkdown nav')).map(n => n.getAttribute('aria-label')),
    raw_html_visible: /<\\/?(div|details|summary|nav)\\b/.test(panel.innerText),
    alerts,
    outputs: Array.from(panel.querySelectorAll('.jp-OutputArea-output')).map(o => ({
      mime: o.dataset.mimeType || o.getAttribute('data-mime-type'), text: o.innerText.trim().slice(0, 300)})),
    error_outputs: panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
    ready: Array.from(panel.querySelectorAll('.jp-OutputArea-output')).map(o => o.innerText).filter(t => t.includes('Ready')),
    text_hits: (panel.innerText.match(/.{0,60}(Traceback|Error|Exception).{0,60}/g) || []),
  };
}""".replace("PANEL_SEL", json.dumps(PANEL))


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


def run_all(page) -> dict:
    """Run -> Run All Cells from the menu bar, as the lesson tells learners to."""
    page.locator(PANEL).locator(".jp-Notebook").click(position={"x": 5, "y": 5})
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    page.wait_for_timeout(500)
    state = wait_kernel_idle(page, 180)
    if state["executed"] < state["code"]:  # the kernel may report idle before the last reply lands
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
            return Array.from(w.content.widgets).every(c => c.model.type !== 'code' || c.model.executionCount !== null); }""",
                               timeout=60_000)
        state = wait_kernel_idle(page, 60)
    page.wait_for_timeout(800)
    return state


def faq_keyboard(page, out: Path, stem: str) -> dict | None:
    """Focus the first FAQ <summary> and press Enter; report whether it opened, and screenshot it."""
    summary = page.locator(f"{PANEL} .jp-RenderedMarkdown details > summary").first
    if summary.count() == 0:
        return None
    result = {}
    page.keyboard.press("Escape")  # command mode, as a learner who has just run the lesson would be
    summary.scroll_into_view_if_needed()
    summary.evaluate("e => e.focus()")
    result["focused"] = summary.evaluate("e => document.activeElement === e")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    details = summary.locator("xpath=..")
    result["open_after_enter"] = details.evaluate("e => e.open")
    result["cell_in_edit_mode_after_enter"] = page.evaluate(
        "() => !!document.querySelector(%s + ' .jp-Notebook.jp-mod-editMode')" % json.dumps(PANEL))
    result["markdown_unrendered_after_enter"] = page.evaluate(
        "() => document.querySelectorAll(%s + ' .jp-MarkdownCell:not(.jp-mod-rendered)').length" % json.dumps(PANEL))
    summary = page.locator(f"{PANEL} .jp-RenderedMarkdown details > summary").first
    if summary.count():
        summary.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=out / f"{stem}-faq-enter.png")
    result["screenshot_enter"] = f"{stem}-faq-enter.png"
    # put things back (leave edit mode, re-render) and try Space, then a mouse click for comparison
    if result["markdown_unrendered_after_enter"]:
        page.keyboard.press("Shift+Enter")  # render the cell again without changing it
        page.wait_for_timeout(300)
    page.keyboard.press("Escape")
    summary = page.locator(f"{PANEL} .jp-RenderedMarkdown details > summary").first
    details = summary.locator("xpath=..")
    details.evaluate("e => { e.open = false; }")
    summary.evaluate("e => e.focus()")
    page.keyboard.press("Space")
    page.wait_for_timeout(400)
    result["open_after_space"] = details.evaluate("e => e.open")
    details.evaluate("e => { e.open = false; }")
    summary.click()
    page.wait_for_timeout(400)
    result["open_after_click"] = details.evaluate("e => e.open")
    summary.scroll_into_view_if_needed()
    page.screenshot(path=out / f"{stem}-faq-click.png")
    result["screenshot_click"] = f"{stem}-faq-click.png"
    # Tab: from the notebook (command mode), how many Tab presses reach a <summary>, and does Enter open it?
    page.keyboard.press("Escape")
    page.evaluate("sel => document.querySelectorAll(sel + ' details').forEach(d => { d.open = false; })", PANEL)
    page.locator(f"{PANEL} .jp-Notebook").evaluate("e => e.focus()")
    reached = None
    for n in range(1, 41):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.tagName === 'SUMMARY'"):
            reached = n
            break
    result["tab_presses_to_reach_a_summary"] = reached
    if reached:
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
        result["summary_reached_by_tab"] = page.evaluate("() => document.activeElement.textContent.trim()")
        result["open_after_tab_then_enter"] = page.evaluate("() => document.activeElement.parentElement.open")
        page.evaluate("() => document.activeElement.scrollIntoView({block: 'center'})")
        page.screenshot(path=out / f"{stem}-faq-tab-enter.png")
        result["screenshot_tab_enter"] = f"{stem}-faq-tab-enter.png"
    return result


# ---------------------------------------------------------------- one notebook
def notebook_hashes() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((ROOT / "notebooks").glob("*.ipynb"))}


def shoot_notebook(browser, base: str, token: str, name: str, theme: str, out: Path) -> dict:
    n_cells = len(json.loads((ROOT / "notebooks" / name).read_text())["cells"])
    stem = f"{Path(name).stem}-{theme}"
    report: dict = {"notebook": name, "theme": theme, "console": [], "page_errors": [], "failed_requests": []}
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1,
                                  color_scheme="dark" if theme == "dark" else "light")
    page = context.new_page()
    page.on("console", lambda m: report["console"].append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: report["page_errors"].append(str(e)))
    page.on("requestfailed", lambda r: report["failed_requests"].append(f"{r.url} {r.failure}"))
    try:
        page.goto(f"{base}/lab/tree/notebooks/{name}?token={token}", wait_until="domcontentloaded")
        wait_rendered(page, n_cells)
        report["on_open"] = page.evaluate(JS_STATE)  # dirty: True means JupyterLab changed the notebook on load
        report["before"] = page.evaluate(JS_FACTS)
        report["before_files"] = shoot(page, out, f"{stem}-before")
        report["run_state"] = run_all(page)
        report["after"] = page.evaluate(JS_FACTS)
        report["after_files"] = shoot(page, out, f"{stem}-after")
        report["faq_keyboard"] = faq_keyboard(page, out, stem)
    except Exception as error:  # keep what we have, and a picture of the failure
        report["failure"] = f"{type(error).__name__}: {error}"
        with contextlib.suppress(Exception):
            page.screenshot(path=out / f"{stem}-failure.png")
    finally:
        with contextlib.suppress(Exception):  # stop the kernel; never save
            page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
        context.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    parser.add_argument("--theme", choices=sorted(THEMES), default="light")
    parser.add_argument("notebooks", nargs="*", default=LESSONS, help="names in notebooks/ (default: all lessons)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright  # imported late so --help works without it

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        parser.error("no chromium on PATH (Debian: apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    names = [Path(n).name if n.endswith(".ipynb") else f"{Path(n).name}.ipynb" for n in args.notebooks]
    hashes = notebook_hashes()
    reports = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for name in names:
                with lab_server(args.theme, args.out / f"server-{Path(name).stem}-{args.theme}.log") as (base, token):
                    reports.append(shoot_notebook(browser, base, token, name, args.theme, args.out))
        finally:
            browser.close()
    changed = [n for n, h in notebook_hashes().items() if hashes.get(n) != h]
    path = args.out / f"report-{args.theme}.json"
    path.write_text(json.dumps({"notebooks_changed_on_disk": changed, "reports": reports}, indent=2, ensure_ascii=False))
    bad = 0
    for r in reports:
        after = r.get("after", {})
        problems = [r.get("failure")] if r.get("failure") else []
        problems += [f"{after.get('error_outputs')} error output(s)"] if after.get("error_outputs") else []
        problems += ["no Ready line"] if after and not after.get("ready") else []
        problems += [f"{len(r['page_errors'])} page error(s)"] if r["page_errors"] else []
        bad += bool(problems)
        print(f"{r['notebook']} [{r['theme']}]: {'; '.join(problems) or 'ok'}"
              f" ({len(r['console'])} console error/warning line(s))")
    if changed:
        print(f"WARNING: notebooks changed on disk during the run: {changed}")
    print(f"screenshots and {path.name} in {args.out}")
    return 1 if bad or changed else 0


if __name__ == "__main__":
    sys.exit(main())
