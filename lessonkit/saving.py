"""A lesson widget's saved state put back into it, and its changes saved, in the learner's answers file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answers import AnswerStore


def restore(store: AnswerStore, widget: Any) -> None:
    """Put the widget's saved answer, lesson field or state back; a value it cannot take is reported, not raised."""
    kind = getattr(widget, "answer_kind", None)
    lesson_field = getattr(widget, "lesson_field", None)
    if lesson_field:
        saved = store.lesson_field(widget.key, lesson_field)
    else:
        saved = store.answer(widget.key) if kind else store.widget_state(widget.key)
    if saved is None:
        return
    try:
        widget.restore({"value": saved} if kind or lesson_field else saved)
    except Exception as error:  # a widget must never show a traceback over a saved answer
        report(widget, f"Your saved answer could not be put back here ({error.__class__.__name__}); it is still "
                       "in your answers file.")


def saver(store: AnswerStore, widget: Any) -> Any:
    """The ``on_change`` callback that saves the widget's changes where :func:`restore` reads them."""
    from .answers_limits import AnswerError

    kind = getattr(widget, "answer_kind", None)
    lesson_field = getattr(widget, "lesson_field", None)

    def save(key: str, state: dict[str, Any]) -> None:
        try:
            if lesson_field:
                store.set_lesson_field(key, lesson_field, state.get("value"))
            elif kind:
                store.set_answer(key, state.get("value"), kind)
            else:
                store.set_widget_state(key, state)
        except (AnswerError, ValueError) as error:
            report(widget, str(error))

    return save


def report(widget: Any, text: str) -> None:
    message = getattr(widget, "message", None)
    if message is not None and hasattr(message, "error"):
        message.error(text)
