"""Upload bytes → pages, with every limit checked first.

Image size is read from the header before any pixel is decoded, so a 20000×20000 PNG
of a few kilobytes is refused without allocating its 1.2 GB of pixels; so are a side past
`max_page_side` and a sliver past `max_aspect_ratio` (a 3000000×1 PNG is 1 KB). Page counts
(TIFF frames, PDF pages) and the pixels of all pages together are checked before the first
page is decoded or rendered: `count_pages` runs those checks alone, so the caller can
reserve room for the pages before paying for them.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from invoice_ocr.documents.einvoice import parse_einvoice
from invoice_ocr.documents.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    NotAnEInvoiceError,
    TooManyPagesError,
    UndecodableDocumentError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.documents.pages import DocumentPage, Page
from invoice_ocr.documents.pdf import PageBudget, PdfOptions, count_pdf_pages, embedded_file, load_pdf
from invoice_ocr.documents.sniff import sniff_type
from invoice_ocr.einvoice_data import EInvoice

logger = logging.getLogger(__name__)

IMAGE_TYPES = frozenset({"jpeg", "png", "bmp", "tiff", "webp", "gif"})
SUPPORTED_TYPES = IMAGE_TYPES | {"pdf"}
SUPPORTED_TYPES_TEXT = "PDF, JPEG, PNG, BMP, TIFF, WebP or GIF"
# The names Factur-X 1.0 / ZUGFeRD 2.1+, ZUGFeRD 2.0, ZUGFeRD 1.x (same name, other case)
# and XRechnung-in-PDF give the invoice XML they embed, in the order they are looked for.
EINVOICE_ATTACHMENTS = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

# We enforce our own pixel limit before decoding; Pillow's bomb check would fire later
# and with a different message.
Image.MAX_IMAGE_PIXELS = None


@dataclass(frozen=True)
class DocumentLimits:
    max_bytes: int
    max_pixels: int
    max_pages: int = 20
    max_page_side: int = PageBudget.max_side
    max_aspect_ratio: float = PageBudget.max_aspect_ratio
    max_document_pixels: float = PageBudget.max_document_pixels

    @property
    def budget(self) -> PageBudget:
        return PageBudget(self.max_pixels, self.max_page_side, self.max_aspect_ratio, self.max_document_pixels)


def _check_pixels(width: int, height: int, limits: DocumentLimits) -> None:
    if width * height > limits.max_pixels:
        raise DocumentTooLargeError(
            f"page is {width}×{height} = {width * height:,} pixels; the limit is {limits.max_pixels:,}"
        )
    limits.budget.check_shape(width, height)


def _to_bgr(image: Image.Image) -> np.ndarray:
    """The page as the contiguous BGR array the engine reads, with as few full-page copies
    as possible (each costs about 5 ms on an A4 scan; they were a third of decoding)."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR)


def _frame_count(image: Image.Image, kind: str, limits: DocumentLimits) -> int:
    """Pages in an image file: every frame of a TIFF; only the first of anything else
    (an animated WebP or GIF, or a JPEG's embedded preview, is not a second page)."""
    count = getattr(image, "n_frames", 1) if kind == "tiff" else 1
    if count > limits.max_pages:
        raise TooManyPagesError(f"the TIFF has {count} pages; the limit is {limits.max_pages}")
    return count


def _frame_sizes(image: Image.Image, kind: str, limits: DocumentLimits) -> list[tuple[int, int]]:
    """Every page's size from the headers (seeking to a TIFF frame reads its tags, not its
    pixels), each checked, then their sum; the image is left at its first frame."""
    count = _frame_count(image, kind, limits)
    sizes = [frame.size for frame in islice(ImageSequence.Iterator(image), count)]
    image.seek(0)
    for size in sizes:
        _check_pixels(*size, limits)
    limits.budget.check_document(sizes)
    return sizes


def _open_image(data: bytes, kind: str, limits: DocumentLimits) -> tuple[Image.Image, int]:
    """The lazily opened image and its page count, every budget checked; decodes nothing."""
    try:
        image = Image.open(io.BytesIO(data))
        return image, len(_frame_sizes(image, kind, limits))
    except DocumentTooLargeError:
        raise
    except UnidentifiedImageError:
        # Pillow's message quotes repr(BytesIO), a heap address: nothing a client can use.
        raise UndecodableDocumentError("the image cannot be decoded: no image decoder recognises the data") from None
    # Pillow reports damaged files through many exception types (TypeError for a TIFF
    # whose dimension tag is corrupt, found by the fuzz tests); all mean "cannot decode".
    except (OSError, ValueError, TypeError, SyntaxError, EOFError) as error:
        raise UndecodableDocumentError(f"the image cannot be decoded: {error}") from None


