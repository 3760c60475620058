"""Every figure a learner reads comes from data/: readings type none, and each one rendered matches the data."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from lessonkit.content_view import field_names
from lessonkit.templating import FORMATS

from .conftest import DATA, NOTEBOOKS

# Money, percentages, clock times, durations and years: what counts as a figure.
FIGURE = re.compile(
    r"\$\d[\d,.]*K?\+?|\b\d+(?:\.\d+)?%|\b\d{1,2}:\d{2}\b|\b\d+(?=\s*(?:minutes|hours|min)\b)|\b(?:19|20)\d{2}\b"
)


def data_figures(course) -> set[str]:
    """Every figure-shaped string the content can produce: its numbers under every format, and its texts."""
    values: set[str] = set()

    def walk(node):
        if (fields := field_names(node)) is not None:  # a content view (or a schema model)
            for name in fields:
                walk(getattr(node, name))
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            for name in ("plain", "usd", "usd_k", "pct"):
                values.add(FORMATS[name](node))
            values.add(str(node))
        elif isinstance(node, str):
            values.update(FIGURE.findall(node))

    walk([course.map, list(course.sources.values()), course.careers, course.guides])
    values.update(str(sum(lesson.minutes for lesson in course.lessons())) for _ in [0])
    return values


def rendered_markdown() -> dict[str, str]:
    return {
        path.name: "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                              if c.cell_type == "markdown").replace("\\\\$", "$")
        for path in sorted(NOTEBOOKS.glob("*.ipynb"))
    }


def test_each_figure_in_the_lessons_matches_the_data(course):
    known = data_figures(course)
    checked = 0
    for name, text in rendered_markdown().items():
        for figure in FIGURE.findall(text):
            assert figure.rstrip("+") in known or figure in known, f"{name}: '{figure}' is not a figure from data/"
            checked += 1
    assert checked > 40  # the lessons do quote figures; an empty scan would prove nothing


def test_reading_templates_type_no_figures():
    """Figures enter readings only through {{ placeholders }}, so text and data cannot drift apart."""
    for path in sorted((DATA / "readings").rglob("*.md")):
        text = re.sub(r"\{\{.*?\}\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert FIGURE.findall(text) == [], f"{path.relative_to(DATA)} types a figure itself"


def test_the_published_pay_figures_appear_as_published(course):
    text = rendered_markdown()["01-music-producer.ipynb"]
    for figure in ("$66K", "$34K", "$105K", "11%", "17%", "$150K", "$500K", "May 2024"):
        assert figure in text
    for figure in ("25%", "30%", "15%", "10%", "20%", "11:00", "12:30", "3:00", "5:00", "6:00"):
        assert figure in text


def test_a_changed_figure_in_data_changes_the_rendered_lesson(course, data_copy: Path):
    from lessonkit.content import load_course
    from lessonkit.render import block

    (data_copy / "careers" / "music-producer.yaml").write_text(
        (data_copy / "careers" / "music-producer.yaml").read_text(encoding="utf-8").replace("median: 66000", "median: 68000"),
        encoding="utf-8",
    )
    changed = load_course(data_copy)
    assert "\\\\$68K" in block(changed, "01-music-producer", "reading:the-numbers")
    assert "\\\\$68K" in block(changed, "01-music-producer", "pay")
    assert "\\\\$66K" in block(course, "01-music-producer", "pay")
