"""Why an ontology is inconsistent, or a class unsatisfiable: a minimal set of its axioms.

HermiT, run through owlready2, says that an ontology is inconsistent but not why,
and a maintainer whose change broke it is left to bisect the file by hand. This
finds a justification the black-box way: the ontology is cut into axioms (a
statement about a named term, with the blank nodes it points to, such as a
restriction or a list; or a blank node no named term points to, such as an
owl:AllDisjointClasses), and Junker's QuickXplain removes axioms while HermiT
still finds the rest inconsistent, until every axiom left is needed. Declarations
and annotations are always kept, as they cannot make an ontology inconsistent.

Each reasoner run starts a Java process (about a second), so the searches are
bounded, one and all (see Budget); the axioms nearest the probe (the class being
explained, or the individuals) are tried first, which keeps most searches to a
few dozen runs. Axioms are near through the ontology's own terms they share, the
nearer the fewer axioms share the term, not through the vocabulary of RDF, RDFS,
OWL and XSD (rdf:nil and owl:Restriction would make every list and restriction a
neighbour of every other). For an inconsistent ontology, the individuals of a
class that the ontology without its individuals makes unsatisfiable come first:
that is the usual cause, and one run finds them.

An example inconsistent with the ontology is explained by its statements and the
ontology's axioms together (see Clashes).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph.reasoning import Classification
from cancergraph.turtle_text import nested
from cancergraph.vocab import OWL, RDF, RDFS, XSD

Triple = tuple[Node, Node, Node]


class Reasoner(Protocol):
    """What the search needs of a reasoner (the checks' Context, or a stand-in)."""

    def classify(self, graph: Graph) -> Classification: ...

    def consistent(self, graph: Graph) -> bool: ...


DECLARATIONS = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
        OWL.Ontology,
        RDFS.Datatype,
    }
)
ANNOTATIONS = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.versionIRI,
        OWL.imports,
        OWL.deprecated,
    }
)
# Turtle writes these datatypes' values bare
BARE = frozenset({XSD.integer, XSD.decimal, XSD.boolean})
# a fresh individual typed with the class being explained: the class is unsatisfiable
# exactly when the ontology with this individual is inconsistent
PROBE = URIRef("urn:x-cancergraph:explanation:probe")
# the reasoner runs one explanation may take, and all the explanations of a group of
# checks (the reasoning checks, or the examples checks): each run is a Java process of
# a second or two, so these bound the time a check takes whatever the change
DEFAULT_RUNS = 40
GROUP_RUNS = 150
# as many axioms as are tested one by one, fewer runs than QuickXplain would take
FEW = 4
# the logical vocabulary: its terms are in nearly every axiom, and link none to another
BUILT_IN = tuple(str(namespace) for namespace in (RDF, RDFS, OWL, XSD))


@dataclass(frozen=True)
class Axiom:
    """One statement of the ontology about `subject`, with the blank nodes under it."""

    subject: Node
    triples: tuple[Triple, ...]

    def text(self, names: Callable[[Node], str]) -> str:
        """The axiom as a line of Turtle, blank nodes written out in brackets; `names`
        writes an IRI (as a prefixed name, say)."""
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)

        def literal(value: Literal) -> str:
            return _literal(value, names)

        def predicate(term: Node) -> str:
            return "a" if term == RDF.type else names(term)

        if isinstance(self.subject, BNode):
            return nested(graph, self.subject, names, literal, predicate, set())
        subject, verb, value = self.triples[0]
        written = nested(graph, value, names, literal, predicate, set())
        return f"{names(subject)} {predicate(verb)} {written}"


class BudgetExceeded(Exception):
    """The search needed more reasoner runs than it was allowed."""


class Budget:
    """The reasoner runs that the explanations of one group of checks share."""

    def __init__(self, runs: int = GROUP_RUNS) -> None:
        self.runs = runs
        self.left = runs

    def gave_up(self, runs: int = DEFAULT_RUNS) -> str:
        """Why a search that found nothing stopped, for the finding."""
        if self.left <= 0:
            return (
                f"no explanation found: the {self.runs} reasoner runs allowed for "
                "explaining were used"
            )
        return f"no explanation found within {runs} reasoner runs"


@dataclass(frozen=True)
class Clash:
    """Why data (an example) is inconsistent with the ontology: its statements and the
    ontology's axioms that together make it so, none when the search gave up first."""

    statements: list[Axiom]
    axioms: list[Axiom]

    @property
    def found(self) -> bool:
        return bool(self.statements or self.axioms)


