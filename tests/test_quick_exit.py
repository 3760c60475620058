"""A kernel that opened a lesson takes its live objects out of the last garbage collections when it exits
(lessonkit.quick_exit), and still writes the learner's pending answers then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Registered before the lesson opens, so it runs after lessonkit's own exit handlers (atexit runs them last-in
# first-out) and sees what they left: how many objects were frozen.
REPORT = "import atexit, gc; atexit.register(lambda: print('frozen', gc.get_freeze_count()))\n"


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", REPORT + code], capture_output=True, text=True, check=True).stdout


def test_a_process_that_opened_a_lesson_freezes_its_objects_at_exit_and_still_saves_pending_answers(tmp_path: Path):
    code = ("import lessonkit\n"
            f"lesson = lessonkit.open_lesson('01-music-producer', answers_dir={str(tmp_path)!r})\n"
            "lesson.store.set_answer('01-music-producer/definition-of-success', 'written on the way out')\n")
    out = run(code)
    frozen = int(out.split("frozen")[-1])
    assert frozen > 10_000  # every object alive then: the interpreter's, pydantic's, the lesson's
    saved = json.loads((tmp_path / "learner.json").read_text(encoding="utf-8"))
    assert saved["answers"]["01-music-producer/definition-of-success"]["value"] == "written on the way out"


def test_a_process_that_only_imported_lessonkit_exits_as_python_does():
    assert run("import lessonkit\n").split() == ["frozen", "0"]
