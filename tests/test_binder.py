"""binder/ builds a working course by itself, as Binder (repo2docker) would build it.

The quick tests check that binder/requirements.txt pins every runtime dependency of
pyproject.toml, each to a version pyproject accepts, and that runtime.txt names a Python
the package supports. The slow one (marked ``binder``, about two minutes) makes a fresh
virtual environment from binder/ alone, in a copy of the repository: ``pip install -r
binder/requirements.txt``, then ``binder/postBuild`` with that environment's pip first on
PATH, then runs every lesson with papermill in that environment's own kernel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def runtime_python() -> str:
    """The X.Y that binder/runtime.txt asks for (``python-3.11``)."""
    text = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"binder/runtime.txt says {text!r}; expected python-X.Y"
    return match.group(1)


def runtime_dependencies() -> dict[str, Requirement]:
    """pyproject's [project].dependencies that apply on Binder's Python, by canonical name."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = {"python_version": runtime_python(), "python_full_version": f"{runtime_python()}.0"}
    out = {}
    for line in project["dependencies"]:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            out[canonicalize_name(req.name)] = req
    return out


def binder_pins() -> dict[str, str]:
    """binder/requirements.txt as {canonical name: pinned version}; a line that is not NAME==VERSION fails."""
    pins = {}
    for number, raw in enumerate((BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;=]+)", line)
        assert match, f"binder/requirements.txt:{number}: {raw!r} is not pinned as NAME==VERSION"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_binder_pins_every_runtime_dependency() -> None:
    """Every runtime dependency in pyproject.toml is pinned in binder/requirements.txt, and nothing else is."""
    wanted, pinned = set(runtime_dependencies()), set(binder_pins())
    assert not wanted - pinned, f"add to binder/requirements.txt (pinned with ==): {sorted(wanted - pinned)}"
    assert not pinned - wanted, \
        f"binder/requirements.txt pins what pyproject.toml does not need: {sorted(pinned - wanted)}"


def test_binder_pins_satisfy_pyproject() -> None:
    """Each pinned version is one that pyproject.toml's range accepts."""
    pins = binder_pins()
    bad = [f"{name}=={pins[name]} is outside {req.specifier}" for name, req in runtime_dependencies().items()
           if name in pins and not req.specifier.contains(pins[name], prereleases=True)]
    assert not bad, "; ".join(bad)


def test_binder_python_is_supported() -> None:
    """runtime.txt's Python is one pyproject.toml's requires-python accepts."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert SpecifierSet(project["requires-python"]).contains(f"{runtime_python()}.0")


# ---------------------------------------------------------------- the build, as Binder does it
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv", "artifacts", "answers", "build", "dist", "*.egg-info",
                                 "__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache")


def _python_for_binder() -> str | None:
    version = runtime_python()
    if "%d.%d" % sys.version_info[:2] == version:
        return sys.executable
    return shutil.which(f"python{version}")


def _run(cmd: list[str], log: list[str], **kwargs) -> None:
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    shown = " ".join(Path(c).name if os.sep in str(c) else str(c) for c in cmd)  # no temporary paths
    log.append(f"{time.monotonic() - start:6.1f} s  {shown}")
    if done.returncode:
        pytest.fail(f"{' '.join(map(str, cmd))} exited with {done.returncode}\n{done.stdout[-3000:]}\n"
                    f"{done.stderr[-3000:]}", pytrace=False)


@pytest.mark.binder
def test_binder_environment_runs_every_lesson(tmp_path: Path) -> None:
    """A fresh environment made from binder/ alone installs the course and runs every lesson without an
    error or a warning, with the content packed in the installed package (not this checkout's data/)."""
    python = _python_for_binder()
    if python is None:
        message = f"no python{runtime_python()} on PATH, which binder/runtime.txt asks for"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    started = time.monotonic()
    log: list[str] = []
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo, ignore=IGNORED)  # what repo2docker gets: the repository, no environment
    venv = tmp_path / "venv"
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH", "LESSONKIT_DATA", "PIP_REQUIRE_VIRTUALENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"), IPYTHONDIR=str(tmp_path / "ipython"),
               LESSONKIT_ANSWERS=str(tmp_path / "answers"), PIP_DISABLE_PIP_VERSION_CHECK="1")

    _run([python, "-m", "venv", str(venv)], log)
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], log,
         cwd=repo, env=env)
    _run(["bash", "binder/postBuild"], log, cwd=repo, env=env)  # its `pip` is the environment's, first on PATH
    _run([str(bin_dir / "python"), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", "binder-check",
          "--display-name", "Binder check"], log, env=env)

    where = subprocess.run([str(bin_dir / "python"), "-c", "import lessonkit, lessonkit.locate as l; "
                            "print(lessonkit.__file__); print(l.find_data_dir())"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout.split("\n")
    assert Path(where[0]).is_relative_to(venv), f"lessonkit was imported from {where[0]}, not the new environment"
    assert Path(where[1]).is_relative_to(venv), f"the course content came from {where[1]}, not the installed package"

    problems = []
    for notebook in sorted((repo / "notebooks").glob("[0-9]*.ipynb")):
        out = tmp_path / "out" / notebook.name
        out.parent.mkdir(exist_ok=True)
        _run([str(bin_dir / "papermill"), str(notebook), str(out), "-k", "binder-check", "--cwd",
              str(notebook.parent), "--no-progress-bar"], log, env=env)
        for index, cell in enumerate(json.loads(out.read_text(encoding="utf-8"))["cells"]):
            for output in cell.get("outputs", []):
                text = "".join(output.get("text", ""))
                if output.get("output_type") == "error" or (output.get("name") == "stderr" and text.strip()):
                    problems.append(f"{notebook.name} cell {index + 1}: {output.get('ename', '')}{text.strip()[:300]}")
    print(f"binder check: {time.monotonic() - started:.0f} s", *log, sep="\n  ")
    assert not problems, "\n".join(problems)
