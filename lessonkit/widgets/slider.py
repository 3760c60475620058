"""Sliders a learner can use from the keyboard and a screen reader, wherever a lesson opens.

ipywidgets' sliders draw their handle with a ``div`` that has no accessible name (its visible
description is not tied to it) and, in Notebook 7, does not move with the arrow keys. These
draw a native ``<input type="range">`` instead: the browser gives it arrow keys, Page Up/Down,
Home and End, and a focus ring; the visible label is a ``<label for>`` tied to it; ``label``
gives a fuller accessible name where the visible words are short ("Drums level (dB)" for a
mixer row's "Level (dB)"); and screen readers hear the value with its unit (``aria-valuetext``).

On the Python side they keep the ipywidgets API the lesson widgets use: ``value``, ``min``,
``max``, ``step``, ``description``, ``disabled``, ``continuous_update`` and ``observe``; a value
outside the bounds is clamped, as ipywidgets does. ``IntSlider``, ``FloatSlider``,
``SelectionSlider`` (named stops) and ``IntRangeSlider`` (two handles on one track).
"""

from __future__ import annotations

import re
from typing import Any

import anywidget
import traitlets


def squeezed(code: str) -> str:
    """Source without comments and with one space for each run of whitespace: every slider's state carries
    its script and style into an executed notebook, so each byte counts once per slider."""
    return re.sub(r"\s+", " ", re.sub(r"(?m)^\s*//.*$|\s//\s[^\n]*", "", code)).strip()


ESM = r"""
// A slider's own keys belong to the slider. Notebook 7 reads every key on the document before
// the page's controls see it and takes arrows as notebook shortcuts (its handlers cancel the key),
// so the handle would never move: the window, which hears a key first, keeps them from it.
// The browser still moves the focused slider; nothing else on the page is affected.
if (!globalThis.__lessonkitSliderKeys) {
  globalThis.__lessonkitSliderKeys = true;
  window.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t && t.matches && t.matches(".lessonkit-slider input[type=range]") && /^(Arrow|Page|Home$|End$)/.test(e.key)) {
      e.stopPropagation();
    }
  }, true);
}
export default {
  render({ model, el }) {
    const get = (k) => model.get(k);
    // ids unique on the page, however many copies of this module the page has loaded
    globalThis.__lessonkitSliders = (globalThis.__lessonkitSliders || 0) + 1;
    const uid = `lessonkit-slider-${globalThis.__lessonkitSliders}-${Math.random().toString(36).slice(2, 8)}`;
    el.classList.add("lessonkit-slider", "widget-inline-hbox", "widget-slider", "widget-hslider");
    const label = document.createElement("label");
    label.className = "widget-label";
    label.htmlFor = uid + "-0";
    const track = document.createElement("div");
    track.className = "lessonkit-slider-track";
    const fill = document.createElement("div");
    fill.className = "lessonkit-slider-fill";
    track.append(fill);
    const readout = document.createElement("div");
    readout.className = "widget-readout";
    readout.setAttribute("aria-hidden", "true");  // the inputs announce their own value
    el.append(label, track, readout);
    const range = Array.isArray(get("value"));
    const inputs = (range ? [0, 1] : [0]).map((i) => {
      const input = document.createElement("input");
      input.type = "range";
      input.id = `${uid}-${i}`;
      track.append(input);
      return input;
    });
    const names = () => get("names") || [];
    const text = (v) => {
      const n = names();
      if (n.length) return n[v] ?? String(v);
      const s = Number(v).toFixed(get("decimals"));
      return (get("signed") && v > 0 ? "+" : "") + s;
    };
    const show = (vs) => {
      const lo = get("min"), hi = get("max"), w = get("description_width"), names_ = get("labels");
      label.textContent = label.title = get("description");
      label.style.cssText = w ? `width: ${w}; flex: 0 0 ${w === "initial" ? "auto" : w}` : "";
      inputs.forEach((input, i) => {
        Object.assign(input, { min: lo, max: hi, step: get("step"), value: vs[i], disabled: get("disabled") });
        if (names_[i]) input.setAttribute("aria-label", names_[i]); else input.removeAttribute("aria-label");
        input.setAttribute("aria-valuetext", text(vs[i]) + get("unit"));
      });
      // the filled part of the track, between the thumbs' centres (a thumb is 16px wide)
      const pos = (v) => (hi > lo ? (v - lo) / (hi - lo) : 0);
      const [a, b] = range ? [pos(vs[0]), pos(vs[1])] : [0, pos(vs[0])];
      fill.style.left = `calc(${a * 100}% + ${8 - a * 16}px)`;
      fill.style.width = `calc(${(b - a) * 100}% - ${(b - a) * 16}px)`;
      readout.textContent = vs.map(text).join(" – ");
      // named stops: room for the longest name, so the track keeps its length as the name changes
      readout.style.minWidth = names().length ? `${Math.max(...names().map((n) => n.length)) * 0.6}em` : "";
      el.classList.toggle("lessonkit-slider-disabled", get("disabled"));
    };
    const redraw = () => show(range ? get("value") : [get("value")]);
    const read = () => {
      const vs = inputs.map((input) => Number(input.value));
      if (range && vs[0] > vs[1]) {  // a handle pushed past the other stops at it
        const moved = document.activeElement === inputs[1] ? 1 : 0;
        vs[moved] = vs[1 - moved];
        inputs[moved].value = vs[moved];
      }
      return range ? vs : vs[0];
    };
    const send = (final) => {
      const v = read();
      if (!final && !get("continuous_update")) return show(range ? v : [v]);  // dragging: sent on release
      model.set("value", v);
      model.save_changes();
    };
    inputs.forEach((input) => {
      input.addEventListener("input", () => send(false));
      input.addEventListener("change", () => send(true));
    });
    const keys = ["value", "min", "max", "step", "description", "description_width", "labels", "unit",
                  "disabled", "names", "decimals", "signed"];
    keys.forEach((k) => model.on(`change:${k}`, redraw));
    redraw();
    return () => keys.forEach((k) => model.off(`change:${k}`, redraw));
  },
};
"""

