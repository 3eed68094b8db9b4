"""A semantic diff of two versions of the ontology and shapes, for review.

Graphs are compared statement by statement, not line by line, so order, prefixes
and blank node labels do not count. A statement whose object is a blank node
structure (a restriction, a list, a property shape) is compared as one whole,
written out in a canonical nested form: blank nodes in OWL and SHACL in Turtle
form trees, so equal structures give equal text.

A version is a file, a folder, or a git revision of the current repository.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph import formats, store
from cancergraph.errors import UserError
from cancergraph.rules import SEVERITIES
from cancergraph.turtle_text import nested
from cancergraph.vocab import (
    CG,
    CGS,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    RDF,
    RDFS,
    SH,
    SHAPE_CLASSES,
    SHAPE_PREDICATES,
    SKOS,
    XSD,
)

LAYOUT = ("ontology", "shapes")
SHORT = {
    str(CG): "cg",
    str(CGS): "cgs",
    str(ORG): "org",
    str(FOAF): "foaf",
    "http://www.w3.org/ns/prov#": "prov",
    str(SKOS): "skos",
    str(DCTERMS): "dcterms",
    str(OWL): "owl",
    str(RDF): "rdf",
    str(RDFS): "rdfs",
    str(XSD): "xsd",
    str(SH): "sh",
}
KINDS = {
    "class": (OWL.Class, RDFS.Class),
    "property": (
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        RDF.Property,
    ),
    "individual": (OWL.NamedIndividual,),
}
DECLARATIONS = {t for types in KINDS.values() for t in types}
# A shape of the diff is a named node that SHACL takes for a shape, or that carries a rule id.
SHAPE_MARKERS = (*SHAPE_PREDICATES, CG.ruleId)
LONGEST_LITERAL = 80


class DiffInputError(UserError):
    """A version to compare that cannot be found or read."""


# -- reading versions ---------------------------------------------------------


@dataclass
class Version:
    name: str
    ontology: Graph = field(default_factory=Graph)
    shapes: Graph = field(default_factory=Graph)

    def add(self, name: str, data: bytes, kind: str | None = None) -> None:
        """Parse one file and add it to the ontology or the shapes (told by content if unsaid)."""
        try:
            fmt = formats.from_path(Path(name))
        except formats.UnknownFormatError:
            return
        quads = store.parse_source(store.Source(name=name, data=data, format=fmt))
        if kind is None:
            shaped = any(q.predicate.value.startswith(str(SH)) for q in quads)
            kind = "shapes" if shaped else "ontology"
        parsed = ox.Store()
        parsed.extend(quads)
        target = self.shapes if kind == "shapes" else self.ontology
        for triple in store.to_rdflib(parsed):
            target.add(triple)


def load(spec: str) -> Version:
    """A file or folder if one exists by that name, else a git revision."""
    path = Path(spec)
    if path.exists():
        return from_path(path, spec)
    if is_revision(spec):
        return from_revision(spec)
    raise DiffInputError(f"{spec}: neither a file, a folder nor a git revision")


def from_path(path: Path, name: str) -> Version:
    version = Version(name)
    if path.is_file():
        version.add(str(path), path.read_bytes())
        return version
    if any((path / kind).is_dir() for kind in LAYOUT):
        for kind in LAYOUT:
            for item in sorted((path / kind).rglob("*")) if (path / kind).is_dir() else []:
                if item.is_file():
                    version.add(str(item), item.read_bytes(), kind)
        return version
    for item in sorted(path.rglob("*")):
        if item.is_file():
            version.add(str(item), item.read_bytes())
    return version


def git(*args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffInputError("git is not installed, so revisions cannot be read") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or "git failed"
        raise DiffInputError(f"git {' '.join(args)}: {message}")
    return done.stdout


def is_revision(spec: str) -> bool:
    try:
        git("rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except DiffInputError:
        return False
    return True


def from_revision(spec: str) -> Version:
    """The ontology/ and shapes/ folders at the top of the repository, at a revision."""
    commit = git("rev-parse", "--verify", f"{spec}^{{commit}}").decode().strip()
    top = git("rev-parse", "--show-toplevel").decode().strip()
    listing = git("-C", top, "ls-tree", "-r", "--name-only", commit, "--", *LAYOUT).decode()
    version = Version(spec)
    for name in sorted(listing.splitlines()):
        kind = name.split("/", 1)[0]
        version.add(f"{spec}:{name}", git("-C", top, "show", f"{commit}:{name}"), kind)
    return version


# -- writing terms and statements -------------------------------------------------


class Writer:
    """Nodes as canonical keys (full IRIs) and as text for people (names and labels)."""

    def __init__(self, graphs: Iterable[Graph]) -> None:
        self.labels: dict[Node, str] = {}
        for graph in reversed(list(graphs)):  # earlier graphs win
            for subject, label in graph.subject_objects(RDFS.label):
                if isinstance(label, Literal) and label.language in (None, "en"):
                    self.labels[subject] = " ".join(str(label).split())

    def name(self, node: Node) -> str:
        text = str(node)
        for namespace, prefix in SHORT.items():
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"

    def term(self, node: Node) -> str:
        label = self.labels.get(node)
        return f"{self.name(node)} '{label}'" if label else self.name(node)

    def literal(self, node: Literal) -> str:
        text = " ".join(str(node).split())
        if len(text) > LONGEST_LITERAL:
            text = text[: LONGEST_LITERAL - 1] + "…"
        shown = '"' + text.replace('"', '\\"') + '"'
        if node.language:
            return f"{shown}@{node.language}"
        if node.datatype is not None:
            return f"{shown}^^{self.name(node.datatype)}"
        return shown

    def key(self, graph: Graph, node: Node) -> str:
        return nested(graph, node, lambda n: n.n3(), lambda n: n.n3(), lambda p: p.n3(), set())

    def text(self, graph: Graph, node: Node) -> str:
        return nested(graph, node, self.term, self.literal, self.predicate, set())

    def predicate(self, node: Node) -> str:
        return "a" if node == RDF.type else self.name(node)


@dataclass(frozen=True)
class Statement:
    """One top-level statement (its blank-node objects included), or a whole root blank node."""

    key: str
    subject: Node
    predicate: Node | None
    obj: Node | None
    text: str


def statements(graph: Graph, writer: Writer) -> dict[str, Statement]:
    found: dict[str, Statement] = {}
    for s, p, o in graph:
        if isinstance(s, URIRef):
            key = f"{s.n3()} {p.n3()} {writer.key(graph, o)}"
            text = f"{writer.term(s)} {writer.predicate(p)} {writer.text(graph, o)}"
            found[key] = Statement(key, s, p, o, text)
        elif isinstance(s, BNode) and next(graph.subjects(None, s), None) is None:
            key = writer.key(graph, s)
            found.setdefault(key, Statement(key, s, None, None, writer.text(graph, s)))
    return found


# -- comparing ------------------------------------------------------------------


def term_kinds(graph: Graph) -> dict[URIRef, str]:
    found: dict[URIRef, str] = {}
    for kind in reversed(list(KINDS)):  # a class wins over a punned individual
        for rdf_type in KINDS[kind]:
            for subject in graph.subjects(RDF.type, rdf_type):
                if isinstance(subject, URIRef):
                    found[subject] = kind
    return found


def _values(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    return sorted(" ".join(str(o).split()) for o in graph.objects(subject, predicate))


def shapes_of(graph: Graph) -> set[URIRef]:
    found = {s for t in SHAPE_CLASSES for s in graph.subjects(RDF.type, t)}
    found |= {s for p in SHAPE_MARKERS for s in graph.subjects(p, None)}
    return {s for s in found if isinstance(s, URIRef)}


def severities(graph: Graph) -> dict[URIRef, str]:
    return {
        shape: SEVERITIES.get(graph.value(shape, SH.severity), "Violation")
        for shape in shapes_of(graph)
    }


def rule_ids(graph: Graph) -> dict[str, URIRef]:
    return {str(rule): s for s, rule in graph.subject_objects(CG.ruleId) if isinstance(s, URIRef)}


@dataclass
class SemanticDiff:
    old: str
    new: str
    terms: dict[str, dict[str, list[dict[str, object]]]]
    axioms: dict[str, list[str]]
    shapes: dict[str, list[dict[str, object]]]
    rules: dict[str, list[str]]
    severities: list[dict[str, str | None]]
    shape_statements: dict[str, list[str]]

    @property
    def empty(self) -> bool:
        return not (
            any(v for changes in self.terms.values() for v in changes.values())
            or any(self.axioms.values())
            or any(self.shapes.values())
            or any(self.rules.values())
            or self.severities
            or any(self.shape_statements.values())
        )

    def as_data(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "empty": self.empty,
            "classes": self.terms["class"],
            "properties": self.terms["property"],
            "individuals": self.terms["individual"],
            "axioms": self.axioms,
            "shapes": self.shapes,
            "rule_ids": self.rules,
            "severities": self.severities,
            "shape_statements": self.shape_statements,
        }


def compare(old: Version, new: Version) -> SemanticDiff:
    writer = Writer([new.ontology, new.shapes, old.ontology, old.shapes])
    writers = (Writer([old.ontology, old.shapes, new.ontology, new.shapes]), writer)
    terms, covered = _terms(old.ontology, new.ontology, writer)
    axioms = _changes(
        statements(old.ontology, writers[0]),
        statements(new.ontology, writers[1]),
        keep=lambda s: (
            (s.subject, s.predicate, s.obj) not in covered
            and (s.subject, s.predicate, None) not in covered
        ),
    )
    shapes, shape_statements = _shapes(old.shapes, new.shapes, writers)
    old_rules, new_rules = rule_ids(old.shapes), rule_ids(new.shapes)
    return SemanticDiff(
        old=old.name,
        new=new.name,
        terms=terms,
        axioms=axioms,
        shapes=shapes,
        rules={
            "added": sorted(set(new_rules) - set(old_rules)),
            "removed": sorted(set(old_rules) - set(new_rules)),
        },
        severities=_severity_changes(old.shapes, new.shapes, writer),
        shape_statements=shape_statements,
    )


def _terms(
    old: Graph, new: Graph, writer: Writer
) -> tuple[dict[str, dict[str, list[dict[str, object]]]], set[tuple[Node, Node, Node | None]]]:
    """Terms added, removed, relabelled, redefined; and the statements those reports
    already cover, as (subject, predicate, object or None for any), so the axiom lists
    do not repeat them."""
    old_kinds, new_kinds = term_kinds(old), term_kinds(new)
    covered: set[tuple[Node, Node, Node | None]] = set()
    result: dict[str, dict[str, list[dict[str, object]]]] = {}
    for kind in KINDS:
        before = {t for t, k in old_kinds.items() if k == kind}
        after = {t for t, k in new_kinds.items() if k == kind}
        changes: dict[str, list[dict[str, object]]] = {
            "added": [],
            "removed": [],
            "relabelled": [],
            "redefined": [],
        }
        for label, terms in (("added", after - before), ("removed", before - after)):
            for term in sorted(terms):
                changes[label].append(
                    {"term": writer.name(term), "iri": str(term), "label": writer.labels.get(term)}
                )
                covered |= {(term, RDFS.label, None), (term, SKOS.definition, None)}
                covered |= {(term, RDF.type, declared) for declared in DECLARATIONS}
        for term in sorted(before & after):
            for label, predicate in (("relabelled", RDFS.label), ("redefined", SKOS.definition)):
                was, now = _values(old, term, predicate), _values(new, term, predicate)
                if was != now:
                    changes[label].append(
                        {"term": writer.name(term), "iri": str(term), "old": was, "new": now}
                    )
                    covered.add((term, predicate, None))
        result[kind] = changes
    return result, covered


def _changes(
    before: dict[str, Statement],
    after: dict[str, Statement],
    keep: Callable[[Statement], bool] = lambda statement: True,
) -> dict[str, list[str]]:
    """Statements added and removed, each written with the labels of its own version."""

    def shown(found: dict[str, Statement], keys: set[str]) -> list[str]:
        return sorted(found[k].text for k in keys if keep(found[k]))

    return {
        "added": shown(after, set(after) - set(before)),
        "removed": shown(before, set(before) - set(after)),
    }


def _shapes(
    old: Graph, new: Graph, writers: tuple[Writer, Writer]
) -> tuple[dict[str, list[dict[str, object]]], dict[str, list[str]]]:
    """Shapes added, removed and changed (with the properties that changed); and the
    statements of the shapes graph about anything else (prefix declarations)."""
    before, after = shapes_of(old), shapes_of(new)
    old_statements, new_statements = statements(old, writers[0]), statements(new, writers[1])

    def entry(shape: URIRef, graph: Graph, writer: Writer) -> dict[str, object]:
        rules = {s: r for r, s in rule_ids(graph).items()}
        return {
            "shape": writer.name(shape),
            "rule": rules.get(shape),
            "label": writer.labels.get(shape),
        }

    changed = []
    for shape in sorted(before & after):
        was = {k for k, s in old_statements.items() if s.subject == shape}
        now = {k for k, s in new_statements.items() if s.subject == shape}
        if was != now:
            differing = {old_statements[k].predicate for k in was - now}
            differing |= {new_statements[k].predicate for k in now - was}
            names = sorted(writers[1].name(p) for p in differing if p is not None)
            changed.append({**entry(shape, new, writers[1]), "changed": names})
    shapes = {
        "added": [entry(s, new, writers[1]) for s in sorted(after - before)],
        "removed": [entry(s, old, writers[0]) for s in sorted(before - after)],
        "changed": changed,
    }
    every = before | after
    others = _changes(old_statements, new_statements, keep=lambda s: s.subject not in every)
    return shapes, others


def _severity_changes(old: Graph, new: Graph, writer: Writer) -> list[dict[str, str | None]]:
    before, after = severities(old), severities(new)
    rules = {s: r for r, s in rule_ids(new).items()}
    return [
        {
            "rule": rules.get(shape),
            "shape": writer.name(shape),
            "old": before[shape],
            "new": after[shape],
        }
        for shape in sorted(set(before) & set(after))
        if before[shape] != after[shape]
    ]


# -- Markdown for a pull-request comment ------------------------------------------

KIND_TITLES = {"class": "Classes", "property": "Properties", "individual": "Individuals"}


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _named(entry: dict[str, object]) -> str:
    label = entry.get("label")
    return _code(str(entry["term"])) + (f" '{label}'" if label else "")


def _either(values: object) -> str:
    items = list(values) if isinstance(values, list) else []
    return " / ".join(_code(f'"{v}"') for v in items) if items else "(none)"


def markdown(diff: SemanticDiff) -> str:
    lines = [
        f"### Semantic diff of the ontology and shapes: {_code(diff.old)} → {_code(diff.new)}",
        "",
    ]
    if diff.empty:
        lines.append("No semantic differences.")
        return "\n".join(lines) + "\n"
    for kind, title in KIND_TITLES.items():
        changes = diff.terms[kind]
        if not any(changes.values()):
            continue
        lines += [f"#### {title}", ""]
        for entry in changes["added"]:
            lines.append(f"- added: {_named(entry)}")
        for entry in changes["removed"]:
            lines.append(f"- removed: {_named(entry)}")
        for entry in changes["relabelled"]:
            lines.append(
                f"- relabelled: {_code(str(entry['term']))}: "
                f"{_either(entry['old'])} → {_either(entry['new'])}"
            )
        for entry in changes["redefined"]:
            lines.append(
                f"- redefined: {_code(str(entry['term']))}: "
                f"{_either(entry['old'])} → {_either(entry['new'])}"
            )
        lines.append("")
    for label, title in (("added", "Axioms added"), ("removed", "Axioms removed")):
        if diff.axioms[label]:
            lines += [f"#### {title}", ""]
            lines += [f"- {_code(text)}" for text in diff.axioms[label]]
            lines.append("")
    if any(diff.shapes.values()):
        lines += ["#### Shapes", ""]
        for label in ("added", "removed"):
            for entry in diff.shapes[label]:
                rule = f" (rule {entry['rule']})" if entry.get("rule") else ""
                title = f" '{entry['label']}'" if entry.get("label") else ""
                lines.append(f"- {label}: {_code(str(entry['shape']))}{title}{rule}")
        for entry in diff.shapes["changed"]:
            rule = f" (rule {entry['rule']})" if entry.get("rule") else ""
            what = ", ".join(_code(str(p)) for p in entry["changed"])  # type: ignore[union-attr]
            lines.append(f"- changed: {_code(str(entry['shape']))}{rule}: {what}")
        lines.append("")
    if any(diff.rules.values()):
        lines += ["#### Rule ids", ""]
        for label in ("added", "removed"):
            if diff.rules[label]:
                lines.append(f"- {label}: " + ", ".join(diff.rules[label]))
        lines.append("")
    if diff.severities:
        lines += [
            "#### Severities changed",
            "",
            "| rule | shape | old | new |",
            "|---|---|---|---|",
        ]
        for change in diff.severities:
            lines.append(
                f"| {change['rule'] or ''} | {_code(str(change['shape']))} | "
                f"{change['old']} | {change['new']} |"
            )
        lines.append("")
    for label, title in (
        ("added", "Other shape statements added"),
        ("removed", "Other shape statements removed"),
    ):
        if diff.shape_statements[label]:
            lines += [f"#### {title}", ""]
            lines += [f"- {_code(text)}" for text in diff.shape_statements[label]]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
