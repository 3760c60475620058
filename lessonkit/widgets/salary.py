"""What the two salary widgets share: plain-words helpers, their parts, and reading the target a learner types.

The widgets themselves are :mod:`lessonkit.widgets.pay_paths` (the two pay paths side by side)
and :mod:`lessonkit.widgets.portfolio` (the portfolio-income builder): thin layers over
:mod:`lessonkit.models.salary`. Each owns its controls, keeps the last accepted inputs as its
``state``, and redraws its charts in place (:class:`lessonkit.widgets.figure.Chart`) from the
pure builders of :mod:`lessonkit.charts` that drew them first. Bad input gets a message next
to its field and leaves the last valid chart on screen.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as W
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..models import salary as M
from .compact import shared_layout, shared_style
from .base import Message
from .figure import Chart, LiveFigure  # noqa: F401 (Chart: the salary benchmark finds it here)

TARGET_LABEL = "Making a living, for me (US$ a year):"


def starting_target(amount: int) -> str:
    """Says where the target box starts, and that the figure is the course's, not a source's."""
    return (f"It starts at US${amount_text(amount)}, the course's starting value, not a figure from the card "
            "or the guide.")


def amount_text(amount: int) -> str:
    return f"{amount:,}"


def plain(markup: str) -> str:
    """Text without markup: one line per paragraph."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup.replace("</p>", "\n"))).strip()


# ipywidgets' HTML sets a 28px line height meant for one-line labels; paragraphs need less.
PROSE = "line-height: 1.45; max-width: 40em"


def summary_html(paragraphs: list[str]) -> str:
    body = "".join(f"<p style='margin: 0.35em 0'>{html.escape(p)}</p>" for p in paragraphs)
    return f'<div aria-live="polite" class="lessonkit-summary" style="{PROSE}">{body}</div>'


def prose(markup: str) -> str:
    return f'<div style="{PROSE}">{markup}</div>'


def small(markup: str) -> str:
    return f'<div style="font-size: 0.85em">{markup}</div>'


class Parts:
    """Makes a widget's parts with one shared layout or style per kind.

    An executed notebook saves every widget model, and ipywidgets gives each control its own
    layout and style models unless handed one; sharing keeps lessons 01 and 02 small.
    """

    def __init__(self) -> None:
        self.plain = shared_layout()
        self.html_style = shared_style(HTMLStyle)
        self.wide_text = shared_style(TextStyle, description_width="initial")
        self.panel_layout = shared_layout(flex="1 1 380px", min_width="320px", margin="0 8px 12px 0")
        self.full_width = shared_layout(width="100%")
        self.row_wrap = shared_layout(display="flex", flex_flow="row wrap", width="100%")

    def html(self, value: str = "") -> W.HTML:
        return W.HTML(value=prose(value) if value else "", layout=self.plain, style=self.html_style)

    def message(self) -> Message:
        return Message(layout=self.plain, style=self.html_style)

    def vbox(self, children: list[W.Widget]) -> W.VBox:
        return W.VBox(children, layout=self.plain)

    def hbox(self, children: list[W.Widget]) -> W.HBox:
        return W.HBox(children, layout=self.plain)

    def panel(self, *children: W.Widget) -> W.VBox:
        return W.VBox(list(children), layout=self.panel_layout)

    def figure_box(self, fig: LiveFigure) -> LiveFigure:
        """The chart across its panel's width (plotly.js draws it at its layout's width inside); no box around it,
        which would be one more widget model to save and send."""
        fig.layout = self.full_width
        return fig

    def side_by_side(self, *panels: W.Widget) -> W.Box:
        return W.Box(list(panels), layout=self.row_wrap)

    def target(self, value: int) -> W.Text:
        return W.Text(value=amount_text(value), description=TARGET_LABEL, continuous_update=False,
                      style=self.wide_text, layout=shared_layout(width="24em"))


def read_target(widget: Any, text: str) -> int | None:
    """The target a learner typed, or None after saying next to the field what is wrong (the charts keep theirs)."""
    try:
        value = M.parse_amount(text, allow_zero=False)
    except M.AmountError as error:
        widget.messages["target"].error(f"Target: {error}. The charts still show {M.money(widget._target_value)}.")
        return None
    widget.messages["target"].clear()
    return value


def parsed(parse: Callable[..., Any], value: Any, **options: Any) -> Any:
    """``parse(value)``, or None when a saved value is not one it accepts (a hand-edited answers file)."""
    try:
        return parse(value, **options)
    except (M.AmountError, ValueError, TypeError):
        return None
