"""PDF and multi-page TIFF decoding: text layer vs pages to OCR, limits, bad files (no OCR model)."""

from __future__ import annotations

import io
import math
import time

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from invoice_ocr.documents import (
    CorruptPdfError,
    DocumentLimits,
    EncryptedDocumentError,
    Page,
    PdfOptions,
    TextPage,
    TooManyPagesError,
    load_pages,
)
from invoice_ocr.documents import pdf as pdf_module
from invoice_ocr.documents.pdf import is_usable_text, render_scale
from tests.documents_support import (
    A4_POINTS,
    SAMPLE_TEXT_LINES,
    encrypted_pdf,
    image_pdf,
    mixed_pdf,
    multipage_tiff,
    scan_with_footer_pdf,
    searchable_scan_pdf,
    small_invoice,
    text_pdf,
)

LIMITS = DocumentLimits(max_bytes=10**8, max_pixels=50_000_000, max_pages=20)
A4_AT_200_DPI = (math.ceil(A4_POINTS[0] * 200 / 72), math.ceil(A4_POINTS[1] * 200 / 72))


def assert_boxes_inside(page: TextPage) -> None:
    for line in page.lines:
        for x, y in line.polygon:
            assert 0 <= x < page.width and 0 <= y < page.height, line


def test_text_layer_page_has_exact_lines_in_page_pixels():
    started = time.perf_counter()
    [page] = load_pages(text_pdf(), LIMITS)
    elapsed = time.perf_counter() - started
    assert isinstance(page, TextPage)
    assert (page.width, page.height) == A4_AT_200_DPI
    assert [line.text for line in page.lines] == SAMPLE_TEXT_LINES
    assert all(line.confidence == 1.0 for line in page.lines)
    assert_boxes_inside(page)
    assert elapsed < 1.0  # no rendering, no OCR


def test_text_layer_boxes_cover_the_rendered_glyphs():
    data = text_pdf()
    [text_page] = load_pages(data, LIMITS)
    [image_page] = load_pages(data, LIMITS, PdfOptions(text_layer=False))
    assert (image_page.width, image_page.height) == (text_page.width, text_page.height)
    ink = image_page.image.min(axis=2) < 128
    inside = np.zeros_like(ink)
    for line in text_page.lines:
        inside[line.top : line.bottom + 1, line.left : line.right + 1] = True
    assert ink.sum() > 0
    assert (ink & inside).sum() / ink.sum() > 0.97


def test_rotated_pdf_page_reports_boxes_in_the_displayed_page():
    document = pdfium.PdfDocument(text_pdf())
    document[0].set_rotation(90)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    [page] = load_pages(buffer.getvalue(), LIMITS)
    assert isinstance(page, TextPage)
    assert (page.width, page.height) == A4_AT_200_DPI[::-1]
    assert_boxes_inside(page)
    # A quarter turn clockwise makes each line a tall, narrow box.
    assert all(line.height > line.right - line.left for line in page.lines)


def test_dpi_setting_scales_pages():
    [page] = load_pages(text_pdf(), LIMITS, PdfOptions(dpi=100))
    assert (page.width, page.height) == (math.ceil(A4_POINTS[0] * 100 / 72), math.ceil(A4_POINTS[1] * 100 / 72))


@pytest.mark.parametrize(
    ("data", "kinds"),
    [
        (image_pdf([small_invoice()]), [Page]),
        (mixed_pdf(), [TextPage, Page]),
        (scan_with_footer_pdf(), [Page]),
        (searchable_scan_pdf(), [TextPage]),
    ],
    ids=["image-only", "mixed", "scan-with-footer-text", "searchable-scan"],
)
def test_each_page_is_read_from_its_text_layer_or_sent_to_ocr(data, kinds):
    pages = load_pages(data, LIMITS)
    assert [type(page) for page in pages] == kinds
    assert [page.number for page in pages] == list(range(1, len(kinds) + 1))
    for page in pages:
        if isinstance(page, Page):
            assert page.image.ndim == 3 and page.image.dtype == np.uint8


def test_text_layer_can_be_turned_off():
    pages = load_pages(mixed_pdf(), LIMITS, PdfOptions(text_layer=False))
    assert [type(page) for page in pages] == [Page, Page]


