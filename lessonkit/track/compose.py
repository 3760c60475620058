"""Write the notes of a sketch: drums, bass, chords and a melody, from a version's settings.

Everything here is notes, not sound: the synthesiser plays them and the MIDI file stores
them, so what a learner hears and what opens in a DAW are the same music. Each part draws
from its own seeded random generator, so re-rolling the melody leaves the drums alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .settings import BEATS_PER_BAR, PARTS, TAIL_SECONDS, TrackSettings, bars_for

MODES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
}
PITCH_CLASS = {"C": 0, "C#": 1, "D": 2, "Eb": 3, "E": 4, "F": 5, "F#": 6, "G": 7, "Ab": 8, "A": 9, "Bb": 10, "B": 11}
#: General MIDI drum notes, so the MIDI file's drum track plays the right kit pieces in a DAW.
DRUM_NOTES = {"kick": 36, "snare": 38, "clap": 39, "hat": 42, "open_hat": 46}
STEP = 0.25  # one sixteenth note, in beats


@dataclass(frozen=True)
class Note:
    start: float  # beats from the top
    length: float  # beats
    pitch: int  # MIDI note number (a drum note for the drums)
    velocity: int  # 1..127


@dataclass(frozen=True)
class Arrangement:
    settings: TrackSettings
    bars: int
    progression: tuple[int, ...]
    parts: dict[str, tuple[Note, ...]]

    @property
    def beats(self) -> int:
        return self.bars * BEATS_PER_BAR

    @property
    def seconds_per_beat(self) -> float:
        return 60.0 / self.settings.tempo

    @property
    def seconds(self) -> float:
        """The sketch's full length: its bars plus the tail where the last sounds ring out."""
        return self.beats * self.seconds_per_beat + TAIL_SECONDS


def scale_pitch(tonic: int, mode: tuple[int, ...], index: int) -> int:
    """The MIDI pitch of scale step ``index`` (0 = the tonic), counting up or down through octaves."""
    octave, step = divmod(index, 7)
    return tonic + 12 * octave + mode[step]


def chord_steps(degree: int, sevenths: bool) -> list[int]:
    """Scale steps of the chord built on ``degree`` by stacking thirds within the mode."""
    root = degree - 1
    return [root, root + 2, root + 4] + ([root + 6] if sevenths else [])


def _voicing(pitch_classes: list[int], low: int, previous: list[int] | None) -> list[int]:
    """Chord pitches placed near ``low``, moving as little as possible from the previous chord."""
    candidates = []
    for bottom in range(low - 5, low + 7):
        if bottom % 12 not in pitch_classes:
            continue
        notes = [bottom]
        for pc in pitch_classes:
            if pc == bottom % 12:
                continue
            notes.append(bottom + (pc - bottom) % 12)
        candidates.append(sorted(notes))
    if previous is None:
        return min(candidates, key=lambda notes: abs(notes[0] - low))
    return min(candidates, key=lambda notes: (sum(abs(a - b) for a, b in zip(notes, previous)), notes[0]))


def _hits(pattern: str) -> list[tuple[int, float, str]]:
    """(step, length in steps, symbol) for every onset in a one-bar pattern; '-' extends, '.' stops."""
    found = []
    for step, symbol in enumerate(pattern):
        if symbol in "-.":
            continue
        length = 1
        while step + length < len(pattern) and pattern[step + length] == "-":
            length += 1
        found.append((step, float(length), symbol))
    return found


def _when(bar: int, step: int, swing: float) -> float:
    return bar * BEATS_PER_BAR + step * STEP + (swing * STEP if step % 2 else 0.0)


def _vel(value: float) -> int:
    return int(min(127, max(1, round(value))))


