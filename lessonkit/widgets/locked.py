"""What a locked extension lesson shows where its activities would be: how many Depth points open them.

Only activities are held back. Readings, prompts and the finish box stay open, and a lesson a
learner has already started is never locked (see :func:`lessonkit.progress.access`), so locking
can never hide saved work.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from ..progress import Access
from .base import Summarised


def locked_words(state: Access) -> str:
    return (f"🔒 This part opens at {state.needs} Depth points. You have {state.earned}, so {state.still_needed} more "
            "to go: write the reflections at the end of the other lessons (the course map on the start page keeps "
            "count), then run this lesson again. Everything you can read here is open now.")


class LockedPart(Summarised):
    """One activity of a locked lesson: a notice in its place."""

    def __init__(self, state: Access) -> None:
        self.state = state
        self.view = W.HTML(f'<div role="status" style="border-left: 4px solid var(--jp-border-color1, #999); '
                           f'padding: 0.4em 0.8em">{html.escape(locked_words(state))}</div>')

    def summary(self) -> str:
        return locked_words(self.state)


class LockedStudio:
    """Stands in for Lesson 03's studio while the lesson is locked: each part the lesson shows is a notice."""

    PARTS = ("maker", "compare", "mixer", "journal", "cover", "exporter")

    def __init__(self, state: Access) -> None:
        self.state = state
        for name in self.PARTS:
            setattr(self, name, LockedPart(state))

    def export(self, *_args: Any, **_kwargs: Any) -> None:
        """Nothing to export while locked."""
