"""Checked content as plain read-only records, so a lesson reads its content without pydantic.

The models in :mod:`lessonkit.schema` are the one statement of what content must be, and every
check runs through them. Once a folder has passed, :func:`freeze` turns each model into a
:class:`View` holding the same fields and values (nested models become views too). The course a
lesson gets is made of views, whether it was just checked or came from the content cache, so a
kernel whose content comes from the cache imports neither pydantic nor the models.
"""

from __future__ import annotations

from typing import Any


class View:
    """One checked model's values, read as attributes (``entry.title``) and frozen, like the model it came from.

    Two views are equal when they come from the same model with equal values; ``model_copy(update=...)``
    and ``model_dump()`` read as they do on the model.
    """

    __slots__ = ("_model", "__dict__")

    def __init__(self, model: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_model", model)
        self.__dict__.update(values)

    @property
    def model_name(self) -> str:
        """The name of the schema model these values were checked against (``LessonEntry``)."""
        return self._model

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(self.__dict__)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> View:
        return View(self._model, {**self.__dict__, **(update or {})})

    def model_dump(self) -> dict[str, Any]:
        return {name: _dump(value) for name, value in self.__dict__.items()}

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._model} is checked content and cannot be changed ('{name}')")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self._model} is checked content and cannot be changed ('{name}')")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, View):
            return NotImplemented
        return self._model == other._model and self.__dict__ == other.__dict__

    def __hash__(self) -> int:  # like a frozen model: hashable when its values are
        return hash((self._model, *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{self._model}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (content cache) and copied by its values
        return (View, (self._model, dict(self.__dict__)))


def freeze(value: Any) -> Any:
    """``value`` with every schema model in it (in lists and dicts too) turned into a :class:`View`."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return View(type(value).__name__, {name: freeze(getattr(value, name)) for name in fields})
    if isinstance(value, list):
        return [freeze(item) for item in value]
    if isinstance(value, dict):
        return {key: freeze(item) for key, item in value.items()}
    return value


def make(model: str, **values: Any) -> View:
    """A view of values already checked elsewhere under the same rules (a prompt's options taken from a guide)."""
    return View(model, values)


def field_names(node: Any) -> tuple[str, ...] | None:
    """The fields a view or a schema model has, in order; None for anything else."""
    if isinstance(node, View):
        return node.field_names
    fields = getattr(type(node), "model_fields", None)
    return tuple(fields) if fields is not None else None


def _dump(value: Any) -> Any:
    if isinstance(value, View):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item) for key, item in value.items()}
    return value