def compose(settings: TrackSettings, mood: Any, genre: Any) -> Arrangement:
    """The notes of every part. ``mood`` and ``genre`` are the schema's Mood and Genre."""
    mode = MODES[mood.mode]
    tonic_pc = PITCH_CLASS[settings.key]
    bars = bars_for(settings.tempo, settings.seconds)
    rngs = {part: np.random.default_rng(settings.seed_for(part)) for part in PARTS}
    progression = tuple(mood.progressions[int(rngs["chords"].integers(len(mood.progressions)))])
    degrees = [progression[bar % len(progression)] for bar in range(bars - 1)] + [1]  # end at home
    swing = genre.swing

    chords, chord_tones = _chords(degrees, mode, tonic_pc, genre, mood, swing, rngs["chords"])
    parts = {
        "drums": _drums(bars, genre, mood, swing, rngs["drums"]),
        "bass": _bass(degrees, mode, tonic_pc, genre, mood, swing, rngs["bass"]),
        "chords": chords,
        "melody": _melody(degrees, chord_tones, mode, tonic_pc, genre, mood, swing, rngs["melody"]),
    }
    return Arrangement(settings, bars, progression, parts)


def _drums(bars: int, genre: Any, mood: Any, swing: float, rng: np.random.Generator) -> tuple[Note, ...]:
    notes = []
    kit = genre.drums
    has_backbeat = "x" in (kit.snare + kit.clap).lower()
    for bar in range(bars):
        last = bar == bars - 1
        for piece, note in DRUM_NOTES.items():
            pattern = getattr(kit, piece)
            for step, symbol in enumerate(pattern):
                if symbol == "." or (last and step > 0):
                    continue
                if piece == "hat" and step % 2 and mood.energy < 0.4 and rng.random() < 0.5:
                    continue  # a calm mood thins the off-beat hats
                base = 112 if symbol == "X" else 88
                if piece in ("hat", "open_hat"):
                    base -= 0 if step % 4 == 0 else 14 if step % 2 == 0 else 24
                velocity = base * (0.8 + 0.25 * mood.energy) + rng.normal(0, 4)
                notes.append(Note(_when(bar, step, swing), 0.1, note, _vel(velocity)))
        if has_backbeat and bar % 4 == 3 and not last:
            fill = "snare" if "x" in kit.snare.lower() else "clap"
            for i, step in enumerate((13, 14, 15)):
                if getattr(kit, fill)[step] == ".":
                    notes.append(Note(_when(bar, step, swing), 0.1, DRUM_NOTES[fill], _vel(60 + 14 * i + rng.normal(0, 4))))
    return tuple(sorted(notes, key=lambda n: (n.start, n.pitch)))


def _bass(degrees: list[int], mode: tuple[int, ...], tonic_pc: int, genre: Any, mood: Any, swing: float,
          rng: np.random.Generator) -> tuple[Note, ...]:
    notes = []
    low = 12 * (genre.bass.octave + 1)
    bars = len(degrees)
    for bar, degree in enumerate(degrees):
        root_step = degree - 1
        root = low + (scale_pitch(tonic_pc, mode, root_step) - low) % 12
        fifth = root + (scale_pitch(tonic_pc, mode, root_step + 4) - scale_pitch(tonic_pc, mode, root_step))
        if bar == bars - 1:
            notes.append(Note(bar * BEATS_PER_BAR, 4.0, root, _vel(96)))
            continue
        for step, length, symbol in _hits(genre.bass.pattern):
            pitch = {"R": root, "F": fifth, "O": root + 12}[symbol]
            start = _when(bar, step, swing)
            end = bar * BEATS_PER_BAR + (step + length) * STEP
            velocity = (100 if step % 4 == 0 else 86) * (0.85 + 0.2 * mood.energy) + rng.normal(0, 3)
            notes.append(Note(start, max(STEP * 0.5, end - start - 0.02), pitch, _vel(velocity)))
    return tuple(notes)


