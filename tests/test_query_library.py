"""The analyst query library in queries/: exact answers, both engines, metadata.

Expected rows are read off the example setups by hand. Cells are shown as the
result table shows them (prefixed IRIs, bare literal values, "" for unbound),
except that an example setup's own namespace is shortened to "ex:". Decimals
come back in canonical form ("495000.00" in a file is "495000" in the store).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.sparql import prepareQuery

from cancergraph import queries, rules, sparql_text, store
from cancergraph.render.query_results import display
from cancergraph.render.turtle_report import as_graph
from conftest import CONFORMING, EXAMPLES, NONCONFORMING, report_for, spec_rules

EX = "https://w3id.org/cancergraph/example/"
CG = "https://w3id.org/cancergraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
EXAMPLE_SETUPS = CONFORMING + NONCONFORMING

QUESTIONS = {
    "network-accountability-chains",
    "ccgs-without-engagement",
    "essential-posts",
    "workforce-strategies",
    "pcts-commissioning-in-isolation",
    "professional-groups",
    "formal-lines-with-ccgs-and-providers",
    "network-powers",
    "funding-allocations",
    "single-clinical-networks",
    "network-members",
    "organisation-lineage",
    "findings-per-rule-and-network",
}
# The setups validated for the report query: kept few, validation is the slow part.
REPORTED = [
    EXAMPLES / "conforming" / "post-2013-network.ttl",
    EXAMPLES / "nonconforming" / "cancer-plan-defects.ttl",
    EXAMPLES / "nonconforming" / "integrity-defects.ttl",
    EXAMPLES / "nonconforming" / "post-2013-accountability-defects.ttl",
    EXAMPLES / "nonconforming" / "post-2013-ccg-defects.ttl",
]


# -- running queries -----------------------------------------------------------------------


def example(name: str) -> Path:
    return EXAMPLES / f"{name}.ttl"


@cache
def loaded(*paths: Path) -> ox.Store:
    """One store per set of files; queries only read it."""
    return store.load([store.Source.from_path(path) for path in paths])


@cache
def with_report(path: Path) -> ox.Store:
    """A setup and its validation report graph in one store."""
    both = store.load([store.Source.from_path(path)])
    store.add_graph(both, as_graph(report_for(path)), "urn:cancergraph:test:report")
    return both


def from_text(turtle: str) -> ox.Store:
    return store.load([store.Source(name="inline.ttl", data=turtle.encode("utf-8"))])


def cell(term: object) -> str:
    return re.sub(r"^https://w3id\.org/cancergraph/example/[^/]+/", "ex:", display(term))


def answer(name: str, data: ox.Store, **params: str) -> tuple[list[str], list[tuple[str, ...]]]:
    result = queries.run(data, queries.library()[name], params)
    columns = [variable.value for variable in result.variables]
    rows = sorted(tuple(cell(solution[column]) for column in columns) for solution in result)
    return columns, rows


def rows_of(name: str, data: ox.Store, **params: str) -> list[tuple[str, ...]]:
    return answer(name, data, **params)[1]


def row(*parts: str | tuple[str, ...]) -> tuple[str, ...]:
    """A result row from cells and groups of cells."""
    return tuple(c for part in parts for c in ((part,) if isinstance(part, str) else part))


def blank(count: int) -> tuple[str, ...]:
    return ("",) * count


def names(*parts: str) -> list[str]:
    """Column names, written as space-separated words."""
    return " ".join(parts).split()


# -- the library and its metadata -----------------------------------------------------------


def test_the_library_answers_every_question() -> None:
    assert set(queries.library()) >= QUESTIONS


@pytest.fixture(scope="module")
def rule_ids() -> set[str]:
    return {rule["id"] for rule in spec_rules()}


def projection(text: str) -> str:
    """The outer SELECT clause, up to WHERE."""
    bare = sparql_text.blanked(text)
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b", bare, re.IGNORECASE | re.DOTALL)
    assert match, "no SELECT ... WHERE"
    return match.group(1)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_every_query_is_described(name: str, rule_ids: set[str]) -> None:
    query = queries.library()[name]
    assert query.title and query.description
    assert query.relates, "relates names no rule"
    assert set(query.relates) <= rule_ids, f"unknown rule ids {set(query.relates) - rule_ids}"
    bare = sparql_text.blanked(query.text)
    for parameter in query.parameters:
        assert parameter.type in queries.PARAM_TYPES
        assert parameter.description
        assert parameter.example, f"{parameter.name} has no example"
        queries.term_for(parameter, parameter.example)
        if parameter.default is not None:
            queries.term_for(parameter, parameter.default)
        variable = rf"\?{parameter.name}\b"
        assert re.search(variable, projection(query.text)), f"?{parameter.name} not projected"
        # the outer GROUP BY is the last one in the text
        groups = re.findall(r"\bGROUP BY\b(.*?)(?=\bORDER BY\b|\}|$)", bare, re.DOTALL)
        if groups and re.search(r"\(\s*(COUNT|SUM|MIN|MAX|SAMPLE)\b", projection(query.text)):
            assert re.search(variable, groups[-1]), f"?{parameter.name} not grouped by"
        assert not re.search(rf"\bBOUND\s*\(\s*{variable}", bare, re.IGNORECASE)
    used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):(?!//)", bare))
    declared = set(re.findall(r"\bPREFIX\s+([A-Za-z][\w-]*):", bare, re.IGNORECASE))
    assert used <= declared, f"undeclared prefixes {used - declared}"
    assert re.search(r"\bORDER BY\b", bare)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_concept_names_are_the_ontology_labels(name: str) -> None:
    """Names written into VALUES tables (?...Name or ?label columns) are the ontology's labels."""
    ontology = rules.ontology_graph()
    tables = re.findall(
        r"VALUES\s*\(\?\w+\s+\?(\w+)\)\s*\{(.*?)\}", queries.library()[name].text, re.DOTALL
    )
    for column, table in tables:
        if not (column.endswith("Name") or column == "label"):
            continue
        for local, label in re.findall(r"\(cg:(\w+)\s+\"([^\"]+)\"\)", table):
            labels = {
                str(o) for o in ontology.objects(rdflib.URIRef(CG + local), rdflib.RDFS.label)
            }
            assert labels == {label}, f"cg:{local}"


