"""``lessonkit new career|lesson``: write the data files a new lesson needs, with placeholders to fill.

Every value the author must supply is written as ``TODO`` (:data:`lessonkit.schema.PLACEHOLDER`),
which ``lessonkit check`` rejects by file and field until it is replaced. The skeletons are data
(``lessonkit/skeletons/``); the readings written are the ones the lesson's layout shows. Nothing
is written unless everything can be: no file is overwritten, and course.yaml is edited last,
in place, keeping its comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import yaml

from . import layouts, schema
from .errors import LessonkitError

SKELETONS = Path(__file__).resolve().parent / "skeletons"
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Kind:
    """What ``lessonkit new <kind>`` writes."""

    entry: str  # the course.yaml entry's skeleton
    prompts: str  # the prompts file's skeleton
    content: tuple[str, str] | None  # (skeleton, folder) of the content file it also writes, if any
    blocks_of: str | None  # the template whose readings it writes (None: the entry's own blocks)


KINDS: dict[str, Kind] = {
    "career": Kind("career-lesson.yaml", "career-prompts.yaml", ("career.yaml", "careers"), "career-card"),
    "lesson": Kind("lesson.yaml", "lesson-prompts.yaml", None, None),
}


def new(kind: str, item_id: str, title: str, root: Path, module_id: str | None = None) -> list[Path]:
    """Write a new career card or lesson into the content folder ``root``; returns the files written."""
    spec = KINDS[kind]
    if not ID.match(item_id) or len(item_id) > 50:
        raise LessonkitError(f"'{item_id}' cannot be an id; expected lower-case letters, digits and dashes, "
                             "like example-career")
    if not title.strip() or schema.is_placeholder(title):
        raise LessonkitError("--title is empty; give the title learners will see, like --title \"Sound Designer\"")
    course_file = root / "course.yaml"
    if not course_file.is_file():
        raise LessonkitError(f"{root} has no course.yaml (a course written as TOML is edited by hand); "
                             "nothing was written")
    original = course_file.read_text(encoding="utf-8")
    course = yaml.safe_load(original)
    lessons = [lesson for t in course["tracks"] for m in t["modules"] for lesson in m["lessons"]]
    number = max((int(lesson.get("number", 0)) for lesson in lessons), default=-1) + 1
    lesson_id = f"{number:02d}-{item_id}"
    fields = {"id": item_id, "title": _quoted(title.strip()), "lesson": lesson_id, "number": number,
              "notebook": f"{lesson_id}.ipynb"}

    files: dict[Path, str] = {}
    if spec.content:
        skeleton, folder = spec.content
        files[root / folder / f"{item_id}.yaml"] = _fill(skeleton, fields)
    files[root / "prompts" / f"{lesson_id}.yaml"] = _fill(spec.prompts, fields)
    entry = _fill(spec.entry, fields)
    items = layouts.template(spec.blocks_of).blocks if spec.blocks_of else yaml.safe_load(entry)[0]["blocks"]
    for name in layouts.reading_names(layouts.refs(items)):
        files[root / "readings" / lesson_id / f"{name}.md"] = _fill("reading.md", {"name": name})

    taken = [str(path.relative_to(root)) for path in files if path.exists()]
    if any(lesson.get("id") == lesson_id for lesson in lessons) or taken:
        raise LessonkitError(f"{', '.join(taken) or lesson_id} already exists in {root}; nothing was written")
    updated = _insert_lesson(original, course, entry, _module_for(course, kind, module_id))
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    course_file.write_text(updated, encoding="utf-8")
    return [*files, course_file]


def _fill(skeleton: str, fields: dict[str, Any]) -> str:
    return Template((SKELETONS / skeleton).read_text(encoding="utf-8")).substitute(fields)


def _quoted(text: str) -> str:
    """A title as a YAML scalar, quoted when it has characters YAML would read otherwise."""
    return text if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ,.'()&/-]*", text) else yaml.safe_dump(text).splitlines()[0]


def _module_for(course: dict[str, Any], kind: str, module_id: str | None) -> tuple[int, int]:
    """(track, module) index of the module the lesson joins: the one named, or the last holding one like it."""
    places = [(ti, mi, module) for ti, track in enumerate(course["tracks"]) for mi, module in enumerate(track["modules"])]
    if module_id:
        found = [(ti, mi) for ti, mi, module in places if module.get("id") == module_id]
        if not found:
            raise LessonkitError(f"'{module_id}' is not a module in course.yaml "
                                 f"(known: {', '.join(m.get('id', '?') for _, _, m in places)}); nothing was written")
        return found[0]
    template = KINDS[kind].blocks_of

    def alike(lesson: dict[str, Any]) -> bool:
        return lesson.get("template") == template if template else "blocks" in lesson

    found = [(ti, mi) for ti, mi, module in places if any(alike(lesson) for lesson in module["lessons"])]
    found = found or [(ti, mi) for ti, mi, module in places
                      if any(not lesson.get("extension") for lesson in module["lessons"])]
    return found[-1] if found else places[0][:2]


def _insert_lesson(original: str, course: dict[str, Any], entry: str, where: tuple[int, int]) -> str:
    """course.yaml with ``entry`` after the last lesson of the module at ``where``, comments kept."""
    root = yaml.compose(original, Loader=yaml.SafeLoader)
    node = _child(_child(_child(_child(root, "tracks").value[where[0]], "modules").value[where[1]], "lessons"), None)
    last, first = node.value[-1], node.value[0]
    lines = original.splitlines(keepends=True)
    after = _end_line(last)
    indent = " " * (first.start_mark.column - 2)
    block = "\n" + "".join(f"{indent}{line}" if line.strip() else line for line in entry.splitlines(keepends=True))
    updated = "".join(lines[:after]) + block + "".join(lines[after:])
    try:
        check = yaml.safe_load(updated)["tracks"][where[0]]["modules"][where[1]]["lessons"][-1]["id"]
    except (yaml.YAMLError, KeyError, IndexError, TypeError):
        check = None
    if check != yaml.safe_load(entry)[0]["id"]:
        raise LessonkitError("course.yaml is laid out in a way `lessonkit new` cannot add to; add the lesson by "
                             "hand (docs/teaching.md, Add a lesson); nothing was written")
    return updated


def _end_line(node: Any) -> int:
    """The index of the first line after ``node``: a block node ends where its last child does."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _end_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _end_line(node.value[-1])
    return node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1


def _child(node: Any, key: str | None) -> Any:
    if key is None:
        return node
    return next(value for name, value in node.value if name.value == key)
