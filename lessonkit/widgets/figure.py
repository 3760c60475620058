"""Live charts: figures that update in place and keep a saved notebook small.

plotly's ``FigureWidget`` updates a chart in place (``batch_update``), but it
carries its 5 MB JavaScript bundle in the widget's state, and papermill or
nbclient copy that state into every executed notebook. ``LiveFigure`` keeps
the in-place updates and ships a small loader as its JavaScript instead: the
loader asks the kernel for the bundle with a custom message, which notebooks
never store, and shares it between every chart on the page.

The loader also tells the kernel whether JupyterLab shows a light or dark
theme, so axis text and grid lines stay readable in both. ``Chart`` builds one from the plain
dicts of :mod:`lessonkit.charts` and afterwards sends only what changed.
"""

from __future__ import annotations

import importlib.util
import sys
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..charts.layout import Layout, Trace, flat, merged
from ..palette import THEMES


class _NbformatOnFirstUse:
    """Stands in for the nbformat module inside plotly until an attribute is asked for."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("nbformat"), name)


def _import_plotly_without_nbformat() -> None:
    """Load plotly without loading nbformat, which it asks for only to check a version on ``fig.show()``.

    In a kernel nbformat brings jsonschema, whose format checkers compile an IRI grammar when
    imported: about a second added to every lesson that never shows a figure that way. plotly
    keeps one module-level reference (``plotly.io._renderers.nbformat``); it gets a stand-in
    that imports the real module on first use, so ``fig.show()`` behaves exactly as before.
    """
    if "nbformat" in sys.modules or "plotly.io._renderers" in sys.modules:
        return
    from _plotly_utils import optional_imports

    skipped = "nbformat" not in optional_imports._not_importable
    optional_imports._not_importable.add("nbformat")
    try:
        import plotly.io._renderers as renderers
    finally:
        if skipped:
            optional_imports._not_importable.discard("nbformat")
    renderers.nbformat = _NbformatOnFirstUse()


_import_plotly_without_nbformat()

import plotly.graph_objects as go  # noqa: E402  (after deferring nbformat, on purpose)

LOADER = r"""
const KEY = "__lessonkit_plotly_widget__";
function bundle(model) {
  if (!globalThis[KEY]) {
    globalThis[KEY] = new Promise((resolve, reject) => {
      // A kernel restarted mid-request never answers: give up, so the next chart asks again.
      const timer = setTimeout(() => { model.off("msg:custom", onMsg); delete globalThis[KEY]; reject(new Error("no chart bundle from the kernel")); }, 60000);
      const onMsg = (msg) => {
        if (!msg || msg.type !== "lessonkit-bundle") return;
        clearTimeout(timer);
        model.off("msg:custom", onMsg);
        const url = URL.createObjectURL(new Blob([msg.code], { type: "text/javascript" }));
        // An anywidget module exports its widget, or a function that makes one per model.
        import(url).then((m) => resolve(m.default), reject);
      };
      model.on("msg:custom", onMsg);
      model.send({ type: "lessonkit-need-bundle" });
    });
  }
  return globalThis[KEY];
}
function isDark() {
  return document.body.dataset.jpThemeLight === "false";
}
function reportTheme(model) {
  model.send({ type: "lessonkit-theme", dark: isDark() });
}
// plotly refreshes a figure's synced data only when the figure itself is displayed; inside a
// box, or after changes made before this view existed, the page would draw stale data. So each
// view first asks the kernel to sync the figure as it is now, and draws once that has arrived.
function synced(model) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, 10000);
    function done() { clearTimeout(timer); model.off("msg:custom", onMsg); resolve(); }
    function onMsg(msg) { if (msg && msg.type === "lessonkit-synced") done(); }
    model.on("msg:custom", onMsg);
    model.send({ type: "lessonkit-sync" });
  });
}
// The widget manager holds a model's messages until initialize() returns, so
// initialize only starts the request; render() waits for the bundle.
// plotly's export is a function whose widget keeps one model in a closure: each
// model gets its own, or every chart on the page would draw the last one's figure.
const started = new WeakMap();
export default {
  initialize({ model }) {
    bundle(model);
  },
  async render(ctx) {
    const made = await bundle(ctx.model);
    if (!started.has(ctx.model)) {
      started.set(ctx.model, (async () => {
        const widget = typeof made === "function" ? await made() : made;
        if (widget.initialize) await widget.initialize(ctx);
        return widget;
      })());
    }
    const widget = await started.get(ctx.model);
    await synced(ctx.model);
    reportTheme(ctx.model);
    const watcher = new MutationObserver(() => reportTheme(ctx.model));
    watcher.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
    const cleanup = await widget.render(ctx);
    return () => { watcher.disconnect(); if (typeof cleanup === "function") cleanup(); };
  },
};
"""


@lru_cache(maxsize=1)
def _bundle() -> str:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "widgetbundle.js").read_text(encoding="utf-8")


class LiveFigure(go.FigureWidget):
    """A FigureWidget whose saved state holds a small loader, not plotly's bundle."""

    _esm = LOADER
    _lessonkit_theme = "light"

    @property
    def theme(self) -> str:
        return self._lessonkit_theme

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_msg(self._on_lessonkit_msg)
        self.apply_theme("light")

    def _on_lessonkit_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "lessonkit-need-bundle":
            self.send({"type": "lessonkit-bundle", "code": _bundle()})
        elif content.get("type") == "lessonkit-sync":
            self.sync_state()
            self.send({"type": "lessonkit-synced"})
        elif content.get("type") == "lessonkit-theme":
            self.apply_theme("dark" if content.get("dark") else "light")

    def sync_state(self) -> None:
        """Copy the figure as it is now into its synced state (what a newly drawn view starts from).

        Updates in between travel as small messages; this full copy happens once per view drawn.
        """
        self._widget_layout = deepcopy(self._layout_obj._props)
        self._widget_data = deepcopy(self._data)

    def apply_theme(self, theme: str) -> None:
        """Colour text, grid, axes and background for JupyterLab's light or dark theme."""
        colours = THEMES[theme]
        self._lessonkit_theme = theme
        with self.batch_update():
            self.layout.paper_bgcolor = colours["paper"]
            self.layout.plot_bgcolor = colours["paper"]
            self.layout.font.color = colours["font"]
            for axis in (self.layout.xaxis, self.layout.yaxis):
                axis.gridcolor = colours["grid"]
                axis.linecolor = colours["line"]
                axis.zerolinecolor = colours["line"]


class Chart:
    """A LiveFigure built once from trace and layout dicts, then sent only what changed.

    The whole first picture goes into the constructor: that is what a browser draws first
    and what an executed notebook saves. Later updates are diffed against what was last
    sent, because plotly re-validates every property it is handed (all of them: ~25 ms a
    change; only the changed ones: a few ms).
    """

    _TRACES = {"scatter": go.Scatter, "bar": go.Bar}

    def __init__(self, traces: list[Trace], layout: Layout, changes: Layout):
        data = [self._TRACES[t["type"]](**{k: v for k, v in t.items() if k != "type"}) for t in traces]
        self.figure = LiveFigure(data=data, layout=merged(layout, changes))
        self._traces, self._layout = traces, flat(changes)

    def update(self, traces: list[Trace], changes: Layout) -> None:
        new_layout = flat(changes)
        with self.figure.batch_update():
            for trace, new, old in zip(self.figure.data, traces, self._traces):
                changed = {k: v for k, v in new.items() if k != "type" and old.get(k) != v}
                if changed:
                    trace.update(changed)
            for path, value in new_layout.items():
                if self._layout.get(path, _UNSET) != value:
                    self.figure.layout[path] = value
        self._traces, self._layout = traces, new_layout


_UNSET = object()
