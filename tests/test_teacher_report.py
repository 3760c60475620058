"""The class report: a gradebook CSV with one row per learner, and a self-contained, accessible HTML page in which
nothing a learner typed can run."""

from __future__ import annotations

import csv
import dataclasses
import html.parser
import re
import shutil
from pathlib import Path

import pytest

from lessonkit import kinds
from lessonkit.palette import PALETTE
from lessonkit.content import load_course
from lessonkit.headings import prompt_headings
from lessonkit.htmlpage import esc
from lessonkit.progress import lesson_progress
from lessonkit.teacher import report as R
from lessonkit.teacher.collect import collect
from lessonkit.teacher.roster import Learner

from .teacher_builders import L01, L02, answers_doc, handed_in_notebook, write_json

SUBMISSIONS = Path(__file__).parent / "fixtures" / "teacher" / "submissions"


@pytest.fixture(scope="module")
def course():
    return load_course()


@pytest.fixture
def view(course, tmp_path: Path) -> R.ClassView:
    """A small class: two learners on the list who handed in, one who did not, one hostile file not on the list."""
    enough = course.prompts[L02].reflection.min_words  # ada's reflection earns the points, grace's does not
    write_json(tmp_path / "ada.json", answers_doc("ada", reflection="word " * enough, streams=["mixing", "teaching"],
                                                  capacities=["communication", "Listening closely", "", "", ""],
                                                  target=55_000))
    write_json(tmp_path / "grace.json", answers_doc("grace", day=25, reflection="word " * (enough - 1), completed=False,
                                                    streams=["mixing"], capacities=["Communication", "", "", "", ""],
                                                    target=120_000))
    write_json(tmp_path / "grace.ipynb", handed_in_notebook("grace", L02, due="2026-11-20"))
    shutil.copy(SUBMISSIONS / "hostile-text.json", tmp_path / "hostile-text.json")
    (tmp_path / "junk.json").write_bytes(b"\x00\xff<script>alert('file')</script>")
    people = [Learner("ada", "Ada Lovelace", "ada@example.org", 2), Learner("grace", "=2+5", "", 3),
              Learner("kj", "Katherine Johnson", "", 4)]
    return R.build(course, collect([tmp_path], course, quiet=True), people)


def csv_rows(view: R.ClassView) -> list[dict[str, str]]:
    return list(csv.DictReader(R.csv_report(view).decode("utf-8-sig").splitlines()))


# ---------------------------------------------------------------- the gradebook CSV
def test_the_csv_has_one_row_per_learner_listed_first(view):
    """Everyone on the class list comes first, in order (with empty cells if nothing came in), then anyone else."""
    rows = csv_rows(view)
    assert [r["learner_id"] for r in rows] == ["ada", "grace", "kj", "<img src=x onerror=alert(1)>"]
    assert rows[2]["answers_file"] == "" and rows[2]["lessons_complete"] == ""
    assert [r["on_class_list"] for r in rows] == ["yes", "yes", "yes", "no"]


def test_depth_points_and_completion_come_from_the_lessons_own_rule(view, course):
    """Depth points in the CSV are what lessonkit.progress gives for the same answers file."""
    rows = {r["learner_id"]: r for r in csv_rows(view)}
    for learner in ("ada", "grace"):
        expected = lesson_progress(course, view.collected.answers[learner].doc, L02)
        assert int(rows[learner]["L02 depth points"]) == expected.depth_points
        assert int(rows[learner][f"L02 prompts answered (of {len(course.lesson_prompts(L02))})"]) == expected.answered
    points = course.prompts[L02].reflection.depth_points
    assert rows["ada"]["L02 depth points"] == str(points) and rows["grace"]["L02 depth points"] == "0"
    assert rows["ada"]["L02 complete (1=yes)"] == "1" and rows["grace"]["L02 complete (1=yes)"] == "0"


