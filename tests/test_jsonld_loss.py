"""JSON-LD that would be read only in part is refused at the line of what would be
lost, and saying why; JSON-LD that loses nothing is read in full.

JSON-LD expansion drops without a word what it cannot turn into an IRI; a setup
must not be validated without the statements it meant to make.
"""

from __future__ import annotations

import pytest

from cancergraph import formats, store
from cancergraph.rdf_errors import InputError

JSONLD = formats.by_name("jsonld")
EX = "http://example.org/"


def document(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8")


def read(data: bytes, base_iri: str | None = None) -> set[str]:
    """The statements of a document, read as `validate` reads it (or, given a base, as
    the Graph Store reads a request body), each as N-Triples."""
    source = store.Source("setup.jsonld", data, JSONLD)
    if base_iri is not None:
        quads = store.parse_source(source, base_iri)
    else:
        quads = store.load([source]).quads_for_pattern(None, None, None, None)
    return {f"{q.subject} {q.predicate} {q.object}" for q in quads}


def refusal(data: bytes) -> str:
    with pytest.raises(InputError) as raised:
        store.load([store.Source("setup.jsonld", data, JSONLD)])
    return str(raised.value)


@pytest.mark.parametrize(
    "term",
    [
        '"j": {"@id": "http://example.org/j", "@type": "@json"}',
        '"j": "http://example.org/j", "v": "@value", "t": "@type"',
    ],
)
def test_a_json_literal_is_data_not_keys(term: str) -> None:
    value = '{"foo": 1, "@tpye": 2}'
    if '"v"' in term:  # a value object written with aliases of @value and @type
        value = f'{{"v": {value}, "t": "@json"}}'
    data = document(f'{{"@context": {{{term}}},', f' "@id": "{EX}a", "j": {value}}}')
    assert read(data) == {
        f'<{EX}a> <{EX}j> "{{\\"@tpye\\":2,\\"foo\\":1}}"'
        "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>"
    }
