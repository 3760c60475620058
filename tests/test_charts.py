"""LiveFigure: in-place plotly updates whose saved state stays small and whose colours follow the theme."""

from __future__ import annotations

import json

from lessonkit.charts import LOADER, THEMES, LiveFigure, base_layout


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


def test_loading_charts_does_not_load_nbformat_until_it_is_used():
    """plotly asks for nbformat when it loads; lessons never need it, so it is loaded only on first use."""
    import subprocess
    import sys

    code = ("import sys, lessonkit.charts, plotly.io._renderers as r\n"
            "print('jsonschema' in sys.modules)\n"
            "import nbformat\n"
            "print(r.nbformat.__version__ == nbformat.__version__ and 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]
