"""The live figure: plain plotly JSON drawn in the page, whose saved state stays small, whose colours follow the
theme in the page, which is sent only what changed, and which never loads plotly's Python side."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessonkit import plotly_js as plotly_js_bundle
from lessonkit.charts import base_layout
from lessonkit.palette import THEMES
from lessonkit.widgets.figure import CONFIG, PAGE_MODULE, Chart, LiveFigure, plotly_js


def test_saved_state_holds_the_small_loader_and_the_chart_not_plotly_js():
    fig = LiveFigure([{"type": "bar", "x": [1, 2], "y": ["a", "b"]}], base_layout())
    state = fig.get_state()
    assert state["_esm"] == PAGE_MODULE and len(PAGE_MODULE) < 3_000 and len(json.dumps(state)) < 10_000
    assert state["data"] == [{"type": "bar", "x": [1, 2], "y": ["a", "b"]}] and state["config"] == CONFIG
    assert state["figure_layout"] == base_layout()


def test_plotly_js_is_the_basic_bundle_shipped_in_lessonkit_read_without_importing_plotly():
    code = ("import sys, lessonkit.widgets.figure as f, lessonkit.plotly_js as p\n"
            "js = f.plotly_js()\n"
            "print(js == p.PATH.read_bytes(), b'module.exports' in js[:2000], 'plotly' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "True", "False"]


def test_a_page_that_asks_for_plotly_js_gets_it(monkeypatch):
    fig = LiveFigure()
    sent = []
    monkeypatch.setattr(fig, "send", lambda content, buffers=None: sent.append((content, buffers)))
    fig._on_lessonkit_msg(fig, {"type": "lessonkit-need-plotly"}, [])
    ((message, buffers),) = sent
    assert message == {"type": "lessonkit-plotly"}  # no code in the JSON: it is the message's one binary buffer
    assert buffers == [plotly_js()] and isinstance(buffers[0], bytes)
    fig._on_lessonkit_msg(fig, "not a dict", [])
    fig._on_lessonkit_msg(fig, {"type": "something else"}, [])
    assert len(sent) == 1


def test_the_kernels_first_chart_sends_plotly_js_unasked_and_says_so_then_no_chart_does(monkeypatch):
    """A page running all cells gets plotly.js while later cells still run: the first chart's opening state says it
    is coming, the message follows at once, and then the chart says no more is coming (a page connecting later asks)."""
    sent, opened_saying, updates = [], [], []
    monkeypatch.setattr(LiveFigure, "_plotly_sent", False)
    monkeypatch.setattr(LiveFigure, "send", lambda self, content, buffers=None: sent.append((content, buffers)))
    monkeypatch.setattr(LiveFigure, "_send", lambda self, msg, buffers=None: updates.append(msg))
    get_state = LiveFigure.get_state

    def recorded(self, key=None):
        state = get_state(self, key)
        if key is None:  # the whole state: what the comm opens with
            opened_saying.append(state["_plotly_coming"])
        return state

    monkeypatch.setattr(LiveFigure, "get_state", recorded)
    first = LiveFigure([{"type": "bar", "x": [1]}], {})
    assert opened_saying == [True]
    assert sent == [({"type": "lessonkit-plotly"}, [plotly_js()])]
    assert first._plotly_coming is False and updates[-1]["state"] == {"_plotly_coming": False}
    second = LiveFigure([{"type": "bar", "x": [2]}], {})
    assert opened_saying == [True, False] and len(sent) == 1 and second._plotly_coming is False


def test_a_chart_is_drawn_whole_first_then_sent_only_what_changed(monkeypatch):
    """The first picture goes into the figure; an update sets only the traits whose values differ, in one message."""
    traces = [{"type": "bar", "x": [1, 2], "y": ["a", "b"], "name": "one"},
              {"type": "scatter", "x": [0, 1], "y": [0, 1], "name": "two"}]
    layout = base_layout(title={"text": "T"}, xaxis={"title": {"text": "x"}})
    chart = Chart(traces, layout, {"xaxis": {"range": [0, 3]}})
    fig = chart.figure
    assert [t["type"] for t in fig.data] == ["bar", "scatter"] and fig.data[0]["x"] == [1, 2]
    assert fig.figure_layout["title"]["text"] == "T"
    assert fig.figure_layout["xaxis"] == {"title": {"text": "x"}, "range": [0, 3]}

    messages: list[dict] = []
    monkeypatch.setattr(fig, "_send", lambda msg, buffers=None: messages.append(msg))
    chart.update([{**traces[0], "x": [5, 6]}, traces[1]], {"xaxis": {"range": [0, 3]}})
    (message,) = messages
    assert set(message["state"]) == {"data"} and message["state"]["data"][0]["x"] == [5, 6]
    assert fig.data[0]["x"] == [5, 6] and fig.data[1] == traces[1]

    messages.clear()
    chart.update([{**traces[0], "x": [5, 6]}, traces[1]], {"xaxis": {"range": [0, 7]}})
    (message,) = messages
    assert set(message["state"]) == {"figure_layout"}
    assert fig.figure_layout["xaxis"] == {"title": {"text": "x"}, "range": [0, 7]}

    messages.clear()
    chart.update([traces[0], traces[1]], {"xaxis": {"range": [0, 3]}})
    (message,) = messages
    assert set(message["state"]) == {"data", "figure_layout"}  # both in one message

    messages.clear()
    chart.update([traces[0], traces[1]], {"xaxis": {"range": [0, 3]}})
    assert messages == []  # nothing changed, nothing sent


def test_the_live_figure_never_loads_plotlys_python_side():
    code = ("import sys, lessonkit.widgets.figure as f\n"
            "f.Chart([{'type': 'bar', 'x': [1], 'y': ['a']}], {}, {}).update([{'type': 'bar', 'x': [2], 'y': ['a']}], {})\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('plotly', '_plotly_utils', 'nbformat')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


# ---------------------------------------------------------------- every chart the lessons build
LESSONS = ("01-music-producer", "02-can-you-make-a-living")
# Runs in a fresh Python: each lesson's code cells as a kernel would, every shown value displayed, the charts'
# widgets moved so that their other pictures are drawn too; prints what the charts hold and what got loaded.
RUN_LESSONS = r'''
import ast, json, sys
import nbformat, ipywidgets as W
from lessonkit.widgets.figure import LiveFigure

def run(path):
    namespace, shown = {}, []
    for number, cell in enumerate(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"):
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"cell {number}", "exec"), namespace)
        if last is not None:
            shown.append(eval(compile(ast.Expression(last.value), f"cell {number}", "eval"), namespace))
    return shown

pictures = []
def snapshot():
    pictures.extend({"data": w.data, "layout": w.figure_layout} for w in list(W.Widget.widgets.values())
                    if isinstance(w, LiveFigure))

for path in sys.argv[1:]:
    for value in run(path):
        getattr(value, "_repr_mimebundle_", lambda: None)()
        view = getattr(value, "inventory", value)
        if hasattr(view, "go"):
            view.go(1)
    snapshot()
    for value in run(path):
        controls = getattr(value, "controls", {})
        for name, typed in (("artist_typical", "25000"), ("artist_share", "5"), ("target", "90000"),
                            ("mixing.low", "5000"), ("mixing.likely", "12000"), ("mixing.high", "25000")):
            if name in controls:
                controls[name].value = typed
        if hasattr(value, "add_block"):
            value.add_block("13:00", "15:30", value.ids[0])
        if hasattr(value, "_stage"):
            value._stage.value = 1.0
        if hasattr(value, "_sliders"):
            value._sliders[value.ids[0]].value = 40
        getattr(value, "_repr_mimebundle_", lambda: None)()
    snapshot()
print(json.dumps({"pictures": pictures,
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("plotly", "_plotly_utils"))}))
'''


@pytest.fixture(scope="module")
def lesson_charts(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Lessons 01 and 02 run in a fresh Python, their charts drawn and moved: what the charts held, what was loaded."""
    from .conftest import NOTEBOOKS

    env = {**os.environ, "LESSONKIT_ANSWERS": str(tmp_path_factory.mktemp("answers"))}
    paths = [str(NOTEBOOKS / f"{lesson}.ipynb") for lesson in LESSONS]
    done = subprocess.run([sys.executable, "-c", RUN_LESSONS, *paths], capture_output=True, text=True, env=env,
                          cwd=NOTEBOOKS)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_running_lessons_01_and_02_never_loads_plotlys_python_side(lesson_charts):
    assert len(lesson_charts["pictures"]) >= 10 and lesson_charts["loaded"] == []


