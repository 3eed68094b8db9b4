"""`cancergraph check`: each check fires on a small broken fixture and is silent on the
project's own ontology, shapes, queries and examples."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cancergraph import checks
from cancergraph.checks import reasoner
from cancergraph.checks.findings import CheckReport, Finding, compact, display_path
from cancergraph.checks.locate import SourceText
from cancergraph.checks.workspace import Workspace, classify
from cancergraph.reasoning import Classification
from cancergraph.vocab import CG
from conftest import CONFORMING, ROOT, report_for

FIXTURES = ROOT / "tests" / "fixtures" / "check"
SPEC = FIXTURES / "shapes" / "spec.yaml"
PROJECT_SPEC = ROOT.parent / "shared" / "spec" / "recommendations.yaml"
Row = tuple[str, str, str | None, int | None, str | None]


def row(finding: Finding) -> Row:
    """A finding as the tests compare it: the file relative to the fixtures."""
    file = None
    if finding.file is not None:
        path = Path(finding.file).resolve()
        file = path.relative_to(FIXTURES).as_posix() if path.is_relative_to(FIXTURES) else str(path)
    term = compact(finding.term) if finding.term else None
    return finding.check, finding.level.name, file, finding.line, term


def run(paths: list[Path], group: str, spec: Path | None = SPEC) -> CheckReport:
    ctx = checks.context(Workspace.from_paths(paths))
    ctx.spec = spec
    ctx.validate_example = report_for
    return checks.run(ctx, only=[group])


@pytest.fixture(scope="module")
def reasoned() -> dict[str, CheckReport]:
    """The reasoning fixtures, with their HermiT runs started together to save time."""
    contexts = {
        name: checks.context(Workspace.from_paths([FIXTURES / "reasoning" / f"{name}.ttl"]))
        for name in ("inconsistent", "unsatisfiable", "inconsistent-members")
    }
    for ctx in contexts.values():
        reasoner.start(ctx)
    return {name: checks.run(ctx, only=["reasoning"]) for name, ctx in contexts.items()}


@pytest.fixture(scope="module")
def inconsistent_example() -> CheckReport:
    """The examples checks on an example that only reasoning finds wrong (HermiT runs)."""
    return run([FIXTURES / "consistent"], "examples")


@pytest.fixture(scope="module")
def fixture_reports(
    reasoned: dict[str, CheckReport], inconsistent_example: CheckReport
) -> list[CheckReport]:
    reports = [*reasoned.values(), inconsistent_example]
    for group in ("parse", "lint", "terms", "shapes", "examples"):
        reports.append(run([FIXTURES / group], group))
    reports.append(run(QUERY_FIXTURES, "queries"))
    reports.append(run([FIXTURES / "reused"], "terms"))
    reports.append(run([FIXTURES / "disjoint"], "examples"))
    reports.append(run([FIXTURES / "kinds"], "terms"))
    reports.append(run([FIXTURES / "standard"], "terms"))
    reports.append(run([RULES], "shapes", spec=RULES_SPEC))
    reports.append(run([SHAPE_QUERIES], "shapes", spec=None))
    return reports


@pytest.fixture(scope="module")
def project() -> CheckReport:
    ctx = checks.context(Workspace.project())
    ctx.validate_example = report_for  # the examples' reports are shared with test_examples
    return checks.run(ctx)


QUERY_FIXTURES = [
    FIXTURES / "queries",
    FIXTURES / "examples" / "examples" / "conforming" / "lone-ccg.ttl",
]


def test_parse_errors_name_the_file_and_line() -> None:
    assert [row(f) for f in run([FIXTURES / "parse"], "parse").findings] == [
        ("parse", "ERROR", "parse/documents/profile.yaml", 3, None),
        ("parse", "ERROR", "parse/examples/setup.expected.json", 2, None),
        ("parse", "ERROR", "parse/ontology/broken.ttl", 4, None),
        ("parse", "ERROR", "parse/queries/broken.rq", 5, None),
    ]


def test_hermit_reports_an_inconsistent_ontology_and_why(
    reasoned: dict[str, CheckReport],
) -> None:
    (finding,) = reasoned["inconsistent"].findings
    assert row(finding) == ("consistency", "ERROR", "reasoning/inconsistent.ttl", 9, None)
    assert finding.message == (
        "the ontology is inconsistent; these axioms together make it so: "
        "cg:Both a cg:Council (line 9); cg:Both a cg:Trust (line 9); "
        "cg:Council owl:disjointWith cg:Trust (line 8)"
    )


def test_an_axiom_about_a_blank_node_is_placed_at_its_own_block(
    reasoned: dict[str, CheckReport],
) -> None:
    """The disjointness written as `[] a owl:AllDisjointClasses` has no name to look
    for; it is placed by its class and members, at the block that names them all."""
    (finding,) = reasoned["inconsistent-members"].findings
    assert finding.message == (
        "the ontology is inconsistent; these axioms together make it so: "
        "cg:Both a cg:Council (line 18); cg:Both a cg:Trust (line 18); "
        "[ a owl:AllDisjointClasses ; owl:members ( cg:Trust cg:Council ) ] (line 14)"
    )


def line_in(text: str, start: str, naming: str = "") -> int:
    """The first line of the text that starts with `start` and, within three lines,
    names `naming`: where an axiom of the project's ontology is, as it changes."""
    lines = text.splitlines()
    return next(
        n
        for n, line in enumerate(lines, start=1)
        if line.startswith(start) and naming in " ".join(lines[n - 1 : n + 2])
    )


