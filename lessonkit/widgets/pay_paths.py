"""The pay-paths explorer: the salaried and independent (artist) paths side by side, with the learner's target on both.

The widget owns the controls and the learner's inputs; what its charts and summaries show comes
from :mod:`lessonkit.charts.pay_paths`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from ..charts.pay_paths import (artist_annotations, artist_sentences, artist_traces, pay_layout, salaried_sentence,
                                salaried_sentences, salaried_traces, usd_k)
from ..content import Course
from ..errors import LessonkitError
from ..models import salary as M
from ..render import cite
from .compact import shared_layout
from .base import LessonWidget
from .figure import Chart
from .slider import IntSlider
from .salary import Parts, amount_text, parsed, plain, starting_target, read_target, small, summary_html

__all__ = ["PayPathsExplorer", "pay_paths", "salaried_sentence"]


class PayPathsExplorer(LessonWidget):
    """The salaried and artist-producer paths side by side, with the learner's target drawn on both."""

    def __init__(self, course: Course, target_income: int, *, card: str, key: str = "pay-paths"):
        super().__init__(key)
        pay = course.careers[card].pay
        self._s, self._a = pay.salaried, pay.artist
        self._target_value = M.check_target_income(target_income)
        self._entry_pct, self._top_pct = M.ASSUMED_ENTRY_PERCENTILE, M.ASSUMED_TOP_PERCENTILE
        self._guesses: tuple[int, float] | None = None
        self._hold = False

        parts = Parts()
        # the labels wrap in 15em, so the track keeps room to move in however narrow the column
        slider_layout = shared_layout(width="100%", max_width="36em")
        guess_layout = shared_layout(width="96%", max_width="32em")
        self.controls: dict[str, W.Widget] = {
            "target": parts.target(self._target_value),
            "entry_percentile": IntSlider(value=self._entry_pct, min=1, max=49, continuous_update=False,
                                          description="How many in 100 earn less than the entry figure:",
                                          unit=" in 100", tooltip="The entry figure's percentile",
                                          description_width="15em", layout=slider_layout),
            "top_percentile": IntSlider(value=self._top_pct, min=51, max=99, continuous_update=False,
                                        description="How many in 100 earn less than the top figure:",
                                        unit=" in 100", tooltip="The top figure's percentile",
                                        description_width="15em", layout=slider_layout),
            "artist_typical": W.Text(description="My guess, typical yearly income (US$):",
                                     continuous_update=False, style=parts.wide_text, layout=guess_layout),
            "artist_share": W.Text(description=f"My guess, how many in 100 reach {usd_k(self._a.high_low)}:",
                                   continuous_update=False, style=parts.wide_text, layout=guess_layout),
        }
        self.messages = {name: parts.message() for name in ("target", "artist_typical", "artist_share")}
        self.message = self.messages["target"]  # where the answers store reports a problem
        self.salaried_summary, self.artist_summary = parts.html(), parts.html()

        traces, changes = self._salaried_traces()
        self._salaried_chart = Chart(traces, pay_layout(self._s.label, []), changes)
        self.salaried_figure = self._salaried_chart.figure
        traces, changes = self._artist_traces()
        self._artist_chart = Chart(traces, pay_layout(self._a.label, artist_annotations(self._a)), changes)
        self.artist_figure = self._artist_chart.figure
        self._write_summaries()

        c, m = self.controls, self.messages
        c["target"].observe(self._on_target, "value")
        c["entry_percentile"].observe(self._on_percentile, "value")
        c["top_percentile"].observe(self._on_percentile, "value")
        c["artist_typical"].observe(self._on_guess, "value")
        c["artist_share"].observe(self._on_guess, "value")

        s_src = (f"median and growth: {cite(course, self._s.source)}, named in "
                 f"{cite(course, course.careers[card].source)}; entry and top: {cite(course, self._s.range_source)}, "
                 "which names no source for them")
        a_src = cite(course, self._a.source) + f", named in {cite(course, course.careers[card].source)}"
        salaried = parts.panel(
            parts.figure_box(self.salaried_figure), self.salaried_summary,
            parts.html("<strong>Model assumptions (yours to change).</strong> The card gives three points but not "
                   "how many people in 100 earn less than its entry and top figures; the dashed curve runs through "
                   "the points on the assumption set below."),
            c["entry_percentile"], c["top_percentile"],
            parts.html(small(f"Source of the points: {html.escape(s_src)}. The curve between them is a model.")),
        )
        artist = parts.panel(
            parts.figure_box(self.artist_figure), self.artist_summary,
            parts.html("<strong>Illustration (optional).</strong> The source gives no share or typical figure for this "
                   "path. Type your own guesses to draw one; it is labelled as yours on the chart."),
            c["artist_typical"], m["artist_typical"], c["artist_share"], m["artist_share"],
            parts.html(small(f"Source of the range: {html.escape(a_src)}. Any curve drawn here comes from your "
                              "guesses.")),
        )
        self.view = parts.vbox([
            parts.html("<strong>Where would your target fall?</strong> Type the yearly income that would count as "
                   "making a living for you; both charts and their summaries follow it. "
                   + html.escape(starting_target(self._target_value))),
            parts.hbox([c["target"], m["target"]]),
            parts.side_by_side(salaried, artist),
        ])

    # -- models and drawing
    def _salaried_model(self) -> M.TwoPieceLognormal:
        return M.salaried_model(self._s.entry, self._s.median, self._s.top,
                                entry_percentile=self._entry_pct, top_percentile=self._top_pct)

    def _illustration(self) -> M.TwoPieceLognormal | None:
        if self._guesses is None:
            return None
        return M.artist_illustration(self._guesses[0], self._guesses[1], self._a.high_low)

    def _salaried_traces(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return salaried_traces(self._s, self._salaried_model(), self._target_value, self._entry_pct,
                               self._top_pct, self._s.as_of)

    def _artist_traces(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return artist_traces(self._a, self._target_value, self._illustration())

    def _redraw(self) -> None:
        self._salaried_chart.update(*self._salaried_traces())
        self._artist_chart.update(*self._artist_traces())
        self._write_summaries()

    def _write_summaries(self) -> None:
        s, target = self._s, self._target_value
        share = self._salaried_model().share_above(target)
        self.salaried_summary.value = summary_html(salaried_sentences(s, share, target, self._entry_pct, self._top_pct))
        illustration = self._illustration()
        self.artist_summary.value = summary_html(artist_sentences(
            self._a, target, self._guesses, illustration.share_above(target) if illustration else None))

    def summary(self) -> str:
        """Both summaries as plain text (the widget's text form, for printouts and screen readers)."""
        return "\n".join(plain(w.value) for w in (self.salaried_summary, self.artist_summary))

    # -- handlers
    def _accept(self) -> None:
        if not self._hold:
            self._redraw()
            self.changed()

    def _on_target(self, change: dict[str, Any]) -> None:
        value = read_target(self, change["new"])
        if value is not None and value != self._target_value:
            self._target_value = value
            self._accept()

    def _on_percentile(self, _change: dict[str, Any]) -> None:
        self._entry_pct = int(self.controls["entry_percentile"].value)
        self._top_pct = int(self.controls["top_percentile"].value)
        self._accept()

    def _on_guess(self, _change: dict[str, Any]) -> None:
        typical_text = self.controls["artist_typical"].value.strip()
        share_text = self.controls["artist_share"].value.strip()
        typical = share = None
        if typical_text:
            try:
                typical = M.parse_amount(typical_text, allow_zero=False)
                if typical >= self._a.high_low:
                    raise M.AmountError(f"'{typical_text}' is at or above {usd_k(self._a.high_low)}; the card says "
                                        f"{self._a.typical} and only a few reach {usd_k(self._a.high_low)}, "
                                        "so type less")
                self.messages["artist_typical"].clear()
            except M.AmountError as error:
                typical = None
                self.messages["artist_typical"].error(f"Typical income: {error}.")
        else:
            self.messages["artist_typical"].clear()
        if share_text:
            try:
                share = M.parse_share_in_100(share_text)
                self.messages["artist_share"].clear()
            except M.AmountError as error:
                self.messages["artist_share"].error(f"How many in 100: {error}.")
        else:
            self.messages["artist_share"].clear()
        if not typical_text and not share_text:
            if self._guesses is not None:  # both cleared: the learner takes the illustration away
                self._guesses = None
                self._accept()
            return
        if typical is None or share is None:
            if (typical_text and typical is None) or (share_text and share is None):
                return  # an error is showing; the chart keeps the last valid guesses
            missing = "artist_share" if share is None else "artist_typical"
            self.messages[missing].info("Type this guess too to draw the illustration.")
            return
        if (typical, share) != self._guesses:
            self._guesses = (typical, share)
            self._accept()

    # -- state
    @property
    def state(self) -> dict[str, Any]:
        typical, share = self._guesses if self._guesses else (None, None)
        return {"target_income": self._target_value, "entry_percentile": self._entry_pct,
                "top_percentile": self._top_pct, "artist_typical": typical,
                "artist_share_in_100": None if share is None else round(share * 100, 6)}

    def restore(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            return
        c = self.controls
        self._hold = True
        try:
            target = parsed(M.parse_amount, state.get("target_income"), allow_zero=False)
            if target is not None:
                c["target"].value = amount_text(target)
            for name, low, high in (("entry_percentile", 1, 49), ("top_percentile", 51, 99)):
                value = state.get(name)
                if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                    c[name].value = value
            typical, share = state.get("artist_typical"), state.get("artist_share_in_100")
            amount = parsed(M.parse_amount, typical, allow_zero=False)
            if typical is None and share is None and "artist_typical" in state:
                c["artist_typical"].value, c["artist_share"].value = "", ""
            elif (amount is not None and amount < self._a.high_low and isinstance(share, (int, float))
                    and not isinstance(share, bool) and parsed(M.parse_share_in_100, share) is not None):
                c["artist_typical"].value = amount_text(amount)
                c["artist_share"].value = f"{share:g}"
        finally:
            self._hold = False
        self._redraw()


def pay_paths(lesson: Any, *, target_income: object = 40_000, card: str | None = None) -> PayPathsExplorer:
    """The pay-paths explorer for a lesson (the card it uses, unless one is named), registered with it so its
    inputs can be saved."""
    target = M.check_target_income(target_income)
    card = card or lesson.course.lesson(lesson.id).uses.get("card")
    if card is None:
        raise LessonkitError(f"Lesson {lesson.id} uses no career card, so it has no pay paths to show; "
                             "name one in its course.yaml entry (uses: {card: <card id>}).")
    return lesson.attach(PayPathsExplorer(lesson.course, target, card=card))
