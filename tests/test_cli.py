"""The command line: exit codes, output formats and every kind of bad input."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from cancergraph import store
from cancergraph.cli import main
from cancergraph.render import text_report
from cancergraph.report import Finding, Report, Severity, Terms, path_text
from cancergraph.vocab import SH, XSD
from conftest import CONFORMING, EXAMPLES, NONCONFORMING, golden


def _example_breaking(rule_id: str) -> Path:
    for path in NONCONFORMING:
        if any(f["rule"] == rule_id for f in golden(path)):
            return path
    raise AssertionError(f"no example breaks {rule_id}")


BROKEN = _example_breaking("KF-04")
POST_2013 = EXAMPLES / "conforming" / "post-2013-network.ttl"

SMALL_PREFIXES = """@prefix cg: <https://w3id.org/cancergraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
SMALL = (
    SMALL_PREFIXES
    + """<urn:setup> a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .
<urn:ccg> a cg:ClinicalCommissioningGroup ; rdfs:label "Lone CCG" .
"""
)


def run(args: list[str], capsys, stdin: bytes | None = None) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_conforming_setup_exits_0(capsys) -> None:
    code, out, _ = run(["validate", str(POST_2013)], capsys)
    assert code == 0
    assert "Result: conforms" in out


def test_findings_at_or_above_fail_level_exit_1(capsys) -> None:
    code, out, _ = run(["validate", str(BROKEN)], capsys)
    assert code == 1
    assert "KF-04" in out and "VIOLATION" in out


@pytest.mark.parametrize(
    ("fail_on", "expected"), [("violation", 1), ("warning", 1), ("info", 1), ("none", 0)]
)
def test_fail_on_levels(tmp_path: Path, capsys, fail_on: str, expected: int) -> None:
    # A lone CCG breaks KF-11 (Warning) only: no violation.
    data = tmp_path / "ccg.ttl"
    data.write_text(SMALL, encoding="utf-8")
    code, out, _ = run(["validate", str(data), "--format", "json", "--fail-on", fail_on], capsys)
    results = json.loads(out)["results"]
    assert {(r["rule"], r["severity"]) for r in results} == {("KF-11", "Warning")}
    warning_expected = {"violation": 0, "warning": 1, "info": 1, "none": 0}[fail_on]
    assert code == warning_expected
    del expected


