"""Budgets before pixels: page sides, aspect ratios and document pixels are checked from
image headers and PDF page boxes, before anything is decoded or rendered; the orientation
resize stays small whatever the page's shape; queue room is reserved before decoding."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from PIL import Image

from invoice_ocr.documents import (
    DocumentLimits,
    DocumentPixelsTooLargeError,
    Page,
    PageAspectRatioError,
    PageSideTooLongError,
    count_pages,
    load_pages,
)
from invoice_ocr.engine.orientation import preprocess
from invoice_ocr.engine.worker import InferenceWorker, QueueFullError
from tests.conftest import FakeEngine, png_bytes
from tests.documents_support import multipage_tiff

LIMITS = DocumentLimits(max_bytes=10**8, max_pixels=50_000_000, max_pages=20)


def blank_pdf(pages: int, width: float, height: float) -> bytes:
    """A PDF of `pages` empty pages of width×height points, a few hundred bytes per page."""
    kids = " ".join(f"{3 + index} 0 R" for index in range(pages))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"]
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] >>"] * pages
    body, offsets = b"%PDF-1.7\n", []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{text}\nendobj\n".encode()
    xref = f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{len(body)}\n%%EOF\n"
    return body + (xref + trailer).encode()


SLIVERS = {
    "100000x10": ((100000, 10), PageSideTooLongError),
    "3000000x1": ((3000000, 1), PageSideTooLongError),
    "125000x8": ((125000, 8), PageSideTooLongError),
    "15000x100": ((15000, 100), PageAspectRatioError),
}


@pytest.mark.parametrize("name", SLIVERS)
def test_sliver_images_are_refused_from_the_header(name):
    size, error = SLIVERS[name]
    data = png_bytes(Image.new("L", size, 255))
    assert len(data) < 20_000  # the whole attack: a tiny file
    with pytest.raises(error, match="OCR_MAX_"):
        count_pages(data, LIMITS)
    with pytest.raises(error):
        load_pages(data, LIMITS)


def test_a_long_receipt_is_still_accepted():
    data = png_bytes(Image.new("L", (576, 8000), 255))
    assert count_pages(data, LIMITS) == 1
    [page] = load_pages(data, LIMITS)
    assert page.image.shape[:2] == (8000, 576)


def test_tiff_frames_are_summed_before_any_is_decoded():
    frames = [Image.new("RGB", (1000, 1000), "white")] * 3
    limits = DocumentLimits(max_bytes=10**8, max_pixels=10**6, max_document_pixels=2_500_000)
    with pytest.raises(DocumentPixelsTooLargeError, match="OCR_MAX_DOCUMENT_PIXELS"):
        count_pages(multipage_tiff(frames), limits)
    assert count_pages(multipage_tiff(frames[:2]), limits) == 2


def test_huge_pdf_pages_are_refused_before_rendering_by_default():
    data = blank_pdf(20, 14400, 14400)
    assert len(data) < 5000
    with pytest.raises(DocumentPixelsTooLargeError):
        count_pages(data, LIMITS)
    with pytest.raises(DocumentPixelsTooLargeError):
        load_pages(data, LIMITS)


def test_huge_pdf_pages_render_within_the_pixel_budget_when_the_document_fits():
    limits = DocumentLimits(max_bytes=10**8, max_pixels=1_000_000, max_pages=20, max_document_pixels=20_000_000)
    data = blank_pdf(20, 14400, 14400)
    assert count_pages(data, limits) == 20
    pages = load_pages(data, limits)
    assert len(pages) == 20
    for page in pages:
        assert isinstance(page, Page)
        height, width = page.image.shape[:2]
        assert width * height <= limits.max_pixels


def test_a_pdf_page_side_is_capped_by_a_lower_dpi():
    limits = DocumentLimits(max_bytes=10**8, max_pixels=50_000_000, max_page_side=2000)
    [page] = load_pages(blank_pdf(1, 595, 14400 / 8), limits)  # 1800 pt: 5000 px at 200 dpi
    assert max(page.image.shape[:2]) <= 2000


def test_a_sliver_pdf_page_is_refused():
    with pytest.raises(PageAspectRatioError, match="OCR_MAX_ASPECT_RATIO"):
        count_pages(blank_pdf(1, 14400, 10), LIMITS)


@pytest.mark.parametrize("shape", [(10, 100000, 3), (1, 3000000, 3), (8, 125000, 3), (1754, 1240, 3)])
def test_orientation_input_is_small_whatever_the_page_shape(shape, monkeypatch):
    import cv2

    sizes = []
    real_resize = cv2.resize
    monkeypatch.setattr(cv2, "resize", lambda image, size, **kw: sizes.append(size) or real_resize(image, size, **kw))
    assert preprocess(np.zeros(shape, np.uint8)).shape == (1, 3, 224, 224)
    assert max(sizes[0]) <= 4096


def test_reserved_room_is_refused_before_decoding_and_freed_after():
    worker = InferenceWorker([FakeEngine(delay=0.2)], queue_size=4)
    worker.start()

    async def scenario():
        with worker.reserve(4) as reservation:
            assert worker.queue_depth == 4
            with pytest.raises(QueueFullError):
                worker.reserve(1)
            pages = await reservation.submit([np.zeros((4, 4, 3), np.uint8)] * 2)  # two were text pages
            assert len(pages) == 2
        assert worker.queue_depth == 0
        with worker.reserve(3):
            pass  # decoding failed: the room comes back
        assert worker.queue_depth == 0

    asyncio.run(scenario())
    worker.stop(2)


def test_a_cancelled_request_leaves_the_queue_at_once():
    engine = FakeEngine(delay=0.3)
    worker = InferenceWorker([engine], queue_size=100)
    worker.start()

    async def scenario():
        task = asyncio.ensure_future(worker.submit([np.zeros((4, 4, 3), np.uint8)] * 20))
        await asyncio.sleep(0.1)
        task.cancel()
        await asyncio.sleep(0.05)
        assert worker.queue_depth <= 1  # only the page in inference is left
        await asyncio.sleep(0.5)

    asyncio.run(scenario())
    worker.stop(2)
    assert engine.calls <= 2 and worker.queue_depth == 0
