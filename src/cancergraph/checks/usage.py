"""Where the project's own terms are used: in shapes (SPARQL text included), queries,
examples and the ontology itself. The term and deprecation checks share this."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from cancergraph.checks.locate import PREFIX_DECL, strip_comments
from cancergraph.checks.parsing import query_problem
from cancergraph.checks.workspace import Context
from cancergraph.vocab import CG, SH

NAMESPACE = str(CG)
PREFIXED = re.compile(r"(?<![\w.:$?-])([A-Za-z][\w.-]*)?:([A-Za-z0-9_](?:[\w.-]*[\w-])?)")
FULL_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
SPARQL_TEXT = (SH.select, SH.ask, SH.construct, SH.update)


@dataclass(frozen=True)
class Use:
    kind: str
    path: Path
    term: str


def own(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(NAMESPACE) and str(term) != NAMESPACE


def graph_terms(graph: Graph) -> set[str]:
    """Own IRIs in any position, and own datatypes of literals."""
    found: set[str] = set()
    for triple in graph:
        for term in triple:
            if own(term):
                found.add(str(term))
            elif isinstance(term, Literal) and own(term.datatype):
                found.add(str(term.datatype))
    return found


def sparql_terms(text: str, prefixes: dict[str, str]) -> set[str]:
    """Own IRIs a SPARQL text mentions, as full IRIs or prefixed names."""
    declared = dict(prefixes)
    declared.update((m.group(1) or "", m.group(2)) for m in PREFIX_DECL.finditer(text))
    found: set[str] = set()
    for line in strip_comments(text):
        bare = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', line)
        found.update(m.group(1) for m in FULL_IRI.finditer(bare))
        without_iris = FULL_IRI.sub(" ", bare)
        for match in PREFIXED.finditer(without_iris):
            namespace = declared.get(match.group(1) or "")
            if namespace is not None:
                found.add(namespace + match.group(2))
    return {term for term in found if term.startswith(NAMESPACE) and term != NAMESPACE}


def shape_prefixes(graph: Graph) -> dict[str, str]:
    """Every prefix a shapes graph declares for its SPARQL (sh:declare)."""
    return {
        str(graph.value(decl, SH.prefix)): str(graph.value(decl, SH.namespace))
        for decl in graph.objects(None, SH.declare)
        if graph.value(decl, SH.prefix) is not None
    }


def uses(ctx: Context) -> list[Use]:
    """Every use of an own term, once per file, in file order."""
    return ctx.memo("uses", lambda: list(_collect(ctx)))


def _collect(ctx: Context) -> Iterable[Use]:
    ws = ctx.workspace
    for kind, paths in (
        ("ontology", ws.ontology),
        ("shapes", ws.shapes),
        ("examples", ws.examples),
    ):
        for path in paths:
            graph = ctx.graph(path)
            if graph is None:
                continue
            terms = graph_terms(graph)
            if kind == "shapes":
                prefixes = shape_prefixes(graph)
                for predicate in SPARQL_TEXT:
                    for text in graph.objects(None, predicate):
                        terms |= sparql_terms(str(text), prefixes)
            yield from (Use(kind, path, term) for term in sorted(terms))
    for path in ws.queries:
        text = ctx.text(path)
        if text is not None and query_problem(ctx, path) is None:
            yield from (Use("queries", path, t) for t in sorted(sparql_terms(text, {})))
