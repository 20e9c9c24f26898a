"""`POST /ocr/`: an uploaded document in, its text lines with boxes out."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile

from invoice_ocr.api.convert import RecognizedPage, ocr_response
from invoice_ocr.api.errors import ApiError
from invoice_ocr.api.schemas import ErrorResponse, OcrResponse
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.documents import DocumentLimits, load_pages

router = APIRouter(tags=["ocr"])

ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "Empty or undecodable file",
        413: "File too large (bytes or pixels)",
        415: "Unsupported file type",
        422: "Missing `file` field or bad parameter",
        503: "Overloaded or not ready; retry after `Retry-After` seconds",
    }.items()
}

UploadField = Annotated[UploadFile, File(description="The document: JPEG, PNG, BMP, TIFF or WebP.")]


async def read_upload(upload: UploadFile, state: ServiceState) -> bytes:
    """The upload's bytes, refusing (413) anything over the limit without reading it all."""
    limit = state.settings.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "too_large", f"the file is larger than the {limit:,}-byte limit")
    return data


async def recognize_document(data: bytes, state: ServiceState) -> list[RecognizedPage]:
    """Decode (off the event loop) and OCR every page of a document."""
    limits = DocumentLimits(state.settings.max_upload_bytes, state.settings.max_image_pixels)
    pages = await asyncio.to_thread(load_pages, data, limits)
    results = await state.worker.submit([page.image for page in pages])
    return [RecognizedPage(number=page.number, ocr=result) for page, result in zip(pages, results, strict=True)]


@router.post(
    "/ocr/",
    response_model=OcrResponse,
    responses=ERROR_RESPONSES,
    summary="Read the text of an invoice image",
)
async def ocr(file: UploadField, state: Annotated[ServiceState, Depends(get_state)]) -> OcrResponse:
    """Every text line of the uploaded document with its confidence and 4-point box,
    plus the whole text in reading order. The file type is decided by its content."""
    started = time.perf_counter()
    data = await read_upload(file, state)
    pages = await recognize_document(data, state)
    return ocr_response(pages, state.engine_info, (time.perf_counter() - started) * 1000)


# `curl -F` does not follow redirects, so the slash-less path is answered directly.
router.add_api_route("/ocr", ocr, methods=["POST"], response_model=OcrResponse, include_in_schema=False)
