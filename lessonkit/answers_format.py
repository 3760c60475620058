"""The answers file's format without its model: its constants, its times, and the checks that need no model.

Reading a file is bounded here before anything parses it: the size first (:data:`MAX_FILE_BYTES`),
then the nesting depth of the raw text (:data:`MAX_DEPTH`), then the file's outside
(:func:`envelope_problems`). Every record is then checked by the typed model in
:mod:`lessonkit.answers_model`, which re-exports all of this; the store and the progress it shows
import only this module, so a lesson that reads no answers file never loads pydantic.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any

from .errors import LessonkitError

FORMAT = "lessonkit-answers"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 32  # a real file nests about 7 levels (file, section, record, value, choices...)
MAX_KEY_CHARS = 200
SECTIONS = ("answers", "widgets", "lessons")
LESSON_FIELDS = ("completed", "reflection")


class AnswersFileError(LessonkitError):
    """A file that cannot be used as an answers file; the message says why."""


# ---------------------------------------------------------------- timestamps
STAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"
_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z")


def parse_stamp(stamp: str) -> dt.datetime:
    """A stamp such as ``2026-11-21T08:41:05.123456Z`` as an aware UTC time; ValueError if it is not one."""
    match = _STAMP.fullmatch(stamp) if isinstance(stamp, str) else None
    if not match:
        raise ValueError(f"{str(stamp)[:40]!r} is not a time written like 2026-11-21T08:41:05.123456Z")
    *parts, fraction = match.groups()
    micro = int((fraction or "0").ljust(6, "0"))
    return dt.datetime(*map(int, parts), micro, tzinfo=dt.timezone.utc)  # ValueError for month 13 and the like


def format_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ---------------------------------------------------------------- bounded reading
def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deeply the JSON text's brackets nest (strings ignored), counted without parsing it.

    Stops counting past ``limit``; a 100,000-bracket file costs one scan, never a recursion.
    """
    bare = re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text)
    brackets = re.sub(r"[^\[\]{}]", "", bare)
    deepest = 0
    for level in itertools.accumulate(1 if c in "[{" else -1 for c in brackets):
        if level > deepest:
            deepest = level
            if deepest > limit:
                break
    return deepest


def too_big(size: int, what: str) -> str | None:
    if size <= MAX_FILE_BYTES:
        return None
    return (f"{what} is {size / 1e6:.1f} MB; an answers file is at most {MAX_FILE_BYTES / 1e6:.0f} MB, "
            "so it cannot be an answers file from this course.")


def decode(data: bytes | str, *, what: str = "The file") -> Any:
    """The JSON in ``data``, after checking its size and nesting; AnswersFileError otherwise."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    message = too_big(size, what)
    if message:
        raise AnswersFileError(message)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise AnswersFileError(f"{what} is not readable JSON (it holds bytes that are not UTF-8 text), "
                               "so it is not an answers file.") from None
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise AnswersFileError(f"{what} nests too deeply to be an answers file: its brackets nest more than "
                               f"{MAX_DEPTH} levels deep, and an answers file never does.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise AnswersFileError(f"{what} is not readable JSON ({error.__class__.__name__}: {error}).") from None


# ---------------------------------------------------------------- checking a document
def envelope_problems(doc: Any) -> list[str]:
    """What makes ``doc`` unusable as a whole (empty when its outside is fine; records are checked apart)."""
    if not isinstance(doc, dict):
        return [f"the file holds {type(doc).__name__}, not a JSON object"]
    if doc.get("format") != FORMAT:
        return ["it is not a lessonkit answers file (no \"format\": \"lessonkit-answers\")"]
    found = []
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        found.append("its format version is missing")
    elif version > FORMAT_VERSION:
        found.append(f"it was written by a newer lessonkit (format version {version}; this one reads {FORMAT_VERSION})")
    for name in ("course", "learner"):
        value = doc.get(name)
        if not isinstance(value, str) or not value or len(value) > MAX_KEY_CHARS:
            found.append(f"its {name} id is missing or not a short text")
    for section in SECTIONS:
        if not isinstance(doc.get(section), dict):
            found.append(f"its '{section}' part is missing or not an object")
    for name in ("created_at", "saved_at"):
        if name in doc and not _is_stamp(doc[name]):
            found.append(f"its '{name}' is not a date and time")
    if "kept_aside" in doc and not isinstance(doc["kept_aside"], list):
        found.append("its 'kept_aside' part is not a list")
    return found


def _is_stamp(value: Any) -> bool:
    try:
        parse_stamp(value)
    except ValueError:
        return False
    return True


def records(doc: dict[str, Any]) -> list[tuple[str, tuple[str, ...], Any]]:
    """Every record with its section and key path: ("answers", (key,)), ("lessons", (lesson id, field))."""
    found: list[tuple[str, tuple[str, ...], Any]] = []
    for section in ("answers", "widgets"):
        found += [(section, (key,), record) for key, record in doc[section].items()]
    for lesson_id, fields in doc["lessons"].items():
        if isinstance(fields, dict):
            found += [("lessons", (lesson_id, name), record) for name, record in fields.items()]
        else:
            found.append(("lessons", (lesson_id,), fields))
    return found
