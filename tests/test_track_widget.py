"""The studio widget: every action becomes a version, a mix or a note in its state; a saved state comes back whole."""

from __future__ import annotations

import base64
import io
import json
import math
import wave

import pytest

from lessonkit.track.settings import check_settings
from lessonkit.widgets.audio import AudioPlayer
from lessonkit.widgets.track import TrackStudio


@pytest.fixture
def studio(course, tmp_path):
    first = check_settings(course.track, mood="hopeful", genre="house", seed=2)
    made = TrackStudio(course.track, first, export_dir=str(tmp_path / "out"))
    made.saved = []
    made.on_change(lambda key, state: made.saved.append((key, state)))
    return made


def test_making_versions_keeps_every_one(studio):
    assert [v.number for v in studio.session.versions] == [1]
    studio._genre.value = "trap"
    assert (studio._tempo.min, studio._tempo.max, studio._tempo.value) == (130, 160, 140)
    studio._tempo.value = 150
    assert studio.make() == 2
    studio.reroll("melody")
    versions = studio.state["versions"]
    assert [v["what"] for v in versions] == ["the first version", "genre house → trap, tempo 124 → 150", "new melody"]
    assert versions[2]["settings"]["part_seeds"].keys() == {"melody"}
    assert studio.saved and studio.saved[-1][0] == "03-make-a-track/studio"
    assert json.loads(json.dumps(studio.state)) == studio.state  # JSON-safe
    assert (studio._a.value, studio._b.value) == (2, 3)


def test_a_mood_brings_its_usual_key(studio):
    studio._mood.value = "tense"
    assert studio._key.value == "E"


def test_mixing_changes_the_mix_not_the_notes(studio, monkeypatch):
    import lessonkit.track.session as session_module

    studio.session.rendered(1)
    calls = []
    monkeypatch.setattr(session_module, "render", lambda *a: calls.append(a))
    before = studio._meter.value
    studio._levels["drums"].value = -12
    studio._mutes["bass"].value = True
    studio._pans["melody"].value = -0.5
    mix = studio.state["versions"][0]["mix"]["parts"]
    assert mix["drums"]["level_db"] == -12 and mix["bass"]["mute"] and mix["melody"]["pan"] == -0.5
    assert calls == []  # no synthesis: the kept stems were re-weighted
    assert studio._meter.value != before and "LUFS" in studio._meter.value


def test_master_to_target_lands_near_the_streaming_level(studio):
    studio.master_to_target()
    assert studio.session.mixdown(1).reading.lufs == pytest.approx(-14, abs=1.0)


def test_the_journal_and_the_one(studio):
    studio.make()
    studio._pick.value = 1
    studio._heard.value = "Bright but the bass is lost"
    studio._change.value = "Bass up"
    studio._the_one.value = True
    state = studio.state
    assert state["versions"][0]["heard"] == "Bright but the bass is lost" and state["chosen"] == 1
    assert "version 1" in studio._log.value and "Bass up" in studio._log.value
    studio._pick.value = 2
    assert studio._heard.value == "" and studio._the_one.value is False


def test_a_saved_state_comes_back(course, studio, tmp_path):
    studio.make()
    studio._levels["chords"].value = -6
    studio._heard.value = "Nice"
    studio._the_one.value = True
    studio._title.value = "Blue Hour"
    saved = json.loads(json.dumps(studio.state))
    fresh = TrackStudio(course.track, check_settings(course.track, mood="dreamy", genre="lofi", seed=1),
                        export_dir=str(tmp_path))
    fresh.restore(saved)
    assert fresh.state == saved
    assert fresh._levels["chords"].value == -6 and fresh._title.value == "Blue Hour" and fresh._the_one.value


@pytest.mark.parametrize("junk", [None, [], {"versions": "many"}, {"versions": [{"settings": {"mood": "jazz"}}]},
                                  {"versions": [{"number": [1], "settings": {}}], "chosen": {"x": 1}}])
def test_a_broken_saved_state_is_ignored_not_raised(studio, junk):
    before = studio.state
    studio.restore(junk)
    assert studio.state == before


