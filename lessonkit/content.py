"""Load the course content from ``data/``, check all of it, and report every problem at once.

``load_course()`` returns a :class:`Course` or raises :class:`ContentError`
listing each problem as ``file:line: field: what was expected``.
``check()`` returns the same problems without raising (``lessonkit check``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import content_cache, schema, templating
from .errors import ContentError, LessonkitError, ParameterError, Problem
from .locate import find_data_dir
from .render import reading_problems

CONTENT_SUFFIXES = (".yaml", ".yml", ".toml")
# libyaml's loader is ten times faster; the node tree (for line numbers) is built only when a file has problems.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOURCE_REF_KEYS = {"source", "cited_in"}
SOURCE_LIST_KEYS = {"based_on", "sources"}


@dataclass(frozen=True)
class Course:
    """Everything in ``data/``, validated and cross-checked."""

    root: Path
    map: schema.CourseFile
    sources: dict[str, schema.Source]
    careers: dict[str, schema.CareerCard]
    guides: dict[str, schema.Guide]
    readings: dict[str, dict[str, str]] = field(default_factory=dict)
    prompts: dict[str, schema.PromptsFile] = field(default_factory=dict)
    track: schema.TrackFile | None = None  # the track maker's moods and genres (data/track.yaml)

    @property
    def id(self) -> str:
        """The course id written into learners' answers files."""
        return self.map.id or re.sub(r"[^a-z0-9]+", "-", self.map.title.lower()).strip("-")

    def lessons(self) -> list[schema.LessonEntry]:
        return [lesson for t in self.map.tracks for m in t.modules for lesson in m.lessons]

    def lesson(self, lesson_id: str) -> schema.LessonEntry:
        for lesson in self.lessons():
            if lesson.id == lesson_id:
                return lesson
        valid = ", ".join(item.id for item in self.lessons())
        raise ParameterError("lesson", lesson_id, f"there is no such lesson. Valid lessons: {valid}")

    def place_of(self, lesson_id: str) -> tuple[schema.Track, schema.Module]:
        wanted = self.lesson(lesson_id)  # an unknown id raises the clear error here
        return next((t, m) for t in self.map.tracks for m in t.modules if wanted in m.lessons)

    def neighbours(self, lesson_id: str) -> tuple[schema.LessonEntry | None, schema.LessonEntry | None]:
        order = self.lessons()
        index = [lesson.id for lesson in order].index(self.lesson(lesson_id).id)
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None
        return before, after

    def context(self, lesson_id: str) -> dict[str, Any]:
        """What a lesson's readings may refer to: the course, the lesson, and the content it uses."""
        lesson = self.lesson(lesson_id)
        kinds = {"card": self.careers, "guide": self.guides}
        ctx: dict[str, Any] = {"course": self.map, "lesson": lesson, "sources": list(self.sources.values())}
        for name, content_id in lesson.uses.items():
            ctx[name] = kinds[name][content_id]
        if self.track is not None:
            ctx["track"] = self.track
        return ctx

    def lesson_prompts(self, lesson_id: str) -> list[schema.Prompt]:
        """A lesson's prompts in order, with per-producer prompts expanded to producer-<n>-<id>."""
        found = self.prompts.get(self.lesson(lesson_id).id)
        if found is None:
            return []
        guide = self.context(lesson_id).get("guide")
        producers = guide.exercise.producers if guide else 1
        out = []
        for prompt in found.prompts:
            if prompt.each_producer:
                out += [prompt.model_copy(update={"id": f"producer-{n}-{prompt.id}"}) for n in range(1, producers + 1)]
            else:
                out.append(prompt)
        return out

    def prompt(self, key: str) -> schema.Prompt:
        """The prompt with answer key ``<lesson id>/<prompt id>``."""
        lesson_id, _, prompt_id = key.partition("/")
        for prompt in self.lesson_prompts(lesson_id):
            if prompt.id == prompt_id:
                return prompt
        raise KeyError(f"no prompt '{key}' in data/prompts/")

    def prompt_options(self, lesson_id: str, prompt: schema.Prompt) -> list[schema.Option]:
        """A prompt's own options followed by those of the content list it names."""
        options = list(prompt.options)
        if prompt.options_from:
            name, _, attr = prompt.options_from.partition(".")
            options += [schema.Option(id=item.id, label=item.label) for item in getattr(self.context(lesson_id)[name], attr)]
        return options


