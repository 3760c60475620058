"""Small inline SVG charts for the class report: no script, no network, readable without colour.

Every chart carries a ``<title>`` and ``<desc>`` (read out by screen readers), prints its
numbers beside the bars, and uses the Okabe-Ito colours of :data:`lessonkit.charts.PALETTE`.
Text is drawn in ``currentColor`` so the page's light or dark colours apply. All text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..htmlpage import esc

WIDTH = 720
ROW = 26
LABEL_WIDTH = 260
FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13"'


def _clip(text: str, limit: int = 33) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _frame(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'style="max-width:{WIDTH}px" aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT}>'
            f'<title id="{chart_id}-title">{esc(title)}</title><desc id="{chart_id}-desc">{esc(desc)}</desc>'
            + "".join(body) + "</svg>")


def bars(chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, int]], *, colour: str,
         out_of: int | None = None) -> str:
    """Horizontal bars, one per (label, count), each with its count written at its end."""
    largest = max([out_of or 0, *(value for _, value in rows), 1])
    span = WIDTH - LABEL_WIDTH - 70
    height = ROW * len(rows) + 16
    body = []
    for i, (label, value) in enumerate(rows):
        y = 8 + i * ROW
        length = span * value / largest
        words = f"{value}" + (f" of {out_of}" if out_of else "")
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" fill="currentColor">'
                    f"<title>{esc(label)}</title>{esc(_clip(label))}</text>"
                    f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" fill="{colour}"/>'
                    f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 17}" fill="currentColor">{esc(words)}</text>')
    return _frame(chart_id, title, desc, height, body)


def stacked(chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, Sequence[int]]],
            series: Sequence[tuple[str, str]]) -> str:
    """Horizontal bars split into parts (one per series, in order), with a legend and every part's count."""
    span = WIDTH - LABEL_WIDTH - 20
    legend_height = 28
    height = legend_height + ROW * len(rows) + 12
    body = []
    x = LABEL_WIDTH
    for name, colour in series:  # the legend: a swatch and the series' name
        body.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{colour}" stroke="currentColor" '
                    f'stroke-width="0.5"/><text x="{x + 19}" y="18" fill="currentColor">{esc(name)}</text>')
        x += 26 + 7.5 * len(name)
    for i, (label, parts) in enumerate(rows):
        y = legend_height + i * ROW
        total = max(sum(parts), 1)
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" fill="currentColor">'
                    f"<title>{esc(label)}</title>{esc(_clip(label))}</text>")
        start = float(LABEL_WIDTH)
        for (name, colour), value in zip(series, parts):
            length = span * value / total
            if value:
                body.append(f'<rect x="{start:.1f}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" '
                            f'fill="{colour}" stroke="#ffffff" stroke-width="1"><title>{esc(name)}: {value}</title></rect>')
                if length >= 22:
                    body.append(f'<text x="{start + length / 2:.1f}" y="{y + 17}" text-anchor="middle" '
                                f'fill="{ink(colour)}">{value}</text>')
            start += length
    return _frame(chart_id, title, desc, height, body)


def strip(chart_id: str, title: str, desc: str, values: Sequence[int], *, references: Sequence[tuple[str, int]],
          band: tuple[str, int, int] | None, colour: str, band_colour: str) -> str:
    """Dots along a dollar axis (one per value), with labelled reference lines and an optional shaded range."""
    left, right = 30, WIDTH - 30
    top_of_dots, dots_height = 70, 90
    axis_y = top_of_dots + dots_height + 10
    highest = max([*values, *(x for _, x in references), *( [band[1]] if band else []), 1])
    axis_max = highest * 1.15
    scale = (right - left) / axis_max
    body = []
    if band:
        label, low, high = band
        x0, x1 = left + low * scale, min(right, left + high * scale)
        beyond = " (beyond the axis →)" if left + high * scale > right else ""
        body.append(f'<rect x="{x0:.1f}" y="{top_of_dots - 10}" width="{x1 - x0:.1f}" height="{dots_height + 20}" '
                    f'fill="{band_colour}" fill-opacity="0.35"/>'
                    f'<text x="{right}" y="{axis_y + 36}" text-anchor="end" fill="currentColor" font-size="11">'
                    f"shaded: {esc(label)}{beyond}</text>")
    for n, (label, amount) in enumerate(references):
        x = left + amount * scale
        y = 16 + 16 * (n % 3)
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 4}" y2="{axis_y}" stroke="currentColor" '
                    f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{y}" text-anchor="middle" '
                    f'fill="currentColor" font-size="11">{esc(label)}</text>')
    for i, amount in enumerate(values):
        x = left + amount * scale
        y = top_of_dots + (i * 37 % dots_height)  # spread dots up and down so equal targets stay visible
        body.append(f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{colour}" fill-opacity="0.8" stroke="currentColor" '
                    f'stroke-width="0.6"><title>${amount:,}</title></circle>')
    body.append(f'<line x1="{left}" x2="{right}" y1="{axis_y}" y2="{axis_y}" stroke="currentColor"/>')
    step = _tick_step(axis_max)
    tick = 0
    while tick <= axis_max:
        x = left + tick * scale
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{axis_y}" y2="{axis_y + 5}" stroke="currentColor"/>'
                    f'<text x="{x:.1f}" y="{axis_y + 19}" text-anchor="middle" fill="currentColor" font-size="11">'
                    f"${tick // 1000:,}k</text>")
        tick += step
    return _frame(chart_id, title, desc, axis_y + (44 if band else 30), body)


def ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (a #rrggbb fill)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def _tick_step(axis_max: float) -> int:
    for step in (10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 250_000, 500_000, 1_000_000):
        if axis_max / step <= 10:
            return step
    return 1_000_000 * int(axis_max // 10_000_000 + 1)
