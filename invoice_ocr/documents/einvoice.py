"""Read structured e-invoices (bare XML, or the XML a hybrid PDF embeds) into neutral dataclasses.

Supported syntaxes, told apart by the root element's namespace and name:

- ``CII``: UN/CEFACT Cross Industry Invoice D16B (root ``CrossIndustryInvoice``), as used by
  Factur-X 1.0, ZUGFeRD 2.x and XRechnung in CII syntax; and the older ZUGFeRD 1.x
  ``CrossIndustryDocument`` (namespace ``urn:ferd:CrossIndustryDocument:invoice:1p0``), which has
  the same data under other element names.
- ``UBL``: OASIS UBL 2.1 ``Invoice`` and ``CreditNote`` (XRechnung UBL, Peppol BIS Billing 3.0).

The profile is a short stable name derived from the guideline (CII
``GuidelineSpecifiedDocumentContextParameter/ID``, UBL ``CustomizationID``): ``MINIMUM``,
``BASIC WL``, ``BASIC``, ``EN 16931``, ``EXTENDED`` (Factur-X 1.0 / ZUGFeRD 2.x), ``XRECHNUNG``,
``PEPPOL BIS 3``, ``ZUGFERD 1 BASIC``, ``ZUGFERD 1 COMFORT``, ``ZUGFERD 1 EXTENDED``; ``UNKNOWN``
when the guideline is absent or not one of these.

Field sources (EN 16931 business terms): subtotal is the tax basis (BT-109: CII
``TaxBasisTotalAmount``, falling back to ``LineTotalAmount`` which ZUGFeRD 1 BASIC files carry
alone; UBL ``TaxExclusiveAmount``, falling back to ``LineExtensionAmount``), tax is the tax total
in the invoice currency (BT-110), total the grand total (BT-112: ``GrandTotalAmount`` /
``TaxInclusiveAmount``), amount_due the amount payable (BT-115: ``DuePayableAmount`` /
``PayableAmount``). Amounts are kept with the sign the XML prints.

The parser is hardened: the size is checked before parsing, and any DTD, entity declaration or
external reference is refused by defusedxml before anything is expanded or fetched. Only the
standard library and defusedxml are used.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import defusedxml
import defusedxml.ElementTree as DET

from invoice_ocr.documents.errors import (
    DocumentTooLargeError,
    MalformedXmlError,
    NotAnEInvoiceError,
    UnsafeXmlError,
)
from invoice_ocr.einvoice_data import EInvoice, EInvoiceLine, EInvoiceParty

__all__ = ["EInvoice", "EInvoiceLine", "EInvoiceParty", "looks_like_xml", "parse_einvoice"]


# --- namespaces -------------------------------------------------------------------------------

_CII_ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
_ZF1_ROOT = "{urn:ferd:CrossIndustryDocument:invoice:1p0}CrossIndustryDocument"
_UBL_INVOICE_ROOT = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
_UBL_CREDIT_NOTE_ROOT = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"

# Children are matched by local name within the namespaces the syntax defines, so the prefixes a
# producer picks never matter, the CII data-type versions (ZUGFeRD 1 uses ram ...:12 / udt ...:15,
# D16B uses ...:100) both work, and same-named elements of foreign extensions are not mistaken.
_CII_NAMESPACES = frozenset(
    {
        "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
        "urn:ferd:CrossIndustryDocument:invoice:1p0",
        "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
        "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
        "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
        "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
        "urn:un:unece:uncefact:data:standard:QualifiedDataType:12",
        "urn:un:unece:uncefact:data:standard:QualifiedDataType:10",
    }
)
_UBL_NAMESPACES = frozenset(
    {
        "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    }
)

# UNTDID 1001 codes EN 16931 allows for credit notes; everything else (380, 384 corrected,
# 389 self-billed, 751, ...) is an invoice.
_CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})

_CENT = Decimal("0.01")
_NO_ITEM = (None, None, None, None)
_MAX_ROOT_NAME = 40
_MAX_MAGNITUDE = 30  # decimal digits either side of the point


# --- public API -------------------------------------------------------------------------------


def looks_like_xml(data: bytes) -> bool:
    """Whether the upload starts like an XML document (so it is not an image or a PDF).

    A cheap sniff, not validation: after an optional UTF-8 or UTF-16 byte-order mark and white
    space, the bytes must start with ``<?xml``, a comment, a non-HTML ``<!DOCTYPE``, or ``<`` and
    a name character.
    """
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        text = head[2:].decode(encoding, errors="ignore")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    text = text.lstrip(" \t\r\n")
    if text.startswith(("<?xml", "<!--")):
        return True
    if text[:9].upper() == "<!DOCTYPE":
        # A DOCTYPE-first upload is XML (refused later as unsafe), unless it is an HTML page.
        return text[9:].lstrip()[:4].lower() != "html"
    return len(text) >= 2 and text[0] == "<" and (text[1].isalpha() or text[1] in "_:")


def parse_einvoice(data: bytes, *, max_bytes: int) -> EInvoice:
    """Parse a UBL 2.1 or CII e-invoice; raises a DocumentError subclass when it cannot."""
    if len(data) > max_bytes:
        raise DocumentTooLargeError(f"the XML is {len(data):,} bytes; the limit is {max_bytes:,}")
    root = _parse_safely(data)
    if root.tag in (_CII_ROOT, _ZF1_ROOT):
        return _CiiReader(root).read()
    if root.tag in (_UBL_INVOICE_ROOT, _UBL_CREDIT_NOTE_ROOT):
        return _UblReader(root).read()
    raise NotAnEInvoiceError(
        f"the XML (root element <{_root_name(root.tag)}>) is not an e-invoice; "
        "send a UBL 2.1 Invoice or CreditNote, or a CII (Factur-X / ZUGFeRD / XRechnung) invoice"
    )


# --- parsing ----------------------------------------------------------------------------------


def _parse_safely(data: bytes) -> ET.Element:
    # An invoice never needs a DTD: refusing every one stops XXE, billion laughs and parameter
    # entities at the DOCTYPE, before expat expands or fetches anything.
    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise UnsafeXmlError("the XML declares a DTD (DOCTYPE), which e-invoices must not contain") from None
    except defusedxml.EntitiesForbidden:
        raise UnsafeXmlError("the XML declares entities, which e-invoices must not contain") from None
    except defusedxml.ExternalReferenceForbidden:
        raise UnsafeXmlError("the XML refers to external resources, which e-invoices must not do") from None
    except defusedxml.DefusedXmlException:
        raise UnsafeXmlError("the XML uses constructs that are not allowed in e-invoices") from None
    except ET.ParseError as error:
        line, column = error.position
        raise MalformedXmlError(f"the XML is not well-formed (line {line}, column {column})") from None
    except (LookupError, ValueError):
        # An unknown or impossible encoding declaration ends up here rather than in ParseError.
        raise MalformedXmlError("the XML cannot be decoded: unknown or invalid encoding") from None


def _root_name(tag: str) -> str:
    """The root's local name, cut short: the only part of the document an error may echo."""
    name = tag.rpartition("}")[2]
    return name if len(name) <= _MAX_ROOT_NAME else name[:_MAX_ROOT_NAME] + "..."


