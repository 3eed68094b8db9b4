"""`cancergraph check` on the command line: exit codes, formats and usage errors."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

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
    assert lines[-1] == "checks: 5 passed, 12 failed"


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
    assert data["summary"] == {"ERROR": 14, "WARN": 0, "INFO": 1}
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
