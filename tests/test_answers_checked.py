"""A returning learner's answers file opens without the typed model when its bytes already passed it here, and any
other bytes (edited by hand, hostile, checked by other rules) still go through the model in full."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lessonkit import answers_checked as checked
from lessonkit.answers_store import AnswerStore

COURSE = "careers-in-music-production"
KEY = "01-music-producer/definition-of-success"

OPEN = """
    import json, sys
    from lessonkit.answers_store import open_store
    from lessonkit.content import load_course
    from lessonkit.progress import course_progress
    store = open_store({path!r}, course_id={course!r}, learner_id="ada")
    rows = course_progress(load_course(), store.saved_if_any())
    print(json.dumps({{"model": "lessonkit.answers_model" in sys.modules, "pydantic": "pydantic" in sys.modules,
                      "answer": store.answer({key!r}), "completed": rows[1].completed, "notices": store.notices}}))
"""


def _run(code: str, cwd: Path) -> dict:
    env = {**os.environ, "LESSONKIT_CACHE_DIR": str(cwd / "cache")}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True,
                         cwd=cwd, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _save(path: Path, cwd: Path, answer: str) -> None:
    """A lesson kernel saving an answer and completing Lesson 01, as a learner does (another process)."""
    _run(f"""
        from lessonkit.answers_store import AnswerStore
        store = AnswerStore({str(path)!r}, course_id={COURSE!r}, learner_id="ada")
        store.set_answer({KEY!r}, {answer!r}, kind="long-text")
        store.set_lesson_field("01-music-producer", "completed", True)
        store.flush()
        print("{{}}")
    """, cwd)


def test_the_file_a_learner_saved_opens_in_the_next_lesson_without_the_model(tmp_path: Path):
    path = tmp_path / "ada.json"
    _run("from lessonkit.content import load_course; load_course(); print('{}')", tmp_path)  # a warm content cache
    _save(path, tmp_path, "mine")
    found = _run(OPEN.format(path=str(path), course=COURSE, key=KEY), tmp_path)
    assert found == {"model": False, "pydantic": False, "answer": "mine", "completed": True, "notices": []}


def test_bytes_changed_after_the_save_go_through_the_model(tmp_path: Path):
    """An edit by hand is read (checked in full); a hostile record is caught and kept aside, exactly as before."""
    path = tmp_path / "ada.json"
    _save(path, tmp_path, "mine")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["answers"][KEY]["value"] = "edited by hand"
    path.write_text(json.dumps(doc), encoding="utf-8")
    found = _run(OPEN.format(path=str(path), course=COURSE, key=KEY), tmp_path)
    assert found["model"] and found["pydantic"]
    assert found["answer"] == "edited by hand" and found["notices"] == []

    doc["answers"][KEY]["saved_at"] = "not a time"
    path.write_text(json.dumps(doc), encoding="utf-8")
    found = _run(OPEN.format(path=str(path), course=COURSE, key=KEY), tmp_path)
    assert found["model"] and found["answer"] is None
    assert len(found["notices"]) == 1 and "definition-of-success" in found["notices"][0]
    kept = json.loads(path.read_text(encoding="utf-8"))["kept_aside"]
    assert [entry["key"] for entry in kept] == [KEY]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LESSONKIT_CACHE_DIR", str(folder))
    return folder


def test_a_record_vouches_for_the_exact_bytes_it_was_made_for(tmp_path: Path, cache: Path):
    store = AnswerStore(tmp_path / "ada.json", course_id=COURSE, learner_id="ada")
    store.set_answer(KEY, "mine", kind="long-text")
    store.flush()
    data = (tmp_path / "ada.json").read_bytes()
    assert checked.passed(tmp_path / "ada.json", data)  # the save recorded what it wrote
    assert not checked.passed(tmp_path / "ada.json", data.replace(b"mine", b"yours"))
    assert not checked.passed(tmp_path / "bob.json", data)  # records are per file
    [record] = cache.glob("answers-*.checked")
    assert record.stat().st_mode & 0o777 == 0o600


def test_a_record_is_ignored_when_others_may_write_it_or_the_rules_changed(tmp_path: Path, cache: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    path, data = tmp_path / "ada.json", b'{"any": "bytes"}'
    checked.remember(path, data)
    [record] = cache.glob("answers-*.checked")
    record.chmod(0o622)
    assert not checked.passed(path, data)
    record.chmod(0o600)
    assert checked.passed(path, data)
    monkeypatch.setattr(checked, "rules_key", lambda: "rules of another lessonkit")
    assert not checked.passed(path, data)


def test_no_trusted_cache_folder_means_every_file_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LESSONKIT_CACHE_DIR", "off")
    path, data = tmp_path / "ada.json", b'{"any": "bytes"}'
    checked.remember(path, data)
    assert not checked.passed(path, data)


def test_only_the_most_recent_files_records_are_kept(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(checked, "KEPT_RECORDS", 3)
    paths = [tmp_path / f"visit-{i}.json" for i in range(5)]
    for age, path in enumerate(paths):
        checked.remember(path, b"{}")
        for record in cache.glob("answers-*.checked"):  # the ones written before are older
            stamp = record.stat().st_mtime_ns - 10**9
            os.utime(record, ns=(stamp, stamp))
    assert len(list(cache.glob("answers-*.checked"))) == 3
    assert [checked.passed(path, b"{}") for path in paths] == [False, False, True, True, True]
    checked.remember(paths[4], b'{"a": 1}')  # writing again to a known file makes no new record
    assert len(list(cache.glob("answers-*.checked"))) == 3
