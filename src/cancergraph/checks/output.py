"""`cancergraph check` output for people (text) and programs (JSON).

Text is one line per finding, `file:line: LEVEL check: message`, as compilers and
linters print, so editors and terminals can jump to it; then a line per reason some
checks did not run; the last line counts the checks that passed and failed at the
fail level, and those that did not run.
"""

from __future__ import annotations

import json

from cancergraph.checks.findings import CheckReport, Finding, Level, compact

COLOURS = {Level.ERROR: "31", Level.WARN: "33", Level.INFO: "36"}


def _line(finding: Finding, colour: bool) -> str:
    level = finding.level.name
    if colour:
        level = f"\033[{COLOURS[finding.level]}m{level}\033[0m"
    where = finding.where()
    term = (
        f" [{compact(finding.term)}]"
        if finding.term and finding.term not in finding.message
        else ""
    )
    head = f"{where}: " if where else ""
    return f"{head}{level} {finding.check}: {finding.message}{term}"


def text(report: CheckReport, threshold: Level | None, colour: bool = False) -> str:
    lines = [_line(finding, colour) for finding in report.findings]
    reasons: dict[str, list[str]] = {}
    for skipped in report.not_run:
        reasons.setdefault(skipped.reason, []).append(skipped.check.name)
    lines.extend(f"not run, as {reason}: {', '.join(names)}" for reason, names in reasons.items())
    counts = report.counts()
    files = sum(len(paths) for paths in report.files.values())
    failed = len(report.failing_checks(threshold))
    lines.append(
        f"{counts['ERROR']} errors, {counts['WARN']} warnings, {counts['INFO']} infos "
        f"in {files} files"
    )
    not_run = f", {len(report.not_run)} not run" if report.not_run else ""
    lines.append(f"checks: {len(report.checks) - failed} passed, {failed} failed{not_run}")
    return "\n".join(lines) + "\n"


def as_data(report: CheckReport, threshold: Level | None) -> dict[str, object]:
    failing = {check.name for check in report.failing_checks(threshold)}
    return {
        "findings": [finding.as_dict() for finding in report.findings],
        "checks": [
            {
                "name": check.name,
                "group": check.group,
                "title": check.title,
                "level": check.level.name if check.level else None,
                "findings": len(report.by_check(check.name)),
                "passed": check.name not in failing,
            }
            for check in report.checks
        ],
        "not_run": [
            {
                "name": skipped.check.name,
                "group": skipped.check.group,
                "title": skipped.check.title,
                "reason": skipped.reason,
            }
            for skipped in report.not_run
        ],
        "summary": report.counts(),
        "fail_on": threshold.name if threshold else "NONE",
        "files": report.files,
    }


def json_text(report: CheckReport, threshold: Level | None) -> str:
    return json.dumps(as_data(report, threshold), indent=2, ensure_ascii=False) + "\n"
