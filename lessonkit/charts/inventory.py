"""Lesson 02's Capacity Inventory chart: each researched producer's income, production work against everything else."""

from __future__ import annotations

from ..palette import PALETTE
from .layout import Layout, Picture, base_layout


def inventory_layout(producers: int) -> Layout:
    return base_layout(
        barmode="stack", height=110 + 45 * producers, width=600, margin={"l": 10, "r": 20, "t": 30, "b": 50},
        xaxis={"range": [0, 100], "ticksuffix": "%", "title": {"text": "share of income, as you estimated it"}},
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": 1.2, "x": 0, "traceorder": "normal"})


def inventory_traces(labels: list[str], production: list[int | None], rest: list[int | None]) -> Picture:
    """Two stacked bars per producer (None where the learner could not tell the share), labelled with their shares."""
    traces = [{"type": "bar", "orientation": "h", "name": name, "marker": {"color": colour}, "y": labels, "x": values,
               "text": [f"{v}%" if v is not None else "" for v in values]}
              for name, colour, values in (("Production work", PALETTE["blue"], production),
                                           ("Everything else", PALETTE["orange"], rest))]
    return traces, {}
