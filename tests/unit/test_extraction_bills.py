"""Layout habits of SaaS, utility and telecom bills and of Dutch, Italian and Irish
invoices, found on Chromium prints of such layouts and reproduced here with hand-placed
lines: values a narrow cell wrapped, the account history of a bill, a VAT number after a
tax word, a credit note's minus before the currency symbol, slashed party headings, an
Italian province in brackets, a legal name in the footer's "Service provider" line, and a
recipient's address block without a heading."""

from __future__ import annotations

from invoice_ocr.extraction.currency import detect_currency
from invoice_ocr.extraction.labels import match_label
from tests.unit.test_extraction_invoice import extract, line, normalized
from tests.unit.test_extraction_layouts import text_of


def test_a_value_wrapped_by_its_narrow_cell_is_read_whole() -> None:
    """A key-value box too narrow for its values wraps them after a hyphen or a comma."""
    result = extract(
        line("amazon web services", 60, 40, height=30),
        line("Invoice Number:", 600, 120),
        line("EUINGB26-", 900, 120),
        line("Pinecone Robotics Ltd", 60, 130),
        line("1839204", 900, 144),
        line("Invoice Date:", 600, 180),
        line("November 2,", 900, 180),
        line("2026", 900, 204),
        line("TOTAL AMOUNT DUE ON", 600, 240),
        line("$254.40", 900, 240),
        line("December 2, 2026", 600, 264),
    )
    assert normalized(result, "invoice_number") == "EUINGB26-1839204"
    assert normalized(result, "invoice_date") == "2026-11-02"
    assert normalized(result, "total") == "254.40"


def test_a_value_is_not_joined_with_the_next_rows_value() -> None:
    """A value box that ends its text is not continued by the next row's value, nor is an
    amount with a trailing minus."""
    result = extract(
        line("Invoice No:", 600, 120),
        line("INV-7781", 900, 120),
        line("Order No:", 600, 144),
        line("PO-1120", 900, 144),
        line("Discount", 600, 300),
        line("5.00-", 900, 300),
        line("Total", 600, 324),
        line("45.00", 900, 324),
    )
    assert normalized(result, "invoice_number") == "INV-7781"
    assert normalized(result, "total") == "45.00"


def test_a_bills_account_history_is_not_its_total() -> None:
    """Last bill's balance and the payment that settled it are not this bill's total, nor a
    payment that would vouch for one."""
    result = extract(
        line("Northfield Energy", 60, 40, height=30),
        line("Amount to pay £84.20", 60, 200),
        line("Balance from your last bill", 60, 300),
        line("£76.10", 700, 300),
        line("Payment received, thank you", 60, 330),
        line("-£76.10", 700, 330),
        line("Electricity charges", 60, 360),
        line("£80.19", 700, 360),
        line("VAT at 5%", 60, 390),
        line("£4.01", 700, 390),
        line("Amount to pay", 60, 420),
        line("£84.20", 700, 420),
    )
    assert normalized(result, "total") == "84.20"
    assert normalized(result, "tax") == "4.01"
    for history in ("Balance from your last bill", "Previous balance", "Payments received", "Balance b/f"):
        assert match_label(history) is None, history
    assert match_label("Balance due").fields == {"total": 3}


