"""Loading setups: RDF files or streams into one in-memory store.

Each source is parsed completely before anything is added, so a syntax error in
one file never leaves a half-loaded store behind. pyoxigraph does the parsing;
rdf_errors turns what it reports into a message that names the file and line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph import formats
from cancergraph.rdf_errors import InputError, loss, reading, refuse_loss

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Source:
    """One input: a file path, or bytes already read (stdin, an upload, a request body)."""

    name: str
    data: bytes | None = None
    format: formats.RdfFormat | None = None

    @classmethod
    def from_path(cls, path: str | Path, fmt: formats.RdfFormat | None = None) -> Source:
        return cls(name=str(path), format=fmt)

    def read(self) -> tuple[bytes, formats.RdfFormat]:
        """The bytes, without a UTF-8 byte order mark (which editors on Windows write and
        pyoxigraph's Turtle parser reads as a stray character), and the format."""
        data, fmt = self._read()
        return data.removeprefix(UTF8_BOM), fmt

    def _read(self) -> tuple[bytes, formats.RdfFormat]:
        fmt = self.format
        if self.data is not None:
            return self.data, fmt or formats.by_name("turtle")
        path = Path(self.name)
        if not path.exists():
            raise InputError(f"{self.name}: no such file")
        if path.is_dir():
            raise InputError(f"{self.name}: is a folder, not an RDF file")
        if fmt is None:
            try:
                fmt = formats.from_path(path)
            except formats.UnknownFormatError as err:
                raise InputError(str(err)) from None
        try:
            return path.read_bytes(), fmt
        except OSError as err:
            raise InputError(f"{self.name}: cannot read: {err.strerror}") from None


def parse_source(
    source: Source, base_iri: str | None = None, *, empty_ok: bool = False
) -> list[ox.Quad]:
    """Parse a whole source, so that failures happen before the store is touched.

    A source with no statements is refused (there is nothing to validate or query)
    unless `empty_ok`: a Graph Store write of an empty document is how a graph is
    emptied.
    """
    data, fmt = source.read()
    if not data.strip() and not empty_ok:
        raise InputError(f"{source.name}: the file is empty; there is no RDF to read")
    with reading(source.name, fmt, data, base_iri):
        quads = list(ox.parse(data, format=fmt.oxigraph, base_iri=base_iri))
    refuse_loss(source.name, fmt, data, base_iri)
    if not quads and not empty_ok:
        raise InputError(f"{source.name}: contains no RDF statements")
    return quads


def load(
    sources: Iterable[Source],
    store: ox.Store | None = None,
    prefixes: dict[str, str] | None = None,
) -> ox.Store:
    """Load every source into a store (a new in-memory one unless given).

    Each source is loaded in one transaction straight from its bytes, so a syntax
    error adds nothing from that source and no Python object is made per triple.
    `prefixes`, when given, is filled with those the sources declare before their
    first statement (where Turtle and TriG declare them; the first source to declare
    a prefix gives its IRI), for showing IRIs short: reading on would parse each file
    again for a nicety of display.
    """
    target = store if store is not None else ox.Store()
    for source in sources:
        data, fmt = source.read()
        if not data.strip():
            raise InputError(f"{source.name}: the file is empty; there is no RDF to read")
        if loss(data, fmt) is not None:
            # pyoxigraph would load part of it; its own error, if it has one, is said
            # first (read apart, adding nothing), else what would be lost
            with reading(source.name, fmt, data):
                list(ox.parse(data, format=fmt.oxigraph))
            refuse_loss(source.name, fmt, data)
        with reading(source.name, fmt, data):
            target.load(data, format=fmt.oxigraph)
        parser = ox.parse(data, format=fmt.oxigraph)
        if next(iter(parser), None) is None:  # parsing is lazy: this reads no further
            raise InputError(f"{source.name}: contains no RDF statements")
        if prefixes is not None:
            for prefix, iri in parser.prefixes.items():
                prefixes.setdefault(prefix, iri)
    return target


def to_rdflib(store: ox.Store) -> Graph:
    """The union of all graphs of a store as one rdflib graph, for pyshacl."""
    graph = Graph()
    quads = store.quads_for_pattern(None, None, None, None)
    graph.addN((s, p, o, graph) for s, p, o in rdflib_triples(quads))
    return graph


def rdflib_triples(quads: Iterable[ox.Quad]) -> Iterator[tuple[Node, Node, Node]]:
    """pyoxigraph quads as rdflib triples (the graph name is dropped)."""
    cache: dict[object, Node] = {}
    for quad in quads:
        yield _term(quad.subject, cache), _term(quad.predicate, cache), _term(quad.object, cache)


class _IllTypedLiterals(logging.Filter):
    """rdflib logs a warning with a traceback for every ill-typed literal it makes (a
    date written 01/04/2002, say), and every rdflib term of the data is made by
    `rdflib_term`. The shapes report such values to the reviewer (INT-02,
    sh:datatype), so the traceback on standard error is only noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiterals())


def rdflib_term(term: object) -> Node:
    """A store's term as rdflib's, for pyshacl's copy of the data and the fast engine's
    results alike.

    A literal keeps the store's lexical form: rdflib would rewrite an ill-typed one
    ("2013-04-01" as an xsd:dateTime became "2013-04-01T00:00:00"), and the report
    must show the value the data holds.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language:
            return Literal(term.value, lang=term.language)
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise InputError(f"unsupported RDF term: {term!r}")


def _term(term: object, cache: dict[object, Node]) -> Node:
    found = cache.get(term)
    if found is not None:
        return found
    node = rdflib_term(term)
    if len(cache) < 200_000:
        cache[term] = node
    return node


def to_oxigraph(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def labels(
    store: ox.Store, node: Node, predicates: Iterable[URIRef]
) -> list[tuple[str, str | None]]:
    """Literal values of the first of the given properties a node has one of, with their
    language tags; a blank value ("" or white space) names nothing, so it is passed over,
    as INT-03 passes it over."""
    if isinstance(node, Literal):
        return []
    subject = to_oxigraph(node)
    found = []
    for predicate in predicates:
        for quad in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, None):
            if isinstance(quad.object, ox.Literal) and quad.object.value.strip():
                found.append((quad.object.value, quad.object.language))
        if found:
            break
    return found


def copy(store: ox.Store) -> ox.Store:
    clone = ox.Store()
    clone.extend(store.quads_for_pattern(None, None, None, None))
    return clone


def add_to_default(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Add the triples of some quads to the default graph, which holds each triple once.

    pyoxigraph 0.5 reads a default graph made of several graphs (its union, or several
    named as one) with a triple once for each graph it is in (oxigraph/oxigraph#1919),
    where SPARQL's RDF merge holds it once; the default graph of one store is a set, so
    the merge is made there.
    """
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)


def add_graph(store: ox.Store, graph: Graph, name: str | None = None) -> None:
    """Add an rdflib graph's triples to a named graph of the store, or to its default
    graph when no name is given."""
    target = ox.NamedNode(name) if name is not None else ox.DefaultGraph()
    store.extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)  # type: ignore[arg-type]
        for s, p, o in graph
    )
