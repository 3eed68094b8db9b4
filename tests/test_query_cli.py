"""`cancergraph query`: the library listing, result formats and every kind of bad input."""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from cancergraph import queries
from cancergraph.cli import main
from cancergraph.commands import common
from cancergraph.render import query_results
from conftest import EXAMPLES

CCG_DEFECTS = str(EXAMPLES / "nonconforming" / "post-2013-ccg-defects.ttl")
CCG_COLUMNS = ["ccg", "ccgName", "network", "networkName", "asOf", "day"]
EX = "https://w3id.org/cancergraph/example/post-2013-ccg-defects/"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"

CONSTRUCT = """PREFIX cg: <https://w3id.org/cancergraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?network rdfs:label ?name } WHERE { ?network a cg:CancerNetwork ; rdfs:label ?name }
"""
ASK = """PREFIX cg: <https://w3id.org/cancergraph/ontology#>
ASK { ?ccg a cg:ClinicalCommissioningGroup }
"""


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["query", *args])
    out, err = capsys.readouterr()
    return code, out, err


def query_file(tmp_path: Path, text: str, name: str = "ad-hoc.rq") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- the library listing ---------------------------------------------------------------------


def test_list_shows_every_query_with_its_parameters(capsys) -> None:
    code, out, _ = run(["--list"], capsys)
    assert code == 0
    for query in queries.library().values():
        assert f"{query.name}\n    {query.title}\n" in out
    assert "    --param asOf=<date, e.g. 2014-06-30>  judge as of this date" in out
    assert "    --param year=<integer, e.g. 2006>  only allocations for the financial year" in out


def test_list_as_json(capsys) -> None:
    code, out, _ = run(["--list", "--format", "json"], capsys)
    assert code == 0
    listed = json.loads(out)
    assert [q["name"] for q in listed] == sorted(queries.library())
    by_name = {q["name"]: q for q in listed}
    ccgs = by_name["ccgs-without-engagement"]
    assert set(ccgs) == {"name", "title", "description", "relates", "form", "parameters"}
    assert ccgs["relates"] == ["KF-10"] and ccgs["form"] == "SELECT"
    assert ccgs["parameters"] == [
        {
            "name": "asOf",
            "type": "date",
            "default": None,
            "example": "2014-06-30",
            "description": "judge as of this date (default: the setup's reference date)",
        }
    ]
    funding = by_name["funding-allocations"]["parameters"]
    assert [(p["name"], p["type"]) for p in funding] == [("network", "iri"), ("year", "integer")]


# -- SELECT results in every format ----------------------------------------------------------