# --- value normalisation ----------------------------------------------------------------------


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    # "1E+999999" is nine bytes but a million digits once written out: refuse magnitudes no
    # invoice has, so that formatting can never blow a small document up.
    if not value.is_finite() or (value and abs(value.adjusted()) > _MAX_MAGNITUDE):
        return None
    return value


def _money(text: str | None) -> str | None:
    value = _decimal(text)
    if value is None:
        return None
    try:
        return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))
    except InvalidOperation:  # more digits than the context's precision can quantize
        return None


def _unit_price(text: str | None) -> str | None:
    """Trailing zeros dropped down to two decimals ("9.9000" -> "9.90"); significant further
    decimals are kept, since unit prices may legitimately have them (0.1234 EUR per kWh)."""
    value = _decimal(text)
    if value is None:
        return None
    normalized = value.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{normalized:f}"
    return _money(text)


def _quantity(text: str | None) -> str | None:
    value = _decimal(text)
    if value is None:
        return None
    return f"{value.normalize():f}"


# CII format 102 is YYYYMMDD; UBL's xsd:date is YYYY-MM-DD with an optional time zone.
_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:Z|[+-]\d{2}:\d{2})?")


def _iso_date(text: str | None) -> str | None:
    """The ISO day of a CII or UBL date, or None when it is not a real calendar day."""
    if text is None:
        return None
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _join(parts: list[str | None]) -> str | None:
    present = [part for part in parts if part]
    return ", ".join(present) if present else None


# --- profiles ---------------------------------------------------------------------------------

_ZUGFERD1 = re.compile(r"urn:ferd:(?:crossindustrydocument:)?invoice:(?:1p0|rc):(basic|comfort|extended)")
_FACTUR_X = re.compile(r"urn:(?:factur-x\.eu|zugferd\.de):[12]p0:(minimum|basicwl|basic|en16931|comfort|extended)\b")
_FACTUR_X_NAMES = {
    "minimum": "MINIMUM",
    "basicwl": "BASIC WL",
    "basic": "BASIC",
    "en16931": "EN 16931",
    "comfort": "EN 16931",
    "extended": "EXTENDED",
}


