"""The shapes: valid SHACL (SHACL-SHACL), SPARQL that parses, and rule ids that match
the specification (recommendations.yaml) one to one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources as package_files
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.workspace import Context
from cancergraph.report import path_text
from cancergraph.vocab import CG, SH

GROUP = "shapes"
SHACL_SHACL = Check(
    "shacl-shacl",
    "The shapes are valid SHACL",
    "The shapes graph conforms to SHACL-SHACL, the W3C shapes graph for SHACL shapes "
    "(the copy shipped with pyshacl).",
    GROUP,
    "Correct the shape as the message says; see the SHACL specification for the constraint.",
)
SHAPE_SPARQL = Check(
    "shape-sparql",
    "SPARQL in the shapes parses",
    "Each sh:select and sh:ask of a SPARQL-based constraint or target parses as SPARQL 1.1 "
    "with the prefixes its shape declares (sh:prefixes / sh:declare).",
    GROUP,
    "Fix the query syntax, or declare the missing prefix with sh:declare.",
)
RULE_IDS = Check(
    "rule-ids",
    "Rule ids match the specification",
    "Every rule id of recommendations.yaml has exactly one shape (cg:ruleId), and every "
    "shape's rule id is one of the specification's.",
    GROUP,
    "Add the missing shape, or correct the shape's cg:ruleId.",
)
CHECKS = (SHACL_SHACL, SHAPE_SPARQL, RULE_IDS)
QUERY_PREDICATES = (SH.select, SH.ask)
LONGEST_DETAIL = 160


def active(ctx: Context) -> tuple[Check, ...]:
    return CHECKS if ctx.workspace.shapes else ()


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
    yield from _sparql(ctx, shapes, files)
    yield from _rule_ids(ctx, shapes, files)


def named_owner(graph: Graph, node: Node) -> URIRef | None:
    """The named shape a blank node belongs to, walking up the graph."""
    seen: set[Node] = set()
    frontier = [node]
    while frontier:
        current = frontier.pop(0)
        if isinstance(current, URIRef):
            return current
        if current in seen:
            continue
        seen.add(current)
        frontier.extend(graph.subjects(None, current))
    return None


def _locate(ctx: Context, graph: Graph, files: list[Path], node: Node) -> tuple[str, int | None]:
    owner = named_owner(graph, node)
    if owner is None:
        return display_path(files[0]), None
    path, line = ctx.subject_file(files, str(owner))
    return display_path(path or files[0]), line


def _meta(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    conforms, results, _ = pyshacl.validate(shapes, shacl_graph=shacl_shacl())
    if conforms:
        return
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = path_text(results, results.value(result, SH.resultPath))
        message = " ".join(str(results.value(result, SH.resultMessage) or "").split())
        where, line = _locate(ctx, shapes, files, focus)
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


def _sparql(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    empty = ox.Store()
    for predicate in QUERY_PREDICATES:
        for node, text in sorted(shapes.subject_objects(predicate)):
            if "$PATH" in str(text):
                continue  # property-path placeholder, substituted before parsing
            header = _prefix_header(shapes, node)
            try:
                empty.query(f"{header}\n{text}" if header else str(text))
            except SyntaxError as err:
                detail = " ".join(str(err.msg if err.msg else err).split())
                where, line = _locate(ctx, shapes, files, node)
                detail = _shift_line(detail, header.count("\n") + 1 if header else 0)
                owner = named_owner(shapes, node)
                yield Finding(
                    SHAPE_SPARQL.name,
                    Level.ERROR,
                    f"the {compact(predicate)} query does not parse: {detail}",
                    where,
                    line,
                    str(owner) if owner is not None else None,
                )
            except (RuntimeError, OSError):
                continue  # it parses; running it on no data is not the point


def _shift_line(detail: str, added: int) -> str:
    """Error positions as lines of the query text in the shape, not of the text we built."""
    match = re.match(r"error at (\d+):(\d+): (.*)", detail)
    if not match:
        return detail
    line, column, rest = int(match.group(1)) - added, match.group(2), match.group(3)
    if len(rest) > LONGEST_DETAIL:
        rest = rest[: LONGEST_DETAIL - 3] + "..."
    return f"line {line}, column {column} of the query: {rest}"


def _rule_ids(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    spec_ids, spec_problem = spec_rule_ids(ctx)
    if spec_problem is not None:
        yield spec_problem
    by_rule: dict[str, list[Node]] = {}
    for shape, rule_id in sorted(shapes.subject_objects(CG.ruleId)):
        by_rule.setdefault(str(rule_id), []).append(shape)
    for rule_id, holders in sorted(by_rule.items()):
        for shape in holders:
            where, line = _locate(ctx, shapes, files, shape)
            term = str(shape) if not isinstance(shape, BNode) else None
            if spec_ids is not None and rule_id not in spec_ids:
                yield Finding(
                    RULE_IDS.name,
                    Level.ERROR,
                    f"shape {compact(shape)} has rule id {rule_id}, which is not in the "
                    "specification",
                    where,
                    line,
                    term,
                )
            if len(holders) > 1:
                others = ", ".join(compact(s) for s in holders if s != shape)
                yield Finding(
                    RULE_IDS.name,
                    Level.ERROR,
                    f"rule id {rule_id} is on more than one shape (also {others})",
                    where,
                    line,
                    term,
                )
    if spec_ids is None or ctx.spec is None:
        return
    spec_lines = (ctx.text(ctx.spec) or "").splitlines()
    for rule_id in spec_ids:
        if rule_id not in by_rule:
            line = next(
                (
                    n
                    for n, text in enumerate(spec_lines, start=1)
                    if re.match(rf"\s*-?\s*id:\s*['\"]?{re.escape(rule_id)}['\"]?\s*$", text)
                ),
                None,
            )
            yield Finding(
                RULE_IDS.name,
                Level.ERROR,
                f"rule {rule_id} of the specification has no shape",
                display_path(ctx.spec),
                line,
                rule_id,
            )


def spec_rule_ids(ctx: Context) -> tuple[list[str] | None, Finding | None]:
    """The specification's rule ids, or why they cannot be read."""
    if ctx.spec is None:
        return None, Finding(
            RULE_IDS.name,
            Level.WARN,
            "the specification (recommendations.yaml) was not found, so rule ids were not "
            "compared with it; name it with --spec",
        )
    data = ctx.document(ctx.spec)
    error = ctx.error(ctx.spec)
    if error is not None:
        return None, Finding(
            RULE_IDS.name,
            Level.ERROR,
            f"the specification cannot be read: {error.message}",
            display_path(ctx.spec),
            error.line,
        )
    if not isinstance(data, list) or not all(isinstance(r, dict) and "id" in r for r in data):
        return None, Finding(
            RULE_IDS.name,
            Level.ERROR,
            "the specification is not a list of rules with ids",
            display_path(ctx.spec),
        )
    return [str(rule["id"]) for rule in data], None
