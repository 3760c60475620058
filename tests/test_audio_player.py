"""The audio player's page module, run in Node: no sound is asked for until a learner points at or presses Play;
then it is made once, shown in every view of the player, played, and kept current; a failure or a sound that never
comes is said in words, and Play asks again."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lessonkit.widgets.audio import PLAYER

HARNESS = Path(__file__).parent / "fixtures" / "audio_player_harness.mjs"
SOUND = {"type": "lessonkit-need-audio", "token": "1:aa"}


@pytest.fixture(scope="module")
def page_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two views of one player and a second player, driven through the learner's moves (the harness's comments)."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the player's page module (apt-get install nodejs)"
    folder = tmp_path_factory.mktemp("player")
    (folder / "player.mjs").write_text(PLAYER, encoding="utf-8")
    done = subprocess.run([node, str(HARNESS), str(folder / "player.mjs")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_drawing_a_player_asks_for_no_sound_and_says_what_it_will_play(page_run):
    drawn = page_run["drawn"]
    assert drawn["sent"] == 0  # Run All draws players without making any sound
    first = drawn["first"]
    assert first["name"] == "Play Version 1 · your mix (0:26)" and first["button"] == "▶ Play"
    assert first["detail"].startswith("0:26 ") and not first["audioShown"] and first["src"] is None
    assert drawn["other"]["name"] == "Play A · version 1 (0:26)"  # 26.4 s, to the nearest second


def test_pressing_play_makes_the_sound_once_shows_it_in_every_view_and_plays_it(page_run):
    assert page_run["ahead"] == [SOUND]  # focus on Play asks ahead
    making = page_run["making"]
    assert making["sent"] == 1  # pressing Play on the same version asks nothing more
    for view in (making["first"], making["second"]):
        assert view["button"] == "Making the sound…" and view["status"] == "Making the sound of Version 1 · your mix…"
    first, second = page_run["played"]["first"], page_run["played"]["second"]
    assert first["src"] == second["src"] == "blob:sound-1" and first["audioShown"] and second["audioShown"]
    assert (first["plays"], second["plays"]) == (1, 0)  # only the view pressed starts playing
    assert first["focused"]  # the button is gone: the keyboard carries on at the player
    assert page_run["noted"] == {"first": "-17.4 LUFS as mixed", "second": "-17.4 LUFS as mixed"}


def test_once_heard_a_new_mix_is_fetched_at_once_and_the_old_sound_plays_until_it_comes(page_run):
    assert page_run["remix"] == {"sent": [{"type": "lessonkit-need-audio", "token": "1:bb"}], "src": "blob:sound-1",
                                 "shown": True}
    assert page_run["remixed"] == "blob:sound-2"


def test_a_player_no_one_pressed_follows_new_versions_without_making_sound(page_run):
    change = page_run["unheardChange"]
    assert change["sent"] == 0
    assert change["look"]["name"] == "Play A · version 2 (0:31)" and change["look"]["label"] == "A · version 2"


def test_a_failed_or_late_sound_is_said_in_words_and_play_asks_again(page_run):
    failed = page_run["failed"]
    assert failed["status"] == "The sound could not be made (MemoryError). Press play to try again."
    assert failed["button"] == "▶ Play" and not failed["audioShown"]
    late = page_run["late"]
    assert late["sent"] == 2 and late["look"]["status"].startswith("The sound has not arrived")
    assert "Press play to ask again" in late["look"]["status"] and late["look"]["button"] == "▶ Play"
    assert page_run["askedAgain"] == 3
