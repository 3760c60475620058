"""Who the learner is and where their work lives, from the engine a lesson runs in (hub, Voila, JupyterLab)."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

import pytest

import lessonkit
from lessonkit import engines
from lessonkit.identity import learner_for, parse_learner_id
from lessonkit.lesson import default_answers_dir
from lessonkit.locate import find_data_dir

from .conftest import DATA, REPO, edit

VOILA_SINGLE = {"SERVER_SOFTWARE": "voila/0.5.13", "SCRIPT_NAME": "/"}
VOILA_FOLDER = {"SERVER_SOFTWARE": "voila/0.5.13", "SCRIPT_NAME": "/voila/render/01-music-producer.ipynb"}


@pytest.fixture
def no_answers_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No LESSONKIT_ANSWERS, no hub, no Voila; a home of the test's own."""
    for name in ("LESSONKIT_ANSWERS", "JUPYTERHUB_USER", "SERVER_SOFTWARE", "VOILA_KERNEL_ID", "SCRIPT_NAME"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def test_the_hub_user_names_the_learner_through_the_learner_id_rule():
    assert learner_for("", {"JUPYTERHUB_USER": "ada-lovelace"}) == ("ada-lovelace", True)
    assert learner_for("  ", {}) == ("learner", False)
    assert learner_for("grace", {"JUPYTERHUB_USER": "ada"}) == ("grace", True)  # the teacher's id wins
    # a hub name the rule refuses (an email, a long name) is made file-safe, and two such names never meet
    email, _ = learner_for("", {"JUPYTERHUB_USER": "ada@uni.edu"})
    assert email.startswith("ada-uni.edu-") and parse_learner_id(email) == email
    assert learner_for("", {"JUPYTERHUB_USER": "ada#uni.edu"})[0] != email
    long, _ = learner_for("", {"JUPYTERHUB_USER": "x" * 100})
    assert len(long) <= 64 and parse_learner_id(long) == long


def test_on_a_hub_answers_live_in_the_learners_home_even_from_an_editable_checkout(no_answers_env: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch):
    assert default_answers_dir() == REPO / "answers"  # a developer's own checkout, no hub
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    assert default_answers_dir() == no_answers_env / ".lessonkit" / "answers"
    lesson = lessonkit.open_lesson("01-music-producer")
    assert lesson.store.path == (no_answers_env / ".lessonkit" / "answers" / "ada.json").resolve()
    assert lesson.store.learner_id == "ada"
    assert "~/.lessonkit/answers/ada.json" in lesson._repr_html_()
    assert not str(lesson.store.path).startswith(str(REPO))


def test_a_checkout_that_belongs_to_someone_else_is_never_the_answers_folder(no_answers_env: Path,
                                                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(engines, "owned_by_me", lambda path: False)
    assert default_answers_dir() == no_answers_env / ".lessonkit" / "answers"


@pytest.mark.parametrize("env", [VOILA_SINGLE, VOILA_FOLDER], ids=["single-notebook", "folder"])
def test_two_voila_visitors_never_share_an_answers_file(no_answers_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                        env: dict[str, str]):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    first = lessonkit.open_lesson("01-music-producer")
    first.store.set_answer("01-music-producer/what-success-means", "first visitor's words", "long-text")
    first.store.flush()
    second = lessonkit.open_lesson("01-music-producer")
    assert first.visit and second.visit
    assert second.store.path != first.store.path
    assert second.store.answer("01-music-producer/what-success-means") is None
    for lesson in (first, second):
        folder = lesson.store.path.parent
        assert not str(folder).startswith(str(REPO))
        if os.name == "posix":
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    text = first._repr_html_()
    assert "kept for this visit only" in text and "Download my answers" in text
    assert str(first.store.path) not in text  # no server path shown to a visitor
    assert "already run" in text and "Run All" not in text


def test_voila_visitors_with_a_set_answers_folder_still_get_a_file_each(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    for name, value in VOILA_SINGLE.items():
        monkeypatch.setenv(name, value)
    one = lessonkit.open_lesson("00-start-here", answers_dir=str(tmp_path))
    two = lessonkit.open_lesson("00-start-here", answers_dir=str(tmp_path))
    assert one.store.path != two.store.path
    assert one.store.path.is_relative_to(tmp_path / "visits") and two.store.path.is_relative_to(tmp_path / "visits")


def test_a_voila_page_on_a_hub_belongs_to_the_signed_in_learner(no_answers_env: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    for name, value in {**VOILA_FOLDER, "JUPYTERHUB_USER": "bo"}.items():
        monkeypatch.setenv(name, value)
    lesson = lessonkit.open_lesson("01-music-producer")
    assert not lesson.visit
    assert lesson.store.path == (no_answers_env / ".lessonkit" / "answers" / "bo.json").resolve()


def test_the_ready_line_fits_the_front_end():
    assert engines.front_end({}).name == "jupyterlab"
    assert engines.front_end(VOILA_FOLDER).name == "voila"
    single = engines.front_end(VOILA_SINGLE)
    assert single.name == "voila-single" and "voila notebooks/" in single.note


def test_a_course_folder_beside_the_lesson_comes_before_the_installed_copy(tmp_path: Path, data_copy: Path):
    """A checkout (nbgitpuller's copy) has notebooks/ beside data/: a lesson running in notebooks/ reads that data/."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    assert find_data_dir(near=notebooks) == data_copy.resolve()
    assert find_data_dir(near=tmp_path / "other" / "folder") == DATA.resolve()
    edit(data_copy / "prompts" / "01-music-producer.yaml", "title: ", "title: Changed ")
    cwd = Path.cwd()
    os.chdir(notebooks)
    try:
        lesson = lessonkit.open_lesson("01-music-producer")
    finally:
        os.chdir(cwd)
    assert lesson.course.root == data_copy.resolve()
    assert any(p.title.startswith("Changed ") for p in lesson.course.lesson_prompts("01-music-producer"))
    assert f"the course folder this lesson sits in ({data_copy.resolve()})" in lesson._repr_html_()


def test_a_named_learner_in_voila_keeps_their_usual_folder(no_answers_env: Path, monkeypatch: pytest.MonkeyPatch):
    """A learner_id the teacher set names a person: their answers are not a visit's, and not in the temp folder."""
    for name, value in VOILA_SINGLE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(engines, "owned_by_me", lambda path: False)
    lesson = lessonkit.open_lesson("00-start-here", learner_id="ada")
    assert not lesson.visit
    assert lesson.store.path == (no_answers_env / ".lessonkit" / "answers" / "ada.json").resolve()


def _visit(parent: Path, name: str, age: float, file_age: float | None = None) -> Path:
    """A visit folder holding an answers file, last changed ``age`` seconds ago (its file ``file_age`` ago)."""
    folder = parent / name
    folder.mkdir(parents=True)
    answers = folder / "learner.json"
    answers.write_text("{}", encoding="utf-8")
    now = time.time()
    os.utime(answers, (now - (age if file_age is None else file_age),) * 2)
    os.utime(folder, (now - age,) * 2)
    return folder


def test_visits_left_in_the_temporary_folder_are_swept_when_they_have_not_changed_for_days(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    parent = tmp_path / "lessonkit-visits"
    kept = engines.VISIT_KEPT_SECONDS
    old = _visit(parent, "visit-old", kept + 60)
    recent = _visit(parent, "visit-recent", kept - 60)
    written_lately = _visit(parent, "visit-old-folder-new-file", kept + 60, file_age=10)  # still being saved into
    other = _visit(parent, "not-a-visit", kept * 10)
    (parent / "visit-link").symlink_to(other, target_is_directory=True)
    new = engines.visit_folder()
    assert new.parent == parent and new.is_dir() and stat.S_IMODE(new.stat().st_mode) == 0o700
    assert not old.exists()
    assert recent.is_dir() and written_lately.is_dir() and other.is_dir() and (parent / "visit-link").is_symlink()


def test_a_teachers_visits_folder_is_never_swept(tmp_path: Path):
    old = _visit(tmp_path / "visits", "visit-old", engines.VISIT_KEPT_SECONDS * 10)
    engines.visit_folder(tmp_path / "visits")
    assert (old / "learner.json").is_file()


def test_a_sweep_leaves_folders_that_are_not_this_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    old = _visit(tmp_path, "visit-old", engines.VISIT_KEPT_SECONDS * 10)
    monkeypatch.setattr(engines, "owned_by_me", lambda path: path != old)
    assert engines.sweep_visits(tmp_path) == [] and old.is_dir()
    monkeypatch.setattr(engines, "owned_by_me", lambda path: path != tmp_path)  # a parent someone else owns
    assert engines.sweep_visits(tmp_path) == [] and old.is_dir()
    monkeypatch.setattr(engines, "owned_by_me", lambda path: True)
    assert engines.sweep_visits(tmp_path) == [old] and not old.exists()
