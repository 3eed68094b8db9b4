"""The ontology: complete annotations, metadata, and OWL 2 DL consistency under HermiT."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from cancergraph import reasoning
from cancergraph.rules import ontology_graph
from cancergraph.vocab import CG, DCTERMS, OWL, RDF, RDFS, SKOS, XSD

ONTOLOGY_IRI = URIRef("https://w3id.org/cancergraph/ontology")


def own_terms(graph: Graph) -> set[URIRef]:
    kinds = (
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
        RDFS.Datatype,
    )
    return {
        s
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(CG))
    }


def test_every_term_has_a_label_and_a_definition() -> None:
    graph = ontology_graph()
    terms = own_terms(graph)
    assert len(terms) > 100
    missing = sorted(
        str(t)
        for t in terms
        if graph.value(t, RDFS.label) is None or graph.value(t, SKOS.definition) is None
    )
    assert missing == []


def test_ontology_metadata() -> None:
    graph = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license, OWL.versionIRI):
        assert graph.value(ONTOLOGY_IRI, predicate) is not None, predicate


@pytest.mark.parametrize(
    "name",
    [
        "DepartmentOfHealth",
        "NHSCommissioningBoard",
        "StrategicHealthAuthority",
        "PrimaryCareTrust",
        "ClinicalCommissioningGroup",
        "NHSTrust",
        "NHSFoundationTrust",
        "ClinicalSenate",
        "LocalAuthority",
        "VoluntaryOrganisation",
        "CancerNetwork",
        "SingleClinicalNetwork",
        "NetworkBoard",
        "ManagementTeam",
        "TumourBoard",
        "ClinicalBoard",
        "PatientInvolvementStructure",
        "SharedGovernanceVehicle",
        "AccountabilityLine",
        "Power",
        "EngagementArrangement",
        "PartnershipAgreement",
        "NetworkPlan",
        "WorkforceStrategy",
        "EducationAndTrainingStrategy",
        "NetworkCommissioningArrangement",
        "ReportingArrangement",
        "ProgressReport",
        "FundingAllocation",
        "ExpenditureReport",
        "SuitabilityAssessment",
        "SenateLink",
        "HostingArrangement",
        "Merger",
        "Succession",
    ],
)
def test_the_classes_the_rules_need_exist(name: str) -> None:
    assert (CG[name], RDF.type, OWL.Class) in ontology_graph()


def test_code_lists_hold_the_named_professional_groups() -> None:
    graph = ontology_graph()
    groups = set(graph.subjects(SKOS.topConceptOf, CG.ProfessionalGroups))
    assert {
        CG.AcuteCare,
        CG.PrimaryCare,
        CG.CommunityServices,
        CG.PublicHealth,
        CG.SocialCare,
    } <= groups


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class() -> None:
    result = reasoning.classify(ontology_graph())
    assert result.consistent
    assert result.unsatisfiable == []


def test_hermit_reasons_over_an_ontology_with_dates() -> None:
    """xsd:date is outside the OWL 2 datatype map and HermiT refuses to read it; such
    values are left out, so the rest is still reasoned over."""
    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    graph.add((CG.someTrust, RDF.type, CG.NHSTrust))
    graph.add((CG.someTrust, CG.validFrom, Literal("2013-04-01", datatype=XSD.date)))
    assert reasoning.classify(graph).consistent


def test_hermit_says_whether_an_ontology_is_consistent_without_classifying_it() -> None:
    """The explanations ask only this, dozens of times, of a HermiT started quickly."""
    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    graph.add((CG.someTrust, RDF.type, CG.NHSTrust))
    graph.add((CG.someTrust, CG.validFrom, Literal("2013-04-01", datatype=XSD.date)))
    assert reasoning.consistent(graph)
    graph.add((CG.someTrust, RDF.type, CG.NHSFoundationTrust))
    assert not reasoning.consistent(graph)


def test_hermit_catches_an_unsatisfiable_class() -> None:
    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    broken = CG.BrokenTrust
    graph.add((broken, RDF.type, OWL.Class))
    graph.add((broken, RDFS.subClassOf, CG.NHSTrust))
    graph.add((broken, RDFS.subClassOf, CG.NHSFoundationTrust))
    result = reasoning.classify(graph)
    assert str(broken) in result.unsatisfiable
