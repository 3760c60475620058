"""The course's lesson parameters, in the order every parameters cell lists them, with their parsers.

Adding a parameter is one ``register`` call here (and its tests): the notebooks' cells, ``open_lesson``,
``lessonkit assign --param`` and the docs' tables all follow. Which lessons take it is data: ``features``
names what a lesson shows (``course.yaml`` lists each lesson's features).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ParameterError
from .parameter_registry import (Context, Parameter, Parser, as_text, find_lesson, lesson_names, parse_due,
                                 plain_text, register, register_follow_up, register_together, split_ids, truth,
                                 whole_number)

MAX_SEED = 2**31 - 1  # the track maker's largest seed (lessonkit.track.settings.MAX_SEED)


# ---------------------------------------------------------------- parsers that know the course
def parse_learner_id(value: Any, ctx: Context) -> str:
    """A learner id by the one rule for ids (lessonkit.identity); "" lets the sign-in or the default name them."""
    from .identity import parse_learner_id as by_rule

    given = as_text("learner_id", value)
    return by_rule(given) if given else ""


def parse_required_prompts(value: Any, ctx: Context) -> tuple[str, ...]:
    """The prompt ids a teacher requires in this lesson, or a ParameterError naming each unknown id.

    Blank items and spaces around commas are ignored ("a, b," is a and b); "" requires nothing.
    """
    wanted = split_ids(value)
    if not wanted or ctx.course is None or ctx.lesson is None:
        return tuple(wanted)
    entry = ctx.lesson
    valid = [prompt.id for prompt in ctx.course.lesson_prompts(entry.id)]
    unknown = [item for item in wanted if item not in valid]
    if unknown:
        listed = ", ".join(repr(item) for item in unknown)
        where = f"lesson {entry.number:02d} ({entry.id})"
        if not valid:
            expected = f"{where} has no prompts, so {listed} cannot be required; use \"\" for none"
        else:
            verb = "is not a prompt" if len(unknown) == 1 else "are not prompts"
            expected = (f"{listed} {verb} of {where}. Valid prompt ids: {', '.join(valid)}; separate several "
                        "with commas, or use \"\" for none")
        raise ParameterError("required_prompts", value, expected)
    return tuple(wanted)

def parse_lesson_id(value: Any, ctx: Context) -> str:
    """A lesson named by id, number or notebook, as its id; "" is the lesson after this one (none after the last)."""
    wanted = as_text("start_with", value)
    if ctx.course is None:
        return wanted
    if not wanted:
        after = ctx.course.neighbours(ctx.lesson.id)[1] if ctx.lesson is not None else None
        return after.id if after is not None else ""
    lesson = find_lesson(ctx.course, wanted)
    if lesson is None:
        raise ParameterError("start_with", value, f"there is no such lesson. Valid lessons: "
                                                  f"{lesson_names(ctx.course)}")
    return lesson.id


def parse_answers_dir(value: Any, ctx: Context) -> str:
    """The folder's name as given; whether it can be used is checked where it is made (lessonkit.answer_folder)."""
    folder = as_text("answers_dir", value)
    if "\x00" in folder:  # no system accepts it in a path; Python would raise a bare ValueError
        raise ParameterError("answers_dir", value, "a folder name cannot hold a NUL character (\\x00); expected a "
                                                   "folder for the answers files, or \"\" for the default")
    return folder


def parse_week_hours(value: Any, ctx: Context) -> int:
    from .models.timesplit import check_week_hours

    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            pass
    return check_week_hours(value)


def parse_target_income(value: Any, ctx: Context) -> int:
    from .models.salary import check_target_income

    return check_target_income(value)


def _catalog(ctx: Context) -> Any:
    return getattr(ctx.course, "track", None) if ctx.course is not None else None


def catalog_id(name: str, plural: str) -> Parser:
    """An id from the course's track.yaml (its moods or genres)."""

    def read(value: Any, ctx: Context) -> str:
        wanted = as_text(name, value)
        catalog = _catalog(ctx)
        if catalog is None:
            return wanted
        items = getattr(catalog, plural)
        if wanted not in [item.id for item in items]:
            raise ParameterError(name, value, f"there is no such {name}. Valid {plural}: "
                                              f"{', '.join(item.id for item in items)}")
        return wanted

    return read


