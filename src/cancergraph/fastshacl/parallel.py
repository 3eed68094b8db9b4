"""Independent tasks shared between the calling thread and helper threads.

pyoxigraph releases the GIL while it evaluates a query, so a second thread lets
the other core work. The calling thread works too, rather than waiting on a
pool: on 1,000 triples a pool of two threads was slower than one thread alone,
and this way is faster than both. Every thread takes the next task from one
shared position, so a long task on one thread does not hold the others up.

Two threads do not halve the time. The rule queries of one validation at 10k
triples, split between two threads, took 23 to 27 ms against 36 to 39 ms on
one; on two copies of the store 21 to 24 ms, and in two processes, each with
its own copy, 18 to 20 ms. The shared store and Python's lock each cost about
a tenth. Parsing and planning a query holds the lock (a busy Python thread
cut the planning rate fourfold), so a thread that has finished a query waits
while the other plans: the engine's threads spend about 2 ms each between
queries, for 1.3 ms of Python work in all. Copying the store (about 30 ms at
10k) or forking a process for half of the shapes (34.0 ms against 32.9 ms)
costs at least as much as it saves.
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
