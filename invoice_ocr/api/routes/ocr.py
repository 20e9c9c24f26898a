"""`POST /ocr/`: an uploaded document in, its text lines with boxes out."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from invoice_ocr.api.convert import ocr_response
from invoice_ocr.api.schemas import OcrResponse
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.api.uploads import (
    ERROR_RESPONSES,
    FORMAT_RESPONSES,
    ForceOcr,
    OutputFormat,
    UploadField,
    Words,
    checked_format,
    read_upload,
    recognize_cached,
    rendered_response,
)

router = APIRouter(tags=["ocr"])


@router.post(
    "/ocr/",
    response_model=OcrResponse,
    responses={**FORMAT_RESPONSES, **ERROR_RESPONSES},
    summary="Read the text of an invoice (image, multi-page TIFF or PDF)",
)
async def ocr(
    file: UploadField,
    state: Annotated[ServiceState, Depends(get_state)],
    response: Response,
    force_ocr: ForceOcr = False,
    words: Words = False,
    fmt: OutputFormat = "json",
) -> OcrResponse | Response:
    """Every text line of the uploaded document with its confidence and 4-point box
    (with `words=true`, its words too), plus the whole text in reading order; or, with
    `format`, the same as plain text, hOCR or a searchable PDF. The file type is decided
    by its content. A document seen before with the same `force_ocr` is answered from
    the result cache (`X-Cache: hit`), whatever the format."""
    started = time.perf_counter()
    fmt = checked_format(fmt)
    data = await read_upload(file, state)
    pages = await recognize_cached(data, state, response, force_ocr=force_ocr)
    if fmt != "json":
        return await rendered_response(data, pages, fmt, state, response)
    return ocr_response(pages, state.engine_info, (time.perf_counter() - started) * 1000, words=words)


# `curl -F` does not follow redirects, so the slash-less path is answered directly.
router.add_api_route("/ocr", ocr, methods=["POST"], response_model=OcrResponse, include_in_schema=False)
