"""The validator: which shapes run on which focus nodes, and the queries that do it.

Each shape is evaluated for a whole set of focus nodes at once (a `focus.Source`).
Nested shapes (sh:node, sh:not, sh:and, sh:or, sh:xone, qualified value shapes)
are evaluated once for all the value nodes that need them; the set of nodes
that fail is then used in Python to decide each focus node. Evaluations are
memoised per shape and focus set, and a shape that needs itself is refused
(SHACL leaves recursive shapes undefined).
"""

from __future__ import annotations

import gc
import os
import threading

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from cancergraph import sparql_errors
from cancergraph.fastshacl import classes, core, focus, parallel, sparql_based, terms
from cancergraph.fastshacl.errors import ShapesError, UnsupportedError
from cancergraph.fastshacl.results import Result
from cancergraph.fastshacl.shapes import ComponentConstraint, Query, Shape, ShapesGraph
from cancergraph.fastshacl.terms import OxTerm
from cancergraph.store import to_oxigraph

SHAPES_GRAPH = "urn:x-cancergraph:fastshacl:shapes-graph"

Row = dict[str, OxTerm]
# Up to this many candidates are tested for being focus nodes one by one (in one query);
# more are checked against the whole set of focus nodes.
MEMBER_TESTS = 5000
# How many triples of each property are counted first when choosing which to join from.
RARER_FIRST_LIMIT = 256


class Dataset:
    """The data to validate: the union of the store's graphs, queried with the engine's helpers.

    When a query reads `$shapesGraph`, the shapes graph is added to the store as
    a named graph for the duration of the run; queries then name their default
    graphs explicitly so that the shapes never count as data.
    """

    def __init__(self, store: ox.Store, shapes: Graph) -> None:
        self.store = store
        self.shapes = shapes
        self.shapes_graph: ox.NamedNode | None = None
        self._data_graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None

    def load_shapes_graph(self) -> ox.NamedNode:
        if self.shapes_graph is None:
            name = ox.NamedNode(SHAPES_GRAPH)
            if any(g == name for g in self.store.named_graphs()):
                raise ShapesError(f"the data already has a graph named {SHAPES_GRAPH}")
            self._data_graphs = [ox.DefaultGraph(), *self.store.named_graphs()]
            quads = []
            for s, p, o in self.shapes:
                subject, predicate = to_oxigraph(s), to_oxigraph(p)
                if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
                    continue
                quads.append(ox.Quad(subject, predicate, to_oxigraph(o), name))
            self.store.extend(quads)
            self.shapes_graph = name
        return self.shapes_graph

    def close(self) -> None:
        if self.shapes_graph is not None:
            self.store.remove_graph(self.shapes_graph)
            self.shapes_graph = None

    def select(self, text: str, prefixes: dict[str, str] | None = None) -> list[Row]:
        """The solutions of a SELECT query, as dicts of the bound variables."""
        options: dict[str, object] = {}
        if prefixes:
            options["prefixes"] = prefixes
        if terms.BNODE_FUNCTION.value in text:
            options["custom_functions"] = terms.CUSTOM_FUNCTIONS
        if self.shapes_graph is None:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = self._data_graphs
            options["named_graphs"] = [self.shapes_graph]
        try:
            solutions = self.store.query(text, **options)
        except SyntaxError as err:
            # the position is in the query as the engine rewrote it, which nobody wrote
            error = sparql_errors.describe(err, text, declared=prefixes or {})
            message = f"a SPARQL query of the shapes is not valid: {error.message}"
            raise ShapesError(message) from None
        except (OSError, RuntimeError, ValueError) as err:
            raise ShapesError(f"a SPARQL query of the shapes failed: {err}") from None
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [
            {name: term for name, term in zip(names, solution, strict=True) if term is not None}
            for solution in solutions
        ]


