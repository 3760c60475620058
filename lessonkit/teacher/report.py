"""The class at a glance: a gradebook CSV and a self-contained HTML page made from collected submissions.

The rows are :mod:`lessonkit.teacher.classview`, the CSV :mod:`lessonkit.teacher.report_csv`, the charts
:mod:`lessonkit.teacher.report_charts` and the page :mod:`lessonkit.teacher.report_page`; this module writes
both files and keeps every name importable from ``lessonkit.teacher.report``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import LessonkitError
from ..htmlpage import CSP
from .classview import ClassView, Row, build, prompt_columns
from .files import inside, write_file
from .report_charts import CAPACITIES_FROM, STREAMS_FROM, TOP_CAPACITIES, capacities, completion, published_pay, streams
from .report_csv import csv_report
from .report_page import STYLE, html_report

__all__ = ["CAPACITIES_FROM", "CSP", "STREAMS_FROM", "STYLE", "TOP_CAPACITIES", "ClassView", "Row", "build",
           "capacities", "completion", "csv_report", "html_report", "prompt_columns", "published_pay", "streams",
           "write"]


def write(view: ClassView, out: str | Path) -> tuple[Path, Path]:
    """Write ``class-report.csv`` and ``class-report.html`` into ``out`` (made if missing); returns their paths."""
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise LessonkitError(f"--out {root} is a file; give a folder (it is made if missing).")
    root.mkdir(parents=True, exist_ok=True)
    table, page = inside(root, "class-report.csv"), inside(root, "class-report.html")
    write_file(table, csv_report(view))
    write_file(page, html_report(view).encode("utf-8", "replace"))
    return table, page
