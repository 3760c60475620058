"""Play an arrangement's notes into four stereo stems (drums, bass, chords, melody) at 44.1 kHz.

Fast enough to feel instant: oscillators read band-limited single-cycle tables (no aliasing
fizz on high notes), every note is one vectorised numpy expression, and drum sounds are made
once per render and copied to each hit. Noise comes from the drums' own seeded generator, so
the same settings give the same samples, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .compose import DRUM_NOTES, Arrangement, Note
from .settings import PARTS

RATE = 44_100
TABLE = 8192
Voice = Callable[[float, float, float, float], np.ndarray]


@dataclass(frozen=True)
class Stems:
    """One stereo float32 array (2, samples) per part, before any mixing."""

    rate: int
    parts: dict[str, np.ndarray]

    @property
    def samples(self) -> int:
        return next(iter(self.parts.values())).shape[1]

    @property
    def seconds(self) -> float:
        return self.samples / self.rate


def hz(pitch: float) -> float:
    return 440.0 * 2.0 ** ((pitch - 69) / 12)


@lru_cache(maxsize=1)
def _ramp() -> np.ndarray:
    return np.arange(RATE * 70, dtype=np.float64)


def _t(n: int) -> np.ndarray:
    return _ramp()[:n] / RATE


@lru_cache(maxsize=512)
def _table(shape: str, harmonics: int, tilt: float) -> np.ndarray:
    """One cycle holding only harmonics below Nyquist for the note that reads it; peak 1."""
    spectrum = np.zeros(TABLE // 2 + 1, dtype=np.complex128)
    k = np.arange(1, harmonics + 1)
    if shape == "saw":
        amps = 1.0 / k
    elif shape == "square":
        amps = np.where(k % 2 == 1, 1.0 / k, 0.0)
    else:  # triangle
        amps = np.where(k % 2 == 1, 1.0 / k**2, 0.0) * np.where((k // 2) % 2 == 0, 1.0, -1.0)
    amps = amps * np.exp(-(k - 1) * tilt)
    spectrum[1 : harmonics + 1] = -1j * amps
    cycle = np.fft.irfft(spectrum, n=TABLE)
    return (cycle / np.abs(cycle).max()).astype(np.float32)


def osc(shape: str, freq: float, n: int, brightness: float = 0.7, cents: float = 0.0) -> np.ndarray:
    """A band-limited oscillator: ``n`` samples of saw, square or triangle at ``freq`` Hz."""
    freq *= 2.0 ** (cents / 1200)
    harmonics = int(max(1, min(48, 0.45 * RATE / freq)))
    tilt = round((1.0 - brightness) * 0.4, 2)
    index = (_ramp()[:n] * (freq * TABLE / RATE)).astype(np.int64) & (TABLE - 1)
    return _table(shape, harmonics, tilt)[index]


@lru_cache(maxsize=1)
def _sine_table() -> np.ndarray:
    return np.sin(2 * np.pi * np.arange(TABLE) / TABLE).astype(np.float32)


def sin_cycles(cycles: np.ndarray) -> np.ndarray:
    """sin(2π·cycles) read from a table: several times quicker than np.sin and far below audible error."""
    return _sine_table()[(cycles * TABLE).astype(np.int64) & (TABLE - 1)]


def sine(freq: float, n: int) -> np.ndarray:
    return sin_cycles(_ramp()[:n] * (freq / RATE))


def envelope(n: int, held: int, attack: float, decay: float, sustain: float, release: float) -> np.ndarray:
    """Linear attack, exponential fall to ``sustain`` while held, exponential release after ``held`` samples."""
    t = _t(n).astype(np.float32)
    a = np.float32(max(attack, 1e-3))
    body = np.where(t < a, t / a, np.float32(sustain) + np.float32(1 - sustain) * np.exp(-(t - a) / np.float32(max(decay, 1e-3))))
    if held < n:
        level = body[max(held - 1, 0)]
        after = t[held:] - t[held]
        body[held:] = level * np.exp(-after / max(release / 4, 1e-3))
    return body.astype(np.float32)


def _saturate(x: np.ndarray, drive: float) -> np.ndarray:
    return (np.tanh(x * drive) / np.tanh(drive)).astype(np.float32)


# ---------------------------------------------------------------- voices: (freq, seconds held, velocity 0-1, brightness) -> mono
def _round_bass(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.12) * RATE), int(held * RATE)
    tone = sine(f, n) + 0.35 * osc("triangle", 2 * f, n, b)
    return _saturate(tone * envelope(n, h, 0.006, 0.25, 0.7, 0.1), 1.6) * v


def _saw_bass(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.08) * RATE), int(held * RATE)
    tone = 0.6 * osc("saw", f, n, b * 0.55) + 0.6 * sine(f, n)
    return tone * envelope(n, h, 0.004, 0.18, 0.55, 0.06) * v


def _eight_o_eight(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.15) * RATE), int(held * RATE)
    t = _t(n)
    glide = f * (1.0 + 0.9 * np.exp(-t / 0.025))  # the thump: pitch falls onto the note
    tone = sin_cycles(np.cumsum(glide) / RATE)
    amp = np.exp(-t / 0.9).astype(np.float32) * envelope(n, h, 0.002, 10.0, 1.0, 0.12)
    return _saturate(tone * amp, 2.2 + b) * v


def _sub(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.1) * RATE), int(held * RATE)
    tone = sine(f, n) + 0.12 * sine(2 * f, n)
    return _saturate(tone * envelope(n, h, 0.01, 1.0, 0.9, 0.1), 1.3) * v


def _electric_piano(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.3) * RATE), int(held * RATE)
    t = _t(n).astype(np.float32)
    cycles = _ramp()[:n] * (f / RATE)
    index = np.float32((0.8 + 1.2 * b) * v / (2 * np.pi)) * np.exp(-t / np.float32(0.35))
    tone = sin_cycles(cycles + index * sin_cycles(cycles)) + np.float32(0.12) * sin_cycles(4 * cycles) * np.exp(-t / np.float32(0.04))
    return tone * np.exp(-t / np.float32(1.6)) * envelope(n, h, 0.002, 10.0, 1.0, 0.25) * np.float32(v)


def _pad(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.7) * RATE), int(held * RATE)
    tone = 0.5 * osc("saw", f, n, b * 0.6, -7) + 0.5 * osc("saw", f, n, b * 0.6, 7) + 0.4 * sine(f / 2, n)
    return tone * envelope(n, h, min(0.35, held / 2), 1.0, 0.85, 0.7) * v


def _stab(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((min(held, 0.4) + 0.1) * RATE), int(min(held, 0.4) * RATE)
    tone = 0.6 * osc("saw", f, n, b) + 0.4 * osc("square", f, n, b, 5)
    return tone * envelope(n, h, 0.003, 0.12, 0.15, 0.08) * v


def _soft_lead(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.15) * RATE), int(held * RATE)
    tone = 0.7 * sine(f, n) + 0.5 * osc("triangle", f, n, b, 4)
    return tone * envelope(n, h, 0.015, 0.4, 0.75, 0.15) * v


def _saw_lead(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.12) * RATE), int(held * RATE)
    tone = 0.55 * osc("saw", f, n, b) + 0.45 * osc("saw", f, n, b, 9)
    return tone * envelope(n, h, 0.008, 0.3, 0.7, 0.1) * v


def _square_lead(f: float, held: float, v: float, b: float) -> np.ndarray:
    n, h = int((held + 0.12) * RATE), int(held * RATE)
    tone = 0.6 * osc("square", f, n, b * 0.8) + 0.4 * osc("square", f, n, b * 0.8, 6)
    return tone * envelope(n, h, 0.006, 0.3, 0.7, 0.12) * v


def _bell(f: float, held: float, v: float, b: float) -> np.ndarray:
    n = int(max(held, 1.2) * RATE)
    t = _t(n).astype(np.float32)
    cycles = _ramp()[:n] * (f / RATE)
    index = np.float32((1.0 + 1.5 * b) / (2 * np.pi)) * np.exp(-t / np.float32(0.25))
    tone = sin_cycles(cycles + index * sin_cycles(3.5 * cycles))
    return tone * np.exp(-t / np.float32(0.7)) * np.minimum(np.float32(1.0), t / np.float32(0.002)) * np.float32(v)


def _pluck(f: float, held: float, v: float, b: float) -> np.ndarray:
    n = int(max(held, 0.5) * RATE)
    t = _t(n)
    bright, dark = osc("saw", f, n, min(1.0, b + 0.2)), osc("saw", f, n, b * 0.3)
    tone = bright * np.exp(-t / 0.06) + dark * np.exp(-t / 0.25)
    return (tone * np.minimum(1.0, t / 0.002)).astype(np.float32) * v


VOICES: dict[str, Voice] = {
    "round-bass": _round_bass, "saw-bass": _saw_bass, "808": _eight_o_eight, "sub": _sub,
    "electric-piano": _electric_piano, "pad": _pad, "stab": _stab,
    "soft-lead": _soft_lead, "saw-lead": _saw_lead, "square-lead": _square_lead, "bell": _bell, "pluck": _pluck,
}
#: Where each part sits before the learner mixes it. The default mix aims at about -20 LUFS for the
#: drums, -22 for the bass, -23 for the melody and -25 for the chords (measured across the genres),
#: which sums to roughly -17 LUFS with headroom: the learner, not the machine, decides how loud it ends up.
PART_GAIN = {"drums": 0.41, "bass": 0.42, "chords": 0.16, "melody": 0.2}
#: Per-voice trims in dB that even out how loud the voices come out of their oscillators.
VOICE_TRIM_DB = {
    "round-bass": -8.0, "saw-bass": -3.5, "808": -6.0, "sub": -6.7,
    "electric-piano": -3.5, "pad": -5.0, "stab": 0.0,
    "soft-lead": -2.2, "saw-lead": -1.3, "square-lead": -2.6, "bell": -6.0, "pluck": -6.5,
}


# ---------------------------------------------------------------- drums
def _noise(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.standard_normal(n).astype(np.float32)


def _highpass(x: np.ndarray) -> np.ndarray:
    return np.diff(x, prepend=np.float32(0.0))


def drum_kit(rng: np.random.Generator, brightness: float) -> dict[str, np.ndarray]:
    """Each kit piece's one-shot sample at full velocity."""
    def t(seconds: float) -> np.ndarray:
        return _t(int(seconds * RATE))

    tk = t(0.5)
    kick = np.sin(2 * np.pi * np.cumsum(48 + 120 * np.exp(-tk / 0.035)) / RATE) * np.exp(-tk / 0.22)
    kick[:120] += 0.3 * _noise(rng, 120) * np.exp(-tk[:120] / 0.001)
    ts = t(0.3)
    body = (0.55 * np.sin(2 * np.pi * 185 * ts) + 0.3 * np.sin(2 * np.pi * 330 * ts)) * np.exp(-ts / 0.05)
    snare = body + 0.7 * _highpass(_noise(rng, ts.size)) * np.exp(-ts / (0.09 + 0.05 * brightness))
    tc = t(0.35)
    bursts = sum(np.where(tc >= d, np.exp(-(tc - d) / 0.007), 0.0) for d in (0.0, 0.011, 0.022))
    clap = _highpass(_noise(rng, tc.size)) * (0.8 * bursts + 0.35 * np.exp(-tc / 0.09))
    th, to = t(0.12), t(0.5)
    hat = _highpass(_highpass(_noise(rng, th.size))) * np.exp(-th / (0.025 + 0.02 * brightness)) * 0.5
    open_hat = _highpass(_highpass(_noise(rng, to.size))) * np.exp(-to / 0.22) * 0.4
    kit = {"kick": _saturate(kick, 1.4), "snare": snare, "clap": clap, "hat": hat, "open_hat": open_hat}
    return {name: np.asarray(sound / np.abs(sound).max() * KIT_PEAK[name], dtype=np.float32) for name, sound in kit.items()}


