"""The shape of the course content in ``data/``: one pydantic model per kind of file.

Every model forbids unknown fields, so a typo in a teacher's YAML is reported
rather than ignored. Rules that span fields (shares summing to 100, salary
points in order) live here as validators; rules that span files (source ids,
reading files, lesson links) live in :mod:`lessonkit.content`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from . import kinds
from .pitches import PITCHES  # noqa: F401 (re-exported: the key list the track's models check against)

#: What ``lessonkit new`` writes where the author has something to fill in; ``lessonkit check``
#: rejects any field (or reading line) that still holds it.
PLACEHOLDER = "TODO"
_PLACEHOLDER = re.compile(rf"\b{PLACEHOLDER}\b")


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and bool(_PLACEHOLDER.search(value))


def _filled(value: Any) -> Any:
    if is_placeholder(value):
        raise ValueError(f"still holds the placeholder {value.strip()[:60]!r} that `lessonkit new` wrote; "
                         "replace it with the real value")
    return value


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60), BeforeValidator(_filled)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True), BeforeValidator(_filled)]
Usd = Annotated[int, Field(gt=0, description="yearly amount in US dollars"), BeforeValidator(_filled)]
Percent = Annotated[float, Field(ge=0, le=100), BeforeValidator(_filled)]


class Strict(BaseModel):
    # defer_build: a model's validator is built when it first validates, not on import; a lesson whose
    # content comes from the cache (content_cache) never validates, so it never pays for them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---------------------------------------------------------------- sources
class Source(Strict):
    id: Id
    title: Text
    publisher: str | None = None
    date: str | None = Field(None, description="the date the document gives, as it gives it; null when it gives none")
    cited_in: Id | None = Field(None, description="the source document that names this source")
    supports: Text = Field(description="what this source supports in the course")


class SourcesFile(Strict):
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SourcesFile:
        _require_unique([s.id for s in self.sources], "source")
        return self


# ---------------------------------------------------------------- course map
class Extension(Strict):
    """Marks a lesson as an extension: its activities open once a learner has earned enough Depth points."""

    depth_points: Annotated[int, Field(ge=1, description="Depth points, earned in the other lessons, that open it")]


class BlockItem(Strict):
    """A block of a lesson's layout whose cell gets an id of its own (the default is made from its name)."""

    block: Text = Field(description="the block: kind or kind:argument, e.g. reading:overview or prompt:my-prompt")
    id: Id = Field(description="the notebook cell's id")


#: One entry of a layout: ``reading:overview``, or ``{block: prompt:would-you-like-it, id: self-check}``.
LayoutItem = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)] | BlockItem


class Layout(Strict):
    """A lesson template (lessonkit/layouts/<name>.yaml): the blocks its notebooks are made of, in order."""

    about: Text
    blocks: list[LayoutItem] = Field(min_length=1)


class LessonEntry(Strict):
    id: Id
    number: Annotated[int, Field(ge=0)]
    title: Text
    notebook: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}-[a-z0-9-]+\.ipynb$")]
    minutes: Annotated[int, Field(gt=0, le=240)]
    summary: Text
    objectives: list[Text] = Field(min_length=1)
    based_on: list[Id] = Field(min_length=1, description="source ids the lesson is built from")
    sources: list[Id] = Field(default_factory=list, description="source ids listed in the lesson's sources panel")
    uses: dict[str, Id] = Field(default_factory=dict, description="content the readings refer to, e.g. card: music-producer")
    extension: Extension | None = Field(None, description="set for an extension lesson: the Depth points that open it")
    features: list[Id] = Field(default_factory=list, description="what the lesson shows that takes parameters "
                                                                 "(checked against lessonkit.parameters)")
    template: Id | None = Field(None, description="the layout its notebook is made from (lessonkit/layouts/<name>.yaml)")
    blocks: list[LayoutItem] | None = Field(None, description="the notebook's blocks in order, for a lesson "
                                                                "with no template")

    @model_validator(mode="after")
    def _one_layout(self) -> LessonEntry:
        if (self.template is None) == (self.blocks is None):
            raise ValueError("give the lesson either a template (e.g. template: career-card) or a list of blocks, "
                             "not both and not neither")
        return self


