"""Lesson 03's exporter: nothing is written until the learner presses Export; the line under the button says what was
written where, when the files no longer match the track, and what to do when an export fails; a teacher's
``export_at_run`` exports as the lesson runs. The cover preview is drawn only when a page asks to show it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import lessonkit
from lessonkit.track.settings import check_settings
from lessonkit.widgets.track import TrackStudio
from lessonkit.widgets.track_words import EXPORT_BUTTON

from .test_track_widget import ask_for_picture


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "class" / "my-track"


@pytest.fixture
def studio(course, out):
    return TrackStudio(course.track, check_settings(course.track, mood="dreamy", genre="ambient", seed=5),
                       export_dir=str(out))


@pytest.fixture
def exports(monkeypatch):
    """Every export the studio runs, recorded (the real one still runs)."""
    import lessonkit.track.export as export_module

    calls = []
    real = export_module.export

    def counting(session, folder):
        calls.append(Path(folder))
        return real(session, folder)

    monkeypatch.setattr(export_module, "export", counting)
    return calls


def test_before_a_click_nothing_is_written_and_the_line_names_the_button_and_the_whole_folder(course, tmp_path,
                                                                                               exports):
    relative = "artifacts/my-track"
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        studio = TrackStudio(course.track, check_settings(course.track, mood="dreamy", genre="ambient", seed=5),
                             export_dir=relative)
    finally:
        os.chdir(here)
    line = studio._export_message.text
    assert exports == [] and not (tmp_path / "artifacts").exists()
    assert line.startswith("Nothing is exported yet") and EXPORT_BUTTON in line
    assert str(tmp_path / "artifacts" / "my-track") in line  # the folder in full, not only as typed in the box
    assert studio._folder.value == relative and studio._fetch.disabled and not studio._export.disabled
    assert studio._export.description == EXPORT_BUTTON and studio._export.tooltip  # named for screen readers


def test_a_click_writes_the_four_files_and_says_what_went_where(studio, out, exports):
    studio._export.click()
    files = sorted(out.iterdir())
    assert exports == [out] and len(files) == 4
    line = studio._export_message.text
    assert line.startswith("Exported at ") and str(out) in line and "version 1" in line
    assert all(path.name in line for path in files)
    result = studio._exported
    assert f"{result.lufs:.1f} LUFS" in line and 'role="status"' in studio._export_message.value
    assert not studio._fetch.disabled and not studio._export.disabled
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".staging-")]  # no half-made folder left


def test_a_change_after_an_export_is_said_and_a_second_click_writes_the_track_as_it_is_now(studio, out):
    studio._export.click()
    wav = next(out.glob("*.wav"))
    first = wav.read_bytes()
    studio._master.value = studio._master.value - 6
    assert "changed the track since the export" in studio._export_message.text
    assert EXPORT_BUTTON in studio._export_message.text and str(out) in studio._export_message.text
    studio._export.click()
    assert studio._export_message.text.startswith("Exported again at ")
    assert wav.read_bytes() != first  # the quieter mix, written over the earlier one
    studio._pick.value = 1  # looking at a version is not a change
    assert studio._export_message.text.startswith("Exported again at ")


def test_a_folder_that_cannot_be_made_is_said_in_words_and_nothing_is_written(studio, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", encoding="utf-8")
    studio._folder.value = str(blocker / "track")
    before = studio.state
    studio._export.click()
    line = studio._export_message.text
    assert 'role="alert"' in studio._export_message.value and "Traceback" not in line
    assert line.startswith(f"The track could not be exported to {blocker / 'track'}")
    assert "is a file" in line and "Folder box" in line and EXPORT_BUTTON in line
    assert blocker.read_text(encoding="utf-8") == "not a folder" and studio.state == before
    assert studio._fetch.disabled and not studio._export.disabled


def test_a_write_that_fails_half_way_leaves_the_earlier_files_whole(studio, out, monkeypatch):
    """Files are written in full beside the folder first: a failure on the third keeps the last export as it was."""
    import lessonkit.atomic as atomic

    studio._export.click()
    earlier = {path.name: path.read_bytes() for path in out.iterdir()}
    studio._levels["drums"].value = -12
    real, written = atomic.write_atomic, []

    def failing(path, data, **kwargs):
        if len(written) == 2:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        return real(path, data, **kwargs)

    monkeypatch.setattr(atomic, "write_atomic", failing)
    studio._export.click()
    line = studio._export_message.text
    assert "could not be exported" in line and "No space left on device" in line and "Nothing was written" in line
    assert {path.name: path.read_bytes() for path in out.iterdir()} == earlier
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".staging-")]
    assert not studio._export.disabled


def test_an_unexpected_failure_is_said_in_words_and_the_button_works_again(studio, out, monkeypatch):
    import lessonkit.track.export as export_module

    monkeypatch.setattr(export_module, "export", lambda *_: (_ for _ in ()).throw(RuntimeError("disk gremlin")))
    studio._export.click()
    line = studio._export_message.text
    assert "could not be exported" in line and "disk gremlin" in line and EXPORT_BUTTON in line
    assert not out.exists() and not studio._export.disabled


def open_track(tmp_path: Path, **params) -> lessonkit.Lesson:
    return lessonkit.open_lesson("03-make-a-track", answers_dir=str(tmp_path / "answers"), open_extensions=True,
                                 **params)


@pytest.mark.parametrize(("asked", "exported"), [(False, False), ("no", False), (True, True), ("yes", True)])
def test_export_at_run_exports_as_the_studio_is_made_only_when_a_teacher_asks(tmp_path, out, asked, exported):
    lesson = open_track(tmp_path, export_dir=str(out), export_at_run=asked)
    first = lessonkit.start_track(lesson, mood="dreamy", genre="ambient", seed=5, export_dir=str(out))
    studio = lessonkit.track_studio(lesson, first, export_dir=str(out), export_at_run=asked)
    assert out.exists() is exported
    assert studio._export_message.text.startswith("Exported at " if exported else "Nothing is exported yet")


def test_export_at_run_takes_only_true_or_false(tmp_path):
    with pytest.raises(lessonkit.ParameterError, match="export_at_run"):
        open_track(tmp_path, export_at_run="maybe")


def test_export_at_run_exports_the_learners_chosen_version(course, tmp_path, out):
    lesson = open_track(tmp_path, export_dir=str(out))
    first = lessonkit.start_track(lesson, mood="dreamy", genre="ambient", seed=5, export_dir=str(out))
    studio = lessonkit.track_studio(lesson, first, export_dir=str(out))
    studio.make()
    studio._pick.value = 1
    studio._the_one.value = True  # saved in the learner's answers file
    again = open_track(tmp_path, export_dir=str(out))
    lessonkit.track_studio(again, first, export_dir=str(out), export_at_run=True)
    notes = next(out.glob("*-liner-notes.md")).read_text(encoding="utf-8")
    assert "**version 1** of 2" in notes


def test_the_cover_is_drawn_only_when_a_page_asks_and_once_per_set_of_choices(studio, monkeypatch):
    import lessonkit.track.cover as covers

    drawn = []
    real = covers.preview
    monkeypatch.setattr(covers, "preview", lambda *a, **k: drawn.append(k) or real(*a, **k))
    studio._title.value = "Night Bus"
    studio.make()
    assert drawn == [] and studio._picture.value == b""  # nothing drawn, nothing stored in the notebook
    old = studio._picture.token
    first = ask_for_picture(studio._picture, monkeypatch)
    assert first.startswith(b"\xff\xd8") and [d["title"] for d in drawn] == ["Night Bus"]
    assert ask_for_picture(studio._picture, monkeypatch) == first and len(drawn) == 1  # asked again: kept
    studio._cover_seed.value += 1
    assert studio._picture.token != old and len(drawn) == 1
    assert ask_for_picture(studio._picture, monkeypatch, token=old) == b""  # a request for the old cover: ignored
    assert ask_for_picture(studio._picture, monkeypatch) not in (b"", first) and len(drawn) == 2


@pytest.fixture
def page_messages(monkeypatch):
    """Every message a widget sends the page (its state first, then each change), as (kind, widget class)."""
    import comm
    from ipywidgets.widgets.widget import _instances

    sent = []
    real = comm.DummyComm.publish_msg

    def recording(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        widget = _instances.get(self.comm_id) if msg_type == "comm_msg" else None
        sent.append((msg_type, type(widget).__name__ if widget is not None else (data or {}).get("state", {})
                     .get("_model_name", "")))
        return real(self, msg_type, data, metadata, buffers, **keys)

    monkeypatch.setattr(comm.DummyComm, "publish_msg", recording)
    return sent


def test_building_the_studio_sends_each_control_once_already_right(course, out, page_messages):
    """Each control is made with the values the studio shows (no change message right after it is sent), and
    putting the session into the controls again changes nothing."""
    studio = TrackStudio(course.track, check_settings(course.track, mood="tense", genre="trap", seed=5),
                         export_dir=str(out))
    opened = [kind for kind, _ in page_messages if kind == "comm_open"]
    changes = [name for kind, name in page_messages if kind == "comm_msg"]
    assert len(opened) > 50 and changes == ["Message"]  # only the exporter's line, set through its own method
    page_messages.clear()
    studio._refresh()
    assert page_messages == []
    trap = next(genre for genre in course.track.genres if genre.id == "trap")
    assert (studio._tempo.min, studio._tempo.max, studio._tempo.value) == (trap.tempo.min, trap.tempo.max,
                                                                           trap.tempo.default)


def test_a_studio_that_has_made_no_sound_imports_no_numpy_pillow_or_mido(course, tmp_path):
    """Run All builds the studio and shows its sections: the synthesiser, the cover painter and the MIDI writer
    (numpy, Pillow, mido) are imported only once a sound, a cover or an export is asked for."""
    import subprocess
    import sys

    script = f"""
