"""`cancergraph query`: run a library query or a query file over setups."""

from __future__ import annotations

import argparse
import json
import sys

import pyoxigraph as ox

from cancergraph import formats, queries, sparql_text, store
from cancergraph.commands.common import EXIT_OK, sources, terminal_width
from cancergraph.errors import UserError
from cancergraph.render import query_results

NAME = "query"
HELP = "run a named query from the library, or a .rq file, over setups"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", metavar="NAME|FILE.rq", help="query name or file")
    parser.add_argument("data", nargs="*", metavar="DATA", help="RDF files, or - for stdin")
    parser.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="bind a query parameter (repeatable)",
    )
    parser.add_argument(
        "--format",
        choices=query_results.ALL_FORMATS,
        default="table",
        help="result format (default: table; CONSTRUCT and DESCRIBE default to turtle)",
    )
    parser.add_argument("--input-format", choices=formats.FORMAT_NAMES, help="format of DATA")
    parser.add_argument("--list", action="store_true", help="list the query library")


def list_library(fmt: str) -> int:
    library = queries.library()
    if fmt == "json":
        sys.stdout.write(json.dumps([q.as_dict() for q in library.values()], indent=2) + "\n")
        return EXIT_OK
    for query in library.values():
        sys.stdout.write(f"{query.name}\n    {query.title}\n")
        for parameter in query.parameters:
            default = f", default {parameter.default}" if parameter.default else ""
            example = f", e.g. {parameter.example}" if parameter.example else ""
            sys.stdout.write(
                f"    --param {parameter.name}=<{parameter.type}{default}{example}>"
                f"  {parameter.description}\n"
            )
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.list:
        return list_library(args.format)
    if not args.query:
        raise UserError("name a query (see: cancergraph query --list) or a .rq file")
    # the query and its parameters are checked first, so a mistyped name is the first
    # thing said, whatever else is missing
    query = queries.find(args.query)
    params = queries.parse_assignments(args.param)
    queries.bindings(query, params)
    if not args.data:
        raise UserError("give at least one DATA file to query (or - for stdin)")
    declared: dict[str, str] = {}
    loaded = store.load(sources(args.data, args.input_format), prefixes=declared)
    named = list(loaded.named_graphs())
    if named and not queries.declares_dataset(query.text):
        # the default graph is the RDF merge of all graphs (see store.add_to_default)
        store.add_to_default(loaded, list(loaded.quads_for_pattern(None, None, None, None)))
        result = queries.run(
            loaded, query, params, default_graph=[ox.DefaultGraph()], named_graphs=named
        )
    else:
        result = queries.run(loaded, query, params)
    names = None
    if args.format == "table":
        # IRIs shown under the prefixes the query declares, then those of the data
        names = query_results.short_names(sparql_text.declared_prefixes(query.text), declared)
    output = query_results.serialize(result, args.format, terminal_width(), names)
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    return EXIT_OK