def test_relates_lists_rule_ids_across_lines(tmp_path: Path) -> None:
    path = tmp_path / "spread.rq"
    path.write_text(
        "# title: spread\n# relates: KF-10, , KF-11,\n#   KF-12\nASK {}\n", encoding="utf-8"
    )
    assert queries.load_query_file(path).relates == ("KF-10", "KF-11", "KF-12")


# -- the same rows on pyoxigraph and on rdflib -----------------------------------------------

NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long")}


def literal_key(value: str, datatype: str | None, language: str | None) -> tuple:
    datatype = datatype or XSD + "string"
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(value))
        except InvalidOperation:
            pass
    return ("literal", value, datatype, language or "")


def ox_key(term: object) -> tuple:
    if term is None:
        return ("unbound",)
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("blank",)
    assert isinstance(term, ox.Literal)
    return literal_key(term.value, term.datatype.value, term.language)


def rdflib_key(term: object) -> tuple:
    if term is None:
        return ("unbound",)
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if isinstance(term, rdflib.BNode):
        return ("blank",)
    assert isinstance(term, rdflib.Literal)
    datatype = str(term.datatype) if term.datatype else None
    return literal_key(str(term), datatype, term.language)


def rdflib_term(term: ox.NamedNode | ox.Literal) -> rdflib.term.Node:
    """A parameter's term for rdflib's initBindings (xsd:string as a plain literal)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if term.datatype.value == XSD + "string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


@cache
def as_rdflib(data: ox.Store) -> rdflib.Graph:
    return store.to_rdflib(data)


@cache
def prepared(name: str):
    return prepareQuery(queries.library()[name].text)


def both_engines(name: str, data: ox.Store, params: dict[str, str]) -> tuple[Counter, Counter]:
    query = queries.library()[name]
    result = queries.run(data, query, params)
    columns = [variable.value for variable in result.variables]
    on_oxigraph = Counter(tuple(ox_key(s[c]) for c in columns) for s in result)
    bindings = {
        variable: rdflib_term(term) for variable, term in queries.bindings(query, params).items()
    }
    on_rdflib = Counter(
        tuple(rdflib_key(row[c]) for c in columns)
        for row in as_rdflib(data).query(prepared(name), initBindings=bindings)
    )
    return on_oxigraph, on_rdflib


def parameter_sets(name: str) -> list[dict[str, str]]:
    query = queries.library()[name]
    examples = {p.name: p.example for p in query.parameters if p.example}
    return [{}, examples] if examples else [{}]


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_both_engines_give_the_same_rows(name: str) -> None:
    """Every example setup on its own, and all of them in one store; defaults and examples."""
    if name == "findings-per-rule-and-network":
        stores = {path.name: with_report(path) for path in REPORTED}
    else:
        stores = {path.name: loaded(path) for path in EXAMPLE_SETUPS}
        stores["all examples"] = loaded(*EXAMPLE_SETUPS)
    seen = 0
    for label, data in stores.items():
        for params in parameter_sets(name):
            on_oxigraph, on_rdflib = both_engines(name, data, params)
            assert on_oxigraph == on_rdflib, f"{name} on {label} with {params}"
            seen += sum(on_oxigraph.values())
    assert seen, f"{name} answered nothing on any example"


def test_the_readme_lists_every_query() -> None:
    readme = (queries.library()["essential-posts"].path.parent / "README.md").read_text("utf-8")
    table = readme.split("## The queries", 1)[1]
    listed = dict(re.findall(r"^\| `([\w-]+)` \| [^|]+ \| ([^|]+) \|", table, re.MULTILINE))
    assert set(listed) == set(queries.library())
    for name, query in queries.library().items():
        if name != "findings-per-rule-and-network":
            assert listed[name].strip() == ", ".join(query.relates), name


# -- 1. accountability chains ---------------------------------------------------------------

CHAIN_COLUMNS = names(
    "network networkName step party partyName accountableTo",
    "accountableToName line lineName formal top asOf day",
)


def test_accountability_chain_reaches_the_board_through_a_ccg() -> None:
    data = loaded(example("conforming/post-2013-network"))
    columns, rows = answer("network-accountability-chains", data)
    assert columns == CHAIN_COLUMNS
    net = ("ex:network", "Northmoor Cancer Network")
    board = ("ex:nhscb", "NHS Commissioning Board")
    ccg = ("ex:ccg-hallowfield", "NHS Hallowfield CCG")
    day = ("", "2014-06-30")
    to_board = (
        "ex:line-network-nhscb",
        "Northmoor Cancer Network accountable to the NHS Commissioning Board for delivering"
        " support",
    )
    to_ccg = (
        "ex:line-network-lead-ccg-informal",
        "Northmoor Cancer Network answers informally to NHS Hallowfield CCG, lead cancer"
        " commissioner, for its advice",
    )
    ccg_to_board = (
        "ex:line-ccg-hallowfield-nhscb",
        "NHS Hallowfield CCG accountable to the NHS Commissioning Board",
    )
    assert rows == sorted(
        [
            row(net, "1", net, board, to_board, "true", "true", day),
            # informal, and the CCG answers on to the Board, so not the top
            row(net, "1", net, ccg, to_ccg, "false", "false", day),
            row(net, "2", ccg, board, ccg_to_board, "true", "true", day),
        ]
    )


def test_accountability_chain_of_a_network_without_lines() -> None:
    data = loaded(example("nonconforming/integrity-defects"))
    assert rows_of("network-accountability-chains", data) == [
        row("ex:network", "Brackenford Cancer Network", blank(10), "2003-06-30")
    ]


def test_accountability_chains_of_predecessor_networks_as_of_2012() -> None:
    data = loaded(example("conforming/single-clinical-network-merger"))
    old = ("ex:old-cancer-network", "Wendmere and Fallowby Cancer Network")
    sha = ("ex:sha", "NHS Wendmere and Marches (strategic health authority)")
    line = (
        "ex:line-old-cancer-network-sha",
        "Wendmere and Fallowby Cancer Network accountable to NHS Wendmere and Marches for"
        " performance",
    )
    day = ("2012-06-30", "2012-06-30")
    cardiac = ("ex:old-cardiac-stroke-network", "Wendmere and Fallowby Cardiac and Stroke Network")
    assert rows_of("network-accountability-chains", data, asOf="2012-06-30") == [
        row(old, "1", old, sha, line, "true", "true", day),
        row(cardiac, blank(9), day),
    ]


CHAIN = """@prefix cg: <https://w3id.org/cancergraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://w3id.org/cancergraph/example/chain/> .
ex:setup a cg:Setup ; cg:referenceDate "2010-06-30"^^xsd:date .
ex:net a cg:CancerNetwork ; rdfs:label "Net" ; cg:validFrom "2001-04-01"^^xsd:date .
ex:sha a cg:StrategicHealthAuthority ; rdfs:label "SHA" .
ex:dh a cg:DepartmentOfHealth ; rdfs:label "DH" ; cg:isAccountableTo ex:parliament .
ex:parliament rdfs:label "Parliament" .
ex:old a cg:StrategicHealthAuthority ; rdfs:label "Old authority" .
ex:region rdfs:label "Region" .
ex:l0 a cg:AccountabilityLine ; rdfs:label "Net to old authority" ; cg:isFormal true ;
    cg:accountableParty ex:net ; cg:accountableTo ex:old ; cg:validUntil "2002-06-30"^^xsd:date .
