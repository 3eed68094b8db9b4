"""The FastAPI application: SPARQL 1.1 Protocol, Graph Store, validation, queries, rules.

Requests never run queries or validations on the event loop: they go to worker
processes (see workers.py). Writes go to the primary store, each in one
transaction, and publish a new read snapshot.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from cancergraph import __version__, dates, formats, queries, store
from cancergraph import rules as rulebook
from cancergraph.errors import UserError
from cancergraph.render import query_results
from cancergraph.server import pages
from cancergraph.server.datastore import GRAPH_BASE, DataStore
from cancergraph.server.description import service_description
from cancergraph.server.hangup import CLIENT_CLOSED, ClientGone, in_worker
from cancergraph.server.head import HeadAsGet
from cancergraph.server.limits import BodySizeLimit
from cancergraph.server.negotiation import NotAcceptable, choose
from cancergraph.server.settings import Settings
from cancergraph.server.workers import JobFailed, JobTimeout, QueryJob, ValidateJob, WorkerPool
from cancergraph.vocab import ABSOLUTE_IRI

SOLUTION_MEDIA = {name: query_results.media_type(name) for name in query_results.SOLUTION_FORMATS}
GRAPH_MEDIA = {name: query_results.media_type(name) for name in query_results.GRAPH_FORMATS}
# SPARQL's CSV and TSV results have no form for a boolean, so ASK offers JSON and XML only
BOOLEAN_MEDIA = {name: SOLUTION_MEDIA[name] for name in ("json", "xml")}
REPORT_MEDIA = {"json": "application/json", "turtle": "text/turtle", "html": "text/html"}
FORM = "application/x-www-form-urlencoded"
VARY = {"Vary": "Accept"}  # on every answer whose format Accept chooses, for caches
ERRORS = {
    400: {"description": "Malformed request, bad parameter or syntax error (plain text)"},
    406: {"description": "None of the accepted media types can be produced"},
    413: {"description": "Request body over the size limit"},
    415: {"description": "Unsupported request media type"},
    503: {"description": "Time limit exceeded; the work was stopped"},
}
WRITE_ERRORS = {
    401: {"description": "No bearer token given"},
    403: {"description": "Wrong token, or writes are disabled (no write token configured)"},
}


class HTTPProblem(Exception):
    """An error answered with a status and a plain-text message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        datastore = DataStore(settings.store)
        if datastore.is_empty() and settings.seed_examples:
            datastore.seed()
        if settings.load:
            datastore.load_files(list(settings.load))
        datastore.snapshot()
        pool = WorkerPool(settings.workers)
        await pool.start()
        app.state.datastore = datastore
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()
            app.state.datastore = None
            datastore.close()

    app = FastAPI(
        title="cancergraph",
        version=__version__,
        description="SPARQL 1.1 endpoint, validation service and rule catalogue for English "
        "cancer network governance setups.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, limit=settings.max_body)
    app.add_middleware(HeadAsGet)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    _install_error_handlers(app)
    _add_routes(app)
    app.include_router(pages.router)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPProblem)
    async def problem(_: Request, exc: HTTPProblem) -> Response:
        return PlainTextResponse(exc.message + "\n", exc.status, headers=exc.headers)

    @app.exception_handler(UserError)
    async def user_error(_: Request, exc: UserError) -> Response:
        return PlainTextResponse(str(exc) + "\n", 400)

    @app.exception_handler(NotAcceptable)
    async def not_acceptable(_: Request, exc: NotAcceptable) -> Response:
        return PlainTextResponse(str(exc) + "\n", 406)

    @app.exception_handler(JobTimeout)
    async def timeout(request: Request, _: JobTimeout) -> Response:
        limit = request.app.state.settings
        seconds = limit.validate_timeout if "validate" in request.url.path else limit.query_timeout
        return PlainTextResponse(
            f"the request ran past the time limit of {seconds:g} s and was stopped\n", 503
        )

    @app.exception_handler(ClientGone)
    async def client_gone(_: Request, __: ClientGone) -> Response:
        return Response(status_code=CLIENT_CLOSED)  # nobody is left to read it

    @app.exception_handler(JobFailed)
    async def failed(_: Request, exc: JobFailed) -> Response:
        return PlainTextResponse(f"internal error: {exc}\n", 500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {405: "method not allowed on this resource", 404: "not found"}
        text = exc.detail if isinstance(exc.detail, str) else messages.get(exc.status_code, "")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            if text == "Method Not Allowed":
                text = messages[405]
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return PlainTextResponse(f"{text}\n", exc.status_code, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path: one path has a route per method (the
    Graph Store's GET, PUT, POST and DELETE), and Starlette names only the first's."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


# -- helpers -------------------------------------------------------------------


def _datastore(request: Request) -> DataStore:
    return request.app.state.datastore


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _single(values: list[str], name: str, required: bool = False) -> str | None:
    if len(values) > 1:
        raise HTTPProblem(400, f"parameter {name} given {len(values)} times; give it once")
    if not values:
        if required:
            raise HTTPProblem(400, f"missing parameter: {name}")
        return None
    return values[0]


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HTTPProblem(400, f"{what} is not valid UTF-8 (byte {err.start})") from None


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _form_fields(body: bytes) -> dict[str, list[str]]:
    # empty fields (a trailing or doubled &) are allowed, as in a query string
    text = "&".join(part for part in _utf8(body, "the form body").split("&") if part)
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
    except (ValueError, UnicodeDecodeError) as err:
        raise HTTPProblem(400, f"malformed form body: {err}") from None


def _require_write(request: Request) -> None:
    token = _settings(request).write_token
    if not token:
        raise HTTPProblem(403, "writes are disabled: the server has no write token configured")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if not header or scheme.lower() != "bearer" or not given:
        raise HTTPProblem(
            401, "a bearer token is required to write", {"WWW-Authenticate": 'Bearer realm="write"'}
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPProblem(403, "the bearer token is not valid for writing")


FORMAT_ALIASES = {
    "graph": {
        "xml": "rdfxml",
        "rdf": "rdfxml",
        "rdf+xml": "rdfxml",
        "json": "jsonld",
        "json-ld": "jsonld",
        "ttl": "turtle",
        "n3": "turtle",
        "nt": "ntriples",
        "n-triples": "ntriples",
    },
    "solutions": {"sparql-results+json": "json", "sparql-results+xml": "xml"},
}


def _result_format(request: Request, form: str, explicit: list[str]) -> str:
    """Accept decides, unless a `format` parameter does.

    SPARQLWrapper sends `format` twice for some formats, once by its short name and
    once by its media type (format=tsv&format=text/tab-separated-values): values that
    name the same format are one choice, values that name different ones are refused.
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offers = GRAPH_MEDIA if graph else BOOLEAN_MEDIA if form == "ASK" else SOLUTION_MEDIA
    default = "turtle" if graph else "json"
    chosen = {_offered_format(value, form, offers) for value in explicit}
    if len(chosen) > 1:
        shown = ", ".join(repr(value) for value in explicit)
        raise HTTPProblem(400, f"parameter format names different formats ({shown}); give one")
    if chosen:
        return chosen.pop()
    return choose(request.headers.get("accept"), offers, default)


def _offered_format(value: str, form: str, offers: dict[str, str]) -> str:
    """The offered format a `format` value names, by media type, name or alias."""
    name = value.strip().lower()
    for offered_name, media in offers.items():
        if name == media.split(";")[0]:
            return offered_name
    name = FORMAT_ALIASES["graph" if form in ("CONSTRUCT", "DESCRIBE") else "solutions"].get(
        name, name
    )
    if name not in offers:
        raise HTTPProblem(
            400, f"format {value!r} is not available for {form}; use {', '.join(offers)}"
        )
    return name


async def _run_query(
    request: Request,
    query: queries.NamedQuery,
    params: dict[str, str],
    explicit_formats: list[str],
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
) -> Response:
    queries.refuse_outgoing(query.text)
    queries.bindings(query, params)
    default_graphs = [_iri(g, "default-graph-uri").value for g in default_graphs or ()]
    named_graphs = [_iri(g, "named-graph-uri").value for g in named_graphs or ()]
    fmt = _result_format(request, query.form, explicit_formats)
    with _datastore(request).reading() as snapshot:
        job = QueryJob(
            snapshot=str(snapshot.path),
            text=query.text,
            params=params,
            declared=query.parameters,
            result_format=fmt,
            default_graphs=tuple(default_graphs),
            named_graphs=tuple(named_graphs),
            name=query.name,
        )
        body = await in_worker(request, job, _settings(request).query_timeout)
    media = query_results.media_type(fmt)
    return Response(body, media_type=media, headers=VARY)


def _rdf_format(request: Request) -> formats.RdfFormat:
    media = _media_type(request)
    if not media:
        raise HTTPProblem(415, "a Content-Type naming the RDF format is required")
    try:
        return formats.from_media_type(media)
    except formats.UnknownFormatError:
        raise HTTPProblem(
            415,
            f"unsupported RDF media type {media!r}; use one of "
            + ", ".join(f.media_type for f in formats.FORMATS),
        ) from None


def _iri(value: str, name: str) -> ox.NamedNode:
    """A parameter that names a graph, refused with 400 unless it is an absolute IRI."""
    if ABSOLUTE_IRI.match(value):
        try:
            return ox.NamedNode(value)
        except ValueError:
            pass
    raise HTTPProblem(400, f"{name} must be an absolute IRI: {value!r}")


def _target_graph(request: Request) -> ox.NamedNode | ox.DefaultGraph:
    params = request.query_params
    graph = _single(params.getlist("graph"), "graph")
    has_default = "default" in params
    if graph and has_default:
        raise HTTPProblem(400, "give either ?graph=IRI or ?default, not both")
    if graph:
        return _iri(graph, "graph")
    if has_default:
        return ox.DefaultGraph()
    raise HTTPProblem(400, "missing parameter: graph (or default)")


def _report_format(request: Request, explicit: str | None) -> str:
    if explicit:
        if explicit not in REPORT_MEDIA:
            raise HTTPProblem(400, f"format must be one of {', '.join(REPORT_MEDIA)}")
        return explicit
    return choose(request.headers.get("accept"), REPORT_MEDIA, "json")


def _as_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return dates.day(text)
    except ValueError:
        raise HTTPProblem(400, f"as_of is not a date (YYYY-MM-DD): {text!r}") from None


def _profiles(values: list[str]) -> tuple[str, ...]:
    names = tuple(name for value in values for name in value.split(",") if name)
    unknown = [name for name in names if name not in rulebook.PROFILES]
    if unknown:
        raise HTTPProblem(
            400, f"unknown profile {', '.join(unknown)}; use {', '.join(rulebook.PROFILES)}"
        )
    return names


def _fail_on(value: str | None) -> str:
    chosen = (value or "violation").lower()
    if chosen not in ("violation", "warning", "info", "none"):
        raise HTTPProblem(400, "fail_on must be violation, warning, info or none")
    return chosen


async def _validate(request: Request, job: ValidateJob) -> Response:
    body, conforms, fails = await in_worker(request, job, _settings(request).validate_timeout)
    return Response(
        body,
        media_type=REPORT_MEDIA[job.report_format],
        headers={
            **VARY,
            "X-Validation-Conforms": str(conforms).lower(),
            "X-Validation-Fails": str(fails).lower(),
        },
    )


# -- routes --------------------------------------------------------------------


def _add_routes(app: FastAPI) -> None:
    @app.get("/health", tags=["service"], summary="Liveness: answers without touching the store")
    async def health(request: Request) -> dict[str, object]:
        snapshot = _datastore(request).snapshot()
        return {"status": "ok", "version": __version__, "generation": snapshot.generation}

    sparql_body = {
        "requestBody": {
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["query"],
                    }
                },
            }
        }
    }

    @app.get(
        "/sparql",
        tags=["sparql"],
        summary="SPARQL 1.1 query by GET; without a query, the service description",
        responses=ERRORS,
    )
    async def sparql_get(
        request: Request,
        query: str | None = Query(None, description="SPARQL 1.1 query"),
        default_graph_uri: list[str] | None = Query(None, alias="default-graph-uri"),
        named_graph_uri: list[str] | None = Query(None, alias="named-graph-uri"),
        format: str | None = Query(None, description="result format, overriding Accept"),
    ) -> Response:
        params = request.query_params
        text = _single(params.getlist("query"), "query")
        if text is None and "update" in params:
            raise HTTPProblem(400, "an update is sent by POST to /update, not to /sparql")
        if text is None:
            return _describe(request)
        return await _run_query(
            request,
            queries.adhoc(text),
            {},
            params.getlist("format"),
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
        )

    @app.post(
        "/sparql",
        tags=["sparql"],
        summary="SPARQL 1.1 query by POST (form-encoded or application/sparql-query)",
        responses=ERRORS,
        openapi_extra=sparql_body,
    )
    async def sparql_post(request: Request) -> Response:
        media = _media_type(request)
        body = await request.body()
        params = request.query_params
        if media == FORM:
            fields = _form_fields(body)
            if "update" in fields and "query" not in fields:
                raise HTTPProblem(400, "an update is sent to /update, not to /sparql")
            text = _single(fields.get("query", []), "query", required=True)
            defaults = fields.get("default-graph-uri", []) + params.getlist("default-graph-uri")
            named = fields.get("named-graph-uri", []) + params.getlist("named-graph-uri")
            explicit = fields.get("format", []) + params.getlist("format")
        elif media == "application/sparql-query":
            text = _utf8(body, "the query")
            defaults = params.getlist("default-graph-uri")
            named = params.getlist("named-graph-uri")
            explicit = params.getlist("format")
        else:
            raise HTTPProblem(
                415,
                f"unsupported media type {media or '(none)'!r}: send "
                f"application/sparql-query or {FORM}",
            )
        assert text is not None
        return await _run_query(request, queries.adhoc(text), {}, explicit, defaults, named)

    def _describe(request: Request) -> Response:
        writable = _settings(request).writable
        graph = service_description(
            str(request.url_for("sparql_get")),
            _datastore(request).named_graphs(),
            str(request.url_for("update")) if writable else None,
        )
        fmt = choose(
            request.headers.get("accept"),
            {
                "turtle": "text/turtle",
                "ntriples": "application/n-triples",
                "jsonld": "application/ld+json",
                "rdfxml": "application/rdf+xml",
            },
            "turtle",
        )
        rdflib_name = formats.by_name(fmt).rdflib
        return Response(
            graph.serialize(format=rdflib_name),
            media_type=formats.by_name(fmt).media_type,
            headers=VARY,
        )

    @app.post(
        "/update",
        tags=["sparql"],
        summary="SPARQL 1.1 Update (needs the write token)",
        status_code=204,
        responses={**ERRORS, **WRITE_ERRORS},
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/sparql-update": {"schema": {"type": "string"}},
                    FORM: {
                        "schema": {
                            "type": "object",
                            "properties": {"update": {"type": "string"}},
                            "required": ["update"],
                        }
                    },
                }
            }
        },
    )
    async def update(request: Request) -> Response:
        _require_write(request)
        media = _media_type(request)
        body = await request.body()
        fields = _form_fields(body) if media == FORM else {}
        for name in ("using-graph-uri", "using-named-graph-uri"):
            if name in request.query_params or name in fields:
                raise HTTPProblem(
                    400,
                    f"{name} is not supported: name the graphs in the update itself "
                    "(USING, USING NAMED or GRAPH)",
                )
        if media == FORM:
            text = _single(fields.get("update", []), "update", required=True)
        elif media == "application/sparql-update":
            text = _utf8(body, "the update")
        else:
            raise HTTPProblem(
                415,
                f"unsupported media type {media or '(none)'!r}: send "
                f"application/sparql-update or {FORM}",
            )
        assert text is not None
        await _in_thread(_datastore(request).update, text)
        return Response(status_code=204)

    @app.get("/store", tags=["graph store"], summary="Graph Store: read a graph", responses=ERRORS)
    async def store_get(
        request: Request,
        graph: str | None = Query(None, description="graph IRI"),
        default: str | None = Query(None, description="present: the default graph"),
    ) -> Response:
        target = _target_graph(request)
        datastore = _datastore(request)
        if not datastore.graph_exists(target):
            raise HTTPProblem(404, f"no graph {target}")
        fmt = choose(request.headers.get("accept"), GRAPH_MEDIA, "turtle")
        quads = await _in_thread(datastore.graph_quads, target)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        try:
            body = query_results.graph_bytes(triples, fmt)
        except query_results.UnwritableResult as err:
            raise NotAcceptable(str(err)) from None
        return Response(body, media_type=GRAPH_MEDIA[fmt], headers=VARY)

    async def _parsed_body(
        request: Request, target: ox.NamedNode | ox.DefaultGraph
    ) -> list[ox.Quad]:
        """The body's statements; relative IRIs in it are resolved against the graph's
        IRI (the Graph Store's own, for the default graph), so `<#net>` written into a
        graph is an IRI of that graph."""
        fmt = _rdf_format(request)
        body = await request.body()
        source = store.Source(name="request body", data=body, format=fmt)
        base = (
            target.value
            if isinstance(target, ox.NamedNode)
            else str(request.url.remove_query_params(["default"]))
        )
        parse = partial(store.parse_source, source, base, empty_ok=True)
        return await _in_thread(parse)

    rdf_body = {
        "requestBody": {
            "required": True,
            "content": {f.media_type: {"schema": {"type": "string"}} for f in formats.FORMATS},
        }
    }
    created = {201: {"description": "The graph did not exist and was created"}}

    @app.put(
        "/store",
        tags=["graph store"],
        summary="Graph Store: replace a graph",
        status_code=204,
        responses={**created, **ERRORS, **WRITE_ERRORS},
        openapi_extra=rdf_body,
    )
    async def store_put(
        request: Request, graph: str | None = Query(None), default: str | None = Query(None)
    ) -> Response:
        _require_write(request)
        target = _target_graph(request)
        quads = await _parsed_body(request, target)
        existed = await _in_thread(_datastore(request).put_graph, target, quads)
        return Response(status_code=204 if existed else 201)

    @app.post(
        "/store",
        tags=["graph store"],
        summary="Graph Store: add to a graph, or (to the store itself) make a new one",
        status_code=204,
        responses={**created, **ERRORS, **WRITE_ERRORS},
        openapi_extra=rdf_body,
    )
    async def store_post(
        request: Request, graph: str | None = Query(None), default: str | None = Query(None)
    ) -> Response:
        _require_write(request)
        params = request.query_params
        if "graph" not in params and "default" not in params:
            return await _post_new_graph(request)
        target = _target_graph(request)
        quads = await _parsed_body(request, target)
        existed = await _in_thread(_datastore(request).add_to_graph, target, quads)
        return Response(status_code=204 if existed else 201)

    async def _post_new_graph(request: Request) -> Response:
        """A POST to the Graph Store itself makes a new graph of the body, under an IRI
        the server chooses (Graph Store Protocol, 5.5): 201, with where to read it."""
        target = ox.NamedNode(f"{GRAPH_BASE}posted/{uuid.uuid4()}")
        quads = await _parsed_body(request, target)
        await _in_thread(_datastore(request).add_to_graph, target, quads)
        location = str(request.url_for("store_get").include_query_params(graph=target.value))
        return PlainTextResponse(target.value + "\n", 201, headers={"Location": location})

    @app.delete(
        "/store",
        tags=["graph store"],
        summary="Graph Store: delete a graph",
        status_code=204,
        responses={**ERRORS, **WRITE_ERRORS, 404: {"description": "No such graph"}},
    )
    async def store_delete(
        request: Request, graph: str | None = Query(None), default: str | None = Query(None)
    ) -> Response:
        _require_write(request)
        target = _target_graph(request)
        if not await _in_thread(_datastore(request).delete_graph, target):
            raise HTTPProblem(404, f"no graph {target}")
        return Response(status_code=204)

    @app.get(
        "/validate",
        tags=["validation"],
        summary="Validate a stored graph",
        responses={**ERRORS, 404: {"description": "No such graph"}},
    )
    async def validate_stored(
        request: Request,
        graph: str | None = Query(None, description="IRI of the stored graph to validate"),
        profile: list[str] | None = Query(None),
        fail_on: str | None = Query(None),
        as_of: str | None = Query(None, description="judge as of this date (YYYY-MM-DD)"),
        format: str | None = Query(None, description="json, turtle or html"),
        engine: str | None = Query(None),
    ) -> Response:
        name = _single(request.query_params.getlist("graph"), "graph", required=True)
        assert name is not None
        target = _iri(name, "graph")
        if not _datastore(request).graph_exists(target):
            raise HTTPProblem(404, f"no graph {name}")
        job = ValidateJob(
            report_format=_report_format(request, format),
            graph=name,
            profiles=_profiles(profile or []),
            as_of=_as_of(as_of),
            fail_on=_fail_on(fail_on),
            engine=engine,
        )
        with _datastore(request).reading() as snapshot:
            return await _validate(request, replace(job, snapshot=str(snapshot.path)))

    @app.post(
        "/validate",
        tags=["validation"],
        summary="Validate an uploaded setup (RDF body, or multipart upload in field 'file')",
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "content": {
                    **{f.media_type: {"schema": {"type": "string"}} for f in formats.FORMATS},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "profile": {"type": "string"},
                                "fail_on": {"type": "string"},
                                "as_of": {"type": "string"},
                                "format": {"type": "string"},
                            },
                            "required": ["file"],
                        }
                    },
                }
            }
        },
    )
    async def validate_upload(request: Request) -> Response:
        params = request.query_params
        fields: dict[str, list[str]] = {key: params.getlist(key) for key in params}
        media = _media_type(request)
        if media == "multipart/form-data":
            # The form's files are spooled to temporary files, closed when the block ends.
            async with request.form() as form:
                upload = form.get("file")
                if not isinstance(upload, UploadFile):
                    raise HTTPProblem(400, "missing parameter: file (the setup to validate)")
                data = await upload.read()
                name = upload.filename or "upload"
                try:
                    fmt = formats.from_path(Path(name))
                except formats.UnknownFormatError:
                    fmt = _rdf_format_of(upload.content_type, name)
                for key, value in form.multi_items():
                    if key != "file" and isinstance(value, str):
                        fields.setdefault(key, []).append(value)
        else:
            fmt = _rdf_format(request)
            data = await request.body()
            name = "request body"
        explicit = _single(fields.get("format", []), "format")
        job = ValidateJob(
            report_format=_report_format(request, explicit),
            data=data,
            data_format=fmt.name,
            data_name=name,
            profiles=_profiles(fields.get("profile", [])),
            as_of=_as_of(_single(fields.get("as_of", []), "as_of")),
            fail_on=_fail_on(_single(fields.get("fail_on", []), "fail_on")),
            engine=_single(fields.get("engine", []), "engine"),
        )
        return await _validate(request, job)

    @app.get("/queries", tags=["queries"], summary="The query library")
    async def list_queries() -> list[dict[str, object]]:
        return [query.as_dict() for query in queries.library().values()]

    @app.get(
        "/queries/{name}",
        tags=["queries"],
        summary="One library query, with its text",
        responses={404: {"description": "No such query"}},
    )
    async def get_query(name: str) -> dict[str, object]:
        query = _library_query(name)
        return {**query.as_dict(), "text": query.text}

    async def _query_results(request: Request, name: str) -> Response:
        query = _library_query(name)
        values: dict[str, list[str]] = {
            key: request.query_params.getlist(key) for key in request.query_params
        }
        if request.method == "POST":
            media = _media_type(request)
            body = await request.body()
            if media == FORM:
                for key, items in _form_fields(body).items():
                    values.setdefault(key, []).extend(items)
            elif media == "application/json":
                for key, value in _json_object(body).items():
                    if value is not None:  # null: the parameter's default, as if left out
                        values.setdefault(key, []).append(_json_value(key, value))
            elif body:
                raise HTTPProblem(415, f"send parameters as {FORM} or application/json")
        explicit = _single(values.pop("format", []), "format")
        # the dataset, as the SPARQL protocol names it: over every stored setup at once a
        # query defaults to the latest reference date among them, so one setup is named
        defaults = values.pop("default-graph-uri", [])
        named = values.pop("named-graph-uri", [])
        params = {key: _single(items, key) or "" for key, items in values.items()}
        return await _run_query(
            request, query, params, [explicit] if explicit else [], defaults, named
        )

    def _json_value(key: str, value: object) -> str:
        """A JSON parameter value as the text a form would give: true, 2006, 2014-06-30."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        raise HTTPProblem(400, f"parameter {key}: give one value, not {json.dumps(value)}")

    @app.get(
        "/queries/{name}/results",
        tags=["queries"],
        summary="Run a library query; parameters as query-string fields",
        responses={**ERRORS, 404: {"description": "No such query"}},
    )
    async def query_results_get(request: Request, name: str) -> Response:
        return await _query_results(request, name)

    @app.post(
        "/queries/{name}/results",
        tags=["queries"],
        summary="Run a library query; parameters as a form or a JSON object",
        responses={**ERRORS, 404: {"description": "No such query"}},
    )
    async def query_results_post(request: Request, name: str) -> Response:
        return await _query_results(request, name)

    @app.get("/rules", tags=["rules"], summary="Every rule the shapes encode")
    async def list_rules() -> list[dict[str, str]]:
        return [rule.as_dict() for rule in rulebook.catalogue()]

    @app.get(
        "/ontology", tags=["rules"], summary="The ontology, as Turtle or JSON-LD", responses=ERRORS
    )
    async def ontology(request: Request) -> Response:
        offers = {"turtle": "text/turtle", "jsonld": "application/ld+json"}
        fmt = choose(request.headers.get("accept"), offers, "turtle")
        graph = rulebook.ontology_graph()
        body = graph.serialize(format="turtle" if fmt == "turtle" else "json-ld")
        return Response(body, media_type=offers[fmt], headers=VARY)


def _library_query(name: str) -> queries.NamedQuery:
    found = queries.library().get(name)
    if found is None:
        raise HTTPProblem(404, f"no query named {name!r} in the library")
    return found


def _json_object(body: bytes) -> dict[str, object]:
    try:
        payload = json.loads(_utf8(body, "the JSON body") or "{}")
    except json.JSONDecodeError as err:
        raise HTTPProblem(400, f"malformed JSON at line {err.lineno}: {err.msg}") from None
    if not isinstance(payload, dict):
        raise HTTPProblem(400, "the JSON body must be an object of parameter names to values")
    return payload


# What browsers and curl label an uploaded file whose type they do not know; N-Triples
# was text/plain once, but an upload so labelled says nothing of its format.
UNKNOWN_UPLOAD_TYPES = ("application/octet-stream", "text/plain")


def _rdf_format_of(content_type: str | None, name: str) -> formats.RdfFormat:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media and media not in UNKNOWN_UPLOAD_TYPES:
        try:
            return formats.from_media_type(media)
        except formats.UnknownFormatError:
            pass
    raise HTTPProblem(
        415,
        f"cannot tell the RDF format of {name!r}; use a .ttl, .nt, .jsonld, .rdf, .trig "
        "or .nq file name",
    )


async def _in_thread(function, *args):  # type: ignore[no-untyped-def]
    """Store I/O off the event loop."""
    return await asyncio.to_thread(function, *args)
