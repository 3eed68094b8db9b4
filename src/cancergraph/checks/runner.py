"""Running the checks in order, and finding their settings (lint profile, specification)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from cancergraph import resources
from cancergraph.checks import examples, lint, parsing, reasoner, shapes, sparql, terms
from cancergraph.checks.findings import (
    BROKEN_CHECK,
    Check,
    CheckReport,
    Finding,
    Level,
    NotRun,
    sort_findings,
)
from cancergraph.checks.groups import GROUPS
from cancergraph.checks.workspace import Context, Workspace
from cancergraph.errors import UserError

MODULES = (parsing, reasoner, lint, terms, shapes, sparql, examples)
PROFILE_NAME = "lint-profile.yaml"
TOOL = "cancergraph check"
LONGEST_MESSAGE = 300
INTERNAL_ERROR = Check(
    BROKEN_CHECK,
    "Every group of checks ran to the end",
    "A group of checks stopped on an unexpected error. That is a fault in cancergraph "
    "check rather than in the files, but the group's checks that had not reported yet "
    "did not run, so problems may have been missed.",
    "",
    "Report the message; meanwhile the other groups' results stand.",
    level=Level.ERROR,
)


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
    """Run every group not skipped (or only those named) and collect one report.

    A check whose input is missing or broken (`blocked` in its module) does not run, so
    that one parse error is not buried under the findings it would cause elsewhere; a
    group that raises is reported as an internal error, and the other groups still run.
    """
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
    ctx.blocked = {}
    findings: list[Finding] = []
    for module, checks in active:
        try:
            ctx.blocked.update(_blocked(ctx, module, checks))
        except Exception as err:  # as in run() below
            findings.append(_crash(ctx, module.GROUP, list(checks), findings, err))
    for module, checks in active:
        start = getattr(module, "start", None)
        if start is not None and _runnable(ctx, checks):
            with suppress(Exception):  # run() meets the same error and reports it
                start(ctx)
    ran: list[Check] = []
    for module, checks in active:
        runnable = _runnable(ctx, checks)
        if not runnable:
            continue
        ran.extend(runnable)
        try:
            for finding in module.run(ctx):  # one by one: those before an error are kept
                findings.append(finding)
        except Exception as err:  # a fault in a check must not lose the other groups' results
            findings.append(_crash(ctx, module.GROUP, runnable, findings, err))
    ran = [check for check in ran if check.name not in ctx.blocked]
    if any(f.check == INTERNAL_ERROR.name for f in findings):
        ran.append(INTERNAL_ERROR)
    names = [check.name for check in ran]
    kept = [_one_line(f) for f in findings if f.check in names]
    return CheckReport(
        tool=TOOL,
        checks=ran,
        findings=sort_findings(kept, names),
        files=ctx.workspace.summary(),
        not_run=[
            NotRun(check, ctx.blocked[check.name])
            for _, checks in active
            for check in checks
            if check.name in ctx.blocked
        ],
    )


def _blocked(ctx: Context, module: ModuleType, checks: Sequence[Check]) -> dict[str, str]:
    find = getattr(module, "blocked", None)
    if find is None:
        return {}
    names = {check.name for check in checks}
    return {name: reason for name, reason in find(ctx).items() if name in names}


def _runnable(ctx: Context, checks: Sequence[Check]) -> list[Check]:
    return [check for check in checks if check.name not in ctx.blocked]


def _crash(
    ctx: Context, group: str, checks: list[Check], findings: list[Finding], err: Exception
) -> Finding:
    """The finding for a group that raised; its checks with no findings yet did not run."""
    reported = {finding.check for finding in findings}
    for check in checks:
        if check.name not in reported:
            ctx.blocked[check.name] = f"the {group} checks stopped"
    detail = " ".join(str(err).split())
    if len(detail) > LONGEST_MESSAGE:
        detail = detail[: LONGEST_MESSAGE - 3] + "..."
    what = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
    return Finding(INTERNAL_ERROR.name, Level.ERROR, f"the {group} checks stopped: {what}")


def _one_line(finding: Finding) -> Finding:
    """Every finding is one line, as `file:line: LEVEL check: message` promises."""
    if any(c in finding.message for c in "\n\r\t"):
        return replace(finding, message=" ".join(finding.message.split()))
    return finding
