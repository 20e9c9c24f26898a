"""Fixtures the integration tests share beyond tests/conftest.py: a real redis-server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.redis_server import RedisServer, running_redis


@pytest.fixture(scope="module")
def shared_redis() -> Iterator[RedisServer]:
    """A real redis-server for one test module (skips with the reason when it is missing)."""
    with running_redis() as server:
        yield server


@pytest.fixture
def redis_url(shared_redis: RedisServer) -> str:
    """The shared server's URL, emptied for each test."""
    redis.Redis.from_url(shared_redis.url).flushall()
    return shared_redis.url
