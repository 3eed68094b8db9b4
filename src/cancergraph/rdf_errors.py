"""RDF read errors as one line: the source, where the parser stopped, and why.

pyoxigraph gives the line and column of most syntax errors. Its RDF/XML parser
gives none, and reads a document cut short without complaint; the line is found
here, and such a document refused, so that every message names where to look.
JSON-LD that expansion would drop in part is refused too: a key that maps to no
IRI, a relative IRI (an @id, a link or a type) with nothing to resolve it
against, or a misspelt keyword. JSON-LD drops such values without a word, and a
setup must not lose statements to a misspelt name.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
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


def loss(
    data: bytes, fmt: formats.RdfFormat, base_iri: str | None = None
) -> tuple[int, int, str] | None:
    """Where pyoxigraph would read a document (against the base given, if any) without
    error yet lose part of it, and why: an RDF/XML document that is not well-formed XML
    (cut short, say), or a JSON-LD key that maps to no IRI or is a misspelt keyword,
    or a relative IRI that JSON-LD cannot resolve."""
    if fmt.name == "rdfxml":
        found = _xml_error(data)
        if found is None:
            return None
        line, column, why = found
        return line, column, f"rdfxml syntax error: not well-formed XML: {why}"
    if fmt.name == "jsonld":
        return _jsonld_loss(data, bool(base_iri))
    return None


def refuse_loss(
    name: str, fmt: formats.RdfFormat, data: bytes, base_iri: str | None = None
) -> None:
    """Refuse a document that `loss` finds would be read only in part."""
    found = loss(data, fmt, base_iri)
    if found is not None:
        line, column, why = found
        raise InputError(f"{name}:{line}:{column}: {why}")


# Containers whose maps are keyed by something other than properties (languages,
# indexes, node ids, types): where a context uses one, keys are not all properties.
_KEYED_CONTAINERS = frozenset({"@language", "@index", "@id", "@type", "@graph"})
# JSON-LD's keywords, and framing's, which expansion leaves alone
_KEYWORDS = frozenset(
    {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import",
        "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@prefix",
        "@propagate", "@protected", "@reverse", "@set", "@type", "@value", "@version",
        "@vocab", "@default", "@embed", "@explicit", "@null", "@omitDefault", "@requireAll",
    }
)  # fmt: skip
_KEYWORD_FORM = re.compile(r"@[A-Za-z]+")  # what JSON-LD ignores as a keyword it does not know
_SKIPPED = "skipped"  # a term whose values are dropped on purpose, or read as JSON


class _Lost(Exception):
    """What a JSON-LD document would lose, and the path to it from the top of the
    document (keys and indexes, built as the walk unwinds): the key itself, or its value."""

    def __init__(self, why: str, *, at_key: bool) -> None:
        super().__init__(why)
        self.why = why
        self.at_key = at_key
        self.path: list[str | int] = []


def _jsonld_loss(data: bytes, base_given: bool) -> tuple[int, int, str] | None:
    """The first place where JSON-LD expansion would certainly drop part of a document.

    Only what is sure is reported, judged from all the document's contexts taken
    together (see _Terms):
    - a key without a colon, not a keyword, defined as a term by no context anywhere in
      the document, where no context sets @vocab and none uses a container keyed by
      language, index, id or type;
    - a relative IRI (a string with no colon) as a node's @id (unless the node is that
      alone, of which JSON-LD makes no statement) or as the value of a term
      typed @id, where no base is given and no context sets @base, or as a node's
      @type or the value of a term typed @vocab that is no term either, where no
      context sets @vocab either;
    - a key of a node, value, list or set object that has the form of a keyword but is
      none ("@tpye"). A context's own such keys are left alone: they set nothing, and
      what the data loses for a misspelt @base or @vocab is refused where it is lost.
    Remote contexts are refused before this (they are never fetched).
    """
    try:
        text = data.decode("utf-8")
        contexts: list[object] = []
        document = json.loads(text, object_hook=partial(_with_context, contexts))
    except ValueError:
        return None  # pyoxigraph reports what is wrong with the JSON itself
    terms = _Terms(contexts)
    if terms.remote:
        return None
    try:
        _Walk(terms, base_given).values(document, free=True)
    except _Lost as lost:
        line, column = json_text.located(text, lost.path[::-1], at_key=lost.at_key)
        return line, column, lost.why
    return None


def _with_context(contexts: list[object], node: dict) -> dict:
    """json.loads's hook for each object: keep its @context, if it has one (scoped ones,
    in term definitions, too)."""
    if "@context" in node:
        contexts.append(node["@context"])
    return node


class _Term:
    """How the data reads a defined term: as an alias of a keyword, as a map keyed by
    something other than properties, or with its strings read as IRIs ("id", resolved
    against the base, or "vocab", read as terms first, then against @vocab or the base)."""

    __slots__ = ("alias", "coerce", "keyed")

    def __init__(self, alias: str | None, keyed: bool, coerce: str | None) -> None:
        self.alias, self.keyed, self.coerce = alias, keyed, coerce


class _Terms:
    """What the contexts of a document say, all taken together, wherever they are.

    Contexts can be scoped to a property or a type, or reset, so which one applies
    where is not followed: a term is read one way only when every definition of it
    says so, and a setting made anywhere counts everywhere, which keeps every
    judgement on the safe side.
    """

    def __init__(self, contexts: list[object]) -> None:
        self.defined: set[str] = set()
        self.vocab = self.base = self.keyed = self.remote = self.reset = False
        kinds: dict[str, set[str]] = {}
        for context in contexts:
            self._read(context, kinds)
        self.special: dict[str, _Term | str] = {}
        for name, found in kinds.items():
            term = self._term(found)
            if term is not None:
                self.special[name] = term
        self.value_aliases = frozenset(
            name
            for name, term in self.special.items()
            if isinstance(term, _Term) and term.alias == "@value"
        )

    def _read(self, context: object, kinds: dict[str, set[str]]) -> None:
        if isinstance(context, list):
            for item in context:
                self._read(item, kinds)
        elif context is None:
            self.reset = True
        elif isinstance(context, dict):
            for key, value in context.items():
                if key == "@vocab":
                    self.vocab = self.vocab or value is not None
                elif key == "@base":
                    self.base = True
                elif key == "@import":
                    self.remote = True
                elif not key.startswith("@"):
                    self.defined.add(key)
                    kinds.setdefault(key, set()).update(_definition(value))
                    self.keyed = self.keyed or "keyed" in kinds[key]
        else:
            self.remote = True

    def _term(self, kinds: set[str]) -> _Term | str | None:
        aliases = {kind for kind in kinds if kind.startswith("@") and kind in _KEYWORDS}
        if kinds & {"null", "@json", "unknown"} or (aliases and (self.reset or kinds != aliases)):
            return _SKIPPED
        if len(aliases) > 1:
            return _SKIPPED
        alias = next(iter(aliases), None)
        keyed = "keyed" in kinds
        coerce = None if self.reset or keyed or len(kinds) > 1 else next(iter(kinds))
        coerce = coerce if coerce in ("id", "vocab") else None
        if alias is None and not keyed and coerce is None:
            return None
        return _Term(alias, keyed, coerce)


def _definition(value: object) -> set[str]:
    """What one definition of a term makes of it: "null" (dropped on purpose), a keyword
    (an alias), "id" or "vocab" (its strings read as IRIs), "@json", "keyed" (a map
    keyed by language, index, id or type), "plain", or "unknown"."""
    if value is None:
        return {"null"}
    if isinstance(value, str):
        return {value} if value in _KEYWORDS else {"plain"}
    if not isinstance(value, dict):
        return {"unknown"}
    kinds = set()
    iri = value.get("@id")
    if "@id" in value and iri is None:
        kinds.add("null")
    elif isinstance(iri, str) and iri in _KEYWORDS:
        kinds.add(iri)
    coerced = value.get("@type")
    if coerced == "@json":
        kinds.add("@json")
    elif coerced in ("@id", "@vocab"):
        kinds.add(coerced[1:])
    container = value.get("@container")
    containers = container if isinstance(container, list) else [container]
    if any(isinstance(c, str) and c in _KEYED_CONTAINERS for c in containers):
        kinds.add("keyed")
    return kinds or {"plain"}


class _Walk:
    """The data of a JSON-LD document, in order, raising _Lost at the first loss."""

    def __init__(self, terms: _Terms, base_given: bool) -> None:
        self.terms = terms
        self.special = terms.special
        self.check_keys = not (terms.vocab or terms.keyed)
        self.check_ids = not (terms.base or base_given)
        self.check_terms = self.check_ids and not terms.vocab

    def values(self, value: object, link: str | None = None, *, free: bool = False) -> None:
        """A value where data goes: a node or value object, a string, or a list of them;
        `link` names the term it is the value of when that term reads strings as IRIs,
        `free` says it is no term's value (at the top, in @graph or @included)."""
        if isinstance(value, dict):
            self.object(value, link, free)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                try:
                    self.values(item, link, free=free)
                except _Lost as lost:
                    lost.path.append(index)
                    raise
        elif link is not None and isinstance(value, str) and _relative(value):
            self.link(link, value)

    def object(self, node: dict, link: str | None, free: bool) -> None:
        aliases = self.terms.value_aliases
        if "@value" in node or (aliases and not aliases.isdisjoint(node)):
            # a value object: its @value is data, not JSON-LD
            for key in () if _KEYWORDS.issuperset(node) else node:
                why = _unknown_keyword(key)
                if why is not None:
                    lost = _Lost(why, at_key=True)
                    lost.path.append(key)
                    raise lost
            return
        if free and len(node) - ("@context" in node) == 1 and self.only_id(node):
            return  # JSON-LD makes no statement of it, whatever its @id
        for key, value in node.items():
            try:
                self.entry(key, value, link)
            except _Lost as lost:
                lost.path.append(key)
                raise

    def entry(self, key: str, value: object, link: str | None) -> None:
        """One entry of a node object, or of a list, set, nest or reverse object."""
        if key.startswith("@"):
            self.keyword(key, key, value, link)
            return
        term = self.special.get(key)
        if term is None:
            if self.check_keys and ":" not in key and key not in self.terms.defined:
                raise _Lost(_unmapped(key), at_key=True)
            if not isinstance(value, str):
                self.values(value)
        elif term is _SKIPPED:
            return
        elif term.alias is not None:
            self.keyword(term.alias, key, value, link)
        elif term.keyed:
            self.map(value)
        else:
            self.values(value, key if term.coerce else None)

    def keyword(self, keyword: str, key: str, value: object, link: str | None) -> None:
        """An entry whose key is the keyword, or the alias `key` of it."""
        if keyword not in _KEYWORDS:
            why = _unknown_keyword(keyword)
            if why is not None:
                raise _Lost(why, at_key=True)
        elif keyword == "@id":
            if self.check_ids and isinstance(value, str) and _relative(value):
                raise _Lost(_relative_id(key, value), at_key=False)
        elif keyword == "@type":
            if self.check_terms:
                self.types(key, value)
        elif keyword in ("@list", "@set"):
            self.values(value, link)
        elif keyword in ("@graph", "@included"):
            self.values(value, free=True)
        elif keyword in ("@nest", "@reverse"):
            self.values(value)

    def only_id(self, node: dict) -> bool:
        """Whether a node's one entry besides @context is its @id."""
        for key in node:
            term = self.special.get(key)
            if key == "@id" or (isinstance(term, _Term) and term.alias == "@id"):
                return True
        return False

    def types(self, key: str, value: object) -> None:
        """A node's types: each is read as a term, or against @vocab or the base."""
        for index, name in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(name, str) and _relative(name) and name not in self.terms.defined:
                lost = _Lost(_relative_type(key, name), at_key=False)
                if isinstance(value, list):
                    lost.path.append(index)
                raise lost

    def link(self, key: str, value: str) -> None:
        """A relative IRI as the value of a term that reads its strings as IRIs."""
        term = self.special[key]
        if isinstance(term, _Term) and term.coerce == "id":
            if self.check_ids:
                raise _Lost(_relative_link(key, value), at_key=False)
        elif self.check_terms and value not in self.terms.defined:
            raise _Lost(_relative_term(key, value), at_key=False)

    def map(self, value: object) -> None:
        """The value of a term whose container is keyed: its keys are no properties."""
        if not isinstance(value, dict):
            self.values(value)
            return
        for key, item in value.items():
            try:
                self.values(item)
            except _Lost as lost:
                lost.path.append(key)
                raise


