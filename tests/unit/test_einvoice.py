"""E-invoice XML parsing: ground truth of real Factur-X / ZUGFeRD / XRechnung files, line items,
profiles, and hostile or wrong input (XXE, entity bombs, malformed, not an invoice, too large)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from invoice_ocr.documents.einvoice import EInvoice, EInvoiceLine, looks_like_xml, parse_einvoice
from invoice_ocr.documents.errors import (
    DocumentTooLargeError,
    MalformedXmlError,
    NotAnEInvoiceError,
    UnsafeXmlError,
)
from tests.einvoice_samples import UBL_CREDIT_NOTE, UBL_INVOICE

EINVOICE_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "einvoice-dev"
BARE_XML = EINVOICE_DATA / "xml"
NO_DATA = f"e-invoice ground truth not found at {EINVOICE_DATA} (see shared/data/README.md)"
MAX_BYTES = 5_000_000
FIELDS = ("invoice_number", "invoice_date", "due_date", "vendor_name", "customer_name", "currency")
MONEY_FIELDS = ("subtotal", "tax", "total")

# The names under which Factur-X, ZUGFeRD 1/2 and XRechnung embed the invoice. Matched by name,
# not by "first XML attachment": a PDF may carry other XML too (4s4u adds logistics data).
INVOICE_ATTACHMENTS = frozenset({"factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"})

# What each ground-truth file is. Every file in the data folders must be listed, so a new one
# cannot pass with a profile nobody checked.
EXPECTED_PROFILE = {
    "4s4u_additional-data-sample-1.pdf": "ZUGFERD 1 EXTENDED",
    "BASIC_WL_zugferd_2p1_BASIC-WL_Buchungshilfe.pdf": "BASIC WL",
    "BASIC_WL_zugferd_2p1_BASIC-WL_Einfach.pdf": "BASIC WL",
    "BASIC_zugferd_2p1_BASIC_Einfach.pdf": "BASIC",
    "BASIC_zugferd_2p1_BASIC_Rechnungskorrektur.pdf": "BASIC",
    "BASIC_zugferd_2p1_BASIC_Taxifahrt.pdf": "BASIC",
    "EXTENDED_zugferd_2p1_EXTENDED_Fremdwaehrung.pdf": "EXTENDED",
    "EXTENDED_zugferd_2p1_EXTENDED_InnergemeinschLieferungMehrereBestellungen.pdf": "EXTENDED",
    "EXTENDED_zugferd_2p1_EXTENDED_Kostenrechnung.pdf": "EXTENDED",
    "EXTENDED_zugferd_2p1_EXTENDED_Rechnungskorrektur.pdf": "EXTENDED",
    "EXTENDED_zugferd_2p1_EXTENDED_Warenrechnung.pdf": "EXTENDED",
    "Konik_acme_invoice-42_ZUGFeRD.pdf": "ZUGFERD 1 BASIC",
    "MINIMUM_zugferd_2p1_MINIMUM_Buchungshilfe.pdf": "MINIMUM",
    "MINIMUM_zugferd_2p1_MINIMUM_Rechnung.pdf": "MINIMUM",
    "Mustangproject_MustangGnuaccountingBeispielRE-20140703_502.pdf": "ZUGFERD 1 COMFORT",
    "Mustangproject_MustangGnuaccountingBeispielRE-20150613_503.pdf": "ZUGFERD 1 COMFORT",
    "Mustangproject_MustangGnuaccountingBeispielRE-20151008_504.pdf": "ZUGFERD 1 COMFORT",
    "Mustangproject_MustangGnuaccountingBeispielRE-20151008_504new.pdf": "ZUGFERD 1 EXTENDED",
    "Mustangproject_MustangGnuaccountingBeispielRE-20170509_505.pdf": "ZUGFERD 1 EXTENDED",
    "Mustangproject_MustangGnuaccountingBeispielRE-20190610_507.pdf": "EN 16931",
    "Mustangproject_MustangGnuaccountingBeispielRE-20201121_508.pdf": "EN 16931",
    "Mustangproject_MustangGnuaccountingBeispielRE-20201121_508_withBOM.pdf": "EN 16931",
    "PHP__gpFacturX_sample_inofficial_20190125_atgp_factur-x_v_1_0.pdf": "EN 16931",
    "XRECHNUNG_Betriebskostenabrechnung.cii.xml": "XRECHNUNG",
    "XRECHNUNG_Elektron.cii.xml": "XRECHNUNG",
    "not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.cii.xml": "EN 16931",
}
# Files named after their profile (the ZUGFeRD 2.1 reference set, XRechnung's EN 16931 cases).
PROFILE_BY_PREFIX = (("BASIC_WL_", "BASIC WL"), ("BASIC_", "BASIC"), ("MINIMUM_", "MINIMUM"), ("EN16931_", "EN 16931"))

# Early Mustang ZUGFeRD 1 COMFORT files put the gross (tax-inclusive) amount in each line's
# LineTotalAmount; the parser reports what the XML says, so their lines add up to the grand total.
GROSS_LINE_TOTALS = frozenset(
    {
        "Mustangproject_MustangGnuaccountingBeispielRE-20140703_502.pdf",
        "Mustangproject_MustangGnuaccountingBeispielRE-20150613_503.pdf",
    }
)
# ZUGFeRD 1 BASIC lets a line omit its price and amount; Konik's single line does.
LINES_WITHOUT_AMOUNTS = frozenset({"Konik_acme_invoice-42_ZUGFeRD.pdf"})


# --- ground-truth cases -----------------------------------------------------------------------


def embedded_invoice_xml(path: Path) -> bytes:
    """The invoice XML a Factur-X / ZUGFeRD PDF carries as an attachment."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(pdf.count_attachments()):
            attachment = pdf.get_attachment(index)
            if attachment.get_name().lower() in INVOICE_ATTACHMENTS:
                return bytes(attachment.get_data())
    finally:
        pdf.close()
    raise AssertionError(f"{path.name} embeds no invoice XML")


