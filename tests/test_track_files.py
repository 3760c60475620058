"""What leaves the studio: MIDI that reads back as the same notes, a 3000 px cover with readable words, a correct WAV,
and an export that writes all four files or none."""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lessonkit.errors import LessonkitError
from lessonkit.track.compose import compose
from lessonkit.track.cover import INK, contrast_ratio, render_cover
from lessonkit.track.export import export, wav_bytes
from lessonkit.track.midi import read_notes, ticks, write_midi
from lessonkit.track.session import Session
from lessonkit.track.settings import check_settings


def palette(course, mood_id, genre_id):
    return (next(m for m in course.track.moods if m.id == mood_id), next(g for g in course.track.genres if g.id == genre_id))


@pytest.mark.parametrize(("mood_id", "genre_id"), [("hopeful", "lofi"), ("tense", "drum-and-bass"), ("dreamy", "trap")])
def test_midi_reads_back_with_the_same_notes(course, tmp_path: Path, mood_id, genre_id):
    mood, genre = palette(course, mood_id, genre_id)
    arrangement = compose(check_settings(course.track, mood=mood_id, genre=genre_id, seed=9), mood, genre)
    write_midi(arrangement, genre, tmp_path / "song.mid", title="Test")
    back = read_notes(tmp_path / "song.mid")
    assert set(back) == set(arrangement.parts)
    for part, notes in arrangement.parts.items():
        written = sorted((ticks(n.start), max(1, ticks(n.start + n.length) - ticks(n.start)), n.pitch, n.velocity)
                         for n in notes)
        read = sorted((ticks(n.start), ticks(n.length), n.pitch, n.velocity) for n in back[part])
        assert read == written, part


def test_the_midi_file_carries_tempo_and_general_midi_drums(course, tmp_path: Path):
    import mido

    mood, genre = palette(course, "hopeful", "house")
    arrangement = compose(check_settings(course.track, mood="hopeful", genre="house", tempo=126, seed=1), mood, genre)
    write_midi(arrangement, genre, tmp_path / "song.mid")
    song = mido.MidiFile(str(tmp_path / "song.mid"))
    tempo = next(m.tempo for m in song.tracks[0] if m.type == "set_tempo")
    assert round(mido.tempo2bpm(tempo)) == 126 and song.type == 1
    drums = next(t for t in song.tracks if any(m.type == "track_name" and m.name == "Drums" for m in t))
    assert {m.channel for m in drums if m.type == "note_on"} == {9}


def test_the_cover_is_3000_pixels_square_the_same_for_a_seed_and_different_for_another(course):
    mood, genre = palette(course, "euphoric", "synthwave")
    one = render_cover(mood, genre, title="Night Drive", artist="Sam", seed=4)
    assert one.image.size == (3000, 3000) and one.image.mode == "RGB"
    same = render_cover(mood, genre, title="Night Drive", artist="Sam", seed=4)
    assert one.image.tobytes() == same.image.tobytes()
    other = render_cover(mood, genre, title="Night Drive", artist="Sam", seed=5)
    assert one.image.tobytes() != other.image.tobytes()


@pytest.mark.parametrize("mood_id", ["hopeful", "melancholy", "dreamy", "tense", "euphoric", "nostalgic"])
def test_the_words_are_readable_on_every_palette(course, mood_id):
    """Every pixel of the panel behind the words has at least 7:1 contrast with the text colour (WCAG AAA)."""
    for genre in course.track.genres:
        mood = next(m for m in course.track.moods if m.id == mood_id)
        cover = render_cover(mood, genre, title=" ", artist=" ", seed=2, size=600)  # blank words: only the panel shows
        assert cover.contrast >= 7
        pixels = np.asarray(cover.image, dtype=np.float64)
        panel = pixels[int(600 * 0.8):, :].reshape(-1, 3)
        ink = INK["light"] if contrast_ratio(panel.mean(axis=0), INK["light"]) > contrast_ratio(panel.mean(axis=0), INK["dark"]) else INK["dark"]
        assert contrast_ratio(panel, ink).min() >= 7, (mood_id, genre.id)


def test_wav_bytes_are_44_1_khz_16_bit_stereo():
    audio = np.vstack([np.linspace(-1, 1, 441), np.zeros(441)]).astype(np.float32)
    with wave.open(io.BytesIO(wav_bytes(audio, 44_100))) as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels(), wav.getnframes()) == (44_100, 2, 2, 441)
        frames = np.frombuffer(wav.readframes(441), dtype="<i2").reshape(-1, 2)
    assert frames[0, 0] == -32767 and frames[-1, 0] == 32767 and not frames[:, 1].any()


def session(course, **extra) -> Session:
    return Session(course.track, check_settings(course.track, mood="nostalgic", genre="ambient", seed=5, **extra))


def test_export_writes_the_four_files_of_the_chosen_version(course, tmp_path: Path):
    work = session(course)
    work.set_notes(1, heard="Too dark", change="Brighter key")
    work.add(check_settings(course.track, mood="hopeful", genre="ambient", seed=5))
    work.choose(1)
    work.cover.title = "Slow Light"
    done = export(work, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["slow-light-cover.png", "slow-light-liner-notes.md", "slow-light.mid", "slow-light.wav"]
    assert done.version == 1
    with wave.open(str(tmp_path / "out" / "slow-light.wav")) as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (44_100, 2, 2)
        seconds = wav.getnframes() / 44_100
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    assert 20 <= seconds <= 60
    assert np.abs(samples.astype(np.int32)).max() <= round(32767 * 10 ** (-1 / 20)) + 1  # the limiter's ceiling
    assert Image.open(tmp_path / "out" / "slow-light-cover.png").size == (3000, 3000)
    notes = (tmp_path / "out" / "slow-light-liner-notes.md").read_text(encoding="utf-8")
    assert "Too dark" in notes and "Version 1 ✔ the one" in notes and "version 1" in notes
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_an_unwritable_folder_fails_clearly_and_leaves_nothing_half_written(course, tmp_path: Path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the folder should go", encoding="utf-8")
    with pytest.raises(LessonkitError) as error:
        export(session(course), blocker / "my-track")
    assert "could not be exported" in str(error.value) and "Nothing was written there" in str(error.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_failure_midway_leaves_no_files_in_the_folder(course, tmp_path: Path, monkeypatch):
    """If writing breaks after some files are made, the destination still gets none of them."""
    from lessonkit import atomic

    original = atomic.write_atomic
    calls = []

    def flaky(path, data, **options):
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return original(path, data, **options)

    monkeypatch.setattr(atomic, "write_atomic", flaky)
    with pytest.raises(LessonkitError, match="No space left on device"):
        export(session(course), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert os.listdir(tmp_path) == []
