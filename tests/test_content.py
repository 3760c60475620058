"""Loading and validating data/: every problem reported at once, each with file, field, line and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.content import check, load_course
from lessonkit.errors import ContentError, LessonkitError, ParameterError

from .conftest import edit

CARD = "careers/music-producer.yaml"


def lines_of(problems) -> list[str]:
    return [str(p) for p in problems]


def test_the_course_content_is_valid(course):
    """The shipped data/ loads with no problems and holds both source documents' content."""
    assert check() == []
    assert [lesson.id for lesson in course.lessons()] == ["00-start-here", "01-music-producer", "02-can-you-make-a-living",
                                                         "03-make-a-track"]
    card = course.careers["music-producer"]
    assert [a.share for a in card.work.activities] == [25, 30, 15, 10, 20]
    assert [m.time for m in card.day.moments] == ["11:00", "12:30", "3:00", "5:00", "6:00"]
    assert (card.pay.salaried.entry, card.pay.salaried.median, card.pay.salaried.top) == (34000, 66000, 105000)
    assert (card.pay.salaried.growth_low, card.pay.salaried.growth_high) == (11, 17)
    assert (card.pay.artist.high_low, card.pay.artist.high_high, card.pay.artist.open_ended) == (150000, 500000, True)
    assert card.related == ["Content Creator", "Filmmaker", "Sound Designer"]
    assert (len(card.signals.is_your_thing), len(card.signals.probably_not)) == (4, 3)
    guide = course.guides["can-you-make-a-living"]
    assert guide.exercise.minutes == 20 and len(guide.exercise.steps) == 4
    assert [c.label for c in guide.quick_reference] == ["Reality", "Hidden", "Value"]
    assert len(guide.faq) == 4 and all(item.question.endswith("?") for item in guide.faq)


def test_every_fact_names_a_source_with_the_date_its_document_gives(course):
    """The card's sources line and its dating carry over; undated documents say so rather than invent a date."""
    assert course.sources["career-card"].date == "June 2026"
    assert course.sources["bls-sound-engineering"].date == "May 2024"
    assert "27-4014" in course.sources["bls-sound-engineering"].title
    assert course.sources["producer-surveys"].date == "2025-26"
    assert course.sources["lesson-2-guide"].date is None
    for source in course.sources.values():
        if source.cited_in:
            assert source.cited_in in course.sources


def test_unknown_lesson_lists_the_valid_ones(course):
    with pytest.raises(ParameterError) as error:
        course.lesson("07-nope")
    assert "07-nope" in str(error.value)
    for lesson in course.lessons():
        assert lesson.id in str(error.value)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (CARD, "share: 25,", "share: 20,", "activity shares must sum to 100, but they sum to 95"),
        (CARD, "moves_to_kinds: [creative, people]", "moves_to_kinds: [creative, technical]",
         "cannot move hours from and to the same kind of work (technical)"),
        (CARD, "kind: people }", "kind: creative }", "moves_to_kinds names people, but no activity is of that kind"),
        (CARD, "moves_from_kinds: [technical]", "moves_from_kinds: [techincal]", "work.moves_from_kinds.0: 'techincal' is not allowed"),
        (CARD, "median: 66000", "median: -66000", "must be greater than 0, got -66000"),
        (CARD, "    median: 66000\n", "", "pay.salaried.median: is missing; this field is required"),
        (CARD, "median: 66000", "median: lots", "expected a whole number, got 'lots'"),
        (CARD, "    source: bls-sound-engineering", "    source: bls-2099",
         "names the source 'bls-2099', which is not in sources.yaml"),
        (CARD, "entry: 34000", "entry: 99000", "salary points must rise"),
        (CARD, 'time: "3:00"', 'time: "15h"', "'15h' is not in the expected form (a clock time like 11:00 or 3:00)"),
        (CARD, "title: Music Producer", "title: Music Producer\ntitel: typo", "titel: is not a field this file knows"),
        (CARD, "related: [Content Creator", "related: [Content Creator: [", "YAML syntax error"),
        ("course.yaml", "minutes: 25", "minutes: 0", "must be greater than 0, got 0"),
        ("course.yaml", "card: music-producer }", "card: music-produce }", "'music-produce' is not in careers/"),
    ],
)
def test_each_kind_of_mistake_is_caught_with_a_clear_line(data_copy: Path, file, old, new, expected):
    """A broken copy of the content yields a one-line problem naming the file and what was expected."""
    edit(data_copy / file, old, new)
    problems = lines_of(check(data_copy))
    assert any(expected in line and line.startswith(file) for line in problems), problems