def test_json_report_contract(capsys) -> None:
    code, out, _ = run(["validate", str(BROKEN), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1
    assert data["conforms"] is False
    assert list(data)[:2] == ["conforms", "results"]
    required = {
        "rule",
        "severity",
        "focus_node",
        "focus_label",
        "path",
        "value",
        "message",
        "source",
        "quote",
        "shape",
        "constraint",
    }
    for result in data["results"]:
        assert required <= set(result)
        assert result["severity"] in {"Violation", "Warning", "Info"}
    kf04 = [r for r in data["results"] if r["rule"] == "KF-04"]
    assert kf04 and kf04[0]["source"] == "kf2011"
    assert kf04[0]["quote"].startswith("Networks should have a direct line of accountability")
    assert kf04[0]["focus_label"]


def test_json_report_is_deterministic(capsys) -> None:
    _, first, _ = run(["validate", str(BROKEN), "--format", "json"], capsys)
    _, second, _ = run(["validate", str(BROKEN), "--format", "json"], capsys)
    assert first == second


def test_turtle_report_is_a_shacl_validation_report(capsys) -> None:
    _, out, _ = run(["validate", str(BROKEN), "--format", "turtle"], capsys)
    _, js, _ = run(["validate", str(BROKEN), "--format", "json"], capsys)
    graph = Graph().parse(data=out, format="turtle")
    reports = list(graph.subjects(predicate=SH.conforms))
    assert len(reports) == 1
    assert len(list(graph.objects(reports[0], SH.result))) == len(json.loads(js)["results"])
    for result in graph.objects(reports[0], SH.result):
        for predicate in (
            SH.focusNode,
            SH.resultSeverity,
            SH.sourceShape,
            SH.sourceConstraintComponent,
            SH.resultMessage,
        ):
            assert graph.value(result, predicate) is not None


def test_turtle_report_keeps_each_value_and_path_as_the_engine_gave_it(
    tmp_path: Path, capsys
) -> None:
    """A literal that looks like an IRI stays a literal, with its datatype, and a path
    of several steps is written as a SHACL path, as in the engine's results graph."""
    setup = tmp_path / "dates.ttl"
    setup.write_text(
        SMALL_PREFIXES
        + """
<http://ex/setup> a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .
<http://ex/a> a cg:NHSTrust ; rdfs:label "A" ; cg:validFrom "see http://x.org/a b"^^xsd:date .
<http://ex/b> a cg:NHSTrust ; rdfs:label "B" ; cg:validFrom "urn:x"^^xsd:date .
<http://ex/c> a cg:NHSTrust ; rdfs:label "C" ; cg:validFrom "01/04/2002"^^xsd:date .
""",
        encoding="utf-8",
    )
    code, out, err = run(["validate", str(setup), "--format", "turtle"], capsys)
    assert code == 1 and "Traceback" not in err
    _, js, _ = run(["validate", str(setup), "--format", "json"], capsys)
    graph = Graph().parse(data=out, format="turtle")
    values = {graph.value(r, SH.value) for r in graph.objects(None, SH.result)}
    for text in ("see http://x.org/a b", "urn:x", "01/04/2002"):
        assert Literal(text, datatype=XSD.date) in values
    paths = sorted(
        path_text(graph, graph.value(r, SH.resultPath)) or ""
        for r in graph.objects(None, SH.result)
    )
    assert paths == sorted(r["path"] or "" for r in json.loads(js)["results"])
    assert any(path.startswith("(") for path in paths)


def test_text_report_groups_by_rule_with_counts(capsys) -> None:
    _, out, _ = run(["validate", str(BROKEN)], capsys)
    assert "Result: does not conform" in out
    assert "To fix:" in out
    assert "\033[" not in out  # no colour when not a terminal


def test_colour_when_asked(capsys) -> None:
    _, out, _ = run(["validate", str(BROKEN), "--color", "always"], capsys)
    assert "\033[31m" in out


def test_profile_selects_rules(capsys) -> None:
    code, out, _ = run(
        ["validate", str(BROKEN), "--profile", "integrity", "--format", "json"], capsys
    )
    data = json.loads(out)
    assert code == 0
    assert all(rule.startswith("INT") for rule in data["rules_applied"])
    assert data["results"] == []


def test_era_from_reference_date(capsys) -> None:
    _, out, _ = run(["validate", str(CONFORMING[0]), "--format", "json"], capsys)
    data = json.loads(out)
    applied = set(data["rules_applied"])
    if data["reference_date"] < "2013-04-01":
        assert "NAO-01" in applied and "KF-04" not in applied
    else:
        assert "KF-04" in applied and "NAO-01" not in applied


def test_the_report_says_where_the_date_it_was_judged_as_of_came_from(
    tmp_path: Path, capsys
) -> None:
    undated = tmp_path / "undated.ttl"
    undated.write_text(SMALL.replace('cg:referenceDate "2014-06-30"^^xsd:date', "cg:note 1"))
    sources = {}
    for name, args in {
        "setup": [str(POST_2013)],
        "as-of": [str(POST_2013), "--as-of", "2014-01-01"],
        "today": [str(undated)],
    }.items():
        _, out, _ = run(["validate", *args, "--format", "json", "--fail-on", "none"], capsys)
        sources[name] = json.loads(out)["reference_date_source"]
        _, text, _ = run(["validate", *args, "--fail-on", "none", "--color", "never"], capsys)
        assert ("declares no reference date" in text) == (name == "today")
    assert sources == {"setup": "setup", "as-of": "as-of", "today": "today"}


def test_as_of_overrides_the_reference_date(capsys) -> None:
    _, out, _ = run(
        [
            "validate",
            str(POST_2013),
            "--as-of",
            "2005-01-01",
            "--format",
            "json",
            "--fail-on",
            "none",
        ],
        capsys,
    )
    data = json.loads(out)
    assert data["reference_date"] == "2005-01-01"
    assert "NAO-04" in data["rules_applied"] and "KF-04" not in data["rules_applied"]


def test_custom_shapes_file(tmp_path: Path, capsys) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:ccg> ;
            sh:property [ sh:path rdfs:comment ; sh:minCount 1 ] .""",
        encoding="utf-8",
    )
    data = tmp_path / "d.ttl"
    data.write_text(SMALL, encoding="utf-8")
    code, out, _ = run(["validate", str(data), "--shapes", str(shapes), "--format", "json"], capsys)
    results = json.loads(out)["results"]
    assert code == 1
    assert len(results) == 1
    assert results[0]["rule"] is None
    assert results[0]["focus_node"] == "urn:ccg"
    assert results[0]["path"] == "http://www.w3.org/2000/01/rdf-schema#comment"
    assert results[0]["constraint"].endswith("MinCountConstraintComponent")


@pytest.mark.parametrize(
    ("name", "fmt", "text"),
    [
        (
            "d.nt",
            None,
            "<urn:setup> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<https://w3id.org/cancergraph/ontology#Setup> .\n",
        ),
        (
            "d.jsonld",
            None,
            '{"@id": "urn:setup", "@type": "https://w3id.org/cancergraph/ontology#Setup"}',
        ),
        (
            "d.rdf",
            None,
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="urn:setup"><rdf:type rdf:resource='
            '"https://w3id.org/cancergraph/ontology#Setup"/></rdf:Description>'
            "</rdf:RDF>",
        ),
        ("d.trig", None, "<urn:g> { <urn:setup> a <https://w3id.org/cancergraph/ontology#Setup> }"),
        ("d.data", "turtle", "<urn:setup> a <https://w3id.org/cancergraph/ontology#Setup> ."),
    ],
)
def test_every_input_format(tmp_path: Path, capsys, name: str, fmt: str | None, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    args = ["validate", str(path), "--format", "json", "--as-of", "2014-01-01"]
    if fmt:
        args += ["--input-format", fmt]
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert json.loads(out)["conforms"] is True


def test_stdin(capsys) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "cancergraph", "validate", "-", "--format", "json"],
        input=POST_2013.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout)["sources"] == ["<stdin>"]


def bad(args: list[str], capsys) -> str:
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("cancergraph: error: ") or "usage:" in err
    return err


def test_missing_file(capsys) -> None:
    assert "nope.ttl: no such file" in bad(["validate", "nope.ttl"], capsys)


def test_empty_file(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    assert "empty.ttl: the file is empty" in bad(["validate", str(empty)], capsys)


def test_file_with_no_statements(tmp_path: Path, capsys) -> None:
    only = tmp_path / "prefixes.ttl"
    only.write_text("@prefix ex: <http://example.org/> .\n", encoding="utf-8")
    assert "contains no RDF statements" in bad(["validate", str(only)], capsys)


def test_unknown_extension(tmp_path: Path, capsys) -> None:
    odd = tmp_path / "setup.xyz"
    odd.write_text("<urn:a> <urn:b> <urn:c> .", encoding="utf-8")
    err = bad(["validate", str(odd)], capsys)
    assert "cannot tell the RDF format" in err and "--input-format" in err


def test_unknown_input_format_name(capsys) -> None:
    err = bad(["validate", str(POST_2013), "--input-format", "yaml"], capsys)
    assert "invalid choice" in err


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", 3),
        ("bad.nt", "<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", 2),
        ("bad.jsonld", '{\n"@id": "urn:a",\n"urn:b": [1,\n}\n', 4),
        ("bad.trig", "<urn:g> {\n<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \n}\n", 4),
        (
            "bad.rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
            ' xmlns:ex="http://example.org/">\n <rdf:Description rdf:about="urn:a">\n'
            "  <ex:p>1</ex:q>\n </rdf:Description>\n</rdf:RDF>\n",
            4,
        ),
    ],
)
def test_malformed_rdf_names_file_and_line(
    tmp_path: Path, capsys, name: str, text: str, line: int
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    err = bad(["validate", str(path)], capsys)
    assert f"{name}:{line}:" in err
    assert "syntax error" in err
    assert len(err.strip().splitlines()) == 1


def test_an_rdf_error_in_xml_names_its_own_line(tmp_path: Path, capsys) -> None:
    """pyoxigraph's RDF/XML errors carry no position; the line is that of the error it
    stopped at, not that of the first XML error further on (which expat would find)."""
    path = tmp_path / "iri.rdf"
    path.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        ' xmlns:ex="http://example.org/">\n'
        ' <rdf:Description rdf:about="urn:a">\n'
        '  <ex:p rdf:resource="http://exa mple.org/bad iri"/>\n'
        " </rdf:Description>\n"
        " <unclosed>\n"
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    err = bad(["validate", str(path)], capsys)
    assert "iri.rdf:4:52: rdfxml syntax error: error while parsing IRI" in err


def test_an_rdfxml_error_without_a_line_stays_without_one_in_a_large_file(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cancergraph import rdf_errors

    monkeypatch.setattr(rdf_errors, "POSITION_SEARCH_LIMIT", 100)
    path = tmp_path / "plain.rdf"
    path.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        ' <rdf:Description rdf:about="urn:a">\n'
        "  <plain>1</plain>\n"
        " </rdf:Description>\n"
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    assert "plain.rdf: rdfxml syntax error: XML namespaces are required" in bad(
        ["validate", str(path)], capsys
    )
    monkeypatch.undo()
    assert "plain.rdf:3:9: rdfxml syntax error: XML namespaces are required" in bad(
        ["validate", str(path)], capsys
    )


def test_rdfxml_cut_short_is_refused_where_it_ends(tmp_path: Path, capsys) -> None:
    """pyoxigraph reads an RDF/XML document cut short up to the cut, silently dropping
    the rest; a setup that lost its end must not be reported on as if whole."""
    path = tmp_path / "cut.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">\n'
        ' <rdf:Description rdf:about="urn:ex:a"><ex:b rdf:resource="urn:ex:c"/>'
        "</rdf:Description>\n"
        ' <rdf:Description rdf:about="urn:ex:d">\n'
        "  <ex:e>",
        encoding="utf-8",
    )
    for command in (["validate", str(path)], ["query", "network-members", str(path)]):
        err = bad(command, capsys)
        assert "cut.rdf:5:9: rdfxml syntax error: not well-formed XML" in err
        assert "cut short" in err


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            '{\n "@context": {"p": "urn:ex:p"},\n "@graph": [\n  {"@id": "urn:ex:a", "p": "a"},\n'
            '  {"@id": "urn:ex:b", "p": {"@value": 1, "@language": "en"}},\n'
            '  {"@id": "urn:ex:c", "p": "c"}\n ]\n}\n',
            5,
        ),
        (
            '[\n {"@id": "urn:ex:a", "urn:ex:p": "a"},\n {"@id": 5, "urn:ex:p": "b"}\n]\n',
            3,
        ),
    ],
)
def test_a_json_ld_error_names_the_node_at_fault(
    tmp_path: Path, capsys, text: str, line: int
) -> None:
    """pyoxigraph reports such errors at the end of the document; the line is that of the
    listed node the error comes from."""
    path = tmp_path / "nodes.jsonld"
    path.write_text(text, encoding="utf-8")
    err = bad(["validate", str(path)], capsys)
    assert f"nodes.jsonld:{line}:" in err and "jsonld syntax error" in err


JSONLD_WITH = '{{\n "@context": {context},\n "@id": "urn:ex:a",\n {body}\n}}\n'
LABEL = '"http://www.w3.org/2000/01/rdf-schema#label"'


def test_a_json_ld_key_that_maps_to_nothing_is_refused_at_its_line(tmp_path: Path, capsys) -> None:
    """JSON-LD drops such a key's values without a word; a misspelt name must not cost
    a setup its statements."""
    path = tmp_path / "typo.jsonld"
    path.write_text(
        JSONLD_WITH.format(context=f'{{"label": {LABEL}}}', body='"label": "a",\n "lable": "b"'),
        encoding="utf-8",
    )
    err = bad(["validate", str(path)], capsys)
    assert 'typo.jsonld:5:2: jsonld: the key "lable" maps to no IRI' in err


@pytest.mark.parametrize(
    ("context", "body"),
    [
        ('{"@vocab": "urn:ex:"}', '"lable": "b"'),  # every key maps, through @vocab
        (f'{{"label": {{"@id": {LABEL}, "@container": "@language"}}}}', '"label": {"en": "b"}'),
        ('{"label": null}', '"label": "b", "urn:ex:p": "c"'),  # dropped on purpose
        ("{}", '"urn:ex:p": {"@value": {"any": 1}, "@type": "@json"}'),
    ],
)
def test_json_ld_keys_that_map_or_are_not_properties_are_read(
    tmp_path: Path, capsys, context: str, body: str
) -> None:
    path = tmp_path / "fine.jsonld"
    path.write_text(JSONLD_WITH.format(context=context, body=body), encoding="utf-8")
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", encoding="utf-8")
    code, out, err = run(["query", str(query), str(path), "--format", "csv"], capsys)
    assert code == 0, err
    assert out.split() == ["n", "1"]  # the one statement each body makes


def test_malformed_rdfxml(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.rdf"
    path.write_text("<rdf:RDF><oops></rdf:RDF>", encoding="utf-8")
    err = bad(["validate", str(path)], capsys)
    assert "bad.rdf" in err and "syntax error" in err


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".jsonld", ".rdf"])
def test_a_byte_order_mark_is_read_past(tmp_path: Path, capsys, suffix: str) -> None:
    """Editors on Windows start UTF-8 files with a byte order mark; it is not RDF."""
    bodies = {
        ".ttl": "<urn:a> <urn:b> <urn:c> .\n",
        ".nt": "<urn:a> <urn:b> <urn:c> .\n",
        ".trig": "<urn:g> { <urn:a> <urn:b> <urn:c> . }\n",
        ".jsonld": '{"@id": "urn:a", "urn:b": {"@id": "urn:c"}}',
        ".rdf": '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
        'syntax-ns#"><rdf:Description rdf:about="urn:a"><rdf:type rdf:resource="urn:c"/>'
        "</rdf:Description></rdf:RDF>",
    }
    path = tmp_path / f"setup{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + bodies[suffix].encode("utf-8"))
    assert main(["validate", str(path), "--format", "json"]) == 0, capsys.readouterr().err


def test_a_date_no_rule_covers_says_nothing_was_checked(capsys) -> None:
    """Before the NHS Cancer Plan no rule applies: the report must not read as clean."""
    broken = next(p for p in NONCONFORMING if p.stem == "cancer-plan-defects")
    assert main(["validate", str(broken), "--as-of", "2000-08-31", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "0 rules applied" in out and "nothing was checked" in out
    main(["validate", str(broken), "--as-of", "2000-09-01", "--color", "never"])
    assert "nothing was checked" not in capsys.readouterr().out


def test_a_remote_json_ld_context_is_not_fetched(tmp_path: Path, capsys) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:a"}')
    err = bad(["validate", str(path)], capsys)
    assert "remote.jsonld: jsonld syntax error: the @context is a remote document" in err
    assert "never fetched" in err


def test_an_error_quoting_a_file_name_shows_its_control_characters(tmp_path: Path, capsys) -> None:
    """A file's name (or bytes) quoted in an error could forge a line or send an escape
    sequence to the terminal; it is shown as the text report shows data."""
    name = tmp_path / "a\x1b[31mred\nFAKE: all good.ttl"
    err = bad(["validate", str(name)], capsys)
    assert "\x1b" not in err and err.count("\n") == 1
    assert "a\\x1b[31mred\\nFAKE: all good.ttl: no such file" in err


def test_standard_input_named_twice_is_refused(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(POST_2013.read_bytes())))
    assert "standard input (-) can be named only once" in bad(["validate", "-", "-"], capsys)


def test_conflicting_reference_dates(tmp_path: Path, capsys) -> None:
    err = bad(["validate", str(CONFORMING[0]), str(POST_2013)], capsys)
    assert "more than one reference date" in err


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"2014-13-45"^^xsd:date', "of <urn:setup> is not a valid date: 2014-13-45"),
        ('"30/06/2014"', 'of <urn:setup> must be an xsd:date, found "30/06/2014"'),
        # ISO 8601 forms that xsd:date does not allow (Python 3.11 reads them)
        ('"20140630"^^xsd:date', "of <urn:setup> is not a valid date: 20140630"),
        ('"2014-W27-1"^^xsd:date', "of <urn:setup> is not a valid date: 2014-W27-1"),
    ],
)
def test_a_bad_reference_date_names_its_setup(
    tmp_path: Path, capsys, written: str, message: str
) -> None:
    """Several files are merged before the date is read, so the setup node is what
    tells the reviewer where to look."""
    path = tmp_path / "setup.ttl"
    path.write_text(SMALL.replace('"2014-06-30"^^xsd:date', written), encoding="utf-8")
    assert "cg:referenceDate " + message in bad(["validate", str(POST_2013), str(path)], capsys)


def test_unknown_profile(capsys) -> None:
    assert "invalid choice" in bad(["validate", str(POST_2013), "--profile", "who2020"], capsys)


@pytest.mark.parametrize("written", ["yesterday", "20140630", "2014-W27-1", "2014-6-30"])
def test_bad_as_of(capsys, written: str) -> None:
    assert "not a date" in bad(["validate", str(POST_2013), "--as-of", written], capsys)


def test_no_command(capsys) -> None:
    bad([], capsys)


def test_rules_lists_every_rule(capsys, rules_spec) -> None:
    code, out, _ = run(["rules", "--format", "json"], capsys)
    listed = json.loads(out)
    assert code == 0
    assert [r["id"] for r in listed] == [r["id"] for r in rules_spec]
    by_id = {r["id"]: r for r in listed}
    for spec in rules_spec:
        assert by_id[spec["id"]]["severity"] == spec["severity"]
        assert by_id[spec["id"]]["era"] == spec["era"]
        assert by_id[spec["id"]]["source"] == spec["source"]
    code, text, _ = run(["rules"], capsys)
    assert code == 0 and "KF-04" in text and "Violation" in text


# -- shapes of one's own ---------------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
OWN_SHAPES = FIXTURES / "shapes-of-three-severities.ttl"
THREE_THINGS = FIXTURES / "three-things.ttl"


def test_text_blocks_of_own_shapes_never_mix_severities(capsys) -> None:
    args = ["validate", str(THREE_THINGS), "--shapes", str(OWN_SHAPES)]
    _, js, _ = run([*args, "--format", "json"], capsys)
    code, out, _ = run(args, capsys)
    data = json.loads(js)
    assert code == 1
    assert data["summary"] == {"Violation": 2, "Warning": 1, "Info": 3}
    expected: dict[tuple[str, str], int] = {}
    for result in data["results"]:
        # a block per shape a reader can look up: a blank property shape goes under
        # the named shape that nests it
        key = (result["severity"].upper(), result["named_shape"] or result["shape"])
        expected[key] = expected.get(key, 0) + 1
    headings = [line for line in out.splitlines() if line.startswith("-  ")]
    assert len(headings) == len(expected) == 4
    assert all(result["named_shape"] for result in data["results"])
    for (severity, shape), count in expected.items():
        name = shape if shape.startswith("_:") else f"<{shape}>"
        findings = f"{count} finding{'s' if count != 1 else ''}"
        assert f"-  {severity}  shape without a rule id: {name}  ({findings})" in headings
    # most severe first
    assert [h.split()[1] for h in headings] == ["VIOLATION", "WARNING", "INFO", "INFO"]


def test_a_blank_property_shape_is_reported_under_the_named_shape_nesting_it(
    tmp_path: Path, capsys
) -> None:
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/shapes#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:CommentedCCG a sh:NodeShape ;
    sh:targetSubjectsOf rdfs:label ;
    sh:property [ sh:path ( rdfs:label rdfs:comment ) ; sh:minCount 1 ] .
""",
        encoding="utf-8",
    )
    args = ["validate", str(THREE_THINGS), "--shapes", str(shapes)]
    _, out, _ = run([*args, "--color", "never"], capsys)
    assert "0 rules" not in out and "Checked against the given shapes" in out
    assert "shape without a rule id: <http://example.org/shapes#CommentedCCG>" in out
    _, sarif_text, _ = run([*args, "--format", "sarif"], capsys)
    rule_ids = {r["ruleId"] for r in json.loads(sarif_text)["runs"][0]["results"]}
    assert rule_ids == {"http://example.org/shapes#CommentedCCG"}


def test_a_rule_with_findings_of_two_severities_gets_a_block_for_each() -> None:
    def finding(severity: Severity, focus: str) -> Finding:
        return Finding(
            "KF-04", severity, focus, None, None, None, None, "m", None, None, None, "t", "s", "c"
        )

    findings = [
        finding(Severity.INFO, "urn:a"),
        finding(Severity.VIOLATION, "urn:b"),
        finding(Severity.INFO, "urn:c"),
    ]
    out = text_report.render(Report(conforms=False, results=findings))
    assert "KF-04  VIOLATION  t  (1 finding)" in out
    assert "KF-04  INFO  t  (2 findings)" in out
    assert out.index("VIOLATION  t") < out.index("INFO  t")


def test_a_long_iri_in_the_text_report_is_never_broken() -> None:
    """Folding at a hyphen or cutting a long word would make an IRI copied from the
    report wrong; an IRI value is written as focus nodes are, a literal as it is."""
    iri = (
        "https://w3id.org/cancergraph/example/a-rather-long-name-for-north-east-and-cumbria/network"
    )
    ccg = "urn:ccg"
    iri_value = Finding(
        "KF-10",
        Severity.VIOLATION,
        ccg,
        None,
        None,
        iri,
        None,
        "The CCG has no engagement.",
        None,
        None,
        None,
        "t",
        "s",
        "c",
        terms=Terms(value=URIRef(iri)),
    )
    literal_value = replace(iri_value, value="2013-04-01", terms=Terms(value=Literal("2013-04-01")))
    out = text_report.render(Report(conforms=False, results=[iri_value, literal_value]))
    assert f"Value: <{iri}>" in out.replace("\n      ", " ")
    assert all(len(line) <= 88 or iri in line for line in out.splitlines())
    assert "Value: 2013-04-01" in out


def test_html_sections_never_mix_severities_and_say_when_nothing_was_checked() -> None:
    """The web report groups findings as the text report does."""
    from cancergraph.render import html_report

    def finding(severity: Severity, focus: str) -> Finding:
        return Finding(
            "KF-04", severity, focus, None, None, None, None, "m", None, None, None, "t", "s", "c"
        )

    findings = [finding(Severity.INFO, "urn:a"), finding(Severity.VIOLATION, "urn:b")]
    sections = html_report.groups(Report(conforms=False, results=findings))
    assert [(g.rule, g.severity, len(g.findings)) for g in sections] == [
        ("KF-04", "Violation", 1),
        ("KF-04", "Info", 1),
    ]
    empty = Report(conforms=True, results=[], reference_date=date(2000, 8, 31))
    assert "nothing was checked" in html_report.render(empty)
    assert "nothing was checked" not in html_report.render(
        Report(conforms=True, results=[], reference_date=date(2014, 6, 30), rules_applied=["KF-04"])
    )


def test_shapes_file_without_shapes_is_refused(capsys) -> None:
    err = bad(["validate", str(THREE_THINGS), "--shapes", str(THREE_THINGS)], capsys)
    assert f"{THREE_THINGS}: contains no SHACL shapes" in err
    err = bad(
        ["validate", str(THREE_THINGS), "--shapes", str(OWN_SHAPES), "--shapes", str(POST_2013)],
        capsys,
    )
    assert f"{POST_2013}: contains no SHACL shapes" in err


def test_shapes_file_of_prefix_declarations_is_accepted_beside_shapes(
    tmp_path: Path, capsys
) -> None:
    prefixes = tmp_path / "prefixes.ttl"
    prefixes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        '<urn:prefixes> sh:declare [ sh:prefix "ex" ; sh:namespace "urn:ex:" ] .\n',
        encoding="utf-8",
    )
    args = ["validate", str(THREE_THINGS), "--format", "json", "--shapes"]
    code, out, _ = run([*args, str(OWN_SHAPES), "--shapes", str(prefixes)], capsys)
    assert code == 1 and len(json.loads(out)["results"]) == 6
    assert "contains no SHACL shapes" in bad([*args, str(prefixes)], capsys)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--profile", "kf2011"], "--profile selects among the project's rules"),
        (["--as-of", "2014-01-01"], "--as-of dates the project's rules"),
    ],
)
def test_options_for_the_projects_rules_are_refused_with_shapes(
    capsys, option: list[str], message: str
) -> None:
    err = bad(["validate", str(THREE_THINGS), "--shapes", str(OWN_SHAPES), *option], capsys)
    assert message in err and "cannot be used with --shapes" in err


