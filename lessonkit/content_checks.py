"""Checks across content files: what lessons use exists, prompts draw on real content, extensions can open,
and readings fill every placeholder."""

from __future__ import annotations

from typing import Any

from . import templating
from .content_files import line_of, node_tree
from .course import Course
from .errors import ParameterError, Problem
from .render import reading_problems


def check_uses(course: Course, raw: list[tuple[str, Any, Any]]) -> list[Problem]:
    found = []
    kinds = {"card": course.careers, "guide": course.guides}
    course_file = next((p for rel, _, p in raw if rel.startswith("course.")), None)

    def line(loc: tuple[Any, ...]) -> int | None:
        return line_of(node_tree(course_file), loc) if course_file else None

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


def check_extensions(course: Course, raw: list[tuple[str, Any, Any]]) -> list[Problem]:
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
                                         line_of(node_tree(course_file), loc) if course_file else None))
    return found


def check_prompts(course: Course, raw: list[tuple[str, Any, Any]]) -> list[Problem]:
    """Prompt files name real lessons, and the content their prompts draw on exists."""
    found: list[Problem] = []
    lesson_ids = [lesson.id for lesson in course.lessons()]
    paths = {rel: path for rel, _, path in raw}
    for lesson_id, prompts_file in course.prompts.items():
        rel = next((r for r in paths if r.startswith(f"prompts/{lesson_id}.")), f"prompts/{lesson_id}.yaml")

        def problem(loc: tuple[Any, ...], message: str) -> None:
            found.append(Problem(rel, ".".join(map(str, loc)), message, line_of(node_tree(paths[rel]), loc) if rel in paths else None))

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


def load_readings(course: Course) -> tuple[dict[str, dict[str, str]], list[Problem]]:
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
