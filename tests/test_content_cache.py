"""Checked content kept between kernels: used only when unchanged and trustworthy, otherwise a full check, silently."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from lessonkit import content, content_cache
from lessonkit.errors import ContentError

from .conftest import edit

CARD = "careers/music-producer.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder for this test, and no course remembered in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LESSONKIT_CACHE_DIR", str(folder))
    content._cached.cache_clear()
    yield folder
    content._cached.cache_clear()


def fresh_load(data: Path) -> content.Course:
    """Load as a new kernel would: nothing remembered in this process."""
    content._cached.cache_clear()
    return content.load_course(data)


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every full parse-and-validate of a content folder, recorded."""
    calls: list[Path] = []
    real = content._load

    def counting(root: Path):
        calls.append(root)
        return real(root)

    monkeypatch.setattr(content, "_load", counting)
    return calls


def test_a_checked_folder_is_not_checked_again_and_comes_back_equal(cache, data_copy, full_checks):
    first = fresh_load(data_copy)
    again = fresh_load(data_copy)
    assert len(full_checks) == 1
    assert again == first and again is not first
    card = again.careers["music-producer"]
    assert card.pay.salaried.median == first.careers["music-producer"].pay.salaried.median
    assert [p.id for p in again.lesson_prompts("01-music-producer")] == [p.id for p in first.lesson_prompts("01-music-producer")]


def test_the_cache_folder_and_file_are_private_to_the_user(cache, data_copy):
    fresh_load(data_copy)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    files = list(cache.iterdir())
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600


def test_an_edited_content_file_is_checked_in_full(cache, data_copy, full_checks):
    fresh_load(data_copy)
    edit(data_copy / CARD, "median: 66000", "median: 67000")
    assert fresh_load(data_copy).careers["music-producer"].pay.salaried.median == 67000
    edit(data_copy / CARD, "median: 67000", "median: lots")
    with pytest.raises(ContentError, match="median"):
        fresh_load(data_copy)
    assert len(full_checks) == 3
    # check() reads the folder in full every time, never the cache:
    assert content.check(data_copy) and content.check(data_copy)
    assert len(full_checks) == 5


def test_a_change_to_lessonkit_code_makes_a_fresh_check(cache, data_copy, tmp_path, monkeypatch, full_checks):
    code = tmp_path / "code"
    shutil.copytree(content_cache.CODE_ROOT, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(content_cache, "CODE_ROOT", code)
    fresh_load(data_copy)
    fresh_load(data_copy)
    assert len(full_checks) == 1
    (code / "schema.py").write_text((code / "schema.py").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    fresh_load(data_copy)
    assert len(full_checks) == 2
    # the same size, written again later (an edit that swaps two characters): a fresh check too
    schema = code / "schema.py"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(text.replace("# changed", "# chnaged"), encoding="utf-8")
    info = schema.stat()
    os.utime(schema, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    fresh_load(data_copy)
    assert len(full_checks) == 3
    fresh_load(data_copy)
    assert len(full_checks) == 3


@pytest.mark.parametrize("spoil", ["truncate", "garbage", "other key"])
def test_a_spoilt_cache_file_means_a_full_check_and_is_rewritten(cache, data_copy, full_checks, spoil):
    good = fresh_load(data_copy)
    path, = cache.iterdir()
    if spoil == "truncate":
        path.write_bytes(path.read_bytes()[:100])
    elif spoil == "garbage":
        path.write_bytes(b"not a pickle at all")
    else:
        import pickle

        path.write_bytes(pickle.dumps(("another fingerprint", "not a course")))
    assert fresh_load(data_copy) == good
    assert len(full_checks) == 2
    assert fresh_load(data_copy) == good and len(full_checks) == 2  # rewritten whole by that check


def test_a_folder_others_may_use_is_never_read(cache, data_copy, full_checks):
    fresh_load(data_copy)
    os.chmod(cache, 0o755)
    fresh_load(data_copy)
    assert len(full_checks) == 2
    assert content_cache.cache_dir() is None


def test_a_file_others_may_write_is_never_read(cache, data_copy, full_checks):
    fresh_load(data_copy)
    path, = cache.iterdir()
    os.chmod(path, 0o666)
    fresh_load(data_copy)
    assert len(full_checks) == 2


def test_another_users_folder_is_never_read(cache, data_copy, full_checks, monkeypatch):
    fresh_load(data_copy)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)  # as if another user opened the lesson
    assert content_cache.cache_dir() is None
    fresh_load(data_copy)
    assert len(full_checks) == 2


def test_an_unusable_cache_place_still_opens_the_lesson(cache, data_copy, tmp_path, monkeypatch, full_checks):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("LESSONKIT_CACHE_DIR", str(blocker / "cache"))
    assert fresh_load(data_copy).careers["music-producer"].id == "music-producer"
    monkeypatch.setenv("LESSONKIT_CACHE_DIR", "off")
    fresh_load(data_copy)
    assert len(full_checks) == 2
