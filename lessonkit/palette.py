"""The course's colours: one palette for lesson charts and the class report, and the chart themes.

Plain constants, so the teacher tools and the command line can use them without loading the
notebook runtime (plotly, ipywidgets, IPython).
"""

from __future__ import annotations

# Okabe & Ito's palette: told apart with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#999999",
}
#: The order series take their colours in (a chart's ``colorway``).
SERIES = [PALETTE[name] for name in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "grey")]
#: The thin outline drawn round hatched or stacked bars.
OUTLINE = "#6b6b6b"

# Backgrounds match JupyterLab's own (--jp-layout-color0) in each theme.
THEMES = {
    "light": {"font": "#1f1f1f", "grid": "#d0d0d0", "line": "#6b6b6b", "paper": "#ffffff"},
    "dark": {"font": "#e8e8e8", "grid": "#4a4a4a", "line": "#a0a0a0", "paper": "#111111"},
}
