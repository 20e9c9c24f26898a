"""Upload bytes → `Page` images (BGR numpy arrays), with every limit checked first.

Image size is read from the header before any pixel is decoded, so a 20000×20000 PNG
of a few kilobytes is refused without allocating its 1.2 GB of pixels.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from invoice_ocr.documents.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    UndecodableDocumentError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.documents.sniff import sniff_type

IMAGE_TYPES = frozenset({"jpeg", "png", "bmp", "tiff", "webp"})
SUPPORTED_TYPES_TEXT = "JPEG, PNG, BMP, TIFF or WebP"

# We enforce our own pixel limit before decoding; Pillow's bomb check would fire later
# and with a different message.
Image.MAX_IMAGE_PIXELS = None


@dataclass(frozen=True)
class DocumentLimits:
    max_bytes: int
    max_pixels: int


@dataclass
class Page:
    """One page to recognise: BGR pixels and its 1-based number in the document."""

    image: np.ndarray
    number: int = 1

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


def _check_pixels(width: int, height: int, limits: DocumentLimits) -> None:
    if width * height > limits.max_pixels:
        raise DocumentTooLargeError(
            f"page is {width}×{height} = {width * height:,} pixels; the limit is {limits.max_pixels:,}"
        )


def _to_bgr(image: Image.Image) -> np.ndarray:
    rgb = np.asarray(image.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _decode_image(data: bytes, limits: DocumentLimits) -> list[Page]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            _check_pixels(*image.size, limits)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except DocumentTooLargeError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise UndecodableDocumentError(f"the image cannot be decoded: {error}") from None
    return [Page(_to_bgr(upright))]


def load_pages(data: bytes, limits: DocumentLimits) -> list[Page]:
    """Decode an upload into pages; raises a `DocumentError` subclass saying why not."""
    if not data:
        raise EmptyDocumentError("the uploaded file is empty")
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(f"the file is {len(data):,} bytes; the limit is {limits.max_bytes:,}")
    kind = sniff_type(data)
    if kind in IMAGE_TYPES:
        return _decode_image(data, limits)
    if kind is None:
        raise UnsupportedDocumentTypeError(f"unrecognised file type; send {SUPPORTED_TYPES_TEXT}")
    raise UnsupportedDocumentTypeError(f"{kind.upper()} files are not supported; send {SUPPORTED_TYPES_TEXT}")
