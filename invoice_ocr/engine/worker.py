"""The inference worker: one thread per engine instance owns that engine; requests hand
pages over one shared bounded queue and await the result without blocking the event loop.
Several engines (`OCR_ENGINES`) read pages in parallel on machines with cores to spare.

Dynamic batching: the jobs waiting in the queue are gathered, up to `max_batch` pages or
`batch_wait_ms` of waiting, and go through the engine in one call; each request gets its
own pages back.

When no page has been queued or in inference for `idle_delay_s`, the worker calls
`on_idle` once (the service passes `heap.release_free_heap`), so memory held for a burst of
pages goes back after the burst. The delay keeps the hook off the path of a client that
sends page after page: trimming between two requests only makes the next one fault its
memory back in (8 % fewer pages/s with the tiny models when it ran after every request).

Backpressure is counted in pages, because a page, not a request, is the unit of work: a
full queue refuses new work at once (the API answers 503 with Retry-After) instead of
letting latency grow without bound. A job larger than the whole queue is still accepted
when the queue is empty, so a long PDF is never refused for its length alone. `reserve`
takes that room before the pages exist (the page count is known from the PDF page tree or
the image header), so an overloaded service refuses a document before decoding it; the
pages later go in through the `Reservation`.

Background lane (async jobs): `submit_background` queues pages that yield to every
synchronous page: an engine takes a background job only when no foreground job waits, so a
request arriving while a job runs waits at most for the one job page already on the engine.
Background pages are counted apart (`background_depth`): they neither take the foreground
queue's room nor make a replica look saturated. Their producer (jobs/runner.py) bounds how
many it has in flight.

Cancellation: a request's pages are queued as jobs of at most `max_batch` pages each, so a
request that times out or goes away stops between engine calls: its waiting jobs leave the
queue at once (their room is freed for others) rather than being read for nobody.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from invoice_ocr.engine.base import OcrEngine
from invoice_ocr.page import OcrPage

logger = logging.getLogger(__name__)


class QueueFullError(RuntimeError):
    """The worker's queue cannot take these pages now; try again shortly."""


class WorkerStoppedError(RuntimeError):
    """The worker is shutting down or has stopped and takes no more work."""


@dataclass(eq=False)
class _Job:
    images: list[np.ndarray]
    future: asyncio.Future[list[OcrPage]]
    loop: asyncio.AbstractEventLoop
    background: bool = False
    enqueued_at: float = field(default_factory=time.perf_counter)


class Reservation:
    """Queue room held for pages not decoded yet; `submit` spends it, leaving (or closing)
    the `with` block frees what was not spent."""

    def __init__(self, worker: InferenceWorker, pages: int) -> None:
        self._worker = worker
        self.pages = pages

    async def submit(self, images: list[np.ndarray]) -> list[OcrPage]:
        reserved, self.pages = self.pages, 0
        return await self._worker._enqueue(images, reserved)

    def release(self) -> None:
        reserved, self.pages = self.pages, 0
        if reserved:
            self._worker._unreserve(reserved)

    def __enter__(self) -> Reservation:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