def test_table_is_the_default(capsys) -> None:
    code, out, _ = run(["ccgs-without-engagement", CCG_DEFECTS], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == CCG_COLUMNS
    assert "NHS Northfold City CCG" in lines[2] and "2014-06-30" in lines[2]
    assert lines[-1] == "(1 row)"


def test_csv_follows_the_sparql_results_format(capsys) -> None:
    code, out, _ = run(["ccgs-without-engagement", CCG_DEFECTS, "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        CCG_COLUMNS,
        [
            EX + "ccg-northfold-city",
            "NHS Northfold City CCG",
            EX + "network",
            "Northfold Cancer Network",
            "",
            "2014-06-30",
        ],
    ]


def test_tsv_follows_the_sparql_results_format(capsys) -> None:
    code, out, _ = run(["ccgs-without-engagement", CCG_DEFECTS, "--format", "tsv"], capsys)
    assert code == 0
    header, row = out.splitlines()
    assert header.split("\t") == [f"?{name}" for name in CCG_COLUMNS]
    assert row.split("\t") == [
        f"<{EX}ccg-northfold-city>",
        '"NHS Northfold City CCG"',
        f"<{EX}network>",
        '"Northfold Cancer Network"',
        "",
        '"2014-06-30"^^<http://www.w3.org/2001/XMLSchema#date>',
    ]


def test_json_follows_the_sparql_results_format(capsys) -> None:
    code, out, _ = run(["ccgs-without-engagement", CCG_DEFECTS, "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"] == CCG_COLUMNS
    (binding,) = data["results"]["bindings"]
    assert binding["ccg"] == {"type": "uri", "value": EX + "ccg-northfold-city"}
    assert binding["day"] == {
        "type": "literal",
        "value": "2014-06-30",
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }
    assert "asOf" not in binding


def test_xml_follows_the_sparql_results_format(capsys) -> None:
    code, out, _ = run(["ccgs-without-engagement", CCG_DEFECTS, "--format", "xml"], capsys)
    assert code == 0
    root = ET.fromstring(out)
    assert root.tag == f"{RESULTS}sparql"
    names = [v.get("name") for v in root.iter(f"{RESULTS}variable")]
    assert names == CCG_COLUMNS
    (result,) = root.iter(f"{RESULTS}result")
    bound = {b.get("name"): b[0].text for b in result.iter(f"{RESULTS}binding")}
    assert bound["ccgName"] == "NHS Northfold City CCG"
    assert bound["network"] == EX + "network"


def test_parameters_are_passed_through(capsys) -> None:
    args = ["ccgs-without-engagement", CCG_DEFECTS, "--format", "csv"]
    code, out, _ = run([*args, "--param", "asOf=2014-01-01"], capsys)
    assert code == 0
    assert out.splitlines() == [",".join(CCG_COLUMNS)]
    code, out, _ = run([*args, "--param", "asOf=2014-04-01"], capsys)
    assert code == 0
    assert out.splitlines()[1].endswith(",2014-04-01,2014-04-01")


# -- CONSTRUCT and ASK -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "parse_as"), [("turtle", "turtle"), ("ntriples", "nt"), ("table", "turtle")]
)
def test_construct_gives_rdf(tmp_path: Path, capsys, fmt: str, parse_as: str) -> None:
    code, out, _ = run([query_file(tmp_path, CONSTRUCT), CCG_DEFECTS, "--format", fmt], capsys)
    assert code == 0
    graph = Graph().parse(data=out, format=parse_as)
    assert {(str(s), str(o)) for s, _, o in graph} == {(EX + "network", "Northfold Cancer Network")}


def test_construct_gives_json_ld(tmp_path: Path, capsys) -> None:
    code, out, _ = run([query_file(tmp_path, CONSTRUCT), CCG_DEFECTS, "--format", "jsonld"], capsys)
    assert code == 0
    (node,) = json.loads(out)
    assert node["@id"] == EX + "network"
    assert node["http://www.w3.org/2000/01/rdf-schema#label"] == [
        {"@value": "Northfold Cancer Network"}
    ]


def test_construct_refuses_a_results_format(tmp_path: Path, capsys) -> None:
    code, out, err = run([query_file(tmp_path, CONSTRUCT), CCG_DEFECTS, "--format", "csv"], capsys)
    assert code == 2 and out == ""
    assert "CONSTRUCT and DESCRIBE give RDF" in err


def test_ask_gives_true_or_false(tmp_path: Path, capsys) -> None:
    ask = query_file(tmp_path, ASK)
    assert run([ask, CCG_DEFECTS], capsys)[:2] == (0, "true\n")
    code, out, _ = run([ask, CCG_DEFECTS, "--format", "json"], capsys)
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}
    code, out, _ = run([ask, CCG_DEFECTS, "--format", "xml"], capsys)
    assert code == 0 and ET.fromstring(out).find(f"{RESULTS}boolean").text == "true"
    none = query_file(tmp_path, ASK.replace("ClinicalCommissioningGroup", "PrimaryCareTrust"))
    assert run([none, CCG_DEFECTS], capsys)[:2] == (0, "false\n")
    for fmt in ("csv", "turtle"):  # no CSV form for a boolean, and no RDF
        code, _, err = run([ask, CCG_DEFECTS, "--format", fmt], capsys)
        assert code == 2 and "ASK gives a single boolean: use table, json or xml" in err


def test_select_refuses_an_rdf_format(capsys) -> None:
    code, out, err = run(["ccgs-without-engagement", CCG_DEFECTS, "--format", "turtle"], capsys)
    assert code == 2 and out == ""
    assert "SELECT gives a result table: use one of table, json, xml, csv, tsv" in err


# -- bad parameters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("asOf=yesterday", "parameter asOf: 'yesterday' is not a valid date"),
        ("asOf=2014-02-30", "parameter asOf: '2014-02-30' is not a valid date"),
        ("asOf=20140630", "parameter asOf: '20140630' is not a valid date"),
        ("bogus=1", "unknown parameter bogus for query 'ccgs-without-engagement'"),
        ("asOf", "bad parameter 'asOf': expected name=value"),
        ("=2014-06-30", "bad parameter '=2014-06-30': expected name=value"),
    ],
)
def test_bad_parameters_exit_2_naming_them(capsys, param: str, message: str) -> None:
    code, out, err = run(["ccgs-without-engagement", CCG_DEFECTS, "--param", param], capsys)
    assert code == 2 and out == ""
    assert err.startswith("cancergraph: error: ")
    assert message in err


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("year=2006/07", "parameter year: '2006/07' is not a valid integer"),
        ("network=no iri", "parameter network: 'no iri' is not a valid iri"),
    ],
)
def test_bad_typed_parameters_of_other_types(capsys, param: str, message: str) -> None:
    code, _, err = run(["funding-allocations", CCG_DEFECTS, "--param", param], capsys)
    assert code == 2 and message in err


