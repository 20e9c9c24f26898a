"""Jobs in Redis, shared by every replica (with `OCR_REDIS_URL`): any replica answers any
job's `GET`, and any replica can run it.

Per job: a hash of the record's fields (each JSON), so concurrent writers (the replica
running the job, another one cancelling it) change only their own fields; the input
bytes, a hash of the finished pages and the result body. A sorted set of queued job ids
(by creation time) gives the queue position. State changes that read before they write
(claim, release, cancel, a page stored) are Lua scripts, atomic in Redis. Finished jobs
get a TTL on every key; the record outlives the data by `TOMBSTONE_S`.

Unlike the result cache this store does not step aside when Redis is down: jobs need it,
so its errors reach the caller (`POST /jobs` answers 503).
"""

from __future__ import annotations

import json
import time
from typing import Any

from redis.asyncio import Redis

from invoice_ocr.jobs.models import PAGE_CODEC, JobError, JobRecord, JobState, WebhookOutcome
from invoice_ocr.jobs.store import TOMBSTONE_S, finish_record
from invoice_ocr.pipeline import RecognizedPage

PREFIX = "invoice-ocr:job:"
QUEUED = "invoice-ocr:jobs:queued"
# Inputs are megabytes: far longer than the result cache's quarter-second timeout.
TIMEOUT_S = 30.0

_CLAIM = """
local status = redis.call('HGET', KEYS[1], 'status')
if status == '"running"' then
  local lease = tonumber(redis.call('HGET', KEYS[1], 'lease_until'))
  if lease and lease > tonumber(ARGV[1]) then return 0 end
elseif status ~= '"queued"' then
  return 0
end
redis.call('HSET', KEYS[1], 'status', '"running"', 'lease_until', ARGV[2])
if redis.call('HGET', KEYS[1], 'started_at') == 'null' then
  redis.call('HSET', KEYS[1], 'started_at', ARGV[1])
end
redis.call('ZREM', KEYS[2], ARGV[3])
return 1
"""
_RELEASE = """
if redis.call('HGET', KEYS[1], 'status') ~= '"running"' then return 0 end
redis.call('HSET', KEYS[1], 'status', '"queued"', 'lease_until', 'null')
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'created_at'), ARGV[1])
return 1
"""
# Returns 2 when a queued job was cancelled at once (its keys then get their TTL), 1 when
# the job exists (a running one now has `cancel_requested`), 0 when it does not.
_CANCEL = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
if status == '"queued"' then
  redis.call('HSET', KEYS[1], 'status', '"cancelled"', 'finished_at', ARGV[1], 'expires_at', ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[3])
  return 2
end
if status == '"running"' then redis.call('HSET', KEYS[1], 'cancel_requested', 'true') end
return 1
"""
_SAVE_PAGE = """
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], 'pages_done', redis.call('HLEN', KEYS[2]))
"""


def _fields(record: JobRecord, *names: str) -> dict[str, str]:
    data = record.model_dump(mode="json")
    return {name: json.dumps(data[name]) for name in names or data}


class RedisJobStore:
    def __init__(self, url: str) -> None:
        self.client: Redis = Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)
        self._claim = self.client.register_script(_CLAIM)
        self._release = self.client.register_script(_RELEASE)
        self._cancel = self.client.register_script(_CANCEL)
        self._save_page = self.client.register_script(_SAVE_PAGE)

    @staticmethod
    def _keys(job_id: str) -> dict[str, str]:
        base = PREFIX + job_id
        return {"record": base, "input": base + ":input", "pages": base + ":pages", "result": base + ":result"}

    async def _expire(self, job_id: str, ttl_s: float) -> None:
        keys = self._keys(job_id)
        async with self.client.pipeline(transaction=True) as pipe:
            for name in ("input", "pages", "result"):
                pipe.expire(keys[name], int(ttl_s))
            pipe.expire(keys["record"], int(ttl_s + TOMBSTONE_S))
            await pipe.execute()

    async def create(self, record: JobRecord, data: bytes) -> None:
        keys = self._keys(record.id)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.set(keys["input"], data)
            pipe.hset(keys["record"], mapping=_fields(record))
            pipe.zadd(QUEUED, {record.id: record.created_at})
            await pipe.execute()

    async def get(self, job_id: str) -> JobRecord | None:
        raw: dict[bytes, bytes] = await self.client.hgetall(self._keys(job_id)["record"])
        if not raw:
            return None
        fields: dict[str, Any] = {key.decode(): json.loads(value) for key, value in raw.items()}
        return JobRecord.model_validate(fields)

    async def position(self, job_id: str) -> int | None:
        return await self.client.zrank(QUEUED, job_id)

    async def count_queued(self) -> int:
        return await self.client.zcard(QUEUED)

    async def input(self, job_id: str) -> bytes | None:
        return await self.client.get(self._keys(job_id)["input"])

    async def claim(self, job_id: str, lease_s: float) -> JobRecord | None:
        now = time.time()
        if not await self._claim(keys=[self._keys(job_id)["record"], QUEUED], args=[now, now + lease_s, job_id]):
            return None
        return await self.get(job_id)

    async def renew(self, job_id: str, lease_s: float) -> None:
        await self.client.hset(self._keys(job_id)["record"], "lease_until", json.dumps(time.time() + lease_s))

    async def release(self, job_id: str) -> None:
        await self._release(keys=[self._keys(job_id)["record"], QUEUED], args=[job_id])

    async def save_page(self, job_id: str, page: RecognizedPage) -> None:
        keys = self._keys(job_id)
        await self._save_page(keys=[keys["record"], keys["pages"]], args=[page.number, PAGE_CODEC.dump_json(page)])

    async def pages(self, job_id: str) -> list[RecognizedPage]:
        raw: dict[bytes, bytes] = await self.client.hgetall(self._keys(job_id)["pages"])
        return sorted((PAGE_CODEC.validate_json(value) for value in raw.values()), key=lambda page: page.number)

    async def finish(
        self, job_id: str, status: JobState, ttl_s: float, result: bytes | None = None, error: JobError | None = None
    ) -> JobRecord | None:
        record = await self.get(job_id)
        if record is None:
            return None
        finish_record(record, status, ttl_s, error)
        keys = self._keys(job_id)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(
                keys["record"], mapping=_fields(record, "status", "finished_at", "expires_at", "lease_until", "error")
            )
            if result is not None:
                pipe.set(keys["result"], result)
            await pipe.execute()
        await self._expire(job_id, ttl_s)
        return record

    async def request_cancel(self, job_id: str, ttl_s: float) -> JobRecord | None:
        now = time.time()
        keys = [self._keys(job_id)["record"], QUEUED]
        outcome = await self._cancel(keys=keys, args=[now, now + ttl_s, job_id])
        if outcome == 2:
            await self._expire(job_id, ttl_s)
        return await self.get(job_id) if outcome else None

    async def update_webhook(self, job_id: str, outcome: WebhookOutcome) -> None:
        await self.client.hset(self._keys(job_id)["record"], "webhook", outcome.model_dump_json())

    async def result(self, job_id: str) -> bytes | None:
        return await self.client.get(self._keys(job_id)["result"])

    async def close(self) -> None:
        await self.client.aclose()
