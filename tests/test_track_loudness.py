"""The loudness meter agrees with ITU-R BS.1770-4 and with EBU Tech 3341's reference signals.

Expected values, worked out from the Recommendation: a sine's mean square is A²/2, the K-filter's
gain near 1 kHz is cancelled by the -0.691 dB constant, and channel powers add (left and right
both weigh 1). So a sine of peak amplitude A on one channel reads 20·log10(A) - 3.01 LUFS; the
same sine on both stereo channels reads 3.01 dB more, 20·log10(A) LUFS.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessonkit.track.loudness import Reading, integrated_loudness, k_weighting, peak_dbfs


def sine(db_peak: float, seconds: float, rate: int, freq: float = 1000.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return 10 ** (db_peak / 20) * np.sin(2 * np.pi * freq * t)


def stereo(*segments: np.ndarray) -> np.ndarray:
    mono = np.concatenate(segments)
    return np.vstack([mono, mono])


def test_the_filters_match_the_coefficients_printed_in_the_recommendation():
    (shelf_b, shelf_a), (hp_b, hp_a) = k_weighting(48_000)
    assert shelf_b == pytest.approx([1.53512485958697, -2.69169618940638, 1.19839281085285], abs=1e-10)
    assert shelf_a == pytest.approx([1.0, -1.69065929318241, 0.73248077421585], abs=1e-10)
    assert hp_b == pytest.approx([1.0, -2.0, 1.0])
    assert hp_a == pytest.approx([1.0, -1.99004745483398, 0.99007225036621], abs=1e-10)


@pytest.mark.parametrize("rate", [48_000, 44_100])
def test_a_full_scale_sine_on_one_channel_reads_minus_3_01(rate):
    """BS.1770: a 0 dBFS 1 kHz sine in the left channel alone indicates -3.01 LKFS."""
    assert integrated_loudness(sine(0, 10, rate)[None, :], rate) == pytest.approx(-3.01, abs=0.02)


@pytest.mark.parametrize("rate", [48_000, 44_100])
def test_a_sine_at_minus_20_dbfs_rms(rate):
    """RMS -20 dBFS means peak -16.99 dBFS: -20 LUFS in mono, -16.99 LUFS on both stereo channels."""
    peak_db = -20 + 20 * math.log10(math.sqrt(2))
    mono = sine(peak_db, 10, rate)
    assert integrated_loudness(mono[None, :], rate) == pytest.approx(-20.0, abs=0.02)
    assert integrated_loudness(np.vstack([mono, mono]), rate) == pytest.approx(-16.99, abs=0.02)


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        ([(-23, 20)], -23.0),  # EBU Tech 3341 case 1
        ([(-33, 20)], -33.0),  # case 2
        ([(-36, 10), (-23, 60), (-36, 10)], -23.0),  # case 3: the relative gate drops the quiet ends
        ([(-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)], -23.0),  # case 4: both gates at work
        ([(-26, 20), (-20, 20.1), (-26, 20)], -23.0),  # case 5
    ],
)
def test_ebu_tech_3341_reference_signals(segments, expected):
    """Stereo 1 kHz sines at the given peak levels (dBFS) and lengths (s), 48 kHz: within 0.1 LU as Tech 3341 asks."""
    audio = stereo(*(sine(db, seconds, 48_000) for db, seconds in segments))
    assert integrated_loudness(audio, 48_000) == pytest.approx(expected, abs=0.1)


def test_silence_and_peaks():
    assert integrated_loudness(np.zeros((2, 44_100 * 3)), 44_100) == -math.inf
    assert integrated_loudness(np.zeros((2, 1000)), 44_100) == -math.inf  # shorter than one block
    assert peak_dbfs(np.array([[0.5, -0.25]])) == pytest.approx(-6.02, abs=0.01)


def test_the_reading_explains_itself_in_words():
    loud = Reading(lufs=-9.0, peak_dbfs=-1.0, target_lufs=-14, ceiling_dbfs=-1, limited_db=4.0).words()
    assert "5.0 dB louder" in loud and "turn it down" in loud and "limiter" in loud
    quiet = Reading(lufs=-20.0, peak_dbfs=-6.0, target_lufs=-14, ceiling_dbfs=-1).words()
    assert "6.0 dB quieter" in quiet and "nothing clips" in quiet
    assert "right about where" in Reading(-14.3, -3.0, -14, -1).words()
