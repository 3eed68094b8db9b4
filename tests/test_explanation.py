"""Finding the axioms behind an inconsistency, with a stand-in for the reasoner.

HermiT itself is exercised by the reasoning checks (test_check.py); here the
search is tested on its own: a graph is "inconsistent" exactly when it holds
every triple of a chosen conflict.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from cancergraph.checks.findings import compact
from cancergraph.explanation import PROBE, axioms, justification
from cancergraph.vocab import CG, OWL, RDF, RDFS, XSD


def ontology(classes: int = 40) -> Graph:
    graph = Graph()
    for i in range(classes):
        graph.add((CG[f"C{i}"], RDF.type, OWL.Class))
        graph.add((CG[f"C{i}"], RDFS.label, Literal(f"class {i}")))
        graph.add((CG[f"C{i}"], RDFS.subClassOf, CG[f"C{i // 2}"]))
    return graph


class Reasoner:
    """Inconsistent exactly when every triple of `conflict` is present; counts its runs."""

    def __init__(self, conflict: set[tuple]) -> None:
        self.conflict = conflict
        self.runs = 0

    def consistent(self, graph: Graph) -> bool:
        self.runs += 1
        return not all(triple in graph for triple in self.conflict)


def triples(found: list) -> set[tuple]:
    return {t for axiom in found for t in axiom.triples}


def test_the_conflicting_axioms_and_nothing_else_are_found() -> None:
    graph = ontology()
    conflict = {
        (CG.Both, RDF.type, CG.C7),
        (CG.Both, RDF.type, CG.C30),
        (CG.C7, OWL.disjointWith, CG.C30),
    }
    for triple in conflict:
        graph.add(triple)
    reasoner = Reasoner(conflict)
    found = justification(graph, reasoner.consistent)
    assert found is not None
    assert triples(found) == conflict
    assert reasoner.runs < 40  # far fewer than one run per axiom (83 of them)


def test_a_conflict_through_a_blank_node_keeps_the_blank_node_whole() -> None:
    graph = ontology(6)
    members = BNode()
    disjoint = BNode()
    graph.add((disjoint, RDF.type, OWL.AllDisjointClasses))
    graph.add((disjoint, OWL.members, members))
    Collection(graph, members, [CG.C3, CG.C5])
    graph.add((CG.Both, RDF.type, CG.C3))
    graph.add((CG.Both, RDF.type, CG.C5))
    whole = {t for t in graph if isinstance(t[0], BNode)}
    reasoner = Reasoner(whole | {(CG.Both, RDF.type, CG.C3), (CG.Both, RDF.type, CG.C5)})
    found = justification(graph, reasoner.consistent)
    assert found is not None
    texts = sorted(axiom.text(compact) for axiom in found)
    assert texts == [
        "[ a owl:AllDisjointClasses ; owl:members ( cg:C3 cg:C5 ) ]",
        "cg:Both a cg:C3",
        "cg:Both a cg:C5",
    ]


def test_an_unsatisfiable_class_is_explained_with_a_probe_individual() -> None:
    graph = ontology(8)
    graph.add((CG.C6, OWL.disjointWith, CG.C1))
    # C6 is a subclass of C3, C3 of C1: a member of C6 would be in two disjoint classes
    conflict = {
        (PROBE, RDF.type, CG.C6),
        (CG.C6, RDFS.subClassOf, CG.C3),
        (CG.C3, RDFS.subClassOf, CG.C1),
        (CG.C6, OWL.disjointWith, CG.C1),
    }
    reasoner = Reasoner(conflict)
    found = justification(graph, reasoner.consistent, CG.C6)
    assert found is not None
    assert triples(found) == conflict - {(PROBE, RDF.type, CG.C6)}


def test_declarations_and_annotations_are_never_part_of_an_explanation() -> None:
    graph = ontology(3)
    kept, found = axioms(graph)
    assert (CG.C1, RDF.type, OWL.Class) in kept
    assert (CG.C1, RDFS.label, Literal("class 1")) in kept
    assert triples(found) == {(CG[f"C{i}"], RDFS.subClassOf, CG[f"C{i // 2}"]) for i in range(3)}


def test_an_axiom_is_written_as_turtle() -> None:
    graph = Graph()
    restriction = BNode()
    graph.add((CG.Network, RDFS.subClassOf, restriction))
    graph.add((restriction, RDF.type, OWL.Restriction))
    graph.add((restriction, OWL.onProperty, CG.hostedBy))
    graph.add((restriction, OWL.maxCardinality, Literal(1)))
    graph.add((CG.era, CG.eraStart, Literal("2013-04-01", datatype=XSD.date)))
    assert sorted(axiom.text(compact) for axiom in axioms(graph)[1]) == [
        "cg:Network rdfs:subClassOf [ a owl:Restriction ; owl:maxCardinality 1 ; "
        "owl:onProperty cg:hostedBy ]",
        'cg:era cg:eraStart "2013-04-01"^^xsd:date',
    ]


def test_the_search_gives_up_past_its_runs() -> None:
    graph = ontology()
    conflict = {(CG.C3, OWL.disjointWith, CG.C39), (CG.C39, RDFS.subClassOf, CG.C19)}
    graph.add((CG.C3, OWL.disjointWith, CG.C39))
    assert justification(graph, Reasoner(conflict).consistent, runs=2) is None


def test_nothing_is_found_when_the_whole_is_consistent() -> None:
    reasoner = Reasoner({(URIRef("urn:not"), RDF.type, CG.Absent)})
    assert justification(ontology(), reasoner.consistent) is None
