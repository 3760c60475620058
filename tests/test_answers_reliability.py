"""A writer killed with SIGKILL at any moment leaves a valid answers file holding its last completed save.

One child process saves in a loop, printing each counter value once ``flush()`` has
returned. The test kills it at a random moment, checks the file, and starts a new child
that carries on from what the file holds; 200 kills in all.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lessonkit import answers as A

KILLS = 200
KEY = "02-can-you-make-a-living/patterns"
CHILD = textwrap.dedent("""
    import sys
    from lessonkit.answers import AnswerStore
    store = AnswerStore(sys.argv[1], course_id="careers-in-music-production", learner_id="ada")
    n = store.answer(sys.argv[2])
    n = int(n.split()[0]) if n else 0
    pad = "✓ שלום 🎧 " * 200  # a few kB per save, so kills land inside writes too
    print("ready", flush=True)
    while True:
        n += 1
        store.set_answer(sys.argv[2], f"{n} {pad}")
        store.set_widget_state("counter", {"n": n})
        store.flush()
        print(n, flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_at_random_moments_never_loses_a_completed_save(tmp_path: Path):
    path = tmp_path / "ada.json"
    rng = random.Random(20261121)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    last_confirmed = 0
    cut_short = 0  # kills that landed inside a write (its temporary file was left behind)
    for kill in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), KEY], stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.02))
        child.send_signal(signal.SIGKILL)
        child.wait()
        printed = [line for line in child.stdout.read().splitlines() if line.strip().isdigit()]
        child.stdout.close()
        confirmed = int(printed[-1]) if printed else last_confirmed

        doc = A.read_file(path) if path.exists() else None  # raises if the file were torn
        on_disk = int(doc["answers"][KEY]["value"].split()[0]) if doc else 0
        # The save after the last printed one may have completed before the kill, never more.
        assert confirmed <= on_disk <= confirmed + 1, f"kill {kill}: confirmed {confirmed}, file holds {on_disk}"
        assert doc is None or doc["widgets"]["counter"]["state"]["n"] in (on_disk, on_disk - 1)
        assert not list(tmp_path.glob("*.unreadable-*")), "a good file was set aside"
        temps = list(tmp_path.glob(".*.tmp"))
        assert len(temps) <= 1, "each writer clears the temporary files of the writers killed before it"
        cut_short += bool(temps)
        last_confirmed = on_disk
    assert last_confirmed > KILLS / 2, "the children saved too rarely for the test to mean much"
    assert cut_short >= KILLS / 10, f"only {cut_short} kills landed inside a write"
    print(f"{KILLS} kills, {cut_short} inside a write, {last_confirmed} saves, 0 confirmed saves lost")
