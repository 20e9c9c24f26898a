"""Per-client rate limits (`OCR_RATE_LIMIT`, e.g. `60/minute`) with the `limits` library.

A client is its API key (by key id) when keys are configured, else its IP address.
The moving-window strategy counts the requests of the last full window, so a client
cannot double its rate at a window boundary. Counters live in the process, or in Redis
when `OCR_REDIS_URL` is set so that replicas share them; while Redis is unreachable
requests go through unlimited rather than failing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from invoice_ocr.api.errors import ApiError
from invoice_ocr.api.metrics import Metrics
from invoice_ocr.api.redis_support import OutageGuard, client_options
from invoice_ocr.api.request_log import request_context
from invoice_ocr.config import Settings

KEY_PREFIX = "invoice-ocr:ratelimit"


class RateLimiter:
    """Counts requests per client against every configured limit."""

    def __init__(self, rule: str, storage: Storage, guard: OutageGuard) -> None:
        self.items: list[RateLimitItem] = parse_many(rule)
        self.strategy = MovingWindowRateLimiter(storage)
        self.guard = guard

    async def check(self, client: str) -> None:
        """Count one request of `client`; raise a 429 `ApiError` when it is over a limit."""
        if not self.guard.should_try:
            return
        try:
            await self._count(client)
        except StorageError as error:
            self.guard.failed(error.storage_error)
            return
        self.guard.succeeded()

    async def _count(self, client: str) -> None:
        for item in self.items:
            if not await self.strategy.hit(item, client):
                stats = await self.strategy.get_window_stats(item, client)
                retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                raise ApiError(
                    429,
                    "rate_limited",
                    f"rate limit of {item} exceeded; retry in {retry_after} s",
                    {"Retry-After": str(retry_after)},
                )


def build_rate_limiter(settings: Settings, metrics: Metrics) -> RateLimiter | None:
    """The limiter the settings ask for, or None when `OCR_RATE_LIMIT` is empty."""
    if not settings.rate_limit:
        return None
    guard = OutageGuard("rate limiting", metrics.rate_limit_errors.inc)
    if settings.redis_url is None:
        return RateLimiter(settings.rate_limit, MemoryStorage(), guard)
    storage = RedisStorage(
        f"async+{settings.redis_url}",
        implementation="redispy",
        wrap_exceptions=True,
        key_prefix=KEY_PREFIX,
        **client_options(settings.redis_timeout_s),
    )
    return RateLimiter(settings.rate_limit, storage, guard)


def client_identity(request: Request) -> str:
    """Whom a request counts against: its API key id, else the client address."""
    key = request_context().key_id
    if key is not None:
        return f"key:{key}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


def rate_limit_dependency(limiter: RateLimiter) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency counting each request against `limiter` (after authentication)."""

    async def enforce_rate_limit(request: Request) -> None:
        await limiter.check(client_identity(request))

    return enforce_rate_limit
