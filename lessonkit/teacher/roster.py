"""Read a class roster (CSV) and give every learner an id that is pseudonymous and safe as a file name.

The roster has a header row with a ``name`` column; ``id`` and ``email`` are optional. A
learner's id comes from the ``id`` column when it is filled in, and is otherwise made from a
hash of the email (or of the name when there is no email), so the same roster always gives
the same ids. Names are kept only for the teacher's manifest: they never become paths.

Every problem in the file is reported at once (:class:`RosterError`); things that were
fixed on the way (a byte-order mark, a semicolon delimiter, blank rows) become notes.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LessonkitError, ParameterError
from ..identity import parse_learner_id
from .files import shown

MAX_ROSTER_BYTES = 2_000_000
MAX_LEARNERS = 5_000
MAX_NAME_CHARS = 200
MAX_EMAIL_CHARS = 254
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
COLUMNS = ("name", "id", "email")
# ASCII only, so an id is a safe file name on every system and in every zip tool.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ID_HELP = ("letters a-z, digits, dots, dashes or underscores, starting with a letter or digit, "
           "at most 64 characters, such as ada-l or s1024")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
# Files assign writes beside the learners' folders; an id may not take their names.
TAKEN_NAMES = {"manifest.csv"}


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    email: str
    row: int  # the line in the roster file, for messages


@dataclass(frozen=True)
class Roster:
    learners: list[Learner]
    notes: list[str] = field(default_factory=list)


class RosterError(LessonkitError):
    """The roster cannot be used as it is; every problem is listed, one line each."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = list(problems)
        head = f"The roster {source} cannot be used yet ({len(problems)} problem{'s' if len(problems) != 1 else ''}); " \
               "nothing was written:"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


# ---------------------------------------------------------------- ids
def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a learner id (None when it can)."""
    if not ID_PATTERN.match(value):
        return f"the id {shown(value)!r} is not usable as a file name; an id is made of {ID_HELP}"
    if value.split(".")[0].lower() in WINDOWS_RESERVED or value.endswith("."):
        return f"the id {value!r} is a name Windows reserves for devices (or ends in a dot); choose another"
    if value.lower() in TAKEN_NAMES or value.lower().endswith((".zip", ".zip.partial")):
        return (f"the id {value!r} would take the name of a file assign writes (the manifest, or the class zip "
                "and the .partial file it is written to first); choose another")
    try:
        parse_learner_id(value)
    except ParameterError as error:
        return str(error)
    return None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def made_id(name: str, email: str) -> str:
    """A stable pseudonymous id: a short hash of the email, or of the name when there is no email."""
    key = ("email:" + _fold(email)) if email else ("name:" + _fold(name))
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return "learner-" + base64.b32encode(digest[:5]).decode("ascii").lower()


# ---------------------------------------------------------------- the file
def decode(data: bytes, source: str) -> tuple[str, list[str]]:
    """The roster's text, or a RosterError saying what kind of file it really is."""
    notes = []
    if data.startswith(b"PK\x03\x04"):
        raise RosterError(source, ["this is a spreadsheet workbook or a zip, not CSV text; in your spreadsheet "
                                   "program choose Save As (or Download) → CSV UTF-8"])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ["read as UTF-16 text (as Excel's 'Unicode Text' saves it)"]
        except UnicodeDecodeError:
            raise RosterError(source, ["the file starts like UTF-16 text but is damaged"]) from None
    if b"\x00" in data[:4096]:
        raise RosterError(source, ["this looks like a binary file, not CSV text; save the class list as CSV UTF-8"])
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append("skipped the byte-order mark at the start of the file")
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RosterError(source, [f"line {line}: byte 0x{data[error.start]:02x} is not UTF-8 text; save the "
                                   "class list as 'CSV UTF-8' (in Excel: Save As → CSV UTF-8)"]) from None


def _header(line: str) -> tuple[str, list[str]] | None:
    """The delimiter under which the header has a ``name`` column, and the header's column names."""
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            continue
        names = [cell.strip().lstrip("\ufeff").casefold() for cell in cells]
        if "name" in names:
            return delimiter, names
    return None


