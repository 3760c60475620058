"""The course's chart defaults, and the layout pieces several charts share (plain dicts for plotly)."""

from __future__ import annotations

from typing import Any

from ..palette import SERIES

Trace = dict[str, Any]
Layout = dict[str, Any]
#: A chart's traces and the layout parts that change with them (the rest of the layout is set once).
Picture = tuple[list[Trace], Layout]

#: plotly draws a figure 700px wide when it cannot see its box yet; two charts of this
#: width sit side by side in JupyterLab's notebook at 1280px and wrap onto two rows when narrower.
CHART_WIDTH = 400


def base_layout(**overrides: Any) -> Layout:
    """The course's chart defaults: no heavy template, a readable font, room for labels."""
    layout: Layout = {
        "template": "none",
        "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13},
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "height": 320,
        "colorway": SERIES,
    }
    layout.update(overrides)
    return layout


def corner_title(text: str) -> Layout:
    """A title in the chart's top-left corner, measured from the whole chart (not the plot area)."""
    return {"text": text, "x": 0.02, "xref": "container", "y": 0.98, "yref": "container", "yanchor": "top",
            "font": {"size": 15}}


def wide_legend(y: float, yanchor: str, top_offset: bool = False) -> Layout:
    """A legend across the whole chart's width (not only the plot area), under the title or at the bottom."""
    return {"orientation": "h", "xref": "container", "yref": "container", "x": 0.02,
            "y": 0.9 if top_offset else y + 0.02, "yanchor": yanchor}


def merged(base: Layout, extra: Layout) -> Layout:
    """``base`` with ``extra`` laid over it, nested dicts merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def flat(tree: Any, path: str = "") -> dict[str, Any]:
    """Layout changes as plotly property paths: {"xaxis.range": ..., "shapes[0].x0": ...}."""
    if isinstance(tree, dict):
        return {k: v for key, value in tree.items() for k, v in flat(value, f"{path}.{key}" if path else key).items()}
    if isinstance(tree, list) and tree and all(isinstance(item, dict) for item in tree):
        return {k: v for i, item in enumerate(tree) for k, v in flat(item, f"{path}[{i}]").items()}
    return {path: tree}
