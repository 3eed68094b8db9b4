"""The report as an HTML page a reviewer can read and share."""

from __future__ import annotations

from dataclasses import dataclass

from cancergraph.render.templates import environment
from cancergraph.report import Finding, Report, blocks

SOURCE_TITLES = {
    "nao2004": "National Audit Office, The NHS Cancer Plan: a progress report (2004)",
    "kf2011": "The King's Fund, The future of cancer networks (2011)",
    "integrity": "cancergraph integrity rule",
}


@dataclass(frozen=True)
class RuleGroup:
    rule: str | None
    title: str | None
    severity: str
    quote: str | None
    source_title: str
    remedy: str | None
    findings: list[Finding]


def groups(report: Report) -> list[RuleGroup]:
    """One section per rule and severity, or per shape without a rule id (see blocks)."""
    found = []
    for findings in blocks(report.results):
        first = findings[0]
        found.append(
            RuleGroup(
                rule=first.rule,
                title=first.rule_title if first.rule else (first.named_shape or first.shape),
                severity=first.severity.label,
                quote=first.quote,
                source_title=SOURCE_TITLES.get(first.source or "", first.source or ""),
                remedy=first.remedy,
                findings=findings,
            )
        )
    return found


def render(report: Report) -> str:
    return environment().get_template("report.html").render(report=report, groups=groups(report))
