"""`POST /invoice/`: an uploaded invoice or receipt in, typed fields, line items and
arithmetic checks out, with the OCR pages as evidence."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from invoice_ocr.api.convert import invoice_response, page_lines
from invoice_ocr.api.routes.ocr import (
    ERROR_RESPONSES,
    ForceOcr,
    UploadField,
    answer_cached,
    read_upload,
    recognize_document,
)
from invoice_ocr.api.schemas import InvoiceResponse
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.extraction.invoice import extract_invoice

router = APIRouter(tags=["invoice"])


@router.post(
    "/invoice/",
    response_model=InvoiceResponse,
    responses=ERROR_RESPONSES,
    summary="Extract invoice fields, line items and checks",
)
async def invoice(
    file: UploadField,
    state: Annotated[ServiceState, Depends(get_state)],
    response: Response,
    force_ocr: ForceOcr = False,
) -> InvoiceResponse | JSONResponse:
    """Invoice number, dates, vendor, customer, currency, subtotal, tax and total (each
    null when missing or ambiguous), the item table, and `checks` telling whether the
    amounts add up, so doubtful invoices can be routed to a human. Same inputs as
    `POST /ocr/`, PDFs included."""
    started = time.perf_counter()
    data = await read_upload(file, state)

    async def read_invoice() -> InvoiceResponse:
        pages = await recognize_document(data, state, force_ocr=force_ocr)
        extraction = await asyncio.to_thread(extract_invoice, [page_lines(page) for page in pages])
        return invoice_response(pages, extraction, state.engine_info, (time.perf_counter() - started) * 1000)

    return await answer_cached("invoice", data, force_ocr, state, response, started, read_invoice)


router.add_api_route("/invoice", invoice, methods=["POST"], response_model=InvoiceResponse, include_in_schema=False)
