"""A career added with `lessonkit new career` and filled in as an author would, opened in JupyterLab.

The made-up career (tests/fixtures/careers/) goes into a scratch copy of the course, `lessonkit sync`
makes its notebook, and here it must behave like Lesson 01: after Run All every chart and control its
cells promise is drawn, nothing shows an error, a slider redraws its chart and a typed answer is saved.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import expected
from labdriver import ROOT, lab_server, shoot
from test_lessons import check_clean, lesson_after_run_all, sliders_redraw_charts, typed_answer_is_saved

sys.path.insert(0, str(ROOT))  # tests.example_career, when this file is run on its own
from tests.example_career import FIXTURE, add_example_career  # noqa: E402

pytestmark = pytest.mark.browser


class ScratchLab:
    def __init__(self, base: str, token: str, root: Path, answers: Path) -> None:
        self.base, self.token, self.root, self.answers = base, token, root, answers


@pytest.fixture(scope="module")
def example_lab(browser, artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ScratchLab, str]]:
    root = tmp_path_factory.mktemp("example-course")
    _data, lesson_id = add_example_career(root)
    answers = tmp_path_factory.mktemp("example-answers")
    with lab_server("light", artifacts / "jupyterlab-example-career.log", root_dir=root,
                    env={"LESSONKIT_ANSWERS": str(answers)}) as (base, token):
        yield ScratchLab(base, token, root, answers), lesson_id


def cells_for_this_card(notebook: Path) -> list[expected.Cell]:
    """expected.py's checklist, with the controls that come one per activity or moment counted from this card
    (expected.py counts them for the shipped card: 5 activities, 5 moments)."""
    card = yaml.safe_load((FIXTURE / "career.yaml").read_text(encoding="utf-8"))
    activities, moments = len(card["work"]["activities"]), len(card["day"]["moments"])
    per_card = {"ideal_week(": {"sliders": activities, "checkboxes": activities},
                "typical_day(": {"buttons": moments + 2}}  # a button per moment, and the day's two
    out = []
    for cell in expected.cells(notebook):
        change = next((v for call, v in per_card.items() if call in cell.source), None)
        out.append(dataclasses.replace(cell, shows=dataclasses.replace(cell.shows, **change)) if change else cell)
    return out


def card_words_shown(text: str) -> bool:
    """The widgets speak of the career in the card's words: its people and its pay paths' people."""
    card = yaml.safe_load((FIXTURE / "career.yaml").read_text(encoding="utf-8"))
    words = [card["work"]["people"], card["pay"]["salaried"]["people"]]
    return all(word in text for word in words)


def test_a_new_career_lesson_works_in_jupyterlab(example_lab, browser, artifacts: Path) -> None:
    """Every widget of the made lesson draws after Run All, with no error; a slider redraws, an answer saves."""
    lab, lesson_id = example_lab
    name = f"{lesson_id}.ipynb"
    with lesson_after_run_all(browser, lab, name, cells_for_this_card(lab.root / "notebooks" / name), artifacts,
                              "example-career") as visit:
        text = visit.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").inner_text()
        visit.check("Example Career in brief" in text, "the career's own overview reading is not on the page")
        visit.check("Example planning" in text, "the card's work split is not on the page")
        visit.check("producer" not in text.lower(), "the lesson speaks of producers, a career it is not about")
        visit.check(card_words_shown(text), "the card's own words for its career are not in its widgets")
        for interaction in (sliders_redraw_charts, typed_answer_is_saved):
            try:
                interaction(visit)
            except Exception as error:  # keep going: one broken widget must not hide the others
                visit.problems.append(f"{interaction.__name__}: {type(error).__name__}: {error}")
        check_clean(visit)
        visit.page.mouse.move(0, 0)
        visit.page.wait_for_timeout(300)
        shoot(visit.page, artifacts, "example-career-after-interactions")
