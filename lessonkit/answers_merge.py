"""The merge rule for answers files: which version of a record is kept when two copies meet (pure functions).

The rule, record by record (an answer, a widget's settings, a lesson field):

1. **An edit made here beats the version it replaced, whatever the clocks say.** An edit is
   stamped with this computer's time, or one microsecond after the version it replaced if that
   one claims a later time (:func:`stamp_after`); its revision ``rev`` is one more. When the
   store writes, a pending edit whose replaced version is still the one on disk is moved just
   after it again (:func:`rebase`), so no re-read, clock or hand edit can put it behind.
2. **A time from the future is not trusted: an edit made here beats it.** A version whose time
   is later than now (a computer whose clock runs ahead, a hand-edited file) may be newer or
   older than an edit waiting here to be saved; no clock can tell. So the edit is kept, moved
   just after it (:func:`rebase`), and that version, when it is not the one the edit replaced,
   is kept aside in the file as it was (``kept_aside``), never dropped. Its time is left as
   written: making it "now" would let it beat edits made here before now and not yet saved.
3. **Otherwise the version saved later wins** (by ``saved_at``; then the higher ``rev``; then a
   fixed order of the content, so that merging is the same in any order and loses nothing).
4. **Loading a file is an edit made now.** In a file loaded with "Load my answers", a time
   later than now counts as the moment it is loaded (:func:`clamp`).

Between computers with sane clocks, rule 3 is "newest wins".
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from .answers_format import format_stamp, parse_stamp

Path_ = tuple[str, ...]  # ("answers", key) · ("widgets", key) · ("lessons", lesson id, field)
ONE_TICK = dt.timedelta(microseconds=1)
LAST = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
FUTURE_REASON = "its time was later than the moment it was found"  # how rule 2's kept-aside entries begin


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


def rebase(mine: dict[str, Any], theirs: dict[str, Any], pending: dict[Path_, str | None],
           moment: dt.datetime) -> dict[str, Any]:
    """``mine`` with each pending edit moved just after ``theirs``' version when it must beat it (rules 1 and 2).

    ``pending`` maps each record edited here and not yet written to the identity of the version the
    edit replaced (None: there was none); ``moment`` is now. An edit is moved after the version it
    replaced, and after any version whose time is later than ``moment``; such a version, when the
    edit did not replace it, is added to ``kept_aside``.
    """
    out = mine
    for path, base in pending.items():
        edit, other = lookup(mine, path), lookup(theirs, path)
        if edit is None or other is None or wins(edit, other):
            continue
        replaced = base is not None and identity(other) == base
        if not replaced and not from_the_future(other, moment):
            continue  # a version saved later, at a time that can be trusted: rule 3
        if out is mine:
            out = containers(mine)
        # At the end of time the later stamp is a tie: the higher rev decides, so the edit counts past ``other``.
        put(out, path, {**edit, "saved_at": stamp_after(other, parse_stamp(edit["saved_at"])),
                        "rev": max(int(edit.get("rev", 0)), int(other.get("rev", 0)) + 1)})
        if not replaced:
            out["kept_aside"] = _union_kept(out.get("kept_aside", []), [_aside(path, other, moment)])
    return out


def from_the_future(record: dict[str, Any], moment: dt.datetime) -> bool:
    """True when the record claims a time later than ``moment`` (rule 2: such a time is not trusted)."""
    return _saved_time(record["saved_at"]) > moment


def _aside(path: Path_, record: dict[str, Any], moment: dt.datetime) -> dict[str, Any]:
    """The ``kept_aside`` entry for a version an edit made here beat because its time was from the future."""
    return {"section": path[0], "key": "/".join(path[1:]), "found_at": format_stamp(moment),
            "reason": f"{FUTURE_REASON} ({record['saved_at']}), so it could not be compared with an edit made "
                      "here; the edit was kept and this version set aside",
            "record": json.dumps(record, ensure_ascii=False)}


def clamp(doc: dict[str, Any], limit: dt.datetime) -> int:
    """Move every time later than ``limit`` back to ``limit`` (in place); returns how many moved. Rule 4."""
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