# -- options that take one value each --------------------------------------------------------


def test_profile_before_the_data(capsys) -> None:
    code, out, err = run(
        ["validate", "--profile", "kf2011", str(POST_2013), "--format", "json"], capsys
    )
    assert code == 0, err
    assert json.loads(out)["profiles"] == ["kf2011"]


def test_repeated_profiles_are_listed_once_in_catalogue_order(capsys) -> None:
    args = ["validate", str(POST_2013), "--format", "json"]
    profiles = ["--profile", "kf2011", "--profile", "integrity", "--profile", "kf2011"]
    code, out, err = run([*args, *profiles], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["profiles"] == ["kf2011", "integrity"]
    assert not any(rule.startswith("NAO") for rule in data["rules_applied"])


def test_shapes_before_the_data_and_repeated(tmp_path: Path, capsys) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:extra> a sh:NodeShape ; sh:targetNode <https://example.org/own-shapes/c> ;\n"
        "    sh:class <urn:nothing> .\n",
        encoding="utf-8",
    )
    args = ["validate", "--shapes", str(OWN_SHAPES), "--shapes", str(extra), str(THREE_THINGS)]
    code, out, err = run([*args, "--format", "json"], capsys)
    assert code == 1, err
    shapes = {result["shape"] for result in json.loads(out)["results"]}
    assert "urn:extra" in shapes and "https://example.org/own-shapes/AClass" in shapes


