"""The merge rule for answers files: which version of a record is kept when two copies meet (pure functions).

The rule, record by record (an answer, a widget's settings, a lesson field):

1. **An edit made here beats the version it replaced, whatever the clocks say.** An edit is
   stamped with this computer's time, or one microsecond after the version it replaced if that
   one claims a later time (:func:`stamp_after`); its revision ``rev`` is one more. When the
   store writes, a pending edit whose replaced version is still the one on disk is moved just
   after it again (:func:`rebase`), so no re-read, clock or hand edit can put it behind.
2. **Otherwise the version saved later wins** (by ``saved_at``; then the higher ``rev``; then a
   fixed order of the content, so that merging is the same in any order and loses nothing).
3. **No time from the future.** When a file is loaded, a time later than now counts as now
   (:func:`clamp`), and the file is written back so: a computer whose clock runs ahead, or a
   hand-edited time years away, cannot win over edits made after it.

Between computers with sane clocks, rules 2 and 3 are "newest wins".
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from .answers_model import format_stamp, parse_stamp

Path_ = tuple[str, ...]  # ("answers", key) · ("widgets", key) · ("lessons", lesson id, field)
ONE_TICK = dt.timedelta(microseconds=1)
LAST = dt.datetime.max.replace(tzinfo=dt.timezone.utc)


def identity(record: dict[str, Any]) -> str:
    """What a version is, apart from when it was saved: its content and revision."""
    return json.dumps({k: v for k, v in record.items() if k != "saved_at"}, sort_keys=True, ensure_ascii=True)


_saved_time = lru_cache(maxsize=8192)(parse_stamp)  # a merge compares the same few stamps many times


def order(record: dict[str, Any]) -> tuple[dt.datetime, int, str]:
    return _saved_time(record["saved_at"]), int(record.get("rev", 0)), identity(record)


def wins(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """True when version ``a`` is kept over version ``b``: the later time, then the higher rev, then content."""
    if a is None:
        return False
    if b is None:
        return True
    if a is b:
        return False
    ta, tb = _saved_time(a["saved_at"]), _saved_time(b["saved_at"])
    if ta != tb:
        return ta > tb
    return order(a) > order(b)


def stamp_after(previous: dict[str, Any] | None, moment: dt.datetime) -> str:
    """The stamp for an edit made at ``moment`` replacing ``previous``: never earlier than just after it."""
    if previous is not None:
        replaced = parse_stamp(previous["saved_at"])
        floor = replaced + ONE_TICK if replaced < LAST else LAST  # at the end of time, the higher rev decides
        moment = max(moment, floor)
    return format_stamp(moment)


# ---------------------------------------------------------------- walking records
def paths(doc: dict[str, Any]) -> Iterator[tuple[Path_, dict[str, Any]]]:
    for section in ("answers", "widgets"):
        for key, record in doc[section].items():
            yield (section, key), record
    for lesson_id, fields in doc["lessons"].items():
        for name, record in fields.items():
            yield ("lessons", lesson_id, name), record


def lookup(doc: dict[str, Any], path: Path_) -> dict[str, Any] | None:
    node: Any = doc
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def put(doc: dict[str, Any], path: Path_, record: dict[str, Any]) -> None:
    node = doc
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = record


def containers(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document's dicts, sharing its records: records are never changed once made, only replaced."""
    out = dict(doc)
    for section in ("answers", "widgets"):
        out[section] = dict(doc[section])
    out["lessons"] = {lesson_id: dict(fields) for lesson_id, fields in doc["lessons"].items()}
    return out


# ---------------------------------------------------------------- the rule
def merge(base: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``base`` with every record of ``other`` that wins over base's (or that base lacks).

    Commutative, associative and idempotent on the records, so copies merged in any order agree.
    """
    out = containers(base)
    for path, record in paths(other):
        if wins(record, lookup(out, path)):
            put(out, path, record)
    out["kept_aside"] = _union_kept(base.get("kept_aside", []), other.get("kept_aside", []))
    if not out["kept_aside"]:
        del out["kept_aside"]
    if other.get("created_at") and (not out.get("created_at") or
                                    parse_stamp(other["created_at"]) < parse_stamp(out["created_at"])):
        out["created_at"] = other["created_at"]  # the file began when the earliest copy did
    return out


def _union_kept(a: list[Any], b: list[Any]) -> list[Any]:
    """Records kept aside in either copy, each once (the earliest finding), in a fixed order."""
    found: dict[str, Any] = {}
    for entry in [*a, *b]:
        if not isinstance(entry, dict):
            continue
        key = json.dumps([entry.get("section"), entry.get("key"), entry.get("record")], ensure_ascii=True)
        if key not in found or str(entry.get("found_at")) < str(found[key].get("found_at")):
            found[key] = entry
    return [copy.deepcopy(found[key]) for key in sorted(found)]


def rebase(mine: dict[str, Any], theirs: dict[str, Any], pending: dict[Path_, str | None]) -> dict[str, Any]:
    """``mine`` with each pending edit moved just after ``theirs``' version when that is the one it replaced.

    ``pending`` maps each record edited here and not yet written to the identity of the version the
    edit replaced (None: there was none). Rule 1 of the module docstring.
    """
    out = mine
    for path, base in pending.items():
        edit, other = lookup(mine, path), lookup(theirs, path)
        if edit is None or other is None or base is None or identity(other) != base or wins(edit, other):
            continue
        if out is mine:
            out = containers(mine)
        put(out, path, {**edit, "saved_at": stamp_after(other, parse_stamp(edit["saved_at"]))})
    return out


def clamp(doc: dict[str, Any], limit: dt.datetime) -> int:
    """Move every time later than ``limit`` back to ``limit`` (in place); returns how many moved. Rule 3."""
    moved = 0
    shown = format_stamp(limit)
    for _path, record in paths(doc):
        if parse_stamp(record["saved_at"]) > limit:
            record["saved_at"] = shown
            moved += 1
    for name in ("created_at", "saved_at"):
        if doc.get(name) and parse_stamp(doc[name]) > limit:
            doc[name] = shown
    return moved
