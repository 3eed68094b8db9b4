"""Loading setups: RDF files or streams into one in-memory store.

Each source is parsed completely before anything is added, so a syntax error in
one file never leaves a half-loaded store behind. pyoxigraph does the parsing:
it is fast and reports the line and column of an error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph import formats
from cancergraph.errors import UserError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TERM_OVER_LIMIT = "a single term is larger than pyoxigraph's 16 MiB limit"
UTF8_BOM = b"\xef\xbb\xbf"
# Errors that come without a position are located in documents up to this size (about
# twenty parses of at most this much each, on the failure path only).
POSITION_SEARCH_LIMIT = 4 * 1024 * 1024


class InputError(UserError):
    """Input that cannot be read as RDF; the message names the file and, for syntax, the line."""


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
    with _read_errors(source.name, fmt, data, base_iri):
        quads = list(ox.parse(data, format=fmt.oxigraph, base_iri=base_iri))
    _refuse_ill_formed_xml(source.name, fmt, data)
    if not quads and not empty_ok:
        raise InputError(f"{source.name}: contains no RDF statements")
    return quads


@contextmanager
def _read_errors(
    name: str, fmt: formats.RdfFormat, data: bytes, base_iri: str | None = None
) -> Iterator[None]:
    """pyoxigraph's errors while reading a source, as one InputError naming it."""
    try:
        yield
    except SyntaxError as err:
        raise InputError(_syntax_message(name, fmt, err, data, base_iri)) from None
    except (ValueError, OSError) as err:
        raise InputError(f"{name}: cannot read as {fmt.name}: {err}") from None
    except MemoryError as err:
        if not _term_over_limit(err):
            raise
        raise InputError(f"{name}: {TERM_OVER_LIMIT}") from None


def _syntax_message(
    name: str, fmt: formats.RdfFormat, err: SyntaxError, data: bytes, base_iri: str | None
) -> str:
    text = _error_text(err)
    line, column = err.lineno, err.offset
    if not line:
        line, column = _stop_position(data, fmt, text, base_iri) or (None, None)
    if not line and fmt.name == "rdfxml" and "ill-formed" in text:
        # only for an error of XML itself: expat finds the first such error, which may be
        # another than the RDF error pyoxigraph stopped at
        line, column = _xml_position(data) or (None, None)
    if line:
        where = f":{column}" if column else ""
        return f"{name}:{line}{where}: {fmt.name} syntax error: {text}"
    return f"{name}: {fmt.name} syntax error: {text}"


def _error_text(err: SyntaxError) -> str:
    text = str(err.msg if err.msg else err).strip()
    if "LoadDocumentCallback" in text:  # pyoxigraph's words for a remote @context
        text = (
            "the @context is a remote document, which is never fetched (no input makes "
            "cancergraph go out to the network); put the context in the file"
        )
    return text


def _stop_position(
    data: bytes, fmt: formats.RdfFormat, text: str, base_iri: str | None
) -> tuple[int, int] | None:
    """Where pyoxigraph's RDF/XML parser, which reports no positions, stopped: the end
    of the shortest start of the document that fails with the same error.

    The parsers read as a stream, so the error is raised once the text that causes
    it has been read; a shorter start ends too early for it and fails otherwise, or
    not at all. Each try parses at most the document, about twenty of them, so this
    is done on documents of up to POSITION_SEARCH_LIMIT bytes.
    """
    if len(data) > POSITION_SEARCH_LIMIT or fmt.name != "rdfxml":
        # the JSON-LD parser reports errors past the JSON syntax at the end of the
        # document, however early their cause, so this would name the last line
        return None

    def same_error(end: int) -> bool:
        try:
            for _ in ox.parse(data[:end], format=fmt.oxigraph, base_iri=base_iri):
                pass
        except SyntaxError as err:
            return _error_text(err) == text
        except (ValueError, OSError, MemoryError):
            return False
        return False

    if not same_error(len(data)):
        return None
    low, high = 0, len(data)
    while low < high:
        middle = (low + high) // 2
        if same_error(middle):
            high = middle
        else:
            low = middle + 1
    last = max(low - 1, 0)  # the last byte the parser needed
    start = data.rfind(b"\n", 0, last) + 1
    column = len(data[start : last + 1].decode("utf-8", errors="replace"))
    return data.count(b"\n", 0, start) + 1, max(column, 1)


