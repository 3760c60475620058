"""Mixing: levels, pans, mute and solo re-weight the kept stems; the limiter never lets a sample past its ceiling."""

from __future__ import annotations

import numpy as np
import pytest

from lessonkit.track.loudness import integrated_loudness
from lessonkit.track.mix import MixSettings, limit, master_gain_for, mix, part_gains
from lessonkit.track.settings import PARTS
from lessonkit.track.synth import Stems


def stems(n: int = 44_100) -> Stems:
    rng = np.random.default_rng(0)
    return Stems(44_100, {part: (rng.standard_normal((2, n)) * 0.1).astype(np.float32) for part in PARTS})


def test_mute_and_solo():
    settings = MixSettings().with_part("bass", mute=True)
    assert part_gains(settings)["bass"] == (0.0, 0.0) and part_gains(settings)["drums"] != (0.0, 0.0)
    soloed = MixSettings().with_part("melody", solo=True).with_part("drums", solo=True)
    gains = part_gains(soloed)
    assert gains["bass"] == gains["chords"] == (0.0, 0.0)
    assert gains["melody"] == pytest.approx((1.0, 1.0)) and gains["drums"] == pytest.approx((1.0, 1.0))
    kept = stems()
    only_drums = mix(kept, MixSettings().with_part("drums", solo=True))
    assert np.array_equal(only_drums, kept.parts["drums"])


def test_pan_keeps_power_and_moves_sides():
    left, right = part_gains(MixSettings().with_part("bass", pan=-1.0))["bass"]
    assert right == pytest.approx(0.0, abs=1e-12) and left**2 + right**2 == pytest.approx(2.0)
    left, right = part_gains(MixSettings().with_part("bass", pan=0.5))["bass"]
    assert right > left and left**2 + right**2 == pytest.approx(2.0)


def test_levels_are_decibels():
    kept = stems()
    louder = mix(kept, MixSettings(master_db=6.0))
    plain = mix(kept, MixSettings())
    assert np.abs(louder).max() / np.abs(plain).max() == pytest.approx(10 ** (6 / 20), rel=1e-5)


@pytest.mark.parametrize("boost", [0.0, 12.0, 24.0])
def test_the_limiter_never_lets_a_sample_past_the_ceiling(boost):
    rng = np.random.default_rng(1)
    t = np.arange(44_100 * 3) / 44_100
    audio = (np.sin(2 * np.pi * 110 * t) * (0.3 + 0.7 * (rng.random(t.size) > 0.999))).astype(np.float32)
    audio = np.vstack([audio, audio * 0.8]) * np.float32(10 ** (boost / 20))
    limited, reduction = limit(audio, -1.0)
    assert np.abs(limited).max() <= 10 ** (-1 / 20) + 1e-7
    assert np.isfinite(limited).all() and limited.shape == audio.shape
    assert (reduction > 0) == (np.abs(audio).max() > 10 ** (-1 / 20))
    # Quiet passages far from the peaks are left as they were.
    if boost == 0.0:
        assert reduction < 12


def test_a_quiet_mix_passes_the_limiter_untouched():
    audio = (np.ones((2, 10_000), dtype=np.float32) * 0.5)
    limited, reduction = limit(audio, -1.0)
    assert reduction == 0.0 and np.array_equal(limited, audio)


def test_master_to_target():
    assert master_gain_for(-20.0, -14.0, 0.0) == pytest.approx(6.0)
    assert master_gain_for(float("-inf"), -14.0, 2.0) == 2.0
    kept = stems(44_100 * 5)
    before = integrated_loudness(mix(kept, MixSettings()), 44_100)
    after = integrated_loudness(mix(kept, MixSettings(master_db=master_gain_for(before, -14.0, 0.0))), 44_100)
    assert after == pytest.approx(-14.0, abs=0.01)


def test_mix_settings_round_trip_and_refuse_nonsense():
    settings = MixSettings(master_db=-2.5).with_part("chords", level_db=-4.0, pan=0.3, mute=True)
    assert MixSettings.from_dict(settings.to_dict()) == settings
    wild = MixSettings.from_dict({"master_db": 400, "parts": {"bass": {"pan": 9}, "kazoo": {}}})
    assert wild.master_db == 24 and wild.parts["bass"].pan == 1 and "kazoo" not in wild.parts
