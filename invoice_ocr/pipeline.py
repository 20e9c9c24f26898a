"""Document bytes → recognised pages (→ invoice fields): the one path the HTTP API and
the CLI share.

Decoding runs in a thread (off the event loop); only the pages that need OCR are handed
to `ocr` (the API's inference worker, or the engine directly in the CLI), whose engine
also turns sideways pages upright; text-layer pages skip it. Pages come back in
document order.

Decoding (page counts, pages, e-invoice XML) runs in the decode sandbox's worker
processes (documents/sandbox.py) unless `options.sandbox` is None.

When `ocr` is a worker's `submit`, queue room for the document's pages is reserved
first, from the page count the budget checks give without decoding (`count_pages`): an
overloaded service answers 503 before it spends memory on the pixels.

`render_document` turns recognised pages into text, hOCR or a searchable PDF
(invoice_ocr/output/), in the decode sandbox too: the PDF parses the upload again.

`read_invoice` adds the fields: from the document's e-invoice XML when it has one (a
Factur-X / ZUGFeRD / XRechnung PDF, or a bare UBL / CII upload), else from the pages'
layout. The pages of a hybrid PDF are still read, as evidence.
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

import numpy as np

from invoice_ocr.config import Settings
from invoice_ocr.documents import (
    DocumentLimits,
    DocumentPage,
    FoundEInvoice,
    Page,
    PdfOptions,
    TextPage,
    count_pages,
    load_einvoice,
    load_pages,
)
from invoice_ocr.documents.sandbox import SandboxConfig, get_sandbox
from invoice_ocr.extraction.einvoice import extract_einvoice
from invoice_ocr.extraction.invoice import extract_invoice
from invoice_ocr.extraction.results import InvoiceExtraction, PageLines
from invoice_ocr.output import Rendered, render
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

    def page_lines(self) -> PageLines:
        """The upright page's lines, as extraction reads them."""
        return PageLines(page=self.number, width=self.ocr.width, height=self.ocr.height, lines=self.ocr.lines)


@dataclass
class RecognizedInvoice:
    """A document's pages, its invoice fields, and the e-invoice they came from, if any."""

    pages: list[RecognizedPage]
    extraction: InvoiceExtraction
    einvoice: FoundEInvoice | None = None


OcrFunction = Callable[[list[np.ndarray]], Awaitable[list[OcrPage]]]


class Reservation(Protocol):
    """Queue room held for a document's pages (engine/worker.py's `Reservation`)."""

    submit: OcrFunction

    def __enter__(self) -> Reservation: ...

    def __exit__(self, *_: object) -> None: ...


def _reserver(ocr: OcrFunction) -> Callable[[int], Reservation] | None:
    """The `reserve` of the worker whose bound `submit` is `ocr`, if it has one: the API
    hands the pipeline `worker.submit`, the CLI its own function (nothing to reserve)."""
    return getattr(getattr(ocr, "__self__", None), "reserve", None)


@dataclass(frozen=True)
class PipelineOptions:
    limits: DocumentLimits
    pdf: PdfOptions
    # The largest e-invoice XML read for invoice fields; None reads every document by layout.
    einvoice_max_bytes: int | None = None
    # Where untrusted bytes are decoded; None: in this process (a thread).
    sandbox: SandboxConfig | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, force_ocr: bool = False) -> PipelineOptions:
        return cls(
            limits=DocumentLimits(
                settings.max_upload_bytes,
                settings.max_image_pixels,
                settings.max_pages,
                max_page_side=settings.max_page_side,
                max_aspect_ratio=settings.max_aspect_ratio,
                max_document_pixels=settings.max_document_pixels,
            ),
            pdf=PdfOptions(
                dpi=settings.pdf_dpi,
                text_layer=settings.pdf_text_layer and not force_ocr,
                max_page_chars=settings.max_page_chars,
            ),
            einvoice_max_bytes=settings.einvoice_max_bytes if settings.einvoice else None,
            sandbox=sandbox_config(settings),
        )

    @classmethod
    def for_jobs(cls, settings: Settings, *, force_ocr: bool = False) -> PipelineOptions:
        """The options of an async job: its own byte and page limits, and no whole-document
        pixel budget, since a job decodes its pages one at a time (each page keeps its own
        pixel, side and aspect limits)."""
        options = cls.from_settings(settings, force_ocr=force_ocr)
        limits = replace(
            options.limits,
            max_bytes=settings.jobs_max_upload_bytes,
            max_pages=settings.jobs_max_pages,
            max_document_pixels=math.inf,
        )
        return replace(options, limits=limits)


