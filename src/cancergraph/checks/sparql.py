"""Every query of the library parses and runs on every example with its parameters'
defaults, and on one example with their example values, so that a query that breaks
on real data is caught."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from cancergraph import queries, resources
from cancergraph.checks.findings import Check, Finding, Level, display_path
from cancergraph.checks.parsing import query_problem
from cancergraph.checks.workspace import Context

GROUP = "queries"
QUERY = Check(
    "query",
    "Every query runs on the examples",
    "Each query file has a well-formed header, parses, and runs without error on each "
    "example setup with its parameters' defaults, and on the first example with the "
    "parameters' example values.",
    GROUP,
    "Fix the query or its header (# param: NAME TYPE [default=V] [example=V] -- text).",
)
CHECKS = (QUERY,)


def active(ctx: Context) -> tuple[Check, ...]:
    return CHECKS if ctx.workspace.queries else ()


def example_stores(ctx: Context) -> list[tuple[Path, ox.Store]]:
    """One store per example: the checked ones, else the project's."""

    def build() -> list[tuple[Path, ox.Store]]:
        paths = list(ctx.workspace.examples) or sorted(resources.examples_dir().rglob("*.ttl"))
        found = []
        for path in paths:
            quads = ctx.quads(path)
            if quads is not None:
                data = ox.Store()
                data.extend(quads)
                found.append((path, data))
        return found

    return ctx.memo("example-stores", build)


def run(ctx: Context) -> Iterator[Finding]:
    stores: list[tuple[Path | None, ox.Store]] = [*example_stores(ctx)] or [(None, ox.Store())]
    for path in ctx.workspace.queries:
        if query_problem(ctx, path) is not None:
            continue  # reported by the parse check
        query = queries.load_query_file(path)
        runs: list[tuple[Path | None, ox.Store, dict[str, str]]] = [(p, s, {}) for p, s in stores]
        examples = {p.name: p.example for p in query.parameters if p.example is not None}
        if examples:
            runs.append((*stores[0], examples))
        reported: set[str] = set()
        for example, data, params in runs:
            try:
                _consume(queries.run(data, query, params))
            except queries.QueryError as err:
                if str(err) in reported:
                    continue
                reported.add(str(err))
                on = f" on {display_path(example)}" if example is not None else ""
                values = " with the parameters' example values" if params else ""
                yield Finding(
                    QUERY.name,
                    Level.ERROR,
                    f"the query fails{on}{values}: {err}",
                    display_path(path),
                )


def _consume(result: object) -> None:
    """Evaluation is lazy: read every solution so that errors surface here."""
    if isinstance(result, ox.QueryBoolean):
        bool(result)
    elif isinstance(result, (ox.QuerySolutions, ox.QueryTriples)):
        for _ in result:
            pass
