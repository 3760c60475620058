"""The answers file as one typed model: what every answers file must be, checked on load and before writing.

:class:`AnswersFile` is the format (version 1) described in :mod:`lessonkit.answers`; the JSON
Schema :data:`ANSWERS_SCHEMA` is generated from it. The store, the hand-in, progress and the
teacher's collect can all read a file through :func:`parse`, which never raises anything but
:class:`AnswersFileError` (a sentence a learner understands) and never drops a record: a record
that fails the model is moved, as it was, to the file's ``kept_aside`` list with the reason.

Reading is bounded before any parsing (:mod:`lessonkit.answers_format`, whose names this module
re-exports): the size first (:data:`MAX_FILE_BYTES`), then the nesting depth of the raw text
(:data:`MAX_DEPTH`), so a hostile file can cost neither memory nor a RecursionError. Only what needs
the model lives here, so the store imports it when it first reads or writes a file.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, JsonValue, StringConstraints, TypeAdapter,
                      ValidationError)

from .answers_format import (FORMAT, FORMAT_VERSION, LESSON_FIELDS, MAX_DEPTH, MAX_FILE_BYTES, MAX_KEY_CHARS,
                             SECTIONS, STAMP_PATTERN, AnswersFileError, decode, envelope_problems, format_stamp,
                             nesting_depth, parse_stamp, records, too_big)

__all__ = ["ANSWERS_SCHEMA", "EMPTY", "FORMAT", "FORMAT_VERSION", "LESSON_FIELDS", "MAX_DEPTH", "MAX_FILE_BYTES",
           "MAX_KEY_CHARS", "SCHEMA_DOC", "SECTIONS", "STAMP_PATTERN", "AnswerRecord", "AnswersFile",
           "AnswersFileError", "CompletedRecord", "KeptAside", "LessonProgress", "Record", "ReflectionRecord",
           "WidgetRecord", "answers_schema", "decode", "empty", "envelope_problems", "format_stamp", "nesting_depth",
           "parse", "parse_stamp", "reason", "record_problem", "records", "schema_text", "set_aside_records",
           "too_big", "typed", "validate"]


# ---------------------------------------------------------------- what a record's values must be
def _valid_stamp(stamp: str) -> str:
    parse_stamp(stamp)
    return stamp


def _finite(value: Any) -> Any:
    """JSON data whose numbers are all finite: NaN and Infinity are not JSON, and no other reader takes them."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("it holds a number that is not a number (NaN or Infinity)")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


Stamp = Annotated[str, StringConstraints(pattern=STAMP_PATTERN), AfterValidator(_valid_stamp)]
FiniteJson = Annotated[JsonValue, AfterValidator(_finite)]
AnswerKey = Annotated[str, StringConstraints(pattern=r"^[^/]+/.+$", max_length=MAX_KEY_CHARS)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=MAX_KEY_CHARS)]


# ---------------------------------------------------------------- the model
class Record(BaseModel):
    """What every saved record carries: when it was saved, and how many edits it has been through."""

    model_config = ConfigDict(extra="allow", strict=True)

    saved_at: Stamp = Field(description="UTC, ISO 8601 with a Z: when this version was saved")
    rev: int = Field(0, ge=0, description="edits this record has been through (one more than the version it "
                                          "replaced); 0 in files written before it was kept")


class AnswerRecord(Record):
    value: FiniteJson = Field(description="the answer: text, a list, {\"choices\": [...], \"other\": \"...\"}")
    kind: str | None = Field(None, description="the prompt kind that wrote it")


class WidgetRecord(Record):
    state: Annotated[dict[str, JsonValue], AfterValidator(_finite)] = Field(description="a lesson widget's settings")


class CompletedRecord(Record):
    value: bool


class ReflectionRecord(Record):
    value: str


class LessonProgress(BaseModel):
    """One lesson's progress; each field is saved on its own."""

    model_config = ConfigDict(extra="forbid", strict=True)

    completed: CompletedRecord | None = None
    reflection: ReflectionRecord | None = None


class KeptAside(BaseModel):
    """A record that could not be read, kept exactly as it was found, with the reason."""

    model_config = ConfigDict(extra="allow")

    section: str
    key: str
    reason: str
    found_at: Stamp
    record: str = Field(description="the record's JSON text, exactly as it was found")


