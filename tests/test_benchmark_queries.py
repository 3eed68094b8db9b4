"""The query benchmark's table: stopped runs, ratios and rows that differ between engines."""

from __future__ import annotations

from conftest import benchmark_script

module = benchmark_script("queries")


def test_a_stopped_rdflib_run_is_a_lower_bound_and_differing_rows_are_shown() -> None:
    runs = {
        ("pyoxigraph", "10k", "q"): module.Run(load=0.1, query=0.5, rows=3),
        ("rdflib", "10k", "q"): module.Run(timed_out=True),
        ("pyoxigraph", "1M", "q"): module.Run(load=1.0, query=2.0, rows=30),
        ("pyoxigraph", "10k", "r"): module.Run(load=0.1, query=0.01, rows=4),
        ("rdflib", "10k", "r"): module.Run(load=1.0, query=1.0, rows=5),
    }
    lines = module.table(["q", "r"], ["10k", "1M"], ["10k"], runs, 300.0)
    assert lines[0] == (
        "| query | pyoxigraph 10k | pyoxigraph 1M | rdflib 10k | rdflib / pyoxigraph 10k "
        "| rows 10k | rows 1M |"
    )
    assert lines[2] == "| `q` | 0.500 s | 2.000 s | > 300 s | > 600x | 3 | 30 |"
    assert lines[3] == "| `r` | 0.010 s | - | 1.000 s | 100x | 4 (rdflib 5) | - |"


def test_a_failed_run_says_so() -> None:
    assert module.cell(module.Run(error="boom"), 300.0) == "error"
    assert module.ratio(module.Run(error="boom"), module.Run(query=1.0), 300.0) == "-"
