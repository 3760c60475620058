"""Find the course content (``data/``) wherever a lesson runs.

Looked for, in order: the folder a lesson or command names; the
``LESSONKIT_DATA`` environment variable; the course folder the lesson sits in (a
checkout's ``data/`` beside its ``notebooks/``, as nbgitpuller or a teacher's copy
leaves it, so an update pulled into that folder reaches readings and widgets alike);
the repository's ``data/`` beside the package (a clone or an editable install); the
copy packed inside the installed package (a plain ``pip install``, Binder).
The lesson notebooks are found in the repository's ``notebooks/``, else in the copy packed
inside the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import LessonkitError

MARKER = "course.yaml"
PACKAGE_DIR = Path(__file__).resolve().parent


# How the Ready line names each place, in plain words.
WORDS = {
    "the data_dir you gave": "the content folder named by this lesson's data_dir",
    "LESSONKIT_DATA": "the content folder named by LESSONKIT_DATA",
    "the course folder": "the course folder this lesson sits in",
    "the repository": "the course folder lessonkit was installed from",
    "the installed package": "the copy installed with lessonkit (no course folder beside this lesson)",
}


def _course_folders(near: Path) -> list[Path]:
    """``data/`` in the lesson's folder and in the folder above it (a checkout's notebooks/ sits beside data/)."""
    return [folder / "data" for folder in (near, near.parent)]


def candidates(explicit: str | os.PathLike[str] | None = None, near: Path | None = None) -> list[tuple[str, Path]]:
    """The places content may be, each with why it is looked at; ``near`` is the folder a lesson runs in."""
    places: list[tuple[str, Path]] = []
    if explicit:
        places.append(("the data_dir you gave", Path(explicit).expanduser()))
    env = os.environ.get("LESSONKIT_DATA")
    if env:
        places.append(("LESSONKIT_DATA", Path(env).expanduser()))
    if near is not None:
        places += [("the course folder", path) for path in _course_folders(near)]
    places.append(("the repository", PACKAGE_DIR.parent / "data"))
    places.append(("the installed package", PACKAGE_DIR / "_data"))
    return places


def content_words(root: Path, explicit: str | os.PathLike[str] | None = None, near: Path | None = None) -> str:
    """Which content ``root`` is, in plain words, with its folder."""
    for label, path in candidates(explicit, near):
        if (path / MARKER).is_file() and path.resolve() == root:
            return f"{WORDS[label]} ({root})"
    return str(root)


def find_data_dir(explicit: str | os.PathLike[str] | None = None, near: Path | None = None) -> Path:
    """Return the content folder to use, or explain where it was looked for."""
    places = candidates(explicit, near)
    if explicit:
        # A folder that was asked for by name is used or refused, never swapped for another.
        label, path = places[0]
        if "\x00" in str(path):
            raise LessonkitError(f"The content folder {str(path)!r} ({label}) cannot hold a NUL character (\\x00); "
                                 "expected the path of a folder laid out like the course's data/.")
        if path.exists() and not path.is_dir():
            raise LessonkitError(f"The content folder {str(path)!r} ({label}) is a file, not a folder. Expected a "
                                 "folder laid out like the course's data/ (course.yaml, sources.yaml, careers/, ...).")
        if not path.is_dir():
            raise LessonkitError(f"The content folder {str(path)!r} ({label}) does not exist.")
        if not (path / MARKER).is_file():
            raise LessonkitError(
                f"The folder {str(path)!r} ({label}) has no {MARKER}, so it is not course content. "
                "Expected a folder laid out like the course's data/ (course.yaml, sources.yaml, careers/, guides/, readings/)."
            )
        return path.resolve()
    for _label, path in places:
        if (path / MARKER).is_file():
            return path.resolve()
    looked = "; ".join(f"{label}: {path}" for label, path in places)
    raise LessonkitError(f"The course content could not be found. Looked in {looked}.")


def find_notebooks_dir() -> Path:
    """The course's own lesson notebooks: the repository's ``notebooks/``, else the installed package's copy."""
    places = [("the repository", PACKAGE_DIR.parent / "notebooks"), ("the installed package", PACKAGE_DIR / "_notebooks")]
    for _label, path in places:
        # The repository's notebooks/ counts only beside its pyproject.toml, never a stray folder in site-packages.
        if any(path.glob("*.ipynb")) and (path.name == "_notebooks" or (path.parent / "pyproject.toml").is_file()):
            return path.resolve()
    looked = "; ".join(f"{label}: {path}" for label, path in places)
    raise LessonkitError(f"The course's lessons could not be found. Looked in {looked}.")