class AnswersFile(BaseModel):
    """One learner's answers file (format version 1)."""

    model_config = ConfigDict(extra="allow", strict=True, title="lessonkit answers file")

    format: Literal["lessonkit-answers"]
    version: int = Field(ge=1, le=FORMAT_VERSION)
    course: Annotated[str, StringConstraints(min_length=1, max_length=MAX_KEY_CHARS)]
    learner: Annotated[str, StringConstraints(min_length=1, max_length=MAX_KEY_CHARS)]
    created_at: Stamp | None = None
    saved_at: Stamp | None = None
    answers: dict[AnswerKey, AnswerRecord] = Field(description="prompt answers, keyed <lesson id>/<prompt id>")
    widgets: dict[Key, WidgetRecord] = Field(description="other lesson widgets' state, by widget key")
    lessons: dict[Key, LessonProgress] = Field(description="progress, per lesson id")
    kept_aside: list[KeptAside] = Field(default_factory=list, description="records that could not be read, and "
                                                                          "versions an edit made here replaced though "
                                                                          "dated in the future, kept as they were")

    # -- reading it (what progress, the hand-in, collect and the report use)
    def value(self, key: str) -> Any:
        """The answer saved under ``key`` (``<lesson id>/<prompt id>``), or None."""
        record = self.answers.get(key)
        return record.value if record else None

    def values(self) -> dict[str, Any]:
        """Every answer's value, by key."""
        return {key: record.value for key, record in self.answers.items()}

    def lesson_value(self, lesson_id: str, name: str) -> Any:
        """A lesson field's value (``completed`` or ``reflection``), or None."""
        fields = self.lessons.get(lesson_id)
        record = getattr(fields, name, None) if fields else None
        return record.value if record else None

    def records(self, lesson_id: str | None = None) -> list[Record]:
        """Every record (or only ``lesson_id``'s answers and fields; widgets belong to no one lesson)."""
        found: list[Record] = [r for key, r in self.answers.items()
                               if lesson_id is None or key.startswith(lesson_id + "/")]
        if lesson_id is None:
            found += list(self.widgets.values())
        for name, fields in self.lessons.items():
            if lesson_id is None or name == lesson_id:
                found += [r for r in (fields.completed, fields.reflection) if r is not None]
        return found


def typed(doc: dict[str, Any]) -> AnswersFile:
    """A checked document (from :func:`parse` or the store) as the typed :class:`AnswersFile`."""
    return AnswersFile.model_validate(doc)


# What only some readers need is made on first use, not on import: a lesson kernel whose Run All
# reads no answers file would otherwise build them for nothing.
@functools.cache
def empty() -> AnswersFile:
    """An answers file with nothing in it: what progress and the report read for a learner who handed nothing in."""
    return AnswersFile(format=FORMAT, version=FORMAT_VERSION, course="-", learner="-", answers={}, widgets={},
                       lessons={})


@functools.cache
def answers_schema() -> dict[str, Any]:
    """The answers file's JSON Schema, generated from :class:`AnswersFile` (also :data:`ANSWERS_SCHEMA`)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **AnswersFile.model_json_schema()}


#: Names made on first use (see above), still readable as module attributes.
_ON_FIRST_USE = {"EMPTY": empty, "ANSWERS_SCHEMA": answers_schema}


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        return _ON_FIRST_USE[name]()
    raise AttributeError(f"module 'lessonkit.answers_model' has no attribute {name!r}")


#: Where the docs keep a copy of the schema (written by ``lessonkit schema --out``; a test fails when it drifts).
SCHEMA_DOC = "docs/answers-schema.json"


def schema_text() -> str:
    """The answers file's JSON Schema as the text ``lessonkit schema`` prints and the docs keep."""
    return json.dumps(answers_schema(), indent=2, ensure_ascii=False) + "\n"


# Which model checks a record, by where it sits: (section, lesson field or None).
_RECORD_MODELS: dict[tuple[str, str | None], type[Record]] = {
    ("answers", None): AnswerRecord,
    ("widgets", None): WidgetRecord,
    ("lessons", "completed"): CompletedRecord,
    ("lessons", "reflection"): ReflectionRecord,
}