class Module(Strict):
    id: Id
    title: Text
    lessons: list[LessonEntry] = Field(min_length=1)


class Track(Strict):
    id: Id
    title: Text
    modules: list[Module] = Field(min_length=1)


class CourseFile(Strict):
    id: Id | None = Field(None, description="the course id that learners' answers files carry; "
                                            "defaults to the title in lower case with dashes")
    title: Text
    tagline: Text
    tracks: list[Track] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> CourseFile:
        lessons = [lesson for t in self.tracks for m in t.modules for lesson in m.lessons]
        _require_unique([lesson.id for lesson in lessons], "lesson")
        _require_unique([lesson.notebook for lesson in lessons], "notebook")
        return self


# ---------------------------------------------------------------- career card
WorkKind = Literal["technical", "creative", "people", "business"]


class Activity(Strict):
    id: Id
    label: Text
    share: Percent
    kind: WorkKind


class WorkSplit(Strict):
    activities: list[Activity] = Field(min_length=1)
    caveat: Text
    varies_by: Text
    shift: Text = Field(description="how the split moves from early-career to established")
    people: Text = Field(description="what people in this career are called, plural: 'established <people>'")
    later: Text = Field(description="what established people do differently, following 'established <people>'")
    moves_from: Text = Field(description="the technical work hours move away from as a career goes on, in a few "
                                         "words read as plural: 'move from <moves_from> to <moves_to>', "
                                         "'<Moves_from> take 16 h'")
    moves_to: Text = Field(description="the work those hours move to, in a few words")
    moves_from_kinds: list[WorkKind] = Field(min_length=1, description="the kinds of activity (see each activity's "
                                             "kind) whose hours shrink as a career goes on: what moves_from names")
    moves_to_kinds: list[WorkKind] = Field(min_length=1, description="the kinds of activity those hours go to: what "
                                           "moves_to names; the scenario and the ideal-week reading follow both")
    source: Id

    @model_validator(mode="after")
    def _sums_to_100(self) -> WorkSplit:
        _require_unique([a.id for a in self.activities], "activity")
        total = sum(a.share for a in self.activities)
        if abs(total - 100) > 0.01:
            raise ValueError(f"activity shares must sum to 100, but they sum to {total:g}")
        return self

    @model_validator(mode="after")
    def _shift_follows_the_activities(self) -> WorkSplit:
        both = sorted(set(self.moves_from_kinds) & set(self.moves_to_kinds))
        if both:
            raise ValueError(f"the shift cannot move hours from and to the same kind of work ({', '.join(both)}); "
                             "list each kind in moves_from_kinds or in moves_to_kinds, not both")
        used = [a.kind for a in self.activities]
        for field in ("moves_from_kinds", "moves_to_kinds"):
            unused = [kind for kind in getattr(self, field) if kind not in used]
            if unused:
                raise ValueError(f"{field} names {', '.join(unused)}, but no activity is of that kind; "
                                 f"the activities' kinds are {', '.join(dict.fromkeys(used))}")
        return self


class Moment(Strict):
    id: Id
    time: Annotated[str, StringConstraints(pattern=r"^(1[0-2]|[1-9]):[0-5][0-9]$")]
    title: Text
    what: Text
    why: Text


class TypicalDay(Strict):
    moments: list[Moment] = Field(min_length=1)
    note: Text
    source: Id


class Signals(Strict):
    is_your_thing: list[Text] = Field(min_length=1, description="signs the work suits someone")
    probably_not: list[Text] = Field(min_length=1, description="signs it probably does not")
    source: Id


class Fit(Strict):
    suits: Text
    not_for: Text


class Project(Strict):
    title: Text
    summary: Text
    steps: list[Text] = Field(min_length=1)
    source: Id


