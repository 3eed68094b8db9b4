"""Worker processes that run queries and validations off the event loop.

Each job runs in a separate process on a read-only snapshot of the store, so a
slow job never blocks the event loop or other requests, and a job past its time
limit is stopped for real: its process is killed and a fresh one replaces it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
from dataclasses import dataclass
from datetime import date
from typing import Any

from cancergraph.errors import UserError
from cancergraph.render.query_results import UnwritableResult
from cancergraph.server.negotiation import NotAcceptable


class JobTimeout(Exception):
    """The job ran past its time limit and was stopped."""


class JobFailed(Exception):
    """The job failed for a reason that is not the user's."""


@dataclass(frozen=True)
class QueryJob:
    snapshot: str
    text: str
    params: dict[str, str]
    declared: tuple[Any, ...]
    result_format: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    name: str = "query"


@dataclass(frozen=True)
class ValidateJob:
    report_format: str
    data: bytes | None = None
    data_format: str | None = None
    data_name: str = "upload"
    snapshot: str | None = None
    graph: str | None = None
    profiles: tuple[str, ...] = ()
    as_of: date | None = None
    engine: str | None = None
    fail_on: str = "violation"


def _worker_main(conn: multiprocessing.connection.Connection) -> None:
    from cancergraph.server import jobs  # imported in the child, so the parent stays light

    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", jobs.run(job)))
        except UnwritableResult as err:
            conn.send(("unwritable", str(err)))
        except UserError as err:
            conn.send(("user", str(err)))
        except Exception as err:  # reported, never silently dropped
            conn.send(("failed", f"{type(err).__name__}: {err}"))


class Worker:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def exchange(self, job: object, timeout: float) -> tuple[str, Any]:
        self.conn.send(job)
        if not self.conn.poll(timeout):
            raise JobTimeout()
        return self.conn.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()

    async def start(self) -> None:
        for _ in range(self.size):
            self._add(await asyncio.to_thread(Worker))

    def _add(self, worker: Worker) -> None:
        self._all.add(worker)
        self._idle.put_nowait(worker)

    async def run(self, job: object, timeout: float) -> Any:
        """Run a job in an idle worker; raise UserError, JobTimeout or JobFailed."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise JobTimeout() from None
        exchange = asyncio.ensure_future(asyncio.to_thread(worker.exchange, job, timeout))
        try:
            status, payload = await asyncio.shield(exchange)
        except asyncio.CancelledError:
            self._abandon(worker, exchange)
            raise
        except JobTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError) as err:
            self._replace(worker)
            raise JobFailed(f"worker process ended unexpectedly: {err}") from None
        self._idle.put_nowait(worker)
        if status == "unwritable":
            raise NotAcceptable(payload)
        if status == "user":
            raise UserError(payload)
        if status == "failed":
            raise JobFailed(payload)
        return payload

    def _abandon(self, worker: Worker, exchange: asyncio.Future[Any]) -> None:
        """The caller went away (its request was cancelled) while the worker had its job.

        The worker is stopped before the cancellation goes on, so that nothing it was
        reading (a snapshot the caller leased) is still in use once the caller lets go,
        and a fresh worker takes its place in the pool. The thread that was waiting on
        the job then sees the process end; what it raises is expected and dropped.
        """
        exchange.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._replace(worker)

    def _replace(self, worker: Worker) -> None:
        self._all.discard(worker)
        worker.stop()
        asyncio.get_running_loop().create_task(self._respawn())

    async def _respawn(self) -> None:
        self._add(await asyncio.to_thread(Worker))

    async def close(self) -> None:
        for worker in list(self._all):
            await asyncio.to_thread(worker.stop)
        self._all.clear()
