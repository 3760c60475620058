"""A loudness meter after ITU-R BS.1770-4: integrated loudness in LUFS, and the sample peak in dBFS.

Why not pyloudnorm: it needs scipy (tens of megabytes, for two filters) in every learner's
install and in Binder. The measurement itself is small. K-weighting is two biquad filters,
designed for any sample rate the way libebur128 does it (at 48 kHz they reproduce the
coefficients printed in the Recommendation); they are applied in the frequency domain, which
gives the causal filter's output exactly because the signal is padded well past the point
where the filters' impulse responses have died away. Gating follows the Recommendation:
400 ms blocks overlapping by 75 %, an absolute gate at -70 LUFS and a relative gate 10 LU
below the loudness of the blocks that pass it. tests/test_track_loudness.py checks the
coefficients against the published ones and the meter against EBU Tech 3341's test signals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
OFFSET = -0.691  # makes a 997 Hz sine read the same in LUFS as its mean square in dB


def k_weighting(rate: float) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(b, a) of the high-shelf "head" filter and of the high-pass "RLB" filter at ``rate`` Hz."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = np.array([(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0])
    shelf_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    hp_b = np.array([1.0, -2.0, 1.0])
    hp_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return (shelf_b, shelf_a), (hp_b, hp_a)


def _fast_length(n: int) -> int:
    """The smallest length >= n whose only prime factors are 2, 3 and 5 (quick for the FFT)."""
    best = 1 << (n - 1).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            size = p35
            while size < n:
                size *= 2
            best = min(best, size)
            p35 *= 3
        p5 *= 5
    return best


@lru_cache(maxsize=2)
def _response(size: int, rate: float) -> np.ndarray:
    """The two filters' frequency response on an FFT of ``size`` points. A version's length, and so ``size``,
    stays the same while its mix changes: kept, it is worked out once per version instead of at every fader move
    (it costs about as much as the two FFTs)."""
    z = np.exp(-1j * np.pi * np.arange(size // 2 + 1) / (size / 2))
    response = np.ones_like(z)
    for b, a in k_weighting(rate):
        response *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    response.flags.writeable = False  # shared by every later reading
    return response


def k_weight(audio: np.ndarray, rate: float) -> np.ndarray:
    """``audio`` (channels, samples) through the K-weighting filters."""
    audio = np.atleast_2d(np.asarray(audio, dtype=np.float64))
    n = audio.shape[1]
    size = _fast_length(n + int(rate))  # a second of padding: the filters' tails are far below 1e-12 by then
    return np.fft.irfft(np.fft.rfft(audio, n=size, axis=1) * _response(size, float(rate)), n=size, axis=1)[:, :n]


def block_loudness(audio: np.ndarray, rate: float) -> np.ndarray:
    """Loudness of every 400 ms block, stepping 100 ms (the momentary loudness), in LUFS."""
    weighted = k_weight(audio, rate)
    hop = int(round(rate * 0.1))
    hops = weighted.shape[1] // hop
    if hops < 4:
        return np.array([])
    energy = (weighted[:, : hops * hop] ** 2).reshape(weighted.shape[0], hops, hop).sum(axis=2)
    per_block = np.lib.stride_tricks.sliding_window_view(energy, 4, axis=1).sum(axis=2) / (4 * hop)
    power = per_block.sum(axis=0)  # left and right weigh 1 each, so channels simply add
    with np.errstate(divide="ignore"):
        return OFFSET + 10 * np.log10(power)


def integrated_loudness(audio: np.ndarray, rate: float) -> float:
    """Integrated loudness in LUFS; ``-inf`` for silence or a clip shorter than one block."""
    blocks = block_loudness(audio, rate)
    blocks = blocks[blocks > ABSOLUTE_GATE]
    if blocks.size == 0:
        return -math.inf
    power = 10 ** ((blocks - OFFSET) / 10)
    relative = OFFSET + 10 * math.log10(power.mean()) + RELATIVE_GATE
    kept = power[blocks > relative]
    return OFFSET + 10 * math.log10(kept.mean())


def peak_dbfs(audio: np.ndarray) -> float:
    """The highest sample, in dB below full scale (0 dBFS is the loudest a file can hold)."""
    peak = float(np.abs(audio).max()) if np.size(audio) else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


@dataclass(frozen=True)
class Reading:
    lufs: float
    peak_dbfs: float
    target_lufs: float
    ceiling_dbfs: float
    limited_db: float = 0.0  # the most the limiter turned the mix down, in dB

    @property
    def gap(self) -> float:
        """How far the mix is from the streaming target: positive means louder than the target."""
        return self.lufs - self.target_lufs

    def words(self) -> str:
        """What the numbers mean for this mix, in plain sentences."""
        if math.isinf(self.lufs):
            return "Nothing is playing: every part is muted or silent."
        gap = self.gap
        if abs(gap) < 1:
            where = "right about where streaming services play music, so they will barely touch it."
        elif gap > 0:
            where = (f"{gap:.1f} dB louder than streaming services play music. They will turn it down by that much, "
                     "so pushing it louder gains nothing and squeezes the life out of the drums.")
        else:
            where = (f"{-gap:.1f} dB quieter than streaming services play music. Some will turn it up, others will "
                     "not; raise the master level if you want it to hold its own next to other tracks.")
        peak = f"The loudest moment peaks at {self.peak_dbfs:.1f} dBFS"
        if self.limited_db > 0.5:
            peak += (f"; the limiter is pulling the biggest peaks down by up to {self.limited_db:.1f} dB to keep them "
                     f"under {self.ceiling_dbfs:g} dBFS. A lot of that can sound squashed.")
        else:
            peak += f", under the {self.ceiling_dbfs:g} dBFS ceiling, so nothing clips."
        return f"This mix measures {self.lufs:.1f} LUFS: {where} {peak}"