def test_saved_versions_that_no_longer_fit_are_skipped(studio):
    state = studio.state
    good = state["versions"][0]
    bad = {**good, "number": 2, "settings": {**good["settings"], "genre": "polka"}}
    studio.restore({**state, "versions": [bad, {**good, "number": 3}], "chosen": 3, "current": 3})
    assert [v.number for v in studio.session.versions] == [1] and studio.session.chosen == 1


def test_export_button_reports_files_and_problems(studio, tmp_path):
    assert studio._fetch.disabled  # nothing to download before an export
    studio._export.click()
    assert "version 1" in studio._export_message.text and len(list((tmp_path / "out").iterdir())) == 4
    studio._fetch.click()
    links = studio._downloads.value
    for path in (tmp_path / "out").iterdir():  # every exported file, whole, as a link the page can save
        assert f'download="{path.name}"' in links
        assert base64.b64encode(path.read_bytes()).decode("ascii") in links
    assert "data:audio/x-wav;base64," in links or "data:audio/wav;base64," in links
    (tmp_path / "file").write_text("x", encoding="utf-8")
    studio._folder.value = str(tmp_path / "file" / "sub")
    studio._export.click()
    assert "is a file" in studio._export_message.text


def test_the_player_answers_a_request_with_wav_bytes_and_ignores_stale_ones(studio, monkeypatch):
    player = studio._player
    sent = []
    monkeypatch.setattr(AudioPlayer, "send", lambda self, content, buffers=None: sent.append((content, buffers)))
    player._on_message(player, {"type": "lessonkit-need-audio", "token": "stale"}, [])
    assert sent == []
    player._on_message(player, {"type": "lessonkit-need-audio", "token": player.token}, [])
    (content, buffers), (note, no_buffers) = sent  # the sound, then what was measured in it
    assert content["type"] == "lessonkit-audio" and content["token"] == player.token and content["later"]
    assert note == {"type": "lessonkit-audio-note", "token": player.token,
                    "note": f"{studio.session.mixdown(studio.current).reading.lufs:.1f} LUFS as mixed"}
    assert no_buffers is None
    with wave.open(io.BytesIO(buffers[0])) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (44_100, 2, 2)


def test_each_player_says_how_long_its_version_plays_before_any_sound_is_made(studio, syntheses, monkeypatch):
    """The length a player shows before Play is the length of the sound it then gets, and follows a new version."""
    studio._genre.value = "trap"
    studio.make()
    assert syntheses == []
    for player in (studio._player, studio._player_a, studio._player_b):
        sent = []
        monkeypatch.setattr(AudioPlayer, "send", lambda self, content, buffers=None: sent.append(buffers))
        player._on_message(player, {"type": "lessonkit-need-audio", "token": player.token}, [])
        with wave.open(io.BytesIO(next(b for b in sent if b)[0])) as wav:
            assert player.seconds == pytest.approx(wav.getnframes() / wav.getframerate(), abs=0.01)
    assert studio._player_a.seconds != studio._player_b.seconds  # house (version 1) and trap (version 2) differ


def test_the_sound_is_sent_before_its_loudness_is_read(studio, monkeypatch):
    """The learner hears the version without waiting for the meter: its reading follows the sound, and fills the
    meter then."""
    import lessonkit.track.loudness as loudness

    readings, order = [], []
    real = loudness.integrated_loudness
    monkeypatch.setattr(loudness, "integrated_loudness", lambda *a: readings.append(1) or real(*a))
    monkeypatch.setattr(AudioPlayer, "send", lambda self, content, buffers=None: order.append((content["type"],
                                                                                                 len(readings))))
    studio._player._on_message(studio._player, {"type": "lessonkit-need-audio", "token": studio._player.token}, [])
    assert order == [("lessonkit-audio", 0), ("lessonkit-audio-note", 1)]
    assert "Loudness " in studio._meter.value


def test_a_sound_that_cannot_be_made_is_said_in_words_and_can_be_asked_again(studio, monkeypatch):
    player = studio._player
    sent = []
    monkeypatch.setattr(AudioPlayer, "send", lambda self, content, buffers=None: sent.append((content, buffers)))

    def broken(number):
        raise MemoryError("no room for the stems")

    real = studio.session.mixdown
    monkeypatch.setattr(studio.session, "mixdown", broken)
    player._on_message(player, {"type": "lessonkit-need-audio", "token": player.token}, [])
    (content, buffers), = sent
    assert content["type"] == "lessonkit-audio-failed" and content["token"] == player.token and buffers is None
    assert "could not be made (MemoryError: no room for the stems)" in content["error"]
    assert "Press play to try again" in content["error"]
    monkeypatch.setattr(studio.session, "mixdown", real)
    player._on_message(player, {"type": "lessonkit-need-audio", "token": player.token}, [])
    assert sent[-2][0]["type"] == "lessonkit-audio" and sent[-2][1][0][:4] == b"RIFF"