def _chords(degrees: list[int], mode: tuple[int, ...], tonic_pc: int, genre: Any, mood: Any, swing: float,
            rng: np.random.Generator) -> tuple[tuple[Note, ...], list[list[int]]]:
    notes: list[Note] = []
    tones: list[list[int]] = []
    low = 12 * (genre.chords.octave + 1) + tonic_pc
    previous = None
    bars = len(degrees)
    for bar, degree in enumerate(degrees):
        classes = [scale_pitch(tonic_pc, mode, s) % 12 for s in chord_steps(degree, genre.chords.sevenths)]
        voicing = _voicing(classes, low, previous)
        previous = voicing
        tones.append(classes)
        hits = [(0, 16.0, "x")] if bar == bars - 1 else _hits(genre.chords.rhythm)
        for step, length, _ in hits:
            start = _when(bar, step, swing)
            end = bar * BEATS_PER_BAR + (step + length) * STEP
            velocity = 64 + 24 * mood.energy + rng.normal(0, 3)
            for pitch in voicing:
                notes.append(Note(start, max(STEP * 0.5, end - start - 0.02), pitch, _vel(velocity)))
    return tuple(notes), tones


def _melody(degrees: list[int], tones: list[list[int]], mode: tuple[int, ...], tonic_pc: int, genre: Any, mood: Any,
            swing: float, rng: np.random.Generator) -> tuple[Note, ...]:
    """A two-bar motif, repeated and bent to fit each chord, so the tune has something to come back to."""
    bars = len(degrees)
    center = 12 * (genre.lead.octave + 1) + tonic_pc - (12 if tonic_pc > 6 else 0)  # keep the tune near its octave's C
    grid = 2 if genre.lead.grid == 8 else 1  # in sixteenth steps
    positions = list(range(0, 32, grid))
    density = float(np.clip(genre.lead.density * (0.7 + 0.6 * mood.energy), 0.08, 0.9))
    weight = [1.6 if p % 8 == 0 else 1.1 if p % 4 == 0 else 0.8 if p % 2 == 0 else 0.6 for p in positions]
    rhythm = [p for p, w in zip(positions, weight) if rng.random() < density * w]
    if not rhythm or rhythm[0] != 0:
        rhythm = [0, *rhythm]
    shape = np.cumsum(rng.choice([-2, -1, 0, 1, 2], size=len(rhythm), p=[0.15, 0.3, 0.1, 0.3, 0.15]))
    shape -= shape[0]

    first = 2 if bars > 4 else 0  # let the groove play two bars before the tune comes in
    notes: list[Note] = []
    for start_bar in range(first, bars - 1, 2):
        lift = int(rng.integers(-2, 3))
        steps = [p for p in rhythm if rng.random() > 0.12 or p == 0]  # vary the rhythm a little each time
        onsets = []
        for i, position in enumerate(steps):
            bar = start_bar + position // 16
            if bar >= bars - 1:
                break
            index = int(shape[rhythm.index(position)]) + lift
            index = int(np.clip(index, -4, 8))
            pitch = scale_pitch(center, mode, index)
            if position % 8 == 0:  # strong beats land on a note of the chord underneath
                pitch = _nearest_tone(pitch, tones[bar])
            onsets.append((bar, position % 16, pitch))
        for i, (bar, step, pitch) in enumerate(onsets):
            start = _when(bar, step, swing)
            nxt = (_when(*onsets[i + 1][:2], swing) if i + 1 < len(onsets)
                   else min((start_bar + 2) * BEATS_PER_BAR, (bars - 1) * BEATS_PER_BAR))
            length = float(np.clip(nxt - start - 0.05, STEP * 0.6, 2.0))
            accent = 10 if step % 4 == 0 else 0
            velocity = 78 + 22 * mood.energy + accent + rng.normal(0, 4)
            notes.append(Note(start, length, pitch, _vel(velocity)))
    notes.append(Note((bars - 1) * BEATS_PER_BAR, 3.0, center, _vel(84 + 10 * mood.energy)))
    return tuple(notes)


def _nearest_tone(pitch: int, classes: list[int]) -> int:
    return min((pitch + d for d in range(-6, 7) if (pitch + d) % 12 in classes), key=lambda p: (abs(p - pitch), p))
