"""Plain text: each page's lines in reading order (the `text` of `POST /ocr/`'s pages),
pages separated by a form feed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from invoice_ocr.extraction.layout import in_reading_order, reading_order_text

if TYPE_CHECKING:
    from invoice_ocr.pipeline import RecognizedPage

PAGE_SEPARATOR = "\f"


def page_text(page: RecognizedPage) -> str:
    """The page's text: a row's lines joined by spaces, rows by newlines (found on the
    upright page, where rows run left to right)."""
    return reading_order_text(in_reading_order(page.ocr.lines))


def plain_text(pages: Sequence[RecognizedPage]) -> bytes:
    return PAGE_SEPARATOR.join(page_text(page) for page in pages).encode("utf-8")
