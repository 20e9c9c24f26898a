"""`POST /ocr/`: an uploaded document in, its text lines with boxes out."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from invoice_ocr.api.convert import ocr_response
from invoice_ocr.api.schemas import OcrResponse
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.api.uploads import (
    ERROR_RESPONSES,
    ForceOcr,
    UploadField,
    answer_cached,
    read_upload,
    recognize_document,
)

router = APIRouter(tags=["ocr"])


@router.post(
    "/ocr/",
    response_model=OcrResponse,
    responses=ERROR_RESPONSES,
    summary="Read the text of an invoice (image, multi-page TIFF or PDF)",
)
async def ocr(
    file: UploadField,
    state: Annotated[ServiceState, Depends(get_state)],
    response: Response,
    force_ocr: ForceOcr = False,
) -> OcrResponse | JSONResponse:
    """Every text line of the uploaded document with its confidence and 4-point box,
    plus the whole text in reading order. The file type is decided by its content.
    A document seen before with the same options is answered from the result cache
    (`X-Cache: hit`)."""
    started = time.perf_counter()
    data = await read_upload(file, state)

    async def read_document() -> OcrResponse:
        pages = await recognize_document(data, state, force_ocr=force_ocr)
        return ocr_response(pages, state.engine_info, (time.perf_counter() - started) * 1000)

    return await answer_cached("ocr", data, force_ocr, state, response, started, read_document)


# `curl -F` does not follow redirects, so the slash-less path is answered directly.
router.add_api_route("/ocr", ocr, methods=["POST"], response_model=OcrResponse, include_in_schema=False)
