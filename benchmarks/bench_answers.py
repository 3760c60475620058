"""How long saving one answer takes: the store's whole write path, as a learner's typing triggers it.

Each sample changes one answer and calls ``flush()``: take the lock, re-read and merge the
file on disk, write a temporary file, fsync, ``os.replace``, fsync the folder. The file
holds a full course's worth of answers (every Lesson 02 prompt, a few long ones), so the
figure includes parsing and merging a realistic file. The budget is 20 ms.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 200


def run() -> list[tuple[str, float, str]]:
    from lessonkit.answers import AnswerStore

    with tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "ada.json", course_id="careers-in-music-production", learner_id="ada")
        for n in range(1, 4):
            for name in ("name", "sources", "streams", "production-share", "capacities"):
                store.set_answer(f"02-can-you-make-a-living/producer-{n}-{name}", f"{name} of producer {n} " * 10)
        store.set_answer("02-can-you-make-a-living/patterns", "A long paragraph about patterns. " * 300)
        store.set_lesson_field("02-can-you-make-a-living", "reflection", "Reflecting. " * 200)
        store.flush()
        samples = []
        for i in range(RUNS):
            store.set_answer("01-music-producer/definition-of-success", f"Success, take {i}: finishing an EP.")
            start = time.perf_counter()
            store.flush()
            samples.append(time.perf_counter() - start)
        size = (Path(folder) / "ada.json").stat().st_size
    print(f"  {RUNS} saves of a {size / 1024:.0f} KB answers file", file=sys.stderr)
    return [("answers.save_ms", statistics.median(samples) * 1000, "ms")]
