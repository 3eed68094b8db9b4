"""A SPARQL syntax error is reported as its cause, where the parser's own words miss it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cancergraph import sparql_errors, sparql_text


def described(text: str, update: bool = False) -> sparql_errors.SparqlSyntaxError:
    store = ox.Store()
    with pytest.raises(SyntaxError) as caught:
        store.update(text) if update else store.query(text)
    return sparql_errors.describe(caught.value, text, update)


@pytest.mark.parametrize(
    ("text", "prefix", "line", "column"),
    [
        ('SELECT (xsd:integer("1") AS ?x) {}', "xsd", 1, 9),
        ("SELECT * WHERE {\n  FILTER (foo:bar(?x))\n}", "foo", 2, 11),
        ("PREFIX foo: <http://f#>\nSELECT * { FILTER (foo:a(1) && bar:b(2)) }", "bar", 2, 32),
    ],
)
def test_an_undeclared_prefix_in_a_function_call_is_named_where_it_is(
    text: str, prefix: str, line: int, column: int
) -> None:
    # the parser stops later, saying it expected ENCODE_FOR_URI
    assert described(text) == sparql_errors.SparqlSyntaxError(
        f"undeclared prefix {prefix}", line, column
    )


def test_a_prefix_in_a_string_iri_or_comment_is_not_a_use() -> None:
    text = 'SELECT * WHERE { ?s <urn:x:y> "a:b" }  # ex:c\nLIMIT x'
    assert sparql_text.undeclared_prefix(text) is None
    assert "undeclared" not in described(text).message


def test_the_reason_the_parser_gives_among_its_expectations_is_the_message() -> None:
    error = described("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s")
    assert error.message == "the SELECT contains a variable that is unbound"


@pytest.mark.parametrize(
    ("text", "update", "message", "line"),
    [
        (
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            False,
            "this is an update (INSERT), not a query",
            1,
        ),
        (
            "PREFIX a: <urn:a#>\nDELETE WHERE { ?s a:p ?o }",
            False,
            "this is an update (DELETE), not a query",
            2,
        ),
        ("SELECT * WHERE { ?s ?p ?o }", True, "this is a query (SELECT), not an update", 1),
        ("# count\nASK {}", True, "this is a query (ASK), not an update", 2),
    ],
)
def test_a_query_sent_as_an_update_or_the_other_way_is_named(
    text: str, update: bool, message: str, line: int
) -> None:
    assert described(text, update) == sparql_errors.SparqlSyntaxError(message, line, 1)


def test_an_update_with_a_syntax_error_is_not_taken_for_a_query() -> None:
    error = described("INSERT DATA { <urn:a> }", update=True)
    assert error.message.startswith("expected") and error.line == 1


def test_declared_prefixes_are_read_outside_strings_and_comments() -> None:
    text = (
        "PREFIX ex: <http://example.org/one/>  # PREFIX no: <http://example.org/no/>\n"
        "prefix : <http://example.org/default/>\n"
        'SELECT * WHERE { ?s ?p "PREFIX str: <http://example.org/str/>" }\n'
        "PREFIX ex: <http://example.org/two/>\n"
    )
    assert sparql_text.declared_prefixes(text) == {
        "ex": "http://example.org/two/",
        "": "http://example.org/default/",
    }
