"""Write an arrangement as a standard MIDI file (type 1) that any DAW opens, and read one back.

One track per part, named after it, with a General MIDI instrument so it plays something
sensible before the producer picks their own sounds; drums on channel 10 with General MIDI
drum notes. The swing is written into the note timings, exactly as the audio plays it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mido

from .compose import Arrangement, Note
from .settings import PART_LABELS, PARTS

TICKS_PER_BEAT = 480
CHANNELS = {"drums": 9, "bass": 0, "chords": 1, "melody": 2}
#: General MIDI programs (0-based) closest to each voice.
PROGRAMS = {
    "round-bass": 32, "saw-bass": 38, "808": 38, "sub": 38,
    "electric-piano": 4, "pad": 89, "stab": 81,
    "soft-lead": 73, "saw-lead": 81, "square-lead": 80, "bell": 14, "pluck": 45,
}


def ticks(beats: float) -> int:
    return int(round(beats * TICKS_PER_BEAT))


def to_midi(arrangement: Arrangement, genre: Any, title: str = "") -> mido.MidiFile:
    settings = arrangement.settings
    song = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("track_name", name=title or f"{settings.mood} {settings.genre}", time=0))
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(settings.tempo), time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    conductor.append(mido.MetaMessage("end_of_track", time=ticks(arrangement.beats)))
    song.tracks.append(conductor)
    voices = {"bass": genre.bass.voice, "chords": genre.chords.voice, "melody": genre.lead.voice}
    for part in PARTS:
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=PART_LABELS[part], time=0))
        channel = CHANNELS[part]
        if part in voices:
            track.append(mido.Message("program_change", channel=channel, program=PROGRAMS[voices[part]], time=0))
        events = []
        for note in arrangement.parts[part]:
            start = ticks(note.start)
            end = max(start + 1, ticks(note.start + note.length))
            events.append((start, 1, note.pitch, note.velocity))
            events.append((end, 0, note.pitch, 0))  # at the same tick, note-offs go before note-ons
        now = 0
        for when, on, pitch, velocity in sorted(events):
            kind = "note_on" if on else "note_off"
            track.append(mido.Message(kind, channel=channel, note=pitch, velocity=velocity, time=when - now))
            now = when
        track.append(mido.MetaMessage("end_of_track", time=0))
        song.tracks.append(track)
    return song


def write_midi(arrangement: Arrangement, genre: Any, path: Path, title: str = "") -> None:
    to_midi(arrangement, genre, title).save(str(path))


def read_notes(path: Path) -> dict[str, list[Note]]:
    """The notes of a MIDI file, per track name, with times in beats (for checking an export)."""
    song = mido.MidiFile(str(path))
    names = {label: part for part, label in PART_LABELS.items()}
    found: dict[str, list[Note]] = {}
    for track in song.tracks:
        name, now, sounding, notes = None, 0, {}, []
        for message in track:
            now += message.time
            if message.type == "track_name":
                name = message.name
            elif message.type == "note_on" and message.velocity > 0:
                sounding[message.note] = (now, message.velocity)
            elif message.type in ("note_off", "note_on") and message.note in sounding:
                start, velocity = sounding.pop(message.note)
                notes.append(Note(start / song.ticks_per_beat, (now - start) / song.ticks_per_beat, message.note, velocity))
        if name in names:
            found[names[name]] = sorted(notes, key=lambda n: (n.start, n.pitch))
    return found