ex:l1 a cg:AccountabilityLine ; rdfs:label "Net to SHA" ; cg:isFormal true ;
    cg:accountableParty ex:net ; cg:accountableTo ex:sha ; cg:validFrom "2002-07-01"^^xsd:date .
ex:l2 a cg:AccountabilityLine ; rdfs:label "SHA to DH" ;
    cg:accountableParty ex:sha ; cg:accountableTo ex:dh ; cg:validFrom "2002-07-01"^^xsd:date .
ex:l3 a cg:AccountabilityLine ; rdfs:label "Old authority to region" ; cg:isFormal false ;
    cg:accountableParty ex:old ; cg:accountableTo ex:region .
"""


def test_accountability_chain_follows_current_lines_to_the_top() -> None:
    data = from_text(CHAIN)
    net, sha, dh = ("ex:net", "Net"), ("ex:sha", "SHA"), ("ex:dh", "DH")
    old, region = ("ex:old", "Old authority"), ("ex:region", "Region")
    # 2010: the line to the old authority has ended, so the old authority's line is not in the
    # chain; DH's shortcut to Parliament has no line behind it and says nothing of formality
    now = ("", "2010-06-30")
    assert rows_of("network-accountability-chains", data) == [
        row(net, "1", net, sha, "ex:l1", "Net to SHA", "true", "false", now),
        row(net, "2", sha, dh, "ex:l2", "SHA to DH", "", "false", now),
        row(net, "3", dh, "ex:parliament", "Parliament", "", "", "", "true", now),
    ]
    # early 2002: only the line to the old authority, and the old authority's own line
    then = ("2002-01-01", "2002-01-01")
    assert rows_of("network-accountability-chains", data, asOf="2002-01-01") == [
        row(net, "1", net, old, "ex:l0", "Net to old authority", "true", "false", then),
        row(net, "2", old, region, "ex:l3", "Old authority to region", "false", "true", then),
    ]
    for params in ({}, {"asOf": "2002-01-01"}):
        on_oxigraph, on_rdflib = both_engines("network-accountability-chains", data, params)
        assert on_oxigraph == on_rdflib


# -- 2. CCGs without engagement -------------------------------------------------------------


def test_ccg_whose_engagement_arrangement_lapsed() -> None:
    data = loaded(example("nonconforming/post-2013-ccg-defects"))
    columns, rows = answer("ccgs-without-engagement", data)
    assert columns == ["ccg", "ccgName", "network", "networkName", "asOf", "day"]
    city = ("ex:ccg-northfold-city", "NHS Northfold City CCG")
    net = ("ex:network", "Northfold Cancer Network")
    # the City CCG's arrangement ended on 31 March 2014; the Coast CCG has left the network
    assert rows == [row(city, net, "", "2014-06-30")]
    assert rows_of("ccgs-without-engagement", data, asOf="2014-04-01") == [
        row(city, net, "2014-04-01", "2014-04-01")
    ]
    # in 2013/14 both CCGs were members and both arrangements were in force
    assert rows_of("ccgs-without-engagement", data, asOf="2014-01-01") == []
    assert rows_of("ccgs-without-engagement", loaded(example("conforming/post-2013-network"))) == []


# -- 3. essential posts ----------------------------------------------------------------------


def test_essential_posts_vacant_missing_and_held() -> None:
    data = loaded(example("nonconforming/network-management-defects"))
    columns, rows = answer("essential-posts", data)
    assert columns == names(
        "network networkName postKind postKindName status post postName holder",
        "holderName vacantSince team teamName asOf day",
    )
    net = ("ex:network", "Harrowdale Cancer Network")
    team = ("ex:management-team", "Harrowdale Cancer Network management team")
    director = ("cg:NetworkDirectorPost", "network director or manager")
    medical = ("cg:MedicalDirectorPost", "network medical director or lead clinician")
    nurse = ("cg:LeadNursePost", "network lead nurse or nurse director")
    director_post = ("ex:post-director", "Network Director, Harrowdale Cancer Network")
    medical_post = (
        "ex:post-medical-director",
        "Network Medical Director, Harrowdale Cancer Network",
    )
    medical_holder = ("ex:person-medical-director", "Dr Nikhil Banerjee")
    now = ("", "2014-09-30")
    assert rows == sorted(
        [
            row(net, director, "vacant", director_post, "", "", "2014-07-01", team, now),
            row(net, medical, "held", medical_post, medical_holder, "", team, now),
            # the fixed-term lead nurse post ended on 30 June 2014
            row(net, nurse, "missing", blank(7), now),
        ]
    )
    # on 1 June 2014 the lead nurse post was still held
    nurse_post = (
        "ex:post-lead-nurse",
        "Network Lead Nurse, Harrowdale Cancer Network (fixed-term post, 2013-2014)",
    )
    nurse_holder = ("ex:person-lead-nurse", "Karen Liddell")
    then = ("2014-06-01", "2014-06-01")
    assert rows_of("essential-posts", data, asOf="2014-06-01") == sorted(
        [
            row(net, director, "vacant", director_post, "", "", "2014-07-01", team, then),
            row(net, medical, "held", medical_post, medical_holder, "", team, then),
            row(net, nurse, "held", nurse_post, nurse_holder, "", team, then),
        ]
    )


def test_a_held_post_marked_vacant_on_the_date_is_vacant() -> None:
    """As NAO-05 reads it: cg:vacantSince on or before the date makes a post vacant,
    whoever org:heldBy names; a later one does not yet."""
    data = store.load([store.Source.from_path(example("nonconforming/network-management-defects"))])
    medical = ox.NamedNode(EX + "network-management-defects/post-medical-director")
    vacant_since = ox.NamedNode("https://w3id.org/cancergraph/ontology#vacantSince")
    day = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    data.add(ox.Quad(medical, vacant_since, ox.Literal("2014-08-01", datatype=day)))

    def status(as_of: str) -> str:
        rows = answer("essential-posts", data, asOf=as_of)[1]
        return next(r[4] for r in rows if r[5] == "ex:post-medical-director")

    assert status("2014-09-30") == "vacant"
    assert status("2014-07-31") == "held"


# -- 4. workforce and education strategies --------------------------------------------------


def test_network_without_current_strategies() -> None:
    data = loaded(example("nonconforming/network-management-defects"))
    columns, rows = answer("workforce-strategies", data)
    assert columns == names(
        "network networkName workforceStrategy workforceStrategyName",
        "educationStrategy educationStrategyName networks withWorkforceStrategy",
        "withEducationStrategy workforcePercent educationPercent asOf day",
    )
    # no workforce strategy; the education strategy only starts in April 2015
    assert rows == [
        row("ex:network", "Harrowdale Cancer Network", blank(4), "1", "0", "0", "0", "0", "",
            "2014-09-30"),
    ]  # fmt: skip


def strategies(network: str, years: tuple[str, str]) -> tuple[str, ...]:
    return (
        "ex:workforce-strategy",
        f"{network} workforce strategy {years[0]}",
        "ex:education-strategy",
        f"{network} education and training strategy {years[1]}",
    )


def test_share_of_networks_with_strategies_across_the_examples_in_2004() -> None:
    rows = rows_of("workforce-strategies", loaded(*EXAMPLE_SETUPS), asOf="2004-06-30")
    # seven cancer networks were current on 30 June 2004 (two of them the predecessors of later
    # single clinical networks), and three had both strategies in force: 3 of 7 is 43 per cent
    share = ("7", "3", "3", "43", "43", "2004-06-30", "2004-06-30")
    brackenford, wenvale, wessex = (
        "Brackenford Cancer Network",
        "Wenvale Cancer Network",
        "Wessex Vale Cancer Network",
    )
    assert rows == sorted(
        [
            row("ex:network", "Ashcombe Cancer Network", blank(4), share),
            row("ex:network", brackenford, strategies(brackenford, ("2002-2005",) * 2), share),
            row("ex:network", "Harrowdale Cancer Network", blank(4), share),
            row("ex:old-cancer-network", "Wendmere and Fallowby Cancer Network", blank(4), share),
            row("ex:network", wenvale, strategies(wenvale, ("2003-2006", "2004-2007")), share),
            row("ex:network", wessex, strategies(wessex, ("2003-2006", "2004-2006")), share),
            row("ex:old-cancer-network", "Westholm Cancer Network (2001-2013)", blank(4), share),
        ]
    )


# -- 5. PCTs commissioning in isolation -------------------------------------------------------


def test_pct_outside_the_network_wide_arrangement() -> None:
    data = loaded(example("nonconforming/cancer-plan-defects"))
    columns, rows = answer("pcts-commissioning-in-isolation", data)
    assert columns == names("pct pctName network networkName arrangement arrangementName asOf day")
    net = ("ex:network", "Wenvale Cancer Network")
    downs = ("ex:pct-downs", "Downs Rural Primary Care Trust")
    consortium = (
        "ex:commissioning-consortium",
        "Wenvale network-wide cancer commissioning consortium",
    )
    assert rows == [row(downs, net, consortium, "", "2004-06-30")]
    # before the consortium started in April 2003 every member trust commissioned alone
    then = ("", "", "2003-01-01", "2003-01-01")
    assert rows_of("pcts-commissioning-in-isolation", data, asOf="2003-01-01") == [
        row(downs, net, then),
        row("ex:pct-wenvale-north", "Wenvale North Primary Care Trust", net, then),
        row("ex:pct-wenvale-south", "Wenvale South Primary Care Trust", net, then),
    ]
    conforming = loaded(example("conforming/cancer-plan-network"))
    assert rows_of("pcts-commissioning-in-isolation", conforming) == []


# -- 6. professional groups ----------------------------------------------------------------


def test_professional_groups_involved_and_missing() -> None:
    data = loaded(example("nonconforming/post-2013-form-defects"))
    columns, rows = answer("professional-groups", data)
    assert columns == ["network", "networkName", "group", "groupName", "status", "named", "asOf",
                       "day"]  # fmt: skip
    net, now = ("ex:network", "Southby Cancer Network"), ("", "2014-06-30")
    assert rows == sorted(
        [
            row(net, "cg:AcuteCare", "acute care", "involved", "false", now),
            row(net, "cg:PrimaryCare", "primary care", "involved", "true", now),
            row(net, "cg:CommunityServices", "community services", "missing", "true", now),
            row(net, "cg:PublicHealth", "public health", "missing", "true", now),
            row(net, "cg:SocialCare", "social care", "missing", "true", now),
        ]
    )
    cancer_plan = rows_of("professional-groups", loaded(example("conforming/cancer-plan-network")))
    assert sorted((found[2], found[4]) for found in cancer_plan) == [
        ("cg:AcuteCare", "involved"),
        ("cg:CommunityServices", "missing"),
        ("cg:PrimaryCare", "involved"),
        ("cg:PublicHealth", "involved"),
        ("cg:SocialCare", "missing"),
    ]


# -- 7. formal lines with CCGs and providers --------------------------------------------------


def test_formal_lines_either_way_round() -> None:
    data = loaded(example("nonconforming/post-2013-accountability-defects"))
    columns, rows = answer("formal-lines-with-ccgs-and-providers", data)
    assert columns == names(
        "network networkName other otherName otherKind direction line lineName", "asOf day"
    )
    net, now = ("ex:network", "Eastmere Cancer Network"), ("", "2014-06-30")
    ccg = ("ex:ccg-eastmere-north", "NHS Eastmere North CCG", "clinical commissioning group")
    trust = ("ex:ft-eastmere", "Eastmere University Hospitals NHS Foundation Trust", "provider")
    to_ccg = (
        "ex:line-network-ccg-north",
        "Eastmere Cancer Network formally accountable to NHS Eastmere North CCG for its"
        " performance",
    )
    from_trust = (
        "ex:line-ft-network",
        "Eastmere University Hospitals NHS Foundation Trust formally accountable to Eastmere"
        " Cancer Network",
    )
    # the NHS trust's informal line to the network is not listed
    assert rows == sorted(
        [
            row(net, ccg, "network accountable to it", to_ccg, now),
            row(net, trust, "accountable to the network", from_trust, now),
        ]
    )
    assert rows_of("formal-lines-with-ccgs-and-providers", data, asOf="2013-01-01") == []
    # an informal line to a CCG is allowed
    conforming = loaded(example("conforming/post-2013-network"))
    assert rows_of("formal-lines-with-ccgs-and-providers", conforming) == []


# -- 8. powers of networks --------------------------------------------------------------------


def test_powers_of_a_network_over_a_trust_and_a_ccg() -> None:
    data = loaded(example("nonconforming/post-2013-accountability-defects"))
    columns, rows = answer("network-powers", data)
    assert columns == names(
        "network networkName over overName overKind powerType powerTypeName",
        "recommendedAgainst power powerName asOf day",
    )
    net, now = ("ex:network", "Eastmere Cancer Network"), ("", "2014-06-30")
    reward = (
        "ex:power-network-ccg-south",
        "Eastmere Cancer Network's power to reward NHS Eastmere South and Fenside CCG",
    )
    manage = (
        "ex:power-network-trust",
        "Eastmere Cancer Network's power to performance manage Fenside Hospitals NHS Trust",
    )
    # the Board's power over the accountable officer is not a network's power
    assert rows == sorted(
        [
            row(net, "ex:ccg-eastmere-south", "NHS Eastmere South and Fenside CCG",
                "commissioner", "cg:Reward", "reward", "true", reward, now),
            row(net, "ex:trust-fenside", "Fenside Hospitals NHS Trust", "provider",
                "cg:PerformanceManagement", "performance management", "true", manage, now),
        ]
    )  # fmt: skip
    assert rows_of("network-powers", loaded(example("conforming/post-2013-network"))) == []


def test_a_power_to_remove_and_replace_is_not_recommended_against() -> None:
    data = from_text(
        """@prefix cg: <https://w3id.org/cancergraph/ontology#> .
        @prefix ex: <https://w3id.org/cancergraph/example/powers/> .
        ex:net a cg:SingleClinicalNetwork , cg:CancerNetwork .
        ex:trust a cg:NHSTrust .
        ex:p a cg:Power ; cg:powerHolder ex:net ; cg:powerOver ex:trust ;
            cg:powerType cg:RemoveAndReplace ."""
    )
    assert rows_of("network-powers", data, asOf="2014-06-30") == [
        row("ex:net", "", "ex:trust", "", "provider", "cg:RemoveAndReplace", "remove and replace",
            "false", "ex:p", "", "2014-06-30", "2014-06-30"),
    ]  # fmt: skip


# -- 9. funding allocations ------------------------------------------------------------------


def test_funding_by_network_and_year_with_spend_and_outcome() -> None:
    data = loaded(example("nonconforming/funding-defects"))
    columns, rows = answer("funding-allocations", data)
    assert columns == names(
        "network networkName financialYear allocation allocationName amount",
        "report reportName reportedSpend reportedOutcome year",
    )
    net = ("ex:network", "Ashcombe Cancer Network")
    spend_only = (
        "ex:expenditure-2006-pooled",
        "Statement of spend, Ashcombe Cancer Network pooled PCT funding 2006/07, to January 2007",
        "151000",
        "",
    )
    spend_and_outcome = (
        "ex:expenditure-2006-improvement",
        "Expenditure and outcome report, Ashcombe Cancer Network service improvement funding"
        " 2006/07, to January 2007",
        "88000",
        "31-day and 62-day cancer waiting times pathways redesigned for urology and upper GI;"
        " 62-day performance up from 84% to 93%.",
    )
    allocations = [
        row(net, "2005", "ex:funding-2005-core", "Ashcombe Cancer Network core funding 2005/06",
            "495000", blank(4)),
        row(net, "2006", "ex:funding-2006-core", "Ashcombe Cancer Network core funding 2006/07",
            "510000", blank(4)),
        row(net, "2006", "ex:funding-2006-pooled",
            "Ashcombe Cancer Network pooled PCT funding 2006/07", "180000", spend_only),
        row(net, "2006", "ex:funding-2006-improvement",
            "Ashcombe Cancer Network service improvement funding 2006/07", "95000",
            spend_and_outcome),
    ]  # fmt: skip

    def only(year: str) -> list[tuple[str, ...]]:
        return sorted(row(found, year) for found in allocations if year in ("", found[2]))

    assert rows == only("")
    assert rows_of("funding-allocations", data, year="2006") == only("2006")
    network = EX + "funding-defects/network"
    assert rows_of("funding-allocations", data, year="2005", network=network) == only("2005")
    assert rows_of("funding-allocations", data, network=network) == only("")
    assert rows_of("funding-allocations", data, network=EX + "funding-defects/sha") == []
    assert rows_of("funding-allocations", data, year="2004") == []


# -- 10. single clinical networks ----------------------------------------------------------


def test_single_clinical_network_with_a_board_for_each_area() -> None:
    data = loaded(example("conforming/single-clinical-network-merger"))
    columns, rows = answer("single-clinical-networks", data)
    assert columns == ["network", "networkName", "area", "areaName", "board", "boardName",
                       "asOf", "day"]  # fmt: skip
    net = ("ex:network", "Wendmere and Fallowby Strategic Clinical Network")
    now = ("", "2015-06-30")
    assert rows == sorted(
        [
            row(net, "cg:Cancer", "cancer", "ex:clinical-board-cancer",
                "Wendmere and Fallowby cancer clinical board", now),
            row(net, "cg:CardiacCare", "cardiac care", "ex:clinical-board-cardiac",
                "Wendmere and Fallowby cardiac clinical board", now),
            row(net, "cg:StrokeCare", "stroke care", "ex:clinical-board-stroke",
                "Wendmere and Fallowby stroke clinical board", now),
        ]
    )  # fmt: skip
    # the network was formed on 1 April 2013
    assert rows_of("single-clinical-networks", data, asOf="2013-01-01") == []


def test_single_clinical_network_without_a_stroke_board() -> None:
    data = loaded(example("nonconforming/single-clinical-network-defects"))
    net, now = ("ex:network", "Westholm Strategic Clinical Network"), ("", "2014-06-30")
    assert rows_of("single-clinical-networks", data) == sorted(
        [
            row(net, "cg:Cancer", "cancer", "ex:clinical-board-cancer",
                "Westholm cancer clinical board", now),
            row(net, "cg:CardiacCare", "cardiac care", "ex:clinical-board-cardiac",
                "Westholm cardiac clinical board", now),
            row(net, "cg:StrokeCare", "stroke care", "", "", now),
        ]
    )  # fmt: skip


# -- 11. members of a network ------------------------------------------------------------------


def test_members_and_roles_now_and_before_the_reforms() -> None:
    data = loaded(example("nonconforming/network-management-defects"))
    columns, rows = answer("network-members", data)
    assert columns == names(
        "network networkName member memberName role roleName membership from", "until asOf day"
    )
    net = ("ex:network", "Harrowdale Cancer Network")
    commissioner = ("cg:CommissionerRole", "commissioner")
    provider = ("cg:ProviderRole", "provider")
    lowmoor = ("ex:trust-lowmoor", "Lowmoor District Hospitals NHS Trust")
    foundation = ("ex:ft-harrowdale", "Harrowdale Hospitals NHS Foundation Trust")
    now = ("", "2014-09-30")
    assert rows == sorted(
        [
            row(net, "ex:ccg-harrowdale", "NHS Harrowdale CCG", commissioner,
                "ex:m-ccg-harrowdale", "2013-04-01", "", now),
            row(net, "ex:ccg-lowmoor", "NHS Lowmoor and Peaks CCG", commissioner,
                "ex:m-ccg-lowmoor", "2013-04-01", "", now),
            row(net, lowmoor, provider, "ex:m-trust-lowmoor", "2001-04-01", "", now),
            row(net, foundation, provider, "ex:m-ft-harrowdale", "2008-07-01", "", now),
            # no role stated; then a role of the setup's own, named by its label
            row(net, "ex:council", "Harrowdale County Council", "", "", "ex:m-council",
                "2013-04-01", "", now),
            row(net, "ex:research-charity", "Harrowdale Cancer Research Trust",
                "ex:research-partner-role", "research partner", "ex:m-research-charity",
                "2013-04-01", "", now),
        ]
    )  # fmt: skip
    # before the reforms: the primary care trust, not yet the CCGs or the other partners
    then = ("2012-01-01", "2012-01-01")
    assert rows_of("network-members", data, asOf="2012-01-01") == sorted(
        [
            row(net, "ex:pct-harrowdale", "Harrowdale Primary Care Trust", commissioner,
                "ex:m-pct-harrowdale", "2006-10-01", "2013-03-31", then),
            row(net, lowmoor, provider, "ex:m-trust-lowmoor", "2001-04-01", "", then),
            row(net, foundation, provider, "ex:m-ft-harrowdale", "2008-07-01", "", then),
        ]
    )  # fmt: skip


def test_members_of_one_predecessor_network() -> None:
    data = loaded(example("conforming/single-clinical-network-merger"))
    old = EX + "single-clinical-network-merger/old-cancer-network"
    rows = rows_of("network-members", data, asOf="2012-06-30", network=old)
    assert {(found[0], found[-2], found[-1]) for found in rows} == {
        ("ex:old-cancer-network", "2012-06-30", "2012-06-30")
    }
    assert sorted((found[2], found[5]) for found in rows) == [
        ("ex:ft-wendmere", "provider"),
        ("ex:pct-cressford", "commissioner"),
        ("ex:pct-fallowby", "commissioner"),
        ("ex:pct-oakhurst", "commissioner"),
        ("ex:pct-wendmere", "commissioner"),
        ("ex:pct-wendmere", "host"),
        ("ex:trust-fallowby", "provider"),
    ]
    # all its memberships ended with it on 31 March 2013
    assert rows_of("network-members", data, network=old) == []


# -- 12. lineage ------------------------------------------------------------------------------


def test_lineage_through_the_merger_and_the_succession() -> None:
    data = loaded(example("conforming/single-clinical-network-merger"))
    columns, rows = answer("organisation-lineage", data)
    assert columns == names(
        "organisation organisationName relation other otherName via viaName",
        "change changeName changeKind changeDate",
    )
    scn = ("ex:network", "Wendmere and Fallowby Strategic Clinical Network")
    cancer = ("ex:old-cancer-network", "Wendmere and Fallowby Cancer Network")
    cardiac = ("ex:old-cardiac-stroke-network", "Wendmere and Fallowby Cardiac and Stroke Network")
    pct = ("ex:pct-fallowby", "Fallowby Primary Care Trust")
    ccg = ("ex:ccg-fallowby", "NHS Fallowby CCG")
    merger = (
        "ex:merger",
        "Merger of the Wendmere and Fallowby cancer and cardiac and stroke networks",
        "merger",
        "2013-04-01",
    )
    succession = (
        "ex:succession-fallowby",
        "NHS Fallowby CCG succeeds Fallowby Primary Care Trust",
        "succession",
        "2013-04-01",
    )
    of_the_network = [
        row(scn, "predecessor", cancer, scn, merger),
        row(scn, "predecessor", cardiac, scn, merger),
    ]
    assert rows == sorted(
        [
            *of_the_network,
            row(cancer, "successor", scn, cancer, merger),
            row(cardiac, "successor", scn, cardiac, merger),
            row(pct, "successor", ccg, pct, succession),
            row(ccg, "predecessor", pct, ccg, succession),
        ]
    )
    network = EX + "single-clinical-network-merger/network"
    assert rows_of("organisation-lineage", data, organisation=network) == sorted(of_the_network)


LINEAGE = """@prefix cg: <https://w3id.org/cancergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://w3id.org/cancergraph/example/lineage/> .
ex:a rdfs:label "A" . ex:b rdfs:label "B" . ex:c rdfs:label "C" . ex:d rdfs:label "D" .
ex:m a cg:Merger ; org:originalOrganization ex:a , ex:b ; org:resultingOrganization ex:c ;
    cg:eventDate "2005-04-01"^^xsd:date .