def _profile(guideline: str | None) -> str:
    if not guideline:
        return "UNKNOWN"
    urn = guideline.strip().lower()
    if "xrechnung" in urn:  # xrechnung_1.2 ... _3.0, also the KoSIT extension
        return "XRECHNUNG"
    if "peppol.eu:2017:poacc:billing" in urn:
        return "PEPPOL BIS 3"
    if match := _ZUGFERD1.fullmatch(urn):
        return f"ZUGFERD 1 {match[1].upper()}"
    if match := _FACTUR_X.search(urn):
        return _FACTUR_X_NAMES[match[1]]
    if urn == "urn:cen.eu:en16931:2017":  # Factur-X / ZUGFeRD 2 EN 16931 ("Comfort") and plain EN 16931
        return "EN 16931"
    return "UNKNOWN"


# --- element lookup ---------------------------------------------------------------------------


class _Reader:
    """Namespace-aware child lookup by local-name paths, restricted to one syntax's namespaces."""

    namespaces: frozenset[str] = frozenset()

    def __init__(self, root: ET.Element) -> None:
        self.root = root

    def _matches(self, element: ET.Element, name: str) -> bool:
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith("{"):
            return False
        namespace, _, local = tag[1:].partition("}")
        return local == name and namespace in self.namespaces

    def all(self, element: ET.Element | None, *path: str) -> Iterator[ET.Element]:
        """Every element reached from `element` along `path` (local names, one per level)."""
        if element is None:
            return
        if not path:
            yield element
            return
        for child in element:
            if self._matches(child, path[0]):
                yield from self.all(child, *path[1:])

    def _any_of(self, element: ET.Element | None, *names: str) -> Iterator[ET.Element]:
        for name in names:
            yield from self.all(element, name)

    def find(self, element: ET.Element | None, *path: str) -> ET.Element | None:
        return next(self.all(element, *path), None)

    def text(self, element: ET.Element | None, *path: str) -> str | None:
        """The stripped text of the first non-empty match; inner line breaks are kept as printed."""
        for found in self.all(element, *path):
            if found.text and found.text.strip():
                return found.text.strip()
        return None

    def amount_in(self, element: ET.Element | None, name: str, currency: str | None) -> str | None:
        """The amount named `name`, preferring the one in `currency`: when the tax currency
        differs from the invoice currency, the tax total appears once per currency."""
        found = [e for e in self.all(element, name) if e.text and e.text.strip()]
        # Element truthiness is its child count, so candidates are compared with None explicitly.
        for wanted in (lambda e: bool(currency) and e.get("currencyID") == currency, lambda e: not e.get("currencyID")):
            chosen = next((e for e in found if wanted(e)), None)
            if chosen is not None:
                return _money(chosen.text)
        return _money(found[0].text) if found else None


# --- CII --------------------------------------------------------------------------------------


