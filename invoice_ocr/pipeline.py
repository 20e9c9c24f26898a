"""Document bytes → recognised pages: the one path the HTTP API and the CLI share.

Decoding runs in a thread (off the event loop); only the pages that need OCR are handed
to `ocr` (the API's inference worker, or the engine directly in the CLI), whose engine
also turns sideways pages upright; text-layer pages skip it. Pages come back in
document order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import numpy as np

from invoice_ocr.config import Settings
from invoice_ocr.documents import DocumentLimits, Page, PdfOptions, TextPage, load_pages
from invoice_ocr.page import OcrPage


@dataclass
class RecognizedPage:
    """One page's lines with where they came from.

    `ocr` is the page as read, i.e. upright: after turning the uploaded page
    `rotation` degrees clockwise. Responses map it back onto the uploaded page.
    """

    number: int
    ocr: OcrPage
    source: str = "ocr"

    @property
    def rotation(self) -> int:
        return self.ocr.rotation


OcrFunction = Callable[[list[np.ndarray]], Awaitable[list[OcrPage]]]


@dataclass(frozen=True)
class PipelineOptions:
    limits: DocumentLimits
    pdf: PdfOptions

    @classmethod
    def from_settings(cls, settings: Settings, *, force_ocr: bool = False) -> PipelineOptions:
        return cls(
            limits=DocumentLimits(settings.max_upload_bytes, settings.max_image_pixels, settings.max_pages),
            pdf=PdfOptions(dpi=settings.pdf_dpi, text_layer=settings.pdf_text_layer and not force_ocr),
        )


def _text_layer_page(page: TextPage) -> RecognizedPage:
    return RecognizedPage(page.number, OcrPage(page.width, page.height, page.lines), source="pdf-text")


async def recognize_document(data: bytes, options: PipelineOptions, ocr: OcrFunction) -> list[RecognizedPage]:
    """Every page of the document with its lines; raises `DocumentError` for bad input."""
    prepared = await asyncio.to_thread(load_pages, data, options.limits, options.pdf)
    to_read = [page for page in prepared if isinstance(page, Page)]
    results = iter(await ocr([page.image for page in to_read]) if to_read else [])
    return [
        _text_layer_page(page) if isinstance(page, TextPage) else RecognizedPage(page.number, next(results))
        for page in prepared
    ]