#: Each kit piece's loudest sample at full velocity: the kick leads, the hats sit underneath.
KIT_PEAK = {"kick": 1.0, "snare": 0.75, "clap": 0.6, "hat": 0.25, "open_hat": 0.2}


#: Where each kit piece sits left to right inside the drum stem (-1 left, 1 right).
KIT_PAN = {"kick": 0.0, "snare": 0.0, "clap": -0.1, "hat": 0.25, "open_hat": 0.3}


# ---------------------------------------------------------------- rendering
def _place(out: np.ndarray, sound: np.ndarray, start: int, gains: tuple[float, float]) -> None:
    end = min(out.shape[1], start + sound.size)
    if end <= start:
        return
    piece = sound[: end - start]
    out[0, start:end] += gains[0] * piece
    out[1, start:end] += gains[1] * piece


def _pan(pan: float) -> tuple[float, float]:
    angle = (pan + 1) * np.pi / 4
    return float(np.cos(angle) * np.sqrt(2)), float(np.sin(angle) * np.sqrt(2))


def _echo(stem: np.ndarray, delay: int, feedback: float, taps: int) -> None:
    """Ping-pong echo in place: each repeat a little darker and quieter, alternating sides."""
    source = stem.mean(axis=0)
    source = np.convolve(source, np.full(6, 1 / 6, dtype=np.float32), mode="same").astype(np.float32)
    for i in range(1, taps + 1):
        shift = delay * i
        if shift >= stem.shape[1]:
            break
        stem[i % 2, shift:] += (feedback**i) * source[: stem.shape[1] - shift]


