"""The shapes graph read into plain objects: shapes, their targets and their constraints.

Reading everything once up front means the engine never walks the rdflib graph
while it validates, and ill-formed shapes are refused before any query runs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph.fastshacl import paths
from cancergraph.fastshacl.errors import ShapesError, UnsupportedError
from cancergraph.vocab import OWL, RDF, RDFS, SH, XSD

TARGET_PREDICATES = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
UNSUPPORTED = {
    SH.target: "SPARQL-based targets (sh:target, SHACL Advanced Features)",
    SH.rule: "rules (sh:rule, SHACL Advanced Features)",
    SH.expression: "node expressions (sh:expression, SHACL Advanced Features)",
    SH.js: "JavaScript constraints (sh:js)",
    SH.entailment: "entailment regimes (sh:entailment)",
}
NODE_KINDS = {
    SH.IRI,
    SH.BlankNode,
    SH.Literal,
    SH.BlankNodeOrIRI,
    SH.BlankNodeOrLiteral,
    SH.IRIOrLiteral,
}

# Core components whose single parameter may have several values, each its own constraint.
SINGLE = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
}
LISTS = {SH.languageIn, SH["and"], SH["or"], SH.xone, SH["in"]}
INTEGERS = {SH.minCount, SH.maxCount, SH.minLength, SH.maxLength}
PROPERTY_ONLY = {
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.qualifiedValueShape,
}


@dataclass(eq=False)
class Constraint:
    """One core constraint: its component and its parameters, read and checked.

    `value` is the main parameter's value; `members` the members of a list value (or the
    allowed predicates of sh:closed); `count` a count or length; `flags` the regular
    expression flags of sh:pattern; `disjoint` sh:qualifiedValueShapesDisjoint.
    """

    component: URIRef
    value: Node
    members: list[Node] = field(default_factory=list)
    count: int = 0
    flags: str = ""
    disjoint: bool = False


@dataclass(eq=False)
class Query:
    """A SPARQL query of a shape, with its prefixes and messages."""

    node: Node
    text: str
    prefixes: dict[str, str]
    messages: list[Literal]
    deactivated: bool = False


@dataclass(eq=False)
class ComponentConstraint:
    """A use of a SPARQL-based constraint component: parameter values and its validator."""

    component: Node
    parameters: dict[str, Node]
    validator: Query
    ask: bool


@dataclass(eq=False)
class Shape:
    node: Node
    path: Node | None
    path_sparql: str | None
    path_alternatives: tuple[str, ...]
    path_nullable: bool
    severity: Node
    messages: list[Literal]
    deactivated: bool
    targets: dict[URIRef, list[Node]]
    constraints: list[Constraint]
    properties: list[Node]
    sparql: list[Query]
    components: list[ComponentConstraint]

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def __repr__(self) -> str:
        return f"Shape({self.node})"


def _boolean(graph: Graph, node: Node, predicate: URIRef, default: bool = False) -> bool:
    """Only the literal true switches a boolean parameter on ("1"^^xsd:boolean does not)."""
    values = list(graph.objects(node, predicate))
    if not values:
        return default
    value = values[0]
    if not (isinstance(value, Literal) and value.datatype == XSD.boolean):
        raise ShapesError(f"{predicate} of {node} must be true or false, found {value}")
    return str(value) == "true"


def _integer(node: Node, predicate: URIRef, value: Node) -> int:
    number = value.toPython() if isinstance(value, Literal) else None
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise ShapesError(f"{predicate} of {node} must be a non-negative integer, found {value}")
    return number


def instances(graph: Graph, cls: URIRef) -> set[Node]:
    """SHACL instances of a class in a graph: rdf:type/rdfs:subClassOf*."""
    classes = {cls}
    frontier = [cls]
    while frontier:
        for sub in graph.subjects(RDFS.subClassOf, frontier.pop()):
            if sub not in classes:
                classes.add(sub)
                frontier.append(sub)
    return {node for c in classes for node in graph.subjects(RDF.type, c)}


def _local_name(iri: Node) -> str:
    text = str(iri)
    for separator in ("#", "/", ":"):
        if separator in text:
            text = text.rsplit(separator, 1)[1]
    return text


class ShapesGraph:
    """Every shape of a shapes graph, read on first use, and the shapes with targets."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict[Node, Shape] = {}
        self._prefixes: dict[tuple[Node, ...], dict[str, str]] = {}
        self._components = self._read_components()
        self.class_nodes = instances(graph, RDFS.Class)

    def shape(self, node: Node) -> Shape:
        found = self._shapes.get(node)
        if found is None:
            found = self._read(node)
            self._shapes[node] = found
        return found

    def reads_shapes_graph(self) -> bool:
        """Whether a query may read $shapesGraph (then the shapes go into the dataset)."""
        texts = [*self.graph.objects(None, SH.select), *self.graph.objects(None, SH.ask)]
        return any("shapesGraph" in str(text) for text in texts)

    def targeted(self) -> list[Shape]:
        """Shapes that select focus nodes themselves, in a stable order."""
        g = self.graph
        nodes: set[Node] = set()
        for predicate in TARGET_PREDICATES:
            nodes.update(g.subjects(predicate, None))
        declared = instances(g, SH.NodeShape) | instances(g, SH.PropertyShape)
        nodes.update(n for n in declared if n in self.class_nodes)
        for predicate, feature in UNSUPPORTED.items():
            if (None, predicate, None) in g:
                raise UnsupportedError(f"the shapes use {feature}")
        return [self.shape(node) for node in sorted(nodes, key=_sort_key)]

    # Reading one shape -------------------------------------------------------

    def _read(self, node: Node) -> Shape:
        g = self.graph
        path_values = list(g.objects(node, SH.path))
        if len(path_values) > 1:
            raise ShapesError(f"the shape {node} has more than one sh:path")
        path = path_values[0] if path_values else None
        severity = next(iter(g.objects(node, SH.severity)), SH.Violation)
        targets: dict[URIRef, list[Node]] = {
            p: sorted(g.objects(node, p), key=_sort_key) for p in TARGET_PREDICATES
        }
        if node in self.class_nodes:
            targets[SH.targetClass] = sorted({*targets[SH.targetClass], node}, key=_sort_key)
        shape = Shape(
            node=node,
            path=path,
            path_sparql=paths.to_sparql(g, path) if path is not None else None,
            path_alternatives=paths.alternatives(g, path) if path is not None else (),
            path_nullable=path is not None and paths.nullable(g, path),
            severity=severity,
            messages=sorted(o for o in g.objects(node, SH.message) if isinstance(o, Literal)),
            deactivated=_boolean(g, node, SH.deactivated),
            targets=targets,
            constraints=self._core(node, path is not None),
            properties=sorted(g.objects(node, SH.property), key=_sort_key),
            sparql=[self._sparql(c) for c in sorted(g.objects(node, SH.sparql), key=_sort_key)],
            components=[],
        )
        shape.components = self._component_uses(shape)
        return shape

    def _core(self, node: Node, is_property: bool) -> list[Constraint]:
        g = self.graph
        found: list[Constraint] = []
        present = set(g.predicates(node, None))
        for predicate, component in SINGLE.items():
            if predicate not in present:
                continue
            if predicate in PROPERTY_ONLY and not is_property:
                raise ShapesError(f"{predicate} is for property shapes, but {node} has no path")
            for value in sorted(g.objects(node, predicate), key=_sort_key):
                constraint = Constraint(component, value)
                if predicate in LISTS:
                    constraint.members = paths.read_list(g, value, f"value of {predicate}")
                elif predicate in INTEGERS:
                    constraint.count = _integer(node, predicate, value)
                elif predicate == SH.nodeKind and value not in NODE_KINDS:
                    raise ShapesError(f"sh:nodeKind of {node} is not a node kind: {value}")
                elif predicate == SH.uniqueLang and not _boolean(g, node, SH.uniqueLang):
                    continue
                found.append(constraint)
        for pattern in sorted(g.objects(node, SH.pattern), key=_sort_key):
            flags = g.value(node, SH.flags)
            found.append(
                Constraint(
                    SH.PatternConstraintComponent,
                    pattern,
                    flags=str(flags) if flags is not None else "",
                )
            )
        if _boolean(g, node, SH.closed):
            allowed: set[Node] = set()
            for head in g.objects(node, SH.ignoredProperties):
                allowed.update(paths.read_list(g, head, "sh:ignoredProperties"))
            for prop in g.objects(node, SH.property):
                allowed.update(p for p in g.objects(prop, SH.path) if isinstance(p, URIRef))
            found.append(
                Constraint(
                    SH.ClosedConstraintComponent,
                    Literal(True),
                    members=sorted(allowed, key=_sort_key),
                )
            )
        qualified = sorted(g.objects(node, SH.qualifiedValueShape), key=_sort_key)
        if qualified and not is_property:
            raise ShapesError(f"sh:qualifiedValueShape is for property shapes, but {node} has none")
        disjoint = _boolean(g, node, SH.qualifiedValueShapesDisjoint)
        for value_shape in qualified:
            for predicate, component in (
                (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent),
                (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent),
            ):
                for count in g.objects(node, predicate):
                    found.append(
                        Constraint(
                            component,
                            value_shape,
                            count=_integer(node, predicate, count),
                            disjoint=disjoint,
                        )
                    )
        return found

    def prefixes(self, node: Node) -> dict[str, str]:
        """sh:prefixes of a query node: the sh:declare of each node it names, and of the
        nodes those import (owl:imports)."""
        owners = tuple(sorted(self.graph.objects(node, SH.prefixes), key=_sort_key))
        if owners not in self._prefixes:
            self._prefixes[owners] = self._declared(owners)
        return self._prefixes[owners]

    def _declared(self, starts: tuple[Node, ...]) -> dict[str, str]:
        g = self.graph
        found: dict[str, str] = {}
        owners: list[Node] = []
        frontier = list(starts)
        while frontier:
            owner = frontier.pop()
            if owner not in owners:
                owners.append(owner)
                frontier.extend(g.objects(owner, OWL.imports))
        for owner in owners:
            for declaration in g.objects(owner, SH.declare):
                prefix = g.value(declaration, SH.prefix)
                namespace = g.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise ShapesError(f"the prefix declaration {declaration} is incomplete")
                if str(prefix) in found and found[str(prefix)] != str(namespace):
                    raise ShapesError(f"the prefix {prefix} is declared twice, differently")
                found[str(prefix)] = str(namespace)
        return found

    def _query(self, node: Node, predicate: URIRef) -> Query:
        g = self.graph
        texts = list(g.objects(node, predicate))
        if len(texts) != 1 or not isinstance(texts[0], Literal):
            raise ShapesError(f"{node} must have exactly one {predicate} string")
        return Query(
            node=node,
            text=str(texts[0]),
            prefixes=self.prefixes(node),
            messages=sorted(o for o in g.objects(node, SH.message) if isinstance(o, Literal)),
            deactivated=_boolean(g, node, SH.deactivated),
        )

    def _sparql(self, node: Node) -> Query:
        if (node, SH.select, None) not in self.graph:
            raise ShapesError(f"the SPARQL constraint {node} has no sh:select query")
        return self._query(node, SH.select)

    # SPARQL-based constraint components ----------------------------------------

    def _read_components(self) -> list[tuple[Node, list[tuple[str, URIRef, bool]]]]:
        g = self.graph
        found = []
        for component in sorted(instances(g, SH.ConstraintComponent), key=_sort_key):
            if isinstance(component, URIRef) and str(component).startswith(str(SH)):
                continue
            parameters = []
            for parameter in g.objects(component, SH.parameter):
                path = g.value(parameter, SH.path)
                if not isinstance(path, URIRef):
                    raise ShapesError(f"the parameter {parameter} of {component} needs an IRI path")
                optional = _boolean(g, parameter, SH.optional)
                parameters.append((_local_name(path), path, optional))
            found.append((component, sorted(parameters)))
        return found

    def _component_uses(self, shape: Shape) -> list[ComponentConstraint]:
        g = self.graph
        uses = []
        for component, parameters in self._components:
            required = [p for p in parameters if not p[2]]
            if not required or any((shape.node, p[1], None) not in g for p in required):
                continue
            validator, ask = self._validator(component, shape.is_property)
            if validator is None:
                continue
            present = [p for p in parameters if (shape.node, p[1], None) in g]
            choices = [sorted(g.objects(shape.node, p[1]), key=_sort_key) for p in present]
            for values in itertools.product(*choices):
                bound = {p[0]: v for p, v in zip(present, values, strict=True)}
                uses.append(ComponentConstraint(component, bound, validator, ask))
        return uses

    def _validator(self, component: Node, is_property: bool) -> tuple[Query | None, bool]:
        """The validator SHACL picks for a shape kind; none means the component is ignored."""
        g = self.graph
        specific = SH.propertyValidator if is_property else SH.nodeValidator
        for predicate in (specific, SH.validator):
            validators = sorted(g.objects(component, predicate), key=_sort_key)
            for validator in validators:
                if predicate == SH.validator and (validator, SH.ask, None) in g:
                    return self._query(validator, SH.ask), True
                if predicate == specific and (validator, SH.select, None) in g:
                    return self._query(validator, SH.select), False
            if validators:
                raise UnsupportedError(
                    f"the constraint component {component} has only validators that are not "
                    "SPARQL (such as SHACL-JS)"
                )
        return None, False


def _sort_key(node: Node) -> tuple[int, str]:
    order = 0 if isinstance(node, URIRef) else 1 if isinstance(node, BNode) else 2
    return order, str(node)
