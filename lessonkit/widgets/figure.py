"""Live charts: plain plotly JSON drawn by plotly.js in the page, updated in place, with a saved notebook kept small.

``LiveFigure`` is an anywidget holding a chart as plain JSON (its traces, its layout, plotly's
config) in synced traits: the dicts :mod:`lessonkit.charts` builds, handed over unchanged, so the
kernel never loads plotly's Python side. Its JavaScript is a small module that draws them with
``Plotly.react`` on first view and on every change. plotly.js itself (its basic bundle, 1.2 MB,
shipped in lessonkit: :mod:`lessonkit.plotly_js`) is not in the widget's saved state: it travels in a
custom message, which notebooks never store, and every chart on the page shares it. The message carries
the file's bytes as a binary buffer, so neither the kernel nor the page (nor papermill, which receives
every message) writes or parses 1.2 MB of JSON, and the kernel never signs them. The kernel sends
it unasked right after its first chart, so a page running all cells has it while the later cells
still run (a request from the page would wait behind them); a page that connects later (a reload,
Voila) asks for it.

The page colours each chart for JupyterLab's light or dark theme itself, and redraws when the
theme changes. ``Chart`` builds one from a chart's traces and layout and afterwards sends only
the traits whose values changed, in one message.
"""

from __future__ import annotations

import json
import re
from typing import Any

import anywidget
import traitlets

from ..charts.layout import Layout, Trace, merged
from ..palette import THEMES
from ..plotly_js import data as bundled_plotly_js
from .compact import shared_layout

#: plotly.js's own defaults (the mode bar on hover, no editing), and the width following the page's when a
#: layout sets none.
CONFIG: dict[str, Any] = {"responsive": True}

LOADER = r"""
const KEY = "__lessonkit_plotly_js__", THEMES = %(themes)s;
// plotly.js comes once per page, from the kernel; a kernel restarted mid-request never answers,
// so after a minute the request is dropped and a waiting chart asks again through its own model.
function plotly(model) {
  if (!globalThis[KEY]) {
    globalThis[KEY] = new Promise((resolve, reject) => {
      const ask = () => model.send({ type: "lessonkit-need-plotly" });
      // The kernel sends plotly.js unasked after its first chart (that chart says so): a request now would
      // wait behind every cell still queued. Should that message never come, ask after five seconds.
      const asking = model.get("_plotly_coming") ? setTimeout(ask, 5000) : (ask(), null);
      const timer = setTimeout(() => { clearTimeout(asking); model.off("msg:custom", onMsg); delete globalThis[KEY]; reject(new Error("no plotly.js from the kernel")); }, 60000);
      const onMsg = (msg, buffers) => {
        if (!msg || msg.type !== "lessonkit-plotly" || !buffers || !buffers.length) return;
        clearTimeout(timer);
        clearTimeout(asking);
        model.off("msg:custom", onMsg);
        // plotly.js is a UMD file: handed a CommonJS `module`, it returns Plotly there, whether or
        // not the page has a global `define` (JupyterLab, Notebook 7 and Voila differ).
        // The file's bytes go into the Blob as they came: never decoded into a string here.
        const parts = ["const module = {exports: {}}, exports = module.exports;\n", buffers[0], "\n;export default module.exports;"];
        const url = URL.createObjectURL(new Blob(parts, { type: "text/javascript" }));
        import(url).then((m) => { URL.revokeObjectURL(url); resolve(m.default); }, reject);
      };
      model.on("msg:custom", onMsg);
    });
  }
  return globalThis[KEY];
}
function themed(layout) {
  const c = THEMES[document.body.dataset.jpThemeLight === "false" ? "dark" : "light"];
  const axis = (a) => ({ ...a, gridcolor: c.grid, linecolor: c.line, zerolinecolor: c.line });
  return { ...layout, paper_bgcolor: c.paper, plot_bgcolor: c.paper, font: { ...layout.font, color: c.font },
           xaxis: axis(layout.xaxis), yaxis: axis(layout.yaxis) };
}
const TRAITS = ["data", "figure_layout", "config"];
export default {
  // The widget manager holds a model's messages until initialize() returns: start the request only.
  initialize({ model }) { plotly(model); },
  async render({ model, el }) {
    let Plotly;
    for (let tries = 1; !Plotly; tries++) {
      try { Plotly = await plotly(model); } catch (error) { if (tries === 3) throw error; }
    }
    // plotly.js writes into what it is given (autorange, uids): each draw gets its own copy.
    const draw = () => Plotly.react(el, structuredClone(model.get("data")),
                                    themed(structuredClone(model.get("figure_layout"))), { ...model.get("config") });
    let queued = false;  // one message may change several traits: one redraw
    const redraw = () => { if (!queued) { queued = true; queueMicrotask(() => { queued = false; draw(); }); } };
    await draw();
    TRAITS.forEach((name) => model.on("change:" + name, redraw));
    const watcher = new MutationObserver(redraw);
    watcher.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
    return () => { watcher.disconnect(); TRAITS.forEach((name) => model.off("change:" + name, redraw)); Plotly.purge(el); };
  },
};
""" % {"themes": json.dumps(THEMES, separators=(",", ":"))}
#: What each chart's saved state carries: the loader without its comments and indentation (no string in it holds
#: " //"), about 800 characters less per chart in every executed notebook.
PAGE_MODULE = re.sub(r"^ +", "", re.sub(r" +// .*$", "", re.sub(r"^ *//.*\n", "", LOADER, flags=re.M), flags=re.M),
                     flags=re.M)