class SalariedPath(Strict):
    label: Text
    covers: Text
    entry: Usd
    median: Usd
    top: Usd
    growth_low: Percent
    growth_high: Percent
    as_of: Text = Field(description="the date of the median and growth figures, as their source gives it")
    growth_span: Text | None = Field(None, description="the period the growth covers; null when the source gives "
                                                       "none (the lessons then say so)")
    approximate: bool = True
    people: Text = Field(description="who is on this path, plural: 'how many <people> earn more than ...'")
    source: Id = Field(description="the source of the median and the growth figures")
    range_source: Id = Field(description="the source of the entry and top figures (the card, when it names none)")

    @model_validator(mode="after")
    def _ordered(self) -> SalariedPath:
        if not self.entry < self.median < self.top:
            raise ValueError(
                f"salary points must rise: entry ({self.entry}) < median ({self.median}) < top ({self.top})"
            )
        if self.growth_low > self.growth_high:
            raise ValueError(f"growth_low ({self.growth_low:g}) is above growth_high ({self.growth_high:g})")
        return self


class ArtistPath(Strict):
    label: Text
    typical: Text = Field(description="what the source says about most earners (it gives no figure)")
    high_low: Usd
    high_high: Usd
    open_ended: bool = Field(description="true when the source writes the top as 'and more' ($500K+)")
    high_earners: Text = Field(description="who reaches the high range")
    paid_by: Text
    people: Text = Field(description="who is on this path, plural: 'how many <people> would earn more than ...'")
    source: Id

    @model_validator(mode="after")
    def _ordered(self) -> ArtistPath:
        if self.high_low >= self.high_high:
            raise ValueError(f"high_low ({self.high_low}) must be below high_high ({self.high_high})")
        return self


class Pay(Strict):
    salaried: SalariedPath
    artist: ArtistPath
    note: Text


class Outlook(Strict):
    trend: Text
    right_now: Text
    source: Id


class CareerCard(Strict):
    id: Id
    title: Text
    summary: Text
    related: list[Text]
    fit: Fit
    work: WorkSplit
    day: TypicalDay
    signals: Signals
    start_here: Project
    pay: Pay
    outlook: Outlook
    source: Id = Field(description="the card itself, as a source")


# ---------------------------------------------------------------- lesson guide
class Section(Strict):
    id: Id
    title: Text
    gist: Text


class Capacity(Strict):
    id: Id
    label: Text


class Step(Strict):
    id: Id
    number: Annotated[int, Field(ge=1)]
    title: Text
    task: Text


class Exercise(Strict):
    title: Text
    minutes: Annotated[int, Field(gt=0)]
    purpose: Text
    steps: list[Step] = Field(min_length=1)
    own_capacities_min: Annotated[int, Field(ge=1)]
    capacities_per_producer: Annotated[int, Field(ge=1)]
    producers: Annotated[int, Field(ge=1)]
    outcome: Text

    @model_validator(mode="after")
    def _numbered(self) -> Exercise:
        numbers = [s.number for s in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"steps must be numbered 1, 2, 3...; found {numbers}")
        return self


class FaqItem(Strict):
    id: Id
    question: Text = Field(description="written for the course: the source kept the answers but lost the questions")
    answer: Text


class QuickCard(Strict):
    id: Id
    label: Text
    text: Text


class Guide(Strict):
    id: Id
    title: Text
    path: list[Text] = Field(min_length=1, description="track, module and lesson as the guide names them")
    question: Text
    better_question: Text
    sections: list[Section] = Field(min_length=1)
    income_streams: list[Capacity] = Field(min_length=1)
    capacities: list[Capacity] = Field(min_length=1)
    exercise: Exercise
    faq: list[FaqItem] = Field(min_length=1)
    quick_reference: list[QuickCard] = Field(min_length=1)
    next_step: Text
    source: Id

    @model_validator(mode="after")
    def _unique(self) -> Guide:
        for name in ("sections", "income_streams", "capacities", "faq", "quick_reference"):
            _require_unique([item.id for item in getattr(self, name)], name)
        return self


# ---------------------------------------------------------------- prompts (data/prompts/<lesson id>.yaml)
PromptKind = Annotated[str, AfterValidator(kinds.check_prompt_kind)]  # the kinds in lessonkit.kinds
CHOICE_KINDS = ("single-choice", "multiple-choice")
#: Lists in the content that a prompt may offer as its options or suggestions.
OPTION_LISTS = ("guide.income_streams", "guide.capacities")


class Option(Strict):
    id: Id
    label: Text


