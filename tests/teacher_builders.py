"""Builders for the teacher tests: answers files, handed-in notebooks and zips, made in code."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

COURSE_ID = "careers-in-music-production"
L01, L02 = "01-music-producer", "02-can-you-make-a-living"


def stamp(day: int, hour: int = 12) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:00:00.000000Z"


def answers_doc(learner: str, *, day: int = 20, reflection: str = "", completed: bool = True,
                streams: list[str] | None = None, capacities: list[str] | None = None,
                target: int | None = None, course: str = COURSE_ID, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A format-v1 answers file for one learner, every record saved on 2026-11-<day>."""
    at = stamp(day)
    doc: dict[str, Any] = {"format": "lessonkit-answers", "version": 1, "course": course, "learner": learner,
                           "created_at": stamp(1), "saved_at": at, "answers": {}, "widgets": {}, "lessons": {}}
    answers = {
        f"{L01}/definition-of-success": "Finishing an EP I am proud of and mixing for friends' bands.",
        f"{L02}/producer-1-name": "Mara Velde",
        f"{L02}/producer-1-streams": {"choices": streams if streams is not None else ["mixing", "teaching"],
                                      "other": ""},
        f"{L02}/own-capacities": capacities if capacities is not None else
        ["Communication", "project management", "Listening closely", "", ""],
        f"{L02}/patterns": "None of them lives on production alone; " * 3,
    }
    for key, value in {**answers, **(extra or {})}.items():
        doc["answers"][key] = {"value": value, "saved_at": at}
    doc["lessons"][L02] = {"completed": {"value": completed, "saved_at": at},
                           "reflection": {"value": reflection, "saved_at": at}}
    if target is not None:
        doc["widgets"]["pay-paths"] = {"state": {"target_income": target}, "saved_at": at}
    return doc


def write_json(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def handed_in_notebook(learner: str, lesson: str = L02, due: str = "2026-11-15", *, metadata: bool = True,
                       params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A lesson notebook as assign hands it out (papermill's record in metadata), or with the injected cell only."""
    extra = params or {}
    injected = {"cell_type": "code", "id": "injected-parameters", "execution_count": None, "outputs": [],
                "metadata": {"tags": ["injected-parameters"]},
                "source": f'# Parameters\nlearner_id = "{learner}"\ndue_date = "{due}"\n'
                          + "".join(f"{name} = {value!r}\n" for name, value in extra.items())}
    opener = {"cell_type": "code", "id": "open-lesson", "execution_count": None, "outputs": [], "metadata": {},
              "source": f'import lessonkit\nlesson = lessonkit.open_lesson("{lesson}")'}
    nb: dict[str, Any] = {"nbformat": 4, "nbformat_minor": 5, "cells": [injected, opener], "metadata": {}}
    if metadata:
        nb["metadata"] = {"papermill": {"parameters": {"learner_id": learner, "due_date": due, **extra}},
                          "lessonkit": {"lesson": lesson}}
    return copy.deepcopy(nb)


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