def test_a_parameter_given_twice(capsys) -> None:
    args = ["--param", "asOf=2014-01-01", "--param", "asOf=2014-04-01"]
    code, _, err = run(["ccgs-without-engagement", CCG_DEFECTS, *args], capsys)
    assert code == 2 and "parameter asOf given twice" in err


def test_bad_parameters_are_refused_before_the_data_is_read(capsys) -> None:
    code, _, err = run(["essential-posts", "no-such-file.ttl", "--param", "asOf=soon"], capsys)
    assert code == 2
    assert "parameter asOf" in err and "no-such-file" not in err


def test_decimal_and_boolean_parameters_of_a_query_file(tmp_path: Path, capsys) -> None:
    text = (
        "# title: typed\n"
        "# param: amount decimal example=1.5 -- an amount\n"
        "# param: flag boolean default=false -- a flag\n"
        "SELECT ?amount ?flag ?sum WHERE { BIND (?amount + 1 AS ?sum) }\n"
    )
    path = query_file(tmp_path, text)
    code, out, _ = run([path, CCG_DEFECTS, "--format", "csv", "--param", "amount=1e2"], capsys)
    assert code == 0
    assert out.splitlines() == ["amount,flag,sum", "100,false,101"]
    code, _, err = run([path, CCG_DEFECTS, "--param", "amount=NaN"], capsys)
    assert code == 2 and "parameter amount: 'NaN' is not a valid decimal" in err
    code, _, err = run([path, CCG_DEFECTS, "--param", "flag=yes"], capsys)
    assert code == 2 and "parameter flag: 'yes' is not a valid boolean" in err


# -- bad queries ----------------------------------------------------------------------------


def test_unknown_query_name_lists_the_library(capsys) -> None:
    code, out, err = run(["no-such-question", CCG_DEFECTS], capsys)
    assert code == 2 and out == ""
    assert "no query named 'no-such-question'; library queries: " in err
    assert all(name in err for name in queries.library())


def test_missing_query_file(tmp_path: Path, capsys) -> None:
    code, _, err = run([str(tmp_path / "absent.rq"), CCG_DEFECTS], capsys)
    assert code == 2 and "absent.rq: no such query file" in err


def test_syntax_error_names_file_and_line(tmp_path: Path, capsys) -> None:
    text = (
        "# title: broken\n"
        "PREFIX cg: <https://w3id.org/cancergraph/ontology#>\n"
        "SELECT ?x WHERE {\n"
        "  ?x a cg:Setup ; cg:referenceDate .\n"
        "}\n"
    )
    path = query_file(tmp_path, text, "broken.rq")
    code, out, err = run([path, CCG_DEFECTS], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"cancergraph: error: {path}:4:")  # the path given, not its name
    assert len(err.strip().splitlines()) == 1


def test_an_undeclared_prefix_is_named(tmp_path: Path, capsys) -> None:
    text = "# title: broken\nSELECT ?x WHERE { ?x dcterms:title ?t }\n"
    code, _, err = run([query_file(tmp_path, text, "prefix.rq"), CCG_DEFECTS], capsys)
    assert code == 2
    assert err.strip().endswith("SPARQL syntax error: undeclared prefix dcterms")
    assert "SPARQL syntax error" in err


