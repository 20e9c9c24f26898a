"""A PDF page with a couple of hundred thousand characters: read in seconds off the event
loop (other requests keep being answered), or refused with 413 under a lower budget."""

from __future__ import annotations

import threading
import time

from bench.textlayer import dense_text_pdf
from tests.conftest import FakeEngine, png_bytes
from tests.documents_support import small_invoice

HUGE_PAGE = {"lines": 500, "per_line": 400}  # 200 000 characters on one page


def post(client, data: bytes):
    return client.post("/ocr/", files={"file": ("upload", data, "application/octet-stream")})


def test_a_200k_character_page_is_read_while_an_image_request_is_answered(fake_client_factory) -> None:
    client = fake_client_factory(FakeEngine())
    huge = dense_text_pdf(**HUGE_PAGE)
    finished: list[str] = []
    responses = {}

    def read_huge() -> None:
        responses["pdf"] = post(client, huge)
        finished.append("pdf")

    worker = threading.Thread(target=read_huge)
    worker.start()
    time.sleep(0.3)  # let the PDF request reach its decoding (it takes seconds), then send an image
    image = post(client, png_bytes(small_invoice()))
    finished.append("image")
    worker.join(timeout=120)

    assert image.status_code == 200, image.text
    assert finished[0] == "image", "the image waited for the PDF's text layer"
    assert responses["pdf"].status_code == 200, responses["pdf"].text
    body = responses["pdf"].json()
    assert body["pages"][0]["source"] == "pdf-text"
    assert body["total_text_regions"] == HUGE_PAGE["lines"]


def test_a_page_over_max_page_chars_gets_413_naming_the_limit(fake_client_factory) -> None:
    client = fake_client_factory(FakeEngine(), max_page_chars=10_000)
    response = post(client, dense_text_pdf(lines=100, per_line=400))
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_many_characters"
    assert "max_page_chars" in error["message"] and "10,000" in error["message"]
    assert post(client, dense_text_pdf(lines=10, per_line=80)).status_code == 200
