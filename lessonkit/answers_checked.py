"""Answers files that already passed the typed model here, remembered by digest, so opening a lesson skips the model.

Every read of an answers file checks it through :mod:`lessonkit.answers_model`, and loading that
model costs a kernel pydantic and the model's build, about a tenth of a second, on every lesson a
returning learner opens. Yet the file is nearly always exactly what this learner's last save wrote,
and every save is checked through the model before it is written. So each write, and each read
that passed the model whole, records the SHA-256 of those bytes; a later read of the very same
bytes is decoded (its size and nesting checked as always) without loading the model. Any other
bytes (changed by hand, by another program, by another user, or by an older or newer lessonkit)
go through the model in full, as before.

The records live in this user's private cache folder (:func:`lessonkit.content_cache.cache_dir`:
mode 0700, owned by them), one small file per answers file, under a key of the rules they were
checked by (the model's and the format's source, and pydantic's version), so a change to those
rules checks every file again. They are a cache: missing, someone else's, writable by others or
unreadable, a record is ignored and the file is checked in full. Only the records of the
``KEPT_RECORDS`` answers files written most recently are kept (a Voila server makes a new answers
file for every visit), so the folder never grows without bound.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
from pathlib import Path

from .atomic import write_atomic
from .content_cache import cache_dir, library_versions

#: The modules whose source states what an answers file may hold.
RULES = ("answers_model.py", "answers_format.py")
#: How many answers files' records are kept: a learner has one or two, a Voila server one per recent visit.
KEPT_RECORDS = 32


@functools.lru_cache(maxsize=1)
def rules_key() -> str:
    """A digest of the rules a record's bytes were checked by."""
    digest = hashlib.sha256(library_versions().encode())
    for name in RULES:
        digest.update(b"\0" + (Path(__file__).resolve().parent / name).read_bytes())
    return digest.hexdigest()


def _record_for(folder: Path, answers: Path) -> Path:
    return folder / f"answers-{hashlib.sha256(os.path.abspath(answers).encode()).hexdigest()[:24]}.checked"


def _line(data: bytes) -> bytes:
    return f"{rules_key()} {hashlib.sha256(data).hexdigest()}\n".encode()


def passed(answers: Path, data: bytes) -> bool:
    """Whether ``data``, read from ``answers``, is bytes this user's lessonkit already checked under today's rules."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        with open(_record_for(folder, answers), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                return False
            return handle.read(256) == _line(data)
    except OSError:
        return False


def remember(answers: Path, data: bytes) -> None:
    """Record that ``data``, just written to or read from ``answers``, passed the model; never a reason to fail."""
    folder = cache_dir()
    if folder is None:
        return
    record = _record_for(folder, answers)
    try:  # the record can always be made again, so no fsync; 0600: read by its owner alone
        fresh = not record.exists()
        write_atomic(record, _line(data), durable=False)
        if fresh:
            _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Remove all but the ``KEPT_RECORDS`` most recently written records."""
    dated = []
    for path in folder.glob("answers-*.checked"):
        with contextlib.suppress(OSError):
            dated.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(dated)[:-KEPT_RECORDS]:
        with contextlib.suppress(OSError):
            path.unlink()
