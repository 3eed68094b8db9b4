"""`cancergraph check` on the command line: exit codes, formats and usage errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from cancergraph.cli import main
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "check"
LINT = str(FIXTURES / "lint")
ONTOLOGY = str(ROOT / "ontology" / "cancergraph.ttl")
INFO_ONLY = str(FIXTURES / "info" / "ontology" / "orphan.ttl")
QUICK = ["--skip", "reasoning"]


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_errors_exit_1_and_print_file_line_level_and_check(capsys) -> None:
    code, out, _ = run([LINT, *QUICK], capsys)
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.endswith("broken.ttl:12: ERROR missing-label: has no rdfs:label [cg:Unlabelled]")
        for line in lines
    )
    assert lines[-1] == "checks: 10 passed, 12 failed"


def test_the_fail_level_decides_the_exit_code(capsys) -> None:
    assert run([LINT, *QUICK, "--fail-on", "none"], capsys)[0] == 0
    code, out, _ = run([INFO_ONLY, *QUICK], capsys)
    assert code == 0
    assert "INFO missing-superclass" in out
    assert run([INFO_ONLY, *QUICK, "--fail-on", "warn"], capsys)[0] == 0
    assert run([INFO_ONLY, *QUICK, "--fail-on", "info"], capsys)[0] == 1


def test_json_output(capsys) -> None:
    code, out, _ = run([LINT, *QUICK, "--format", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert data["fail_on"] == "ERROR"
    assert data["summary"] == {"ERROR": 16, "WARN": 0, "INFO": 1}
    first = data["findings"][0]
    assert set(first) == {"check", "level", "file", "line", "term", "message"}
    checks = {check["name"]: check for check in data["checks"]}
    assert checks["missing-superclass"] == {
        "name": "missing-superclass",
        "group": "lint",
        "title": "Every class has a superclass",
        "level": "INFO",
        "findings": 1,
        "passed": True,
    }
    # every check has the level of what it reports when it fails, not only the lint checks
    assert checks["parse"]["level"] == checks["undeclared-term"]["level"] == "ERROR"
    assert all(check["level"] in {"ERROR", "WARN", "INFO"} for check in data["checks"])


def test_reports_can_also_go_to_files(capsys, tmp_path: Path) -> None:
    sarif, junit = tmp_path / "check.sarif", tmp_path / "check.xml"
    code, out, _ = run(
        [ONTOLOGY, *QUICK, "--sarif-file", str(sarif), "--junit-file", str(junit)], capsys
    )
    assert code == 0
    assert out.splitlines()[-1].startswith("checks: ")
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert ET.fromstring(junit.read_text(encoding="utf-8")).tag == "testsuites"


def test_usage_errors_exit_2(capsys, tmp_path: Path) -> None:
    assert run(["no/such/path"], capsys)[0] == 2
    assert run([str(FIXTURES / "README.md")], capsys)[0] == 2
    assert run([LINT, "--skip", "everything"], capsys)[0] == 2
    assert run([LINT, "--format", "xml"], capsys)[0] == 2
    profile = tmp_path / "profile.yaml"
    profile.write_text("missing-labels: ERROR\n", encoding="utf-8")
    code, _, err = run([LINT, "--profile", str(profile)], capsys)
    assert code == 2
    assert "unknown lint check 'missing-labels'" in err
    assert run([LINT, "--spec", str(tmp_path / "none.yaml")], capsys)[0] == 2


SPEC = ROOT.parent / "shared" / "spec" / "recommendations.yaml"


def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's ontology, shapes, queries and examples, to break."""
    project = tmp_path / "project"
    for kind in ("ontology", "shapes", "queries", "examples"):
        shutil.copytree(ROOT / kind, project / kind)
    return project


def broken_copy(tmp_path: Path, broken: str) -> tuple[Path, int]:
    """The project's files with the `;` at the end of one statement's first line removed;
    the parser stops on the next line, which is returned."""
    project = project_copy(tmp_path)
    path = project / broken
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(
        n
        for n, line in enumerate(lines[:-1])
        if line.rstrip().endswith(" ;") and lines[n + 1][:1].isspace() and lines[n + 1].strip()
    )
    lines[index] = lines[index].rstrip()[:-1].rstrip() + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return project, index + 2