def axioms(ontology: Graph) -> tuple[list[Triple], list[Axiom]]:
    """The triples that are always kept (declarations, annotations), and the axioms, in
    an order that does not depend on how the parser named the blank nodes."""
    annotation_properties = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    kept: list[Triple] = []
    found: list[Axiom] = []
    reached: set[Node] = set()
    for s, p, o in ontology:
        if isinstance(s, BNode):
            continue
        if (p == RDF.type and o in DECLARATIONS) or p in ANNOTATIONS or p in annotation_properties:
            kept.append((s, p, o))
            continue
        under = _closure(ontology, o)
        reached.update(t[0] for t in under)
        found.append(Axiom(s, ((s, p, o), *under)))
    blanks = {s for s in ontology.subjects() if isinstance(s, BNode)}
    pointed_at = {o for o in ontology.objects() if isinstance(o, BNode)}
    # a blank node nothing points to heads an axiom of its own (owl:AllDisjointClasses);
    # then any left over, as in a ring of blank nodes
    for s in [*_by_text(ontology, blanks - pointed_at), *_by_text(ontology, blanks)]:
        if s not in reached:
            under = _closure(ontology, s)
            reached.update(t[0] for t in under)
            found.append(Axiom(s, tuple(under)))
    kept.sort(key=lambda t: tuple(str(x) for x in t))
    return kept, sorted(found, key=lambda axiom: axiom.text(str))


def _in_order(
    graph: Graph, position: Callable[[Axiom], tuple[int, int]] | None
) -> tuple[list[Triple], list[Axiom]]:
    """`axioms`, those first in `position` (where they are written) first."""
    kept, found = axioms(graph)
    if position is not None:
        found.sort(key=position)
    return kept, found


def justification(
    ontology: Graph,
    reasoner: Reasoner,
    unsatisfiable_class: URIRef | None = None,
    runs: int = DEFAULT_RUNS,
    budget: Budget | None = None,
    position: Callable[[Axiom], tuple[int, int]] | None = None,
) -> list[Axiom] | None:
    """A minimal set of axioms that makes the ontology inconsistent (or the class
    unsatisfiable), or None when none is found within `runs` reasoner runs (or what is
    left of the `budget`). Of axioms equally near, those first in `position` (where they
    are written) are tried first, so that of two answers alike the one written first
    is given.
    """
    kept, candidates = _in_order(ontology, position)
    search = _Search(kept, reasoner, runs, budget or Budget(runs))
    try:
        if unsatisfiable_class is not None:
            kept.append((PROBE, RDF.type, unsatisfiable_class))
            kept.append((PROBE, RDF.type, OWL.NamedIndividual))
            ordered = _nearest_first(candidates, {unsatisfiable_class})
        else:
            ordered = _individuals_first(candidates, search)
        return search.minimal(ordered)
    except BudgetExceeded:
        return None


class Clashes:
    """Why data graphs (the examples) are inconsistent with one ontology: each one's
    statements at fault, and the ontology's axioms they clash with.

    The statements are found with the whole ontology kept, then the axioms with those
    statements kept, nearest them first; each is then minimal given the other, so the
    two are a minimal set together. A change to the ontology that clashes with many
    examples clashes with each in the same way, so the axioms an explanation found
    are tried first for the next example: when they make it inconsistent, its
    statements are looked for among the few nearest those axioms, on a small graph.
    """

    def __init__(
        self,
        ontology: Graph,
        reasoner: Reasoner,
        budget: Budget,
        position: Callable[[Axiom], tuple[int, int]] | None = None,
    ) -> None:
        self.ontology = ontology
        self.reasoner = reasoner
        self.budget = budget
        self.kept, self.axioms = _in_order(ontology, position)
        self.found: list[list[Axiom]] = []

    def explain(
        self, data: Graph, position: Callable[[Axiom], tuple[int, int]] | None = None
    ) -> Clash | None:
        """Why the data is inconsistent with the ontology, or None when it is not."""
        kept, statements = _in_order(data, position)
        search = _Search([*self.kept, *kept], self.reasoner, DEFAULT_RUNS, self.budget)
        try:
            for earlier in self.found:
                if search.inconsistent([*earlier, *statements]):
                    return self._clash(search, statements, earlier)
        except BudgetExceeded:
            if search.known_inconsistent:
                return Clash([], [])
        if self.reasoner.consistent(self.ontology + data):
            return None
        try:
            clash = self._clash(search, statements, self.axioms)
        except BudgetExceeded:
            return Clash([], [])
        if clash.axioms and clash.axioms not in self.found:
            self.found.append(clash.axioms)
        return clash

    def _clash(self, search: _Search, statements: list[Axiom], axioms: list[Axiom]) -> Clash:
        """The statements at fault with every one of `axioms` kept, then the axioms they
        need (`axioms` with all the statements are known to be inconsistent)."""
        search.known_inconsistent = True
        chosen = search.minimal(_nearest_first(statements, _terms_of(axioms)), axioms)
        needed = search.minimal(
            _nearest_first(axioms, _terms_of(chosen)), chosen, inconsistent=True
        )
        return Clash(chosen or [], needed or [])


