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
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clone_files(target: Path) -> None:
    """Copy what a clone holds: the files git tracks or would track, as they are on disk."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)


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
        clone_files(clone)
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
