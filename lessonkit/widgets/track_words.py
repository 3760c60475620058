"""What the track studio says in words and markup: the loudness meter, the export's report, status lines.

Pure functions of the session's readings, so tests can read them without a studio.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..track.export import Exported

METER_LOW, METER_HIGH = -36.0, -6.0
EXPORT_BUTTON = "Export the chosen version"  # the button's name, as the exporter's lines say it
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


def the_one_words(chosen: int | None, strong: Callable[[str], str] = str) -> str:
    """Which version the learner marked as the one, and so which the export writes; ``strong`` marks the version up
    (the journal's table sets it in bold)."""
    if chosen:
        return f"Marked as the one: {strong(f'version {chosen}')}. That is the version the export writes."
    return "No version is marked as the one yet; the export writes the latest."


def full_folder(folder: str | os.PathLike[str]) -> str:
    """The folder as the learner can find it: a relative name is counted from where the lesson runs."""
    return os.path.abspath(os.path.expanduser(str(folder)))


def export_waiting_words(folder: str, version: int) -> str:
    """The exporter's line before anything is exported: what the button writes, and where."""
    return (f"Nothing is exported yet. Press “{EXPORT_BUTTON}” to write version {version} (WAV, MIDI, cover and "
            f"liner notes) into {full_folder(folder)}")


def export_words(result: Exported, at: str, again: bool) -> str:
    """The exporter's line after an export: which version, how loud, when, where, and each file's name."""
    names = ", ".join(path.name for path in result.files)
    done = "Exported again" if again else "Exported"
    return (f"{done} at {at}: version {result.version} ({result.lufs:.1f} LUFS, peak {result.peak_dbfs:.1f} dBFS) "
            f"into {full_folder(result.folder)}: {names}. Press “Download the files” to save them on your computer.")


def export_stale_words(at: str, folder: str | os.PathLike[str]) -> str:
    """The exporter's line once the track has changed since its last export."""
    return (f"You have changed the track since the export at {at}: the files in {full_folder(folder)} are the "
            f"earlier ones. Press “{EXPORT_BUTTON}” again to write the track as it is now.")


def export_failed_words(folder: str, reason: str) -> str:
    """The exporter's line when an export could not be done: what went wrong, and what to do."""
    return (f"The track could not be exported to {full_folder(folder)}: {reason} Nothing was written there. "
            f"Type a folder you can write to in the Folder box and press “{EXPORT_BUTTON}” again.")


def pending_meter_html() -> str:
    """The meter before a version has been made into sound: what will fill it, and when."""
    return status_html(html.escape(NOT_MEASURED), role="status")