class _Search:
    """One search: the triples always kept, and the reasoner runs it may take."""

    def __init__(self, kept: list[Triple], reasoner: Reasoner, runs: int, budget: Budget) -> None:
        self.kept = kept
        self.reasoner = reasoner
        self.left = runs
        self.budget = budget
        # set once the graph searched is known to be inconsistent
        self.known_inconsistent = False

    def graph(self, chosen: Iterable[Axiom]) -> Graph:
        graph = Graph()
        for triple in self.kept:
            graph.add(triple)
        for axiom in chosen:
            for triple in axiom.triples:
                graph.add(triple)
        return graph

    def spend(self) -> None:
        if self.left <= 0 or self.budget.left <= 0:
            raise BudgetExceeded()
        self.left -= 1
        self.budget.left -= 1

    def classify(self, chosen: Iterable[Axiom]) -> Classification:
        self.spend()
        return self.reasoner.classify(self.graph(chosen))

    def inconsistent(self, chosen: Iterable[Axiom]) -> bool:
        self.spend()
        return not self.reasoner.consistent(self.graph(chosen))

    def minimal(
        self, ordered: Sequence[Axiom], fixed: Sequence[Axiom] = (), inconsistent: bool = False
    ) -> list[Axiom] | None:
        """A minimal set of the axioms that the `fixed` ones make inconsistent, the first
        tried first; None when all of them do not. `inconsistent` says that all of them
        do, and that the fixed ones may alone (the answer is then none)."""
        if inconsistent and len(ordered) <= FEW:
            window, known = list(ordered), 0
        else:
            found, known = self.smallest_inconsistent_prefix(ordered, fixed)
            if found is None:
                return None
            window = found
        if len(window) <= FEW:
            return self.deletion(window, fixed)
        if inconsistent and self.inconsistent(fixed):
            return []
        return self.quickxplain(window, known, fixed)

    def deletion(self, axioms: list[Axiom], fixed: Sequence[Axiom]) -> list[Axiom]:
        """A minimal inconsistent subset (with the fixed axioms) of a few axioms that are
        inconsistent together: each is left out if the rest still are, one run each."""
        kept = list(axioms)
        for axiom in axioms:
            rest = [a for a in kept if a is not axiom]
            if self.inconsistent([*fixed, *rest]):
                kept = rest
        return kept

    def smallest_inconsistent_prefix(
        self, ordered: Sequence[Axiom], fixed: Sequence[Axiom] = ()
    ) -> tuple[list[Axiom] | None, int]:
        """The nearest axioms, doubling in number until they are inconsistent alone (with
        the fixed ones); and how many of them are known to be consistent without the
        others."""
        size, known = 8, 0
        while True:
            window = list(ordered[:size])
            if self.inconsistent([*fixed, *window]):
                return window, known
            if size >= len(ordered):
                return None, 0
            size, known = size * 2, len(window)

    def quickxplain(
        self, axioms: list[Axiom], known: int = 0, fixed: Sequence[Axiom] = ()
    ) -> list[Axiom]:
        """Junker's QuickXplain: a minimal inconsistent subset, in about 2k log(n/k) runs.
        The first `known` axioms are consistent together, which spares a run."""

        def explain(background: list[Axiom], added: bool, rest: list[Axiom]) -> list[Axiom]:
            if added and self.inconsistent([*fixed, *background]):
                return []
            if len(rest) == 1:
                return rest
            half = len(rest) // 2
            first, second = rest[:half], rest[half:]
            from_second = explain(background + first, bool(background) or half > known, second)
            from_first = explain(background + from_second, bool(from_second), first)
            return from_first + from_second

        return explain([], False, axioms)


