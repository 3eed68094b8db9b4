"""Tasks shared between the calling thread and helpers (cancergraph.fastshacl.parallel)."""

from __future__ import annotations

import threading

import pytest

from cancergraph.fastshacl.parallel import run_all


def test_results_come_back_in_the_order_of_the_tasks() -> None:
    assert run_all(list(range(50)), lambda n: n * n, helpers=3) == [n * n for n in range(50)]


def test_no_tasks_and_no_helpers() -> None:
    assert run_all([], lambda n: n, helpers=2) == []
    assert run_all([1, 2], lambda n: -n, helpers=0) == [-1, -2]


def test_the_calling_thread_and_a_helper_both_work() -> None:
    """Two tasks that each wait for the other can only finish if they run side by side."""
    both = threading.Barrier(2, timeout=10)
    seen: set[int] = set()

    def work(n: int) -> int:
        seen.add(threading.get_ident())
        both.wait()
        return n

    assert run_all([1, 2], work, helpers=1) == [1, 2]
    assert threading.get_ident() in seen and len(seen) == 2


def test_a_failing_task_stops_the_rest_and_its_error_is_raised() -> None:
    done: list[int] = []

    def work(n: int) -> int:
        if n == 3:
            raise ValueError("task 3 failed")
        done.append(n)
        return n

    with pytest.raises(ValueError, match="task 3 failed"):
        run_all(list(range(1000)), work, helpers=1)
    assert len(done) < 999
