"""What a check reports, independent of how it is shown.

One model serves `cancergraph check` and the CI formats of `cancergraph validate`:
a list of checks that ran (SARIF rules, JUnit test cases) and the findings they made.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from cancergraph.render.query_results import PREFIXES

SHORT_NAMES = {
    **PREFIXES,
    "https://w3id.org/cancergraph/shapes#": "cgs:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
}
# The name of the finding that says a group of checks stopped on an unexpected error.
BROKEN_CHECK = "internal-error"


def compact(term: object) -> str:
    """A term as people read it in a message: a prefixed name where one is known."""
    text = str(term)
    for namespace, prefix in SHORT_NAMES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return prefix + text[len(namespace) :]
    return f"<{text}>" if "://" in text or text.startswith("urn:") else text


class Level(IntEnum):
    """Ordered so that `>=` answers "at or above the fail level"."""

    INFO = 1
    WARN = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Level:
        return cls[name.upper()]


@dataclass(frozen=True)
class Check:
    """A check, or a validation rule, as CI tools list it."""

    name: str
    title: str
    description: str = ""
    group: str = ""
    help: str = ""
    level: Level | None = None  # what it reports when it fails (SARIF's default level)


@dataclass(frozen=True)
class Finding:
    check: str
    level: Level
    message: str
    file: str | None = None
    line: int | None = None
    term: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "level": self.level.name,
            "file": self.file,
            "line": self.line,
            "term": self.term,
            "message": self.message,
        }

    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class NotRun:
    """A check that did not run, and why: its results could not be trusted, so it has none."""

    check: Check
    reason: str


@dataclass
class CheckReport:
    """The checks that ran, in order, and every finding, sorted for stable output.

    Checks that did not run (a file they need does not parse, say) are listed apart,
    so that they are neither passed nor failed.
    """

    tool: str
    checks: list[Check]
    findings: list[Finding]
    files: dict[str, list[str]] = field(default_factory=dict)
    not_run: list[NotRun] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally = Counter(finding.level for finding in self.findings)
        return {level.name: tally.get(level, 0) for level in reversed(Level)}

    def fails(self, threshold: Level | None) -> bool:
        return any(self._fails(finding, threshold) for finding in self.findings)

    def failing_checks(self, threshold: Level | None) -> list[Check]:
        """The checks with a finding at or above the threshold, and a check that broke
        whatever the threshold, as a run that stopped proves nothing."""
        names = {f.check for f in self.findings if self._fails(f, threshold)}
        return [check for check in self.checks if check.name in names]

    @staticmethod
    def _fails(finding: Finding, threshold: Level | None) -> bool:
        if finding.check == BROKEN_CHECK:
            return True
        return threshold is not None and finding.level >= threshold

    def by_check(self, name: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.check == name]


def display_path(path: str | Path) -> str:
    """A path as people and CI read it: relative to the working folder when inside it."""
    resolved = Path(path).resolve()
    try:
        return Path(os.path.relpath(resolved)).as_posix()
    except ValueError:  # another drive
        return resolved.as_posix()


def sort_findings(findings: Iterable[Finding], order: list[str]) -> list[Finding]:
    """File by file and line by line, as linters print; check order breaks ties."""
    rank = {name: index for index, name in enumerate(order)}

    def key(finding: Finding) -> tuple:
        return (
            finding.file is not None,
            finding.file or "",
            finding.line or 0,
            rank.get(finding.check, len(rank)),
            finding.term or "",
            finding.message,
        )

    return sorted(set(findings), key=key)
