"""Engine results → wire schemas (the only place that knows both)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from invoice_ocr.api.schemas import (
    CheckResult,
    EInvoiceInfo,
    ErrorDetail,
    FieldValue,
    InvoiceFields,
    InvoiceResponse,
    JobStatusResponse,
    JobWebhook,
    LineItemResult,
    OcrResponse,
    PageResult,
    TextResult,
    WebhookDelivery,
    WordResult,
)
from invoice_ocr.documents import FoundEInvoice
from invoice_ocr.engine.base import EngineInfo
from invoice_ocr.extraction.layout import in_reading_order, reading_order_text
from invoice_ocr.extraction.results import ExtractedValue
from invoice_ocr.jobs.models import JobRecord
from invoice_ocr.page import OcrLine, line_to_uploaded, line_words, point_to_uploaded, uploaded_size
from invoice_ocr.pipeline import RecognizedInvoice, RecognizedPage


def text_result(line: OcrLine, page: int, words: bool = False) -> TextResult:
    return TextResult(
        text=line.text,
        confidence=round(line.confidence, 4),
        bounding_box=[[x, y] for x, y in line.polygon],
        page=page,
        words=[
            WordResult(
                text=word.text, confidence=round(word.confidence, 4), bounding_box=[[x, y] for x, y in word.polygon]
            )
            for word in line_words(line)
        ]
        if words
        else None,
    )


def page_result(page: RecognizedPage, words: bool = False) -> PageResult:
    # Reading order is found on the upright page, where rows run left to right.
    ordered = in_reading_order(page.ocr.lines)
    width, height = uploaded_size(page.ocr.width, page.ocr.height, page.rotation)
    return PageResult(
        page=page.number,
        width=width,
        height=height,
        rotation=page.rotation,
        source=page.source,
        results=[
            text_result(line_to_uploaded(line, page.rotation, page.ocr.width, page.ocr.height), page.number, words)
            for line in ordered
        ],
        text=reading_order_text(ordered),
    )


def ocr_response(
    pages: list[RecognizedPage], info: EngineInfo, elapsed_ms: float, *, words: bool = False
) -> OcrResponse:
    """`POST /ocr/`'s body; `words` adds each line's words."""
    page_results = [page_result(page, words) for page in pages]
    results = [result for page in page_results for result in page.results]
    return OcrResponse(
        device=info.device,
        model=info.model,
        engine=info.engine,
        results=results,
        total_text_regions=len(results),
        text="\n\n".join(page.text for page in page_results),
        width=page_results[0].width if page_results else 0,
        height=page_results[0].height if page_results else 0,
        pages=page_results,
        processing_time_ms=round(elapsed_ms, 1),
    )


def field_value(value: ExtractedValue | None, pages: dict[int, RecognizedPage]) -> FieldValue | None:
    """An extracted value on the wire, its box mapped onto the page as uploaded."""
    if value is None:
        return None
    box = None
    if value.polygon:
        page = pages[value.page]
        box = [
            list(point_to_uploaded(point, page.rotation, page.ocr.width, page.ocr.height)) for point in value.polygon
        ]
    return FieldValue(
        value=value.value,
        normalized=value.normalized,
        confidence=round(value.confidence, 4),
        page=value.page,
        bounding_box=box,
        source=value.source,
    )


def einvoice_info(found: FoundEInvoice) -> EInvoiceInfo:
    einvoice = found.einvoice
    return EInvoiceInfo(
        syntax=einvoice.syntax,
        profile=einvoice.profile,
        guideline=einvoice.guideline,
        document_type=einvoice.document_type,
        type_code=einvoice.type_code,
        embedded=found.embedded,
    )


def invoice_response(invoice: RecognizedInvoice, info: EngineInfo, elapsed_ms: float) -> InvoiceResponse:
    pages, extraction = invoice.pages, invoice.extraction
    ocr = ocr_response(pages, info, elapsed_ms)
    by_number = {page.number: page for page in pages}
    return InvoiceResponse(
        fields=InvoiceFields(**{name: field_value(value, by_number) for name, value in extraction.fields.items()}),
        line_items=[
            LineItemResult(
                description=field_value(item.description, by_number),
                quantity=field_value(item.quantity, by_number),
                unit_price=field_value(item.unit_price, by_number),
                amount=field_value(item.amount, by_number),
            )
            for item in extraction.line_items
        ],
        checks=[CheckResult(name=check.name, status=check.status, detail=check.detail) for check in extraction.checks],
        einvoice=einvoice_info(invoice.einvoice) if invoice.einvoice else None,
        device=info.device,
        model=info.model,
        engine=info.engine,
        text=ocr.text,
        pages=ocr.pages,
        processing_time_ms=round(elapsed_ms, 1),
    )


def _moment(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def job_status(record: JobRecord, position: int | None) -> JobStatusResponse:
    webhook = record.webhook
    return JobStatusResponse(
        job_id=record.id,
        kind=record.kind,
        status=record.status,
        position=position,
        pages_total=record.pages_total,
        pages_done=record.pages_done,
        force_ocr=record.force_ocr,
        created_at=_moment(record.created_at),
        started_at=_moment(record.started_at),
        finished_at=_moment(record.finished_at),
        expires_at=_moment(record.expires_at),
        cancel_requested=record.cancel_requested,
        error=ErrorDetail(code=record.error.code, message=record.error.message) if record.error else None,
        callback_url=record.callback_url,
        webhook=None
        if webhook is None
        else WebhookDelivery(
            state=webhook.state,
            attempts=webhook.attempts,
            last_status_code=webhook.last_status_code,
            last_error=webhook.last_error,
            last_attempt_at=_moment(webhook.last_attempt_at),
        ),
    )


class JobJson:
    """A job's result and webhook body as the API writes them; the jobs core calls it
    (jobs/runner.py's `JobRenderer`) without knowing the wire format."""

    def __init__(self, info: EngineInfo) -> None:
        self.info = info

    def result(
        self, record: JobRecord, pages: list[RecognizedPage], invoice: RecognizedInvoice | None, elapsed_ms: float
    ) -> bytes:
        """What `POST /invoice/` (with `invoice`) or `POST /ocr/` answers for these pages."""
        if invoice is not None:
            return invoice_response(invoice, self.info, elapsed_ms).model_dump_json().encode()
        return ocr_response(pages, self.info, elapsed_ms).model_dump_json().encode()

    def webhook_body(self, record: JobRecord) -> bytes:
        return JobWebhook(sent_at=int(time.time()), job=job_status(record, None)).model_dump_json().encode()
