"""Open JupyterLab on a lesson, from the environment lessonkit is installed in.

Used by ``lessonkit lab`` (a learner's own folder) and by ``make lab`` (a clone:
``python -m lessonkit.labopen notebooks/00-start-here.ipynb [JupyterLab options]``).

- JupyterLab refuses to start as root unless told ``--allow-root``; containers and cloud notebooks
  often run as root, so the option is added then, and only then, with one line saying so.
- The lesson is JupyterLab's default page, so both the browser it opens and the address it prints
  (where there is no desktop: a server, a container) land on the lesson, not an empty workspace.
- Where there is no desktop to open a browser on, JupyterLab is told not to try.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path, PurePath
from urllib.parse import quote

ROOT_NOTE = "Running as root (as in most containers), so JupyterLab starts with --allow-root."


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def has_desktop() -> bool:
    """Whether a browser can be opened here: always on Windows and macOS; on Linux and the BSDs, only with a display."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def lab_command(root: Path, start: str, options: Sequence[str] = ()) -> list[str]:
    """The command that serves ``root`` and opens ``start`` (a notebook's path inside it); ``options`` go to
    JupyterLab last, so they win."""
    page = "/lab/tree/" + quote(PurePath(start).as_posix())
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", f"--LabApp.default_url={page}"]
    if running_as_root():
        cmd.append("--allow-root")
    if not has_desktop():
        cmd.append("--no-browser")
    return [*cmd, *options]


def open_lab(root: Path, start: str, options: Sequence[str] = ()) -> int:
    """Run JupyterLab until it is stopped (Ctrl+C twice); its exit status."""
    cmd = lab_command(root, start, options)
    if running_as_root():
        print(ROOT_NOTE, flush=True)
    if os.name != "posix":
        return subprocess.call(cmd)
    sys.stderr.flush()
    os.execv(cmd[0], cmd)  # JupyterLab takes this process's place, so Ctrl+C and its prompt work as usual
    return 0  # not reached


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lessonkit.labopen LESSON [JupyterLab options]``: serve the current folder, open LESSON."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or not Path(args[0]).is_file():
        print("Expected the path of a lesson notebook in this folder, then any JupyterLab options, such as: "
              "python -m lessonkit.labopen notebooks/00-start-here.ipynb --port 9999", file=sys.stderr)
        return 2
    return open_lab(Path.cwd(), args[0], args[1:])


if __name__ == "__main__":
    sys.exit(main())
