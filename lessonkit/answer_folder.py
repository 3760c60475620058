"""Where a learner's answers file goes: the teacher's ``answers_dir``, else a default never shared with others."""

from __future__ import annotations

import os
from pathlib import Path

from . import engines
from .errors import ParameterError


def default_answers_dir(env: engines.Env | None = None) -> Path:
    """Where answers go when ``answers_dir`` is empty; never a folder other people's kernels share.

    ``LESSONKIT_ANSWERS`` if set; else, on a hub, the learner's own home (``~/.lessonkit/answers``),
    whatever the install; else the repository's git-ignored ``answers/``
    when lessonkit runs from a checkout that belongs to the user running the lesson (an editable
    install, ``make lab``), so one learner's answers stay in one place; else ``~/.lessonkit/answers``
    (a plain ``pip install``, Binder). Never beside a notebook, where a shared or version-controlled
    folder could pick the file up.
    """
    values = os.environ if env is None else env
    chosen = values.get("LESSONKIT_ANSWERS")
    if chosen:
        return Path(chosen).expanduser()
    home = Path.home() / ".lessonkit" / "answers"
    if engines.signed_in(values) is not None:
        return home
    repo = Path(__file__).resolve().parent.parent
    if (repo / "notebooks").is_dir() and (repo / "pyproject.toml").is_file() and engines.owned_by_me(repo):
        return repo / "answers"
    return home


def usable_folder(value: str) -> Path:
    """The folder for answers files (``value``, or the default for ""): made if missing, or a ParameterError
    saying why it cannot be used. ``value`` has been read by the ``answers_dir`` parameter."""
    text = str(value or "").strip()
    folder = Path(text).expanduser() if text else default_answers_dir()
    label = "answers_dir" if text else "the default answers folder"
    if folder.exists() and not folder.is_dir():
        raise ParameterError("answers_dir", value or str(folder), f"{label} {str(folder)!r} is a file; expected a "
                                                                  "folder for the answers files, or \"\" for the default")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ParameterError("answers_dir", value or str(folder), f"{label} {str(folder)!r} cannot be made "
                                                                  f"({error.strerror or error}); expected a folder "
                                                                  "you can write to, or \"\" for the default") from None
    if not os.access(folder, os.W_OK):
        raise ParameterError("answers_dir", value or str(folder), f"{label} {str(folder)!r} cannot be written to; "
                                                                  "expected a folder you can write to")
    return folder.resolve()


def answers_folder(answers_dir: str, visit: bool) -> Path:
    """The folder for this learner's answers file. A visitor with no name (Voila) gets a folder of this visit's
    own: in the temp folder when no folder was chosen, or inside the chosen one's ``visits/``."""
    if visit and not (str(answers_dir or "").strip() or os.environ.get("LESSONKIT_ANSWERS")):
        return engines.visit_folder()  # nobody to share a file with: this visit's own folder, in the temp folder
    folder = usable_folder(answers_dir)
    return engines.visit_folder(folder / "visits") if visit else folder
