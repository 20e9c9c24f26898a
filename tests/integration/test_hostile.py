"""Hostile inputs over HTTP: tiny files that decode into gigabytes are refused from their
headers, overload is refused before decoding, and a request that runs out of time stops
its remaining pages."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from PIL import Image

from invoice_ocr import pipeline
from invoice_ocr.config import Settings
from invoice_ocr.documents.sandbox import get_sandbox
from tests.conftest import FakeEngine, png_bytes
from tests.documents_support import image_pdf, multipage_tiff
from tests.integration.test_bad_inputs import assert_error, assert_still_serving, post
from tests.unit.test_budgets import blank_pdf
from tests.unit.test_sandbox import hanging_decoder, inflating_pdf


class PageCountingEngine(FakeEngine):
    """A FakeEngine that also counts pages: one call may read several."""

    def __init__(self, delay: float) -> None:
        super().__init__(delay)
        self.pages = 0

    def recognize(self, images):
        self.pages += len(images)
        return super().recognize(images)


SLIVERS = {"100000x10": (100000, 10), "3000000x1": (3000000, 1), "125000x8": (125000, 8)}


@pytest.mark.parametrize("name", SLIVERS)
def test_sliver_png_gets_413_fast_and_the_service_answers_next(fake_client_factory, name):
    client = fake_client_factory()
    data = png_bytes(Image.new("L", SLIVERS[name], 255))
    response = post(client, data)
    assert_error(response, 413, "page_side_too_long")
    assert "OCR_MAX_PAGE_SIDE" in response.json()["error"]["message"]
    assert_still_serving(client)


def test_pdf_of_huge_pages_gets_413_before_rendering(fake_client_factory):
    client = fake_client_factory()
    response = post(client, blank_pdf(20, 14400, 14400))
    assert_error(response, 413, "document_too_many_pixels")
    assert_still_serving(client)


def _counting_decoder(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = pipeline.load_pages

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_pages", counted)
    return calls


def test_overload_is_refused_before_decoding(fake_client_factory, monkeypatch):
    # In-process decoding: the counting decoder is a closure, which cannot travel to a sandbox process.
    client = fake_client_factory(FakeEngine(delay=0.5), queue_size=2, decode_sandbox=False)
    decodes = _counting_decoder(monkeypatch)
    document = multipage_tiff([Image.new("RGB", (300, 200), "white")] * 4)
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda _: post(client, document), range(4)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 503, 503, 503], [response.text for response in responses]
    for response in responses:
        if response.status_code == 503:
            assert_error(response, 503, "overloaded")
            assert response.headers["Retry-After"]
    assert len(decodes) == 1  # the refused three were never decoded


def test_a_timed_out_request_stops_its_remaining_pages(fake_client_factory):
    engine = PageCountingEngine(delay=0.5)
    client = fake_client_factory(engine, request_timeout_s=1)
    document = image_pdf([Image.new("RGB", (200, 200), "white")] * 20)
    response = post(client, document)
    assert_error(response, 504, "timeout")
    time.sleep(1.5)
    assert engine.pages <= 4, engine.pages  # the page in inference at the deadline, not all 20
    assert_still_serving(client)


def test_an_inflating_pdf_gets_413_and_the_server_process_stays_small(fake_client_factory):
    client = fake_client_factory()
    data = inflating_pdf()  # ~1 MB inflating to 1 GiB
    before = psutil.Process().memory_info().rss
    response = post(client, data)
    assert_error(response, 413, "decode_memory_exceeded")
    assert psutil.Process().memory_info().rss - before < 200 * 1024 * 1024
    assert_still_serving(client)


def test_a_hanging_decoder_gets_504_and_the_sandbox_recovers(fake_client_factory, monkeypatch):
    client = fake_client_factory(decode_timeout_s=1)
    monkeypatch.setattr(pipeline, "load_pages", hanging_decoder)  # runs in the worker process, by name
    response = post(client, png_bytes(Image.new("RGB", (64, 32), "white")))
    assert_error(response, 504, "timeout")
    monkeypatch.undo()
    assert_still_serving(client)


def test_overload_is_refused_fast_with_the_sandbox(fake_client_factory):
    """The same through the decode sandbox: page counts have their own worker, so the
    refusals do not wait behind the admitted document's decoding or OCR."""
    client = fake_client_factory(FakeEngine(delay=0.5), queue_size=2)
    document = multipage_tiff([Image.new("RGB", (300, 200), "white")] * 4)
    assert_still_serving(client)  # the sandbox's workers are started

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: post(client, document).status_code, range(4)))
    assert sorted(statuses) == [200, 503, 503, 503]


def test_a_request_past_its_deadline_stops_its_decode(fake_client_factory, monkeypatch):
    settings = {"request_timeout_s": 1, "decode_timeout_s": 30}
    client = fake_client_factory(**settings)
    sandbox = get_sandbox(pipeline.sandbox_config(Settings(**settings)))
    monkeypatch.setattr(pipeline, "load_pages", hanging_decoder)
    replaced = sandbox.replaced
    response = post(client, png_bytes(Image.new("RGB", (64, 32), "white")))
    assert_error(response, 504, "timeout")
    # The hanging worker is killed, not left to run its 30 s: wait for that (bounded), then check.
    deadline = time.monotonic() + 20
    while sandbox.replaced == replaced and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandbox.replaced == replaced + 1
    monkeypatch.undo()
    assert_still_serving(client)
