"""Lesson parameters, each defined once: the registry (:mod:`lessonkit.parameter_registry`) with the course's own
parameters in it (:mod:`lessonkit.course_parameters`).

``open_lesson``, ``lessonkit assign --param``, each notebook's ``parameters`` and open-lesson cells
(``notebook_sources``) and the parameter tables in the docs all read it. Import this module, not the two
it joins: the registry alone is empty.
"""

from __future__ import annotations

from . import course_parameters  # noqa: F401  (registers the course's parameters)
from .parameter_registry import (CELL_HEADER, FALSE_WORDS, REGISTRY, TRUE_WORDS, TYPE_WORDS, Context, Parameter,
                                 Parser, Registry, Together, UnknownParameter, all_parameters, as_text,
                                 check_features, check_together, feature_problems, find_lesson, for_lesson, get,
                                 known_features, lesson_features, lesson_names, names_for, notebook_sources,
                                 open_lesson_cell, parameters_cell, parse_due, parse_for_lesson, plain_text, register,
                                 register_follow_up, register_together, split_ids, truth, unknown_message,
                                 unregister, whole_number)

__all__ = ["CELL_HEADER", "FALSE_WORDS", "REGISTRY", "TRUE_WORDS", "TYPE_WORDS", "Context", "Parameter", "Parser",
           "Registry", "Together", "UnknownParameter", "all_parameters", "as_text", "check_features",
           "check_together", "feature_problems", "find_lesson", "for_lesson", "get", "known_features",
           "lesson_features", "lesson_names", "names_for", "notebook_sources", "open_lesson_cell", "parameters_cell",
           "parse_due", "parse_for_lesson", "plain_text", "register", "register_follow_up", "register_together",
           "split_ids", "truth", "unknown_message", "unregister", "whole_number"]
