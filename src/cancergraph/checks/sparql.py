"""Every query of the library parses and runs on every example with its parameters'
defaults, and on one example with their example values, so that a query that breaks
on real data is caught; and it answers the same on an example said another way that
the ontology makes no difference to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from cancergraph import queries, resources, store
from cancergraph.checks import restated, specification, validating
from cancergraph.checks.findings import Check, Finding, Level, display_path
from cancergraph.checks.parsing import query_problem
from cancergraph.checks.workspace import Context
from cancergraph.errors import UserError
from cancergraph.render.turtle_report import as_graph

GROUP = "queries"
REPORT_GRAPH = "urn:cancergraph:check:report"
QUERY = Check(
    "query",
    "Every query runs on the examples",
    "Each query file has a well-formed header whose `relates` names rule ids of "
    "recommendations.yaml (of the shapes without it), parses, and runs without error on "
    "each example setup with its parameters' defaults, and on the first example with the "
    "parameters' example values.",
    GROUP,
    "Fix the query or its header (# param: NAME TYPE [default=V] [example=V] -- text; "
    "# relates: RULE-ID, ...).",
    level=Level.ERROR,
)
EMPTY = Check(
    "query-empty",
    "Every query answers something on the examples",
    "Each SELECT, CONSTRUCT or DESCRIBE query returns at least one row or triple on some "
    "example (with its parameters' defaults or example values), or, for a query over "
    "validation reports, on some example together with its report. A query that answers "
    "nothing anywhere most likely misspells a term or joins on the wrong variable.",
    GROUP,
    "Check the query's terms and joins, or add an example it answers.",
    level=Level.WARN,
)
EITHER_WAY = Check(
    "query-either-way",
    "Every query reads a setup however the ontology lets it be stated",
    "Each query answers the same on each example (with its parameters' defaults and "
    "example values; a query over validation reports, with the example's report) when "
    "the example states a relation of two properties the ontology declares inverse of "
    "each other from the other end (org:unitOf as org:hasUnit, org:heldBy as org:holds), "
    "or leaves out a type the ontology entails from a class's definition by a value (a "
    "single clinical network covering cancer is a cancer network). Validation states "
    "these before the rules judge a setup; a query reads the setup as stored.",
    GROUP,
    "Read both ends of the relation, or the class's definition as well as its name.",
    level=Level.ERROR,
)
CHECKS = (QUERY, EMPTY, EITHER_WAY)


def active(ctx: Context) -> tuple[Check, ...]:
    return CHECKS if ctx.workspace.queries else ()


def blocked(ctx: Context) -> dict[str, str]:
    """query-empty also runs the queries over the examples' validation reports, which
    cannot be made when the project's ontology or shapes cannot be read or run;
    query-either-way reads the ontology's inverse properties and definitions."""
    found = {}
    reason = validating.cannot_validate(ctx)
    if reason:
        found[EMPTY.name] = reason
    unread = ctx.unparsable(ctx.ontology_files())
    if unread:
        found[EITHER_WAY.name] = unread
    return found


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
        yield from _relates(ctx, query, path)
        runs: list[tuple[Path | None, ox.Store, dict[str, str]]] = [(p, s, {}) for p, s in stores]
        examples = {p.name: p.example for p in query.parameters if p.example is not None}
        if examples:
            runs.append((*stores[0], examples))
        reported: set[str] = set()
        answers = 0
        for example, data, params in runs:
            try:
                answers += _consume(queries.run(data, query, params))
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
                    _line(query, err),
                )
        silent = (
            EMPTY.name not in ctx.blocked
            and not answers
            and not reported
            and query.form != "ASK"
            and _examples(stores)
        )
        if silent and not _answers_with_reports(ctx, query, stores):
            yield Finding(
                EMPTY.name,
                Level.WARN,
                "the query answers nothing on any example, nor on any example with its "
                "validation report",
                display_path(path),
                query.start_line,
            )
        if EITHER_WAY.name not in ctx.blocked and not reported:
            yield from _either_way(ctx, query, path, stores, with_reports=not answers)


def _relates(ctx: Context, query: queries.NamedQuery, path: Path) -> Iterator[Finding]:
    """The header's `relates` names rule ids there are: a misspelt one links the query
    to no rule, or to the wrong one."""
    known = specification.rule_ids(ctx)
    if known is None:
        return
    ids, listed = known
    for rule_id, line in queries.related(query.header):
        if rule_id not in ids:
            yield Finding(
                QUERY.name,
                Level.ERROR,
                f"the header relates to {rule_id}, which is not a rule id of {listed}",
                display_path(path),
                line,
            )


