"""Property tests of the answers loader and merge: no confirmed edit is ever lost, and nothing raises a traceback.

hypothesis draws random documents, random and hostile times, and random interleavings of two
kernels writing one file while the learner loads downloaded copies; each is checked against the
invariant. ``LESSONKIT_PROPERTY_EXAMPLES`` sets how many examples each property runs (default 100).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lessonkit import answers as A
from lessonkit import answers_merge as rule
from lessonkit.answers_model import AnswersFile, AnswersFileError, format_stamp, parse_stamp

COURSE = "careers-in-music-production"
EXAMPLES = int(os.environ.get("LESSONKIT_PROPERTY_EXAMPLES", "100"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = [f"0{n}-lesson/prompt-{p}" for n in (1, 2) for p in (1, 2)]
EPOCH = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.timezone.utc)

# ---------------------------------------------------------------- strategies
good_stamps = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2200, 1, 1)).map(
    lambda d: format_stamp(d.replace(tzinfo=dt.timezone.utc)))
hostile_stamps = st.one_of(
    st.text(max_size=30), st.integers(), st.none(), st.floats(allow_nan=True),
    st.sampled_from(["zzz", "", "2026-13-01T00:00:00Z", "2026-02-30T10:00:00Z", "9999-12-31T23:59:59.999999Z",
                     "0001-01-01T00:00:00Z", "2026-01-01T00:00:00+05:00", "2026-01-01 00:00:00", "2026-01-01T00:00:00.1234567Z",
                     "\u0662\u0660\u0662\u0666-01-01T00:00:00Z"]))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=10)
records = st.fixed_dictionaries({"value": json_values, "saved_at": st.one_of(good_stamps, hostile_stamps)},
                                optional={"rev": st.one_of(st.integers(0, 5), st.integers(), st.text(max_size=3)),
                                          "kind": st.one_of(st.none(), st.text(max_size=10), st.integers())})
any_record = st.one_of(records, json_values)
documents = st.fixed_dictionaries({
    "format": st.sampled_from(["lessonkit-answers", "lessonkit-answers", "other"]),
    "version": st.sampled_from([1, 1, 1, 0, 2, "1", True]),
    "course": st.sampled_from([COURSE, COURSE, "", "jazz"]),
    "learner": st.sampled_from(["ada", "ada", ""]),
    "answers": st.dictionaries(st.sampled_from([*KEYS, "no-slash", "a/b/c", ""]), any_record, max_size=5),
    "widgets": st.dictionaries(st.sampled_from(["w", "salary-explorer", ""]),
                               st.one_of(st.fixed_dictionaries({"state": st.dictionaries(st.text(max_size=4), json_values,
                                                                                        max_size=3),
                                                                "saved_at": st.one_of(good_stamps, hostile_stamps)}),
                                         json_values), max_size=3),
    "lessons": st.dictionaries(st.sampled_from(["01-lesson", "02-lesson"]),
                               st.one_of(st.dictionaries(st.sampled_from(["completed", "reflection", "other"]),
                                                         st.one_of(records, json_values), max_size=3), json_values),
                               max_size=2),
}, optional={"saved_at": st.one_of(good_stamps, hostile_stamps), "kept_aside": st.one_of(st.lists(json_values, max_size=2),
                                                                                          json_values)})


def not_a_time(value: Any) -> bool:
    try:
        parse_stamp(value)
    except ValueError:
        return True
    return False


def valid_doc(answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    doc = A.new_document(COURSE, "ada")
    doc["answers"] = answers
    return doc


clean_records = st.fixed_dictionaries({"value": st.text(max_size=8), "saved_at": good_stamps, "rev": st.integers(0, 3)})
clean_docs = st.dictionaries(st.sampled_from(KEYS), clean_records, max_size=4).map(valid_doc)


# ---------------------------------------------------------------- the loader
@PROFILE
@given(documents)
def test_any_document_loads_or_is_refused_with_a_sentence_and_no_record_is_dropped(doc: dict[str, Any]):
    text = json.dumps(doc)
    try:
        loaded = A.loads(text)
    except AnswersFileError as error:
        assert str(error) and "Traceback" not in str(error)
        return
    AnswersFile.model_validate(loaded)  # what loads returns always fits the model
    kept = {(e["section"], e["key"]) for e in loaded.get("kept_aside", []) if isinstance(e, dict) and "section" in e}
    for section in ("answers", "widgets"):
        for key, record in doc[section].items():
            assert loaded[section].get(key) == record or (section, key) in kept
    for lesson_id, fields in doc["lessons"].items():
        for name, record in (fields.items() if isinstance(fields, dict) else [(None, fields)]):
            here = loaded["lessons"].get(lesson_id, {}).get(name) if name is not None else None
            assert here == record or ("lessons", lesson_id if name is None else f"{lesson_id}/{name}") in kept


@PROFILE
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300),
                 st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
                 st.integers(1, 3000).map(lambda n: '{"a":' * n + "1" + "}" * n)))
def test_any_bytes_load_or_are_refused_with_a_sentence(data: bytes | str):
    try:
        A.loads(data)
    except AnswersFileError as error:
        assert str(error)


# ---------------------------------------------------------------- the merge
def answers_of(doc: dict[str, Any]) -> dict[str, Any]:
    return {key: doc["answers"][key] for key in sorted(doc["answers"])}


@PROFILE
@given(clean_docs, clean_docs, clean_docs)
def test_merge_is_the_same_in_any_order_and_keeps_the_winner_of_every_record(a, b, c):
    ab = rule.merge(a, b)
    assert answers_of(ab) == answers_of(rule.merge(b, a))
    assert answers_of(rule.merge(ab, c)) == answers_of(rule.merge(a, rule.merge(b, c)))
    assert answers_of(rule.merge(ab, ab)) == answers_of(ab)
    for key in {*a["answers"], *b["answers"]}:
        kept = ab["answers"][key]
        for side in (a, b):
            assert not rule.wins(side["answers"].get(key), kept) or side["answers"][key] == kept


# ---------------------------------------------------------------- two kernels, downloads and clocks
class Clock:
    """This computer's clock in the test: moves forward by the step drawn, or stands still."""

    def __init__(self) -> None:
        self.moment = EPOCH

    def __call__(self) -> dt.datetime:
        return self.moment


