"""Server-rendered web pages for reviewers and analysts (no front-end build step)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from cancergraph import queries, sparql_text
from cancergraph import rules as rulebook
from cancergraph.errors import UserError
from cancergraph.render import query_results
from cancergraph.render.templates import environment
from cancergraph.server.hangup import in_worker
from cancergraph.server.workers import JobTimeout, QueryJob

router = APIRouter(include_in_schema=False)


def _page(template: str, **context: object) -> HTMLResponse:
    return HTMLResponse(environment().get_template(template).render(**context))


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    datastore = request.app.state.datastore
    return _page(
        "home.html",
        graphs=datastore.named_graphs(),
        rules=rulebook.catalogue(),
        library=list(queries.library().values()),
    )


@router.get("/ui/validate", response_class=HTMLResponse)
async def validate_page(request: Request) -> HTMLResponse:
    return _page("validate.html", profiles=rulebook.PROFILES)


@router.get("/ui/rules", response_class=HTMLResponse)
async def rules_page(request: Request) -> HTMLResponse:
    return _page("rules.html", rules=rulebook.catalogue())


@router.get("/ui/query", response_class=HTMLResponse)
async def query_page(
    request: Request, name: str | None = None, query: str | None = None
) -> HTMLResponse:
    library = queries.library()
    chosen = library.get(name) if name else None
    text = query if query is not None else (chosen.text if chosen else _first_text(library))
    context: dict[str, object] = {"library": list(library.values()), "text": text, "name": name}
    if query is not None:
        context.update(await _results(request, text))
    return _page("query.html", **context)


def _first_text(library: dict[str, queries.NamedQuery]) -> str:
    return next(iter(library.values())).text if library else "SELECT * WHERE { ?s ?p ?o } LIMIT 20"


async def _results(request: Request, text: str) -> dict[str, object]:
    query = queries.adhoc(text)
    try:
        queries.refuse_outgoing(text)
        form = query.form
        fmt = "json" if form in ("SELECT", "ASK") else "turtle"
        with request.app.state.datastore.reading() as snapshot:
            job = QueryJob(
                snapshot=str(snapshot.path), text=text, params={}, declared=(), result_format=fmt
            )
            body = await in_worker(request, job, request.app.state.settings.query_timeout)
    except UserError as err:
        return {"error": str(err)}
    except JobTimeout:
        limit = request.app.state.settings.query_timeout
        return {"error": f"the query ran past the time limit of {limit:g} s and was stopped"}
    csv_link = "/sparql?" + urlencode({"query": text, "format": "csv"})
    if fmt == "turtle":
        return {"graph": body.decode("utf-8"), "csv_link": None}
    data = json.loads(body)
    if "boolean" in data:
        return {"boolean": data["boolean"], "csv_link": None}
    columns = data["head"]["vars"]
    names = query_results.short_names(sparql_text.declared_prefixes(text))
    rows = [
        [_cell(row.get(column), names) for column in columns] for row in data["results"]["bindings"]
    ]
    return {"columns": columns, "rows": rows, "csv_link": csv_link}


def _cell(value: dict[str, str] | None, names: dict[str, str]) -> dict[str, str]:
    """A result cell as the page shows it: an IRI under a prefix where one covers it, with
    the whole IRI to hover over."""
    if value is None:
        return {"text": "", "title": ""}
    if value.get("type") == "uri":
        shown = query_results.display(ox.NamedNode(value["value"]), names)
        return {"text": shown, "title": value["value"] if shown != value["value"] else ""}
    return {"text": value.get("value", ""), "title": ""}