class InferenceWorker:
    """Owns its engines, each on its own thread; `submit` is called from the event loop."""

    def __init__(
        self,
        engines: Sequence[OcrEngine],
        queue_size: int,
        max_batch: int = 1,
        batch_wait_ms: float = 0.0,
        on_idle: Callable[[], None] | None = None,
        idle_delay_s: float = 0.5,
    ) -> None:
        if not engines:
            raise ValueError("the worker needs at least one engine")
        self.engines = list(engines)
        self._on_idle = on_idle
        self.idle_delay = idle_delay_s
        self._idle_hook_due = False
        self.queue_size = queue_size
        self.max_batch = max_batch
        self.batch_wait = batch_wait_ms / 1000
        self._jobs: deque[_Job] = deque()
        self._background: deque[_Job] = deque()
        self._pending_pages = 0
        self._background_pages = 0
        self._condition = threading.Condition()
        self._accepting = False
        self._threads: list[threading.Thread] = []
        self.pages_processed = 0
        # Pages per engine call, most recent last; bounded so it never grows.
        self.batch_sizes: deque[int] = deque(maxlen=1024)

    @property
    def queue_depth(self) -> int:
        """Foreground pages accepted and not finished yet (waiting or in inference)."""
        return self._pending_pages

    @property
    def background_depth(self) -> int:
        """Background (job) pages accepted and not finished yet."""
        return self._background_pages

    @property
    def alive(self) -> bool:
        return bool(self._threads) and all(thread.is_alive() for thread in self._threads)

    def start(self) -> None:
        with self._condition:
            self._accepting = True
        self._threads = [
            threading.Thread(target=self._run, args=(engine,), name=f"ocr-inference-{number}", daemon=True)
            for number, engine in enumerate(self.engines)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Refuse new work, let queued jobs finish (up to `timeout` s), then end the threads."""
        with self._condition:
            self._accepting = False
            self._condition.notify_all()
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def _admit(self, pages: int) -> None:
        """Count `pages` in, or say why not; the caller holds the condition."""
        if not self._accepting:
            raise WorkerStoppedError("the OCR worker is not accepting work")
        if self._pending_pages and self._pending_pages + pages > self.queue_size:
            raise QueueFullError(f"OCR queue full ({self._pending_pages} of {self.queue_size} pages waiting)")
        self._pending_pages += pages

    def reserve(self, pages: int) -> Reservation:
        """Room for `pages` pages, taken now (`QueueFullError` / `WorkerStoppedError` as
        `submit`), before they are decoded."""
        with self._condition:
            self._admit(pages)
        return Reservation(self, pages)

    def _unreserve(self, pages: int) -> None:
        with self._condition:
            self._pending_pages -= pages
            self._condition.notify_all()

    async def submit(self, images: list[np.ndarray]) -> list[OcrPage]:
        """Queue the pages and wait for their results (one OcrPage per image, in order)."""
        return await self._enqueue(images, reserved=0)

    async def submit_background(self, images: list[np.ndarray]) -> list[OcrPage]:
        """`submit` in the background lane: read only while no foreground page waits.
        Never refused for room (`WorkerStoppedError` only): the caller bounds its pages."""
        return await self._enqueue(images, reserved=0, background=True)

    def _jobs_for(self, images: list[np.ndarray], background: bool) -> list[_Job]:
        loop = asyncio.get_running_loop()
        step = self.max_batch
        return [
            _Job(images[start : start + step], loop.create_future(), loop, background)
            for start in range(0, len(images), step)
        ]

    async def _enqueue(self, images: list[np.ndarray], reserved: int, background: bool = False) -> list[OcrPage]:
        jobs = self._jobs_for(images, background)
        with self._condition:
            if background:
                if not self._accepting:
                    raise WorkerStoppedError("the OCR worker is not accepting work")
                self._background_pages += len(images)
                self._background.extend(jobs)
                self._condition.notify_all()
            else:
                self._enqueue_foreground(jobs, len(images), reserved)
        for job in jobs:
            job.future.add_done_callback(lambda future, job=job: future.cancelled() and self._drop(job))
        return await _gather(jobs)

    def _enqueue_foreground(self, jobs: list[_Job], pages: int, reserved: int) -> None:
        """Queue a request's jobs, spending its reservation; the caller holds the condition."""
        try:
            if not reserved:
                self._admit(pages)
            elif not self._accepting:
                raise WorkerStoppedError("the OCR worker is not accepting work")
        except WorkerStoppedError:
            self._pending_pages -= reserved
            raise
        if reserved:  # it counted every page of the document; only those needing OCR come
            self._pending_pages += pages - reserved
        self._jobs.extend(jobs)
        self._condition.notify_all()

    def _drop(self, job: _Job) -> None:
        """A cancelled job still waiting leaves the queue now, freeing its room."""
        with self._condition:
            try:
                (self._background if job.background else self._jobs).remove(job)
            except ValueError:  # already taken by an engine thread, which releases it
                return
            self._count_out(job)

    def _count_out(self, job: _Job) -> None:
        """The job's pages leave the counts; the caller holds the condition."""
        if job.background:
            self._background_pages -= len(job.images)
        else:
            self._pending_pages -= len(job.images)

    def _next_batch(self) -> list[_Job] | None:
        """The next jobs to run together: the oldest foreground one (the oldest background
        one when no foreground job waits), plus whatever else arrives in its lane within
        `batch_wait` seconds while the batch stays within `max_batch` pages. An empty list
        when the idle hook is due (nothing queued or in inference for `idle_delay`); None
        when the worker stops."""
        with self._condition:
            while not (self._jobs or self._background) and self._accepting:
                if not (self._idle_hook_due and self._on_idle):
                    self._condition.wait()
                elif (
                    not self._condition.wait(self.idle_delay) and not self._pending_pages and not self._background_pages
                ):
                    self._idle_hook_due = False
                    return []
            lane = self._jobs or self._background
            if not lane:
                return None
            batch = [lane.popleft()]
            pages = len(batch[0].images)
            deadline = time.monotonic() + self.batch_wait
            while pages < self.max_batch:
                if lane:
                    if pages + len(lane[0].images) > self.max_batch:
                        break
                    batch.append(lane.popleft())
                    pages += len(batch[-1].images)
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._accepting:
                    break
                self._condition.wait(remaining)
            return batch

    def _run(self, engine: OcrEngine) -> None:
        while (batch := self._next_batch()) is not None:
            if not batch:
                self._on_idle()
                continue
            live = []
            for job in batch:
                if job.future.cancelled():  # its request timed out or went away while waiting
                    self._release(job)
                else:
                    live.append(job)
            if live:
                self._run_batch(engine, live)
            self._idle_hook_due = True

    def _run_batch(self, engine: OcrEngine, batch: list[_Job]) -> None:
        images = [image for job in batch for image in job.images]
        try:
            pages = engine.recognize(images)
        except Exception as error:
            if len(batch) == 1:
                logger.exception("inference failed")
                self._finish(batch[0], error)
                return
            # One bad page must not fail its neighbours: run each job on its own.
            logger.warning("batched inference failed; retrying %d jobs one by one", len(batch))
            for job in batch:
                self._run_batch(engine, [job])
            return
        self.batch_sizes.append(len(images))
        offset = 0
        for job in batch:
            self._finish(job, pages[offset : offset + len(job.images)])
            offset += len(job.images)

    def _finish(self, job: _Job, outcome: list[OcrPage] | BaseException) -> None:
        self._release(job, done=not isinstance(outcome, BaseException))
        job.loop.call_soon_threadsafe(_resolve, job.future, outcome)

    def _release(self, job: _Job, done: bool = False) -> None:
        with self._condition:
            self._count_out(job)
            if done:
                self.pages_processed += len(job.images)


async def _gather(jobs: list[_Job]) -> list[OcrPage]:
    """The jobs' pages in order; on an error or cancellation the jobs not run yet are
    cancelled, so nothing is read for a caller who will not see it."""
    futures = [job.future for job in jobs]
    try:
        chunks = await asyncio.gather(*futures)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return [page for chunk in chunks for page in chunk]


def _resolve(future: asyncio.Future, outcome: list[OcrPage] | BaseException) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