edits = st.tuples(st.just("edit"), st.sampled_from("AB"), st.sampled_from(KEYS))
flushes = st.tuples(st.just("flush"), st.sampled_from("AB"), st.none())
refreshes = st.tuples(st.just("refresh"), st.sampled_from("AB"), st.none())
imports = st.tuples(st.just("import"), st.sampled_from("AB"),
                    st.dictionaries(st.sampled_from(KEYS), st.one_of(
                        st.integers(-10**7, 10**7).map(lambda s: ("offset", s)),  # seconds from now: a foreign clock
                        good_stamps.map(lambda s: ("stamp", s)),
                        hostile_stamps.map(lambda s: ("stamp", s))), min_size=1, max_size=3))
# A hand edit sets a time years ahead or one that is not a time (one that back-dates a record says it is older).
future_stamps = st.datetimes(min_value=dt.datetime(2027, 1, 1)).map(lambda d: format_stamp(d.replace(tzinfo=dt.timezone.utc)))
hand_edits = st.tuples(st.just("hand-edit"), st.none(),
                       st.tuples(st.sampled_from(KEYS), st.one_of(future_stamps, hostile_stamps.filter(not_a_time))))
ticks = st.tuples(st.just("tick"), st.none(), st.integers(1, 5_000_000))  # microseconds
steps = st.lists(st.one_of(edits, edits, flushes, flushes, refreshes, imports, hand_edits, ticks), min_size=1, max_size=30)


def op_index(value: Any) -> int:
    """The step that wrote a value ("A:7", "I:12"); -1 for anything else."""
    head, _, step = str(value).partition(":")
    return int(step) if head in ("A", "B", "I") and step.isdigit() else -1


