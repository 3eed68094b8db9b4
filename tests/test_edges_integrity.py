"""The integrity rules flag what the known dates and names prove, and nothing else.

A missing start is some time before the end and a missing end is still running
(INT-02); a name is a literal of a property the report shows as a name, with
some character that is not white space (INT-03).
"""

from __future__ import annotations

import pytest

from cancergraph import store
from cancergraph.render import html_report, text_report
from cancergraph.report import LABEL_PROPERTIES
from cancergraph.validation import validate
from conftest import SETUP_PREFIXES, findings_in, report_of

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


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_a_date_typed_otherwise_is_reported_as_written_with_its_type(engine: str) -> None:
    setup = (
        'ex:net a cg:CancerNetwork ; rdfs:label "Net" ; cg:validFrom "2013-04-01"^^xsd:dateTime .'
    )
    source = store.Source(name="setup.ttl", data=(SETUP_PREFIXES + setup).encode())
    report = validate(store.load([source]), owned=True, engine=engine)
    (finding,) = [f for f in report.results if f.rule == "INT-02"]
    # the text the data holds, not rdflib's reading of it ("2013-04-01T00:00:00")
    assert finding.value == "2013-04-01"
    assert finding.as_dict()["value"] == "2013-04-01"
    assert finding.value_datatype == "xsd:dateTime"
    assert "Value: 2013-04-01 (typed xsd:dateTime)" in text_report.render(report)
    assert "Concerns: 2013-04-01 (typed xsd:dateTime)" in html_report.render(report)


def test_only_a_value_that_failed_a_datatype_test_names_its_type() -> None:
    setup = NET + dated("membership", '; cg:validUntil "2012-01-01"^^xsd:date')
    (finding,) = [f for f in report_of(setup).results if f.rule == "INT-02"]
    assert finding.value_datatype is None