def _unknown_keyword(key: str) -> str | None:
    """Why a key is lost if JSON-LD ignores it, as a keyword it does not know."""
    if key in _KEYWORDS or not _KEYWORD_FORM.fullmatch(key):
        return None
    lower = {keyword.lower(): keyword for keyword in sorted(_KEYWORDS)}
    meant = difflib.get_close_matches(key.lower(), lower, n=1, cutoff=0.75)
    fix = (
        f'did you mean "{lower[meant[0]]}"?'
        if meant
        else "write a keyword, or a property the @context defines"
    )
    return (
        f'jsonld: "{key}" is not a JSON-LD keyword, so JSON-LD would ignore it and drop '
        f"its value without a word; {fix}"
    )


def _relative(value: str) -> bool:
    """Whether a string is surely a relative IRI: it has no colon (so it is neither an
    absolute IRI, nor a prefixed name, nor a blank node) and is not a keyword."""
    return ":" not in value and not value.startswith("@")


def _relative_id(key: str, value: str) -> str:
    return (
        f'jsonld: "{key}": "{value}" is a relative IRI and the document sets no @base, so '
        "JSON-LD would drop every statement about it or linking to it without a word; "
        "write an absolute IRI or a prefixed name, or set @base in the @context"
    )


def _relative_link(key: str, value: str) -> str:
    return (
        f'jsonld: "{key}": "{value}" is a relative IRI ("{key}" is typed @id in the '
        "@context) and the document sets no @base, so JSON-LD would drop the statement "
        "without a word; write an absolute IRI or a prefixed name, or set @base in the "
        "@context"
    )


def _relative_term(key: str, value: str) -> str:
    return (
        f'jsonld: "{key}": "{value}" is a relative IRI ("{key}" is typed @vocab in the '
        f'@context), and no @context defines "{value}" or sets @vocab or @base, so JSON-LD '
        "would drop the statement without a word; write an absolute IRI or a prefixed "
        f'name, define "{value}" in the @context, or set @vocab'
    )


def _relative_type(key: str, value: str) -> str:
    return (
        f'jsonld: "{key}": "{value}" is a relative IRI, and no @context defines "{value}" '
        "or sets @vocab or @base, so JSON-LD would drop the type without a word; write an "
        f'absolute IRI or a prefixed name, define "{value}" in the @context, or set @vocab'
    )


def _unmapped(key: str) -> str:
    return (
        f'jsonld: the key "{key}" maps to no IRI (no @context defines it, and none '
        "sets @vocab), so JSON-LD would drop its values without a word; define it "
        "in the @context or write the property's full IRI"
    )


def _term_over_limit(err: MemoryError) -> bool:
    """pyoxigraph's parsers hold each term in a buffer of at most 16 MiB and report a longer
    one as a MemoryError: that is bad input, unlike a real lack of memory.
    """
    return "buffer maximal size" in str(err)
