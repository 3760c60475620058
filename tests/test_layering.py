"""lessonkit's layers: the teacher tools and the command line never load the notebook runtime, and no module imports
itself round a cycle.

The notebook runtime (ipywidgets, anywidget, plotly, IPython) is what lessons draw with; a teacher collecting
a class's work or a course author checking content should not pay for it or depend on it. The
import graph is read from the source (module-level imports and imports inside functions alike),
so a cycle dodged with a function-level import still counts.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lessonkit

PACKAGE = Path(lessonkit.__file__).parent
FIXTURES = Path(__file__).parent / "fixtures" / "teacher"
RUNTIME = ("ipywidgets", "anywidget", "plotly", "IPython")
#: Layers that hold pure logic and data: they, and every lessonkit module they import, stay clear of the runtime.
PURE = ("lessonkit.palette", "lessonkit.charts", "lessonkit.models")


# ---------------------------------------------------------------- the import graph, from the source
def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: at module level, in functions and classes, not under ``if TYPE_CHECKING``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def modules(root: Path) -> dict[str, Path]:
    """Each module of the package at ``root`` by dotted name (a package by its own name, for its ``__init__``)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph(root: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(package modules each module imports, outside top-level packages each imports), read with ``ast``."""
    known = modules(root)
    inside: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found, other = set(), set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
                targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            else:
                targets = [node.module or "", *(f"{node.module}.{alias.name}" for alias in node.names)]
            for target in targets:
                if target in known:
                    found.add(target)
                elif target.split(".")[0] != root.name and not getattr(node, "level", 0):
                    other.add(target.split(".")[0])
        found.discard(name)
        inside[name], outside[name] = found, other
    return inside, outside


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other round a loop (strongly connected, more than one), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function_and_ignores_type_only_imports(tmp_path: Path):
    """A made-up package: a⇄b through a function-level import is a cycle; c⇄d under TYPE_CHECKING is not."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from .b import thing\n",
        "b.py": "def thing():\n    from . import a\n    return a\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .d import D\n",
        "d.py": "from pkg import c\nimport json\n",
        "sub/__init__.py": "",
        "sub/e.py": "from ..a import x\nfrom .. import c\nimport plotly.graph_objects\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    inside, outside = import_graph(pkg)
    assert cycles(inside) == [["pkg.a", "pkg.b"]]
    assert inside["pkg.sub.e"] == {"pkg", "pkg.a", "pkg.c"} and outside["pkg.sub.e"] == {"plotly"}
    assert inside["pkg.c"] == set() and inside["pkg.d"] == {"pkg", "pkg.c"}


def test_lessonkit_has_no_import_cycles():
    """No two lessonkit modules import each other, directly or round a loop, even from inside a function."""
    inside, _ = import_graph(PACKAGE)
    found = cycles(inside)
    assert not found, "import cycles: " + "; ".join(" ⇄ ".join(group) for group in found)


def test_the_pure_layers_never_import_the_notebook_runtime():
    """The palette, the chart builders and the models (and everything they import from lessonkit) use no widget library."""
    inside, outside = import_graph(PACKAGE)
    roots = [name for name in inside if name.startswith(PURE)]
    assert {"lessonkit.palette", "lessonkit.charts.timesplit", "lessonkit.models.salary"} <= set(roots)
    offenders = {name: sorted(outside[name] & set(RUNTIME))
                 for root in roots for name in reachable(inside, root) if outside[name] & set(RUNTIME)}
    assert not offenders, f"pure layers reach the notebook runtime: {offenders}"


def test_the_teacher_tools_and_the_command_line_reach_the_runtime_by_no_import_path():
    """Read from the source: nothing the teacher tools or the CLI import, directly or further down, uses a widget library."""
    inside, outside = import_graph(PACKAGE)
    roots = [name for name in inside if name.startswith(("lessonkit.teacher", "lessonkit.cli"))]
    seen = set().union(*(reachable(inside, root) for root in roots))
    offenders = {name: sorted(outside[name] & set(RUNTIME)) for name in seen if outside[name] & set(RUNTIME)}
    assert not offenders, f"the teacher tools or the CLI reach the notebook runtime through {offenders}"


def test_building_every_chart_from_the_course_loads_no_notebook_runtime():
    """In a fresh interpreter, each chart builder draws from the shipped course with only the pure layers loaded."""
    code = textwrap.dedent("""
        import sys
        from lessonkit.charts import pay_paths as P, portfolio as F, timesplit as T
        from lessonkit.content import load_course
        from lessonkit.models import salary as M, timesplit as m
        course = load_course()
        card, guide = course.careers["music-producer"], course.guides["can-you-make-a-living"]
        ids = [a.id for a in card.work.activities]
        labels = {a.id: a.label for a in card.work.activities}
        shares = m.whole_shares({a.id: a.share for a in card.work.activities})
        moments = [(mo.id, m.card_time(mo.time), mo.title) for mo in card.day.moments]
        s = card.pay.salaried
        model = M.salaried_model(s.entry, s.median, s.top, entry_percentile=10, top_percentile=90)
        streams = [(x.id, x.label) for x in guide.income_streams]
        guesses = {streams[0][0]: M.Guess(0, 1_000, 5_000)}
        drawn = [T.week_traces(ids, labels, 40, ("a", "b"), shares, shares), T.day_traces(moments, moments[0][0], ids,
                 labels, [], (480, 1200)), P.salaried_traces(s, model, 40_000, 10, 90, s.as_of),
                 P.artist_traces(card.pay.artist, 40_000, None), F.portfolio_traces(streams, guesses, 40_000),
                 F.chance_traces(streams, M.simulate_portfolio(guesses, 40_000))]
        assert all(traces for traces, _ in drawn)
        print(sorted(name for name in %r if name in sys.modules))
    """ % (RUNTIME,))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]"]


