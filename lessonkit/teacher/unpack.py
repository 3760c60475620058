"""Find what learners handed in, in files, folders and zips, without extracting or running anything.

Every file is checked against limits before it is read (its size, a zip's member count, its
total unpacked size and packing ratio, how deeply zips and folders nest, unsafe member names,
links); one that breaks a limit is listed as a :class:`Problem` and the others go on.
Zip members are read into memory from the open archive, never written to disk.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import answers as store
from .files import shown

MAX_ANSWERS_BYTES = store.MAX_FILE_BYTES
MAX_NOTEBOOK_BYTES = 25_000_000
MAX_NESTED_ZIP_BYTES = 100_000_000
MAX_UNPACKED_BYTES = 500_000_000  # all members of one zip given on the command line, nested zips included
MAX_ZIP_MEMBERS = 10_000
MAX_RATIO = 100  # unpacked / packed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1_000_000
MAX_ZIP_DEPTH = 3  # a zip inside a zip inside a zip
MAX_DIR_DEPTH = 16
KINDS = (".json", ".ipynb")
# The one hidden folder searched: where lessons keep answers in a learner's home (~/.lessonkit/answers).
# A folder holding it is that learner's home, and names the learner when a file carries only the default id.
ANSWERS_HOME = ".lessonkit"


class Refused(Exception):
    """One file set aside; ``kind`` is refused, malformed or unreadable, ``message`` says why."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


@dataclass(frozen=True)
class Candidate:
    """A file found among the paths given, not read yet."""

    label: str  # where it is, for messages: folder/file.json or class.zip › ada/ada.json
    name: str
    size: int
    read: Callable[[], bytes]
    mtime: dt.datetime | None = None
    home: str | None = None  # the name of the learner's home the file sits in (a folder holding .lessonkit)


@dataclass(frozen=True)
class Problem:
    label: str
    kind: str  # refused, malformed, unreadable, duplicate, late, ignored, notice
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {shown(self.label, 160)}: {self.message}"


# ---------------------------------------------------------------- finding files
@dataclass
class _Budget:
    """What one zip given on the command line may unpack in all, nested zips included."""

    left: int = field(default_factory=lambda: MAX_UNPACKED_BYTES)

    def take(self, size: int, label: str) -> None:
        if size > self.left:
            raise Refused("refused", f"unpacking it would pass the {MAX_UNPACKED_BYTES / 1e6:g} MB allowed for "
                                     "one zip in all (a zip bomb?)")
        self.left -= size


def _limit(name: str) -> int:
    return MAX_NOTEBOOK_BYTES if name.lower().endswith(".ipynb") else MAX_ANSWERS_BYTES


def too_big(size: int, name: str) -> str | None:
    limit = _limit(name)
    if size > limit:
        kind = "a notebook" if name.lower().endswith(".ipynb") else "an answers file"
        return f"it is {size / 1e6:.1f} MB; {kind} is at most {limit / 1e6:.0f} MB"
    return None


def _skipped_name(name: str) -> bool:
    """Files that tools add beside real work: hidden files, macOS resource forks, Jupyter checkpoints."""
    return name.startswith(".") or name == "__MACOSX" or name == ".ipynb_checkpoints"


def candidates(paths: list[str | Path], problems: list[Problem]) -> Iterator[Candidate]:
    """Every answers file and notebook in ``paths`` (files, folders, zips); what cannot be used goes to ``problems``."""
    for given in paths:
        path = Path(given)
        label = str(given)
        if path.is_symlink() and not path.exists():
            problems.append(Problem(label, "unreadable", "it is a link to nothing"))
        elif not path.exists():
            problems.append(Problem(label, "unreadable", "there is no such file or folder"))
        elif path.is_dir():
            yield from _folder(path, label, problems)
        else:
            yield from _file(path, label, problems)


def _folder(root: Path, label: str, problems: list[Problem]) -> Iterator[Candidate]:
    homes: dict[str, str | None] = {}  # folder -> the home it is in (os.walk goes top-down)
    for here, dirs, files in os.walk(root, followlinks=False, onerror=lambda e: problems.append(
            Problem(str(e.filename), "unreadable", f"the folder cannot be read ({e.strerror})"))):
        depth = len(Path(here).relative_to(root).parts)
        is_home = ANSWERS_HOME in dirs and not os.path.islink(os.path.join(here, ANSWERS_HOME))
        home = homes[here] = Path(here).resolve().name if is_home else homes.get(os.path.dirname(here))
        searched = sorted(d for d in dirs if d == ANSWERS_HOME or not _skipped_name(d))
        for name in (d for d in searched if os.path.islink(os.path.join(here, d))):
            shown_label = str(Path(label) / Path(here, name).relative_to(root))
            problems.append(Problem(shown_label, "refused", "it is a link to a folder; links are not followed"))
        dirs[:] = [d for d in searched if not os.path.islink(os.path.join(here, d))]
        if depth >= MAX_DIR_DEPTH:
            if dirs:
                problems.append(Problem(here, "refused", f"folders nested deeper than {MAX_DIR_DEPTH} levels "
                                                         "were not searched"))
            dirs[:] = []
        for name in sorted(files):
            if _skipped_name(name):
                continue
            path = Path(here) / name
            shown_label = str(Path(label) / path.relative_to(root))
            if path.is_symlink():
                problems.append(Problem(shown_label, "refused", "it is a link; links are not followed"))
                continue
            yield from _file(path, shown_label, problems, home)


