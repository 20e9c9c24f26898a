"""Runs one job: its pages one by one through the inference worker, each stored as it
completes, then the result, then the webhook.

Fair share: a job page goes through the worker's background lane (`submit_background`),
so it is read only while no synchronous page waits; and a process never has more than
`OCR_JOBS_PAGES_IN_FLIGHT` job pages decoding, queued or in inference, all its jobs
together (a semaphore taken before a page is decoded). A synchronous request arriving
while jobs run therefore waits for at most the one job page already on the engine, and
job pages never take the room of the foreground queue. Two pages in flight let a job
decode its next page while the engine reads the current one.

A job stops at its next page when it is cancelled (`cancel_requested`) or the process
stops (`stop()`); stopping puts it back in the queue with its finished pages kept, so the
next run (this process after a restart, or any replica) goes on from its first unfinished
page.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Literal, Protocol

from invoice_ocr import pipeline
from invoice_ocr.config import Settings
from invoice_ocr.documents import DocumentError
from invoice_ocr.engine.worker import InferenceWorker, WorkerStoppedError
from invoice_ocr.jobs.models import JobError, JobRecord, WebhookOutcome
from invoice_ocr.jobs.store import JobStore
from invoice_ocr.jobs.webhooks import WebhookSender
from invoice_ocr.pipeline import PipelineOptions, RecognizedInvoice, RecognizedPage

logger = logging.getLogger(__name__)

# A running job's hold on it (Redis): renewed every third of it; a replica that dies lets
# another take the job over once it runs out.
LEASE_S = 60.0
INTERNAL_ERROR = JobError(code="internal_error", message="internal error; the server log has the details")

RunOutcome = Literal["finished", "interrupted", "skipped"]


class JobRenderer(Protocol):
    """How results and webhook bodies are written: the API's wire format, handed in so
    the jobs core does not depend on the HTTP layer."""

    def result(
        self, record: JobRecord, pages: list[RecognizedPage], invoice: RecognizedInvoice | None, elapsed_ms: float
    ) -> bytes: ...

    def webhook_body(self, record: JobRecord) -> bytes: ...


class _Stop(Exception):
    """Raised inside a job's page loop: it is cancelled, or the process stops."""

    def __init__(self, cancelled: bool) -> None:
        self.cancelled = cancelled


class JobRunner:
    def __init__(
        self,
        settings: Settings,
        store: JobStore,
        worker: InferenceWorker,
        renderer: JobRenderer,
        webhooks: WebhookSender,
    ) -> None:
        self.settings = settings
        self.store = store
        self.worker = worker
        self.renderer = renderer
        self.webhooks = webhooks
        self.stopping = False
        self.active: set[str] = set()  # the ids of the jobs running here
        self._slots = asyncio.Semaphore(settings.jobs_pages_in_flight)
        self._deliveries: set[asyncio.Task[None]] = set()

    async def run(self, job_id: str) -> RunOutcome:
        """Run the job if it is free to run: `skipped` when it is not (finished, cancelled,
        running elsewhere), `interrupted` when the process stops first."""
        if self.stopping:
            return "interrupted"
        record = await self.store.claim(job_id, LEASE_S)
        if record is None:
            return "skipped"
        heartbeat = asyncio.create_task(self._heartbeat(job_id))
        self.active.add(job_id)
        try:
            return await self._run(record)
        finally:
            self.active.discard(job_id)
            heartbeat.cancel()

    async def _heartbeat(self, job_id: str) -> None:
        while True:
            await asyncio.sleep(LEASE_S / 3)
            await self.store.renew(job_id, LEASE_S)

    async def _run(self, record: JobRecord) -> RunOutcome:
        started = time.perf_counter()
        ttl = self.settings.jobs_result_ttl_s
        try:
            data = await self.store.input(record.id)
            if data is None:
                raise RuntimeError(f"job {record.id} has no stored input")
            options = PipelineOptions.for_jobs(self.settings, force_ocr=record.force_ocr)
            found = await pipeline.find_einvoice(data, options) if record.kind == "invoice" else None
            done = {page.number: page for page in await self.store.pages(record.id)}
            await self._read_pages(record, data, options, done)
            pages = [done[number] for number in record.pages]
            invoice = await pipeline.invoice_from_pages(pages, found) if record.kind == "invoice" else None
            body = self.renderer.result(record, pages, invoice, (time.perf_counter() - started) * 1000)
            finished = await self.store.finish(record.id, "succeeded", ttl, result=body)
        except _Stop as stop:
            if not stop.cancelled:
                return await self._interrupted(record)
            finished = await self.store.finish(record.id, "cancelled", ttl)
        except WorkerStoppedError:  # the process is stopping
            return await self._interrupted(record)
        except DocumentError as error:
            failure = JobError(code=error.code, message=str(error))
            finished = await self.store.finish(record.id, "failed", ttl, error=failure)
        except Exception:
            logger.exception("job %s failed", record.id)
            finished = await self.store.finish(record.id, "failed", ttl, error=INTERNAL_ERROR)
        if finished is not None:
            logger.info("job %s %s: %d page(s)", record.id, finished.status, finished.pages_done)
            self._notify(finished)
        return "finished"

    async def _interrupted(self, record: JobRecord) -> RunOutcome:
        await self.store.release(record.id)
        logger.info("job %s interrupted; it goes on from its first unfinished page", record.id)
        return "interrupted"

    async def _read_pages(
        self, record: JobRecord, data: bytes, options: PipelineOptions, done: dict[int, RecognizedPage]
    ) -> None:
        """Read the pages not in `done` yet, up to the in-flight cap at once, each stored as
        it completes; raises `_Stop` when the job is cancelled or the process stops."""
        tasks: set[asyncio.Task[None]] = set()
        try:
            for number in [number for number in record.pages if number not in done]:
                await self._slots.acquire()
                try:
                    await self._check_stop(record.id)
                except BaseException:
                    self._slots.release()
                    raise
                task = asyncio.create_task(self._read_page(record.id, data, options, number, done))
                task.add_done_callback(lambda _: self._slots.release())
                tasks.add(task)
                for finished in [task for task in tasks if task.done()]:
                    tasks.discard(finished)
                    finished.result()  # a page that failed fails the job now
            await asyncio.gather(*tasks)
        except _Stop:
            # The pages in flight are worth keeping: at most `jobs_pages_in_flight` of them.
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _check_stop(self, job_id: str) -> None:
        record = await self.store.get(job_id)
        if record is None or record.cancel_requested:
            raise _Stop(cancelled=True)
        if self.stopping:
            raise _Stop(cancelled=False)

    async def _read_page(
        self, job_id: str, data: bytes, options: PipelineOptions, number: int, done: dict[int, RecognizedPage]
    ) -> None:
        page = await pipeline.recognize_page(data, options, number, self.worker.submit_background)
        done[number] = page
        await self.store.save_page(job_id, page)

    # ------------------------------------------------------------------ webhooks

    def _notify(self, record: JobRecord) -> None:
        if record.callback_url is None:
            return
        task = asyncio.create_task(self._deliver(record, record.callback_url))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _deliver(self, record: JobRecord, url: str) -> None:
        def body_for(outcome: WebhookOutcome) -> bytes:
            return self.renderer.webhook_body(record.model_copy(update={"webhook": outcome}))

        async def save(outcome: WebhookOutcome) -> None:
            await self.store.update_webhook(record.id, outcome)

        await self.webhooks.deliver(url, body_for, save)

    async def stop(self) -> None:
        """Stop taking pages (running jobs stop at their next page) and end pending webhook
        deliveries."""
        self.stopping = True
        for task in list(self._deliveries):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
