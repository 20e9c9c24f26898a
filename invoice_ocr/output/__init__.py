"""Recognised pages → documents in other formats: plain text, hOCR, searchable PDF.

One entry point for every caller (the API's `format=`, `invoice-ocr scan --format`, a
job's result): `render(document, pages, fmt)`. JSON is not here: it is the API's own
schema (api/schemas.py), built by api/convert.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from invoice_ocr.output.hocr import hocr
from invoice_ocr.output.pdf import searchable_pdf
from invoice_ocr.output.text import plain_text

if TYPE_CHECKING:
    from invoice_ocr.pipeline import RecognizedPage


class Rendered(NamedTuple):
    body: bytes
    media_type: str


class Format(NamedTuple):
    media_type: str
    extension: str
    write: Callable[[bytes, Sequence[RecognizedPage]], bytes]


FORMATS: dict[str, Format] = {
    "txt": Format("text/plain; charset=utf-8", "txt", lambda _document, pages: plain_text(pages)),
    "hocr": Format("application/xhtml+xml; charset=utf-8", "hocr", lambda _document, pages: hocr(pages)),
    "pdf": Format("application/pdf", "pdf", searchable_pdf),
}


def render(document: bytes, pages: Sequence[RecognizedPage], fmt: str) -> Rendered:
    """`pages` (the pipeline's `RecognizedPage`s of `document`, in order) in format `fmt`.

    - `document`: the uploaded bytes the pages were read from (the PDF keeps its pages;
      other formats ignore it).
    - `fmt`: a key of `FORMATS`: `txt`, `hocr` or `pdf`; anything else raises KeyError.
    - Returns the body and its media type.

    Pure and synchronous; the PDF parses `document` again (qpdf), so the API runs it in
    the decode sandbox (`pipeline.render_document`).
    """
    kind = FORMATS[fmt]
    return Rendered(kind.write(document, pages), kind.media_type)
