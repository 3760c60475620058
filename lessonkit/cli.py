"""The ``lessonkit`` command: parse options, call the library, print plain lines, never a traceback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import LessonkitError


def _check(args: argparse.Namespace) -> int:
    from .content import check

    problems = check(args.path)
    if not problems:  # the content is sound: also check what `lessonkit sync` needs from it
        from .content import load_course
        from .notebooks import NOTEBOOKS_DIR
        from .notebooks import problems as sync_problems

        notebooks = Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR
        if args.notebooks or notebooks.is_dir():  # an installed package has no notebooks to sync
            problems = sync_problems(load_course(_content_root(args.path)), notebooks)
    for problem in problems:
        print(problem)
    where = args.path or "the course's data/"
    if problems:
        print(f"{len(problems)} problem(s) in {where}.", file=sys.stderr)
        return 1
    print(f"OK: {where} is valid.")
    return 0


def _content_root(path: str | None) -> str | None:
    """The content folder holding ``path`` (a folder, or a file in one)."""
    from .content import _root_for

    return str(_root_for(path)) if path else None


def _sync(args: argparse.Namespace) -> int:
    from .content import load_course
    from .notebooks import NOTEBOOKS_DIR, drift, sync

    course = load_course(args.data)
    notebooks = Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR
    from . import parameter_docs  # the docs' parameter tables, beside the course's own notebooks only

    docs = [] if args.notebooks else [NOTEBOOKS_DIR.parent]
    if not args.notebooks and not notebooks.is_dir():  # an installed package: no course folder to write into
        raise LessonkitError(f"There is no notebooks folder at {notebooks}; name the folder to write the lessons "
                             "into with --notebooks")
    if args.check:
        found = [*drift(course, notebooks), *(line for root in docs for line in parameter_docs.drift(course, root))]
        for item in found:
            print(item)
        where = args.data or "data/"
        print(f"{len(found)} generated cell(s) out of date; `lessonkit sync` rewrites them." if found
              else f"OK: every generated cell matches {where}.")
        return 1 if found else 0
    changed = [*sync(course, notebooks), *(name for root in docs for name in parameter_docs.write(course, root))]
    print("Updated: " + ", ".join(changed) if changed else "Nothing to update.")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .locate import find_data_dir
    from .scaffold import new

    root = find_data_dir(args.data or None)
    if root.name == "_data":  # the installed package's copy, shared by everyone using it
        raise LessonkitError(f"{root} is the installed package's copy of the content; give your own content "
                             "folder with --data (or LESSONKIT_DATA); nothing was written")
    for path in new(args.kind, args.id, args.title, root, args.module):
        print(f"wrote {path}")
    print("Next: replace every TODO (`lessonkit check` lists each one by file and field), then run "
          "`lessonkit check && lessonkit sync` to make its notebook.")
    return 0


def _lessons(args: argparse.Namespace) -> int:
    from .content import load_course

    course = load_course(args.data)
    for lesson in course.lessons():
        extension = f"\textension: opens at {lesson.extension.depth_points} Depth points" if lesson.extension else ""
        print(f"{lesson.id}\t{lesson.minutes} min\tnotebooks/{lesson.notebook}\t{lesson.title}{extension}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from . import handin
    from .answers import AnswersFileError, load_file, read_bytes_bounded
    from .content import load_course

    course = load_course(args.data)
    path = Path(args.answers)
    data = read_bytes_bounded(path, what=f"The answers file {path}")  # its size checked before reading
    if data is None:
        raise AnswersFileError(f"The answers file {path} cannot be read (there is no such file).")
    doc = load_file(data, what=f"The answers file {path}")
    if doc.course != course.id:
        raise AnswersFileError(f"{path} holds answers for the course '{doc.course}', not '{course.id}'; "
                               "nothing was written.")
    out = Path(args.out) if args.out else path.parent / "handin"
    for written in handin.write(course, doc, out):
        print(written)
    if doc.kept_aside:
        print(f"note: {len(doc.kept_aside)} saved record(s) in {path} could not be read and are not in the hand-in; "
              "they are kept aside in the answers file, under \"kept_aside\".", file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .answers_model import schema_text

    if args.out:
        Path(args.out).write_text(schema_text(), encoding="utf-8")
        print(f"Wrote the answers file's JSON Schema to {args.out}.")
    else:
        sys.stdout.write(schema_text())
    return 0


def _lab(args: argparse.Namespace) -> int:
    from .content import load_course
    from .labcopy import copy_lessons, default_folder, summary

    course = load_course()
    folder = Path(args.dir) if args.dir else default_folder(course)
    results, notes = copy_lessons(course, folder)
    for line in [*(r.message for r in results if r.message), *notes, summary(folder, results)]:
        print(line)
    if args.no_server:
        return 0
    from .labopen import open_lab

    return open_lab(folder.expanduser().resolve(), course.lessons()[0].notebook, args.jupyter_options)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lessonkit", description="Tools for the music-production career course.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate course content and report every problem, one per line")
    p.add_argument("path", nargs="?", help="a content folder or a file in one (default: the course's data/)")
    p.add_argument("--notebooks", help="the notebooks `sync` would update (default: the course's notebooks/)")
    p.set_defaults(run=_check)
    p = sub.add_parser("sync", help="write the lesson notebooks, every cell, from data/ (or --check for drift)")
    p.add_argument("--check", action="store_true", help="only report notebooks and cells that differ; exit 1 if any")
    p.add_argument("--data", help="content folder (default: the course's data/)")
    p.add_argument("--notebooks", help="notebooks folder (default: the course's notebooks/)")
    p.set_defaults(run=_sync)
    p = sub.add_parser("new", help="start a new career card or lesson: write its data files with TODOs to fill",
                       description="Writes a new lesson's data files (for a career: its card, prompts and "
                       "readings; for a lesson: its prompts and first reading) and its course.yaml entry, with a "
                       "TODO wherever the author has something to write. `lessonkit check` names each TODO left by "
                       "file and field; once none is left, `lessonkit sync` makes the notebook.")
    p.add_argument("kind", choices=["career", "lesson"], help="career: a career-card lesson; lesson: a lesson "
                                                              "with its own list of blocks")
    p.add_argument("id", help="its id: lower-case letters, digits and dashes, like sound-designer")
    p.add_argument("--title", required=True, help="the title learners see, like \"Sound Designer\"")
    p.add_argument("--module", help="the course.yaml module it joins (default: the last one holding a lesson like it)")
    p.add_argument("--data", help="content folder (default: the course's data/, or LESSONKIT_DATA)")
    p.set_defaults(run=_new)
    p = sub.add_parser("lessons", help="list the lessons in course order")
    p.add_argument("--data", help="content folder (default: the course's data/)")
    p.set_defaults(run=_lessons)
    p = sub.add_parser("export", help="write a learner's answers file as Markdown and a web page to hand in")
    p.add_argument("--answers", required=True, help="the learner's answers file (<learner id>.json)")
    p.add_argument("--out", help="folder for <learner>-answers.md and .html (default: handin/ beside the answers file)")
    p.add_argument("--data", help="content folder (default: the course's data/)")
    p.set_defaults(run=_export)
    p = sub.add_parser("schema", help="print the JSON Schema of a learner's answers file (docs/answers-schema.json)")
    p.add_argument("--out", help="write it to this file instead")
    p.set_defaults(run=_schema)
    p = sub.add_parser("lab", help="copy the lessons into a folder of yours (or update them) and open JupyterLab "
                                   "on the start page", description="Writes the course's lessons into a folder of "
                       "yours and opens JupyterLab on the start page. Run it again after an upgrade: new lessons are "
                       "added and unchanged ones updated; a lesson you changed is kept as it is.")
    p.add_argument("--dir", help="the folder for your lessons (default: a folder named after the course in your home)")
    p.add_argument("--no-server", action="store_true", help="only copy or update the lessons; do not start JupyterLab")
    p.add_argument("jupyter_options", nargs="*", metavar="-- JUPYTER-OPTION",
                   help="options for JupyterLab after --, such as: -- --port 9999")
    p.set_defaults(run=_lab)
    from .teacher.commands import add_commands

    add_commands(sub)  # assign, collect, links (docs/teaching.md)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except LessonkitError as error:
        print(error, file=sys.stderr)
        return 1
    except (OSError, KeyError, ValueError) as error:
        print(f"lessonkit {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
