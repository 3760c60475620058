"""Share the layout and style models that ipywidgets would otherwise create for every control.

Every ipywidgets control brings a Layout model and usually a Style model of its
own, about a kilobyte each, and papermill stores every model a lesson ever made
in the executed notebook. Most of them hold nothing but defaults. Within
``compact()`` a control that is given no layout or style gets one shared,
frozen instance instead; ``shared_layout(**css)`` does the same for fixed
layouts. A frozen instance refuses changes (changing it would change every
control that shares it): give a control whose layout changes later its own
``W.Layout()``.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

import ipywidgets as W

_lock = threading.RLock()
_depth = 0
_shared: dict[tuple[type, tuple[tuple[str, Any], ...]], W.Widget] = {}
_frozen_classes: dict[type, type] = {}


class FrozenError(AttributeError):
    """A shared layout or style was changed."""


def _frozen_class(cls: type) -> type:
    """A subclass of a Layout or Style class whose instances refuse changes once built."""
    if cls not in _frozen_classes:
        def __setattr__(self: Any, name: str, value: Any) -> None:
            if getattr(self, "_lessonkit_frozen", False) and name in self.keys:
                raise FrozenError(
                    f"this {cls.__name__} is shared by many controls and cannot change; "
                    f"give the control its own {cls.__name__}() to change its {name}")
            super(frozen, self).__setattr__(name, value)

        frozen = type(f"Shared{cls.__name__}", (cls,), {"__setattr__": __setattr__})
        _frozen_classes[cls] = frozen
    return _frozen_classes[cls]


def _shared_instance(cls: type, **kwargs: Any) -> W.Widget:
    key = (cls, tuple(sorted(kwargs.items())))
    with _lock:
        instance = _shared.get(key)
        if instance is None or getattr(instance, "comm", None) is None:  # closed: make a new one
            instance = _frozen_class(cls)(**kwargs)
            object.__setattr__(instance, "_lessonkit_frozen", True)
            _shared[key] = instance
        return instance


def shared_layout(**css: Any) -> W.Layout:
    """One shared, frozen Layout per distinct set of CSS properties."""
    return _shared_instance(W.Layout, **css)  # type: ignore[return-value]


def shared_style(cls: type, **values: Any) -> W.Widget:
    """One shared, frozen style of ``cls`` per distinct set of values: ``shared_style(TextStyle, description_width="initial")``;
    with no values, the one every control of that style shares within ``compact()``."""
    return _shared_instance(cls, **values)


def _style_classes() -> dict[type, str]:
    """Widget classes that declare their own ``style`` trait, with the trait's style class."""
    found: dict[type, str] = {}
    stack = [W.DOMWidget]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        trait = cls.__dict__.get("style")
        if trait is not None and hasattr(trait, "klass"):
            found[cls] = "style"
    return found


@contextlib.contextmanager
def compact() -> Iterator[None]:
    """Within this block, controls built without a layout or style share frozen default ones."""
    global _depth
    with _lock:
        _depth += 1
        if _depth == 1:
            _patch()
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _unpatch()


_saved: list[tuple[Any, Any]] = []


def _patch() -> None:
    traits = [W.DOMWidget.class_traits()["layout"]]
    traits += [cls.__dict__["style"] for cls in _style_classes()]
    for trait in traits:
        klass = trait.klass
        validate = trait.validate
        _saved.append(trait)
        # No layout or style given: the shared default. Given as a dict: the shared one for those values.
        trait.make_dynamic_default = (lambda k=klass: _shared_instance(k))  # type: ignore[method-assign]
        trait.validate = (lambda obj, value, k=klass, v=validate:  # type: ignore[method-assign]
                          _shared_instance(k, **value) if isinstance(value, dict) else v(obj, value))


def _unpatch() -> None:
    while _saved:
        trait = _saved.pop()
        del trait.make_dynamic_default  # back to the class's own methods
        del trait.validate


def compacted(build: Any) -> Any:
    """Wrap a function or ``__init__`` so every control it builds shares default layouts and styles."""
    @functools.wraps(build)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with compact():
            return build(*args, **kwargs)

    return wrapped
