"""A real, throw-away `redis-server` on a free loopback port, for the Redis tests.

Nothing is persisted (`--save ''`, no AOF). Tests skip with a clear reason when the
binary is absent (Debian: `apt-get install redis-server`).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

from tests.conftest import free_port

START_TIMEOUT_S = 10.0


class RedisServer:
    """One redis-server process; `stop()` kills it (tests use that to simulate an outage)."""

    def __init__(self, binary: str) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        client = redis.Redis.from_url(self.url, socket_timeout=0.5)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    """A started server, stopped afterwards; skips the test when redis-server is absent."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed (Debian package `redis-server`); Redis tests skipped")
    server = RedisServer(binary)
    try:
        yield server
    finally:
        server.stop()