def test_bad_parameter_declaration(tmp_path: Path, capsys) -> None:
    text = "# title: odd\n# param: when widget -- a date\nSELECT ?when WHERE {}\n"
    code, _, err = run([query_file(tmp_path, text, "odd.rq"), CCG_DEFECTS], capsys)
    assert code == 2 and "bad parameter declaration 'when widget -- a date'" in err


def test_service_is_refused(tmp_path: Path, capsys) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n"
    code, out, err = run([query_file(tmp_path, text), CCG_DEFECTS], capsys)
    assert code == 2 and out == ""
    assert "SERVICE is not allowed" in err
    silent = "SELECT * WHERE {\n  service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}\n"
    assert "SERVICE is not allowed" in run([query_file(tmp_path, silent), CCG_DEFECTS], capsys)[2]


def test_the_word_service_elsewhere_is_not_refused(tmp_path: Path, capsys) -> None:
    text = (
        "PREFIX service: <https://example.org/service#>\n"
        "# a comment about SERVICE\n"
        'SELECT ?service ?load WHERE { BIND (service:x AS ?service) BIND ("LOAD" AS ?load) }\n'
    )
    code, out, err = run([query_file(tmp_path, text), CCG_DEFECTS, "--format", "csv"], capsys)
    assert code == 0, err
    assert out.splitlines() == ["service,load", "https://example.org/service#x,LOAD"]


def test_missing_query_or_data(capsys) -> None:
    code, _, err = run([], capsys)
    assert code == 2 and "name a query" in err
    code, _, err = run(["essential-posts"], capsys)
    assert code == 2 and "give at least one DATA file" in err
    # a mistyped name is said first, not hidden behind the missing data
    code, _, err = run(["essential-post"], capsys)
    assert code == 2 and "no query named 'essential-post'" in err


# -- the table -------------------------------------------------------------------------------

LABELS = "SELECT ?thing ?label WHERE { ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


