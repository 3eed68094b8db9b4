"""Where the King's Fund rules draw their lines: what each flags and what it leaves alone."""

from __future__ import annotations

from conftest import findings_in

SETUP = 'ex:setup a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .\n'

PROVIDER_SUPPORT = (
    SETUP
    + """
ex:net2 a cg:CancerNetwork ; rdfs:label "Network" .
ex:unit rdfs:label "Provider support unit" ; org:unitOf ex:net2 ;
    cg:performsFunction cg:ProviderSupport .
"""
)
KF02 = ("KF-02", "http://example.org/net2", "Warning")


def test_provider_support_by_a_unit_of_the_network_is_by_the_network() -> None:
    unit = PROVIDER_SUPPORT + "ex:unit a org:OrganizationalUnit ."
    assert KF02 in findings_in(unit, "KF-02")


def test_provider_support_by_a_separate_vehicle_is_not_by_the_network() -> None:
    separate = PROVIDER_SUPPORT.replace("org:unitOf ex:net2 ;", "")
    assert KF02 not in findings_in(separate + "ex:unit a cg:SharedGovernanceVehicle .", "KF-02")


CLINICAL_BOARDS = (
    SETUP
    + """
ex:scn a cg:SingleClinicalNetwork , cg:CancerNetwork ; rdfs:label "Network" ;
    cg:coversClinicalArea cg:Cancer , cg:CardiacCare .
ex:nb a cg:NetworkBoard ; rdfs:label "Network board" ; org:unitOf ex:scn .
ex:cb a cg:ClinicalBoard ; rdfs:label "Clinical board" ; org:unitOf ex:scn ;
    cg:clinicalArea cg:Cancer .
"""
)
KF15 = ("KF-15", "http://example.org/scn", "Warning")


def test_one_clinical_board_for_two_areas_is_not_a_board_for_each() -> None:
    shared = CLINICAL_BOARDS + "ex:cb cg:clinicalArea cg:CardiacCare ."
    assert KF15 in findings_in(shared, "KF-15")


def test_a_clinical_board_for_each_area_alone_keeps_the_rule() -> None:
    cardiac = "ex:cb2 a cg:ClinicalBoard ; rdfs:label 'Cardiac' ; org:unitOf ex:scn ;"
    assert KF15 not in findings_in(
        CLINICAL_BOARDS + cardiac + " cg:clinicalArea cg:CardiacCare .", "KF-15"
    )


def allocation(network_class: str, start: str, end: str) -> str:
    return (
        SETUP
        + f"""
ex:net a {network_class} ; rdfs:label "Network" .
ex:funding a cg:FundingAllocation ; rdfs:label "Funding" ; cg:forNetwork ex:net ;
    cg:validFrom "{start}"^^xsd:date ; cg:validUntil "{end}"^^xsd:date .
"""
    )


KF17 = ("KF-17", "http://example.org/funding", "Info")


def test_an_unreported_allocation_to_a_cancer_network_is_flagged() -> None:
    assert KF17 in findings_in(allocation("cg:CancerNetwork", "2014-04-01", "2015-03-31"), "KF-17")


def test_an_allocation_to_another_clinical_network_is_not_judged() -> None:
    other = allocation("cg:ClinicalNetwork", "2014-04-01", "2015-03-31")
    assert KF17 not in findings_in(other, "KF-17")


def test_an_ended_allocation_still_needs_its_report() -> None:
    assert KF17 in findings_in(allocation("cg:CancerNetwork", "2013-04-01", "2014-03-31"), "KF-17")


def test_an_allocation_not_yet_started_is_not_judged() -> None:
    future = allocation("cg:CancerNetwork", "2014-07-01", "2015-03-31")
    assert KF17 not in findings_in(future, "KF-17")


MERGER = (
    SETUP
    + """
ex:scn a cg:SingleClinicalNetwork ; rdfs:label "Single clinical network" .
ex:merger a cg:Merger ; org:originalOrganization ex:a , ex:b ; org:resultingOrganization ex:scn .
"""
)
NETWORKS = """
ex:a a cg:CancerNetwork ; rdfs:label "Cancer network" .
ex:b a cg:ClinicalNetwork ; rdfs:label "Cardiac network" .
"""
KF16 = ("KF-16", "http://example.org/merger", "Info")


def test_a_merger_of_networks_without_an_assessment_is_flagged() -> None:
    assert KF16 in findings_in(MERGER + NETWORKS, "KF-16")


def test_a_merger_of_trusts_into_a_network_merges_no_networks() -> None:
    trusts = NETWORKS.replace("cg:CancerNetwork", "cg:PrimaryCareTrust").replace(
        "cg:ClinicalNetwork", "cg:PrimaryCareTrust"
    )
    assert KF16 not in findings_in(MERGER + trusts, "KF-16")


def test_a_merger_of_one_network_and_a_trust_merges_no_networks() -> None:
    one = NETWORKS.replace("cg:ClinicalNetwork", "cg:PrimaryCareTrust")
    assert KF16 not in findings_in(MERGER + one, "KF-16")


def assessed_by(document_class: str) -> str:
    return (
        MERGER
        + NETWORKS
        + f"""
ex:merger cg:suitabilityAssessment ex:doc .
ex:doc a {document_class} ; rdfs:label "Document" ; cg:considersTransactionCosts true .
"""
    )


def test_a_plan_that_weighs_transaction_costs_is_no_suitability_assessment() -> None:
    assert KF16 in findings_in(assessed_by("cg:NetworkPlan"), "KF-16")


def test_a_suitability_assessment_that_weighs_transaction_costs_keeps_the_rule() -> None:
    local = "ex:LocalAssessment rdfs:subClassOf cg:SuitabilityAssessment ."
    assert KF16 not in findings_in(assessed_by("ex:LocalAssessment") + local, "KF-16")


TUMOUR_BOARD = (
    SETUP
    + """
ex:net a cg:CancerNetwork ; rdfs:label "Network" .
ex:board a cg:TumourBoard ; rdfs:label "Breast tumour board" ; org:unitOf ex:net ;
    cg:tumourSite cg:BreastCancer .
ex:chair a cg:ChairPost ; rdfs:label "Chair" ; org:postIn ex:board ; org:heldBy ex:dr .
ex:dr a cg:Clinician ; rdfs:label "Dr A" .
"""
)
KF03 = ("KF-03", "http://example.org/board", "Info")


def test_a_tumour_board_whose_chair_is_vacant_is_not_chaired() -> None:
    """A post with cg:vacantSince on or before the reference date has had no holder
    since then, whatever org:heldBy says."""
    vacant = TUMOUR_BOARD + 'ex:chair cg:vacantSince "2014-01-01"^^xsd:date .'
    assert KF03 in findings_in(vacant, "KF-03")


def test_a_chair_falling_vacant_after_the_reference_date_still_chairs() -> None:
    later = TUMOUR_BOARD + 'ex:chair cg:vacantSince "2015-01-01"^^xsd:date .'
    assert KF03 not in findings_in(later, "KF-03")
    assert KF03 not in findings_in(TUMOUR_BOARD, "KF-03")
