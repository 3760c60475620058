"""Handing lessons out: one parameterized, unexecuted copy per learner inside --out, a manifest, a zip, and links."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from lessonkit.content import load_course
from lessonkit.teacher import params as P
from lessonkit.teacher.assign import assign, for_learner, load_lesson
from lessonkit.teacher.files import OutsideFolderError
from lessonkit.teacher.links import LinkError, binder_url, links_text, nbgitpuller_url, parse_repo
from lessonkit.teacher.roster import read_roster

from .conftest import NOTEBOOKS, REPO

ROSTERS = Path(__file__).parent / "fixtures" / "teacher" / "rosters"
LESSONKIT = shutil.which("lessonkit") or str(Path(sys.executable).with_name("lessonkit"))


@pytest.fixture(scope="module")
def course():
    return load_course()


def specs_for(course, text: str) -> list[P.LessonSpec]:
    return [P.lesson_spec(entry, NOTEBOOKS) for entry in P.pick_lessons(course, text)]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LESSONKIT, *args], capture_output=True, text=True, timeout=180)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- lessons and parameters
def test_lessons_are_picked_by_number_or_id_in_course_order(course):
    """'02,1,01-music-producer' means lessons 01 and 02, once each, in course order; 'all' means every lesson."""
    assert [l.id for l in P.pick_lessons(course, "02,1,01-music-producer")] == ["01-music-producer",
                                                                                 "02-can-you-make-a-living"]
    assert len(P.pick_lessons(course, "all")) == len(course.lessons())


def test_an_unknown_lesson_lists_the_valid_ones(course):
    """An unknown lesson number is named, with every valid lesson and its id."""
    with pytest.raises(P.AssignError) as error:
        P.pick_lessons(course, "01,07")
    assert "Unknown lesson '07'" in str(error.value) and "01 (01-music-producer)" in str(error.value)


def test_every_lesson_parameter_is_typed_documented_and_explained_for_teachers(course):
    """papermill --help-notebook shows a type and a comment for every parameter, and docs/teaching.md explains it."""
    guide = (REPO / "docs" / "teaching.md").read_text(encoding="utf-8")
    for entry in course.lessons():
        spec = P.lesson_spec(entry, NOTEBOOKS)
        for param in spec.params.values():
            assert param.type in ("str", "int", "float", "bool"), (entry.id, param)
            assert param.help.strip(), (entry.id, param.name)
            assert f"`{param.name}`" in guide, f"docs/teaching.md does not explain {param.name}"


def test_parameters_are_turned_into_the_declared_types_and_checked(course):
    """'35' becomes the int 35, '50k' the target 50000, a lesson gets only the parameters it declares."""
    specs = specs_for(course, "01,02")
    values = P.parse_params(course, specs, ["week_hours=35", "target_income=50k", "due_date=2026-12-01"])
    assert values["01-music-producer"] == {"week_hours": 35, "target_income": 50000, "due_date": "2026-12-01"}
    assert values["02-can-you-make-a-living"] == {"target_income": 50000, "due_date": "2026-12-01"}


@pytest.mark.parametrize(("pair", "expected"), [
    ("wek_hours=30", ["no parameter 'wek_hours'", "Did you mean week_hours?", "week_hours (a whole number, lesson 01 only)"]),
    ("week_hours=forty", ["--param week_hours='forty'", "whole number of hours"]),
    ("week_hours=500", ["--param week_hours='500'"]),
    ("due_date=1/12/2026", ["YYYY-MM-DD"]),
    ("target_income=lots", ["--param target_income='lots'"]),
    ("learner_id=ada", ["set for each learner from the roster"]),
    ("just-a-word", ["is not NAME=VALUE"]),
])
def test_a_bad_parameter_gets_a_clear_message(course, pair, expected):
    """Unknown names list the valid parameters with their types; values of the wrong type say what is expected."""
    with pytest.raises(P.AssignError) as error:
        P.parse_params(course, specs_for(course, "01,02"), [pair])
    for text in expected:
        assert text in str(error.value)


def test_a_parameter_of_a_lesson_not_chosen_is_named_as_such(course):
    """start_with belongs to lesson 00: with lessons 01 only, the message says so."""
    every = [P.lesson_spec(entry, NOTEBOOKS) for entry in course.lessons()]
    with pytest.raises(P.AssignError, match="start_with belongs to lesson 00"):
        P.parse_params(course, specs_for(course, "01"), ["start_with=02"], every)
    assert P.parse_params(course, specs_for(course, "00"), ["start_with=2"])["00-start-here"] == {
        "start_with": "02-can-you-make-a-living"}


def test_lesson_03_settings_are_checked_together_with_the_lessons_defaults(course):
    """A mood or genre that does not exist, or a tempo outside the genre's range, is refused with the valid ones."""
    specs = specs_for(course, "03")
    genre = course.track.genres[-1]
    ok = [f"genre={genre.id}", f"tempo={genre.tempo.max}"]
    assert P.parse_params(course, specs, ok)["03-make-a-track"] == {"genre": genre.id, "tempo": genre.tempo.max}
    with pytest.raises(P.AssignError, match=f"Valid moods: {course.track.moods[0].id}"):
        P.parse_params(course, specs, ["mood=no-such-mood"])
    with pytest.raises(P.AssignError, match=f"between {genre.tempo.min} and {genre.tempo.max}"):
        P.parse_params(course, specs, [f"genre={genre.id}", f"tempo={genre.tempo.max + 50}"])


