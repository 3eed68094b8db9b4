"""Lint of the ontology, in the spirit of ROBOT's `report`, for the project's namespace.

Which checks run, and at which level, comes from the lint profile
(`ontology/lint-profile.yaml`, documented in docs/checks.md): a check the
profile does not list, or lists as `off`, does not run.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DC

from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.usage import own, uses
from cancergraph.checks.workspace import Context
from cancergraph.errors import UserError
from cancergraph.vocab import DCTERMS, OWL, RDF, RDFS, SKOS

GROUP = "lint"
OFF = "off"


def _check(name: str, title: str, description: str, remedy: str) -> Check:
    return Check(name, title, description, GROUP, remedy)


CHECKS = (
    _check(
        "missing-label",
        "Every term has a label",
        "Each class, property and individual of the project's namespace has an rdfs:label.",
        "Add an rdfs:label with a language tag.",
    ),
    _check(
        "missing-definition",
        "Every term has a definition",
        "Each class, property and individual of the project's namespace has a skos:definition.",
        "Add a skos:definition: one sentence saying what the term means.",
    ),
    _check(
        "multiple-labels",
        "At most one label per language",
        "A term has no more than one rdfs:label in each language.",
        "Keep one rdfs:label per language; move the others to skos:altLabel.",
    ),
    _check(
        "multiple-definitions",
        "At most one definition per language",
        "A term has no more than one skos:definition in each language.",
        "Merge the definitions into one.",
    ),
    _check(
        "duplicate-label",
        "Labels are unique",
        "No two terms share a label in the same language (compared ignoring case and "
        "runs of white space), so that people and tools that show labels can tell them apart.",
        "Relabel one of the terms; a property's label can say what it relates "
        "(for example 'has tumour site').",
    ),
    _check(
        "label-whitespace",
        "Labels have no stray white space",
        "A label does not start or end with white space and has no runs of spaces.",
        "Trim the label.",
    ),
    _check(
        "label-formatting",
        "Labels have no formatting characters",
        "A label contains no control or formatting characters (new lines, tabs, "
        "zero-width characters).",
        "Remove the formatting characters from the label.",
    ),
    _check(
        "missing-ontology-title",
        "The ontology has a title",
        "The owl:Ontology header has a dcterms:title.",
        "Add a dcterms:title to the owl:Ontology header.",
    ),
    _check(
        "missing-ontology-description",
        "The ontology has a description",
        "The owl:Ontology header has a dcterms:description.",
        "Add a dcterms:description to the owl:Ontology header.",
    ),
    _check(
        "missing-ontology-license",
        "The ontology has a licence",
        "The owl:Ontology header has a dcterms:license.",
        "Add a dcterms:license (an IRI of the licence) to the owl:Ontology header.",
    ),
    _check(
        "missing-ontology-version-iri",
        "The ontology has a version IRI",
        "The owl:Ontology header has an owl:versionIRI.",
        "Add an owl:versionIRI to the owl:Ontology header.",
    ),
    _check(
        "missing-superclass",
        "Every class has a superclass",
        "Each class of the project's namespace has an asserted superclass or an "
        "equivalent class (an orphan class is often one that was forgotten in the hierarchy).",
        "Add an rdfs:subClassOf, or leave it if the class is meant to be a root.",
    ),
    _check(
        "deprecated-term-use",
        "No deprecated term is used",
        "No term marked owl:deprecated is used in the ontology (other than in its own "
        "description), the shapes, the queries or the examples.",
        "Use the term that replaces it (see its dcterms:isReplacedBy or definition).",
    ),
)
BY_NAME = {check.name: check for check in CHECKS}
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    RDFS.Datatype,
    RDF.Property,
)
HEADER = {
    "missing-ontology-title": ((DCTERMS.title, DC.title), "title (dcterms:title)"),
    "missing-ontology-description": (
        (DCTERMS.description, DC.description),
        "description (dcterms:description)",
    ),
    "missing-ontology-license": ((DCTERMS.license,), "licence (dcterms:license)"),
    "missing-ontology-version-iri": ((OWL.versionIRI,), "version IRI (owl:versionIRI)"),
}


class ProfileError(UserError):
    """A lint profile that cannot be used as it is."""


def load_profile(path: Path) -> dict[str, str]:
    """Check name -> ERROR, WARN, INFO or off, from a YAML mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{path}: no such lint profile") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ProfileError(f"{where}: the lint profile is not valid YAML") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: the lint profile must map check names to levels")
    profile = {}
    for name, value in data.items():
        if name not in BY_NAME:
            known = ", ".join(BY_NAME)
            raise ProfileError(f"{path}: unknown lint check {name!r}; known checks: {known}")
        level = OFF if value is False else str(value)
        if level != OFF and level.upper() not in Level.__members__:
            raise ProfileError(
                f"{path}: {name}: level must be ERROR, WARN, INFO or off, not {value!r}"
            )
        profile[name] = level if level == OFF else level.upper()
    return profile


def level(ctx: Context, name: str) -> Level | None:
    value = ctx.profile.get(name, OFF)
    return None if value == OFF else Level[value]


def active(ctx: Context) -> tuple[Check, ...]:
    if not ctx.workspace.ontology:
        return ()
    found = []
    for check in CHECKS:
        chosen = level(ctx, check.name)
        if chosen is not None:
            found.append(replace(check, level=chosen))
    return tuple(found)


def blocked(ctx: Context) -> dict[str, str]:
    """Lint over part of the ontology would report labels and definitions as missing."""
    reason = ctx.unparsable(ctx.workspace.ontology)
    return dict.fromkeys((check.name for check in CHECKS), reason) if reason else {}


