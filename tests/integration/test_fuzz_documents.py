"""Hypothesis feeds damaged documents (bytes flipped, cut, inserted, removed from small
valid PNG/JPEG/BMP/TIFF/WebP/PDF files) to the decoder and through `POST /ocr/`.

The decoder may only return pages or raise a `DocumentError`; the route may only answer
200 or a documented 4xx; neither may hang.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from invoice_ocr.api.app import create_app
from invoice_ocr.config import Settings
from invoice_ocr.documents import DocumentError, DocumentLimits, PdfOptions, UndecodableDocumentError, load_pages
from tests.conftest import FakeEngine, fixed_engine_factory

DOCUMENTED_STATUSES = {200, 400, 413, 415, 422}
PER_EXAMPLE_TIMEOUT_S = 10
LIMITS = DocumentLimits(max_bytes=1024 * 1024, max_pixels=4_000_000, max_pages=4)

# A one-page PDF with a text layer, written by hand so the fuzzer also reaches the text path.
TEXT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 50 Td (Invoice 42) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _seed_documents() -> list[bytes]:
    page = Image.new("RGB", (120, 60), "white")
    ImageDraw.Draw(page).text((10, 20), "TOTAL 12.50", fill="black")
    second = page.rotate(180)
    return [
        _encoded(page, "PNG"),
        _encoded(page, "JPEG", quality=80),
        _encoded(page, "BMP"),
        _encoded(page, "WEBP"),
        _encoded(page, "TIFF", save_all=True, append_images=[second]),
        _encoded(page, "PDF"),
        TEXT_PDF,
    ]


SEEDS = _seed_documents()
TIFF_SEED, TEXT_PDF_SEED = SEEDS[4], SEEDS[6]
# Found by this fuzzer, kept as fixed cases: a TIFF whose first tag is damaged (Pillow
# raises TypeError "Missing dimensions") and a PDF whose page object is damaged
# (pypdfium2 raises PdfiumError "Failed to load page.").
KNOWN_CRASHERS = {
    "tiff-without-dimensions": TIFF_SEED[:8] + bytes([TIFF_SEED[8] ^ 0xFF]) + TIFF_SEED[9:],
    "pdf-broken-page": TEXT_PDF_SEED[:73] + TEXT_PDF_SEED[74:],
}


@st.composite
def damaged_documents(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if operation == "flip" and position < len(data):
            data[position] ^= draw(st.integers(1, 255))
        elif operation == "truncate":
            del data[position:]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[position : position + draw(st.integers(1, 64))]
    return bytes(data)


@pytest.fixture(scope="module")
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(1) as executor:
        yield executor


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings_ = Settings(device="cpu", warmup=False, request_timeout_s=PER_EXAMPLE_TIMEOUT_S, cache_max_entries=0)
    app = create_app(settings_, engine_factory=fixed_engine_factory(FakeEngine()))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _decode(data: bytes) -> str:
    try:
        pages = load_pages(data, LIMITS, PdfOptions(dpi=72))
    except DocumentError as error:
        return type(error).__name__
    assert 1 <= len(pages) <= LIMITS.max_pages
    return "pages"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=damaged_documents())
def test_decoder_returns_pages_or_a_document_error(pool, data):
    # result() re-raises anything but a DocumentError, and fails the example on a hang.
    pool.submit(_decode, data).result(timeout=PER_EXAMPLE_TIMEOUT_S)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=damaged_documents())
def test_route_answers_only_documented_statuses(client, pool, data):
    post = pool.submit(client.post, "/ocr/", files={"file": ("upload.bin", data)})
    response = post.result(timeout=PER_EXAMPLE_TIMEOUT_S + 5)
    assert response.status_code in DOCUMENTED_STATUSES, response.text
    if response.status_code != 200:
        assert response.json()["success"] is False


def test_seeds_are_valid_documents():
    assert all(_decode(seed) == "pages" for seed in SEEDS)


@pytest.mark.parametrize("name", KNOWN_CRASHERS)
def test_known_crashers_are_refused_cleanly(client, name):
    with pytest.raises(UndecodableDocumentError):
        load_pages(KNOWN_CRASHERS[name], LIMITS, PdfOptions(dpi=72))
    response = client.post("/ocr/", files={"file": ("upload.bin", KNOWN_CRASHERS[name])})
    assert response.status_code == 400, response.text
