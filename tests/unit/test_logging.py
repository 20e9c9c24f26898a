"""The access log (one JSON line per request) and `X-Request-ID` on every response."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from invoice_ocr.api.request_log import request_id_from
from tests.conftest import FakeEngine, png_bytes

ACCESS_LOGGER = "invoice_ocr.access"


@pytest.fixture(scope="module")
def image() -> bytes:
    return png_bytes(Image.new("RGB", (64, 32), "white"))


def access_lines(caplog) -> list[dict]:
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == ACCESS_LOGGER]


class BrokenEngine(FakeEngine):
    def recognize(self, images):
        raise RuntimeError("engine bug")


def test_one_json_line_per_request(fake_client_factory, image, caplog):
    client = fake_client_factory(orientation=False)
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    response = client.post("/ocr/", files={"file": ("a.png", image)}, headers={"X-Request-ID": "abc-123.X_y"})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "abc-123.X_y"
    [line] = access_lines(caplog)
    assert line["request_id"] == "abc-123.X_y"
    assert (line["method"], line["route"], line["status"], line["pages"]) == ("POST", "/ocr/", 200, 1)
    assert line["bytes"] > len(image) and line["ms"] > 0
    assert line["error"] is None and line["key_id"] is None and line["cache"] == "miss"
    assert "FAKE TEXT" not in caplog.text  # document content is never logged


@pytest.mark.parametrize("supplied", ["x" * 129, "has space", "new\nline", "", "ünï"])
def test_unsafe_request_ids_are_replaced(supplied):
    scope = {"headers": [(b"x-request-id", supplied.encode())]}
    generated = request_id_from(scope)
    assert generated != supplied and len(generated) == 32 and generated.isalnum()
    assert request_id_from({"headers": []}) != generated


def test_every_error_carries_a_request_id(fake_client_factory, image, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    client = fake_client_factory(orientation=False, max_upload_bytes=1_000)
    cases = {
        404: client.get("/nope"),
        405: client.get("/ocr/"),
        413: client.post("/ocr/", content=b"x" * 200_000, headers={"Content-Type": "multipart/form-data; b=x"}),
        415: client.post("/ocr/", files={"file": ("a.txt", b"hello")}),
        422: client.post("/ocr/"),
    }
    broken = fake_client_factory(orientation=False, engine=BrokenEngine())
    cases[500] = broken.post("/ocr/", files={"file": ("a.png", image)})
    overloaded = fake_client_factory(orientation=False, queue_size=1, engine=FakeEngine(delay=0.5))
    cases[503] = _second_of_two_concurrent(overloaded, image)
    for status, response in cases.items():
        assert response.status_code == status, (status, response.text)
        assert len(response.headers["X-Request-ID"]) == 32, status
        assert response.json()["success"] is False
    logged = {line["status"]: line for line in access_lines(caplog)}
    assert logged[500]["error"] == "internal_error" and logged[500]["request_id"] == cases[500].headers["X-Request-ID"]
    assert logged[413]["error"] == "too_large" and logged[404]["route"] == "unmatched"


def _second_of_two_concurrent(client, image: bytes):
    """Sends a second upload while a first one fills the one-page queue; returns the second."""
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(client.post, "/ocr/", files={"file": ("a.png", image)})
        deadline = time.monotonic() + 5
        while client.get("/health/ready").status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.01)  # until the first upload occupies the queue
        second = client.post("/ocr/", files={"file": ("b.png", image)})
        assert first.result().status_code == 200
    assert second.headers["Retry-After"]
    return second