import json, sys
from lessonkit.content import load_course
from lessonkit.track.settings import check_settings
from lessonkit.widgets.track import TrackStudio
track = load_course().track
studio = TrackStudio(track, check_settings(track, mood="hopeful", genre="lofi", seed=3), export_dir={str(tmp_path)!r})
studio.make()
studio._levels["drums"].value = -3
studio.restore(studio.state)
heavy = ("numpy", "PIL", "mido")
before = [m for m in heavy if m in sys.modules]
studio._cover_picture(studio._picture.token)
studio._sound(studio._player.token)
print(json.dumps([before, [m for m in heavy if m in sys.modules]]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert before == [] and {"numpy", "PIL"} <= set(after)



@pytest.mark.parametrize(("zone", "said"), [("UTC", "16:04:09 UTC"), ("Europe/Berlin", "17:04:09 CET"),
                                            ("America/New_York", "11:04:09 EST")])
def test_times_told_to_a_learner_name_their_zone(monkeypatch, zone, said):
    """On a hub or a Voila server the kernel's clock is the server's: the time of an export or a save says whose."""
    import datetime as dt
    import time

    from lessonkit.widgets.base import clock_time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert clock_time(dt.datetime(2026, 11, 30, 16, 4, 9, tzinfo=dt.timezone.utc)) == said
    finally:
        monkeypatch.undo()
        time.tzset()
