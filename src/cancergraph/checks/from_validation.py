"""A validation report seen as CI checks: one check per rule, findings located in the input.

SARIF and JUnit need a rule list and file:line locations; the validation report has
rules and focus nodes. The line is that of the first statement about the focus node
in the input file, found by scanning the file's text.
"""

from __future__ import annotations

from pathlib import Path

from cancergraph.checks.findings import Check, CheckReport, Finding, Level, compact, display_path
from cancergraph.checks.locate import SourceText
from cancergraph.report import Report, Severity

LEVELS = {Severity.VIOLATION: Level.ERROR, Severity.WARNING: Level.WARN, Severity.INFO: Level.INFO}
TOOL = "cancergraph validate"


def _sources(report: Report) -> list[tuple[str, SourceText]]:
    found = []
    for name in report.sources:
        path = Path(name)
        if path.is_file():
            try:
                found.append((display_path(path), SourceText(path.read_text(encoding="utf-8"))))
            except (OSError, UnicodeDecodeError):
                continue
    return found


def locate(sources: list[tuple[str, SourceText]], node: str) -> tuple[str | None, int | None]:
    if not node.startswith("_:"):
        for name, text in sources:
            line = text.line_of(node)
            if line is not None:
                return name, line
    return (sources[0][0], None) if sources else (None, None)


def as_check_report(report: Report) -> CheckReport:
    checks = []
    for rule_id in report.rules_applied:
        rule = report.rules.get(rule_id)
        if rule is not None:
            checks.append(
                Check(
                    rule.id,
                    rule.title or rule.id,
                    rule.reading,
                    rule.source,
                    rule.remedy,
                    LEVELS[Severity.parse(rule.severity)],
                )
            )
    known = {check.name for check in checks}
    sources = _sources(report)
    findings = []
    for result in report.results:
        name = result.rule or result.named_shape or result.shape
        if name not in known:
            known.add(name)
            checks.append(Check(name, f"shape {compact(name)}", group="shapes"))
        focus = result.focus_label or compact(result.focus_node)
        message = f"{focus}: {result.message}"
        if result.value is not None and result.value != result.focus_node:
            message += f" (value: {result.value_label or compact(result.value)})"
        file, line = locate(sources, result.focus_node)
        findings.append(
            Finding(name, LEVELS[result.severity], message, file, line, result.focus_node)
        )
    return CheckReport(tool=TOOL, checks=checks, findings=findings, files={"data": report.sources})
