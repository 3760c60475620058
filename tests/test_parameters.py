"""The lesson-parameter registry: one definition per parameter, read by the notebooks' cells and the parsers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import pytest

from lessonkit import parameters as P
from lessonkit.content import load_course
from lessonkit.errors import ContentError, ParameterError

from .conftest import REPO, edit


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
    """`lessonkit check` names it, and a lesson will not open with its parameters silently missing."""
    import lessonkit
    from lessonkit.notebooks import problems

    edit(data_copy / "course.yaml", "features: [pay]", "features: [pay, wizardry]")
    course = load_course(data_copy)
    entry = next(e for e in course.lessons() if "wizardry" in e.features)
    found = [str(p) for p in problems(course, REPO / "notebooks")]
    assert len(found) == 1 and found[0].startswith(f"course.yaml: lesson {entry.id}: features: 'wizardry' is not")
    assert all(feature in found[0] for feature in P.known_features())
    with pytest.raises(ContentError, match="wizardry"):
        lessonkit.open_lesson(entry.id, data_dir=str(data_copy))


def test_a_name_the_lesson_does_not_take_lists_the_ones_it_does(course):
    entry = next(e for e in course.lessons() if not P.get("week_hours").takes(e))
    ctx = P.Context(course, entry)
    with pytest.raises(ParameterError) as caught:
        P.parse_for_lesson({"week_hours": 30}, ctx)
    owners = ", ".join(f"{e.number:02d}" for e in course.lessons() if P.get("week_hours").takes(e))
    assert str(caught.value) == (f"Lesson {entry.number:02d} ({entry.id}) takes no parameter 'week_hours'. "
                                 f"week_hours belongs to lesson {owners}. Its parameters: {P.names_for(entry)}.")
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


def test_each_table_lists_every_parameter_once_with_the_lessons_that_take_it(course):
    from lessonkit import parameter_docs

    for make in parameter_docs.TABLES.values():
        rows = make(course).splitlines()[2:]
        assert [row.split("`")[1] for row in rows] == [p.name for p in P.all_parameters()]
        for row, param in zip(rows, P.all_parameters()):
            taking = [f"{e.number:02d}" for e in course.lessons() if param.takes(e)]
            assert row.split(" | ")[1] == ("all" if len(taking) == len(course.lessons()) else ", ".join(taking))


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


# ---------------------------------------------------------------- one parser for open_lesson and assign
COURSE = load_course()
NAMES = [p.name for p in P.all_parameters()]
NOT_A_VALUE = "¿?"  # no parameter's parser can turn this into something sensible


def _taking(name: str) -> list:
    return [entry for entry in COURSE.lessons() if P.get(name).takes(entry)]


def test_every_parameter_is_taken_by_some_lesson_and_has_an_example():
    for param in P.all_parameters():
        assert _taking(param.name), param.name
        assert param.example is not None and param.help and param.type in (str, int, bool), param.name


@pytest.mark.parametrize("name", NAMES)
def test_a_parameter_is_read_the_same_by_open_lesson_and_by_assign(name, tmp_path: Path, monkeypatch):
    """The value a lesson gets from open_lesson is the value assign writes into its copy, read back by the lesson."""
    import lessonkit
    from lessonkit.teacher import params as T

    monkeypatch.chdir(tmp_path)  # example folders (answers_dir, export_dir) are made here
    param = P.get(name)
    for entry in _taking(name):
        ctx = P.Context(COURSE, entry)
        example = param.example(ctx)
        expected = param.read(example, ctx)
        assert expected != param.read(param.default, ctx) or example == "", (name, entry.id)
        opened = lessonkit.open_lesson(entry.id, **{name: example})
        assert opened.params[name] == expected
        assert opened.params.keys() == {p.name for p in P.for_lesson(entry)}
        if param.per_learner:
            with pytest.raises(T.AssignError, match="set for each learner"):
                T.parse_params(COURSE, [T.lesson_spec(entry, REPO / "notebooks")], [f"{name}={example}"])
            continue
        spec = T.lesson_spec(entry, REPO / "notebooks")
        written = T.parse_params(COURSE, [spec], [f"{name}={example}"])[entry.id][name]
        assert isinstance(written, param.type) and param.read(written, ctx) == expected


@pytest.mark.parametrize("name", NAMES)
def test_a_bad_value_gets_the_same_message_from_open_lesson_and_assign(name, tmp_path: Path, monkeypatch):
    import lessonkit
    from lessonkit.teacher import params as T

    monkeypatch.chdir(tmp_path)
    param = P.get(name)
    for entry in _taking(name):
        try:
            param.read(NOT_A_VALUE, P.Context(COURSE, entry))
        except ParameterError as error:
            expected = error.expected
        else:
            continue  # free text (a folder name): nothing to refuse here
        with pytest.raises(ParameterError) as caught:
            lessonkit.open_lesson(entry.id, **{name: NOT_A_VALUE})
        assert expected in str(caught.value)
        if not param.per_learner:
            with pytest.raises(T.AssignError) as refused:
                T.parse_params(COURSE, [T.lesson_spec(entry, REPO / "notebooks")], [f"{name}={NOT_A_VALUE}"])
            assert expected in str(refused.value)


def test_open_lesson_refuses_a_parameter_the_lesson_does_not_take():
    import lessonkit

    entry, param = next((e, p) for p in P.all_parameters() for e in COURSE.lessons() if not p.takes(e))
    with pytest.raises(ParameterError) as caught:
        lessonkit.open_lesson(entry.id, **{param.name: param.default})
    assert P.names_for(entry) in str(caught.value)


# ---------------------------------------------------------------- generated text stays generated
def test_the_notebooks_parameters_and_open_lesson_cells_are_what_the_registry_writes():
    for entry in COURSE.lessons():
        nb = nbformat.read(REPO / "notebooks" / entry.notebook, as_version=4)
        cells = {cell.get("id"): cell.source for cell in nb.cells}
        assert (cells["parameters"], cells["open-lesson"]) == P.notebook_sources(entry), entry.notebook


def test_the_docs_tables_are_what_the_registry_writes():
    from lessonkit import parameter_docs

    assert parameter_docs.drift(COURSE, REPO) == []


def test_a_changed_parameter_makes_its_tables_drift_until_synced(tmp_path: Path):
    from lessonkit import parameter_docs

    for name in parameter_docs.TABLES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((REPO / name).read_text(encoding="utf-8"), encoding="utf-8")
    edit(tmp_path / "README.md", "| `due_date` |", "| `due_on` |")
    assert parameter_docs.drift(COURSE, tmp_path) == [
        "README.md: the lesson-parameter table differs from lessonkit/course_parameters.py"]
    assert parameter_docs.write(COURSE, tmp_path) == ["README.md"]
    assert parameter_docs.drift(COURSE, tmp_path) == []
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == (REPO / "README.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- adding a parameter
def test_a_new_parameter_reaches_the_cells_open_lesson_assign_and_the_docs(tmp_path: Path, notebooks_copy: Path):
    """One register() call: `lessonkit sync` writes it into the cells, and open_lesson, assign and the docs take it."""
    import lessonkit
    from lessonkit import parameter_docs
    from lessonkit.notebooks import drift, sync
    from lessonkit.teacher import params as T

    feature = "pay"
    param = P.register(P.Parameter("practice_minutes", int, 15, "minutes of practice a day",
                                   P.whole_number("practice_minutes", 0, 600, "expected 0 to 600 minutes"),
                                   features=(feature,), example=lambda ctx: "30"))
    try:
        entry = next(e for e in COURSE.lessons() if feature in P.lesson_features(e))
        other = next(e for e in COURSE.lessons() if feature not in P.lesson_features(e))
        assert lessonkit.open_lesson(entry.id, practice_minutes="30").params["practice_minutes"] == 30
        assert lessonkit.open_lesson(entry.id).params["practice_minutes"] == 15
        with pytest.raises(ParameterError, match="expected 0 to 600 minutes"):
            lessonkit.open_lesson(entry.id, practice_minutes=900)
        with pytest.raises(ParameterError, match="takes no parameter 'practice_minutes'"):
            lessonkit.open_lesson(other.id, practice_minutes=30)
        # assign reads the notebook papermill sees: until `lessonkit sync` it does not declare the parameter
        with pytest.raises(T.AssignError, match="lessonkit sync"):
            T.parse_params(COURSE, [T.lesson_spec(entry, notebooks_copy)], ["practice_minutes=30"])
        assert [d.cell for d in drift(COURSE, notebooks_copy)] == ["parameters", "open-lesson"] * len(
            [e for e in COURSE.lessons() if param.takes(e)])
        assert sync(COURSE, notebooks_copy) == [e.notebook for e in COURSE.lessons() if param.takes(e)]
        cells = {c.get("id"): c.source for c in nbformat.read(notebooks_copy / entry.notebook, as_version=4).cells}
        assert param.line() in cells["parameters"] and "practice_minutes=practice_minutes" in cells["open-lesson"]
        spec = T.lesson_spec(entry, notebooks_copy)
        assert spec.params["practice_minutes"].default == "15"
        assert T.parse_params(COURSE, [spec], ["practice_minutes=30"])[entry.id] == {"practice_minutes": 30}
        assert "| `practice_minutes` |" in parameter_docs.readme_table(COURSE)
        assert parameter_docs.drift(COURSE, REPO)  # the docs say they are out of date
    finally:
        P.unregister("practice_minutes")


def test_which_parameters_a_lesson_takes_is_changed_in_course_yaml_alone(data_copy: Path):
    """Giving a lesson a feature in course.yaml gives it that feature's parameters: no Python to change."""
    course = load_course(data_copy)
    entry = next(e for e in course.lessons() if "pay" not in P.lesson_features(e))
    pay = [p.name for p in P.all_parameters() if "pay" in p.features]
    assert not set(pay) & {p.name for p in P.for_lesson(entry)}
    text = (data_copy / "course.yaml").read_text(encoding="utf-8")
    features = f"features: [{', '.join(entry.features)}]" if entry.features else None
    assert features is None or text.count(features) == 1
    edit(data_copy / "course.yaml", f"notebook: {entry.notebook}", f"notebook: {entry.notebook}\n"
         f"            features: [{', '.join([*entry.features, 'pay'])}]")
    if features:
        edit(data_copy / "course.yaml", f"\n            {features}", "")
    changed = load_course(data_copy).lesson(entry.id)
    assert set(pay) <= {p.name for p in P.for_lesson(changed)}
    cell, call = P.notebook_sources(changed)
    assert all(P.get(name).line() in cell and f"{name}={name}" in call for name in pay)


def test_the_start_page_sends_learners_to_the_next_lesson_unless_told_otherwise(course):
    entry = next(e for e in course.lessons() if P.get("start_with").takes(e))
    after = course.neighbours(entry.id)[1]
    ctx = P.Context(course, entry)
    assert P.get("start_with").read("", ctx) == after.id
    last = course.lessons()[-1]
    assert P.get("start_with").read(f"{last.number}", ctx) == last.id
    assert P.get("start_with").read("", P.Context(course, last)) == ""  # nothing comes after the last lesson
