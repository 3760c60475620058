"""Lesson 03 under papermill: a teacher's parameters make a track, exported at the run only when export_at_run asks;
a bad one stops the first lesson cell with the valid values listed; the executed notebook stays small because no
audio is stored in it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from .conftest import NOTEBOOKS

LESSON = NOTEBOOKS / "03-make-a-track.ipynb"


def run(out: Path, **parameters):
    return pm.execute_notebook(str(LESSON), str(out), parameters=parameters, kernel_name="python3",
                               progress_bar=False, cwd=str(NOTEBOOKS))


def test_a_run_with_export_at_run_exports_the_four_files(tmp_path: Path):
    folder = tmp_path / "class-7b" / "track"
    nb = run(tmp_path / "out.ipynb", mood="tense", genre="drum-and-bass", tempo=174, seed=99,
             export_dir=str(folder), answers_dir=str(tmp_path / "answers"), due_date="2026-12-01",
             open_extensions=True, export_at_run=True)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["tense-drum-and-bass-cover.png", "tense-drum-and-bass-liner-notes.md",
                     "tense-drum-and-bass.mid", "tense-drum-and-bass.wav"]
    notes = (folder / "tense-drum-and-bass-liner-notes.md").read_text(encoding="utf-8")
    assert "174 BPM" in notes and "seed 99" in notes
    shown = "\n".join(str(o.get("data", {}).get("text/plain", "")) for c in nb.cells for o in c.get("outputs", []))
    assert "Make a Track and Its Cover is ready" in shown and "Due Tuesday 01 December 2026" in shown
    size = (tmp_path / "out.ipynb").stat().st_size
    assert size < 1_000_000, f"the executed lesson weighs {size} bytes"


def test_a_learners_run_all_exports_nothing_and_the_exporter_says_where_the_button_writes(tmp_path: Path):
    """Run All, as a learner's (an export folder set by the teacher, export_at_run left alone), writes no file: the
    exporter's line names the button and the whole folder it would write to."""
    folder = tmp_path / "class-7b" / "track"
    nb = run(tmp_path / "out.ipynb", export_dir=str(folder), answers_dir=str(tmp_path / "answers"),
             open_extensions=True)
    assert not folder.exists() and not folder.parent.exists()
    exporter = next(c for c in nb.cells if c.cell_type == "code" and c.source.strip() == "studio.exporter")
    assert not any(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))
    widgets = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    lines = [m["state"].get("value", "") for m in widgets.values() if m["model_name"] == "HTMLModel"]
    assert any("Nothing is exported yet" in line and str(folder) in line for line in lines)
    assert exporter.outputs  # the exporter is shown


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"mood": "grumpy"}, ["mood = 'grumpy'", "Valid moods: hopeful, melancholy, dreamy, tense, euphoric, nostalgic"]),
        ({"genre": "polka"}, ["genre = 'polka'", "Valid genres: lofi, house, trap, synthwave, drum-and-bass, ambient"]),
        ({"genre": "house", "tempo": 200}, ["tempo = 200", "House is played between 118 and 130 beats per minute"]),
        ({"seed": -4}, ["seed = -4", "expected a whole number from 0 to"]),
    ],
)
def test_a_bad_parameter_stops_the_first_lesson_cell_and_lists_the_valid_values(parameters, expected, tmp_path: Path):
    folder = tmp_path / "export"
    with pytest.raises(pm.PapermillExecutionError) as error:
        run(tmp_path / "out.ipynb", export_dir=str(folder), answers_dir=str(tmp_path / "answers"), **parameters)
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "injected-parameters" in code[1].metadata.get("tags", [])
    failed = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)]
    assert failed == [2]
    shown = "\n".join(code[2].outputs[-1].traceback)
    for snippet in expected:
        assert snippet in str(error.value) and snippet in shown
    assert "Traceback" not in shown
    assert not folder.exists()


def test_an_export_folder_blocked_by_a_file_is_refused_before_anything_is_made(tmp_path: Path):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    with pytest.raises(pm.PapermillExecutionError) as error:
        run(tmp_path / "out.ipynb", export_dir=str(tmp_path / "taken" / "track"), answers_dir=str(tmp_path / "a"))
    assert "export_dir" in str(error.value) and "is a file" in str(error.value)


def test_a_locked_run_shows_every_reading_and_the_finish_box_and_exports_nothing(tmp_path: Path, course):
    """A learner without the Depth points runs the whole lesson: no error, the studio's cells say how many points
    open it, the readings are all there, and the finish box lets them mark the lesson complete."""
    folder = tmp_path / "export"
    nb = run(tmp_path / "out.ipynb", export_dir=str(folder), answers_dir=str(tmp_path / "answers"))
    needs = course.lesson("03-make-a-track").extension.depth_points
    code = [c for c in nb.cells if c.cell_type == "code"]
    shown = ["\n".join(str(o.get("data", {}).get("text/plain", "")) for o in c.get("outputs", [])) for c in code]
    locked = [text for text in shown if f"This part opens at {needs} Depth points" in text]
    assert len(locked) == 6  # maker, compare, mixer, journal, cover, exporter
    assert any("Your reflection:" in text and "not marked complete yet" in text for text in shown)
    assert not folder.exists()
    readings = [b for c in nb.cells for b in c.metadata.get("lessonkit", {}).get("blocks", []) if b.startswith("reading:")]
    assert len(readings) == len(course.readings["03-make-a-track"])