def test_a_vat_number_after_the_tax_word_is_no_tax_amount() -> None:
    """ "BTW NL812345678B01" under a Dutch letterhead registers the vendor; the two rated
    VAT lines add up to the tax."""
    assert match_label("BTW NL812345678B01") is None
    assert match_label("VAT GB 812 4471 09") is None
    assert match_label("BTW 21%").fields == {"tax": 3}
    result = extract(
        line("Bakkerij de Vries B.V.", 60, 40, height=30),
        line("Kerkstraat 12", 60, 80),
        line("BTW NL812345678B01", 60, 105),
        line("Totaal excl. BTW", 600, 500),
        line("€ 245,00", 900, 500),
        line("BTW 9%", 600, 525),
        line("€ 20,70", 900, 525),
        line("BTW 21%", 600, 550),
        line("€ 3,15", 900, 550),
        line("Totaal incl. BTW", 600, 575),
        line("€ 268,85", 900, 575),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["245.00", "23.85", "268.85"]


def test_a_credit_notes_minus_before_the_currency_symbol_is_its_sign() -> None:
    result = extract(
        line("CREDIT NOTE", 600, 40, height=30),
        line("Subtotal", 600, 500),
        line("-€80.00", 900, 500),
        line("VAT 23%", 600, 525),
        line("-€18.40", 900, 525),
        line("Total credit", 600, 550),
        line("-€98.40", 900, 550),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["-80.00", "-18.40", "-98.40"]


def test_slashed_party_headings_and_the_province_of_rome() -> None:
    """The Italian "Cedente/prestatore" heads the vendor's block, "Cessionario/committente"
    the customer's; "(RM)" after "Roma" is the province, not Malaysian ringgit."""
    result = extract(
        line("Cedente/prestatore", 60, 100),
        line("Cessionario/committente", 600, 100),
        line("Tipografia Rossi S.r.l.", 60, 125),
        line("Studio Legale Bianchi", 600, 125),
        line("20121 Milano (MI)", 60, 150),
        line("00186 Roma (RM)", 600, 150),
        line("Totale documento", 600, 500),
        line("€ 183,00", 900, 500),
    )
    assert text_of(result, "vendor_name") == "Tipografia Rossi S.r.l."
    assert text_of(result, "customer_name") == "Studio Legale Bianchi"
    assert normalized(result, "currency") == "EUR"
    heading = match_label("Customer/Kunde: Foo GmbH")
    assert heading is not None and "Customer/Kunde: Foo GmbH"[heading.end :].strip() == "Foo GmbH"
    assert detect_currency([line("TOTAL (RM)", 60, 40), line("12.00", 300, 40)]).code == "MYR"


def test_the_service_provider_line_names_the_vendor_without_its_address() -> None:
    result = extract(
        line("amazon web services", 60, 40, height=30),
        line("Total for this invoice", 60, 500),
        line("$254.40", 900, 500),
        line("Service provider: Amazon Web Services EMEA SARL, 38 Avenue John F. Kennedy, L-1855", 60, 1500),
    )
    assert text_of(result, "vendor_name") == "Amazon Web Services EMEA SARL"


def test_an_unheaded_address_block_is_the_customer_with_low_confidence() -> None:
    """A bill's recipient printed for a window envelope without a heading or a return
    address: a name over a street line and a postcode line, apart from the letterhead."""
    result = extract(
        line("Bakkerij de Vries B.V.", 60, 40, height=30),
        line("Kerkstraat 12", 60, 80),
        line("3511 LK Utrecht", 60, 105),
        line("Restaurant Het Anker", 60, 200),
        line("t.a.v. de administratie", 60, 225),
        line("Havenkade 3", 60, 250),
        line("1013 AB Amsterdam", 60, 275),
        line("Factuurnummer: 2026-0412", 60, 340),
    )
    assert text_of(result, "vendor_name") == "Bakkerij de Vries B.V."
    customer = result.fields["customer_name"]
    assert customer is not None and customer.value == "Restaurant Het Anker"
    assert customer.confidence < 0.5


def test_a_block_without_a_postal_address_is_no_customer() -> None:
    """Lines under the letterhead that are not a name over a street and a postcode (a
    greeting, a contact block) name no customer."""
    result = extract(
        line("Cloudlytics, Inc.", 60, 40, height=30),
        line("Questions about your bill", 60, 200),
        line("billing@cloudlytics.io", 60, 225),
        line("Call 0800 123 456", 60, 250),
        line("Total", 600, 500),
        line("$12.00", 900, 500),
    )
    assert result.fields["customer_name"] is None
