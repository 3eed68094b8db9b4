"""Finding the axioms behind an inconsistency, with a stand-in for the reasoner.

HermiT itself is exercised by the reasoning checks (test_check.py); here the
search is tested on its own: a graph is "inconsistent" exactly when it holds
every triple of a chosen conflict.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from cancergraph.checks.findings import compact
from cancergraph.explanation import PROBE, Budget, Clashes, axioms, justification
from cancergraph.reasoning import Classification
from cancergraph.vocab import CG, OWL, RDF, RDFS, SKOS, XSD


def ontology(classes: int = 40) -> Graph:
    graph = Graph()
    for i in range(classes):
        graph.add((CG[f"C{i}"], RDF.type, OWL.Class))
        graph.add((CG[f"C{i}"], RDFS.label, Literal(f"class {i}")))
        graph.add((CG[f"C{i}"], RDFS.subClassOf, CG[f"C{i // 2}"]))
    return graph


class Reasoner:
    """Inconsistent exactly when every triple of one of the `conflicts` is present; a
    class of `unsatisfiable` is so when every triple given for it is present. Counts
    its runs."""

    def __init__(
        self, *conflicts: set[tuple], unsatisfiable: dict[URIRef, set[tuple]] | None = None
    ) -> None:
        self.conflicts = conflicts
        self.unsatisfiable = unsatisfiable or {}
        self.runs = 0

    def consistent(self, graph: Graph) -> bool:
        return self.classify(graph).consistent

    def classify(self, graph: Graph) -> Classification:
        self.runs += 1
        if any(all(triple in graph for triple in conflict) for conflict in self.conflicts):
            return Classification(consistent=False)
        return Classification(
            consistent=True,
            unsatisfiable=sorted(
                str(cls)
                for cls, needed in self.unsatisfiable.items()
                if all(triple in graph for triple in needed)
            ),
        )


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
    found = justification(graph, reasoner)
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
    found = justification(graph, reasoner)
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
    found = justification(graph, reasoner, CG.C6)
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
    assert justification(graph, Reasoner(conflict), runs=2) is None


def test_nothing_is_found_when_the_whole_is_consistent() -> None:
    reasoner = Reasoner({(URIRef("urn:not"), RDF.type, CG.Absent)})
    assert justification(ontology(), reasoner) is None


SETUP = """
@prefix cg: <https://w3id.org/cancergraph/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
skos:topConceptOf rdfs:subPropertyOf skos:inScheme ; owl:inverseOf skos:hasTopConcept .
skos:hasTopConcept rdfs:domain skos:ConceptScheme ; rdfs:range skos:Concept .
cg:isAccountableTo owl:propertyChainAxiom
    ( [ owl:inverseOf cg:accountableParty ] cg:accountableTo ) .
cg:Network rdfs:subClassOf
    [ a owl:Restriction ; owl:onProperty cg:hostedBy ; owl:maxCardinality 1 ] .
cg:Document rdfs:subClassOf prov:Entity .
cg:NetworkPlan rdfs:subClassOf cg:Document .
cg:ProgressReport rdfs:subClassOf cg:Document .
[] a owl:AllDisjointClasses ;
    owl:members ( cg:NetworkPlan cg:WorkforceStrategy cg:ProgressReport cg:ExpenditureReport ) .
cg:SourceDocument rdfs:subClassOf prov:Entity , cg:NetworkPlan , cg:ProgressReport .
cg:nao2004 a cg:SourceDocument , owl:NamedIndividual .
"""


def with_concepts(turtle: str, schemes: int = 8, concepts: int = 6) -> Graph:
    """The setup with the concept schemes an ontology's individuals are mostly in."""
    graph = Graph().parse(data=turtle, format="turtle")
    for k in range(schemes):
        scheme, kind = CG[f"Scheme{k}"], CG[f"Kind{k}"]
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        graph.add((kind, RDF.type, OWL.Class))
        graph.add((kind, RDFS.subClassOf, SKOS.Concept))
        for j in range(concepts):
            concept = CG[f"Concept{k}x{j}"]
            graph.add((concept, RDF.type, kind))
            graph.add((concept, RDF.type, OWL.NamedIndividual))
            graph.add((concept, SKOS.topConceptOf, scheme))
    return graph


def test_an_individual_of_a_class_made_unsatisfiable_is_explained_in_few_runs() -> None:
    """A class put under two disjoint classes, with an individual of it, among many
    individuals that have nothing to do with it: the search starts from that class,
    which HermiT finds unsatisfiable in the ontology without its individuals."""
    graph = with_concepts(SETUP)
    disjoint = next(graph.subjects(RDF.type, OWL.AllDisjointClasses))
    terminology = {
        (CG.SourceDocument, RDFS.subClassOf, CG.NetworkPlan),
        (CG.SourceDocument, RDFS.subClassOf, CG.ProgressReport),
        *graph.triples((disjoint, None, None)),
    }
    items = graph.value(disjoint, OWL.members)
    while items != RDF.nil:
        terminology.update(graph.triples((items, None, None)))
        items = graph.value(items, RDF.rest)
    conflict = {(CG.nao2004, RDF.type, CG.SourceDocument), *terminology}
    reasoner = Reasoner(conflict, unsatisfiable={CG.SourceDocument: terminology})
    # searching from every individual at once took 27 runs here
    found = justification(graph, reasoner, runs=16)
    assert found is not None
    assert sorted(axiom.text(compact) for axiom in found) == [
        "[ a owl:AllDisjointClasses ; owl:members ( cg:NetworkPlan cg:WorkforceStrategy "
        "cg:ProgressReport cg:ExpenditureReport ) ]",
        "cg:SourceDocument rdfs:subClassOf cg:NetworkPlan",
        "cg:SourceDocument rdfs:subClassOf cg:ProgressReport",
        "cg:nao2004 a cg:SourceDocument",
    ]