# ---------------------------------------------------------------- plain-words reasons
def reason(error: ValidationError) -> str:
    """The first problem pydantic found, as a short phrase a learner can read."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "the record"
    kind = first["type"]
    if where.endswith("saved_at") or where.endswith("found_at") or where.endswith("created_at"):
        shown = str(first.get("input"))[:40]
        return f"its time {shown!r} is not a date and time like 2026-11-21T08:41:05Z"
    if kind == "missing":
        return f"it has no '{where}'"
    if kind == "value_error":
        return str(first.get("ctx", {}).get("error", first["msg"]))
    return f"its '{where}' is not what was expected ({first['msg'].lower()})"


def record_problem(section: str, path: tuple[str, ...], record: Any) -> str | None:
    """Why one record cannot be used, or None."""
    if section == "lessons" and len(path) == 1:
        return "a lesson's progress must be a set of named fields"
    model = _RECORD_MODELS.get((section, path[1] if section == "lessons" else None))
    if model is None:
        return f"'{path[-1]}' is not a lesson field (expected one of {', '.join(LESSON_FIELDS)})"
    try:
        key_adapter("answers" if section == "answers" else "other").validate_python(path[0])
    except ValidationError:
        return f"'{path[0][:60]}' cannot name a saved {section[:-1]}"
    try:
        model.model_validate(record)
    except ValidationError as error:
        return reason(error)
    return None


#: What a record's key must be, by section: an answer's, or a widget's or a lesson's.
_KEY_TYPES: dict[str, Any] = {"answers": AnswerKey, "other": Key}


@functools.cache
def key_adapter(section: str) -> TypeAdapter[str]:
    """The check of a record's key (``answers`` or ``other``), built the first time a record is looked at alone."""
    return TypeAdapter(_KEY_TYPES[section])


def set_aside_records(doc: dict[str, Any], found_at: str) -> list[str]:
    """Move every record that fails the model into ``doc["kept_aside"]`` (in place); returns a phrase for each."""
    kept = doc.setdefault("kept_aside", [])
    said = []
    for section, path, record in records(doc):
        problem = record_problem(section, path, record)
        if problem is None:
            continue
        _remove(doc[section], path)
        # Kept as JSON text: exact, and no deeper inside the file than the record was.
        entry = {"section": section, "key": "/".join(path) if section == "lessons" else path[0],
                 "reason": problem, "found_at": found_at, "record": json.dumps(record, ensure_ascii=False)}
        if not any(e.get("section") == section and e.get("key") == entry["key"] and e.get("record") == entry["record"]
                   for e in kept if isinstance(e, dict)):
            kept.append(entry)
        said.append(f"{_label(section)} '{entry['key'][:80]}': {problem}")
    return said


def _remove(node: dict[str, Any], path: tuple[str, ...]) -> None:
    if len(path) == 1:
        del node[path[0]]
        return
    fields = node[path[0]]
    del fields[path[1]]
    if not fields:
        del node[path[0]]


def _label(section: str) -> str:
    return {"answers": "the answer", "widgets": "the saved widget", "lessons": "the lesson progress"}[section]


def validate(doc: dict[str, Any], *, what: str = "The file") -> None:
    """Check a whole document against :class:`AnswersFile`; AnswersFileError saying what is wrong."""
    try:
        AnswersFile.model_validate(doc)
    except ValidationError as error:
        raise AnswersFileError(f"{what} cannot be used: {reason(error)}.") from None


def parse(data: bytes | str, *, what: str = "The file", found_at: str) -> tuple[dict[str, Any], list[str]]:
    """An answers file's document and what had to be kept aside in it; AnswersFileError if unusable as a whole."""
    doc = decode(data, what=what)
    found = envelope_problems(doc)
    if found:
        raise AnswersFileError(f"{what} cannot be used: " + "; ".join(found[:3]) + ".")
    try:
        AnswersFile.model_validate(doc)
        return doc, []  # the usual case: one pass of the model
    except ValidationError:
        pass
    kept = set_aside_records(doc, found_at)
    validate(doc, what=what)
    return doc, kept
