"""Where jobs live: their records, input bytes, page results and finished results.

`JobStore` is what the runner and the API need; `SqliteJobStore` is the embedded default
(one process, a file under `OCR_DATA_DIR`, so queued and finished jobs survive a restart)
and `jobs/redis_store.py` the shared one for replicas.

Page results are stored one by one as they complete, so a job that is interrupted (a
restart, a replica that dies) goes on from its first unfinished page. Finished jobs keep
their data for the result TTL; the record alone is kept a day longer, so a late reader is
told `job_expired` rather than `job_not_found`.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from invoice_ocr.jobs.models import PAGE_CODEC, JobError, JobRecord, JobState, WebhookOutcome
from invoice_ocr.pipeline import RecognizedPage

T = TypeVar("T")
# How long an expired job's record outlives its data, seconds.
TOMBSTONE_S = 86_400
DB_NAME = "jobs.sqlite3"


class JobStore(Protocol):
    async def create(self, record: JobRecord, data: bytes) -> None: ...

    async def get(self, job_id: str) -> JobRecord | None: ...

    async def position(self, job_id: str) -> int | None:
        """How many queued jobs are ahead of this one; None unless it is queued."""

    async def count_queued(self) -> int: ...

    async def input(self, job_id: str) -> bytes | None: ...

    async def claim(self, job_id: str, lease_s: float) -> JobRecord | None:
        """Mark a queued job (or one whose lease ran out) running; None when it is not free."""

    async def renew(self, job_id: str, lease_s: float) -> None: ...

    async def release(self, job_id: str) -> None:
        """A running job back to queued (its runner stops; its stored pages stay)."""

    async def save_page(self, job_id: str, page: RecognizedPage) -> None:
        """Store a finished page; `pages_done` becomes the number of pages stored."""

    async def pages(self, job_id: str) -> list[RecognizedPage]: ...

    async def finish(
        self, job_id: str, status: JobState, ttl_s: float, result: bytes | None = None, error: JobError | None = None
    ) -> JobRecord | None: ...

    async def request_cancel(self, job_id: str, ttl_s: float) -> JobRecord | None:
        """A queued job is cancelled at once; a running one is asked to stop at its next page."""

    async def update_webhook(self, job_id: str, outcome: WebhookOutcome) -> None: ...

    async def result(self, job_id: str) -> bytes | None: ...

    async def close(self) -> None: ...


def finish_record(record: JobRecord, status: JobState, ttl_s: float, error: JobError | None = None) -> None:
    """`record` as finished now with `status`: both stores apply the same change."""
    now = time.time()
    record.status = status
    record.finished_at = now
    record.expires_at = now + ttl_s
    record.lease_until = None
    record.error = error


def _back_to_queue(record: JobRecord) -> bool:
    if record.status != "running":
        return False
    record.status = "queued"
    return True


_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, created_at);
CREATE TABLE IF NOT EXISTS job_inputs (id TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS job_pages (
    id TEXT NOT NULL, number INTEGER NOT NULL, page TEXT NOT NULL, PRIMARY KEY (id, number)
);
CREATE TABLE IF NOT EXISTS job_results (id TEXT PRIMARY KEY, body BLOB NOT NULL);
"""
_DATA_TABLES = ("job_inputs", "job_pages", "job_results")


