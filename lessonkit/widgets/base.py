"""What every lesson widget shares: a stable key, JSON state to save and restore, and a place for messages.

A widget keeps its logic in pure functions elsewhere (``lessonkit.models``) and
only wires controls to them. Its ``state`` is a plain JSON-safe dict: the answers
store saves it under ``key`` and hands it back through ``restore``. Anything that
wants to know about changes (the store, a test) subscribes with ``on_change``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from ..render import PROSE_CLASS, SPOKEN_CLASS
from .compact import compacted

Listener = Callable[[str, dict[str, Any]], None]


VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def view_bundle(widget: W.Widget, text: str) -> Any:
    """How a lesson shows ``widget``: its live view, with ``text`` as the plain text.

    Built here rather than by editing the widget's own ``_repr_mimebundle_``, which renders
    ``repr()`` of the whole widget tree (tens of milliseconds for a lesson widget) only for
    that text to be thrown away. The view part is the one ipywidgets itself emits.
    """
    if not text:
        return widget._repr_mimebundle_()
    bundle: dict[str, Any] = {"text/plain": text}
    if widget._view_name is not None:
        bundle[VIEW_MIME] = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return bundle


def prose_area(**kwargs: Any) -> W.Textarea:
    """A text box for sentences, set in the lesson's reading font (see ``render.PROSE_STYLE``)."""
    return W.Textarea(_dom_classes=(PROSE_CLASS,), **kwargs)


def named(visible: str, spoken: str) -> dict[str, Any]:
    """A control's description: ``visible`` on the page, then ``spoken`` for screen readers only; the two
    together are its accessible name: ``W.Text(**named("Low", " yearly amount from Teaching (US$)"))``."""
    return {"description": f'{html.escape(visible)}<span class="{SPOKEN_CLASS}">{html.escape(spoken)}</span>',
            "description_allow_html": True}


class Summarised:
    """Displays ``self.view``, with ``summary()`` as its plain text (what papermill, printouts and
    screen readers get instead of a widget repr)."""

    view: Any

    def summary(self) -> str:
        return ""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return view_bundle(self.view, self.summary())


class LessonWidget(Summarised):
    """Base class. Subclasses build ``self.view`` (an ipywidgets container) and implement the state pair."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every control a lesson widget builds shares default layout and style models, so an
        # executed notebook stores a few of them instead of one pair per control.
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = compacted(cls.__dict__["__init__"])  # type: ignore[method-assign]

    def __init__(self, key: str) -> None:
        self.key = key
        self._listeners: list[Listener] = []
        self._view: W.Widget | None = None

    @property
    def view(self) -> W.Widget:
        """The widget's ipywidgets tree: set by the subclass, or an empty VBox made when first asked for."""
        if self._view is None:
            self._view = W.VBox()
        return self._view

    @view.setter
    def view(self, widget: W.Widget) -> None:
        self._view = widget

    # -- state: subclasses override both
    @property
    def state(self) -> dict[str, Any]:
        raise NotImplementedError

    def restore(self, state: dict[str, Any]) -> None:
        """Put a saved state back into the controls. Unknown or invalid parts are ignored, never raised."""
        raise NotImplementedError

    # -- change notification
    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def changed(self) -> None:
        """Call after every accepted change: listeners get (key, state)."""
        state = self.state
        for listener in list(self._listeners):
            listener(self.key, state)



def clock_time(moment: dt.datetime | None = None) -> str:
    """A time of day as a learner is told it ("16:04:09 UTC"): in the kernel's time zone, named, because on a hub
    or a Voila server that is the server's zone, not necessarily the learner's."""
    local = (moment or dt.datetime.now(dt.timezone.utc)).astimezone()
    return f"{local:%H:%M:%S} {local.strftime('%Z') or local.strftime('UTC%z')}"


class Message(W.HTML):
    """A line next to a control that says what is wrong and what is expected (or nothing at all).

    It is a live region, so screen readers announce it; meaning is carried by the words and
    an icon, not by colour alone.
    """

    def __init__(self, **kwargs: Any) -> None:
        # kwargs such as a shared layout or style: each model a widget makes is saved with an executed notebook.
        # The class is given at construction: added afterwards, it would cost each message line an extra
        # update message to the page.
        classes = (*kwargs.pop("_dom_classes", ()), "lessonkit-message")
        super().__init__(value="", _dom_classes=classes, **kwargs)

    def error(self, text: str) -> None:
        self.value = (f'<div role="alert" style="color: var(--jp-error-color1, #b00020)">'
                      f"⚠️ {html.escape(text)}</div>")

    def info(self, text: str) -> None:
        self.value = f'<div role="status">{html.escape(text)}</div>'

    def clear(self) -> None:
        self.value = ""

    @property
    def text(self) -> str:
        """The message without markup (for tests and text summaries)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.value)).replace("⚠️ ", "", 1).strip()