def test_a_cover_that_cannot_be_drawn_is_said_in_words(studio, monkeypatch):
    from lessonkit.widgets.picture import Picture

    sent = []
    monkeypatch.setattr(Picture, "send", lambda self, content, buffers=None: sent.append((content, buffers)))
    monkeypatch.setattr(studio._picture, "_source", lambda token: (_ for _ in ()).throw(OSError("no font")))
    studio._picture._on_message(studio._picture, {"type": "lessonkit-need-picture", "token": studio._picture.token}, [])
    (content, buffers), = sent
    assert content["type"] == "lessonkit-picture-failed" and buffers is None
    assert "could not be drawn: OSError: no font" in content["error"]


def test_the_player_keeps_no_sound_in_its_saved_state(studio):
    from ipywidgets.embed import dependency_state

    state = dependency_state(studio.view)
    players = [s for s in state.values() if s["model_name"] == "AnyModel" and "player_id" in s["state"]]
    assert len(players) == 3 and not any(p.get("buffers") for p in players)
    sizes = sum(len(b["data"]) for s in state.values() for b in s.get("buffers", []))
    assert sizes < 200_000  # only the cover preview travels as bytes


def test_the_cover_picture_says_in_words_what_it_shows(studio, monkeypatch):
    """Screen readers get the cover's title, artist, shapes and palette; the words follow the learner's edits."""
    mood, genre = studio.session.mood("hopeful"), studio.session.genre("house")
    assert ask_for_picture(studio._picture, monkeypatch).startswith(b"\xff\xd8")  # a JPEG preview
    assert genre.label in studio._picture.alt and mood.label in studio._picture.alt
    studio._title.value, studio._artist.value = "Night Bus", "Sam"
    assert "“Night Bus” by Sam" in studio._picture.alt


@pytest.fixture
def syntheses(monkeypatch):
    """Every synthesis of a version's stems, recorded (the real one still runs)."""
    import lessonkit.track.session as session_module

    calls = []
    real = session_module.render

    def counting(arrangement, mood, genre):
        calls.append(arrangement)
        return real(arrangement, mood, genre)

    monkeypatch.setattr(session_module, "render", counting)
    return calls


def ask_for_picture(picture, monkeypatch, token=None):
    """What the page does when it shows the cover: ask for its token's picture; returns the bytes sent back."""
    from lessonkit.widgets.picture import Picture

    sent = []
    monkeypatch.setattr(Picture, "send", lambda self, content, buffers=None: sent.append((content, buffers)))
    picture._on_message(picture, {"type": "lessonkit-need-picture", "token": token or picture.token}, [])
    return sent[-1][1][0] if sent else b""


def ask_for_sound(player, monkeypatch):
    """What the page does when it shows a player: ask for its token's sound; returns the note sent back."""
    sent = []
    monkeypatch.setattr(AudioPlayer, "send", lambda self, content, buffers=None: sent.append(content))
    player._on_message(player, {"type": "lessonkit-need-audio", "token": player.token}, [])
    return sent[-1]["note"]


def test_a_version_becomes_sound_only_when_first_played(course, tmp_path, syntheses, monkeypatch):
    """Building the studio and making versions synthesise nothing; the meter says when it will read."""
    studio = TrackStudio(course.track, check_settings(course.track, mood="hopeful", genre="house", seed=2),
                         export_dir=str(tmp_path / "out"))
    studio.make()
    studio.reroll("melody")
    assert syntheses == []
    assert "first played or exported" in studio._meter.value and "LUFS" not in studio._meter.value
    assert studio._player.token and studio._player_a.token and studio._player_b.token  # each can ask for its sound
    note = ask_for_sound(studio._player, monkeypatch)
    assert len(syntheses) == 1 and "LUFS" in note
    assert f"Loudness {studio.session.mixdown(studio.current).reading.lufs:.1f} LUFS" in studio._meter.value
    ask_for_sound(studio._player, monkeypatch)
    assert len(syntheses) == 1  # heard once, kept


