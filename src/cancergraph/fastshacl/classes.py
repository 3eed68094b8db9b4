"""Class membership tests without the subclass walk, for classes that have no subclasses.

SHACL-SPARQL queries test class membership with `?x rdf:type/rdfs:subClassOf* C`.
With ?x bound, the store walks up from every type of every binding, which cost
half of some constraint queries. When nothing in the data is typed with a
subclass of C (other than C itself), that path has exactly the solutions of
`?x rdf:type C`, with the same multiplicity (one per matching type), so the
query is rewritten to it. Which classes have instances of their subclasses is
read from the data once per run. Subclasses that nothing is typed with do not
count: the ontology's class expressions (blank nodes under cg:CancerNetwork,
for one) kept the walk in every query about networks, and making that test
exact took 14% off the validation of 10,000 triples.

Queries that could read another dataset than the one the subclasses were read
from (GRAPH, FROM, SERVICE) or that resolve names against a BASE are left
alone, as is any path that is not exactly `rdf:type/rdfs:subClassOf*` followed
by a constant class and the end of the triple.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cancergraph.fastshacl.syntax import Token, tokenize
from cancergraph.vocab import RDF, RDFS

RDF_TYPE = str(RDF.type)
SUBCLASS_OF = str(RDFS.subClassOf)
# The path from a node to each class it is a SHACL instance of.
INSTANCE_OF = f"<{RDF_TYPE}>/<{SUBCLASS_OF}>*"
# SPARQL that lists every class (blank ones included) with an instance of a subclass
# other than itself, however far down.
WITH_SUBCLASS_INSTANCES = (
    f"SELECT DISTINCT ?c WHERE {{ ?s <{SUBCLASS_OF}>+ ?c FILTER(!sameTerm(?s, ?c)) "
    f"FILTER EXISTS {{ ?x <{RDF_TYPE}> ?s }} }}"
)
_UNSAFE_WORDS = frozenset({"GRAPH", "FROM", "SERVICE", "BASE"})
_ENDS = frozenset({".", ";", "}", "]"})
_PATH_OPERATORS = frozenset({"/", "|", "^", "(", "!"})


def _declared(tokens: Sequence[Token], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes in force: the shape's, overridden by the query's own PREFIX lines."""
    found = dict(prefixes)
    for i, token in enumerate(tokens[:-2]):
        if token.word == "PREFIX" and tokens[i + 1].kind == "pname" and tokens[i + 2].kind == "iri":
            found[tokens[i + 1].text[:-1]] = tokens[i + 2].text[1:-1]
    return found


def _iri(token: Token, prefixes: dict[str, str], verb: bool = False) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes and not any(c in local for c in "\\%"):
            return prefixes[prefix] + local
        return None
    if verb and token.kind == "name" and token.text == "a":
        return RDF_TYPE
    return None


def substitutions(
    text: str, prefixes: dict[str, str], has_subclass_instances: Callable[[str], bool]
) -> tuple[tuple[str, str], ...]:
    """Pairs (as written, rewritten) for each `rdf:type/rdfs:subClassOf* C` of the query
    whose C has no instances of subclasses."""
    return choose(candidates(text, prefixes), has_subclass_instances)


def choose(
    found: tuple[tuple[str, str], ...], has_subclass_instances: Callable[[str], bool]
) -> tuple[tuple[str, str], ...]:
    """The rewrites of `candidates` whose class has no instances of subclasses in the data."""
    return tuple(
        (spelling, f"<{RDF_TYPE}> <{cls}>")
        for spelling, cls in found
        if not has_subclass_instances(cls)
    )


def candidates(text: str, prefixes: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Pairs (as written, class IRI) for each spelling of `rdf:type/rdfs:subClassOf* C`
    that can be rewritten wherever it occurs, should C have no subclasses.

    This part depends on the query alone, so it is done once per query, not per run.
    A spelling is kept only if every place it occurs in the query text is such a path,
    so that a rewrite can be applied as a plain text replacement to the planned query
    (the planner only inserts patterns around them).
    """
    tokens = tokenize(text)
    if any(t.word in _UNSAFE_WORDS for t in tokens):
        return ()
    known = _declared(tokens, prefixes)
    seen: dict[str, list[tuple[int, str | None]]] = {}
    for i in range(1, len(tokens) - 5):
        if tokens[i + 1].text != "/" or tokens[i + 3].text != "*":
            continue
        cls = _iri(tokens[i + 4], known)
        rewritable = (
            tokens[i - 1].text not in _PATH_OPERATORS
            and _iri(tokens[i], known, verb=True) == RDF_TYPE
            and _iri(tokens[i + 2], known) == SUBCLASS_OF
            and tokens[i + 5].text in _ENDS
        )
        spelling = text[tokens[i].start : tokens[i + 4].end]
        seen.setdefault(spelling, []).append((tokens[i].start, cls if rewritable else None))
    pairs = []
    for spelling, places in seen.items():
        named = {cls for _, cls in places}
        cls = named.pop()
        if named or cls is None:
            continue
        if _occurrences(text, spelling) != [start for start, _ in places]:
            continue
        pairs.append((spelling, cls))
    return tuple(pairs)


def _occurrences(text: str, spelling: str) -> list[int]:
    found = []
    start = text.find(spelling)
    while start != -1:
        found.append(start)
        start = text.find(spelling, start + 1)
    return found


def apply(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """The planned query with the pairs' rewrites made."""
    for spelling, rewritten in pairs:
        text = text.replace(spelling, rewritten)
    return text