def test_problems_point_at_the_right_line(data_copy: Path):
    text = (data_copy / CARD).read_text(encoding="utf-8").splitlines()
    median_line = next(i for i, line in enumerate(text, start=1) if "median: 66000" in line)
    edit(data_copy / CARD, "median: 66000", "median: -1")
    (problem,) = check(data_copy)
    assert (problem.file, problem.line, problem.field) == (CARD, median_line, "pay.salaried.median")


def test_every_problem_is_reported_at_once(data_copy: Path):
    """Three mistakes in two files give three lines, not just the first."""
    edit(data_copy / CARD, "share: 25,", "share: 26,")
    edit(data_copy / CARD, "top: 105000", "top: many")
    edit(data_copy / "sources.yaml", 'date: "May 2024"', "date: [May]")
    problems = lines_of(check(data_copy))
    assert len(problems) == 3, problems
    assert {p.split(":")[0] for p in problems} == {CARD, "sources.yaml"}


def test_toml_content_is_read_and_its_syntax_errors_caught(data_copy: Path):
    """Content may also be TOML; a TOML syntax error is reported with its line."""
    import yaml

    card = yaml.safe_load((data_copy / CARD).read_text(encoding="utf-8"))
    card["id"] = "sound-designer"
    (data_copy / CARD).with_name("sound-designer.toml").write_text(_to_toml(card), encoding="utf-8")
    assert check(data_copy) == []
    assert "sound-designer" in load_course(data_copy).careers

    (data_copy / "careers" / "sound-designer.toml").write_text('id = "sound-designer"\ntitle = \n', encoding="utf-8")
    (problem,) = check(data_copy)
    assert problem.file == "careers/sound-designer.toml" and problem.line == 2 and "TOML syntax error" in problem.message


def _to_toml(value, prefix: str = "") -> str:
    """A tiny TOML writer for the test's nested dicts and lists (tomllib only reads)."""
    import json

    scalars, tables, arrays = [], [], []
    for key, item in value.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(item, dict):
            tables.append(f"\n[{name}]\n" + _to_toml(item, name))
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            arrays += [f"\n[[{name}]]\n" + _to_toml(entry, name) for entry in item]
        else:
            scalars.append(f"{key} = {json.dumps(item)}")
    return "\n".join(scalars) + "".join(tables) + "".join(arrays) + "\n"


def test_file_name_and_id_must_agree(data_copy: Path):
    (data_copy / CARD).rename(data_copy / "careers" / "producer.yaml")
    problems = lines_of(check(data_copy))
    assert any("careers/producer.yaml" in p and "must match" in p for p in problems)


