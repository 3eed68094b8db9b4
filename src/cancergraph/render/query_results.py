"""SPARQL results in the standard formats, and as a table that fits the terminal."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from cancergraph.errors import UserError
from cancergraph.render.printable import printable

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
) -> bytes:
    """The result in the named format; `table` is for people, the others for programs.

    A table is fitted to `width` columns when one is given, and never cut otherwise.
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
        return table(result, width).encode("utf-8")
    if fmt not in SOLUTION_FORMATS:
        raise ResultFormatError(
            f"unknown result format {fmt!r}; use one of {', '.join(ALL_FORMATS)}"
        )
    return result.serialize(format=SOLUTION_FORMATS[fmt])


def display(term: object) -> str:
    """A compact form for people: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for namespace, prefix in PREFIXES.items():
            if term.value.startswith(namespace):
                return prefix + term.value[len(namespace) :]
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(solutions: ox.QuerySolutions, width: int | None = None) -> str:
    """The solutions as aligned columns, cut to fit `width` when given (a terminal's).

    Output to a file or a pipe is read by people and programs alike: cutting it would
    lose data, so without a width every cell is shown whole.
    """
    names = [variable.value for variable in solutions.variables]
    blanks: dict[str, str] = {}

    def shown(term: object) -> str:
        # a parser's blank node labels are long and change from run to run; a table
        # names them in order of appearance, as labels only mean something in one result
        if isinstance(term, ox.BlankNode):
            return blanks.setdefault(term.value, f"_:b{len(blanks) + 1}")
        return printable(display(term))

    rows = [[shown(solution[name]) for name in names] for solution in solutions]
    if not names:
        return "(no columns)\n"
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    if width is not None:
        widths = _fit(widths, width)
    lines = [_row(names, widths), "  ".join("-" * w for w in widths)]
    lines.extend(_row(row, widths) for row in rows)
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


def _row(cells: list[str], widths: list[int]) -> str:
    shown = []
    for cell, width in zip(cells, widths, strict=True):
        text = cell if len(cell) <= width else cell[: max(width - 1, 0)] + "…"
        shown.append(text.ljust(width))
    return "  ".join(shown).rstrip()
