"""The answers store: one learner's answers kept in memory and written to their file by itself.

What the store promises, and the file's format, are described in :mod:`lessonkit.answers`, the
public module that re-exports everything here. Lessons import this module instead: it loads the
typed model (:mod:`lessonkit.answers_model`, and pydantic under it) only when a file is first read,
checked or written, so a learner with no answers file yet opens and runs a lesson without it.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import os
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import answers_checked as checked
from . import answers_merge as rule
from .answers_disk import DiskCopy, dumps, new_document, now, read_copy, set_aside, utc_now
from .answers_format import LESSON_FIELDS, MAX_DEPTH, MAX_FILE_BYTES, SECTIONS, AnswersFileError, nesting_depth
from .answers_limits import AnswerError, check_answer, json_copy
from .answers_lock import file_lock
from .answers_merge import merge
from .answers_notices import ImportReport, kept_notice
from .atomic import remove_stale_temps, write_atomic
from .errors import LessonkitError

if TYPE_CHECKING:
    from .answers_model import AnswersFile


DEBOUNCE_SECONDS = 0.3
RETRY_SECONDS = 2.0


# ---------------------------------------------------------------- the store
SavedListener = Callable[[str | None, str | None], None]
AnswerListener = Callable[[str | None], None]


class SavedRecords:
    """An answers document's records read the way progress reads the typed file (``value``, ``lesson_value`` and
    ``widgets``, see :class:`lessonkit.progress.Saved`): plain lookups in a document already checked."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self._doc = doc

    @property
    def widgets(self) -> dict[str, Any]:
        return self._doc["widgets"]

    def value(self, key: str) -> Any:
        record = self._doc["answers"].get(key)
        return record["value"] if record else None

    def lesson_value(self, lesson_id: str, name: str) -> Any:
        record = self._doc["lessons"].get(lesson_id, {}).get(name)
        return record["value"] if record else None


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
        # Records edited here and not yet written -> identity of the version each edit replaced.
        self._pending: dict[rule.Path_, str | None] = {}
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
                found = self._read_or_set_aside()
        except (OSError, TimeoutError) as error:
            self.notices.append(f"Your saved answers in {self.path} could not be opened ({error}); "
                                "what you write now is kept in this session and saved when the file can be written.")
            return
        if found is not None:
            self._doc = merge(self._doc, found.doc)
            if found.kept:
                self._dirty = True  # write the file back with those records in their place
                self.flush_soon()

    def _read_or_set_aside(self) -> DiskCopy | None:
        """The file on disk (call with the lock held). An unusable one is renamed and the learner told."""
        try:
            found = read_copy(self.path)
        except AnswersFileError as error:
            moved = set_aside(self.path)
            self.notices.append(f"{error} It was kept as {moved.name} in {moved.parent} (not overwritten), "
                                "and a new answers file was started. If you have a downloaded copy, load it "
                                "with \"Load my answers\".")
            return None
        if found is not None and found.doc["course"] != self.course_id:
            moved = set_aside(self.path)
            self.notices.append(f"The answers file {self.path.name} belongs to the course '{found.doc['course']}', "
                                f"not '{self.course_id}'. It was kept as {moved.name} (not overwritten), and a new "
                                "answers file was started.")
            return None
        if found is not None and found.kept:
            self.notices.append(kept_notice(self.path.name, found.kept))
        return found

    def answer(self, key: str) -> Any:
        with self._lock:
            return copy.deepcopy(SavedRecords(self._doc).value(key))

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
            return copy.deepcopy(SavedRecords(self._doc).lesson_value(lesson_id, name))

    def document(self) -> AnswersFile:
        """The whole file as it stands in memory, as the typed model (a copy: changing it changes nothing here)."""
        from .answers_model import typed

        with self._lock:
            return typed(copy.deepcopy(self._doc))

    def saved_if_any(self) -> SavedRecords | None:
        """A copy of every record as progress reads them (no typed model to load: the document in memory was
        checked on its way in), or None while the store holds no record at all (progress reads: nothing saved)."""
        with self._lock:
            if not any(self._doc[section] for section in SECTIONS) and not self._doc.get("kept_aside"):
                return None
            return SavedRecords(copy.deepcopy(self._doc))

    # -- changing
    def set_answer(self, key: str, value: Any, kind: str | None = None) -> None:
        lesson_id, slash, prompt_id = key.partition("/")
        if not slash or not lesson_id or not prompt_id or len(key) > 200:
            raise ValueError(f"an answer key is '<lesson id>/<prompt id>', got {key!r}")
        copied = json_copy(value)  # first: it refuses values nested too deeply to count
        check_answer(copied)
        record: dict[str, Any] = {"value": copied}
        if kind:
            record["kind"] = kind
        with self._lock:
            changed = self._put(("answers", key), record)
        if changed:
            self._tell_answer(key)

    def set_widget_state(self, key: str, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            raise ValueError(f"a widget state is a dict, got {type(state).__name__}")
        if not key or len(key) > 200:
            raise ValueError(f"a widget key is 1 to 200 characters, got {key!r}")
        copied = json_copy(state)
        size = len(dumps(copied))
        if size > MAX_FILE_BYTES // 10:
            raise AnswerError(f"This widget's settings take {size:,} bytes, more than an answers file allows.")
        with self._lock:
            self._put(("widgets", key), {"state": copied})

    def set_lesson_field(self, lesson_id: str, name: str, value: Any) -> None:
        if name not in LESSON_FIELDS:
            raise ValueError(f"a lesson field is one of {LESSON_FIELDS}, got {name!r}")
        if not lesson_id or len(lesson_id) > 200:
            raise ValueError(f"a lesson id is 1 to 200 characters, got {lesson_id!r}")
        if name == "completed":
            value = bool(value)
        else:
            value = str(value)
            check_answer(value)
        with self._lock:
            self._put(("lessons", lesson_id, name), {"value": value})

    def _put(self, path: rule.Path_, record: dict[str, Any]) -> bool:
        """Keep an edit made here: stamped after the version it replaces (the merge rule's first point)."""
        old = rule.lookup(self._doc, path)
        if old is not None and {k: v for k, v in old.items() if k not in ("saved_at", "rev")} == record:
            return False  # nothing changed: keep the old time, write nothing
        record["saved_at"] = rule.stamp_after(old, utc_now())
        record["rev"] = int(old.get("rev", 0)) + 1 if old else 1
        if path not in self._pending:
            self._pending[path] = rule.identity(old) if old else None
        rule.put(self._doc, path, record)
        self._dirty = True
        self._schedule(DEBOUNCE_SECONDS)
        return True

    def _absorb(self, other: dict[str, Any]) -> None:
        """Merge another copy into memory; edits made here keep beating the versions they replaced."""
        before = {str(entry.get("record")) for entry in self._doc.get("kept_aside", [])}
        self._doc = merge(rule.rebase(self._doc, other, self._pending, utc_now()), other)
        self._tell_set_aside(before)

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

        Raises OSError, TimeoutError or a LessonkitError if the file cannot be written; the changes stay pending.
        """
        with self._lock:
            if not self._dirty:
                return None
            self._dirty = False
            mine = rule.containers(self._doc)  # records are replaced, never changed, so sharing them is safe
            pending, self._pending = self._pending, {}
        try:
            merged = self._write(mine, pending)
        except BaseException:
            with self._lock:
                self._dirty = True
                self._pending.update(pending)  # the versions on disk are still the ones those edits replaced
            raise
        with self._lock:
            self._absorb(merged)
            self.last_saved, self.last_error = merged["saved_at"], None
        self._tell(merged["saved_at"], None)
        return merged["saved_at"]

    def _write(self, mine: dict[str, Any], pending: dict[rule.Path_, str | None]) -> dict[str, Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path):
            remove_stale_temps(self.path)
            found = self._read_or_set_aside()
            merged = merge(rule.rebase(mine, found.doc, pending, utc_now()), found.doc) if found else mine
            merged["saved_at"] = now()
            data = dumps(merged)
            if len(data) > MAX_FILE_BYTES:
                raise AnswerError(f"Your answers would take {len(data) / 1e6:.1f} MB, over the "
                                  f"{MAX_FILE_BYTES / 1e6:.0f} MB an answers file may hold; shorten the longest ones.")
            # Never write a file this module would refuse to read.
            from .answers_model import validate

            validate(merged, what="Your answers")
            if nesting_depth(data.decode("utf-8", "replace")) > MAX_DEPTH:
                raise AnswerError(f"Your answers would nest more than {MAX_DEPTH} levels deep; the last saved "
                                  "version is kept.")
            write_atomic(self.path, data)
            checked.remember(self.path, data)  # the next lesson reads these bytes without loading the model
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
                found = self._read_or_set_aside() if self.path.exists() else None
        except (OSError, TimeoutError):
            return
        if found is not None:
            with self._lock:
                self._absorb(found.doc)

    def _tell_set_aside(self, before: set[str]) -> None:
        """Tell the learner about versions an edit made here beat because their time was from the future."""
        found = [entry for entry in self._doc.get("kept_aside", []) if str(entry.get("record")) not in before
                 and str(entry.get("reason", "")).startswith(rule.FUTURE_REASON)]
        if found:
            keys = ", ".join(f"'{entry['key'][:80]}'" for entry in found[:3]) + (", ..." if len(found) > 3 else "")
            self.notices.append(f"Your answers file held another version of {keys} dated in the future, so no "
                                "clock can tell whether it came before or after your edit. Your edit was kept; the "
                                "other version is kept aside in the file (under \"kept_aside\"), exactly as it was.")

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
        """Merge a downloaded answers file in; each record is kept from whichever side saved it last.

        A time later than now in the file counts as now: loading is an edit made now (the merge rule's fourth point).
        """
        from .answers_model import parse

        doc, kept_aside = parse(data, what=name, found_at=now())
        if doc["course"] != self.course_id:
            raise AnswersFileError(f"{name} holds answers for the course '{doc['course']}', and these lessons are "
                                   f"'{self.course_id}'. Nothing was loaded.")
        rule.clamp(doc, utc_now())
        added = updated = kept = 0
        with self._lock:
            for path, record in rule.paths(doc):
                old = rule.lookup(self._doc, path)
                if old is not None and rule.identity(record) == rule.identity(old):
                    continue  # the same version (loading one file twice changes nothing)
                if rule.wins(record, old):
                    added += old is None
                    updated += old is not None
                    if path not in self._pending:
                        self._pending[path] = rule.identity(old) if old else None
                else:
                    kept += 1
            self._doc = merge(self._doc, doc)
            if added or updated or kept_aside:
                self._dirty = True
        self.flush_soon()
        if added or updated:
            self._tell_answer(None)
        return ImportReport(added, updated, kept, doc["learner"], len(kept_aside))

    def flush_soon(self) -> None:
        with self._lock:
            if self._dirty:
                self._schedule(DEBOUNCE_SECONDS)


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

