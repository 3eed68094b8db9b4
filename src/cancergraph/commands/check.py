"""`cancergraph check`: check the ontology, shapes, queries and examples, for CI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cancergraph.checks.findings import Level
from cancergraph.checks.groups import GROUPS
from cancergraph.commands.common import EXIT_FINDINGS, EXIT_OK, use_colour

NAME = "check"
HELP = "check the ontology, shapes, queries and examples (for maintainers and CI)"
FAIL_LEVELS = ("error", "warn", "info", "none")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders to check (default: the project's ontology/, shapes/, "
        "queries/ and examples/)",
    )
    parser.add_argument("--format", choices=("text", "json", "junit", "sarif"), default="text")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_LEVELS,
        default="error",
        help="exit 1 when a finding is at or above this level (default: error)",
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="lint profile (default: ontology/lint-profile.yaml)"
    )
    parser.add_argument(
        "--spec",
        metavar="FILE",
        help="recommendations.yaml to compare rule ids with "
        "(default: ../shared/spec/recommendations.yaml beside the project)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=GROUPS,
        metavar="GROUP",
        help=f"skip a group of checks (repeatable): {', '.join(GROUPS)}",
    )
    parser.add_argument("--sarif-file", metavar="FILE", help="also write a SARIF report here")
    parser.add_argument("--junit-file", metavar="FILE", help="also write a JUnit report here")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def threshold(name: str) -> Level | None:
    return None if name == "none" else Level.parse(name)


def run(args: argparse.Namespace) -> int:
    from cancergraph import checks
    from cancergraph.checks import output
    from cancergraph.render import junit, sarif

    workspace = (
        checks.Workspace.from_paths(args.paths) if args.paths else checks.Workspace.project()
    )
    ctx = checks.context(workspace, args.profile, args.spec)
    report = checks.run(ctx, skip=args.skip)
    fail_on = threshold(args.fail_on)
    renderers = {
        "json": lambda: output.json_text(report, fail_on),
        "junit": lambda: junit.render(report, fail_on),
        "sarif": lambda: sarif.render(report),
        "text": lambda: output.text(report, fail_on, colour=use_colour(args.color)),
    }
    if args.sarif_file:
        Path(args.sarif_file).write_text(sarif.render(report), encoding="utf-8")
    if args.junit_file:
        Path(args.junit_file).write_text(junit.render(report, fail_on), encoding="utf-8")
    sys.stdout.write(renderers[args.format]())
    return EXIT_FINDINGS if report.fails(fail_on) else EXIT_OK
