"""Why an upload cannot be turned into pages. The API maps each kind to a status code
(api/errors.py): empty or undecodable 400, too large 413, unsupported type 415,
password-protected 422."""


class DocumentError(ValueError):
    """Base class; `code` is the stable machine-readable error code clients see."""

    code = "invalid_document"


class EmptyDocumentError(DocumentError):
    code = "empty_file"


class UndecodableDocumentError(DocumentError):
    code = "undecodable_file"


class CorruptPdfError(UndecodableDocumentError):
    """The bytes start like a PDF but PDFium cannot open it (truncated, damaged, no pages)."""

    code = "corrupt_pdf"


class EncryptedDocumentError(DocumentError):
    """The PDF needs a password to open. Answered 422, not 400: the file is intact and
    understood, it just cannot be processed as sent (remove the password and retry)."""

    code = "encrypted_pdf"


class DocumentTooLargeError(DocumentError):
    code = "too_large"


class TooManyPagesError(DocumentTooLargeError):
    """More pages than `max_pages`; counted before any page is rendered or decoded."""

    code = "too_many_pages"


class UnsupportedDocumentTypeError(DocumentError):
    code = "unsupported_media_type"


class TooManyCharactersError(DocumentTooLargeError):
    """A PDF page's text layer holds more characters than `max_page_chars`; counted before
    any character is read, so a text bomb costs one PDFium call."""

    code = "too_many_characters"


class MalformedXmlError(UndecodableDocumentError):
    """The bytes start like XML but are not well-formed."""

    code = "malformed_xml"


class UnsafeXmlError(UndecodableDocumentError):
    """The XML declares a DTD, entities or external references: an invoice never needs
    them and they are how XXE and entity-expansion bombs work, so they are refused unread."""

    code = "unsafe_xml"


class NotAnEInvoiceError(DocumentError):
    """Well-formed XML that is neither a UBL 2.1 Invoice/CreditNote nor a CII invoice.
    Answered 422: the file is intact, but it is not a document this service reads."""

    code = "not_an_einvoice"


class PageSideTooLongError(DocumentTooLargeError):
    """A page side longer than `max_page_side`, read from the image header or the PDF page
    box before any pixel exists: a 3000000×1 PNG is a few hundred bytes and a few GB decoded."""

    code = "page_side_too_long"


class PageAspectRatioError(DocumentTooLargeError):
    """A page longer than `max_aspect_ratio` times its width (or the reverse): no invoice is
    shaped like that, and every resize step would turn its long side into gigabytes."""

    code = "aspect_ratio_too_large"


class DocumentPixelsTooLargeError(DocumentTooLargeError):
    """All pages together would exceed `max_document_pixels`; summed from the headers or the
    PDF page boxes at their render scale, before the first page is decoded or rendered."""

    code = "document_too_many_pixels"


class DecodeMemoryError(DocumentTooLargeError):
    """Decoding needed more memory than the sandbox's worker process may have
    (`decode_memory_mb`), or crashed the process trying: a decompression bomb. The process
    was replaced; the server never held the decoded data."""

    code = "decode_memory_exceeded"


class DecodeTimeoutError(DocumentError):
    """Decoding took longer than `decode_timeout_s`; its worker process was killed and
    replaced. Answered 504, like a request past its deadline."""

    code = "timeout"
