"""The shapes: valid SHACL (SHACL-SHACL), SPARQL that parses and looks at its focus node,
severities the reports know, no rule switched off, and rules that match the
specification (see `specification`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources as package_files
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, Literal
from rdflib.term import Node

from cancergraph.checks import specification
from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.locate import strip_comments
from cancergraph.checks.shape_nodes import (
    locate,
    named_owner,
    nested_shapes,
    owner_file,
    statement_place,
    term_of,
    text_start,
    value_line,
)
from cancergraph.checks.workspace import Context
from cancergraph.report import path_text
from cancergraph.rules import SEVERITIES
from cancergraph.sparql_errors import describe
from cancergraph.vocab import CG, SH

GROUP = "shapes"
SHACL_SHACL = Check(
    "shacl-shacl",
    "The shapes are valid SHACL",
    "The shapes graph conforms to SHACL-SHACL, the W3C shapes graph for SHACL shapes "
    "(the copy shipped with pyshacl).",
    GROUP,
    "Correct the shape as the message says; see the SHACL specification for the constraint.",
    level=Level.ERROR,
)
SHAPE_SPARQL = Check(
    "shape-sparql",
    "SPARQL in the shapes parses",
    "Each sh:select and sh:ask of a SPARQL-based constraint or target parses as SPARQL 1.1 "
    "with the prefixes its shape declares (sh:prefixes / sh:declare). The error is "
    "reported at its line in the file.",
    GROUP,
    "Fix the query syntax, or declare the missing prefix with sh:declare.",
    level=Level.ERROR,
)
SPARQL_THIS = Check(
    "sparql-this",
    "SPARQL constraints look at their focus node",
    "Each sh:select of an sh:sparql constraint mentions $this (or ?this), the variable the "
    "focus node is bound to. A query without it gives the same results for every focus "
    "node, or none.",
    GROUP,
    "Select $this and use it in the pattern.",
    level=Level.ERROR,
)
SEVERITY_VALUE = Check(
    "severity-value",
    "Severities are Violation, Warning or Info",
    "Every sh:severity is sh:Violation, sh:Warning or sh:Info, the severities the reports, "
    "--fail-on and the rule catalogue know.",
    GROUP,
    "Use one of sh:Violation, sh:Warning and sh:Info.",
    level=Level.ERROR,
)
RULE_DEACTIVATED = Check(
    "rule-deactivated",
    "No rule shape is deactivated",
    "No shape with a cg:ruleId, nor any shape nested in one, is sh:deactivated true: "
    "`cancergraph rules` would list a rule that never fires, or that is not checked as "
    "it reads.",
    GROUP,
    "Remove sh:deactivated, or remove the rule from the shapes and the specification.",
    level=Level.ERROR,
)
CHECKS = (
    SHACL_SHACL,
    SHAPE_SPARQL,
    SPARQL_THIS,
    SEVERITY_VALUE,
    RULE_DEACTIVATED,
    *specification.CHECKS,
)
QUERY_PREDICATES = (SH.select, SH.ask)
FOCUS = re.compile(r"[?$]this\b")


def active(ctx: Context) -> tuple[Check, ...]:
    return CHECKS if ctx.workspace.shapes else ()


def blocked(ctx: Context) -> dict[str, str]:
    """With a shapes file missing, its rule ids would be reported as having no shape and
    its prefixes as undeclared; the rule checks also need the ontology and specification."""
    reason = ctx.unparsable(ctx.workspace.shapes)
    found = dict.fromkeys((check.name for check in CHECKS), reason) if reason else {}
    for name, why in specification.blocked(ctx).items():
        found.setdefault(name, why)
    return found


@cache
def shacl_shacl() -> Graph:
    """SHACL-SHACL as pyshacl ships it (the W3C file, unchanged), so no network is needed."""
    asset = package_files.files("pyshacl").joinpath("assets", "shacl-shacl.ttl")
    return Graph().parse(data=asset.read_text(encoding="utf-8"), format="turtle")


def run(ctx: Context) -> Iterator[Finding]:
    files = [p for p in ctx.workspace.shapes if ctx.graph(p) is not None]
    if not files:
        return
    shapes = ctx.merged(ctx.workspace.shapes)
    yield from _meta(ctx, shapes, files)
    yield from sparql_errors(ctx, ctx.workspace.shapes)
    yield from _focus(ctx, shapes, files)
    yield from _severities(ctx, shapes, files)
    yield from _deactivated(ctx, shapes, files)
    yield from specification.run(ctx, shapes, files)


def _meta(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    conforms, results, _ = pyshacl.validate(shapes, shacl_graph=shacl_shacl())
    if conforms:
        return
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = path_text(results, results.value(result, SH.resultPath))
        message = " ".join(str(results.value(result, SH.resultMessage) or "").split())
        where, line = locate(ctx, shapes, files, focus)
        owner = named_owner(shapes, focus)
        prefix = f"{compact(path)}: " if path else ""
        yield Finding(
            SHACL_SHACL.name,
            Level.ERROR,
            f"not valid SHACL: {prefix}{message or 'does not conform to SHACL-SHACL'}",
            where,
            line,
            str(owner) if owner is not None else None,
        )


def _prefix_header(graph: Graph, node: Node) -> str:
    lines = []
    for prefixes in graph.objects(node, SH.prefixes):
        for decl in graph.objects(prefixes, SH.declare):
            prefix, namespace = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def sparql_errors(ctx: Context, files: Sequence[Path]) -> list[Finding]:
    """The shape-sparql findings of these shapes files, found once per run: the
    examples cannot be validated with shapes that have any."""
    key = tuple(files)

    def find() -> list[Finding]:
        parsed = [path for path in key if ctx.graph(path) is not None]
        return list(_sparql(ctx, ctx.merged(key), parsed)) if parsed else []

    return ctx.memo(f"shape-sparql:{key}", find)


def _sparql(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    empty = ox.Store()
    for predicate in QUERY_PREDICATES:
        for node, text in sorted(shapes.subject_objects(predicate)):
            if "$PATH" in str(text):
                continue  # property-path placeholder, substituted before parsing
            header = _prefix_header(shapes, node)
            query = f"{header}\n{text}" if header else str(text)
            try:
                empty.query(query)
            except SyntaxError as err:
                yield _syntax_finding(ctx, shapes, files, node, predicate, str(text), err, query)
            except (RuntimeError, OSError):
                continue  # it parses; running it on no data is not the point


def _syntax_finding(
    ctx: Context,
    shapes: Graph,
    files: list[Path],
    node: Node,
    predicate: Node,
    text: str,
    err: SyntaxError,
    parsed: str,
) -> Finding:
    """At the error's line in the file: the literal's first line plus the line in the query."""
    error = describe(err, parsed)
    path, line = owner_file(ctx, shapes, files, node)
    what = f"the {compact(predicate)} query does not parse"
    where = ""
    if error.line is not None:
        query_line = error.line - (parsed.count("\n") - text.count("\n"))
        start = text_start(ctx, path, line, text)
        if start is not None and query_line >= 1:
            line = start[0] + query_line - 1
            column = error.column if query_line > 1 else start[1] + (error.column or 1) - 1
            where = "" if error.names_the_problem else f" at column {column}"
        elif not error.names_the_problem:
            where = f" (line {query_line}, column {error.column} of the query)"
    return Finding(
        SHAPE_SPARQL.name,
        Level.ERROR,
        f"{what}{where}: {error.message}",
        display_path(path),
        line,
        term_of(shapes, node),
    )


def _focus(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    for constraint in sorted(set(shapes.objects(None, SH.sparql))):
        for text in shapes.objects(constraint, SH.select):
            if FOCUS.search("\n".join(strip_comments(str(text)))):
                continue
            path, line = owner_file(ctx, shapes, files, constraint)
            start = text_start(ctx, path, line, str(text))
            yield Finding(
                SPARQL_THIS.name,
                Level.ERROR,
                "the sh:select query never mentions $this (or ?this), so it ignores the focus node",
                display_path(path),
                start[0] if start is not None else line,
                term_of(shapes, constraint),
            )


def _severities(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    for node, value in sorted(shapes.subject_objects(SH.severity)):
        if value in SEVERITIES:
            continue
        path, line = owner_file(ctx, shapes, files, node)
        shown = f'"{value}"' if isinstance(value, Literal) else compact(value)
        yield Finding(
            SEVERITY_VALUE.name,
            Level.ERROR,
            f"sh:severity {shown} is not sh:Violation, sh:Warning or sh:Info",
            display_path(path),
            value_line(ctx, path, line, value),
            term_of(shapes, node),
        )


def _deactivated(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    for node, rule_id in sorted(shapes.subject_objects(CG.ruleId)):
        if _is_deactivated(shapes, node):
            path, line = owner_file(ctx, shapes, files, node)
            yield Finding(
                RULE_DEACTIVATED.name,
                Level.ERROR,
                f"rule {rule_id} is sh:deactivated true: `cancergraph rules` lists it, but it "
                "never fires",
                display_path(path),
                value_line(ctx, path, line, SH.deactivated),
                term_of(shapes, node),
            )
        for nested in nested_shapes(shapes, node):
            if _is_deactivated(shapes, nested.node):
                where, line = statement_place(ctx, shapes, files, nested.node, SH.deactivated)
                yield Finding(
                    RULE_DEACTIVATED.name,
                    Level.ERROR,
                    f"rule {rule_id}: {nested.name()} is sh:deactivated true: that part of the "
                    "rule is never checked",
                    where,
                    line,
                    str(nested.owner),
                )


def _is_deactivated(shapes: Graph, node: Node) -> bool:
    flag = shapes.value(node, SH.deactivated)
    return isinstance(flag, Literal) and flag.toPython() is True
