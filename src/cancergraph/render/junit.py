"""JUnit XML, which every CI system shows as a test report: one test case per check
(or validation rule); findings at or above the fail level make it fail, one line each."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from cancergraph.checks.findings import CheckReport, Finding, Level, compact
from cancergraph.checks.from_validation import as_check_report
from cancergraph.render.printable import printable
from cancergraph.report import Report, Severity

FROM_SEVERITY = {Severity.VIOLATION: Level.ERROR, Severity.WARNING: Level.WARN}


def _line(finding: Finding) -> str:
    """One finding on one line; the data's control characters, which XML 1.0 cannot
    hold, are written as escapes, as the text report shows them."""
    where = finding.where()
    term = f" [{compact(finding.term)}]" if finding.term else ""
    return printable(f"{where + ': ' if where else ''}{finding.level.name} {finding.message}{term}")


def as_element(
    report: CheckReport, threshold: Level | None, threshold_name: str | None = None
) -> ET.Element:
    """`threshold_name` is the fail level as the user named it (validate's Violation)."""
    failing = {check.name for check in report.failing_checks(threshold)}
    counts = {"tests": str(len(report.checks)), "failures": str(len(failing)), "errors": "0"}
    suites = ET.Element("testsuites", {"name": report.tool, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": report.tool, **counts, "skipped": "0"})
    prefix = report.tool.replace(" ", ".")
    for check in report.checks:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": f"{prefix}.{check.group}" if check.group else prefix, "name": check.name},
        )
        findings = report.by_check(check.name)
        above = [f for f in findings if threshold is not None and f.level >= threshold]
        below = [f for f in findings if f not in above]
        if above:
            noun = "finding" if len(above) == 1 else "findings"
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "message": f"{len(above)} {noun} at or above "
                    f"{threshold_name or threshold.name}: {printable(check.title)}",
                    "type": max(f.level for f in above).name,
                },
            )
            failure.text = "\n".join(_line(f) for f in above)
        if below:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in below)
    return suites


def render(report: CheckReport, threshold: Level | None, threshold_name: str | None = None) -> str:
    element = as_element(report, threshold, threshold_name)
    ET.indent(element)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, "unicode") + "\n"


def render_validation(report: Report, fail_on: Severity | None) -> str:
    """A validation report; fail_on is the `--fail-on` severity of validate."""
    threshold = None if fail_on is None else FROM_SEVERITY.get(fail_on, Level.INFO)
    shown = None if fail_on is None else fail_on.label
    return render(as_check_report(report), threshold, shown)
