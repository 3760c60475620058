"""Where a lesson's Run All time goes, phase by phase, so a slower lesson names the phase that grew.

Each lesson runs in a fresh python3 kernel (nbclient, as papermill does), every code cell
as the lesson has it, with the clock read between phases:

- ``phase.<lesson>_import_ms``: importing what the lesson's cells call (lessonkit's modules and
  the libraries they build on: pydantic, ipywidgets, plotly, numpy...).
- ``phase.<lesson>_content_ms``: the lesson cell (``open_lesson``: content, parameters, answers file),
  with its modules already imported.
- ``phase.<lesson>_build_ms``: every other cell's code up to the value it shows (the widgets built).
- ``phase.<lesson>_display_ms``: showing those values (their display data and widget messages sent).
- ``phase.<lesson>_shutdown_vs_empty``: from the last cell's reply until the kernel has exited (what a learner's
  "Restart Kernel and Run All" waits for first, and every papermill or nbval run pays), against a kernel that ran
  ``pass``, the two alternating. jupyter_client checks whether a kernel has exited every 100 ms, so both sides move in
  steps of about 0.1 s.
- ``phase.<lesson>_widget_models``: the widget models the lesson made (each one stored in the executed
  notebook), and ``phase.<lesson>_widget_messages``: the messages its widgets sent the page while it ran.
- ``phase.<lesson>_content_returning_ms``: the lesson cell for a returning learner, whose answers file (saved
  in an earlier lesson) is read and checked through its model as the lesson opens; the runs above have no
  answers file yet, as on a learner's first lesson, and nothing in them saves one.

Median of RUNS runs per lesson, after one unmeasured run that warms the file and content caches, as a
learner's earlier lessons would have. The kernel's own start-up is not a phase: bench_notebooks compares
whole runs against an empty notebook.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# Five: a kernel now and then takes 2.5 s more to exit (an ipykernel shutdown race; see bench_notebooks.RUNS),
# which would otherwise set a lesson's shutdown_vs_empty whenever two of three runs met it.
RUNS = 5
NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
PHASES = ("import", "content", "build", "display")

# Runs in the kernel: one call per code cell of the lesson, timing its code and its display apart.
HELPER = r'''
import ast as _ast, json as _json, time as _time
from IPython.display import display as _display
_PHASES = {"import": 0.0, "content": 0.0, "build": 0.0, "display": 0.0, "widget_messages": 0}

from ipykernel.comm import comm as _kernel_comm
_publish = _kernel_comm.BaseComm.publish_msg  # the kernel's comm: what every widget message goes through

def _counted(self, *args, **kwargs):  # every message a widget sends the page: opens, updates, custom
    _PHASES["widget_messages"] += 1
    return _publish(self, *args, **kwargs)

_kernel_comm.BaseComm.publish_msg = _counted

def _phased(source, phase):
    tree = _ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], _ast.Expr) else None
    start = _time.perf_counter()
    exec(compile(_ast.Module(tree.body, []), "<cell>", "exec"), globals())
    value = eval(compile(_ast.Expression(last.value), "<cell>", "eval"), globals()) if last else None
    built = _time.perf_counter()
    if value is not None:
        _display(value)
    _PHASES[phase] += built - start
    _PHASES["display"] += _time.perf_counter() - built
'''

REPORT = r'''
import ipywidgets as _W
print("PHASES " + _json.dumps({**_PHASES, "widget_models": len(_W.Widget.widgets)}))
'''


def slug(path: Path) -> str:
    return path.stem.replace("-", "_").lower()


def lesson_notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOKS_DIR.glob("*.ipynb") if p.name[:1].isdigit())


def called_modules(sources: list[str]) -> list[str]:
    """The lessonkit modules behind every ``lessonkit.<name>`` the cells use (see lessonkit._EXPORTS)."""
    import lessonkit

    names = {node.attr for source in sources for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "lessonkit"}
    return sorted({lessonkit._EXPORTS[name] for name in names if name in lessonkit._EXPORTS})


def phased_notebook(lesson: Path):
    """The lesson's code cells, each run through the timing helper, with an import phase first."""
    import nbformat

    source = nbformat.read(lesson, as_version=4)
    code = [cell.source for cell in source.cells if cell.cell_type == "code"]
    parameters, lesson_cell, rest = code[0], code[1], code[2:]
    if "open_extensions: bool" in parameters:  # an extension lesson is timed open, as bench_notebooks runs it
        parameters += "\nopen_extensions = True\n"
    if "export_dir: str" in parameters:  # exports go to a scratch folder, not into the course's notebooks/
        parameters += f"\nexport_dir = {json.dumps(str(Path(tempfile.gettempdir()) / 'lessonkit-bench-export'))}\n"
    imports = "\n".join(f"import {module}" for module in called_modules(code))
    cells = [parameters, HELPER, f"_phased({json.dumps('import lessonkit' + chr(10) + imports)}, 'import')",
             f"_phased({json.dumps(lesson_cell)}, 'content')"]
    cells += [f"_phased({json.dumps(cell)}, 'build')" for cell in rest] + [REPORT]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def run_phases(lesson: Path | None) -> dict[str, float]:
    from nbclient import NotebookClient

    notebook = phased_notebook(lesson) if lesson is not None else empty_notebook()
    last_cell_done = []
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
                   store_widget_state=True,
                   on_cell_executed=lambda **_: last_cell_done.append(time.perf_counter())).execute()
    shutdown = time.perf_counter() - last_cell_done[-1]
    if lesson is None:
        return {"shutdown": shutdown}
    for output in notebook.cells[-1].outputs:
        for line in output.get("text", "").splitlines():
            if line.startswith("PHASES "):
                return {**json.loads(line[len("PHASES "):]), "shutdown": shutdown}
    raise RuntimeError(f"{lesson.name}: the phase report did not come back")


