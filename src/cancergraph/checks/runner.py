"""Running the checks in order, and finding their settings (lint profile, specification)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from cancergraph import resources
from cancergraph.checks import examples, lint, parsing, reasoner, shapes, sparql, terms
from cancergraph.checks.findings import Check, CheckReport, Finding, sort_findings
from cancergraph.checks.groups import GROUPS
from cancergraph.checks.workspace import Context, Workspace
from cancergraph.errors import UserError

MODULES = (parsing, reasoner, lint, terms, shapes, sparql, examples)
PROFILE_NAME = "lint-profile.yaml"
TOOL = "cancergraph check"


def all_checks() -> list[Check]:
    return [check for module in MODULES for check in module.CHECKS]


def find_profile(workspace: Workspace, given: str | Path | None = None) -> Path:
    """--profile, else the profile beside the checked ontology, else the project's."""
    if given is not None:
        return Path(given)
    for folder in dict.fromkeys(path.parent for path in workspace.ontology):
        if (folder / PROFILE_NAME).is_file():
            return folder / PROFILE_NAME
    return resources.ontology_dir() / PROFILE_NAME


def find_spec(given: str | Path | None = None) -> Path | None:
    """--spec, else recommendations.yaml in shared/spec beside the project, if there."""
    if given is not None:
        path = Path(given)
        if not path.is_file():
            raise UserError(f"{given}: no such specification file")
        return path
    default = resources.project_root().resolve().parent / "shared" / "spec" / "recommendations.yaml"
    return default if default.is_file() else None


def context(
    workspace: Workspace,
    profile: str | Path | None = None,
    spec: str | Path | None = None,
) -> Context:
    return Context(workspace, lint.load_profile(find_profile(workspace, profile)), find_spec(spec))


def run(ctx: Context, skip: Collection[str] = (), only: Sequence[str] | None = None) -> CheckReport:
    """Run every group not skipped (or only those named) and collect one report."""
    unknown = sorted((set(skip) | set(only or ())) - set(GROUPS))
    if unknown:
        raise UserError(f"unknown check group {', '.join(unknown)}; groups: {', '.join(GROUPS)}")
    chosen = [
        module
        for module in MODULES
        if module.GROUP not in skip and (only is None or module.GROUP in only)
    ]
    active = [(module, module.active(ctx)) for module in chosen]
    active = [(module, checks) for module, checks in active if checks]
    for module, _ in active:
        start = getattr(module, "start", None)
        if start is not None:
            start(ctx)
    ran: list[Check] = []
    findings: list[Finding] = []
    for module, checks in active:
        ran.extend(checks)
        findings.extend(module.run(ctx))
    names = [check.name for check in ran]
    kept = [f for f in findings if f.check in names]
    return CheckReport(
        tool=TOOL,
        checks=ran,
        findings=sort_findings(kept, names),
        files=ctx.workspace.summary(),
    )
