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
