"""Why an ontology is inconsistent, or a class unsatisfiable: a minimal set of its axioms.

HermiT, run through owlready2, says that an ontology is inconsistent but not why,
and a maintainer whose change broke it is left to bisect the file by hand. This
finds a justification the black-box way: the ontology is cut into axioms (a
statement about a named term, with the blank nodes it points to, such as a
restriction or a list; or a blank node no named term points to, such as an
owl:AllDisjointClasses), and Junker's QuickXplain removes axioms while HermiT
still finds the rest inconsistent, until every axiom left is needed. Declarations
and annotations are always kept, as they cannot make an ontology inconsistent.

Each reasoner run starts a Java process (about a second), so the search is
bounded; the axioms nearest the probe (the class being explained, or the
individuals) are tried first, which keeps most searches to a few dozen runs.
"Nearest" counts the ontology's own terms an axiom shares with others, not the
vocabulary of RDF, RDFS, OWL and XSD (rdf:nil and owl:Restriction would make
every list and restriction a neighbour of every other). For an inconsistent
ontology, the individuals of a class that the ontology without its individuals
makes unsatisfiable come first: that is the usual cause, and one run finds them.
"""

from __future__ import annotations

from collections import deque
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
DEFAULT_RUNS = 40
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


def justification(
    ontology: Graph,
    reasoner: Reasoner,
    unsatisfiable_class: URIRef | None = None,
    runs: int = DEFAULT_RUNS,
    background: Graph | None = None,
    position: Callable[[Axiom], tuple[int, int]] | None = None,
) -> list[Axiom] | None:
    """A minimal set of axioms that makes the ontology inconsistent (or the class
    unsatisfiable), or None when none is found within `runs` reasoner runs.

    The ontology as given, with the `background` triples, must be inconsistent (with
    the class, unsatisfiable) for there to be an answer. The background is always kept
    and never part of the answer: with an example as the ontology and the project's
    ontology as background, the answer is the example's statements at fault. Of axioms
    equally near, those first in `position` (where they are written) are tried first,
    so that of two answers alike the one written first is given.
    """
    kept, candidates = axioms(ontology)
    if position is not None:
        candidates.sort(key=position)
    if background is not None:
        kept.extend(background)
    search = _Search(kept, reasoner, runs)
    try:
        if unsatisfiable_class is not None:
            kept.append((PROBE, RDF.type, unsatisfiable_class))
            kept.append((PROBE, RDF.type, OWL.NamedIndividual))
            ordered = _nearest_first(candidates, {unsatisfiable_class})
        elif background is None:
            ordered = _individuals_first(candidates, search)
        else:
            individuals = {a.subject for a in candidates if _asserts_about_individual(a)}
            ordered = _nearest_first(candidates, individuals)
        window, known = search.smallest_inconsistent_prefix(ordered)
        if window is None:
            return None
        return search.quickxplain(window, known)
    except BudgetExceeded:
        return None


class _Search:
    def __init__(self, kept: list[Triple], reasoner: Reasoner, runs: int) -> None:
        self.kept = kept
        self.reasoner = reasoner
        self.left = runs

    def graph(self, chosen: Iterable[Axiom]) -> Graph:
        graph = Graph()
        for triple in self.kept:
            graph.add(triple)
        for axiom in chosen:
            for triple in axiom.triples:
                graph.add(triple)
        return graph

    def spend(self) -> None:
        if self.left <= 0:
            raise BudgetExceeded()
        self.left -= 1

    def classify(self, chosen: Iterable[Axiom]) -> Classification:
        self.spend()
        return self.reasoner.classify(self.graph(chosen))

    def inconsistent(self, chosen: Iterable[Axiom]) -> bool:
        self.spend()
        return not self.reasoner.consistent(self.graph(chosen))

    def smallest_inconsistent_prefix(
        self, ordered: Sequence[Axiom]
    ) -> tuple[list[Axiom] | None, int]:
        """The nearest axioms, doubling in number until they are inconsistent alone; and
        how many of them are known to be consistent without the others."""
        size, known = 8, 0
        while True:
            window = list(ordered[:size])
            if self.inconsistent(window):
                return window, known
            if size >= len(ordered):
                return None, 0
            size, known = size * 2, len(window)

    def quickxplain(self, axioms: list[Axiom], known: int = 0) -> list[Axiom]:
        """Junker's QuickXplain: a minimal inconsistent subset, in about 2k log(n/k) runs.
        The first `known` axioms are consistent together, which spares a run."""

        def explain(background: list[Axiom], added: bool, rest: list[Axiom]) -> list[Axiom]:
            if added and self.inconsistent(background):
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


def _nearest_first(candidates: list[Axiom], seeds: set[Node]) -> list[Axiom]:
    """The axioms ordered by how many shared terms separate them from the seeds."""
    terms = {id(a): _terms(a) for a in candidates}
    by_term: dict[Node, list[Axiom]] = {}
    for axiom in candidates:
        for term in terms[id(axiom)]:
            by_term.setdefault(term, []).append(axiom)
    ordered: list[Axiom] = []
    placed: set[int] = set()
    queue = deque(sorted(seeds, key=str))
    visited = set(queue)
    while queue:
        term = queue.popleft()
        for axiom in by_term.get(term, []):
            if id(axiom) in placed:
                continue
            placed.add(id(axiom))
            ordered.append(axiom)
            for other in sorted(terms[id(axiom)], key=str):
                if other not in visited:
                    visited.add(other)
                    queue.append(other)
    ordered.extend(a for a in candidates if id(a) not in placed)
    return ordered


def _literal(value: Literal, names: Callable[[Node], str]) -> str:
    if value.datatype is not None:
        if value.datatype in BARE and not value.ill_typed:
            return str(value)
        return f"{Literal(str(value)).n3()}^^{names(value.datatype)}"
    return value.n3()
