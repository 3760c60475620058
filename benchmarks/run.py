"""Print the project's benchmark figures, one `BENCH <name> <value> <unit>` line each.

Run it as `make bench` (or `.venv/bin/python benchmarks/run.py`). Only BENCH
lines go to stdout; progress and problems go to stderr. Each figure family is
a module in this folder with a `run()` that returns a list of
(name, value, unit); to add a family, add its module name to FAMILIES.
A family that fails is reported on stderr, the others still run, and the
exit status is 1.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import traceback
from pathlib import Path

FAMILIES = [
    "bench_import",
    "bench_cli",
    "bench_notebooks",
    "bench_phases",
    "bench_salary",
    "bench_answers",
    "bench_track",
    "bench_track_browser",
    "bench_timesplit",
    "bench_teacher",
    "bench_browser",
    "bench_setup",
]

_DECIMALS = {"ratio": 3, "ms": 1, "s": 3, "MB": 1, "count": 0}


def format_line(name: str, value: float, unit: str) -> str:
    return f"BENCH {name} {value:.{_DECIMALS.get(unit, 3)}f} {unit}"


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    out = sys.stdout
    status = 0
    for family in FAMILIES:
        print(f"[bench] {family} ...", file=sys.stderr, flush=True)
        # Anything a family or a library prints goes to stderr, so stdout
        # carries BENCH lines only.
        with contextlib.redirect_stdout(sys.stderr):
            try:
                results = importlib.import_module(family).run()
            except Exception as error:  # report it, keep going with the others
                traceback.print_exc(file=sys.stderr)
                print(f"[bench] {family} failed: {error}", file=sys.stderr)
                results = getattr(error, "results", [])
                status = 1
        for name, value, unit in results:
            print(format_line(name, value, unit), file=out, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
