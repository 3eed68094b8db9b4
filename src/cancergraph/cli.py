"""The `cancergraph` command line.

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from cancergraph import __version__, formats, store
from cancergraph import rules as rulebook
from cancergraph.render import json_report, text_report, turtle_report
from cancergraph.report import Severity
from cancergraph.validation import ValidationError, validate

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or input: reported on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its wording
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cancergraph",
        description="Check English cancer network setups against the NAO 2004 and "
        "King's Fund 2011 recommendations.",
    )
    parser.add_argument("--version", action="version", version=f"cancergraph {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("validate", help="validate setups and print a report")
    check.add_argument("data", nargs="+", metavar="DATA", help="RDF files, or - for stdin")
    check.add_argument("--shapes", nargs="+", metavar="FILE", help="use these SHACL shapes instead")
    check.add_argument(
        "--profile",
        nargs="+",
        metavar="NAME",
        choices=rulebook.PROFILES,
        help=f"apply only these profiles ({', '.join(rulebook.PROFILES)})",
    )
    check.add_argument("--format", choices=("text", "json", "turtle"), default="text")
    check.add_argument(
        "--fail-on",
        choices=("violation", "warning", "info", "none"),
        default="violation",
        help="exit 1 when a finding is at or above this severity (default: violation)",
    )
    check.add_argument(
        "--input-format",
        choices=formats.FORMAT_NAMES,
        help="format of DATA (default: from the extension; turtle for stdin)",
    )
    check.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="judge as of this date")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    listing = commands.add_parser("rules", help="list the rules the shapes encode")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _sources(paths: Sequence[str], input_format: str | None) -> list[store.Source]:
    fmt = formats.by_name(input_format) if input_format else None
    sources = []
    for path in paths:
        if path == "-":
            sources.append(store.Source(name="<stdin>", data=sys.stdin.buffer.read(), format=fmt))
        else:
            sources.append(store.Source.from_path(path, fmt))
    return sources


def _shapes_graph(paths: Sequence[str] | None):
    if not paths:
        return None
    shapes = store.to_rdflib(store.load(_sources(paths, None)))
    return shapes


def cmd_validate(args: argparse.Namespace) -> int:
    sources = _sources(args.data, args.input_format)
    loaded = store.load(sources)
    shapes = _shapes_graph(args.shapes)
    report = validate(
        loaded,
        profiles=args.profile,
        shapes=shapes,
        as_of=args.as_of,
        sources=[source.name for source in sources],
        owned=True,
    )
    if args.format == "json":
        sys.stdout.write(json_report.render(report))
    elif args.format == "turtle":
        sys.stdout.write(turtle_report.render(report))
    else:
        colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
        sys.stdout.write(text_report.render(report, colour=colour))
    threshold = None if args.fail_on == "none" else Severity.parse(args.fail_on)
    return EXIT_FINDINGS if report.fails(threshold) else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    catalogue = rulebook.catalogue()
    if args.format == "json":
        sys.stdout.write(json.dumps([rule.as_dict() for rule in catalogue], indent=2) + "\n")
        return EXIT_OK
    for rule in catalogue:
        sys.stdout.write(
            f"{rule.id:7} {rule.severity:9} {rule.era:11} {rule.source:9} {rule.title}\n"
        )
        if rule.quote:
            sys.stdout.write(f'        "{rule.quote}"\n')
    return EXIT_OK


COMMANDS = {"validate": cmd_validate, "rules": cmd_rules}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as err:
        print(f"cancergraph: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (store.InputError, ValidationError, formats.UnknownFormatError) as err:
        print(f"cancergraph: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