def test_every_chart_the_lessons_build_is_a_valid_plotly_figure(lesson_charts):
    """plotly's own validation (here in the tests, never in a lesson) accepts every picture the charts held, as JSON."""
    import plotly.graph_objects as go

    kinds = set()
    for picture in lesson_charts["pictures"]:
        json.dumps(picture, allow_nan=False)  # what the page receives parses as JSON
        figure = go.Figure(data=picture["data"], layout=picture["layout"])  # raises on any unknown property or value
        assert len(figure.data) == len(picture["data"])
        kinds |= {trace["type"] for trace in picture["data"]}
    assert kinds == {"bar", "scatter"} and kinds <= plotly_js_bundle.TRACE_TYPES  # what the shipped bundle draws


# ---------------------------------------------------------------- the page module, run in Node
HARNESS = Path(__file__).parent / "fixtures" / "chart_loader_harness.mjs"
# plotly.js's own UMD header round a stand-in that records each draw instead of drawing.
STAND_IN = ('"use strict";var Plotly={react:(el,data,layout,config)=>{globalThis.__lessonkitDrawn.push('
            '{el,data,layout,config});return Promise.resolve(el);},purge:(el)=>{globalThis.__lessonkitPurged=el;}};\n'
            "window.Plotly = Plotly;\nreturn Plotly;\n}));\n")


