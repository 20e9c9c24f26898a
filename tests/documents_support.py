"""Documents made in code for the PDF/TIFF/orientation/batch/CLI tests, with exact ground truth."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image

from invoice_ocr.samples import SAMPLE_LINES, render_sample_invoice

# What a text layer gives back: each line's words, single-spaced.
SAMPLE_TEXT_LINES = [" ".join(text.split()) for text, _, _ in SAMPLE_LINES]
A4_POINTS = (595.28, 841.89)


def small_invoice() -> Image.Image:
    """The sample invoice at half size (620×877): readable, and quick to OCR."""
    image = render_sample_invoice().image
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)


def _new_pdf() -> FPDF:
    return FPDF(unit="pt", format="A4")


def _add_text_page(pdf: FPDF, lines: list[str]) -> None:
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for index, text in enumerate(lines):
        pdf.text(50, 60 + 22 * index, text)


def _add_image_page(pdf: FPDF, image: Image.Image) -> None:
    pdf.add_page()
    pdf.image(image, 0, 0, *A4_POINTS)


def text_pdf(pages: int = 1, lines: list[str] | None = None) -> bytes:
    """A born-digital PDF: every page carries the sample invoice as real text."""
    pdf = _new_pdf()
    for _ in range(pages):
        _add_text_page(pdf, lines or SAMPLE_TEXT_LINES)
    return bytes(pdf.output())


def mixed_pdf() -> bytes:
    """Page 1 born-digital, page 2 a scan (an image and no text)."""
    pdf = _new_pdf()
    _add_text_page(pdf, SAMPLE_TEXT_LINES)
    _add_image_page(pdf, small_invoice())
    return bytes(pdf.output())


def scan_with_footer_pdf() -> bytes:
    """A full-page scan whose only text is a small footer, as some scanner apps add."""
    pdf = _new_pdf()
    _add_image_page(pdf, small_invoice())
    pdf.set_font("helvetica", size=8)
    pdf.text(200, 830, "Scanned with ScanApp on 2024-03-15")
    return bytes(pdf.output())


def searchable_scan_pdf() -> bytes:
    """A scan with an invisible text layer over it (what OCR software writes)."""
    pdf = _new_pdf()
    _add_image_page(pdf, small_invoice())
    pdf.text_mode = "INVISIBLE"
    pdf.set_font("helvetica", size=12)
    for index, text in enumerate(SAMPLE_TEXT_LINES):
        pdf.text(50, 60 + 50 * index, text)
    return bytes(pdf.output())


def encrypted_pdf(user_password: str = "secret") -> bytes:
    pdf = _new_pdf()
    pdf.set_encryption(owner_password="owner", user_password=user_password)
    _add_text_page(pdf, SAMPLE_TEXT_LINES)
    return bytes(pdf.output())


def image_pdf(images: list[Image.Image]) -> bytes:
    """An image-only PDF as Pillow writes it (no text layer at all)."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=75, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def multipage_tiff(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return buffer.getvalue()


def turned_clockwise(image: Image.Image, degrees: int) -> Image.Image:
    """The page as a scanner would deliver it turned `degrees` clockwise."""
    return image.rotate(-degrees, expand=True)
