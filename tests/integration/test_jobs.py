"""Async jobs over the real engine, in the embedded (SQLite) mode: a job's whole life,
page ranges, both kinds, cancellation, and a restart in the middle of a job."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient

from tests.conftest import png_bytes
from tests.documents_support import image_pdf, multipage_tiff
from tests.jobs_support import Apps, SharedEngine, finished, numbered_pages, wait_for

pytestmark = pytest.mark.integration

# pdf_dpi 75 renders the half-size test pages at their own size (quick to read); one job at a
# time, one page in flight: the tests can catch a job between two pages.
APP_SETTINGS = {"device": "cpu", "warmup": False, "pdf_dpi": 75, "jobs_concurrency": 1, "jobs_pages_in_flight": 1}
# What a result says about its own request, not about the document.
TIMING = "processing_time_ms"


@pytest.fixture
def shared_engine(ocr_engine) -> SharedEngine:
    return SharedEngine(ocr_engine)


@pytest.fixture
def apps(tmp_path: Path, shared_engine: SharedEngine) -> Iterator[Apps]:
    """Apps on one data folder: every app of a test shares it."""
    started = Apps(shared_engine, **APP_SETTINGS, data_dir=tmp_path / "data")
    yield started
    started.stop_all()


@pytest.fixture
def start_app(apps: Apps) -> Callable[..., TestClient]:
    return apps.start


def submit(client: TestClient, data: bytes, name: str = "doc.pdf", **params) -> dict:
    response = client.post("/jobs", files={"file": (name, data)}, params=params)
    assert response.status_code == 202, response.text
    body = response.json()
    assert response.headers["Location"] == f"/jobs/{body['job_id']}"
    return body


def without_timing(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != TIMING}


def test_a_job_from_submission_to_result_equals_the_synchronous_answer(start_app):
    client = start_app()
    document = image_pdf(numbered_pages(3))
    accepted = submit(client, document)
    assert (accepted["status"], accepted["position"], accepted["pages_total"]) == ("queued", 0, 3)

    status = wait_for(client, accepted["job_id"], finished)
    assert status["status"] == "succeeded", status
    assert (status["pages_done"], status["pages_total"], status["error"]) == (3, 3, None)
    assert status["created_at"] <= status["started_at"] <= status["finished_at"] < status["expires_at"]

    result = client.get(f"/jobs/{accepted['job_id']}/result")
    assert result.status_code == 200 and result.headers["content-type"] == "application/json"
    synchronous = client.post("/ocr/", files={"file": ("doc.pdf", document)})
    assert synchronous.status_code == 200
    assert without_timing(result.json()) == without_timing(synchronous.json())
    texts = [page["text"] for page in result.json()["pages"]]
    assert [f"Sheet {number}" in text for number, text in zip((1, 2, 3), texts, strict=True)] == [True] * 3
    assert client.get(f"/jobs/{accepted['job_id']}/result", params={"format": "json"}).json() == result.json()
    for fmt in ("txt", "hocr"):
        rendered = client.get(f"/jobs/{accepted['job_id']}/result", params={"format": fmt})
        assert rendered.status_code == 200, rendered.text
        assert (
            rendered.content
            == client.post("/ocr/", files={"file": ("doc.pdf", document)}, params={"format": fmt}).content
        )
    refused = client.get(f"/jobs/{accepted['job_id']}/result", params={"format": "docx"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_format"


def test_a_page_range_reads_only_those_pages_of_a_tiff(start_app, shared_engine):
    client = start_app()
    accepted = submit(client, multipage_tiff(numbered_pages(3)), "scan.tif", pages="3,1")
    assert accepted["pages_total"] == 2
    status = wait_for(client, accepted["job_id"], finished)
    assert status["status"] == "succeeded"
    pages = client.get(f"/jobs/{accepted['job_id']}/result").json()["pages"]
    assert [page["page"] for page in pages] == [1, 3]
    assert "Sheet 1" in pages[0]["text"] and "Sheet 3" in pages[1]["text"]
    assert shared_engine.pages == 2
    # The searchable PDF of a page-range job holds the pages it read, with their text.
    searchable = client.get(f"/jobs/{accepted['job_id']}/result", params={"format": "pdf"})
    assert searchable.status_code == 200 and searchable.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(searchable.content)
    texts = [document[index].get_textpage().get_text_range() for index in range(len(document))]
    assert len(texts) == 2 and "Sheet 1" in texts[0] and "Sheet 3" in texts[1], texts


def test_an_invoice_job_answers_what_post_invoice_answers(start_app):
    client = start_app()
    image = png_bytes(numbered_pages(1)[0])
    accepted = submit(client, image, "invoice.png", kind="invoice")
    assert wait_for(client, accepted["job_id"], finished)["status"] == "succeeded"
    result = client.get(f"/jobs/{accepted['job_id']}/result").json()
    synchronous = client.post("/invoice/", files={"file": ("invoice.png", image)}).json()
    assert without_timing(result) == without_timing(synchronous)
    assert result["fields"]["invoice_number"]["value"]


def test_cancelling_a_queued_job_then_a_running_one(start_app):
    client = start_app()
    running = submit(client, image_pdf(numbered_pages(4)))
    queued = submit(client, png_bytes(numbered_pages(1)[0]), "one.png")
    cancelled = client.delete(f"/jobs/{queued['job_id']}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.delete(f"/jobs/{queued['job_id']}").status_code == 200  # again: harmless
    refused = client.get(f"/jobs/{queued['job_id']}/result")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "job_cancelled"

    wait_for(client, running["job_id"], lambda body: body["pages_done"] >= 1)
    early = client.get(f"/jobs/{running['job_id']}/result")
    assert early.status_code == 409 and early.json()["error"]["code"] == "job_not_finished"
    asked = client.delete(f"/jobs/{running['job_id']}")
    assert asked.status_code in (200, 202) and asked.json()["cancel_requested"] is True
    status = wait_for(client, running["job_id"], finished)
    assert status["status"] == "cancelled" and status["pages_done"] < 4, status
    assert client.get("/health").status_code == 200


def test_a_finished_job_cannot_be_cancelled(start_app):
    client = start_app()
    accepted = submit(client, png_bytes(numbered_pages(1)[0]), "one.png")
    wait_for(client, accepted["job_id"], finished)
    refused = client.delete(f"/jobs/{accepted['job_id']}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "job_finished"


def test_jobs_survive_a_restart_and_go_on_from_their_first_unfinished_page(apps, shared_engine):
    document = image_pdf(numbered_pages(4))
    first = apps.start()
    partly = submit(first, document)
    waiting = submit(first, png_bytes(numbered_pages(1)[0]), "one.png")
    wait_for(first, partly["job_id"], lambda body: body["pages_done"] >= 1)
    apps.stop(first)  # the server stops: the running job stops at its next page, the other stays queued

    second = apps.start()
    assert second.get(f"/jobs/{waiting['job_id']}").json()["status"] in ("queued", "running", "succeeded")
    for job in (partly, waiting):
        assert wait_for(second, job["job_id"], finished)["status"] == "succeeded"
    resumed = second.get(f"/jobs/{partly['job_id']}/result").json()
    assert [page["page"] for page in resumed["pages"]] == [1, 2, 3, 4]
    assert all(f"Sheet {page['page']}" in page["text"] for page in resumed["pages"])
    # Pages finished before the stop were not read again: 4 + 1 pages in all, across both servers.
    assert shared_engine.pages == 4 + 1
