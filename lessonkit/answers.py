"""The answers store: everything a learner writes or sets in the lessons, in one JSON file per learner.

Nothing a learner does lives only in a widget. Every change goes to an
:class:`AnswerStore`, which writes it to disk within a second, atomically, and
merges safely with any other kernel writing the same file.

The answers file (format version 1)
-----------------------------------
One UTF-8 JSON object per learner and course, at ``<answers_dir>/<learner_id>.json``::

    {
      "format": "lessonkit-answers",           # always this string
      "version": 1,                            # this format's version (see FORMAT_VERSION)
      "course": "careers-in-music-production", # the course id (course.yaml ``id``)
      "learner": "ada",                        # the learner id (notebook parameter learner_id)
      "created_at": "2026-11-21T08:41:05.123456Z",
      "saved_at":   "2026-11-21T09:02:44.000120Z",   # the last write of the whole file
      "answers": {                             # prompt answers, keyed "<lesson id>/<prompt id>"
        "02-can-you-make-a-living/producer-1-name": {
          "value": "Ada Lovelace",             # any JSON: text, a list, {"choices": [...], "other": "..."}
          "kind": "short-text",                # the prompt kind that wrote it (for reading the value)
          "saved_at": "2026-11-21T08:50:12.402113Z"
        }
      },
      "widgets": {                             # other lesson widgets' state, keyed by widget key
        "salary-explorer": {"state": {...}, "saved_at": "..."}
      },
      "lessons": {                             # progress, per lesson id; each field saved on its own
        "02-can-you-make-a-living": {
          "completed":  {"value": true, "saved_at": "..."},
          "reflection": {"value": "What I noticed...", "saved_at": "..."}
        }
      }
    }

Every timestamp is UTC, ISO 8601 with microseconds and a ``Z``. Each record (an
answer, a widget state, a lesson field) carries its own ``saved_at``; when two
copies of a file meet (two kernels, or "Load my answers"), each record is kept
from whichever copy saved it last (:func:`merge`), so no record is lost. An answer
that is cleared is kept as an empty value with a newer ``saved_at``, never deleted.
Depth points are not stored: they follow from the reflection and the rule in
``data/prompts/<lesson id>.yaml``. :data:`ANSWERS_SCHEMA` is the JSON Schema.

The store API
-------------
``open_store(path, course_id=..., learner_id=...)`` returns the process's one
store for that file (two lessons in one kernel share it). Then::

    store.answer(key) / store.set_answer(key, value, kind=None)
    store.widget_state(key) / store.set_widget_state(key, state)
    store.lesson_field(lesson_id, "completed" | "reflection") / store.set_lesson_field(lesson_id, field, value)
    store.flush()                     # write now (changes are also written by themselves within a second)
    store.refresh()                   # merge in what other kernels wrote
    store.export_text() -> str        # the whole file, for "Download my answers"
    store.import_text(text) -> ImportReport   # "Load my answers": merge a downloaded file in
    store.notices                     # things the learner must be told (a file set aside)
    store.on_saved(listener)          # listener(saved_at or None, error message or None)
    store.on_answer(listener)         # listener(answer key, or None after "Load my answers"), on every change

Setters raise :class:`AnswerError` (a message for the learner) for an answer over
:data:`MAX_ANSWER_CHARS` characters or a file that would pass :data:`MAX_FILE_BYTES`.
``import_text`` raises :class:`AnswersFileError` for a file that is not an answers
file, is too large, or belongs to another course; nothing is changed then.

How it is kept safe
-------------------
- Writes are atomic: a temporary file in the same folder, fsync, ``os.replace``,
  fsync of the folder. A reader sees the old file or the new one, never half of one.
- Writers take an exclusive lock on ``<file>.lock`` (fcntl on POSIX, msvcrt on
  Windows, an exclusive-create lock file elsewhere), re-read the file, merge by
  ``saved_at`` and write: two kernels saving at once both keep their answers.
- A file that cannot be read is renamed ``<learner>.unreadable-<UTC time>.json``
  and the learner is told; it is never overwritten.
- Saving is debounced in the kernel: the first change starts a short timer and
  everything changed by then is written together; ``atexit`` writes what is left
  when the kernel shuts down.

This module uses the standard library only, so it is quick to import.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import datetime as dt
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LessonkitError

FORMAT = "lessonkit-answers"
FORMAT_VERSION = 1
MAX_ANSWER_CHARS = 20_000
MAX_FILE_BYTES = 5_000_000
DEBOUNCE_SECONDS = 0.3
RETRY_SECONDS = 2.0
LOCK_TIMEOUT_SECONDS = 10.0
SECTIONS = ("answers", "widgets", "lessons")
LESSON_FIELDS = ("completed", "reflection")

_TIMESTAMP = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"}
ANSWERS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "lessonkit answers file",
    "type": "object",
    "required": ["format", "version", "course", "learner", "answers", "widgets", "lessons"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"type": "integer", "minimum": 1},
        "course": {"type": "string", "minLength": 1},
        "learner": {"type": "string", "minLength": 1},
        "created_at": _TIMESTAMP,
        "saved_at": _TIMESTAMP,
        "answers": {
            "type": "object",
            "propertyNames": {"pattern": r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"},
            "additionalProperties": {
                "type": "object",
                "required": ["value", "saved_at"],
                "properties": {"value": {}, "kind": {"type": "string"}, "saved_at": _TIMESTAMP},
            },
        },
        "widgets": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["state", "saved_at"],
                "properties": {"state": {"type": "object"}, "saved_at": _TIMESTAMP},
            },
        },
        "lessons": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "completed": {"type": "object", "required": ["value", "saved_at"],
                                  "properties": {"value": {"type": "boolean"}, "saved_at": _TIMESTAMP}},
                    "reflection": {"type": "object", "required": ["value", "saved_at"],
                                   "properties": {"value": {"type": "string"}, "saved_at": _TIMESTAMP}},
                },
            },
        },
    },
}


class AnswerError(LessonkitError):
    """An answer the store will not save as it is; the message says why and what to do."""


class AnswersFileError(LessonkitError):
    """A file that cannot be used as an answers file; the message says why."""


# ---------------------------------------------------------------- timestamps
def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _later(a: str, b: str) -> bool:
    """True when stamp ``a`` is strictly later than ``b``."""
    try:
        return parse_time(a) > parse_time(b)
    except (TypeError, ValueError):
        return str(a) > str(b)


# ---------------------------------------------------------------- documents (pure functions)
def new_document(course_id: str, learner_id: str) -> dict[str, Any]:
    stamp = now()
    return {"format": FORMAT, "version": FORMAT_VERSION, "course": course_id, "learner": learner_id,
            "created_at": stamp, "saved_at": stamp, "answers": {}, "widgets": {}, "lessons": {}}


def problems(doc: Any) -> list[str]:
    """What makes ``doc`` unusable as an answers file (empty when it is fine)."""
    if not isinstance(doc, dict):
        return [f"the file holds {type(doc).__name__}, not a JSON object"]
    if doc.get("format") != FORMAT:
        return ["it is not a lessonkit answers file (no \"format\": \"lessonkit-answers\")"]
    found = []
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        found.append("its format version is missing")
    elif version > FORMAT_VERSION:
        found.append(f"it was written by a newer lessonkit (format version {version}; this one reads {FORMAT_VERSION})")
    for name in ("course", "learner"):
        if not isinstance(doc.get(name), str) or not doc.get(name):
            found.append(f"its {name} id is missing")
    for section in SECTIONS:
        if not isinstance(doc.get(section), dict):
            found.append(f"its '{section}' part is missing or not an object")
    if found:
        return found
    for key, record in doc["answers"].items():
        if not _record_ok(record, "value") or "/" not in key:
            found.append(f"the answer '{key}' is damaged")
    for key, record in doc["widgets"].items():
        if not _record_ok(record, "state") or not isinstance(record["state"], dict):
            found.append(f"the saved widget '{key}' is damaged")
    for lesson_id, fields in doc["lessons"].items():
        if not isinstance(fields, dict) or not all(_record_ok(r, "value") for r in fields.values()):
            found.append(f"the progress of lesson '{lesson_id}' is damaged")
    return found


def _record_ok(record: Any, payload: str) -> bool:
    return isinstance(record, dict) and payload in record and isinstance(record.get("saved_at"), str)


def _newer(mine: dict[str, Any] | None, theirs: dict[str, Any] | None) -> dict[str, Any] | None:
    if mine is None:
        return theirs
    if theirs is None:
        return mine
    return theirs if _later(theirs["saved_at"], mine["saved_at"]) else mine


def merge(base: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``base`` with every record of ``other`` that was saved later (or that ``base`` lacks).

    Commutative up to ties (a tie keeps ``base``'s record), so merging in any order loses nothing.
    """
    out = copy.deepcopy(base)
    for section in ("answers", "widgets"):
        for key, record in other.get(section, {}).items():
            out[section][key] = copy.deepcopy(_newer(out[section].get(key), record))
    for lesson_id, fields in other.get("lessons", {}).items():
        target = out["lessons"].setdefault(lesson_id, {})
        for name, record in fields.items():
            target[name] = copy.deepcopy(_newer(target.get(name), record))
    if other.get("created_at") and _later(out.get("created_at", ""), other["created_at"]):
        out["created_at"] = other["created_at"]  # the file began when the earliest copy did
    return out