def test_an_individual_of_a_class_made_unsatisfiable_is_explained(tmp_path: Path) -> None:
    """The project's ontology with the class of its source documents put under two
    disjoint kinds of document: among its many individuals, the search goes to those of
    the class HermiT finds unsatisfiable without them, and names the four axioms."""
    text = (ROOT / "ontology" / "cancergraph.ttl").read_text(encoding="utf-8")
    before = "cg:SourceDocument a owl:Class ;\n    rdfs:subClassOf prov:Entity ;"
    assert before in text
    changed = text.replace(
        before, before.replace("prov:Entity", "prov:Entity , cg:NetworkPlan , cg:ProgressReport")
    )
    path = tmp_path / "ontology" / "cancergraph.ttl"
    path.parent.mkdir()
    path.write_text(changed, encoding="utf-8")

    def line(start: str, naming: str = "") -> int:
        return line_in(changed, start, naming)

    (finding,) = run([path], "reasoning").findings
    members = (
        "cg:NetworkPlan cg:WorkforceStrategy cg:EducationAndTrainingStrategy cg:ProgressReport "
        "cg:ExpenditureReport cg:SuitabilityAssessment"
    )
    assert finding.line == line("cg:nao2004 a cg:SourceDocument")
    assert finding.message == (
        "the ontology is inconsistent; these axioms together make it so: "
        f"cg:nao2004 a cg:SourceDocument (line {line('cg:nao2004 a cg:SourceDocument')}); "
        "cg:SourceDocument rdfs:subClassOf cg:NetworkPlan "
        f"(line {line('cg:SourceDocument a owl:Class') + 1}); "
        "cg:SourceDocument rdfs:subClassOf cg:ProgressReport "
        f"(line {line('cg:SourceDocument a owl:Class') + 1}); "
        f"[ a owl:AllDisjointClasses ; owl:members ( {members} ) ] "
        f"(line {line('[] a owl:AllDisjointClasses', 'cg:NetworkPlan')})"
    )


def test_hermit_reports_an_unsatisfiable_class_and_why(reasoned: dict[str, CheckReport]) -> None:
    (finding,) = reasoned["unsatisfiable"].findings
    assert row(finding) == (
        "unsatisfiable-class",
        "ERROR",
        "reasoning/unsatisfiable.ttl",
        10,
        "cg:CouncilTrust",
    )
    assert finding.message.endswith(
        "it can have no members; these axioms together make it so: "
        "cg:CouncilTrust rdfs:subClassOf cg:Council (line 11); "
        "cg:CouncilTrust rdfs:subClassOf cg:Trust (line 11); "
        "cg:Council owl:disjointWith cg:Trust (line 8)"
    )


def test_a_statement_is_found_in_any_block_its_subject_starts() -> None:
    """An axiom's line is that of its own statement, which may be in a later block of
    statements about the subject than the first."""
    text = (
        "@prefix cg: <https://w3id.org/cancergraph/ontology#> .\n"
        'cg:Trust a cg:Kind ;\n    cg:note "a cg:Council is not a trust" .\n'
        "cg:Council a cg:Kind .\n"
        "\n"
        "cg:Trust cg:disjointFrom\n    cg:Council .\n"
    )
    source = SourceText(text)
    assert source.statement_line(f"{CG}Trust", f"{CG}Council") == 7
    assert source.statement_line(f"{CG}Council", f"{CG}Kind") == 4
    assert source.statement_line(f"{CG}Council", f"{CG}Trust") is None


def test_lint_finds_every_problem_of_the_profile() -> None:
    ontology = "lint/ontology/broken.ttl"
    header = "<https://w3id.org/cancergraph/ontology>"
    assert [row(f) for f in run([FIXTURES / "lint"], "lint").findings] == [
        ("deprecated-term-use", "ERROR", "lint/examples/uses-deprecated.ttl", 4, "cg:OldBoard"),
        ("missing-ontology-title", "ERROR", ontology, 6, header),
        ("missing-ontology-description", "ERROR", ontology, 6, header),
        ("missing-ontology-license", "ERROR", ontology, 6, header),
        ("missing-ontology-version-iri", "ERROR", ontology, 6, header),
        ("duplicate-label", "ERROR", ontology, 8, "cg:Board"),
        ("missing-superclass", "INFO", ontology, 8, "cg:Board"),
        ("missing-label", "ERROR", ontology, 12, "cg:Unlabelled"),
        ("missing-definition", "ERROR", ontology, 16, "cg:Undefined"),
        ("multiple-labels", "ERROR", ontology, 20, "cg:TwoLabels"),
        ("multiple-definitions", "ERROR", ontology, 20, "cg:TwoLabels"),
        ("duplicate-label", "ERROR", ontology, 25, "cg:board"),
        ("label-whitespace", "ERROR", ontology, 29, "cg:Spaced"),
        ("label-formatting", "ERROR", ontology, 34, "cg:Tabbed"),
        ("deprecated-term-use", "ERROR", ontology, 45, "cg:OldBoard"),
        ("missing-label", "ERROR", ontology, 50, "cg:Blank"),
        ("missing-definition", "ERROR", ontology, 50, "cg:Blank"),
    ]


