"""The answers store: atomic, merged, never silently overwriting, exact on export and import, with clear limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from lessonkit import answers as A
from lessonkit.answers import AnswerError, AnswersFileError, AnswerStore

from .conftest import REPO

COURSE = "careers-in-music-production"
TEXTS = {
    "01-music-producer/definition-of-success": "Success: finishing an EP 🎛️🎶 — and a café gig. Ünïcödé ✓",
    "02-can-you-make-a-living/patterns": "עברית: המפיקים חיים מכמה מקורות. العربية: دخل من التدريس 👩🏽‍🎤",
    "02-can-you-make-a-living/producer-1-name": "  spaces kept \t and tabs  ",
    "02-can-you-make-a-living/producer-2-name": "line one\nline two\r\nline three",
    "02-can-you-make-a-living/own-capacities": ["listening", "", "👨‍👩‍👧 family-emoji", "x" * 3000],
    "02-can-you-make-a-living/producer-1-streams": {"choices": ["mixing", "teaching"], "other": "newsletter, 📻"},
    "02-can-you-make-a-living/producer-3-name": "L" * A.MAX_ANSWER_CHARS,
}


def store_at(path: Path, course: str = COURSE, learner: str = "ada") -> AnswerStore:
    return AnswerStore(path, course_id=course, learner_id=learner)


def fill(store: AnswerStore) -> None:
    for key, value in TEXTS.items():
        store.set_answer(key, value, kind="long-text")
    store.set_widget_state("salary-explorer", {"target": 40000, "note": "ok ✓"})
    store.set_lesson_field("02-can-you-make-a-living", "completed", True)
    store.set_lesson_field("02-can-you-make-a-living", "reflection", "Kurz und gut. 🙂")


def test_a_saved_file_follows_the_documented_format(tmp_path: Path):
    """Every part named in the module docstring is there, and the file validates against ANSWERS_SCHEMA."""
    jsonschema = pytest.importorskip("jsonschema")
    store = store_at(tmp_path / "ada.json")
    fill(store)
    store.flush()
    doc = json.loads((tmp_path / "ada.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, A.ANSWERS_SCHEMA)
    assert (doc["format"], doc["version"], doc["course"], doc["learner"]) == (A.FORMAT, 1, COURSE, "ada")
    record = doc["answers"]["01-music-producer/definition-of-success"]
    assert record["value"] == TEXTS["01-music-producer/definition-of-success"] and record["kind"] == "long-text"
    assert A.parse_time(record["saved_at"]) <= A.parse_time(doc["saved_at"])
    assert doc["widgets"]["salary-explorer"]["state"] == {"target": 40000, "note": "ok ✓"}
    assert doc["lessons"]["02-can-you-make-a-living"]["completed"]["value"] is True


def test_changes_are_written_within_a_second_by_themselves(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    store.set_answer("01-music-producer/definition-of-success", "written without calling flush")
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        if (tmp_path / "ada.json").exists() and "without calling flush" in (tmp_path / "ada.json").read_text("utf-8"):
            break
        time.sleep(0.02)
    else:
        pytest.fail("the change was not on disk within a second")


def test_a_change_made_while_a_save_is_running_is_saved_too(tmp_path: Path):
    """Typing goes on while the background write runs: that keystroke gets its own write."""
    store = store_at(tmp_path / "ada.json")
    write = store._write

    def slow_write(*args: object) -> dict:
        time.sleep(0.3)
        return write(*args)

    store._write = slow_write  # type: ignore[method-assign]
    store.set_answer("00-start-here/x", "first")
    time.sleep(A.DEBOUNCE_SECONDS + 0.1)  # the timer has fired and is writing "first"
    store.set_answer("00-start-here/x", "typed during the write")
    time.sleep(0.3 + A.DEBOUNCE_SECONDS + 0.5)
    assert A.read_file(tmp_path / "ada.json")["answers"]["00-start-here/x"]["value"] == "typed during the write"


def test_pending_changes_are_written_when_the_kernel_exits(tmp_path: Path):
    """atexit writes what the debounce timer had not written yet."""
    path = tmp_path / "ada.json"
    code = textwrap.dedent(f"""
        from lessonkit.answers import open_store
        s = open_store({str(path)!r}, course_id={COURSE!r}, learner_id="ada")
        s.set_answer("01-music-producer/definition-of-success", "saved at exit")
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert A.read_file(path)["answers"]["01-music-producer/definition-of-success"]["value"] == "saved at exit"


