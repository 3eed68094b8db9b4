"""What `cancergraph check` looks at, and each file parsed once for every check.

Files are sorted into ontology, shapes, queries and examples by the nearest folder
of that name; an RDF file outside such a folder is sorted by what it declares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import yaml
from rdflib import Graph

from cancergraph import formats, rdf_errors, resources, store
from cancergraph.checks.findings import display_path
from cancergraph.checks.locate import SourceText
from cancergraph.errors import UserError
from cancergraph.reasoning import Classification
from cancergraph.report import Report
from cancergraph.vocab import SHAPE_CLASSES

T = TypeVar("T")
KINDS = ("ontology", "shapes", "queries", "examples")
RDF_KINDS = ("ontology", "shapes", "examples")
# How a shape class is spelt in a file: in full, or with the usual prefix.
SHAPE_TYPES = tuple(
    spelling.encode()
    for shape_class in SHAPE_CLASSES
    for spelling in (str(shape_class), "sh:" + str(shape_class).rsplit("#", 1)[1])
)
GOLDEN_SUFFIX = ".expected.json"


class CheckInputError(UserError):
    """A path given to `cancergraph check` that it cannot look at."""


@dataclass(frozen=True)
class Workspace:
    """The files to check, by kind; `documents` are YAML and JSON files that must parse."""

    ontology: tuple[Path, ...] = ()
    shapes: tuple[Path, ...] = ()
    queries: tuple[Path, ...] = ()
    examples: tuple[Path, ...] = ()
    documents: tuple[Path, ...] = ()

    @classmethod
    def project(cls) -> Workspace:
        root = resources.project_root()
        return cls.from_paths([root / kind for kind in KINDS if (root / kind).is_dir()])

    @classmethod
    def from_paths(cls, paths: Sequence[str | Path]) -> Workspace:
        found: dict[str, list[Path]] = {kind: [] for kind in (*KINDS, "documents")}
        for given in paths:
            path = Path(given)
            if not path.exists():
                raise CheckInputError(f"{given}: no such file or folder")
            if path.is_dir():
                for item in sorted(p for p in path.rglob("*") if p.is_file()):
                    if not any(part.startswith(".") for part in item.relative_to(path).parts):
                        kind = classify(item)
                        if kind is not None:
                            found[kind].append(item)
            else:
                kind = classify(path)
                if kind is None:
                    raise CheckInputError(
                        f"{given}: not a file cancergraph check reads (RDF, .rq, YAML or JSON)"
                    )
                found[kind].append(path)
        unique = {kind: tuple(dict.fromkeys(paths)) for kind, paths in found.items()}
        return cls(**unique)

    def all_files(self) -> list[Path]:
        return [*self.ontology, *self.shapes, *self.queries, *self.examples, *self.documents]

    def summary(self) -> dict[str, list[str]]:
        return {
            kind: [display_path(p) for p in getattr(self, kind)] for kind in (*KINDS, "documents")
        }


def classify(path: Path) -> str | None:
    """Which kind of file this is, or None for a file the check does not read."""
    if path.suffix.lower() == ".rq":
        return "queries"
    if is_document(path):
        return "documents"
    try:
        formats.from_path(path)
    except formats.UnknownFormatError:
        return None
    for part in reversed(path.resolve().parent.parts):
        if part in RDF_KINDS:
            return part
    return sniff(path)


def is_document(path: Path) -> bool:
    """A YAML file or a golden file: data that must parse, rather than RDF."""
    return path.suffix.lower() in (".yaml", ".yml") or path.name.endswith(GOLDEN_SUFFIX)


def sniff(path: Path) -> str:
    """An RDF file outside the usual folders: ontology, shapes or an example by content."""
    data = path.read_bytes()
    if b"http://www.w3.org/2002/07/owl#Ontology" in data or b"owl:Ontology" in data:
        return "ontology"
    if any(t in data for t in SHAPE_TYPES):
        return "shapes"
    return "examples"


def golden_path(example: Path) -> Path:
    return example.with_name(example.name[: -len(example.suffix)] + GOLDEN_SUFFIX)


@dataclass(frozen=True)
class ParseError:
    message: str
    line: int | None = None


def default_validate(path: Path) -> Report:
    from cancergraph.validation import validate

    return validate(store.load([store.Source.from_path(path)]), sources=[str(path)], owned=True)


def default_classify(graph: Graph) -> Classification:
    from cancergraph import reasoning

    return reasoning.classify(graph)


def default_consistent(graph: Graph) -> bool:
    from cancergraph import reasoning

    return reasoning.consistent(graph)


@dataclass
class Context:
    """Everything the checks share: the files, settings, and caches so each file parses once.

    The reasoner and the example validator can be swapped, so that tests reuse
    results that are slow to compute.
    """

    workspace: Workspace
    profile: dict[str, str]
    spec: Path | None = None
    classify: Callable[[Graph], Classification] = default_classify
    # HermiT asked only whether a graph is consistent, which is quicker than `classify`
    consistent: Callable[[Graph], bool] = default_consistent
    validate_example: Callable[[Path], Report] = default_validate
    _texts: dict[Path, str | None] = field(default_factory=dict)
    _quads: dict[Path, list[ox.Quad] | None] = field(default_factory=dict)
    _errors: dict[Path, ParseError] = field(default_factory=dict)
    _graphs: dict[Path, Graph] = field(default_factory=dict)
    _sources: dict[Path, SourceText] = field(default_factory=dict)
    _merged: dict[tuple[Path, ...], Graph] = field(default_factory=dict)
    _memo: dict[str, object] = field(default_factory=dict)
    # checks that will not run, by name, and why; the runner fills it before running any
    blocked: dict[str, str] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A result several checks need, computed once per run."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def example_report(self, path: Path) -> Report:
        """An example's validation report, made once per run for the checks that need it."""
        return self.memo(f"report:{path}", lambda: self.validate_example(path))

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                self._texts[path] = None
                self._errors[path] = ParseError("not UTF-8 text")
            except OSError as err:
                self._texts[path] = None
                self._errors[path] = ParseError(f"cannot read: {err.strerror}")
        return self._texts[path]

    def source(self, path: Path) -> SourceText:
        if path not in self._sources:
            self._sources[path] = SourceText(self.text(path) or "")
        return self._sources[path]

    def line_of(self, path: Path, iri: str) -> int | None:
        return self.source(path).line_of(iri)

    def quads(self, path: Path) -> list[ox.Quad] | None:
        """The file's RDF statements, or None when it does not parse (see `error`)."""
        if path not in self._quads:
            self._quads[path] = self._parse_rdf(path)
        return self._quads[path]

    def _parse_rdf(self, path: Path) -> list[ox.Quad] | None:
        text = self.text(path)
        if text is None:
            return None
        fmt = formats.from_path(path)
        if not text.strip():
            self._errors[path] = ParseError("the file is empty")
            return None
        data = text.encode("utf-8")
        try:
            quads = list(ox.parse(data, format=fmt.oxigraph))
        except SyntaxError as err:
            line, _, message = rdf_errors.syntax_error(fmt, err, data)
            self._errors[path] = ParseError(message, line)
        except (ValueError, OSError) as err:
            self._errors[path] = ParseError(f"cannot read as {fmt.name}: {err}")
        else:
            lost = rdf_errors.loss(data, fmt)
            if lost is None:
                return quads
            line, _, why = lost
            self._errors[path] = ParseError(why, line)
        return None

    def document(self, path: Path) -> object | None:
        """A YAML or JSON file's data, or None when it does not parse (see `error`)."""
        text = self.text(path)
        if text is None:
            return None
        try:
            if path.suffix.lower() == ".json":
                return json.loads(text)
            return yaml.safe_load(text)
        except json.JSONDecodeError as err:
            self._errors[path] = ParseError(f"JSON syntax error: {err.msg}", err.lineno)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            problem = getattr(err, "problem", None) or str(err)
            self._errors[path] = ParseError(
                f"YAML syntax error: {problem}", mark.line + 1 if mark else None
            )
        return None

    def error(self, path: Path) -> ParseError | None:
        return self._errors.get(path)

    def graph(self, path: Path) -> Graph | None:
        if path not in self._graphs:
            quads = self.quads(path)
            if quads is None:
                return None
            oxstore = ox.Store()
            oxstore.extend(quads)
            self._graphs[path] = store.to_rdflib(oxstore)
        return self._graphs[path]

    def merged(self, paths: Iterable[Path]) -> Graph:
        """The union of the files that parse, as one graph."""
        key = tuple(paths)
        if key not in self._merged:
            union = Graph()
            for path in key:
                graph = self.graph(path)
                if graph is not None:
                    for triple in graph:
                        union.add(triple)
            self._merged[key] = union
        return self._merged[key]

    def ontology_files(self) -> tuple[Path, ...]:
        """The ontology terms are declared in: the checked one, else the project's."""
        return self.workspace.ontology or tuple(resources.ontology_files())

    def ontology(self) -> Graph:
        """The union of `ontology_files`, parsed here so that a broken file is a finding."""
        return self.merged(self.ontology_files())

    def parses(self, path: Path) -> bool:
        """Whether the file parses: as YAML or JSON data for a document, else as RDF."""
        if is_document(path):
            return self.document(path) is not None or self.error(path) is None
        return self.quads(path) is not None

    def unparsable(self, paths: Iterable[Path]) -> str | None:
        """Why checks that need these files cannot run: the first one that does not parse."""
        for path in paths:
            if not self.parses(path):
                error = self.error(path)
                where = f" at line {error.line}" if error is not None and error.line else ""
                return f"{display_path(path)} does not parse{where}"
        return None

    def subject_file(self, paths: Iterable[Path], iri: str) -> tuple[Path | None, int | None]:
        """The first file that says something about a term, and the line where it does."""
        candidates = list(paths)
        for path in candidates:
            quads = self.quads(path) or []
            if any(isinstance(q.subject, ox.NamedNode) and q.subject.value == iri for q in quads):
                return path, self.line_of(path, iri)
        for path in candidates:
            line = self.source(path).mention_of(iri) if self.text(path) is not None else None
            if line is not None:
                return path, line
        return (candidates[0], None) if candidates else (None, None)
