"""Content negotiation (RFC 9110, 12.5.1) as the service applies it to every response."""

from __future__ import annotations

import pytest

from cancergraph.server.negotiation import NotAcceptable, choose

SOLUTIONS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPHS = {"turtle": "text/turtle", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        (None, SOLUTIONS, "json"),
        ("*/*", SOLUTIONS, "json"),
        ("text/csv", SOLUTIONS, "csv"),
        ("text/csv, application/sparql-results+json", SOLUTIONS, "csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", SOLUTIONS, "xml"),
        ("text/*", SOLUTIONS, "csv"),
        ("text/*;q=0.3, */*;q=0.1", SOLUTIONS, "csv"),
        ("application/sparql-results+json;q=0, */*", SOLUTIONS, "xml"),
        ("text/csv;q=0, text/*", SOLUTIONS, "tsv"),
        ("*/*;q=0.1, text/tab-separated-values", SOLUTIONS, "tsv"),
        ("application/json", SOLUTIONS, "json"),
        ("application/xml", SOLUTIONS, "xml"),
        ("application/json", GRAPHS, "jsonld"),
        ("text/xml;q=0.9, text/turtle;q=0.8", GRAPHS, "rdfxml"),
        ("TEXT/Turtle", GRAPHS, "turtle"),
        ("application/n-triples, text/turtle;q=0.9", GRAPHS, "turtle"),
    ],
)
def test_the_preferred_format_is_chosen(accept: str | None, offers: dict, chosen: str) -> None:
    default = "json" if offers is SOLUTIONS else "turtle"
    assert choose(accept, offers, default) == chosen


@pytest.mark.parametrize(
    "accept", ["image/png", "text/csv;q=0", "*/*;q=0", "application/sparql-results+json;q=0"]
)
def test_nothing_acceptable_is_refused(accept: str) -> None:
    offers = {"json": SOLUTIONS["json"]}
    with pytest.raises(NotAcceptable, match="available: application/sparql-results"):
        choose(accept, offers, "json")
