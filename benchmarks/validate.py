"""Benchmark: the fast engine against pyshacl on generated setups, in the same run.

For each size a setup is generated (benchmarks/generate.py, fixed seed) and written
as N-Triples; then each engine runs in its own child process, which reports:

- parse: loading the file the way `cancergraph validate` does (cancergraph.store.load);
- setup, compile, validate, report: the steps of `cancergraph.validation.validate`
  with that engine, timed one by one (compile is the fast engine reading the shapes
  and planning their queries, which it does once per process; for pyshacl it is
  nothing, as pyshacl reads the shapes on every run inside validate, which also
  includes copying the store into rdflib, which pyshacl needs);
- peak memory: the child's maximum resident set size, which counts the Rust memory
  of pyoxigraph too.

pyshacl is killed after a cap (20 minutes by default) and reported as "> 20 min".
The table is printed and written, with the machine's facts and the command, to
benchmarks/RESULTS.md.

Usage::

    python benchmarks/validate.py [--sizes 1k,10k,100k,1M] [--seed 1] [--cap 1200]
        [--repeat 11] [--out benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRIPLES_PER_NETWORK = 296  # post-2013 setups, measured on the generator
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
# The sizes the targets are set for; 1k is measured to show small setups, where the
# fixed costs of validating (planning some forty queries) outweigh parsing.
TARGET_SIZES = ("10k", "100k", "1M")
ENGINES = ("fast", "pyshacl")


@dataclass
class Run:
    engine: str
    parse: float | None = None
    setup: float | None = None
    compile: float | None = None
    validate: float | None = None
    report: float | None = None
    peak_mb: float | None = None
    findings: int | None = None
    timed_out: bool = False
    error: str | None = None

    @property
    def total(self) -> float | None:
        steps = (self.parse, self.setup, self.compile, self.validate, self.report)
        if any(step is None for step in steps):
            return None
        return sum(steps)  # type: ignore[arg-type]


def child(engine: str, path: str) -> None:
    """Run one engine on one file and print its figures as JSON (in the child process).

    The steps are those of `cancergraph.validation.validate`, timed one by one: the
    rules that apply and the ontology mixed in (setup), the shapes compiled for the
    engine (compile), the engine (validate), and the report model built from the
    engine's results, with its notes on what the rules could not read (report).
    Imports are done before the clock starts (pyshacl's among them, which the engine
    imports lazily).
    """
    from cancergraph import store, validation
    from cancergraph.report import from_results_graph

    if engine == "pyshacl":
        import pyshacl  # noqa: F401

        from cancergraph import sparql_cache  # noqa: F401

    start = time.perf_counter()
    data = store.load([store.Source.from_path(path)])
    parsed = time.perf_counter()
    checked = validation.plan(data)
    validation.prepare(data, checked)
    prepared = time.perf_counter()
    program = validation.compiled(checked, engine)
    compiled = time.perf_counter()
    results = validation.ENGINES[engine].run(data, checked.shapes, program)
    validated = time.perf_counter()
    findings = from_results_graph(results, checked.shapes, validation.labeller(data), checked.rules)
    validation.unread_statements(data)  # the report's notes
    reported = time.perf_counter()
    peak_kb = peak_resident_kb()
    figures = {
        "parse": parsed - start,
        "setup": prepared - parsed,
        "compile": compiled - prepared,
        "validate": validated - compiled,
        "report": reported - validated,
        "peak_mb": peak_kb / 1024,
        "findings": len(findings),
    }
    print(json.dumps(figures))


def peak_resident_kb() -> int:
    """This process's peak resident set size.

    Linux keeps ru_maxrss across exec, so a child started from a large parent would
    report the parent's size; VmHWM in /proc/self/status belongs to this process only.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(engine: str, path: Path, cap: float) -> Run:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", engine, str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return Run(engine, timed_out=True)
    if done.returncode != 0:
        return Run(engine, error=done.stderr.strip().splitlines()[-1] if done.stderr else "?")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(engine, **figures)


def seconds(value: float | None, run: Run) -> str:
    if run.error:
        return "failed"
    if value is None:
        return "-"
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def total(run: Run, cap: float) -> str:
    return f"> {cap / 60:g} min" if run.timed_out else seconds(run.total, run)


def ratio(slow: Run, fast: Run, cap: float) -> str:
    if fast.total is None:
        return "-"
    if slow.timed_out:
        return f"> {cap / fast.total:.0f}x"
    if slow.total is None:
        return "-"
    return f"{slow.total / fast.total:.0f}x"