class Prompt(Strict):
    id: Id
    kind: PromptKind
    title: Text = Field(description="a short label shown above the field")
    instructions: Text
    example: Text | None = Field(None, description="an example answer the learner can reveal")
    step: Id | None = Field(None, description="the exercise step the prompt belongs to")
    each_producer: bool = Field(False, description="asked once per researched producer: ids become producer-<n>-<id>")
    options: list[Option] = Field(default_factory=list, description="choices, or suggestions for a list's items")
    options_from: str | None = Field(None, description=f"take the options from the content: one of {OPTION_LISTS}")
    other: bool = Field(False, description="choice prompts: add an 'other' field for the learner's own words")
    items: Annotated[int, Field(ge=1, le=20)] | None = Field(None, description="list prompts: fields shown")
    min_items: Annotated[int, Field(ge=0, le=20)] = 0
    max_items: Annotated[int, Field(ge=1, le=20)] | None = None
    item: Literal["text", "link"] = "text"
    min_words: Annotated[int, Field(ge=1)] | None = None
    max_chars: Annotated[int, Field(ge=1, le=20_000)] = 20_000
    signals_from: Literal["card.signals"] | None = None
    beside: str | None = Field(None, description="another prompt shown next to this one, as <lesson id>/<prompt id>")

    @model_validator(mode="after")
    def _fits_kind(self) -> Prompt:
        kind = self.kind
        if kind in CHOICE_KINDS and not (self.options or self.options_from):
            raise ValueError(f"a {kind} prompt needs options or options_from")
        if self.options_from is not None and self.options_from not in OPTION_LISTS:
            raise ValueError(f"options_from '{self.options_from}' is not a list lessonkit knows; "
                             f"expected one of {', '.join(OPTION_LISTS)}")
        if kind == "list":
            if self.items is None:
                raise ValueError("a list prompt needs items: how many fields to show")
            top = self.max_items or self.items
            if self.min_items > top or self.items > top:
                raise ValueError(f"list sizes must satisfy min_items ({self.min_items}) <= max_items ({top}) "
                                 f"and items ({self.items}) <= max_items ({top})")
        elif self.items is not None or self.max_items is not None:
            raise ValueError(f"items and max_items belong to list prompts, not {kind}")
        if self.other and kind not in CHOICE_KINDS:
            raise ValueError(f"'other' belongs to choice prompts, not {kind}")
        if kind == "self-check" and self.signals_from is None:
            raise ValueError("a self-check prompt needs signals_from: card.signals")
        if kind != "self-check" and self.example is None:
            raise ValueError(f"a {kind} prompt needs an example answer the learner can reveal")
        _require_unique([o.id for o in self.options], "option")
        return self


class Reflection(Strict):
    instructions: Text
    example: Text
    min_words: Annotated[int, Field(ge=1)]
    depth_points: Annotated[int, Field(ge=1)]


class PromptsFile(Strict):
    lesson: Id = Field(description="the lesson these prompts belong to; the file is named after it")
    prompts: list[Prompt] = Field(default_factory=list)
    reflection: Reflection

    @model_validator(mode="after")
    def _unique(self) -> PromptsFile:
        _require_unique([p.id for p in self.prompts], "prompt")
        return self


# ---------------------------------------------------------------- track maker (data/track.yaml, Lesson 03)
Pitch = Literal[PITCHES]  # type: ignore[valid-type]  # the names in lessonkit.pitches, one statement
ModeName = Literal["major", "minor", "dorian", "mixolydian", "lydian", "phrygian"]
BassVoice = Literal["round-bass", "saw-bass", "808", "sub"]
ChordVoice = Literal["electric-piano", "pad", "stab"]
LeadVoice = Literal["soft-lead", "saw-lead", "square-lead", "bell", "pluck"]
CoverShapes = Literal["circles", "stripes", "shards", "grid", "rings", "waves"]
Unit = Annotated[float, Field(ge=0, le=1)]


def _steps(allowed: str, meaning: str, example: str) -> Any:
    """A one-bar pattern of sixteen steps, checked with a message that says how to write one."""

    def check(value: str) -> str:
        bad = sorted(set(value) - set(allowed))
        if len(value) != 16 or bad:
            found = f"{len(value)} steps" + (f" and the character(s) {' '.join(repr(c) for c in bad)}" if bad else "")
            raise ValueError(f"expected one bar of 16 steps written with {meaning}, like '{example}'; "
                             f"got '{value}' ({found})")
        return value

    return Annotated[str, AfterValidator(check)]


