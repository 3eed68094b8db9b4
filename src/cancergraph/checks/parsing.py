"""Every file parses: RDF, SPARQL, YAML and JSON, with the line of the first error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from cancergraph import queries, sparql_errors
from cancergraph.checks.findings import Check, Finding, Level, display_path
from cancergraph.checks.workspace import Context, golden_path

GROUP = "parse"
PARSE = Check(
    "parse",
    "Every file parses",
    "Each ontology, shapes and example file parses as RDF, each query as SPARQL 1.1, "
    "and each YAML or JSON file (golden findings, lint profile) as data. A file that "
    "does not parse is skipped by the other checks.",
    GROUP,
    "Fix the syntax at the line given.",
    level=Level.ERROR,
)
CHECKS = (PARSE,)


def active(ctx: Context) -> tuple[Check, ...]:
    return CHECKS if ctx.workspace.all_files() else ()


def run(ctx: Context) -> Iterator[Finding]:
    ws = ctx.workspace
    for path in (*ws.ontology, *ws.shapes, *ws.examples):
        if ctx.quads(path) is None:
            yield _finding(ctx, path)
    for path in ws.queries:
        problem = query_problem(ctx, path)
        if problem is not None:
            message, line = problem
            yield Finding(PARSE.name, Level.ERROR, message, display_path(path), line)
    documents = list(ws.documents)
    documents += [g for g in map(golden_path, ws.examples) if g.exists() and g not in documents]
    for path in documents:
        if ctx.document(path) is None and ctx.error(path) is not None:
            yield _finding(ctx, path)


def _finding(ctx: Context, path: Path) -> Finding:
    error = ctx.error(path)
    message = error.message if error else "does not parse"
    return Finding(PARSE.name, Level.ERROR, message, display_path(path), error and error.line)


def query_problem(ctx: Context, path: Path) -> tuple[str, int | None] | None:
    """`query_syntax`, once per run."""
    return ctx.memo(f"query-syntax:{path}", lambda: query_syntax(path))


def query_syntax(path: Path) -> tuple[str, int | None] | None:
    """A query file's syntax error and its line, or None when it parses."""
    try:
        query = queries.load_query_file(path)
    except queries.QueryError as err:
        return str(err), err.line
    try:
        ox.Store().query(query.text)
    except SyntaxError as err:
        error = sparql_errors.describe(err, query.text)
        at = "" if error.names_the_problem or error.column is None else f" at column {error.column}"
        return f"SPARQL syntax error{at}: {error.message}", error.line
    except (RuntimeError, OSError):
        return None  # it parses; running it is the query check's business
    return None