def _file(path: Path, label: str, problems: list[Problem], home: str | None = None) -> Iterator[Candidate]:
    name = path.name
    try:
        info = path.stat()
    except OSError as error:
        problems.append(Problem(label, "unreadable", f"it cannot be read ({error.strerror or error})"))
        return
    if not stat.S_ISREG(info.st_mode):
        problems.append(Problem(label, "refused", "it is not a regular file"))
        return
    if name.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as archive:
                yield from _zip(archive, label, 1, _Budget(), problems)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            problems.append(Problem(label, "malformed", f"it is not a readable zip ({error.__class__.__name__})"))
        return
    if not name.lower().endswith(KINDS):
        if home is None:  # a learner's home holds all kinds of their own files: only submissions are named
            problems.append(Problem(label, "ignored", "not an answers file (.json), a notebook (.ipynb) or a zip"))
        return
    mtime = dt.datetime.fromtimestamp(info.st_mtime, dt.timezone.utc)

    def read() -> bytes:
        limit = _limit(name)
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise Refused("refused", too_big(len(data), name) or "it is too large")
        return data

    yield Candidate(label, name, info.st_size, read, mtime, home)


def _unsafe_member(name: str) -> str | None:
    if "\x00" in name or "\\" in name:
        return "its name holds a backslash or a NUL character"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "its name is an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "its name climbs out of the zip with '..'"
    return None


def _zip(archive: zipfile.ZipFile, label: str, depth: int, budget: _Budget,
         problems: list[Problem]) -> Iterator[Candidate]:
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        problems.append(Problem(label, "refused", f"it holds {len(members):,} files; a zip may hold at most "
                                                  f"{MAX_ZIP_MEMBERS:,}"))
        return
    for info in members:
        inner = f"{label} › {info.filename}"
        unsafe = _unsafe_member(info.filename)
        if unsafe:  # checked before anything else: '..' would otherwise pass for a hidden name
            problems.append(Problem(inner, "refused", f"{unsafe}; it was not read"))
            continue
        if info.is_dir() or any(_skipped_name(part) for part in PurePosixPath(info.filename).parts):
            continue
        try:
            candidate = _member(archive, info, inner, depth, budget, problems)
        except Refused as refusal:
            problems.append(Problem(inner, refusal.kind, refusal.message))
            continue
        if candidate is not None:
            yield from candidate


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, depth: int, budget: _Budget,
            problems: list[Problem]) -> Iterator[Candidate] | None:
    if stat.S_ISLNK(info.external_attr >> 16):
        raise Refused("refused", "it is a link; links are not followed")
    if info.flag_bits & 0x1:
        raise Refused("refused", "it is password-protected")
    name = PurePosixPath(info.filename).name
    is_zip = name.lower().endswith(".zip")
    if not is_zip and not name.lower().endswith(KINDS):
        problems.append(Problem(label, "ignored", "not an answers file (.json), a notebook (.ipynb) or a zip"))
        return None
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise Refused("refused", f"it unpacks {info.file_size / max(info.compress_size, 1):,.0f} times larger than "
                                 f"it is packed (more than {MAX_RATIO} times: a zip bomb?)")
    limit = MAX_NESTED_ZIP_BYTES if is_zip else _limit(name)
    if info.file_size > limit:
        raise Refused("refused", too_big(info.file_size, name) if not is_zip else
                      f"a zip inside a zip is at most {MAX_NESTED_ZIP_BYTES / 1e6:.0f} MB")
    budget.take(info.file_size, label)
    mtime = _zip_time(info)

    def read() -> bytes:
        try:
            with archive.open(info) as handle:
                data = handle.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
            raise Refused("unreadable", f"it cannot be unpacked ({error.__class__.__name__})") from None
        except Exception as error:  # zlib and lzma raise their own kinds for damaged data
            raise Refused("unreadable", f"it cannot be unpacked ({error.__class__.__name__})") from None
        if len(data) > limit:
            raise Refused("refused", "it unpacks larger than its zip entry says")
        return data

    if not is_zip:
        return iter([Candidate(label, name, info.file_size, read, mtime)])
    if depth >= MAX_ZIP_DEPTH:
        raise Refused("refused", f"zips nested more than {MAX_ZIP_DEPTH} deep are not opened")
    data = read()
    try:
        inner = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise Refused("malformed", f"it is not a readable zip ({error.__class__.__name__})") from None
    return _zip(inner, label, depth + 1, budget, problems)


def _zip_time(info: zipfile.ZipInfo) -> dt.datetime | None:
    try:
        return dt.datetime(*info.date_time).astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        return None
