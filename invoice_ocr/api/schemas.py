"""Wire models: every request and response body the API speaks.

Kept apart from the engine's dataclasses so the JSON contract (the seed's field names
included) can change only here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

BoundingBox = list[list[int]]


class WordResult(BaseModel):
    """One word of a line (`words=true`)."""

    text: str = Field(examples=["Invoice"])
    confidence: float = Field(ge=0, le=1, examples=[0.993])
    bounding_box: BoundingBox = Field(
        description="Four [x, y] integer points in page pixels, as the line's `bounding_box`.",
        examples=[[[100, 50], [190, 50], [190, 80], [100, 80]]],
    )


class TextResult(BaseModel):
    """One recognised text line (seed-compatible: `text`, `confidence`, `bounding_box`)."""

    text: str = Field(examples=["Invoice #12345"])
    confidence: float = Field(ge=0, le=1, examples=[0.987])
    bounding_box: BoundingBox = Field(
        description="Four [x, y] integer points, clockwise from top-left, in page pixels.",
        examples=[[[100, 50], [300, 50], [300, 80], [100, 80]]],
    )
    page: int = Field(1, ge=1, description="1-based page number this line is on.")
    words: list[WordResult] | None = Field(
        None,
        description="With `words=true`: the line's words in reading order; their texts joined by single "
        "spaces are the line's `text`. Absent otherwise.",
        exclude_if=lambda words: words is None,
    )


class PageResult(BaseModel):
    """The lines of one page."""

    page: int = Field(ge=1)
    width: int
    height: int
    rotation: int = Field(0, description="Clockwise degrees the page was turned to read it upright.")
    source: Literal["ocr", "pdf-text"] = "ocr"
    results: list[TextResult]
    text: str = Field(description="The page's lines in reading order, one per line.")


class OcrResponse(BaseModel):
    """`POST /ocr/`: the seed's fields plus timing, size, model and reading-order text."""

    success: bool = True
    device: str = Field(examples=["cpu"])
    model: str = Field(examples=["pp-ocrv6-tiny"])
    engine: str = Field(examples=["openvino"])
    results: list[TextResult] = Field(description="Every line of every page, in reading order.")
    total_text_regions: int
    text: str = Field(description="All lines in reading order (top-to-bottom, left-to-right).")
    width: int = Field(description="Width of the first page, pixels.")
    height: int = Field(description="Height of the first page, pixels.")
    pages: list[PageResult]
    processing_time_ms: float


class HealthResponse(BaseModel):
    """`GET /health`: the seed's fields plus engine, model, device and queue state."""

    status: Literal["healthy", "starting", "unhealthy"]
    service: str
    version: str
    paddleocr_initialized: bool
    paddle_available: bool
    cuda_available: bool
    current_device: str
    using_gpu: bool
    ocr_ready: bool
    message: str
    engine: str
    model: str
    precision: str | None = Field(
        None,
        description="Numeric precision of the text recogniser: `bf16` (the `openvino` engine on a CPU with bf16) "
        "or `f32`; detection always runs f32. Null when the engine does not say.",
    )
    device_requested: str
    device_fallback_reason: str | None = Field(
        None, description="Why the GPU was not used when `device` is `auto`, else null."
    )
    queue_depth: int
    queue_size: int


class ErrorDetail(BaseModel):
    code: str = Field(examples=["unsupported_media_type"])
    message: str


class ErrorResponse(BaseModel):
    """The one error envelope every endpoint uses."""

    success: Literal[False] = False
    error: ErrorDetail


class FieldValue(BaseModel):
    """One extracted value with its evidence."""

    value: str = Field(description="As printed.", examples=["1.234,56 €"])
    normalized: str | None = Field(
        description="ISO date `YYYY-MM-DD`, decimal string `1234.56` or ISO 4217 code; null for free text.",
        examples=["1234.56"],
    )
    confidence: float = Field(
        ge=0, le=1, description="How sure the extractor is (OCR confidence included); 1 for e-invoice XML values."
    )
    page: int | None = Field(ge=1, description="The page it is printed on; null when it is not found on any page.")
    bounding_box: BoundingBox | None = Field(description="Where the value is printed, page pixels.")
    source: Literal["layout", "einvoice"] = Field(
        "layout",
        description="`layout`: read from the page's text and layout; `einvoice`: stated by the document's "
        "e-invoice XML (Factur-X / ZUGFeRD / XRechnung attachment, or a bare UBL / CII upload).",
    )


class InvoiceFields(BaseModel):
    """Header fields; each is null when missing or ambiguous (never a confident guess)."""

    invoice_number: FieldValue | None = None
    invoice_date: FieldValue | None = None
    due_date: FieldValue | None = None
    vendor_name: FieldValue | None = None
    vendor_address: FieldValue | None = None
    customer_name: FieldValue | None = None
    currency: FieldValue | None = None
    subtotal: FieldValue | None = None
    tax: FieldValue | None = None
    total: FieldValue | None = None


class LineItemResult(BaseModel):
    description: FieldValue | None = None
    quantity: FieldValue | None = None
    unit_price: FieldValue | None = None
    amount: FieldValue | None = None