def _decode_image(
    data: bytes, kind: str, limits: DocumentLimits, numbers: Collection[int] | None = None
) -> list[DocumentPage]:
    pages: list[DocumentPage] = []
    image, count = _open_image(data, kind, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            for number, frame in enumerate(islice(ImageSequence.Iterator(image), count), start=1):
                if numbers is not None and number not in numbers:
                    continue  # seeking to a TIFF frame reads its tags only
                _check_pixels(*frame.size, limits)  # again: the header read while decoding is what counts
                frame.load()
                ImageOps.exif_transpose(frame, in_place=True)  # no copy when there is nothing to turn
                pages.append(Page(_to_bgr(frame), number=number))
    except DocumentTooLargeError:
        raise
    except (OSError, ValueError, TypeError, SyntaxError, EOFError) as error:
        raise UndecodableDocumentError(f"the image cannot be decoded: {error}") from None
    return pages


def _checked_kind(data: bytes, limits: DocumentLimits) -> str:
    """The upload's type, after the checks that need no parsing: empty, bytes, supported."""
    if not data:
        raise EmptyDocumentError("the uploaded file is empty")
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(f"the file is {len(data):,} bytes; the limit is {limits.max_bytes:,}")
    kind = sniff_type(data)
    if kind in SUPPORTED_TYPES:
        return kind
    if kind == "xml":
        raise UnsupportedDocumentTypeError(
            "an XML file has no page to read; send an e-invoice XML (UBL or CII) to POST /invoice/ for its fields"
        )
    if kind is None:
        raise UnsupportedDocumentTypeError(f"unrecognised file type; send {SUPPORTED_TYPES_TEXT}")
    raise UnsupportedDocumentTypeError(f"{kind.upper()} files are not supported; send {SUPPORTED_TYPES_TEXT}")


def count_pages(data: bytes, limits: DocumentLimits, pdf: PdfOptions | None = None) -> int:
    """The pages `load_pages` would return, after every limit it checks before decoding
    (bytes, type, page count, page and document pixels): the count comes from the PDF page
    tree or the image headers, and no pixel is decoded or rendered."""
    kind = _checked_kind(data, limits)
    if kind == "pdf":
        return count_pdf_pages(data, max_pages=limits.max_pages, budget=limits.budget, dpi=(pdf or PdfOptions()).dpi)
    image, count = _open_image(data, kind, limits)
    image.close()
    return count


def load_pages(
    data: bytes, limits: DocumentLimits, pdf: PdfOptions | None = None, numbers: Collection[int] | None = None
) -> list[DocumentPage]:
    """Decode an upload into pages, in order; raises a `DocumentError` subclass saying why not.

    PDF pages with a usable text layer come back as `TextPage` (unless `pdf.text_layer`
    is off); every other page as an image `Page`. `numbers` (1-based) decodes only those
    pages, after the same checks of the whole document: a job reads its pages one by one.
    """
    kind = _checked_kind(data, limits)
    if kind == "pdf":
        return load_pdf(
            data,
            max_pages=limits.max_pages,
            budget=limits.budget,
            options=pdf or PdfOptions(),
            numbers=None if numbers is None else sorted(numbers),
        )
    return _decode_image(data, kind, limits, numbers)


@dataclass(frozen=True)
class FoundEInvoice:
    """A document's e-invoice: the parsed XML, and whether a PDF carried it (a hybrid
    invoice with pages to show) or it was uploaded bare."""

    einvoice: EInvoice
    embedded: bool


def load_einvoice(data: bytes, max_bytes: int) -> FoundEInvoice | None:
    """The e-invoice in an upload: a bare UBL / CII XML (malformed, hostile or non-invoice
    XML raises a `DocumentError`), or a PDF's Factur-X / ZUGFeRD / XRechnung attachment;
    None for anything else.

    A PDF whose attachment cannot be read as an e-invoice is still a readable invoice, so
    it is read by its layout (None) rather than refused."""
    kind = sniff_type(data)
    if kind == "xml":
        return FoundEInvoice(parse_einvoice(data, max_bytes=max_bytes), embedded=False)
    if kind != "pdf":
        return None
    try:
        xml = embedded_file(data, EINVOICE_ATTACHMENTS, max_bytes=max_bytes)
        return FoundEInvoice(parse_einvoice(xml, max_bytes=max_bytes), embedded=True) if xml else None
    except (UndecodableDocumentError, NotAnEInvoiceError) as error:
        logger.warning("the PDF's e-invoice attachment is unreadable (%s); reading its pages", error.code)
        return None
