"""Async jobs scaled out: two app instances over the real engine share a real
`redis-server` (job state in Redis, the queue in Dramatiq): a job submitted to one is
answered by the other, either may run it, and a job interrupted on one goes on on the
other from its first unfinished page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from invoice_ocr.jobs.redis_store import PREFIX
from tests.conftest import png_bytes
from tests.documents_support import image_pdf
from tests.jobs_support import Apps, SharedEngine, finished, numbered_pages, wait_for

pytestmark = pytest.mark.integration

APP_SETTINGS = {
    "device": "cpu",
    "warmup": False,
    "pdf_dpi": 75,
    "jobs_concurrency": 1,
    "jobs_pages_in_flight": 1,
    "cache_max_entries": 0,  # the synchronous comparison must reach the engine
}


@pytest.fixture
def shared_engine(ocr_engine) -> SharedEngine:
    return SharedEngine(ocr_engine)


@pytest.fixture
def apps(redis_url: str, shared_engine: SharedEngine) -> Iterator[Apps]:
    started = Apps(shared_engine, **APP_SETTINGS, redis_url=redis_url)
    yield started
    started.stop_all()


@pytest.fixture
def replicas(apps: Apps) -> list[TestClient]:
    """Two instances of the app on the same Redis, both running jobs."""
    return [apps.start(), apps.start()]


def submit(client: TestClient, data: bytes, name: str = "doc.pdf") -> str:
    response = client.post("/jobs", files={"file": (name, data)})
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def test_a_job_submitted_to_one_replica_is_answered_by_the_other(replicas, redis_url):
    first, second = replicas
    document = image_pdf(numbered_pages(2))
    job_id = submit(first, document)
    status = wait_for(second, job_id, finished)
    assert status["status"] == "succeeded" and status["pages_done"] == 2, status
    result = second.get(f"/jobs/{job_id}/result")
    assert result.status_code == 200
    synchronous = first.post("/ocr/", files={"file": ("doc.pdf", document)}).json()
    drop = "processing_time_ms"
    assert {k: v for k, v in result.json().items() if k != drop} == {k: v for k, v in synchronous.items() if k != drop}
    stored = redis.Redis.from_url(redis_url)
    assert stored.exists(f"{PREFIX}{job_id}") and stored.ttl(f"{PREFIX}{job_id}:result") > 0
    for client in replicas:
        missing = client.get("/jobs/" + "0" * 32)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "job_not_found"


def test_a_job_queued_through_one_replica_is_cancelled_through_the_other(replicas):
    first, second = replicas
    page = png_bytes(numbered_pages(1)[0])
    busy = [submit(first, image_pdf(numbered_pages(3))) for _ in range(2)]  # one per replica
    waiting = submit(first, page, "one.png")
    cancelled = second.delete(f"/jobs/{waiting}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
    refused = first.get(f"/jobs/{waiting}/result")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "job_cancelled"
    for job_id in busy:
        assert wait_for(second, job_id, finished)["status"] == "succeeded"


def test_a_job_interrupted_on_one_replica_goes_on_on_the_other(apps, replicas, shared_engine):
    first, second = replicas
    job_id = submit(first, image_pdf(numbered_pages(4)))
    running = wait_for(first, job_id, lambda body: body["pages_done"] >= 1)
    runner = next(client for client in replicas if _runs(client, job_id))
    other = second if runner is first else first
    apps.stop(runner)  # that replica stops: the job goes back to the queue
    status = wait_for(other, job_id, finished)
    assert status["status"] == "succeeded", status
    pages = other.get(f"/jobs/{job_id}/result").json()["pages"]
    assert [page["page"] for page in pages] == [1, 2, 3, 4]
    assert all(f"Sheet {page['page']}" in page["text"] for page in pages)
    assert running["pages_done"] >= 1 and shared_engine.pages == 4  # no page read twice


def _runs(client: TestClient, job_id: str) -> bool:
    """Whether this replica's runner is the one holding the job."""
    queue = client.app.state.service.jobs.queue
    return queue.runner is not None and job_id in queue.runner.active