def test_the_axioms_come_in_the_same_order_whatever_the_blank_nodes_are_called() -> None:
    """The parser names blank nodes afresh on every run; were they the order, a search
    could succeed on one run of the check and give up on the next."""

    def restrictions(first: str, second: str) -> Graph:
        graph = Graph()
        for label, prop in ((first, CG.hostedBy), (second, CG.ledBy)):
            restriction = BNode(label)
            graph.add((CG.Network, RDFS.subClassOf, restriction))
            graph.add((restriction, RDF.type, OWL.Restriction))
            graph.add((restriction, OWL.onProperty, prop))
            disjoint = BNode(label + "d")
            graph.add((disjoint, RDF.type, OWL.AllDisjointClasses))
            graph.add((disjoint, OWL.members, Collection(graph, BNode(), [CG.Network, prop]).uri))
        return graph

    orders = [
        [axiom.text(compact) for axiom in axioms(restrictions(*labels))[1]]
        for labels in (("a", "b"), ("b", "a"))
    ]
    assert orders[0] == orders[1]


EX = Namespace("https://w3id.org/cancergraph/example/")


def example(name: str, classes: int = 40) -> Graph:
    """An example's statements: nodes of each class, each linked to the next."""
    graph = Graph()
    for i in range(classes):
        node = EX[f"{name}/n{i}"]
        graph.add((node, RDF.type, CG[f"C{i}"]))
        graph.add((node, RDFS.label, Literal(f"node {i}")))
        graph.add((node, CG.next, EX[f"{name}/n{i + 1}"]))
    return graph


def network(name: str) -> tuple[Graph, set[tuple]]:
    """An example with a network (of class C30) that covers an area; the ontology's change
    gives cg:covers the domain C7, which C30 is disjoint with."""
    graph = example(name)
    at_fault = {
        (EX[f"{name}/network"], RDF.type, CG.C30),
        (EX[f"{name}/network"], CG.covers, EX[f"{name}/area"]),
    }
    for triple in at_fault:
        graph.add(triple)
    return graph, at_fault


CHANGE = {(CG.covers, RDFS.domain, CG.C7), (CG.C7, OWL.disjointWith, CG.C30)}


def test_a_change_that_clashes_with_every_example_is_found_once() -> None:
    """Each example is explained by its own statements and the ontology's axioms; the
    axioms found for the first are tried first for the others, whose statements are
    then found in a few runs. An example that clashes otherwise gets its own axioms."""
    graph = ontology()
    for triple in {*CHANGE, (CG.ledBy, RDFS.range, CG.C5), (CG.C5, OWL.disjointWith, CG.C9)}:
        graph.add(triple)
    examples = [network(f"e{i}") for i in range(5)]
    other = example("other")
    other_fault = {
        (EX["other/board"], RDF.type, CG.C9),
        (EX["other/x"], CG.ledBy, EX["other/board"]),
    }
    for triple in other_fault:
        other.add(triple)
    reasoner = Reasoner(
        *(at_fault | CHANGE for _, at_fault in examples),
        other_fault | {(CG.ledBy, RDFS.range, CG.C5), (CG.C5, OWL.disjointWith, CG.C9)},
    )
    clashes = Clashes(graph, reasoner, Budget())
    runs = []
    for data, at_fault in [*examples[:3], (other, other_fault), *examples[3:]]:
        before = reasoner.runs
        clash = clashes.explain(data)
        runs.append(reasoner.runs - before)
        assert clash is not None
        assert triples(clash.statements) == at_fault
        expected = (
            CHANGE
            if data is not other
            else {(CG.ledBy, RDFS.range, CG.C5), (CG.C5, OWL.disjointWith, CG.C9)}
        )
        assert triples(clash.axioms) == expected
    assert clashes.explain(example("fine")) is None
    # the first of each kind is searched for in the whole ontology (26 runs here), the
    # others in what it found
    assert runs[0] > 20 and runs[3] > 20
    assert max(runs[1:3] + runs[4:]) <= 12


def test_the_examples_explanations_stop_at_their_budget_and_say_so() -> None:
    graph = ontology()
    for triple in CHANGE:
        graph.add(triple)
    examples = [network(f"e{i}") for i in range(4)]
    reasoner = Reasoner(*(at_fault | CHANGE for _, at_fault in examples))
    budget = Budget(runs=30)
    clashes = Clashes(graph, reasoner, budget)
    found = [clashes.explain(data) for data, _ in examples]
    assert all(clash is not None for clash in found)
    assert [clash.found for clash in found if clash is not None][:1] == [True]
    assert not found[-1].found  # type: ignore[union-attr]
    assert budget.left == 0
    assert budget.gave_up() == (
        "no explanation found: the 30 reasoner runs allowed for explaining were used"
    )
    # an example consistent with the ontology is still told apart, beyond the budget
    assert clashes.explain(example("fine")) is None
