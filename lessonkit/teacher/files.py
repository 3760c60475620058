"""Small file helpers the teacher commands share: paths that stay inside a folder, spreadsheet-safe
CSV cells, terminal-safe text, and a progress bar that stays quiet when nobody is watching."""

from __future__ import annotations

import csv
import io
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from ..atomic import write_atomic
from ..errors import LessonkitError

T = TypeVar("T")

# A spreadsheet treats a cell starting with one of these as a formula; a leading quote keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutsideFolderError(LessonkitError):
    """A path would leave the output folder; nothing is written there."""


def inside(root: Path, *parts: str) -> Path:
    """``root/parts...``, refused if it resolves (through ``..`` or a symlink) anywhere outside ``root``."""
    base = root.resolve()
    target = base.joinpath(*parts)
    real = Path(os.path.realpath(target))
    if real != base and base not in real.parents:
        raise OutsideFolderError(f"Refused to write {target}: it leads outside the output folder {base}.")
    if target.is_symlink():
        raise OutsideFolderError(f"Refused to write through the link {target}; remove it and run the command again.")
    return target


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` so that a reader sees the old file or the new one, never half of one (no fsync:
    everything the teacher commands write can be made again)."""
    write_atomic(path, data, durable=False, mode=0o666)


def csv_cell(value: object) -> str:
    """A value as CSV text a spreadsheet shows as typed, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_uncell(text: str) -> str:
    """Undo :func:`csv_cell` when reading back a file this package wrote."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def csv_bytes(header: list[str], rows: Iterable[list[object]]) -> bytes:
    """A CSV file (UTF-8 with a BOM, so spreadsheet programs pick the right encoding)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def shown(text: object, limit: int = 80) -> str:
    """Text from a file, safe to print in a terminal: control and direction characters made visible, cut short."""
    out = []
    for char in str(text):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    joined = "".join(out)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def progress(items: Iterable[T], *, total: int | None, label: str, quiet: bool = False) -> Iterator[T]:
    """``items`` with a progress bar on stderr; no bar when ``quiet`` or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield from items
        return
    try:
        from tqdm import tqdm  # installed with papermill
    except ImportError:
        yield from items
        return
    with tqdm(items, total=total, desc=label, unit="file", file=sys.stderr, leave=False) as bar:
        yield from bar
