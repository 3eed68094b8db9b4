"""The fast engine on its own: pre-binding, refusals, set-wise evaluation and its results graph."""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from cancergraph import engine_fast, store, validation
from cancergraph.fastshacl import engine, focus, prebinding, syntax
from cancergraph.fastshacl.errors import ShapesError, UnsupportedError
from cancergraph.vocab import SH
from conftest import benchmark_script

EX = "http://example.org/"
PREFIXES = f"""
@prefix ex: <{EX}> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
DATA = (
    PREFIXES
    + """
ex:a a ex:C ; ex:p ex:v1 , ex:v2 ; ex:q "x" .
ex:b a ex:C ; ex:p ex:v1 .
ex:c a ex:C .
ex:d a ex:D ; ex:p ex:v3 .
ex:v1 ex:r ex:a .
ex:v2 ex:r ex:b .
ex:v3 ex:r ex:d .
"""
)
FOCUS = [f"{EX}a", f"{EX}b", f"{EX}c"]


def data_store(text: str = DATA) -> ox.Store:
    loaded = ox.Store()
    loaded.extend(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    return loaded


def shapes_graph(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def sparql_shape(select: str, target: str = "sh:targetClass ex:C") -> Graph:
    escaped = select.replace("\\", "\\\\").replace('"', '\\"')
    return shapes_graph(
        f"""
        ex:S a sh:NodeShape ; {target} ;
            sh:sparql [ sh:prefixes ex:decl ; sh:select "{escaped}" ] .
        ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "{EX}"^^xsd:anyURI ] .
        """
    )


def found(results_graph: Graph) -> Counter:
    return Counter(
        (
            str(results_graph.value(r, SH.focusNode)),
            str(results_graph.value(r, SH.value)),
        )
        for r in results_graph.objects(predicate=SH.result)
    )


def per_node_oracle(query: str, data: ox.Store) -> Counter:
    """What SHACL pre-binding means for an IRI focus node: each $this replaced by the IRI."""
    expected: Counter = Counter()
    for node in FOCUS:
        text = re.sub(r"(SELECT(?: DISTINCT)?) [?$]this\b", r"\1", query)
        text = re.sub(r"[?$]this\b", f"<{node}>", text)
        for row in data.query(f"PREFIX ex: <{EX}> {text}"):
            value = row["value"]
            expected[(node, value.value if value is not None else node)] += 1
    return expected


# Queries whose $this sits where joining all focus nodes in at the top would change the
# answers: inner groups, UNION branches, OPTIONAL sides, BIND, EXISTS, sub-SELECTs.
TRICKY = {
    "filter in an inner group": "SELECT DISTINCT ?value WHERE { { FILTER ($this = ex:a) } "
    "BIND (ex:hit AS ?value) }",
    "union branches": "SELECT DISTINCT ?value WHERE { { $this ex:p ?value } UNION "
    "{ BIND ($this AS ?value) FILTER (isIRI($this) && $this != ex:a) } }",
    "optional whose left side does not bind $this": "SELECT DISTINCT ?value WHERE { "
    "?value ex:r ?owner . OPTIONAL { $this ex:p ?value . BIND (true AS ?mine) } "
    "FILTER (!BOUND(?mine)) }",
    "optional inside an inner group": "SELECT DISTINCT ?value WHERE { { ?value ex:r ?o . "
    "OPTIONAL { ?value ex:r $this . BIND (true AS ?back) } FILTER (!BOUND(?back)) } }",
    "bind before any pattern": "SELECT DISTINCT ?value WHERE { BIND ($this AS ?value) "
    "FILTER NOT EXISTS { ?value ex:q ?any } }",
    "not exists": "SELECT DISTINCT ?value WHERE { ?value ex:r ?o . "
    "FILTER NOT EXISTS { $this ex:p ?value } }",
    "exists in an inner group": "SELECT DISTINCT ?value WHERE { { BIND (ex:v1 AS ?value) "
    "FILTER EXISTS { $this ex:p ?value } } }",
    "sub-select binding $this": "SELECT DISTINCT ?value WHERE { { SELECT $this ?value "
    "WHERE { $this ex:p ?value } } }",
    "sub-select reading $this in a filter": "SELECT DISTINCT ?value WHERE { { SELECT $this "
    "?value WHERE { ?value ex:r ?o . FILTER (?o != $this) } } }",
}


@pytest.mark.parametrize("query", TRICKY.values(), ids=TRICKY.keys())
def test_set_wise_pre_binding_gives_the_per_node_answers(query: str) -> None:
    data = data_store()
    projected = re.sub(r"^SELECT( DISTINCT)?", r"SELECT\1 $this", query)
    produced = found(engine_fast.run(data, sparql_shape(projected)))
    assert produced == per_node_oracle(query, data)


def test_tricky_queries_are_run_set_wise() -> None:
    for query in TRICKY.values():
        planned = prebinding.plan(query, {"this"}, {"this"})
        assert planned.set_text is not None, query


def test_queries_that_need_each_focus_node_alone_run_per_node() -> None:
    data = data_store()
    counted = engine_fast.run(
        data,
        sparql_shape("SELECT (COUNT(?o) AS ?value) WHERE { $this ex:p ?o } HAVING (COUNT(?o) < 2)"),
    )
    # An aggregate without GROUP BY has one group per focus node, even an empty one.
    assert found(counted) == Counter({(f"{EX}b", "1"): 1, (f"{EX}c", "0"): 1})
    first = engine_fast.run(
        data, sparql_shape("SELECT ?value WHERE { $this ex:p ?value } ORDER BY ?value LIMIT 1")
    )
    assert found(first) == Counter({(f"{EX}a", f"{EX}v1"): 1, (f"{EX}b", f"{EX}v1"): 1})
    planned = prebinding.plan("SELECT ?v WHERE { $this ex:p ?v } LIMIT 1", {"this"}, {"this"})
    assert planned.set_text is None and planned.reason


@pytest.mark.parametrize(
    "query",
    [
        "SELECT $this WHERE { $this ex:p ?x . MINUS { $this ex:q ?x } }",
        "SELECT $this WHERE { VALUES ?x { 1 } }",
        "SELECT $this WHERE { SERVICE <http://example.org/sparql> { ?a ?b ?c } }",
        "SELECT $this WHERE { BIND (ex:a AS $this) }",
        "SELECT $this WHERE { { SELECT ?x WHERE { ?x ex:p ?y } } }",
        "SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = ex:a) } } }",
        "SELECT $this WHERE { $this ex:p ?x } VALUES ?x { ex:v1 }",
    ],
    ids=["minus", "values", "service", "rebinds-this", "subquery", "subquery-star", "values-end"],
)
def test_sparql_that_shacl_forbids_with_pre_binding_is_refused(query: str) -> None:
    with pytest.raises(ShapesError):
        engine_fast.run(data_store(), sparql_shape(query))


def test_a_bad_query_is_refused_with_its_error() -> None:
    with pytest.raises(ShapesError, match="not valid") as caught:
        engine_fast.run(data_store(), sparql_shape("SELECT $this WHERE { $this ex:p }"))
    # the parser's own message lists every character class it expected, over lines
    message = str(caught.value)
    assert "\n" not in message and len(message) < 200, message
    assert "undeclared prefix" not in message  # ex: is declared by the shape


def test_an_undeclared_prefix_in_a_query_is_named() -> None:
    query = "SELECT $this WHERE { $this ex:p ?v . $this dcterms:title ?t }"
    with pytest.raises(ShapesError) as caught:
        engine_fast.run(data_store(), sparql_shape(query))
    assert str(caught.value) == (
        "a SPARQL query of the shapes is not valid: undeclared prefix dcterms"
    )


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ("ex:S sh:target [ a sh:SPARQLTarget ; sh:select 'SELECT ?this WHERE {}' ] .", "sh:target"),
        ("ex:S sh:rule [ a sh:TripleRule ] .", "sh:rule"),
        ("ex:S sh:node ex:T . ex:T sh:node ex:S .", "recursive"),
        ("ex:S sh:entailment <http://www.w3.org/ns/entailment/RDFS> .", "sh:entailment"),
        (
            "ex:Js a sh:ConstraintComponent ; sh:parameter [ sh:path ex:limit ] ; "
            'sh:validator [ a sh:JSValidator ; sh:jsFunctionName "check" ] . ex:S ex:limit 1 .',
            "SHACL-JS",
        ),
    ],
    ids=["sparql-target", "rule", "recursion", "entailment", "javascript"],
)
def test_what_the_engine_does_not_run_is_refused(extra: str, error: str) -> None:
    shapes = shapes_graph(f"ex:S a sh:NodeShape ; sh:targetClass ex:C . {extra}")
    with pytest.raises(UnsupportedError, match=error) as caught:
        engine_fast.run(data_store(), shapes)
    assert "--engine pyshacl" in str(caught.value)


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S sh:targetClass ex:C ; sh:path [ sh:inversePath ex:p ; sh:zeroOrMorePath ex:p ] ;"
        " sh:minCount 1 .",
        "ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:minCount -1 .",
        "ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:nodeKind ex:Thing .",
        "ex:S sh:targetClass ex:C ; sh:minCount 1 .",
    ],
    ids=["two-path-kinds", "negative-count", "bad-node-kind", "count-on-node-shape"],
)
def test_ill_formed_shapes_are_refused(shape: str) -> None:
    with pytest.raises(ShapesError):
        engine_fast.run(data_store(), shapes_graph(shape))


def test_focus_nodes_are_only_the_targets_even_when_the_query_runs_unrestricted() -> None:
    data = data_store()
    planned = prebinding.plan("SELECT $this ?value WHERE { $this ex:p ?value }", set(), {"this"})
    assert planned.free_text is not None
    produced = found(
        engine_fast.run(data, sparql_shape("SELECT $this ?value WHERE { $this ex:p ?value }"))
    )
    assert {focus for focus, _ in produced} == {f"{EX}a", f"{EX}b"}  # ex:d is no ex:C


def test_path_is_substituted_and_results_carry_the_path() -> None:
    shapes = shapes_graph(
        """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
        ex:P sh:path ( ex:p ex:r ) ; sh:severity ex:Custom ;
            sh:message "{$this} reaches {?value}" ;
            sh:sparql [ sh:select "SELECT $this ?value WHERE { $this $PATH ?value }" ] .
        """
    )
    graph = engine_fast.run(data_store(), shapes)
    results = list(graph.objects(predicate=SH.result))
    assert {str(graph.value(r, SH.value)) for r in results} == {f"{EX}a", f"{EX}b"}
    for result in results:
        assert graph.value(result, SH.resultSeverity) == URIRef(f"{EX}Custom")
        path = graph.value(result, SH.resultPath)
        assert graph.value(path, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first"))
        message = str(graph.value(result, SH.resultMessage))
        assert (
            message
            == f"{graph.value(result, SH.focusNode)} reaches {graph.value(result, SH.value)}"
        )


def test_shapes_graph_is_readable_and_the_store_is_left_as_it_was() -> None:
    data = data_store()
    before = set(data)
    query = "SELECT $this WHERE { GRAPH $shapesGraph { $currentShape ex:flag true } }"
    shapes = sparql_shape(query, "sh:targetNode ex:a ; ex:flag true")
    assert len(found(engine_fast.run(data, shapes))) == 1
    assert set(data) == before


def test_focus_nodes_are_not_looked_for_inside_the_shapes_graph() -> None:
    query = (
        "SELECT $this WHERE { GRAPH $shapesGraph { FILTER (isIRI($this)) "
        "$currentShape ex:flag true } }"
    )
    shapes = sparql_shape(query, "sh:targetClass ex:C ; ex:flag true")
    assert {focus for focus, _ in found(engine_fast.run(data_store(), shapes))} == set(FOCUS)


def test_blank_node_constants_refer_to_the_data_blank_nodes() -> None:
    data = data_store(PREFIXES + "ex:a a ex:C ; ex:p [ ex:q 1 ] . ex:b a ex:C .")
    blank = next(q.object for q in data.quads_for_pattern(ox.NamedNode(f"{EX}a"), None, None))
    shapes = store.to_rdflib(data)  # one graph for data and shapes, as in the W3C tests
    shape = URIRef(f"{EX}S")
    shapes.add((shape, SH.targetClass, URIRef(f"{EX}C")))
    shapes.add((shape, SH.path, URIRef(f"{EX}p")))
    shapes.add((shape, SH.hasValue, BNode(blank.value)))
    assert found(engine_fast.run(data, shapes)) == Counter({(f"{EX}b", "None"): 1})


def test_each_constraint_is_one_query_whatever_the_number_of_focus_nodes() -> None:
    """Set-wise evaluation: the number of queries does not grow with the setup.

    Only the checks of which candidates are focus nodes, run when a query that ran
    without its focus pattern found something, depend on the data.
    """
    generate = benchmark_script("generate").generate
    counts = []
    for networks in (2, 40):
        text, _ = generate(networks, 5, defects=networks)
        data = ox.Store()
        data.extend(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
        checked = validation.plan(data)
        validation.prepare(data, checked)
        calls = []
        original = engine.Dataset.select

        def counting(self, text, prefixes=None, _calls=calls, _original=original):
            if not re.match(r"SELECT (DISTINCT )?\?n WHERE", text):  # not a membership test
                _calls.append(text)
            return _original(self, text, prefixes)

        engine.Dataset.select = counting  # type: ignore[method-assign]
        try:
            engine.validate(data, checked.shapes)
        finally:
            engine.Dataset.select = original  # type: ignore[method-assign]
        counts.append(len(calls))
    assert counts[0] == counts[1]


def test_fast_engine_gives_the_generators_expected_findings_at_a_larger_size() -> None:
    generate = benchmark_script("generate").generate
    for era in ("post-2013", "cancer-plan"):
        text, expected = generate(150, 7, era=era, defects=120)
        data = ox.Store()
        data.extend(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
        report = validation.validate(data, engine=engine_fast.NAME, owned=True)
        got = Counter((f.rule, f.focus_node, f.severity.label) for f in report.results)
        want = Counter((f["rule"], f["focus_node"], f["severity"]) for f in expected)
        assert got == want


def test_query_structure_parsing() -> None:
    query = syntax.parse(
        "PREFIX ex: <http://e/> SELECT DISTINCT $this (COUNT(?x) AS ?n) WHERE { "
        "$this ex:p ?x . OPTIONAL { ?x ex:q ?y } { ?a ?b ?c } UNION { BIND (1 AS ?d) } "
        "FILTER NOT EXISTS { ?x ex:r $this } } GROUP BY $this HAVING (COUNT(?x) > 1)"
    )
    assert query.select is not None
    assert query.select.projection == ["this", "n"]
    assert query.select.group_by == ["this"]
    assert query.select.aggregates
    kinds = [element.kind for element in query.where.elements]
    assert kinds == ["triples", "optional", "union", "filter"]
    assert len(query.where.elements[3].expression.exists) == 1  # type: ignore[union-attr]
    assert syntax.replace_variable("?x $PATH ?y", "PATH", "<p>/<q>") == "?x <p>/<q> ?y"


def test_messages_keep_their_language() -> None:
    shapes = shapes_graph(
        "ex:S a sh:NodeShape ; sh:targetNode ex:c ; "
        'sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "Kein Wert"@de ] .'
    )
    graph = engine_fast.run(data_store(), shapes)
    assert set(graph.objects(predicate=SH.resultMessage)) == {Literal("Kein Wert", lang="de")}


def test_a_compiled_program_validates_stores_one_after_another_alike() -> None:
    """Compiling once and validating many stores gives each store its own answers."""
    query = "SELECT $this ?value WHERE { $this ex:p ?value }"
    program = engine_fast.compile(sparql_shape(query))
    breaking, keeping = data_store(), data_store(PREFIXES + "ex:a a ex:C ; ex:q 1 .")
    first = found(engine_fast.run(breaking, sparql_shape(query), program))
    assert first == found(engine_fast.run(breaking, sparql_shape(query)))
    assert first == Counter(
        {(f"{EX}a", f"{EX}v1"): 1, (f"{EX}a", f"{EX}v2"): 1, (f"{EX}b", f"{EX}v1"): 1}
    )
    assert found(engine_fast.run(keeping, sparql_shape(query), program)) == Counter()
    assert found(engine_fast.run(breaking, sparql_shape(query), program)) == first


def test_ill_formed_shapes_are_refused_when_compiled_before_any_data() -> None:
    with pytest.raises(ShapesError, match="minCount"):
        engine_fast.compile(
            shapes_graph("ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:minCount -1 .")
        )
    with pytest.raises(ShapesError):
        engine_fast.compile(
            sparql_shape("SELECT $this WHERE { $this ex:p ?x } VALUES ?x { ex:v1 }")
        )


def dated_store(day: str) -> ox.Store:
    return data_store(
        PREFIXES
        + f'ex:setup <https://w3id.org/cancergraph/ontology#referenceDate> "{day}"^^xsd:date .'
    )


def test_project_shapes_are_compiled_once_per_set_of_rules_applied() -> None:
    later = [validation.plan(dated_store("2014-06-30")) for _ in range(2)]
    earlier = validation.plan(dated_store("2004-06-30"))
    assert later[0].applied == later[1].applied != earlier.applied
    program = validation.compiled(later[0], engine_fast.NAME)
    assert isinstance(program, engine.Program)
    assert validation.compiled(later[1], engine_fast.NAME) is program
    assert validation.compiled(earlier, engine_fast.NAME) is not program
    custom = validation.plan(
        data_store(), shapes=sparql_shape("SELECT $this WHERE { $this ex:p ?v }")
    )
    assert validation.compiled(custom, engine_fast.NAME) is not validation.compiled(
        custom, engine_fast.NAME
    )


def test_a_cached_program_reports_what_a_fresh_one_does() -> None:
    generate = benchmark_script("generate").generate
    text, _ = generate(6, 3, defects=6)
    reports = []
    for _ in range(2):  # the second run uses the program the first one compiled
        data = ox.Store()
        data.extend(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
        reports.append(validation.validate(data, engine=engine_fast.NAME, owned=True))
    data = ox.Store()
    data.extend(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    checked = validation.plan(data)
    validation.prepare(data, checked)
    fresh = found(engine_fast.run(data, checked.shapes))
    keys = [Counter((f.rule, f.focus_node, f.severity.label) for f in r.results) for r in reports]
    assert keys[0] == keys[1] and keys[0]
    assert sum(fresh.values()) == len(reports[0].results)


def test_names_may_use_any_letter_the_sparql_grammar_allows() -> None:
    """Variables, prefixed names and blank node labels with letters past U+00C0,
    including the supplementary planes (SPARQL's PN_CHARS_BASE reaches U+EFFFF)."""
    text = (
        "SELECT ?é ?\U0001d4b3 WHERE { "
        "?é ex:naïve _:b\u00e9.\u00b7x ; ex\u00e9:\U0001d4b3 ?\U0001d4b3 }"
    )
    tokens = [(t.kind, t.text) for t in syntax.tokenize(text)]
    assert ("var", "?é") in tokens and ("var", "?\U0001d4b3") in tokens
    assert ("pname", "ex:naïve") in tokens and ("pname", "ex\u00e9:\U0001d4b3") in tokens
    assert ("bnode", "_:b\u00e9.\u00b7x") in tokens


def test_plans_with_the_same_rules_share_a_shapes_graph_that_no_engine_changes() -> None:
    first, second = (validation.plan(dated_store("2014-06-30")) for _ in range(2))
    assert first.shapes is second.shapes
    before = set(first.shapes)
    for name in validation.ENGINES:
        validation.validate(dated_store("2014-06-30"), engine=name, owned=True)
    assert set(first.shapes) == before


@pytest.mark.parametrize("limit", [2, 256])
@pytest.mark.parametrize("rarer", ["end", "start"])
def test_pair_constraints_start_from_the_rarer_property_and_keep_to_the_focus_nodes(
    rarer: str, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sh:lessThan and sh:disjoint found without the focus pattern are joined from the
    property the data uses less (counted at once, or in growing steps past a small
    first limit); either way the answers are those of the focus nodes."""
    monkeypatch.setattr(engine, "RARER_FIRST_LIMIT", limit)
    common = "start" if rarer == "end" else "end"
    padding = "\n".join(f"ex:pad{i} a ex:C ; ex:{common} 0 ." for i in range(6))
    data = data_store(
        PREFIXES
        + f"""
        ex:a a ex:C ; ex:start 5 , 7 ; ex:end 6 .
        ex:b a ex:C ; ex:start 1 ; ex:end 2 , 1 .
        ex:x a ex:D ; ex:start 9 ; ex:end 1 , 9 .
        {padding}
        """
    )
    shapes = shapes_graph(
        """
        ex:Order a sh:PropertyShape ; sh:targetClass ex:C ;
            sh:path ex:start ; sh:lessThan ex:end .
        ex:Apart a sh:PropertyShape ; sh:targetClass ex:C ;
            sh:path ex:start ; sh:disjoint ex:end .
        """
    )
    program = engine.compile(shapes)
    validator = engine.Validator(data, program)
    assert validator.rarer(f"{EX}start", f"{EX}end") == (rarer == "end")
    produced = Counter((str(r.shape), str(r.focus), str(r.value)) for r in program.validate(data))
    assert produced == Counter(
        {
            (f"{EX}Order", f"{EX}a", "7"): 1,
            (f"{EX}Order", f"{EX}b", "1"): 1,  # 1 < 1 fails; ex:x is not an ex:C
            (f"{EX}Apart", f"{EX}b", "1"): 1,
        }
    )


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ("sh:targetClass ex:C", {"a", "sub", "deep"}),
        ("sh:targetClass ex:C , ex:D", {"a", "sub", "deep", "d"}),
        ("sh:targetClass ex:C ; sh:targetSubjectsOf ex:q", {"a", "sub", "deep", "other"}),
        ("sh:targetObjectsOf ex:q", {"v"}),
    ],
)
def test_candidates_are_kept_exactly_when_they_are_focus_nodes(
    targets: str, expected: set[str]
) -> None:
    """The check behind queries run without their focus pattern: instances of the class
    or of any class under it, however deep, and nothing else."""
    data = data_store(
        PREFIXES
        + """
        ex:Sub rdfs:subClassOf ex:C . ex:Deep rdfs:subClassOf ex:Sub .
        ex:a a ex:C . ex:sub a ex:Sub . ex:deep a ex:Deep , ex:Unrelated .
        ex:d a ex:D . ex:other a ex:Unrelated ; ex:q ex:v . ex:none ex:p ex:a .
        """
    )
    program = engine.compile(shapes_graph(f"ex:S a sh:NodeShape ; {targets} ."))
    validator = engine.Validator(data, program)
    (shape,) = program.targeted
    source = focus.Targets(tuple((p, tuple(v)) for p, v in shape.targets.items()))
    everyone = {
        ox.NamedNode(f"{EX}{name}")
        for name in ("a", "sub", "deep", "d", "other", "v", "none", "C", "Sub")
    }
    kept = validator.members(source, everyone)
    assert kept == {ox.NamedNode(f"{EX}{name}") for name in expected}


def test_min_count_on_an_alternative_path_fails_only_without_a_value_on_any_branch() -> None:
    """sh:minCount 1 is tested branch by branch (nested alternatives flattened); a value
    on any one branch, inverse ones included, is enough."""
    data = data_store(
        PREFIXES
        + """
        ex:byP a ex:C ; ex:p 1 .   ex:byR a ex:C ; ex:r 1 .
        ex:byInverse a ex:C .      ex:x ex:s ex:byInverse .
        ex:none a ex:C ; ex:t 1 .  ex:alsoNone a ex:C .
        """
    )
    shapes = shapes_graph(
        """
        ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:minCount 1 ;
            sh:path [ sh:alternativePath (
                ex:p [ sh:alternativePath ( ex:q ex:r ) ] [ sh:inversePath ex:s ] ) ] .
        """
    )
    program = engine.compile(shapes)
    (shape,) = program.targeted
    assert len(shape.path_alternatives) == 4
    assert {str(r.focus) for r in program.validate(data)} == {
        f"{EX}none",
        f"{EX}alsoNone",
    }


WELL_AND_ILL_FORMED = [
    ("boolean", "true", "yes"),
    ("decimal", "1.5", "1.5.2"),
    ("integer", "42", "4.2"),
    ("float", "1.5E3", "abc"),
    ("double", "INF", "1,5"),
    ("date", "2013-04-01", "2013-13-01"),
    ("dateTime", "2013-04-01T10:00:00", "2013-04-01"),
    ("time", "10:00:00", "25:00:00"),
    ("duration", "P1Y2M", "1Y"),
    ("dayTimeDuration", "P1DT2H", "P1Y"),
    ("yearMonthDuration", "P1Y2M", "P1D"),
]


@pytest.mark.parametrize(("datatype", "well", "ill"), WELL_AND_ILL_FORMED)
def test_only_ill_formed_literals_of_the_datatype_fail_sh_datatype(
    datatype: str, well: str, ill: str
) -> None:
    data = data_store(
        PREFIXES
        + f'ex:well a ex:C ; ex:q "{well}"^^xsd:{datatype} .\n'
        + f'ex:ill a ex:C ; ex:q "{ill}"^^xsd:{datatype} .\n'
        + 'ex:other a ex:C ; ex:q "x" .\n'
    )
    shapes = shapes_graph(
        f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        f"sh:property [ sh:path ex:q ; sh:datatype xsd:{datatype} ] ."
    )
    failing = {focus for focus, _ in found(engine_fast.run(data, shapes))}
    assert failing == {f"{EX}ill", f"{EX}other"}


def test_values_of_an_alternative_path_are_looked_up_branch_by_branch(sent: list[str]) -> None:
    """Each branch is a pattern of its own (a union), not an alternative path the store
    walks; a value on any branch, nested ones included, is still tested."""
    data = data_store(
        PREFIXES
        + """
        ex:a a ex:C ; ex:p "x" .  ex:b a ex:C ; ex:q 1 .  ex:c a ex:C ; ex:r "z" .
        ex:good a ex:C ; ex:p 2 ; ex:q 3 .
        """
    )
    shapes = shapes_graph(
        """
        ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:datatype xsd:integer ;
            sh:path [ sh:alternativePath ( ex:p [ sh:alternativePath ( ex:q ex:r ) ] ) ] .
        """
    )
    assert set(found(engine_fast.run(data, shapes))) == {(f"{EX}a", "x"), (f"{EX}c", "z")}
    (query,) = [text for text in sent if "isLiteral(?value)" in text]
    assert "|" not in query
    assert query.count("UNION") == 2
