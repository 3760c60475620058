"""axe-core over a lesson's own content: what a screen reader or keyboard user would stumble on.

axe-core comes bundled in ``axe-playwright-python`` (the ``browser`` extra), so nothing is fetched
at test time. Only the WCAG 2.1 A and AA rules run, and only on what the lesson puts on the page:
in JupyterLab and Notebook 7 the rendered readings and the cells' outputs (JupyterLab's own menus,
toolbars and code editors are not the course's to fix); in Voila the whole page, which is the lesson.
A finding of impact "serious" or "critical" fails the browser suite; the others are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

# Lesson content in a notebook page: rendered Markdown cells and every code cell's outputs.
NOTEBOOK_CONTENT = [".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .jp-RenderedMarkdown",
                    ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-OutputArea"]
VOILA_CONTENT = ["body"]


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    nodes: int
    help: str
    targets: tuple[str, ...]  # the first few elements, as CSS selectors
    html: str  # the first element's markup, shortened

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING

    def line(self) -> str:
        return (f"{self.impact} {self.rule} x{self.nodes}: {self.help} (e.g. {', '.join(self.targets)}: "
                f"{self.html})")


def axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def audit(page, include: list[str]) -> list[Finding]:
    """Run axe-core's WCAG 2.1 A/AA rules on the elements matching ``include`` in ``page``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    response = page.evaluate(
        """async ([include, tags]) => {
             const present = include.filter(sel => document.querySelector(sel));
             if (!present.length) return {violations: []};
             return await axe.run({include: present.map(sel => [sel])},
                                  {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
           }""", [include, WCAG_21_AA])
    found = []
    for v in response["violations"]:
        nodes = v["nodes"]
        targets = tuple(" ".join(map(str, n["target"]))[-90:] for n in nodes[:3])
        snippet = (nodes[0].get("html", "") if nodes else "").replace("\n", " ")[:160]
        found.append(Finding(v["id"], v.get("impact") or "minor", len(nodes), v["help"], targets, snippet))
    return found


def out_of_order(page, include: list[str]) -> list[str]:
    """Elements in ``include`` with a positive tabindex, which Tab visits before everything else: with none,
    the order of focus is the order of reading (the page's order)."""
    return page.evaluate(
        """include => include.flatMap(sel => Array.from(document.querySelectorAll(sel)))
             .flatMap(root => Array.from(root.querySelectorAll('[tabindex]')))
             .filter(e => e.tabIndex > 0).map(e => e.outerHTML.slice(0, 120))""", include)


def counts(findings: list[Finding]) -> str:
    """'serious 11 (label), critical 1 (image-alt)': elements found by impact, for notes and reports."""
    by: dict[str, list[Finding]] = {}
    for f in findings:
        by.setdefault(f.impact, []).append(f)
    order = ["critical", "serious", "moderate", "minor"]
    return ", ".join(f"{impact} {sum(f.nodes for f in fs)} ({', '.join(sorted({f.rule for f in fs}))})"
                     for impact, fs in sorted(by.items(), key=lambda kv: order.index(kv[0]))) or "none"


def blocking(findings: list[Finding], where: str) -> list[str]:
    """Each serious or critical finding as a problem line naming where it was found."""
    return [f"{where}: axe: {f.line()}" for f in findings if f.blocking]


def set_lab_theme(page, theme: str) -> None:
    """Switch JupyterLab's theme in the open page and wait until it is applied."""
    page.evaluate("name => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})", theme)
    page.wait_for_function("name => document.body.dataset.jpThemeName === name", arg=theme, timeout=15_000)
    page.wait_for_timeout(600)  # plotly and widgets pick up the new colours
