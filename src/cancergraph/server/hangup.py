"""Stop a job when the client that asked for it hangs up.

A client that gives up (its own timeout, a closed browser tab) would otherwise
leave its query or validation running in a worker until the job's time limit,
keeping that worker from everyone else. While the job runs, the request's ASGI
receive channel is watched: once the body has been read, the next message the
server sends there is `http.disconnect`, and it comes early only if the client
went away. The job is then cancelled, which stops its worker (WorkerPool.run).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from starlette.requests import Request

T = TypeVar("T")

# nginx's status for a request whose client closed the connection; only the log sees it
CLIENT_CLOSED = 499


class ClientGone(Exception):
    """The client disconnected before its job finished; the job was stopped."""


async def unless_hung_up(request: Request, job: Awaitable[T]) -> T:
    """The job's result, or ClientGone once the job is stopped because the client left.

    Whichever way this ends, the job has ended too (finished or stopped) by the time
    it returns or raises, so that a snapshot leased for it can be let go.
    """
    work = asyncio.ensure_future(job)
    watch = asyncio.ensure_future(_hang_up(request))
    try:
        await asyncio.wait({work, watch}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        await _stop(work, watch)
        raise
    if work.done():
        await _stop(watch)
        return work.result()
    await _stop(work)
    raise ClientGone()


async def in_worker(request: Request, job: object, timeout: float) -> Any:
    """A job run in the service's worker pool, stopped if its client hangs up first:
    every request that hands work to a worker goes through here."""
    return await unless_hung_up(request, request.app.state.pool.run(job, timeout))


async def _hang_up(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _stop(*tasks: asyncio.Future[Any]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
