"""How long each lesson notebook takes to run, against a notebook with nothing in it.

Every run goes through papermill with a fresh python3 kernel, so the empty
notebook's time is the fixed cost (kernel start-up, papermill's own work) and
`notebook.<slug>_vs_empty` says how many times that a lesson costs. Each
lesson is run RUNS times, alternating with the empty notebook so both see the
same noise; its ratio is against those paired empty runs, and
`notebook.empty_s` is the median of every empty run.

Most learners open a lesson with an answers file already saved (Lesson 00 starts one), and
reading it checks it through the answers model, which a first visit never loads:
`notebook.<slug>_returning_vs_empty` is the same ratio for that learner (bench_phases'
returning learner: a scratch answers file written by an earlier lesson), against empty runs
paired with those.

papermill writes the whole output notebook before and after every cell (Markdown
cells too), a cost that grows with the lesson's length and that no learner's Run All
pays. So that a change in the ratio names its side,
`notebook.<slug>_papermill_writes_s` is the seconds of those writes within a lesson's
papermill run (timed around papermill's own writer, nothing skipped; median of the runs), and
`notebook.<slug>_nbclient_vs_empty` is the same lesson, with the same parameters, run by nbclient
(the executor papermill itself drives, without its writes): every cell a learner's Run All sends
to the kernel, against the empty notebook under nbclient, alternating with the papermill runs.

A lesson's cells cost something before any of its code runs: papermill's writes and a round trip to
the kernel per code cell. `notebook.<slug>_cells_vs_empty` is the lesson's own notebook with every
code cell but the parameters cell made `pass` (its Markdown, cell count, metadata and parameters
unchanged), under papermill against the same paired empty runs: the floor its layout sets. A lesson's
`_vs_empty` minus its `_cells_vs_empty` is what running its code adds.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_phases import returning_learner

# Five, not three: now and then a kernel (a lesson's or the empty notebook's) takes 2.5 s more to exit, when
# ipykernel's control thread, flushing stdout after the shutdown request, waits on an IOPub thread the main
# thread has already closed, until jupyter_client sends SIGTERM. A median of five absorbs two such runs (under
# papermill and under nbclient alike: the stall is the kernel's).
RUNS = 5
NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def lesson_notebooks() -> list[Path]:
    """The course's numbered notebooks, in course order."""
    return sorted(p for p in NOTEBOOKS_DIR.glob("*.ipynb") if p.name[:1].isdigit())


def slug(path: Path) -> str:
    return path.stem.replace("-", "_").lower()


def write_empty_notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(""))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def parameters_for(path: Path, out_dir: Path) -> dict[str, object]:
    """An extension lesson is timed open (its whole studio), as a learner with the Depth points runs it; what it
    exports goes to the scratch folder, not into the course's notebooks/."""
    import papermill

    names = papermill.inspect_notebook(str(path))
    opened: dict[str, object] = {"open_extensions": True} if "open_extensions" in names else {}
    if "export_dir" in names:
        opened["export_dir"] = str(out_dir / "exported")
    return opened


