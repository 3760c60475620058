"""Writing a file so that any reader sees the whole old file or the whole new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = True, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data``: a temporary file in the same folder, fsync, ``os.replace``, fsync of the
    folder. ``durable=False`` leaves out the two fsyncs, for files that can be made again; ``mode`` is the new
    file's permissions before the umask (private to its owner unless asked)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable where the system allows it."""
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; os.replace is already durable there
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(path: Path) -> None:
    """Temporary files a writer of ``path`` left when it was killed mid-write (call while holding its lock)."""
    for stale in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write several files into ``folder`` (made if missing) so that none is changed unless all could be written:
    each is written in full to a staging folder beside it first, then moved into place."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    try:
        for name, data in files.items():
            write_atomic(staging / name, data, durable=False, mode=0o666)
        folder.mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
