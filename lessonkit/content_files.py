"""Reading content files: YAML parsed fast, line numbers found only for files with problems, and pydantic's
errors said in plain words (``file:line: field: what was expected``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import schema
from .errors import Problem

CONTENT_SUFFIXES = (".yaml", ".yml", ".toml")
SOURCE_REF_KEYS = {"source", "cited_in"}
SOURCE_LIST_KEYS = {"based_on", "sources"}


def parse(path: Path, rel: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML or TOML file: (data, syntax problems)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(rel, "", f"cannot be read as UTF-8 text ({error.__class__.__name__})")]
    if path.suffix == ".toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            return tomllib.loads(text), []
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            return None, [Problem(rel, "", f"TOML syntax error: {error}", int(line.group(1)) if line else None)]
    import yaml  # here, not at the top: a lesson whose checked content is cached never parses YAML

    try:
        # libyaml's loader is ten times faster; the node tree (for line numbers) is built only when a file has problems.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        what = getattr(error, "problem", None) or str(error)
        return None, [Problem(rel, "", f"YAML syntax error: {what}", mark.line + 1 if mark else None)]


def node_tree(path: Path) -> Any:
    """The YAML node tree of a file (None for TOML, which keeps no positions)."""
    if path.suffix == ".toml":
        return None
    import yaml

    return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def line_of(node: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest YAML node that ``loc`` reaches (the parent, for a missing field)."""
    if node is None:
        return None
    import yaml

    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        else:
            nxt = None
        if nxt is None:
            break
        node, line = nxt, nxt.start_mark.line + 1
    return line


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


# pydantic's error types, each said in plain words: (what was wrong, from the value and the error's context).
_SAID: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "missing": lambda v, c: "is missing; this field is required",
    "extra_forbidden": lambda v, c: "is not a field this file knows; check its spelling or remove it",
    "model_type": lambda v, c: f"expected a group of named fields (a mapping), got {_kind(v)}",
    "list_type": lambda v, c: f"expected a list, got {_kind(v)}",
    "int_type": lambda v, c: f"expected a whole number, got {v!r}",
    "float_type": lambda v, c: f"expected a number, got {v!r}",
    "string_type": lambda v, c: f"expected text, got {_kind(v)}",
    "greater_than": lambda v, c: f"must be greater than {c.get('gt')}, got {v!r}",
    "greater_than_equal": lambda v, c: f"must be at least {c.get('ge')}, got {v!r}",
    "less_than_equal": lambda v, c: f"must be at most {c.get('le')}, got {v!r}",
    "string_pattern_mismatch":
        lambda v, c: f"{v!r} is not in the expected form ({_pattern_hint(c.get('pattern', ''))})",
    "too_short": lambda v, c: f"needs at least {c.get('min_length')} item(s)",
    "string_too_short": lambda v, c: "is empty; expected some text",
    "literal_error": lambda v, c: f"{v!r} is not allowed; expected one of {c.get('expected')}",
}
_SAID.update({"dict_type": _SAID["model_type"], "int_parsing": _SAID["int_type"], "int_from_float": _SAID["int_type"],
              "float_parsing": _SAID["float_type"]})


def friendly(error: dict[str, Any]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "value_error":  # a validator of ours: its own sentence
        return str(ctx.get("error", error["msg"]))
    said = _SAID.get(kind)
    return said(value, ctx) if said else f"{error['msg']} (got {value!r})"


def _pattern_hint(pattern: str) -> str:
    hints = {
        schema.Id.__metadata__[0].pattern: "an id: lower-case letters, digits and dashes, like 'music-producer'",
        r"^(1[0-2]|[1-9]):[0-5][0-9]$": "a clock time like 11:00 or 3:00",
        r"^[0-9]{2}-[a-z0-9-]+\.ipynb$": "a notebook name like 01-music-producer.ipynb",
    }
    return hints.get(pattern, f"pattern {pattern}")


def kind_of(rel_parts: tuple[str, ...]) -> str | None:
    if len(rel_parts) == 1:
        stem = Path(rel_parts[0]).stem
        return stem if stem in ("course", "sources", "track") else None
    if len(rel_parts) == 2 and rel_parts[0] in ("careers", "guides", "prompts"):
        return rel_parts[0]
    return None


def content_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in CONTENT_SUFFIXES and "readings" not in path.relative_to(root).parts:
            yield path


def source_refs(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every source id the raw data refers to, with where."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in SOURCE_REF_KEYS and isinstance(value, str):
                yield (*loc, key), value
            elif key in SOURCE_LIST_KEYS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                for i, item in enumerate(value):
                    yield (*loc, key, i), item
            else:
                yield from source_refs(value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from source_refs(item, (*loc, i))