def write_cells_only(lesson: Path, out_dir: Path) -> Path:
    """The lesson's notebook with every code cell but the parameters cell made ``pass``: the same cells,
    Markdown and parameters, none of the lesson's code."""
    import nbformat

    nb = nbformat.read(lesson, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            cell.source = "pass"
    path = out_dir / f"cells-only-{lesson.name}"
    nbformat.write(nb, path)
    return path


class WriteClock:
    """Adds up the time papermill spends writing the output notebook (its writer, wrapped; nothing skipped)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> WriteClock:
        import papermill.engines as engines
        import papermill.execute as execute

        self._modules = (engines, execute)
        self._saved = engines.write_ipynb
        clock = self

        def timed(nb, path):  # papermill's write_ipynb(nb, path)
            start = time.perf_counter()
            try:
                return clock._saved(nb, path)
            finally:
                clock.seconds += time.perf_counter() - start

        for module in self._modules:
            module.write_ipynb = timed
        return self

    def __exit__(self, *_exc) -> None:
        for module in self._modules:
            module.write_ipynb = self._saved


def time_execution(path: Path, out_dir: Path) -> float:
    """Seconds for papermill to execute `path` in the notebooks folder."""
    import papermill

    opened = parameters_for(path, out_dir)
    start = time.perf_counter()
    papermill.execute_notebook(
        str(path),
        str(out_dir / f"out-{path.name}"),
        parameters=opened,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOKS_DIR),
    )
    return time.perf_counter() - start


def time_nbclient(path: Path, out_dir: Path) -> float:
    """Seconds for nbclient alone to execute `path` in the notebooks folder, with the parameters papermill would
    inject (the same injected cell), nothing written; a cell's error raises, as under papermill."""
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    opened = parameters_for(path, out_dir)
    nb = load_notebook_node(str(path))
    if opened:
        nb = parameterize_notebook(nb, opened)
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()
    return time.perf_counter() - start


class NotebookBenchError(RuntimeError):
    """Some lessons failed to run; `results` holds the figures of the others."""

    def __init__(self, message: str, results: list[tuple[str, float, str]]):
        super().__init__(message)
        self.results = results


def run() -> list[tuple[str, float, str]]:
    lessons = lesson_notebooks()
    if not lessons:
        print(f"  no lesson notebooks in {NOTEBOOKS_DIR}: no notebook figures", file=sys.stderr)
        return []
    results: list[tuple[str, float, str]] = []
    failed: list[str] = []
    all_empty: list[float] = []
    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-") as tmp:
        out_dir = Path(tmp)
        empty = write_empty_notebook(out_dir / "empty.ipynb")
        time_execution(empty, out_dir)  # unmeasured: warms imports and the kernel's caches
        time_nbclient(empty, out_dir)
        for lesson in lessons:
            lesson_times, empty_times, writes, nbclient_times, nbclient_empty = [], [], [], [], []
            cells_times: list[float] = []
            try:
                cells_only = write_cells_only(lesson, out_dir)
                for i in range(RUNS):
                    print(f"  {lesson.name} run {i + 1}/{RUNS}", file=sys.stderr, flush=True)
                    with WriteClock() as clock:
                        lesson_times.append(time_execution(lesson, out_dir))
                    writes.append(clock.seconds)
                    empty_times.append(time_execution(empty, out_dir))
                    cells_times.append(time_execution(cells_only, out_dir))
                    nbclient_times.append(time_nbclient(lesson, out_dir))
                    nbclient_empty.append(time_nbclient(empty, out_dir))
            except Exception as error:  # one broken lesson must not hide the others' figures
                print(f"  {lesson.name} failed: {type(error).__name__}: {error}", file=sys.stderr)
                failed.append(lesson.name)
                continue
            returning_times, returning_empty = [], []
            try:
                with returning_learner():
                    for i in range(RUNS):
                        print(f"  {lesson.name} returning learner, run {i + 1}/{RUNS}", file=sys.stderr, flush=True)
                        returning_times.append(time_execution(lesson, out_dir))
                        returning_empty.append(time_execution(empty, out_dir))
            except Exception as error:
                print(f"  {lesson.name} (returning learner) failed: {type(error).__name__}: {error}", file=sys.stderr)
                failed.append(f"{lesson.name} (returning learner)")
            all_empty.extend(empty_times)
            ratio = statistics.median(lesson_times) / statistics.median(empty_times)
            results.append((f"notebook.{slug(lesson)}_vs_empty", ratio, "ratio"))
            results.append((f"notebook.{slug(lesson)}_cells_vs_empty",
                            statistics.median(cells_times) / statistics.median(empty_times), "ratio"))
            if returning_times:
                results.append((f"notebook.{slug(lesson)}_returning_vs_empty",
                                statistics.median(returning_times) / statistics.median(returning_empty), "ratio"))
            results.append((f"notebook.{slug(lesson)}_papermill_writes_s", statistics.median(writes), "s"))
            results.append((f"notebook.{slug(lesson)}_nbclient_vs_empty",
                            statistics.median(nbclient_times) / statistics.median(nbclient_empty), "ratio"))

    if all_empty:
        results.append(("notebook.empty_s", statistics.median(all_empty), "s"))
    if failed:
        raise NotebookBenchError(f"could not run {', '.join(failed)}", results)
    return results