def run(ctx: Context) -> Iterator[Finding]:
    files = [p for p in ctx.workspace.ontology if ctx.graph(p) is not None]
    if not files:
        return
    graph = ctx.merged(ctx.workspace.ontology)
    deprecated = deprecated_terms(graph)
    terms = own_terms(graph)
    emit = _Emitter(ctx, files)
    for term in terms:
        labels = [o for o in graph.objects(term, RDFS.label) if isinstance(o, Literal)]
        definitions = list(graph.objects(term, SKOS.definition))
        # an empty label or definition names or defines nothing
        if not labels:
            yield from emit("missing-label", term, "has no rdfs:label")
        elif not any(str(label).strip() for label in labels):
            yield from emit("missing-label", term, "has only an empty rdfs:label")
        if not definitions:
            yield from emit("missing-definition", term, "has no skos:definition")
        elif not any(str(definition).strip() for definition in definitions):
            yield from emit("missing-definition", term, "has only an empty skos:definition")
        for lang, count in _per_language(labels).items():
            if count > 1:
                yield from emit("multiple-labels", term, f"has {count} rdfs:label{_in(lang)}")
        for lang, count in _per_language(definitions).items():
            if count > 1:
                yield from emit(
                    "multiple-definitions", term, f"has {count} skos:definition{_in(lang)}"
                )
        for label in labels:
            text = str(label)
            if text != text.strip() or "  " in text:
                yield from emit("label-whitespace", term, f"label {text!r} has stray white space")
            if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
                yield from emit(
                    "label-formatting", term, f"label {text!r} has formatting characters"
                )
    yield from _duplicates(graph, terms, deprecated, emit)
    yield from _header(graph, emit)
    for term in terms:
        if (term, RDF.type, OWL.Class) in graph and term not in deprecated:
            parents = set(graph.objects(term, RDFS.subClassOf)) - {OWL.Thing}
            if not parents and graph.value(term, OWL.equivalentClass) is None:
                yield from emit(
                    "missing-superclass", term, "has no asserted superclass or equivalent class"
                )
    yield from _deprecated_uses(ctx, graph, deprecated, emit)


class _Emitter:
    """Findings at the profile's level, located at the first statement about the term."""

    def __init__(self, ctx: Context, files: list[Path]) -> None:
        self.ctx = ctx
        self.files = files

    def __call__(
        self, name: str, term: URIRef | None, message: str, at: URIRef | None = None
    ) -> Iterator[Finding]:
        chosen = level(self.ctx, name)
        if chosen is None:
            return
        if term is None:
            yield Finding(name, chosen, message, display_path(self.files[0]), 1)
            return
        path, line = self.ctx.subject_file(self.files, str(at if at is not None else term))
        shown = display_path(path) if path else display_path(self.files[0])
        yield Finding(name, chosen, message, shown, line, str(term))


def own_terms(graph: Graph) -> list[URIRef]:
    found = {s for s, t in graph.subject_objects(RDF.type) if own(s) and t != OWL.Ontology}
    return sorted(found)  # type: ignore[arg-type]


def deprecated_terms(graph: Graph) -> set[URIRef]:
    return {
        s
        for s, value in graph.subject_objects(OWL.deprecated)
        if isinstance(s, URIRef) and isinstance(value, Literal) and value.toPython() is True
    }


def _per_language(values: list) -> dict[str | None, int]:
    counts: dict[str | None, int] = defaultdict(int)
    for value in values:
        counts[value.language if isinstance(value, Literal) else None] += 1
    return counts


def _in(lang: str | None) -> str:
    return f"s in @{lang}" if lang else "s without a language tag"


def _duplicates(
    graph: Graph, terms: list[URIRef], deprecated: set[URIRef], emit: _Emitter
) -> Iterator[Finding]:
    holders: dict[tuple[str, str | None], list[URIRef]] = defaultdict(list)
    shown: dict[tuple[str, str | None], str] = {}
    for term in terms:
        if term in deprecated:
            continue
        for label in graph.objects(term, RDFS.label):
            if isinstance(label, Literal):
                key = (" ".join(str(label).split()).casefold(), label.language)
                if term not in holders[key]:
                    holders[key].append(term)
                    shown.setdefault(key, str(label))
    for key, same in holders.items():
        if len(same) < 2:
            continue
        for term in same:
            others = ", ".join(compact(o) for o in same if o != term)
            yield from emit(
                "duplicate-label", term, f"shares the label {shown[key]!r} with {others}"
            )


def _header(graph: Graph, emit: _Emitter) -> Iterator[Finding]:
    headers = sorted(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    for name, (predicates, what) in HEADER.items():
        if not headers:
            yield from emit(name, None, f"no owl:Ontology header, so no {what}")
            continue
        for header in headers:
            if not any(graph.value(header, p) is not None for p in predicates):
                yield from emit(name, header, f"the ontology header has no {what}")


def _deprecated_uses(
    ctx: Context, graph: Graph, deprecated: set[URIRef], emit: _Emitter
) -> Iterator[Finding]:
    chosen = level(ctx, "deprecated-term-use")
    if chosen is None or not deprecated:
        return
    for subject, predicate, obj in graph:
        for term in {predicate, obj} & deprecated:
            if subject != term and isinstance(term, URIRef):
                yield from emit(
                    "deprecated-term-use",
                    term,
                    f"{compact(subject)} uses the deprecated term {compact(term)} "
                    f"({compact(predicate)})",
                    at=subject if isinstance(subject, URIRef) else None,
                )
    names = {str(term) for term in deprecated}
    for use in uses(ctx):
        if use.kind != "ontology" and use.term in names:
            yield Finding(
                "deprecated-term-use",
                chosen,
                f"uses the deprecated term {compact(URIRef(use.term))}",
                display_path(use.path),
                ctx.source(use.path).mention_of(use.term),
                use.term,
            )
