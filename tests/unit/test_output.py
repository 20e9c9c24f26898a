"""invoice_ocr/output/ on hand-made pages: image pages, the font's encoding, plain text."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from invoice_ocr.output import FORMATS, render
from invoice_ocr.output.glyphless import encode, font_program
from invoice_ocr.output.pdf import image_pdf
from invoice_ocr.page import OcrLine, OcrPage
from invoice_ocr.pipeline import RecognizedPage
from tests.conftest import png_bytes
from tests.documents_support import multipage_tiff

LINE = OcrLine("Total 12", 0.9, ((10, 10), (90, 10), (90, 30), (10, 30)))


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


@pytest.mark.parametrize(
    ("image", "pages"),
    [
        (png_bytes(Image.new("RGBA", (40, 20), (0, 0, 0, 0))), 1),  # transparency: img2pdf refuses, decoded
        (png_bytes(Image.new("RGB", (40, 20), "white"), "WEBP"), 1),
        (png_bytes(Image.new("RGB", (40, 20), "white"), "BMP"), 1),
        (multipage_tiff([Image.new("RGB", (40, 20), "white")] * 3), 3),  # every TIFF frame, as the pipeline reads
    ],
    ids=["rgba-png", "webp", "bmp", "tiff-3-frames"],
)
def test_every_image_kind_becomes_one_pdf_page_per_page_read(image, pages):
    assert page_count(image_pdf(image)) == pages


def test_characters_are_their_utf16_codes_and_beyond_the_bmp_a_replacement():
    assert encode("€ł") == b"\x20\xac\x01\x42"
    assert encode("a😀") == b"\x00a\xff\xfd"
    assert font_program()[:4] == b"\x00\x01\x00\x00"  # a TrueType program


def test_txt_separates_pages_with_form_feeds_and_unknown_formats_raise():
    pages = [RecognizedPage(number, OcrPage(100, 40, [LINE])) for number in (1, 2)]
    assert render(b"", pages, "txt") == (b"Total 12\fTotal 12", FORMATS["txt"].media_type)
    with pytest.raises(KeyError):
        render(b"", pages, "json")
