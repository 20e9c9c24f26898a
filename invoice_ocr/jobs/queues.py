"""Who runs queued jobs: this process from its SQLite store (`LocalQueue`), or any replica
through Redis with Dramatiq (`DramatiqQueue`).

Why Dramatiq for scale-out (over arq, RQ and Celery, all looked at for this):
- arq 0.28 (asyncio-native) pins `redis<6` while the service runs redis-py 8 (the cache
  and the rate limiter use it), and its maintainers list it as maintenance-only;
- RQ forks a work horse per job (or, as a `SimpleWorker`, wants the main thread for its
  signal handlers): either way not a process that keeps one warm OCR model;
- Celery brings kombu, billiard, vine and amqp and a prefork pool for the same reason;
- Dramatiq has no required dependency beyond redis-py (`redis<9`), its `Worker` is an
  object with `start()`/`stop()` that runs threads inside our process, messages are acked
  only after the actor returns (a replica that dies leaves its message to be redelivered
  once its heartbeat times out), and `Retries` re-enqueues a message on `Retry`.

The Dramatiq actor is a thin bridge: it hands the job id to the `JobRunner` on the
server's event loop and waits; an interrupted job (the replica stops) raises `Retry`, so
the message comes back, to this replica or another, and the job goes on from its first
unfinished page. The job's state lives in the store, never in the message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, Protocol

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Retries

from invoice_ocr.jobs.runner import JobRunner
from invoice_ocr.jobs.store import SqliteJobStore

logger = logging.getLogger(__name__)

# The embedded queue looks for due work (and purges expired jobs) at least this often.
POLL_S = 30.0
DRAMATIQ_NAMESPACE = "invoice-ocr"
QUEUE_NAME = "jobs"
ACTOR_NAME = "run_job"
# An interrupted job comes back after this long (ms): a rolling update has replaced the pod by then.
RETRY_DELAY_MS = 1000
# Interruptions (stops mid-job) a job survives before Dramatiq gives up on its message.
MAX_INTERRUPTIONS = 20
# How long a stopping replica waits for its Dramatiq threads, ms.
STOP_TIMEOUT_MS = 30_000


class JobQueue(Protocol):
    async def submit(self, job_id: str) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LocalQueue:
    """Queued jobs of the SQLite store, oldest first, `concurrency` at a time, run here."""

    def __init__(self, store: SqliteJobStore, runner: JobRunner, concurrency: int) -> None:
        self.store = store
        self.runner = runner
        self.concurrency = concurrency
        self._wake = asyncio.Event()
        self._running: dict[str, asyncio.Task[Any]] = {}
        self._loop_task: asyncio.Task[None] | None = None

    async def submit(self, job_id: str) -> None:
        self._wake.set()

    async def start(self) -> None:
        if requeued := await self.store.requeue_running():
            logger.info("%d job(s) left running by the last process go on from their first unfinished page", requeued)
        self._loop_task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while not self.runner.stopping:
            self._wake.clear()
            try:
                await self.store.purge()
                await self._start_due()
            except Exception:  # a full disk must not end the queue: try again on the next wake-up
                logger.exception("the job queue could not read the store")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(POLL_S):
                    await self._wake.wait()

    async def _start_due(self) -> None:
        while len(self._running) < self.concurrency and not self.runner.stopping:
            job_id = await self.store.next_queued(set(self._running))
            if job_id is None:
                return
            task = asyncio.create_task(self.runner.run(job_id))
            self._running[job_id] = task
            task.add_done_callback(lambda _, job_id=job_id: self._done(job_id))

    def _done(self, job_id: str) -> None:
        self._running.pop(job_id, None)
        self._wake.set()

    async def stop(self) -> None:
        """Running jobs stop at their next page and go back to the queue; the loop ends
        (never cancelled in the middle of a store call)."""
        await self.runner.stop()
        self._wake.set()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        if self._loop_task is not None:
            await self._loop_task


class DramatiqQueue:
    """Jobs as Dramatiq messages in Redis; with a runner, this process also consumes them
    (`concurrency` worker threads, each running one job at a time)."""

    def __init__(self, redis_url: str, runner: JobRunner | None, concurrency: int) -> None:
        self.runner = runner
        self.concurrency = concurrency
        self.broker = RedisBroker(
            url=redis_url,
            namespace=DRAMATIQ_NAMESPACE,
            middleware=[Retries(max_retries=MAX_INTERRUPTIONS, min_backoff=RETRY_DELAY_MS)],
        )
        self.actor = dramatiq.Actor(
            self._perform, broker=self.broker, actor_name=ACTOR_NAME, queue_name=QUEUE_NAME, priority=0, options={}
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker: dramatiq.Worker | None = None

    async def submit(self, job_id: str) -> None:
        await asyncio.to_thread(self.actor.send, job_id)

    async def start(self) -> None:
        if self.runner is None:
            return
        self._loop = asyncio.get_running_loop()
        worker = dramatiq.Worker(self.broker, worker_threads=self.concurrency)
        # Prefetch no more than the threads can run: a message waiting in this replica's
        # memory is one an idle replica cannot take.
        worker.queue_prefetch = self.concurrency
        await asyncio.to_thread(worker.start)
        self._worker = worker

    def _perform(self, job_id: str) -> None:
        """The actor, on a Dramatiq thread: run the job on the server's loop and wait."""
        assert self._loop is not None and self.runner is not None  # only a started consumer gets messages
        coroutine: Coroutine[Any, Any, str] = self.runner.run(job_id)
        if asyncio.run_coroutine_threadsafe(coroutine, self._loop).result() == "interrupted":
            raise dramatiq.Retry("the replica stopped mid-job", delay=RETRY_DELAY_MS)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.stop()  # running jobs stop at their next page; their threads then return
        if self._worker is not None:
            await asyncio.to_thread(self._worker.stop, STOP_TIMEOUT_MS)
        await asyncio.to_thread(self.broker.close)
