"""Composing and synthesising: the same settings give the same bytes, every sketch is sane, parts re-roll alone."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lessonkit.track.compose import compose
from lessonkit.track.export import wav_bytes
from lessonkit.track.mix import MixSettings, limit, mix
from lessonkit.track.settings import PARTS, check_settings, length_seconds
from lessonkit.track.synth import RATE, render


def make(course, mood="melancholy", genre="lofi", seed=3, **extra):
    track = course.track
    settings = check_settings(track, mood=mood, genre=genre, seed=seed, **extra)
    m = next(x for x in track.moods if x.id == settings.mood)
    g = next(x for x in track.genres if x.id == settings.genre)
    arrangement = compose(settings, m, g)
    return settings, arrangement, render(arrangement, m, g)


def test_same_settings_and_seed_give_the_same_audio_byte_for_byte(course):
    _, _, one = make(course, genre="house", seed=11)
    _, _, two = make(course, genre="house", seed=11)
    for part in PARTS:
        assert one.parts[part].tobytes() == two.parts[part].tobytes()
    out_one = wav_bytes(limit(mix(one, MixSettings()))[0], RATE)
    assert out_one == wav_bytes(limit(mix(two, MixSettings()))[0], RATE)
    _, _, other = make(course, genre="house", seed=12)
    assert other.parts["melody"].tobytes() != one.parts["melody"].tobytes()


@pytest.mark.parametrize("genre", ["lofi", "house", "trap", "synthwave", "drum-and-bass", "ambient"])
def test_every_genre_renders_a_sane_stereo_sketch(course, genre):
    settings, arrangement, stems = make(course, mood="hopeful", genre=genre)
    assert stems.rate == 44_100
    assert 20 <= stems.seconds <= 60 and stems.seconds == pytest.approx(arrangement.seconds, abs=1 / RATE)
    for part, stem in stems.parts.items():
        assert stem.shape == (2, stems.samples) and stem.dtype == np.float32
        assert np.isfinite(stem).all(), part
        assert np.abs(stem).max() > 0.01, f"{part} is silent"
    assert {len(arrangement.parts[p]) > 0 for p in PARTS} == {True}


def test_every_mood_and_genre_and_tempo_edge_stays_between_20_and_60_seconds(course):
    track = course.track
    for mood, genre in itertools.product(track.moods, track.genres):
        for tempo in (genre.tempo.min, genre.tempo.max):
            settings = check_settings(track, mood=mood.id, genre=genre.id, tempo=tempo, seed=1)
            assert 20 <= compose(settings, mood, genre).seconds <= 60


def test_a_versions_length_is_known_from_its_settings_before_any_note_is_written(course):
    """What a player says before the sound is made is the length the composer then writes, for every genre and
    tempo edge (the sound's own length is checked against the arrangement's above)."""
    track = course.track
    mood = track.moods[0]
    for genre in track.genres:
        for tempo in (genre.tempo.min, genre.tempo.default, genre.tempo.max):
            settings = check_settings(track, mood=mood.id, genre=genre.id, tempo=tempo, seed=3)
            assert length_seconds(settings) == pytest.approx(compose(settings, mood, genre).seconds, abs=1e-9)


def test_a_new_melody_leaves_the_other_parts_alone(course):
    settings, before, stems_before = make(course, genre="synthwave")
    rerolled = settings.with_part_seed("melody", 424242)
    m = next(x for x in course.track.moods if x.id == settings.mood)
    g = next(x for x in course.track.genres if x.id == settings.genre)
    after = compose(rerolled, m, g)
    assert after.parts["melody"] != before.parts["melody"]
    for part in ("drums", "bass", "chords"):
        assert after.parts[part] == before.parts[part]


def test_the_notes_fit_the_music(course):
    """Chords sit in the mood's mode; the tune ends on the home note; swing moves only the off-beats."""
    settings, arrangement, _ = make(course, mood="hopeful", genre="lofi", key="G")
    g_major = {7, 9, 11, 0, 2, 4, 6}
    assert {n.pitch % 12 for n in arrangement.parts["chords"]} <= g_major
    assert arrangement.parts["melody"][-1].pitch % 12 == 7
    off_beats = {round(n.start % 0.5, 3) for n in arrangement.parts["drums"]}
    assert off_beats <= {0.0, round(0.25 + 0.22 * 0.25, 3)}