def text_length(value: Any) -> int:
    """Characters of learner text in an answer value (all its strings together)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(text_length(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(text_length(v) for v in value)
    return 0


def dumps(doc: dict[str, Any]) -> bytes:
    """The file's bytes: readable UTF-8 JSON, or fully escaped JSON if the text holds a lone surrogate."""
    try:
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(doc, ensure_ascii=True, indent=1).encode("ascii")


def loads(data: bytes | str, *, what: str = "The file") -> dict[str, Any]:
    """Parse and check an answers file, or raise AnswersFileError saying what is wrong."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        raise AnswersFileError(f"{what} is {size / 1e6:.1f} MB; an answers file is at most "
                               f"{MAX_FILE_BYTES / 1e6:.0f} MB, so it cannot be an answers file from this course.")
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        raise AnswersFileError(f"{what} is not readable JSON ({error.__class__.__name__}: {error}).") from None
    found = problems(doc)
    if found:
        raise AnswersFileError(f"{what} cannot be used: " + "; ".join(found[:3]) + ".")
    return doc


# ---------------------------------------------------------------- the disk
def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that any reader sees the whole old or the whole new file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; os.replace is already durable there
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_temps(path: Path) -> None:
    """Temporary files left by a writer that was killed mid-write (called while holding the lock)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """An exclusive lock shared by every process writing ``path`` (held on ``<path>.lock``)."""
    lock_path = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is None:
        try:
            import msvcrt
        except ImportError:
            msvcrt = None  # type: ignore[assignment]
        if msvcrt is None:
            with _exclusive_create_lock(lock_path, deadline):
                yield
            return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[union-attr]
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another program has held {lock_path.name} for {timeout:.0f} s") from None
                time.sleep(0.002)
        yield
    finally:
        with contextlib.suppress(OSError):
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:
                os.lseek(fd, 0, 0)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[union-attr]
        os.close(fd)