def ground_truth_cases() -> list:
    if not EINVOICE_DATA.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=NO_DATA), id="no-data")]
    cases = [pytest.param(pdf, pdf.with_suffix(".json"), id=pdf.name) for pdf in sorted(EINVOICE_DATA.glob("*.pdf"))]
    cases += [
        pytest.param(xml, xml.with_suffix(".json"), id=f"xml/{xml.name}") for xml in sorted(BARE_XML.glob("*.xml"))
    ]
    return cases


def load_case(source: Path) -> EInvoice:
    data = embedded_invoice_xml(source) if source.suffix == ".pdf" else source.read_bytes()
    return parse_einvoice(data, max_bytes=MAX_BYTES)


def expected_profile(name: str) -> str:
    if name in EXPECTED_PROFILE:
        return EXPECTED_PROFILE[name]
    for prefix, profile in PROFILE_BY_PREFIX:
        if name.startswith(prefix):
            return profile
    raise AssertionError(f"no expected profile listed for {name}")


def require_data() -> None:
    if not EINVOICE_DATA.is_dir():
        pytest.skip(NO_DATA)


def test_ground_truth_is_complete():
    require_data()
    assert len(list(EINVOICE_DATA.glob("*.pdf"))) == 43
    assert len(list(BARE_XML.glob("*.xml"))) == 14


@pytest.mark.parametrize(("source", "truth"), ground_truth_cases())
def test_fields_match_ground_truth(source: Path, truth: Path):
    fields = json.loads(truth.read_text(encoding="utf-8"))["fields"]
    invoice = load_case(source)
    parsed = {
        "invoice_number": invoice.invoice_number,
        "invoice_date": invoice.invoice_date,
        "due_date": invoice.due_date,
        "vendor_name": invoice.seller.name,
        "customer_name": invoice.buyer.name,
        "currency": invoice.currency,
        "subtotal": invoice.subtotal,
        "tax": invoice.tax,
        "total": invoice.total,
    }
    # Absent from the JSON means absent from the XML: the parser must say None, not guess.
    assert parsed == {name: fields.get(name) for name in (*FIELDS, *MONEY_FIELDS)}
    assert invoice.syntax == "CII"
    assert invoice.profile == expected_profile(source.name)
    assert invoice.profile != "UNKNOWN"
    assert invoice.guideline


@pytest.mark.parametrize(("source", "truth"), ground_truth_cases())
def test_line_amounts_add_up_to_the_stated_line_total(source: Path, truth: Path):
    invoice = load_case(source)
    if not invoice.lines:
        assert invoice.profile in {"MINIMUM", "BASIC WL"}  # the only profiles without lines
        return
    if source.name in LINES_WITHOUT_AMOUNTS:
        assert all(line.amount is None for line in invoice.lines)
        return
    assert invoice.line_total is not None
    assert all(line.amount is not None for line in invoice.lines)
    line_sum = sum((Decimal(line.amount) for line in invoice.lines if line.amount), Decimal(0))
    if source.name in GROSS_LINE_TOTALS:
        assert str(line_sum) == invoice.total
    else:
        assert str(line_sum) == invoice.line_total
    assert all(line.description for line in invoice.lines)