# ---------------------------------------------------------------- reading files
def _parse(path: Path, rel: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML or TOML file: (data, syntax problems)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(rel, "", f"cannot be read as UTF-8 text ({error.__class__.__name__})")]
    if path.suffix == ".toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            return tomllib.loads(text), []
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            return None, [Problem(rel, "", f"TOML syntax error: {error}", int(line.group(1)) if line else None)]
    try:
        return yaml.load(text, Loader=_FastLoader), []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        what = getattr(error, "problem", None) or str(error)
        return None, [Problem(rel, "", f"YAML syntax error: {what}", mark.line + 1 if mark else None)]


def _nodes(path: Path) -> Any:
    """The YAML node tree of a file (None for TOML, which keeps no positions)."""
    if path.suffix == ".toml":
        return None
    return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def _line(node: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest YAML node that ``loc`` reaches (the parent, for a missing field)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        else:
            nxt = None
        if nxt is None:
            break
        node, line = nxt, nxt.start_mark.line + 1
    return line


def _friendly(error: dict[str, Any]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "is missing; this field is required"
    if kind == "extra_forbidden":
        return "is not a field this file knows; check its spelling or remove it"
    if kind == "model_type" or kind == "dict_type":
        return f"expected a group of named fields (a mapping), got {type(value).__name__} {value!r}"
    if kind == "list_type":
        return f"expected a list, got {type(value).__name__} {value!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {value!r}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {value!r}"
    if kind in ("string_type",):
        return f"expected text, got {type(value).__name__} {value!r}"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')}, got {value!r}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, got {value!r}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, got {value!r}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not in the expected form ({_pattern_hint(ctx.get('pattern', ''))})"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "string_too_short":
        return "is empty; expected some text"
    if kind == "literal_error":
        return f"{value!r} is not allowed; expected one of {ctx.get('expected')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']} (got {value!r})"


def _pattern_hint(pattern: str) -> str:
    hints = {
        schema.Id.__metadata__[0].pattern: "an id: lower-case letters, digits and dashes, like 'music-producer'",
        r"^(1[0-2]|[1-9]):[0-5][0-9]$": "a clock time like 11:00 or 3:00",
        r"^[0-9]{2}-[a-z0-9-]+\.ipynb$": "a notebook name like 01-music-producer.ipynb",
    }
    return hints.get(pattern, f"pattern {pattern}")


def _kind_of(rel_parts: tuple[str, ...]) -> str | None:
    if len(rel_parts) == 1:
        stem = Path(rel_parts[0]).stem
        return stem if stem in ("course", "sources", "track") else None
    if len(rel_parts) == 2 and rel_parts[0] in ("careers", "guides", "prompts"):
        return rel_parts[0]
    return None


def _content_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in CONTENT_SUFFIXES and "readings" not in path.relative_to(root).parts:
            yield path


def _source_refs(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every source id the raw data refers to, with where."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in SOURCE_REF_KEYS and isinstance(value, str):
                yield (*loc, key), value
            elif key in SOURCE_LIST_KEYS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                for i, item in enumerate(value):
                    yield (*loc, key, i), item
            else:
                yield from _source_refs(value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _source_refs(item, (*loc, i))


# ---------------------------------------------------------------- the whole check
def _load(root: Path) -> tuple[Course | None, list[Problem]]:
    problems: list[Problem] = []
    models: dict[str, list[tuple[str, Any]]] = {kind: [] for kind in schema.FILE_KINDS}
    raw: list[tuple[str, Any, Any]] = []
    seen: set[str] = set()

    for path in _content_files(root):
        rel = path.relative_to(root).as_posix()
        kind = _kind_of(path.relative_to(root).parts)
        seen.add(kind or "")
        if kind is None:
            problems.append(Problem(rel, "", "is not a known content file; expected course.yaml, sources.yaml, track.yaml, "
                                             "careers/<id>.yaml, guides/<id>.yaml or prompts/<lesson id>.yaml"))
            continue
        data, syntax = _parse(path, rel)
        if syntax:
            problems += syntax
            continue
        if not isinstance(data, dict):
            problems.append(Problem(rel, "", f"expected a mapping of named fields at the top, got {type(data).__name__}", 1))
            continue
        try:
            model = schema.FILE_KINDS[kind].model_validate(data)
        except ValidationError as error:
            nodes = _nodes(path)
            for item in error.errors():
                loc = tuple(item["loc"])
                problems.append(Problem(rel, ".".join(map(str, loc)), _friendly(dict(item)), _line(nodes, loc)))
            model = None
        raw.append((rel, data, path))
        if model is not None:
            if kind == "prompts" and model.lesson != path.stem:
                problems.append(Problem(rel, "lesson", f"is '{model.lesson}' but the file is named '{path.name}'; "
                                                       "name the file after the lesson id", _line(_nodes(path), ("lesson",))))
            if kind in ("careers", "guides") and getattr(model, "id") != path.stem:
                problems.append(Problem(rel, "id", f"is '{model.id}' but the file is named '{path.name}'; "
                                                   "the id and the file name must match", _line(_nodes(path), ("id",))))
            models[kind].append((rel, model))

    for kind in ("course", "sources"):
        if kind not in seen:
            problems.append(Problem(f"{kind}.yaml", "", "is missing; every course needs one"))

    sources = {s.id: s for _, f in models["sources"] for s in f.sources}
    if models["sources"]:
        for rel, data, path in raw:
            for loc, ref in _source_refs(data):
                if ref not in sources:
                    problems.append(Problem(rel, ".".join(map(str, loc)),
                                            f"names the source '{ref}', which is not in sources.yaml "
                                            f"(known: {', '.join(sorted(sources))})", _line(_nodes(path), loc)))

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
    problems += _check_uses(course, raw)
    problems += _check_prompts(course, raw)
    problems += _check_extensions(course, raw)
    if problems:  # readings are checked against what lessons use, so that must resolve first
        return None, problems
    readings, reading_problems = _load_readings(course)
    problems += reading_problems
    return (Course(**{**course.__dict__, "readings": readings}) if not problems else None), problems


def _check_uses(course: Course, raw: list[tuple[str, Any, Any]]) -> list[Problem]:
    found = []
    kinds = {"card": course.careers, "guide": course.guides}
    course_file = next((p for rel, _, p in raw if rel.startswith("course.")), None)

    def line(loc: tuple[Any, ...]) -> int | None:
        return _line(_nodes(course_file), loc) if course_file else None

    for ti, track in enumerate(course.map.tracks):
        for mi, module in enumerate(track.modules):
            for li, lesson in enumerate(module.lessons):
                for name, content_id in lesson.uses.items():
                    loc = ("tracks", ti, "modules", mi, "lessons", li, "uses", name)
                    if name not in kinds:
                        found.append(Problem("course.yaml", ".".join(map(str, loc)),
                                             f"'{name}' is not something a lesson can use; expected card or guide",
                                             line(loc)))
                    elif content_id not in kinds[name]:
                        folder = "careers" if name == "card" else "guides"
                        found.append(Problem("course.yaml", ".".join(map(str, loc)),
                                             f"'{content_id}' is not in {folder}/ (known: {', '.join(kinds[name]) or 'none'})",
                                             line(loc)))
    return found


def _check_extensions(course: Course, raw: list[tuple[str, Any, Any]]) -> list[Problem]:
    """Every extension can be opened: the other lessons' reflections can earn the Depth points it needs."""
    found: list[Problem] = []
    course_file = next((p for rel, _, p in raw if rel.startswith("course.")), None)
    for ti, track in enumerate(course.map.tracks):
        for mi, module in enumerate(track.modules):
            for li, lesson in enumerate(module.lessons):
                if lesson.extension is None:
                    continue
                reachable = sum(f.reflection.depth_points for lesson_id, f in course.prompts.items()
                                if lesson_id != lesson.id)
                if lesson.extension.depth_points > reachable:
                    loc = ("tracks", ti, "modules", mi, "lessons", li, "extension", "depth_points")
                    found.append(Problem("course.yaml", ".".join(map(str, loc)),
                                         f"{lesson.id} needs {lesson.extension.depth_points} Depth points, but the "
                                         f"other lessons' reflections earn at most {reachable}, so it could never "
                                         "open; lower it, or give the other lessons reflections worth more",
                                         _line(_nodes(course_file), loc) if course_file else None))
    return found


def _check_prompts(course: Course, raw: list[tuple[str, Any, Any]]) -> list[Problem]:
    """Prompt files name real lessons, and the content their prompts draw on exists."""
    found: list[Problem] = []
    lesson_ids = [lesson.id for lesson in course.lessons()]
    paths = {rel: path for rel, _, path in raw}
    for lesson_id, prompts_file in course.prompts.items():
        rel = next((r for r in paths if r.startswith(f"prompts/{lesson_id}.")), f"prompts/{lesson_id}.yaml")

        def problem(loc: tuple[Any, ...], message: str) -> None:
            found.append(Problem(rel, ".".join(map(str, loc)), message, _line(_nodes(paths[rel]), loc) if rel in paths else None))

        if lesson_id not in lesson_ids:
            problem(("lesson",), f"'{lesson_id}' is not a lesson in course.yaml (known: {', '.join(lesson_ids)})")
            continue
        uses = course.lesson(lesson_id).uses
        guide = course.guides.get(uses.get("guide", ""))
        steps = {step.id for step in guide.exercise.steps} if guide else set()
        for i, prompt in enumerate(prompts_file.prompts):
            needs = [ref.partition(".")[0] for ref in (prompt.options_from, prompt.signals_from) if ref]
            needs += ["guide"] if prompt.each_producer else []
            for name in needs:
                if name not in uses:
                    problem(("prompts", i), f"draws on the lesson's {name}, but course.yaml gives "
                                            f"{lesson_id} no '{name}' under uses")
            if prompt.step and prompt.step not in steps:
                problem(("prompts", i, "step"), f"'{prompt.step}' is not a step of the lesson's exercise "
                                                f"(known: {', '.join(sorted(steps)) or 'none'})")
            if prompt.beside:
                try:
                    course.prompt(prompt.beside)
                except (KeyError, ParameterError):
                    problem(("prompts", i, "beside"), f"'{prompt.beside}' is not a prompt; expected "
                                                      "<lesson id>/<prompt id> of a prompt in data/prompts/")
    return found


def _load_readings(course: Course) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    readings: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    folder = course.root / "readings"
    lesson_ids = {lesson.id for lesson in course.lessons()}
    if not folder.is_dir():
        return readings, problems
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(course.root).as_posix()
        parts = path.relative_to(folder).parts
        if len(parts) != 2 or path.suffix != ".md":
            problems.append(Problem(rel, "", "expected readings/<lesson id>/<name>.md"))
            continue
        if parts[0] not in lesson_ids:
            problems.append(Problem(rel, "", f"'{parts[0]}' is not a lesson id (known: {', '.join(sorted(lesson_ids))})"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(rel, "", f"cannot be read as UTF-8 text ({error.__class__.__name__})"))
            continue
        for line, message in templating.problems(text, course.context(parts[0])) + reading_problems(text):
            problems.append(Problem(rel, "", message, line))
        readings.setdefault(parts[0], {})[path.stem] = text
    return readings, problems


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
