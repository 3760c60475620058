"""Rendered blocks: callouts with worded labels, an accessible FAQ, cards, sources with dates, header and navigation."""

from __future__ import annotations

import re

from lessonkit.render import BLOCKS, block, callout, directive_problems, expand_callouts

from .conftest import NOTEBOOKS


def test_callouts_carry_a_label_not_just_a_colour():
    for kind, label in (("key-idea", "Key idea"), ("tip", "Tip"), ("caution", "Caution")):
        quote = callout(kind, "First line.\n\nSecond paragraph.")
        assert quote.startswith("> **") and f"{label}.** First line." in quote
        assert quote.splitlines() == [quote.splitlines()[0], ">", "> Second paragraph."]
    expanded = expand_callouts("before\n:::tip\ninside\n:::\nafter")
    assert expanded == "before\n> **✅ Tip.** inside\nafter"
    assert directive_problems(":::tip\nno end") == [(1, "this callout is never closed with ':::'")]


def test_dollar_amounts_are_escaped_so_they_never_read_as_maths(course):
    """Every $ reaches MathJax as \\$, which it shows as a plain dollar sign instead of pairing it into maths."""
    text = block(course, "01-music-producer", "pay")
    assert "\\\\$66K" in text
    assert re.findall(r"\\*\$", text) == ["\\\\$"] * text.count("$")


def test_faq_is_an_accordion_with_escaped_questions(course):
    text = block(course, "02-can-you-make-a-living", "faq")
    guide = course.guides["can-you-make-a-living"]
    assert text.count("<details>") == len(guide.faq) == text.count("</details>")
    assert "Shouldn&#x27;t" in text or "shouldn&#x27;t" in text  # the apostrophe is escaped inside HTML
    for item in guide.faq:
        assert item.answer.split()[0] in text


def test_quick_reference_and_exercise(course):
    cards = block(course, "02-can-you-make-a-living", "quickref")
    assert all(f"**{label}**" in cards for label in ("Reality", "Hidden", "Value"))
    exercise = block(course, "02-can-you-make-a-living", "exercise")
    assert "about **20 minutes**" in exercise
    assert [f"{n}. **" in exercise for n in (1, 2, 3, 4)] == [True] * 4


def test_sources_panel_lists_every_source_with_its_date(course):
    panel = block(course, "01-music-producer", "sources")
    for source_id in ("career-card", "bls-sound-engineering", "producer-surveys", "avixa", "research-com"):
        assert course.sources[source_id].title in panel
    assert "| June 2026 |" in panel and "| May 2024 |" in panel and "| not given |" in panel


def test_header_states_objectives_time_and_basis(course):
    header = block(course, "02-can-you-make-a-living", "header")
    assert header.startswith("# Lesson 02 · Can You Make a Living Making Music?")
    assert "about **45 minutes**" in header and "Core Track → Why Learn Anything?" in header
    assert "(undated)" in header  # the guide gives no date and the header says so


def test_navigation_links_lead_to_real_notebooks(course):
    import re

    for lesson in course.lessons():
        links = re.findall(r"\]\(([^)]+\.ipynb)\)", block(course, lesson.id, "nav"))
        assert links, lesson.id
        assert all((NOTEBOOKS / link).is_file() for link in links)
    middle = block(course, "01-music-producer", "nav")
    assert "Previous: [Lesson 00" in middle and "Next: [Lesson 02" in middle
    assert "Next: [Lesson 03 · Make a Track and Its Cover](03-make-a-track.ipynb)" in block(course, "02-can-you-make-a-living", "nav")
    last = block(course, "03-make-a-track", "nav")
    assert "Previous: [Lesson 02" in last and "Next:" not in last


def test_course_map_lists_every_lesson_and_the_total_time(course):
    text = block(course, "00-start-here", "course-map")
    for lesson in course.lessons():
        assert lesson.notebook in text and f"about {lesson.minutes} minutes" in text
    assert f"about **{sum(lesson.minutes for lesson in course.lessons())} minutes**" in text


def test_every_block_kind_is_registered():
    assert {"reading", "header", "nav", "course-map", "sources", "faq", "quickref", "work-split", "day",
            "signals", "pay", "exercise"} <= set(BLOCKS)
