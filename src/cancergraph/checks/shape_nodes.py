"""Where something in a shapes graph is written: the named shape a node belongs to, the
file and line of that shape, and the line of a value or a query text inside it.

The shapes checks report at these lines so that a maintainer lands on the statement
to change, not merely on the shape it is in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph.checks.findings import compact, display_path
from cancergraph.checks.workspace import Context
from cancergraph.vocab import CG, NESTING, NESTING_LISTS


@dataclass(frozen=True)
class NestedShape:
    """A shape nested in a rule's shape, and how: its findings are the rule's findings."""

    node: Node
    via: URIRef  # the predicate that nests it
    owner: Node  # the named shape it is written in, or itself when named

    def name(self) -> str:
        """The shape as a message names it; a blank one by how, and where, it is nested."""
        if isinstance(self.node, URIRef):
            return compact(self.node)
        return f"the shape nested by {compact(self.via)} in {compact(self.owner)}"


def nested_shapes(graph: Graph, shape: Node) -> list[NestedShape]:
    """Every shape nested in the shape, at any depth, nearest first: by sh:property,
    sh:node, sh:not and sh:qualifiedValueShape, and as a member of sh:and, sh:or and
    sh:xone. A shape with a rule id of its own is another rule, and is not entered."""
    found: list[NestedShape] = []
    seen = {shape}
    frontier = [shape]
    while frontier:
        current = frontier.pop(0)
        children = [
            (via, child) for via in NESTING for child in sorted(graph.objects(current, via))
        ]
        children += [
            (via, member)
            for via in NESTING_LISTS
            for members in sorted(graph.objects(current, via))
            for member in graph.items(members)
        ]
        for via, child in children:
            if child in seen or graph.value(child, CG.ruleId) is not None:
                continue
            seen.add(child)
            found.append(NestedShape(child, via, named_owner(graph, child) or shape))
            frontier.append(child)
    return found


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


def owner_file(
    ctx: Context, graph: Graph, files: list[Path], node: Node
) -> tuple[Path, int | None]:
    """The file that describes the node's named shape, and the line where it starts."""
    owner = named_owner(graph, node)
    if owner is None:
        return files[0], None
    path, line = ctx.subject_file(files, str(owner))
    return path or files[0], line


def locate(ctx: Context, graph: Graph, files: list[Path], node: Node) -> tuple[str, int | None]:
    """As `owner_file`, with the file as reports show it."""
    path, line = owner_file(ctx, graph, files, node)
    return display_path(path), line


def statement_place(
    ctx: Context,
    graph: Graph,
    files: list[Path],
    node: Node,
    predicate: URIRef,
    value: URIRef | None = None,
) -> tuple[str, int | None]:
    """The file and line of the node's statement with the predicate (naming the value):
    in the block about a named node, or, for a blank node, inside the block of the named
    shape it is written in. Failing that, where the node (or that shape) is described."""
    if isinstance(node, URIRef):
        found, start = ctx.subject_file(files, str(node))
        path = found or files[0]
    else:
        path, start = owner_file(ctx, graph, files, node)
    line = None
    if start is not None:
        line = ctx.source(path).property_line(
            start,
            str(predicate),
            None if value is None else str(value),
            not isinstance(node, URIRef),
        )
    return display_path(path), line or start


def term_of(graph: Graph, node: Node) -> str | None:
    """The term a finding about the node names: its named shape."""
    owner = named_owner(graph, node)
    return str(owner) if owner is not None else None


def value_line(ctx: Context, path: Path, start: int | None, value: Node) -> int | None:
    """The first line at or after `start` that mentions the value (an IRI or a literal)."""
    source = ctx.source(path)
    if isinstance(value, Literal):
        pattern = re.compile(re.escape(f'"{value}"') + "|" + re.escape(f"'{value}'"))
    elif isinstance(value, URIRef):
        pattern = source.pattern(str(value))
    else:
        return start
    first = max(start or 1, 1)
    for number, line in enumerate(source.lines[first - 1 :], start=first):
        if pattern.search(line):
            return number
    return start


def text_start(ctx: Context, path: Path, start: int | None, text: str) -> tuple[int, int] | None:
    """Line and column (1-based) where a literal's text begins in the file, or None when it
    is not written as it reads (escapes, say). The first place at or after `start` wins."""
    raw = ctx.text(path)
    if not raw or not text:
        return None
    places = list(_occurrences(raw, text))
    if not places:
        return None
    lines = [(raw.count("\n", 0, at) + 1, at) for at in places]
    chosen = next(((n, at) for n, at in lines if start is None or n >= start), lines[0])
    number, at = chosen
    return number, at - (raw.rfind("\n", 0, at) + 1) + 1


def _occurrences(haystack: str, needle: str) -> Iterable[int]:
    at = haystack.find(needle)
    while at >= 0:
        yield at
        at = haystack.find(needle, at + 1)
