"""The JSON report: a documented, stable contract (see docs/report-json.md).

Keys and their order do not change within a major version; results come in a
deterministic order (rule, focus node, path, value).
"""

from __future__ import annotations

import json

from cancergraph.report import Report

SCHEMA_VERSION = 1


def as_data(report: Report) -> dict[str, object]:
    return {
        "conforms": report.conforms,
        "results": [finding.as_dict() for finding in report.results],
        "summary": report.counts(),
        "reference_date": report.reference_date.isoformat() if report.reference_date else None,
        "reference_date_source": report.reference_date_source,
        "notes": report.notes,
        "profiles": report.profiles,
        "rules_applied": report.rules_applied,
        "engine": report.engine,
        "sources": report.sources,
        "schema_version": SCHEMA_VERSION,
    }


def render(report: Report) -> str:
    return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"
