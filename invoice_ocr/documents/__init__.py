"""Upload bytes to pages: type sniffing, decoding (images, multi-page TIFF, PDF), limits."""

from invoice_ocr.documents.errors import (
    CorruptPdfError,
    DecodeMemoryError,
    DecodeTimeoutError,
    DocumentError,
    DocumentPixelsTooLargeError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    MalformedXmlError,
    NotAnEInvoiceError,
    PageAspectRatioError,
    PageSideTooLongError,
    TooManyCharactersError,
    TooManyPagesError,
    UndecodableDocumentError,
    UnsafeXmlError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.documents.loader import DocumentLimits, FoundEInvoice, count_pages, load_einvoice, load_pages
from invoice_ocr.documents.pages import DocumentPage, Page, TextPage
from invoice_ocr.documents.pdf import PageBudget, PdfOptions

__all__ = [
    "CorruptPdfError",
    "DecodeMemoryError",
    "DecodeTimeoutError",
    "DocumentError",
    "DocumentLimits",
    "DocumentPage",
    "DocumentPixelsTooLargeError",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "FoundEInvoice",
    "MalformedXmlError",
    "NotAnEInvoiceError",
    "Page",
    "PageAspectRatioError",
    "PageBudget",
    "PageSideTooLongError",
    "PdfOptions",
    "TextPage",
    "TooManyCharactersError",
    "TooManyPagesError",
    "UndecodableDocumentError",
    "UnsafeXmlError",
    "UnsupportedDocumentTypeError",
    "count_pages",
    "load_einvoice",
    "load_pages",
]