def test_words_per_prompt_targets_and_late_lessons_are_columns(view, course):
    """Each written prompt has a word-count column; the income target and late lessons have theirs."""
    rows = {r["learner_id"]: r for r in csv_rows(view)}
    ada = view.collected.answers["ada"].doc
    for key in (f"{L01}/definition-of-success", f"{L02}/own-capacities"):
        words = kinds.get(course.prompt(key).kind).word_count(ada.value(key))
        assert words > 0 and rows["ada"][f"words {key}"] == str(words)
    assert sorted(heading for _, heading in view.columns) == sorted(
        f"words {lesson.id}/{p.id}" for lesson in course.lessons() for p in course.lesson_prompts(lesson.id)
        if p.kind in ("short-text", "long-text", "list"))
    assert rows["ada"]["target_income_usd"] == "55000" and rows["grace"]["late_lessons"] == "02"  # lesson 01 has no deadline: no notebook of it carries one
    assert rows["grace"]["notebooks_handed_in"] == "02"


def test_spreadsheet_formulas_in_names_stay_text(view):
    """A name like =2+5 is stored with a leading quote so a spreadsheet shows it instead of computing it."""
    assert "'=2+5" in R.csv_report(view).decode("utf-8-sig")


# ---------------------------------------------------------------- chart data
def test_completion_counts_every_learner_once_per_lesson(view, course):
    """Per lesson: marked complete, started only, not started; the three add up to the class size."""
    rows = dict(R.completion(view))
    lesson = course.lesson(L02)
    assert rows[f"{lesson.number:02d} · {lesson.title}"] == [2, 1, 1]
    assert all(sum(parts) == 4 for parts in rows.values())


def test_income_streams_and_capacities_are_counted_per_learner(view, course):
    """Streams are counted by learners who ticked them; capacities typed in any case count with their option label."""
    guide = course.context(L02)["guide"]
    stream = {s.id: s.label for s in guide.income_streams}
    assert dict(R.streams(view)) == {stream["mixing"]: 3, stream["teaching"]: 1, "Other (written in)": 1}
    named = dict(R.capacities(view))
    communication = next(c.label for c in guide.capacities if c.label.casefold() == "communication")
    assert named[communication] == 3 and named["Listening closely"] == 1


def test_published_pay_comes_from_the_career_card(course):
    """The reference lines and band are the card's salaried figures and artist-producer range."""
    card = course.careers["music-producer"].pay
    lines, band = R.published_pay(course)
    assert [amount for _, amount in lines] == [card.salaried.entry, card.salaried.median, card.salaried.top]
    assert band is not None and band[1:] == (card.artist.high_low, card.artist.high_high)
    assert card.artist.people in band[0] and f"${card.artist.high_low // 1000}k" in band[0]


def test_the_pay_band_is_worded_from_the_card_it_comes_from(course):
    """Another career's card names its own people on the band, not this course's producers."""
    card = course.careers["music-producer"]
    other = card.model_copy(update={"pay": card.pay.model_copy(update={
        "artist": card.pay.artist.model_copy(update={"people": "touring session players"})})})
    changed = dataclasses.replace(course, careers={**course.careers, "music-producer": other})
    _, band = R.published_pay(changed)
    assert band is not None and "touring session players" in band[0] and "artist-producer" not in band[0]