class _CiiReader(_Reader):
    namespaces = _CII_NAMESPACES

    def __init__(self, root: ET.Element) -> None:
        super().__init__(root)
        # ZUGFeRD 1.x names its containers differently; the leaves are the same.
        zf1 = root.tag == _ZF1_ROOT
        self.context = self.find(root, "SpecifiedExchangedDocumentContext" if zf1 else "ExchangedDocumentContext")
        self.document = self.find(root, "HeaderExchangedDocument" if zf1 else "ExchangedDocument")
        trade = self.find(root, "SpecifiedSupplyChainTradeTransaction" if zf1 else "SupplyChainTradeTransaction")
        self.trade = trade
        self.agreement = self.find(
            trade, "ApplicableSupplyChainTradeAgreement" if zf1 else "ApplicableHeaderTradeAgreement"
        )
        self.settlement = self.find(
            trade, "ApplicableSupplyChainTradeSettlement" if zf1 else "ApplicableHeaderTradeSettlement"
        )
        self.summation = self.find(
            self.settlement,
            "SpecifiedTradeSettlementMonetarySummation" if zf1 else "SpecifiedTradeSettlementHeaderMonetarySummation",
        )
        self.zf1 = zf1

    def read(self) -> EInvoice:
        guideline = self.text(self.context, "GuidelineSpecifiedDocumentContextParameter", "ID")
        type_code = self.text(self.document, "TypeCode")
        currency = self.text(self.settlement, "InvoiceCurrencyCode")
        summation = self.summation
        return EInvoice(
            syntax="CII",
            profile=_profile(guideline),
            guideline=guideline,
            document_type="credit_note" if type_code in _CREDIT_NOTE_CODES else "invoice",
            type_code=type_code,
            invoice_number=self.text(self.document, "ID"),
            invoice_date=self._date(self.find(self.document, "IssueDateTime")),
            due_date=self._due_date(),
            currency=currency,
            subtotal=self.amount_in(summation, "TaxBasisTotalAmount", currency)
            or self.amount_in(summation, "LineTotalAmount", currency),
            tax=self.amount_in(summation, "TaxTotalAmount", currency),
            total=self.amount_in(summation, "GrandTotalAmount", currency),
            amount_due=self.amount_in(summation, "DuePayableAmount", currency),
            seller=self._party(self.find(self.agreement, "SellerTradeParty")),
            buyer=self._party(self.find(self.agreement, "BuyerTradeParty")),
            lines=self._lines(),
            line_total=self.amount_in(summation, "LineTotalAmount", currency),
        )

    def _date(self, holder: ET.Element | None) -> str | None:
        """A ``udt:DateTimeString``: format 102 (YYYYMMDD) is a day; 610 (month) and 616 (week)
        name no single day, so they give None rather than a made-up date."""
        element = self.find(holder, "DateTimeString")
        if element is None or element.get("format", "102") != "102":
            return None
        return _iso_date(element.text)

    def _due_date(self) -> str | None:
        # Several payment terms (instalments, discount tiers) may each carry a due date: the first wins.
        for terms in self.all(self.settlement, "SpecifiedTradePaymentTerms"):
            if found := self._date(self.find(terms, "DueDateDateTime")):
                return found
        return None

    def _party(self, party: ET.Element | None) -> EInvoiceParty:
        address = self.find(party, "PostalTradeAddress")
        city = " ".join(p for p in (self.text(address, "PostcodeCode"), self.text(address, "CityName")) if p)
        return EInvoiceParty(
            name=self.text(party, "Name"),
            address=_join(
                [
                    self.text(address, "LineOne"),
                    self.text(address, "LineTwo"),
                    self.text(address, "LineThree"),
                    city or None,
                    self.text(address, "CountryID"),
                ]
            ),
            vat_id=self._vat_id(party),
            email=self._email(party),
        )

    def _vat_id(self, party: ET.Element | None) -> str | None:
        # schemeID "VA" is the VAT identifier; "FC" is the national tax number, not a VAT id.
        for element in self.all(party, "SpecifiedTaxRegistration", "ID"):
            if element.get("schemeID") == "VA" and element.text and element.text.strip():
                return element.text.strip()
        return None

    def _email(self, party: ET.Element | None) -> str | None:
        # The party's electronic address (BT-34/BT-49) when it is an e-mail, else the contact's e-mail.
        for element in self.all(party, "URIUniversalCommunication", "URIID"):
            if element.get("schemeID") == "EM" and element.text and element.text.strip():
                return element.text.strip()
        return self.text(party, "DefinedTradeContact", "EmailURIUniversalCommunication", "URIID")

    def _lines(self) -> tuple[EInvoiceLine, ...]:
        lines = (self._line(item) for item in self.all(self.trade, "IncludedSupplyChainTradeLineItem"))
        # ZUGFeRD 1 EXTENDED allows pure text lines (a note, no product, quantity or amount): not items.
        return tuple(
            line for line in lines if (line.description, line.quantity, line.unit_price, line.amount) != _NO_ITEM
        )

    def _line(self, item: ET.Element) -> EInvoiceLine:
        zf1 = self.zf1
        agreement = self.find(item, "SpecifiedSupplyChainTradeAgreement" if zf1 else "SpecifiedLineTradeAgreement")
        delivery = self.find(item, "SpecifiedSupplyChainTradeDelivery" if zf1 else "SpecifiedLineTradeDelivery")
        settlement = self.find(item, "SpecifiedSupplyChainTradeSettlement" if zf1 else "SpecifiedLineTradeSettlement")
        summation = self.find(
            settlement,
            "SpecifiedTradeSettlementMonetarySummation" if zf1 else "SpecifiedTradeSettlementLineMonetarySummation",
        )
        quantity = self.find(delivery, "BilledQuantity")
        return EInvoiceLine(
            description=self.text(item, "SpecifiedTradeProduct", "Name"),
            quantity=_quantity(quantity.text) if quantity is not None else None,
            # The net price (BT-146) is what the line amount is computed from; the gross price is
            # only there when a discount applies to the price itself.
            unit_price=_unit_price(
                self.text(agreement, "NetPriceProductTradePrice", "ChargeAmount")
                or self.text(agreement, "GrossPriceProductTradePrice", "ChargeAmount")
            ),
            amount=_money(self.text(summation, "LineTotalAmount")),
            line_id=self.text(item, "AssociatedDocumentLineDocument", "LineID"),
            unit_code=quantity.get("unitCode") if quantity is not None else None,
        )


