"""Invoice fields from an e-invoice's XML, with the visible pages as evidence.

The XML states the invoice exactly, so its values are taken as they are (confidence 1,
`source: "einvoice"`). The pages still matter: each value is looked for on them so the
response can show where it is printed, and the `einvoice_total_printed` check tells
whether the total the XML states is printed on the visible invoice at all; a hybrid
invoice whose XML and page disagree is exactly one a person should look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from invoice_ocr.einvoice_data import EInvoice, EInvoiceLine
from invoice_ocr.extraction.amounts import find_amounts
from invoice_ocr.extraction.checks import run_checks
from invoice_ocr.extraction.dates import find_dates
from invoice_ocr.extraction.layout import in_reading_order, span_polygon
from invoice_ocr.extraction.results import Check, ExtractedValue, InvoiceExtraction, LineItem, PageLines
from invoice_ocr.page import Polygon

TOTAL_PRINTED_CHECK = "einvoice_total_printed"
# Finds (start, end) spans of a value in a line's text.
SpanFinder = Callable[[str], Iterator[tuple[int, int]]]


class _Pages:
    """The visible pages' lines in reading order, searched for the XML's values."""

    def __init__(self, pages: Sequence[PageLines]) -> None:
        self.lines = [(page.page, line) for page in pages for line in in_reading_order(page.lines)]

    def locate(self, find: SpanFinder, last: bool = False) -> tuple[int, Polygon] | None:
        """Where a value is printed: its first occurrence (the last for totals, which
        follow the subtotals and item amounts that may repeat them)."""
        found = None
        for page, line in self.lines:
            for start, end in find(line.text):
                found = (page, span_polygon(line, start, end))
                if not last:
                    return found
        return found


def _text_spans(value: str) -> SpanFinder:
    folded = value.casefold()

    def find(text: str) -> Iterator[tuple[int, int]]:
        start = text.casefold().find(folded)
        if start >= 0:
            yield start, start + len(value)

    return find


def _amount_spans(value: str) -> SpanFinder:
    # The sign is left out: a credit note prints "-19.90", "19.90-" or "19.90" under a
    # heading that says it is a credit.
    wanted = abs(Decimal(value))

    def find(text: str) -> Iterator[tuple[int, int]]:
        yield from ((match.start, match.end) for match in find_amounts(text) if abs(match.value) == wanted)

    return find


def _date_spans(value: str) -> SpanFinder:
    wanted = dt.date.fromisoformat(value)

    def find(text: str) -> Iterator[tuple[int, int]]:
        matches = find_dates(text, day_first=True) + find_dates(text, day_first=False)
        yield from sorted({(match.start, match.end) for match in matches if match.value == wanted})

    return find


def _field(
    pages: _Pages,
    value: str | None,
    *,
    find: Callable[[str], SpanFinder] | None = None,
    normalized: bool = False,
    last: bool = False,
) -> ExtractedValue | None:
    """An XML value as a field: normalised when the XML's form is the normal one (dates,
    amounts, currency codes), located on the pages when `find` can look for it."""
    if value is None:
        return None
    located = pages.locate(find(value), last) if find else None
    page, polygon = located if located else (None, None)
    return ExtractedValue(value, value if normalized else None, 1.0, page, polygon, source="einvoice")


def _line_item(line: EInvoiceLine) -> LineItem:
    unlocated = _Pages([])
    return LineItem(
        _field(unlocated, line.description),
        _field(unlocated, line.quantity, normalized=True),
        _field(unlocated, line.unit_price, normalized=True),
        _field(unlocated, line.amount, normalized=True),
    )


def _total_printed_check(total: ExtractedValue | None, pages: Sequence[PageLines]) -> Check:
    if total is None:
        return Check(TOTAL_PRINTED_CHECK, "not_applicable", "the XML states no total")
    if not any(page.lines for page in pages):
        return Check(TOTAL_PRINTED_CHECK, "not_applicable", "no visible page to compare with (a bare XML upload)")
    if total.page is None:
        return Check(
            TOTAL_PRINTED_CHECK,
            "failed",
            f"the XML total {total.normalized} is printed on no page: the XML and the visible invoice disagree",
        )
    return Check(TOTAL_PRINTED_CHECK, "passed", f"the XML total {total.normalized} is printed on page {total.page}")


def extract_einvoice(einvoice: EInvoice, pages: Sequence[PageLines]) -> InvoiceExtraction:
    """The e-invoice's fields and line items, located on `pages` where printed, and checks."""
    visible = _Pages(pages)
    result = InvoiceExtraction()
    result.fields.update(
        invoice_number=_field(visible, einvoice.invoice_number, find=_text_spans),
        invoice_date=_field(visible, einvoice.invoice_date, find=_date_spans, normalized=True),
        due_date=_field(visible, einvoice.due_date, find=_date_spans, normalized=True),
        vendor_name=_field(visible, einvoice.seller.name, find=_text_spans),
        vendor_address=_field(visible, einvoice.seller.address),
        customer_name=_field(visible, einvoice.buyer.name, find=_text_spans),
        currency=_field(visible, einvoice.currency, normalized=True),
        subtotal=_field(visible, einvoice.subtotal, find=_amount_spans, normalized=True),
        tax=_field(visible, einvoice.tax, find=_amount_spans, normalized=True, last=True),
        total=_field(visible, einvoice.total, find=_amount_spans, normalized=True, last=True),
    )
    result.line_items = [_line_item(line) for line in einvoice.lines]
    line_total = Decimal(einvoice.line_total) if einvoice.line_total else None
    result.checks = [*run_checks(result, items_total=line_total), _total_printed_check(result.fields["total"], pages)]
    return result
