"""Upload bytes to pages: type sniffing, decoding (images, multi-page TIFF, PDF), limits."""

from invoice_ocr.documents.errors import (
    CorruptPdfError,
    DocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    TooManyPagesError,
    UndecodableDocumentError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.documents.loader import DocumentLimits, load_pages
from invoice_ocr.documents.pages import DocumentPage, Page, TextPage
from invoice_ocr.documents.pdf import PdfOptions

__all__ = [
    "CorruptPdfError",
    "DocumentError",
    "DocumentLimits",
    "DocumentPage",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "Page",
    "PdfOptions",
    "TextPage",
    "TooManyPagesError",
    "UndecodableDocumentError",
    "UnsupportedDocumentTypeError",
    "load_pages",
]
