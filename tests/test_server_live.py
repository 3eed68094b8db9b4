"""A real uvicorn server on 127.0.0.1, queried by real SPARQL clients.

Also the things only a real server shows: a query past the time limit is
stopped without blocking other requests, and /health answers while a long
validation runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from cancergraph.server.datastore import example_graph_name
from conftest import CONFORMING

MERGER = next(p for p in CONFORMING if "merger" in p.stem)
GRAPH = example_graph_name(MERGER)
CG = "https://w3id.org/cancergraph/ontology#"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


LISTENING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")


@contextmanager
def running_server(folder: Path, *options: str) -> Iterator[str]:
    """`cancergraph serve` on 127.0.0.1, with its store in `folder`.

    The server is given port 0 and the system picks a free one, which the server's log
    names; choosing a free port here and passing it on could lose it to another process.
    """
    log_path = folder / "server.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cancergraph",
            "serve",
            "--store",
            str(folder / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            *options,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        found = LISTENING.search(log_path.read_text())
        if found:
            url = found.group(1)
            break
        time.sleep(0.2)
    if url is None:
        process.kill()
        pytest.fail("the server did not start: " + log_path.read_text())
    try:
        assert httpx2.get(f"{url}/health", timeout=10).status_code == 200
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # still finishing a request: do not leave it running
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    with running_server(folder, "--query-timeout", "3", "--workers", "2") as url:
        yield url


def wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_in_each_format(server: str) -> None:
    query = f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s a <{CG}Merger> }} }}"
    as_json = wrapper(server, query, JSON).query().convert()
    assert len(as_json["results"]["bindings"]) == 1
    as_xml = wrapper(server, query, XML).query().convert()
    assert len(as_xml.getElementsByTagName("result")) == 1
    as_csv = wrapper(server, query, CSV).query().convert()
    assert as_csv.decode().splitlines()[0] == "s"


def test_sparqlwrapper_ask_and_construct(server: str) -> None:
    assert wrapper(server, "ASK { ?s ?p ?o }", JSON).query().convert()["boolean"] is True
    assert (
        wrapper(server, "ASK { ?s ?p ?o }", XML)
        .query()
        .convert()
        .getElementsByTagName("boolean")[0]
        .firstChild.data
        == "true"
    )
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    turtle = wrapper(server, construct, TURTLE).query().convert()
    assert len(Graph().parse(data=turtle, format="turtle")) == len(Graph().parse(MERGER))
    rdfxml = wrapper(server, construct, XML).query().convert()
    assert len(rdfxml) == len(Graph().parse(MERGER))


def test_rdflib_sparqlstore(server: str) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=f"{server}/sparql", returnFormat="json"))
    rdf = Graph(store=SPARQLStore(query_endpoint=f"{server}/sparql", returnFormat="xml"))
    rows = list(
        graph.query(
            f"SELECT ?label WHERE {{ ?n a <{CG}SingleClinicalNetwork> ;"
            " <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
        )
    )
    assert len(rows) >= 1
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    assert rdf.query("ASK { ?s ?p ?o }").askAnswer is True
    constructed = rdf.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    ).graph
    assert len(constructed) == len(Graph().parse(MERGER))


def test_a_query_past_the_time_limit_is_stopped_and_others_go_on(server: str) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        response = httpx2.get(f"{server}/sparql", params={"query": SLOW}, timeout=60)
        outcome["status"] = response.status_code
        outcome["text"] = response.text

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    quick = httpx2.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert quick.status_code == 200
    thread.join(timeout=60)
    assert outcome["status"] == 503
    assert "time limit of 3 s" in str(outcome["text"])
    for _ in range(3):  # the killed worker was replaced: the pool still answers
        again = httpx2.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert again.status_code == 200


def test_health_answers_while_a_long_validation_runs(server: str) -> None:
    """/health is not queued behind a validation: it answers again and again while
    the validation request is still outstanding. Were it held up, its first answer
    would come only once the validation was done, and the loop would end there."""
    done = threading.Event()
    result: dict[str, int] = {}

    def validate() -> None:
        response = httpx2.post(
            f"{server}/validate?engine=pyshacl",
            content=MERGER.read_bytes(),
            headers={"Content-Type": "text/turtle"},
            timeout=120,
        )
        result["status"] = response.status_code
        done.set()

    thread = threading.Thread(target=validate)
    thread.start()
    answered_during = 0
    with httpx2.Client(timeout=60) as client:
        while not done.is_set():
            assert client.get(f"{server}/health").status_code == 200
            if not done.is_set():
                answered_during += 1
    thread.join()
    assert result["status"] == 200
    assert answered_during >= 3, answered_during


def test_server_refuses_writes_without_token(server: str) -> None:
    response = httpx2.post(
        f"{server}/update",
        content="CLEAR ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 403


def test_a_client_that_hangs_up_frees_its_worker(tmp_path: Path) -> None:
    """One worker and a ten-minute time limit: the query its client gave up on must not
    keep the worker, or the next query would wait out the limit."""
    with running_server(tmp_path, "--query-timeout", "600", "--workers", "1") as url:
        with pytest.raises(httpx2.TimeoutException):
            httpx2.get(f"{url}/sparql", params={"query": SLOW}, timeout=1)
        quick = httpx2.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert quick.status_code == 200
