"""A learner's answers written out to hand in: one Markdown file and one standalone HTML page.

Both are made from an answers file (the typed :class:`lessonkit.answers_model.AnswersFile`) and the course's
prompts; how each answer is shown is its kind's entry in :mod:`lessonkit.kinds`.
All learner text is escaped (HTML-escaped in the page, backslash-escaped in Markdown), so
nothing a learner types can become markup; right-to-left text keeps its direction
(``dir="auto"``). Answers whose prompt is no longer in ``data/`` still appear, at the end.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import kinds
from .atomic import write_atomic
from .headings import ordered_prompts
from .htmlpage import esc, link, page
from .identity import file_name_for
from .progress import lesson_progress

if TYPE_CHECKING:
    from .answers_model import AnswersFile

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


@dataclass(frozen=True)
class Item:
    """One answer as the hand-in shows it: a heading and its content as paragraphs, a list, or links."""

    heading: str
    paragraphs: list[str]
    bullets: list[str]
    links: bool = False
    answered: bool = True


# ---------------------------------------------------------------- what goes in
def _items(course: Any, doc: AnswersFile, lesson_id: str) -> list[Item]:
    items = []
    for prompt, heading in ordered_prompts(course, lesson_id):
        value = doc.value(f"{lesson_id}/{prompt.id}")
        shown = kinds.get(prompt.kind).shown(kinds.Where(course, lesson_id, prompt), value)
        items.append(Item(heading, shown.paragraphs, shown.bullets, shown.links) if shown
                     else Item(heading, ["(not answered)"], [], answered=False))
    return items


def _widget_items(doc: AnswersFile, lesson_id: str) -> list[Item]:
    """Work kept in a lesson widget's state that a kind shows (the track journal), when there is some."""
    items = []
    for kind in kinds.widget_kinds():
        record = doc.widgets.get(f"{lesson_id}/{kind.saved_as}")
        shown = kind.shown(kinds.Where(None, lesson_id), record.state) if record else None
        if shown:
            items.append(Item(kind.title, shown.paragraphs, shown.bullets, shown.links))
    return items


def _unknown_answers(course: Any, doc: AnswersFile) -> list[Item]:
    known = {f"{lesson.id}/{p.id}" for lesson in course.lessons() for p in course.lesson_prompts(lesson.id)}
    return [Item(key, [json.dumps(r.value, ensure_ascii=False)], [])
            for key, r in sorted(doc.answers.items()) if key not in known]


@dataclass(frozen=True)
class Section:
    title: str
    status: str
    items: list[Item]
    reflection: str


def _reflection(section: Section) -> list[str]:
    shown = kinds.get("reflection").shown(kinds.Where(None, ""), section.reflection)
    return shown.paragraphs if shown else []


def sections(course: Any, doc: AnswersFile) -> list[Section]:
    out = []
    for lesson in course.lessons():
        progress = lesson_progress(course, doc, lesson.id)
        reflection = str(doc.lesson_value(lesson.id, "reflection") or "")
        status = "Completed" if progress.completed else "Not marked complete"
        if progress.rule:
            status += f" · reflection: {progress.reflection_words} words · {progress.depth_points} of " \
                      f"{progress.possible_points} Depth points"
        if progress.prompts:
            status += f" · {progress.answered} of {progress.prompts} prompts answered"
        items = _items(course, doc, lesson.id) + _widget_items(doc, lesson.id)
        out.append(Section(f"Lesson {lesson.number:02d} · {lesson.title}", status, items, reflection))
    extra = _unknown_answers(course, doc)
    if extra:
        out.append(Section("Other saved answers", "Saved for prompts this version of the course no longer has.",
                           extra, ""))
    return out


def _title(course: Any, doc: AnswersFile) -> str:
    return f"{course.map.title}: answers of {doc.learner}"


# ---------------------------------------------------------------- Markdown
def md_escape(text: str) -> str:
    """Learner text as Markdown that shows exactly those characters (no markup, line breaks kept)."""
    escaped = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _MD_SPECIAL.sub(r"\\\1", text))
    return "  \n".join(escaped.splitlines())


def to_markdown(course: Any, doc: AnswersFile) -> str:
    lines = [f"# {md_escape(_title(course, doc))}", "", f"Saved {doc.saved_at or ''} · course id "
             f"`{doc.course}` · learner id `{md_escape(doc.learner)}`", ""]
    for section in sections(course, doc):
        lines += [f"## {section.title}", "", f"*{section.status}*", ""]
        for item in section.items:
            lines += [f"### {md_escape(item.heading)}", ""]
            lines += [*(p for para in item.paragraphs for p in (md_escape(para), ""))]
            lines += [f"- {md_escape(b)}" for b in item.bullets] + ([""] if item.bullets else [])
        if section.reflection.strip():
            lines += ["### Reflection", ""] + [p for para in _reflection(section) for p in (md_escape(para), "")]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- HTML
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 48em; margin: 2em auto;
       padding: 0 1em; line-height: 1.5; color: #1f1f1f; background: #fff; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { font-size: 1.05em; }
.status { color: #555; font-style: italic; } .missing { color: #777; font-style: italic; }
@media (prefers-color-scheme: dark) { body { color: #e8e8e8; background: #111; } .status, .missing { color: #aaa; }
  a { color: #8ab4f8; } }
"""


def to_html(course: Any, doc: AnswersFile) -> str:
    title = _title(course, doc)
    body = [f"<h1>{esc(title)}</h1>", f'<p class="status">Saved {esc(doc.saved_at or "")} · course id '
                                      f'<code>{esc(doc.course)}</code> · learner id <code>{esc(doc.learner)}</code></p>']
    for section in sections(course, doc):
        body += [f"<section><h2>{esc(section.title)}</h2>", f'<p class="status">{esc(section.status)}</p>']
        for item in section.items:
            body.append(f'<h3 dir="auto">{esc(item.heading)}</h3>')
            css = ' class="missing"' if not item.answered else ""
            body += [f'<p dir="auto"{css}>{esc(p).replace(chr(10), "<br>")}</p>' for p in item.paragraphs]
            if item.bullets:
                shown = [link(b) if item.links else esc(b) for b in item.bullets]
                body.append("<ul>" + "".join(f'<li dir="auto">{b}</li>' for b in shown) + "</ul>")
        if section.reflection.strip():
            body.append("<h3>Reflection</h3>")
            body += [f'<p dir="auto">{esc(p).replace(chr(10), "<br>")}</p>' for p in _reflection(section)]
        body.append("</section>")
    return page(title, "\n".join(body), style=STYLE)


# ---------------------------------------------------------------- files
def file_stem(doc: AnswersFile) -> str:
    """The hand-in's file name (without its extension), from the learner id by the one learner-id rule."""
    return f"{file_name_for(doc.learner)}-answers"


def write(course: Any, doc: AnswersFile, out_dir: str | Path) -> list[Path]:
    """Write ``<learner>-answers.md`` and ``<learner>-answers.html`` into ``out_dir``; returns their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{file_stem(doc)}.md", folder / f"{file_stem(doc)}.html"]
    write_atomic(paths[0], to_markdown(course, doc).encode("utf-8", "replace"))
    write_atomic(paths[1], to_html(course, doc).encode("utf-8", "replace"))
    return paths
