"""The report as an HTML page a reviewer can read and share."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from cancergraph.render.templates import environment
from cancergraph.report import Finding, Report

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
    found = []
    for rule, items in groupby(report.results, key=lambda f: f.rule):
        findings = list(items)
        first = findings[0]
        found.append(
            RuleGroup(
                rule=rule,
                title=first.rule_title,
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
