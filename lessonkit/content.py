"""Load the course content from ``data/``, check all of it, and report every problem at once.

``load_course()`` returns a :class:`Course` or raises :class:`ContentError`
listing each problem as ``file:line: field: what was expected``.
``check()`` returns the same problems without raising (``lessonkit check``).
Every file is checked through its model in :mod:`lessonkit.schema`; the course returned holds the
checked values as plain views (:mod:`lessonkit.content_view`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import content_cache
from .content_view import freeze
from .course import Course
from .errors import ContentError, LessonkitError, Problem
from .locate import find_data_dir

__all__ = ["Course", "check", "load_course"]


# ---------------------------------------------------------------- the whole check
def _load(root: Path) -> tuple[Course | None, list[Problem]]:
    # Imported here: a lesson whose content comes from the cache never checks it, so never loads pydantic.
    from pydantic import ValidationError

    from . import schema
    from .content_checks import check_extensions, check_prompts, check_uses, load_readings
    from .content_files import content_files, friendly, kind_of, line_of, node_tree, parse, source_refs

    problems: list[Problem] = []
    models: dict[str, list[tuple[str, Any]]] = {kind: [] for kind in schema.FILE_KINDS}
    raw: list[tuple[str, Any, Any]] = []
    seen: set[str] = set()

    for path in content_files(root):
        rel = path.relative_to(root).as_posix()
        kind = kind_of(path.relative_to(root).parts)
        seen.add(kind or "")
        if kind is None:
            problems.append(Problem(rel, "", "is not a known content file; expected course.yaml, sources.yaml, track.yaml, "
                                             "careers/<id>.yaml, guides/<id>.yaml or prompts/<lesson id>.yaml"))
            continue
        data, syntax = parse(path, rel)
        if syntax:
            problems += syntax
            continue
        if not isinstance(data, dict):
            problems.append(Problem(rel, "", f"expected a mapping of named fields at the top, got {type(data).__name__}", 1))
            continue
        try:
            model = schema.FILE_KINDS[kind].model_validate(data)
        except ValidationError as error:
            nodes = node_tree(path)
            for item in error.errors():
                loc = tuple(item["loc"])
                problems.append(Problem(rel, ".".join(map(str, loc)), friendly(dict(item)), line_of(nodes, loc)))
            model = None
        raw.append((rel, data, path))
        if model is not None:
            if kind == "prompts" and model.lesson != path.stem:
                problems.append(Problem(rel, "lesson", f"is '{model.lesson}' but the file is named '{path.name}'; "
                                                       "name the file after the lesson id", line_of(node_tree(path), ("lesson",))))
            if kind in ("careers", "guides") and getattr(model, "id") != path.stem:
                problems.append(Problem(rel, "id", f"is '{model.id}' but the file is named '{path.name}'; "
                                                   "the id and the file name must match", line_of(node_tree(path), ("id",))))
            models[kind].append((rel, freeze(model)))  # checked: read from here on as plain views

    for kind in ("course", "sources"):
        if kind not in seen:
            problems.append(Problem(f"{kind}.yaml", "", "is missing; every course needs one"))

    sources = {s.id: s for _, f in models["sources"] for s in f.sources}
    if models["sources"]:
        for rel, data, path in raw:
            for loc, ref in source_refs(data):
                if ref not in sources:
                    problems.append(Problem(rel, ".".join(map(str, loc)),
                                            f"names the source '{ref}', which is not in sources.yaml "
                                            f"(known: {', '.join(sorted(sources))})", line_of(node_tree(path), loc)))

    if problems or not models["course"]:
        return None, problems

    course = Course(
        root=root,
        map=models["course"][0][1],
        sources=sources,
        careers={m.id: m for _, m in models["careers"]},
        guides={m.id: m for _, m in models["guides"]},
        prompts={m.lesson: m for _, m in models["prompts"]},
        track=models["track"][0][1] if models["track"] else None,
    )
    problems += check_uses(course, raw)
    problems += check_prompts(course, raw)
    problems += check_extensions(course, raw)
    if problems:  # readings are checked against what lessons use, so that must resolve first
        return None, problems
    readings, reading_problems = load_readings(course)
    problems += reading_problems
    return (Course(**{**course.__dict__, "readings": readings}) if not problems else None), problems


def check(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in a content folder (or the folder holding the file named)."""
    try:
        root = _root_for(path)
    except LessonkitError as error:
        return [Problem(str(path or "data"), "", str(error))]
    return _load(root)[1]


def _root_for(path: str | os.PathLike[str] | None) -> Path:
    if path is None:
        return find_data_dir()
    target = Path(path)
    if target.is_file():
        for parent in target.resolve().parents:
            if (parent / "course.yaml").exists() or (parent / "sources.yaml").exists():
                return parent
        raise LessonkitError(f"{target} is not inside a course content folder (no course.yaml above it)")
    if not target.is_dir():
        raise LessonkitError(f"{target} does not exist; expected a content folder or a file inside one")
    return target.resolve()


@lru_cache(maxsize=8)
def _cached(root: Path, stamp: tuple[tuple[str, float], ...]) -> Course:
    # A folder that passed every check before, unchanged since and read by the same lessonkit, is not
    # parsed and validated again: that was most of the time a lesson took to open (content_cache).
    key = content_cache.fingerprint(root)
    kept = content_cache.recall(root, key)
    if isinstance(kept, Course):
        return kept
    course, problems = _load(root)
    if problems or course is None:
        raise ContentError(problems)
    content_cache.store(root, key, course)
    return course


def load_course(data_dir: str | os.PathLike[str] | None = None, *, near: Path | None = None) -> Course:
    """The validated course; raises ContentError listing every problem.

    ``near`` is the folder a lesson runs in: a course folder there comes before the installed copy
    (see :mod:`lessonkit.locate`). Loading is cached, in this process and in the user's own cache folder
    (:mod:`lessonkit.content_cache`), and re-done when any content file or lessonkit itself changes.
    ``check()`` never uses the cache.
    """
    root = find_data_dir(data_dir or None, near)
    stamp = tuple((str(p), p.stat().st_mtime) for p in sorted(root.rglob("*")) if p.is_file())
    return _cached(root, stamp)
