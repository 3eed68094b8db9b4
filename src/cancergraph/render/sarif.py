"""SARIF 2.1.0 for code-scanning services: one run, a rule per check or validation rule.

Used by `cancergraph check` and `cancergraph validate --format sarif`. Each result has
its rule, level, message and, where the input is a file, a physical location.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from cancergraph import __version__
from cancergraph.checks.findings import Check, CheckReport, Finding, Level
from cancergraph.checks.from_validation import as_check_report
from cancergraph.report import Report

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {Level.ERROR: "error", Level.WARN: "warning", Level.INFO: "note"}


def artifact_uri(file: str) -> str:
    """Relative paths stay relative (to the checkout); others become file: URIs."""
    if file.startswith("/"):
        return "file://" + quote(file)
    return quote(file)


def _rule(check: Check) -> dict[str, object]:
    rule: dict[str, object] = {"id": check.name, "shortDescription": {"text": check.title}}
    if check.description:
        rule["fullDescription"] = {"text": check.description}
    if check.help:
        rule["help"] = {"text": check.help}
    if check.level is not None:
        rule["defaultConfiguration"] = {"level": LEVELS[check.level]}
    if check.group:
        rule["properties"] = {"tags": [check.group]}
    return rule


def _result(finding: Finding, index: int) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": finding.check,
        "ruleIndex": index,
        "level": LEVELS[finding.level],
        "message": {"text": finding.message},
    }
    location: dict[str, object] = {}
    if finding.file is not None:
        # code scanning places a result by its region: a finding about a whole file goes
        # on its first line
        location["physicalLocation"] = {
            "artifactLocation": {"uri": artifact_uri(finding.file)},
            "region": {"startLine": finding.line or 1},
        }
    if finding.term:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.term, "kind": "object"}]
    if location:
        result["locations"] = [location]
    return result


def as_data(report: CheckReport) -> dict[str, object]:
    index = {check.name: i for i, check in enumerate(report.checks)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cancergraph",
                        "fullName": report.tool,
                        "version": __version__,
                        "rules": [_rule(check) for check in report.checks],
                    }
                },
                "results": [_result(f, index[f.check]) for f in report.findings],
            }
        ],
    }


def render(report: CheckReport) -> str:
    return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"


def render_validation(report: Report) -> str:
    return render(as_check_report(report))