def test_reopening_puts_every_answer_back(tmp_path: Path):
    first = store_at(tmp_path / "ada.json")
    fill(first)
    first.flush()
    again = store_at(tmp_path / "ada.json")
    assert again.answers() == TEXTS
    assert again.widget_state("salary-explorer") == {"target": 40000, "note": "ok ✓"}
    assert again.lesson_field("02-can-you-make-a-living", "reflection") == "Kurz und gut. 🙂"


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path: Path):
    """A reader polling during many writes only ever sees a whole file; a failed write keeps the old file."""
    path = tmp_path / "ada.json"
    store = store_at(path)
    store.set_answer("00-start-here/x", "first")
    store.flush()
    seen, stop = [], threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.append(A.read_file(path)["answers"]["00-start-here/x"]["value"])

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(150):
        store.set_answer("00-start-here/x", f"value {i} " + "y" * 5000)
        store.flush()
    stop.set()
    thread.join()
    assert seen and all(v == "first" or v.startswith("value ") for v in seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.json", "ada.json.lock"]

    def broken_replace(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    before = path.read_bytes()
    store.set_answer("00-start-here/x", "never written")
    original = os.replace
    os.replace = broken_replace  # type: ignore[assignment]
    try:
        with pytest.raises(OSError):
            store.flush()
    finally:
        os.replace = original
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.json", "ada.json.lock"]
    assert store.flush() is not None  # the change stayed pending and is written once the disk allows
    assert A.read_file(path)["answers"]["00-start-here/x"]["value"] == "never written"


@pytest.mark.parametrize("content", [b"{ not json", b"\xff\xfe\x00garbage", b'{"format": "something-else"}', b"[]",
                                     b'{"format": "lessonkit-answers", "version": 99, "course": "c", "learner": "a",'
                                     b' "answers": {}, "widgets": {}, "lessons": {}}'])
def test_an_unreadable_file_is_set_aside_and_the_learner_told(tmp_path: Path, content: bytes):
    path = tmp_path / "ada.json"
    path.write_bytes(content)
    store = store_at(path)
    (kept,) = tmp_path.glob("ada.unreadable-*.json")
    assert kept.read_bytes() == content  # moved, not changed
    assert len(store.notices) == 1 and kept.name in store.notices[0] and "not overwritten" in store.notices[0]
    store.set_answer("00-start-here/x", "fresh start")
    store.flush()
    assert kept.read_bytes() == content and A.read_file(path)["answers"]["00-start-here/x"]["value"] == "fresh start"


def test_a_file_from_another_course_is_never_overwritten(tmp_path: Path):
    path = tmp_path / "ada.json"
    other = store_at(path, course="jazz-piano")
    other.set_answer("01-voicings/x", "jazz answer")
    other.flush()
    A._STORES.clear()
    mine = store_at(path)
    assert "belongs to the course 'jazz-piano'" in mine.notices[0]
    (kept,) = tmp_path.glob("ada.unreadable-*.json")
    assert A.read_file(kept)["answers"]["01-voicings/x"]["value"] == "jazz answer"


def test_the_lesson_says_when_a_file_was_set_aside(tmp_path: Path):
    import lessonkit

    (tmp_path / "zoe.json").write_text("not json at all", encoding="utf-8")
    lesson = lessonkit.open_lesson("01-music-producer", learner_id="zoe", answers_dir=str(tmp_path))
    assert "zoe.unreadable-" in lesson.summary() and "not overwritten" in lesson._repr_html_()


WRITER = textwrap.dedent("""
    import sys
    from lessonkit.answers import AnswerStore
    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = AnswerStore(path, course_id="careers-in-music-production", learner_id="ada")
    for i in range(count):
        store.set_answer(f"02-can-you-make-a-living/{name}-{i}", f"{name} answer {i} ✓")
        if i % 3 == 0:
            store.set_answer("02-can-you-make-a-living/shared", f"{name} {i}")
        store.flush()
""")


def test_two_kernels_saving_to_one_file_lose_nothing(tmp_path: Path):
    """Two processes writing the same file at once: every answer of both is in the file afterwards."""
    path = tmp_path / "ada.json"
    count = 120
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(count)]) for name in ("left", "right")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    saved = A.read_file(path)["answers"]
    for name in ("left", "right"):
        for i in range(count):
            assert saved[f"02-can-you-make-a-living/{name}-{i}"]["value"] == f"{name} answer {i} ✓"
    assert saved["02-can-you-make-a-living/shared"]["value"].split()[1] == str(count - 1 - (count - 1) % 3)


