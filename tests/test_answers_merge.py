"""The merge rule and the typed answers file: clocks, hand edits and hostile files never lose an edit made here."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lessonkit import answers as A
from lessonkit import answers_merge as rule
from lessonkit.answers import AnswersFileError, AnswerStore
from lessonkit.answers_model import MAX_DEPTH, AnswersFile, nesting_depth, parse, parse_stamp

COURSE = "careers-in-music-production"
KEY = "02-can-you-make-a-living/patterns"


def store_at(path: Path) -> AnswerStore:
    return AnswerStore(path, course_id=COURSE, learner_id="ada")


def stamp(delta: dt.timedelta) -> str:
    return A.format_stamp(A.utc_now() + delta)


def downloaded(**records: dict) -> str:
    """A downloaded answers file holding ``records`` under their answer keys."""
    doc = A.new_document(COURSE, "ada")
    doc["answers"].update(records)
    return json.dumps(doc)


@pytest.mark.parametrize("ahead", [dt.timedelta(minutes=5), dt.timedelta(days=365 * 30)])
def test_an_edit_after_loading_a_file_from_a_fast_clock_is_kept(tmp_path: Path, ahead: dt.timedelta):
    """Load my answers from a laptop whose clock runs ahead, then edit: the edit is saved and stays."""
    store = store_at(tmp_path / "ada.json")
    store.set_answer(KEY, "before")
    store.flush()
    report = store.import_text(downloaded(**{KEY: {"value": "from the laptop", "saved_at": stamp(ahead)}}))
    assert report.updated == 1 and store.answer(KEY) == "from the laptop"
    store.set_answer(KEY, "edited after loading")
    store.flush()
    store.refresh()
    assert store.answer(KEY) == "edited after loading"
    assert A.read_file(tmp_path / "ada.json")["answers"][KEY]["value"] == "edited after loading"
    again = store_at(tmp_path / "ada.json")  # another kernel, later
    assert again.answer(KEY) == "edited after loading"


def test_a_time_from_the_future_is_left_as_written_and_an_edit_made_here_beats_it(tmp_path: Path):
    """A hand edit years ahead is loaded as it is (not made "now", not written back); the learner's edit wins."""
    path = tmp_path / "ada.json"
    doc = A.new_document(COURSE, "ada")
    doc["answers"][KEY] = {"value": "hand edited", "saved_at": "2099-01-01T00:00:00Z"}
    path.write_text(json.dumps(doc), encoding="utf-8")
    store = store_at(path)
    assert store.answer(KEY) == "hand edited" and store.flush() is None  # nothing to write back
    assert A.read_file(path)["answers"][KEY]["saved_at"] == "2099-01-01T00:00:00Z"
    store.set_answer(KEY, "mine")
    store.flush()
    saved = A.read_file(path)
    assert saved["answers"][KEY]["value"] == "mine" and store_at(path).answer(KEY) == "mine"
    assert "kept_aside" not in saved and not store.notices  # the version the edit replaced is not kept aside


def two_kernels_and_a_future_time(path: Path, *, a_edits_first: bool, future: str) -> tuple[AnswerStore, AnswerStore]:
    """Kernels A and B edit one answer (B twice), B saves, a hand edit moves B's time to ``future``, then A saves."""
    a, b = store_at(path), store_at(path)
    b.set_answer(KEY, "B's first edit")
    first, second = (a, b) if a_edits_first else (b, a)
    first.set_answer(KEY, "A's edit" if first is a else "B's edit")
    if not a_edits_first:
        b.flush()
    second.set_answer(KEY, "A's edit" if second is a else "B's edit")
    if a_edits_first:
        b.flush()
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    on_disk["answers"][KEY]["saved_at"] = future
    path.write_text(json.dumps(on_disk), encoding="utf-8")
    a.flush()
    return a, b


@pytest.mark.parametrize("future", ["2099-06-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"], ids=["2099", "end of time"])
@pytest.mark.parametrize("a_edits_first", [False, True], ids=["B's save is older", "B's save is newer"])
def test_an_edit_made_here_beats_a_time_from_the_future_and_the_other_version_is_kept_aside(tmp_path: Path,
                                                                                            a_edits_first: bool,
                                                                                            future: str):
    """No clock can tell which edit came last: A's edit waiting to be saved wins, B's is kept aside, as it was."""
    path = tmp_path / "ada.json"
    a, b = two_kernels_and_a_future_time(path, a_edits_first=a_edits_first, future=future)
    saved = A.read_file(path)
    AnswersFile.model_validate(saved)
    assert saved["answers"][KEY]["value"] == "A's edit" and a.answer(KEY) == "A's edit"
    (entry,) = saved["kept_aside"]
    record = json.loads(entry["record"])
    assert (entry["section"], entry["key"], record["value"]) == ("answers", KEY, "B's edit")
    assert record["saved_at"] == future and entry["reason"].startswith(rule.FUTURE_REASON)
    (notice,) = a.notices
    assert KEY in notice and "kept aside" in notice
    b.refresh()
    assert b.answer(KEY) == "A's edit"