def test_cii_line_items_are_exact():
    require_data()
    invoice = parse_einvoice((BARE_XML / "EN16931_Einfach.cii.xml").read_bytes(), max_bytes=MAX_BYTES)
    assert invoice.lines == (
        EInvoiceLine("Trennblätter A4", "20", "9.90", "198.00", line_id="1", unit_code="H87"),
        EInvoiceLine("Joghurt Banane", "50", "5.50", "275.00", line_id="2", unit_code="H87"),
    )
    assert invoice.line_total == "473.00"
    assert invoice.amount_due == "529.87"
    assert invoice.type_code == "380"
    assert invoice.document_type == "invoice"
    assert invoice.seller.address == "Lieferantenstraße 20, 80333 München, DE"
    assert invoice.seller.vat_id == "DE123456789"


def test_cii_correction_keeps_negative_signs():
    require_data()
    invoice = parse_einvoice((BARE_XML / "EN16931_Rechnungskorrektur.cii.xml").read_bytes(), max_bytes=MAX_BYTES)
    assert [(line.description, line.quantity, line.unit_price, line.amount) for line in invoice.lines] == [
        ("Zitronensäure 100ml", "-5", "1.00", "-5.00"),
        ("Gelierzucker Extra 250g", "-2", "1.45", "-2.90"),  # the net price, not the gross 1.50
    ]
    assert (invoice.subtotal, invoice.tax, invoice.total) == ("-7.67", "-1.12", "-8.79")
    assert invoice.type_code == "384"  # a corrected invoice is still an invoice
    assert invoice.document_type == "invoice"


def test_zugferd1_line_without_price_or_amount():
    require_data()
    invoice = load_case(EINVOICE_DATA / "Konik_acme_invoice-42_ZUGFeRD.pdf")
    assert invoice.lines == (EInvoiceLine("Saddle", "1", None, None, unit_code="C62"),)
    assert invoice.subtotal == "100.00"  # no TaxBasisTotalAmount: LineTotalAmount stands in
    assert invoice.seller.vat_id is None  # only a national tax number (schemeID FC)
    assert invoice.due_date is None


def test_tax_is_taken_in_the_invoice_currency():
    require_data()
    invoice = load_case(EINVOICE_DATA / "EXTENDED_zugferd_2p1_EXTENDED_Fremdwaehrung.pdf")
    assert invoice.currency == "GBP"
    assert invoice.tax == "163.16"  # not the 183.14 EUR of the tax currency


def test_prefixes_do_not_matter_but_namespaces_do():
    require_data()
    original = (BARE_XML / "EN16931_Einfach.cii.xml").read_bytes()
    renamed = original.replace(b"ram:", b"r:").replace(b"xmlns:ram=", b"xmlns:r=")
    renamed = renamed.replace(b"rsm:", b"doc:").replace(b"xmlns:rsm=", b"xmlns:doc=")
    assert b"ram:" not in renamed and b"rsm:" not in renamed
    assert parse_einvoice(renamed, max_bytes=MAX_BYTES) == parse_einvoice(original, max_bytes=MAX_BYTES)
    foreign = original.replace(
        b"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100", b"urn:example:other"
    )
    assert parse_einvoice(foreign, max_bytes=MAX_BYTES).invoice_number is None


# --- UBL (no UBL file is in the data folder, so these documents are written here) --------------


def test_ubl_invoice_fields_and_lines():
    invoice = parse_einvoice(UBL_INVOICE.encode(), max_bytes=MAX_BYTES)
    assert (invoice.syntax, invoice.profile, invoice.document_type, invoice.type_code) == (
        "UBL",
        "XRECHNUNG",
        "invoice",
        "380",
    )
    assert invoice.guideline == "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    assert (invoice.invoice_number, invoice.invoice_date, invoice.due_date) == (
        "RE-2024-0815",
        "2024-11-15",
        "2024-12-15",
    )
    assert (invoice.currency, invoice.subtotal, invoice.tax, invoice.total, invoice.amount_due) == (
        "EUR",
        "98.50",
        "18.72",  # the document-currency TaxTotal, not the USD one listed first
        "117.22",
        "100.00",
    )
    assert invoice.seller.name == "Muster GmbH"  # legal name before trading name
    assert invoice.seller.address == "Hauptstraße 1, 10115 Berlin, DE"
    assert (invoice.seller.vat_id, invoice.seller.email) == ("DE123456789", "billing@muster.example")
    assert (invoice.buyer.name, invoice.buyer.email, invoice.buyer.address) == ("Kunde AG", "ap@kunde.example", None)
    assert invoice.lines == (
        EInvoiceLine("USB-C cable", "2", "19.90", "39.80", line_id="1", unit_code="C62"),
        EInvoiceLine("Installation", "1.5", "39.1333", "58.70", line_id="2", unit_code="HUR"),
    )
    assert invoice.line_total == "98.50"
    assert str(sum((Decimal(line.amount) for line in invoice.lines if line.amount), Decimal(0))) == "98.50"