def _colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        raise ValueError(f"expected a colour written #RRGGBB, like '#F76707'; got {value!r}")
    return value


DrumSteps = _steps("xX.", "x (hit), X (accent) and . (silence)", "x...x...x...x...")
BassSteps = _steps("RFO-.", "R (root), F (fifth), O (octave), - (hold) and . (silence)", "R-----..R-.F----")
ChordSteps = _steps("x-.", "x (play), - (hold) and . (silence)", "x-------x-------")
Colour = Annotated[str, AfterValidator(_colour)]
Degree = Annotated[int, Field(ge=1, le=7, description="a scale degree; 1 is the key's home chord")]
Bpm = Annotated[int, Field(ge=40, le=220, description="beats per minute")]
SILENT = "." * 16


class TempoRange(Strict):
    min: Bpm
    default: Bpm
    max: Bpm

    @model_validator(mode="after")
    def _ordered(self) -> TempoRange:
        if not self.min <= self.default <= self.max:
            raise ValueError(f"tempo must satisfy min ({self.min}) <= default ({self.default}) <= max ({self.max})")
        return self


class Mood(Strict):
    id: Id
    label: Text
    feel: Text
    mode: ModeName
    keys: list[Pitch] = Field(min_length=1, description="the keys the mood suits; the first is its usual one")
    progressions: list[Annotated[list[Degree], Field(min_length=2, max_length=8)]] = Field(min_length=1)
    energy: Unit = Field(description="how busy and hard it plays: 0 calm, 1 driving")
    brightness: Unit = Field(description="how bright its sounds are: 0 dark, 1 bright")
    palette: list[Colour] = Field(min_length=3, max_length=6, description="cover colours: background first")


class Drums(Strict):
    kick: DrumSteps = SILENT
    snare: DrumSteps = SILENT
    clap: DrumSteps = SILENT
    hat: DrumSteps = SILENT
    open_hat: DrumSteps = SILENT


class Bass(Strict):
    voice: BassVoice
    octave: Annotated[int, Field(ge=1, le=3)]
    pattern: BassSteps


class Chords(Strict):
    voice: ChordVoice
    octave: Annotated[int, Field(ge=3, le=5)]
    sevenths: bool
    rhythm: ChordSteps


class Lead(Strict):
    voice: LeadVoice
    octave: Annotated[int, Field(ge=4, le=6)]
    density: Unit = Field(description="how many of the grid's steps start a note, roughly")
    grid: Literal[8, 16] = Field(description="the shortest note: eighths or sixteenths")


class Genre(Strict):
    id: Id
    label: Text
    feel: Text
    tempo: TempoRange
    swing: Annotated[float, Field(ge=0, le=0.5, description="how late the off-beat sixteenths fall, as a share of a step")]
    space: Unit = Field(description="how much echo: 0 dry, 1 a lot")
    drums: Drums
    bass: Bass
    chords: Chords
    lead: Lead
    shapes: CoverShapes


class Loudness(Strict):
    target_lufs: Annotated[float, Field(ge=-30, le=-5)]
    ceiling_dbfs: Annotated[float, Field(ge=-6, le=0)]
    source: Id


class TrackFile(Strict):
    seconds: Annotated[float, Field(ge=20, le=60, description="a sketch's length, before rounding to phrases")]
    loudness: Loudness
    moods: list[Mood] = Field(min_length=1)
    genres: list[Genre] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> TrackFile:
        _require_unique([m.id for m in self.moods], "mood")
        _require_unique([g.id for g in self.genres], "genre")
        return self


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what} id '{item}' is used twice; ids must be unique")
        seen.add(item)


#: Which model reads which file, by its place under ``data/``.
FILE_KINDS: dict[str, type[Strict]] = {
    "sources": SourcesFile,
    "course": CourseFile,
    "careers": CareerCard,
    "guides": Guide,
    "track": TrackFile,
    "prompts": PromptsFile,
}
