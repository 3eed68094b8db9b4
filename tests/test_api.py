"""The HTTP service through FastAPI's test client: every route and every error."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from starlette.datastructures import UploadFile

from cancergraph import queries, resources, store
from cancergraph.render import query_results
from cancergraph.server.app import create_app
from cancergraph.server.datastore import ONTOLOGY_GRAPH, example_graph_name
from cancergraph.server.settings import Settings
from conftest import CONFORMING, NONCONFORMING, golden, key_counter

TOKEN = "s3cret-token"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FORM_MEDIA = "application/x-www-form-urlencoded"
POST_2013 = next(p for p in CONFORMING if p.stem == "post-2013-network")
BROKEN = next(p for p in NONCONFORMING if any(f["rule"] == "KF-10" for f in golden(p)))
EXAMPLE_GRAPH = example_graph_name(POST_2013)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(
        store=tmp_path_factory.mktemp("store"), workers=2, write_token=TOKEN, max_body=200_000
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def readonly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(store=tmp_path_factory.mktemp("ro"), workers=1, seed_examples=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def count(client: TestClient, graph: str | None = None) -> int:
    text = (
        COUNT
        if graph is None
        else f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    response = client.get("/sparql", params={"query": text})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- service ------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_first_run_loads_ontology_and_each_example_in_its_own_graph(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"})
    graphs = {b["g"]["value"] for b in response.json()["results"]["bindings"]}
    assert ONTOLOGY_GRAPH in graphs
    for path in CONFORMING + NONCONFORMING:
        assert example_graph_name(path) in graphs
    assert count(client, EXAMPLE_GRAPH) == len(Graph().parse(POST_2013))


def test_openapi_documents_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/sparql",
        "/update",
        "/store",
        "/validate",
        "/queries",
        "/queries/{name}",
        "/queries/{name}/results",
        "/rules",
        "/ontology",
        "/health",
    ):
        assert path in spec["paths"], path
    assert "415" in spec["paths"]["/sparql"]["post"]["responses"]
    assert "401" in spec["paths"]["/store"]["put"]["responses"]
    for method in ("put", "post"):
        operation = spec["paths"]["/store"][method]
        assert {"201", "204"} <= set(operation["responses"]) and "200" not in operation["responses"]
        assert "text/turtle" in operation["requestBody"]["content"]
    assert "204" in spec["paths"]["/update"]["post"]["responses"]


@pytest.mark.parametrize("path", ["/health", "/store?default", "/", "/rules", "/sparql"])
def test_head_answers_as_get_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/store?default", "DELETE, GET, HEAD, POST, PUT"),
        ("PUT", "/sparql", "GET, HEAD, POST"),
        ("DELETE", "/queries/x/results", "GET, HEAD, POST"),
        ("GET", "/update", "POST"),
    ],
)
def test_405_lists_every_allowed_method(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed


# -- SPARQL protocol ----------------------------------------------------------------


def test_query_by_get_post_form_and_post_body(client: TestClient) -> None:
    expected = count(client)
    form = client.post("/sparql", data={"query": COUNT})
    body = client.post(
        "/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query"}
    )
    for response in (form, body):
        assert response.status_code == 200, response.text
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"head"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "n\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", "?n\n"),
        ("*/*", "application/sparql-results+json", '"head"'),
    ],
)
def test_select_content_negotiation(
    client: TestClient, accept: str, media: str, marker: str
) -> None:
    response = client.get("/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert marker in response.text


def test_ask_falls_back_to_a_format_that_has_booleans(client: TestClient) -> None:
    """SPARQL's CSV and TSV have no boolean form: a client that takes JSON as well gets it,
    one that takes only CSV gets 406."""
    params = {"query": "ASK { ?s a ?o }"}
    accept = {"Accept": "text/csv, application/sparql-results+json;q=0.9"}
    response = client.get("/sparql", params=params, headers=accept)
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    assert response.headers["vary"] == "Accept"
    assert client.get("/sparql", params=params, headers={"Accept": "text/csv"}).status_code == 406
    explicit = client.get("/sparql", params={**params, "format": "csv"})
    assert explicit.status_code == 400 and "use json, xml" in explicit.text


def test_ask(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": "ASK { ?s a ?o }"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert "<boolean>true</boolean>" in response.text
    assert client.get("/sparql", params={"query": "ASK { <urn:x> <urn:y> <urn:z> }"}).json() == {
        "head": {},
        "boolean": False,
    }


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_content_negotiation(client: TestClient, accept: str, rdflib_format: str) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EXAMPLE_GRAPH}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=response.text, format=rdflib_format)) == len(
        Graph().parse(POST_2013)
    )


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": COUNT, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("values", "media"),
    [
        (["tsv", "text/tab-separated-values"], "text/tab-separated-values"),
        (["json", "application/sparql-results+json"], "application/sparql-results+json"),
    ],
)
def test_format_given_by_name_and_by_media_type_is_one_choice(
    client: TestClient, values: list[str], media: str
) -> None:
    """SPARQLWrapper sends some formats twice, by short name and by media type."""
    for response in (
        client.get("/sparql", params={"query": COUNT, "format": values}),
        client.post("/sparql", data={"query": COUNT, "format": values}),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)


def test_format_given_twice_naming_two_formats_is_400(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COUNT, "format": ["csv", "json"]})
    assert response.status_code == 400
    assert "names different formats" in response.text


def test_default_and_named_graph_uri(client: TestClient) -> None:
    only = client.get("/sparql", params={"query": COUNT, "default-graph-uri": EXAMPLE_GRAPH})
    assert int(only.json()["results"]["bindings"][0]["n"]["value"]) == count(client, EXAMPLE_GRAPH)
    named = client.post(
        "/sparql",
        data={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": [EXAMPLE_GRAPH, ONTOLOGY_GRAPH],
        },
    )
    graphs = {b["g"]["value"] for b in named.json()["results"]["bindings"]}
    assert graphs == {EXAMPLE_GRAPH, ONTOLOGY_GRAPH}


def solutions(client: TestClient, query: str, **protocol: list[str]) -> list[dict]:
    params: dict[str, object] = {"query": query}
    params.update({name.replace("_", "-"): value for name, value in protocol.items()})
    response = client.get("/sparql", params=params)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_the_querys_own_dataset_is_used(client: TestClient) -> None:
    """FROM and FROM NAMED make the dataset when the request names no graphs."""
    example = count(client, EXAMPLE_GRAPH)
    from_example = f"SELECT (COUNT(*) AS ?n) FROM <{EXAMPLE_GRAPH}> WHERE {{ ?s ?p ?o }}"
    (row,) = solutions(client, from_example)
    assert int(row["n"]["value"]) == example < count(client)
    only_named = f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{ONTOLOGY_GRAPH}> WHERE "
    assert solutions(client, only_named + "{ ?s ?p ?o } GROUP BY ?g") == []
    (row,) = solutions(client, only_named + "{ GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert row["g"]["value"] == ONTOLOGY_GRAPH


def test_protocol_graphs_make_the_whole_dataset(client: TestClient) -> None:
    """SPARQL 1.1 Protocol 2.1.4: the graphs named in the request replace the query's own,
    and a side the request leaves out is empty."""
    example = count(client, EXAMPLE_GRAPH)
    overridden = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}"
    (row,) = solutions(client, overridden, default_graph_uri=[EXAMPLE_GRAPH])
    assert int(row["n"]["value"]) == example
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert solutions(client, graphs, default_graph_uri=[EXAMPLE_GRAPH]) == []
    nonempty = COUNT + " HAVING (COUNT(*) > 0)"
    assert solutions(client, nonempty, named_graph_uri=[EXAMPLE_GRAPH]) == []
    named = solutions(client, graphs, named_graph_uri=[EXAMPLE_GRAPH])
    assert [b["g"]["value"] for b in named] == [EXAMPLE_GRAPH]


def test_the_union_default_graph_is_a_merge(client: TestClient) -> None:
    """A triple in two graphs is one triple of the default graph, as an RDF merge has it,
    and is still in each graph."""
    nt = {"Content-Type": "application/n-triples", **auth()}
    triple = "<urn:t:twice> <urn:t:p> <urn:t:o> .\n"
    for graph in ("urn:t:first", "urn:t:second"):
        assert client.put(f"/store?graph={graph}", content=triple, headers=nt).status_code == 201
    try:
        once = "SELECT (COUNT(*) AS ?n) WHERE { <urn:t:twice> ?p ?o }"
        (row,) = solutions(client, once)
        assert row["n"]["value"] == "1"
        each = "SELECT ?g WHERE { GRAPH ?g { <urn:t:twice> ?p ?o } } ORDER BY ?g"
        assert [b["g"]["value"] for b in solutions(client, each)] == [
            "urn:t:first",
            "urn:t:second",
        ]
        both = ["urn:t:first", "urn:t:second"]
        (row,) = solutions(client, once, default_graph_uri=both)
        assert row["n"]["value"] == "1", "several default-graph-uris are merged too"
        named = solutions(client, each, default_graph_uri=both, named_graph_uri=["urn:t:second"])
        assert [b["g"]["value"] for b in named] == ["urn:t:second"]
    finally:
        for graph in ("urn:t:first", "urn:t:second"):
            client.delete(f"/store?graph={graph}", headers=auth())


def test_a_variable_or_term_called_from_is_not_a_dataset(client: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?from FILTER (?p != <urn:x:FROM>) }"
    (row,) = solutions(client, query)
    assert int(row["n"]["value"]) == count(client)


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
def test_a_protocol_graph_that_is_not_an_iri_is_400(client: TestClient, name: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", name: "not an iri"})
    assert response.status_code == 400
    assert f"{name} must be an absolute IRI" in response.text


def test_service_description(client: TestClient, readonly: TestClient) -> None:
    """Queries and updates are each described at the endpoint that takes them."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    for service, updates in ((client, True), (readonly, False)):
        response = service.get("/sparql", headers={"Accept": "text/turtle"})
        assert response.status_code == 200
        graph = Graph().parse(data=response.text, format="turtle")
        endpoints = {
            str(row.language).removeprefix(sd): str(row.endpoint).rsplit("/", 1)[-1]
            for row in graph.query(
                "SELECT ?endpoint ?language WHERE { ?s sd:endpoint ?endpoint ; "
                "sd:supportedLanguage ?language }",
                initNs={"sd": sd},
            )
        }
        expected = {"SPARQL11Query": "sparql"} | ({"SPARQL11Update": "update"} if updates else {})
        assert endpoints == expected


