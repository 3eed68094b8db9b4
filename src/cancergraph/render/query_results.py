"""SPARQL results in the standard formats, and as a table that fits the terminal."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import pyoxigraph as ox

from cancergraph.errors import UserError
from cancergraph.render.printable import printable
from cancergraph.vocab import ABSOLUTE_IRI

SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
ALL_FORMATS = ("table", *SOLUTION_FORMATS, *GRAPH_FORMATS)
PREFIXES = {
    "https://w3id.org/cancergraph/ontology#": "cg:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/shacl#": "sh:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
}


class ResultFormatError(UserError):
    """The requested format does not exist for this kind of result."""


class UnwritableResult(ResultFormatError):
    """The requested format cannot hold what this result holds (pyoxigraph's JSON-LD
    writer takes no RDF 1.2 triple terms)."""


def graph_bytes(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """Triples in a graph format, or UnwritableResult saying which formats can hold them."""
    try:
        return ox.serialize(triples, format=GRAPH_FORMATS[fmt])
    except (OSError, ValueError) as err:
        others = ", ".join(name for name in GRAPH_FORMATS if name != fmt)
        raise UnwritableResult(f"{fmt} cannot hold this graph ({err}); ask for {others}") from None


def media_type(fmt: str) -> str:
    if fmt in SOLUTION_FORMATS:
        return SOLUTION_FORMATS[fmt].media_type
    if fmt in GRAPH_FORMATS:
        return GRAPH_FORMATS[fmt].media_type
    return "text/plain"


def serialize(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    fmt: str,
    width: int | None = None,
    names: Mapping[str, str] | None = None,
) -> bytes:
    """The result in the named format; `table` is for people, the others for programs.

    A table is fitted to `width` columns when one is given, and never cut otherwise;
    it shows IRIs under the prefixes of `names` too (see `short_names`).
    """
    if isinstance(result, ox.QueryTriples):
        chosen = "turtle" if fmt == "table" else fmt
        if chosen not in GRAPH_FORMATS:
            raise ResultFormatError(
                f"CONSTRUCT and DESCRIBE give RDF: use one of {', '.join(GRAPH_FORMATS)}"
            )
        return graph_bytes(result, chosen)
    if isinstance(result, ox.QueryBoolean):
        if fmt in ("json", "xml"):
            return result.serialize(format=SOLUTION_FORMATS[fmt])
        if fmt == "table":
            return (b"true" if bool(result) else b"false") + b"\n"
        raise ResultFormatError("ASK gives a single boolean: use table, json or xml")
    if fmt in GRAPH_FORMATS:
        raise ResultFormatError(
            f"SELECT gives a result table: use one of table, {', '.join(SOLUTION_FORMATS)}"
        )
    if fmt == "table":
        return table(result, width, names).encode("utf-8")
    if fmt not in SOLUTION_FORMATS:
        raise ResultFormatError(
            f"unknown result format {fmt!r}; use one of {', '.join(ALL_FORMATS)}"
        )
    return result.serialize(format=SOLUTION_FORMATS[fmt])


def short_names(*declared: Mapping[str, str]) -> dict[str, str]:
    """Namespaces and the prefix to show each under: the vocabularies' usual ones, then
    those the query and the data declare (prefix to IRI), in that order.

    A namespace keeps the first prefix it is given, and a prefix names one namespace
    only, so that a short IRI always reads back to the one it stands for; relative
    IRIs, which read differently from file to file, are left out.
    """
    found = dict(PREFIXES)
    for prefixes in declared:
        for prefix, namespace in prefixes.items():
            label = f"{prefix}:"
            absolute = ABSOLUTE_IRI.match(namespace) is not None
            if absolute and namespace not in found and label not in found.values():
                found[namespace] = label
    return found


def display(term: object, names: Mapping[str, str] | None = None) -> str:
    """A compact form for people: prefixed IRIs, bare literal values.

    `names` (from `short_names`) replaces the usual prefixes; the longest namespace
    an IRI starts with is used.
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        prefixed = _prefixed(term.value, names if names is not None else PREFIXES)
        return prefixed if prefixed is not None else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _prefixed(iri: str, names: Mapping[str, str]) -> str | None:
    namespace = max(
        (n for n in names if iri.startswith(n) and len(iri) > len(n)), key=len, default=None
    )
    return None if namespace is None else names[namespace] + iri[len(namespace) :]


def table(
    solutions: ox.QuerySolutions,
    width: int | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """The solutions as aligned columns, cut to fit `width` when given (a terminal's).

    Output to a file or a pipe is read by people and programs alike: cutting it would
    lose data, so without a width every cell is shown whole. An IRI no prefix covers
    is cut at its start, as its end (the local name) is what tells one from another.
    """
    blanks: dict[str, str] = {}
    known = names if names is not None else PREFIXES

    def shown(term: object) -> tuple[str, bool]:
        """The cell's text, and whether to cut it at its start (an IRI no prefix covers)."""
        # a parser's blank node labels are long and change from run to run; a table
        # names them in order of appearance, as labels only mean something in one result
        if isinstance(term, ox.BlankNode):
            return blanks.setdefault(term.value, f"_:b{len(blanks) + 1}"), False
        text = display(term, known)
        return printable(text), isinstance(term, ox.NamedNode) and text == term.value

    columns = [variable.value for variable in solutions.variables]
    rows = []
    tails = []  # for each row, the columns of the cells to cut at their start
    for solution in solutions:
        cells = [shown(solution[column]) for column in columns]
        rows.append([text for text, _ in cells])
        tails.append({i for i, (_, from_end) in enumerate(cells) if from_end})
    if not columns:
        return "(no columns)\n"
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(columns)]
    if width is not None:
        widths = _fit(widths, width)
    lines = [_row(columns, widths), "  ".join("-" * w for w in widths)]
    lines.extend(_row(row, widths, cut) for row, cut in zip(rows, tails, strict=True))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _fit(widths: list[int], available: int) -> list[int]:
    """Shrink the widest columns first until the row fits the terminal."""
    widths = list(widths)
    budget = max(available - 2 * (len(widths) - 1), 8 * len(widths))
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= 8:
            break
        widths[widest] -= 1
    return widths


def _row(cells: list[str], widths: list[int], from_end: Collection[int] = ()) -> str:
    shown = []
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        if len(cell) <= width:
            text = cell
        elif i in from_end:
            text = "…" + cell[len(cell) - max(width - 1, 0) :]
        else:
            text = cell[: max(width - 1, 0)] + "…"
        shown.append(text.ljust(width))
    return "  ".join(shown).rstrip()
