"""The NAO 2004 rules judge a setup as it stood on its reference date.

What had ended, was vacant or was not yet published on that date does not keep
a rule, and a rule about cancer networks leaves other clinical networks alone.
"""

from __future__ import annotations

from conftest import findings_in

NETWORK = """
ex:setup a cg:Setup ; cg:referenceDate "2008-06-30"^^xsd:date .
ex:net a cg:CancerNetwork ; rdfs:label "North network" .
"""
NAO04 = ("NAO-04", "http://example.org/net", "Warning")


def authority(dates: str) -> str:
    return f"""
ex:sha a cg:StrategicHealthAuthority ; rdfs:label "North SHA" ; {dates} .
ex:net cg:responsibleAuthority ex:sha .
ex:fund a cg:FundingAllocation ; rdfs:label "Funding" ; cg:forNetwork ex:net ;
    cg:financialYear "2008"^^xsd:gYear .
"""


def test_an_authority_abolished_before_the_reference_date_is_not_responsible() -> None:
    ended = 'cg:validUntil "2006-06-30"^^xsd:date'
    assert findings_in(NETWORK + authority(ended), "NAO-04") == {NAO04}


def test_an_authority_set_up_after_the_reference_date_is_not_responsible() -> None:
    later = 'cg:validFrom "2008-07-01"^^xsd:date'
    assert findings_in(NETWORK + authority(later), "NAO-04") == {NAO04}


def test_an_authority_current_on_the_reference_date_is_responsible() -> None:
    dates = 'cg:validFrom "2008-06-30"^^xsd:date ; cg:validUntil "2008-06-30"^^xsd:date'
    assert findings_in(NETWORK + authority(dates), "NAO-04") == set()


TEAM = """
ex:team a cg:ManagementTeam ; rdfs:label "North team" ; org:unitOf ex:net .
ex:p2 a cg:MedicalDirectorPost ; rdfs:label "Medical director" ; org:postIn ex:team ;
    org:heldBy ex:y .
ex:p3 a cg:LeadNursePost ; rdfs:label "Lead nurse" ; org:postIn ex:team ; org:heldBy ex:z .
ex:p1 a cg:NetworkDirectorPost ; rdfs:label "Director" ; org:postIn ex:team ; org:heldBy ex:x ;
"""
NAO05 = ("NAO-05", "http://example.org/net", "Warning")


def test_a_held_post_vacant_since_the_reference_date_is_vacant() -> None:
    vacant = NETWORK + TEAM + 'cg:vacantSince "2008-06-30"^^xsd:date .'
    assert findings_in(vacant, "NAO-05") == {NAO05}


def test_a_held_post_that_falls_vacant_after_the_reference_date_is_filled() -> None:
    filled = NETWORK + TEAM + 'cg:vacantSince "2008-07-01"^^xsd:date .'
    assert findings_in(filled, "NAO-05") == set()


MEMBERSHIP = """
ex:setup a cg:Setup ; cg:referenceDate "2008-06-30"^^xsd:date .
ex:m a org:Membership ; org:member ex:trust ; org:organization ex:net .
ex:trust a cg:NHSTrust ; rdfs:label "North trust" .
"""
NAO03 = ("NAO-03", "http://example.org/m", "Warning")


def test_a_membership_of_a_kind_of_cancer_network_without_a_role_is_flagged() -> None:
    kind = "ex:RegionalCancerNetwork rdfs:subClassOf cg:CancerNetwork .\n"
    cancer = MEMBERSHIP + kind + "ex:net a ex:RegionalCancerNetwork ; rdfs:label 'North' ."
    assert findings_in(cancer, "NAO-03") == {NAO03}


def test_a_membership_of_another_clinical_network_is_not_judged() -> None:
    cardiac = MEMBERSHIP + "ex:net a cg:ClinicalNetwork ; rdfs:label 'North cardiac network' ."
    assert findings_in(cardiac, "NAO-03") == set()


PLAN = """
ex:setup a cg:Setup ; cg:referenceDate "2008-06-30"^^xsd:date .
ex:dh a cg:DepartmentOfHealth ; rdfs:label "Department of Health" .
ex:plan a cg:CancerStrategy ; rdfs:label "The NHS Cancer Plan" ;
    cg:publishedOn "2005-09-27"^^xsd:date ; cg:launchedBy ex:dh .
ex:r2006 a cg:ProgressReport ; rdfs:label "2006" ; cg:publishedBy ex:dh ; cg:reportsOn ex:plan ;
    cg:coversYear "2006"^^xsd:gYear ; cg:publishedOn "2007-03-01"^^xsd:date .
ex:r2007 a cg:ProgressReport ; rdfs:label "2007" ; cg:publishedBy ex:dh ; cg:reportsOn ex:plan ;
    cg:coversYear "2007"^^xsd:gYear ;
"""
NAO01 = ("NAO-01", "http://example.org/plan", "Warning")


def test_a_report_published_after_the_reference_date_does_not_count() -> None:
    late = PLAN + 'cg:publishedOn "2008-07-01"^^xsd:date .'
    assert findings_in(late, "NAO-01") == {NAO01}


def test_a_report_published_on_the_reference_date_counts() -> None:
    on_time = PLAN + 'cg:publishedOn "2008-06-30"^^xsd:date .'
    assert findings_in(on_time, "NAO-01") == set()
