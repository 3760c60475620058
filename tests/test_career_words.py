"""A career-card lesson speaks of its own career: every career word its widgets show comes from its card.

The example career's lesson (made by `lessonkit new`, filled and synced, as an author would) is run cell by
cell in Python, its widgets are moved so that every sentence they can say is said, and every text and chart
title they show is collected. None may speak of music producers; Lesson 01, collected the same way, still does.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import nbformat
import pytest

from lessonkit import load_course
from lessonkit.widgets.pay_paths import PayPathsExplorer
from lessonkit.widgets.timesplit import IdealWeek, WorkSplitExplorer

from .conftest import DATA, NOTEBOOKS
from .example_career import CAREER_ID, add_example_career

PRODUCER = re.compile(r"producer", re.IGNORECASE)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A scratch course with the example career added: (its data folder, the new lesson's id)."""
    return add_example_career(tmp_path_factory.mktemp("course"))


@pytest.fixture(autouse=True)
def answers_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(tmp_path / "answers"))


def run_cells(notebook: Path, data: Path) -> tuple[list[Any], str]:
    """Run a lesson's code cells as a kernel would (its own content folder as data_dir): each cell's shown value,
    and its Markdown."""
    nb = nbformat.read(notebook, as_version=4)
    namespace: dict[str, Any] = {}
    shown = []
    for number, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"cell {number}", "exec"), namespace)  # noqa: S102 - the lesson's own cells
        if number == 0:
            namespace["data_dir"] = str(data)
        if last is not None:
            shown.append(eval(compile(ast.Expression(last.value), f"cell {number}", "eval"), namespace))  # noqa: S307
    return shown, "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def say_everything(shown: list[Any], course: Any, card_id: str) -> None:
    """Move the widgets so the sentences that depend on the learner's choices are written too."""
    creative = next(a for a in course.careers[card_id].work.activities if a.kind == "creative")
    for widget in shown:
        if isinstance(widget, WorkSplitExplorer):
            widget._stage.value, widget._size.value = 1.0, 30
        elif isinstance(widget, IdealWeek):
            widget.move(creative.id, min(100, widget.shares[creative.id] + 20))
        elif isinstance(widget, PayPathsExplorer):
            widget.controls["artist_typical"].value = "1000"
            widget.controls["artist_share"].value = "5"


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if not value.startswith("IPY_MODEL_"):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def widget_texts(widget: W.Widget) -> Iterator[str]:
    """Every string a widget tree shows: its controls' values, labels and tooltips, and its charts' words (a chart's
    traces and layout are in its state)."""
    yield from strings(widget.get_state())
    for child in getattr(widget, "children", ()):
        yield from widget_texts(child)


def texts(shown: list[Any]) -> str:
    out = []
    for value in shown:
        if hasattr(value, "summary"):
            out.append(value.summary())
        view = getattr(value, "view", value)
        if isinstance(view, W.Widget):
            out += list(widget_texts(view))
    return "\n".join(out)


def career_words(card: Any) -> list[str]:
    """The words a card gives its widgets to speak of its career."""
    w, pay = card.work, card.pay
    return [w.people, w.later, w.moves_from, w.moves_to, pay.salaried.people, pay.artist.people]


def test_the_example_careers_lesson_never_speaks_of_producers_and_lesson_01_still_does(example, course):
    data, lesson_id = example
    mine = load_course(data)
    shown, markdown = run_cells(data.parent / "notebooks" / f"{lesson_id}.ipynb", data)
    say_everything(shown, mine, CAREER_ID)
    said = texts(shown)
    assert len([v for v in shown if isinstance(v, (WorkSplitExplorer, IdealWeek, PayPathsExplorer))]) == 3
    assert not PRODUCER.search(said), [line for line in said.splitlines() if PRODUCER.search(line)]
    assert not PRODUCER.search(markdown), [line for line in markdown.splitlines() if PRODUCER.search(line)]
    shipped = course.careers["music-producer"]
    assert not [words for words in career_words(shipped) if words in said]
    assert all(words in said for words in career_words(mine.careers[CAREER_ID]))

    model = next(lesson for lesson in course.lessons() if lesson.uses.get("card") == "music-producer"
                 and lesson.template == "career-card")
    shown, _ = run_cells(NOTEBOOKS / model.notebook, DATA)
    say_everything(shown, course, "music-producer")
    said = texts(shown)
    assert PRODUCER.search(said)
    assert all(words in said for words in career_words(shipped))
