"""Answers files on disk: a new document, its bytes, reading one with its size checked first, and setting an
unusable one aside (renamed, never overwritten). The format is :mod:`lessonkit.answers_model`, loaded when a
file is first checked: bytes that already passed it here are only decoded (:mod:`lessonkit.answers_checked`)."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import answers_checked as checked
from .answers_format import (FORMAT, FORMAT_VERSION, MAX_FILE_BYTES, AnswersFileError, decode, format_stamp,
                             parse_stamp, too_big)

if TYPE_CHECKING:
    from .answers_model import AnswersFile


# ---------------------------------------------------------------- timestamps
def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def now() -> str:
    return format_stamp(utc_now())


def parse_time(stamp: str) -> dt.datetime:
    """A saved time as an aware UTC datetime; ValueError if it is not one."""
    return parse_stamp(stamp)


# ---------------------------------------------------------------- documents (pure functions)
def new_document(course_id: str, learner_id: str) -> dict[str, Any]:
    stamp = now()
    return {"format": FORMAT, "version": FORMAT_VERSION, "course": course_id, "learner": learner_id,
            "created_at": stamp, "saved_at": stamp, "answers": {}, "widgets": {}, "lessons": {}}


def dumps(doc: dict[str, Any]) -> bytes:
    """The file's bytes: readable UTF-8 JSON, or fully escaped JSON if the text holds a lone surrogate."""
    try:
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(doc, ensure_ascii=True, indent=1).encode("ascii")


def load_file(data: bytes | str, *, what: str = "The file") -> AnswersFile:
    """An answers file's bytes as the typed model, records that fail it kept aside; AnswersFileError if unusable."""
    from .answers_model import typed

    return typed(loads(data, what=what))


def loads(data: bytes | str, *, what: str = "The file") -> dict[str, Any]:
    """Parse and check an answers file, or raise AnswersFileError saying what is wrong.

    Records that fail the typed model are moved to the document's ``kept_aside`` list, never dropped.
    """
    from .answers_model import parse

    return parse(data, what=what, found_at=now())[0]


def set_aside(path: Path) -> Path:
    """Rename an unusable answers file out of the way (never delete it); returns its new path."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}")
    os.replace(path, target)
    return target


@dataclass
class DiskCopy:
    """An answers file as read from disk: its document and the records kept aside in it."""

    doc: dict[str, Any]
    kept: list[str]


def read_bytes_bounded(path: Path, *, what: str) -> bytes | None:
    """The file's bytes, its size checked before reading (None if there is no file)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            message = too_big(size, what)
            if message:
                raise AnswersFileError(message)
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may grow while it is read
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise AnswersFileError(f"{what} is a folder, not a file.") from None
    except OSError as error:
        raise AnswersFileError(f"{what} cannot be read ({error.strerror or error}).") from None
    message = too_big(len(data), what)
    if message:
        raise AnswersFileError(message)
    return data


def read_copy(path: Path) -> DiskCopy | None:
    """The answers file at ``path``, records that fail the model kept aside.

    Times from the future are left as written: the store's merge does not trust them (see answers_merge).
    """
    what = f"The answers file {path.name}"
    data = read_bytes_bounded(path, what=what)
    if data is None:
        return None
    if checked.passed(path, data):  # bytes this learner's last save (or read) already put through the model
        return DiskCopy(decode(data, what=what), [])
    from .answers_model import parse  # the model is loaded by the first file there is to check

    doc, kept = parse(data, what=what, found_at=now())
    if not kept:
        checked.remember(path, data)
    return DiskCopy(doc, kept)


def read_file(path: Path) -> dict[str, Any] | None:
    """The answers file at ``path``; None if there is none; AnswersFileError if it is unusable."""
    found = read_copy(path)
    return found.doc if found else None