def validation_ratio(slow: Run, fast: Run, cap: float) -> str:
    """pyshacl's validation over the fast engine's, compiling included on both sides; when
    pyshacl was stopped, a lower bound (its parse and setup are the same code as the fast
    engine's, so they are taken off the cap).
    """
    if fast.validate is None or fast.compile is None or fast.parse is None or fast.setup is None:
        return "-"
    work = fast.compile + fast.validate
    if slow.timed_out:
        return f"> {(cap - fast.parse - fast.setup) / work:.0f}x"
    if slow.validate is None or slow.compile is None:
        return "-"
    return f"{(slow.compile + slow.validate) / work:.0f}x"


def heading(title: str, command: str) -> list[str]:
    """A results file's title and the command that produced it."""
    return [f"# {title}", "", "Produced by:", "", "```", command, "```", ""]


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
                break
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("pyoxigraph", "pyshacl", "rdflib")
    )
    return [
        f"- CPU: {cpu}",
        f"- cores: {os.cpu_count()}",
        f"- RAM: {ram}",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {versions}",
    ]


def table(rows: list[tuple[str, int, int, dict[str, Run]]], cap: float) -> list[str]:
    lines = [
        "| size | triples | engine | parse | setup | compile | validate | report | total "
        "| peak memory | findings | total ratio | validation ratio |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, triples, _, runs in rows:
        fast, slow = runs["fast"], runs["pyshacl"]
        for run in (fast, slow):
            peak = f"{run.peak_mb:.0f} MB" if run.peak_mb is not None else "-"
            found = str(run.findings) if run.findings is not None else "-"
            shown = run is fast
            lines.append(
                f"| {size if shown else ''} | {triples if shown else ''} | {run.engine} "
                f"| {seconds(run.parse, run)} | {seconds(run.setup, run)} "
                f"| {seconds(run.compile, run)} | {seconds(run.validate, run)} "
                f"| {seconds(run.report, run)} "
                f"| {total(run, cap)} | {peak} | {found} "
                f"| {ratio(slow, fast, cap) if shown else ''} "
                f"| {validation_ratio(slow, fast, cap) if shown else ''} |"
            )
    return lines


def write_results(
    out: Path,
    lines: list[str],
    checked: list[str],
    command: str,
    seed: int,
    cap: float,
    repeat: int,
) -> None:
    text = [
        *heading("Validation benchmark: fast engine against pyshacl", command),
        f"Setups from `benchmarks/generate.py` (post-2013 era, seed {seed}, its default "
        "defects), validated against the project's shapes with the rules of their era. "
        "Each engine runs in its own process, through the steps of `cancergraph validate`: "
        "*parse* loads the N-Triples file (`cancergraph.store.load`); *setup* picks the "
        "rules of the setup's era, mixes the ontology in and states what it entails "
        "(inverse properties, classes defined by a value; the same code for both "
        "engines); *compile* is the fast engine reading the shapes and planning their "
        "queries, which depends on the shapes only and is done once per process (the "
        "service and `cancergraph check` reuse it; pyshacl has no such step and reads "
        "the shapes inside its validation); *validate* is the engine alone (for pyshacl "
        "it includes copying the store into rdflib, which pyshacl needs); *report* "
        "builds the report model, with its notes on what the rules could not read. "
        "The validation ratio compares compile and validate "
        "together. "
        "*Peak memory* is the process's peak resident set size (VmHWM), which counts "
        f"pyoxigraph's memory too. The fast engine runs {repeat} times per size, before "
        "pyshacl runs at all, and the run with the median total is shown; the target "
        "that validation take no longer than parsing is judged on every run, as the two "
        "steps vary from run to run independently. pyshacl runs once and is stopped after "
        f"{cap / 60:g} minutes; a ratio against a stopped run is a lower bound.",
        "",
        *lines,
        "",
        "Targets:",
        "",
        *checked,
        "",
        "Machine:",
        "",
        *machine(),
        "",
    ]
    out.write_text("\n".join(text), encoding="utf-8")


def parsing_verdict(runs: list[Run]) -> str | None:
    """Validation against parsing over every run of one size.

    Both steps vary from run to run by a quarter or more on a shared machine, and not
    together, so one run's ratio says little when they are close: the verdict counts
    the runs in which validation took no longer than parsing, and gives the median and
    range of the ratio.
    """
    pairs = [(r.validate, r.parse) for r in runs if r.validate is not None and r.parse]
    if not pairs:
        return None
    ratios = sorted(v / p for v, p in pairs)
    within = sum(1 for v, p in pairs if v <= p)
    if within == len(pairs):
        verdict = "met in every run"
    elif within == 0:
        verdict = "missed in every run"
    else:
        verdict = f"met in {within} of {len(pairs)} runs, missed in the others"
    return (
        f"validation over parsing {statistics.median(ratios):.2f}x (median of {len(pairs)} runs; "
        f"{ratios[0]:.2f}x to {ratios[-1]:.2f}x): validation no longer than parsing {verdict}"
    )


def targets(
    rows: list[tuple[str, int, int, dict[str, Run]]],
    cap: float,
    repeats: dict[str, list[Run]] | None = None,
) -> list[str]:
    """The issue's targets, each with the figure that meets or misses it."""
    lines = []
    for size, _, _, runs in rows:
        fast = runs["fast"]
        if fast.validate is None or fast.parse is None:
            continue
        with_compile = (
            f", {fast.validate + fast.compile:.3f} s with compiling the shapes"
            if fast.compile is not None
            else ""
        )
        verdict = parsing_verdict((repeats or {}).get(size) or [fast])
        if verdict is None:
            continue
        aside = "" if size in TARGET_SIZES else " (not one of the sizes the target is set for)"
        lines.append(
            f"- {size}{aside}: in the run shown, validation {fast.validate:.3f} s{with_compile}, "
            f"parsing {fast.parse:.3f} s; {verdict}"
        )
    largest = next((r for r in rows if r[0] == "1M"), None)
    if largest is not None:
        fast, slow = largest[3]["fast"], largest[3]["pyshacl"]
        if fast.total is not None:
            verdict = "met" if fast.total <= 10 else "missed"
            lines.append(f"- 1M: whole run {fast.total:.2f} s, target at most 10 s: {verdict}")
            shown = ratio(slow, fast, cap)
            if slow.timed_out:
                bound = cap / fast.total
            elif slow.total is not None:
                bound = slow.total / fast.total
            else:
                bound = 0.0
            verdict = "met" if bound >= 50 else "not shown"
            lines.append(f"- 1M: {shown} faster than pyshacl, target at least 50x: {verdict}")
        if fast.peak_mb is not None:
            verdict = "met" if fast.peak_mb <= 2048 else "missed"
            lines.append(f"- 1M: peak memory {fast.peak_mb:.0f} MB, target at most 2 GB: {verdict}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=1200.0, help="pyshacl limit, seconds")
    parser.add_argument(
        "--repeat", type=int, default=11, help="fast engine runs per size; the median is shown"
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    # generate.py sits beside this script, and a script's folder is on the import path.
    from generate import generate

    sizes = args.sizes.split(",")
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; expected some of {', '.join(SIZES)}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        setups = []
        for size in sizes:
            networks = max(1, round(SIZES[size] / TRIPLES_PER_NETWORK))
            text, expected = generate(networks, args.seed)
            path = Path(folder) / f"setup-{size}.nt"
            path.write_text(text, encoding="utf-8")
            setups.append((size, path, text.count("\n"), networks, len(expected)))
            del text, expected  # the children measure their own memory, not this process's
        # The fast engine first at every size, then pyshacl, so that the fast figures
        # are taken before hours of pyshacl and are not disturbed by it.
        fast_runs: dict[str, Run] = {}
        repeats: dict[str, list[Run]] = {}
        for size, path, triples, _, expected in setups:
            runs = repeats[size] = sorted(
                (measure("fast", path, args.cap) for _ in range(args.repeat)),
                key=lambda run: run.total if run.total is not None else float("inf"),
            )
            median = fast_runs[size] = runs[len(runs) // 2]
            found = median.findings
            print(f"{size} ({triples} triples): fast {seconds(median.total, median)}", flush=True)
            if found is not None and found != expected:
                print(f"  note: the fast engine found {found}, the generator expects {expected}")
        for size, path, triples, networks, _ in setups:
            slow = measure("pyshacl", path, args.cap)
            print(f"{size} ({triples} triples): pyshacl {total(slow, args.cap)}", flush=True)
            rows.append((size, triples, networks, {"fast": fast_runs[size], "pyshacl": slow}))
    lines = table(rows, args.cap)
    checked = targets(rows, args.cap, repeats)
    print("\n".join([*lines, "", *checked]))
    given = sys.argv[1:] if argv is None else argv
    command = "python " + " ".join(shlex.quote(a) for a in ["benchmarks/validate.py", *given])
    write_results(args.out, lines, checked, command, args.seed, args.cap, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