def test_merge_keeps_each_record_from_whichever_side_saved_it_last():
    base = A.new_document(COURSE, "ada")
    other = A.new_document(COURSE, "ada")
    base["answers"]["a/x"] = {"value": "old", "saved_at": "2026-01-01T10:00:00.000000Z"}
    other["answers"]["a/x"] = {"value": "new", "saved_at": "2026-01-01T10:00:01.000000Z"}
    base["answers"]["a/only-here"] = {"value": 1, "saved_at": "2026-01-01T09:00:00.000000Z"}
    other["lessons"]["a"] = {"completed": {"value": True, "saved_at": "2026-01-01T08:00:00.000000Z"}}
    merged = A.merge(base, other)
    assert merged["answers"]["a/x"]["value"] == "new" and merged["answers"]["a/only-here"]["value"] == 1
    assert merged["lessons"]["a"]["completed"]["value"] is True
    assert A.merge(other, base)["answers"] == merged["answers"]


def test_export_then_import_is_an_exact_round_trip(tmp_path: Path):
    """Unicode, emoji, right-to-left text, whitespace, line endings and a 20,000-character answer come back byte for byte."""
    home = store_at(tmp_path / "home" / "ada.json")
    fill(home)
    exported = home.export_text()
    away = store_at(tmp_path / "away" / "ada.json", learner="learner")
    report = away.import_text(exported.encode("utf-8"), name="ada-answers.json")
    assert report.added == len(TEXTS) + 3 and report.updated == report.kept == 0
    assert away.answers() == TEXTS
    for key in TEXTS:
        assert away.answer_saved_at(key) == home.answer_saved_at(key)
    again = json.loads(away.export_text())
    original = json.loads(exported)
    for part in A.SECTIONS:
        assert again[part] == original[part]
    away.flush()
    assert A.read_file(tmp_path / "away" / "ada.json")["answers"] == original["answers"]


