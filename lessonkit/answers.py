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
          "saved_at": "2026-11-21T08:50:12.402113Z",
          "rev": 3                             # edits this record has been through (0 or absent in older files)
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
      },
      "kept_aside": [                          # records that could not be read (or, from the future, lost
                                               # to an edit made here), kept exactly as found
        {"section": "answers", "key": "...", "reason": "its time 'zzz' is not a date and time ...",
         "found_at": "...", "record": "<the record's JSON text>"}
      ]
    }

Every timestamp is UTC, ISO 8601 with a ``Z``. Each record (an answer, a widget
state, a lesson field) carries its own ``saved_at`` and ``rev``; when two copies of
a file meet (two kernels, or "Load my answers"), each record is kept by the merge
rule of :mod:`lessonkit.answers_merge`: an edit made here always beats the version
it replaced and any version whose time is from the future (such a version, if the
edit did not replace it, is kept aside); otherwise the later save wins.
An answer that is cleared is kept as an empty value with a newer ``saved_at``,
never deleted. Depth points are not stored: they follow from the reflection and
the rule in ``data/prompts/<lesson id>.yaml``. The typed model of the file is
:class:`lessonkit.answers_model.AnswersFile`; :data:`ANSWERS_SCHEMA` is its JSON Schema.

The store API
-------------
``open_store(path, course_id=..., learner_id=...)`` returns the process's one
store for that file (two lessons in one kernel share it). Then::

    store.answer(key) / store.set_answer(key, value, kind=None)
    store.widget_state(key) / store.set_widget_state(key, state)
    store.lesson_field(lesson_id, "completed" | "reflection") / store.set_lesson_field(lesson_id, field, value)
    store.document() -> AnswersFile   # the whole file, typed (what the hand-in reads)
    store.saved_if_any()              # the records as progress reads them, no model loaded; None while nothing is kept
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
file, is too large or too deeply nested, or belongs to another course; nothing is
changed then. A record in it that fails the model is kept aside and counted.

How it is kept safe
-------------------
- Writes are atomic: a temporary file in the same folder, fsync, ``os.replace``,
  fsync of the folder. A reader sees the old file or the new one, never half of one.
- Writers take an exclusive lock on ``<file>.lock`` (fcntl on POSIX, msvcrt on
  Windows, an exclusive-create lock file elsewhere), re-read the file, merge and
  write: two kernels saving at once both keep their answers.
- Every file is checked against the typed model on load and before it is written;
  its size is checked before it is read and its nesting before it is parsed.
- A file that cannot be used is renamed ``<learner>.unreadable-<UTC time>.json``
  and the learner is told; it is never overwritten. A single record that cannot be
  read is moved to ``kept_aside`` and the learner told; the rest is loaded.
- Saving is debounced in the kernel: the first change starts a short timer and
  everything changed by then is written together; ``atexit`` writes what is left
  when the kernel shuts down.

This module keeps the store; the format is :mod:`lessonkit.answers_model`, the merge rule
:mod:`lessonkit.answers_merge`, reading and naming files :mod:`lessonkit.answers_disk`, the
lock :mod:`lessonkit.answers_lock`, what one answer may be :mod:`lessonkit.answers_limits`, and
what the learner is told :mod:`lessonkit.answers_notices`, and the store itself
:mod:`lessonkit.answers_store`. Every name above is importable from here; importing this module
loads the typed model, which lessons, through :mod:`lessonkit.answers_store`, load only when a file
is first read, checked or written.
"""

from __future__ import annotations

# Every name this module has always had (the store's helpers too), so code written against it keeps working.
from . import answers_merge as rule  # noqa: F401
from .answers_disk import (DiskCopy, dumps, load_file, loads, new_document, now, parse_time, read_bytes_bounded,
                           read_copy, read_file, set_aside, utc_now)
from .answers_format import (FORMAT, FORMAT_VERSION, LESSON_FIELDS, MAX_DEPTH, MAX_FILE_BYTES, SECTIONS,  # noqa: F401
                             AnswersFileError, format_stamp, nesting_depth)
from .answers_limits import (MAX_ANSWER_CHARS, MAX_VALUE_DEPTH, AnswerError, check_answer, json_copy,  # noqa: F401
                             text_length)
from .answers_lock import LOCK_TIMEOUT_SECONDS, file_lock
from .answers_merge import merge
from .answers_model import AnswersFile, answers_schema, parse, typed, validate  # noqa: F401
from .answers_notices import ImportReport, kept_notice  # noqa: F401
from .answers_store import (_ALL, _STORES, _STORES_LOCK, DEBOUNCE_SECONDS, RETRY_SECONDS, AnswerListener,  # noqa: F401
                            AnswerStore, SavedListener, flush_all, open_store)
from .atomic import remove_stale_temps, write_atomic  # noqa: F401
from .errors import LessonkitError  # noqa: F401

__all__ = ["ANSWERS_SCHEMA", "FORMAT", "FORMAT_VERSION", "LESSON_FIELDS", "LOCK_TIMEOUT_SECONDS", "MAX_ANSWER_CHARS",
           "MAX_FILE_BYTES", "MAX_VALUE_DEPTH", "SECTIONS", "AnswerError", "AnswerStore", "AnswersFile",
           "AnswersFileError", "DiskCopy", "ImportReport", "check_answer", "dumps", "file_lock", "format_stamp",
           "load_file", "loads", "merge", "new_document", "now", "open_store", "parse_time", "read_bytes_bounded",
           "read_copy", "read_file", "set_aside", "text_length", "utc_now", "write_atomic"]


def __getattr__(name: str) -> object:
    if name == "ANSWERS_SCHEMA":  # generated from the model on first use
        return answers_schema()
    raise AttributeError(f"module 'lessonkit.answers' has no attribute {name!r}")
