"""What every upload endpoint shares: the upload field, its options (`force_ocr`,
`words`, `format`) and its limit, the documented error statuses, running the pipeline
under the request deadline, and the result cache."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import File, Query, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from invoice_ocr import pipeline
from invoice_ocr.api.cache import CACHE_HEADER, cache_key, result_options
from invoice_ocr.api.errors import ApiError
from invoice_ocr.api.request_log import request_context
from invoice_ocr.api.schemas import ErrorResponse
from invoice_ocr.api.state import ServiceState
from invoice_ocr.api.timeouts import processing_deadline, unless_client_leaves
from invoice_ocr.output import FORMATS
from invoice_ocr.pipeline import RecognizedInvoice, RecognizedPage

T = TypeVar("T")
PipelineStep = Callable[[bytes, pipeline.PipelineOptions, pipeline.OcrFunction], Awaitable[T]]

ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "Empty or undecodable file (`corrupt_pdf` for a damaged PDF, `malformed_xml` / `unsafe_xml`), "
        "unparsable multipart body (`invalid_request`) or a repeated auth header (`duplicate_auth_header`)",
        413: "File too large (bytes, pixels, page side, aspect ratio, pages, text-layer characters, decode memory)",
        401: "Missing or wrong API key (when `OCR_API_KEYS` is set)",
        415: "Unsupported file type",
        422: "Missing `file` field, bad parameter (`invalid_format` for an unknown `format`), or "
        "password-protected PDF (`encrypted_pdf`)",
        429: "Rate limited (`OCR_RATE_LIMIT`); retry after `Retry-After` seconds",
        503: "Overloaded or not ready; retry after `Retry-After` seconds",
        504: "Processing took longer than `OCR_REQUEST_TIMEOUT_S`",
    }.items()
}

UploadField = Annotated[
    UploadFile, File(description="The document: PDF, JPEG, PNG, BMP, TIFF (multi-page), WebP or GIF.")
]
ForceOcr = Annotated[bool, Query(description="OCR every PDF page, even those with a usable text layer.")]
Words = Annotated[bool, Query(description="Add each line's words, with their confidences and boxes (JSON only).")]
OUTPUT_FORMATS = ("json", *FORMATS)
OutputFormat = Annotated[
    str,
    Query(
        alias="format",
        description="`json` (default), `txt` (plain text, pages separated by a form feed), `hocr` (XHTML hOCR "
        "with word boxes) or `pdf` (the document as a searchable PDF: its pages with an invisible text layer).",
        json_schema_extra={"enum": list(OUTPUT_FORMATS)},
    ),
]
FORMAT_RESPONSES = {
    200: {
        "description": "The result in the asked `format`",
        "content": {
            FORMATS["txt"].media_type: {"schema": {"type": "string"}},
            FORMATS["hocr"].media_type: {"schema": {"type": "string"}},
            FORMATS["pdf"].media_type: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def checked_format(fmt: str) -> str:
    """The asked output format, refused with 422 `invalid_format` unless it is one we write."""
    if fmt not in OUTPUT_FORMATS:
        raise ApiError(422, "invalid_format", f"format must be one of {', '.join(OUTPUT_FORMATS)}; got {fmt[:40]!r}")
    return fmt


async def read_upload(upload: UploadFile, state: ServiceState, limit: int | None = None) -> bytes:
    """The upload's bytes, refusing (413) anything over the limit (`OCR_MAX_UPLOAD_BYTES`
    unless given) without reading it all."""
    limit = limit or state.settings.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "too_large", f"the file is larger than the {limit:,}-byte limit")
    return data


async def _run_pipeline(step: PipelineStep[T], data: bytes, state: ServiceState, force_ocr: bool) -> T:
    options = pipeline.PipelineOptions.from_settings(state.settings, force_ocr=force_ocr)
    async with processing_deadline(state.settings.request_timeout_s):
        return await unless_client_leaves(step(data, options, state.worker.submit))


async def recognize_document(data: bytes, state: ServiceState, *, force_ocr: bool = False) -> list[RecognizedPage]:
    """Decode (off the event loop) every page of a document; OCR, on the worker, those
    without a usable PDF text layer."""
    pages = await _run_pipeline(pipeline.recognize_document, data, state, force_ocr)
    request_context().pages += len(pages)
    return pages


async def recognize_cached(
    data: bytes, state: ServiceState, response: Response, *, force_ocr: bool = False
) -> list[RecognizedPage]:
    """`recognize_document`, through the result cache when there is one: the pages (words
    included) are what is cached, so every `format` and `words` choice shares one entry."""
    if state.cache is None:
        return await recognize_document(data, state, force_ocr=force_ocr)
    options = {**result_options(state.settings, state.engine_info), "force_ocr": force_ocr}
    key = cache_key("ocr-pages", data, options)
    return await state.cache.pages(key, response, lambda: recognize_document(data, state, force_ocr=force_ocr))


async def rendered_response(
    data: bytes, pages: list[RecognizedPage], fmt: str, state: ServiceState, response: Response
) -> Response:
    """The pages written as `fmt` (not json), under the request deadline, with the cache's
    verdict (a returned `Response` does not get the route's headers by itself)."""
    options = pipeline.PipelineOptions.from_settings(state.settings)
    async with processing_deadline(state.settings.request_timeout_s):
        rendered = await pipeline.render_document(data, pages, fmt, options)
    headers = {CACHE_HEADER: response.headers[CACHE_HEADER]} if CACHE_HEADER in response.headers else None
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


async def read_invoice_document(data: bytes, state: ServiceState, *, force_ocr: bool = False) -> RecognizedInvoice:
    """`recognize_document` plus the invoice fields: from the e-invoice XML when there is one."""
    invoice = await _run_pipeline(pipeline.read_invoice, data, state, force_ocr)
    request_context().pages += len(invoice.pages)
    return invoice


async def answer_cached(
    route: str,
    data: bytes,
    force_ocr: bool,
    state: ServiceState,
    response: Response,
    started: float,
    produce: Callable[[], Awaitable[BaseModel]],
) -> BaseModel | JSONResponse:
    """`produce()`'s answer, from the result cache when the same upload was answered
    with the same options before (`X-Cache: hit`), else computed and stored."""
    if state.cache is None:
        return await produce()
    options = {**result_options(state.settings, state.engine_info), "force_ocr": force_ocr}
    return await state.cache.respond(cache_key(route, data, options), response, started, produce)
