"""Result cache: the same document with the same options is OCR'd once.

The key is the SHA-256 of the upload plus a hash of everything that shapes the answer
(route, request options, engine, model, device, detection, decoding and normalisation
settings, service version), so a setting change or an upgrade never serves a stale result. The
value is the serialised response JSON, or for `POST /ocr/` the recognised pages (words
included), from which every `format` and `words` choice is answered. It lives in an in-process LRU, or in Redis
(with a TTL) when `OCR_REDIS_URL` is set; a Redis failure turns into a cache miss.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from fastapi import Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter
from redis.asyncio import Redis
from redis.exceptions import RedisError

from invoice_ocr import __version__
from invoice_ocr.api.metrics import Metrics
from invoice_ocr.api.redis_support import OutageGuard, connect
from invoice_ocr.api.request_log import request_context
from invoice_ocr.config import Settings
from invoice_ocr.engine.base import EngineInfo
from invoice_ocr.pipeline import PipelineOptions, RecognizedPage

CACHE_HEADER = "X-Cache"
REDIS_KEY_PREFIX = "invoice-ocr:result:"
_PAGES = TypeAdapter(list[RecognizedPage])


class CacheStore(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes) -> None: ...

    async def close(self) -> None: ...


class MemoryStore:
    """An LRU bounded both in entries and in bytes (one result can be megabytes).

    Used from the event loop only, so it needs no lock.
    """

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()

    async def get(self, key: str) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        if (previous := self._items.pop(key, None)) is not None:
            self.bytes -= len(previous)
        self._items[key] = value
        self.bytes += len(value)
        while len(self._items) > self.max_entries or self.bytes > self.max_bytes:
            _, evicted = self._items.popitem(last=False)
            self.bytes -= len(evicted)

    async def close(self) -> None:
        self._items.clear()
        self.bytes = 0


class RedisStore:
    """Results in Redis with a TTL; while Redis is down every call is a quiet no-op."""

    def __init__(self, client: Redis, ttl_s: int, guard: OutageGuard) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.guard = guard

    async def get(self, key: str) -> bytes | None:
        if not self.guard.should_try:
            return None
        try:
            value = await self.client.get(REDIS_KEY_PREFIX + key)
        except (RedisError, OSError) as error:
            self.guard.failed(error)
            return None
        self.guard.succeeded()
        return value

    async def set(self, key: str, value: bytes) -> None:
        if not self.guard.should_try:
            return
        try:
            await self.client.set(REDIS_KEY_PREFIX + key, value, ex=self.ttl_s)
        except (RedisError, OSError) as error:
            self.guard.failed(error)
            return
        self.guard.succeeded()

    async def close(self) -> None:
        await self.client.aclose()


def cache_key(route: str, data: bytes, options: Mapping[str, object]) -> str:
    """`<sha256 of the bytes>:<hash of route and options>`; options must be JSON-able."""
    described = json.dumps({"route": route, **options}, sort_keys=True, default=str)
    return f"{hashlib.sha256(data).hexdigest()}:{hashlib.sha256(described.encode()).hexdigest()[:16]}"


def result_options(settings: Settings, info: EngineInfo) -> dict[str, object]:
    """Everything outside the request that changes an OCR result (and its reported fields)."""
    return {
        "version": __version__,
        "engine": info.engine,
        "model": info.model,
        "device": info.device,
        "det_model_dir": settings.det_model_dir,
        "rec_model_dir": settings.rec_model_dir,
        "det_limit_side_len": settings.det_limit_side_len,
        "rec_batch_size": settings.rec_batch_size,
        "text_normalization": settings.text_normalization,
        "orientation": settings.orientation,
        "pipeline": repr(PipelineOptions.from_settings(settings)),
    }


class ResultCache:
    """Looks responses up by key and stores new ones, counting hits and misses."""

    def __init__(self, store: CacheStore, metrics: Metrics) -> None:
        self.store = store
        self.metrics = metrics

    async def respond(
        self, key: str, response: Response, started: float, compute: Callable[[], Awaitable[BaseModel]]
    ) -> BaseModel | JSONResponse:
        """The cached body for `key` (with this request's own timing), or `compute()`'s, stored.

        `response` is the route's FastAPI response, which carries the `X-Cache` header of
        a miss; `started` is the request's `time.perf_counter()` start.
        """
        if (stored := await self.store.get(key)) is not None:
            self._count("hit")
            body = json.loads(stored)
            body["processing_time_ms"] = round((time.perf_counter() - started) * 1000, 1)
            request_context().pages = len(body.get("pages", ()))
            return JSONResponse(body, headers={CACHE_HEADER: "hit"})
        self._count("miss")
        result = await compute()
        await self.store.set(key, result.model_dump_json().encode())
        response.headers[CACHE_HEADER] = "miss"
        return result

    async def pages(
        self, key: str, response: Response, compute: Callable[[], Awaitable[list[RecognizedPage]]]
    ) -> list[RecognizedPage]:
        """The recognised pages cached under `key`, or `compute()`'s, stored; `response`
        (the route's) gets the `X-Cache` header."""
        if (stored := await self.store.get(key)) is not None:
            self._count("hit")
            pages = _PAGES.validate_json(stored)
            request_context().pages = len(pages)
            response.headers[CACHE_HEADER] = "hit"
            return pages
        self._count("miss")
        pages = await compute()
        await self.store.set(key, _PAGES.dump_json(pages))
        response.headers[CACHE_HEADER] = "miss"
        return pages

    def _count(self, outcome: str) -> None:
        self.metrics.cache_lookups.labels(outcome).inc()
        request_context().cache = outcome

    async def close(self) -> None:
        await self.store.close()


def build_result_cache(settings: Settings, metrics: Metrics) -> ResultCache | None:
    """The cache the settings ask for, or None when `OCR_CACHE_MAX_ENTRIES` is 0."""
    if settings.cache_max_entries == 0:
        return None
    if settings.redis_url is None:
        return ResultCache(MemoryStore(settings.cache_max_entries, settings.cache_max_bytes), metrics)
    guard = OutageGuard("the result cache", metrics.cache_errors.inc)
    store = RedisStore(connect(settings.redis_url, settings.redis_timeout_s), settings.cache_ttl_s, guard)
    return ResultCache(store, metrics)
