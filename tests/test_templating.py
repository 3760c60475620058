"""Placeholders in readings resolve to content values, and a wrong one says what exists instead."""

from __future__ import annotations

import pytest

from lessonkit.templating import TemplateError, problems, render, resolve


def test_paths_formats_and_list_items(course):
    ctx = course.context("01-music-producer")
    assert render("{{ card.pay.salaried.median | usd_k }}", ctx) == "$66K"
    assert render("{{card.pay.salaried.median|usd}}", ctx) == "$66,000"
    assert render("{{ card.work.activities[mixing].share | pct }}", ctx) == "30%"
    assert render("{{ card.related | join }}", ctx) == "Content Creator, Filmmaker, Sound Designer"
    assert render("{{ sources[career-card].date }}", ctx) == "June 2026"
    assert resolve("card.day.moments[mix].time", ctx) == "3:00"
    guide = course.context("02-can-you-make-a-living")
    assert render("{{ guide.capacities | bullets }}", guide).splitlines()[0] == "- Business literacy"


def test_wrong_paths_name_what_exists(course):
    ctx = course.context("01-music-producer")
    with pytest.raises(TemplateError, match="has no 'salary'.*salaried"):
        render("{{ card.pay.salary.median }}", ctx)
    with pytest.raises(TemplateError, match="no item 'jazz'.*recording"):
        render("{{ card.work.activities[jazz].share }}", ctx)
    with pytest.raises(TemplateError, match="unknown format 'euro'"):
        render("{{ card.pay.salaried.median | euro }}", ctx)


def test_all_problems_of_a_template_are_listed_with_lines(course):
    ctx = course.context("02-can-you-make-a-living")
    found = problems("fine {{ guide.title }}\n{{ guide.nope }}\n\nbroken {{ guide.title\n", ctx)
    assert [line for line, _ in found] == [2, 4]
