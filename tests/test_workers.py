"""The worker pool when the request that handed it a job goes away mid-job."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyoxigraph as ox

from cancergraph.server.workers import QueryJob, WorkerPool

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
EX = "http://example.org/"


def snapshot(folder: Path) -> str:
    store = ox.Store(str(folder))
    store.extend(
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)))
        for i in range(300)
    )
    store.flush()
    del store
    return str(folder)


def job(path: str, text: str) -> QueryJob:
    return QueryJob(snapshot=path, text=text, params={}, declared=(), result_format="json")


def test_a_cancelled_job_stops_its_worker_and_the_pool_goes_on(tmp_path: Path) -> None:
    path = snapshot(tmp_path / "db")

    async def scenario() -> tuple[bool, bool, bytes]:
        pool = WorkerPool(1)
        await pool.start()
        try:
            (busy,) = pool._all
            running = asyncio.create_task(pool.run(job(path, SLOW), 60))
            while not pool._idle.empty():  # until the worker has taken the job
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.5)  # well into a query that would run for hours
            assert not running.done()
            running.cancel()
            try:
                await running
                cancelled = False
            except asyncio.CancelledError:
                cancelled = True
            # the worker was stopped before the cancellation reached the caller, so a
            # snapshot the caller leased is no longer read once it lets go
            stopped = not busy.process.is_alive()
            answer = await pool.run(job(path, f"ASK {{ <{EX}s1> ?p ?o }}"), 20)
            return cancelled, stopped, answer
        finally:
            await pool.close()

    cancelled, stopped, answer = asyncio.run(scenario())
    assert cancelled
    assert stopped
    assert b"true" in answer
