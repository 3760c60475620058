"""What the track studio says in words and markup: the loudness meter, the export's report, status lines.

Pure functions of the session's readings, so tests can read them without a studio.
"""

from __future__ import annotations

import html
import math
from typing import Any

from ..track.export import Exported

METER_LOW, METER_HIGH = -36.0, -6.0
NOT_MEASURED = ("Loudness: measured when this version is first played or exported (press play to hear it "
                "and see its loudness and peak here).")


def status_html(text: str, role: str = "") -> str:
    attribute = f' role="{role}"' if role else ""
    return f'<div{attribute} style="color: var(--jp-content-font-color1, inherit)">{text}</div>'


def meter_html(reading: Any) -> str:
    """The loudness meter: a bar with the target marked, and the numbers said in words (never colour alone)."""
    if math.isinf(reading.lufs):
        return status_html(html.escape(reading.words()), role="status")
    span = METER_HIGH - METER_LOW
    fill = max(0.0, min(1.0, (reading.lufs - METER_LOW) / span)) * 100
    target = (reading.target_lufs - METER_LOW) / span * 100
    bar = (f'<div aria-hidden="true" style="position:relative;width:420px;height:14px;'
           f'background:var(--jp-layout-color3,#ccc);border-radius:3px;margin:4px 0">'
           f'<div style="width:{fill:.1f}%;height:100%;background:var(--jp-brand-color1,#1976d2);border-radius:3px"></div>'
           f'<div style="position:absolute;left:{target:.1f}%;top:-3px;width:3px;height:20px;'
           f'background:var(--jp-content-font-color1,#000)"></div></div>')
    numbers = (f"<b>Loudness {reading.lufs:.1f} LUFS</b> (target about {reading.target_lufs:g}) · "
               f"<b>peak {reading.peak_dbfs:.1f} dBFS</b> (ceiling {reading.ceiling_dbfs:g})")
    return status_html(f"{numbers}{bar}{html.escape(reading.words())}", role="status")


def export_words(result: Exported) -> str:
    names = ", ".join(path.name for path in result.files)
    return (f"Exported version {result.version} ({result.lufs:.1f} LUFS, peak {result.peak_dbfs:.1f} dBFS) "
            f"to {result.folder}: {names}. Press Download the files to save them on your computer.")


def pending_meter_html() -> str:
    """The meter before a version has been made into sound: what will fill it, and when."""
    return status_html(html.escape(NOT_MEASURED), role="status")
