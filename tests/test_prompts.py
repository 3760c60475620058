"""Prompt widgets, the Capacity Inventory and the finish box, driven as a learner would, without a browser.

Each test sets a child control's ``.value`` or calls ``.click()``, then checks the widget's
state, the answers store, what is shown, and that a re-opened lesson puts everything back.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import pytest

import lessonkit
from lessonkit import answers as A
from lessonkit.widgets.inventory import capacity_inventory
from lessonkit.widgets.progress import AnswerFiles, course_progress, finish_lesson
from lessonkit.widgets.prompts import (Estimate, ItemList, Link, LongText, MultipleChoice, SelfCheck, ShortText,
                                       prompt)

L1, L2 = "01-music-producer", "02-can-you-make-a-living"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "answers"


def open_(lesson_id: str, folder: Path, learner: str = "ada") -> lessonkit.Lesson:
    return lessonkit.open_lesson(lesson_id, learner_id=learner, answers_dir=str(folder))


def reopen(lesson_id: str, folder: Path, learner: str = "ada") -> lessonkit.Lesson:
    """The lesson as a restarted kernel opens it: everything written so far is on disk, nothing in memory."""
    A.flush_all()
    A._STORES.clear()
    return open_(lesson_id, folder, learner)


def saved(folder: Path, learner: str = "ada") -> dict:
    A.flush_all()
    return A.read_file(folder / f"{learner}.json")


def test_every_kind_saves_what_the_learner_does_and_gets_it_back(folder: Path):
    lesson = open_(L2, folder)
    name = prompt(lesson, "producer-1-name")
    sources = prompt(lesson, "producer-1-sources")
    streams = prompt(lesson, "producer-1-streams")
    share = prompt(lesson, "producer-1-production-share")
    patterns = prompt(lesson, "patterns")
    assert [type(w) for w in (name, sources, streams, share, patterns)] == [ShortText, ItemList, MultipleChoice,
                                                                          Estimate, LongText]
    name._text.value = "Mara Velde 🎚️"
    sources._fields[0].value = "https://example.com/interview"
    sources._fields[1].value = "Sound on Sound, May issue"
    streams._boxes["mixing"].value = True
    streams._boxes["teaching"].value = True
    streams._other.value = "a paid newsletter, library music"
    share._pick.value = 30
    patterns._text.value = "שלום — nobody lives on production alone."

    answers = saved(folder)["answers"]
    assert answers[f"{L2}/producer-1-name"]["value"] == "Mara Velde 🎚️"
    assert answers[f"{L2}/producer-1-sources"]["value"] == ["https://example.com/interview",
                                                           "Sound on Sound, May issue", ""]
    assert answers[f"{L2}/producer-1-streams"]["value"] == {"choices": ["mixing", "teaching"],
                                                           "other": "a paid newsletter, library music"}
    assert answers[f"{L2}/producer-1-production-share"] == {**answers[f"{L2}/producer-1-production-share"], "value": 30,
                                                           "kind": "estimate"}
    assert streams.labels() == ["Mixing", "Teaching", "a paid newsletter", "library music"]

    again = reopen(L2, folder)
    assert prompt(again, "producer-1-name")._text.value == "Mara Velde 🎚️"
    assert prompt(again, "producer-1-sources").value == ["https://example.com/interview", "Sound on Sound, May issue", ""]
    assert prompt(again, "producer-1-streams")._boxes["teaching"].value is True
    assert prompt(again, "producer-1-production-share")._pick.value == 30
    assert prompt(again, "patterns").value.startswith("שלום")


def test_restoring_an_answer_does_not_count_as_a_new_change(folder: Path):
    lesson = open_(L1, folder)
    prompt(lesson, "definition-of-success")._text.value = "Finish an EP."
    stamp = saved(folder)["answers"][f"{L1}/definition-of-success"]["saved_at"]
    again = reopen(L1, folder)
    prompt(again, "definition-of-success")
    assert saved(folder)["answers"][f"{L1}/definition-of-success"]["saved_at"] == stamp


def test_long_text_counts_words_live(folder: Path, course):
    box = prompt(open_(L2, folder), "patterns")
    aim = course.prompt(f"{L2}/patterns").min_words
    box._text.value = "Two of them teach; all three sell sounds."
    assert f"8 words · aim for at least {aim}" in box._count.value
    box._text.value = "word " * aim
    assert f"{aim} words" in box._count.value and "✓" in box._count.value


@pytest.mark.parametrize("text, words", [
    ("Two of them teach; all three sell sounds.", 8),
    ("rock'n'roll isn't dead — it's well-known", 5),
    ("我想成为音乐制作人", 9),  # Chinese: no spaces, each character counts
    ("音楽プロデューサーになりたい", 14),  # Japanese kana and kanji alike
    ("I love 音乐 and mixing", 6),
    ("음악 프로듀서가 되고 싶어요", 4),  # Korean spaces its words
    ("", 0), (None, 0),
])
def test_words_are_counted_in_every_script(text, words):
    from lessonkit.models.prompts import word_count
    assert word_count(text) == words


def test_a_reflection_in_chinese_can_earn_its_points(folder: Path, course):
    box = prompt(open_(L2, folder), "patterns")
    aim = course.prompt(f"{L2}/patterns").min_words
    box._text.value = "我" * aim
    assert f"{aim} words" in box._count.value and "✓" in box._count.value


def test_an_answer_over_the_limit_keeps_its_text_and_the_last_saved_version(folder: Path):
    lesson = open_(L2, folder)
    name = prompt(lesson, "producer-1-name")
    name._text.value = "Mara"
    name._text.value = "M" * 201  # this prompt allows 200 characters
    assert "201 characters long; it can hold at most 200" in name.message.text
    assert name._text.value == "M" * 201
    assert saved(folder)["answers"][f"{L2}/producer-1-name"]["value"] == "Mara"
    box = prompt(lesson, "patterns")
    box._text.value = "x" * 20_001
    assert "at most 20,000" in box.message.text and f"{L2}/patterns" not in saved(folder)["answers"]
    box._text.value = "x" * 20_000
    assert box.message.text == "" and len(saved(folder)["answers"][f"{L2}/patterns"]["value"]) == 20_000


def test_a_link_is_checked_with_a_hint_and_saved_as_typed(folder: Path):
    sources = prompt(open_(L2, folder), "producer-2-sources")
    sources._fields[0].value = "www.example.com/mara"
    assert "Add https://" in sources._hints[0].value
    sources._fields[0].value = "https://example.com/mara"
    assert sources._hints[0].value == ""
    sources._fields[1].value = "podcast, episode 41"
    assert "saved as you typed it" in sources._hints[1].value
    assert saved(folder)["answers"][f"{L2}/producer-2-sources"]["value"][:2] == ["https://example.com/mara",
                                                                                "podcast, episode 41"]


def test_a_single_link_prompt_hints_too():
    from lessonkit.content import load_course

    spec = load_course().prompt(f"{L2}/producer-1-sources").model_copy(update={"kind": "link", "items": None,
                                                                               "min_items": 0, "item": "text"})
    link = Link("x/y", spec)
    link._text.value = "ftp://example.com"
    assert "http:// or https://" in link._hint.value and link.value == "ftp://example.com"


def test_the_example_answer_is_revealed_on_request(folder: Path):
    box = prompt(open_(L1, folder), "definition-of-success")
    assert box._example.layout.display == "none"
    box._reveal.value = True
    assert box._example.layout.display in ("", None) and "Example." in box._example.value
    assert box._reveal.description == "Hide the example"
    box._reveal.value = False
    assert box._example.layout.display == "none"


def test_a_list_grows_to_its_maximum_and_counts_what_is_filled(folder: Path, course):
    spec = course.prompt(f"{L2}/own-capacities")
    shown, most, least = spec.items, spec.max_items or spec.items, spec.min_items
    assert least > 0 and most > shown  # what this test is about: a list that grows and asks for a few
    own = prompt(open_(L2, folder), "own-capacities")
    assert len(own._fields) == shown and f"0 filled in (at least {least} asked for)" in own._count.value
    for _ in range(most - shown + 2):  # more clicks than it can grow
        own._more.click()
    assert len(own._fields) == most and own._more.layout.display == "none"
    for i, field in enumerate(own._fields[:least]):
        field.value = f"capacity {i}"
    assert f"{least} filled in" in own._count.value and "✓" in own._count.value
    assert len(saved(folder)["answers"][f"{L2}/own-capacities"]["value"]) == most
    assert len(prompt(reopen(L2, folder), "own-capacities")._fields) == most


def test_choice_ids_that_left_the_course_are_kept(folder: Path):
    lesson = open_(L2, folder)
    lesson.store.set_answer(f"{L2}/producer-3-streams", {"choices": ["mixing", "vinyl-pressing"], "other": ""})
    streams = prompt(lesson, "producer-3-streams")
    assert "vinyl-pressing" in streams.message.text
    streams._boxes["teaching"].value = True
    assert saved(folder)["answers"][f"{L2}/producer-3-streams"]["value"]["choices"] == ["mixing", "teaching",
                                                                                      "vinyl-pressing"]


def test_the_self_check_says_in_words_which_signals_match(folder: Path, course):
    check = prompt(open_(L1, folder), "would-you-like-it")
    assert isinstance(check, SelfCheck)
    signals = course.careers["music-producer"].signals
    assert [len(m) for m in check._marks.values()] == [len(signals.is_your_thing), len(signals.probably_not)] == [4, 3]
    check._marks["is_your_thing"][0].value = "yes"
    check._marks["is_your_thing"][1].value = "yes"
    check._marks["is_your_thing"][2].value = "no"
    check._marks["probably_not"][1].value = "yes"
    check._marks["probably_not"][2].value = "unsure"
    text = re.sub(r"<[^>]+>", " ", check._reading.value)
    assert "two signs that the work suits someone" in text and "“you can hear what a track needs”" in text
    assert "one sign that it may not suit you" in text and "dependable income" in text
    assert "not sure about one line" in text and "Two lines are still unmarked" in text
    assert not re.search(r"\d+\s*(%|/|out of|points?)", text), "no invented score"
    value = saved(folder)["answers"][f"{L1}/would-you-like-it"]["value"]
    assert {k: value[k] for k in ("is_your_thing", "probably_not")} == {
        "is_your_thing": ["yes", "yes", "no", None], "probably_not": [None, "yes", "unsure"]}
    assert value["signals"] == {"is_your_thing": signals.is_your_thing, "probably_not": signals.probably_not}
    assert prompt(reopen(L1, folder), "would-you-like-it")._marks["probably_not"][2].value == "unsure"


class _Signals:
    def __init__(self, yes: list[str], no: list[str]):
        self.is_your_thing, self.probably_not = yes, no


def test_self_check_marks_follow_their_signal_when_the_card_changes():
    from lessonkit.models.prompts import self_check_marks, self_check_value
    before = _Signals(["ear", "patience", "taste"], ["income"])
    saved = self_check_value(before, {"is_your_thing": ["yes", "no", "unsure"], "probably_not": ["yes"]})
    # reordered, one signal added at the top, one reworded in place, one removed
    after = _Signals(["new line", "taste", "ear", "patience"], ["steady income"])
    assert self_check_marks(after, saved) == {"is_your_thing": [None, "unsure", "yes", "no"],
                                              "probably_not": ["yes"]}  # reworded in place: kept
    removed = _Signals(["ear", "taste"], [])
    assert self_check_marks(removed, saved) == {"is_your_thing": ["yes", "unsure"], "probably_not": []}
    # answers saved before the texts were stored are read by position, as they were written
    old = {"is_your_thing": ["yes", None, "no"], "probably_not": ["unsure"]}
    assert self_check_marks(before, old) == {"is_your_thing": ["yes", None, "no"], "probably_not": ["unsure"]}
    for junk in (None, [], "text", {"is_your_thing": "yes"}, {"is_your_thing": ["maybe", 3], "signals": 5}):
        assert self_check_marks(before, junk) == {"is_your_thing": [None, None, None], "probably_not": [None]}


def test_a_reordered_card_keeps_each_learner_mark_on_its_signal(folder: Path, course):
    signals = course.careers["music-producer"].signals
    key = f"{L1}/would-you-like-it"
    saved_against = list(reversed(signals.is_your_thing))  # as if the card listed them the other way round
    store = A.AnswerStore(folder / "ada.json", course_id="careers-in-music-production", learner_id="ada")
    store.set_answer(key, {"is_your_thing": ["yes", None, None, "no"], "probably_not": [None, None, None],
                           "signals": {"is_your_thing": saved_against, "probably_not": signals.probably_not}},
                     kind="self-check")
    store.flush()
    A._STORES.clear()
    lesson = open_(L1, folder)
    check = prompt(lesson, "would-you-like-it")
    assert [b.value for b in check._marks["is_your_thing"]] == ["no", None, None, "yes"]
    from lessonkit import handin
    page = handin.to_markdown(course, lesson.store.document())
    assert f"That's me (suits): {signals.is_your_thing[-1]}" in page
    assert f"Not me (suits): {signals.is_your_thing[0]}" in page


def test_an_unknown_prompt_id_is_a_clear_message(folder: Path):
    with pytest.raises(lessonkit.LessonkitError, match="no prompt 'nope'.*definition-of-success"):
        prompt(open_(L1, folder), "nope")


# ---------------------------------------------------------------- the Capacity Inventory
def words(markup: str) -> str:
    """What a learner reads: tags and bidi isolates (which keep right-to-left names in place) removed."""
    return re.sub(r"<[^>]+>", " ", markup).replace("\u2068", "").replace("\u2069", "")


def fill_research(inventory, n: int, name: str, streams: list[str], share: int | str) -> None:
    fields = inventory.fields
    fields[f"producer-{n}-name"].widget._text.value = name
    fields[f"producer-{n}-sources"].widget._fields[0].value = f"https://example.com/{n}"
    for stream in streams:
        fields[f"producer-{n}-streams"].widget._boxes[stream].value = True
    fields[f"producer-{n}-production-share"].widget._pick.value = share


def test_the_inventory_is_four_steps_with_the_guides_estimate(folder: Path, course):
    inventory = capacity_inventory(open_(L2, folder))
    exercise = course.guides["can-you-make-a-living"].exercise
    assert "about 20 minutes" in inventory.view.children[0].value and exercise.minutes == 20
    assert [b.description for b in inventory._step_buttons] == [f"{s.number} · {s.title}" for s in exercise.steps]
    assert inventory.step == 0
    inventory._next.click()
    assert inventory.step == 1 and inventory._pages.selected_index == 1
    inventory._step_buttons[3].click()
    assert inventory.step == 3 and inventory._next.disabled
    options = {b.description for b in inventory.fields["producer-1-streams"].widget._boxes.values()}
    assert options == {s.label for s in course.guides["can-you-make-a-living"].income_streams}
    assert inventory.fields["producer-2-capacities"].widget._fields[0].options == tuple(
        c.label for c in course.guides["can-you-make-a-living"].capacities)


def test_step_two_is_worked_out_from_step_one_and_the_chart_updates_in_place(folder: Path):
    inventory = capacity_inventory(open_(L2, folder))
    assert inventory._summary is None and inventory._figure is None
    inventory.go(1)  # step 2, with its summary and chart, is built when the learner opens it
    figure = inventory._figure
    fill_research(inventory, 1, "Mara Velde", ["mixing", "teaching", "sample-packs"], 30)
    fill_research(inventory, 2, "DJ Okoro", ["production"], 100)
    summary = words(inventory._summary.value)
    assert "Mara Velde: 3 income streams (Mixing, Sample packs, Teaching); production share: about 30%" in summary
    assert "Relying on a single source: DJ Okoro (Production work)" in summary
    assert "from 30% to 100%" in summary
    assert inventory._figure is figure and figure.data[0]["x"] == [30, 100, None] and figure.data[1]["x"] == [70, 0, None]
    assert figure.data[0]["y"][0] == "\u2068Mara Velde\u2069 · 3 streams" and inventory._tabs.get_title(1) == "DJ Okoro"
    assert not inventory.status()[0] and "✓" not in inventory._step_buttons[0].description
    fill_research(inventory, 3, "Lia", ["touring", "content-creation"], "unknown")
    assert inventory.status()[0] and "✓" in inventory._step_buttons[0].description
    assert "Lia: 2 income streams (Content creation, Touring); production share: you could not tell" in \
        words(inventory._summary.value)


def test_step_four_shows_the_definition_of_success_from_lesson_one(folder: Path):
    lesson1 = open_(L1, folder)
    prompt(lesson1, "definition-of-success")._text.value = "Finish an EP <b>I</b> am proud of."
    inventory = capacity_inventory(reopen(L2, folder))
    assert inventory._success is None  # step 4 is built when the learner reaches it
    inventory.go(3)
    box, quote, _note, toggle = inventory._success
    assert inventory._success_mode == "quote"
    assert "Finish an EP &lt;b&gt;I&lt;/b&gt; am proud of." in quote.value
    assert inventory.success.view not in box.children
    toggle.value = True
    assert inventory.success.view in box.children


def test_step_four_asks_for_the_definition_when_lesson_one_has_none(folder: Path):
    inventory = capacity_inventory(open_(L2, folder))
    inventory.go(3)  # step 4 is built when the learner reaches it
    assert inventory._success_mode == "ask" and inventory.success.view in inventory._success[0].children
    inventory.success.widget._text.value = "Written in Lesson 2"
    assert inventory._success_mode == "ask"  # the field stays while the learner types
    assert saved(folder)["answers"][f"{L1}/definition-of-success"]["value"] == "Written in Lesson 2"
    assert prompt(reopen(L1, folder), "definition-of-success").value == "Written in Lesson 2"


def test_a_reopened_inventory_starts_at_the_first_unfinished_step(folder: Path):
    inventory = capacity_inventory(open_(L2, folder))
    for n, name in enumerate(["A", "B", "C"], start=1):
        fill_research(inventory, n, name, ["mixing"], 20)
    again = capacity_inventory(reopen(L2, folder))
    assert again.step == 1 and again._tabs.get_title(2) == "C" and again._figure.data[0]["x"] == [20, 20, 20]
    assert "step 2 of 4 open; 1 of 4 steps finished" in again._repr_mimebundle_()["text/plain"]


# ---------------------------------------------------------------- finishing, progress, moving answers
def test_reflection_earns_depth_points_by_the_stated_rule(folder: Path, course):
    rule = course.prompts[L2].reflection
    box = finish_lesson(open_(L2, folder))
    box.reflection._text.value = "word " * (rule.min_words - 1)
    assert box.reflection.points == 0 and f"of the {rule.min_words} words" in box.reflection._count.value
    box.reflection._text.value = "word " * rule.min_words
    assert box.reflection.points == rule.depth_points and "Depth points earned" in box.reflection._count.value
    box.completion._box.value = True
    lessons = saved(folder)["lessons"][L2]
    assert lessons["completed"]["value"] is True and lessons["reflection"]["value"].count("word") == rule.min_words
    again = finish_lesson(reopen(L2, folder))
    assert again.completion._box.value is True and again.reflection.points == rule.depth_points


def test_the_start_page_adds_up_progress_across_lessons(folder: Path, course):
    box = finish_lesson(open_(L1, folder))
    box.completion._box.value = True
    box.reflection._text.value = "word " * course.prompts[L1].reflection.min_words
    prompt(open_(L1, folder), "definition-of-success")._text.value = "An EP."
    progress = course_progress(reopen("00-start-here", folder))
    total = sum(p.reflection.depth_points for p in course.prompts.values())
    earned = course.prompts[L1].reflection.depth_points
    assert f"1 of {len(course.lessons())} lessons complete; {earned} of {total} Depth points" in progress.summary()
    assert "✓ complete" in progress._table.value and f"1 of {len(course.lesson_prompts(L1))}" in progress._table.value


def test_download_then_load_on_another_machine_is_exact(folder: Path, tmp_path: Path):
    lesson = open_(L2, folder)
    inventory = capacity_inventory(lesson)
    fill_research(inventory, 1, "مارا — Mara 🎧", ["mixing"], 40)
    inventory.fields["patterns"].widget._text.value = "Long answer. " * 1500
    files = AnswerFiles(lesson)
    files._download.click()
    href = re.search(r'href="data:application/json;base64,([^"]+)"', files._links.value).group(1)
    data = base64.b64decode(href)

    elsewhere = open_(L2, tmp_path / "other-machine", learner="learner")
    other_inventory = capacity_inventory(elsewhere)
    other_files = AnswerFiles(elsewhere)
    other_files._upload.value = ({"name": "ada-answers.json", "type": "application/json", "size": len(data),
                                  "content": memoryview(data),
                                  "last_modified": dt.datetime.now(dt.timezone.utc)},)
    assert "Loaded:" in other_files.message.text and "learner id 'ada'" in other_files.message.text
    assert other_inventory.fields["producer-1-name"].value == "مارا — Mara 🎧"
    other_inventory.go(1)
    assert other_inventory._figure.data[0]["x"][0] == 40
    mine, theirs = json.loads(data), json.loads(other_files.store.export_text())
    assert mine["answers"] == theirs["answers"]


def test_loading_a_wrong_file_changes_nothing_and_says_why(folder: Path):
    lesson = open_(L2, folder)
    name = prompt(lesson, "producer-1-name")
    name._text.value = "kept"
    files = AnswerFiles(lesson)
    files.load("notes.txt", b"just some notes")
    assert "not readable JSON" in files.message.text
    other = A.new_document("jazz-piano", "ada")
    files.load("jazz.json", json.dumps(other).encode())
    assert "course 'jazz-piano'" in files.message.text and name.value == "kept"


def test_the_hand_in_button_writes_markdown_and_html(folder: Path):
    lesson = open_(L1, folder)
    prompt(lesson, "definition-of-success")._text.value = "<img src=x onerror=alert(1)> success"
    files = AnswerFiles(lesson)
    files._handin.click()
    page = (folder / "handin" / "ada-answers.html").read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; success" in page
    assert (folder / "handin" / "ada-answers.md").exists() and "ada-answers.md" in files._links.value


def test_attach_saves_any_lesson_widget_under_its_key(folder: Path):
    """The salary and time-split widgets use the same protocol: state in, state out, on_change."""
    from lessonkit.widgets.base import LessonWidget

    class Dial(LessonWidget):
        def __init__(self) -> None:
            super().__init__("dial")
            self.level = 3

        @property
        def state(self) -> dict:
            return {"level": self.level}

        def restore(self, state: dict) -> None:
            self.level = int(state.get("level", self.level))

    dial = open_(L1, folder).attach(Dial())
    dial.level = 7
    dial.changed()
    assert saved(folder)["widgets"]["dial"]["state"] == {"level": 7}
    assert reopen(L1, folder).attach(Dial()).level == 7


# ---------------------------------------------------------------- in the lesson notebooks
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize("lesson_id", ["00-start-here", L1, L2])
def test_the_notebooks_take_learner_id_and_answers_dir(lesson_id: str):
    from papermill.inspection import inspect_notebook

    params = inspect_notebook(str(NOTEBOOKS / f"{lesson_id}.ipynb"))
    for name in ("learner_id", "answers_dir"):
        assert params[name]["inferred_type_name"] == "str" and params[name]["default"] == '""' and params[name]["help"]


def test_a_lesson_run_another_day_shows_the_saved_answers(tmp_path: Path):
    """papermill runs Lesson 01 for a learner whose answers file exists: the prompts and the finish box show them."""
    import papermill as pm

    folder = tmp_path / "answers"
    store = A.AnswerStore(folder / "ada.json", course_id="careers-in-music-production", learner_id="ada")
    store.set_answer(f"{L1}/definition-of-success", "Finish an EP I am proud of 🎶", kind="long-text")
    store.set_answer(f"{L1}/would-you-like-it", {"is_your_thing": ["yes", None, None, None],
                                                 "probably_not": [None, None, None]}, kind="self-check")
    store.set_lesson_field(L1, "completed", True)
    store.flush()
    nb = pm.execute_notebook(str(NOTEBOOKS / f"{L1}.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3",
                             parameters={"learner_id": "ada", "answers_dir": str(folder)}, progress_bar=False,
                             cwd=str(NOTEBOOKS))
    shown = {c.id: "".join(str(o.get("data", {}).get("text/plain", "")) for o in c.outputs)
             for c in nb.cells if c.cell_type == "code"}
    assert "Your definition of success: Finish an EP I am proud of 🎶" in shown["definition-of-success"]
    assert "Which of these sound like you?: answered" in shown["self-check"]
    assert "This lesson is marked complete." in shown["finish-lesson"]
    assert str(folder / "ada.json") in "".join(str(o.get("data", {}).get("text/html", ""))
                                               for o in next(c for c in nb.cells if c.id == "open-lesson").outputs)


def test_a_bad_learner_id_stops_the_first_lesson_cell(tmp_path: Path):
    import nbformat
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as error:
        pm.execute_notebook(str(NOTEBOOKS / f"{L2}.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3",
                            parameters={"learner_id": "../someone-else"}, progress_bar=False, cwd=str(NOTEBOOKS))
    assert "learner_id = '../someone-else'" in str(error.value)
    opener = next(c for c in nbformat.read(tmp_path / "out.ipynb", as_version=4).cells if c.get("id") == "open-lesson")
    shown = "\n".join(opener.outputs[0].traceback)
    assert "letters, digits" in shown and "Traceback" not in shown


def test_answers_of_an_unexpected_shape_never_break_progress_or_the_hand_in(folder: Path, course):
    """A hand-edited or older file may hold a string where a list belongs: shown as it is, nothing raised."""
    from lessonkit import handin
    from lessonkit.progress import course_progress as rows

    lesson = open_(L2, folder)
    lesson.store.set_answer(f"{L2}/producer-1-streams", "mixing and teaching")
    lesson.store.set_answer(f"{L2}/own-capacities", {"odd": True})
    lesson.store.set_answer(f"{L2}/producer-1-production-share", [30])
    doc = lesson.store.document()
    (row,) = [r for r in rows(course, doc) if r.lesson.id == L2]
    assert row.answered == 2  # the text and the odd list count; a list is no estimate
    page = handin.to_html(course, doc)
    assert "&quot;mixing and teaching&quot;" in page and "<li dir=\"auto\">odd</li>" in page
    inventory = capacity_inventory(lesson)
    assert inventory.fields["producer-1-name"].message.text == ""


# ---------------------------------------------------------------- prompts a teacher requires
def test_required_prompts_must_be_answered_before_the_lesson_is_marked_complete(folder: Path):
    """Ticking "Mark this lesson complete" with a required prompt unanswered is refused with its title beside the box;
    the count follows the answers live, and once the prompt is answered the tick is accepted and saved."""
    lesson = lessonkit.open_lesson(L1, learner_id="ada", answers_dir=str(folder),
                                   required_prompts="definition-of-success,would-you-like-it")
    check = prompt(lesson, "would-you-like-it")
    check._marks["is_your_thing"][0].value = "yes"  # answered before the finish box exists: read from the store
    box = finish_lesson(lesson)
    assert "(1 of 2 answered)" in box._required.value and "✗ not answered yet: Your definition of success" in box._required.value
    box.reflection._text.value = "Half a thought"
    box.completion._box.value = True
    assert box.completion._box.value is False
    assert "Not marked complete yet. Still to answer: Your definition of success." in box.completion.message.text
    assert "completed" not in saved(folder)["lessons"].get(L1, {})
    assert saved(folder)["lessons"][L1]["reflection"]["value"] == "Half a thought"  # nothing written is lost

    success = prompt(lesson, "definition-of-success")
    success._text.value = "   "  # blank does not count
    assert "(1 of 2 answered)" in box._required.value
    success._text.value = "Finishing an EP I am proud of."
    assert "(2 of 2 answered)" in box._required.value and "2 of 2 answered." in box.summary()
    assert "you can mark this lesson complete" in box.completion.message.text
    box.completion._box.value = True
    assert box.completion._box.value is True and box.completion.message.text == ""
    assert saved(folder)["lessons"][L1]["completed"]["value"] is True
    assert "This lesson is marked complete." in box.summary()


def test_a_saved_completion_is_shown_as_it_is_and_no_requirement_changes_nothing(folder: Path):
    """A lesson saved as complete opens complete even if a requirement was added later; without required prompts the
    finish box has no requirement list and ticking saves at once."""
    plain = finish_lesson(open_(L2, folder))
    assert not hasattr(plain, "_required") and "Required" not in plain.summary()
    plain.completion._box.value = True
    assert saved(folder)["lessons"][L2]["completed"]["value"] is True
    A.flush_all()
    A._STORES.clear()
    strict = finish_lesson(lessonkit.open_lesson(L2, learner_id="ada", answers_dir=str(folder),
                                                 required_prompts="patterns"))
    assert strict.completion._box.value is True and strict.completion.message.text == ""
    assert "(0 of 1 answered)" in strict._required.value and "What you notice" in strict._required.value
