"""Named SPARQL queries: the library in queries/, parameters, and running them.

Parameters are bound as RDF terms by pre-binding (SEP-0007 substitution in
pyoxigraph, initBindings in rdflib), never pasted into query text. Queries may
not reach out of the machine: SERVICE is refused before anything runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from cancergraph import dates, resources, sparql_errors, sparql_text
from cancergraph.errors import UserError
from cancergraph.vocab import ABSOLUTE_IRI

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "date", "string", "integer", "decimal", "boolean")


class QueryError(UserError):
    """A query that cannot be run: syntax, a forbidden operation, or bad parameters.

    `parameter` names the parameter at fault and `line` the header line at fault, when
    there is one, so that a check can point at the header entry to change.
    """

    def __init__(self, message: str, *, parameter: str | None = None, line: int | None = None):
        super().__init__(message)
        self.parameter = parameter
        self.line = line


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    example: str | None = None
    description: str = ""
    line: int | None = field(default=None, compare=False)  # of its `param` entry in the file

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "example": self.example,
            "description": self.description,
        }


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    relates: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    path: Path | None = None
    header: tuple[HeaderEntry, ...] = field(default=(), compare=False)

    @property
    def form(self) -> str:
        return query_form(self.text)

    @property
    def start_line(self) -> int | None:
        """The line of the keyword that starts the query form (SELECT, say): where the
        query itself is written, after its header and prefixes."""
        found = sparql_text.first_operation(self.text)
        return self.text.count("\n", 0, found[1]) + 1 if found else None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "relates": list(self.relates),
            "form": self.form,
            "parameters": [p.as_dict() for p in self.parameters],
        }


HEADER_LINE = re.compile(r"#\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*)$")
PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)"
    r"(?P<options>(?:\s+(?:default|example)=\S+)*)\s*(?:--\s*(?P<description>.*))?$"
)


@dataclass(frozen=True)
class HeaderEntry:
    """One `# key: value` entry of a query's header and its continuation lines, each with
    its line number, so that what is wrong with an entry can be shown where it is written."""

    key: str
    parts: tuple[tuple[int, str], ...]  # (line, text) of the entry's line and continuations

    @property
    def line(self) -> int:
        return self.parts[0][0]

    @property
    def value(self) -> str:
        return " ".join(text for _, text in self.parts)


def header_entries(text: str) -> list[HeaderEntry]:
    """The `# key: value` lines before the first line of SPARQL, with their continuations."""
    entries: list[HeaderEntry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = HEADER_LINE.match(stripped)
        if match:
            part = (number, match.group("value").strip())
            entries.append(HeaderEntry(match.group("key"), (part,)))
            continue
        more = CONTINUATION.match(line.rstrip())
        if more and entries:
            last = entries[-1]
            part = (number, more.group("value").strip())
            entries[-1] = HeaderEntry(last.key, (*last.parts, part))
    return entries


def parse_header(text: str, source: str) -> dict[str, list[str]]:
    """The header's values by key, continuations folded in."""
    return _values(header_entries(text))


