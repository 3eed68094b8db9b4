"""`cancergraph serve`: the HTTP service on uvicorn."""

from __future__ import annotations

import argparse
from pathlib import Path

from cancergraph.commands.common import EXIT_OK
from cancergraph.server import settings as server_settings

NAME = "serve"
HELP = "serve the SPARQL endpoint, validation service and web pages"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, help="store directory (env CANCERGRAPH_STORE)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--load", nargs="+", type=Path, metavar="FILE", help="load these files")
    parser.add_argument("--max-body", type=int, help="body size limit in bytes")
    parser.add_argument("--query-timeout", type=float, help="query time limit in seconds")
    parser.add_argument("--validate-timeout", type=float, help="validation time limit in seconds")
    parser.add_argument("--write-token", help="enable writes for this bearer token")
    parser.add_argument("--cors-origins", help="comma-separated origins allowed by CORS")
    parser.add_argument("--workers", type=int, help="worker processes for queries and validation")
    parser.add_argument(
        "--no-examples", action="store_true", help="do not load the examples into an empty store"
    )


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from cancergraph.server.app import create_app

    cors = tuple(o.strip() for o in args.cors_origins.split(",")) if args.cors_origins else None
    settings = server_settings.from_environment(
        store=args.store,
        max_body=args.max_body,
        query_timeout=args.query_timeout,
        validate_timeout=args.validate_timeout,
        write_token=args.write_token,
        cors_origins=cors,
        workers=args.workers,
        load=tuple(args.load) if args.load else None,
        seed_examples=False if args.no_examples else None,
    )
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return EXIT_OK
