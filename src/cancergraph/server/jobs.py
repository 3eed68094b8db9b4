"""What a worker process does with a job: run it against a read-only snapshot."""

from __future__ import annotations

from functools import lru_cache
from itertools import islice

import pyoxigraph as ox

from cancergraph import formats, queries, store, validation
from cancergraph.render import html_report, json_report, query_results, turtle_report
from cancergraph.report import Severity
from cancergraph.server.workers import QueryJob, ValidateJob

REPORT_RENDERERS = {
    "json": json_report.render,
    "turtle": turtle_report.render,
    "html": html_report.render,
}


@lru_cache(maxsize=2)
def open_snapshot(path: str) -> ox.Store:
    return ox.Store.read_only(path)


def run(job: object) -> object:
    if isinstance(job, QueryJob):
        return run_query(job)
    if isinstance(job, ValidateJob):
        return run_validation(job)
    raise TypeError(f"unknown job {job!r}")


# Stores up to this size get the merged default graph; copying one took 0.6 to 1 s per
# 100,000 quads, inside the first query's time limit, so a larger store reads the plain
# union (README) rather than risk every worker's first query running out of time.
MERGE_LIMIT = 200_000


@lru_cache(maxsize=1)
def merged_snapshot(path: str) -> tuple[ox.Store, tuple[ox.NamedNode | ox.BlankNode, ...]] | None:
    """The snapshot with every graph also merged into the default graph, and its named graphs.

    A query that names no graphs reads the union of all graphs, which must hold a triple
    stated in two graphs once (see store.add_to_default). The merge is made in memory
    once per snapshot and worker (a store changes only on writes) and read as the
    default graph, the named graphs as they are.
    """
    source = open_snapshot(path)
    quads = list(islice(source.quads_for_pattern(None, None, None, None), MERGE_LIMIT + 1))
    if len(quads) > MERGE_LIMIT:
        return None
    merged = ox.Store()
    merged.extend(quads)
    store.add_to_default(merged, quads)
    return merged, tuple(source.named_graphs())


def protocol_merge(
    path: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]
) -> tuple[ox.Store, list[ox.NamedNode]]:
    """The graphs a request names, in a store of their own whose default graph is the merge
    of its default-graph-uris (for the reason merged_snapshot gives), made per request
    from those graphs alone."""
    source = open_snapshot(path)
    merged = ox.Store()
    for name in default_graphs:
        store.add_to_default(merged, source.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    named = [ox.NamedNode(name) for name in named_graphs]
    for graph in named:
        merged.extend(source.quads_for_pattern(None, None, None, graph))
    return merged, named


def run_query(job: QueryJob) -> bytes:
    query = queries.NamedQuery(name=job.name, text=job.text, parameters=job.declared)
    if len(job.default_graphs) > 1:
        merged, named = protocol_merge(job.snapshot, job.default_graphs, job.named_graphs)
        result = queries.run(
            merged, query, job.params, default_graph=[ox.DefaultGraph()], named_graphs=named
        )
    elif job.default_graphs or job.named_graphs:
        result = queries.run(
            open_snapshot(job.snapshot),
            query,
            job.params,
            default_graph=[ox.NamedNode(g) for g in job.default_graphs],
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs],
        )
    elif queries.declares_dataset(job.text):
        result = queries.run(open_snapshot(job.snapshot), query, job.params)
    elif (found := merged_snapshot(job.snapshot)) is not None:
        merged, named = found
        result = queries.run(
            merged, query, job.params, default_graph=[ox.DefaultGraph()], named_graphs=list(named)
        )
    else:
        result = queries.run(open_snapshot(job.snapshot), query, job.params)
    return query_results.serialize(result, job.result_format, width=200)


def run_validation(job: ValidateJob) -> tuple[bytes, bool, bool]:
    """The rendered report, whether it conforms, and whether it fails at the fail level."""
    data = ox.Store()
    name = job.data_name
    if job.data is not None:
        fmt = formats.by_name(job.data_format or "turtle")
        store.load([store.Source(name=name, data=job.data, format=fmt)], data)
    else:
        assert job.snapshot is not None and job.graph is not None
        snapshot = open_snapshot(job.snapshot)
        graph = ox.NamedNode(job.graph)
        data.extend(
            ox.Quad(q.subject, q.predicate, q.object)
            for q in snapshot.quads_for_pattern(None, None, None, graph)
        )
        name = job.graph
    options = {"engine": job.engine} if job.engine else {}
    report = validation.validate(
        data,
        profiles=list(job.profiles) or None,
        as_of=job.as_of,
        sources=[name],
        owned=True,
        **options,
    )
    threshold = None if job.fail_on == "none" else Severity.parse(job.fail_on)
    rendered = REPORT_RENDERERS[job.report_format](report).encode("utf-8")
    return rendered, report.conforms, report.fails(threshold)