class Program:
    """Shapes compiled for validation: read, checked and their queries planned, once.

    None of this depends on the data, so one program validates any number of
    stores (the service and `cancergraph check` compile the project's shapes once
    per process). The targeted shapes and the property shapes under them are
    compiled up front, as every run evaluates them; shapes reached only through
    sh:node, logical or qualified constraints are compiled when first evaluated.
    A program is read-only once compiled, apart from those additions, which are
    the same whichever thread makes them.
    """

    def __init__(self, shapes: Graph) -> None:
        self.shapes = ShapesGraph(shapes)
        self.targeted = [shape for shape in self.shapes.targeted() if not shape.deactivated]
        self.reads_shapes_graph = self.shapes.reads_shapes_graph()
        self._prepared: dict[Query | ComponentConstraint, sparql_based.Prepared] = {}
        pending = list(self.targeted)
        seen: set[Node] = set()
        while pending:
            shape = pending.pop()
            if shape.node in seen or shape.deactivated:
                continue
            seen.add(shape.node)
            for query in shape.sparql:
                if not query.deactivated:
                    self.prepared(shape, query)
            for use in shape.components:
                self.prepared(shape, use)
            pending.extend(self.shapes.shape(node) for node in shape.properties)
        self.tests_classes = any(ready.classes for ready in self._prepared.values())

    def prepared(self, shape: Shape, query: Query | ComponentConstraint) -> sparql_based.Prepared:
        """A shape's SPARQL constraint or component use, prepared to run (memoised)."""
        found = self._prepared.get(query)
        if found is None:
            if isinstance(query, ComponentConstraint):
                found = sparql_based.prepare(shape, query.validator, query.parameters, query.ask)
            else:
                found = sparql_based.prepare(shape, query, {}, ask=False)
            found = self._prepared.setdefault(query, found)
        return found

    def validate(self, store: ox.Store, workers: int | None = None) -> list[Result]:
        """Every result of the shapes on the union of the store's graphs."""
        return Validator(store, self).run(workers)