def test_a_time_from_the_future_written_back_by_another_kernel_still_loses_to_an_edit_made_here(tmp_path: Path):
    """Kernel C reads the future time and saves other work: the time stays as written, so A's edit still wins."""
    path = tmp_path / "ada.json"
    a, b = store_at(path), store_at(path)
    b.set_answer(KEY, "B's edit")
    b.flush()
    a.set_answer(KEY, "A's edit")
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    on_disk["answers"][KEY]["saved_at"] = "2099-06-01T00:00:00Z"
    path.write_text(json.dumps(on_disk), encoding="utf-8")
    c = store_at(path)
    c.set_answer("02-can-you-make-a-living/other", "C's work")
    c.flush()
    assert A.read_file(path)["answers"][KEY]["saved_at"] == "2099-06-01T00:00:00Z"
    a.flush()
    saved = A.read_file(path)
    assert saved["answers"][KEY]["value"] == "A's edit"
    assert saved["answers"]["02-can-you-make-a-living/other"]["value"] == "C's work"


def test_rebase_moves_an_edit_after_a_future_version_and_keeps_that_version_aside():
    moment = parse_stamp("2026-11-21T09:00:00Z")
    mine = A.new_document(COURSE, "ada")
    mine["answers"][KEY] = {"value": "here", "saved_at": "2026-11-21T08:59:00Z", "rev": 1}
    theirs = A.new_document(COURSE, "ada")
    theirs["answers"][KEY] = {"value": "there", "saved_at": "2026-11-21T09:00:01Z", "rev": 3}
    pending = {("answers", KEY): None}
    out = rule.merge(rule.rebase(mine, theirs, pending, moment), theirs)
    assert out["answers"][KEY]["value"] == "here"
    assert parse_stamp(out["answers"][KEY]["saved_at"]) == parse_stamp("2026-11-21T09:00:01Z") + rule.ONE_TICK
    assert [json.loads(e["record"]) for e in out["kept_aside"]] == [theirs["answers"][KEY]]
    assert mine["answers"][KEY]["value"] == "here" and "kept_aside" not in mine  # pure: the input is unchanged
    # The same version at a time that can be trusted (not after the moment) was saved later: it wins (rule 3).
    later = parse_stamp("2026-11-21T09:00:02Z")
    assert rule.merge(rule.rebase(mine, theirs, pending, later), theirs)["answers"][KEY]["value"] == "there"


def test_a_hand_edit_between_an_edit_and_its_save_cannot_undo_the_edit(tmp_path: Path):
    """The version an edit replaced comes back from disk with a time years ahead: the edit still wins."""
    path = tmp_path / "ada.json"
    store = store_at(path)
    store.set_answer(KEY, "first")
    store.flush()
    store.set_answer(KEY, "second, not saved yet")
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    on_disk["answers"][KEY]["saved_at"] = "2099-12-31T23:59:59.999999Z"
    path.write_text(json.dumps(on_disk), encoding="utf-8")
    store.flush()
    assert A.read_file(path)["answers"][KEY]["value"] == "second, not saved yet"
    assert store.answer(KEY) == "second, not saved yet"


