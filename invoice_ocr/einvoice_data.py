"""The neutral e-invoice data: what `documents/einvoice.py` parses from UBL / CII XML and
`extraction/einvoice.py` turns into invoice fields. Nothing here imports anything of ours.

Amounts are decimal strings as the XML states them, normalised to two decimals (unit
prices keep more when the XML has them); dates are ISO `YYYY-MM-DD`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EInvoiceParty:
    name: str | None
    address: str | None  # one line: street, "postcode city", country code, joined by ", "
    vat_id: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class EInvoiceLine:
    description: str | None
    quantity: str | None  # no trailing zeros ("2", "1.5")
    unit_price: str | None  # at least two decimals, more when the XML has them ("19.90", "0.1234")
    amount: str | None  # line net amount, two decimals
    line_id: str | None = None
    unit_code: str | None = None  # UN/ECE Rec 20 unit ("C62", "HUR")


@dataclass(frozen=True, slots=True)
class EInvoice:
    syntax: str
    profile: str
    guideline: str | None
    document_type: str
    type_code: str | None
    invoice_number: str | None
    invoice_date: str | None
    due_date: str | None
    currency: str | None
    subtotal: str | None
    tax: str | None
    total: str | None
    amount_due: str | None
    seller: EInvoiceParty
    buyer: EInvoiceParty
    lines: tuple[EInvoiceLine, ...]
    line_total: str | None = None  # sum of line net amounts as the XML states it (BT-106)