class SqliteJobStore:
    """Jobs in one SQLite file (stdlib `sqlite3`), for one process.

    One connection behind a lock; every call runs in a thread so the event loop never
    waits on the disk. WAL journal: readers (status polls) do not wait for the writer.
    """

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_NAME
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    # ------------------------------------------------------------------ plumbing

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        return await asyncio.to_thread(self._locked, fn, *args)

    def _locked(self, fn: Callable[..., T], *args: object) -> T:
        with self._lock:
            return fn(*args)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _load(self, job_id: str) -> JobRecord | None:
        row = self._db.execute("SELECT record FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return JobRecord.model_validate_json(row[0]) if row else None

    def _save(self, record: JobRecord) -> None:
        self._db.execute(
            "UPDATE jobs SET status = ?, expires_at = ?, record = ? WHERE id = ?",
            (record.status, record.expires_at, record.model_dump_json(), record.id),
        )

    def _mutate(self, job_id: str, change: Callable[[JobRecord], bool]) -> JobRecord | None:
        """Apply `change` to the stored record in one transaction; None when the job is
        unknown or `change` declines (returns False)."""
        with self._transaction():
            record = self._load(job_id)
            if record is None or not change(record):
                return None
            self._save(record)
            return record

    # ------------------------------------------------------------------ JobStore

    async def create(self, record: JobRecord, data: bytes) -> None:
        def create() -> None:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO jobs (id, status, created_at, expires_at, record) VALUES (?, ?, ?, ?, ?)",
                    (record.id, record.status, record.created_at, record.expires_at, record.model_dump_json()),
                )
                self._db.execute("INSERT INTO job_inputs (id, data) VALUES (?, ?)", (record.id, data))

        await self._run(create)

    async def get(self, job_id: str) -> JobRecord | None:
        return await self._run(self._load, job_id)

    async def position(self, job_id: str) -> int | None:
        def position() -> int | None:
            row = self._db.execute("SELECT status, created_at FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None or row[0] != "queued":
                return None
            ahead = "status = 'queued' AND (created_at < ? OR created_at = ? AND id < ?)"
            return self._db.execute(f"SELECT COUNT(*) FROM jobs WHERE {ahead}", (row[1], row[1], job_id)).fetchone()[0]

        return await self._run(position)

    async def count_queued(self) -> int:
        query = "SELECT COUNT(*) FROM jobs WHERE status = 'queued'"
        return await self._run(lambda: self._db.execute(query).fetchone()[0])

    async def input(self, job_id: str) -> bytes | None:
        def read() -> bytes | None:
            row = self._db.execute("SELECT data FROM job_inputs WHERE id = ?", (job_id,)).fetchone()
            return row[0] if row else None

        return await self._run(read)

    async def claim(self, job_id: str, lease_s: float) -> JobRecord | None:
        def claim(record: JobRecord) -> bool:
            if record.status != "queued":  # one process: a running job is this process's own
                return False
            record.status = "running"
            record.started_at = record.started_at or time.time()
            return True

        return await self._run(self._mutate, job_id, claim)

    async def renew(self, job_id: str, lease_s: float) -> None:
        """Nothing to renew: one process owns every job of the file."""

    async def release(self, job_id: str) -> None:
        await self._run(self._mutate, job_id, _back_to_queue)

    async def save_page(self, job_id: str, page: RecognizedPage) -> None:
        def save() -> None:
            with self._transaction():
                self._db.execute(
                    "INSERT OR REPLACE INTO job_pages (id, number, page) VALUES (?, ?, ?)",
                    (job_id, page.number, PAGE_CODEC.dump_json(page).decode()),
                )
                record = self._load(job_id)
                if record is not None:
                    query = "SELECT COUNT(*) FROM job_pages WHERE id = ?"
                    record.pages_done = self._db.execute(query, (job_id,)).fetchone()[0]
                    self._save(record)

        await self._run(save)

    async def pages(self, job_id: str) -> list[RecognizedPage]:
        def pages() -> list[RecognizedPage]:
            rows = self._db.execute("SELECT page FROM job_pages WHERE id = ? ORDER BY number", (job_id,)).fetchall()
            return [PAGE_CODEC.validate_json(row[0]) for row in rows]

        return await self._run(pages)

    async def finish(
        self, job_id: str, status: JobState, ttl_s: float, result: bytes | None = None, error: JobError | None = None
    ) -> JobRecord | None:
        def finish() -> JobRecord | None:
            with self._transaction():
                record = self._load(job_id)
                if record is None:
                    return None
                finish_record(record, status, ttl_s, error)
                self._save(record)
                if result is not None:
                    self._db.execute("INSERT OR REPLACE INTO job_results (id, body) VALUES (?, ?)", (job_id, result))
                return record

        return await self._run(finish)

    async def request_cancel(self, job_id: str, ttl_s: float) -> JobRecord | None:
        def cancel(record: JobRecord) -> bool:
            if record.status == "queued":
                finish_record(record, "cancelled", ttl_s)
            elif record.status == "running":
                record.cancel_requested = True
            return True

        return await self._run(self._mutate, job_id, cancel)

    async def update_webhook(self, job_id: str, outcome: WebhookOutcome) -> None:
        def update(record: JobRecord) -> bool:
            record.webhook = outcome
            return True

        await self._run(self._mutate, job_id, update)

    async def result(self, job_id: str) -> bytes | None:
        def read() -> bytes | None:
            row = self._db.execute("SELECT body FROM job_results WHERE id = ?", (job_id,)).fetchone()
            return row[0] if row else None

        return await self._run(read)

    async def close(self) -> None:
        await self._run(self._db.close)

    # ------------------------------------------------------------------ the embedded queue

    async def next_queued(self, exclude: set[str]) -> str | None:
        """The oldest queued job not in `exclude` (those this process is starting)."""

        def oldest() -> str | None:
            rows = self._db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id")
            return next((job_id for (job_id,) in rows if job_id not in exclude), None)

        return await self._run(oldest)

    async def requeue_running(self) -> int:
        """At start-up: jobs left running by a process that stopped go back to the queue."""

        def requeue() -> int:
            ids = [job_id for (job_id,) in self._db.execute("SELECT id FROM jobs WHERE status = 'running'")]
            for job_id in ids:
                self._mutate(job_id, _back_to_queue)
            return len(ids)

        return await self._run(requeue)

    async def purge(self, now: float | None = None) -> int:
        """Drop the data of jobs past their TTL, and their records a day later."""

        def purge() -> int:
            moment = now or time.time()
            with self._transaction():
                expired = [
                    job_id for (job_id,) in self._db.execute("SELECT id FROM jobs WHERE expires_at <= ?", (moment,))
                ]
                for table in _DATA_TABLES:
                    self._db.executemany(f"DELETE FROM {table} WHERE id = ?", [(job_id,) for job_id in expired])
                self._db.execute("DELETE FROM jobs WHERE expires_at <= ?", (moment - TOMBSTONE_S,))
            return len(expired)

        return await self._run(purge)
