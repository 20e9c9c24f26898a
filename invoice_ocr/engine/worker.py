"""The inference worker: one thread owns the engine; requests hand pages over a bounded
queue and await the result without blocking the event loop.

Backpressure is counted in pages, because a page, not a request, is the unit of work: a
full queue refuses new work at once (the API answers 503 with Retry-After) instead of
letting latency grow without bound. A job larger than the whole queue is still accepted
when the queue is empty, so a long PDF is never refused for its length alone.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from invoice_ocr.engine.base import OcrEngine, OcrPage

logger = logging.getLogger(__name__)


class QueueFullError(RuntimeError):
    """The worker's queue cannot take these pages now; try again shortly."""


class WorkerStoppedError(RuntimeError):
    """The worker is shutting down or has stopped and takes no more work."""


@dataclass
class _Job:
    images: list[np.ndarray]
    future: asyncio.Future[list[OcrPage]]
    loop: asyncio.AbstractEventLoop
    enqueued_at: float = field(default_factory=time.perf_counter)


class InferenceWorker:
    """Owns one engine on one thread; `submit` is called from the event loop."""

    def __init__(self, engine: OcrEngine, queue_size: int) -> None:
        self.engine = engine
        self.queue_size = queue_size
        self._jobs: deque[_Job] = deque()
        self._pending_pages = 0
        self._condition = threading.Condition()
        self._accepting = False
        self._thread: threading.Thread | None = None
        self.pages_processed = 0
        self.last_inference_seconds = 0.0

    @property
    def queue_depth(self) -> int:
        """Pages accepted and not finished yet (waiting or in inference)."""
        return self._pending_pages

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        with self._condition:
            self._accepting = True
        self._thread = threading.Thread(target=self._run, name="ocr-inference", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Refuse new work, let queued jobs finish (up to `timeout` s), then end the thread."""
        with self._condition:
            self._accepting = False
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    async def submit(self, images: list[np.ndarray]) -> list[OcrPage]:
        """Queue the pages and wait for their results (one OcrPage per image, in order)."""
        loop = asyncio.get_running_loop()
        job = _Job(images, loop.create_future(), loop)
        with self._condition:
            if not self._accepting:
                raise WorkerStoppedError("the OCR worker is not accepting work")
            if self._pending_pages and self._pending_pages + len(images) > self.queue_size:
                raise QueueFullError(f"OCR queue full ({self._pending_pages} of {self.queue_size} pages waiting)")
            self._pending_pages += len(images)
            self._jobs.append(job)
            self._condition.notify()
        return await job.future

    def _next_job(self) -> _Job | None:
        with self._condition:
            while not self._jobs and self._accepting:
                self._condition.wait()
            return self._jobs.popleft() if self._jobs else None

    def _run(self) -> None:
        while (job := self._next_job()) is not None:
            if job.future.cancelled():  # its request timed out or went away while waiting
                self._release(job)
                continue
            started = time.perf_counter()
            try:
                outcome: list[OcrPage] | BaseException = self.engine.recognize(job.images)
            except Exception as error:  # reported to the waiting request, the worker lives on
                logger.exception("inference failed")
                outcome = error
            self.last_inference_seconds = time.perf_counter() - started
            self.pages_processed += len(job.images)
            self._release(job)
            job.loop.call_soon_threadsafe(_resolve, job.future, outcome)

    def _release(self, job: _Job) -> None:
        with self._condition:
            self._pending_pages -= len(job.images)


def _resolve(future: asyncio.Future, outcome: list[OcrPage] | BaseException) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