def run_steps(plan: list[tuple[Any, Any, Any]], clock: Clock, monkeypatch: pytest.MonkeyPatch, *, steady: bool) -> None:
    """Play ``plan``; after every step, each confirmed edit is still in the file or replaced by a later step's."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ada.json"
        stores = {name: A.AnswerStore(path, course_id=COURSE, learner_id="ada") for name in "AB"}
        edited: dict[str, dict[str, int]] = {"A": {}, "B": {}}  # store -> key -> op of its latest edit
        confirmed: dict[str, int] = {}  # key -> op of the latest edit whose save was confirmed
        for index, (kind, who, arg) in enumerate(plan, start=1):
            if steady:
                clock.moment += dt.timedelta(microseconds=1)
            if kind == "tick":
                clock.moment += dt.timedelta(microseconds=arg) * (1 if steady or arg % 3 else -40)
            elif kind == "edit":
                stores[who].set_answer(arg, f"{who}:{index}")
                edited[who][arg] = index
            elif kind == "flush":
                store = stores[who]
                store.flush()
                for key, op in edited[who].items():  # "saved": the edit, or a later step's, is what it kept
                    assert op_index(store.answer(key)) >= op, (index, key, op, store.answer(key))
                    confirmed[key] = max(confirmed.get(key, 0), op)
                edited[who] = {}
            elif kind == "refresh":
                stores[who].refresh()
            elif kind == "import":
                doc = A.new_document(COURSE, "ada")
                for key, (how, when) in arg.items():
                    saved = format_stamp(clock.moment + dt.timedelta(seconds=when)) if how == "offset" else when
                    doc["answers"][key] = {"value": f"I:{index}", "saved_at": saved}
                stores[who].import_text(json.dumps(doc))
            elif kind == "hand-edit" and path.exists():
                on_disk = json.loads(path.read_text(encoding="utf-8"))
                key, saved = arg
                if key in on_disk["answers"]:
                    on_disk["answers"][key]["saved_at"] = saved
                    path.write_text(json.dumps(on_disk), encoding="utf-8")
            on_disk = A.read_file(path) if path.exists() else None
            saved = on_disk["answers"] if on_disk else {}
            aside = [(e["key"], json.loads(e["record"])) for e in (on_disk or {}).get("kept_aside", [])]
            for key, op in confirmed.items():
                # Kept, or replaced by a later step's; or a hand edit broke its time and it is kept aside, as it was.
                kept = key in saved and op_index(saved[key]["value"]) >= op
                assert kept or any(k == key and isinstance(r, dict) and op_index(r.get("value")) >= op
                                   for k, r in aside), (index, key, op, saved.get(key))


K1, K2 = KEYS[0], KEYS[1]
FUTURE = "2027-01-01T00:00:00Z"


@PROFILE
@given(steps)
# B saves; A edits the same answer; a hand edit moves B's time to the future; A saves: A's later edit is kept.
@example([("edit", "B", K1), ("flush", "B", None), ("edit", "A", K1), ("hand-edit", None, (K1, FUTURE)),
          ("flush", "A", None)])
# A edits first, B edits and saves, then the hand edit: B's is the newer edit, so it must not be lost either.
@example([("edit", "A", K1), ("edit", "B", K1), ("flush", "B", None), ("hand-edit", None, (K1, FUTURE)),
          ("flush", "A", None)])
# B's time from the future is read by B and written back with another answer before A saves.
@example([("edit", "B", K1), ("flush", "B", None), ("edit", "A", K1), ("hand-edit", None, (K1, FUTURE)),
          ("refresh", "B", None), ("edit", "B", K2), ("flush", "B", None), ("flush", "A", None)])
# The same at the very end of time, where B's version has the higher rev.
@example([("edit", "B", K1), ("edit", "B", K1), ("flush", "B", None), ("edit", "A", K1),
          ("hand-edit", None, (K1, "9999-12-31T23:59:59.999999Z")), ("flush", "A", None)])
def test_two_kernels_imports_and_hand_edits_never_lose_a_confirmed_edit(plan):
    """This computer's clock only moves forward; downloads carry any time or none, hand edits a later one or none."""
    clock = Clock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(A, "utc_now", clock)
        patch.setattr(A.AnswerStore, "_schedule", lambda self, delay: None)  # saves happen when the plan says
        run_steps(plan, clock, patch, steady=True)


@PROFILE
@given(st.lists(st.one_of(edits, flushes, imports, hand_edits, ticks), min_size=1, max_size=30)
       .map(lambda plan: [(kind, "A" if who else who, arg) for kind, who, arg in plan]))
def test_one_kernel_whose_clock_jumps_back_never_loses_a_confirmed_edit(plan):
    """One kernel, its clock jumping back by up to 200 s now and then: each of its edits still beats what it replaced."""
    clock = Clock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(A, "utc_now", clock)
        patch.setattr(A.AnswerStore, "_schedule", lambda self, delay: None)
        run_steps(plan, clock, patch, steady=False)
