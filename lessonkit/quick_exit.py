"""A kernel that ran a lesson shuts down about as fast as one that ran nothing.

When a Python process exits, its last garbage collections walk every object still alive; after a lesson
(pydantic's validators, every widget and its traits) that is about 100,000 objects and 0.2-0.3 s, which a
learner waits for on "Restart Kernel" and every papermill or nbval run pays. All of it is freed when the
process ends anyway, so at exit those objects are moved out of the collector's reach (``gc.freeze``) first.
Nothing of the learner's depends on it: answers are written by the answers store's own exit handler, which
still runs, and files are closed by the code that opens them.
"""

from __future__ import annotations

import atexit
import gc

_registered = False


def freeze_at_exit() -> None:
    """Register (once per process) the exit handler that takes every live object out of the last collections."""
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True
