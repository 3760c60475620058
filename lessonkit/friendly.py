"""No tracebacks for learners: a LessonkitError shows as its message alone in IPython, and the cell still fails."""

from __future__ import annotations

from .errors import LessonkitError


def show_friendly(shell, etype, value, tb, tb_offset=None):  # noqa: ANN001 (IPython's signature)
    lines = str(value).splitlines() or [etype.__name__]
    stb = ["\x1b[1;31m⚠ This lesson cannot go on yet.\x1b[0m", *lines,
           "Nothing you wrote was lost. Fix the value above and run the cell again."]
    # IPython ignores what a custom handler returns; publishing is the handler's job.
    # The cell still ends in error, so papermill and nbval stop here.
    shell._showtraceback(etype, value, stb)
    return stb


def install_friendly_errors() -> None:
    """Show LessonkitError messages without a traceback in this IPython session (no-op elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and LessonkitError not in getattr(shell, "custom_exceptions", ()):
        shell.set_custom_exc((LessonkitError,), show_friendly)