def parse(data: bytes, source: str = "file") -> Roster:
    """The learners in a roster file's bytes, or a RosterError listing every problem."""
    if len(data) > MAX_ROSTER_BYTES:
        raise RosterError(source, [f"it is {len(data) / 1e6:.1f} MB; a class roster is at most "
                                   f"{MAX_ROSTER_BYTES / 1e6:.0f} MB, so this is probably not one"])
    text, notes = decode(data, source)
    # Only real line ends split rows (not U+2028 and friends, which str.splitlines also splits on).
    lines = io.StringIO(text, newline="").readlines()
    first = next((i for i, line in enumerate(lines) if line.strip(" ,;\t|\r\n")), None)
    if first is None:
        raise RosterError(source, ["it is empty; expected a header row with a 'name' column, then one learner a row"])
    header_line = lines[first].rstrip("\r\n")
    found = _header(header_line)
    if found is None:
        columns = ", ".join(repr(shown(c, 40)) for c in next(csv.reader([header_line]), [])) or "none"
        raise RosterError(source, [f"line {first + 1}: no 'name' column in the header (columns found: {columns}). "
                                   "The first row must name the columns, one of them 'name'; 'id' and 'email' are "
                                   "optional"])
    delimiter, header = found
    if delimiter != ",":
        notes.append(f"read as {DELIMITERS[delimiter]}-separated values")
    problems = []
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        problems.append(f"line {first + 1}: the header has the column(s) {', '.join(repeated)} more than once")
    ignored = [h for h in header if h and h not in COLUMNS]
    if ignored:
        notes.append("ignored the column(s) " + ", ".join(repr(shown(h, 30)) for h in ignored))
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO("".join(lines[first + 1:]), newline=""), delimiter=delimiter, strict=True)
    done = 0
    try:
        for cells in reader:
            rows.append((first + 2 + done, cells))
            done = reader.line_num
    except csv.Error as error:
        raise RosterError(source, [f"line {first + 2 + done}: {error}; check for a stray quote mark"]) from None
    learners, blank = _learners(rows, header, problems)
    if blank:
        notes.append(f"skipped {len(blank)} blank row(s) (line{'s' if len(blank) > 1 else ''} "
                     f"{_lines(blank)})")
    if len(learners) > MAX_LEARNERS:
        problems.append(f"it lists {len(learners)} learners; at most {MAX_LEARNERS} can be assigned at once")
    if not learners and not problems:
        problems.append("it has a header but no learners")
    learners = _dedupe(learners, problems, notes)
    if problems:
        raise RosterError(source, sorted(problems, key=_line_of))
    return Roster(learners, notes)


def _line_of(problem: str) -> int:
    found = re.match(r"line (\d+):", problem)
    return int(found.group(1)) if found else 0


def _lines(numbers: list[int]) -> str:
    shown_numbers = ", ".join(str(n) for n in numbers[:10])
    return shown_numbers + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


def _learners(rows: list[tuple[int, list[str]]], header: list[str], problems: list[str]) -> tuple[list[Learner], list[int]]:
    """One Learner per filled row (problems appended as found), and the blank rows' line numbers."""
    learners, blank = [], []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            blank.append(line)
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(f"line {line}: {len(cells)} values for {len(header)} columns; a name with a comma "
                            "must be in double quotes (\"Lovelace, Ada\")")
            continue
        values = {h: cells[i].strip() for i, h in enumerate(header) if i < len(cells) and h in COLUMNS}
        name, email, given = values.get("name", ""), values.get("email", ""), values.get("id", "")
        problem = _row_problem(name, email, given)
        if problem:
            problems.append(f"line {line}: {problem}")
            continue
        learners.append(Learner(given or made_id(name, email), name, email, line))
    return learners, blank