def test_ubl_credit_note():
    invoice = parse_einvoice(UBL_CREDIT_NOTE.encode(), max_bytes=MAX_BYTES)
    assert (invoice.syntax, invoice.profile, invoice.document_type, invoice.type_code) == (
        "UBL",
        "PEPPOL BIS 3",
        "credit_note",
        "381",
    )
    assert (invoice.invoice_number, invoice.invoice_date, invoice.due_date) == ("CN-7", "2024-02-29", "2024-03-10")
    assert (invoice.seller.name, invoice.buyer.name) == ("Muster GmbH", "Kunde AG")
    assert (invoice.subtotal, invoice.tax, invoice.total) == ("10.00", "1.90", "11.90")
    assert invoice.lines == (EInvoiceLine("Returned cable", "1", "10.00", "10.00", line_id="1", unit_code="C62"),)


def test_utf16_with_bom_is_read():
    document = UBL_INVOICE.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert document[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert looks_like_xml(document)
    assert parse_einvoice(document, max_bytes=MAX_BYTES) == parse_einvoice(UBL_INVOICE.encode(), max_bytes=MAX_BYTES)


def test_utf8_bom_is_read():
    assert parse_einvoice(b"\xef\xbb\xbf" + UBL_INVOICE.encode(), max_bytes=MAX_BYTES).invoice_number == "RE-2024-0815"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("100", "100.00"),
        ("0.125", "0.13"),  # half up, not banker's rounding
        ("-0.125", "-0.13"),
        ("1E2", "100.00"),
        (" 42.5 ", "42.50"),
        ("12,50", None),
        ("NaN", None),
        ("Infinity", None),
        ("1E+999999", None),
        ("", None),
    ],
)
def test_money_normalisation(printed: str, expected: str | None):
    document = UBL_INVOICE.replace(
        '<cbc:PayableAmount currencyID="EUR">100<', f'<cbc:PayableAmount currencyID="EUR">{printed}<'
    )
    assert parse_einvoice(document.encode(), max_bytes=MAX_BYTES).amount_due == expected


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("quantity", "price", "expected"),
    [
        ("3.000", "0.12340", ("3", "0.1234")),
        ("0.0000", "2", ("0", "2.00")),
        ("1E+999999", "1E-999999", (None, None)),  # nine bytes must not become a million digits
        ("1E+31", "1E-31", (None, None)),
        ("-1.5", "abc", ("-1.5", None)),
    ],
)
def test_quantity_and_unit_price_normalisation(quantity: str, price: str, expected: tuple[str | None, str | None]):
    document = UBL_INVOICE.replace(">2</cbc:InvoicedQuantity>", f">{quantity}</cbc:InvoicedQuantity>").replace(
        ">19.90</cbc:PriceAmount>", f">{price}</cbc:PriceAmount>"
    )
    line = parse_einvoice(document.encode(), max_bytes=MAX_BYTES).lines[0]
    assert (line.quantity, line.unit_price) == expected


# --- CII details and profiles ------------------------------------------------------------------


def minimal_cii(
    guideline: str = "urn:cen.eu:en16931:2017", type_code: str = "380", issue_date: str = "", settlement: str = ""
) -> bytes:
    issue_date = issue_date or '<udt:DateTimeString format="102">20240229</udt:DateTimeString>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>INV-1</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
    <ram:IssueDateTime>{issue_date}</ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeSettlement>{settlement}</ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()