@pytest.fixture(scope="module")
def page_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The loader driven in Node (CI installs nodejs for the hub test) with two charts, changes, a theme switch,
    a removed view, a kernel that never answers, and a page with a global ``define``."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the charts' page module (apt-get install nodejs)"
    folder = tmp_path_factory.mktemp("loader")
    js = plotly_js().decode("utf-8")
    (folder / "loader.mjs").write_text(PAGE_MODULE, encoding="utf-8")  # as each chart's saved state holds it
    (folder / "plotly.js").write_text(js[:js.index('"use strict";var Plotly=')] + STAND_IN, encoding="utf-8")
    done = subprocess.run([node, str(HARNESS), str(folder / "loader.mjs"), str(folder / "plotly.js")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_page_asks_once_for_plotly_js_and_each_chart_draws_its_own_figure_in_the_theme(page_run):
    dark = THEMES["dark"]
    assert page_run["requests"] == [1, 0]  # one request for the page, from the first chart
    assert page_run["first"] == [
        {"el": "A", "x": [1], "paper": dark["paper"], "font": {"size": 13, "color": dark["font"]},
         "grid": dark["grid"], "range": [0, 2], "config": CONFIG},
        {"el": "B", "x": [5], "paper": dark["paper"], "font": {"color": dark["font"]}, "grid": dark["grid"],
         "config": CONFIG},  # no range: plotly.js works one out
    ]


def test_the_page_redraws_once_per_message_and_on_a_theme_switch_without_asking_the_kernel(page_run):
    assert page_run["changed"] == [{"el": "A", "x": [3], "range": [0, 9]}] and page_run["modelKeptItsOwnCopy"]
    assert page_run["light"] == [{"el": "A", "paper": THEMES["light"]["paper"]},
                                 {"el": "B", "paper": THEMES["light"]["paper"]}]
    assert page_run["sentAfterDrawing"] == 1  # only the first request for plotly.js
    assert page_run["afterRemoval"] == {"drawn": ["B"], "listeners": 0, "purged": "A"}


def test_a_chart_left_without_plotly_js_asks_again_and_a_global_define_changes_nothing(page_run):
    assert page_run["retry"] == {"requests": 2, "drawn": ["C"]}
    assert page_run["withDefine"] == ["D"]


def test_a_page_told_plotly_js_is_coming_waits_for_it_and_asks_only_if_it_never_comes(page_run):
    assert page_run["pushed"] == {"requests": 0, "drawnWithoutBuffer": 0, "drawn": ["E"]}
    assert page_run["lost"] == {"before": 0, "after": 1, "drawn": ["F"]}