# ---------------------------------------------------------------- the teacher tools and the command line, as run
#: Every ``lessonkit`` command with arguments that run its whole code path on small fixtures ({out} is a scratch folder).
COMMANDS = {
    "help": ["--help"],
    "check": ["check"],
    "sync": ["sync", "--check"],
    "lessons": ["lessons"],
    "schema": ["schema"],
    "new": ["new", "career", "example-career", "--title", "Example Career", "--data", "{out}/data"],
    "export": ["export", "--answers", str(FIXTURES / "submissions" / "hostile-text.json"), "--out", "{out}/export"],
    "lab": ["lab", "--no-server", "--dir", "{out}/lab"],
    "assign": ["assign", "--roster", str(FIXTURES / "rosters" / "plain.csv"), "--lessons", "01,02",
               "--out", "{out}/handout", "--zip", "--quiet"],
    "collect": ["collect", str(FIXTURES / "submissions"), "--roster", str(FIXTURES / "rosters" / "plain.csv"),
                "--out", "{out}/report", "--quiet"],
    "links": ["links", "--repo", "https://github.com/example/course", "--hub", "https://hub.example.edu"],
}

PROBE = textwrap.dedent("""
    import contextlib, importlib, io, json, pkgutil, sys
    import lessonkit.cli, lessonkit.teacher
    RUNTIME = {runtime!r}
    loaded = lambda: sorted(name for name in RUNTIME if name in sys.modules)
    report = {{"commands": sorted(lessonkit.cli.build_parser()._subparsers._group_actions[0].choices)}}
    for info in pkgutil.iter_modules(lessonkit.teacher.__path__, "lessonkit.teacher."):
        importlib.import_module(info.name)
    report["import"] = loaded()
    for name, argv in {commands!r}.items():
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                status = lessonkit.cli.main(argv)
            except SystemExit as stop:
                status = stop.code
        report[name] = {{"status": status, "loaded": loaded(), "said": out.getvalue()[-400:]}}
    print(json.dumps(report))
""")


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One fresh interpreter imports the CLI and every teacher module, then runs each command in turn."""
    out = tmp_path_factory.mktemp("layering")
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", out / "data")  # for `new` to write into
    commands = {name: [arg.format(out=out) for arg in argv] for name, argv in COMMANDS.items()}
    code = PROBE.format(runtime=RUNTIME, commands=commands)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=out, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_every_command_is_run_here(probe):
    """A new ``lessonkit`` command is added to COMMANDS, so its code path is checked too."""
    assert sorted(probe["commands"]) == sorted(name for name in COMMANDS if name != "help")


def test_importing_the_command_line_and_every_teacher_module_loads_no_notebook_runtime(probe):
    assert probe["import"] == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_runs_without_the_notebook_runtime(probe, command):
    """Each command did its work (exit 0) and, by its end, nothing had loaded ipywidgets, plotly or IPython."""
    result = probe[command]
    assert result["status"] == 0, f"lessonkit {' '.join(COMMANDS[command])} failed: {result['said']}"
    assert result["loaded"] == [], f"after lessonkit {command}: {result['loaded']} loaded"