def test_compare_says_how_much_the_louder_one_is_turned_down_once_both_are_heard(studio, syntheses, monkeypatch):
    studio._levels["drums"].value = 6  # version 2 starts from this mix: louder than version 1 will be
    studio.make()
    studio._master.value = -10  # a quieter mix for version 2
    assert (studio._a.value, studio._b.value) == (1, 2) and studio._match_note.value == "" and syntheses == []
    ask_for_sound(studio._player_a, monkeypatch)  # A at B's loudness: both are made into sound to match them
    assert len(syntheses) == 2
    gain_a, gain_b = studio.session.matched_gains(1, 2)
    louder, gap = (1, -20 * math.log10(gain_a)) if gain_a < gain_b else (2, -20 * math.log10(gain_b))
    assert f"Version {louder} is turned down {gap:.1f} dB" in studio._match_note.value


def test_an_export_makes_the_sound_and_the_meter_reads_it(studio, syntheses):
    assert syntheses == []
    result = studio.export()
    assert len(syntheses) == 1
    assert f"Loudness {result.lufs:.1f} LUFS" in studio._meter.value


def test_restoring_a_saved_session_synthesises_nothing(course, studio, tmp_path, syntheses):
    for _ in range(3):
        studio.make()
    saved = json.loads(json.dumps(studio.state))
    fresh = TrackStudio(course.track, check_settings(course.track, mood="dreamy", genre="lofi", seed=1),
                        export_dir=str(tmp_path))
    fresh.restore(saved)
    assert fresh.state == saved and syntheses == []


def test_run_all_sends_no_box_of_the_whole_studio(course, tmp_path):
    """The lesson shows the sections one at a time; the box holding all of them is made only when asked for."""
    import ipywidgets as W
    from ipywidgets.widgets.widget import _instances  # every open widget, by comm id

    before = set(_instances)
    studio = TrackStudio(course.track, check_settings(course.track, mood="hopeful", genre="house", seed=2),
                         export_dir=str(tmp_path / "out"))
    sections = [studio.maker, studio.compare, studio.mixer, studio.journal, studio.cover, studio.exporter]
    made = [w for key, w in _instances.items() if key not in before]
    assert not any(isinstance(w, W.Box) and set(w.children) >= set(sections) for w in made)
    assert list(studio.view.children) == sections and studio.view is studio.view


def test_each_section_says_in_words_what_it_shows_not_its_controls_repr(studio, syntheses):
    """What an executed Lesson 03 shows where its widgets are not drawn (a printout, a text view, a notebook viewer):
    each section's state in a sentence, following the session, never the repr of its controls."""
    sections = {name: getattr(studio, name) for name in ("maker", "compare", "mixer", "journal", "cover", "exporter")}

    def said(name: str) -> str:
        bundle = sections[name]._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == sections[name].model_id
        return bundle["text/plain"]

    assert not any("children=" in said(name) for name in sections)
    first = studio.session.version(1)
    assert f"version 1 of 1, {studio.session.describe(1)} ({first.what})" in said("maker")
    assert "version 1 as A and version 1 as B, played equally loud" in said("compare")
    assert "measured when this version is first played" in said("mixer") and syntheses == []  # words make no sound
    assert "0 of 1 versions have notes" in said("journal") and "No version is marked" in said("journal")
    cover = studio.session.cover
    assert f"“{cover.title}” by {cover.artist}" in said("cover")
    assert said("exporter") == studio._export_message.text and str(studio.export_dir) in said("exporter")

    studio._levels["drums"].value = -6
    studio._mutes["bass"].value = True
    assert "Drums -6.0 dB, pan +0.0; Bass +0.0 dB, pan +0.0, muted" in said("mixer")
    studio.make()
    studio._match.value = False
    studio._heard.value = "Warmer"
    studio._the_one.value = True
    assert "version 2 of 2" in said("maker") and "each played as mixed" in said("compare")
    assert "1 of 2 versions have notes" in said("journal") and "Marked as the one: version 2." in said("journal")
    studio.export()
    reading = studio.session.mixdown(2).reading
    assert reading.words() in said("mixer") and said("exporter").startswith("Exported at")