@contextlib.contextmanager
def _exclusive_create_lock(lock_path: Path, deadline: float, stale_after: float = 30.0) -> Iterator[None]:
    marker = lock_path.with_name(lock_path.name + ".held")
    while True:
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - marker.stat().st_mtime > stale_after:  # its holder died
                    marker.unlink()
                    continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"another program holds {marker.name}") from None
            time.sleep(0.005)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()


def set_aside(path: Path) -> Path:
    """Rename an unusable answers file out of the way (never delete it); returns its new path."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}")
    os.replace(path, target)
    return target


def read_file(path: Path) -> dict[str, Any] | None:
    """The answers file at ``path``; None if there is none; AnswersFileError if it is unusable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise AnswersFileError(f"The answers file {path} cannot be read ({error.strerror or error}).") from None
    return loads(data, what=f"The answers file {path.name}")


# ---------------------------------------------------------------- the store
@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    kept: int
    learner: str

    def __str__(self) -> str:
        parts = [f"{self.added} new", f"{self.updated} updated"]
        text = f"Loaded: {', '.join(parts)}"
        if self.kept:
            text += f"; {self.kept} kept as they were here, because they were saved more recently here"
        return text + "."


SavedListener = Callable[[str | None, str | None], None]
AnswerListener = Callable[[str | None], None]


