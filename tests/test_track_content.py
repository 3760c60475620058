"""data/track.yaml: the moods and genres are checked like every other content file, with clear one-line problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.content import check

from .conftest import edit

TRACK = "track.yaml"


def test_the_shipped_palette_has_at_least_five_moods_and_genres(course):
    track = course.track
    assert len(track.moods) >= 5 and len(track.genres) >= 5
    for genre in track.genres:
        assert genre.tempo.min <= genre.tempo.default <= genre.tempo.max
    assert track.loudness.target_lufs == -14 and track.loudness.ceiling_dbfs == -1
    assert course.sources[track.loudness.source].title.startswith("Loudness normalization")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    space: 0.5\n", "    space: 0.5\n    reverb: 0.9\n", "reverb: is not a field this file knows"),
        ("tempo: { min: 70, default: 80, max: 90 }", "tempo: { min: 70, default: 80, max: 400 }",
         "tempo.max: must be at most 220, got 400"),
        ("tempo: { min: 70, default: 80, max: 90 }", "tempo: { min: 70, default: 95, max: 90 }",
         "tempo must satisfy min (70) <= default (95) <= max (90)"),
        ('kick:  "x.........x..x.."', 'kick:  "x...x..."', "expected one bar of 16 steps written with x (hit)"),
        ('pattern: "R-----..R-.F----"', 'pattern: "R-----..R-.Q----"', "the character(s) 'Q'"),
        ('"#FFD8A8"', '"orange"', "expected a colour written #RRGGBB"),
        ("mode: major\n    keys: [C, G, D, F]", "mode: mixolidian\n    keys: [C, G, D, F]", "'mixolidian' is not allowed"),
        ("keys: [C, G, D, F]", "keys: [C, H]", "'H' is not allowed"),
        ("      - [1, 5, 6, 4]", "      - [1, 5, 9, 4]", "must be at most 7, got 9"),
        ("voice: round-bass, octave: 2", "voice: tuba, octave: 2", "'tuba' is not allowed"),
        ("  - id: melancholy", "  - id: hopeful", "mood id 'hopeful' is used twice"),
        ("  source: streaming-loudness", "  source: spotify", "names the source 'spotify', which is not in sources.yaml"),
        ("seconds: 30 ", "seconds: 90 ", "seconds: must be at most 60"),
    ],
)
def test_each_mistake_in_the_palette_is_one_clear_line(data_copy: Path, old, new, expected):
    edit(data_copy / TRACK, old, new)
    problems = [str(p) for p in check(data_copy)]
    assert any(p.startswith(TRACK) and expected in p for p in problems), problems


def test_a_problem_points_at_its_line(data_copy: Path):
    text = (data_copy / TRACK).read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(text, start=1) if "tempo: { min: 118" in row)
    edit(data_copy / TRACK, "tempo: { min: 118, default: 124, max: 130 }", "tempo: { min: 118, default: 124, max: 999 }")
    (problem,) = check(data_copy)
    assert (problem.file, problem.line, problem.field) == (TRACK, line, "genres.1.tempo.max")


def test_a_lesson_reading_can_quote_the_palette(course):
    from lessonkit.render import block

    assert "-14 LUFS" in block(course, "03-make-a-track", "reading:mix")