# -- what a data file cannot do to the report ------------------------------------------------


def test_control_characters_are_escaped_in_the_text_report(capsys) -> None:
    data = FIXTURES / "control-characters.ttl"
    shapes = FIXTURES / "control-characters-shapes.ttl"
    code, out, _ = run(["validate", str(data), "--shapes", str(shapes)], capsys)
    assert code == 1
    for raw in ("\x1b", "\x07", "\t", "\u202e"):
        assert raw not in out
    assert "  - Board\\nsecond line\\twith a tab \\x1b[31mred\\x1b[0m <https://" in out
    assert "<https://example.org/control/post\\u202etxt.exe>" in out
    assert "Needs a comment \\x1b]0;new window title\\x07 now" in out
    assert "Poste de médecin 医生" in out
    body = out.split("\n\n", 1)[1].splitlines()
    assert sum(line.startswith("  - ") for line in body) == 2
    assert all(line.startswith(("-  ", "  ")) for line in body)


def test_a_term_over_pyoxigraphs_limit_is_bad_input(tmp_path: Path, capsys, monkeypatch) -> None:
    label = "x" * (17 * 1024 * 1024)
    turtle = tmp_path / "setup.ttl"
    turtle.write_text(
        f'<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .\n', encoding="utf-8"
    )
    jsonld = tmp_path / "setup.jsonld"
    jsonld.write_text(
        f'{{"@id": "urn:a", "http://www.w3.org/2000/01/rdf-schema#label": "{label}"}}',
        encoding="utf-8",
    )
    limit = "a single term is larger than pyoxigraph's 16 MiB limit"
    for path in (turtle, jsonld):
        err = bad(["validate", str(path)], capsys)
        assert f"{path}: {limit}" in err and len(err.strip().splitlines()) == 1
    err = bad(["validate", str(POST_2013), "--shapes", str(turtle)], capsys)
    assert f"{turtle}: {limit}" in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(turtle.read_bytes())))
    assert f"<stdin>: {limit}" in bad(["validate", "-"], capsys)
    with pytest.raises(store.InputError, match=limit):  # as the service and diff read files
        store.parse_source(store.Source.from_path(turtle))


