"""Upload bytes to pages: type sniffing, decoding (images, multi-page TIFF, PDF), limits."""

from invoice_ocr.documents.errors import (
    CorruptPdfError,
    DocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    MalformedXmlError,
    NotAnEInvoiceError,
    TooManyCharactersError,
    TooManyPagesError,
    UndecodableDocumentError,
    UnsafeXmlError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.documents.loader import DocumentLimits, FoundEInvoice, load_einvoice, load_pages
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
    "FoundEInvoice",
    "MalformedXmlError",
    "NotAnEInvoiceError",
    "Page",
    "PdfOptions",
    "TextPage",
    "TooManyCharactersError",
    "TooManyPagesError",
    "UndecodableDocumentError",
    "UnsafeXmlError",
    "UnsupportedDocumentTypeError",
    "load_einvoice",
    "load_pages",
]
