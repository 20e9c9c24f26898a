"""Redis as an optional helper: the service must keep answering when Redis is gone.

Clients fail fast (short socket timeouts, no retries) and an `OutageGuard` makes a
feature step aside after a failure: one warning per outage, a metric per failure, and a
pause before Redis is tried again, so a dead Redis costs a request nothing at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

logger = logging.getLogger(__name__)

RETRY_PAUSE_SECONDS = 5.0


def client_options(timeout_s: float) -> dict[str, Any]:
    """Options for every redis-py client we create: fail within `timeout_s`, never retry."""
    return {"socket_timeout": timeout_s, "socket_connect_timeout": timeout_s, "retry": Retry(NoBackoff(), 0)}


def connect(url: str, timeout_s: float) -> Redis:
    """A client for `url`; it connects lazily, on first use."""
    return Redis.from_url(url, **client_options(timeout_s))


class OutageGuard:
    """Tracks whether a Redis-backed feature should try Redis now."""

    def __init__(
        self,
        feature: str,
        on_failure: Callable[[], None],
        pause_s: float = RETRY_PAUSE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.feature = feature
        self.on_failure = on_failure
        self.pause_s = pause_s
        self.clock = clock
        self._failed_at: float | None = None

    @property
    def should_try(self) -> bool:
        return self._failed_at is None or self.clock() - self._failed_at >= self.pause_s

    def succeeded(self) -> None:
        if self._failed_at is not None:
            logger.warning("redis is back: %s uses it again", self.feature)
            self._failed_at = None

    def failed(self, error: BaseException) -> None:
        self.on_failure()
        if self._failed_at is None:
            logger.warning("redis unavailable, %s steps aside until it is back: %r", self.feature, error)
        self._failed_at = self.clock()