class Validator:
    """One validation run: a program, the data, and what has been evaluated so far."""

    def __init__(self, store: ox.Store, program: Program) -> None:
        self.program = program
        self.shapes = program.shapes
        self.data = Dataset(store, program.shapes.graph)
        self._memo: dict[tuple[Node, str], list[Result]] = {}
        self._nodes: dict[str, list[OxTerm]] = {}
        self._rarer: dict[tuple[str, str], bool] = {}
        self._with_subclass_instances: set[str] | None = None
        self._local = threading.local()

    @property
    def _active(self) -> list[Node]:
        """The shapes being evaluated on this thread, to catch shapes that need themselves."""
        if not hasattr(self._local, "active"):
            self._local.active = []
        return self._local.active

    def run(self, workers: int | None = None) -> list[Result]:
        """Evaluate every targeted shape; shapes run on as many threads as cores, as
        pyoxigraph releases the GIL while it evaluates a query.

        The objects that exist when the run starts (modules, the shapes and ontology
        graphs) are frozen for its duration, so that the garbage collector does not walk
        them: a full collection of them fell inside most runs and took 25 ms, a third of
        the validation of 10,000 triples. Unfreezing afterwards hands them back to the
        collector, so nothing is kept alive longer than it would have been.
        """
        gc.freeze()
        try:
            return self._run(workers)
        finally:
            gc.unfreeze()

    def _run(self, workers: int | None) -> list[Result]:
        shapes = self.program.targeted
        if self.program.reads_shapes_graph:
            self.data.load_shapes_graph()
        try:
            if self.program.tests_classes:
                self._with_subclass_instances = {
                    row["c"].value
                    for row in self.data.select(classes.WITH_SUBCLASS_INSTANCES)
                    if isinstance(row.get("c"), ox.NamedNode)
                }
            count = workers or min(len(shapes), os.cpu_count() or 1) or 1
            found = parallel.run_all(shapes, self._top, helpers=count - 1)
            return [result for part in found for result in part]
        finally:
            self.data.close()

    def _top(self, shape: Shape) -> list[Result]:
        source = focus.Targets(tuple((p, tuple(v)) for p, v in shape.targets.items()))
        return self.evaluate(shape, source)

    def evaluate(self, shape: Shape, source: focus.Source) -> list[Result]:
        """Every result of a shape on a set of focus nodes."""
        if shape.deactivated:
            return []
        key = (shape.node, source.key)
        if key in self._memo:
            return self._memo[key]
        if shape.node in self._active:
            raise UnsupportedError(f"the shape {shape.node} depends on itself (recursive shapes)")
        self._active.append(shape.node)
        try:
            found: list[Result] = []
            for constraint in shape.constraints:
                found.extend(core.evaluate(self, shape, constraint, source))
            value_source = focus.values(source, shape.path_sparql)
            for node in shape.properties:
                nested = self.evaluate(self.shapes.shape(node), value_source)
                found.extend(self._reroute(nested, shape, source))
            for query in shape.sparql:
                if not query.deactivated:
                    found.extend(sparql_based.constraint(self, shape, query, source))
            for use in shape.components:
                found.extend(sparql_based.component(self, shape, use, source))
        finally:
            self._active.pop()
        self._memo[key] = found
        return found

    def _reroute(self, nested: list[Result], shape: Shape, source: focus.Source) -> list[Result]:
        """Results of a property shape nested in a property shape, once per parent focus node.

        The nested shape ran once on the distinct value nodes; SHACL reports a value node
        reached from two focus nodes twice, once for each.
        """
        if not nested or shape.path_sparql is None:
            return nested
        parents: dict[Node, list[Node]] = {}
        pattern = f"{source.pattern('this')} ?this {shape.path_sparql} ?value ."
        for row in self.data.select(f"SELECT DISTINCT ?this ?value WHERE {{ {pattern} }}"):
            value = terms.to_rdflib(row["value"])
            parents.setdefault(value, []).append(terms.to_rdflib(row["this"]))
        return [r.routed(p) for r in nested for p in sorted(parents.get(r.owner, []), key=str)]

    def failing(self, node: Node, source: focus.Source) -> set[Node]:
        """The nodes of a set that do not conform to a shape."""
        return {r.owner for r in self.evaluate(self.shapes.shape(node), source)}

    def has_subclass_instances(self, iri: str) -> bool:
        """Whether anything in the data is typed with a subclass of the class, other than itself."""
        return self._with_subclass_instances is None or iri in self._with_subclass_instances

    def rarer(self, first: str, second: str) -> bool:
        """Whether the data has fewer triples with the second property than with the first.

        A join should start from the property used less. Both are counted, in one
        query, up to a limit that grows eightfold until one of them falls short of it,
        so the common property is never counted in full: the test counts at most about
        eleven times as many triples as the rarer one has, and 512 when it has fewer
        than 256.
        """
        key = (first, second)
        found = self._rarer.get(key)
        if found is None:
            limit = RARER_FIRST_LIMIT
            while True:
                firsts, seconds = self._counts(first, second, limit)
                if firsts < limit or seconds < limit:
                    break
                limit *= 8
            found = self._rarer.setdefault(key, seconds < firsts)
        return found

    def _counts(self, first: str, second: str, limit: int) -> tuple[int, int]:
        def counted(iri: str, name: str) -> str:
            return (
                f"{{ SELECT (COUNT(*) AS ?{name}) WHERE "
                f"{{ SELECT ?s WHERE {{ ?s <{iri}> ?o }} LIMIT {limit} }} }}"
            )

        query = f"SELECT * WHERE {{ {counted(first, 'a')} {counted(second, 'b')} }}"
        row = self.data.select(query)[0]
        return int(row["a"].value), int(row["b"].value)

    def nodes(self, source: focus.Source) -> list[OxTerm]:
        """All nodes of a set (fetched once per set)."""
        key = source.key
        found = self._nodes.get(key)
        if found is None:
            query = f"SELECT ?n WHERE {{ {source.pattern('n')} }}"
            found = [row["n"] for row in self.data.select(query)]
            self._nodes[key] = found
        return found

    def members(self, source: focus.Source, candidates: set[OxTerm]) -> set[OxTerm]:
        """Which candidates are focus nodes: tested one by one if few, else against them all."""
        if not candidates:
            return set()
        if len(candidates) > MEMBER_TESTS or any(isinstance(c, ox.BlankNode) for c in candidates):
            return candidates & set(self.nodes(source))
        listed = " ".join(terms.sparql_ox(c) for c in candidates)
        query = f"SELECT DISTINCT ?n WHERE {{ VALUES ?n {{ {listed} }} {source.test('n')} }}"
        return {row["n"] for row in self.data.select(query)}


def compile(shapes: Graph) -> Program:
    """The shapes compiled for validation; ill-formed or unsupported shapes are refused here."""
    return Program(shapes)


def validate(store: ox.Store, shapes: Graph) -> list[Result]:
    """Every result of the shapes on the union of the store's graphs."""
    return compile(shapes).validate(store)
