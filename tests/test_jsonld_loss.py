"""JSON-LD that would be read only in part is refused at the line of what would be
lost, and saying why; JSON-LD that loses nothing is read in full.

JSON-LD expansion drops without a word what it cannot turn into an IRI; a setup
must not be validated without the statements it meant to make.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from cancergraph import formats, store
from cancergraph.cli import main
from cancergraph.rdf_errors import InputError

JSONLD = formats.by_name("jsonld")
EX = "http://example.org/"


def document(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8")


def read(data: bytes, base_iri: str | None = None) -> set[str]:
    """The statements of a document, read as `validate` reads it (or, given a base, as
    the Graph Store reads a request body), each as N-Triples with blank nodes as "_:"."""
    source = store.Source("setup.jsonld", data, JSONLD)
    if base_iri is not None:
        quads = store.parse_source(source, base_iri)
    else:
        quads = store.load([source]).quads_for_pattern(None, None, None, None)
    return {" ".join(_term(t) for t in (q.subject, q.predicate, q.object)) for q in quads}


def _term(term: object) -> str:
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


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


def setup(node: str, context: str = "") -> bytes:
    """A document whose eighth line is the node given."""
    return document(
        "{",
        ' "@context": {',
        '  "rdfs": "http://www.w3.org/2000/01/rdf-schema#",',
        f'  "accountableTo": {{"@id": "{EX}accountableTo", "@type": "@id"}}{context}',
        " },",
        ' "@graph": [',
        f'  {{"@id": "{EX}nhscb", "rdfs:label": "NHS CB"}},',
        f"  {node}",
        " ]",
        "}",
    )


NHSCB = f'<{EX}nhscb> <http://www.w3.org/2000/01/rdf-schema#label> "NHS CB"'


def assert_refused_at(data: bytes, value: str, *why: str) -> None:
    """Refused at the eighth line, at the column where `value` is written, saying why."""
    message = refusal(data)
    column = data.decode().split("\n")[7].index(value) + 1
    assert f"setup.jsonld:8:{column}: jsonld: " in message
    assert all(words in message for words in why), message


@pytest.mark.parametrize(
    ("node", "value", "context"),
    [
        ('{"@id": "ccg-beta", "rdfs:label": "Beta CCG"}', '"ccg-beta"', ""),
        ('{"@id": "#beta", "rdfs:label": "Beta CCG"}', '"#beta"', ""),
        # an @id is never read against @vocab
        ('{"@id": "ccg-beta", "rdfs:label": "Beta CCG"}', '"ccg-beta"', f', "@vocab": "{EX}"'),
        (f'{{"@id": "{EX}a", "{EX}partOf": {{"@id": "nhscb"}}}}', '"nhscb"', ""),
        ('{"id": "ccg-beta", "rdfs:label": "Beta CCG"}', '"ccg-beta"', ', "id": "@id"'),
    ],
)
def test_a_relative_node_id_without_a_base_is_refused(node: str, value: str, context: str) -> None:
    assert_refused_at(setup(node, context), value, "is a relative IRI", "no @base", "absolute IRI")


@pytest.mark.parametrize(
    ("node", "value", "context"),
    [
        (f'{{"@id": "{EX}a", "accountableTo": "nhscb"}}', '"nhscb"', ""),
        (f'{{"@id": "{EX}a", "accountableTo": ["{EX}nhscb", "nhscb"]}}', '"nhscb"]', ""),
        (f'{{"@id": "{EX}a", "accountableTo": {{"@list": ["nhscb"]}}}}', '"nhscb"', ""),
        # an IRI value is never read as a term, unless typed @vocab
        (f'{{"@id": "{EX}a", "accountableTo": "nhscb"}}', '"nhscb"', f', "nhscb": "{EX}nhscb"'),
        (
            f'{{"@id": "{EX}a", "lead": "nhscb"}}',
            '"nhscb"',
            f', "lead": {{"@id": "{EX}lead", "@type": "@vocab"}}',
        ),
    ],
)
def test_a_relative_link_without_a_base_is_refused(node: str, value: str, context: str) -> None:
    assert_refused_at(setup(node, context), value, "is a relative IRI", "would drop the statement")


@pytest.mark.parametrize(
    ("node", "context", "statement"),
    [
        (
            f'{{"@id": "{EX}a", "accountableTo": "{EX}nhscb"}}',
            "",
            f"<{EX}a> <{EX}accountableTo> <{EX}nhscb>",
        ),
        (
            f'{{"@id": "{EX}a", "accountableTo": "ex:nhscb"}}',
            f', "ex": "{EX}"',
            f"<{EX}a> <{EX}accountableTo> <{EX}nhscb>",
        ),
        (
            '{"@id": "ccg-beta", "accountableTo": "nhscb"}',
            f', "@base": "{EX}"',
            f"<{EX}ccg-beta> <{EX}accountableTo> <{EX}nhscb>",
        ),
        (
            '{"@id": "_:b", "rdfs:label": "nhscb"}',
            "",
            '_: <http://www.w3.org/2000/01/rdf-schema#label> "nhscb"',
        ),
        (
            f'{{"@id": "{EX}a", "lead": "nhscb"}}',
            f', "nhscb": "{EX}nhscb", "lead": {{"@id": "{EX}lead", "@type": "@vocab"}}',
            f"<{EX}a> <{EX}lead> <{EX}nhscb>",
        ),
        (
            f'{{"@id": "{EX}a", "lead": "nhscb"}}',
            f', "@vocab": "{EX}", "lead": {{"@type": "@vocab"}}',
            f"<{EX}a> <{EX}lead> <{EX}nhscb>",
        ),
    ],
)
def test_absolute_or_resolvable_iris_are_read_in_full(
    node: str, context: str, statement: str
) -> None:
    assert read(setup(node, context)) == {NHSCB, statement}


def test_a_base_the_graph_store_gives_resolves_relative_iris() -> None:
    data = setup('{"@id": "ccg-beta", "accountableTo": "nhscb"}')
    assert read(data, base_iri=EX) == {NHSCB, f"<{EX}ccg-beta> <{EX}accountableTo> <{EX}nhscb>"}


def test_a_node_that_is_only_a_relative_id_loses_nothing() -> None:
    """JSON-LD makes no statement of a node that is an @id alone, whatever the base."""
    assert read(setup('{"@id": "ccg-beta"}')) == {NHSCB}


def test_validate_refuses_a_setup_that_would_lose_a_node(tmp_path: Path, capsys) -> None:
    path = tmp_path / "setup.jsonld"
    path.write_bytes(setup('{"@id": "ccg-beta", "rdfs:label": "Beta CCG"}'))
    assert main(["validate", str(path)]) == 2
    assert "setup.jsonld:8:11: jsonld: " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("node", "key", "meant"),
    [
        (f'{{"@id": "{EX}a", "@tpye": "{EX}ClinicalCommissioningGroup"}}', "@tpye", "@type"),
        (
            f'{{"@id": "{EX}a", "rdfs:label": {{"@value": "Beta", "@langauge": "en"}}}}',
            "@langauge",
            "@language",
        ),
        (f'{{"@id": "{EX}a", "{EX}members": {{"@lsit": ["{EX}b"]}}}}', "@lsit", "@list"),
    ],
)
def test_a_misspelt_keyword_is_refused(node: str, key: str, meant: str) -> None:
    assert_refused_at(setup(node), f'"{key}"', f'"{key}" is not a JSON-LD keyword', f'"{meant}"')


@pytest.mark.parametrize(
    ("node", "context", "statement"),
    [
        (
            f'{{"@id": "{EX}a", "@type": "{EX}CCG"}}',
            "",
            f"<{EX}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}CCG>",
        ),
        # a context's own notes set nothing the data needs
        (
            f'{{"@id": "{EX}a", "@type": "{EX}CCG"}}',
            ', "@comment": "terms of the org vocabulary"',
            f"<{EX}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}CCG>",
        ),
        (
            f'{{"@id": "{EX}a", "rdfs:label": {{"@value": "Beta", "@language": "en"}}}}',
            "",
            f'<{EX}a> <http://www.w3.org/2000/01/rdf-schema#label> "Beta"@en',
        ),
        # the keys of an index map are indexes, whatever they look like
        (
            f'{{"@id": "{EX}a", "byYear": {{"@draft": {{"@id": "{EX}b"}}}}}}',
            f', "byYear": {{"@id": "{EX}byYear", "@container": "@index"}}',
            f"<{EX}a> <{EX}byYear> <{EX}b>",
        ),
    ],
)
def test_real_keywords_are_read_in_full(node: str, context: str, statement: str) -> None:
    assert read(setup(node, context)) == {NHSCB, statement}


CG = "https://w3id.org/cancergraph/ontology#"
CCG = f"<{EX}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CG}ClinicalCommissioningGroup>"


@pytest.mark.parametrize(
    ("node", "context"),
    [
        (f'{{"@id": "{EX}a", "@type": "ClinicalCommissioningGroup"}}', ""),
        (f'{{"@id": "{EX}a", "@type": ["{CG}Organisation", "ClinicalCommissioningGroup"]}}', ""),
        (f'{{"@id": "{EX}a", "type": "ClinicalCommissioningGroup"}}', ', "type": "@type"'),
    ],
)
def test_a_relative_type_is_refused(node: str, context: str) -> None:
    assert_refused_at(
        setup(node, context),
        '"ClinicalCommissioningGroup"',
        "is a relative IRI",
        "would drop the type",
        "set @vocab",
    )


@pytest.mark.parametrize(
    ("node", "context"),
    [
        (f'{{"@id": "{EX}a", "@type": "{CG}ClinicalCommissioningGroup"}}', ""),
        (f'{{"@id": "{EX}a", "@type": "cg:ClinicalCommissioningGroup"}}', f', "cg": "{CG}"'),
        (f'{{"@id": "{EX}a", "@type": "ClinicalCommissioningGroup"}}', f', "@vocab": "{CG}"'),
        (
            f'{{"@id": "{EX}a", "@type": "ClinicalCommissioningGroup"}}',
            f', "ClinicalCommissioningGroup": "{CG}ClinicalCommissioningGroup"',
        ),
    ],
)
def test_a_type_the_document_resolves_is_read_in_full(node: str, context: str) -> None:
    assert read(setup(node, context)) == {NHSCB, CCG}


@pytest.mark.parametrize(("context", "base_iri"), [(f', "@base": "{EX}"', None), ("", EX)])
def test_a_base_resolves_a_relative_type(context: str, base_iri: str | None) -> None:
    """Without @vocab, JSON-LD resolves a type that is no term against the base."""
    data = setup(f'{{"@id": "{EX}a", "@type": "ClinicalCommissioningGroup"}}', context)
    assert read(data, base_iri) == {NHSCB, CCG.replace(CG, EX)}
