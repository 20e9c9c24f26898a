"""The per-request processing deadline (`OCR_REQUEST_TIMEOUT_S`): past it, a 504.

Leaving the `async with` block cancels what the request awaits; a job still waiting in
the worker's queue then has a cancelled future, and the worker skips it. Decoding that
already runs in a thread finishes there, unseen.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from invoice_ocr.api.errors import ApiError


@asynccontextmanager
async def processing_deadline(seconds: float) -> AsyncIterator[None]:
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise ApiError(504, "timeout", f"processing took longer than {seconds:g} s; try again later") from None
