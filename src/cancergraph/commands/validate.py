"""`cancergraph validate`: check setups and print a report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from rdflib import Graph

from cancergraph import dates, formats, store
from cancergraph import rules as rulebook
from cancergraph.commands.common import EXIT_FINDINGS, EXIT_OK, sources, use_colour
from cancergraph.errors import UserError
from cancergraph.render import json_report, junit, sarif, text_report, turtle_report
from cancergraph.report import Severity
from cancergraph.validation import DEFAULT_ENGINE, ENGINES, validate
from cancergraph.vocab import RDF, SH, SHAPE_CLASSES, SHAPE_PREDICATES

NAME = "validate"
HELP = "validate setups and print a report"
RENDERERS = {
    "json": json_report.render,
    "turtle": turtle_report.render,
    "sarif": sarif.render_validation,
}


class ShapesError(UserError):
    """--shapes names a file without shapes, or is combined with options it cannot honour."""


def parse_date(text: str) -> date:
    try:
        return dates.day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="+", metavar="DATA", help="RDF files, or - for stdin")
    parser.add_argument(
        "--shapes",
        action="append",
        metavar="FILE",
        help="use the SHACL shapes in FILE instead of the project's (repeatable)",
    )
    parser.add_argument(
        "--profile",
        action="append",
        metavar="NAME",
        choices=rulebook.PROFILES,
        help=f"apply only this profile (repeatable; {', '.join(rulebook.PROFILES)})",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "turtle", "sarif", "junit"), default="text"
    )
    parser.add_argument(
        "--fail-on",
        choices=("violation", "warning", "info", "none"),
        default="violation",
        help="exit 1 when a finding is at or above this severity (default: violation)",
    )
    parser.add_argument(
        "--input-format",
        choices=formats.FORMAT_NAMES,
        help="format of DATA (default: from the extension; turtle for stdin)",
    )
    parser.add_argument(
        "--as-of", type=parse_date, metavar="YYYY-MM-DD", help="judge as of this date"
    )
    parser.add_argument(
        "--engine", choices=sorted(ENGINES), default=DEFAULT_ENGINE, help="SHACL engine"
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def has_shapes(graph: Graph) -> bool:
    return any((None, RDF.type, cls) in graph for cls in SHAPE_CLASSES) or any(
        (None, predicate, None) in graph for predicate in SHAPE_PREDICATES
    )


def refuse_project_options(args: argparse.Namespace) -> None:
    """--profile and --as-of select and date the project's rules: with shapes of one's own
    they would change nothing, and a report that looks filtered or dated must be so.
    """
    if args.profile:
        raise ShapesError(
            "--profile selects among the project's rules and cannot be used with --shapes"
        )
    if args.as_of:
        raise ShapesError("--as-of dates the project's rules and cannot be used with --shapes")


def load_shapes(paths: Sequence[str]) -> Graph:
    """The shapes of every file, refusing a file with none (most likely the data, named by
    mistake) rather than reporting that nothing failed because nothing was checked.

    A file of SPARQL prefix declarations alone (sh:declare) is accepted beside shapes.
    """
    shapes = Graph()
    found = False
    for source in sources(paths, None):
        graph = store.to_rdflib(store.load([source]))
        if has_shapes(graph):
            found = True
        elif (None, SH.declare, None) not in graph:
            raise ShapesError(f"{source.name}: contains no SHACL shapes")
        shapes += graph
    if not found:
        verb = "contains" if len(paths) == 1 else "contain"
        raise ShapesError(f"{', '.join(paths)}: {verb} no SHACL shapes, only prefix declarations")
    return shapes


def run(args: argparse.Namespace) -> int:
    shapes = None
    if args.shapes:
        refuse_project_options(args)
        shapes = load_shapes(args.shapes)
    inputs = sources(args.data, args.input_format)
    loaded = store.load(inputs)
    report = validate(
        loaded,
        profiles=args.profile,
        shapes=shapes,
        as_of=args.as_of,
        sources=[source.name for source in inputs],
        engine=args.engine,
        owned=True,
    )
    threshold = None if args.fail_on == "none" else Severity.parse(args.fail_on)
    if args.format in RENDERERS:
        sys.stdout.write(RENDERERS[args.format](report))
    elif args.format == "junit":
        sys.stdout.write(junit.render_validation(report, threshold))
    else:
        sys.stdout.write(text_report.render(report, colour=use_colour(args.color)))
    return EXIT_FINDINGS if report.fails(threshold) else EXIT_OK