def empty_notebook():
    """One cell that does nothing: its shutdown is a bare kernel's, the baseline for each lesson's."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("pass")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


@contextlib.contextmanager
def returning_learner() -> Iterator[None]:
    """Kernels started inside see an answers file a learner saved in an earlier lesson (a scratch copy)."""
    from lessonkit.answers import AnswerStore
    from lessonkit.content import load_course

    course = load_course()
    first = course.lessons()[1]  # the first lesson with prompts and a reflection, after the start page
    with tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "learner.json", course_id=course.id, learner_id="learner")
        for prompt in course.lesson_prompts(first.id):
            if prompt.kind in ("short-text", "long-text"):  # answered as the example shows
                store.set_answer(f"{first.id}/{prompt.id}", prompt.example or "", kind=prompt.kind)
        store.set_lesson_field(first.id, "reflection", "A reflection written at the end of the lesson. " * 12)
        store.set_lesson_field(first.id, "completed", True)
        store.flush()
        before = os.environ.get("LESSONKIT_ANSWERS")
        os.environ["LESSONKIT_ANSWERS"] = folder
        try:
            yield
        finally:
            if before is None:
                del os.environ["LESSONKIT_ANSWERS"]
            else:
                os.environ["LESSONKIT_ANSWERS"] = before


def run() -> list[tuple[str, float, str]]:
    results: list[tuple[str, float, str]] = []
    for lesson in lesson_notebooks():
        print(f"  {lesson.name}: phases", file=sys.stderr, flush=True)
        run_phases(lesson)  # unmeasured: warms the file cache and the content cache
        runs, empty, returning = [], [], []
        for _ in range(RUNS):  # alternating, so both see the same noise
            runs.append(run_phases(lesson))
            empty.append(run_phases(None)["shutdown"])
            with returning_learner():
                returning.append(run_phases(lesson)["content"])
        for phase in PHASES:
            results.append((f"phase.{slug(lesson)}_{phase}_ms", statistics.median(r[phase] for r in runs) * 1000, "ms"))
        results.append((f"phase.{slug(lesson)}_content_returning_ms", statistics.median(returning) * 1000, "ms"))
        results.append((f"phase.{slug(lesson)}_shutdown_vs_empty",
                        statistics.median(r["shutdown"] for r in runs) / statistics.median(empty), "ratio"))
        for count in ("widget_models", "widget_messages"):
            results.append((f"phase.{slug(lesson)}_{count}", statistics.median(r[count] for r in runs), "count"))
    return results