def _xml_position(data: bytes) -> tuple[int, int] | None:
    """Where an XML document stops being well-formed, which pyoxigraph's RDF/XML parser
    does not say. None for an error of RDF in well-formed XML."""
    found = xml_error(data)
    return found[:2] if found is not None else None


def xml_error(data: bytes, fmt: formats.RdfFormat | None = None) -> tuple[int, int, str] | None:
    """Line, column and expat's words for the first place an XML document (RDF/XML, when
    a format is given) is not well-formed; expat reads no external entities."""
    if fmt is not None and fmt.name != "rdfxml":
        return None
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        if err.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
            why = "the document ends with elements still open (was it cut short?)"
        else:
            why = expat.ErrorString(err.code) or "not well-formed"
        return err.lineno, err.offset + 1, why
    return None


def _refuse_ill_formed_xml(name: str, fmt: formats.RdfFormat, data: bytes) -> None:
    """pyoxigraph's RDF/XML parser reads a document cut short (elements left open, as
    in a file that was not written or sent to its end) without complaint, keeping the
    statements before the cut and losing the rest; a document that is not XML is
    refused instead, where it stops being XML.
    """
    found = xml_error(data, fmt)
    if found is not None:
        line, column, why = found
        raise InputError(
            f"{name}:{line}:{column}: {fmt.name} syntax error: not well-formed XML: {why}"
        )


def _term_over_limit(err: MemoryError) -> bool:
    """pyoxigraph's parsers hold each term in a buffer of at most 16 MiB and report a longer
    one as a MemoryError: that is bad input, unlike a real lack of memory.
    """
    return "buffer maximal size" in str(err)


def load(sources: Iterable[Source], store: ox.Store | None = None) -> ox.Store:
    """Load every source into a store (a new in-memory one unless given).

    Each source is loaded in one transaction straight from its bytes, so a syntax
    error adds nothing from that source and no Python object is made per triple.
    """
    target = store if store is not None else ox.Store()
    for source in sources:
        data, fmt = source.read()
        if not data.strip():
            raise InputError(f"{source.name}: the file is empty; there is no RDF to read")
        if xml_error(data, fmt) is not None:
            # pyoxigraph would load the statements before the cut; its own error, if it
            # has one, is said first (read apart, adding nothing), else expat's
            with _read_errors(source.name, fmt, data):
                list(ox.parse(data, format=fmt.oxigraph))
            _refuse_ill_formed_xml(source.name, fmt, data)
        with _read_errors(source.name, fmt, data):
            target.load(data, format=fmt.oxigraph)
        if _first_statement(data, fmt) is None:
            raise InputError(f"{source.name}: contains no RDF statements")
    return target


def _first_statement(data: bytes, fmt: formats.RdfFormat) -> ox.Quad | None:
    """The first statement only: parsing is lazy, so this reads no further."""
    return next(iter(ox.parse(data, format=fmt.oxigraph)), None)


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
    date written 01/04/2002, say), and every rdflib term here is made by `_term`. The
    shapes report such values to the reviewer (INT-02, sh:datatype), so the traceback
    on standard error is only noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiterals())


def _term(term: object, cache: dict[object, Node]) -> Node:
    found = cache.get(term)
    if found is not None:
        return found
    if isinstance(term, ox.NamedNode):
        node: Node = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        node = BNode(term.value)
    elif isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language:
            node = Literal(term.value, lang=term.language)
        elif datatype == XSD_STRING:
            node = Literal(term.value)
        else:
            node = Literal(term.value, datatype=URIRef(datatype))
    else:
        raise InputError(f"unsupported RDF term: {term!r}")
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
    """Literal values of the given properties of a node, with their language tags."""
    if isinstance(node, Literal):
        return []
    subject = to_oxigraph(node)
    found = []
    for predicate in predicates:
        for quad in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, None):
            if isinstance(quad.object, ox.Literal):
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
