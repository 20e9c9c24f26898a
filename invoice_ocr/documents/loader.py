"""Upload bytes → pages, with every limit checked first.

Image size is read from the header before any pixel is decoded, so a 20000×20000 PNG
of a few kilobytes is refused without allocating its 1.2 GB of pixels. Page counts
(TIFF frames, PDF pages) are checked before the first page is decoded or rendered.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from itertools import islice

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from invoice_ocr.documents.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    TooManyPagesError,
    UndecodableDocumentError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.documents.pages import DocumentPage, Page
from invoice_ocr.documents.pdf import PdfOptions, load_pdf
from invoice_ocr.documents.sniff import sniff_type

IMAGE_TYPES = frozenset({"jpeg", "png", "bmp", "tiff", "webp"})
SUPPORTED_TYPES = IMAGE_TYPES | {"pdf"}
SUPPORTED_TYPES_TEXT = "PDF, JPEG, PNG, BMP, TIFF or WebP"

# We enforce our own pixel limit before decoding; Pillow's bomb check would fire later
# and with a different message.
Image.MAX_IMAGE_PIXELS = None


@dataclass(frozen=True)
class DocumentLimits:
    max_bytes: int
    max_pixels: int
    max_pages: int = 20


def _check_pixels(width: int, height: int, limits: DocumentLimits) -> None:
    if width * height > limits.max_pixels:
        raise DocumentTooLargeError(
            f"page is {width}×{height} = {width * height:,} pixels; the limit is {limits.max_pixels:,}"
        )


def _to_bgr(image: Image.Image) -> np.ndarray:
    """The page as the contiguous BGR array the engine reads, with as few full-page copies
    as possible (each costs about 5 ms on an A4 scan; they were a third of decoding)."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR)


def _frame_count(image: Image.Image, kind: str, limits: DocumentLimits) -> int:
    """Pages in an image file: every frame of a TIFF; only the first of anything else
    (an animated WebP or a JPEG's embedded preview is not a second page)."""
    count = getattr(image, "n_frames", 1) if kind == "tiff" else 1
    if count > limits.max_pages:
        raise TooManyPagesError(f"the TIFF has {count} pages; the limit is {limits.max_pages}")
    return count


def _decode_image(data: bytes, kind: str, limits: DocumentLimits) -> list[DocumentPage]:
    pages: list[DocumentPage] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            count = _frame_count(image, kind, limits)
            for number, frame in enumerate(islice(ImageSequence.Iterator(image), count), start=1):
                _check_pixels(*frame.size, limits)
                frame.load()
                ImageOps.exif_transpose(frame, in_place=True)  # no copy when there is nothing to turn
                pages.append(Page(_to_bgr(frame), number=number))
    except DocumentTooLargeError:
        raise
    # Pillow reports damaged files through many exception types (TypeError for a TIFF
    # whose dimension tag is corrupt, found by the fuzz tests); all mean "cannot decode".
    except (UnidentifiedImageError, OSError, ValueError, TypeError, SyntaxError, EOFError) as error:
        raise UndecodableDocumentError(f"the image cannot be decoded: {error}") from None
    return pages


def load_pages(data: bytes, limits: DocumentLimits, pdf: PdfOptions | None = None) -> list[DocumentPage]:
    """Decode an upload into pages, in order; raises a `DocumentError` subclass saying why not.

    PDF pages with a usable text layer come back as `TextPage` (unless `pdf.text_layer`
    is off); every other page as an image `Page`.
    """
    if not data:
        raise EmptyDocumentError("the uploaded file is empty")
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(f"the file is {len(data):,} bytes; the limit is {limits.max_bytes:,}")
    kind = sniff_type(data)
    if kind == "pdf":
        return load_pdf(data, max_pages=limits.max_pages, max_pixels=limits.max_pixels, options=pdf or PdfOptions())
    if kind in IMAGE_TYPES:
        return _decode_image(data, kind, limits)
    if kind is None:
        raise UnsupportedDocumentTypeError(f"unrecognised file type; send {SUPPORTED_TYPES_TEXT}")
    raise UnsupportedDocumentTypeError(f"{kind.upper()} files are not supported; send {SUPPORTED_TYPES_TEXT}")
