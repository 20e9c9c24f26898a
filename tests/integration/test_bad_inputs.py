"""Every bad input: a clear JSON error with the right status, and the next request works."""

from __future__ import annotations

import struct
import tracemalloc
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from invoice_ocr.documents import DocumentLimits, DocumentTooLargeError, load_pages
from tests.conftest import FakeEngine, png_bytes

GOOD = png_bytes(Image.new("RGB", (64, 32), "white"))


def huge_png(width: int = 20000, height: int = 20000) -> bytes:
    """A valid PNG header declaring width×height, with a few compressed rows of data."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\xff" * width * 3)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def post(client, data: bytes):
    return client.post("/ocr/", files={"file": ("upload", data, "image/png")})


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def assert_still_serving(client) -> None:
    response = post(client, GOOD)
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 400, "empty_file"),
        (GOOD[: len(GOOD) // 2], 400, "undecodable_file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, 400, "undecodable_file"),
        (b"this is a text file, not an image", 415, "unsupported_media_type"),
        (b"PK\x03\x04" + b"\x00" * 64, 415, "unsupported_media_type"),
        (huge_png(), 413, "too_large"),
    ],
    ids=["empty", "truncated-png", "corrupt-png", "text", "zip", "20000x20000-png"],
)
def test_bad_upload_is_refused_clearly(fake_client_factory, data, status, code):
    client = fake_client_factory()
    assert_error(post(client, data), status, code)
    assert_still_serving(client)


def test_huge_png_is_refused_without_allocating_its_pixels():
    data = huge_png()
    tracemalloc.start()
    try:
        with pytest.raises(DocumentTooLargeError, match="20000×20000"):
            load_pages(data, DocumentLimits(max_bytes=10**8, max_pixels=50_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the pixels alone would be 1.2 GB


def test_too_many_bytes_is_413(fake_client_factory):
    client = fake_client_factory(max_upload_bytes=10_000)
    padded = png_bytes(Image.effect_noise((200, 200), 80).convert("RGB"))
    assert len(padded) > 10_000
    assert_error(post(client, padded), 413, "too_large")
    assert_still_serving(client)


def test_body_far_over_the_limit_is_refused_before_reading(fake_client_factory):
    client = fake_client_factory(max_upload_bytes=1_000)
    response = client.post("/ocr/", content=b"x" * 500_000, headers={"content-type": "multipart/form-data; boundary=x"})
    assert_error(response, 413, "too_large")
    assert_still_serving(client)


def test_too_many_pixels_is_413(fake_client_factory):
    client = fake_client_factory(max_image_pixels=100 * 100)
    assert_error(post(client, png_bytes(Image.new("RGB", (101, 100)))), 413, "too_large")
    assert_still_serving(client)


def test_missing_file_field_is_422(fake_client_factory):
    client = fake_client_factory()
    assert_error(client.post("/ocr/", data={"other": "x"}), 422, "invalid_request")
    assert_error(client.post("/ocr/"), 422, "invalid_request")
    assert_still_serving(client)


def test_unknown_route_and_method_use_the_envelope(fake_client_factory):
    client = fake_client_factory()
    assert_error(client.get("/nope"), 404, "not_found")
    assert_error(client.get("/ocr/"), 405, "method_not_allowed")


def test_engine_failure_is_a_clean_500_and_the_service_recovers(fake_client_factory):
    engine = FakeEngine()
    client = fake_client_factory(engine)
    original = engine.recognize

    def explode(images):
        raise RuntimeError("boom")

    engine.recognize = explode
    response = post(client, GOOD)
    assert_error(response, 500, "internal_error")
    assert "boom" not in response.text
    engine.recognize = original
    assert_still_serving(client)


def test_full_queue_answers_503_with_retry_after(fake_client_factory):
    client = fake_client_factory(FakeEngine(delay=0.4), queue_size=1)
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: post(client, GOOD), range(6)))
    statuses = sorted(response.status_code for response in responses)
    assert 200 in statuses and 503 in statuses, statuses
    assert set(statuses) <= {200, 503}
    for response in responses:
        if response.status_code == 503:
            assert_error(response, 503, "overloaded")
            assert int(response.headers["Retry-After"]) >= 1
    assert_still_serving(client)


@pytest.mark.parametrize("fmt", ["xml", "PDF", "", "json;pdf"])
def test_unknown_output_format_is_refused_clearly(fake_client_factory, fmt):
    client = fake_client_factory()
    response = client.post("/ocr/", files={"file": ("upload", GOOD, "image/png")}, params={"format": fmt})
    assert_error(response, 422, "invalid_format")
    assert "json, txt, hocr, pdf" in response.json()["error"]["message"]
    assert_still_serving(client)