def test_syntax_error_is_400_and_names_the_line(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT *\nWHERE {\n ?s ?p \n}"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert ":4:" in response.text and "syntax error" in response.text


def test_two_query_parameters_is_400(client: TestClient) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400
    assert "given 2 times" in response.text


def test_non_utf8_body_is_400(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        content=b"SELECT * WHERE { ?s ?p \xff }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_missing_query_in_form_is_400(client: TestClient) -> None:
    response = client.post("/sparql", data={"default-graph-uri": EXAMPLE_GRAPH})
    assert response.status_code == 400
    assert "missing parameter: query" in response.text


def test_wrong_media_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=COUNT, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_wrong_method_is_405(client: TestClient) -> None:
    response = client.put("/sparql", content=COUNT)
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/plain")


def test_unacceptable_accept_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_service_is_refused(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE is not allowed" in response.text


def test_oversized_body_is_413(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=b"#" * 300_000, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


# -- updates and the graph store ----------------------------------------------------


def test_writes_disabled_without_a_token(readonly: TestClient) -> None:
    response = readonly.post(
        "/update",
        content="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update", **auth("anything")},
    )
    assert response.status_code == 403
    assert "disabled" in response.text
    assert (
        readonly.put(
            "/store?graph=urn:g",
            content="<urn:a> <urn:b> <urn:c> .",
            headers={"Content-Type": "application/n-triples"},
        ).status_code
        == 403
    )


def test_reads_queued_behind_writes_keep_their_snapshot(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query or validation given a snapshot still finds it after more writes than
    snapshots are kept for have been published while it waited for a worker."""
    pool = client.app.state.pool
    datastore = client.app.state.datastore
    run = pool.run
    scratch = ox.NamedNode("urn:test:scratch")

    async def after_writes(job: object, timeout: float) -> object:
        for number in range(5):
            quad = ox.Quad(scratch, scratch, ox.Literal(str(number)), scratch)
            datastore.put_graph(scratch, [quad])
        return await run(job, timeout)

    monkeypatch.setattr(pool, "run", after_writes)
    queried = client.get("/sparql", params={"query": COUNT})
    validated = client.get("/validate", params={"graph": EXAMPLE_GRAPH})
    page = client.get("/ui/query", params={"query": COUNT})
    assert queried.status_code == 200, queried.text
    assert validated.status_code == 200, validated.text
    assert page.status_code == 200 and "internal error" not in page.text, page.text
    snapshots = sorted(datastore.snapshots_path.glob("g*"))
    assert snapshots == [datastore.snapshot().path], "finished reads leave no snapshot behind"
    datastore.delete_graph(scratch)


def test_update_needs_the_token(client: TestClient) -> None:
    update = "INSERT DATA { GRAPH <urn:t:u> { <urn:a> <urn:b> <urn:c> } }"
    headers = {"Content-Type": "application/sparql-update"}
    assert client.post("/update", content=update, headers=headers).status_code == 401
    wrong = client.post("/update", content=update, headers={**headers, **auth("nope")})
    assert wrong.status_code == 403
    assert count(client, "urn:t:u") == 0
    assert client.post("/update", content=update, headers={**headers, **auth()}).status_code == 204
    assert count(client, "urn:t:u") == 1
    form = client.post("/update", data={"update": "DROP GRAPH <urn:t:u>"}, headers=auth())
    assert form.status_code == 204
    assert count(client, "urn:t:u") == 0


def test_an_update_sent_to_the_query_endpoint_says_where_it_goes(client: TestClient) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    for response in (
        client.get("/sparql", params={"update": update}),
        client.post("/sparql", data={"update": update}),
    ):
        assert response.status_code == 400
        assert "/update" in response.text
    as_query = client.get("/sparql", params={"query": update})
    assert as_query.status_code == 400
    assert "this is an update (INSERT), not a query" in as_query.text


def test_a_query_sent_as_an_update_is_named_and_changes_nothing(client: TestClient) -> None:
    before = count(client)
    response = client.post(
        "/update",
        content="SELECT * WHERE { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-update", **auth()},
    )
    assert response.status_code == 400
    assert "this is a query (SELECT), not an update" in response.text
    assert count(client) == before


def test_failed_update_changes_nothing(client: TestClient) -> None:
    before = count(client)
    bad = "INSERT DATA { GRAPH <urn:t:x> { <urn:a> <urn:b> <urn:c> } } ; INSERT DATA { <urn:a> }"
    response = client.post(
        "/update", content=bad, headers={"Content-Type": "application/sparql-update", **auth()}
    )
    assert response.status_code == 400
    assert "syntax error" in response.text
    assert count(client) == before


def test_an_update_that_fails_as_it_runs_is_400_and_changes_nothing(client: TestClient) -> None:
    before = count(client)
    update = (
        "INSERT DATA { GRAPH <urn:t:run> { <urn:a> <urn:b> 1 } } ; "
        f"CREATE GRAPH <{ONTOLOGY_GRAPH}>"
    )
    headers = {"Content-Type": "application/sparql-update", **auth()}
    response = client.post("/update", content=update, headers=headers)
    assert response.status_code == 400, response.text
    assert "the update failed, and nothing was changed" in response.text
    assert count(client) == before


@pytest.mark.parametrize("name", ["using-graph-uri", "using-named-graph-uri"])
def test_update_protocol_datasets_are_refused_not_ignored(client: TestClient, name: str) -> None:
    update = "INSERT { GRAPH <urn:t:using> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    by_body = client.post(
        "/update",
        params={name: EXAMPLE_GRAPH},
        content=update,
        headers={"Content-Type": "application/sparql-update", **auth()},
    )
    by_form = client.post("/update", data={"update": update, name: EXAMPLE_GRAPH}, headers=auth())
    for response in (by_body, by_form):
        assert response.status_code == 400
        assert f"{name} is not supported" in response.text
    assert count(client, "urn:t:using") == 0


def test_form_fields_may_end_with_an_ampersand(client: TestClient) -> None:
    response = client.post(
        "/sparql", content="query=ASK%7B%7D&", headers={"Content-Type": FORM_MEDIA}
    )
    assert response.status_code == 200, response.text


def test_update_load_is_refused(client: TestClient) -> None:
    response = client.post(
        "/update",
        content="LOAD <http://127.0.0.1:9/data.ttl>",
        headers={"Content-Type": "application/sparql-update", **auth()},
    )
    assert response.status_code == 400
    assert "LOAD is not allowed" in response.text


def test_graph_store_put_get_post_delete(client: TestClient) -> None:
    graph = "urn:t:gsp"
    nt = {"Content-Type": "application/n-triples", **auth()}
    created = client.put(f"/store?graph={graph}", content="<urn:a> <urn:b> <urn:c> .\n", headers=nt)
    assert created.status_code == 201
    replaced = client.put(
        f"/store?graph={graph}", content="<urn:a> <urn:b> <urn:d> .\n", headers=nt
    )
    assert replaced.status_code == 204
    added = client.post(f"/store?graph={graph}", content="<urn:a> <urn:b> <urn:e> .\n", headers=nt)
    assert added.status_code == 204
    got = client.get(f"/store?graph={graph}", headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    assert sorted(got.text.strip().splitlines()) == [
        "<urn:a> <urn:b> <urn:d> .",
        "<urn:a> <urn:b> <urn:e> .",
    ]
    assert client.delete(f"/store?graph={graph}", headers=auth()).status_code == 204
    assert client.get(f"/store?graph={graph}").status_code == 404
    assert client.delete(f"/store?graph={graph}", headers=auth()).status_code == 404
    made = client.post(f"/store?graph={graph}", content="<urn:a> <urn:b> <urn:f> .\n", headers=nt)
    assert made.status_code == 201, "POST to a graph that did not exist creates it"
    assert client.delete(f"/store?graph={graph}", headers=auth()).status_code == 204


def test_of_writes_that_create_a_graph_at_once_only_one_created_it(tmp_path: Path) -> None:
    """Each write looks for its graph under the write lock: of PUTs and POSTs racing to
    a new graph, one answers 201 and the others 204, and of DELETEs one answers 204."""
    from concurrent.futures import ThreadPoolExecutor

    from cancergraph.server.datastore import DataStore

    datastore = DataStore(tmp_path)
    try:
        graph = ox.NamedNode("urn:t:race")
        quad = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c"))
        writes = [datastore.put_graph, datastore.add_to_graph] * 4
        with ThreadPoolExecutor(len(writes)) as pool:
            existed = list(pool.map(lambda write: write(graph, [quad]), writes))
        assert sorted(existed) == [False] + [True] * (len(writes) - 1)
        with ThreadPoolExecutor(4) as pool:
            deleted = list(pool.map(lambda _: datastore.delete_graph(graph), range(4)))
        assert sorted(deleted) == [False, False, False, True]
    finally:
        datastore.close()


def test_a_triple_term_in_a_body_is_stored_and_read_back(client: TestClient) -> None:
    graph = "urn:t:triple-term"
    body = "<urn:a> <urn:says> <<( <urn:s> <urn:p> <urn:o> )>> .\n"
    headers = {"Content-Type": "application/n-triples", **auth()}
    assert client.put(f"/store?graph={graph}", content=body, headers=headers).status_code == 201
    got = client.get(f"/store?graph={graph}", headers={"Accept": "application/n-triples"})
    assert got.text == body
    # pyoxigraph writes no triple term in JSON-LD: a 406 naming the formats that can
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    for response in (
        client.get(f"/store?graph={graph}", headers={"Accept": "application/ld+json"}),
        client.get("/sparql", params={"query": construct, "format": "jsonld"}),
    ):
        assert response.status_code == 406, response.text
        assert "jsonld cannot hold this graph" in response.text and "turtle" in response.text
    assert client.delete(f"/store?graph={graph}", headers=auth()).status_code == 204


def test_relative_iris_in_a_body_are_the_graphs(client: TestClient) -> None:
    graph = "http://example.org/setups/north"
    headers = {"Content-Type": "text/turtle", **auth()}
    body = "<#net> <#name> <other> ."
    assert client.put(f"/store?graph={graph}", content=body, headers=headers).status_code == 201
    got = client.get(f"/store?graph={graph}", headers={"Accept": "application/n-triples"})
    assert got.text == (
        "<http://example.org/setups/north#net> <http://example.org/setups/north#name> "
        "<http://example.org/setups/other> .\n"
    )
    assert client.delete(f"/store?graph={graph}", headers=auth()).status_code == 204


def test_a_post_to_the_graph_store_itself_makes_a_new_graph(client: TestClient) -> None:
    headers = {"Content-Type": "application/n-triples", **auth()}
    body = "<urn:a> <urn:b> <urn:c> .\n"
    first = client.post("/store", content=body, headers=headers)
    second = client.post("/store", content=body, headers=headers)
    assert first.status_code == second.status_code == 201
    graphs = [first.text.strip(), second.text.strip()]
    assert graphs[0] != graphs[1], "each POST makes a graph of its own"
    for graph, response in zip(graphs, (first, second), strict=True):
        located = client.get(
            response.headers["location"], headers={"Accept": "application/n-triples"}
        )
        assert located.status_code == 200 and located.text == body
        assert count(client, graph) == 1
        assert client.delete(f"/store?graph={graph}", headers=auth()).status_code == 204
    refused = client.post("/store", content=body, headers={"Content-Type": "application/n-triples"})
    assert refused.status_code == 401


def test_an_empty_document_empties_a_graph(client: TestClient) -> None:
    """An empty N-Triples or Turtle document is the empty graph: a PUT of one empties
    the graph (and creates it, empty, if it did not exist); a POST adds nothing."""
    graph = "urn:t:emptied"
    nt = {"Content-Type": "application/n-triples", **auth()}
    created = client.put(f"/store?graph={graph}", content=b"", headers=nt)
    assert created.status_code == 201
    got = client.get(f"/store?graph={graph}", headers={"Accept": "application/n-triples"})
    assert (got.status_code, got.text.strip()) == (200, "")
    graphs = solutions(client, "SELECT ?g WHERE { GRAPH ?g {} }")
    assert {"type": "uri", "value": graph} in [row["g"] for row in graphs]
    client.put(f"/store?graph={graph}", content="<urn:a> <urn:b> <urn:c> .\n", headers=nt)
    assert count(client, graph) == 1
    assert client.post(f"/store?graph={graph}", content=b"", headers=nt).status_code == 204
    assert count(client, graph) == 1
    turtle = {"Content-Type": "text/turtle", **auth()}
    assert client.put(f"/store?graph={graph}", content=b"\n", headers=turtle).status_code == 204
    assert count(client, graph) == 0
    assert client.get(f"/store?graph={graph}").status_code == 200
    json_ld = {"Content-Type": "application/ld+json", **auth()}
    not_json = client.put(f"/store?graph={graph}", content=b"", headers=json_ld)
    assert not_json.status_code == 400 and "request body" in not_json.text
    assert client.delete(f"/store?graph={graph}", headers=auth()).status_code == 204


def test_the_default_graph_always_exists(client: TestClient) -> None:
    """Writing the default graph modifies it (204); it is never created (201)."""
    nt = {"Content-Type": "application/n-triples", **auth()}
    for write in (client.put, client.post, client.put):
        response = write("/store?default", content="<urn:t:d> <urn:b> <urn:c> .\n", headers=nt)
        assert response.status_code == 204, response.text
    assert client.delete("/store?default", headers=auth()).status_code == 204


def test_bad_rdf_in_put_changes_nothing_and_names_the_line(client: TestClient) -> None:
    before = count(client, EXAMPLE_GRAPH)
    response = client.put(
        f"/store?graph={EXAMPLE_GRAPH}",
        content="@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n",
        headers={"Content-Type": "text/turtle", **auth()},
    )
    assert response.status_code == 400
    assert "request body:3:" in response.text
    assert count(client, EXAMPLE_GRAPH) == before


CUT_SHORT_RDFXML = (
    '<?xml version="1.0"?>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">\n'
    ' <rdf:Description rdf:about="urn:ex:a"><ex:b rdf:resource="urn:ex:c"/></rdf:Description>\n'
    ' <rdf:Description rdf:about="urn:ex:d">\n'
    "  <ex:e>"
)


JSONLD_LOSING_A_KEY = '{"@context": {}, "@id": "urn:ex:a", "urn:ex:p": "kept", "nmae": "lost"}'


@pytest.mark.parametrize(
    ("body", "media_type", "where", "why"),
    [
        # pyoxigraph reads such a document up to the cut; the rest would be lost unseen
        (CUT_SHORT_RDFXML, "application/rdf+xml", "request body:5:", "cut short"),
        # JSON-LD drops the values of a key that maps to no IRI
        (JSONLD_LOSING_A_KEY, "application/ld+json", "request body:1:", '"nmae" maps to no IRI'),
    ],
)
def test_a_body_that_would_be_read_in_part_is_refused_not_stored(
    client: TestClient, body: str, media_type: str, where: str, why: str
) -> None:
    before = count(client, EXAMPLE_GRAPH)
    response = client.put(
        f"/store?graph={EXAMPLE_GRAPH}",
        content=body,
        headers={"Content-Type": media_type, **auth()},
    )
    assert response.status_code == 400
    assert where in response.text and why in response.text
    assert count(client, EXAMPLE_GRAPH) == before
    validated = client.post("/validate", content=body, headers={"Content-Type": media_type})
    assert validated.status_code == 400 and where in validated.text and why in validated.text


def test_graph_store_errors(client: TestClient) -> None:
    assert client.get("/store").status_code == 400
    assert "missing parameter" in client.get("/store").text
    assert client.get("/store?graph=urn:a&default").status_code == 400
    unknown = client.put(
        "/store?graph=urn:t:z", content="x", headers={"Content-Type": "application/pdf", **auth()}
    )
    assert unknown.status_code == 415
    assert client.get("/store?default", headers={"Accept": "text/turtle"}).status_code == 200
    for bad in ("foo", "http://x/%zz", "urn:a b"):
        for response in (
            client.get("/store", params={"graph": bad}),
            client.put("/store", params={"graph": bad}, content="", headers=auth()),
        ):
            assert response.status_code == 400, (bad, response.text)
            assert "graph must be an absolute IRI" in response.text


# -- validation -------------------------------------------------------------------------


def findings(report: dict) -> object:
    return key_counter(report["results"])


def test_validate_a_body_gives_the_cli_json_contract(client: TestClient) -> None:
    response = client.post(
        "/validate", content=BROKEN.read_bytes(), headers={"Content-Type": "text/turtle"}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert list(report)[:2] == ["conforms", "results"]
    assert findings(report) == key_counter(golden(BROKEN))
    assert response.headers["x-validation-conforms"] == "false"
    assert response.headers["x-validation-fails"] == "true"


def test_validate_a_multipart_upload_as_html(client: TestClient) -> None:
    response = client.post(
        "/validate",
        files={"file": (BROKEN.name, BROKEN.read_bytes(), "application/octet-stream")},
        data={"format": "html"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "KF-10" in response.text and "What to do" in response.text


@pytest.mark.parametrize("well_formed", [True, False], ids=["well-formed", "malformed"])
def test_a_multipart_upload_closes_its_files(
    client: TestClient, well_formed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploaded files are spooled to temporary files; each request closes its own, whether
    its RDF is well-formed or not, rather than leaving them open until garbage collection."""
    closed: list[bool] = []
    close = UploadFile.close

    async def recording_close(self: UploadFile) -> None:
        await close(self)
        closed.append(self.file.closed)

    monkeypatch.setattr(UploadFile, "close", recording_close)
    body = BROKEN.read_bytes() if well_formed else b"<a> <b> .\n"
    response = client.post("/validate", files={"file": ("setup.ttl", body, "text/turtle")})
    assert response.status_code == (200 if well_formed else 400), response.text
    assert closed == [True]


def test_validate_a_stored_graph(client: TestClient) -> None:
    response = client.get(
        "/validate", params={"graph": EXAMPLE_GRAPH}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert "sh:conforms true" in response.text


def test_validate_options_and_fail_on(client: TestClient) -> None:
    graph = example_graph_name(BROKEN)
    only = client.get(
        "/validate", params={"graph": graph, "profile": "integrity", "fail_on": "info"}
    )
    assert only.json()["results"] == []
    assert only.headers["x-validation-fails"] == "false"
    dated = client.get(
        "/validate", params={"graph": graph, "as_of": "2005-01-01", "fail_on": "none"}
    )
    assert dated.json()["reference_date"] == "2005-01-01"
    repeated = client.get(
        "/validate",
        params=[("graph", graph), ("profile", "kf2011,integrity"), ("profile", "kf2011")],
    )
    assert repeated.json()["profiles"] == ["kf2011", "integrity"]


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({}, 400, "missing parameter: graph"),
        ({"graph": "urn:nothing"}, 404, "no graph"),
        ({"graph": "foo"}, 400, "graph must be an absolute IRI"),
        ({"graph": "http://x/%zz"}, 400, "graph must be an absolute IRI"),
        ({"graph": EXAMPLE_GRAPH, "profile": "who"}, 400, "unknown profile"),
        ({"graph": EXAMPLE_GRAPH, "fail_on": "sometimes"}, 400, "fail_on"),
        ({"graph": EXAMPLE_GRAPH, "as_of": "soon"}, 400, "as_of"),
        ({"graph": EXAMPLE_GRAPH, "as_of": "20140630"}, 400, "as_of"),
        ({"graph": EXAMPLE_GRAPH, "format": "pdf"}, 400, "format"),
    ],
)
def test_validate_errors(client: TestClient, params: dict, status: int, text: str) -> None:
    response = client.get("/validate", params=params)
    assert response.status_code == status
    assert text in response.text


def test_a_setup_without_a_date_is_said_to_be_judged_as_of_today(client: TestClient) -> None:
    body = POST_2013.read_text(encoding="utf-8")
    undated = body.replace('cg:referenceDate "2014-06-30"^^xsd:date', 'rdfs:comment "undated"')
    assert undated != body
    headers = {"Content-Type": "text/turtle"}
    report = client.post("/validate", content=undated, headers=headers).json()
    assert report["reference_date_source"] == "today"
    page = client.post("/validate", content=undated, headers={**headers, "Accept": "text/html"})
    assert "declares no reference date" in page.text
    dated = client.post("/validate", content=body, headers={**headers, "Accept": "text/html"})
    assert "declares no reference date" not in dated.text


def test_validate_malformed_upload(client: TestClient) -> None:
    response = client.post(
        "/validate",
        content=b"<urn:a> <urn:b> .\n",
        headers={"Content-Type": "application/n-triples"},
    )
    assert response.status_code == 400
    assert "request body:1:" in response.text
    empty = client.post("/validate", content=b"", headers={"Content-Type": "text/turtle"})
    assert empty.status_code == 400 and "empty" in empty.text
    unknown = client.post("/validate", content=b"x", headers={"Content-Type": "image/png"})
    assert unknown.status_code == 415
    missing = client.post("/validate", files={"other": ("a.txt", b"x")})
    assert missing.status_code == 400 and "missing parameter: file" in missing.text


def test_an_upload_labelled_as_plain_text_has_no_format_to_read(client: TestClient) -> None:
    """curl and browsers label a file of a type they do not know text/plain: a Turtle
    setup named setup.txt is not read as N-Triples (a syntax error at 1:1) but refused
    for its unknown format; a part typed text/turtle is read as Turtle."""
    body = POST_2013.read_bytes()
    plain = client.post("/validate", files={"file": ("setup.txt", body, "text/plain")})
    assert plain.status_code == 415 and "cannot tell the RDF format of 'setup.txt'" in plain.text
    typed = client.post("/validate", files={"file": ("setup.txt", body, "text/turtle")})
    assert typed.status_code == 200, typed.text


# -- queries, rules, ontology -------------------------------------------------------------


def test_query_library_routes(client: TestClient) -> None:
    library = client.get("/queries").json()
    assert library and all({"name", "title", "parameters"} <= set(q) for q in library)
    name = library[0]["name"]
    one = client.get(f"/queries/{name}").json()
    assert one["text"].lstrip().startswith("#")
    results = client.get(f"/queries/{name}/results", headers={"Accept": "text/csv"})
    assert results.status_code == 200, results.text
    assert next(csv.reader(io.StringIO(results.text)))
    posted = client.post(f"/queries/{name}/results", json={}, headers={"Accept": "text/csv"})
    assert posted.text == results.text
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/no-such-query/results").status_code == 404


def test_query_parameters_over_http(client: TestClient) -> None:
    library = client.get("/queries").json()
    dated = next(q for q in library if any(p["type"] == "date" for p in q["parameters"]))
    param = next(p["name"] for p in dated["parameters"] if p["type"] == "date")
    bad = client.get(f"/queries/{dated['name']}/results", params={param: "not-a-date"})
    assert bad.status_code == 400 and param in bad.text
    unknown = client.get(f"/queries/{dated['name']}/results", params={"bogus": "1"})
    assert unknown.status_code == 400 and "bogus" in unknown.text
    good = client.post(f"/queries/{dated['name']}/results", data={param: "2014-06-30"})
    assert good.status_code == 200, good.text


def test_a_library_query_runs_over_the_stored_setups_it_is_given(client: TestClient) -> None:
    """Over every stored setup a query's date defaults to the latest among them; named
    as the SPARQL protocol names a dataset, one setup is judged as of its own date, as
    `cancergraph query` judges it."""
    example = next(p for p in CONFORMING if p.stem == "cancer-plan-network")
    name = "network-accountability-chains"
    scoped = client.get(
        f"/queries/{name}/results",
        params={"default-graph-uri": [example_graph_name(example), ONTOLOGY_GRAPH]},
        headers={"Accept": "text/csv"},
    )
    assert scoped.status_code == 200, scoped.text
    sources = [store.Source.from_path(p) for p in (example, *resources.ontology_files())]
    alone = queries.run(store.load(sources), queries.find(name))
    assert scoped.content == query_results.serialize(alone, "csv")
    days = {row["day"] for row in csv.DictReader(io.StringIO(scoped.text))}
    assert days == {"2004-06-30"}


def test_json_parameters_of_a_library_query(client: TestClient) -> None:
    name = "funding-allocations"
    plain = client.get(f"/queries/{name}/results", headers={"Accept": "text/csv"})
    left_out = client.post(
        f"/queries/{name}/results", json={"year": None}, headers={"Accept": "text/csv"}
    )
    assert left_out.status_code == 200 and left_out.text == plain.text
    listed = client.post(f"/queries/{name}/results", json={"year": [2006, 2007]})
    assert listed.status_code == 400 and "give one value, not [2006, 2007]" in listed.text
    typed = client.post(f"/queries/{name}/results", json={"year": True})
    assert typed.status_code == 400 and "'true'" in typed.text


def test_rules_and_ontology(client: TestClient, rules_spec) -> None:
    rules = client.get("/rules").json()
    assert [r["id"] for r in rules] == [r["id"] for r in rules_spec]
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    jsonld = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(
        Graph().parse(data=turtle.text, format="turtle")
    )
    assert json.loads(jsonld.text)


def test_pages_render(client: TestClient) -> None:
    for path in ("/", "/ui/validate", "/ui/rules", "/ui/query"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
    ran = client.get("/ui/query", params={"query": COUNT})
    assert '<table id="results">' in ran.text and "download CSV" in ran.text
    bad = client.get("/ui/query", params={"query": "SELECT * WHERE {"})
    assert 'class="error"' in bad.text


def test_the_query_page_shows_iris_under_the_query_prefixes_with_the_whole_iri_on_hover(
    client: TestClient,
) -> None:
    network = "https://w3id.org/cancergraph/example/post-2013-network/network"
    text = (
        "PREFIX ex: <https://w3id.org/cancergraph/example/post-2013-network/>\n"
        "SELECT ?network ?kind ?name WHERE { ?network a ?kind ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?name "
        f"FILTER (?network = <{network}>) }}"
    )
    page = client.get("/ui/query", params={"query": text})
    assert page.status_code == 200
    assert f'<td title="{network}">ex:network</td>' in page.text
    assert "<td>cg:CancerNetwork</td>" not in page.text  # built-in prefixes get the title too
    assert (
        '<td title="https://w3id.org/cancergraph/ontology#CancerNetwork">cg:CancerNetwork</td>'
        in page.text
    )
    assert "<td>Northmoor Cancer Network</td>" in page.text  # literals as they are


def test_the_store_outlives_the_app(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path, workers=1, write_token=TOKEN)
    with TestClient(create_app(settings)) as first:
        first.put(
            "/store?graph=urn:t:keep",
            content="<urn:a> <urn:b> <urn:c> .",
            headers={"Content-Type": "application/n-triples", **auth()},
        )
    with TestClient(create_app(settings)) as second:
        assert count(second, "urn:t:keep") == 1


def test_cors_origins_from_settings(tmp_path: Path) -> None:
    settings = Settings(
        store=tmp_path, workers=1, seed_examples=False, cors_origins=("https://yasgui.example",)
    )
    with TestClient(create_app(settings)) as cors:
        allowed = cors.options(
            "/sparql",
            headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
        )
        assert allowed.headers.get("access-control-allow-origin") == "https://yasgui.example"
        other = cors.get("/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_settings_from_environment(tmp_path: Path) -> None:
    from cancergraph.server.settings import SettingsError, from_environment

    settings = from_environment(
        {
            "CANCERGRAPH_STORE": str(tmp_path),
            "CANCERGRAPH_MAX_BODY": "10",
            "CANCERGRAPH_QUERY_TIMEOUT": "2.5",
            "CANCERGRAPH_WRITE_TOKEN": "t",
            "CANCERGRAPH_CORS_ORIGINS": "https://a.example, https://b.example",
        },
        workers=3,
    )
    assert settings.store == tmp_path and settings.max_body == 10
    assert settings.query_timeout == 2.5 and settings.writable and settings.workers == 3
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    with pytest.raises(SettingsError, match="CANCERGRAPH_MAX_BODY"):
        from_environment({"CANCERGRAPH_MAX_BODY": "lots"})


def test_a_large_store_is_read_as_the_plain_union(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merge is copied only up to a size, so that no query pays for copying a large
    store inside its time limit."""
    from cancergraph.server import jobs

    primary = ox.Store(str(tmp_path / "db"))
    triple = (ox.NamedNode("urn:t:s"), ox.NamedNode("urn:t:p"), ox.NamedNode("urn:t:o"))
    primary.extend([ox.Quad(*triple, ox.NamedNode(g)) for g in ("urn:t:g1", "urn:t:g2")])
    primary.flush()
    primary.backup(str(tmp_path / "snapshot"))
    del primary
    snapshot = str(tmp_path / "snapshot")
    jobs.merged_snapshot.cache_clear()
    merged, named = jobs.merged_snapshot(snapshot)
    assert len(list(merged.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 1
    assert sorted(g.value for g in named) == ["urn:t:g1", "urn:t:g2"]
    monkeypatch.setattr(jobs, "MERGE_LIMIT", 1)
    jobs.merged_snapshot.cache_clear()
    assert jobs.merged_snapshot(snapshot) is None
    jobs.merged_snapshot.cache_clear()


def test_reads_do_not_wait_for_a_write_in_progress(tmp_path: Path) -> None:
    """A write holds the write lock through its transaction and backup (20 s for 400,000
    triples); a read takes the snapshot published last instead of waiting."""
    import threading

    from cancergraph.server.datastore import DataStore

    datastore = DataStore(tmp_path)
    try:
        published = datastore.snapshot()
        got: list[object] = []

        def read() -> None:
            with datastore.reading() as snapshot:
                got.append(snapshot)
            got.append(datastore.snapshot())

        with datastore._lock:  # a write in progress
            reader = threading.Thread(target=read)
            reader.start()
            reader.join(timeout=10)
            assert not reader.is_alive(), "the read waited for the write"
        assert got == [published, published]
    finally:
        datastore.close()
