"""Lessons run under papermill with a teacher's parameters, and a bad parameter stops the first lesson cell with a clear message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from lessonkit.content import load_course

from .conftest import NOTEBOOKS, edit

LESSON_IDS = ["00-start-here", "01-music-producer", "02-can-you-make-a-living"]


def run(path: Path, out: Path, **parameters):
    return pm.execute_notebook(str(path), str(out), parameters=parameters, kernel_name="python3",
                               progress_bar=False, cwd=str(path.parent))


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts += [str(output.get("data", {}).get("text/plain", "")), str(output.get("evalue", "")),
                      "\n".join(output.get("traceback", []))]
    return "\n".join(parts)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_runs_with_non_default_parameters(lesson_id, data_copy: Path, tmp_path: Path):
    extra = {"start_with": "02-can-you-make-a-living"} if lesson_id == "00-start-here" else {}
    nb = run(NOTEBOOKS / f"{lesson_id}.ipynb", tmp_path / "out.ipynb",
             data_dir=str(data_copy), due_date="2026-12-01", **extra)
    text = outputs_text(nb)
    assert "is ready" in text and "Due Tuesday 01 December 2026" in text
    if extra:
        assert "Begin with Lesson 02 · Can You Make a Living Making Music?" in text


@pytest.mark.parametrize(
    ("lesson_id", "parameters", "expected"),
    [
        ("00-start-here", {"start_with": "09-jazz"}, ["start_with = '09-jazz'", "Valid lessons: 00 (00-start-here), "
                                                      "01 (01-music-producer), 02 (02-can-you-make-a-living)"]),
        ("01-music-producer", {"due_date": "next friday"}, ["due_date = 'next friday'", "YYYY-MM-DD"]),
        ("02-can-you-make-a-living", {"data_dir": "/no/such/folder"}, ["/no/such/folder", "does not exist"]),
        ("01-music-producer", {"required_prompts": "definition-of-success,patterns"},
         ["required_prompts = 'definition-of-success,patterns'", "'patterns' is not a prompt of lesson 01",
          "Valid prompt ids: would-you-like-it, definition-of-success"]),
    ],
)
def test_a_bad_parameter_fails_in_the_first_lesson_cell(lesson_id, parameters, expected, tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError) as error:
        run(NOTEBOOKS / f"{lesson_id}.ipynb", tmp_path / "out.ipynb", **parameters)
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    # parameters, the injected parameters, then the first lessonkit cell: that is where it stops.
    assert "injected-parameters" in code[1].metadata.get("tags", [])
    failed = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)]
    assert failed == [2]
    shown = "\n".join(code[2].outputs[0].traceback)
    for snippet in expected:
        assert snippet in str(error.value) and snippet in shown
    assert "Traceback" not in shown and "File " not in shown  # a message, not a Python traceback


def test_required_prompts_reach_the_lesson_and_its_finish_box(tmp_path: Path):
    """With required_prompts set to a real prompt, lesson 01 runs; its status line and finish box name the prompt."""
    nb = run(NOTEBOOKS / "01-music-producer.ipynb", tmp_path / "out.ipynb", required_prompts="definition-of-success",
             answers_dir=str(tmp_path / "answers"))
    shown = {c.get("id"): "".join(str(o.get("data", {}).get("text/plain", "")) for o in c.outputs)
             for c in nb.cells if c.cell_type == "code"}
    assert "Before you mark it complete, answer: Your definition of success." in shown["open-lesson"]
    assert ("Required before you mark this lesson complete: Your definition of success. 0 of 1 answered."
            in shown["finish-lesson"])


def test_broken_content_lists_its_problems_in_the_lesson(data_copy: Path, tmp_path: Path):
    edit(data_copy / "careers" / "music-producer.yaml", "share: 25,", "share: 35,")
    with pytest.raises(pm.PapermillExecutionError) as error:
        run(NOTEBOOKS / "01-music-producer.ipynb", tmp_path / "out.ipynb", data_dir=str(data_copy))
    assert "careers/music-producer.yaml" in str(error.value) and "sum to 110" in str(error.value)


def test_a_copy_in_a_teachers_folder_still_finds_the_course(tmp_path: Path):
    folder = tmp_path / "class-7b"
    folder.mkdir()
    shutil.copy(NOTEBOOKS / "02-can-you-make-a-living.ipynb", folder / "lesson.ipynb")
    nb = run(folder / "lesson.ipynb", folder / "lesson-run.ipynb")
    assert "Can You Make a Living Making Music? is ready" in outputs_text(nb)


@pytest.mark.parametrize("lesson_id", [entry.id for entry in load_course().lessons()])
def test_papermill_sets_every_parameter_of_the_lesson(lesson_id, tmp_path: Path):
    """`papermill -p NAME VALUE` for each parameter the registry gives the lesson reaches the lesson as it is read.

    Only the lesson's parameters and open-lesson cells run (the rest of the lesson is run above), with every
    parameter set at once to its registry example."""
    from lessonkit import parameters as P

    course = load_course()
    entry = course.lesson(lesson_id)
    ctx = P.Context(course, entry)
    lesson_nb = nbformat.read(NOTEBOOKS / entry.notebook, as_version=4)
    nb = nbformat.v4.new_notebook(metadata=lesson_nb.metadata)
    nb.cells = [c for c in lesson_nb.cells if c.get("id") in ("parameters", "open-lesson")]
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json\nfrom lessonkit import parameters as P\n"
        "print(json.dumps({k: P.get(k).dump(v) for k, v in lesson.params.items()}))"))
    path = tmp_path / entry.notebook
    nbformat.write(nb, path)
    given = {p.name: p.example(ctx) for p in P.for_lesson(entry)}
    # papermill -p gives numbers as numbers and True/False as bools: what a teacher's command line gives
    typed = {name: P.get(name).dump(P.get(name).read(text, ctx)) for name, text in given.items()}
    out = run(path, tmp_path / "out.ipynb", **typed)
    printed = json.loads(out.cells[-1].outputs[0]["text"])
    assert printed == {name: P.get(name).dump(P.get(name).read(text, ctx)) for name, text in given.items()}
    assert printed != {p.name: p.dump(p.read(p.default, ctx)) for p in P.for_lesson(entry)}
