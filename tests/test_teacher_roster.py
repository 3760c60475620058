"""Reading a class roster: every learner gets a pseudonymous, file-safe id; hostile or broken rosters get clear messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lessonkit.identity import parse_learner_id
from lessonkit.teacher.files import csv_bytes
from lessonkit.teacher.roster import (ID_PATTERN, MAX_ROSTER_BYTES, RosterError, made_id, parse, read_class_list,
                                      read_roster)

ROSTERS = Path(__file__).parent / "fixtures" / "teacher" / "rosters"


def problems(name: str) -> list[str]:
    with pytest.raises(RosterError) as error:
        read_roster(ROSTERS / name)
    assert "nothing was written" in str(error.value)
    return error.value.problems


def test_a_plain_roster_gives_stable_pseudonymous_ids():
    """Ids come from the id column when given, else from a hash that holds no part of the name."""
    roster = read_roster(ROSTERS / "plain.csv")
    ids = [learner.id for learner in roster.learners]
    assert ids[2] == "kj-1918"
    assert ids[:2] == [learner.id for learner in read_roster(ROSTERS / "plain.csv").learners][:2]
    for learner in roster.learners[:2]:
        assert learner.id.startswith("learner-") and "ada" not in learner.id and "grace" not in learner.id
    assert roster.learners[0].email == "ada@example.org" and roster.notes == []


def test_generated_ids_ignore_case_and_spacing_of_the_email_or_name():
    """The same person typed differently keeps one id, so re-assigning keeps each learner's answers file."""
    assert made_id("Ada Lovelace", "ADA@Example.org ") == made_id("ada lovelace", "ada@example.org")
    assert made_id("Ada  Lovelace", "") == made_id("ada lovelace", "")
    assert made_id("Ada Lovelace", "") != made_id("Ada Lovelace", "ada@example.org")


def test_a_byte_order_mark_and_semicolons_are_read_with_notes():
    """A BOM is skipped, a semicolon-separated file is read, headers match ignoring case, and each fix is noted."""
    roster = read_roster(ROSTERS / "bom-semicolon.csv")
    assert [learner.name for learner in roster.learners] == ["Ada Lovelace", "Grace Hopper"]
    assert roster.learners[1].email == "grace@example.org"
    assert any("byte-order mark" in note for note in roster.notes)
    assert any("semicolon" in note for note in roster.notes)
    assert any("e-mail" in note for note in roster.notes)


def test_a_utf16_tab_separated_export_is_read():
    """Excel's 'Unicode Text' (UTF-16 with tabs) works too."""
    roster = parse("name\temail\r\nZoë Ng\tzoe@example.org\r\n".encode("utf-16"), "unicode.txt")
    assert roster.learners[0].name == "Zoë Ng" and any("UTF-16" in note for note in roster.notes)


def test_blank_rows_are_skipped_and_counted():
    """Empty lines and rows of empty cells are skipped, and the note says which lines."""
    roster = read_roster(ROSTERS / "empty-rows.csv")
    assert [learner.name for learner in roster.learners] == ["Ada Lovelace", "Grace Hopper"]
    assert roster.notes == ["skipped 4 blank row(s) (lines 2, 4, 5, 7)"]


def test_unicode_names_are_kept_and_their_ids_are_ascii():
    """Names in any script stay as typed; their ids are plain ASCII file names."""
    roster = read_roster(ROSTERS / "unicode-names.csv")
    assert [learner.name for learner in roster.learners] == ["Élodie Durand", "李小龙", "محمد علي", "Zoë 🎧 Ng"]
    assert all(ID_PATTERN.match(learner.id) and learner.id.isascii() for learner in roster.learners)


def test_hostile_names_never_shape_an_id():
    """Slashes, '..', device names, markup and formulas stay in the name; every id is a safe generated one."""
    roster = read_roster(ROSTERS / "hostile-names.csv")
    names = [learner.name for learner in roster.learners]
    assert "../../etc/passwd" in names and "CON" in names and "<script>alert(1)</script>" in names
    assert any(len(name) == 190 for name in names)
    for learner in roster.learners:
        assert re.fullmatch(r"learner-[a-z2-7]{8}", learner.id)
        assert parse_learner_id(learner.id) == learner.id
    assert len({learner.id for learner in roster.learners}) == len(roster.learners)


def test_hostile_ids_are_each_reported_with_their_line():
    """Ids with '..', slashes, leading dots, device names, taken names, too much length or a case-clash are refused."""
    found = problems("hostile-ids.csv")
    assert [p.split(":")[0] for p in found] == [f"line {n}" for n in (2, 3, 4, 5, 6, 7, 9, 10, 11)]
    assert "'../escape' is not usable as a file name" in found[0]
    assert "reserves for devices" in found[1] and "reserves for devices" in found[7]
    assert "would take the name of a file assign writes" in found[4]
    assert "already used on line 8" in found[6]