def test_values_are_read_by_the_lessons_own_parser(course):
    """A value is read by the parameter's parser in the registry: spaces around a number are fine, words are not."""
    specs = [spec for spec in specs_for(course, "all") if "tempo" in spec.params]
    lesson = specs[0].entry.id
    assert P.parse_params(course, specs, ["tempo= 0 "])[lesson] == {"tempo": 0}
    with pytest.raises(P.AssignError, match="--param tempo='fast': expected a whole number"):
        P.parse_params(course, specs, ["tempo=fast"])


# ---------------------------------------------------------------- the copies
def test_each_learner_gets_an_unexecuted_copy_with_their_own_id(course, tmp_path: Path):
    """Every copy has papermill's injected cell (hidden) after the parameters cell, its learner id, and no outputs."""
    roster = read_roster(ROSTERS / "plain.csv")
    specs = specs_for(course, "01,02")
    values = P.parse_params(course, specs, ["due_date=2026-12-01", "week_hours=35"])
    result = assign(roster, specs, values, tmp_path / "out", quiet=True)
    assert (result.learners, result.files) == (3, 6)
    for learner in roster.learners:
        path = tmp_path / "out" / learner.id / "01-music-producer.ipynb"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        tags = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in tags[0] and "injected-parameters" in tags[1]
        injected = nb.cells[[i for i, c in enumerate(nb.cells) if "injected-parameters" in c.metadata.get("tags", [])][0]]
        assert f'learner_id = "{learner.id}"' in injected.source and "week_hours = 35" in injected.source
        assert injected.metadata["jupyter"]["source_hidden"] is True
        assert nb.metadata.papermill["parameters"] == {"due_date": "2026-12-01", "week_hours": 35,
                                                       "learner_id": learner.id}
        assert nb.metadata.lessonkit == {"lesson": "01-music-producer"}
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
        assert pm.inspect_notebook(str(path))["learner_id"]["inferred_type_name"] == "str"
        second = nbformat.read(tmp_path / "out" / learner.id / "02-can-you-make-a-living.ipynb", as_version=4)
        assert "week_hours" not in second.metadata.papermill["parameters"]


def test_the_lesson_notebook_itself_is_never_changed(course):
    """Making a copy leaves the loaded lesson exactly as it was."""
    spec = specs_for(course, "02")[0]
    lesson = load_lesson(spec)
    before = json.dumps(lesson, sort_keys=True)
    for_learner(lesson, spec.entry.id, {"learner_id": "ada"})
    assert json.dumps(lesson, sort_keys=True) == before


