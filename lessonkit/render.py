"""Turn course content into the Markdown a lesson shows: readings, callouts, FAQ, cards, sources, navigation.

Everything here is a pure function of the content, so a notebook's reading
cells can be regenerated and compared (``lessonkit sync``). Blocks are found
by name through a small registry; a notebook cell names its blocks in
``metadata.lessonkit.blocks``, e.g. ``["reading:the-work", "work-split"]`` or ``["faq"]``.

The output is plain Markdown with a little HTML that JupyterLab keeps:
``<details>`` for the FAQ (keyboard-operable, announced by screen readers) and
labelled blockquotes for callouts, which follow the light and dark themes.
Meaning never rides on colour alone: every callout has a worded label.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import templating

if TYPE_CHECKING:  # rendering takes a loaded course; loading checks readings with the rules below
    from .content import Course

Block = Callable[["Course", str, str], str]
BLOCKS: dict[str, Block] = {}

# Browsers set a text box in monospace unless told otherwise; answers are sentences, so the
# lesson's text boxes carry this class and the lesson's Ready line carries the rule. Links in
# the readings and outputs are underlined: Voila's theme tells them from text by colour alone.
PROSE_CLASS = "lessonkit-prose"
# Words for screen readers only, where a short visible label is clear from its place on the page
# but its accessible name must say the rest ("Low" is the low yearly amount from one stream, in US$).
SPOKEN_CLASS = "lessonkit-spoken"
PROSE_STYLE = (f"<style>.{PROSE_CLASS} textarea {{ font-family: var(--jp-content-font-family, system-ui, sans-serif);"
               " font-size: var(--jp-content-font-size1, 14px); line-height: 1.5; }"
               " :is(.jp-RenderedMarkdown, .jp-OutputArea-output) a[href] { text-decoration: underline; }"
               f" .{SPOKEN_CLASS} {{ position: absolute; width: 1px; height: 1px; overflow: hidden;"
               " clip-path: inset(50%); white-space: nowrap; }</style>")

CALLOUTS = {
    "key-idea": "💡 Key idea",
    "tip": "✅ Tip",
    "caution": "⚠️ Caution",
}
DIRECTIVE = re.compile(r"^:::\s*([a-z-]*)\s*$")


def register(name: str) -> Callable[[Block], Block]:
    def wrap(func: Block) -> Block:
        BLOCKS[name] = func
        return func

    return wrap


def block(course: Course, lesson_id: str, name: str) -> str:
    """The Markdown of block ``name`` (``kind`` or ``kind:argument``) for a lesson."""
    kind, _, arg = name.partition(":")
    if kind not in BLOCKS:
        raise KeyError(f"unknown block '{kind}' (known: {', '.join(sorted(BLOCKS))})")
    return escape_dollars(BLOCKS[kind](course, lesson_id, arg).strip()) + "\n"


def escape_dollars(markdown: str) -> str:
    """Keep "$34K to $105K" from turning into maths.

    JupyterLab typesets the rendered page with MathJax, which pairs up any two ``$``
    signs it finds; only a ``\\$`` that survives into the page is read as a plain dollar
    (MathJax's processEscapes). Markdown turns ``\\\\$`` into that ``\\$``.
    """
    return markdown.replace("$", "\\\\$")


# ---------------------------------------------------------------- small pieces
def esc(text: str) -> str:
    """Text placed inside HTML tags: escaped so content can never inject markup."""
    return html.escape(text, quote=True)


def callout(kind: str, body: str) -> str:
    """A labelled blockquote. JupyterLab's coloured ``alert`` boxes keep light backgrounds in the
    dark theme (contrast below 3:1), and its sanitiser strips ARIA attributes from Markdown;
    a blockquote follows both themes and its worded label is read aloud."""
    lines = f"**{CALLOUTS[kind]}.** {body.strip()}".splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines)


def cite(course: Course, source_id: str) -> str:
    source = course.sources[source_id]
    return f"{source.title} ({source.date or 'undated'})"


def directive_problems(text: str) -> list[tuple[int, str]]:
    """Unknown or unclosed ``:::`` callouts in a reading, as (line, message)."""
    found, open_at = [], None
    for lineno, line in enumerate(text.splitlines(), start=1):
        match = DIRECTIVE.match(line.strip())
        if not match:
            continue
        kind = match.group(1)
        if open_at is None:
            if kind not in CALLOUTS:
                found.append((lineno, f"':::{kind}' is not a callout; expected one of {', '.join(CALLOUTS)}"))
            open_at = lineno
        elif kind:
            found.append((lineno, f"':::{kind}' opens a callout inside the one opened on line {open_at}"))
        else:
            open_at = None
    if open_at is not None:
        found.append((open_at, "this callout is never closed with ':::'"))
    return found


def reading_problems(text: str) -> list[tuple[int, str]]:
    """Everything wrong with a reading's own text, as (line, message): callouts, and placeholders left to fill."""
    from .schema import is_placeholder  # checking only: a lesson on screen never loads the models

    found = directive_problems(text)
    found += [(lineno, f"still holds a placeholder ({line.strip()[:60]!r}); write the reading's own text here")
              for lineno, line in enumerate(text.splitlines(), start=1) if is_placeholder(line)]
    return sorted(found)


def expand_callouts(text: str) -> str:
    out, kind, body = [], None, []
    for line in text.splitlines():
        match = DIRECTIVE.match(line.strip())
        if match and kind is None:
            kind, body = match.group(1), []
        elif match:
            out.append(callout(kind, "\n".join(body)))
            kind = None
        elif kind is not None:
            body.append(line)
        else:
            out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- blocks
@register("reading")
def reading(course: Course, lesson_id: str, name: str) -> str:
    try:
        template = course.readings[lesson_id][name]
    except KeyError:
        raise KeyError(f"no reading data/readings/{lesson_id}/{name}.md") from None
    return expand_callouts(templating.render(template, course.context(lesson_id)))


@register("header")
def header(course: Course, lesson_id: str, _: str) -> str:
    lesson = course.lesson(lesson_id)
    track, module = course.place_of(lesson_id)
    based = "; ".join(cite(course, s) for s in lesson.based_on)
    goals = "\n".join(f"- {goal}" for goal in lesson.objectives)
    return (
        f"# Lesson {lesson.number:02d} · {lesson.title}\n\n"
        f"*{track.title} → {module.title}* · ⏱ about **{lesson.minutes} minutes** · based on {based}\n\n"
        f"{lesson.summary}\n\n"
        f"**By the end of this lesson you will be able to:**\n\n{goals}"
    )


@register("nav")
def nav(course: Course, lesson_id: str, _: str) -> str:
    before, after = course.neighbours(lesson_id)
    links = []
    if before:
        links.append(f"← Previous: [Lesson {before.number:02d} · {before.title}]({before.notebook})")
    links.append("[Course map](00-start-here.ipynb)" if lesson_id != course.lessons()[0].id else "You are on the course map")
    if after:
        links.append(f"Next: [Lesson {after.number:02d} · {after.title}]({after.notebook}) →")
    return "<nav>\n\n" + " · ".join(links) + "\n\n</nav>"


@register("course-map")
def course_map(course: Course, _lesson_id: str, _: str) -> str:
    lines = [f"## Course map: {course.map.title}", "", course.map.tagline, ""]
    total = 0
    for track in course.map.tracks:
        lines.append(f"**{track.title}**")
        lines.append("")
        for module in track.modules:
            lines.append(f"- {module.title}")
            for lesson in module.lessons:
                total += lesson.minutes
                extension = (f" **Extension lesson:** its activities open at {lesson.extension.depth_points} Depth "
                             "points; its readings are open to everyone." if lesson.extension else "")
                lines.append(f"    - [Lesson {lesson.number:02d} · {lesson.title}]({lesson.notebook})"
                             f" · about {lesson.minutes} minutes: {lesson.summary}{extension}")
        lines.append("")
    lines.append(f"All together: about **{total} minutes**, in as many sittings as you like.")
    if any(lesson.extension for lesson in course.lessons()):
        lines += ["", "Depth points come from the reflections at the end of each lesson, and they open the "
                      "extension lessons. The table below keeps count and shows which are open to you."]
    return "\n".join(lines)


@register("sources")
def sources_panel(course: Course, lesson_id: str, _: str) -> str:
    lesson = course.lesson(lesson_id)
    ids = list(dict.fromkeys([*lesson.based_on, *lesson.sources]))
    rows = ["| Source | Date given | Named in | What it supports here |", "|---|---|---|---|"]
    for source_id in ids:
        source = course.sources[source_id]
        named_in = course.sources[source.cited_in].title if source.cited_in else "—"
        rows.append(f"| {source.title}{' — ' + source.publisher if source.publisher else ''} "
                    f"| {source.date or 'not given'} | {named_in} | {source.supports} |")
    return "## Sources\n\nEvery fact and figure in this lesson comes from these, except where the lesson calls " \
           "something a rule of thumb. The readings are written for this course; the figures are quoted as the " \
           "sources give them.\n\n" + "\n".join(rows)


@register("faq")
def faq(course: Course, lesson_id: str, _: str) -> str:
    guide = course.context(lesson_id)["guide"]
    items = [
        f"<details>\n<summary><strong>{esc(item.question)}</strong></summary>\n\n{item.answer.strip()}\n\n</details>"
        for item in guide.faq
    ]
    return "## Questions people ask\n\nSelect a question (or press Enter on it) to open the answer.\n\n" + "\n\n".join(items)


@register("quickref")
def quick_reference(course: Course, lesson_id: str, _: str) -> str:
    guide = course.context(lesson_id)["guide"]
    rows = ["| | In one line |", "|---|---|", *(f"| **{c.label}** | {c.text} |" for c in guide.quick_reference)]
    return "## Quick reference\n\n" + "\n".join(rows)


@register("work-split")
def work_split(course: Course, lesson_id: str, _: str) -> str:
    card = course.context(lesson_id)["card"]
    rows = ["| Activity | Share of the working week |", "|---|---|",
            *(f"| {a.label} | {templating.FORMATS['pct'](a.share)} |" for a in card.work.activities)]
    return "\n".join(rows) + f"\n\n*{card.work.caveat} {card.work.varies_by}* Source: {cite(course, card.work.source)}."


@register("day")
def day(course: Course, lesson_id: str, _: str) -> str:
    card = course.context(lesson_id)["card"]
    rows = ["| When | What happens | Why it matters |", "|---|---|---|",
            *(f"| **{m.time}** | **{m.title}.** {m.what} | {m.why} |" for m in card.day.moments)]
    return "\n".join(rows) + f"\n\n*{card.day.note}* Source: {cite(course, card.day.source)}."


@register("signals")
def signals(course: Course, lesson_id: str, _: str) -> str:
    card = course.context(lesson_id)["card"]
    yes = "\n".join(f"- {s}" for s in card.signals.is_your_thing)
    no = "\n".join(f"- {s}" for s in card.signals.probably_not)
    return (f"**Signs it is your thing** ({len(card.signals.is_your_thing)}):\n\n{yes}\n\n"
            f"**Signs it probably is not** ({len(card.signals.probably_not)}):\n\n{no}\n\n"
            f"Source: {cite(course, card.signals.source)}.")


@register("pay")
def pay(course: Course, lesson_id: str, _: str) -> str:
    card = course.context(lesson_id)["card"]
    s, a = card.pay.salaried, card.pay.artist
    usd = templating.FORMATS["usd_k"]
    pct = templating.FORMATS["pct"]
    top = usd(a.high_high) + ("+" if a.open_ended else "")
    span = f"over {s.growth_span}" if s.growth_span else "over a period the source does not give"
    rows = [
        "| | What the source publishes | Source |", "|---|---|---|",
        f"| **{s.label}** | about {usd(s.median)} median; growth +{pct(s.growth_low)} to +{pct(s.growth_high)}, "
        f"{span} ({s.as_of}) | {cite(course, s.source)} |",
        f"| **{s.label}**: range | about {usd(s.entry)} at entry to about {usd(s.top)} at the top "
        f"| {cite(course, s.range_source)} |",
        f"| **{a.label}** | {a.typical}; {a.high_earners} can reach {usd(a.high_low)}–{top}; paid {a.paid_by} "
        f"| {cite(course, a.source)} |",
    ]
    return "\n".join(rows) + f"\n\n*{card.pay.note}*"


@register("finish")
def finish(course: Course, lesson_id: str, _: str) -> str:
    rules = course.prompts.get(lesson_id)
    if rules is None:
        raise KeyError(f"no data/prompts/{lesson_id}.yaml, so no reflection rule for the 'finish' block")
    rule = rules.reflection
    return ("## Finish this lesson\n\n"
            f"**Reflect.** {rule.instructions}\n\n"
            f"**Depth points.** A reflection of at least {rule.min_words} words earns {rule.depth_points} Depth "
            "points; a shorter one earns none. Depth points open the extension lessons; the course map in Lesson 00 "
            "adds up your points and shows which lessons you have marked complete and which extensions are open.\n\n"
            "**Mark the lesson complete** when you are done. Your answers save themselves as you type. "
            "**Download my answers** gives you a copy to keep or to load in another session with "
            "**Load my answers**, and **Make my hand-in** writes them as a document for your teacher.")


@register("exercise")
def exercise(course: Course, lesson_id: str, _: str) -> str:
    ex = course.context(lesson_id)["guide"].exercise
    steps = "\n".join(f"{step.number}. **{step.title}.** {step.task}" for step in ex.steps)
    return f"## {ex.title}\n\n⏱ Set aside about **{ex.minutes} minutes**. {ex.purpose}\n\n{steps}\n\n" \
           f"**What you come away with:** {ex.outcome}"