ex:s a org:ChangeEvent ; org:originalOrganization ex:c ; org:resultingOrganization ex:d .
"""


def test_lineage_goes_back_and_forward_through_several_changes() -> None:
    data = from_text(LINEAGE)
    base = EX + "lineage/"
    a, b, c, d = ("ex:a", "A"), ("ex:b", "B"), ("ex:c", "C"), ("ex:d", "D")
    merger, change = ("ex:m", "", "merger", "2005-04-01"), ("ex:s", "", "change", "")
    assert rows_of("organisation-lineage", data, organisation=base + "d") == sorted(
        [
            row(d, "predecessor", c, d, change),
            row(d, "predecessor", a, c, merger),
            row(d, "predecessor", b, c, merger),
        ]
    )
    assert rows_of("organisation-lineage", data, organisation=base + "a") == sorted(
        [
            row(a, "successor", c, a, merger),
            row(a, "successor", d, c, change),
        ]
    )
    assert rows_of("organisation-lineage", data, organisation=base + "nobody") == []
    for params in ({}, {"organisation": base + "d"}):
        on_oxigraph, on_rdflib = both_engines("organisation-lineage", data, params)
        assert on_oxigraph == on_rdflib


# -- 13. findings per rule and network ------------------------------------------------------


def test_findings_per_rule_for_one_network() -> None:
    data = with_report(example("nonconforming/post-2013-accountability-defects"))
    columns, rows = answer("findings-per-rule-and-network", data)
    assert columns == ["rule", "severity", "network", "networkName", "findings"]
    net = ("ex:network", "Eastmere Cancer Network")
    # lines and powers go with the network that is a party to them or holds them
    assert rows == [
        row("KF-05", "Violation", net, "1"),
        row("KF-06", "Warning", net, "1"),
        row("KF-07", "Violation", net, "1"),
        row("KF-08", "Violation", net, "2"),
        row("KF-09", "Violation", net, "2"),
        row("KF-19", "Warning", net, "2"),
    ]


def test_findings_that_concern_no_network() -> None:
    data = with_report(example("nonconforming/integrity-defects"))
    net, none = ("ex:network", "Brackenford Cancer Network"), ("", "")
    assert rows_of("findings-per-rule-and-network", data) == sorted(
        [
            # the cycle: the Department and the authority belong to no network; the PCT does
            row("INT-01", "Violation", none, "2"),
            row("INT-01", "Violation", net, "1"),
            # the PCT's line to the authority links no network
            row("INT-02", "Violation", none, "1"),
            # a membership, a plan of the network, a post in a (past) team of the network,
            # the network's partnership agreement
            row("INT-02", "Violation", net, "4"),
            # the arrangement, a member PCT, a post in the team, a member trust
            row("INT-03", "Violation", net, "4"),
        ]
    )


def test_findings_go_with_the_network_named_or_the_current_membership() -> None:
    data = with_report(example("nonconforming/post-2013-ccg-defects"))
    net = ("ex:network", "Northfold Cancer Network")
    # KF-11 is about the Coast CCG, which had left the network by the reference date
    assert rows_of("findings-per-rule-and-network", data) == [
        row("KF-04", "Violation", net, "1"),
        row("KF-10", "Violation", net, "1"),
        row("KF-11", "Warning", "", "", "1"),
        row("KF-18", "Info", net, "1"),
    ]
    data = with_report(example("nonconforming/cancer-plan-defects"))
    net = ("ex:network", "Wenvale Cancer Network")
    # the strategy and the initiatives belong to no network; NAO-08 names the network as value
    assert rows_of("findings-per-rule-and-network", data) == [
        row("NAO-01", "Warning", "", "", "1"),
        row("NAO-02", "Info", "", "", "2"),
        row("NAO-04", "Warning", net, "2"),
        row("NAO-08", "Warning", net, "1"),
    ]
    conforming = with_report(example("conforming/post-2013-network"))
    assert rows_of("findings-per-rule-and-network", conforming) == []


# -- parameters through the engine -----------------------------------------------------------


def test_parameter_values_are_terms_not_query_text() -> None:
    data = loaded(example("nonconforming/funding-defects"))
    sneaky = EX + "funding-defects/network> . ?x ?y ?z . <urn:x"
    with pytest.raises(queries.QueryError, match="parameter network"):
        queries.run(data, queries.library()["funding-allocations"], {"network": sneaky})
    labelled = queries.NamedQuery(
        name="labelled",
        text="PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label ?who WHERE { ?who rdfs:label ?label }",
        parameters=(queries.Parameter("label", "string"),),
    )
    # a string is matched as a whole string, whatever it contains
    assert list(queries.run(data, labelled, {"label": 'Ashcombe Cancer Network" } #'})) == []
    found = queries.run(data, labelled, {"label": "Ashcombe Cancer Network"})
    assert [cell(solution["who"]) for solution in found] == ["ex:network"]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("essential-posts", {"asOf": "30/06/2014"}, "parameter asOf: '30/06/2014' is not a valid"
         " date"),
        ("funding-allocations", {"year": "2006/07"}, "parameter year: '2006/07' is not a valid"
         " integer"),
        ("funding-allocations", {"network": "not an iri"}, "parameter network"),
        ("essential-posts", {"network": EX}, "unknown parameter network for query"
         " 'essential-posts' (its parameters: asOf)"),
        ("findings-per-rule-and-network", {"asOf": "2014-06-30"}, "(its parameters: none)"),
    ],
)  # fmt: skip
def test_bad_parameters_are_refused_naming_them(name: str, params: dict, message: str) -> None:
    data = loaded(example("conforming/post-2013-network"))
    with pytest.raises(queries.QueryError, match=re.escape(message)):
        queries.run(data, queries.library()[name], params)


def test_decimal_parameters_become_valid_decimals() -> None:
    amount = queries.Parameter("amount", "decimal")
    assert queries.term_for(amount, "1e5").value == "100000"
    assert queries.term_for(amount, "1234.50").value == "1234.50"
    for bad in ("NaN", "Infinity", "12,5"):
        with pytest.raises(queries.QueryError, match="parameter amount"):
            queries.term_for(amount, bad)


@pytest.mark.parametrize(
    ("text", "form", "dataset"),
    [
        ("PREFIX ask: <http://x/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ask:p ?o }", "CONSTRUCT", 0),
        ("PREFIX ex: <http://x/> SELECT ?ask WHERE { ?ask ex:describe ?o }", "SELECT", 0),
        ("# ASK in a comment\nDESCRIBE <http://x/ASK>", "DESCRIBE", 0),
        ("SELECT ?from WHERE { ?x cg:validFrom ?from ; ex:from.FROM ?y }", "SELECT", 0),
        ('SELECT * WHERE { ?s ?p "FROM" }', "SELECT", 0),
        ("SELECT *FROM<http://x/g> WHERE { ?s ?p ?o }", "SELECT", 1),
        ("ask from named <http://x/g> { graph ?g { ?s ?p ?o } }", "ASK", 1),
    ],
)
def test_query_form_and_dataset_are_read_from_keywords(text: str, form: str, dataset: int) -> None:
    """Keywords count, not variables, prefixes, prefixed names, strings, IRIs or comments."""
    assert queries.query_form(text) == form
    assert queries.declares_dataset(text) is bool(dataset)


# -- setups stated the other way ------------------------------------------------------------

ORG = "http://www.w3.org/ns/org#"
# ORG relations a setup may state from either end (docs/modelling.md), as (one, other).
EITHER_END = [(ORG + "unitOf", ORG + "hasUnit"), (ORG + "heldBy", ORG + "holds")]


def stated_the_other_way(path: Path) -> rdflib.Graph:
    """A setup as its author could equally have written it.

    Each relation ORG names from both ends is stated from the other end, and a single
    clinical network that covers cancer is not also typed a cancer network, which the
    ontology makes it anyway.
    """
    graph = rdflib.Graph().parse(path)
    for one, other in EITHER_END:
        for s, o in list(graph.subject_objects(rdflib.URIRef(one))):
            graph.remove((s, rdflib.URIRef(one), o))
            graph.add((o, rdflib.URIRef(other), s))
    scn, network = rdflib.URIRef(CG + "SingleClinicalNetwork"), rdflib.URIRef(CG + "CancerNetwork")
    for node in list(graph.subjects(rdflib.RDF.type, scn)):
        if (node, rdflib.URIRef(CG + "coversClinicalArea"), rdflib.URIRef(CG + "Cancer")) in graph:
            graph.remove((node, rdflib.RDF.type, network))
    return graph


def as_other_way(path: Path, report: bool) -> ox.Store:
    data = ox.Store()
    store.add_graph(data, stated_the_other_way(path))
    if report:
        store.add_graph(data, as_graph(report_for(path)), "urn:cancergraph:test:report")
    return data


def test_the_other_way_changes_some_example() -> None:
    changed = [
        path
        for path in EXAMPLE_SETUPS
        if set(stated_the_other_way(path)) != set(rdflib.Graph().parse(path))
    ]
    assert len(changed) >= 3, changed


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_every_query_reads_a_setup_stated_either_way(name: str) -> None:
    """The ontology lets a setup state ORG's relations from either end and leave a single
    clinical network covering cancer untyped as a cancer network; an analyst's answer must
    not depend on which way the setup was written.
    """
    report = name == "findings-per-rule-and-network"
    for path in REPORTED if report else EXAMPLE_SETUPS:
        stated = with_report(path) if report else loaded(path)
        other = as_other_way(path, report)
        for params in parameter_sets(name):
            expected = answer(name, stated, **params)
            assert answer(name, other, **params) == expected, f"{name} on {path.name} {params}"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?asOf ?day WHERE { BIND (?asOf AS ?day) }",
        "SELECT ?asOf ?day WHERE {\n  BIND ( (?asOf) AS ?day )\n}",
        "SELECT ?asOf (?asOf AS ?day) WHERE { }",
    ],
)
def test_a_parameter_copied_into_another_variable_is_refused(text: str) -> None:
    """pyoxigraph would leave the copy unbound, and the query answer as if the parameter
    had no value."""
    query = queries.NamedQuery(
        name="copied", text=text, parameters=(queries.Parameter("asOf", "date"),)
    )
    data = ox.Store()
    with pytest.raises(queries.QueryError, match=r"\?asOf is copied into another variable"):
        queries.run(data, query, {"asOf": "2014-06-30"})
    # without a value the copy is simply unbound, as the parameter is
    assert [s["day"] for s in queries.run(data, query, {})] == [None]


def test_a_parameter_used_in_an_expression_or_a_function_is_not_refused() -> None:
    query = queries.NamedQuery(
        name="used",
        text='SELECT ?asOf ?day ?text WHERE { BIND (COALESCE(?asOf, "none") AS ?day) '
        "BIND (STR(?asOf) AS ?text) } # BIND (?asOf AS ?x)",
        parameters=(queries.Parameter("asOf", "date"),),
    )
    (solution,) = queries.run(ox.Store(), query, {"asOf": "2014-06-30"})
    assert solution["day"].value == "2014-06-30" and solution["text"].value == "2014-06-30"
