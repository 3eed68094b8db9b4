"""`cancergraph check`: the checks CI runs on the ontology, shapes, queries and examples.

One module per group of checks (parsing, reasoner, lint, terms, shapes, sparql,
examples), each with GROUP, CHECKS, active(ctx) and run(ctx) -> findings, and
blocked(ctx) where a check needs a file that may not parse; the runner calls them
in that order over a shared, cached Context. The shapes group's rule checks are in
`specification`; `shape_nodes` serves the shapes checks, and `validating` says
whether the examples can be validated, for the checks that compare their reports.

The names below are loaded on first use: the check modules import pyshacl and
the reasoner, which the other commands (that only need the findings model for
their SARIF and JUnit output) should not pay for.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from cancergraph.checks.findings import Check, CheckReport, Finding, Level
from cancergraph.checks.groups import GROUPS

_LAZY = {
    "all_checks": "runner",
    "context": "runner",
    "run": "runner",
    "Context": "workspace",
    "Workspace": "workspace",
}

__all__ = [
    "GROUPS",
    "Check",
    "CheckReport",
    "Context",
    "Finding",
    "Level",
    "Workspace",
    "all_checks",
    "context",
    "run",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