@pytest.mark.parametrize(
    ("guideline", "profile"),
    [
        ("urn:factur-x.eu:1p0:minimum", "MINIMUM"),
        ("urn:factur-x.eu:1p0:basicwl", "BASIC WL"),
        ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "BASIC"),
        ("urn:cen.eu:en16931:2017", "EN 16931"),
        ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:en16931", "EN 16931"),
        ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "EXTENDED"),
        ("urn:zugferd.de:2p0:minimum", "MINIMUM"),
        ("urn:zugferd.de:2p0:basicwl", "BASIC WL"),
        ("urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic", "BASIC"),
        ("urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended", "EXTENDED"),
        ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", "XRECHNUNG"),
        ("urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.2", "XRECHNUNG"),
        ("urn:cen.eu:en16931:2017#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0", "XRECHNUNG"),
        ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", "PEPPOL BIS 3"),
        ("urn:ferd:CrossIndustryDocument:invoice:1p0:basic", "ZUGFERD 1 BASIC"),
        ("urn:ferd:CrossIndustryDocument:invoice:1p0:comfort", "ZUGFERD 1 COMFORT"),
        ("urn:ferd:CrossIndustryDocument:invoice:1p0:extended", "ZUGFERD 1 EXTENDED"),
        ("urn:ferd:invoice:rc:comfort", "ZUGFERD 1 COMFORT"),
        ("urn:example:my-own-profile", "UNKNOWN"),
        ("urn:cen.eu:en16931:2017#compliant#urn:example:cius", "UNKNOWN"),
    ],
)
def test_profile_names(guideline: str, profile: str):
    invoice = parse_einvoice(minimal_cii(guideline), max_bytes=MAX_BYTES)
    assert (invoice.profile, invoice.guideline) == (profile, guideline)


def test_cii_tax_in_invoice_currency_even_when_listed_second():
    settlement = """<ram:InvoiceCurrencyCode>GBP</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms><ram:Description>Net 30</ram:Description></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20240330</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>100</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">23.40</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="GBP">20.00</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>120</ram:GrandTotalAmount>
        <ram:DuePayableAmount>120.004</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>"""
    invoice = parse_einvoice(minimal_cii(settlement=settlement), max_bytes=MAX_BYTES)
    assert (invoice.currency, invoice.subtotal, invoice.tax, invoice.total, invoice.amount_due) == (
        "GBP",
        "100.00",
        "20.00",
        "120.00",
        "120.00",
    )
    assert invoice.due_date == "2024-03-30"  # from the payment terms that have one


def test_cii_credit_note_type_code():
    invoice = parse_einvoice(minimal_cii(type_code="381"), max_bytes=MAX_BYTES)
    assert (invoice.document_type, invoice.type_code) == ("credit_note", "381")


def test_minimal_cii_has_empty_parties_and_no_lines():
    invoice = parse_einvoice(minimal_cii(), max_bytes=MAX_BYTES)
    assert (invoice.invoice_number, invoice.invoice_date, invoice.currency, invoice.total) == (
        "INV-1",
        "2024-02-29",
        None,
        None,
    )
    assert invoice.seller.name is None and invoice.buyer.address is None
    assert invoice.lines == ()


@pytest.mark.parametrize(
    "issue_date",
    [
        '<udt:DateTimeString format="610">202402</udt:DateTimeString>',  # a month, not a day
        '<udt:DateTimeString format="616">20240229</udt:DateTimeString>',  # says "week": not trusted as a day
        '<udt:DateTimeString format="102">20240230</udt:DateTimeString>',  # no such day
        '<udt:DateTimeString format="102">yesterday</udt:DateTimeString>',
    ],
)
def test_cii_dates_that_name_no_day_are_none(issue_date: str):
    assert parse_einvoice(minimal_cii(issue_date=issue_date), max_bytes=MAX_BYTES).invoice_date is None


# --- hostile and wrong input -------------------------------------------------------------------

XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
LAUGHS = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
BILLION_LAUGHS = f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(LAUGHS)}]><lolz>&lol9;</lolz>'.encode()
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://example.invalid/invoice.dtd"><Invoice/>'
PARAMETER_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]><x/>'
)
INTERNAL_ENTITY_IN_INVOICE = (
    b'<!DOCTYPE Invoice [<!ENTITY n "RE-1">]>' + UBL_INVOICE.split("?>", 1)[1].replace("RE-2024-0815", "&n;").encode()
)


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "document",
    [
        pytest.param(XXE, id="xxe"),
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(EXTERNAL_DTD, id="external-dtd"),
        pytest.param(PARAMETER_ENTITY, id="parameter-entity"),
        pytest.param(INTERNAL_ENTITY_IN_INVOICE, id="internal-entity"),
        pytest.param(XXE.decode().encode("utf-16"), id="xxe-utf16"),
    ],
)
def test_dtds_and_entities_are_refused_before_expansion(document: bytes):
    with pytest.raises(UnsafeXmlError) as caught:
        parse_einvoice(document, max_bytes=MAX_BYTES)
    assert_clean_message(str(caught.value))
    assert "passwd" not in str(caught.value) and "lol" not in str(caught.value)


