"""Independent tasks shared between the calling thread and helper threads.

pyoxigraph releases the GIL while it evaluates a query, so a second thread lets
the other core work. The calling thread works too, rather than waiting on a
pool: on 1,000 triples a pool of two threads was slower than one thread alone,
and this way is faster than both. Every thread takes the next task from one
shared position, so a long task on one thread does not hold the others up.

Two threads do not halve the time: the queries of one validation at 10k
triples took 37 ms on one thread and 24.5 ms on two. Parsing and planning a
query holds the GIL, so that part does not spread at all (a busy Python thread
cut the planning rate fourfold). Evaluation does, but two threads reading one
store slow each other: one rule query repeated ran 1.2 to 1.6 times as fast on
two threads sharing a store, 1.85 to 1.9 times on two copies. Copying the store
(about 30 ms at 10k) or forking a process for half of the shapes (34.0 ms
against 32.9 ms) costs at least as much as it saves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def run_all(tasks: Sequence[T], work: Callable[[T], R], helpers: int) -> list[R]:
    """`work` applied to every task, results in the tasks' order.

    The first exception raised by any task stops the threads from taking new
    tasks and is raised here, once they have finished the ones they hold.
    """
    results: dict[int, R] = {}
    failures: list[BaseException] = []
    lock = threading.Lock()
    position = 0

    def take() -> int | None:
        nonlocal position
        with lock:
            if failures or position >= len(tasks):
                return None
            position += 1
            return position - 1

    def drain() -> None:
        while (index := take()) is not None:
            try:
                results[index] = work(tasks[index])
            except BaseException as err:  # handed to the calling thread, which raises it
                with lock:
                    failures.append(err)
                return

    count = min(helpers, len(tasks) - 1)
    threads = [threading.Thread(target=drain, daemon=True) for _ in range(max(count, 0))]
    for thread in threads:
        thread.start()
    drain()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return [results[index] for index in range(len(tasks))]
