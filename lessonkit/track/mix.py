"""Turn stems into a stereo mix: level, pan, mute and solo per part, a master level, then a limiter.

Mixing never re-synthesises anything: it only weights the stems the synthesiser kept, so
moving a fader is quick enough to follow by ear. A mix's settings need no numpy: a studio that
has made no sound yet never imports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .settings import PARTS

if TYPE_CHECKING:
    import numpy as np

    from .synth import Stems

LIMITER_BLOCK = 256  # samples per gain step (about 6 ms at 44.1 kHz)
ATTACK_DB_PER_BLOCK = 6.0  # how fast the limiter may pull down ahead of a peak
RELEASE_DB_PER_BLOCK = 0.4  # how fast it lets go again (about 70 dB a second)


@dataclass(frozen=True)
class PartMix:
    level_db: float = 0.0
    pan: float = 0.0  # -1 hard left, 0 centre, 1 hard right
    mute: bool = False
    solo: bool = False


@dataclass(frozen=True)
class MixSettings:
    parts: dict[str, PartMix] = field(default_factory=lambda: {part: PartMix() for part in PARTS})
    master_db: float = 0.0

    def with_part(self, part: str, **changes: Any) -> MixSettings:
        return replace(self, parts={**self.parts, part: replace(self.parts[part], **changes)})

    def to_dict(self) -> dict[str, Any]:
        return {"master_db": self.master_db,
                "parts": {name: {"level_db": p.level_db, "pan": p.pan, "mute": p.mute, "solo": p.solo}
                          for name, p in self.parts.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MixSettings:
        parts = {part: PartMix() for part in PARTS}
        for name, values in dict(data.get("parts") or {}).items():
            if name in parts and isinstance(values, dict):
                parts[name] = PartMix(level_db=_clamp(float(values.get("level_db", 0.0)), -60, 12),
                                      pan=_clamp(float(values.get("pan", 0.0)), -1, 1),
                                      mute=bool(values.get("mute", False)), solo=bool(values.get("solo", False)))
        return cls(parts=parts, master_db=_clamp(float(data.get("master_db", 0.0)), -24, 24))


def _clamp(value: float, low: float, high: float) -> float:
    """``value`` within [low, high], as ``numpy.clip`` would put it."""
    return float(min(max(value, low), high))


def part_gains(settings: MixSettings) -> dict[str, tuple[float, float]]:
    """(left, right) gain per part. Soloing any part silences every part not soloed; a muted part stays silent."""
    soloed = any(p.solo for p in settings.parts.values())
    master = 10 ** (settings.master_db / 20)
    gains = {}
    for name in PARTS:
        p = settings.parts.get(name, PartMix())
        if p.mute or (soloed and not p.solo):
            gains[name] = (0.0, 0.0)
            continue
        angle = (p.pan + 1) * math.pi / 4  # constant power: a part keeps its loudness as it moves across
        level = master * 10 ** (p.level_db / 20)
        gains[name] = (level * math.cos(angle) * math.sqrt(2), level * math.sin(angle) * math.sqrt(2))
    return gains


def mix(stems: Stems, settings: MixSettings) -> np.ndarray:
    """The stereo sum (2, samples), float32, before the limiter."""
    import numpy as np

    out = np.zeros((2, stems.samples), dtype=np.float32)
    for name, (left, right) in part_gains(settings).items():
        stem = stems.parts[name]
        if left:
            out[0] += np.float32(left) * stem[0]
        if right:
            out[1] += np.float32(right) * stem[1]
    return out


def limit(audio: np.ndarray, ceiling_dbfs: float = -1.0) -> tuple[np.ndarray, float]:
    """Keep every sample at or below the ceiling; returns (limited audio, largest gain reduction in dB).

    The gain is worked out per block of samples: each block gets what its own peak needs, and
    its neighbours' needs too, so the gain glides down before a peak (look-ahead) and back up
    after it (release) instead of clipping. Both glides are running minima, so the whole
    limiter is a handful of vectorised steps.
    """
    import numpy as np

    ceiling = 10 ** (ceiling_dbfs / 20)
    channels, n = audio.shape
    blocks = -(-n // LIMITER_BLOCK)
    padded = np.zeros((channels, blocks * LIMITER_BLOCK), dtype=np.float32)
    padded[:, :n] = audio
    peaks = np.abs(padded).reshape(channels, blocks, LIMITER_BLOCK).max(axis=(0, 2))
    with np.errstate(divide="ignore"):
        need = np.minimum(0.0, 20 * np.log10(ceiling / np.maximum(peaks, 1e-12)))
    if not need.any():
        return np.clip(audio, -ceiling, ceiling), 0.0
    # A sample between two block centres gets a gain between theirs, so each centre must satisfy its neighbours too.
    need = np.minimum(need, np.minimum(np.r_[need[1:], 0.0], np.r_[0.0, need[:-1]]))
    index = np.arange(blocks, dtype=np.float64)
    ahead = np.minimum.accumulate((need + ATTACK_DB_PER_BLOCK * index)[::-1])[::-1] - ATTACK_DB_PER_BLOCK * index
    gain_db = np.minimum.accumulate(ahead - RELEASE_DB_PER_BLOCK * index) + RELEASE_DB_PER_BLOCK * index
    centres = (index + 0.5) * LIMITER_BLOCK
    gain = np.interp(np.arange(n, dtype=np.float32), centres, 10 ** (gain_db / 20)).astype(np.float32)
    # The ceiling holds by construction; the clip only absorbs float rounding at the last bit.
    return np.clip(audio * gain, -ceiling, ceiling), float(-gain_db.min())


def master_gain_for(lufs: float, target_lufs: float, current_master_db: float) -> float:
    """The master level that would bring a mix measured at ``lufs`` to the target (before limiting)."""
    if math.isinf(lufs):
        return current_master_db
    return _clamp(current_master_db + target_lufs - lufs, -24, 24)