class AnswerStore:
    """One learner's answers, kept in memory and written to ``path`` by itself."""

    def __init__(self, path: Path, *, course_id: str, learner_id: str) -> None:
        self.path = Path(path)
        self.course_id, self.learner_id = course_id, learner_id
        self.notices: list[str] = []
        self.last_saved: str | None = None
        self.last_error: str | None = None
        self._lock = threading.RLock()
        self._dirty = False
        self._timer: threading.Timer | None = None
        self._timer_pending = False
        self._last_stamp = ""
        self._listeners: list[SavedListener] = []
        self._answer_listeners: list[AnswerListener] = []
        self._doc = new_document(course_id, learner_id)
        self._load()

    # -- reading
    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            with file_lock(self.path):
                doc = self._read_or_set_aside()
        except (OSError, TimeoutError) as error:
            self.notices.append(f"Your saved answers in {self.path} could not be opened ({error}); "
                                "what you write now is kept in this session and saved when the file can be written.")
            return
        if doc is not None:
            self._doc = merge(self._doc, doc)

    def _read_or_set_aside(self) -> dict[str, Any] | None:
        """The file on disk (call with the lock held). An unusable one is renamed and the learner told."""
        try:
            doc = read_file(self.path)
        except AnswersFileError as error:
            moved = set_aside(self.path)
            self.notices.append(f"{error} It was kept as {moved.name} in {moved.parent} (not overwritten), "
                                "and a new answers file was started. If you have a downloaded copy, load it "
                                "with \"Load my answers\".")
            return None
        if doc is not None and doc["course"] != self.course_id:
            moved = set_aside(self.path)
            self.notices.append(f"The answers file {self.path.name} belongs to the course '{doc['course']}', not "
                                f"'{self.course_id}'. It was kept as {moved.name} (not overwritten), and a new "
                                "answers file was started.")
            return None
        return doc

    def answer(self, key: str) -> Any:
        with self._lock:
            record = self._doc["answers"].get(key)
            return copy.deepcopy(record["value"]) if record else None

    def answer_saved_at(self, key: str) -> str | None:
        with self._lock:
            record = self._doc["answers"].get(key)
            return record["saved_at"] if record else None

    def answers(self) -> dict[str, Any]:
        """Every answer's value, by key."""
        with self._lock:
            return {key: copy.deepcopy(r["value"]) for key, r in self._doc["answers"].items()}

    def widget_state(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            record = self._doc["widgets"].get(key)
            return copy.deepcopy(record["state"]) if record else None

    def lesson_field(self, lesson_id: str, name: str) -> Any:
        with self._lock:
            record = self._doc["lessons"].get(lesson_id, {}).get(name)
            return copy.deepcopy(record["value"]) if record else None

    def document(self) -> dict[str, Any]:
        """A copy of the whole file as it stands in memory."""
        with self._lock:
            return copy.deepcopy(self._doc)

    # -- changing
    def set_answer(self, key: str, value: Any, kind: str | None = None) -> None:
        lesson_id, slash, prompt_id = key.partition("/")
        if not slash or not lesson_id or not prompt_id:
            raise ValueError(f"an answer key is '<lesson id>/<prompt id>', got {key!r}")
        check_answer(value)
        record: dict[str, Any] = {"value": _json_copy(value)}
        if kind:
            record["kind"] = kind
        with self._lock:
            changed = self._put(self._doc["answers"], key, record)
        if changed:
            self._tell_answer(key)

    def set_widget_state(self, key: str, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            raise ValueError(f"a widget state is a dict, got {type(state).__name__}")
        size = len(dumps(state))
        if size > MAX_FILE_BYTES // 10:
            raise AnswerError(f"This widget's settings take {size:,} bytes, more than an answers file allows.")
        with self._lock:
            self._put(self._doc["widgets"], key, {"state": _json_copy(state)})

    def set_lesson_field(self, lesson_id: str, name: str, value: Any) -> None:
        if name not in LESSON_FIELDS:
            raise ValueError(f"a lesson field is one of {LESSON_FIELDS}, got {name!r}")
        if name == "completed":
            value = bool(value)
        else:
            check_answer(str(value))
        with self._lock:
            self._put(self._doc["lessons"].setdefault(lesson_id, {}), name, {"value": value})

    def _put(self, section: dict[str, Any], key: str, record: dict[str, Any]) -> bool:
        old = section.get(key)
        if old is not None and {k: v for k, v in old.items() if k != "saved_at"} == record:
            return False  # nothing changed: keep the old time, write nothing
        record["saved_at"] = self._stamp()
        section[key] = record
        self._dirty = True
        self._schedule(DEBOUNCE_SECONDS)
        return True

    def _stamp(self) -> str:
        """Now, made strictly later than this store's previous stamp (the clock may not have moved)."""
        stamp = now()
        if not _later(stamp, self._last_stamp) and self._last_stamp:
            stamp = (parse_time(self._last_stamp) + dt.timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self._last_stamp = stamp
        return stamp

    def _schedule(self, delay: float) -> None:
        with self._lock:
            if self._timer_pending:
                return  # a write is on its way and will take this change with it
            self._timer_pending = True
            self._timer = threading.Timer(delay, self._flush_quietly)
            self._timer.daemon = True
            self._timer.start()

    # -- writing
    def flush(self) -> str | None:
        """Write every unsaved change now; returns the time written (None if nothing was pending).

        Raises OSError or TimeoutError if the file cannot be written; the changes stay pending.
        """
        with self._lock:
            if not self._dirty:
                return None
            self._dirty = False
            mine = copy.deepcopy(self._doc)
        try:
            merged = self._write(mine)
        except BaseException:
            with self._lock:
                self._dirty = True
            raise
        with self._lock:
            self._doc = merge(self._doc, merged)
            self.last_saved, self.last_error = merged["saved_at"], None
        self._tell(merged["saved_at"], None)
        return merged["saved_at"]

    def _write(self, mine: dict[str, Any]) -> dict[str, Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path):
            _remove_stale_temps(self.path)
            disk = self._read_or_set_aside()
            merged = merge(mine, disk) if disk is not None else mine
            merged["saved_at"] = now()
            data = dumps(merged)
            if len(data) > MAX_FILE_BYTES:
                raise AnswerError(f"Your answers would take {len(data) / 1e6:.1f} MB, over the "
                                  f"{MAX_FILE_BYTES / 1e6:.0f} MB an answers file may hold; shorten the longest ones.")
            write_atomic(self.path, data)
        return merged

    def _flush_quietly(self) -> None:
        """The timer's flush: a failure is reported to listeners and retried, never raised."""
        with self._lock:
            self._timer_pending = False  # a change made while this write runs starts a new timer
        try:
            self.flush()
        except (OSError, TimeoutError, LessonkitError) as error:
            message = f"Your latest changes could not be saved yet ({error}); trying again."
            with self._lock:
                self.last_error = message
            self._tell(None, message)
            self._schedule(RETRY_SECONDS)

    def refresh(self) -> None:
        """Merge in what other kernels have saved to the file since this store read it."""
        try:
            with file_lock(self.path):
                disk = self._read_or_set_aside() if self.path.exists() else None
        except (OSError, TimeoutError):
            return
        if disk is not None:
            with self._lock:
                self._doc = merge(self._doc, disk)

    def on_saved(self, listener: SavedListener) -> None:
        self._listeners.append(listener)

    def on_answer(self, listener: AnswerListener) -> None:
        """Call ``listener(key)`` whenever an answer changes in memory (``None``: answers were loaded from a file)."""
        self._answer_listeners.append(listener)

    def _tell_answer(self, key: str | None) -> None:
        for listener in list(self._answer_listeners):
            with contextlib.suppress(Exception):  # a display problem must never stop an answer being kept
                listener(key)

    def _tell(self, saved_at: str | None, error: str | None) -> None:
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):  # a display problem must never stop saving
                listener(saved_at, error)

    # -- moving work between machines
    def export_text(self) -> str:
        """The whole answers file as text, with every change included."""
        with contextlib.suppress(OSError, TimeoutError, LessonkitError):
            self.flush()
        with self._lock:
            return dumps(self._doc).decode("utf-8")

    def import_text(self, data: bytes | str, *, name: str = "The file") -> ImportReport:
        """Merge a downloaded answers file in; each record is kept from whichever side saved it last."""
        doc = loads(data, what=name)
        if doc["course"] != self.course_id:
            raise AnswersFileError(f"{name} holds answers for the course '{doc['course']}', and these lessons are "
                                   f"'{self.course_id}'. Nothing was loaded.")
        added = updated = kept = 0
        with self._lock:
            before = copy.deepcopy(self._doc)
            self._doc = merge(self._doc, doc)
            for section, key, record in _records(doc):
                old = _lookup(before, section, key)
                if old is None:
                    added += 1
                elif _later(record["saved_at"], old["saved_at"]):
                    updated += 1
                elif record != old:
                    kept += 1
            if added or updated:
                self._dirty = True
        self.flush_soon()
        if added or updated:
            self._tell_answer(None)
        return ImportReport(added, updated, kept, doc["learner"])

    def flush_soon(self) -> None:
        with self._lock:
            if self._dirty:
                self._schedule(DEBOUNCE_SECONDS)


def _records(doc: dict[str, Any]) -> Iterator[tuple[str, tuple[str, ...], dict[str, Any]]]:
    for section in ("answers", "widgets"):
        for key, record in doc[section].items():
            yield section, (key,), record
    for lesson_id, fields in doc["lessons"].items():
        for name, record in fields.items():
            yield "lessons", (lesson_id, name), record


def _lookup(doc: dict[str, Any], section: str, key: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = doc[section]
    for part in key:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _json_copy(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, ensure_ascii=True))
    except (TypeError, ValueError) as error:
        raise ValueError(f"an answer must be plain JSON data (text, numbers, lists): {error}") from None


def check_answer(value: Any) -> None:
    """Raise AnswerError if an answer is too long to save."""
    length = text_length(value)
    if length > MAX_ANSWER_CHARS:
        raise AnswerError(f"This answer is {length:,} characters long; the most one answer can hold is "
                          f"{MAX_ANSWER_CHARS:,}. Shorten it to save it: until then the last saved version is kept.")


# ---------------------------------------------------------------- one store per file per process
_STORES: weakref.WeakValueDictionary[str, AnswerStore] = weakref.WeakValueDictionary()
_STORES_LOCK = threading.Lock()
_ALL: weakref.WeakSet[AnswerStore] = weakref.WeakSet()


def open_store(path: str | os.PathLike[str], *, course_id: str, learner_id: str) -> AnswerStore:
    """The store for ``path`` in this process (made and read on first use)."""
    resolved = str(Path(path).expanduser().resolve())
    with _STORES_LOCK:
        store = _STORES.get(resolved)
        if store is None or store.course_id != course_id:
            store = AnswerStore(Path(resolved), course_id=course_id, learner_id=learner_id)
            _STORES[resolved] = store
            _ALL.add(store)
        return store


@atexit.register
def flush_all() -> None:
    """Write every store's pending changes (runs when the kernel shuts down)."""
    for store in list(_ALL):
        if store._timer is not None:
            store._timer.cancel()
        with contextlib.suppress(Exception):
            store.flush()
