"""Where a lesson runs: who the learner is and what the page in front of them offers.

JupyterHub gives every learner their own server, home and ``JUPYTERHUB_USER``; Voila gives every
visitor a kernel of their own but no name; JupyterLab on a learner's own computer has one person
at it. Each is one entry in :data:`IDENTITIES` or :data:`FRONT_ENDS`, tried in order, so teaching
the course to a new engine is one more entry, not a branch in every module that cares.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

Env = Mapping[str, str]


# ---------------------------------------------------------------- who the learner is
@dataclass(frozen=True)
class Identity:
    """A variable an engine sets to the signed-in person's name; ``where`` says it in a message."""

    variable: str
    where: str


# The first one set names the learner when a teacher has not set learner_id.
IDENTITIES: tuple[Identity, ...] = (
    Identity("JUPYTERHUB_USER", "this JupyterHub's user name"),
)


def signed_in(env: Env | None = None) -> tuple[str, Identity] | None:
    """The name the engine gives the person at this kernel, with where it came from; None if it gives none."""
    values = os.environ if env is None else env
    for identity in IDENTITIES:
        name = str(values.get(identity.variable, "")).strip()
        if name:
            return name, identity
    return None


def file_safe(name: str) -> str:
    """A hub name that cannot name a file as it is (``ada@uni.edu``, or over 64 characters), made into one that
    can: every other character becomes ``-``, and a short fingerprint of the whole name keeps two names that
    differ only there apart (``ada-uni.edu-1a2b3c4d``)."""
    text = re.sub(r"[^\w.-]+", "-", name).strip("-._") or "learner"
    return f"{text[:55]}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


# ---------------------------------------------------------------- what the page offers
def _voila(env: Env) -> bool:
    return str(env.get("SERVER_SOFTWARE", "")).startswith("voila/") or bool(env.get("VOILA_KERNEL_ID"))


def _voila_single(env: Env) -> bool:
    # Voila puts the page's path in SCRIPT_NAME: .../voila/render/<lesson>.ipynb when it serves a folder,
    # the server's root when it serves one notebook (and then no other lesson can be opened from the page).
    return _voila(env) and not str(env.get("SCRIPT_NAME", "")).endswith(".ipynb")


@dataclass(frozen=True)
class FrontEnd:
    """How a lesson reaches the learner: ``note`` is what the Ready line adds so instructions fit it."""

    name: str
    detect: Callable[[Env], bool]
    app: bool  # the page has already run and shows no code, no menus and no file browser
    note: str


APP_NOTE = ("This lesson is open as an app: it has already run, so read down the page and use its controls; "
            "there is nothing to run and no menu to use.")
FRONT_ENDS: tuple[FrontEnd, ...] = (
    FrontEnd("voila-single", _voila_single, True,
             APP_NOTE + " This app shows one lesson only, so links to other lessons do not open here: ask for the "
                        "whole course as an app (served with voila notebooks/) to move between lessons."),
    FrontEnd("voila", _voila, True, APP_NOTE),
    FrontEnd("jupyterlab", lambda env: True, False, ""),
)


def front_end(env: Env | None = None) -> FrontEnd:
    values = os.environ if env is None else env
    return next(item for item in FRONT_ENDS if item.detect(values))


# ---------------------------------------------------------------- where answers live
def is_visitor(env: Env | None = None) -> bool:
    """A page anyone may open with no sign-in (Voila with no hub around it): no name, so no shared file."""
    values = os.environ if env is None else env
    return front_end(values).app and signed_in(values) is None


#: How long a visit's folder in the system's temporary folder outlives its last change. No later kernel is ever
#: given it (each visit gets a new, random one; the visitor keeps their words with "Download my answers"), so
#: after this it holds an anonymous visitor's words on the server for nobody's use.
VISIT_KEPT_SECONDS = 2 * 24 * 3600


def visit_folder(base: Path | None = None) -> Path:
    """A new private folder (mode 0700, a random name) for one visit's answers, inside ``base`` or the system's
    temporary folder; no other visitor's kernel is ever given it. In the temporary folder, visits untouched for
    :data:`VISIT_KEPT_SECONDS` are removed first (``sweep_visits``); a folder a teacher chose is left alone."""
    parent = base if base is not None else Path(tempfile.gettempdir()) / "lessonkit-visits"
    parent.mkdir(parents=True, exist_ok=True)
    if base is None:
        sweep_visits(parent)
    return Path(tempfile.mkdtemp(prefix="visit-", dir=parent))


def _last_change(folder: Path) -> float:
    """The newest modification time of a folder and the entries directly in it (an answers file, its backups)."""
    newest = folder.stat().st_mtime
    with os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                newest = max(newest, entry.stat(follow_symlinks=False).st_mtime)
    return newest


def sweep_visits(parent: Path, kept_seconds: float = VISIT_KEPT_SECONDS) -> list[Path]:
    """Remove the ``visit-*`` folders in ``parent`` that belong to this user and have not changed for
    ``kept_seconds``; returns them. Links, other people's folders and anything that is not a visit are left;
    so is everything when ``parent`` itself is a link or not this user's. A folder that cannot be read or removed
    is skipped: a sweep never stops a visit from starting."""
    when = time.time()
    removed: list[Path] = []
    if parent.is_symlink() or not owned_by_me(parent):
        return removed
    try:
        children = list(parent.iterdir())
    except OSError:
        return removed
    for child in children:
        try:
            if (not child.name.startswith("visit-") or child.is_symlink() or not child.is_dir()
                    or not owned_by_me(child) or when - _last_change(child) < kept_seconds):
                continue
            shutil.rmtree(child)
        except OSError:
            continue
        removed.append(child)
    return removed


def owned_by_me(path: Path) -> bool:
    """Whether ``path`` belongs to the user running this kernel (always true where there are no owners)."""
    if not hasattr(os, "getuid"):
        return True
    try:
        return path.stat().st_uid == os.getuid()
    except OSError:
        return False
