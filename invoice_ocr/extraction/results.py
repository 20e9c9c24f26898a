"""The extraction's result types: plain dataclasses, mapped to wire schemas by the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from invoice_ocr.page import OcrLine, Polygon

CheckStatus = Literal["passed", "failed", "not_applicable"]

FIELD_NAMES = (
    "invoice_number",
    "invoice_date",
    "due_date",
    "vendor_name",
    "vendor_address",
    "customer_name",
    "currency",
    "subtotal",
    "tax",
    "total",
)


@dataclass(slots=True)
class PageLines:
    """The OCR lines of one page; `page` counts from 1."""

    page: int
    width: int
    height: int
    lines: list[OcrLine]


ReadFrom = Literal["layout", "einvoice"]


@dataclass(frozen=True, slots=True)
class ExtractedValue:
    """One field's value: as printed (or as the e-invoice XML states it), normalised (ISO
    date, "1234.56", ISO 4217 code or None for free text), a confidence in 0..1, where it
    is printed (None when it is not found on any page), and what it was read from."""

    value: str
    normalized: str | None
    confidence: float
    page: int | None
    polygon: Polygon | None
    source: ReadFrom = "layout"


@dataclass(frozen=True, slots=True)
class LineItem:
    """One row of the item table."""

    description: ExtractedValue | None
    quantity: ExtractedValue | None
    unit_price: ExtractedValue | None
    amount: ExtractedValue | None


@dataclass(frozen=True, slots=True)
class Check:
    """An arithmetic consistency check over the extracted values."""

    name: str
    status: CheckStatus
    detail: str


@dataclass(slots=True)
class InvoiceExtraction:
    """Header fields (None where missing or ambiguous), line items and checks."""

    fields: dict[str, ExtractedValue | None] = field(default_factory=lambda: dict.fromkeys(FIELD_NAMES))
    line_items: list[LineItem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
