"""The live figure: in-place plotly updates whose saved state stays small, whose colours follow the theme,
and which are sent only what changed."""

from __future__ import annotations

import json

from lessonkit.charts import base_layout
from lessonkit.palette import THEMES
from lessonkit.widgets.figure import LOADER, Chart, LiveFigure


def test_saved_state_holds_the_small_loader_not_the_bundle():
    fig = LiveFigure(layout=base_layout())
    state = fig.get_state()
    assert state["_esm"] == LOADER and len(json.dumps(state)) < 50_000


def test_the_bundle_is_sent_only_when_a_browser_asks(monkeypatch):
    fig = LiveFigure()
    sent = []
    monkeypatch.setattr(fig, "send", lambda content, buffers=None: sent.append(content))
    fig._on_lessonkit_msg(fig, {"type": "lessonkit-need-bundle"}, [])
    (message,) = sent
    assert message["type"] == "lessonkit-bundle" and len(message["code"]) > 1_000_000
    fig._on_lessonkit_msg(fig, "not a dict", [])
    assert len(sent) == 1


def test_theme_messages_recolour_text_and_background():
    fig = LiveFigure()
    assert fig.layout.font.color == THEMES["light"]["font"] and fig.theme == "light"
    fig._on_lessonkit_msg(fig, {"type": "lessonkit-theme", "dark": True}, [])
    assert fig.theme == "dark"
    assert fig.layout.font.color == THEMES["dark"]["font"] and fig.layout.paper_bgcolor == THEMES["dark"]["paper"]


def test_a_newly_drawn_view_gets_the_figure_as_it_is_now(monkeypatch):
    """Changes made before a view exists reach it: the browser asks for a sync before drawing."""
    import plotly.graph_objects as go

    fig = LiveFigure(data=[go.Bar(y=[1, 2])])
    with fig.batch_update():
        fig.data[0].y = [5, 6]
    assert list(fig._widget_data[0]["y"]) == [1, 2]  # plotly alone leaves the synced copy stale
    sent = []
    monkeypatch.setattr(fig, "send", lambda content, buffers=None: sent.append(content))
    fig._on_lessonkit_msg(fig, {"type": "lessonkit-sync"}, [])
    assert list(fig._widget_data[0]["y"]) == [5, 6] and sent == [{"type": "lessonkit-synced"}]


def test_loading_the_live_figure_does_not_load_nbformat_until_it_is_used():
    """plotly asks for nbformat when it loads; lessons never need it, so it is loaded only on first use."""
    import subprocess
    import sys

    code = ("import sys, lessonkit.widgets.figure, plotly.io._renderers as r\n"
            "print('jsonschema' in sys.modules)\n"
            "import nbformat\n"
            "print(r.nbformat.__version__ == nbformat.__version__ and 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


def test_a_chart_is_drawn_whole_first_then_sent_only_what_changed(monkeypatch):
    """The first picture goes into the figure; an update hands plotly only the properties whose values differ."""
    import plotly.graph_objects as go

    traces = [{"type": "bar", "x": [1, 2], "y": ["a", "b"], "name": "one"},
              {"type": "scatter", "x": [0, 1], "y": [0, 1], "name": "two"}]
    chart = Chart(traces, base_layout(title={"text": "T"}), {"xaxis": {"range": [0, 3]}})
    fig = chart.figure
    assert [t.type for t in fig.data] == ["bar", "scatter"] and list(fig.data[0].x) == [1, 2]
    assert fig.layout.title.text == "T" and list(fig.layout.xaxis.range) == [0, 3]

    handed: list[tuple[str, dict]] = []
    for cls in (go.Bar, go.Scatter):
        original = cls.update
        monkeypatch.setattr(cls, "update", lambda self, changed=None, _o=original, **kw: (
            handed.append((self.name, dict(changed or {}))), _o(self, changed, **kw))[1])
    chart.update([{**traces[0], "x": [5, 6]}, traces[1]], {"xaxis": {"range": [0, 7]}})
    assert list(fig.data[0].x) == [5, 6] and list(fig.layout.xaxis.range) == [0, 7]
    assert handed == [("one", {"x": [5, 6]})]  # the unchanged scatter was not re-sent
