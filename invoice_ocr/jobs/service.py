"""The jobs facade the API calls: accept, look up, cancel, and read results; built from
the settings (SQLite and this process, or Redis and Dramatiq)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import RedisError

from invoice_ocr import pipeline
from invoice_ocr.config import Settings
from invoice_ocr.engine.worker import InferenceWorker
from invoice_ocr.jobs.models import JobKind, JobRecord, JobRequestError, parse_page_range, select_pages
from invoice_ocr.jobs.queues import DramatiqQueue, JobQueue, LocalQueue
from invoice_ocr.jobs.redis_store import RedisJobStore
from invoice_ocr.jobs.runner import JobRenderer, JobRunner
from invoice_ocr.jobs.store import JobStore, SqliteJobStore
from invoice_ocr.jobs.webhooks import CallbackPolicy, WebhookSender
from invoice_ocr.output import Rendered
from invoice_ocr.pipeline import PipelineOptions


class JobsUnavailableError(RuntimeError):
    """The job store cannot be reached (Redis is down): try again later."""


class TooManyJobsError(RuntimeError):
    """`OCR_JOBS_MAX_QUEUED` jobs are waiting already."""


@contextmanager
def _store_errors() -> Iterator[None]:
    try:
        yield
    except (RedisError, OSError) as error:
        raise JobsUnavailableError(f"the job store is unavailable: {type(error).__name__}") from error


class JobService:
    def __init__(self, settings: Settings, store: JobStore, queue: JobQueue, policy: CallbackPolicy) -> None:
        self.settings = settings
        self.store = store
        self.queue = queue
        self.policy = policy

    async def submit(
        self, data: bytes, kind: JobKind, *, force_ocr: bool, page_range: str | None, callback_url: str | None
    ) -> tuple[JobRecord, int | None]:
        """Check the request and the document (its type and page count, before any page is
        decoded), store the job and queue it; raises `JobRequestError` (422), a
        `DocumentError`, `TooManyJobsError` or `JobsUnavailableError`."""
        ranges = parse_page_range(page_range) if page_range is not None else None
        if callback_url is not None:
            self.policy.check(callback_url)
        options = pipeline.PipelineOptions.for_jobs(self.settings, force_ocr=force_ocr)
        found = await pipeline.find_einvoice(data, options) if kind == "invoice" else None
        if found is not None and not found.embedded:
            if ranges is not None:
                raise JobRequestError("page_out_of_range", "an e-invoice XML has no pages to choose from")
            pages: list[int] = []
        else:
            pages = select_pages(ranges, await pipeline.count_document_pages(data, options))
        record = JobRecord.new(kind, pages, force_ocr=force_ocr, callback_url=callback_url)
        with _store_errors():
            if await self.store.count_queued() >= self.settings.jobs_max_queued:
                raise TooManyJobsError(f"{self.settings.jobs_max_queued} jobs are waiting already; try again later")
            await self.store.create(record, data)
            await self.queue.submit(record.id)
            return record, await self.store.position(record.id)

    async def get(self, job_id: str) -> tuple[JobRecord, int | None] | None:
        with _store_errors():
            record = await self.store.get(job_id)
            return None if record is None else (record, await self.store.position(job_id))

    async def cancel(self, job_id: str) -> JobRecord | None:
        with _store_errors():
            return await self.store.request_cancel(job_id, self.settings.jobs_result_ttl_s)

    async def result(self, job_id: str) -> bytes | None:
        with _store_errors():
            return await self.store.result(job_id)

    async def rendered(self, job_id: str, fmt: str) -> Rendered | None:
        """A finished job's pages as `fmt` (`txt`, `hocr`, `pdf`: output/), from its stored
        input and pages; None once they have expired."""
        with _store_errors():
            data = await self.store.input(job_id)
            pages = await self.store.pages(job_id)
        if data is None or not pages:
            return None
        options = PipelineOptions.for_jobs(self.settings)
        return await pipeline.render_document(data, sorted(pages, key=lambda page: page.number), fmt, options)

    async def start(self) -> None:
        await self.queue.start()

    async def stop(self) -> None:
        await self.queue.stop()
        await self.store.close()


def build_job_service(settings: Settings, worker: InferenceWorker, renderer: JobRenderer) -> JobService:
    """SQLite under `OCR_DATA_DIR` run by this process, or Redis and Dramatiq with `OCR_REDIS_URL`."""
    policy = CallbackPolicy(settings.jobs_callback_allow, settings.jobs_webhook_secret)
    sender = WebhookSender(
        policy, settings.jobs_webhook_attempts, settings.jobs_webhook_backoff_s, settings.jobs_webhook_timeout_s
    )
    if settings.redis_url is None:
        sqlite = SqliteJobStore(settings.data_dir.expanduser().resolve())
        runner = JobRunner(settings, sqlite, worker, renderer, sender)
        return JobService(settings, sqlite, LocalQueue(sqlite, runner, settings.jobs_concurrency), policy)
    store = RedisJobStore(settings.redis_url)
    consumer = JobRunner(settings, store, worker, renderer, sender) if settings.jobs_worker else None
    return JobService(settings, store, DramatiqQueue(settings.redis_url, consumer, settings.jobs_concurrency), policy)