def test_table_is_not_cut_when_not_written_to_a_terminal(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    long_iri = "https://example.org/" + "very-long-segment/" * 20 + "end"
    data = tmp_path / "long.ttl"
    data.write_text(
        f'<{long_iri}> <http://www.w3.org/2000/01/rdf-schema#label> "{"word " * 60}" .\n',
        encoding="utf-8",
    )
    code, out, _ = run([query_file(tmp_path, LABELS), str(data)], capsys)
    assert code == 0
    assert long_iri in out and "…" not in out
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(["ccgs-without-engagement", CCG_DEFECTS], capsys)
    assert code == 0
    # the example declares ex: for its own namespace, so its IRIs are shown under it
    assert "ex:ccg-northfold-city" in out and "2014-06-30" in out and "…" not in out


def test_table_fits_a_terminal(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(["ccgs-without-engagement", CCG_DEFECTS], capsys)
    assert code == 0
    assert "…" in out
    assert all(len(line) <= 60 for line in out.splitlines())


def test_terminal_width_is_unknown_off_a_terminal(monkeypatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert common.terminal_width() is None
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "77")
    assert common.terminal_width() == 77


def test_control_characters_are_escaped_in_the_table(tmp_path: Path, capsys) -> None:
    data = str(Path(__file__).parent / "fixtures" / "cli" / "control-characters.ttl")
    code, out, _ = run([query_file(tmp_path, LABELS), data], capsys)
    assert code == 0
    for raw in ("\x1b", "\t", "\u202e"):
        assert raw not in out
    assert "Board\\nsecond line\\twith a tab \\x1b[31mred\\x1b[0m" in out
    assert "ex:post\\u202etxt.exe" in out  # under the prefix the file declares
    assert "Poste de médecin 医生" in out
    assert len(out.splitlines()) == 5  # header, rule, two rows, count


def test_the_table_names_blank_nodes_in_order_of_appearance(tmp_path: Path, capsys) -> None:
    data = tmp_path / "blank.ttl"
    data.write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:p [ ex:q "1" ; ex:r "2" ] , [ ex:q "3" ] .\n',
        encoding="utf-8",
    )
    text = "SELECT ?o ?v WHERE { ?s ?p ?o . ?o ?q ?v } ORDER BY ?v"
    code, out, _ = run([query_file(tmp_path, text), str(data)], capsys)
    assert code == 0
    rows = [line.split() for line in out.splitlines()[2:-1]]
    assert rows == [["_:b1", "1"], ["_:b1", "2"], ["_:b2", "3"]]


def test_a_term_over_pyoxigraphs_limit_is_bad_input(tmp_path: Path, capsys) -> None:
    data = tmp_path / "setup.nt"
    data.write_text(
        f'<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "{"x" * (17 * 1024 * 1024)}" .\n',
        encoding="utf-8",
    )
    code, out, err = run(["essential-posts", str(data)], capsys)
    assert code == 2 and out == ""
    assert f"{data}: a single term is larger than pyoxigraph's 16 MiB limit" in err


def test_a_triple_in_two_graphs_is_one_triple_of_the_default_graph(tmp_path: Path, capsys) -> None:
    """The default graph of a query over TriG or N-Quads is the merge of its graphs, as
    validation and the endpoint have it; GRAPH still sees each graph."""
    data = tmp_path / "twice.trig"
    triple = "<urn:s> <urn:p> <urn:o> ."
    data.write_text(f"<urn:g1> {{ {triple} }}\n<urn:g2> {{ {triple} }}\n", encoding="utf-8")
    count = query_file(tmp_path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count.rq")
    code, out, _ = run([count, str(data), "--format", "csv"], capsys)
    assert code == 0 and out.splitlines()[1] == "1"
    graphs = query_file(tmp_path, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g", "g.rq")
    code, out, _ = run([graphs, str(data), "--format", "csv"], capsys)
    assert out.splitlines()[1:] == ["urn:g1", "urn:g2"]


def test_the_table_shows_iris_under_the_prefixes_of_the_query_and_the_data(
    tmp_path: Path, capsys
) -> None:
    data = tmp_path / "setup.ttl"
    data.write_text(
        "@prefix net: <https://example.org/networks/> .\n"
        "@prefix cg: <https://example.org/not-the-ontology#> .\n"  # cg: names the ontology
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'net:north rdfs:label "North" ; <https://example.org/people/ann> net:south .\n'
        'net:north <https://example.org/not-the-ontology#p> "v" .\n',
        encoding="utf-8",
    )
    text = (
        "PREFIX people: <https://example.org/people/>\n"
        "PREFIX net: <https://example.org/elsewhere/>\n"  # the query's net: comes first
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p"
    )
    code, out, _ = run([query_file(tmp_path, text), str(data), "--format", "table"], capsys)
    assert code == 0
    rows = [line.split() for line in out.splitlines()[2:-1]]
    assert rows == [
        # the data's net: is not used, as the query names another namespace net:
        ["https://example.org/networks/north", "rdfs:label", "North"],
        ["https://example.org/networks/north", "https://example.org/not-the-ontology#p", "v"],
        ["https://example.org/networks/north", "people:ann", "https://example.org/networks/south"],
    ]


def test_an_iri_no_prefix_covers_is_cut_at_its_start(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    data = tmp_path / "setup.nt"
    data.write_text(
        "<https://example.org/a/very/long/path/to/the-north-network> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "North" .\n',
        encoding="utf-8",
    )
    code, out, _ = run([query_file(tmp_path, LABELS), str(data)], capsys)
    assert code == 0
    first = out.splitlines()[2]
    assert first.startswith("…") and "the-north-network" in first and "North" in first
    assert len(first) <= 40


def test_short_names_keep_one_namespace_per_prefix_and_skip_relative_iris() -> None:
    names = query_results.short_names(
        {"ex": "https://example.org/a/", "rel": "relative/", "cg": "https://example.org/b#"},
        {"ex": "https://example.org/c/", "other": "https://example.org/a/"},
    )
    assert names["https://example.org/a/"] == "ex:"
    assert names["https://w3id.org/cancergraph/ontology#"] == "cg:"
    for left_out in ("relative/", "https://example.org/b#", "https://example.org/c/"):
        assert left_out not in names
    assert query_results.display(ox.NamedNode("https://example.org/a/x/y"), names) == "ex:x/y"
