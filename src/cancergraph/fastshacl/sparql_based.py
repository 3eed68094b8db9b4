"""SHACL-SPARQL: sh:sparql constraints and SPARQL-based constraint components.

Each query is planned once (cancergraph.fastshacl.prebinding) and then run
once for all focus nodes, with the focus nodes and the other pre-bound values
($currentShape, $shapesGraph, component parameters) joined in as a pattern.
A query that binds $this itself runs without the focus pattern when the focus
nodes are a class or a property's subjects or objects; its answers are then
kept for the focus nodes only. Queries that cannot be run set-wise without
changing their meaning run once per focus node, with that node as the pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Node

from cancergraph.fastshacl import classes, focus, prebinding, results, syntax, terms
from cancergraph.fastshacl.errors import ShapesError
from cancergraph.fastshacl.results import Result
from cancergraph.fastshacl.shapes import ComponentConstraint, Query, Shape
from cancergraph.vocab import SH

if TYPE_CHECKING:
    from cancergraph.fastshacl.engine import Row, Validator

SHAPES_GRAPH_IRI = URIRef("urn:x-cancergraph:fastshacl:shapes-graph")


@dataclass(frozen=True)
class Prepared:
    """A SPARQL query of a shape made ready to run: what does not depend on the data.

    Prepared once per shapes graph (cancergraph.fastshacl.engine.Program), so a
    validation run only joins in the focus nodes and the class rewrites its data allows.
    """

    query: Query
    constants: dict[str, Node]
    plan: prebinding.Plan
    classes: tuple[tuple[str, str], ...]
    ask: bool

    @property
    def reads_shapes_graph(self) -> bool:
        return "shapesGraph" in self.constants


def prepare(shape: Shape, query: Query, parameters: dict[str, Node], ask: bool) -> Prepared:
    """Substitute $PATH, pick the pre-bound values the query reads, and plan it."""
    text = _with_path(query.text, shape)
    constants = _constants(shape, text, parameters)
    focus_vars = ["this", "value"] if ask else ["this"]
    return Prepared(
        query=query,
        constants=constants,
        plan=prebinding.plan(text, set(constants), set(focus_vars), ask),
        classes=classes.candidates(text, query.prefixes),
        ask=ask,
    )


def _with_path(text: str, shape: Shape) -> str:
    if shape.path_sparql is None:
        return text
    return syntax.replace_variable(text, "PATH", shape.path_sparql)


def _constants(shape: Shape, text: str, parameters: dict[str, Node]) -> dict[str, Node]:
    """The pre-bound values the query reads, besides the focus node (and value)."""
    used = {t.text[1:] for t in syntax.tokenize(text) if t.kind == "var"}
    found: dict[str, Node] = {k: v for k, v in parameters.items() if k in used}
    if "currentShape" in used:
        found["currentShape"] = shape.node
    if "shapesGraph" in used:
        found["shapesGraph"] = SHAPES_GRAPH_IRI
    return found


def _focus_block(pattern: str, columns: list[str], constants: dict[str, Node]) -> str:
    binds = " ".join(f"BIND({terms.sparql(v)} AS ?{k})" for k, v in sorted(constants.items()))
    selected = " ".join(f"?{name}" for name in [*columns, *sorted(constants)])
    return f"{{ SELECT DISTINCT {selected} WHERE {{ {pattern} {binds} }} }}"


def _pair_pattern(shape: Shape, source: focus.Source) -> str:
    if shape.path_sparql is None:
        return f"{source.pattern('this')} BIND(?this AS ?value)"
    return f"{source.pattern('this')} ?this {shape.path_sparql} ?value ."


def _solutions(
    validator: Validator, shape: Shape, ready: Prepared, source: focus.Source
) -> list[Row]:
    query, plan, constants, ask = ready.query, ready.plan, ready.constants, ready.ask
    focus_vars = ["this", "value"] if ask else ["this"]
    if ready.reads_shapes_graph:
        validator.data.load_shapes_graph()
    pairs = classes.choose(ready.classes, validator.has_subclass_instances)
    if plan.free_text is not None and source.testable and not ask:
        free = classes.apply(plan.free_text, pairs)
        free = free.replace(prebinding.PLACEHOLDER, source.pattern("this"))
        rows = validator.data.select(free, query.prefixes)
        keep = validator.members(source, {row["this"] for row in rows if "this" in row})
        return [row for row in rows if row.get("this") in keep]
    if plan.set_text is not None:
        if ask:
            block = _focus_block(_pair_pattern(shape, source), focus_vars, constants)
        elif constants:
            block = _focus_block(source.pattern("this"), focus_vars, constants)
        else:
            block = source.pattern("this")
        set_text = classes.apply(plan.set_text, pairs)
        return validator.data.select(
            set_text.replace(prebinding.PLACEHOLDER, block), query.prefixes
        )
    rows: list[Row] = []
    if ask:
        units = [
            {"this": row["this"], "value": row["value"]}
            for row in validator.data.select(
                f"SELECT DISTINCT ?this ?value WHERE {{ {_pair_pattern(shape, source)} }}"
            )
        ]
    else:
        units = [{"this": node} for node in validator.nodes(source)]
    node_text = classes.apply(plan.node_text, pairs)
    for unit in units:
        pattern = " ".join(
            f"BIND({terms.sparql_ox(term)} AS ?{name})" for name, term in unit.items()
        )
        block = _focus_block(pattern, focus_vars, constants)
        for row in validator.data.select(
            node_text.replace(prebinding.PLACEHOLDER, block), query.prefixes
        ):
            rows.append({**unit, **row})
    return rows


def _bindings(row: Row, constants: dict[str, Node]) -> dict[str, Node]:
    found: dict[str, Node] = dict(constants)
    found.update({name: terms.to_rdflib(term) for name, term in row.items()})
    return found


def _check_failure(row: Row, query: Query) -> None:
    failure = row.get("failure")
    if failure is not None and terms.to_rdflib(failure) == Literal(True):
        raise ShapesError(f"the SPARQL query {query.node} reported a failure (?failure true)")


def _select_results(
    shape: Shape,
    query: Query,
    rows: list[Row],
    constants: dict[str, Node],
    component: Node,
    constraint: Node | None,
) -> list[Result]:
    found: dict[Result, None] = {}
    for row in rows:
        _check_failure(row, query)
        this = row.get("this")
        if this is None:
            raise ShapesError(f"the SPARQL query {query.node} returned a solution without $this")
        focus_node = terms.to_rdflib(this)
        path: Node | None = shape.path
        bound_path = row.get("path")
        if bound_path is not None:
            path_node = terms.to_rdflib(bound_path)
            if isinstance(path_node, URIRef):
                path = path_node
        value = row.get("value")
        value_node = terms.to_rdflib(value) if value is not None else None
        if value_node is None and not shape.is_property:
            value_node = focus_node
        message = row.get("message")
        if message is not None:
            texts = (Literal(terms.show(terms.to_rdflib(message))),)
        else:
            texts = results.messages([*shape.messages, *query.messages], _bindings(row, constants))
        result = Result(
            focus=focus_node,
            shape=shape.node,
            component=component,
            severity=shape.severity,
            path=path,
            value=value_node,
            messages=texts,
            constraint=constraint,
        )
        found.setdefault(result, None)
    return list(found)


def constraint(
    validator: Validator, shape: Shape, query: Query, source: focus.Source
) -> list[Result]:
    """A sh:sparql constraint: one result per solution of its SELECT query."""
    ready = validator.program.prepared(shape, query)
    rows = _solutions(validator, shape, ready, source)
    return _select_results(
        shape, query, rows, ready.constants, SH.SPARQLConstraintComponent, query.node
    )


def component(
    validator: Validator, shape: Shape, use: ComponentConstraint, source: focus.Source
) -> list[Result]:
    """A SPARQL-based constraint component: its SELECT validator, or its ASK validator per value."""
    query = use.validator
    ready = validator.program.prepared(shape, use)
    rows = _solutions(validator, shape, ready, source)
    if not use.ask:
        named = {**use.parameters, **ready.constants}
        return _select_results(shape, query, rows, named, use.component, None)
    conforming = {(row["this"], row["value"]) for row in rows}
    found: list[Result] = []
    pairs = validator.data.select(
        f"SELECT DISTINCT ?this ?value WHERE {{ {_pair_pattern(shape, source)} }}"
    )
    for row in pairs:
        if (row["this"], row["value"]) in conforming:
            continue
        bindings = _bindings(row, {**use.parameters})
        found.append(
            Result(
                focus=terms.to_rdflib(row["this"]),
                shape=shape.node,
                component=use.component,
                severity=shape.severity,
                path=shape.path,
                value=terms.to_rdflib(row["value"]),
                messages=results.messages([*shape.messages, *query.messages], bindings),
            )
        )
    return found
