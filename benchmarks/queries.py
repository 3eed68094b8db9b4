"""Benchmark: the query library on pyoxigraph against rdflib's SPARQL engine, in the same run.

For each size a setup is generated (benchmarks/generate.py, fixed seed), written as
N-Triples, and validated, its report written beside it as Turtle (the report query
reads one). Each library query then runs in its own child process per engine and size,
which loads the setup and the report and runs the query with its parameters' defaults:

- pyoxigraph: loaded as `cancergraph query` loads them (cancergraph.store.load) and run
  through cancergraph.queries.run, the code path of the command line and the service;
- rdflib: parsed into one rdflib graph and run by rdflib's SPARQL engine, the engine
  the library's tests compare every query with.

The child reports the load and the query's seconds and the rows; a child still running
after the cap is stopped and reported as "> cap". rdflib runs on the smaller sizes only
(it parses 1M triples in minutes). The table, with the machine's facts and the command,
is written to benchmarks/QUERIES.md.

Usage::

    python benchmarks/queries.py [--sizes 10k,100k,1M] [--rdflib-sizes 10k] [--seed 1]
        [--cap 300] [--out benchmarks/QUERIES.md]
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("pyoxigraph", "rdflib")


@dataclass
class Run:
    load: float | None = None
    query: float | None = None
    rows: int | None = None
    timed_out: bool = False
    error: str | None = None


def child(engine: str, name: str, paths: list[str]) -> None:
    """Load the files, run one library query with its defaults, print the figures as JSON."""
    from cancergraph import queries, store

    query = queries.library()[name]
    start = time.perf_counter()
    if engine == "pyoxigraph":
        data = store.load([store.Source.from_path(path) for path in paths])
        loaded = time.perf_counter()
        rows = sum(1 for _ in queries.run(data, query, {}))
    else:
        import rdflib

        from cancergraph.fastshacl.terms import to_rdflib

        graph = rdflib.Graph()
        for path in paths:
            graph.parse(path)
        loaded = time.perf_counter()
        bindings = {name: to_rdflib(term) for name, term in queries.bindings(query, {}).items()}
        rows = sum(1 for _ in graph.query(query.text, initBindings=bindings))
    done = time.perf_counter()
    print(json.dumps({"load": loaded - start, "query": done - loaded, "rows": rows}))


def measure(engine: str, name: str, paths: list[Path], cap: float) -> Run:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", engine, name]
    command += [str(path) for path in paths]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return Run(timed_out=True)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return Run(error=lines[-1] if lines else f"exit code {done.returncode}")
    return Run(**json.loads(done.stdout.strip().splitlines()[-1]))


def cell(run: Run | None, cap: float) -> str:
    if run is None:
        return "-"
    if run.timed_out:
        return f"> {cap:g} s"
    if run.error is not None or run.query is None:
        return "error"
    return f"{run.query:.3f} s"


def ratio(slow: Run | None, fast: Run | None, cap: float) -> str:
    if slow is None or fast is None or fast.query is None:
        return "-"
    if slow.timed_out:
        return f"> {cap / max(fast.query, 1e-6):.0f}x"
    if slow.query is None:
        return "-"
    return f"{slow.query / max(fast.query, 1e-6):.0f}x"


def table(
    names: list[str],
    sizes: list[str],
    rdflib_sizes: list[str],
    runs: dict[tuple[str, str, str], Run],
    cap: float,
) -> list[str]:
    header = ["query"]
    header += [f"pyoxigraph {size}" for size in sizes]
    header += [f"rdflib {size}" for size in rdflib_sizes]
    header += [f"rdflib / pyoxigraph {size}" for size in rdflib_sizes]
    header += [f"rows {size}" for size in sizes]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        cells = [f"`{name}`"]
        cells += [cell(runs.get(("pyoxigraph", size, name)), cap) for size in sizes]
        cells += [cell(runs.get(("rdflib", size, name)), cap) for size in rdflib_sizes]
        cells += [
            ratio(runs.get(("rdflib", size, name)), runs.get(("pyoxigraph", size, name)), cap)
            for size in rdflib_sizes
        ]
        for size in sizes:
            fast = runs.get(("pyoxigraph", size, name))
            slow = runs.get(("rdflib", size, name))
            counted = fast.rows if fast is not None else None
            rows = str(counted) if counted is not None else "-"
            if slow is not None and slow.rows is not None and slow.rows != counted:
                rows += f" (rdflib {slow.rows})"
            cells.append(rows)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    # generate.py and validate.py sit beside this script, whose folder is on the import path
    from generate import generate
    from validate import SIZES, TRIPLES_PER_NETWORK, heading, machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--rdflib-sizes", default="10k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=300.0, help="limit per child, seconds")
    parser.add_argument("--out", type=Path, default=HERE / "QUERIES.md")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.child[2:])
        return 0
    sizes = args.sizes.split(",")
    rdflib_sizes = [size for size in args.rdflib_sizes.split(",") if size]
    unknown = [size for size in {*sizes, *rdflib_sizes} if size not in SIZES]
    if unknown or not set(rdflib_sizes) <= set(sizes):
        parser.error(f"sizes are some of {', '.join(SIZES)}; rdflib's are some of --sizes")

    from cancergraph import queries, store, validation
    from cancergraph.render.turtle_report import as_graph

    names = sorted(queries.library())
    runs: dict[tuple[str, str, str], Run] = {}
    triples: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            networks = max(1, round(SIZES[size] / TRIPLES_PER_NETWORK))
            text, _ = generate(networks, args.seed)
            setup = Path(folder) / f"setup-{size}.nt"
            setup.write_text(text, encoding="utf-8")
            triples[size] = text.count("\n")
            report = validation.validate(store.load([store.Source.from_path(setup)]))
            written = Path(folder) / f"report-{size}.ttl"
            as_graph(report).serialize(written, format="turtle", encoding="utf-8")
            for name in names:
                for engine in ENGINES:
                    if engine == "rdflib" and size not in rdflib_sizes:
                        continue
                    run = measure(engine, name, [setup, written], args.cap)
                    runs[(engine, size, name)] = run
                    print(f"{size} {name} {engine}: {cell(run, args.cap)}", file=sys.stderr)

    given = sys.argv[1:] if argv is None else argv
    command = "python " + " ".join(shlex.quote(a) for a in ["benchmarks/queries.py", *given])
    counts = ", ".join(f"{size} {triples[size]:,} triples" for size in sizes)
    lines = [
        *heading("Query library benchmark: pyoxigraph against rdflib", command),
        f"Setups from `benchmarks/generate.py` (post-2013 era, seed {args.seed}; {counts}), "
        "each with its validation report beside it. Every query of `queries/` runs with its "
        "parameters' defaults in a child process of its own per engine and size; the figures "
        "are the query's own seconds, after loading (pyoxigraph through "
        "`cancergraph.queries.run`, as the command line and the service run it; rdflib's "
        f"SPARQL engine over one rdflib graph). A child still running after {args.cap:g} s is "
        "stopped. Rows are pyoxigraph's, with rdflib's beside them where they differ.",
        "",
        *table(names, sizes, rdflib_sizes, runs, args.cap),
        "",
        "Machine:",
        "",
        *machine(),
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
