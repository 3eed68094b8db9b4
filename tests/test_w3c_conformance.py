"""The W3C SHACL test suite (core and SPARQL) run against the fast engine.

Compliance as ../shared/conformance/README.md defines it: the report produced is
isomorphic to the expected one after keeping only the report vocabulary listed
there (sh:resultMessage only where the expected report has one), with results
as blank nodes; tests that expect `sht:Failure` pass when the engine refuses
the shapes.

Data graphs and manifests are read through a pyoxigraph store, the engine's
input. The store normalises typed literals on load ("4.0"^^xsd:decimal is held
as "4", derived integer types as xsd:integer: oxigraph issue #526), so the
expected reports are read the same way and literals are compared as the store
holds them; five tests depend on that (minExclusive-001, maxExclusive-001,
datatype-001, datatype-ill-formed, or-datatypes-001). A shapes graph in a file
of its own is read with its literals as written, so that "1"^^xsd:boolean is
not taken for true (uniqueLang-002).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH
from rdflib.term import Node

from cancergraph import engine_fast, store
from cancergraph.fastshacl import terms
from cancergraph.fastshacl.errors import ShapesError
from conftest import SHARED

SUITE = SHARED / "conformance" / "shacl-w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
KEPT = {
    RDF.type,
    SH.result,
    SH.conforms,
    SH.focusNode,
    SH.resultPath,
    SH.resultSeverity,
    SH.sourceConstraint,
    SH.sourceConstraintComponent,
    SH.sourceShape,
    SH.value,
}


@dataclass(frozen=True)
class W3CTest:
    name: str
    manifest: Path
    node: URIRef
    data: Path
    shapes: Path


def _path(iri: Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


def _store(path: Path) -> ox.Store:
    loaded = ox.Store()
    loaded.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))
    return loaded


def _graph(path: Path) -> Graph:
    return store.to_rdflib(_store(path))


def _term(term: object) -> Node:
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value != XSD_STRING:
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    return terms.to_rdflib(term)


def _shapes(path: Path) -> Graph:
    """A shapes file on its own, its literals exactly as written ("1"^^xsd:boolean is not true)."""
    graph = Graph()
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()):
        graph.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return graph


def _collect(manifest: Path, found: list[W3CTest]) -> None:
    graph = _graph(manifest)
    here = URIRef(manifest.as_uri())
    for include in graph.objects(here, MF.include):
        _collect(_path(include), found)
    for entries in graph.objects(here, MF.entries):
        for test in graph.items(entries):
            if (test, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(test, MF.action)
            folder = manifest.relative_to(SUITE).with_suffix("")
            found.append(
                W3CTest(
                    name=f"{folder}:{str(test).rsplit('/', 1)[-1]}",
                    manifest=manifest,
                    node=URIRef(test),
                    data=_path(graph.value(action, SHT.dataGraph)),
                    shapes=_path(graph.value(action, SHT.shapesGraph)),
                )
            )


def collect() -> list[W3CTest]:
    found: list[W3CTest] = []
    _collect(SUITE / "manifest.ttl", found)
    return found


TESTS = collect()


def _report(graph: Graph, report: Node) -> Graph:
    """The expected report: the report node and its results (not the data they point at)."""
    out = Graph()
    for predicate, obj in graph.predicate_objects(report):
        out.add((report, predicate, obj))
    for result in graph.objects(report, SH.result):
        for predicate, obj in graph.predicate_objects(result):
            out.add((result, predicate, obj))
    return out


def _kept(graph: Graph, messages: bool) -> Graph:
    keep = KEPT | {SH.resultMessage} if messages else KEPT
    out = Graph()
    for triple in graph:
        if triple[1] in keep:
            out.add(triple)
    return out


def run(test: W3CTest) -> tuple[Graph, Graph | None]:
    """(the report produced, the report expected or None when a failure is expected)."""
    manifest = _graph(test.manifest)
    expected_node = manifest.value(test.node, MF.result)
    data = _store(test.data)
    shapes = store.to_rdflib(data) if test.shapes == test.data else _shapes(test.shapes)
    if expected_node == SHT.Failure:
        with pytest.raises(ShapesError):
            engine_fast.run(data, shapes)
        return Graph(), None
    produced = engine_fast.run(data, shapes)
    expected = _report(manifest, expected_node)
    return produced, expected


def test_the_suite_has_every_test() -> None:
    assert len([t for t in TESTS if t.name.startswith("core/")]) == 98
    assert len([t for t in TESTS if t.name.startswith("sparql/")]) == 22


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c(test: W3CTest) -> None:
    produced, expected = run(test)
    if expected is None:
        return
    messages = (None, SH.resultMessage, None) in expected
    want = _kept(expected, messages)
    got = _kept(produced, messages)
    assert isomorphic(want, got), (
        f"expected:\n{want.serialize(format='turtle')}\nproduced:\n{got.serialize(format='turtle')}"
    )