# -- the same input gives the same bytes -----------------------------------------------------

BLANK_DATA = FIXTURES / "blank-nodes.ttl"
BLANK_SHAPES = FIXTURES / "blank-node-shapes.ttl"


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_reports_with_blank_nodes_are_byte_stable(capsys, engine: str, fmt: str) -> None:
    args = ["validate", str(BLANK_DATA), "--shapes", str(BLANK_SHAPES), "--format", fmt]
    outputs = {run([*args, "--engine", engine], capsys)[1] for _ in range(3)}
    assert len(outputs) == 1


def test_blank_node_names_do_not_depend_on_the_parsers_labels(tmp_path: Path, capsys) -> None:
    # The same graph with other blank node labels and the statements in another order.
    graph = Graph().parse(BLANK_DATA)
    lines = sorted(graph.serialize(format="nt").splitlines(), reverse=True)
    shuffled = tmp_path / "shuffled.nt"
    shuffled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = []
    for path in (BLANK_DATA, shuffled):
        code, out, _ = run(
            ["validate", str(path), "--shapes", str(BLANK_SHAPES), "--format", "json"], capsys
        )
        assert code == 1
        reports.append(json.loads(out)["results"])
    assert reports[0] == reports[1]
    names = {r[key] for r in reports[0] for key in ("focus_node", "value", "shape")}
    assert {name for name in names if name and name.startswith("_:")} == {
        f"_:b{n}" for n in range(1, 16)
    }
    # A blank node keeps its name throughout: the posts that hold each other name each
    # other as the value at fault.
    held = {
        r["focus_node"]: r["value"]
        for r in reports[0]
        if r["path"] == "https://example.org/blank/holder"
    }
    mutual = [focus for focus, value in held.items() if held.get(value) == focus]
    assert len(mutual) == 2


