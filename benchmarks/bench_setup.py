"""What a learner's first `make lab` installs, against what `make test` adds on top of it.

In a fresh copy of the repository (the files a clone holds), the Makefile's own install steps run
in turn on one new environment, from pip's cache:

- ``setup.lab_venv_mb``: the environment `make lab` builds (the lessons' runtime), in MB (10^6 bytes,
  disk usage as ``du`` counts it).
- ``setup.test_venv_mb``: the same environment once `make test` has added the test tools (pytest,
  nbval, Playwright, Voila).
- ``setup.lab_install_s`` and ``setup.test_tools_install_s``: how long each step took, wall clock, with
  pip's cache warm (the second step only adds; it does not reinstall the runtime).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from clone import fresh_clone  # noqa: E402  (what a clone holds, as the first-run tests make it)


def disk_mb(folder: Path) -> float:
    """Disk usage of every file under ``folder`` (allocated blocks, as du counts them), in MB."""
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            st = os.lstat(os.path.join(dirpath, name))
            total += getattr(st, "st_blocks", 0) * 512 or st.st_size
    return total / 1e6


def make(clone: Path, target: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(["make", target], cwd=clone, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"make {target} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def run() -> list[tuple[str, float, str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "MAKEFLAGS", "MAKELEVEL")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        clone = Path(tmp) / "clone"
        fresh_clone(clone)
        print("  make lab's environment ...", file=sys.stderr, flush=True)
        lab_s = make(clone, ".venv/.lab-installed", env)
        lab_mb = disk_mb(clone / ".venv")
        print("  make test's tools on top ...", file=sys.stderr, flush=True)
        test_s = make(clone, ".venv/.installed", env)
        test_mb = disk_mb(clone / ".venv")
    return [
        ("setup.lab_venv_mb", lab_mb, "MB"),
        ("setup.test_venv_mb", test_mb, "MB"),
        ("setup.lab_install_s", lab_s, "s"),
        ("setup.test_tools_install_s", test_s, "s"),
    ]
