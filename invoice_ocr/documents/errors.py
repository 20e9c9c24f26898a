"""Why an upload cannot be turned into pages. The API maps each kind to a status code."""


class DocumentError(ValueError):
    """Base class; `code` is the stable machine-readable error code clients see."""

    code = "invalid_document"


class EmptyDocumentError(DocumentError):
    code = "empty_file"


class UndecodableDocumentError(DocumentError):
    code = "undecodable_file"


class DocumentTooLargeError(DocumentError):
    code = "too_large"


class UnsupportedDocumentTypeError(DocumentError):
    code = "unsupported_media_type"