def _room(stem: np.ndarray, amount: float) -> None:
    """A small cloud of early reflections: enough to stop dry synths sounding like they sit in a box."""
    source = stem.mean(axis=0)
    for i, ms in enumerate((13, 19, 29, 37, 47, 59, 71, 89)):
        shift = int(ms * RATE / 1000)
        stem[i % 2, shift:] += amount * 0.6 * (0.8**i) * source[: stem.shape[1] - shift]


def render(arrangement: Arrangement, mood: object, genre: object) -> Stems:
    """The four stems of an arrangement."""
    settings = arrangement.settings
    spb = arrangement.seconds_per_beat
    n = int(round(arrangement.seconds * RATE))
    brightness = float(getattr(mood, "brightness"))
    space = float(getattr(genre, "space"))
    voices = {"bass": getattr(genre, "bass").voice, "chords": getattr(genre, "chords").voice,
              "melody": getattr(genre, "lead").voice}
    stems = {part: np.zeros((2, n), dtype=np.float32) for part in PARTS}

    kit = drum_kit(np.random.default_rng(settings.seed_for("drums") + 1), brightness)
    by_note = {note: name for name, note in DRUM_NOTES.items()}
    for note in arrangement.parts["drums"]:
        name = by_note[note.pitch]
        _place(stems["drums"], kit[name] * (note.velocity / 127), int(round(note.start * spb * RATE)),
               _pan(KIT_PAN[name]))

    for part, voice_name in voices.items():
        voice = VOICES[voice_name]
        trim = float(10 ** (VOICE_TRIM_DB[voice_name] / 20))
        cache: dict[tuple[int, float], np.ndarray] = {}
        for note in arrangement.parts[part]:
            sound = _play(voice, note, spb, brightness, cache)
            _place(stems[part], sound, int(round(note.start * spb * RATE)), (trim, trim))

    delay = int(round(0.75 * spb * RATE))  # a dotted eighth: echoes fall between the beats
    _echo(stems["melody"], delay, 0.2 + 0.3 * space, 4)
    _echo(stems["chords"], delay, 0.1 + 0.2 * space, 2)
    for part in ("chords", "melody"):
        _room(stems[part], 0.15 + 0.35 * space)
    for part, gain in PART_GAIN.items():
        stems[part] *= np.float32(gain)
    return Stems(RATE, stems)


def _play(voice: Voice, note: Note, spb: float, brightness: float,
          cache: dict[tuple[int, float], np.ndarray]) -> np.ndarray:
    """One note's sound, at velocity 1; repeated (pitch, length) pairs are made once."""
    key = (note.pitch, round(note.length * spb, 4))
    if key not in cache:
        cache[key] = voice(hz(note.pitch), note.length * spb, 1.0, brightness)
    return cache[key] * np.float32((note.velocity / 127) ** 1.5)
