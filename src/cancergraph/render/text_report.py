"""The report for a person at a terminal: grouped by rule, with counts and colour."""

from __future__ import annotations

import textwrap

from rdflib import BNode, URIRef

from cancergraph.render.printable import printable
from cancergraph.report import DATE_TODAY, Finding, Report, Severity, blocks

COLOURS = {Severity.VIOLATION: "31", Severity.WARNING: "33", Severity.INFO: "36"}
SOURCE_TITLES = {
    "nao2004": "National Audit Office, 2004",
    "kf2011": "The King's Fund, 2011",
    "integrity": "cancergraph integrity rule",
}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def _wrap(text: str, indent: str, width: int = 88) -> str:
    """Folded at spaces only: an IRI broken at a hyphen, or cut to fit, would be copied
    from the report wrong, so a long one is left whole on its line."""
    return textwrap.fill(
        printable(text),
        width=width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _node(node: str) -> str:
    return printable(node if node.startswith("_:") else f"<{node}>")


def _name(label: str | None, node: str) -> str:
    return f"{printable(label)} {_node(node)}" if label else _node(node)


def _shape(finding: Finding) -> str:
    """The shape a reader can look up: the result's, or the named shape nesting it."""
    return finding.named_shape or finding.shape


def _value(finding: Finding) -> str:
    """A value's label, else the value: an IRI or blank node written as a focus node is."""
    if finding.value_label:
        return finding.value_label
    assert finding.value is not None
    if isinstance(finding.terms.value, URIRef | BNode):
        return _node(finding.value)
    if finding.value_datatype:
        return f"{finding.value} (typed {finding.value_datatype})"
    return finding.value


def _summary(report: Report) -> str:
    counts = report.counts()
    parts = [
        f"{n} {name.lower()}{'s' if n != 1 and name != 'Info' else ''}"
        for name, n in counts.items()
    ]
    return ", ".join(parts)


def render(report: Report, colour: bool = False) -> str:
    lines = ["cancergraph validation report"]
    if report.reference_date is not None:
        lines.append(
            f"Judged as of {report.reference_date.isoformat()}: "
            f"{len(report.rules_applied)} rules applied (profiles: {', '.join(report.profiles)})"
        )
    else:
        named = len(report.rules_applied)
        lines.append(
            "Checked against the given shapes"
            + (f" ({named} of them name a rule)" if named else "")
        )
    if report.sources:
        lines.append("Data: " + printable(", ".join(report.sources)))
    if report.reference_date_source == DATE_TODAY:
        lines.append(
            "Note: the setup declares no reference date (cg:referenceDate), so it was judged "
            "as of today; declare one, or choose one with --as-of."
        )
    for note in report.notes:
        lines.append(_wrap(f"Note: {note}.", ""))
    if report.reference_date is not None and not report.rules_applied:
        # "conforms" alone would read as a clean bill of health
        lines.append(
            "Note: no rule of these profiles applies on that date, so nothing was checked."
        )
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(f"Result: {verdict} ({_summary(report)})")
    for findings in blocks(report.results):
        lines.append("")
        lines.extend(_rule_block(findings, colour))
    return "\n".join(lines) + "\n"


def _rule_block(findings: list[Finding], colour: bool) -> list[str]:
    first = findings[0]
    severity = _paint(first.severity.label.upper(), COLOURS[first.severity], colour)
    if first.rule:
        heading = f"{printable(first.rule)}  {severity}  {printable(first.rule_title or '')}"
    else:
        heading = f"-  {severity}  shape without a rule id: {_node(_shape(first))}"
    count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    lines = [f"{heading.rstrip()}  ({count})"]
    if first.quote:
        source = SOURCE_TITLES.get(first.source or "", first.source or "")
        lines.append(_wrap(f'"{first.quote}" ({source})', "    "))
    for finding in findings:
        lines.append("  - " + _name(finding.focus_label, finding.focus_node))
        lines.append(_wrap(finding.message, "      "))
        if finding.value is not None and finding.value != finding.focus_node:
            lines.append(_wrap(f"Value: {_value(finding)}", "      "))
        if finding.path and finding.rule is None:
            lines.append(_wrap(f"Path: {finding.path}", "      "))
    if first.remedy:
        lines.append(_wrap(f"To fix: {first.remedy}", "    "))
    return lines