def test_between_sane_clocks_the_newest_save_wins(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    store.set_answer(KEY, "here, now")
    older = store.import_text(downloaded(**{KEY: {"value": "yesterday", "saved_at": stamp(-dt.timedelta(days=1))}}))
    assert older.kept == 1 and store.answer(KEY) == "here, now"
    newer = store.import_text(downloaded(**{KEY: {"value": "a second ago elsewhere", "saved_at": stamp(dt.timedelta())}}))
    assert newer.updated == 1 and store.answer(KEY) == "a second ago elsewhere"


def test_each_edit_counts_one_revision_and_is_stamped_after_the_last():
    old = {"value": "a", "saved_at": "2099-01-01T00:00:00Z", "rev": 4}
    assert parse_stamp(rule.stamp_after(old, A.utc_now())) == parse_stamp(old["saved_at"]) + rule.ONE_TICK
    same_time = {"value": "b", "saved_at": old["saved_at"], "rev": 5}
    assert rule.wins(same_time, old) and not rule.wins(old, same_time)


@pytest.mark.parametrize("bad, why", [
    ({"value": "v", "saved_at": "zzz"}, "is not a date and time"),
    ({"value": "v", "saved_at": "2026-13-45T25:61:00Z"}, "is not a date and time"),
    ({"value": "v", "saved_at": 1700000000}, "is not a date and time"),
    ({"value": "v", "saved_at": "2026-01-01T00:00:00+05:00"}, "is not a date and time"),
    ({"value": "v"}, "is not a date and time"),
    ({"saved_at": "2026-01-01T00:00:00Z"}, "has no 'value'"),
    ({"value": "v", "saved_at": "2026-01-01T00:00:00Z", "rev": -3}, "'rev'"),
    ("just text", "not what was expected"),
])
def test_a_record_that_fails_the_model_is_kept_aside_and_reported(tmp_path: Path, bad: object, why: str):
    path = tmp_path / "ada.json"
    doc = A.new_document(COURSE, "ada")
    doc["answers"][KEY] = bad
    doc["answers"]["02-can-you-make-a-living/fine"] = {"value": "kept", "saved_at": A.now()}
    path.write_text(json.dumps(doc), encoding="utf-8")
    store = store_at(path)
    assert store.answer("02-can-you-make-a-living/fine") == "kept" and store.answer(KEY) is None
    (notice,) = store.notices
    assert KEY in notice and why in notice and "kept aside" in notice
    assert not list(tmp_path.glob("*.unreadable-*"))  # one bad record never sets the whole file aside
    store.flush()
    saved = A.read_file(path)
    (entry,) = saved["kept_aside"]
    assert (entry["section"], entry["key"], json.loads(entry["record"])) == ("answers", KEY, bad)
    AnswersFile.model_validate(saved)
    report = store_at(tmp_path / "other.json").import_text(json.dumps(doc))
    assert report.kept_aside == 1 and "kept aside" in str(report)


def test_the_schema_is_generated_from_the_model():
    jsonschema = pytest.importorskip("jsonschema")
    assert A.ANSWERS_SCHEMA["title"] == "lessonkit answers file"
    doc = A.new_document(COURSE, "ada")
    doc["answers"][KEY] = {"value": "x", "saved_at": "zzz"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, A.ANSWERS_SCHEMA)


def test_the_schema_in_the_docs_is_the_one_the_command_prints(capsys):
    """docs/answers-schema.json is generated (`lessonkit schema --out docs/answers-schema.json`); it never drifts."""
    from lessonkit.answers_model import SCHEMA_DOC, schema_text
    from lessonkit.cli import main

    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == A.ANSWERS_SCHEMA
    shipped = (Path(__file__).resolve().parent.parent / SCHEMA_DOC).read_text(encoding="utf-8")
    assert shipped == printed == schema_text(), f"{SCHEMA_DOC} is out of date: run lessonkit schema --out {SCHEMA_DOC}"


@pytest.mark.parametrize("record, why", [
    ({"value": float("nan"), "saved_at": "2026-11-21T08:41:05Z"}, "not a number"),
    ({"value": [1, float("inf")], "saved_at": "2026-11-21T08:41:05Z"}, "not a number"),
    ({"value": "x", "saved_at": "last tuesday"}, "not a date and time"),
])
def test_records_the_model_refuses_are_kept_aside_with_the_reason(record, why):
    doc = A.new_document(COURSE, "ada")
    doc["answers"][KEY] = record
    found, kept = parse(json.dumps(doc), found_at=A.now())
    assert KEY not in found["answers"] and why in kept[0]
    assert json.loads(found["kept_aside"][0]["record"]).keys() == record.keys()  # kept exactly as found
    AnswersFile.model_validate(found)


def test_a_completed_mark_that_is_not_true_or_false_is_kept_aside():
    doc = A.new_document(COURSE, "ada")
    doc["lessons"]["01-x"] = {"completed": {"value": "yes", "saved_at": "2026-11-21T08:41:05Z"}}
    found, kept = parse(json.dumps(doc), found_at=A.now())
    assert found["lessons"] == {} and "completed" in kept[0]


def test_the_store_refuses_a_number_that_is_not_a_number(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    with pytest.raises(ValueError, match="plain JSON"):
        store.set_answer(KEY, float("nan"))
    assert store.answer(KEY) is None


def hostile_files() -> dict[str, bytes]:
    good = A.new_document(COURSE, "ada")
    return {
        "100,000 brackets": b"[" * 100_000 + b"]" * 100_000,
        "100,000 braces in a record": json.dumps(good).replace('"answers": {}', '"answers": {"a/b": ' + '{"v":' * 50_000 + "1" + "}" * 50_000 + "}").encode(),
        "over 5 MB": b'{"format": "lessonkit-answers", "pad": "' + b"x" * A.MAX_FILE_BYTES + b'"}',
        "not UTF-8": b"\xff\xfe\x00\x00garbage",
        "a JSON list": b"[]",
        "NUL bytes": b"\x00" * 100,
        "a newer format": json.dumps({**good, "version": 99}).encode(),
        "course id a number": json.dumps({**good, "course": 7}).encode(),
        "answers a list": json.dumps({**good, "answers": []}).encode(),
        "saved_at not a time": json.dumps({**good, "saved_at": "yesterday"}).encode(),
    }


@pytest.mark.parametrize("name", list(hostile_files()))
def test_a_hostile_file_is_set_aside_untouched_with_a_sentence(tmp_path: Path, name: str):
    content = hostile_files()[name]
    path = tmp_path / "ada.json"
    path.write_bytes(content)
    store = store_at(path)
    (kept,) = tmp_path.glob("ada.unreadable-*.json")
    assert kept.read_bytes() == content
    (notice,) = store.notices
    assert "not overwritten" in notice and "Traceback" not in notice and len(notice) < 600
    with pytest.raises(AnswersFileError):
        store.import_text(content, name="The file upload.json")
    assert store.answers() == {}


def test_a_deeply_nested_file_opens_the_lesson_and_export_says_why(tmp_path: Path):
    """The issue's 100,000 brackets: the lesson opens with a notice, export prints one line."""
    import lessonkit

    from .test_cli import cli

    (tmp_path / "zoe.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    result = cli("export", "--answers", str(tmp_path / "zoe.json"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "nests too deeply" in result.stderr and "Traceback" not in result.stderr
    lesson = lessonkit.open_lesson("01-music-producer", learner_id="zoe", answers_dir=str(tmp_path))
    assert "nests too deeply" in lesson._repr_html_() and "zoe.unreadable-" in lesson.summary()


def test_the_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A huge file is refused from its size alone: no byte of it is read."""
    path = tmp_path / "ada.json"
    with open(path, "wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GB, sparse
    reads: list[int] = []
    real_open = open

    class Spy:
        def __init__(self, handle): self.handle = handle
        def __enter__(self): return self
        def __exit__(self, *a): self.handle.close()
        def fileno(self): return self.handle.fileno()
        def read(self, n=-1):
            reads.append(n)
            return self.handle.read(n)

    monkeypatch.setattr("builtins.open", lambda p, mode="r", *a, **k: Spy(real_open(p, mode, *a, **k))
                        if str(p) == str(path) else real_open(p, mode, *a, **k))
    with pytest.raises(AnswersFileError, match=r"is 3221\.2 MB; an answers file is at most 5 MB"):
        A.read_bytes_bounded(path, what="The answers file ada.json")
    assert reads == []


def test_values_too_deep_to_save_are_refused_with_a_message(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    nested: object = "x"
    for _ in range(MAX_DEPTH):
        nested = [nested]
    with pytest.raises(A.AnswerError, match="nests lists more than"):
        store.set_answer(KEY, nested)
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(ValueError):
        store.set_answer(KEY, nested)
    assert store.answer(KEY) is None


def test_nesting_is_counted_without_parsing():
    assert nesting_depth('{"a": [1, {"b": "[[[[[[["}]}') == 3
    assert nesting_depth("[" * 100_000) == MAX_DEPTH + 1  # stops counting past the limit
    assert nesting_depth('"\\"[[[" ') == 0


def test_a_file_written_by_the_store_always_reads_back(tmp_path: Path):
    """The writer checks against the model what the reader will: a file it writes is never set aside."""
    code = f"""
from lessonkit.answers import AnswerStore
s = AnswerStore({str(tmp_path / 'ada.json')!r}, course_id={COURSE!r}, learner_id="ada")
v = "x"
for _ in range(27):
    v = [v]
s.set_answer({KEY!r}, v)
s.set_widget_state("w", {{"deep": v}})
s.flush()
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    store = store_at(tmp_path / "ada.json")
    assert store.notices == [] and store.widget_state("w") is not None


def test_export_hands_in_the_readable_answers_and_names_what_was_kept_aside(tmp_path: Path):
    from .test_cli import cli

    doc = A.new_document(COURSE, "ada")
    doc["answers"]["01-music-producer/definition-of-success"] = {"value": "Finishing an EP", "saved_at": A.now()}
    doc["answers"][KEY] = {"value": "broken time", "saved_at": "zzz"}
    (tmp_path / "ada.json").write_text(json.dumps(doc), encoding="utf-8")
    result = cli("export", "--answers", str(tmp_path / "ada.json"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0 and "1 saved record(s)" in result.stderr and "kept aside" in result.stderr
    assert "Finishing an EP" in (tmp_path / "out" / "ada-answers.md").read_text(encoding="utf-8")


def test_loading_one_file_twice_changes_nothing_the_second_time(tmp_path: Path):
    store = store_at(tmp_path / "ada.json")
    text = downloaded(**{KEY: {"value": "from the laptop", "saved_at": stamp(dt.timedelta(minutes=5))}})
    assert store.import_text(text).added == 1
    again = store.import_text(text)
    assert (again.added, again.updated, again.kept) == (0, 0, 0) and store.answer(KEY) == "from the laptop"