CSS = r"""
.lessonkit-slider { align-items: center; height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
.lessonkit-slider > .widget-label { flex: 0 0 var(--jp-widgets-inline-label-width, 80px); white-space: normal;
  height: auto; line-height: 1.3; text-overflow: clip; }
.lessonkit-slider-track { position: relative; flex: 1 1 auto; min-width: 60px; height: var(--jp-widgets-inline-height, 28px);
  margin: 0 4px; }
.lessonkit-slider-track::before, .lessonkit-slider-fill { content: ""; position: absolute; top: 50%; height: 4px;
  margin-top: -2px; border-radius: 2px; pointer-events: none; }
.lessonkit-slider-track::before { left: 8px; right: 8px; background: var(--jp-layout-color3, #bdbdbd); }
.lessonkit-slider-fill { background: var(--jp-brand-color1, #1976d2); }
.lessonkit-slider input[type="range"] { position: absolute; inset: 0; width: 100%; height: 100%; margin: 0;
  background: transparent; -webkit-appearance: none; appearance: none; pointer-events: none; }
.lessonkit-slider input[type="range"]::-webkit-slider-runnable-track { background: transparent; height: 100%; }
.lessonkit-slider input[type="range"]::-moz-range-track { background: transparent; }
.lessonkit-slider input[type="range"]::-webkit-slider-thumb { -webkit-appearance: none; pointer-events: auto;
  width: 16px; height: 16px; margin-top: 6px; border-radius: 50%; cursor: grab;
  background: var(--jp-layout-color1, #fff); border: 1px solid var(--jp-border-color1, #9e9e9e); }
.lessonkit-slider input[type="range"]::-moz-range-thumb { pointer-events: auto; width: 14px; height: 14px;
  border-radius: 50%; cursor: grab; background: var(--jp-layout-color1, #fff); border: 1px solid var(--jp-border-color1, #9e9e9e); }
.lessonkit-slider input[type="range"]:hover::-webkit-slider-thumb,
.lessonkit-slider input[type="range"]:focus::-webkit-slider-thumb { border-color: var(--jp-brand-color1, #1976d2);
  background: var(--jp-brand-color1, #1976d2); }
.lessonkit-slider input[type="range"]:focus { outline: none; }
.lessonkit-slider input[type="range"]:focus-visible::-webkit-slider-thumb { outline: 2px solid var(--jp-brand-color1, #1976d2);
  outline-offset: 2px; }
.lessonkit-slider input[type="range"]:focus-visible::-moz-range-thumb { outline: 2px solid var(--jp-brand-color1, #1976d2);
  outline-offset: 2px; }
.lessonkit-slider-disabled { opacity: 0.6; }
.lessonkit-slider-disabled input[type="range"]::-webkit-slider-thumb { cursor: not-allowed; }
.lessonkit-slider > .widget-readout { flex: 0 0 auto; min-width: 3em; margin-left: 4px; text-align: left;
  color: var(--jp-widgets-label-color, inherit); font-variant-numeric: tabular-nums; }
"""