def test_the_manifest_lists_ids_names_and_files(course, tmp_path: Path):
    """manifest.csv has one row per learner (id, name, email, files) and spreadsheet formulas stay text."""
    roster = read_roster(ROSTERS / "hostile-names.csv")
    assign(roster, specs_for(course, "00"), {}, tmp_path, quiet=True)
    rows = list(csv.DictReader((tmp_path / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["learner_id"] for r in rows] == [l.id for l in roster.learners]
    assert rows[0]["name"] == "../../etc/passwd" and rows[0]["files"] == f"{rows[0]['learner_id']}/00-start-here.ipynb"
    formula = next(r for r in rows if "HYPERLINK" in r["name"])
    assert formula["name"].startswith("'=")


def test_hostile_names_write_nothing_outside_out_and_never_become_paths(course, tmp_path: Path):
    """With names like ../../etc/passwd, CON and a/b\\c, every file lands in --out under a generated id."""
    out = tmp_path / "class" / "out"
    roster = read_roster(ROSTERS / "hostile-names.csv")
    assign(roster, specs_for(course, "00,02"), {}, out, zip_name="../../escape", quiet=True)
    everything = files_under(tmp_path)
    assert all(out in path.parents for path in everything)
    ids = {l.id for l in roster.learners}
    for path in everything:
        rel = path.relative_to(out).parts
        assert rel[0] in ids | {"manifest.csv", "escape.zip"}
        assert not any(name in str(path) for name in ("passwd", "CON", "script", "HYPERLINK"))


def test_a_link_inside_out_that_leads_elsewhere_is_refused(course, tmp_path: Path):
    """A symlinked learner folder pointing outside --out stops assign before anything is written through it."""
    roster = read_roster(ROSTERS / "plain.csv")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / roster.learners[0].id).symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutsideFolderError, match="outside the output folder"):
        assign(roster, specs_for(course, "00"), {}, out, quiet=True)
    assert list(outside.iterdir()) == []


def test_the_class_zip_holds_every_copy_and_no_names(course, tmp_path: Path):
    """--zip writes one zip of <id>/<lesson> entries for an LMS; the manifest (with names) stays out of it."""
    roster = read_roster(ROSTERS / "plain.csv")
    result = assign(roster, specs_for(course, "01,02"), {}, tmp_path, zip_name="Period 3 / Music", quiet=True)
    assert result.zip == tmp_path / "Period-3-Music.zip"
    with zipfile.ZipFile(result.zip) as archive:
        names = sorted(archive.namelist())
        assert archive.testzip() is None
        assert archive.read(names[0]) == (tmp_path / names[0]).read_bytes()
    assert names == sorted(f"{l.id}/{n}" for l in roster.learners
                           for n in ("01-music-producer.ipynb", "02-can-you-make-a-living.ipynb"))
    assert not list(tmp_path.glob("*.partial"))


def test_an_assigned_copy_runs_and_saves_answers_under_the_learner_id(course, tmp_path: Path):
    """Run by papermill, a learner's copy of lesson 00 opens with that learner's answers file."""
    roster = read_roster(ROSTERS / "plain.csv")
    answers = tmp_path / "answers"
    specs = specs_for(course, "00")
    assign(roster, specs, P.parse_params(course, specs, [f"answers_dir={answers}", "due_date=2026-12-01"]),
           tmp_path / "out", quiet=True)
    learner = roster.learners[2]
    path = tmp_path / "out" / learner.id / "00-start-here.ipynb"
    nb = pm.execute_notebook(str(path), str(tmp_path / "ran.ipynb"), kernel_name="python3", progress_bar=False,
                             cwd=str(path.parent))
    text = json.dumps([c.get("outputs") for c in nb.cells])
    assert learner.id in text and "Due Tuesday 01 December 2026" in text


# ---------------------------------------------------------------- the command
def test_the_command_writes_the_class_and_says_where(tmp_path: Path):
    """lessonkit assign prints what it wrote; without a terminal there is no progress bar on stderr."""
    result = cli("assign", "--roster", str(ROSTERS / "bom-semicolon.csv"), "--lessons", "01",
                 "--out", str(tmp_path), "--param", "due_date=2026-12-01", "--zip")
    assert result.returncode == 0, result.stderr
    assert "Wrote 2 notebooks for 2 learners" in result.stdout and "bom-semicolon.zip" in result.stdout
    assert result.stderr.splitlines() == ["note: skipped the byte-order mark at the start of the file",
                                          "note: read as semicolon-separated values",
                                          "note: ignored the column(s) 'e-mail'"]