def test_a_lone_surrogate_from_the_browser_still_saves_and_round_trips(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    store.set_answer("00-start-here/x", "half an emoji \ud83c")
    store.flush()
    assert A.read_file(tmp_path / "ada.json")["answers"]["00-start-here/x"]["value"] == "half an emoji \ud83c"


def test_an_older_import_does_not_overwrite_newer_work(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    store.set_answer("00-start-here/x", "old")
    old_copy = store.export_text()
    store.set_answer("00-start-here/x", "newer")
    report = store.import_text(old_copy)
    assert store.answer("00-start-here/x") == "newer" and report.kept == 1
    assert "kept as they were here" in str(report)


def test_limits_have_clear_messages(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    with pytest.raises(AnswerError, match="20,001 characters long; the most one answer can hold is 20,000"):
        store.set_answer("00-start-here/x", "x" * 20_001)
    with pytest.raises(AnswerError, match="20,000"):
        store.set_answer("00-start-here/x", ["x" * 10_000, "y" * 10_001])
    assert store.answer("00-start-here/x") is None
    big = b'{"format": "lessonkit-answers", "pad": "' + b"x" * A.MAX_FILE_BYTES + b'"}'
    with pytest.raises(AnswersFileError, match=r"is 5\.0 MB; an answers file is at most 5 MB"):
        store.import_text(big, name="The file huge.json")
    foreign = A.new_document("jazz-piano", "ada")
    foreign["answers"]["01-x/y"] = {"value": "v", "saved_at": A.now()}
    with pytest.raises(AnswersFileError, match="course 'jazz-piano'.*Nothing was loaded"):
        store.import_text(json.dumps(foreign), name="The file jazz.json")
    with pytest.raises(AnswersFileError, match="not readable JSON"):
        store.import_text(b"\x89PNG\r\n", name="The file photo.png")
    with pytest.raises(AnswersFileError, match="not a lessonkit answers file"):
        store.import_text(b'{"cells": []}', name="The file lesson.ipynb")
    assert store.answers() == {}


def test_a_folder_that_cannot_be_written_is_reported_and_retried(tmp_path: Path):
    """A failed background save is announced to listeners and the change stays pending."""
    path = tmp_path / "ada.json"
    store = store_at(path)
    heard: list[tuple[str | None, str | None]] = []
    store.on_saved(lambda saved, error: heard.append((saved, error)))
    (tmp_path / "ada.json.lock").mkdir()  # the lock cannot be opened: saving fails
    store.set_answer("00-start-here/x", "kept in memory")
    time.sleep(A.DEBOUNCE_SECONDS + 0.4)
    assert heard and heard[-1][0] is None and "could not be saved yet" in heard[-1][1]
    (tmp_path / "ada.json.lock").rmdir()
    assert store.flush() is not None
    assert A.read_file(path)["answers"]["00-start-here/x"]["value"] == "kept in memory"


@pytest.mark.parametrize("value", ["../escape", "a b", "", "con", "x" * 65, "-dash-first", "ünï/x"])
def test_learner_ids_that_cannot_name_a_file_are_refused(value: str, tmp_path: Path):
    import lessonkit
    from lessonkit.errors import ParameterError

    if value == "":
        assert lessonkit.open_lesson("00-start-here", answers_dir=str(tmp_path)).store.path.name == "learner.json"
        return
    with pytest.raises(ParameterError, match="learner_id.*letters, digits"):
        lessonkit.open_lesson("00-start-here", learner_id=value, answers_dir=str(tmp_path))


def test_answers_dir_must_be_a_folder_that_can_be_written(tmp_path: Path):
    import lessonkit
    from lessonkit.errors import ParameterError

    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ParameterError, match="answers_dir.*is a file"):
        lessonkit.open_lesson("00-start-here", answers_dir=str(tmp_path / "a-file"))
    lesson = lessonkit.open_lesson("00-start-here", learner_id="zoë", answers_dir=str(tmp_path / "new" / "folder"))
    assert lesson.store.path == (tmp_path / "new" / "folder" / "zoë.json").resolve()
    assert "zoë" in lesson._repr_html_()


def test_the_default_folder_is_the_repositorys_ignored_answers_folder(monkeypatch: pytest.MonkeyPatch):
    from lessonkit.lesson import default_answers_dir

    monkeypatch.delenv("LESSONKIT_ANSWERS")
    assert default_answers_dir() == REPO / "answers"
    assert "answers/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()  # never committed


def test_export_writes_markdown_and_an_escaped_web_page(tmp_path: Path, course):
    """`lessonkit export` hands in every answer; learner text can never become markup."""
    from .test_cli import cli

    store = store_at(tmp_path / "ada.json")
    fill(store)
    store.set_answer("01-music-producer/definition-of-success", "<script>alert('x')</script> *bold* # not a heading")
    store.set_answer("02-can-you-make-a-living/producer-1-sources", ["https://example.com/a?b=1&c=2", "a magazine"])
    store.flush()
    result = cli("export", "--answers", str(tmp_path / "ada.json"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    md = (tmp_path / "out" / "ada-answers.md").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "ada-answers.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">' in page and 'dir="auto"' in page
    assert "עברית" in page and "👩🏽‍🎤" in page and "עברית" in md
    assert "\\<script\\>" in md and "\\*bold\\*" in md and "\\# not a heading" in md
    assert "## Lesson 02 · Can You Make a Living Making Music?" in md and "Producer 1 · Who you looked into" in md

    foreign = store_at(tmp_path / "jazz.json", course="jazz-piano")
    foreign.set_answer("01-x/y", "v")
    foreign.flush()
    result = cli("export", "--answers", str(tmp_path / "jazz.json"), "--out", str(tmp_path / "out2"))
    assert result.returncode == 1 and "jazz-piano" in result.stderr and "Traceback" not in result.stderr
    result = cli("export", "--answers", str(tmp_path / "missing.json"))
    assert result.returncode == 1 and "cannot be read" in result.stderr


def test_an_answers_dir_with_a_nul_byte_gets_a_sentence_not_a_valueerror(tmp_path: Path):
    import lessonkit
    from lessonkit.errors import ParameterError

    with pytest.raises(ParameterError, match=r"answers_dir.*cannot hold a NUL character"):
        lessonkit.open_lesson("00-start-here", answers_dir=str(tmp_path) + "/a\x00b")
