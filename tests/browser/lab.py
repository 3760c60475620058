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

Needs: ``pip install -e '.[browser]'`` (Playwright) and a system Chromium (Debian: ``apt-get
install chromium``, or Chrome named by ``LESSONKIT_CHROMIUM``); it never downloads a browser.
The server and page helpers are shared with the browser suite (``labdriver.py``). A JSON
report with console errors, error outputs and DOM facts (callouts, their colours and
contrast, hidden code, the "Ready" line) is written next to the PNGs.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import sys
from pathlib import Path

# The server and page helpers are shared with the browser suite (labdriver.py, beside this file).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from labdriver import (  # noqa: E402
    HOW_TO_GET_CHROMIUM, JS_STATE, LESSONS, PANEL, ROOT, THEMES, VIEWPORT, find_chromium, lab_server,
    launch_chromium, run_all, shoot, wait_rendered,
)


# ---------------------------------------------------------------- the page
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

    chromium = find_chromium()
    if not chromium:
        parser.error("no Chromium found: " + HOW_TO_GET_CHROMIUM)
    args.out.mkdir(parents=True, exist_ok=True)
    names = [Path(n).name if n.endswith(".ipynb") else f"{Path(n).name}.ipynb" for n in args.notebooks]
    hashes = notebook_hashes()
    reports = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw, chromium)
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