def _closure(ontology: Graph, node: Node) -> list[Triple]:
    """The triples under a blank node (restrictions, lists), in a stable order."""
    found: list[Triple] = []
    seen: set[Node] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if not isinstance(current, BNode) or current in seen:
            continue
        seen.add(current)
        for p, o in sorted(
            ontology.predicate_objects(current),
            key=lambda t: (str(t[0]), _text(ontology, t[1])),
        ):
            found.append((current, p, o))
            pending.append(o)
    return found


def _text(ontology: Graph, node: Node) -> str:
    """A node as Turtle, blank nodes written out: the same whatever their labels."""
    return nested(ontology, node, str, str, str, set())


def _by_text(ontology: Graph, nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda node: _text(ontology, node))


def _asserts_about_individual(axiom: Axiom) -> bool:
    """A type or property assertion: `x a C`, `x p y` (C and p not of the logical
    vocabulary), `x owl:sameAs y` or `x owl:differentFrom y`; told by its shape, as
    the classes and properties may be undeclared."""
    if isinstance(axiom.subject, BNode):
        return False
    _, predicate, value = axiom.triples[0]
    if predicate == RDF.type:
        return not str(value).startswith(BUILT_IN)
    return predicate in (OWL.sameAs, OWL.differentFrom) or not str(predicate).startswith(BUILT_IN)


def _individuals_first(candidates: list[Axiom], search: _Search) -> list[Axiom]:
    """The axioms nearest the individuals; first, where the ontology without its
    individuals makes classes unsatisfiable, the individuals typed with one of them,
    with the axioms nearest those classes. One run finds them."""
    about_individuals = [a for a in candidates if _asserts_about_individual(a)]
    individuals = {a.subject for a in about_individuals}
    terminology = [a for a in candidates if not _asserts_about_individual(a)]
    result = search.classify(terminology)
    unsatisfiable = set(result.unsatisfiable) if result.consistent else set()
    typed = [
        a
        for a in about_individuals
        if a.triples[0][1] == RDF.type and str(a.triples[0][2]) in unsatisfiable
    ]
    rest = [a for a in candidates if a not in typed]
    if typed:
        return typed + _nearest_first(rest, {a.triples[0][2] for a in typed})
    return _nearest_first(candidates, individuals)


def _terms(axiom: Axiom) -> set[Node]:
    """The IRIs an axiom names, but for the logical vocabulary (see BUILT_IN)."""
    return {
        node
        for triple in axiom.triples
        for node in triple
        if isinstance(node, URIRef) and not str(node).startswith(BUILT_IN)
    }


def _terms_of(axioms: Iterable[Axiom]) -> set[Node]:
    return {term for axiom in axioms for term in _terms(axiom)}


def _nearest_first(candidates: list[Axiom], seeds: set[Node]) -> list[Axiom]:
    """The axioms ordered by how far they are from the seeds, then as given. A step
    from a term to the axioms naming it costs more the more axioms name it (its log),
    so that a term many axioms share (skos:topConceptOf in code lists, say) makes them
    less near than a term two axioms share makes those two."""
    terms = [_terms(axiom) for axiom in candidates]
    by_term: dict[Node, list[int]] = {}
    for index, named in enumerate(terms):
        for term in named:
            by_term.setdefault(term, []).append(index)
    distance: dict[int, float] = {}
    reached: set[Node] = set()
    pending = [(0.0, str(term), term) for term in seeds if term in by_term]
    heapq.heapify(pending)
    while pending:
        far, _, term = heapq.heappop(pending)
        if term in reached:
            continue
        reached.add(term)
        step = far + math.log2(1 + len(by_term[term]))
        for index in by_term[term]:
            if step < distance.get(index, math.inf):
                distance[index] = step
                for other in terms[index] - reached:
                    heapq.heappush(pending, (step, str(other), other))
    order = sorted(range(len(candidates)), key=lambda i: (distance.get(i, math.inf), i))
    return [candidates[i] for i in order]


def _literal(value: Literal, names: Callable[[Node], str]) -> str:
    if value.datatype is not None:
        if value.datatype in BARE and not value.ill_typed:
            return str(value)
        return f"{Literal(str(value)).n3()}^^{names(value.datatype)}"
    return value.n3()