def test_blank_nodes_in_regular_patterns_get_the_same_names(tmp_path: Path, capsys) -> None:
    patterns = FIXTURES / "blank-node-patterns.ttl"
    args = ["--shapes", str(BLANK_SHAPES), "--format", "json"]
    expected = json.loads(run(["validate", str(patterns), *args], capsys)[1])["results"]
    assert len(expected) == 18 + 27 + 18  # per post: a comment, its holders, being held
    graph = Graph().parse(patterns)
    for seed in range(4):
        shuffle = random.Random(seed)
        renamed: dict[BNode, BNode] = {}
        lines = [
            " ".join(
                renamed.setdefault(t, BNode()).n3() if isinstance(t, BNode) else t.n3()
                for t in triple
            )
            + " ."
            for triple in graph
        ]
        shuffle.shuffle(lines)
        path = tmp_path / f"patterns-{seed}.nt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert json.loads(run(["validate", str(path), *args], capsys)[1])["results"] == expected


@pytest.mark.parametrize(
    ("written", "judged"),
    [
        ("2014-06-30", "2014-06-30"),
        ("2014-06-30Z", "2014-06-30"),
        ("2012-01-31+01:00", "2012-01-31"),
    ],
)
def test_a_reference_date_may_carry_a_time_zone(
    tmp_path: Path, capsys, written: str, judged: str
) -> None:
    """xsd:date allows a time zone; the day is what the setup is judged as of."""
    path = tmp_path / "setup.ttl"
    path.write_text(SMALL.replace('"2014-06-30"', f'"{written}"'), encoding="utf-8")
    main(["validate", str(path), "--format", "json"])
    assert json.loads(capsys.readouterr().out)["reference_date"] == judged


NESTED_BLANK_SHAPE = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
    sh:property [ sh:path ex:p ; sh:node [ sh:class ex:C ] ] .
"""


def test_a_message_about_a_blank_shape_is_the_same_in_every_run(tmp_path: Path, capsys) -> None:
    """sh:node's message names the shape; a blank one is shown as [ ], not by the random
    label its parse gave it."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(NESTED_BLANK_SHAPE, encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> <urn:b> .\n")
    outputs = set()
    for _ in range(3):
        main(["validate", str(data), "--shapes", str(shapes), "--format", "json"])
        outputs.add(capsys.readouterr().out)
    (output,) = outputs
    messages = [r["message"] for r in json.loads(output)["results"]]
    assert messages == ["Value does not conform to the shape [ ]"]