def test_page_limit_is_checked_before_any_page_is_read(monkeypatch):
    def fail(*_args, **_kwargs):
        raise AssertionError("a page was read")

    monkeypatch.setattr(pdf_module, "_read_page", fail)
    with pytest.raises(TooManyPagesError, match="21 pages; the limit is 20"):
        load_pages(text_pdf(pages=21, lines=["Page"]), LIMITS)


def test_twenty_pages_are_accepted():
    assert len(load_pages(text_pdf(pages=20), LIMITS)) == 20


def test_password_protected_pdf_is_refused():
    with pytest.raises(EncryptedDocumentError, match="password"):
        load_pages(encrypted_pdf(), LIMITS)


def test_pdf_with_only_an_owner_password_opens():
    [page] = load_pages(encrypted_pdf(user_password=""), LIMITS)
    assert [line.text for line in page.lines] == SAMPLE_TEXT_LINES


@pytest.mark.parametrize(
    "data",
    [text_pdf()[: len(text_pdf()) // 2], b"%PDF-1.7\n" + b"\x00" * 64, b"%PDF-"],
    ids=["truncated", "garbage-after-header", "header-only"],
)
def test_broken_pdf_is_refused(data):
    with pytest.raises(CorruptPdfError):
        load_pages(data, LIMITS)


def test_pdf_without_pages_is_refused():
    buffer = io.BytesIO()
    pdfium.PdfDocument.new().save(buffer)
    with pytest.raises(CorruptPdfError):
        load_pages(buffer.getvalue(), LIMITS)


def test_huge_pdf_page_is_rendered_at_a_lower_dpi_within_the_pixel_limit():
    limits = DocumentLimits(max_bytes=10**8, max_pixels=4_000_000)
    [page] = load_pages(text_pdf(), limits, PdfOptions(dpi=600, text_layer=False))
    assert page.width * page.height <= 4_000_000
    assert page.width * page.height > 3_900_000  # lowered just enough


@pytest.mark.parametrize(("width", "height"), [(595.28, 841.89), (14400, 14400), (3, 14400), (100.5, 0.7)])
def test_render_scale_never_exceeds_the_pixel_limit(width, height):
    scale = render_scale(width, height, dpi=300, max_pixels=1_000_000)
    assert math.ceil(width * scale) * math.ceil(height * scale) <= 1_000_000
    assert scale <= 300 / 72


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        ("Invoice Number: INV-2024-0042", True),
        ("Page 1 of 2", False),  # too little to be the page's content
        ("\ufffd" * 30 + "Invoice", False),
        ("\x01\x02\x03\x04" * 10 + "Invoice Number: INV-2024-0042", False),
        ("\ue000" * 5 + "x" * 500, True),  # a few unmapped glyphs among many good ones
    ],
)
def test_text_layer_usability(text, usable):
    assert is_usable_text(text) is usable


def test_multipage_tiff_yields_one_page_per_frame():
    frames = [small_invoice(), Image.new("RGB", (300, 200), "white"), Image.new("L", (200, 300), 255)]
    pages = load_pages(multipage_tiff(frames), LIMITS)
    assert [page.number for page in pages] == [1, 2, 3]
    assert [(page.width, page.height) for page in pages] == [frame.size for frame in frames]
    assert all(isinstance(page, Page) and page.image.shape[2] == 3 for page in pages)


def test_tiff_page_limit():
    frames = [Image.new("RGB", (20, 20), "white")] * 3
    with pytest.raises(TooManyPagesError, match="3 pages; the limit is 2"):
        load_pages(multipage_tiff(frames), DocumentLimits(max_bytes=10**8, max_pixels=10**6, max_pages=2))


def test_a_gif_is_read_as_its_first_frame() -> None:
    """GIF, as the web page and the docs promise: one page, the first frame of an animation."""
    frames = [Image.new("RGB", (40, 30), color) for color in ("white", "black")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    [page] = load_pages(buffer.getvalue(), LIMITS)
    assert (page.width, page.height) == (40, 30)
    assert page.image.mean() > 200  # the white first frame, not the black second one
