"""Arithmetic and consistency checks over an extraction's values.

They report, they do not repair: a failed check tells the client which numbers disagree
(an OCR misread, a missed item row, or an invoice that really does not add up).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from invoice_ocr.extraction.results import Check, ExtractedValue, InvoiceExtraction
from invoice_ocr.extraction.totals import TOLERANCE

# How far each printed line amount may be from its exact value (rounding to the cent).
ROUNDING_PER_ITEM = Decimal("0.005")


@dataclass(frozen=True, slots=True)
class Adjustments:
    """What lies between subtotal + tax and the total on the page: the sum of its rounding,
    discount and shipping lines, and whether the tax is one the amounts include."""

    amount: Decimal = Decimal(0)
    tax_included: bool = False


def _number(value: ExtractedValue | None) -> Decimal | None:
    return Decimal(value.normalized) if value is not None and value.normalized is not None else None


def _compare(name: str, left: Decimal, right: Decimal, description: str) -> Check:
    passed = abs(left - right) <= TOLERANCE
    verdict = "=" if passed else "≠"
    return Check(name, "passed" if passed else "failed", f"{description}: {left} {verdict} {right}")


def _items_misread(extraction: InvoiceExtraction) -> bool:
    """Whether the item table itself is doubtful: some row's quantity × unit price is not
    its amount, so a column was taken for another (a quantity column titled "Amount")."""
    complete = [item for item in extraction.line_items if item.quantity and item.unit_price and item.amount]
    return any(
        abs(_number(item.quantity) * _number(item.unit_price) - _number(item.amount)) > TOLERANCE for item in complete
    )


def _items_sum_check(extraction: InvoiceExtraction, items_total: Decimal | None) -> Check:
    """The items add up to the stated sum of lines, else to the subtotal, or, with prices
    that include tax, to the total. Each printed amount may be rounded by half a cent, so
    the sum may be off by that much per item."""
    name = "line_items_sum_to_subtotal"
    amounts = [_number(item.amount) for item in extraction.line_items]
    if not amounts or any(amount is None for amount in amounts):
        return Check(name, "not_applicable", "no line items with amounts")
    if _items_misread(extraction):
        return Check(name, "not_applicable", "the item table is doubtful: quantity × unit price ≠ amount in a row")
    items_sum = sum(amounts)
    tolerance = TOLERANCE + ROUNDING_PER_ITEM * len(amounts)
    targets = [
        (value, description)
        for value, description in (
            (items_total, "stated sum of lines"),
            (_number(extraction.fields["subtotal"]), "subtotal"),
            (_number(extraction.fields["total"]), "total"),
            (_total_less_tax(extraction), "total less tax (no subtotal printed)"),
        )
        if value is not None
    ]
    if not targets:
        return Check(name, "not_applicable", "neither subtotal nor total found")
    for value, description in targets:
        if abs(items_sum - value) <= tolerance:
            return Check(name, "passed", f"sum of line item amounts = {description}: {items_sum} = {value}")
    value, description = targets[0]
    return Check(name, "failed", f"sum of line item amounts vs {description}: {items_sum} ≠ {value}")


def _total_less_tax(extraction: InvoiceExtraction) -> Decimal | None:
    """What the items add up to when no subtotal is printed: the total less its tax."""
    total, tax = _number(extraction.fields["total"]), _number(extraction.fields["tax"])
    if extraction.fields["subtotal"] is not None or total is None or tax is None:
        return None
    return total - tax


def _sum_check(extraction: InvoiceExtraction, adjustments: Adjustments) -> Check:
    name = "subtotal_plus_tax_equals_total"
    subtotal, tax, total = (_number(extraction.fields[key]) for key in ("subtotal", "tax", "total"))
    if subtotal is None or total is None:
        return Check(name, "not_applicable", "subtotal or total missing")
    if adjustments.tax_included:
        return _compare(name, subtotal + adjustments.amount, total, "subtotal (tax included) vs total")
    description = "subtotal + tax vs total"
    if adjustments.amount:
        description = f"subtotal + tax + adjustments ({adjustments.amount}) vs total"
    return _compare(name, subtotal + (tax or Decimal(0)) + adjustments.amount, total, description)


def _item_products_check(extraction: InvoiceExtraction) -> Check:
    name = "line_item_quantity_times_unit_price"
    complete = [item for item in extraction.line_items if item.quantity and item.unit_price and item.amount]
    if not complete:
        return Check(name, "not_applicable", "no line item with quantity, unit price and amount")
    wrong = [
        index
        for index, item in enumerate(complete, start=1)
        if abs(_number(item.quantity) * _number(item.unit_price) - _number(item.amount)) > TOLERANCE
    ]
    if wrong:
        return Check(name, "failed", f"quantity × unit price ≠ amount in item(s) {wrong}")
    return Check(name, "passed", f"quantity × unit price = amount in all {len(complete)} complete item(s)")


def _payment_check(extraction: InvoiceExtraction, payment_total: Decimal | None) -> Check:
    name = "payment_minus_change_equals_total"
    if payment_total is None:
        return Check(name, "not_applicable", "no payment lines matching the total")
    return Check(name, "passed", f"paid - change = {payment_total}")


def _due_after_issue_check(extraction: InvoiceExtraction) -> Check:
    name = "due_date_not_before_invoice_date"
    issued, due = extraction.fields["invoice_date"], extraction.fields["due_date"]
    if not (issued and due and issued.normalized and due.normalized):
        return Check(name, "not_applicable", "invoice date or due date missing")
    passed = due.normalized >= issued.normalized
    return Check(name, "passed" if passed else "failed", f"due {due.normalized}, issued {issued.normalized}")


def run_checks(
    extraction: InvoiceExtraction,
    payment_total: Decimal | None = None,
    items_total: Decimal | None = None,
    adjustments: Adjustments | None = None,
) -> list[Check]:
    """All checks, in a fixed order; `payment_total` is what paid - change came to, if the
    payment lines matched the chosen total; `items_total` is the sum of the lines where
    the document states it apart from the subtotal (an e-invoice's line total, before
    document-level charges and allowances); `adjustments` what the page prints between
    subtotal + tax and the total."""
    return [
        _items_sum_check(extraction, items_total),
        _sum_check(extraction, adjustments or Adjustments()),
        _item_products_check(extraction),
        _payment_check(extraction, payment_total),
        _due_after_issue_check(extraction),
    ]
