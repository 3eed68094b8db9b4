"""What a worker process does with a job: run it against a read-only snapshot."""

from __future__ import annotations

from functools import lru_cache

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


def run_query(job: QueryJob) -> bytes:
    snapshot = open_snapshot(job.snapshot)
    query = queries.NamedQuery(name=job.name, text=job.text, parameters=job.declared)
    protocol = bool(job.default_graphs or job.named_graphs)
    result = queries.run(
        snapshot,
        query,
        job.params,
        default_graph=[ox.NamedNode(g) for g in job.default_graphs] if protocol else None,
        named_graphs=[ox.NamedNode(g) for g in job.named_graphs] if protocol else None,
    )
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
