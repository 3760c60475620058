"""Checked course content kept between kernels, so opening a lesson does not parse and validate ``data/`` again.

Every lesson kernel used to read the YAML and build every content model afresh. Once a
folder has passed every check, :func:`store` keeps the resulting ``Course`` in the
learner's own cache folder, under a fingerprint of every file in the content folder and
of lessonkit's own code, by size and modification time (so editing either a content file
or the models makes a fresh check). :func:`recall` hands it back only when the fingerprint matches.

The cache is a pickle, and unpickling runs code, so it is read only from a folder this
user made and alone can use (mode 0700, owned by them) and only from a file they own that
nobody else may write: on a shared hub or Voila server another user's file is never
loaded. Anything unexpected (no such folder, a foreign owner, loose permissions, a
truncated or outdated file, a platform without user ids) means a full check instead,
silently, and the next successful check rewrites the file atomically.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

from .atomic import write_atomic

FORMAT = 2  # bump when what is stored changes shape (2: the course's models as plain views)
CODE_ROOT = Path(__file__).resolve().parent  # lessonkit's own modules: a code change makes a fresh check


def cache_dir() -> Path | None:
    """This user's private cache folder (made with mode 0700 if missing), or None where none can be trusted."""
    if not hasattr(os, "getuid"):
        return None  # no user ids to check ownership against: always check the content in full
    env = os.environ.get("LESSONKIT_CACHE_DIR", "").strip()
    if env.lower() in ("off", "none", "0"):
        return None
    if env:
        folder = Path(env).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        folder = (Path(base) if base else Path.home() / ".cache") / "lessonkit"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to expand
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # a link, someone else's folder, or one others may use: not ours to trust
    return folder


def fingerprint(root: Path) -> str:
    """A hash of every file in the content folder (names and bytes), of lessonkit's code and of its runtime.

    lessonkit's own modules count by name, size and modification time, the signature Python itself trusts to
    know a module's compiled copy is stale: reading and hashing all of them (about 0.8 MB) cost every lesson
    kernel more than the rest of the check of a warm cache. Content files, which authors edit, count by bytes.
    """
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{library_versions()}\0{root}\0".encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    for path in sorted(CODE_ROOT.rglob("*.py")):
        if "__pycache__" not in path.parts:
            info = path.stat()
            digest.update(f"{path.relative_to(CODE_ROOT).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


#: The libraries a check runs through: (module, its dist-info folders' names as a glob pattern).
CHECKED_WITH = (("pydantic", "pydantic-*.dist-info"), ("pydantic_core", "pydantic_core-*.dist-info"),
                ("yaml", "[Pp]y[Yy][Aa][Mm][Ll]-*.dist-info"))


def library_versions() -> str:
    return " ".join(f"{module} {_installed_version(module, pattern)}" for module, pattern in CHECKED_WITH)


def _installed_version(module: str, pattern: str) -> str:
    """A library's installed version, read from its dist-info folder's name, without importing it: importing
    yaml and pydantic would cost a lesson whose content comes from the cache about 25 and 100 ms."""
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin:
        found = sorted(p.name for p in Path(spec.origin).parents[1].glob(pattern))
        if found:
            return ",".join(found)
    return str(getattr(importlib.import_module(module), "__version__", "unknown"))


def _file_for(folder: Path, root: Path) -> Path:
    """One file per content folder: a newer check replaces the older one instead of piling up beside it."""
    return folder / f"course-{hashlib.sha256(str(root).encode()).hexdigest()[:24]}.pickle"


def recall(root: Path, key: str) -> Any | None:
    """The content stored under ``key`` for ``root``, or None (nothing trustworthy stored: check in full)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _file_for(folder, root)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
            stored_key, stored = pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, unreadable, truncated or from another version: check in full
        return None
    return stored if stored_key == key else None


def store(root: Path, key: str, course: Any) -> None:
    """Keep ``course`` under ``key``; written whole or not at all, and never a reason for the lesson to fail."""
    folder = cache_dir()
    if folder is None:
        return
    try:  # the cache can always be made again, so no fsync; 0600: read by its owner alone
        write_atomic(_file_for(folder, root), pickle.dumps((key, course), protocol=pickle.HIGHEST_PROTOCOL),
                     durable=False)
    except Exception:  # noqa: BLE001 - a full disk or a read-only home only costs the next lesson a full check
        pass
