"""`cancergraph diff`: what changed in the ontology and shapes between two versions."""

from __future__ import annotations

import argparse
import json
import sys

from cancergraph import semantic_diff
from cancergraph.commands.common import EXIT_OK

NAME = "diff"
HELP = "semantic diff of the ontology and shapes between two versions (files, folders, revisions)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old", metavar="OLD", help="file, folder (with ontology/ and shapes/) or git revision"
    )
    parser.add_argument("new", metavar="NEW", help="file, folder or git revision")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")


def run(args: argparse.Namespace) -> int:
    diff = semantic_diff.compare(semantic_diff.load(args.old), semantic_diff.load(args.new))
    if args.format == "json":
        sys.stdout.write(json.dumps(diff.as_data(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(semantic_diff.markdown(diff))
    return EXIT_OK