def _values(entries: list[HeaderEntry]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for entry in entries:
        fields.setdefault(entry.key, []).append(entry.value)
    return fields


def related(entries: Iterable[HeaderEntry]) -> list[tuple[str, int]]:
    """The rule ids the `relates` entries name, each with the line it is written on."""
    return [
        (item.strip(), line)
        for entry in entries
        if entry.key == "relates"
        for line, text in entry.parts
        for item in text.split(",")
        if item.strip()
    ]


def parse_parameter(spec: str, source: str, line: int | None = None) -> Parameter:
    match = PARAM.match(spec.strip())
    if not match or match.group("type") not in PARAM_TYPES:
        raise QueryError(
            f"{source}: bad parameter declaration {spec!r}; expected "
            f"'NAME TYPE [default=V] [example=V] -- description' with TYPE one of "
            f"{', '.join(PARAM_TYPES)}",
            line=line,
        )
    options = dict(item.split("=", 1) for item in match.group("options").split())
    return Parameter(
        name=match.group("name"),
        type=match.group("type"),
        default=options.get("default"),
        example=options.get("example"),
        description=(match.group("description") or "").strip(),
        line=line,
    )


def load_query_file(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{path}: no such query file") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text") from None
    entries = header_entries(text)
    header = _values(entries)
    relates = tuple(rule_id for rule_id, _ in related(entries))
    parameters = tuple(
        parse_parameter(entry.value, str(path), entry.line)
        for entry in entries
        if entry.key == "param"
    )
    return NamedQuery(
        name=path.stem,
        text=text,
        title=" ".join(header.get("title", [])),
        description=" ".join(header.get("description", [])),
        relates=relates,
        parameters=parameters,
        path=path,
        header=tuple(entries),
    )


@cache
def library() -> dict[str, NamedQuery]:
    """Every query of the library, by name (its file name without .rq)."""
    return {
        path.stem: load_query_file(path) for path in sorted(resources.queries_dir().glob("*.rq"))
    }


def find(name_or_path: str) -> NamedQuery:
    """A library query by name, or a query file by path."""
    if name_or_path in library():
        return library()[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        return load_query_file(path)
    known = ", ".join(library())
    raise QueryError(f"no query named {name_or_path!r}; library queries: {known}")


# -- safety and syntax ------------------------------------------------------


def _keyword(words: str, bare: str) -> re.Match[str] | None:
    """The first of the keywords in a blanked query: the word itself, not a variable
    (?from), a prefixed name (ex:ask, cg:validFrom) or a prefix (ask:)."""
    return re.search(rf"(?<![?$:\w.-])({words})(?![\w:-])", bare, re.IGNORECASE)


def query_form(text: str) -> str:
    match = _keyword("SELECT|ASK|CONSTRUCT|DESCRIBE", sparql_text.blanked(text))
    return match.group(1).upper() if match else "SELECT"


def declares_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED)."""
    return _keyword("FROM", sparql_text.blanked(text)) is not None


def refuse_outgoing(text: str) -> None:
    """SERVICE (and, in updates, LOAD) would make the server fetch from elsewhere."""
    bare = sparql_text.blanked(text)
    for keyword in ("SERVICE", "LOAD"):
        # a dot may end the triple before the keyword (`?o .SERVICE`), so it does not hide it
        if re.search(rf"(?<![?$:\w-]){keyword}(?![\w:-])", bare, re.IGNORECASE):
            raise QueryError(f"{keyword} is not allowed: queries may not make outgoing requests")


def syntax_message(err: SyntaxError, source: str, text: str, update: bool = False) -> str:
    """One line: where the parser stopped and why (see sparql_errors), not the list of
    every character it would have accepted."""
    error = sparql_errors.describe(err, text, update)
    if error.line is not None:
        return f"{source}:{error.line}:{error.column}: SPARQL syntax error: {error.message}"
    return f"{source}: SPARQL syntax error: {error.message}"


# -- parameters ---------------------------------------------------------------


def term_for(parameter: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term of the declared type, or a QueryError naming it."""
    kind = parameter.type
    try:
        if kind == "iri":
            if not ABSOLUTE_IRI.match(value):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(value)
        if kind == "date":
            return ox.Literal(dates.day(value).isoformat(), datatype=_xsd("date"))
        if kind == "integer":
            return ox.Literal(str(int(value)), datatype=_xsd("integer"))
        if kind == "decimal":
            number = Decimal(value)
            if not number.is_finite():
                raise ValueError("not a finite number")
            return ox.Literal(format(number, "f"), datatype=_xsd("decimal"))
        if kind == "boolean":
            if value.lower() not in {"true", "false"}:
                raise ValueError("expected true or false")
            return ox.Literal(value.lower(), datatype=_xsd("boolean"))
        return ox.Literal(value)
    except (ValueError, InvalidOperation) as err:
        raise QueryError(
            f"parameter {parameter.name}: {value!r} is not a valid {kind} ({err})",
            parameter=parameter.name,
        ) from None


def _xsd(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def bindings(query: NamedQuery, given: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Typed terms for the given parameters plus declared defaults; unknown names refused."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        allowed = ", ".join(declared) or "none"
        raise QueryError(
            f"unknown parameter {', '.join(unknown)} for query {query.name!r} "
            f"(its parameters: {allowed})"
        )
    bound = {}
    for name, parameter in declared.items():
        value = given.get(name, parameter.default)
        if value is not None:
            bound[name] = term_for(parameter, value)
    return bound


def parse_assignments(items: list[str] | None) -> dict[str, str]:
    """`name=value` strings from the command line or a form."""
    found: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"bad parameter {item!r}: expected name=value")
        if name in found:
            raise QueryError(f"parameter {name} given twice")
        found[name] = value
    return found


# -- running ------------------------------------------------------------------


def run(
    store: ox.Store,
    query: NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    default_graph: list[ox.NamedNode | ox.DefaultGraph] | None = None,
    named_graphs: list[ox.NamedNode] | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query over the store.

    The dataset follows the SPARQL 1.1 Protocol: graphs given here (the protocol's
    default-graph-uri and named-graph-uri) make the whole dataset, a side not given
    being empty, and override the query's FROM and FROM NAMED; failing both, the
    default graph is the union of all graphs and every named graph is available.
    """
    refuse_outgoing(query.text)
    terms = bindings(query, params or {})
    refuse_bare_parameters(query, terms)
    substitutions = {ox.Variable(name): term for name, term in terms.items()}
    try:
        if default_graph is not None or named_graphs is not None:
            return store.query(
                query.text,
                default_graph=default_graph or [],
                named_graphs=named_graphs or [],
                substitutions=substitutions or None,
            )
        return store.query(
            query.text,
            use_default_graph_as_union=not declares_dataset(query.text),
            substitutions=substitutions or None,
        )
    except SyntaxError as err:
        source = str(query.path) if query.path else "query"
        raise QueryError(syntax_message(err, source, query.text)) from None
    except RuntimeError as err:
        message = str(err)
        projected = re.search(r"variable \?(\w+) in its SELECT projection", message)
        if projected:
            raise QueryError(
                f"parameter {projected.group(1)} must appear in the query's SELECT projection "
                "to be bound",
                parameter=projected.group(1),
            ) from None
        raise QueryError(f"the query failed: {message}") from None
    except OSError as err:
        raise QueryError(f"the query failed: {err}") from None


def refuse_bare_parameters(query: NamedQuery, terms: Mapping[str, object]) -> None:
    """A bound parameter given on its own as the expression of a BIND or a SELECT
    (`BIND (?asOf AS ?day)`, `(?asOf AS ?day)`) is refused.

    pyoxigraph puts a parameter's value into the patterns, filters and expressions that
    use it, but a variable made a copy of it is left unbound (pyoxigraph 0.5.13), so
    the query would answer as if the parameter had no value. The same holds of some
    expressions that pyoxigraph reduces to the variable (COALESCE of variables only);
    those cannot be told from the text.
    """
    if not terms:
        return
    bare = sparql_text.blanked(query.text)
    names = "|".join(re.escape(name) for name in terms)
    # an opening parenthesis of a BIND or of a SELECT expression, not of a function call
    opening = r"(?:\bBIND\s*|(?<![\w)]))\("
    pattern = rf"{opening}\s*(?:\(\s*)*[?$]({names})(?:\s*\))*\s+AS\b"
    found = re.search(pattern, bare, re.IGNORECASE)
    if found is None:
        return
    name = found.group(1)
    line = bare.count("\n", 0, found.start()) + 1
    source = str(query.path) if query.path else "query"
    raise QueryError(
        f"{source}:{line}: the parameter ?{name} is copied into another variable, which "
        f"pyoxigraph leaves unbound when ?{name} is given a value; use ?{name} itself "
        "wherever its value is needed",
        line=line,
    )


def adhoc(text: str, name: str = "query") -> NamedQuery:
    """A query given as text (an HTTP request, an editor) rather than from a file."""
    return NamedQuery(name=name, text=text)
