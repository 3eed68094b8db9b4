"""The fast engine's rewrite of `rdf:type/rdfs:subClassOf* C` for classes without subclasses."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from cancergraph import engine_fast
from cancergraph.fastshacl import classes
from cancergraph.vocab import SH

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PREFIXES = {
    "ex": "http://example.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


def rewrite(query: str, with_subclasses: frozenset[str] = frozenset()) -> str:
    pairs = classes.substitutions(query, PREFIXES, lambda iri: iri in with_subclasses)
    return classes.apply(query, pairs)


def test_a_class_without_subclasses_becomes_a_plain_type_pattern() -> None:
    query = "SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* ex:C . $this ex:p ?v }"
    assert rewrite(query) == (
        f"SELECT $this WHERE {{ $this {RDF_TYPE} <http://example.org/C> . $this ex:p ?v }}"
    )


def test_the_a_keyword_and_full_iris_are_recognised() -> None:
    query = (
        "SELECT $this WHERE { $this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
        "<http://example.org/C> }"
    )
    assert rewrite(query) == f"SELECT $this WHERE {{ $this {RDF_TYPE} <http://example.org/C> }}"


def test_a_prefix_the_query_declares_wins_over_the_shapes() -> None:
    query = (
        "PREFIX ex: <http://other.org/> SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* ex:C }"
    )
    assert f"{RDF_TYPE} <http://other.org/C>" in rewrite(query)


@pytest.mark.parametrize(
    ("query", "with_subclasses"),
    [
        # C has subclasses: the walk is needed.
        (
            "SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* ex:C }",
            frozenset({"http://example.org/C"}),
        ),
        # An object list: the second object also belongs to the path.
        ("SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* ex:C , ex:D }", frozenset()),
        # Part of a longer path.
        ("SELECT $this WHERE { $this ex:p/rdf:type/rdfs:subClassOf* ex:C }", frozenset()),
        ("SELECT $this WHERE { $this rdf:type/rdfs:subClassOf*/ex:p ex:C }", frozenset()),
        # The class is a variable.
        ("SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* ?c }", frozenset()),
        # Another dataset than the one the subclasses were read from.
        (
            "SELECT $this WHERE { GRAPH ?g { $this rdf:type/rdfs:subClassOf* ex:C } }",
            frozenset(),
        ),
        # The same spelling also occurs where it is not a path (a string).
        (
            "SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* ex:C . "
            'FILTER (?x != "rdf:type/rdfs:subClassOf* ex:C") }',
            frozenset(),
        ),
        # An unknown prefix.
        ("SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* zz:C }", frozenset()),
    ],
)
def test_paths_that_cannot_be_rewritten_are_left_alone(
    query: str, with_subclasses: frozenset[str]
) -> None:
    assert rewrite(query, with_subclasses) == query


DATA = """
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Sub rdfs:subClassOf ex:C .
ex:a a ex:C .
ex:b a ex:Sub .
ex:c a ex:D , ex:E .
ex:D2 rdfs:subClassOf ex:D .
_:between rdfs:subClassOf ex:F .
ex:G rdfs:subClassOf _:between .
ex:d a ex:G .
"""


def shape(cls: str) -> Graph:
    text = f"""
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:shape a sh:NodeShape ;
    sh:targetNode ex:a , ex:b , ex:c , ex:d ;
    sh:sparql [
        sh:prefixes ex:prefixes ;
        sh:select \"\"\"SELECT $this ?value WHERE {{
            $this rdf:type/rdfs:subClassOf* {cls} .
            BIND ({cls} AS ?value)
        }}\"\"\" ] .
ex:prefixes sh:declare
    [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] ,
    [ sh:prefix "rdf" ; sh:namespace "http://www.w3.org/1999/02/22-rdf-syntax-ns#"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] ,
    [ sh:prefix "rdfs" ; sh:namespace "http://www.w3.org/2000/01/rdf-schema#"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .
"""  # noqa: E501
    return Graph().parse(data=text, format="turtle")


def focus_nodes(cls: str) -> set[str]:
    store = ox.Store()
    store.extend(ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE))
    report = engine_fast.run(store, shape(cls))
    return {str(node) for node in report.objects(None, SH.focusNode)}


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        # ex:C has a subclass, so ex:b (an ex:Sub) still counts.
        ("ex:C", {"http://example.org/a", "http://example.org/b"}),
        # ex:E has none: the rewritten query finds its one instance.
        ("ex:E", {"http://example.org/c"}),
        # ex:Sub has none either.
        ("ex:Sub", {"http://example.org/b"}),
        # ex:D has a subclass that nothing is typed with.
        ("ex:D", {"http://example.org/c"}),
        # ex:d is an ex:F through a blank class between them.
        ("ex:F", {"http://example.org/d"}),
    ],
)
def test_the_engine_finds_the_same_instances_either_way(cls: str, expected: set[str]) -> None:
    assert focus_nodes(cls) == expected


def test_the_engine_sends_the_rewritten_query_only_where_it_may(sent: list[str]) -> None:
    focus_nodes("ex:E")
    assert any(f"{RDF_TYPE} <http://example.org/E>" in text for text in sent)
    sent.clear()
    focus_nodes("ex:C")
    assert not any(f"{RDF_TYPE} <http://example.org/C>" in text for text in sent)
    assert any("rdf:type/rdfs:subClassOf* ex:C" in text for text in sent)


@pytest.mark.parametrize(("cls", "rewritten"), [("ex:D", True), ("ex:F", False)])
def test_only_subclasses_with_instances_keep_the_walk(
    sent: list[str], cls: str, rewritten: bool
) -> None:
    focus_nodes(cls)
    iri = f"<http://example.org/{cls[3:]}>"
    assert any(f"{RDF_TYPE} {iri}" in text for text in sent) == rewritten
