"""The integrity rules flag what the known dates and names prove, and nothing else.

A missing start is some time before the end and a missing end is still running
(INT-02); a name is a literal of a property the report shows as a name, with
some character that is not white space (INT-03).
"""

from __future__ import annotations

import pytest

from cancergraph.report import LABEL_PROPERTIES
from conftest import findings_in, report_of

NET = 'ex:net a cg:CancerNetwork ; cg:validFrom "2013-04-01"^^xsd:date .\n'
ENDED = 'ex:net a cg:CancerNetwork ; cg:validUntil "2013-03-31"^^xsd:date .\n'
# A membership, a post and an accountability line, each linking ex:net.
LINKS = {
    "membership": "ex:x a org:Membership ; org:member ex:trust ; org:organization ex:net",
    "post": "ex:x a cg:NetworkDirectorPost ; org:postIn ex:net",
    "line": "ex:x a cg:AccountabilityLine ; cg:accountableParty ex:net ; cg:accountableTo ex:sha",
}
INT02 = ("INT-02", "http://example.org/x", "Violation")


def dated(link: str, dates: str) -> str:
    return f"{LINKS[link]} {dates} .\n"


@pytest.mark.parametrize("link", LINKS)
def test_no_start_and_an_end_before_the_organisation_starts_started_before_it(link) -> None:
    setup = NET + dated(link, '; cg:validUntil "2012-01-01"^^xsd:date')
    assert INT02 in findings_in(setup, "INT-02")


@pytest.mark.parametrize("link", LINKS)
def test_no_start_and_an_end_on_the_day_the_organisation_starts_may_start_with_it(link) -> None:
    setup = NET + dated(link, '; cg:validUntil "2013-04-01"^^xsd:date')
    assert INT02 not in findings_in(setup, "INT-02")


@pytest.mark.parametrize("link", LINKS)
def test_no_end_and_a_start_after_the_organisation_ended_ends_after_it(link) -> None:
    setup = ENDED + dated(link, '; cg:validFrom "2014-01-01"^^xsd:date')
    assert INT02 in findings_in(setup, "INT-02")


@pytest.mark.parametrize("link", LINKS)
def test_no_end_while_the_organisation_has_not_ended_is_within_it(link) -> None:
    setup = "ex:net a cg:CancerNetwork .\n" + dated(link, '; cg:validFrom "2014-01-01"^^xsd:date')
    assert INT02 not in findings_in(setup, "INT-02")


INT03 = ("INT-03", "http://example.org/b", "Violation")


@pytest.mark.parametrize("name", ['""', '"   "', '"\\t\\n"', '""@en', "ex:trustB"])
def test_a_name_with_nothing_to_read_is_no_name(name) -> None:
    setup = f"ex:b a cg:NHSTrust ; rdfs:label {name} ."
    assert INT03 in findings_in(setup, "INT-03")


def test_a_blank_name_beside_a_readable_one_is_named() -> None:
    setup = 'ex:b a cg:NHSTrust ; rdfs:label "" , " Trust B " .'
    assert INT03 not in findings_in(setup, "INT-03")


@pytest.mark.parametrize("prop", LABEL_PROPERTIES, ids=str)
def test_each_property_the_report_names_a_node_with_names_it(prop) -> None:
    setup = f'ex:b a cg:NHSTrust ; <{prop}> "Trust B" .'
    assert INT03 not in findings_in(setup, "INT-03")


def test_a_name_in_another_property_is_not_one_the_report_shows() -> None:
    setup = 'ex:b a cg:NHSTrust ; skos:altLabel "Trust B" .'
    assert INT03 in findings_in(setup, "INT-03")


def test_a_blank_name_beside_a_readable_one_is_not_the_name_the_report_shows() -> None:
    """INT-03 takes the readable name; the report shows that one, not the blank."""
    setup = (
        'ex:setup a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .\n'
        'ex:b a cg:NHSTrust ; rdfs:label "  " ; foaf:name "Trust B" ;\n'
        '    cg:validFrom "01/04/2002"^^xsd:date .\n'
    )
    report = report_of(setup)
    shown = {f.focus_label for f in report.results if f.focus_node == "http://example.org/b"}
    assert shown == {"Trust B"}
