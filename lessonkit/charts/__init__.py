"""What each lesson chart shows, built from data as plain dicts: traces, layout, colours, titles and the words beside it.

Nothing here imports plotly, ipywidgets or IPython: the builders are pure functions, tested
without a widget. :mod:`lessonkit.widgets.figure` turns their dicts into a live figure that
updates in place.

- :mod:`.layout`     the course's chart defaults and the small layout pieces charts share
- :mod:`.timesplit`  Lesson 01's work split, ideal week and typical day
- :mod:`.pay_paths`  the salaried and independent pay paths
- :mod:`.portfolio`  the portfolio-income builder's stacked guesses and chances
- :mod:`.inventory`  the Capacity Inventory's production share per researched producer
"""

from __future__ import annotations

from ..palette import PALETTE, SERIES, THEMES
from .layout import base_layout

__all__ = ["PALETTE", "SERIES", "THEMES", "base_layout"]
