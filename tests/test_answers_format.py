"""The answers file's format apart from its model: a learner with nothing saved never loads the model, and any file
there is to read is still checked by it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from lessonkit import answers_format, answers_model, progress
from lessonkit.answers_store import AnswerStore

COURSE = "careers-in-music-production"


def test_the_model_module_re_exports_the_format_unchanged():
    """One statement of each constant and check: the model's names are the format's own objects."""
    for name in ("FORMAT", "FORMAT_VERSION", "MAX_FILE_BYTES", "MAX_DEPTH", "SECTIONS", "LESSON_FIELDS",
                 "AnswersFileError", "decode", "envelope_problems", "parse_stamp", "format_stamp", "records"):
        assert getattr(answers_model, name) is getattr(answers_format, name)


def test_a_store_with_nothing_kept_has_no_records_until_something_is(tmp_path: Path, course):
    """The store's plain records read as the typed file reads: the same values, fields, widgets and progress."""
    store = AnswerStore(tmp_path / "ada.json", course_id=COURSE, learner_id="ada")
    assert store.saved_if_any() is None
    store.set_lesson_field("01-music-producer", "completed", True)
    store.set_lesson_field("01-music-producer", "reflection", "A reflection of a few words. " * 20)
    store.set_answer("01-music-producer/definition-of-success", "mine", kind="long-text")
    store.set_widget_state("03-make-a-track/studio", {"versions": []})
    saved, typed = store.saved_if_any(), store.document()
    assert saved.lesson_value("01-music-producer", "completed") is True
    assert saved.value("01-music-producer/definition-of-success") == "mine"
    assert saved.value("01-music-producer/no-such-prompt") is None
    assert saved.lesson_value("02-can-you-make-a-living", "completed") is None
    assert list(saved.widgets) == list(typed.widgets) == ["03-make-a-track/studio"]
    assert progress.course_progress(course, saved) == progress.course_progress(course, typed)
    assert progress.course_access(course, saved) == progress.course_access(course, typed)
    store.set_answer("01-music-producer/definition-of-success", "changed", kind="long-text")
    assert saved.value("01-music-producer/definition-of-success") == "mine"  # a copy: later edits leave it be


def test_progress_reads_nothing_saved_as_the_empty_answers_file(course):
    """None (what a store with nothing kept gives progress) counts exactly as the model's empty file does."""
    assert progress.course_progress(course, None) == progress.course_progress(course, answers_model.empty())
    assert progress.course_access(course, None) == progress.course_access(course, answers_model.empty())


def _run(code: str, cwd: Path) -> dict:
    env = {**os.environ, "LESSONKIT_CACHE_DIR": str(cwd / "cache")}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True,
                         cwd=cwd, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_answers_file_means_no_model_and_a_broken_file_is_still_caught(tmp_path: Path):
    """Opening a store on a missing file and reading its progress loads neither the model nor pydantic; a file on
    disk is read through the model, and a record that fails it is kept aside, as before."""
    code = f"""
        import json, sys
        from lessonkit.answers_store import open_store
        from lessonkit.content import load_course
        from lessonkit.progress import course_progress
        store = open_store(sys.argv[1] if len(sys.argv) > 1 else {str(tmp_path / 'ada.json')!r},
                           course_id={COURSE!r}, learner_id="ada")
        course_progress(load_course(), store.saved_if_any())
        print(json.dumps({{"model": "lessonkit.answers_model" in sys.modules, "pydantic": "pydantic" in sys.modules,
                          "notices": store.notices}}))
    """
    _run("from lessonkit.content import load_course; load_course(); print('{}')", tmp_path)  # the content cache is warm, as for any lesson after the first
    assert _run(code, tmp_path) == {"model": False, "pydantic": False, "notices": []}

    doc = {"format": "lessonkit-answers", "version": 1, "course": COURSE, "learner": "ada",
           "answers": {"01-music-producer/definition-of-success": {"value": "mine", "saved_at": "not a time"}},
           "widgets": {}, "lessons": {}}
    (tmp_path / "ada.json").write_text(json.dumps(doc), encoding="utf-8")
    found = _run(code, tmp_path)
    assert found["model"] and found["pydantic"]
    assert len(found["notices"]) == 1 and "definition-of-success" in found["notices"][0]
    kept = json.loads((tmp_path / "ada.json").read_text(encoding="utf-8"))["kept_aside"]
    assert [entry["key"] for entry in kept] == ["01-music-producer/definition-of-success"]