def parse_export_dir(value: Any, ctx: Context) -> str:
    """A folder name; whether it can be written is checked where the track is started (it is the learner's disk)."""
    folder = as_text("export_dir", value)
    if not folder or "\x00" in folder:
        raise ParameterError("export_dir", value, "expected the name of a folder to export into, "
                                                  "such as \"artifacts/my-track\"")
    return folder


def check_track_settings(values: Mapping[str, Any], ctx: Context) -> None:
    catalog = _catalog(ctx)
    if catalog is None:
        return
    from .track.settings import check_settings

    check_settings(catalog, mood=values["mood"], genre=values["genre"], tempo=values["tempo"], seed=values["seed"])


def _track(ctx: Context) -> tuple[Any, Any]:
    """An example mood and genre (the last of each in track.yaml), for the docs and tests."""
    catalog = _catalog(ctx)
    return (catalog.moods[-1], catalog.genres[-1]) if catalog is not None else (None, None)


def _first_prompt(ctx: Context) -> str:
    prompts = ctx.course.lesson_prompts(ctx.lesson.id) if ctx.course is not None and ctx.lesson is not None else []
    return prompts[0].id if prompts else ""


# ---------------------------------------------------------------- the parameters, in cell order
register(Parameter(
    "data_dir", str, "", 'folder of course content to use; "" means the course\'s own data/', plain_text("data_dir"),
    doc="A folder of course content to use instead of the course's own `data/`.",
    when="Only if you keep an edited copy of the content (check it with `lessonkit check DIR`).",
    example=lambda ctx: str(ctx.course.root) if ctx.course is not None else ""))
register(Parameter(
    "due_date", str, "", 'due date shown to learners, written YYYY-MM-DD; "" shows none',
    parse_due, dump=lambda date: date.isoformat() if date else "",
    doc="The date shown to learners as the deadline, written `YYYY-MM-DD`. `collect` uses it to spot late work.",
    when="Almost always.", example=lambda ctx: "2026-12-01"))
register(Parameter(
    "start_with", str, "", 'the lesson learners are sent to first (an id from the course map); "" means the next '
                           'lesson',
    parse_lesson_id, features=("course-progress",),
    doc="The lesson the start page sends learners to first: its id, number or notebook name. Empty means the "
        "lesson after the start page in the course map.",
    when="When your class starts somewhere other than the next lesson.",
    example=lambda ctx: f"{ctx.course.lessons()[-1].number:02d}" if ctx.course is not None else ""))
register(Parameter(
    "mood", str, "hopeful", "the first version's mood, a mood id from data/track.yaml (hopeful, melancholy, dreamy, ...)",
    catalog_id("mood", "moods"), features=("track-project",),
    doc="The first version's mood, an id from `data/track.yaml`.", when="To give the whole class one starting point.",
    example=lambda ctx: _track(ctx)[0].id))
register(Parameter(
    "genre", str, "lofi", "the first version's genre, a genre id from data/track.yaml (lofi, house, trap, ...)",
    catalog_id("genre", "genres"), features=("track-project",),
    doc="The first version's genre, an id from `data/track.yaml`.", when="As for `mood`.",
    example=lambda ctx: _track(ctx)[1].id))
register(Parameter(
    "tempo", int, 0, "the first version's beats per minute, within the genre's range; 0 uses the genre's usual tempo",
    whole_number("tempo", 0, 1000, "expected a whole number of beats per minute within the genre's range, or 0 for "
                                   "its usual tempo"),
    features=("track-project",),
    doc="Beats per minute of the first version, within the genre's range; `0` uses the genre's usual tempo.",
    when="Rarely.", example=lambda ctx: str(_track(ctx)[1].tempo.max)))
register(Parameter(
    "seed", int, 7, "the number the first version is made from: the same settings and seed give the same track",
    whole_number("seed", 0, MAX_SEED, f"expected a whole number from 0 to {MAX_SEED}"), features=("track-project",),
    doc="The number the first version is generated from (a random seed): the same settings and seed give the same "
        "track.",
    when="To give everyone the same first sketch, or each learner a different one.", example=lambda ctx: "8"))
register(Parameter(
    "export_dir", str, "artifacts/my-track", "folder the Export button writes the chosen version to: WAV, MIDI, "
                                             "cover PNG, liner notes",
    parse_export_dir, features=("track-project",),
    doc="The folder the finished track is exported to (audio, MIDI, cover, notes) when the learner presses "
        "**Export**, relative to the notebook (for a Voila visitor, inside the visit's own folder). Learners see it "
        "as the **Folder** box beside **Export**, with the whole folder named on the line below, and can type "
        "another.",
    when="When exports must land in a folder you collect.", example=lambda ctx: "exports/first-track"))
