"""`cancergraph check`: the checks CI runs on the ontology, shapes, queries and examples.

One module per group of checks (parsing, reasoner, lint, terms, shapes, sparql,
examples), each with GROUP, CHECKS, active(ctx) and run(ctx) -> findings; the
runner calls them in that order over a shared, cached Context.
"""

from cancergraph.checks.findings import Check, CheckReport, Finding, Level
from cancergraph.checks.runner import GROUPS, all_checks, context, run
from cancergraph.checks.workspace import Context, Workspace

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
