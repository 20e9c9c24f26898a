"""Work nobody waits for is stopped: past the per-request processing deadline
(`OCR_REQUEST_TIMEOUT_S`, a 504), or when the client disconnects first.

Leaving the `async with` block, or cancelling the work, cancels what the request awaits;
a job still waiting in the worker's queue then has a cancelled future, and the worker
skips it. Decoding that already runs in a sandbox worker finishes there, unseen.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from invoice_ocr.api.errors import ApiError
from invoice_ocr.api.request_log import client_left

T = TypeVar("T")
# nginx's code for a request its client closed: never seen by that client, only in logs.
CLIENT_CLOSED_REQUEST = 499


@asynccontextmanager
async def processing_deadline(seconds: float) -> AsyncIterator[None]:
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise ApiError(504, "timeout", f"processing took longer than {seconds:g} s; try again later") from None


async def unless_client_leaves(work: Coroutine[Any, Any, T]) -> T:
    """`work`'s result, or, when the client disconnects first, `work` cancelled and a 499
    `client_disconnected` for the access log."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(client_left())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done() and watcher.result():
            task.cancel()
            raise ApiError(CLIENT_CLOSED_REQUEST, "client_disconnected", "the client closed the connection")
        return await task
    finally:
        for pending in (task, watcher):
            pending.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