class CheckResult(BaseModel):
    """An arithmetic consistency check: route `failed` invoices to a human."""

    name: str = Field(examples=["subtotal_plus_tax_equals_total"])
    status: Literal["passed", "failed", "not_applicable"]
    detail: str


class EInvoiceInfo(BaseModel):
    """Which e-invoice XML the fields were read from."""

    syntax: Literal["CII", "UBL"] = Field(
        description="`CII`: UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD 1.x/2.x, XRechnung CII); "
        "`UBL`: OASIS UBL 2.1 (XRechnung UBL, Peppol BIS)."
    )
    profile: str = Field(
        description="`MINIMUM`, `BASIC WL`, `BASIC`, `EN 16931`, `EXTENDED`, `XRECHNUNG`, `PEPPOL BIS 3`, "
        "`ZUGFERD 1 BASIC|COMFORT|EXTENDED`, or `UNKNOWN`.",
        examples=["EN 16931"],
    )
    guideline: str | None = Field(
        description="The guideline / customization id exactly as the XML states it.",
        examples=["urn:cen.eu:en16931:2017"],
    )
    document_type: Literal["invoice", "credit_note"]
    type_code: str | None = Field(description="UNTDID 1001 document type code (380 invoice, 381 credit note, ...).")
    embedded: bool = Field(description="True when the XML came from a PDF attachment, false for a bare XML upload.")


class InvoiceResponse(BaseModel):
    """`POST /invoice/`: typed invoice fields, line items and checks, with the OCR evidence."""

    success: bool = True
    fields: InvoiceFields
    line_items: list[LineItemResult]
    checks: list[CheckResult]
    einvoice: EInvoiceInfo | None = Field(
        None, description="The e-invoice XML the fields come from; null when they were read from the pages."
    )
    device: str
    model: str
    engine: str
    text: str = Field(description="All lines in reading order, as in `POST /ocr/`.")
    pages: list[PageResult] = Field(description="The OCR pages, as in `POST /ocr/`.")
    processing_time_ms: float


class _BatchFileOutcome(BaseModel):
    filename: str = Field(examples=["invoice-0042.pdf"])
    success: bool
    status: int = Field(description="The HTTP status the single-file endpoint would have answered for this file.")
    error: ErrorDetail | None = Field(None, description="Why the file failed, when it did.")


class BatchFileResult(_BatchFileOutcome):
    """One file of `POST /ocr/batch`: its OCR result, or why it could not be read."""

    result: OcrResponse | None = Field(None, description="The file's result (as from `POST /ocr/`) when it succeeded.")


class InvoiceBatchFileResult(_BatchFileOutcome):
    """One file of `POST /invoice/batch`: its invoice result, or why it could not be read."""

    result: InvoiceResponse | None = Field(
        None, description="The file's result (as from `POST /invoice/`) when it succeeded."
    )


class _BatchSummary(BaseModel):
    success: bool = Field(True, description="The batch was processed; see each file's own `success`.")
    total_files: int
    succeeded: int
    failed: int
    processing_time_ms: float


class BatchResponse(_BatchSummary):
    """`POST /ocr/batch`: one entry per uploaded file, in upload order."""

    files: list[BatchFileResult]


class InvoiceBatchResponse(_BatchSummary):
    """`POST /invoice/batch`: one entry per uploaded file, in upload order."""

    files: list[InvoiceBatchFileResult]


JobStateName = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class JobAccepted(BaseModel):
    """`POST /jobs`: the job is stored and queued (`202`, `Location: /jobs/{job_id}`)."""

    success: bool = True
    job_id: str = Field(examples=["3f2c9a6e0b7d4e1f8a5c2b9d6e3f0a1b"])
    status: JobStateName = "queued"
    position: int | None = Field(description="Queued jobs ahead of this one (0: next); null once it runs.")
    pages_total: int = Field(description="Pages the job reads (those of `pages`, else all).")


class WebhookDelivery(BaseModel):
    """Where the job's webhook to `callback_url` stands."""

    state: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None = Field(description="HTTP status of the last attempt; null after a network error.")
    last_error: str | None
    last_attempt_at: datetime | None


class JobStatusResponse(BaseModel):
    """`GET /jobs/{job_id}`: a job's state and progress."""

    success: bool = True
    job_id: str
    kind: Literal["ocr", "invoice"]
    status: JobStateName
    position: int | None = Field(description="Queued jobs ahead of this one while it is queued, else null.")
    pages_total: int
    pages_done: int
    force_ocr: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="When a finished job's result and data are deleted.")
    cancel_requested: bool = Field(description="`DELETE` was asked while it ran: it stops at its next page.")
    error: ErrorDetail | None = Field(description="Why the job failed (the error envelope's code and message).")
    callback_url: str | None
    webhook: WebhookDelivery | None = Field(description="The webhook's delivery, when a `callback_url` was given.")


class JobWebhook(BaseModel):
    """The body POSTed to a job's `callback_url` when it finishes (signed: `X-Signature`)."""

    event: Literal["job.finished"] = "job.finished"
    sent_at: int = Field(description="Unix seconds when this attempt was sent: refuse old ones (replays).")
    job: JobStatusResponse
