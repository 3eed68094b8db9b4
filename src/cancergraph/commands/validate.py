"""`cancergraph validate`: check setups and print a report."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from cancergraph import formats, store
from cancergraph import rules as rulebook
from cancergraph.commands.common import EXIT_FINDINGS, EXIT_OK, sources, use_colour
from cancergraph.render import json_report, junit, sarif, text_report, turtle_report
from cancergraph.report import Severity
from cancergraph.validation import DEFAULT_ENGINE, ENGINES, validate

NAME = "validate"
HELP = "validate setups and print a report"
RENDERERS = {
    "json": json_report.render,
    "turtle": turtle_report.render,
    "sarif": sarif.render_validation,
}


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="+", metavar="DATA", help="RDF files, or - for stdin")
    parser.add_argument(
        "--shapes", nargs="+", metavar="FILE", help="use these SHACL shapes instead"
    )
    parser.add_argument(
        "--profile",
        nargs="+",
        metavar="NAME",
        choices=rulebook.PROFILES,
        help=f"apply only these profiles ({', '.join(rulebook.PROFILES)})",
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


def run(args: argparse.Namespace) -> int:
    inputs = sources(args.data, args.input_format)
    loaded = store.load(inputs)
    shapes = store.to_rdflib(store.load(sources(args.shapes, None))) if args.shapes else None
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