# --- UBL --------------------------------------------------------------------------------------


class _UblReader(_Reader):
    namespaces = _UBL_NAMESPACES

    def read(self) -> EInvoice:
        root = self.root
        credit_note = root.tag == _UBL_CREDIT_NOTE_ROOT
        guideline = self.text(root, "CustomizationID")
        type_code = self.text(root, "CreditNoteTypeCode" if credit_note else "InvoiceTypeCode")
        currency = self.text(root, "DocumentCurrencyCode")
        totals = self.find(root, "LegalMonetaryTotal")
        return EInvoice(
            syntax="UBL",
            profile=_profile(guideline),
            guideline=guideline,
            document_type="credit_note" if credit_note or type_code in _CREDIT_NOTE_CODES else "invoice",
            type_code=type_code,
            invoice_number=self.text(root, "ID"),
            invoice_date=_iso_date(self.text(root, "IssueDate")),
            # cbc:DueDate is Invoice-only in UBL 2.1; a CreditNote states it per payment means.
            due_date=_iso_date(self.text(root, "DueDate") or self.text(root, "PaymentMeans", "PaymentDueDate")),
            currency=currency,
            subtotal=self.amount_in(totals, "TaxExclusiveAmount", currency)
            or self.amount_in(totals, "LineExtensionAmount", currency),
            tax=self._tax(currency),
            total=self.amount_in(totals, "TaxInclusiveAmount", currency),
            amount_due=self.amount_in(totals, "PayableAmount", currency),
            seller=self._party(self.find(root, "AccountingSupplierParty", "Party")),
            buyer=self._party(self.find(root, "AccountingCustomerParty", "Party")),
            lines=tuple(
                self._line(line) for line in self.all(root, "CreditNoteLine" if credit_note else "InvoiceLine")
            ),
            line_total=self.amount_in(totals, "LineExtensionAmount", currency),
        )

    def _tax(self, currency: str | None) -> str | None:
        # A second cac:TaxTotal carries the total in the tax currency (BT-111) when it differs.
        amounts = [(e.get("currencyID"), e.text) for e in self.all(self.root, "TaxTotal", "TaxAmount") if e.text]
        for code, text in amounts:
            if currency and code == currency:
                return _money(text)
        return _money(amounts[0][1]) if amounts else None

    def _party(self, party: ET.Element | None) -> EInvoiceParty:
        address = self.find(party, "PostalAddress")
        city = " ".join(p for p in (self.text(address, "PostalZone"), self.text(address, "CityName")) if p)
        return EInvoiceParty(
            # The legal name (BT-27/BT-44) is the party's name; the trading name is the fallback.
            name=self.text(party, "PartyLegalEntity", "RegistrationName") or self.text(party, "PartyName", "Name"),
            address=_join(
                [
                    self.text(address, "StreetName"),
                    self.text(address, "AdditionalStreetName"),
                    self.text(address, "AddressLine", "Line"),
                    city or None,
                    self.text(address, "Country", "IdentificationCode"),
                ]
            ),
            vat_id=self._vat_id(party),
            email=self._email(party),
        )

    def _vat_id(self, party: ET.Element | None) -> str | None:
        for scheme in self.all(party, "PartyTaxScheme"):
            if self.text(scheme, "TaxScheme", "ID") == "VAT":
                return self.text(scheme, "CompanyID")
        return None

    def _email(self, party: ET.Element | None) -> str | None:
        for element in self.all(party, "EndpointID"):
            if element.get("schemeID") == "EM" and element.text and element.text.strip():
                return element.text.strip()
        return self.text(party, "Contact", "ElectronicMail")

    def _line(self, line: ET.Element) -> EInvoiceLine:
        quantity = next(self._any_of(line, "InvoicedQuantity", "CreditedQuantity"), None)
        return EInvoiceLine(
            description=self.text(line, "Item", "Name") or self.text(line, "Item", "Description"),
            quantity=_quantity(quantity.text) if quantity is not None else None,
            unit_price=_unit_price(self.text(line, "Price", "PriceAmount")),
            amount=_money(self.text(line, "LineExtensionAmount")),
            line_id=self.text(line, "ID"),
            unit_code=quantity.get("unitCode") if quantity is not None else None,
        )
