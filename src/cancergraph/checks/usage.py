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
    return isinstance(term, URIRef) and in_namespaces(str(term), (NAMESPACE,))


def in_namespaces(term: str, namespaces: tuple[str, ...]) -> bool:
    return any(term.startswith(ns) and term != ns for ns in namespaces)


def graph_terms(graph: Graph, namespaces: tuple[str, ...] = (NAMESPACE,)) -> set[str]:
    """IRIs of the namespaces in any position, and such datatypes of literals."""
    found: set[str] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and in_namespaces(str(term), namespaces):
                found.add(str(term))
            elif isinstance(term, Literal) and in_namespaces(str(term.datatype), namespaces):
                found.add(str(term.datatype))
    return found


def sparql_terms(
    text: str, prefixes: dict[str, str], namespaces: tuple[str, ...] = (NAMESPACE,)
) -> set[str]:
    """IRIs of the namespaces a SPARQL text mentions, as full IRIs or prefixed names."""
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
    return {term for term in found if in_namespaces(term, namespaces)}


def shape_prefixes(graph: Graph) -> dict[str, str]:
    """Every prefix a shapes graph declares for its SPARQL (sh:declare)."""
    return {
        str(graph.value(decl, SH.prefix)): str(graph.value(decl, SH.namespace))
        for decl in graph.objects(None, SH.declare)
        if graph.value(decl, SH.prefix) is not None
    }


def uses(ctx: Context) -> list[Use]:
    """Every use of an own term, once per file, in file order."""
    return ctx.memo("uses", lambda: list(_collect(ctx, (NAMESPACE,), with_ontology=True)))


def reused_uses(ctx: Context, namespaces: tuple[str, ...]) -> list[Use]:
    """Every use, outside the ontology, of a term of namespaces the ontology reuses."""
    return list(_collect(ctx, namespaces, with_ontology=False))


def standard_uses(ctx: Context, namespaces: tuple[str, ...]) -> list[Use]:
    """Every use, the ontology's included, of a term of the W3C vocabularies the files
    are written in."""
    return list(_collect(ctx, namespaces, with_ontology=True))


def _collect(ctx: Context, namespaces: tuple[str, ...], with_ontology: bool) -> Iterable[Use]:
    ws = ctx.workspace
    for kind, paths in (
        ("ontology", ws.ontology if with_ontology else ()),
        ("shapes", ws.shapes),
        ("examples", ws.examples),
    ):
        for path in paths:
            graph = ctx.graph(path)
            if graph is None:
                continue
            terms = graph_terms(graph, namespaces)
            if kind == "shapes":
                prefixes = shape_prefixes(graph)
                for predicate in SPARQL_TEXT:
                    for text in graph.objects(None, predicate):
                        terms |= sparql_terms(str(text), prefixes, namespaces)
            yield from (Use(kind, path, term) for term in sorted(terms))
    for path in ws.queries:
        text = ctx.text(path)
        if text is not None and query_problem(ctx, path) is None:
            found = sparql_terms(text, {}, namespaces)
            yield from (Use("queries", path, t) for t in sorted(found))