def test_the_lint_profile_sets_levels_and_turns_checks_off(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("missing-label: warn\nmissing-definition: off\n", encoding="utf-8")
    ctx = checks.context(Workspace.from_paths([FIXTURES / "lint" / "ontology"]), profile=profile)
    report = checks.run(ctx, only=["lint"])
    assert [c.name for c in report.checks] == ["missing-label"]
    assert [row(f) for f in report.findings] == [
        ("missing-label", "WARN", "lint/ontology/broken.ttl", 12, "cg:Unlabelled"),
        ("missing-label", "WARN", "lint/ontology/broken.ttl", 50, "cg:Blank"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no-such-check: ERROR\n", "unknown lint check 'no-such-check'"),
        ("missing-label: LOUD\n", "level must be ERROR, WARN, INFO or off"),
        ("- missing-label\n", "must map check names to levels"),
    ],
)
def test_a_bad_lint_profile_is_a_usage_error(tmp_path: Path, text: str, problem: str) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(text, encoding="utf-8")
    with pytest.raises(checks.lint.ProfileError, match=problem):
        checks.context(Workspace.from_paths([FIXTURES / "lint" / "ontology"]), profile=profile)


def test_undeclared_terms_are_found_in_every_kind_of_file() -> None:
    assert [row(f) for f in run([FIXTURES / "terms"], "terms").findings] == [
        ("undeclared-term", "ERROR", "terms/examples/undeclared.ttl", 4, "cg:Panel"),
        ("undeclared-term", "ERROR", "terms/examples/undeclared.ttl", 5, "cg:BoardCode"),
        ("undeclared-term", "ERROR", "terms/ontology/small.ttl", 7, "cg:Bored"),
        ("undeclared-term", "ERROR", "terms/queries/undeclared.rq", 5, "cg:chair"),
        ("undeclared-term", "ERROR", "terms/queries/undeclared.rq", 6, "cg:label"),
        ("undeclared-term", "ERROR", "terms/shapes/undeclared.ttl", 9, "cg:Bord"),
        ("undeclared-term", "ERROR", "terms/shapes/undeclared.ttl", 15, "cg:chairedBy"),
    ]


def test_misspelt_terms_of_reused_vocabularies_are_found() -> None:
    """org: and foaf: terms are declared in the ontology, so a term of theirs that is not
    is misspelt; prov:, of which the ontology declares nothing, is not checked."""
    assert [row(f) for f in run([FIXTURES / "reused"], "terms").findings] == [
        ("undeclared-reused-term", "ERROR", "reused/examples/misspelt.ttl", 8, "org:unitof"),
        ("undeclared-reused-term", "ERROR", "reused/queries/misspelt.rq", 6, "foaf:nmae"),
        ("undeclared-reused-term", "ERROR", "reused/shapes/misspelt.ttl", 7, "org:hasUnit"),
    ]


def test_terms_the_rdf_rdfs_owl_xsd_and_shacl_vocabularies_do_not_have_are_found() -> None:
    """A misspelt rdfs:label in a path, owl:sameAs in a query or xsd:date in a datatype
    parses and matches nothing, as a misspelt cg: term does; the W3C vocabularies' terms
    are those rdflib defines (rdf:_2, a container member, is one)."""
    assert [row(f) for f in run([FIXTURES / "standard"], "terms").findings] == [
        ("unknown-standard-term", "ERROR", "standard/examples/misspelt.ttl", 6, "xsd:dat"),
        ("unknown-standard-term", "ERROR", "standard/ontology/small.ttl", 8, "rdfs:subClasOf"),
        ("unknown-standard-term", "ERROR", "standard/queries/misspelt.rq", 6, "owl:sameAss"),
        ("unknown-standard-term", "ERROR", "standard/shapes/misspelt.ttl", 7, "rdfs:lable"),
        ("unknown-standard-term", "ERROR", "standard/shapes/misspelt.ttl", 10, "rdfs:seeAllso"),
    ]


def test_classes_used_as_properties_and_properties_as_classes_are_found() -> None:
    findings = run([FIXTURES / "kinds"], "terms").by_check("term-kind")
    assert [(row(f), f.message.split(",")[0]) for f in findings] == [
        (("term-kind", "ERROR", "kinds/examples/misused.ttl", 4, "cg:chairs"),
         "cg:chairs is used as a class"),
        (("term-kind", "ERROR", "kinds/examples/misused.ttl", 5, "cg:publishedOn"),
         "cg:publishedOn is used as a property"),
        (("term-kind", "ERROR", "kinds/shapes/misused.ttl", 5, "cg:Board"),
         "cg:Board is used as a property"),
        (("term-kind", "ERROR", "kinds/shapes/misused.ttl", 6, "cg:chairs"),
         "cg:chairs is used as a class"),
        (("term-kind", "ERROR", "kinds/shapes/misused.ttl", 8, "cg:Plan"),
         "cg:Plan is used as a property"),
    ]  # fmt: skip


def test_shapes_are_checked_against_shacl_shacl_sparql_and_the_spec() -> None:
    shapes = "shapes/shapes/broken.ttl"
    assert [row(f) for f in run([FIXTURES / "shapes"], "shapes").findings] == [
        ("shacl-shacl", "ERROR", shapes, 10, "cgs:X-01"),
        ("rule-annotations", "ERROR", shapes, 10, "cgs:X-01"),
        ("rule-ids", "ERROR", shapes, 15, "cgs:X-02"),
        ("rule-annotations", "ERROR", shapes, 15, "cgs:X-02"),
        ("shape-sparql", "ERROR", shapes, 25, "cgs:X-02"),  # where the query ends unclosed
        ("rule-ids", "ERROR", shapes, 28, "cgs:X-02-again"),
        ("rule-annotations", "ERROR", shapes, 28, "cgs:X-02-again"),
        ("rule-ids", "ERROR", shapes, 32, "cgs:X-09"),
        ("rule-annotations", "ERROR", shapes, 32, "cgs:X-09"),
        ("rule-ids", "ERROR", "shapes/spec.yaml", 6, "X-03"),
    ]


def test_without_the_specification_rule_ids_are_not_compared() -> None:
    report = run([FIXTURES / "shapes"], "shapes", spec=None)
    assert [row(f) for f in report.by_check("rule-ids")] == [
        ("rule-ids", "WARN", None, None, None),
        ("rule-ids", "ERROR", "shapes/shapes/broken.ttl", 15, "cgs:X-02"),
        ("rule-ids", "ERROR", "shapes/shapes/broken.ttl", 28, "cgs:X-02-again"),
    ]


def test_queries_must_run_on_the_examples() -> None:
    findings = run(QUERY_FIXTURES, "queries").findings
    assert [row(f) for f in findings] == [
        ("query-empty", "WARN", "queries/queries/misspelt.rq", 4, None),  # its SELECT
        ("query-either-way", "ERROR", "queries/queries/one-way.rq", 4, None),
        ("query-either-way", "ERROR", "queries/queries/one-way.rq", 4, None),
        ("query", "ERROR", "queries/queries/outgoing.rq", 2, None),
        ("query", "ERROR", "queries/queries/unprojected.rq", 2, None),  # its `param` entry
    ]
    assert "answers nothing on any example" in findings.pop(0).message
    # both-ways.rq reads the same setup every way round, and is not reported
    untyped, turned = findings.pop(0).message, findings.pop(0).message
    assert "clinical-network.ttl leaves out the type cg:CancerNetwork of a " in untyped
    assert "cg:SingleClinicalNetwork with cg:coversClinicalArea cg:Cancer" in untyped
    assert "{ ?x a cg:SingleClinicalNetwork ; cg:coversClinicalArea cg:Cancer }" in untyped
    assert "states org:hasUnit and org:unitOf from the other end" in turned
    assert "org:hasUnit|^org:unitOf" in turned
    assert "SERVICE is not allowed" in findings[0].message
    assert "example values" in findings[1].message
    assert "must appear in the query's SELECT projection" in findings[1].message


NETWORK_MEMBERS = ROOT / "queries" / "network-members.rq"


def change_line(path: Path, line: int, old: str, new: str) -> None:
    """One change on one line (1-based) of a copied file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")


def changed_query(
    tmp_path: Path, line: int, old: str, new: str, query: Path = NETWORK_MEMBERS
) -> Path:
    """A copy of a library query with one change on one line."""
    path = tmp_path / "queries" / query.name
    path.parent.mkdir()
    shutil.copyfile(query, path)
    change_line(path, line, old, new)
    return path


def changed_shapes(tmp_path: Path, name: str, line: int, old: str, new: str) -> Path:
    """A copy of the project's shapes with one change on one line of one file."""
    shutil.copytree(ROOT / "shapes", tmp_path / "shapes")
    path = tmp_path / "shapes" / name
    change_line(path, line, old, new)
    return path


@pytest.mark.parametrize(
    ("old", "new", "group", "problem"),
    [
        ("example=2012-06-30", "example=2012-13-45", "queries",
         "parameter asOf: '2012-13-45' is not a valid date"),
        ("asOf date", "asof date", "queries",
         "parameter asof must appear in the query's SELECT projection"),
        ("asOf date", "asOf day", "parse", "bad parameter declaration"),
    ],
)  # fmt: skip
def test_a_query_header_error_is_at_the_line_of_its_entry(
    tmp_path: Path, old: str, new: str, group: str, problem: str
) -> None:
    """The header entry at fault is on line 7; the query runs on the project's examples."""
    path = changed_query(tmp_path, 7, old, new)
    findings = run([path], group, spec=PROJECT_SPEC).findings
    assert [row(f) for f in findings] == [
        ("query" if group == "queries" else "parse", "ERROR", str(path), 7, None)
    ]
    assert problem in findings[0].message


@pytest.mark.parametrize(
    ("query", "line", "old", "new", "spec"),
    [
        ("network-members", 6, "NAO-09", "NAO-99", PROJECT_SPEC),
        ("network-members", 6, "NAO-09", "NAO-99", None),
        ("findings-per-rule-and-network", 13, "KF-17", "KF-71", PROJECT_SPEC),  # continued
    ],
)
def test_a_query_relates_only_to_rule_ids_there_are(
    tmp_path: Path, query: str, line: int, old: str, new: str, spec: Path | None
) -> None:
    """Those of the specification, else those of the shapes (here the project's); the
    finding is at the line the unknown id is written on."""
    path = changed_query(tmp_path, line, old, new, ROOT / "queries" / f"{query}.rq")
    findings = run([path], "queries", spec=spec).findings
    assert [row(f) for f in findings] == [("query", "ERROR", str(path), line, None)]
    assert f"relates to {new}, which is not a rule id of the" in findings[0].message


def test_examples_must_conform_or_give_exactly_their_golden_findings() -> None:
    example = "https://w3id.org/cancergraph/example/"
    findings = run([FIXTURES / "examples"], "examples").findings
    assert [row(f) for f in findings] == [
        ("example-golden", "ERROR", "examples/examples/conforming/listed.expected.json", 1,
         None),
        ("example-conforms", "ERROR", "examples/examples/conforming/lone-ccg.ttl", 10,
         f"<{example}lone-ccg/ccg>"),
        ("example-golden", "ERROR", "examples/examples/nonconforming/clean.expected.json", 1,
         None),
        ("example-golden", "ERROR", "examples/examples/nonconforming/no-golden.ttl", 1, None),
        ("example-golden", "ERROR", "examples/examples/nonconforming/wrong-golden.ttl", 11,
         f"<{example}wrong-golden/ccg-a>"),
        ("example-golden", "ERROR", "examples/examples/nonconforming/wrong-golden.ttl", 14,
         f"<{example}wrong-golden/ccg-b>"),
    ]  # fmt: skip
    assert "lists findings: move both to nonconforming/" in findings[0].message
    assert "KF-11 (Warning)" in findings[1].message
    assert "lists no findings: move it to conforming/" in findings[2].message
    assert "KF-18 (Info)" in findings[4].message and "not reported" in findings[4].message
    assert "KF-11 (Warning)" in findings[5].message and "not in" in findings[5].message


def test_a_golden_finding_without_its_keys_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "examples" / "nonconforming"
    folder.mkdir(parents=True)
    source = FIXTURES / "examples" / "examples" / "nonconforming"
    (folder / "wrong-golden.ttl").write_bytes((source / "wrong-golden.ttl").read_bytes())
    golden = folder / "wrong-golden.expected.json"
    text = (source / golden.name).read_text(encoding="utf-8")
    golden.write_text(text.replace('{"rule": "KF-18"', '{"rul": "KF-18"'), encoding="utf-8")
    findings = run([folder], "examples").findings
    assert [(row(f), f.message) for f in findings] == [
        (
            ("example-golden", "ERROR", str(golden.resolve()), 3, None),
            'the finding lacks "rule" (it has "rul"); each finding of a golden file has '
            '"rule", "focus_node" and "severity"',
        )
    ]


def test_example_golden_does_not_run_when_a_golden_file_does_not_parse(tmp_path: Path) -> None:
    """The parse check reports the golden file; example-golden has nothing to compare."""
    folder = tmp_path / "examples"
    folder.mkdir()
    for name in ("setup.ttl", "setup.expected.json"):
        (folder / name).write_bytes((FIXTURES / "parse" / "examples" / name).read_bytes())
    report = run([folder], "examples")
    assert report.findings == []
    assert [(skipped.check.name, skipped.reason) for skipped in report.not_run] == [
        (
            "example-golden",
            f"{display_path(folder / 'setup.expected.json')} does not parse at line 2",
        )
    ]
    assert "example-golden" not in [check.name for check in report.checks]


def test_an_example_the_ontology_makes_inconsistent_is_an_error_with_its_cause(
    inconsistent_example: CheckReport,
) -> None:
    """A clinical board given a tumour site: the property's domain makes it a tumour
    board, which the ontology says no clinical board is. Only reasoning sees it. The
    finding names the example's statements and the ontology's axioms, with their lines."""
    (finding,) = inconsistent_example.by_check("example-consistent")
    assert row(finding) == (
        "example-consistent",
        "ERROR",
        "consistent/examples/board-with-a-site.ttl",
        8,
        None,
    )
    ontology = (ROOT / "ontology" / "cancergraph.ttl").read_text(encoding="utf-8")
    domain = line_in(ontology, "    rdfs:domain cg:TumourBoard ; rdfs:range cg:TumourSite")
    boards = line_in(ontology, "[] a owl:AllDisjointClasses", "cg:TumourBoard")
    assert finding.message == (
        "the example is inconsistent with the ontology; these statements make it so: "
        "ex:board a cg:ClinicalBoard (line 8); ex:board cg:tumourSite ex:lung (line 10); "
        "with these axioms of the ontology: cg:tumourSite rdfs:domain cg:TumourBoard "
        f"(cancergraph.ttl:{domain}); [ a owl:AllDisjointClasses ; owl:members ( "
        "cg:NetworkBoard cg:ManagementTeam cg:TumourBoard cg:ClinicalBoard "
        f"cg:PatientInvolvementStructure ) ] (cancergraph.ttl:{boards})"
    )


def test_the_examples_checks_do_not_run_on_an_inconsistent_ontology() -> None:
    """With an inconsistent ontology every example is inconsistent too, and what the
    examples checks conclude from the ontology means nothing: they do not run, rather
    than pass. (A stand-in reasoner finds everything inconsistent.)"""
    ctx = checks.context(Workspace.from_paths([FIXTURES / "consistent"]))
    ctx.validate_example = report_for
    ctx.classify = lambda graph: Classification(consistent=False)
    ctx.consistent = lambda graph: False
    report = checks.run(ctx, only=["examples"])
    assert report.checks == []
    assert report.findings == []
    assert [(entry.check.name, entry.reason) for entry in report.not_run] == [
        (name, "the ontology is inconsistent")
        for name in ("example-conforms", "example-golden", "example-disjoint", "example-consistent")
    ]


def test_an_example_node_of_two_disjoint_classes_is_an_error() -> None:
    """By told subclasses: a primary care trust is an NHS organisation, which no local
    authority is."""
    example = "https://w3id.org/cancergraph/example/two-kinds/"
    report = run([FIXTURES / "disjoint"], "examples")
    # the same clash is not reported a second time by the reasoning over the examples
    assert report.by_check("example-consistent") == []
    findings = report.by_check("example-disjoint")
    assert [(row(f), f.message) for f in findings] == [
        (
            ("example-disjoint", "ERROR", "disjoint/examples/two-kinds.ttl", 10,
             f"<{example}trust>"),
            "is both cg:NHSFoundationTrust and cg:NHSTrust, which the ontology declares "
            "disjoint",
        ),
        (
            ("example-disjoint", "ERROR", "disjoint/examples/two-kinds.ttl", 13,
             f"<{example}council>"),
            "is both cg:LocalAuthority and cg:NHSOrganisation, which the ontology declares "
            "disjoint",
        ),
    ]  # fmt: skip


def test_only_the_examples_own_folder_says_whether_it_conforms(tmp_path: Path) -> None:
    """A checkout under a folder named nonconforming is no reason to want a golden file."""
    folder = tmp_path / "nonconforming" / "p" / "examples" / "conforming"
    folder.mkdir(parents=True)
    example = next(p for p in CONFORMING if p.stem == "post-2013-network")
    (folder / example.name).write_bytes(example.read_bytes())
    report = run([folder.parent], "examples")
    assert report.findings == []


def test_every_check_fires_on_a_fixture(fixture_reports: list[CheckReport]) -> None:
    fired = {f.check for report in fixture_reports for f in report.findings}
    assert sorted(fired) == sorted(check.name for check in checks.all_checks())


def test_every_check_has_the_level_the_documentation_gives() -> None:
    """The lint checks take theirs from the profile; a check never reports above its level."""
    table = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| [\w—-]+ \| `([\w-]+)` \| (\w+) \|", table, re.MULTILINE))
    for check in [*checks.all_checks(), checks.runner.INTERNAL_ERROR]:
        if check.group != "lint":
            assert check.level is not None, check.name
            assert check.level.name == documented[check.name], check.name


def test_no_finding_is_above_the_level_of_its_check(fixture_reports: list[CheckReport]) -> None:
    for report in fixture_reports:
        levels = {check.name: check.level for check in report.checks}
        for finding in report.findings:
            level = levels[finding.check]
            assert level is not None and finding.level <= level, finding


def test_every_check_runs_on_the_project(project: CheckReport) -> None:
    assert [c.name for c in project.checks] == [c.name for c in checks.all_checks()]
    assert sum(len(files) for files in project.files.values()) > 20


def test_the_project_passes_every_check(project: CheckReport) -> None:
    """Only the root classes cg:Setup and cg:Era are reported, at INFO, as having no parent."""
    assert [row(f)[:2] for f in project.findings if f.check != "missing-superclass"] == []
    assert {f.level.name for f in project.findings} <= {"INFO"}


def test_files_are_sorted_by_their_folder_or_what_they_declare() -> None:
    assert classify(FIXTURES / "terms" / "shapes" / "undeclared.ttl") == "shapes"
    assert classify(FIXTURES / "queries" / "queries" / "fine.rq") == "queries"
    assert classify(FIXTURES / "reasoning" / "inconsistent.ttl") == "ontology"
    assert classify(FIXTURES / "examples" / "examples" / "nonconforming"
                    / "wrong-golden.expected.json") == "documents"  # fmt: skip
    assert classify(FIXTURES / "README.md") is None


def test_the_group_names_the_command_line_offers_are_those_of_the_check_modules() -> None:
    from cancergraph.checks import groups, runner

    assert tuple(module.GROUP for module in runner.MODULES) == groups.GROUPS


RULES = FIXTURES / "rules"
RULES_SPEC = RULES / "spec" / "recommendations.yaml"
SHAPE_QUERIES = FIXTURES / "shape-queries"


def test_rule_shapes_agree_with_the_specification_and_their_source_texts() -> None:
    """R-01 folds white space and typographic quotes and dashes; R-07 quotes nothing."""
    shapes = "rules/shapes/rules.ttl"
    findings = run([RULES], "shapes", spec=RULES_SPEC).findings
    assert [row(f) for f in findings] == [
        ("rule-spec", "ERROR", shapes, 19, "cgs:R-02"),
        ("quote-source", "ERROR", shapes, 19, "cgs:R-02"),
        ("rule-spec", "ERROR", shapes, 28, "cgs:R-03"),
        ("rule-spec", "ERROR", shapes, 37, "cgs:R-04"),
        ("rule-spec", "ERROR", shapes, 45, "cgs:R-05"),
        ("quote-source", "ERROR", shapes, 45, "cgs:R-05"),
        ("rule-annotations", "ERROR", shapes, 54, "cgs:R-06"),
    ]
    messages = [f.message for f in findings]
    assert messages[0] == (
        "rule R-02: cg:quote differs from the specification: expected 'strategic health "
        "authorities should fund the networks', found 'strategic health authorities must "
        "fund the networks'"
    )
    assert messages[1].startswith(
        "rule R-02: the quote is not in its source text (sources/nao2004.txt):"
    )
    assert messages[2] == (
        "rule R-03: sh:severity differs from the specification: expected sh:Warning, found sh:Info"
    )
    assert messages[3] == (
        "rule R-04: cg:era differs from the specification: expected cg:PostReformEra "
        "(post-2013), found cg:AnyEra (any)"
    )
    assert messages[4] == (
        "rule R-05: dcterms:source differs from the specification: expected cg:kf2011 "
        "(kf2011), found cg:nao2004 (nao2004)"
    )
    assert messages[6] == (
        "rule R-06: missing rdfs:label, cg:remedy, cg:era; empty cg:quote, cg:reading"
    )


def line_in_block(path: Path, subject: str, text: str) -> int:
    """The line of the first statement containing `text` in the block that `subject` starts."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"{subject} "))
    return next(n for n, line in enumerate(lines[start:], start=start + 1) if text in line)


@pytest.mark.parametrize(
    ("name", "shape", "old", "new"),
    [
        ("nao2004.ttl", "cgs:NAO-02-strategy", "sh:Info", "sh:Violation"),
        ("integrity.ttl", "cgs:INT-02-order", "sh:Violation", "sh:Warning"),
        ("integrity.ttl", "cgs:INT-02-dates", "sh:Violation", "sh:Warning"),
    ],
)
def test_a_property_shape_of_a_rule_has_the_rule_severity(
    tmp_path: Path, name: str, shape: str, old: str, new: str
) -> None:
    """Its findings have its own severity, so it is compared even when no example
    makes it fire."""
    line = line_in_block(ROOT / "shapes" / name, shape, f"sh:severity {old}")
    path = changed_shapes(tmp_path, name, line, old, new)
    findings = run([path.parent], "shapes", spec=PROJECT_SPEC).findings
    assert [row(f) for f in findings] == [("rule-spec", "ERROR", str(path), line, shape)]
    rule = shape.removeprefix("cgs:").rsplit("-", 1)[0]
    assert findings[0].message == (
        f"rule {rule}: sh:severity of {shape} differs from the specification: "
        f"expected {old}, found {new}"
    )


@pytest.mark.parametrize(
    ("name", "shape", "old", "new", "term", "nested"),
    [
        ("nao2004.ttl", "cgs:NAO-02-strategy", "sh:severity sh:Info ;",
         "sh:severity sh:Info ; sh:deactivated true ;", "cgs:NAO-02-strategy",
         "cgs:NAO-02-strategy"),
        # a blank shape nested in a rule's property shape
        ("integrity.ttl", "cgs:INT-02-dates", "sh:datatype xsd:date ;",
         "sh:datatype xsd:date ; sh:qualifiedMinCount 1 ; "
         "sh:qualifiedValueShape [ sh:nodeKind sh:Literal ; sh:deactivated true ] ;",
         "cgs:INT-02-dates", "the shape nested by sh:qualifiedValueShape in cgs:INT-02-dates"),
    ],
)  # fmt: skip
def test_no_shape_nested_in_a_rule_is_deactivated(
    tmp_path: Path, name: str, shape: str, old: str, new: str, term: str, nested: str
) -> None:
    line = line_in_block(ROOT / "shapes" / name, shape, old)
    path = changed_shapes(tmp_path, name, line, old, new)
    findings = run([path.parent], "shapes", spec=PROJECT_SPEC).findings
    assert [(row(f), f.message) for f in findings] == [
        (
            ("rule-deactivated", "ERROR", str(path), line, term),
            f"rule {shape.removeprefix('cgs:')[:6]}: {nested} is sh:deactivated true: that "
            "part of the rule is never checked",
        )
    ]


NESTED = """\
@prefix sh:      <http://www.w3.org/ns/shacl#> .
@prefix cg:      <https://w3id.org/cancergraph/ontology#> .
@prefix cgs:     <https://w3id.org/cancergraph/shapes#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .

cgs:R-01 a sh:NodeShape ;
    rdfs:label "Yearly progress" ;
    cg:ruleId "R-01" ; dcterms:source cg:nao2004 ; cg:era cg:CancerPlanEra ;
    cg:quote "networks should publish the Plan's progress - every year - to their boards" ;
    cg:reading "Networks publish progress yearly." ;
    cg:remedy "Publish it." ;
    sh:severity sh:Warning ;
    sh:targetClass cg:Network ;
    sh:property [
        sh:path cg:chairs ;
        sh:severity sh:Warning ;
        sh:qualifiedValueShape [ sh:class cg:Board ; sh:severity sh:Info ] ;  # wrong
        sh:qualifiedMinCount 1
    ] ;
    sh:or (
        [ sh:class cg:Board ; sh:severity sh:Warning ]
        [ sh:class cg:Network ;
          sh:severity sh:Violation ]  # wrong
    ) ;
    sh:node cgs:R-01-node , cgs:R-07 .

cgs:R-01-node a sh:NodeShape ;
    sh:not [ sh:class cg:Board ; sh:severity sh:Warning ] ;
    sh:severity sh:Info .  # wrong

# a rule of its own, at its own severity
cgs:R-07 a sh:NodeShape ;
    rdfs:label "No cycles" ;
    cg:ruleId "R-07" ; dcterms:source cg:integrity ; cg:era cg:AnyEra ;
    cg:quote "" ;
    cg:reading "Nothing is accountable to itself." ;
    cg:remedy "Break the cycle." ;
    sh:severity sh:Violation ;
    sh:targetClass cg:Network .
"""


def test_every_shape_nested_in_a_rule_has_the_rule_severity(tmp_path: Path) -> None:
    """However it is nested; each finding is at the line of the statement to change."""
    path = tmp_path / "shapes" / "nested.ttl"
    path.parent.mkdir()
    path.write_text(NESTED, encoding="utf-8")
    findings = run([path, RULES / "ontology"], "shapes", spec=RULES_SPEC).by_check("rule-spec")
    wrong = [n for n, line in enumerate(NESTED.splitlines(), start=1) if line.endswith("# wrong")]
    assert [(row(f), f.message) for f in findings] == [
        (
            ("rule-spec", "ERROR", str(path), wrong[0], "cgs:R-01"),
            "rule R-01: sh:severity of the shape nested by sh:qualifiedValueShape in cgs:R-01 "
            "differs from the specification: expected sh:Warning, found sh:Info",
        ),
        (
            ("rule-spec", "ERROR", str(path), wrong[1], "cgs:R-01"),
            "rule R-01: sh:severity of the shape nested by sh:or in cgs:R-01 differs from the "
            "specification: expected sh:Warning, found sh:Violation",
        ),
        (
            ("rule-spec", "ERROR", str(path), wrong[2], "cgs:R-01-node"),
            "rule R-01: sh:severity of cgs:R-01-node differs from the specification: expected "
            "sh:Warning, found sh:Info",
        ),
    ]


def test_without_the_specification_quotes_severities_eras_and_sources_are_not_compared() -> None:
    report = run([RULES], "shapes", spec=None)
    assert [row(f) for f in report.findings] == [
        ("rule-ids", "WARN", None, None, None),
        ("rule-annotations", "ERROR", "rules/shapes/rules.ttl", 54, "cgs:R-06"),
    ]
    assert "quotes, severities, eras and sources" in report.findings[0].message
    assert {skipped.check.name for skipped in report.not_run} == {"rule-spec", "quote-source"}
    assert "rule-spec" not in [check.name for check in report.checks]


def test_rule_shapes_that_never_fire_unknown_severities_and_queries_without_this() -> None:
    shapes = "shape-queries/shapes/queries.ttl"
    report = run([SHAPE_QUERIES], "shapes", spec=None)
    wanted = ("rule-deactivated", "severity-value", "sparql-this")
    findings = [f for f in report.findings if f.check in wanted]
    assert [(row(f), f.message) for f in findings] == [
        (
            ("rule-deactivated", "ERROR", shapes, 13, "cgs:Q-01"),
            "rule Q-01 is sh:deactivated true: `cancergraph rules` lists it, but it never fires",
        ),
        (
            ("severity-value", "ERROR", shapes, 18, "cgs:Q-02"),
            "sh:severity sh:Critical is not sh:Violation, sh:Warning or sh:Info",
        ),
        (
            ("severity-value", "ERROR", shapes, 20, "cgs:Q-02"),
            "sh:severity sh:warning is not sh:Violation, sh:Warning or sh:Info",
        ),
        (
            ("sparql-this", "ERROR", shapes, 27, "cgs:Q-03"),
            "the sh:select query never mentions $this (or ?this), so it ignores the focus node",
        ),
    ]


def test_sparql_syntax_errors_are_one_short_line_at_the_line_of_the_error() -> None:
    broken = next(
        f for f in run([FIXTURES / "parse"], "parse").findings if f.file.endswith("broken.rq")
    )
    assert (row(broken), broken.message) == (
        ("parse", "ERROR", "parse/queries/broken.rq", 5, None),
        "SPARQL syntax error: undeclared prefix xx",
    )
    shapes = "shape-queries/shapes/queries.ttl"
    report = run([SHAPE_QUERIES], "shapes", spec=None)
    found = [(row(f), f.message) for f in report.by_check("shape-sparql")]
    assert found[0] == (
        ("shape-sparql", "ERROR", shapes, 41, "cgs:Q-04"),
        "the sh:select query does not parse: undeclared prefix dcterms",
    )
    assert found[1][0] == ("shape-sparql", "ERROR", shapes, 49, "cgs:Q-05")
    assert found[1][1].startswith("the sh:select query does not parse at column ")
    assert len(found) == 2
    for finding in report.findings:
        assert "\n" not in finding.message and len(finding.message) < 200, finding.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ex:S a sh:NodeShape .", "shapes"),
        ("ex:S a sh:PropertyShape ; sh:path ex:p .", "shapes"),
        ("ex:S a <http://www.w3.org/ns/shacl#PropertyShape> .", "shapes"),
        ("ex:O a owl:Ontology .", "ontology"),
        ("ex:x ex:p ex:y .", "examples"),
    ],
)
def test_a_file_outside_the_usual_folders_is_told_by_its_content(
    tmp_path: Path, text: str, kind: str
) -> None:
    from cancergraph.checks.workspace import classify

    path = tmp_path / "file.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n" + text + "\n",
        encoding="utf-8",
    )
    assert classify(path) == kind


RDFXML_START = (
    '<?xml version="1.0"?>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
    ' <rdf:Description rdf:about="urn:ex:a">\n'
)


@pytest.mark.parametrize(
    ("ending", "line", "words"),
    [
        # cut short: pyoxigraph reads it up to the cut; the check must not pass what was lost
        ("", 4, "not well-formed XML: the document ends with elements still open"),
        # an error of RDF, for which pyoxigraph gives no position
        ("  <plain>1</plain>\n </rdf:Description>\n</rdf:RDF>\n", 4, "XML namespaces"),
    ],
)
def test_an_rdfxml_parse_error_names_its_line(
    tmp_path: Path, ending: str, line: int, words: str
) -> None:
    folder = tmp_path / "ontology"
    folder.mkdir()
    (folder / "broken.rdf").write_text(RDFXML_START + ending, encoding="utf-8")
    (finding,) = run([folder], "parse").findings
    assert (finding.check, finding.level.name, finding.line) == ("parse", "ERROR", line)
    assert finding.message.startswith("rdfxml syntax error: ") and words in finding.message


def test_a_json_ld_key_that_maps_to_nothing_is_a_parse_error(tmp_path: Path) -> None:
    folder = tmp_path / "examples"
    folder.mkdir()
    (folder / "setup.jsonld").write_text(
        '{\n "@context": {},\n "@id": "urn:ex:a",\n "urn:ex:p": "kept",\n "nmae": "lost"\n}\n',
        encoding="utf-8",
    )
    (finding,) = run([folder], "parse").findings
    assert (finding.check, finding.level.name, finding.line) == ("parse", "ERROR", 5)
    assert finding.message.startswith('jsonld: the key "nmae" maps to no IRI')
