"""A fresh clone of this repository, made from the working tree so that uncommitted work is what is checked.

Used by the first-run tests (tests/test_first_run.py) and ``make bench`` (benchmarks/bench_setup.py).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What git ignores here (.gitignore), for a copy made where git or the .git folder is missing.
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv", "artifacts", "answers", "build", "dist", "*.egg-info",
                                 "__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache")


def fresh_clone(target: Path) -> Path:
    """Copy into ``target`` what a clone holds: every file git tracks or would track, as it is on disk now,
    and nothing git ignores (.venv, answers, caches)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                                capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(REPO, target, ignore=IGNORED)
        return target
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the working tree is not in the clone either
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target