@pytest.mark.parametrize("broken", ["ontology/cancergraph.ttl", "shapes/nao2004.ttl"])
def test_a_file_that_does_not_parse_gives_one_finding_and_every_report(
    broken: str, capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, line = broken_copy(tmp_path, broken)
    monkeypatch.setenv("CANCERGRAPH_HOME", str(project))
    sarif, junit = tmp_path / "check.sarif", tmp_path / "check.xml"
    code, out, _ = run(
        ["--format", "json", "--spec", str(SPEC), "--sarif-file", str(sarif),
         "--junit-file", str(junit)],
        capsys,
    )  # fmt: skip
    assert code == 1
    data = json.loads(out)
    assert [(f["check"], f["level"], f["line"]) for f in data["findings"]] == [
        ("parse", "ERROR", line)
    ]
    assert data["findings"][0]["file"].endswith(broken)
    assert "\n" not in data["findings"][0]["message"]
    not_run = {entry["name"]: entry["reason"] for entry in data["not_run"]}
    assert {"example-conforms", "example-golden", "rule-spec"} <= set(not_run)
    # query-empty runs the queries over the examples' reports, which validation makes
    assert "query-empty" in not_run and "query" not in not_run
    if broken.startswith("ontology"):
        assert {"consistency", "missing-label", "undeclared-term"} <= set(not_run)
    else:
        assert {"shacl-shacl", "rule-ids"} <= set(not_run)
    assert all(
        reason.endswith(f"{broken} does not parse at line {line}") for reason in not_run.values()
    )
    assert not set(not_run) & {check["name"] for check in data["checks"]}
    assert (
        json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"] == "parse"
    )
    assert ET.fromstring(junit.read_text(encoding="utf-8")).get("failures") == "1"


@pytest.fixture
def fresh_project_rules() -> Iterator[None]:
    """The project's ontology, shapes and rules read afresh, as a new process reads them:
    validation then reads the copy the test points CANCERGRAPH_HOME at."""
    from cancergraph import rules

    cached = (rules.ontology_graph, rules.project_shapes_graph, rules._project_catalogue)
    for function in cached:
        function.cache_clear()
    yield
    for function in cached:
        function.cache_clear()


@pytest.mark.usefixtures("fresh_project_rules")
@pytest.mark.parametrize("broken", ["ontology/cancergraph.ttl", "shapes/kf2011.ttl"])
def test_checks_that_validate_the_examples_do_not_run_when_validation_cannot_parse(
    broken: str, capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation parses the project's ontology and shapes itself, and raises on a file
    that does not parse; the checks that validate say so rather than break."""
    project, line = broken_copy(tmp_path, broken)
    monkeypatch.setenv("CANCERGRAPH_HOME", str(project))
    code, out, _ = run([*QUICK, "--fail-on", "none"], capsys)
    lines = out.splitlines()
    assert code == 0, out
    assert not any("internal-error" in text for text in lines)
    (blocked,) = [text for text in lines if text.startswith("not run, as ")]
    reason, names = blocked.split(": ")
    assert reason.endswith(f"{broken} does not parse at line {line}")
    assert "query-empty" in names.split(", ") and "query" not in names.split(", ")


@pytest.mark.usefixtures("fresh_project_rules")
def test_checks_that_validate_the_examples_do_not_run_when_a_shape_query_does_not_parse(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shapes parse as Turtle, but validation stops on the query with an undeclared
    prefix: shape-sparql reports it, and the checks that validate do not run."""
    project = project_copy(tmp_path)
    shapes = project / "shapes" / "kf2011.ttl"
    text = shapes.read_text(encoding="utf-8")
    pattern = "OPTIONAL { $this cg:primaryFunction ?value }"
    line = text[: text.index(pattern)].count("\n") + 1
    broken = pattern.replace(" }", " . $this dcterms:title ?t }")
    shapes.write_text(text.replace(pattern, broken, 1), encoding="utf-8")
    monkeypatch.setenv("CANCERGRAPH_HOME", str(project))
    code, out, _ = run([*QUICK, "--format", "json", "--spec", str(SPEC)], capsys)
    data = json.loads(out)
    assert code == 1
    assert [(f["check"], f["line"], f["message"]) for f in data["findings"]] == [
        ("shape-sparql", line, "the sh:select query does not parse: undeclared prefix dcterms")
    ]
    not_run = {entry["name"]: entry["reason"] for entry in data["not_run"]}
    assert set(not_run) == {"example-conforms", "example-golden", "query-empty"}
    for reason in not_run.values():
        assert reason.startswith("a SPARQL query of ")
        assert reason.endswith(f"shapes/kf2011.ttl does not parse at line {line}")


def test_a_check_that_breaks_is_reported_and_the_others_still_run(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cancergraph.checks import terms

    def broken_check(ctx: object) -> Iterator[object]:
        raise RuntimeError("something unexpected\nover two lines")
        yield

    monkeypatch.setattr(terms, "run", broken_check)
    sarif, junit = tmp_path / "check.sarif", tmp_path / "check.xml"
    code, out, _ = run(
        [LINT, *QUICK, "--sarif-file", str(sarif), "--junit-file", str(junit)], capsys
    )
    assert code == 1
    lines = out.splitlines()
    assert (
        "ERROR internal-error: the terms checks stopped: RuntimeError: something unexpected "
        "over two lines" in lines
    )
    assert any(
        line.endswith("ERROR missing-label: has no rdfs:label [cg:Unlabelled]") for line in lines
    )
    stopped = (
        "not run, as the terms checks stopped: undeclared-term, undeclared-reused-term, "
        "unknown-standard-term, term-kind"
    )
    assert stopped in lines
    assert lines[-1] == "checks: 6 passed, 13 failed, 4 not run"
    assert sarif.is_file() and junit.is_file()
    # whatever --fail-on says, a broken group fails the run, and every format says so
    code, out, _ = run([LINT, *QUICK, "--fail-on", "none", "--junit-file", str(junit)], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "checks: 18 passed, 1 failed, 4 not run"
    assert ET.fromstring(junit.read_text(encoding="utf-8")).get("failures") == "1"
    code, out, _ = run([LINT, *QUICK, "--fail-on", "none", "--format", "json"], capsys)
    passed = {check["name"]: check["passed"] for check in json.loads(out)["checks"]}
    assert code == 1 and passed["internal-error"] is False and passed["missing-label"] is True
