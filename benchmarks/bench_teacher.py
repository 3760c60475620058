"""How long the teacher commands take for a large class.

``teacher.assign_500x3_s``: read a 500-learner roster, read the first three lessons' parameters
and write 1,500 parameterized copies plus the manifest (budget 30 s).
``teacher.collect_500_s``: read 500 full answers files from a folder, keep the latest per learner,
and write the gradebook CSV and the HTML report (budget 5 s).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LEARNERS = 500


def _roster(folder: Path) -> Path:
    path = folder / "roster.csv"
    rows = ["name,email"] + [f"Learner {n:03d},learner{n:03d}@example.org" for n in range(LEARNERS)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _value(kind: str, options: list[str], rng: random.Random) -> Any:
    """A plausible answer of each prompt kind (see lessonkit.models.prompts for the shapes)."""
    words = "the producer earns from mixing teaching and sample packs while keeping a day job".split()
    if kind in ("short-text", "link"):
        return " ".join(rng.choices(words, k=6))
    if kind == "long-text":
        return " ".join(rng.choices(words, k=80))
    if kind == "multiple-choice":
        return {"choices": rng.sample(options, k=min(3, len(options))), "other": ""}
    if kind == "single-choice":
        return {"choice": options[0] if options else None, "other": ""}
    if kind == "list":
        return [" ".join(rng.choices(words, k=3)) for _ in range(5)]
    if kind == "estimate":
        return rng.randint(0, 100)
    if kind == "self-check":
        return {"is_your_thing": ["yes", "no", "unsure"], "probably_not": ["no", "yes"]}
    return None


def _answers(course: Any, learner: str, rng: random.Random) -> dict[str, Any]:
    from lessonkit.answers import new_document

    doc = new_document(course.id, learner)
    stamp = doc["saved_at"]
    for lesson in course.lessons():
        for prompt in course.lesson_prompts(lesson.id):
            options = [o.id for o in course.prompt_options(lesson.id, prompt)]
            doc["answers"][f"{lesson.id}/{prompt.id}"] = {"value": _value(prompt.kind, options, rng),
                                                          "kind": prompt.kind, "saved_at": stamp}
        doc["lessons"][lesson.id] = {"completed": {"value": rng.random() < 0.7, "saved_at": stamp},
                                     "reflection": {"value": "I noticed " * rng.randint(5, 40), "saved_at": stamp}}
    doc["widgets"]["pay-paths"] = {"state": {"target_income": rng.randrange(20_000, 150_000, 5_000)}, "saved_at": stamp}
    return doc


def run() -> list[tuple[str, float, str]]:
    from lessonkit.content import load_course
    from lessonkit.notebooks import NOTEBOOKS_DIR
    from lessonkit.teacher import report
    from lessonkit.teacher.assign import assign
    from lessonkit.teacher.collect import collect
    from lessonkit.teacher.params import lesson_spec, parse_params
    from lessonkit.teacher.roster import read_roster

    course = load_course()
    lessons = course.lessons()[:3]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster_path = _roster(folder)
        start = time.perf_counter()
        roster = read_roster(roster_path)
        specs = [lesson_spec(entry, NOTEBOOKS_DIR) for entry in lessons]
        done = assign(roster, specs, parse_params(course, specs, ["due_date=2026-12-01"]), folder / "out", quiet=True)
        results.append(("teacher.assign_500x3_s", time.perf_counter() - start, "s"))
        print(f"  assign: {done.files} notebooks for {done.learners} learners", file=sys.stderr)

        rng = random.Random(7)
        answers = folder / "answers"
        answers.mkdir()
        for learner in roster.learners:
            (answers / f"{learner.id}.json").write_text(json.dumps(_answers(course, learner.id, rng)), encoding="utf-8")
        start = time.perf_counter()
        collected = collect([answers], course, quiet=True)
        table, page = report.write(report.build(course, collected, roster.learners), folder / "report")
        results.append(("teacher.collect_500_s", time.perf_counter() - start, "s"))
        print(f"  collect: {len(collected.answers)} learners, report {page.stat().st_size / 1e6:.1f} MB",
              file=sys.stderr)
    return results