def _line(query: queries.NamedQuery, err: queries.QueryError) -> int | None:
    """The line of the header entry at fault: the parameter's declaration, else the line
    the error names, else the query's own line."""
    declared = next((p.line for p in query.parameters if p.name == err.parameter), None)
    return declared or err.line or query.start_line


def _examples(stores: list[tuple[Path | None, ox.Store]]) -> bool:
    return any(path is not None for path, _ in stores)


def _answers_with_reports(
    ctx: Context, query: queries.NamedQuery, stores: list[tuple[Path | None, ox.Store]]
) -> bool:
    """Whether the query answers on some example once its validation report is added, as
    queries over stored reports are meant to run."""
    for path, data in stores:
        if path is None:
            continue
        report = _report_graph(ctx, path)
        if report is None:
            continue
        both = store.copy(data)
        store.add_graph(both, report, REPORT_GRAPH)
        try:
            if _consume(queries.run(both, query, {})):
                return True
        except queries.QueryError:
            continue
    return False


def _either_way(
    ctx: Context,
    query: queries.NamedQuery,
    path: Path,
    stores: list[tuple[Path | None, ox.Store]],
    with_reports: bool,
) -> Iterator[Finding]:
    """The query's answers on each example and on each restatement of it, compared; one
    finding for each way of restating that changes an answer, naming the first example."""
    if with_reports and validating.cannot_validate(ctx) is not None:
        return  # the reports cannot be made; query-empty says why
    examples = {p.name: p.example for p in query.parameters if p.example is not None}
    params_sets = [{}, examples] if examples else [{}]
    told: set[str] = set()
    for example, data in stores:
        if example is None:
            continue
        pending = [r for r in _restatements(ctx, example, data) if r.how not in told]
        if not pending:
            continue
        report = _report_graph(ctx, example) if with_reports else None
        if with_reports and report is None:
            continue
        for params in params_sets:
            try:
                expected = _answer(queries.run(_with(data, report), query, params))
                for restatement in pending:
                    if restatement.how in told:
                        continue
                    answer = _answer(queries.run(_with(restatement.data, report), query, params))
                    if answer != expected:
                        told.add(restatement.how)
                        yield Finding(
                            EITHER_WAY.name,
                            Level.ERROR,
                            f"the query answers differently when {display_path(example)} "
                            f"{restatement.how}; {restatement.remedy}",
                            display_path(path),
                            query.start_line,
                        )
            except queries.QueryError:
                break  # reported by the query check


def _with(data: ox.Store, report: Graph | None) -> ox.Store:
    """The example, with its validation report beside it when the query reads reports."""
    if report is None:
        return data
    both = store.copy(data)
    store.add_graph(both, report, REPORT_GRAPH)
    return both


def _restatements(ctx: Context, example: Path, data: ox.Store) -> list[restated.Restatement]:
    def ontology() -> ox.Store:
        found = ox.Store()
        store.add_graph(found, ctx.ontology())
        return found

    def build() -> list[restated.Restatement]:
        return list(restated.restatements(data, ctx.memo("ontology-store", ontology)))

    return ctx.memo(f"restatements:{example}", build)


def _report_graph(ctx: Context, example: Path) -> Graph | None:
    """The example's validation report as a graph, made once for query-empty and
    query-either-way; None when the example cannot be validated."""

    def build() -> Graph | None:
        try:
            return as_graph(ctx.example_report(example))
        except UserError:
            return None

    return ctx.memo(f"report-graph:{example}", build)


def _answer(result: object) -> object:
    """A query's answer in a form to compare: rows or triples as a sorted list of their
    terms' N-Triples text, blank nodes all alike (their labels are arbitrary)."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)

    def text(term: object) -> str:
        return "_:" if isinstance(term, ox.BlankNode) else str(term)

    if isinstance(result, ox.QuerySolutions):
        return sorted(tuple(text(term) for term in solution) for solution in result)
    if isinstance(result, ox.QueryTriples):
        return sorted((text(t.subject), text(t.predicate), text(t.object)) for t in result)
    return None


def _consume(result: object) -> int:
    """Evaluation is lazy: read every solution so that errors surface here; the count of
    solutions or triples (1 for a true ASK)."""
    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    if isinstance(result, (ox.QuerySolutions, ox.QueryTriples)):
        return sum(1 for _ in result)
    return 0
