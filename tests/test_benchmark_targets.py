"""The benchmark's verdict on "validation takes no longer than parsing", judged per run."""

from __future__ import annotations

from conftest import benchmark_script

module = benchmark_script("validate")


def runs(pairs: list[tuple[float, float]]) -> list:
    return [module.Run("fast", parse=parse, validate=validate) for validate, parse in pairs]


def test_every_run_within_is_met() -> None:
    verdict = module.parsing_verdict(runs([(0.8, 1.0), (0.9, 1.0), (1.0, 1.0)]))
    assert verdict.endswith("validation no longer than parsing met in every run")
    assert "0.90x (median of 3 runs; 0.80x to 1.00x)" in verdict


def test_some_runs_over_are_counted_not_hidden_by_the_median() -> None:
    verdict = module.parsing_verdict(
        runs([(0.8, 1.0), (0.9, 1.0), (1.2, 1.0), (0.95, 1.0), (1.1, 1.0)])
    )
    assert "0.95x (median of 5 runs; 0.80x to 1.20x)" in verdict
    assert verdict.endswith("met in 3 of 5 runs, missed in the others")


def test_no_run_within_is_missed() -> None:
    verdict = module.parsing_verdict(runs([(2.0, 1.0), (3.0, 1.0)]))
    assert verdict.endswith("missed in every run")


def test_runs_without_figures_give_no_verdict() -> None:
    assert module.parsing_verdict([module.Run("fast", timed_out=True)]) is None


def test_targets_judge_each_size_on_all_its_runs() -> None:
    repeated = runs([(0.5, 1.0), (1.5, 1.0), (0.7, 1.0)])
    shown = repeated[2]
    rows = [("10k", 10_000, 34, {"fast": shown, "pyshacl": module.Run("pyshacl", timed_out=True)})]
    lines = module.targets(rows, 1200.0, {"10k": repeated})
    assert lines == [
        "- 10k: in the run shown, validation 0.700 s, parsing 1.000 s; validation over "
        "parsing 0.70x (median of 3 runs; 0.50x to 1.50x): validation no longer than "
        "parsing met in 2 of 3 runs, missed in the others"
    ]


def test_sizes_the_target_is_not_set_for_are_marked() -> None:
    repeated = runs([(3.0, 1.0)])
    rows = [("1k", 947, 3, {"fast": repeated[0], "pyshacl": module.Run("pyshacl")})]
    lines = module.targets(rows, 1200.0, {"1k": repeated})
    assert lines[0].startswith("- 1k (not one of the sizes the target is set for): ")
    assert lines[0].endswith("missed in every run")
