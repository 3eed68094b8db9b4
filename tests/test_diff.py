"""`cancergraph diff`: the semantic diff of two versions of the ontology and shapes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from cancergraph import semantic_diff
from cancergraph.cli import main
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "diff"
CG = "https://w3id.org/cancergraph/ontology#"

EXPECTED_MARKDOWN = """\
### Semantic diff of the ontology and shapes: `old` → `new`

#### Classes

- added: `cg:Forum` 'forum'
- relabelled: `cg:Committee`: `"committee"` → `"standing committee"`
- redefined: `cg:Panel`: `"A board of experts."` → `"A small board of experts."`

#### Properties

- added: `cg:meetsIn` 'meets in'
- removed: `cg:budget` 'budget'

#### Axioms added

- `<https://w3id.org/cancergraph/ontology> owl:versionIRI <https://w3id.org/cancergraph/ontology/2>`
- `[ a owl:AllDisjointClasses ; owl:members ( cg:Panel 'panel' cg:Committee 'standing committee' \
cg:Forum 'forum' ) ]`
- `cg:Forum 'forum' rdfs:subClassOf cg:Board 'board'`
- `cg:chairs 'chairs' rdfs:range cg:Panel 'panel'`
- `cg:meetsIn 'meets in' a owl:FunctionalProperty`

#### Axioms removed

- `<https://w3id.org/cancergraph/ontology> owl:versionIRI <https://w3id.org/cancergraph/ontology/1>`
- `[ a owl:AllDisjointClasses ; owl:members ( cg:Panel 'panel' cg:Committee 'committee' ) ]`
- `cg:chairs 'chairs' rdfs:range cg:Board 'board'`

#### Shapes

- added: `cgs:X-04` 'Forums meet somewhere' (rule X-04)
- removed: `cgs:X-03` 'Committees have a budget' (rule X-03)
- changed: `cgs:X-02` (rule X-02): `sh:property`, `sh:severity`

#### Rule ids

- added: X-04
- removed: X-03

#### Severities changed

| rule | shape | old | new |
|---|---|---|---|
| X-02 | `cgs:X-02` | Warning | Info |

#### Other shape statements added

