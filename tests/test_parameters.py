"""The lesson-parameter registry: one definition per parameter, read by the notebooks' cells and the parsers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import pytest

from lessonkit import parameters as P
from lessonkit.content import load_course
from lessonkit.errors import ContentError, ParameterError

from .conftest import edit


def _notebook_with(tmp_path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                           "display_name": "Python 3"}})
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_each_lessons_parameters_cell_is_what_papermill_documents(course, tmp_path: Path):
    """papermill reads every parameter of the cell with the registry's type, default and help, in registry order."""
    import papermill

    for entry in course.lessons():
        cell, _ = P.notebook_sources(entry)
        found = papermill.inspect_notebook(str(_notebook_with(tmp_path, cell)))
        expected = P.for_lesson(entry)
        assert list(found) == [p.name for p in expected]
        for param in expected:
            seen = found[param.name]
            assert seen["inferred_type_name"] == param.type_name
            assert eval(seen["default"]) == param.default  # noqa: S307 (the cell's own literal)
            assert seen["help"] == param.help


def test_the_open_lesson_cell_passes_every_parameter_the_lesson_takes(course):
    for entry in course.lessons():
        _, cell = P.notebook_sources(entry)
        call = next(line for line in cell.splitlines() if line.startswith("lesson = lessonkit.open_lesson("))
        assert call.startswith(f'lesson = lessonkit.open_lesson("{entry.id}"')
        assert call.count("=") - 1 == len(P.for_lesson(entry))
        for param in P.for_lesson(entry):
            assert f", {param.name}={param.name}" in call
        assert cell.splitlines()[0] == "import lessonkit" and cell.splitlines()[-1] == "lesson"


def test_which_lessons_take_a_parameter_follows_the_features_in_course_yaml(course):
    for entry in course.lessons():
        features = P.lesson_features(entry)
        for param in P.all_parameters():
            assert param.takes(entry) == (not param.features or bool(features & set(param.features)))
    assert all(p.takes(entry) for p in P.all_parameters() if not p.features for entry in course.lessons())


def test_an_unknown_feature_in_course_yaml_is_named_by_file_and_field(data_copy: Path):
    edit(data_copy / "course.yaml", "features: [pay]", "features: [pay, wizardry]")
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    message = str(caught.value)
    assert "course.yaml" in message and "features" in message and "wizardry" in message
    assert all(feature in message for feature in P.known_features())


def test_a_name_the_lesson_does_not_take_lists_the_ones_it_does(course):
    entry = next(e for e in course.lessons() if not P.get("week_hours").takes(e))
    ctx = P.Context(course, entry)
    with pytest.raises(ParameterError) as caught:
        P.parse_for_lesson({"week_hours": 30}, ctx)
    assert P.names_for(entry) in str(caught.value) and "belongs to other lessons" in str(caught.value)
    with pytest.raises(ParameterError, match="Did you mean due_date"):
        P.parse_for_lesson({"due_dat": "2026-12-01"}, ctx)


@pytest.mark.parametrize("words, expected", [("yes", True), ("On", True), ("1", True), (True, True),
                                             ("no", False), ("", False), ("off", False), (False, False)])
def test_one_rule_for_true_and_false(words, expected):
    assert P.get("open_extensions").read(words) is expected


@pytest.mark.parametrize("words", ["maybe", 2, None, 1.5])
def test_other_words_for_a_bool_say_what_is_expected(words):
    with pytest.raises(ParameterError, match="expected True"):
        P.get("open_extensions").read(words)


def test_a_due_date_is_read_and_written_back_the_same():
    due = P.get("due_date")
    assert due.read(" 2026-12-01 ") == dt.date(2026, 12, 1) and due.dump(due.read("2026-12-01")) == "2026-12-01"
    assert due.read("") is None and due.dump(None) == ""


def test_required_prompts_are_checked_against_the_lessons_own_prompts(course):
    entry = next(e for e in course.lessons() if course.lesson_prompts(e.id))
    ids = [p.id for p in course.lesson_prompts(entry.id)]
    param = P.get("required_prompts")
    assert param.read(f" {ids[0]} , ,{ids[0]}", P.Context(course, entry)) == (ids[0],)
    with pytest.raises(ParameterError, match=ids[0]):  # the message lists the valid ids
        param.read("not-a-prompt", P.Context(course, entry))


def test_the_track_settings_are_checked_together(course):
    entry = next(e for e in course.lessons() if P.get("tempo").takes(e))
    genre = course.track.genres[0]
    ctx = P.Context(course, entry)
    assert P.parse_for_lesson({"genre": genre.id, "tempo": genre.tempo.min}, ctx)["tempo"] == genre.tempo.min
    with pytest.raises(ParameterError, match=str(genre.tempo.max)):
        P.parse_for_lesson({"genre": genre.id, "tempo": genre.tempo.max + 1}, ctx)


def test_the_table_lists_every_parameter_once():
    rows = P.table().splitlines()[2:]
    assert [row.split("`")[1] for row in rows] == [p.name for p in P.all_parameters()]


def test_a_registered_parameter_appears_in_the_cells_of_the_lessons_that_take_it(course):
    """Adding a parameter is one register() call: the parameters and open-lesson cells pick it up."""
    feature = sorted(P.known_features())[0]
    param = P.register(P.Parameter("practice_minutes", int, 15, "minutes of practice a day",
                                   P.whole_number("practice_minutes", 0, 600, "expected 0 to 600 minutes"),
                                   features=(feature,)))
    try:
        for entry in course.lessons():
            cell, call = P.notebook_sources(entry)
            takes = feature in P.lesson_features(entry)
            assert (param.line() in cell.splitlines()) == takes
            assert ("practice_minutes=practice_minutes" in call) == takes
        assert param.read("30") == 30
        with pytest.raises(ParameterError, match="0 to 600"):
            param.read("lots")
    finally:
        P.unregister("practice_minutes")