@pytest.mark.parametrize(("args", "expected"), [
    (["--roster", str(ROSTERS / "hostile-ids.csv"), "--lessons", "01"], "9 problems"),
    (["--roster", str(ROSTERS / "plain.csv"), "--lessons", "9"], "Unknown lesson '9'"),
    (["--roster", str(ROSTERS / "plain.csv"), "--lessons", "01", "--param", "tempo=90"], "no parameter 'tempo'"),
    (["--roster", str(ROSTERS / "plain.csv"), "--lessons", "01", "--param", "required_prompts=patterns"],
     "'patterns' is not a prompt of lesson 01"),
    (["--roster", str(ROSTERS / "plain.csv"), "--lessons", "01", "--notebooks", "/no/such"], "--notebooks"),
    (["--roster", "/no/such.csv", "--lessons", "01"], "there is no such file"),
])
def test_the_command_fails_with_a_message_and_writes_nothing(tmp_path: Path, args, expected):
    """Every refusal is one clear message, exit status 1, no traceback, and an untouched --out."""
    result = cli("assign", *args, "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and expected in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_is_refused(tmp_path: Path):
    """--out naming a file is refused with a message."""
    (tmp_path / "out").write_text("not a folder")
    result = cli("assign", "--roster", str(ROSTERS / "plain.csv"), "--lessons", "00", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "is a file" in result.stderr


# ---------------------------------------------------------------- links
def test_binder_links_open_the_start_page_in_lab():
    """GitHub, GitLab and other hosts each get Binder's own link form, opening the start page in JupyterLab."""
    assert binder_url(parse_repo("https://github.com/someone/course.git/"), "main") == (
        "https://mybinder.org/v2/gh/someone/course/main?urlpath=lab/tree/notebooks/00-start-here.ipynb")
    assert binder_url(parse_repo("https://gitlab.com/group/sub/course"), "dev").startswith(
        "https://mybinder.org/v2/gl/group%2Fsub%2Fcourse/dev?")
    assert binder_url(parse_repo("https://git.example.edu/music/course"), "feature/x").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.example.edu%2Fmusic%2Fcourse/feature%2Fx?")


def test_the_nbgitpuller_link_clones_into_the_repository_folder():
    """The hub link pulls the repository and opens <repository name>/notebooks/00-start-here.ipynb."""
    url = nbgitpuller_url("https://hub.example.edu/", parse_repo("https://github.com/someone/course"), "main")
    assert url == ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Fcourse"
                   "&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00-start-here.ipynb&branch=main")


@pytest.mark.parametrize(("repo", "expected"), [
    ("git@github.com:someone/course.git", "https://github.com/someone/course"),
    ("github.com/someone/course", "not a web address"),
    ("https://github.com/someone", "does not name a repository"),
    ("javascript:alert(1)", "not a web address"),
])
def test_an_unusable_repository_address_is_explained(repo, expected):
    """SSH addresses, missing schemes and owner-only addresses get a message saying what to give instead."""
    with pytest.raises(LinkError, match=expected.replace("(", r"\(")):
        links_text(repo)


@pytest.mark.parametrize("repo", ["https://github.com/a/b)](javascript:alert(1))", 'https://github.com/a/"><script>',
                                  "https://github.com/a/b c", "https://github.com/a/b%29", "https://exa_mple.com/a/b",
                                  "https://github.com/a/b?x=1"])
def test_a_repository_address_that_could_break_out_of_a_link_is_refused(repo):
    with pytest.raises(LinkError, match="not a web address|does not name"):
        links_text(repo)


@pytest.mark.parametrize("repo", ["https://user:s3cret@github.com/a/b", "https://ghp_s3cret@github.com/a/b"])
def test_an_address_with_credentials_is_refused_without_repeating_them(repo):
    with pytest.raises(LinkError, match="user name or password") as caught:
        links_text(repo)
    assert "s3cret" not in str(caught.value) and "https://github.com/a/b" in str(caught.value)
    with pytest.raises(LinkError, match="user name or password") as caught:
        links_text("https://github.com/a/b", hub=repo)
    assert "s3cret" not in str(caught.value)


def test_every_part_of_a_link_is_url_encoded():
    """Branches with odd characters git allows stay inside the link and its badge."""
    text = links_text("https://github.com/some.one/my_course", "fix/(draft)#1", hub="https://hub.example.edu/my hub/")
    binder = "https://mybinder.org/v2/gh/some.one/my_course/fix%2F%28draft%29%231?urlpath="
    assert binder in text and "branch=fix%2F%28draft%29%231" in text and "https://hub.example.edu/my%20hub/hub/" in text
    badge_line = text.splitlines()[-1]
    assert badge_line.count("(") == badge_line.count(")") == 2 and badge_line.endswith("00-start-here.ipynb)")
    for branch in ("a..b", "-x", "x y", "main.lock", ""):
        with pytest.raises(LinkError, match="not a branch name"):
            links_text("https://github.com/a/b", branch)


def test_the_links_command_prints_both_links_and_a_badge():
    """lessonkit links prints the Binder link, the nbgitpuller link with --hub, and a README badge."""
    result = cli("links", "--repo", "https://github.com/someone/course", "--hub", "https://hub.example.edu")
    assert result.returncode == 0
    assert "https://mybinder.org/v2/gh/someone/course/main?urlpath=lab/tree/notebooks/00-start-here.ipynb" in result.stdout
    assert "/hub/user-redirect/git-pull?repo=" in result.stdout
    assert "[![Open the course in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/" in result.stdout
    bad = cli("links", "--repo", "ftp://x/y/z")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_required_prompts_are_checked_against_each_lessons_own_prompts(course):
    """required_prompts must name prompts of every chosen lesson that takes it; a lesson without one of the ids
    stops assign with that lesson's valid ids. Blanks and spaces are tidied, and "" requires nothing."""
    values = P.parse_params(course, specs_for(course, "02"), ["required_prompts= patterns, own-capacities,"])
    assert values["02-can-you-make-a-living"] == {"required_prompts": "patterns,own-capacities"}
    assert P.parse_params(course, specs_for(course, "00,01"), ["required_prompts="]) == {
        "00-start-here": {"required_prompts": ""}, "01-music-producer": {"required_prompts": ""}}
    with pytest.raises(P.AssignError) as error:
        P.parse_params(course, specs_for(course, "01,02"), ["required_prompts=patterns"])
    text = str(error.value)
    assert "--param required_prompts='patterns' does not fit lesson 01" in text
    assert "Valid prompt ids: would-you-like-it, definition-of-success" in text and "one lesson at a time" in text
    with pytest.raises(P.AssignError, match="lesson 00 .* has no prompts"):
        P.parse_params(course, specs_for(course, "00"), ["required_prompts=patterns"])


def test_required_prompts_reach_each_copy(course, tmp_path: Path):
    """The checked ids are injected into every learner's copy and recorded in papermill's metadata."""
    roster = read_roster(ROSTERS / "plain.csv")
    specs = specs_for(course, "02")
    assign(roster, specs, P.parse_params(course, specs, ["required_prompts=patterns , own-capacities"]),
           tmp_path, quiet=True)
    nb = nbformat.read(tmp_path / roster.learners[0].id / "02-can-you-make-a-living.ipynb", as_version=4)
    assert nb.metadata.papermill["parameters"]["required_prompts"] == "patterns,own-capacities"
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'required_prompts = "patterns,own-capacities"' in injected.source


def test_open_extensions_is_checked_like_the_lessons_own_parameter(course):
    """The start page and the extension lesson take it; a value that is not true or false says what is expected."""
    specs = specs_for(course, "00,03")
    values = P.parse_params(course, specs, ["open_extensions=yes"])
    assert values["00-start-here"]["open_extensions"] is True and values["03-make-a-track"]["open_extensions"] is True
    assert P.parse_params(course, specs, ["open_extensions=false"])["03-make-a-track"]["open_extensions"] is False
    with pytest.raises(P.AssignError, match=r"--param open_extensions='perhaps': expected True .* or False"):
        P.parse_params(course, specs, ["open_extensions=perhaps"])
