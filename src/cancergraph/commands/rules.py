"""`cancergraph rules`: list every rule the shapes encode."""

from __future__ import annotations

import argparse
import json
import sys

from cancergraph import rules as rulebook
from cancergraph.commands.common import EXIT_OK

NAME = "rules"
HELP = "list the rules the shapes encode"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
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