def test_two_learners_sharing_a_name_need_an_id_or_email():
    """Rows with one name and nothing else to tell them apart are refused; with emails they are two learners."""
    assert "cannot be told apart from line 2" in problems("duplicate-names-no-email.csv")[0]
    roster = read_roster(ROSTERS / "duplicate-names-with-email.csv")
    assert len(roster.learners) == 2 and roster.learners[0].id != roster.learners[1].id
    assert any("repeats line 2" in note for note in roster.notes)
    assert any("2 learners share the name 'Sam Lee'" in note for note in roster.notes)


@pytest.mark.parametrize(("fixture", "expected"), [
    ("missing-name-column.csv", "no 'name' column in the header (columns found: 'full name', 'email')"),
    ("comma-in-name.csv", "a name with a comma must be in double quotes"),
    ("latin1.csv", "byte 0xe9 is not UTF-8 text"),
    ("long-name.csv", "the name is 300 characters long (at most 200)"),
    ("stray-quote.csv", "check for a stray quote mark"),
    ("header-only.csv", "it has a header but no learners"),
    ("empty.csv", "it is empty"),
])
def test_broken_rosters_get_one_clear_message_each(fixture, expected):
    """Each kind of broken roster says what is wrong and how to fix it."""
    assert any(expected in problem for problem in problems(fixture))


@pytest.mark.parametrize(("data", "expected"), [
    (b"PK\x03\x04" + b"\x00" * 40, "spreadsheet workbook"),
    (b"name\x00\x01\x02\x00binary", "binary file"),
    (b"name\n" + b"x" * (MAX_ROSTER_BYTES + 1), "is probably not one"),
    (b"name\nBob\x07\n", "control characters"),
    (b"name,email\nBob,not-an-address\n", "does not look like an email address"),
    (b"name,name\nBob,Bob\n", "more than once"),
])
def test_files_that_are_not_rosters_are_refused(data, expected):
    """A workbook, binary junk, an oversized file, control characters, a bad email or a doubled column are refused."""
    with pytest.raises(RosterError) as error:
        parse(data, "roster.csv")
    assert expected in str(error.value)


def test_a_missing_file_or_a_folder_is_explained(tmp_path: Path):
    """A roster path that does not exist, or is a folder, gets a message rather than a traceback."""
    with pytest.raises(RosterError, match="there is no such file"):
        read_roster(tmp_path / "nope.csv")
    with pytest.raises(RosterError, match="it is a folder"):
        read_roster(tmp_path)


def test_the_class_list_is_read_from_a_manifest_or_a_roster(tmp_path: Path):
    """collect --roster takes assign's manifest (ids as written) or the roster itself (the same ids)."""
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes(csv_bytes(["learner_id", "name", "email", "files"],
                                   [["kj-1918", "=cmd|' /C calc'!A0", "kj@example.org", "kj-1918/x.ipynb"]]))
    learners = read_class_list(manifest)
    assert [(l.id, l.name, l.email) for l in learners] == [("kj-1918", "=cmd|' /C calc'!A0", "kj@example.org")]
    from_roster = read_class_list(ROSTERS / "plain.csv")
    assert [l.id for l in from_roster] == [l.id for l in read_roster(ROSTERS / "plain.csv").learners]


def test_two_learners_sharing_an_email_are_told_to_correct_it():
    """Two different names with one email get ids from that email: the hint says so, not 'add an email column'."""
    with pytest.raises(RosterError) as error:
        parse("name,email\nAda Lovelace,ada@example.org\nGrace Hopper,ADA@example.org\n".encode(), "class.csv")
    (problem,) = error.value.problems
    assert problem.startswith("line 3: 'Grace Hopper' has the same email as 'Ada Lovelace' on line 2")
    assert "correct the email, or add an 'id' column" in problem and "add an 'id' or 'email' column" not in problem


def test_an_id_named_like_the_class_zip_while_it_is_written_is_refused(tmp_path: Path):
    """`assign --zip` writes <class>.zip.partial first: an id of that name gets a sentence, never [Errno 17]."""
    from .test_cli import cli

    roster = tmp_path / "class.csv"
    roster.write_text("name,id\nAda,class.zip.partial\n", encoding="utf-8")
    result = cli("assign", "--roster", str(roster), "--lessons", "00", "--out", str(tmp_path / "out"), "--zip")
    assert result.returncode == 1 and "Errno" not in result.stderr and "Traceback" not in result.stderr
    assert "'class.zip.partial' would take the name of a file assign writes" in result.stderr


def test_a_file_in_out_named_like_a_learner_is_explained(tmp_path: Path):
    from .test_cli import cli

    roster = tmp_path / "class.csv"
    roster.write_text("name,id\nAda,ada\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "ada").write_text("a teacher's note", encoding="utf-8")
    result = cli("assign", "--roster", str(roster), "--lessons", "00", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "is a file, so the copies of learner 'ada' cannot go in a folder" in result.stderr
    assert (tmp_path / "out" / "ada").read_text(encoding="utf-8") == "a teacher's note"
