"""`POST /invoice/`: an uploaded invoice or receipt in, typed fields, line items and
arithmetic checks out, with the OCR pages as evidence."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from invoice_ocr.api.convert import invoice_response
from invoice_ocr.api.schemas import InvoiceResponse
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.api.uploads import (
    ERROR_RESPONSES,
    ForceOcr,
    UploadField,
    answer_cached,
    read_invoice_document,
    read_upload,
)

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
    `POST /ocr/`, PDFs included, plus e-invoices: a Factur-X / ZUGFeRD / XRechnung PDF is
    read from its embedded XML (`source: "einvoice"`, confidence 1, its pages still
    returned as evidence), and a bare UBL 2.1 or CII XML upload likewise (no pages)."""
    started = time.perf_counter()
    data = await read_upload(file, state)

    async def read_invoice() -> InvoiceResponse:
        invoice = await read_invoice_document(data, state, force_ocr=force_ocr)
        return invoice_response(invoice, state.engine_info, (time.perf_counter() - started) * 1000)

    return await answer_cached("invoice", data, force_ocr, state, response, started, read_invoice)


router.add_api_route("/invoice", invoice, methods=["POST"], response_model=InvoiceResponse, include_in_schema=False)
