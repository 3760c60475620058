"""A lesson's layout: the ordered blocks its notebook is made of, from its template or its own list.

A template is data, one YAML file per template in ``lessonkit/layouts/`` (``career-card.yaml``...);
a lesson in ``course.yaml`` names one (``template: career-card``) or lists its ``blocks`` itself.
What each block becomes in the notebook is :mod:`lessonkit.cells`' business.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from . import schema
from .errors import LessonkitError

LAYOUTS_DIR = Path(__file__).resolve().parent / "layouts"


@dataclass(frozen=True)
class BlockRef:
    """One block of a layout: ``kind`` or ``kind:argument``, and the cell id the layout gives it (if any)."""

    name: str
    cell_id: str | None = None

    @property
    def kind(self) -> str:
        return self.name.partition(":")[0]

    @property
    def arg(self) -> str:
        return self.name.partition(":")[2]


def templates() -> list[str]:
    """The names of the templates a lesson may use."""
    return sorted(path.stem for path in LAYOUTS_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def template(name: str) -> schema.Layout:
    """The template ``name``; a LessonkitError says which templates exist, or what is wrong in its file."""
    path = LAYOUTS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise LessonkitError(f"'{name}' is not a lesson template (known: {', '.join(templates())})")
    try:
        return schema.Layout.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as error:
        raise LessonkitError(f"The lesson template {path} cannot be used: {error}") from None


def blocks(lesson: schema.LessonEntry) -> list[BlockRef]:
    """The lesson's blocks in notebook order: its own list, or its template's."""
    return refs(lesson.blocks if lesson.blocks is not None else template(lesson.template or "").blocks)


def refs(items: list[schema.LayoutItem]) -> list[BlockRef]:
    """A layout's entries as blocks: ``reading:overview``, or ``{block: ..., id: ...}`` with a cell id of its own."""
    return [BlockRef(item) if isinstance(item, str) else BlockRef(item.block, item.id) for item in items]


def reading_names(items: list[BlockRef]) -> list[str]:
    """The readings a layout shows, in order: each one a file ``readings/<lesson id>/<name>.md``."""
    return [item.arg for item in items if item.kind == "reading"]
