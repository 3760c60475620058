"""The teacher subcommands of ``lessonkit``: assign, collect and links (options here, work in the library)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import LessonkitError


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A teacher never sees a traceback: anything unexpected becomes one plain line (and exit 1)."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (LessonkitError, OSError, KeyError, ValueError):
            raise  # lessonkit's main prints these as messages
        except Exception as error:  # noqa: BLE001 (the message names the error so it can be reported)
            raise LessonkitError(f"lessonkit {args.command} stopped: {error.__class__.__name__}: {error}") from None

    return wrapper


def _say(text: str, quiet: bool = False) -> None:
    if not quiet:
        print(text)


def _assign(args: argparse.Namespace) -> int:
    from ..content import load_course
    from ..notebooks import NOTEBOOKS_DIR
    from .assign import assign
    from .params import AssignError, lesson_spec, parse_params, pick_lessons
    from .roster import read_roster

    course = load_course(args.data)
    lessons = pick_lessons(course, args.lessons)
    notebooks = Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR
    specs = [lesson_spec(entry, notebooks) for entry in lessons]
    every = list(specs)
    for entry in course.lessons():  # only to say which lesson an unknown parameter belongs to
        if entry not in lessons:
            with contextlib.suppress(AssignError):
                every.append(lesson_spec(entry, notebooks))
    params = parse_params(course, specs, args.param or [], every)
    roster = read_roster(args.roster)
    for note in roster.notes:
        print(f"note: {note}", file=sys.stderr)
    zip_name = (args.class_name or Path(args.roster).stem) if args.zip else None
    result = assign(roster, specs, params, args.out, zip_name=zip_name, quiet=args.quiet)
    _say(f"Wrote {result.files} notebooks for {result.learners} learners in {result.out} "
         f"(lessons {', '.join(f'{s.entry.number:02d}' for s in specs)}).", args.quiet)
    _say(f"Manifest (ids, names, files; keep it private): {result.manifest}", args.quiet)
    if result.zip:
        _say(f"Class zip for your LMS: {result.zip}", args.quiet)
    return 0


def _collect(args: argparse.Namespace) -> int:
    from ..content import load_course
    from . import report
    from .collect import collect, parse_deadline
    from .roster import read_class_list

    course = load_course(args.data)
    due = parse_deadline(args.due) if args.due else None
    people = read_class_list(args.roster) if args.roster else None
    collected = collect(args.paths, course, due=due, quiet=args.quiet)
    view = report.build(course, collected, people)
    table, page = report.write(view, args.out)
    for problem in collected.problems:
        print(problem)
    handed = sum(1 for row in view.rows if row.submission)
    _say(f"Read {collected.files} files: answers from {handed} learners, {len(collected.notebooks)} notebooks; "
         f"{len(collected.late)} late lessons, {len(collected.problems)} problems and notices.", args.quiet)
    _say(f"Gradebook: {table}\nReport: {page}", args.quiet)
    if collected.files == 0 and not people:
        print("Nothing to collect: no answers file or notebook was found in the paths given.", file=sys.stderr)
        return 1
    conflicts = sum(1 for problem in collected.problems if problem.kind == "conflict")
    if conflicts:
        print(f"{conflicts} answers files could not be told apart (listed as conflict above): each is kept apart in "
              "the report; settle whose they are and collect again.", file=sys.stderr)
        return 1
    return 0


def _links(args: argparse.Namespace) -> int:
    from .links import links_text

    print(links_text(args.repo, args.branch, args.hub, args.binder))
    return 0


def add_commands(sub: Any) -> None:
    """Add assign, collect and links to ``lessonkit``'s subcommands."""
    p = sub.add_parser("assign", help="hand lessons out: one parameterized copy per learner, a manifest, a zip")
    p.add_argument("--roster", required=True, help="class list: CSV with a 'name' column (optional 'id', 'email')")
    p.add_argument("--lessons", required=True, help="lesson numbers or ids, comma-separated (01,02) or 'all'")
    p.add_argument("--out", required=True, help="folder for the copies, manifest.csv and the zip (made if missing)")
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="a lesson parameter for every copy, e.g. due_date=2026-12-01 (repeat for more)")
    p.add_argument("--zip", action="store_true", help="also write one zip of every copy, for an LMS upload")
    p.add_argument("--class-name", help="the zip's name (default: the roster file's name)")
    p.add_argument("--notebooks", help="folder holding the lesson notebooks (default: the course's notebooks/)")
    p.add_argument("--data", help="content folder (default: the course's data/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.set_defaults(run=_guarded(_assign))

    p = sub.add_parser("collect", help="read handed-in answers and notebooks; write a class report (CSV and HTML)")
    p.add_argument("paths", nargs="+", help="answers files, notebooks, folders or zips, as many as you like")
    p.add_argument("--out", required=True, help="folder for class-report.csv and class-report.html")
    p.add_argument("--due", help="deadline for every lesson, YYYY-MM-DD (end of day) or YYYY-MM-DDTHH:MM; "
                                 "default: the due_date the handed-in notebooks carry")
    p.add_argument("--roster", help="assign's manifest.csv (or the roster) to add names and list who handed in nothing")
    p.add_argument("--data", help="content folder (default: the course's data/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.set_defaults(run=_guarded(_collect))

    p = sub.add_parser("links", help="print the Binder and nbgitpuller links that open the course, and a README badge")
    p.add_argument("--repo", required=True, help="the course repository's https address")
    p.add_argument("--branch", default="main", help="branch to open (default: main)")
    p.add_argument("--hub", help="your JupyterHub's address, for an nbgitpuller link")
    p.add_argument("--binder", default="https://mybinder.org", help="BinderHub to use (default: mybinder.org)")
    p.set_defaults(run=_guarded(_links))
