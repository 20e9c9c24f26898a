"""PDFs, multi-page TIFFs and rotated scans through `POST /ocr/` over the real model."""

from __future__ import annotations

import time

import pytest

from invoice_ocr.samples import render_sample_invoice
from tests.conftest import png_bytes
from tests.documents_support import (
    SAMPLE_TEXT_LINES,
    encrypted_pdf,
    image_pdf,
    mixed_pdf,
    multipage_tiff,
    small_invoice,
    text_pdf,
    turned_clockwise,
)

pytestmark = pytest.mark.integration


def post(client, data: bytes, params: dict | None = None):
    return client.post("/ocr/", files={"file": ("upload", data, "application/octet-stream")}, params=params)


def ok_body(response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    return body


def assert_boxes_inside_pages(body: dict) -> None:
    sizes = {page["page"]: (page["width"], page["height"]) for page in body["pages"]}
    for result in body["results"]:
        width, height = sizes[result["page"]]
        assert all(0 <= x < width and 0 <= y < height for x, y in result["bounding_box"]), result


def assert_still_serving(client) -> None:
    ok_body(post(client, text_pdf()))


def pages_ocred(client) -> int:
    return client.app.state.service.worker.pages_processed


def test_born_digital_pdf_is_read_from_its_text_layer_without_ocr(client):
    before = pages_ocred(client)
    started = time.perf_counter()
    body = ok_body(post(client, text_pdf()))
    elapsed = time.perf_counter() - started
    [page] = body["pages"]
    assert page["source"] == "pdf-text" and page["rotation"] == 0
    assert page["text"].split("\n") == SAMPLE_TEXT_LINES
    assert [result["text"] for result in body["results"]] == SAMPLE_TEXT_LINES
    assert all(result["confidence"] == 1.0 and result["page"] == 1 for result in body["results"])
    assert_boxes_inside_pages(body)
    assert pages_ocred(client) == before  # never went through the OCR worker
    assert elapsed < 1.0


def test_image_only_pdf_is_ocred(client):
    body = ok_body(post(client, image_pdf([small_invoice()])))
    [page] = body["pages"]
    assert page["source"] == "ocr"
    assert "INV-2024-0042" in page["text"] and "1,234.56" in page["text"]
    assert_boxes_inside_pages(body)


def test_mixed_pdf_reports_each_pages_source_and_only_ocrs_the_scan(client):
    before = pages_ocred(client)
    body = ok_body(post(client, mixed_pdf()))
    assert [(page["page"], page["source"]) for page in body["pages"]] == [(1, "pdf-text"), (2, "ocr")]
    assert pages_ocred(client) == before + 1
    assert {result["page"] for result in body["results"]} == {1, 2}
    assert "INV-2024-0042" in body["pages"][1]["text"]
    assert_boxes_inside_pages(body)


def test_force_ocr_reads_a_text_pdf_with_the_model(client):
    body = ok_body(post(client, text_pdf(), params={"force_ocr": "true"}))
    [page] = body["pages"]
    assert page["source"] == "ocr"
    assert "INV-2024-0042" in page["text"]
    assert any(result["confidence"] < 1.0 for result in body["results"])


def test_three_page_tiff_gives_three_pages(client):
    body = ok_body(post(client, multipage_tiff([small_invoice()] * 3)))
    assert [page["page"] for page in body["pages"]] == [1, 2, 3]
    assert all("INV-2024-0042" in page["text"] and page["source"] == "ocr" for page in body["pages"])
    assert_boxes_inside_pages(body)


@pytest.mark.parametrize("turned", [90, 180, 270])
def test_rotated_scan_is_read_upright_with_boxes_on_the_uploaded_page(client, turned):
    upright = render_sample_invoice().image
    uploaded = turned_clockwise(upright, turned)
    body = ok_body(post(client, png_bytes(uploaded)))
    [page] = body["pages"]
    assert (page["width"], page["height"]) == uploaded.size
    assert (page["rotation"] + turned) % 360 == 0
    assert "INV-2024-0042" in page["text"] and "1,234.56" in page["text"]
    assert_boxes_inside_pages(body)
    # The text's left margin (x = 110 px upright) is found on the uploaded page where
    # turning the page put it.
    points = [point for result in body["results"] for point in result["bounding_box"]]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    margin = {90: min(ys), 180: upright.width - max(xs), 270: upright.width - max(ys)}[turned]
    assert 90 <= margin <= 125


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (text_pdf(pages=21, lines=["Page"]), 413, "too_many_pages"),
        (multipage_tiff([small_invoice().resize((40, 40))] * 21), 413, "too_many_pages"),
        (encrypted_pdf(), 422, "encrypted_pdf"),
        (text_pdf()[: len(text_pdf()) // 2], 400, "corrupt_pdf"),
        (b"%PDF-1.7\n%%EOF", 400, "corrupt_pdf"),
    ],
    ids=["21-page-pdf", "21-page-tiff", "encrypted-pdf", "truncated-pdf", "empty-pdf"],
)
def test_bad_documents_are_refused_clearly(client, data, status, code):
    response = post(client, data)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code and body["error"]["message"]
    assert_still_serving(client)