def test_billion_laughs_is_the_real_thing():
    # The bomb above must be well-formed and nested 9 deep, or refusing it would prove nothing.
    assert BILLION_LAUGHS.count(b"<!ENTITY") == 10
    assert b'<!ENTITY lol9 "&lol8;&lol8;' in BILLION_LAUGHS


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(b"<Invoice><cbc:ID>1</Invoice>", id="unbound-prefix"),
        pytest.param(b"<a><b></a>", id="mismatched-tag"),
        pytest.param(UBL_INVOICE.encode()[: len(UBL_INVOICE) // 2], id="truncated"),
        pytest.param(b"<?xml version='1.0' encoding='no-such-encoding'?><a/>", id="unknown-encoding"),
        pytest.param(b"<a>\xff\xfe</a>", id="invalid-utf8"),
        pytest.param(b"", id="empty"),
        pytest.param(b"<a/><b/>", id="two-roots"),
    ],
)
def test_malformed_xml(document: bytes):
    with pytest.raises(MalformedXmlError) as caught:
        parse_einvoice(document, max_bytes=MAX_BYTES)
    assert_clean_message(str(caught.value))


RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>'
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'


@pytest.mark.parametrize(
    ("document", "root"),
    [
        pytest.param(RSS, "rss", id="rss"),
        pytest.param(SVG, "svg", id="svg"),
        pytest.param(b'<Invoice xmlns="urn:example:not-ubl"/>', "Invoice", id="invoice-wrong-namespace"),
        pytest.param(b"<Invoice/>", "Invoice", id="invoice-no-namespace"),
        pytest.param(
            b'<CrossIndustryInvoice xmlns="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:99"/>',
            "CrossIndustryInvoice",
            id="cii-wrong-version",
        ),
        pytest.param(b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', "Order", id="ubl-order"),
    ],
)
def test_not_an_einvoice(document: bytes, root: str):
    with pytest.raises(NotAnEInvoiceError) as caught:
        parse_einvoice(document, max_bytes=MAX_BYTES)
    message = str(caught.value)
    assert f"<{root}>" in message
    assert_clean_message(message)
    assert "urn:example" not in message and "News" not in message


def test_not_an_einvoice_message_cuts_a_long_root_name():
    name = "A" * 5000
    with pytest.raises(NotAnEInvoiceError) as caught:
        parse_einvoice(f"<{name}/>".encode(), max_bytes=MAX_BYTES)
    assert len(str(caught.value)) < 200


def test_size_is_checked_before_parsing():
    document = UBL_INVOICE.encode()
    assert parse_einvoice(document, max_bytes=len(document)).invoice_number == "RE-2024-0815"
    with pytest.raises(DocumentTooLargeError) as caught:
        parse_einvoice(document, max_bytes=len(document) - 1)
    assert_clean_message(str(caught.value))
    # Over the limit wins over everything else: a bomb is not even looked at.
    with pytest.raises(DocumentTooLargeError):
        parse_einvoice(BILLION_LAUGHS, max_bytes=100)


def assert_clean_message(message: str) -> None:
    """Short, for an API user: no reprs, no document content."""
    assert message
    assert len(message) < 200
    assert " object at 0x" not in message and "<Element" not in message
    assert "ENTITY" not in message and "DOCTYPE x" not in message


# --- looks_like_xml ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><a/>',
        b"\xef\xbb\xbf<?xml version='1.0'?><a/>",
        b"  \r\n\t<Invoice/>",
        b"<rsm:CrossIndustryInvoice xmlns:rsm='x'/>",
        b"<!-- generated --><a/>",
        '<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"),
        b"\xff\xfe" + '\n<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16-le"),
        b"\xfe\xff" + "<Invoice/>".encode("utf-16-be"),
        b'<!DOCTYPE x [<!ENTITY e "e">]><x/>',  # XML, so that it gets refused as unsafe XML
        b"\xef\xbb\xbf\n<_a/>",
    ],
)
def test_looks_like_xml(data: bytes):
    assert looks_like_xml(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"Invoice 42: total 19.90 EUR",
        b"",
        b"   ",
        b"<",
        b"< a>",
        b"<1a/>",
        b"<!DOCTYPE html><html></html>",
    ],
)
def test_does_not_look_like_xml(data: bytes):
    assert not looks_like_xml(data)
