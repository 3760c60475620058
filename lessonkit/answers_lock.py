"""The lock every process writing one answers file shares: two kernels saving at once both keep their answers.

It is held on ``<file>.lock``: fcntl on POSIX, msvcrt on Windows, an exclusive-create marker file elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_TIMEOUT_SECONDS = 10.0


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """An exclusive lock shared by every process writing ``path`` (held on ``<path>.lock``)."""
    lock_path = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is None:
        try:
            import msvcrt
        except ImportError:
            msvcrt = None  # type: ignore[assignment]
        if msvcrt is None:
            with _exclusive_create_lock(lock_path, deadline):
                yield
            return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[union-attr]
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another program has held {lock_path.name} for {timeout:.0f} s") from None
                time.sleep(0.002)
        yield
    finally:
        with contextlib.suppress(OSError):
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:
                os.lseek(fd, 0, 0)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[union-attr]
        os.close(fd)


@contextlib.contextmanager
def _exclusive_create_lock(lock_path: Path, deadline: float, stale_after: float = 30.0) -> Iterator[None]:
    marker = lock_path.with_name(lock_path.name + ".held")
    while True:
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - marker.stat().st_mtime > stale_after:  # its holder died
                    marker.unlink()
                    continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"another program holds {marker.name}") from None
            time.sleep(0.005)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()