def test_stray_files_and_missing_core_files_are_named(data_copy: Path):
    (data_copy / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    (data_copy / "sources.yaml").unlink()
    problems = lines_of(check(data_copy))
    assert any(p.startswith("notes.yaml") and "not a known content file" in p for p in problems)
    assert any(p.startswith("sources.yaml") and "is missing" in p for p in problems)


def test_reading_placeholders_and_callouts_are_checked(data_copy: Path):
    reading = data_copy / "readings" / "01-music-producer" / "the-numbers.md"
    edit(reading, "{{ card.pay.salaried.median | usd_k }}", "{{ card.pay.salaried.mediam | usd_k }}")
    edit(reading, ":::caution", ":::warning")
    problems = lines_of(check(data_copy))
    assert any("the-numbers.md:" in p and "has no 'mediam'" in p and "median" in p for p in problems), problems
    assert any("':::warning' is not a callout" in p for p in problems), problems


def test_loading_broken_content_raises_the_same_clear_error(data_copy: Path):
    edit(data_copy / CARD, "share: 25,", "share: 20,")
    with pytest.raises(ContentError) as error:
        load_course(data_copy)
    message = str(error.value)
    assert message.startswith("The course content has 1 problem:")
    assert "careers/music-producer.yaml:" in message and "sum to 95" in message


def test_an_edited_file_is_reloaded(data_copy: Path):
    assert load_course(data_copy).careers["music-producer"].pay.salaried.median == 66000
    edit(data_copy / CARD, "median: 66000", "median: 67000")
    import os
    os.utime(data_copy / CARD, (1e9, 2e9))  # a distinct mtime even on coarse clocks
    assert load_course(data_copy).careers["music-producer"].pay.salaried.median == 67000


def test_a_missing_folder_is_explained(tmp_path: Path):
    with pytest.raises(LessonkitError, match="does not exist"):
        load_course(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(LessonkitError, match="has no course.yaml"):
        load_course(tmp_path / "empty")


PROMPTS = "prompts/02-can-you-make-a-living.yaml"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("kind: estimate", "kind: slider", "'slider' is not allowed"),
        ("    options_from: guide.income_streams\n    other: true", "    other: true", "needs options or options_from"),
        ("options_from: guide.income_streams", "options_from: guide.incomes", "is not a list lessonkit knows"),
        ("    items: 3\n    min_items: 1\n", "", "a list prompt needs items"),
        ("    items: 5\n    min_items: 5\n", "    items: 5\n    min_items: 11\n", "min_items (11) <= max_items (10)"),
        ("max_chars: 200", "max_chars: 30000", "must be at most 20000"),
        ("    example: Mara Velde, a mix engineer and beat maker from Rotterdam (an invented example).\n", "",
         "needs an example answer"),
        ("step: patterns", "step: pattern", "'pattern' is not a step of the lesson's exercise"),
        ("beside: 01-music-producer/definition-of-success", "beside: 01-music-producer/success", "is not a prompt"),
        ("lesson: 02-can-you-make-a-living", "lesson: 02-elsewhere", "name the file after the lesson id"),
        ("  min_words: 50\n  depth_points: 10", "  min_words: 50", "reflection.depth_points: is missing"),
        ("  - id: patterns", "  - id: name", "prompt id 'name' is used twice"),
    ],
)
def test_prompt_files_are_checked(data_copy: Path, old, new, expected):
    """A mistake in data/prompts/ is one clear line from `lessonkit check`, like any other content."""
    edit(data_copy / PROMPTS, old, new)
    problems = lines_of(check(data_copy))
    assert any(expected in line and line.startswith(PROMPTS) for line in problems), problems


def test_prompts_must_belong_to_a_lesson_and_use_what_it_uses(data_copy: Path):
    (data_copy / "prompts" / "09-jazz.yaml").write_text(
        "lesson: 09-jazz\nreflection:\n  instructions: Why?\n  example: Because.\n  min_words: 5\n  depth_points: 1\n",
        encoding="utf-8")
    edit(data_copy / "prompts" / "00-start-here.yaml", "lesson: 00-start-here\n",
         "lesson: 00-start-here\nprompts:\n  - {id: pick, kind: single-choice, title: Pick, instructions: Pick one.,"
         " example: Teaching, options_from: guide.capacities}\n")
    problems = check(data_copy)
    assert any(p.file == "prompts/09-jazz.yaml" and "'09-jazz' is not a lesson" in p.message for p in problems)
    (found,) = [p for p in problems if p.file == "prompts/00-start-here.yaml"]
    assert "draws on the lesson's guide" in found.message and found.line == 4