def _row_problem(name: str, email: str, given: str) -> str | None:
    if not name:
        return "the name is empty; every learner needs a name"
    if len(name) > MAX_NAME_CHARS:
        return (f"the name is {len(name)} characters long (at most {MAX_NAME_CHARS}); a missing quote mark "
                "may have joined several rows into one")
    if any(unicodedata.category(c) == "Cc" for c in name):
        return f"the name {shown(name, 40)!r} holds control characters; retype it"
    if len(email) > MAX_EMAIL_CHARS or (email and ("@" not in email or any(c.isspace() for c in email))):
        return f"the email {shown(email, 60)!r} does not look like an email address"
    if given:
        return id_problem(given)
    return None


def _dedupe(learners: list[Learner], problems: list[str], notes: list[str]) -> list[Learner]:
    """Drop exact repeats of a row; report anything else that would give two learners one id."""
    kept: list[Learner] = []
    by_id: dict[str, Learner] = {}
    for learner in learners:
        other = by_id.get(learner.id.lower())
        if other is None:
            by_id[learner.id.lower()] = learner
            kept.append(learner)
        elif (_fold(other.name), _fold(other.email)) == (_fold(learner.name), _fold(learner.email)) and \
                (learner.email or learner.id != made_id(learner.name, "")):
            notes.append(f"line {learner.row} repeats line {other.row} ({shown(learner.name, 40)!r}); kept once")
        elif learner.id != made_id(learner.name, learner.email):
            problems.append(f"line {learner.row}: the id {learner.id!r} is already used on line {other.row} "
                            "(ids are compared ignoring case); give each learner their own")
        elif learner.email and _fold(learner.email) == _fold(other.email):
            problems.append(f"line {learner.row}: {shown(learner.name, 40)!r} has the same email as "
                            f"{shown(other.name, 40)!r} on line {other.row}, and ids are made from the email; "
                            "correct the email, or add an 'id' column giving each learner their own id")
        else:
            problems.append(f"line {learner.row}: {shown(learner.name, 40)!r} cannot be told apart from line "
                            f"{other.row}; add an 'id' or 'email' column so two learners who share a name get two ids, "
                            "or delete the row if it repeats the other")
    names: dict[str, list[Learner]] = {}
    for learner in kept:
        names.setdefault(_fold(learner.name), []).append(learner)
    for same in names.values():
        if len(same) > 1:
            notes.append(f"{len(same)} learners share the name {shown(same[0].name, 40)!r} (lines "
                         f"{', '.join(str(s.row) for s in same)}); the manifest tells them apart by id and email")
    return kept


def read_roster(path: str | Path) -> Roster:
    """The roster at ``path`` (see :func:`parse`)."""
    file = Path(path)
    source = shown(str(file), 120)
    try:
        if file.is_dir():
            raise RosterError(source, ["it is a folder; give the roster CSV file itself"])
        size = file.stat().st_size
        if size > MAX_ROSTER_BYTES:
            raise RosterError(source, [f"it is {size / 1e6:.1f} MB; a class roster is at most "
                                       f"{MAX_ROSTER_BYTES / 1e6:.0f} MB, so this is probably not one"])
        data = file.read_bytes()
    except FileNotFoundError:
        raise RosterError(source, ["there is no such file"]) from None
    except OSError as error:
        raise RosterError(source, [f"it cannot be read ({error.strerror or error})"]) from None
    return parse(data, source)


def read_class_list(path: str | Path) -> list[Learner]:
    """The learners in either assign's ``manifest.csv`` (a ``learner_id`` column) or the original roster."""
    from .files import csv_uncell

    file = Path(path)
    roster = read_roster(file)  # the same checks and messages as for assign; a manifest has a name column too
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return roster.learners
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [cell.strip().casefold() for cell in rows[0]] if rows else []
    if "learner_id" not in header:
        return roster.learners
    at = {name: header.index(name) for name in ("learner_id", "name", "email") if name in header}
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {name: csv_uncell(cells[i].strip()) if i < len(cells) else "" for name, i in at.items()}
        if values.get("learner_id"):
            out.append(Learner(values["learner_id"], values.get("name", ""), values.get("email", ""), number))
    return out
