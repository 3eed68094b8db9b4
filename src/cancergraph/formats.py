"""RDF serialisation formats: names users type, file extensions and media types."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cancergraph.errors import UserError


@dataclass(frozen=True)
class RdfFormat:
    name: str
    oxigraph: ox.RdfFormat
    rdflib: str
    media_type: str
    extensions: tuple[str, ...]

    @property
    def is_dataset(self) -> bool:
        return self.oxigraph.supports_datasets


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", ox.RdfFormat.TURTLE, "turtle", "text/turtle", (".ttl", ".turtle")),
    RdfFormat("ntriples", ox.RdfFormat.N_TRIPLES, "nt", "application/n-triples", (".nt",)),
    RdfFormat(
        "jsonld", ox.RdfFormat.JSON_LD, "json-ld", "application/ld+json", (".jsonld", ".json")
    ),
    RdfFormat(
        "rdfxml", ox.RdfFormat.RDF_XML, "xml", "application/rdf+xml", (".rdf", ".owl", ".xml")
    ),
    RdfFormat("trig", ox.RdfFormat.TRIG, "trig", "application/trig", (".trig",)),
    RdfFormat("nquads", ox.RdfFormat.N_QUADS, "nquads", "application/n-quads", (".nq",)),
)

BY_NAME = {f.name: f for f in FORMATS}
FORMAT_NAMES = tuple(BY_NAME)


class UnknownFormatError(UserError, ValueError):
    """The format could not be told, or its name is not one we read."""


def by_name(name: str) -> RdfFormat:
    try:
        return BY_NAME[name.lower()]
    except KeyError:
        raise UnknownFormatError(
            f"unknown RDF format {name!r}; expected one of: {', '.join(FORMAT_NAMES)}"
        ) from None


def from_path(path: Path) -> RdfFormat:
    suffix = path.suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    shown = suffix or "(none)"
    raise UnknownFormatError(
        f"{path}: cannot tell the RDF format from the file extension {shown}; "
        f"name it with --input-format (one of: {', '.join(FORMAT_NAMES)})"
    )


def from_media_type(media_type: str) -> RdfFormat:
    base = media_type.split(";", 1)[0].strip().lower()
    for fmt in FORMATS:
        if base == fmt.media_type:
            return fmt
    if base in {"application/x-turtle", "application/turtle"}:
        return BY_NAME["turtle"]
    if base in {"text/plain"}:
        return BY_NAME["ntriples"]
    if base in {"application/json"}:
        return BY_NAME["jsonld"]
    raise UnknownFormatError(f"unsupported RDF media type {base!r}")