register(Parameter(
    "export_at_run", bool, False, "True exports the track when the lesson runs, without the learner pressing Export",
    truth("export_at_run", "expected True (export the track as the lesson runs) or False (only when the learner "
                           "presses Export)"),
    features=("track-project",),
    doc="`True` exports the track into `export_dir` as the lesson runs (the learner's chosen version, or the first "
        "one), as if **Export** had been pressed. `False` writes nothing until the learner presses **Export**.",
    when="When you run the lesson yourself with papermill and want its files without opening it.",
    example=lambda ctx: "yes"))
register(Parameter(
    "learner_id", str, "", 'who is answering: names the answers file <learner_id>.json; "" means "learner"',
    parse_learner_id, per_learner=True,
    doc="Names the learner's answers file, `<learner_id>.json` (letters, digits, `.`, `_`, `-`). Empty means the "
        "hub's user name on a JupyterHub, else `learner`.",
    when="Never by hand: `assign` sets it for each learner.", example=lambda ctx: "ada-lovelace"))
register(Parameter(
    "answers_dir", str, "", 'folder for the answers file; "" means the default (README: where answers are saved)',
    parse_answers_dir,
    doc="The folder answers are saved in. Empty means the default: `LESSONKIT_ANSWERS` if set; on a hub, "
        "`~/.lessonkit/answers` in the learner's home; `answers/` in a checkout of the course that belongs to the "
        "learner; else `~/.lessonkit/answers` (a Voila visitor gets a private folder per visit).",
    when="When learners should save somewhere you can reach, such as a shared folder on a hub.",
    example=lambda ctx: "class-answers"))
register(Parameter(
    "target_income", int, 40_000, "yearly income, USD, that would count as making a living for you",
    parse_target_income, features=("pay",),
    doc="The yearly income in US dollars that the pay widgets start from; learners can change it. `50k` is accepted. "
        "The default is the course's own starting value, not a figure from the card or the guide, and the lessons "
        "say so.",
    when="To start the class from a local living wage.", example=lambda ctx: "45k"))
register(Parameter(
    "week_hours", int, 40, "length of a working week in hours, used to turn shares into hours (1-100)",
    parse_week_hours, features=("work-split",),
    doc="The length of a working week, 1 to 100 hours, used to turn the published time split into hours. The card "
        "publishes shares, not hours: 40 is the course's starting value, and the lesson says so.",
    when="For a part-time group, or to compare a 50-hour freelance week.", example=lambda ctx: "35"))
register(Parameter(
    "required_prompts", str, "", 'prompt ids learners must answer before marking the lesson complete, separated by '
                                 'commas; "" for none',
    parse_required_prompts, dump=",".join,
    doc="Ids of the lesson's prompts (from `data/prompts/<lesson>.yaml`) that a learner has to answer before **Mark "
        "this lesson complete** is accepted, separated by commas, for example `patterns,own-capacities`. The finish "
        "box lists them by title and counts how many are answered; an id the lesson does not have stops the first "
        "cell with the lesson's valid ids. A lesson without prompts only takes `\"\"`.",
    when="When finishing a lesson should mean its key questions were answered, not only ticked.",
    example=_first_prompt))
register(Parameter(
    "open_extensions", bool, False, "True opens every extension lesson for everyone, whatever their Depth points (the "
                                    "course map shows them open)",
    truth("open_extensions", "expected True (open every extension lesson for everyone) or False (each learner's "
                             "Depth points open them)"),
    features=("course-progress", "extension"),
    doc="`True` opens every extension lesson for every learner, whatever their Depth points; the course map on the "
        "start page then shows it as opened by the teacher. `False` leaves it to each learner's points (see "
        "[Extension lessons](#extension-lessons)). Give it to the start page and the extension lessons alike; "
        "`assign` does when you hand them out together.",
    when="When the whole class should make a track, for example in a workshop, before anyone has written "
         "reflections.",
    example=lambda ctx: "yes"))

register_together(("mood", "genre", "tempo", "seed"), check_track_settings)
register_follow_up("track-project", "first = lessonkit.start_track(lesson, mood=mood, genre=genre, tempo=tempo, "
                                    "seed=seed, export_dir=export_dir)")
