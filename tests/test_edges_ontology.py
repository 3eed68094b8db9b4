"""What the ontology says of its terms holds before any rule is judged.

ORG names some relations both ways (org:unitOf and org:hasUnit, org:heldBy and
org:holds); a setup may state either, and the rules must read both.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from cancergraph import rules, store, validation
from cancergraph.checks import restated
from cancergraph.render import json_report, text_report
from conftest import CONFORMING, NONCONFORMING, findings_in, report_for, report_of

NETWORK = """
ex:setup a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .
ex:net a cg:CancerNetwork ; rdfs:label "North network" .
ex:pis a cg:PatientInvolvementStructure ; rdfs:label "North patients' forum" .
"""
KF14 = ("KF-14", "http://example.org/net", "Warning")


def test_a_unit_stated_from_the_network_with_has_unit_is_the_networks() -> None:
    assert KF14 not in findings_in(NETWORK + "ex:net org:hasUnit ex:pis .", "KF-14")


def test_a_unit_stated_with_unit_of_is_the_networks() -> None:
    assert KF14 not in findings_in(NETWORK + "ex:pis org:unitOf ex:net .", "KF-14")


def test_a_structure_of_another_network_is_not_this_networks() -> None:
    other = "ex:other a cg:CancerNetwork ; rdfs:label 'South' ; org:hasUnit ex:pis ."
    assert KF14 in findings_in(NETWORK + other, "KF-14")


TEAM = """
ex:setup a cg:Setup ; cg:referenceDate "2004-06-30"^^xsd:date .
ex:net a cg:CancerNetwork ; rdfs:label "North network" .
ex:team a cg:ManagementTeam ; rdfs:label "North team" ; org:unitOf ex:net .
ex:director a cg:NetworkDirectorPost ; rdfs:label "Director" ; org:postIn ex:team .
ex:medical a cg:MedicalDirectorPost ; rdfs:label "Medical director" ; org:postIn ex:team ;
    org:heldBy ex:b .
ex:nurse a cg:LeadNursePost ; rdfs:label "Lead nurse" ; org:postIn ex:team ; org:heldBy ex:c .
ex:a a foaf:Person ; rdfs:label "A" .
ex:b a foaf:Person ; rdfs:label "B" .
ex:c a foaf:Person ; rdfs:label "C" .
"""
NAO05 = ("NAO-05", "http://example.org/net", "Warning")


def test_a_post_held_as_stated_from_the_person_with_holds_is_filled() -> None:
    assert NAO05 not in findings_in(TEAM + "ex:a org:holds ex:director .", "NAO-05")


def test_a_post_nobody_holds_is_vacant() -> None:
    assert NAO05 in findings_in(TEAM, "NAO-05")


SINGLE = """
ex:setup a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .
ex:scn a cg:SingleClinicalNetwork ; rdfs:label "South single clinical network" ;
"""
KF14_SCN = ("KF-14", "http://example.org/scn", "Warning")


def test_a_single_clinical_network_covering_cancer_is_judged_as_a_cancer_network() -> None:
    """The ontology: where a single clinical network covers cancer it is also a cancer
    network, so the cancer network rules judge it whether or not it says so."""
    covering = SINGLE + "cg:coversClinicalArea cg:Cancer , cg:CardiacCare ."
    assert KF14_SCN in findings_in(covering, "KF-14")


def test_a_single_clinical_network_not_covering_cancer_is_not_a_cancer_network() -> None:
    assert (
        findings_in(SINGLE + "cg:coversClinicalArea cg:CardiacCare , cg:StrokeCare .", "KF-14")
        == set()
    )


def test_a_name_given_where_the_ontology_wants_a_link_is_noted() -> None:
    """No rule can follow org:member "..." to an organisation, so the report says what it
    could not read instead of passing it over."""
    setup = (
        'ex:setup a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .\n'
        'ex:net a cg:CancerNetwork ; rdfs:label "North" .\n'
        'ex:m a org:Membership ; org:member "NHS North CCG" ; org:organization ex:net ;\n'
        "    org:role cg:CommissionerRole .\n"
        'ex:n a org:Membership ; org:member "NHS South CCG" ; org:organization ex:net .\n'
    )
    report = report_of(setup)
    notes = report.notes
    assert len(notes) == 1
    assert "Note: 2 statements give" in text_report.render(report)
    assert json_report.as_data(report)["notes"] == notes
    assert notes[0].startswith(
        "2 statements give <http://www.w3.org/ns/org#member> a literal value "
        "(the first about <http://example.org/m>)"
    )


def test_the_examples_give_no_link_a_literal_value() -> None:
    assert all(report_for(path).notes == [] for path in CONFORMING + NONCONFORMING)


def judged(data: ox.Store) -> list[tuple[str, str, str, str]]:
    report = validation.validate(store.copy(data))
    return sorted((f.rule or "", f.focus_node, f.value or "", f.message) for f in report.results)


@pytest.mark.parametrize("path", CONFORMING + NONCONFORMING, ids=lambda p: p.name)
def test_every_example_restated_as_the_ontology_allows_is_judged_the_same(path: Path) -> None:
    """Each relation of two inverse properties stated from the other end, and each type
    the ontology entails by definition left out: the same findings, one way at a time."""
    ontology = ox.Store()
    store.add_graph(ontology, rules.ontology_graph())
    data = store.load([store.Source.from_path(path)])
    expected = judged(data)
    for restatement in restated.restatements(data, ontology):
        assert judged(restatement.data) == expected, f"{path.name} {restatement.how}"