# ---------------------------------------------------------------- the page
class Page(html.parser.HTMLParser):
    """What a browser would build from the page: elements, attributes, text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(page: str) -> Page:
    result = Page()
    result.feed(page)
    return result


def test_nothing_a_learner_typed_can_run(view):
    """Scripts, event handlers, javascript: links and iframes in answers, ids and file names arrive as text only."""
    page = R.html_report(view)
    dom = parsed(page)
    tags = [tag for tag, _ in dom.tags]
    assert "script" not in tags and "iframe" not in tags and "img" not in tags and "svg" in tags
    for tag, attrs in dom.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith(("#", "https://", "http://")), attrs
            if not attrs["href"].startswith("#"):
                assert attrs["rel"] == "noopener noreferrer nofollow"
    text = "".join(dom.text)
    for typed in ("<script>alert('reflection')</script>", "<img src=x onerror=alert(3)>", "javascript:alert(1)",
                  "<svg onload=alert(6)>", "</h5><script>alert(5)</script>", "<img src=x onerror=alert(1)>"):
        assert typed in text, typed
    assert '<a href="https://example.com/ok" rel="noopener noreferrer nofollow">' in page
    assert 'href="https://example.com/x?a=' not in page


def test_the_page_loads_nothing_and_forbids_scripts(view):
    """A Content-Security-Policy allows no script and no outside request; no element points outside the page."""
    page = R.html_report(view)
    assert f'<meta http-equiv="Content-Security-Policy" content="{R.CSP}">' in page
    assert "script-src" not in R.CSP and "default-src 'none'" in R.CSP
    for tag, attrs in parsed(page).tags:
        assert "src" not in attrs and tag not in ("link", "object", "embed", "base", "form")


def test_the_page_is_structured_for_screen_readers(view):
    """One h1, section headings, column and row headers, charts with titles, descriptions and tables of their numbers."""
    page = R.html_report(view)
    dom = parsed(page)
    tags = [tag for tag, _ in dom.tags]
    assert tags.count("h1") == 1 and tags.count("h2") == 4 and '<html lang="en">' in page
    assert '<th scope="col">Learner id</th>' in page and '<th scope="row">' in page
    charts = [attrs for tag, attrs in dom.tags if tag == "svg"]
    assert len(charts) == 4
    for attrs in charts:
        assert attrs["role"] == "img" and attrs["aria-labelledby"].endswith("-desc")
    assert page.count("<summary>The numbers as a table</summary>") == 4
    assert "Target incomes against the published pay" in page and "$55,000" in page


def test_chart_colours_are_the_colour_blind_safe_palette(view):
    """Every fill in the charts is an Okabe-Ito colour (or white/black text), and numbers are written beside the bars."""
    page = R.html_report(view)
    fills = set(re.findall(r'fill="(#[0-9A-Fa-f]{6})"', page))
    assert fills <= {*PALETTE.values(), "#ffffff", "#000000"}, fills
    assert ">3</text>" in page  # the Mixing bar's count


def test_each_learner_gets_a_section_with_their_answers(view):
    """Names from the class list head each learner's section; unanswered prompts are listed in one line."""
    page = R.html_report(view)
    assert '<h3 id="learner-1-h" dir="auto">ada · Ada Lovelace</h3>' in page
    assert "No answers file was handed in." in page and "Not answered:" in page
    assert "Finishing an EP I am proud of" in page


def test_a_class_with_no_submissions_still_gets_a_page(course, tmp_path: Path):
    """With only a class list, the report lists everyone as not started and draws no empty charts."""
    view = R.build(course, collect([tmp_path], course, quiet=True), [Learner("ada", "Ada", "", 2)])
    page = R.html_report(view)
    assert page.count("<svg") == 1 and "No answers file was handed in." in page
    csv_path, html_path = R.write(view, tmp_path / "report")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf") and html_path.stat().st_size > 1000


def test_required_prompts_left_unanswered_are_reported_per_learner_and_lesson(course, tmp_path: Path):
    """Each learner's required prompts without an answer are listed by id in the CSV (empty when none) and shown,
    escaped, by title on the page; ids a lesson does not have are never shown."""
    answered = {f"{L02}/producer-1-name": "<b>Mara</b>"}
    write_json(tmp_path / "ada.json", answers_doc("ada", capacities=["", "", "", "", ""], extra=answered))
    write_json(tmp_path / "grace.json", answers_doc("grace"))
    required = "producer-1-name,own-capacities,producer-2-name,<script>alert(1)</script>"
    for learner in ("ada", "grace"):
        write_json(tmp_path / f"{learner}.ipynb", handed_in_notebook(learner, L02, params={"required_prompts": required}))
    view = R.build(course, collect([tmp_path], course, quiet=True))
    rows = {r["learner_id"]: r for r in csv_rows(view)}
    assert rows["ada"]["L02 missing required prompts"] == "own-capacities producer-2-name"
    assert rows["grace"]["L02 missing required prompts"] == "producer-2-name"
    assert rows["ada"]["L01 missing required prompts"] == ""
    page = R.html_report(view)
    assert "02 required not answered: own-capacities, producer-2-name" in page
    headings = prompt_headings(course, L02)
    assert (f"<strong>Lesson {course.lesson(L02).number:02d}: required but not answered:</strong> "
            f"{esc(headings['own-capacities'])} (own-capacities); {esc(headings['producer-2-name'])} "
            "(producer-2-name).") in page
    assert "<script>" not in page and "alert(1)" not in page
    assert "2 learners with required prompts not answered" in page