- `cgs:prefixes sh:declare [ sh:namespace "http://www.w3.org/2000/01/rdf-schema#"^^xsd:anyURI ; \
sh:prefix "rdfs" ]`
"""


def fixture_diff() -> semantic_diff.SemanticDiff:
    return semantic_diff.compare(
        semantic_diff.from_path(FIXTURES / "old", "old"),
        semantic_diff.from_path(FIXTURES / "new", "new"),
    )


def term(name: str, label: str) -> dict[str, object]:
    return {"term": f"cg:{name}", "iri": CG + name, "label": label}


def test_the_fixture_diff_as_markdown() -> None:
    assert semantic_diff.markdown(fixture_diff()) == EXPECTED_MARKDOWN


def test_the_fixture_diff_as_data() -> None:
    none: dict[str, list] = {"added": [], "removed": [], "relabelled": [], "redefined": []}
    data = fixture_diff().as_data()
    assert data == {
        "old": "old",
        "new": "new",
        "empty": False,
        "classes": {
            **none,
            "added": [term("Forum", "forum")],
            "relabelled": [
                {
                    "term": "cg:Committee",
                    "iri": CG + "Committee",
                    "old": ["committee"],
                    "new": ["standing committee"],
                }
            ],
            "redefined": [
                {
                    "term": "cg:Panel",
                    "iri": CG + "Panel",
                    "old": ["A board of experts."],
                    "new": ["A small board of experts."],
                }
            ],
        },
        "properties": {
            **none,
            "added": [term("meetsIn", "meets in")],
            "removed": [term("budget", "budget")],
        },
        "individuals": none,
        "axioms": {
            "added": [
                "<https://w3id.org/cancergraph/ontology> owl:versionIRI "
                "<https://w3id.org/cancergraph/ontology/2>",
                "[ a owl:AllDisjointClasses ; owl:members ( cg:Panel 'panel' "
                "cg:Committee 'standing committee' cg:Forum 'forum' ) ]",
                "cg:Forum 'forum' rdfs:subClassOf cg:Board 'board'",
                "cg:chairs 'chairs' rdfs:range cg:Panel 'panel'",
                "cg:meetsIn 'meets in' a owl:FunctionalProperty",
            ],
            "removed": [
                "<https://w3id.org/cancergraph/ontology> owl:versionIRI "
                "<https://w3id.org/cancergraph/ontology/1>",
                "[ a owl:AllDisjointClasses ; owl:members ( cg:Panel 'panel' "
                "cg:Committee 'committee' ) ]",
                "cg:chairs 'chairs' rdfs:range cg:Board 'board'",
            ],
        },
        "shapes": {
            "added": [{"shape": "cgs:X-04", "rule": "X-04", "label": "Forums meet somewhere"}],
            "removed": [{"shape": "cgs:X-03", "rule": "X-03", "label": "Committees have a budget"}],
            "changed": [
                {
                    "shape": "cgs:X-02",
                    "rule": "X-02",
                    "label": "Panels have a chair",
                    "changed": ["sh:property", "sh:severity"],
                }
            ],
        },
        "rule_ids": {"added": ["X-04"], "removed": ["X-03"]},
        "severities": [{"rule": "X-02", "shape": "cgs:X-02", "old": "Warning", "new": "Info"}],
        "shape_statements": {
            "added": [
                'cgs:prefixes sh:declare [ sh:namespace "http://www.w3.org/2000/01/rdf-schema#"'
                '^^xsd:anyURI ; sh:prefix "rdfs" ]'
            ],
            "removed": [],
        },
    }


def reserialise(source: Path, target: Path, fmt: str, suffix: str) -> None:
    """The same graph written by another serialiser, with other prefixes and order."""
    graph = Graph(bind_namespaces="none").parse(source)
    other = Graph(bind_namespaces="none")
    for triple in graph:
        other.add(triple)
    other.bind("onto", CG)
    target.mkdir(parents=True, exist_ok=True)
    other.serialize(target / (source.stem + suffix), format=fmt, encoding="utf-8")


@pytest.mark.parametrize(("fmt", "suffix"), [("turtle", ".ttl"), ("nt", ".nt")])
def test_a_reserialised_project_diffs_as_empty(tmp_path: Path, fmt: str, suffix: str) -> None:
    for kind in ("ontology", "shapes"):
        for path in sorted((ROOT / kind).glob("*.ttl")):
            reserialise(path, tmp_path / kind, fmt, suffix)
    diff = semantic_diff.compare(
        semantic_diff.from_path(ROOT, "project"), semantic_diff.from_path(tmp_path, "copy")
    )
    assert diff.empty, semantic_diff.markdown(diff)
    assert semantic_diff.markdown(diff).endswith("No semantic differences.\n")


def test_a_file_against_a_file(capsys) -> None:
    old, new = FIXTURES / "old" / "ontology" / "boards.ttl", FIXTURES / "new" / "ontology"
    assert main(["diff", str(old), str(new / "boards.ttl"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["term"] for c in data["classes"]["added"]] == ["cg:Forum"]
    assert data["shapes"] == {"added": [], "removed": [], "changed": []}


def in_git_repository() -> bool:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=ROOT, capture_output=True
    )
    return done.returncode == 0


needs_git = pytest.mark.skipif(not in_git_repository(), reason="not in a git checkout")


@needs_git
def test_a_revision_against_itself_is_empty(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    diff = semantic_diff.compare(semantic_diff.load("HEAD"), semantic_diff.load("HEAD"))
    assert diff.empty
    head = semantic_diff.load("HEAD")
    assert len(head.ontology) > 500 and len(head.shapes) > 500


@needs_git
def test_a_revision_against_a_changed_folder(monkeypatch, tmp_path: Path) -> None:
    """The committed files, with one class relabelled, differ from HEAD by that only."""
    monkeypatch.chdir(ROOT)
    head = semantic_diff.load("HEAD")
    cls = sorted(s for s in head.ontology.subjects(RDF.type, OWL.Class) if str(s).startswith(CG))[0]
    changed = Graph()
    for triple in head.ontology:
        changed.add(triple)
    changed.remove((cls, RDFS.label, None))
    changed.add((cls, RDFS.label, Literal("renamed for the test", lang="en")))
    (tmp_path / "ontology").mkdir()
    (tmp_path / "shapes").mkdir()
    changed.serialize(tmp_path / "ontology" / "ontology.nt", format="nt", encoding="utf-8")
    head.shapes.serialize(tmp_path / "shapes" / "shapes.nt", format="nt", encoding="utf-8")
    diff = semantic_diff.compare(head, semantic_diff.load(str(tmp_path)))
    name = "cg:" + str(cls)[len(CG) :]
    old = str(head.ontology.value(cls, RDFS.label))
    assert semantic_diff.markdown(diff) == (
        f"### Semantic diff of the ontology and shapes: `HEAD` → `{tmp_path}`\n\n"
        "#### Classes\n\n"
        f'- relabelled: `{name}`: `"{old}"` → `"renamed for the test"`\n'
    )


def test_an_unknown_version_is_a_usage_error(capsys) -> None:
    assert main(["diff", "no-such-version-anywhere", str(FIXTURES / "new")]) == 2
    assert "neither a file, a folder nor a git revision" in capsys.readouterr().err


def test_a_shape_known_only_by_its_constraints_is_a_shape(tmp_path: Path) -> None:
    """A named node shape reached through sh:node has no class or target of its own;
    SHACL still takes it for a shape, and so does the diff, rather than listing its
    statements as other statements of the shapes graph."""
    prefixes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix cgs: <https://w3id.org/cancergraph/shapes#> .\n"
    )
    versions = []
    for name, kind in (("old", "sh:IRI"), ("new", "sh:BlankNodeOrIRI")):
        folder = tmp_path / name / "shapes"
        folder.mkdir(parents=True)
        (folder / "s.ttl").write_text(prefixes + f"cgs:Named sh:nodeKind {kind} .\n")
        versions.append(semantic_diff.from_path(tmp_path / name, name))
    data = semantic_diff.compare(*versions).as_data()
    assert data["shapes"]["changed"] == [
        {"shape": "cgs:Named", "rule": None, "label": None, "changed": ["sh:nodeKind"]}
    ]
