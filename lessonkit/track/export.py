"""Write the chosen version out: a WAV (44.1 kHz, 16-bit, stereo), a MIDI file, the cover PNG and liner notes.

Everything is made in memory and written into a temporary folder beside the destination
first; only when all four files are complete are they moved into place. A folder that
cannot be written ends with a message saying so, and nothing half-written is left behind.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_files
from ..errors import LessonkitError
from .cover import png_bytes, render_cover
from .midi import to_midi
from .session import Session, Version
from .settings import PART_LABELS
from .wav import wav_bytes


@dataclass(frozen=True)
class Exported:
    folder: Path
    files: list[Path]
    version: int
    lufs: float
    peak_dbfs: float


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-track"


def liner_notes(session: Session, version: Version, lufs: float, peak: float, files: list[str]) -> str:
    s = version.settings
    mood, genre = session.mood(s.mood), session.genre(s.genre)
    lines = [
        f"# {session.cover.title}", "", f"*{session.cover.artist}*", "",
        f"The version on this release is **version {version.number}** of {len(session.versions)}: "
        f"{session.describe(version.number)}.", "",
        f"- Mood: {mood.label}. {mood.feel}",
        f"- Genre: {genre.label}. {genre.feel}",
        f"- Loudness: {lufs:.1f} LUFS integrated, peaking at {peak:.1f} dBFS "
        f"(streaming services play at about {session.catalog.loudness.target_lufs:g} LUFS).",
        "- Mix: " + "; ".join(_mix_words(version)) + ".", "",
        "## The ear's journal", "",
        "What I heard in each version and what I decided to change.", "",
    ]
    for v in session.versions:
        mark = " ✔ the one" if v.number == version.number and session.chosen == v.number else ""
        lines += [f"### Version {v.number}{mark}", "", f"*{session.describe(v.number)}; {v.what}.*", "",
                  f"- **What I hear:** {v.heard.strip() or '(no note)'}",
                  f"- **What to change:** {v.change.strip() or '(no note)'}", ""]
    lines += ["## Files", "", *(f"- `{name}`" for name in files), "",
              "Made in Lesson 03 of *Careers in Music Production*: the sketch was generated from the choices "
              "above; the listening, the changes and the decision that this one was right were mine.", ""]
    return "\n".join(lines)


def _mix_words(version: Version) -> list[str]:
    words = []
    for part, p in version.mix.parts.items():
        state = "muted" if p.mute else f"{p.level_db:+.1f} dB"
        side = "centre" if abs(p.pan) < 0.05 else f"{abs(p.pan) * 100:.0f}% {'left' if p.pan < 0 else 'right'}"
        words.append(f"{PART_LABELS[part].lower()} {state}, {side}" + (" (solo)" if p.solo else ""))
    words.append(f"master {version.mix.master_db:+.1f} dB")
    return words


def export(session: Session, folder: str | os.PathLike[str]) -> Exported:
    """Export the version marked as right (the latest when none is marked) into ``folder``."""
    target = Path(folder).expanduser()
    version = session.to_export
    arrangement, stems = session.rendered(version.number)
    mixdown = session.mixdown(version.number)
    s = version.settings
    mood, genre = session.mood(s.mood), session.genre(s.genre)
    name = slug(session.cover.title)
    midi = io.BytesIO()
    to_midi(arrangement, genre, session.cover.title).save(file=midi)
    cover = render_cover(mood, genre, title=session.cover.title, artist=session.cover.artist, seed=session.cover.seed)
    names = [f"{name}.wav", f"{name}.mid", f"{name}-cover.png", f"{name}-liner-notes.md"]
    contents = [wav_bytes(mixdown.audio, stems.rate), midi.getvalue(), png_bytes(cover.image, fast=False)]
    contents.append(liner_notes(session, version, mixdown.reading.lufs, mixdown.reading.peak_dbfs, names).encode())
    _write_all(target, dict(zip(names, contents)))
    return Exported(target, [target / n for n in names], version.number, mixdown.reading.lufs, mixdown.reading.peak_dbfs)


def _write_all(target: Path, files: dict[str, bytes]) -> None:
    try:
        write_files(target, files)
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        raise LessonkitError(
            f"The track could not be exported to '{target.absolute()}': {reason}"
            f"{f' ({error.filename})' if error.filename else ''}. Nothing was written there. "
            "Type a folder you can write to in the Folder box and press Export again."
        ) from None


#: The name lessonkit exports this under (``lessonkit.export_track``).
export_track = export