# The look, sent once per lesson with its Ready line (``Lesson._repr_html_``) rather than in every
# slider's state: a lesson with a dozen sliders would otherwise save it a dozen times. Without it a
# slider is the browser's plain range control, as usable, only plainer.
STYLE = f"<style>{squeezed(CSS)}</style>"


class _Slider(anywidget.AnyWidget):
    """What every slider shares: its words (visible label, accessible name, unit) and its bounds."""

    _esm = squeezed(ESM)
    description = traitlets.Unicode("").tag(sync=True)  # the visible label
    # Accessible names, one per handle, where the visible label alone does not say what and in which unit.
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    unit = traitlets.Unicode("").tag(sync=True)  # read after the value: "%", " dB", " BPM"
    description_width = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    continuous_update = traitlets.Bool(False).tag(sync=True)
    decimals = traitlets.Int(0).tag(sync=True)
    signed = traitlets.Bool(False).tag(sync=True)  # show a + on positive values
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)  # a name for each stop (SelectionSlider)

    def __init__(self, *, label: str = "", **kwargs: Any) -> None:
        if label:
            kwargs["labels"] = [label]
        super().__init__(**kwargs)

    def _clamp(self, value: float) -> float:
        return min(max(value, self.min), self.max)

    @traitlets.observe("min", "max")
    def _bounds_moved(self, _change: Any) -> None:
        self.value = self.value  # revalidated: clamped into the new bounds


class IntSlider(_Slider):
    value = traitlets.CInt(0).tag(sync=True)
    min = traitlets.CInt(0).tag(sync=True)
    max = traitlets.CInt(100).tag(sync=True)
    step = traitlets.CInt(1).tag(sync=True)

    @traitlets.validate("value")
    def _valid_value(self, proposal: Any) -> int:
        return int(self._clamp(proposal["value"]))


class FloatSlider(_Slider):
    value = traitlets.CFloat(0.0).tag(sync=True)
    min = traitlets.CFloat(0.0).tag(sync=True)
    max = traitlets.CFloat(10.0).tag(sync=True)
    step = traitlets.CFloat(0.1).tag(sync=True)

    @traitlets.validate("value")
    def _valid_value(self, proposal: Any) -> float:
        # the browser's steps are binary fractions (0.30000000000000004): keep the step's decimals
        return round(float(self._clamp(proposal["value"])), 6)


class IntRangeSlider(_Slider):
    """Two handles on one track, ``value == (low, high)``; ``labels`` names each handle."""

    value = traitlets.Tuple(traitlets.CInt(), traitlets.CInt(), default_value=(25, 75)).tag(sync=True)
    min = traitlets.CInt(0).tag(sync=True)
    max = traitlets.CInt(100).tag(sync=True)
    step = traitlets.CInt(1).tag(sync=True)

    def __init__(self, *, labels: tuple[str, str] = ("", ""), **kwargs: Any) -> None:
        super().__init__(labels=list(labels), **kwargs)

    @traitlets.validate("value")
    def _valid_value(self, proposal: Any) -> tuple[int, int]:
        low, high = (int(self._clamp(v)) for v in proposal["value"])
        return (low, high) if low <= high else (high, low)


def _index_to_json(value: Any, widget: "SelectionSlider") -> int:
    return widget.values.index(value) if value in widget.values else 0


def _index_from_json(index: Any, widget: "SelectionSlider") -> Any:
    return widget.values[int(index)]


class SelectionSlider(_Slider):
    """Named stops on a track: ``options`` are (name, value) pairs and ``value`` is the chosen one's value.

    The page moves between stop numbers (``value`` travels as its index); each stop's name is
    shown and read aloud.
    """

    options = traitlets.List()
    value = traitlets.Any().tag(sync=True, to_json=_index_to_json, from_json=_index_from_json)
    min = traitlets.CInt(0).tag(sync=True)
    max = traitlets.CInt(0).tag(sync=True)
    step = traitlets.CInt(1).tag(sync=True)

    def __init__(self, *, options: list[tuple[str, Any]], **kwargs: Any) -> None:
        names = [name for name, _ in options]
        super().__init__(options=list(options), names=names, min=0, max=len(options) - 1,
                         value=kwargs.pop("value", options[0][1]), **kwargs)

    @property
    def values(self) -> list[Any]:
        return [value for _, value in self.options]

    @traitlets.validate("value")
    def _valid_value(self, proposal: Any) -> Any:
        if proposal["value"] not in self.values:
            raise traitlets.TraitError(f"{proposal['value']!r} is not one of {self.values}")
        return proposal["value"]
