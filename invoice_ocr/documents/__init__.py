"""Upload bytes to page images: type sniffing, decoding, limits."""

from invoice_ocr.documents.errors import (
    DocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    UndecodableDocumentError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.documents.loader import DocumentLimits, Page, load_pages

__all__ = [
    "DocumentError",
    "DocumentLimits",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "Page",
    "UndecodableDocumentError",
    "UnsupportedDocumentTypeError",
    "load_pages",
]
