"""What one answer may be: plain JSON data, not nested too deeply, not too long; and the message when it is not."""

from __future__ import annotations

import json
from typing import Any

from .answers_format import MAX_DEPTH, nesting_depth
from .errors import LessonkitError

MAX_ANSWER_CHARS = 20_000
MAX_VALUE_DEPTH = MAX_DEPTH - 4  # a value sits inside the file, its section and its record


class AnswerError(LessonkitError):
    """An answer the store will not save as it is; the message says why and what to do."""


def text_length(value: Any) -> int:
    """Characters of learner text in an answer value (all its strings together)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(text_length(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(text_length(v) for v in value)
    return 0


def json_copy(value: Any) -> Any:
    """A copy of ``value`` as plain JSON data; ValueError if it is not JSON, AnswerError if it nests too deeply."""
    try:
        text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        raise ValueError(f"an answer must be plain JSON data (text, numbers, lists): {error}") from None
    if nesting_depth(text, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH:
        raise AnswerError(f"This answer nests lists more than {MAX_VALUE_DEPTH} levels deep, more than an answers "
                          "file allows; the last saved version is kept.")
    return json.loads(text)


def check_answer(value: Any) -> None:
    """Raise AnswerError if an answer is too long to save."""
    length = text_length(value)
    if length > MAX_ANSWER_CHARS:
        raise AnswerError(f"This answer is {length:,} characters long; the most one answer can hold is "
                          f"{MAX_ANSWER_CHARS:,}. Shorten it to save it: until then the last saved version is kept.")
