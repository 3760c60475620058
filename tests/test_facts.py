"""Facts the lessons state keep what the source documents say (pinned here as literals, checked against the seeds),
and every figure in Lesson 03 has a source or is plainly labelled a rule of thumb."""

from __future__ import annotations

import re

import nbformat

from .conftest import NOTEBOOKS


def lesson_text(name: str) -> str:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").replace("\\\\$", "$")
    return re.sub(r"\s+", " ", text)


def test_lesson_02_keeps_the_guides_facts():
    text = lesson_text("02-can-you-make-a-living.ipynb")
    assert "Thirty years ago" in text and "a generation or so ago" not in text
    assert "production alone" not in text  # the guide: substantial incomes from production work
    assert "substantial incomes from production work" in text
    assert "Many of those who do earn from music" in text and "mostly do it" not in text
    assert "viable, sustainable profession" in text and "comfortable" not in text


def test_lesson_02_says_the_guides_skills_lesson_is_not_in_this_course():
    text = lesson_text("02-can-you-make-a-living.ipynb")
    assert "That lesson of the guide is not part of this course" in text
    assert "Lesson 03" in text and "its Lesson 3" not in text
    assert "based on Companion guide: Can You Make a Living Making Music? (undated); Career card" in text


def test_a_lesson_counts_every_document_it_quotes_among_its_sources(course):
    """A lesson that quotes the card or the guide is "built from" it: the Ready line's count includes it."""
    import lessonkit

    for lesson in course.lessons():
        quoted = [course.careers.get(i) or course.guides.get(i) for i in lesson.uses.values()]
        assert {item.source for item in quoted} <= set(lesson.based_on), lesson.id
        opened = lessonkit.open_lesson(lesson.id)
        n = len(lesson.based_on)
        assert f"built from {n} source document{'s' if n > 1 else ''}" in opened.summary()


def test_lesson_01_ties_only_the_median_and_growth_to_bls():
    text = lesson_text("01-music-producer.ipynb")
    assert "growth +11% to +17%, over a period the source does not give (May 2024) | Sound Engineering" in text
    assert "about $34K at entry to about $105K at the top | Career card: Music Producer (June 2026)" in text
    assert "does not say over how many years" in text
    assert "There is no clean BLS code for music producer" in text and "Neither path" not in text


def test_lesson_03_sources_each_figure_or_calls_it_a_rule_of_thumb():
    text = lesson_text("03-make-a-track.ipynb")
    assert "Spotify's help page for artists gives its usual one as -14 LUFS" in text
    assert "Streaming services play every track" not in text
    assert "IEC 60908" in text and "| IEC 60908: Audio recording, compact disc digital audio system" in text
    assert "| 1999 |" in text
    for claim in ("a single dB is close to the smallest change", "the louder one tends to sound better",
                  "check the rules of the one you use"):
        before = text[max(0, text.index(claim) - 200):text.index(claim)]
        assert "rule of thumb" in before, f"{claim!r} is not labelled a rule of thumb: ...{before}"
    assert "the size music distributors ask for" not in text


def test_lesson_03_names_its_modes_rightly_and_says_the_machine_is_no_ai_model():
    text = lesson_text("03-make-a-track.ipynb")
    assert "older modes in between" not in text
    assert "lydian sounds even brighter than major" in text and "phrygian sounds darker than minor" in text
    assert "this machine is not an AI model. It is rule-based" in text


def test_learners_read_no_programmer_words_and_one_lesson_numbering():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        text = lesson_text(path.name)
        for word in ("export_dir", "artifacts/my-track", "README", "make lab", "percentile", "PERT", "fixed seed"):
            assert word not in text, f"{path.name} shows {word!r}"
        stray = re.search(r".{0,30}\bLesson \d\b.{0,10}", text)
        assert stray is None, f"{path.name} numbers a lesson another way: {stray.group(0) if stray else ''}"