def plotly_js() -> bytes:
    """plotly.js as the page receives it: the basic bundle shipped in lessonkit, the file's bytes."""
    return bundled_plotly_js()

#: The custom message a page receives plotly.js in; the code is its one buffer (see ``send_plotly_js``).
PLOTLY_MESSAGE = {"type": "lessonkit-plotly"}


class LiveFigure(anywidget.AnyWidget):
    """A chart as plain plotly JSON, drawn in the page; its saved state holds a small loader, not plotly.js."""

    _esm = PAGE_MODULE
    data = traitlets.List(traitlets.Dict()).tag(sync=True)
    figure_layout = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict(CONFIG).tag(sync=True)
    #: True while this chart's page is about to get plotly.js unasked (the kernel's first chart only).
    _plotly_coming = traitlets.Bool(False).tag(sync=True)
    _plotly_sent = False  # by this kernel, unasked, once

    def __init__(self, data: list[Trace] | None = None, figure_layout: Layout | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("layout", shared_layout())  # not a Layout model of its own per chart, saved and sent
        first = not LiveFigure._plotly_sent
        super().__init__(data=data or [], figure_layout=figure_layout or {}, _plotly_coming=first, **kwargs)
        self.on_msg(self._on_lessonkit_msg)
        if first:
            LiveFigure._plotly_sent = True
            self.send_plotly_js()
            self._plotly_coming = False  # a page that connects later asks

    def _on_lessonkit_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "lessonkit-need-plotly":
            self.send_plotly_js()

    def send_plotly_js(self) -> None:
        """plotly.js to this chart's page: a small message with the bundle's bytes as its buffer."""
        self.send(dict(PLOTLY_MESSAGE), buffers=[plotly_js()])


class Chart:
    """A LiveFigure built once from trace and layout dicts, then sent only what changed.

    The whole first picture goes into the constructor: that is what a browser draws first and
    what an executed notebook saves. An update sets only the traits whose values differ (the
    traces, or the layout with its changing parts), together in one message.
    """

    def __init__(self, traces: list[Trace], layout: Layout, changes: Layout):
        self._base = layout
        self.figure = LiveFigure(data=traces, figure_layout=merged(layout, changes))
        self._traces, self._changes = traces, changes

    def update(self, traces: list[Trace], changes: Layout) -> None:
        with self.figure.hold_sync():
            if traces != self._traces:
                self.figure.data = traces
            if changes != self._changes:
                self.figure.figure_layout = merged(self._base, changes)
        self._traces, self._changes = traces, changes