def sandbox_config(settings: Settings) -> SandboxConfig | None:
    if not settings.decode_sandbox:
        return None
    return SandboxConfig(settings.decode_workers, settings.decode_memory_mb, settings.decode_timeout_s)


def warm_sandbox(settings: Settings) -> None:
    """Start the decode sandbox's processes now (server start-up), so the first documents
    do not pay for it."""
    if (config := sandbox_config(settings)) is not None:
        get_sandbox(config).warm()
        get_sandbox(config.inspect_lane()).warm()


T = TypeVar("T")


async def _decode(options: PipelineOptions, fn: Callable[..., T], *args: object, inspect: bool = False) -> T:
    """`fn(*args)` off the event loop: in the decode sandbox (its inspection lane for the
    quick page counts), or in a thread without one."""
    if options.sandbox is None:
        return await asyncio.to_thread(fn, *args)
    config = options.sandbox.inspect_lane() if inspect else options.sandbox
    cancel = threading.Event()
    try:
        return await asyncio.to_thread(get_sandbox(config).call_cancellable, cancel, fn, *args)
    except asyncio.CancelledError:  # the request timed out: stop its decode, free the worker
        cancel.set()
        raise


def _text_layer_page(page: TextPage) -> RecognizedPage:
    return RecognizedPage(page.number, OcrPage(page.width, page.height, page.lines), source="pdf-text")


async def recognize_document(data: bytes, options: PipelineOptions, ocr: OcrFunction) -> list[RecognizedPage]:
    """Every page of the document with its lines; raises `DocumentError` for bad input."""
    reserve = _reserver(ocr)
    if reserve is None:
        return await _recognize(await _decode(options, load_pages, data, options.limits, options.pdf), ocr)
    count = await _decode(options, count_pages, data, options.limits, options.pdf, inspect=True)
    with reserve(count) as reservation:
        prepared = await _decode(options, load_pages, data, options.limits, options.pdf)
        return await _recognize(prepared, reservation.submit)


async def count_document_pages(data: bytes, options: PipelineOptions) -> int:
    """The document's page count, every limit checked before decoding; raises `DocumentError`."""
    return await _decode(options, count_pages, data, options.limits, options.pdf, inspect=True)


async def recognize_page(data: bytes, options: PipelineOptions, number: int, ocr: OcrFunction) -> RecognizedPage:
    """Page `number` (1-based) of the document, decoded alone and read: a job holds one page
    in memory, not the document's pages."""
    return (await _recognize(await _decode(options, load_pages, data, options.limits, options.pdf, [number]), ocr))[0]


async def _recognize(prepared: list[DocumentPage], ocr: OcrFunction) -> list[RecognizedPage]:
    to_read = [page for page in prepared if isinstance(page, Page)]
    results = iter(await ocr([page.image for page in to_read]) if to_read else [])
    return [
        _text_layer_page(page) if isinstance(page, TextPage) else RecognizedPage(page.number, next(results))
        for page in prepared
    ]


async def render_document(data: bytes, pages: list[RecognizedPage], fmt: str, options: PipelineOptions) -> Rendered:
    """`output.render(data, pages, fmt)` off the event loop, where uploads are decoded."""
    return await _decode(options, render, data, pages, fmt)


async def find_einvoice(data: bytes, options: PipelineOptions) -> FoundEInvoice | None:
    """The document's e-invoice XML (bare, or a PDF's attachment), when e-invoices are read."""
    if options.einvoice_max_bytes is None:
        return None
    return await _decode(options, load_einvoice, data, options.einvoice_max_bytes)


async def read_invoice(data: bytes, options: PipelineOptions, ocr: OcrFunction) -> RecognizedInvoice:
    """The document's pages and invoice fields; raises `DocumentError` for bad input."""
    found = await find_einvoice(data, options)
    pages = [] if found is not None and not found.embedded else await recognize_document(data, options, ocr)
    return await invoice_from_pages(pages, found)


async def invoice_from_pages(pages: list[RecognizedPage], found: FoundEInvoice | None) -> RecognizedInvoice:
    """The invoice fields of read pages: from the e-invoice XML when there is one."""
    lines = [page.page_lines() for page in pages]
    if found is None:
        return RecognizedInvoice(pages, await asyncio.to_thread(extract_invoice, lines))
    return RecognizedInvoice(pages, await asyncio.to_thread(extract_einvoice, found.einvoice, lines), found)
