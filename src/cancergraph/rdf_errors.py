"""RDF read errors as one line: the source, where the parser stopped, and why.

pyoxigraph gives the line and column of most syntax errors. Its RDF/XML parser
gives none, and reads a document cut short without complaint; the line is found
here, and such a document refused, so that every message names where to look.
A JSON-LD key that maps to no IRI is refused too: JSON-LD drops its values
without a word, and a setup must not lose statements to a misspelt name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from xml.parsers import expat

import pyoxigraph as ox

from cancergraph import formats, json_text
from cancergraph.errors import UserError

TERM_OVER_LIMIT = "a single term is larger than pyoxigraph's 16 MiB limit"
# Errors that come without a position are located in documents up to this size (about
# twenty parses of at most this much each, on the failure path only).
POSITION_SEARCH_LIMIT = 4 * 1024 * 1024


class InputError(UserError):
    """Input that cannot be read as RDF; the message names the file and, for syntax, the line."""


@contextmanager
def reading(
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
    line, column, text = syntax_error(fmt, err, data, base_iri)
    if line:
        where = f":{column}" if column else ""
        return f"{name}:{line}{where}: {text}"
    return f"{name}: {text}"


def syntax_error(
    fmt: formats.RdfFormat, err: SyntaxError, data: bytes, base_iri: str | None = None
) -> tuple[int | None, int | None, str]:
    """The line and column of a syntax error (None where they cannot be found) and what
    it says, as "<format> syntax error: ..."."""
    text = _error_text(err)
    line, column = err.lineno, err.offset
    if not line:
        line, column = _stop_position(data, fmt, text, base_iri) or (None, None)
    if not line and fmt.name == "jsonld":
        line, column = _failing_node(data, text, base_iri) or (None, None)
    if not line and fmt.name == "rdfxml" and "ill-formed" in text:
        # only for an error of XML itself: expat finds the first such error, which may be
        # another than the RDF error pyoxigraph stopped at
        found = _xml_error(data)
        line, column = found[:2] if found is not None else (None, None)
    return line or None, column or None, f"{fmt.name} syntax error: {text}"


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
        # document, however early their cause, so this would name the last line;
        # _failing_node finds those
        return None

    def same_error(end: int) -> bool:
        return _fails_with(data[:end], fmt.oxigraph, text, base_iri)

    end = _least(0, len(data), same_error)
    if end is None:
        return None
    last = max(end - 1, 0)  # the last byte the parser needed
    start = data.rfind(b"\n", 0, last) + 1
    column = len(data[start : last + 1].decode("utf-8", errors="replace"))
    return data.count(b"\n", 0, start) + 1, max(column, 1)


def _failing_node(data: bytes, text: str, base_iri: str | None) -> tuple[int, int] | None:
    """Where the node that a JSON-LD error comes from starts, for a document whose nodes
    are listed (a top-level array, or @graph).

    pyoxigraph reports errors beyond the JSON syntax at the end of the document, so the
    nodes are tried instead: the first n of them, under the document's context, for
    the least n that fails with the same error; the n-th is the one at fault.
    """
    if len(data) > POSITION_SEARCH_LIMIT:
        return None
    try:
        source = data.decode("utf-8")
        document = json.loads(source)
        nodes = json_text.listed(source, "@graph")
    except (ValueError, IndexError):
        return None
    context = document.get("@context") if isinstance(document, dict) else None

    def same_error(count: int) -> bool:
        part: dict[str, object] = {"@graph": [node for _, node in nodes[:count]]}
        if context is not None:
            part["@context"] = context
        return _fails_with(json.dumps(part).encode("utf-8"), ox.RdfFormat.JSON_LD, text, base_iri)

    count = _least(1, len(nodes), same_error) if nodes else None
    if count is None:
        return None
    return json_text.position(source, nodes[count - 1][0])


def _fails_with(data: bytes, fmt: ox.RdfFormat, text: str, base_iri: str | None) -> bool:
    """Whether pyoxigraph fails on the data with the error that says `text`."""
    try:
        for _ in ox.parse(data, format=fmt, base_iri=base_iri):
            pass
    except SyntaxError as err:
        return _error_text(err) == text
    except (ValueError, OSError, MemoryError):
        return False
    return False


def _least(low: int, high: int, holds: Callable[[int], bool]) -> int | None:
    """The least n from low to high for which `holds`, given that it holds for every n
    above that one (None when it does not hold for high)."""
    if not holds(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _xml_error(data: bytes) -> tuple[int, int, str] | None:
    """Line, column and expat's words for the first place an XML document is not
    well-formed; expat reads no external entities."""
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


def loss(data: bytes, fmt: formats.RdfFormat) -> tuple[int, int, str] | None:
    """Where pyoxigraph would read a document without error yet lose part of it, and
    why: an RDF/XML document that is not well-formed XML (cut short, say), or a JSON-LD
    key that maps to no IRI."""
    if fmt.name == "rdfxml":
        found = _xml_error(data)
        if found is None:
            return None
        line, column, why = found
        return line, column, f"rdfxml syntax error: not well-formed XML: {why}"
    if fmt.name == "jsonld":
        return _unmapped_key(data)
    return None


def refuse_loss(name: str, fmt: formats.RdfFormat, data: bytes) -> None:
    """Refuse a document that `loss` finds would be read only in part."""
    found = loss(data, fmt)
    if found is not None:
        line, column, why = found
        raise InputError(f"{name}:{line}:{column}: {why}")


# Containers whose maps are keyed by something other than properties (languages,
# indexes, node ids, types): where a context uses one, keys are not all properties.
_KEYED_CONTAINERS = frozenset({"@language", "@index", "@id", "@type", "@graph"})


def _unmapped_key(data: bytes) -> tuple[int, int, str] | None:
    """The first key of a JSON-LD document that certainly expands to nothing.

    Only what is sure is reported: a key without a colon, not a keyword, defined as
    a term by no context anywhere in the document, where no context sets @vocab and
    none uses a container keyed by language, index, id or type. Remote contexts are
    refused before this (they are never fetched).
    """
    try:
        text = data.decode("utf-8")
        document = json.loads(text)
    except ValueError:
        return None  # pyoxigraph reports what is wrong with the JSON itself
    contexts = list(_contexts(document))
    defined: set[str] = set()
    for context in contexts:
        if _context_keys(context, defined):
            return None
    for key in _data_keys(document):
        if key.startswith("@") or ":" in key or key in defined:
            continue
        line, column = _key_position(text, key)
        return (
            line,
            column,
            f'jsonld: the key "{key}" maps to no IRI (no @context defines it, and none '
            "sets @vocab), so JSON-LD would drop its values without a word; define it "
            "in the @context or write the property's full IRI",
        )
    return None


def _contexts(node: object) -> Iterator[object]:
    if isinstance(node, list):
        for item in node:
            yield from _contexts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield value
            elif key != "@value":
                yield from _contexts(value)


def _context_keys(context: object, defined: set[str]) -> bool:
    """Add the terms a context defines (at any depth, scoped ones too); True if it sets
    @vocab or uses a keyed container, when keys cannot be judged from the terms."""
    if isinstance(context, list):
        return any(_context_keys(item, defined) for item in context)
    if not isinstance(context, dict):
        return False
    unsure = context.get("@vocab") is not None
    container = context.get("@container")
    containers = container if isinstance(container, list) else [container]
    unsure = unsure or any(c in _KEYED_CONTAINERS for c in containers)
    for key, value in context.items():
        if not key.startswith("@"):
            defined.add(key)
        unsure = _context_keys(value, defined) or unsure
    return unsure


def _data_keys(node: object) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _data_keys(item)
    elif isinstance(node, dict) and "@value" not in node:
        for key, value in node.items():
            if key == "@context":
                continue
            yield key
            yield from _data_keys(value)


def _key_position(text: str, key: str) -> tuple[int, int]:
    """Line and column of the key's first use as a key in the text."""
    found = re.search(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)
    if found is None:
        return 1, 1
    start = text.rfind("\n", 0, found.start()) + 1
    return text.count("\n", 0, start) + 1, found.start() - start + 1


def _term_over_limit(err: MemoryError) -> bool:
    """pyoxigraph's parsers hold each term in a buffer of at most 16 MiB and report a longer
    one as a MemoryError: that is bad input, unlike a real lack of memory.
    """
    return "buffer maximal size" in str(err)
