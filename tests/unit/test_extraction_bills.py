"""Layout habits of SaaS, utility, telecom, web-shop and hotel bills and of Dutch,
Italian, Irish, Swiss, Portuguese and Indian invoices, found on Chromium prints of such
layouts and reproduced here with hand-placed lines: values a narrow cell wrapped, the
account history of a bill, a VAT number after a tax word, a credit note's minus before
the currency symbol, slashed party headings, an Italian province in brackets, a legal
name in the footer's "Service provider" line, a recipient's address block without a
heading or opened by a salutation, net payment terms, a series code after the title, an
order date standing for the invoice date, an included VAT line with its rate, equal
CGST and SGST lines, Canada's provincial taxes, a footer naming the company a brand
trades under, an imprint line, a couple's salutation, a return address's initial, a
direct debit's day, a number printed in digit groups, the post's mark in a window, a
credit note's total, a Fatura-Recibo's series number, "Add: GST", a rate table's column
over its rows, a wholesaler's shortened return line, an early-payment discount's date, an
e-invoice's key grid, a sole trader's imprint, a utility's taxes and Italian stamp duty,
a totals row level with a VAT table's header, one box for the terms and the due date, a
mobile bill's charges, a payment advice's key grid, a return line's abbreviation, a
hotel's owner under its tagline, an issuer in a sentence, a monogram, a deposit invoice's
title, a solicitor's disbursements, a registrar's "Pay To" block, a window's department
line, a Dutch "nota", a counterfoil's wrapped bill number, and Romanian, Turkish,
Estonian, Brazilian, Philippine and South African wordings."""

from __future__ import annotations

import pytest

from invoice_ocr.extraction.amounts import find_amounts
from invoice_ocr.extraction.currency import detect_currency
from invoice_ocr.extraction.labels import LEGAL_FORM, fold, match_label
from tests.unit.test_extraction_invoice import centered, check, extract, line, normalized
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


def test_swiss_and_portuguese_wordings_of_the_net_sum_and_the_terms() -> None:
    """ "Total exkl. MWST" and "Total s/ IVA" are subtotals; "Zahlbar innert 30 Tagen" (Swiss
    German) is a net term."""
    for wording in ("Total exkl. MWST", "Total s/ IVA"):
        label = match_label(wording)
        assert label is not None and label.fields == {"subtotal": 3}, wording
    result = extract(
        line("Rechnung Nr. 26-0457", 60, 100),
        line("Datum: 16.11.2026", 60, 130),
        line("Zahlbar innert 30 Tagen. Besten Dank für Ihren Auftrag.", 60, 600),
    )
    assert normalized(result, "due_date") == "2026-12-16"


def test_net_terms_give_the_due_date_but_a_discounts_period_does_not() -> None:
    def due(*terms: str) -> str | None:
        lines = [line(text, 60, 300 + 30 * index) for index, text in enumerate(terms)]
        return normalized(extract(line("Invoice date: 2026-11-18", 60, 100), *lines), "due_date")

    assert due("Zahlbar innerhalb von 14 Tagen ohne Abzug.") == "2026-12-02"
    assert due("Payment terms: Net 30") == "2026-12-18"
    assert due("2 % Skonto innerhalb 10 Tagen, 30 Tage netto") == "2026-12-18"
    assert due("Bei Zahlung innerhalb 14 Tagen gewähren wir 2,0% Skonto.") is None
    assert due("Paiement à 30 jours fin de mois") is None
    assert due("Net 30", "payable within 14 days") is None  # two terms: which one?
    # A till slip's window for exchanges and returns is no payment term.
    assert due("Umtausch innerhalb von 30 Tagen nur mit Kassenbon") is None
    assert due("Returns within 28 days with receipt") is None
    assert due("Échange sous 30 jours sur présentation du ticket") is None
    result = extract(line("Invoice date: 2026-11-18", 60, 100), line("Net 30", 60, 300))
    assert result.fields["due_date"].confidence <= 0.75
    assert result.fields["due_date"].value == "Net 30"


def test_a_code_after_the_title_word_is_the_number() -> None:
    """A Portuguese title "Fatura FT 2026/154" (series and number, no number word)."""
    result = extract(
        line("Fatura FT 2026/154", 800, 60, height=30), line("Total a pagar", 600, 500), line("1.377,60 €", 900, 500)
    )
    assert normalized(result, "invoice_number") == "FT 2026/154"
    for title in ("Rechnung 2026", "Invoice 12.03.2026", "Invoice details"):
        assert normalized(extract(line(title, 800, 60, height=30)), "invoice_number") is None, title


def test_a_web_shops_order_date_stands_for_the_missing_invoice_date() -> None:
    result = extract(
        line("Invoice for Order #1045", 700, 60),
        line("Order date: Nov 21, 2026", 700, 85),
        line("Total", 600, 500),
        line("$63.75", 900, 500),
    )
    assert normalized(result, "invoice_date") == "2026-11-21"
    assert result.fields["invoice_date"].confidence < 0.9
    labelled = extract(line("Order Date: 10.11.2026", 60, 100), line("Invoice Date : 12.11.2026", 600, 100))
    assert normalized(labelled, "invoice_date") == "2026-11-12"


def test_a_block_opened_by_a_salutation_is_the_recipient_not_the_vendor() -> None:
    """A hotel's centred name without a legal form over a guest block whose company has
    one; a shop chain named "MR. D.I.Y. (M) SDN BHD" is still a vendor."""
    result = extract(
        line("The Harbour View Hotel", 300, 40, height=30),
        line("Mr James Whitfield", 60, 150),
        line("Whitfield Consulting Ltd", 60, 175),
        line("8 Castle Street", 60, 200),
        line("Cardiff CF10 1BS", 60, 225),
    )
    assert text_of(result, "vendor_name") == "The Harbour View Hotel"
    assert text_of(result, "customer_name") == "Mr James Whitfield"
    chain = extract(line("MR. D.I.Y. (M) SDN BHD", 100, 40, height=26), line("LOT 1851-A, JALAN KPB 6", 100, 75))
    assert text_of(chain, "vendor_name") == "MR. D.I.Y. (M) SDN BHD"
    swiss = extract(
        line("Bergsicht Treuhand AG", 60, 40, height=30),
        line("Herr", 700, 40),
        line("Thomas Huber", 700, 65),
        line("Dorfstrasse 3", 700, 90),
        line("6300 Zug", 700, 115),
    )
    assert text_of(swiss, "customer_name") == "Herr Thomas Huber"


def test_a_stated_rate_makes_an_included_vat_line_a_tax() -> None:
    label = match_label("VAT included @ 20%")
    assert label is not None and label.fields == {"tax": 3}
    assert match_label("VAT incl.") is None  # the qualifier of another amount
    result = extract(
        line("Total", 600, 500),
        line("£348.40", 900, 500),
        line("VAT included @ 20%", 600, 525),
        line("£58.07", 900, 525),
    )
    assert normalized(result, "tax") == "58.07"
    assert normalized(result, "total") == "348.40"


def test_equal_central_and_state_gst_lines_are_the_tax_together() -> None:
    """An Amazon India style grid: CGST and SGST rows of one item, each 147.89, the CGST row
    crowded by the item's total; the totals row holds the tax and the grand total."""
    result = extract(
        line("9%", 600, 300),
        line("CGST", 680, 300),
        line("₹147.89", 800, 300),
        line("₹1,939.00", 950, 300),
        line("9%", 600, 325),
        line("SGST", 680, 325),
        line("₹147.89", 800, 325),
        line("TOTAL:", 60, 350),
        line("₹295.78", 800, 350),
        line("₹1,939.00", 950, 350),
    )
    assert normalized(result, "tax") == "295.78"


def test_a_receipt_without_a_name_in_its_header_is_named_by_its_footer() -> None:
    """A discounter's slip whose logo is a picture: address, the currency column head
    "EUR" (no name), the items, and the company in the footer."""
    result = extract(
        centered("Kaiserstr. 15", 40),
        centered("76133 Karlsruhe", 65),
        line("EUR", 60, 110),
        line("Gurken", 60, 135),
        line("0,69 A", 380, 135),
        line("zu zahlen", 60, 160),
        line("7,92", 380, 160),
        centered("Lidl Vertriebs-GmbH & Co. KG", 400),
        centered("Rötelstraße 30, 74172 Neckarsulm", 425),
    )
    assert text_of(result, "vendor_name") == "Lidl Vertriebs-GmbH & Co. KG"


def test_the_owner_line_is_not_the_shop_and_a_partnership_keeps_its_whole_form() -> None:
    bakery = extract(
        centered("Bäckerei Schmidt", 40, height=30),
        centered("Inh. Karl Schmidt e.K.", 80),
        centered("Marktplatz 3", 105),
        centered("91054 Erlangen", 130),
    )
    assert text_of(bakery, "vendor_name") == "Bäckerei Schmidt"
    drugstore = extract(
        centered("dm-drogerie markt", 40, height=30),
        centered("Hauptstraße 42", 80),
        centered("dm-drogerie markt GmbH + Co. KG", 600),
    )
    assert text_of(drugstore, "vendor_name") == "dm-drogerie markt GmbH + Co. KG"


def test_included_tax_lines_of_two_rates_add_up_and_their_base_is_no_tax() -> None:
    """ "Enth. MwSt 7% von 5,00  0,33": 5,00 is what the 7 % are taken of; the two included
    taxes together are the receipt's tax."""
    result = extract(
        line("Summe", 60, 300),
        line("7,40", 380, 300),
        line("Bar", 60, 325),
        line("10,00", 380, 325),
        line("Rückgeld", 60, 350),
        line("2,60", 380, 350),
        line("Enth. MwSt", 60, 400),
        line("7% von 5,00", 200, 400),
        line("0,33", 380, 400),
        line("Enth. MwSt 19% von 2,40", 60, 425),
        line("0,38", 380, 425),
    )
    assert normalized(result, "tax") == "0.71"
    assert normalized(result, "total") == "7.40"


def test_a_quantity_times_name_line_is_an_item_with_its_unit_price() -> None:
    result = extract(line("2 x Laugenbrezel", 60, 300), line("0,90", 250, 300), line("1,80", 380, 300))
    item = result.line_items[0]
    assert (item.description.value, item.quantity.normalized, item.unit_price.normalized) == (
        "Laugenbrezel",
        "2",
        "0.90",
    )


def test_the_due_dates_gap_settles_the_numeric_date_order() -> None:
    """ "11/04/2026" and "12/04/2026" with no part over 12: a month apart month first, a
    day apart day first; the usual term decides, both ways round."""
    us = extract(
        line("DATE", 700, 100), line("11/04/2026", 900, 100), line("DUE DATE", 700, 125), line("12/04/2026", 900, 125)
    )
    assert (normalized(us, "invoice_date"), normalized(us, "due_date")) == ("2026-11-04", "2026-12-04")
    assert us.fields["invoice_date"].confidence > 0.45  # the order is known now
    european = extract(
        line("Datum", 700, 100), line("04/11/2026", 900, 100), line("Fällig am", 700, 125), line("04/12/2026", 900, 125)
    )
    assert (normalized(european, "invoice_date"), normalized(european, "due_date")) == ("2026-11-04", "2026-12-04")


def test_a_date_column_of_the_items_is_not_the_invoice_date() -> None:
    result = extract(
        line("DATE", 700, 100),
        line("11/04/2026", 900, 100),
        line("DATE", 60, 300),
        line("DESCRIPTION", 250, 300),
        line("QTY", 600, 300),
        line("RATE", 750, 300),
        line("AMOUNT", 900, 300),
        line("11/01/2026", 60, 325),
        line("Fall cleanup", 250, 325),
        line("1", 600, 325),
        line("850.00", 750, 325),
        line("850.00", 900, 325),
        line("11/02/2026", 60, 350),
        line("Tulip bulbs", 250, 350),
        line("6", 600, 350),
        line("35.00", 750, 350),
        line("210.00", 900, 350),
    )
    assert normalized(result, "invoice_date") in {"2026-11-04", "2026-04-11"}


def test_a_ship_to_block_is_a_recipients_not_the_vendor() -> None:
    result = extract(
        line("Maple Leaf Landscaping", 60, 40, height=26),
        line("88 Elm Avenue", 60, 75),
        line("BILL TO", 60, 150),
        line("SHIP TO", 500, 150),
        line("Rosedale Condominium Corp.", 60, 175),
        line("Rosedale Condominium Corp.", 500, 175),
        line("200 Bloor St E", 60, 200),
        line("200 Bloor St E", 500, 200),
    )
    assert text_of(result, "vendor_name") == "Maple Leaf Landscaping"
    assert text_of(result, "customer_name") == "Rosedale Condominium Corp."


def test_bare_dollar_signs_count_for_the_dollar_the_document_names() -> None:
    lines = [
        line("Amount Due (CAD)", 60, 40),
        line("$3,360.00", 400, 40),
        line("$3,000.00", 400, 70),
        line("$360.00", 400, 100),
    ]
    assert detect_currency(lines).code == "CAD"
    assert detect_currency(lines[1:]).code == "USD"


def test_pesos_and_nordic_crowns_share_their_marks_with_the_code_printed() -> None:
    """A CFDI prints "$" beside "Moneda: MXN"; a Norwegian bill "kr" beside "NOK"."""
    mexican = [line("Moneda: MXN - Peso Mexicano", 60, 40), line("$ 17,596.00", 400, 70), line("$ 690.00", 400, 100)]
    assert detect_currency(mexican).code == "MXN"
    norwegian = [line("Å betale NOK", 60, 40), line("20 292,25", 400, 40), line("kr 20 292,25", 400, 100)]
    assert detect_currency(norwegian).code == "NOK"
    assert detect_currency(norwegian[2:]).code == "SEK"


def test_a_number_under_a_right_aligned_tall_title() -> None:
    result = extract(
        line("Brightline Consulting LLP", 60, 40),
        line("TAX INVOICE", 900, 40, height=60),
        line("Office 402, Palm Court", 60, 75),
        line("# INV-000012", 889, 108),
    )
    assert normalized(result, "invoice_number") == "INV-000012"


def test_untaxed_amount_and_an_unheaded_recipient_with_its_vat_number() -> None:
    result = extract(
        line("Vanguard Tools NV", 60, 40, height=26),
        line("Industrieweg 8", 60, 75),
        line("2030 Antwerpen", 60, 100),
        line("Atelier Dubois SRL", 600, 160),
        line("Rue Haute 120", 600, 185),
        line("1000 Bruxelles", 600, 210),
        line("VAT: BE0987654321", 600, 235),
        line("Untaxed Amount", 600, 500),
        line("590.00 €", 900, 500),
        line("VAT 21%", 600, 525),
        line("123.90 €", 900, 525),
        line("Total", 600, 550),
        line("713.90 €", 900, 550),
    )
    assert text_of(result, "customer_name") == "Atelier Dubois SRL"
    assert normalized(result, "subtotal") == "590.00"


def test_a_return_address_parted_by_commas_over_the_window() -> None:
    result = extract(
        line("HOFMANN Maschinenbau", 700, 40, height=30),
        line("Hofmann Maschinenbau GmbH, Gewerbepark 4, 86150 Augsburg", 60, 150, height=12),
        line("Schreinerei Vogt", 60, 170),
        line("z. Hd. Herrn Peter Vogt", 60, 195),
        line("Lindenweg 9", 60, 220),
        line("87435 Kempten", 60, 245),
    )
    assert text_of(result, "customer_name") == "Schreinerei Vogt"
    assert text_of(result, "vendor_name") == "Hofmann Maschinenbau GmbH"
    letterhead = extract(line("Acme GmbH, Hauptstr. 1, 10115 Berlin", 60, 40), line("Invoice", 60, 65))
    assert letterhead.fields["customer_name"] is None


def test_a_payment_advice_slip_names_the_payee_and_a_care_of_line_stays_in_the_address() -> None:
    """Xero's layout: the customer's block under the title (with an "Attention:" line), the
    vendor's without a heading, and a payment advice slip whose "To:" is the payee."""
    result = extract(
        line("TAX INVOICE", 60, 40, height=30),
        line("Coastal Cafe Pty Ltd", 60, 80),
        line("Attention: Accounts", 60, 105),
        line("12 Beach Road", 60, 130),
        line("BONDI NSW 2026", 60, 155),
        line("Harbourside Roasters Pty Ltd", 800, 80),
        line("45 Wharf Street", 800, 105),
        line("TOTAL AUD", 600, 500),
        line("660.00", 900, 500),
        line("PAYMENT ADVICE", 60, 900, height=26),
        line("To: Harbourside Roasters Pty Ltd, 45 Wharf Street, PYRMONT NSW 2009", 60, 940),
    )
    assert text_of(result, "vendor_name") == "Harbourside Roasters Pty Ltd"
    assert text_of(result, "customer_name") == "Coastal Cafe Pty Ltd"
    letter = extract(line("To: Coastal Cafe Pty Ltd", 60, 100))
    assert text_of(letter, "customer_name") == "Coastal Cafe Pty Ltd"


def test_a_gratuity_lies_between_the_taxed_sum_and_the_total_and_hst_means_canadian_dollars() -> None:
    result = extract(
        line("Subtotal", 60, 300),
        line("24.50", 380, 300),
        line("HST 13%", 60, 325),
        line("3.19", 380, 325),
        line("Gratuity 15%", 60, 350),
        line("3.68", 380, 350),
        line("TOTAL", 60, 375),
        line("$31.37", 380, 375),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["24.50", "3.19", "31.37"]
    assert normalized(result, "currency") == "CAD"
    assert detect_currency([line("Sales Tax 9%", 60, 40), line("$59.41", 300, 40)]).code == "USD"


def test_a_payment_sentence_sets_the_due_date_but_a_delivery_deadline_does_not() -> None:
    def due(sentence: str) -> str | None:
        return normalized(extract(line("Datum: 15.11.2026", 60, 100), line(sentence, 60, 600)), "due_date")

    assert due("Modalità di pagamento: bonifico bancario entro il 15/12/2026") == "2026-12-15"
    assert due("Bitte überweisen Sie den Betrag bis zum 30.11.2026.") == "2026-11-30"
    assert due("Lieferung bis zum 30.11.2026") is None  # no payment in the sentence
    result = extract(line("Please remit payment by 01.12.2026", 60, 600))
    assert result.fields["due_date"].confidence <= 0.75


def test_a_key_row_with_a_masked_iban_is_no_return_address_over_the_window() -> None:
    """A utility bill's key column prints "Leveringsadres" with the supply address, beside
    a sentence with a masked IBAN ("NL•• INGB •••• ••71"). Neither the label nor the runs
    of bullets make a return-address line, so the recipient's unheaded address block above
    stays the customer, not the key line under that row."""

    def bill(key: str, sentence: str) -> str | None:
        result = extract(
            line("VATTENFALL", 133, 119, height=63),
            line("Vattenfall Klantenservice N.V.", 1260, 121),
            line("Postbus 41920", 1390, 148),
            line("1009 DC Amsterdam", 1336, 175),
            line("Koster & Visser Architecten B.V.", 133, 263, height=26),
            line("T.a.v. de crediteurenadministratie", 133, 294, height=26),
            line("Oudegracht 217", 133, 326, height=25),
            line("3511 NH Utrecht", 133, 359, height=25),
            line("Factuurnummer", 133, 515),
            line("701944102285", 319, 515),
            line(key, 133, 655),
            line("Oudegracht 217, 3511 NH Utrecht", 319, 655),
            line(sentence, 881, 655),
            line("Uw btw-nummer", 133, 690),
            line("NL858214337B01", 319, 690),
        )
        return text_of(result, "customer_name")

    masked = "Wij schrijven dit bedrag af van IBAN NL•• INGB •••• ••71"
    assert bill("Leveringsadres", masked) == "Koster & Visser Architecten B.V."
    assert bill("Adres", masked) == "Koster & Visser Architecten B.V."  # no label: the bullets
    assert bill("Leveringsadres", "Wij schrijven dit bedrag af · IBAN · NL71") == "Koster & Visser Architecten B.V."


def test_a_party_key_of_a_key_value_grid_reaches_its_far_value_column() -> None:
    """A bill's data grid keys rows with short and long keys, so its value column lies far
    right of "Intestatario": the value beside it is the customer, not the key under it."""
    grid = [
        line("Intestatario", 119, 541, height=22),
        line("Giulia Ferraresi", 434, 541, height=22),
        line("Codice fiscale", 119, 574, height=22),
        line("FRRGLI85M52F205X", 434, 574, height=22),
        line("Indirizzo di fornitura", 119, 608, height=22),
        line("Via Privata Oslavia 18, 20134 Milano", 434, 608, height=22),
    ]
    assert text_of(extract(*grid), "customer_name") == "Giulia Ferraresi"
    # Without the grid's rows under it, a box that far right is another column.
    lone = extract(line("Intestatario", 119, 541, height=22), line("Giulia Ferraresi", 434, 541, height=22))
    assert text_of(lone, "customer_name") is None


def test_a_bare_name_key_in_a_party_block_names_the_party_in_the_next_cell() -> None:
    """A CFDI's "RECEPTOR" block is a grid of keys and values: "Nombre:" is empty and the
    name is the next cell."""
    result = extract(
        line("RECEPTOR", 92, 350, height=21),
        line("Nombre:", 94, 384, height=20),
        line("CONSTRUCCIONES HERRERA, S.A. DE C.V.", 308, 384, height=20),
        line("RFC:", 94, 413, height=20),
        line("CHE0804229K1", 308, 413, height=20),
        line("Clave Prod/Serv", 94, 470, height=20),
        line("Descripción", 400, 470, height=20),
        line("Importe", 1000, 470, height=20),
    )
    assert text_of(result, "customer_name") == "CONSTRUCCIONES HERRERA, S.A. DE C.V."


def test_nordic_and_central_european_legal_forms_and_a_po_box_address() -> None:
    """A Swedish bill: the brand "Telia" in the letterhead, its legal name "Telia Sverige AB"
    in the footer, and a recipient block with a care-of "Att:" line, a post-office box for
    the street and a postcode of three and two digits."""
    result = extract(
        line("Telia", 119, 111, height=78),
        line("Faktura", 942, 111, height=44),
        line("Fakturanummer", 942, 197),
        line("501233488271", 1176, 197),
        line("Sandberg Bygg & Montage AB", 119, 254, height=24),
        line("Att: Ekonomi", 119, 285, height=24),
        line("Box 1182", 119, 314, height=24),
        line("721 29 Västerås", 119, 345, height=25),
        line("Telia Sverige AB", 119, 1600),
        line("Org.nr 556430-0142", 500, 1600),
    )
    assert text_of(result, "vendor_name") == "Telia Sverige AB"
    assert text_of(result, "customer_name") == "Sandberg Bygg & Montage AB"
    for name in ("Tiskárna Novotný s.r.o.", "Hydro Norge AS", "Pék és Társa Kft.", "Mayr OG", "Solar d.o.o."):
        assert LEGAL_FORM.search(fold(name)), name
    # The forms that are also short words count only where a name ends.
    for words in ("Lieferung ab Lager", "valid as of 1 May", "che sia chiaro a tutti", "AB", "2,90 AB"):
        assert not LEGAL_FORM.search(fold(words)), words


def test_an_item_tables_unlabelled_sum_row_is_the_subtotal() -> None:
    """A Tally GST invoice prints the items' sum alone under the Amount column, without a
    label, before the CGST and SGST lines; a tax summary table follows the items."""
    result = extract(
        line("Description of Goods", 100, 300),
        line("Quantity", 600, 300),
        line("Rate", 760, 300),
        line("Amount", 1000, 300),
        line("PVC Conduit Pipe 25 mm", 100, 340),
        line("200", 600, 340),
        line("48.50", 760, 340),
        line("9,700.00", 1000, 340),
        line("Modular Switch 6A", 100, 370),
        line("150", 600, 370),
        line("62.00", 760, 370),
        line("9,300.00", 1000, 370),
        line("19,000.00", 1000, 400),
        line("CGST", 700, 430),
        line("1,710.00", 1000, 430),
        line("SGST", 700, 460),
        line("1,710.00", 1000, 460),
        line("Grand Total", 700, 490),
        line("₹ 22,420.00", 1000, 490),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["19000.00", "3420.00", "22420.00"]


def test_a_tax_line_that_sums_the_other_tax_lines_is_their_total() -> None:
    """A drugstore slip prints the tax each rate's amounts include and, under them, their
    sum: "MwSt gesamt" is the tax, not one rate's line."""
    result = extract(
        line("Gesamt", 60, 300),
        line("EUR", 300, 300),
        line("11,42", 420, 300),
        line("Steuer 1 = 19%", 60, 340),
        line("enth. MwSt", 250, 340),
        line("1,38", 420, 340),
        line("Steuer 2 = 7%", 60, 365),
        line("enth. MwSt", 250, 365),
        line("0,18", 420, 365),
        line("MwSt gesamt", 60, 390),
        line("1,56", 420, 390),
    )
    assert normalized(result, "tax") == "1.56"
    assert normalized(result, "total") == "11.42"


def test_danish_finnish_and_hungarian_sum_words_and_hungarian_keys() -> None:
    """ "Beløb ekskl. moms" / "Beløb i alt", "Veroton yhteensä" / "Yhteensä", and a
    Hungarian invoice's keys: the number's "sorszáma", "kelte", the deadline, Eladó/Vevő,
    ÁFA, and whole forints ("860 806 Ft") as its amounts."""
    danish = extract(
        line("Beløb ekskl. moms", 600, 900),
        line("8.239,40", 1000, 900),
        line("Moms 25 %", 600, 930),
        line("2.059,85", 1000, 930),
        line("Beløb i alt DKK", 600, 960),
        line("10.299,25", 1000, 960),
    )
    assert [normalized(danish, name) for name in ("subtotal", "tax", "total")] == ["8239.40", "2059.85", "10299.25"]
    finnish = extract(
        line("Veroton yhteensä", 600, 900),
        line("1 585,40", 1000, 900),
        line("ALV 25,5 %", 600, 930),
        line("404,28", 1000, 930),
        line("Yhteensä EUR", 600, 960),
        line("1 989,68 €", 1000, 960),
    )
    assert [normalized(finnish, name) for name in ("subtotal", "total")] == ["1585.40", "1989.68"]
    hungarian = extract(
        line("SZÁMLA", 60, 40, height=40),
        line("ELADÓ", 60, 120),
        line("VEVŐ", 640, 120),
        line("Dunamenti Irodatechnika Kft.", 60, 150),
        line("Balatoni Panoráma Szálloda Zrt.", 640, 150),
        line("2310 Szigetszentmiklós, Gyári út 9.", 60, 175),
        line("8600 Siófok, Petőfi sétány 21.", 640, 175),
        line("Számla sorszáma", 60, 300),
        line("Számla kelte", 300, 300),
        line("Teljesítés dátuma", 500, 300),
        line("Fizetési határidő", 760, 300),
        line("DIT-2026-001873", 60, 325),
        line("2026.11.03.", 300, 325),
        line("2026.10.31.", 500, 325),
        line("2026.11.18.", 760, 325),
        line("Nettó érték", 300, 900),
        line("677 800 Ft", 700, 900),
        line("ÁFA érték", 300, 930),
        line("183 006 Ft", 700, 930),
        line("Fizetendő:", 300, 960),
        line("860 806 Ft", 700, 960),
    )
    assert normalized(hungarian, "invoice_number") == "DIT-2026-001873"
    assert [normalized(hungarian, name) for name in ("invoice_date", "due_date")] == ["2026-11-03", "2026-11-18"]
    assert text_of(hungarian, "vendor_name") == "Dunamenti Irodatechnika Kft."
    assert text_of(hungarian, "customer_name") == "Balatoni Panoráma Szálloda Zrt."
    assert [normalized(hungarian, name) for name in ("subtotal", "tax", "total")] == [
        "677800.00",
        "183006.00",
        "860806.00",
    ]
    assert normalized(hungarian, "currency") == "HUF"


def test_rand_amounts_grouped_by_spaces_after_their_mark() -> None:
    """A South African invoice groups thousands with spaces before a decimal point, after
    the "R": one amount each, in rand; a road's "R44" names no currency."""
    result = extract(
        line("Cnr R44 & School Road", 60, 100),
        line("Total Exclusive", 600, 900),
        line("R 250 845.00", 1000, 900),
        line("Total VAT @ 15%", 600, 930),
        line("R 37 626.75", 1000, 930),
        line("Total (Incl. VAT)", 600, 960),
        line("R 288 471.75", 1000, 960),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == [
        "250845.00",
        "37626.75",
        "288471.75",
    ]
    assert normalized(result, "currency") == "ZAR"
    assert detect_currency([line("Cnr R44 & School Road", 60, 100)]) is None
    # Without a mark before them, a quantity and a price stay apart.
    quantity_and_price = extract(line("Widget", 60, 300), line("2 125.00", 700, 300))
    assert quantity_and_price.fields["total"] is None


def test_a_rounding_taken_off_in_brackets_and_the_terms_keys_of_an_indian_grid() -> None:
    """Tally prints "Less : ROUND OFF (-)0.20" between the taxes and the rounded total,
    and "Terms of Delivery" as a key beside the buyer's heading."""
    result = extract(
        line("Buyer (Bill to)", 60, 300),
        line("Terms of Delivery", 640, 300),
        line("Pioneer Agro Equipments Pvt Ltd", 60, 325),
        line("Ex-Works Bhosari. Freight to pay.", 640, 325),
        line("Office No. 7, 3rd Floor, Kamla Arcade", 60, 350),
        line("No. 2718 4450 9261 dt. 14-Mar-25", 640, 350),
        line("J.M. Road, Shivajinagar, Pune - 411005", 60, 375),
        line("Sub Total", 600, 500),
        line("96,640.00", 1000, 500),
        line("CGST OUTPUT @ 9%", 600, 530),
        line("8,697.60", 1000, 530),
        line("SGST OUTPUT @ 9%", 600, 560),
        line("8,697.60", 1000, 560),
        line("Less : ROUND OFF", 600, 590),
        line("(-)0.20", 1000, 590),
        line("Total", 600, 620),
        line("₹ 1,14,035.00", 1000, 620),
        line("Total", 200, 700),
        line("96,640.00", 400, 700),
        line("8,697.60", 600, 700),
        line("8,697.60", 800, 700),
        line("17,395.20", 1000, 700),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == [
        "96640.00",
        "17395.20",
        "114035.00",
    ]
    assert check(result, "subtotal_plus_tax_equals_total") == "passed"
    assert text_of(result, "customer_name") == "Pioneer Agro Equipments Pvt Ltd"


def test_a_job_site_address_is_no_customer_and_lexoffices_net_sum_and_due_sentence() -> None:
    """An Australian contractor's "JOB / SITE ADDRESS" heading beside "BILL TO"; a German
    "Gesamtbetrag netto" and "Der Rechnungsbetrag ist bis zum … fällig."."""
    result = extract(
        line("BILL TO", 60, 300),
        line("JOB / SITE ADDRESS", 400, 300),
        line("Marlowe Hospitality Group Pty Ltd", 60, 325),
        line("Marlowe & Co. Café (fit-out)", 400, 325),
    )
    assert text_of(result, "customer_name") == "Marlowe Hospitality Group Pty Ltd"
    german = extract(
        line("Rechnungsdatum", 800, 200),
        line("17.03.2025", 1000, 200),
        line("Gesamtbetrag netto", 600, 900),
        line("2.933,00 €", 1000, 900),
        line("zzgl. Umsatzsteuer 19 %", 600, 930),
        line("557,27 €", 1000, 930),
        line("Gesamtbetrag brutto", 600, 960),
        line("3.490,27 €", 1000, 960),
        line("Der Rechnungsbetrag ist bis zum 31.03.2025 fällig.", 60, 1050),
    )
    assert normalized(german, "subtotal") == "2933.00"
    assert normalized(german, "due_date") == "2025-03-31"


def test_a_sellers_word_in_a_strip_of_keys_names_the_salesperson() -> None:
    """A Portuguese header strip "Data de emissão · Data de vencimento · Moeda · Vendedor ·
    Pág." keys a
    salesperson; the letterhead's legal name, wrapped before "Lda.", is the vendor. The
    series code under the lone title "Fatura" is the number."""
    result = extract(
        line("Livraria e Papelaria Central de Aveiro,", 60, 40, height=26),
        line("Fatura", 900, 40, height=26),
        line("Lda.", 60, 72, height=26),
        line("FT 2026/412", 880, 72),
        line("Rua de Coimbra, 27", 60, 110),
        line("3810-089 Aveiro", 60, 135),
        line("Data de emissão", 60, 400),
        line("Data de vencimento", 260, 400),
        line("Moeda", 480, 400),
        line("Vendedor", 600, 400),
        line("Pág.", 900, 400),
        line("2026-11-03", 60, 425),
        line("2026-12-03", 260, 425),
        line("EUR", 480, 425),
        line("M. Tavares", 600, 425),
        line("1/1", 900, 425),
    )
    assert text_of(result, "vendor_name") == "Livraria e Papelaria Central de Aveiro, Lda."
    assert normalized(result, "invoice_number") == "FT 2026/412"


def test_a_return_line_over_a_window_on_the_right_and_a_logo_in_capitals() -> None:
    """A Swiss letter: the key block on the left, the window on the right under its comma
    return line; the logo "BRÄNDLI" over "Gebäudetechnik AG" is the name the sender's
    block prints in ordinary case."""
    result = extract(
        line("BRÄNDLI", 60, 40, height=40),
        line("Brändli Gebäudetechnik AG", 900, 40),
        line("Gebäudetechnik AG", 60, 85, height=40),
        line("8400 Winterthur", 900, 65),
        line("Rechnungsnummer", 60, 300),
        line("2025-0347", 300, 300),
        line("Brändli Gebäudetechnik AG, Tösstalstrasse 118, 8400 Winterthur", 700, 300, height=12),
        line("Rechnungsdatum", 60, 325),
        line("14.03.2025", 300, 325),
        line("Keller Treuhand GmbH", 700, 325),
        line("Kundennummer", 60, 350),
        line("10472", 300, 350),
        line("Obergasse 14", 700, 350),
        line("8400 Winterthur", 700, 375),
    )
    assert text_of(result, "customer_name") == "Keller Treuhand GmbH"
    assert text_of(result, "vendor_name") == "Brändli Gebäudetechnik AG"


def test_a_canadian_install_at_heading_and_gst_plus_pst_without_a_tax_total() -> None:
    """A Canadian sign maker: "INSTALL AT" heads the site's block beside "SOLD TO", the
    letterhead's "GST/HST Reg. No." is no tax amount, and the GST and BC PST lines, each
    on its own base, add up to the tax."""
    result = extract(
        line("Coastline Signs & Graphics Ltd.", 60, 40, height=30),
        line("GST/HST Reg. No. 81234 5678 RT0001", 60, 110),
        line("PST No. PST-1234-5678", 60, 135),
        line("SOLD TO", 60, 300),
        line("INSTALL AT", 600, 300),
        line("Fraser Valley Brewing Co.", 60, 325),
        line("Fraser Valley Brewing Co. – Taproom", 600, 325),
        line("Subtotal", 700, 800),
        line("4,175.00", 1100, 800),
        line("GST 5 % on 4,175.00", 700, 830),
        line("208.75", 1100, 830),
        line("PST 7 % on 3,540.00", 700, 860),
        line("247.80", 1100, 860),
        line("Total CAD", 700, 890),
        line("$4,631.55", 1100, 890),
    )
    assert text_of(result, "customer_name") == "Fraser Valley Brewing Co."
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["4175.00", "456.55", "4631.55"]
    assert check(result, "subtotal_plus_tax_equals_total") == "passed"


def test_the_company_a_footer_says_trades_under_the_brand_is_the_vendor() -> None:
    """An Irish host's logo "liffeyhost" and its footer "Liffeyhost is a trading name of
    Liffeyside Hosting Limited, …": the owner's name is the legal one, not the sentence."""
    result = extract(
        line("liffeyhost", 60, 40, height=48),
        line("TAX INVOICE", 900, 40, height=36),
        line("Web hosting · Domains · Managed servers", 60, 100),
        line("Unit 4B, Grand Canal Quay", 60, 130),
        line("Total", 700, 900),
        line("€166.50", 1100, 900),
        line(
            "Liffeyhost is a trading name of Liffeyside Hosting Limited, a private company limited by shares",
            60,
            1500,
        ),
    )
    assert text_of(result, "vendor_name") == "Liffeyside Hosting Limited"
    # The footer's subject may be the brand with more words: "Hearthlight Energy is a …".
    utility = extract(
        line("Hearthlight", 60, 40, height=48),
        line("ENERGY · GAS & ELECTRICITY", 60, 100),
        line("Total to pay", 700, 500),
        line("£193.86", 1100, 500),
        line("Hearthlight Energy is a trading name of Hearthlight Energy Supply Ltd, registered in England", 60, 1970),
    )
    assert text_of(utility, "vendor_name") == "Hearthlight Energy Supply Ltd"


def test_a_couples_salutation_over_their_names_is_no_name_of_its_own() -> None:
    """A craftsman's letter to "Frau und Herrn" over "Sabine und Markus Wendt": the
    salutation line is joined to the names under it, as a lone "Herrn" is."""
    result = extract(
        line("Tischlerei Holger Brandt", 60, 40, height=40),
        line("Tischlerei H. Brandt · Am Mühlbach 7 · 83022 Rosenheim", 60, 300, height=14),
        line("Frau und Herrn", 60, 330),
        line("Sabine und Markus Wendt", 60, 355),
        line("Lindenweg 23", 60, 380),
        line("83101 Rohrdorf", 60, 405),
        line("Rechnungsbetrag", 700, 900),
        line("3.681,15 €", 1100, 900),
    )
    assert text_of(result, "customer_name") == "Frau und Herrn Sabine und Markus Wendt"


def test_a_return_address_with_the_first_name_as_an_initial_is_the_letterheads_sender() -> None:
    """The return address "Tischlerei H. Brandt · Am Mühlbach 7 · …" names the letterhead's
    "Tischlerei Holger Brandt", whose full name is the better reading; another name in
    the return address is another sender."""
    window = [
        line("Frau", 60, 330),
        line("Sabine Wendt", 60, 355),
        line("Lindenweg 23", 60, 380),
        line("83101 Rohrdorf", 60, 405),
    ]
    letterhead = line("Tischlerei Holger Brandt", 60, 40, height=40)
    result = extract(
        letterhead, line("Tischlerei H. Brandt · Am Mühlbach 7 · 83022 Rosenheim", 60, 300, height=14), *window
    )
    assert text_of(result, "vendor_name") == "Tischlerei Holger Brandt"
    other = extract(
        letterhead, line("Schreinerei K. Maier · Am Mühlbach 7 · 83022 Rosenheim", 60, 300, height=14), *window
    )
    assert text_of(other, "vendor_name") == "Schreinerei K. Maier"


def test_a_footer_imprint_line_gives_the_legal_name_behind_a_letterheads_brand() -> None:
    """An Austrian inn's letterhead "Gasthof Goldener Hirsch" and its footer "Pichler
    Gastronomie GmbH · Marktplatz 4 · … · UID: ATU68123456": the imprint's company is the
    vendor. A footer line without a registration names no one."""
    lines = [
        line("Gasthof Goldener Hirsch", 300, 40, height=48),
        line("seit 1874 · Familie Pichler", 400, 100),
        line("Marktplatz 4 · 5611 Großarl · Tel. +43 6414 2217", 200, 130),
        line("Rechnungsbetrag", 700, 900),
        line("775,40", 1100, 900),
    ]
    imprint = "Pichler Gastronomie GmbH · Marktplatz 4 · 5611 Großarl · Firmenbuch FN 412345 x · UID: ATU68123456"
    result = extract(*lines, line(imprint, 100, 2000, height=14))
    assert text_of(result, "vendor_name") == "Pichler Gastronomie GmbH"
    result = extract(*lines, line("Partner Reisen GmbH · Marktplatz 9 · 5611 Großarl", 100, 2000, height=14))
    assert text_of(result, "vendor_name") == "Gasthof Goldener Hirsch"


def test_a_sellers_registration_key_and_a_tracked_tagline_are_no_part_of_the_vendor() -> None:
    """A US SaaS bill's footer "Seller PA sales tax license no. 7829-" keys a number, not
    the seller's name; the logo's tagline printed letter-spaced, which the text layer
    splits into pairs ("U S A G E A N A LY T I C S"), is not joined to the logo."""
    result = extract(
        line("lumenfold", 60, 40, height=40),
        line("Lumenfold Analytics, Inc.", 900, 40),
        line("2150 Mission Street, Suite 400", 900, 70),
        line("U S A G E A N A LY T I C S P L AT F O R M", 60, 90, height=14),
        line("Total", 700, 900),
        line("$2,724.90", 1100, 900),
        line("Seller PA sales tax license no. 7829-", 700, 1500),
        line("4410", 700, 1525),
        line("Questions? support@lumenfold.io", 700, 1550),
    )
    assert text_of(result, "vendor_name") == "Lumenfold Analytics, Inc."


def test_a_direct_debits_collection_day_is_the_due_date() -> None:
    """A UK energy bill's "We'll collect £193.86 by Direct Debit on or just" / "after 28
    March 2025." and a German telecom's "Wir buchen den Rechnungsbetrag … frühestens am
    15.05.2025 …" set the due date; a debit review's day and an earlier bill's debit do not."""
    uk = extract(
        line("Bill date 14 March 2025", 900, 150),
        line("Total to pay", 700, 500),
        line("£193.86", 1100, 500),
        line("We’ll collect £193.86 by Direct Debit on or just", 700, 560),
        line("after 28 March 2025. You don’t need to do", 700, 590),
        line("Your monthly Direct Debit review is on 14 June 2025. To change", 700, 1700),
    )
    assert normalized(uk, "due_date") == "2025-03-28"
    german = extract(
        line("Rechnungsdatum", 900, 450),
        line("07.05.2025", 1180, 450),
        line("Rechnungsbetrag", 160, 1600),
        line("61,67 €", 1380, 1600),
        line(
            "SEPA-Lastschrift: Wir buchen den Rechnungsbetrag von 61,67 € frühestens am 15.05.2025 von Ihrem", 200, 1730
        ),
        line("Konto ab.", 200, 1765),
        line(
            "Die vorige Rechnung vom 07.04.2025 über 61,67 € wurde am 15.04.2025 per Lastschrift abgebucht.", 160, 2030
        ),
    )
    assert normalized(german, "due_date") == "2025-05-15"
    review_only = extract(
        line("Bill date 14 March 2025", 900, 150),
        line("Your monthly Direct Debit review is on 14 June 2025. To change", 700, 1700),
        line("Your last payment was collected on 12 February 2025.", 700, 1730),
    )
    assert normalized(review_only, "due_date") is None


@pytest.mark.parametrize("postage", ["Entgelt bezahlt · 28/0417", "Entgelt bezahit - 28/0417"])
def test_a_number_printed_in_digit_groups_and_a_postage_mark_in_the_window(postage: str) -> None:
    """A telecom prints its invoice number in groups ("2504 9128 7730"), and the post's
    "Entgelt bezahlt" (on a scan "bezahit") sits in the window between the return address
    and the recipient."""
    result = extract(
        line("DV 05.25 · 0417 · 1P · 8832910", 160, 300, height=14),
        line("Nordwelle Telekommunikation GmbH · Postfach 10 22 40 · 20015 Hamburg", 160, 355, height=14),
        line("Kundennummer", 900, 360),
        line("4711 0823 56", 1180, 360),
        line(postage, 160, 398),
        line("Rechnungsnummer", 900, 425),
        line("2504 9128 7730", 1180, 425),
        line("Herrn", 160, 430),
        line("Jonas Breitenbach", 160, 469),
        line("Lindenallee 27", 160, 507),
        line("50858 Köln", 160, 544),
    )
    assert normalized(result, "invoice_number") == "2504 9128 7730"
    assert text_of(result, "customer_name") == "Herrn Jonas Breitenbach"


def test_dutch_vat_lines_over_their_bases_and_indian_output_tax_lines_add_up() -> None:
    """A Dutch web shop's "BTW 21% over € 118,93" prints the base after "over", not a tax;
    its two rates add up to the tax beside a VAT-inclusive "Subtotaal artikelen". An
    Indian ledger's "Output CGST @ 9%" and "Output SGST @ 9%" are the tax, with a round-off."""
    dutch = extract(
        line("Subtotaal artikelen", 875, 1455),
        line("€ 196,32", 1396, 1455),
        line("Verzendkosten", 875, 1505),
        line("€ 4,95", 1427, 1505),
        line("Totaal excl. BTW", 875, 1557),
        line("€ 171,56", 1396, 1557),
        line("BTW 21% over € 118,93", 875, 1605),
        line("€ 24,97", 1412, 1605),
        line("BTW 9% over € 52,63", 875, 1655),
        line("€ 4,74", 1427, 1655),
        line("Totaal incl. BTW", 875, 1717),
        line("€ 201,27", 1341, 1717),
    )
    assert [normalized(dutch, name) for name in ("subtotal", "tax", "total")] == ["171.56", "29.71", "201.27"]
    indian = extract(
        line("Taxable Value", 488, 1026),
        line("1,68,495.50", 1446, 1026),
        line("Output CGST @ 9%", 488, 1058),
        line("9 %", 1179, 1058),
        line("15,164.60", 1454, 1058),
        line("Output SGST @ 9%", 488, 1089),
        line("9 %", 1179, 1089),
        line("15,164.60", 1454, 1089),
        line("Round Off", 594, 1120),
        line("0.30", 1521, 1120),
        line("Grand Total", 575, 1183),
        line("₹ 1,98,825.00", 1379, 1183),
    )
    assert [normalized(indian, name) for name in ("tax", "total")] == ["30329.20", "198825.00"]


def test_a_credit_notes_own_total_and_a_portuguese_fatura_recibo_number() -> None:
    """A German credit note's "Gutschriftsbetrag -1.164,89 €" is its total; a Portuguese
    "Fatura-Recibo" title over its series number "FR 2025A/123" numbers the document."""
    credit = extract(
        line("Nettobetrag", 876, 1398),
        line("-978,90 €", 1367, 1398),
        line("zzgl. USt 19 %", 876, 1446),
        line("-185,99 €", 1367, 1446),
        line("Gutschriftsbetrag", 876, 1496),
        line("-1.164,89 €", 1300, 1496),
    )
    assert [normalized(credit, name) for name in ("subtotal", "tax", "total")] == ["-978.90", "-185.99", "-1164.89"]
    portuguese = extract(
        line("Livraria Académica do Mondego, Lda.", 102, 204, height=30),
        line("Fatura-Recibo", 900, 100, height=36),
        line("FR 2025A/123", 900, 150),
        line("ATCUD: JFBJ4GXB-123", 900, 180),
    )
    assert normalized(portuguese, "invoice_number") == "FR 2025A/123"


def test_a_singapore_add_gst_line_and_a_belgian_rate_table_beside_the_totals() -> None:
    """ "Add: GST 9%" is a tax line after a discount's "Total before GST"; a Belgian VAT
    table's "BTW" column over a row per rate (no sum row) heads no single amount, and its
    "BTW-tarief" sentence keys a rate, so the two rate lines add up to the tax."""
    singapore = extract(
        line("Sub-Total", 900, 1200),
        line("S$ 9,624.00", 1300, 1200),
        line("Less: Discount 5%", 900, 1240),
        line("S$ 481.20", 1300, 1240),
        line("Total before GST", 900, 1280),
        line("S$ 9,142.80", 1300, 1280),
        line("Add: GST 9%", 900, 1320),
        line("S$ 822.85", 1300, 1320),
        line("Total Amount Payable", 900, 1360),
        line("S$ 9,965.65", 1300, 1360),
    )
    assert [normalized(singapore, name) for name in ("subtotal", "tax", "total")] == ["9142.80", "822.85", "9965.65"]
    belgian = extract(
        line("BTW-TARIEF", 131, 1459),
        line("MAATSTAF VAN HEFFING", 333, 1459),
        line("BTW", 721, 1459),
        line("Totaal excl. BTW", 959, 1459),
        line("€ 6.914,00", 1394, 1459),
        line("6 %", 131, 1503),
        line("5.920,00", 598, 1503),
        line("355,20", 754, 1503),
        line("BTW 6 %", 959, 1509),
        line("€ 355,20", 1417, 1509),
        line("21 %", 131, 1550),
        line("994,00", 620, 1550),
        line("208,74", 754, 1550),
        line("BTW 21 %", 959, 1559),
        line("€ 208,74", 1417, 1559),
        line("Totaal te betalen", 959, 1616),
        line("€ 7.477,94", 1343, 1616),
        line("BTW-tarief van 6 % toegepast op boeken overeenkomstig rubriek XXVII", 852, 1999),
        line("van tabel A bij het KB nr. 20.", 852, 2026),
    )
    assert [normalized(belgian, name) for name in ("subtotal", "tax", "total")] == ["6914.00", "563.94", "7477.94"]


def test_a_belgian_imprint_a_wholesalers_short_return_line_and_a_skonto_deadline() -> None:
    """A Belgian printer's footer "Drukkerij Van Damme & Zonen BV · … · BTW BE 0845.612.346 ·
    RPR Gent" gives the legal name behind the logo, whose letter-spaced tagline is no
    address. A German wholesaler's return line "Brüggemann GmbH & Co. KG · …" shortens the
    letterhead's legal name, which stays the vendor; "Bei Zahlung bis … Skonto" sets no
    due date beside "Zahlbar bis 13.04.2025 ohne Abzug"."""
    belgian = extract(
        line("VAN DAMME print", 119, 113, height=48),
        line("D R U KW E R K · B O E K B I N D E R I J · S I N D S 1 9 6 2", 119, 170, height=14),
        line("Totaal te betalen", 959, 1616),
        line("€ 7.477,94", 1343, 1616),
        line(
            "Drukkerij Van Damme & Zonen BV · Industrieweg 27, 9032 Wondelgem · BTW BE 0845.612.346 · RPR Gent",
            253,
            2166,
            height=14,
        ),
    )
    assert text_of(belgian, "vendor_name") == "Drukkerij Van Damme & Zonen BV"
    assert belgian.fields["vendor_address"] is None
    german = extract(
        line("BRÜGGEMANN", 157, 93, height=48),
        line("Brüggemann Haustechnik-Großhandel GmbH & Co. KG", 600, 97),
        line("Rechnungsdatum", 990, 401),
        line("14.03.2025", 1250, 401),
        line("Brüggemann GmbH & Co. KG · Hafenstraße 41 · 28217 Bremen", 157, 294, height=14),
        line("Heizung & Sanitär Köster GmbH", 157, 340),
        line("Industriestraße 12", 157, 365),
        line("26123 Oldenburg", 157, 390),
        line("Zahlungsbedingungen: Zahlbar bis 13.04.2025 ohne Abzug.", 187, 1225),
        line("Bei Zahlung bis 24.03.2025 gewähren wir 2 % Skonto (= 166,63 €), Zahlbetrag dann 8.164,70 €.", 187, 1259),
        line("Brüggemann Haustechnik-Großhandel GmbH & Co. KG · Sitz Bremen", 157, 2174, height=14),
    )
    assert text_of(german, "vendor_name") == "Brüggemann Haustechnik-Großhandel GmbH & Co. KG"
    assert text_of(german, "vendor_address") == "Hafenstraße 41 28217 Bremen"
    assert normalized(german, "due_date") == "2025-04-13"


def test_a_malaysian_e_invoices_key_grid_and_its_code_number() -> None:
    """A MyInvois printout keys its parties in a grid without colons ("Name" |
    "TEKNOLOGI AWAN SDN. BHD.") under "SUPPLIER" and "BUYER", and numbers itself as
    "e-Invoice Code/Number"."""
    result = extract(
        line("AWANTEK", 94, 87, height=40),
        line("e-Invoice Code/Number", 108, 426),
        line("INV-TAS-2025-000482", 400, 426),
        line("SUPPLIER", 112, 650),
        line("BUYER", 700, 650),
        line("Name", 108, 688),
        line("TEKNOLOGI AWAN SDN. BHD.", 300, 688),
        line("Name", 700, 688),
        line("MAJU JAYA LOGISTICS SDN. BHD.", 850, 688),
        line("Supplier TIN", 108, 726),
        line("C24581937060", 300, 726),
        line("Buyer TIN", 700, 726),
        line("C10987654320", 850, 726),
    )
    assert normalized(result, "invoice_number") == "INV-TAS-2025-000482"
    assert text_of(result, "vendor_name") == "TEKNOLOGI AWAN SDN. BHD."
    assert text_of(result, "customer_name") == "MAJU JAYA LOGISTICS SDN. BHD."


def test_a_marketplace_window_whose_salutation_stands_beside_the_sellers_block() -> None:
    """A marketplace invoice's window: "Frau" and "Anna Lehmann" are a row apart, with the
    "VERKAUFT VON" block's lines between them in the other column."""
    result = extract(
        line("kaufzone .de", 119, 103, height=40),
        line("Nordlicht Haushaltswaren GmbH · Hafenstraße 17 · 24103 Kiel", 119, 252, height=14),
        line("VERKAUFT VON", 700, 278),
        line("Frau", 119, 293),
        line("Nordlicht Haushaltswaren GmbH", 700, 313),
        line("Anna Lehmann", 119, 333),
        line("Hafenstraße 17", 700, 349),
        line("Gneisenaustraße 58", 119, 372),
        line("24103 Kiel", 700, 382),
        line("10961 Berlin", 119, 414),
    )
    assert text_of(result, "customer_name") == "Frau Anna Lehmann"


def test_a_sole_traders_imprint_cells_and_a_reverse_charge_sentences_buyer_number() -> None:
    """A Dutch freelancer: the logo "MEIJER", a side block "Meijer Houtwerk" over its
    address (no customer), the footer's cells "Meijer Houtwerk · eenmanszaak" | "KvK …"
    (a sole trader has no legal form), and "BTW-identificatienummer afnemer: NL…" in the
    reverse-charge note keys the buyer's VAT number, not the buyer."""
    result = extract(
        line("MEIJER", 142, 119, height=48),
        line("Meijer Houtwerk", 900, 127),
        line("Ruben Meijer", 900, 161),
        line("Spoorstraat 9a", 900, 194),
        line("3781 GK Voorthuizen", 900, 227),
        line("Bouwbedrijf Kuipers & Zn. B.V.", 142, 455),
        line("t.a.v. crediteurenadministratie", 142, 494),
        line("Industrieweg 34", 142, 534),
        line("3861 RD Nijkerk", 142, 574),
        line("Totaal", 700, 1559),
        line("€ 4.230,00", 1000, 1559),
        line(
            "Uitvoeringsbesluit OB 1968). BTW-identificatienummer afnemer: NL812345671B01. De afnemer dient de",
            174,
            1712,
        ),
        line("Meijer Houtwerk · eenmanszaak", 142, 2207, height=14),
        line("KvK 87402219", 520, 2207, height=14),
        line("BTW-id NL003418726B62", 728, 2207, height=14),
    )
    assert text_of(result, "vendor_name") == "Meijer Houtwerk"
    assert text_of(result, "customer_name") == "Bouwbedrijf Kuipers & Zn. B.V."


def test_a_us_utility_bills_seal_state_and_local_taxes_and_current_charges() -> None:
    """A municipal bill: the seal's "EST. 1851" beside a tagline of services parted by
    middle dots is no return address; "State & Local Taxes" are the tax on the "Current
    Charges", which add up to the amount due."""
    result = extract(
        line("Millbrook Public Utilities", 244, 102, height=52),
        line("EST. 1851", 110, 159, height=20),
        line("Water · Electric · Sewer · Stormwater", 244, 154),
        line("JAMES R & LINDA K PATTERSON", 93, 481),
        line("1842 ORCHARD HILL DR", 94, 508),
        line("MILLBROOK OH 44878-2310", 94, 535),
        line("Current Charges", 700, 633),
        line("$198.88", 1100, 633),
        line("State & Local Taxes", 700, 673),
        line("$6.56", 1100, 673),
        line("Total Amount Due", 700, 716),
        line("$205.44", 1100, 716),
    )
    assert text_of(result, "vendor_name") == "Millbrook Public Utilities"
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["198.88", "6.56", "205.44"]


def test_an_italian_stamp_duty_is_no_tax_and_norwegian_crowns_by_their_vat_word() -> None:
    """A "regime forfettario" fattura charges no VAT but adds a "Marca da bollo" of 2,00
    (stamp duty: a charge, not a tax); a bare "kr" beside "MVA" is the Norwegian crown."""
    italian = extract(
        line("Totale imponibile", 700, 1300),
        line("1.388,25", 1100, 1300),
        line("IVA (N2.2 – non applicata)", 700, 1340),
        line("0,00", 1100, 1340),
        line("Marca da bollo", 700, 1380),
        line("2,00", 1100, 1380),
        line("Totale documento", 700, 1420),
        line("€ 1.390,25", 1100, 1420),
        line("Imposta di bollo di € 2,00 assolta in modo virtuale ai sensi del", 100, 1600),
    )
    assert [normalized(italian, name) for name in ("subtotal", "tax", "total")] == ["1388.25", "0.00", "1390.25"]
    norwegian = extract(
        line("Org.nr. 918 442 673 MVA", 800, 273),
        line("Sum eks. MVA", 700, 1183),
        line("kr 30 468,00", 1000, 1183),
    )
    assert normalized(norwegian, "currency") == "NOK"


def test_a_totals_row_level_with_a_vat_tables_header_is_a_pair() -> None:
    """A marketplace invoice prints its VAT table and its totals box side by side, so
    "Total (excl. VAT) £85.33" shares a row with the table's column titles: the titles
    label their columns, the totals label beside its amount is still the subtotal."""
    result = extract(
        line("VAT rate", 100, 1230),
        line("Net amount", 200, 1230),
        line("VAT amount", 320, 1230),
        line("Gross amount", 440, 1230),
        line("Total (excl. VAT)", 700, 1230),
        line("£85.33", 1100, 1230),
        line("Standard 20%", 100, 1275),
        line("£85.33", 240, 1275),
        line("£17.07", 360, 1275),
        line("£102.40", 480, 1275),
        line("VAT 20%", 700, 1275),
        line("£17.07", 1100, 1275),
        line("Total payable", 700, 1320),
        line("£102.40", 1100, 1320),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["85.33", "17.07", "102.40"]


def test_one_box_for_the_payment_terms_and_the_due_date_gives_the_due_date() -> None:
    """ "Payment Terms / Due Date" wrapped in its cell, with "30 days / 05/06/2025" beside
    it: the date in the value is the due date."""
    result = extract(
        line("Invoice Date", 100, 571),
        line("06/05/2025", 300, 571),
        line("Payment Terms / Due", 700, 559),
        line("30 days / 05/06/2025", 950, 559),
        line("Date", 700, 584),
    )
    assert normalized(result, "due_date") == "2025-06-05"


def test_a_mobile_bills_charges_before_and_after_vat_and_a_spelt_out_form_without_its_stop() -> None:
    """ "Total charges (exc. VAT)" is the net and "(inc. VAT)" the total; a footer's
    "… Communications Limited. Registered in England" ends its sentence after the form:
    "Limited" is never written with a full stop."""
    result = extract(
        line("lumen", 100, 60, height=40),
        line("Total charges (exc. VAT)", 100, 1359),
        line("£33.75", 1100, 1359),
        line("VAT at 20%", 100, 1411),
        line("£6.75", 1100, 1411),
        line("Total charges (inc. VAT)", 100, 1467),
        line("£40.50", 1100, 1467),
        line("Lumen Mobile Communications Limited. Registered in England and Wales, company", 90, 1700),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["33.75", "6.75", "40.50"]
    assert text_of(result, "vendor_name") == "Lumen Mobile Communications Limited"


def test_a_payment_advices_key_grid_beside_the_payees_address() -> None:
    """A payment advice prints a key grid ("Customer | Mrs Hannah Whitcombe" over
    "Invoice Number | INV-2087" …) beside the payee's "To:" block, whose rows come between
    the grid's rows: the grid's customer is still its value cell."""
    result = extract(
        line("PAYMENT ADVICE", 100, 1820),
        line("Customer", 700, 1824),
        line("Mrs Hannah Whitcombe", 950, 1824),
        line("Invoice Number", 700, 1862),
        line("INV-2087", 950, 1862),
        line("To: Totara Ridge Joinery Limited", 100, 1878),
        line("Unit 4, 18 Kahikatea Drive", 100, 1910),
        line("Amount Due", 700, 1905),
        line("8,661.80", 950, 1905),
        line("Hamilton 3204", 100, 1942),
        line("Due Date", 700, 1948),
        line("20 Apr 2025", 950, 1948),
    )
    assert text_of(result, "customer_name") == "Mrs Hannah Whitcombe"


def test_a_romanian_facturas_parties_series_dates_and_sum_row() -> None:
    """A factură: "FURNIZOR" and "CUMPĂRĂTOR" head the parties; the series printed apart
    ("Seria: CTL" over "Nr.: 0004587") goes before the number; "Data" wrapped over
    "scadenței:" is the due date; the items' "Total" row prints the net and the VAT side
    by side (19 % of the net), and "Total de plată", wrapped onto two lines, has its
    amount in lei level with their middle."""
    result = extract(
        line("FURNIZOR", 100, 104),
        line("CUMPĂRĂTOR", 700, 104),
        line("CARPATRANS LOGISTIC S.R.L.", 100, 141),
        line("AGROIND MOLDOVA S.A.", 700, 141),
        line("Seria:", 400, 353),
        line("CTL", 520, 353),
        line("Nr.:", 400, 390),
        line("0004587", 520, 390),
        line("Data emiterii:", 400, 428),
        line("07.03.2025", 560, 428),
        line("Data", 400, 465, height=28),
        line("06.04.2025", 560, 482, height=28),
        line("scadenței:", 400, 495, height=28),
        line("Cota TVA: 19%", 400, 532),
        line("Total", 700, 1237),
        line("6.378,00", 850, 1237),
        line("1.211,82", 1000, 1237),
        line("Total de plată", 700, 1363, height=34),
        line("7.589,82 lei", 1000, 1386, height=34),
        line("(col. 5 + col. 6)", 700, 1415),
    )
    assert text_of(result, "vendor_name") == "CARPATRANS LOGISTIC S.R.L."
    assert text_of(result, "customer_name") == "AGROIND MOLDOVA S.A."
    assert normalized(result, "invoice_number") == "CTL 0004587"
    assert [normalized(result, name) for name in ("invoice_date", "due_date")] == ["2025-03-07", "2025-04-06"]
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["6378.00", "1211.82", "7589.82"]
    assert normalized(result, "currency") == "RON"


def test_a_turkish_e_arsiv_invoices_wordings() -> None:
    """An e-Arşiv fatura: the seller's "… TİCARET" wraps its "ANONİM ŞİRKETİ" (the joint
    stock company's form) onto the next line; "SAYIN" heads the buyer; "Fatura Tarihi"
    is the date and "Sipariş Tarihi" the order's; the sums are "Mal Hizmet Toplam Tutarı",
    "Hesaplanan KDV" and "Ödenecek Tutar", in "TL"."""
    result = extract(
        line("EGE DİJİTAL ELEKTRONİK TİCARET", 83, 96, height=30),
        line("ANONİM ŞİRKETİ", 83, 134, height=30),
        line("Kazımdirik Mah. 372/8 Sok. No: 14", 83, 174),
        line("35100 Bornova / İZMİR", 83, 207),
        line("SAYIN", 83, 526),
        line("Mehmet Yıldırım", 83, 559),
        line("Atatürk Cad. No: 188 D: 5", 83, 595),
        line("Fatura Tarihi:", 700, 655),
        line("12-03-2025", 950, 655),
        line("Sipariş Tarihi:", 700, 761),
        line("10-03-2025", 950, 761),
        line("Mal Hizmet Toplam Tutarı", 700, 1203),
        line("34.117,50 TL", 1000, 1203),
        line("Hesaplanan KDV(%20)", 700, 1282),
        line("6.823,50 TL", 1000, 1282),
        line("Ödenecek Tutar", 700, 1361),
        line("40.941,00 TL", 1000, 1361),
    )
    assert text_of(result, "vendor_name") == "EGE DİJİTAL ELEKTRONİK TİCARET ANONİM ŞİRKETİ"
    assert text_of(result, "customer_name") == "Mehmet Yıldırım"
    assert normalized(result, "invoice_date") == "2025-03-12"
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["34117.50", "6823.50", "40941.00"]
    assert normalized(result, "currency") == "TRY"


def test_an_estonian_arves_wordings() -> None:
    """An arve: "Arve nr", "Kuupäev", "Maksetähtaeg"; "Summa käibemaksuta" (without VAT),
    "Käibemaks 22%", "Kokku" and "Tasuda"."""
    result = extract(
        line("Pilvekoda OÜ, Tartu mnt 84a, 10112 Tallinn", 100, 251, height=14),
        line("Arve nr", 700, 259),
        line("PK25-0318", 1000, 259),
        line("Kuupäev", 700, 302),
        line("03.03.2025", 1000, 302),
        line("Maksetähtaeg", 700, 346),
        line("17.03.2025", 1000, 346),
        line("Summa käibemaksuta", 700, 1044),
        line("604,40", 1100, 1044),
        line("Käibemaks 22%", 700, 1090),
        line("132,97", 1100, 1090),
        line("Kokku", 700, 1138),
        line("737,37", 1100, 1138),
        line("Tasuda (EUR)", 700, 1184),
        line("737,37", 1100, 1184),
    )
    assert normalized(result, "invoice_number") == "PK25-0318"
    assert [normalized(result, name) for name in ("invoice_date", "due_date")] == ["2025-03-03", "2025-03-17"]
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["604.40", "132.97", "737.37"]
    assert match_label("Summa käibemaksuta").fields == {"subtotal": 3}


def test_a_brazilian_service_invoices_parties_number_and_iss() -> None:
    """An NFS-e: "Número da Nota" over its number; "PRESTADOR DE SERVIÇOS" and "TOMADOR
    DE SERVIÇOS" head blocks whose "Nome/Razão Social:" key gives the names; "(R$)" in a
    column title is the real; "Valor do ISS" is the tax; the ISS's own due date in the
    notes is not the invoice's."""
    result = extract(
        line("Número da Nota", 1000, 87),
        line("00002318", 1000, 108),
        line("PRESTADOR DE SERVIÇOS", 500, 279),
        line("CPF/CNPJ: 28.614.903/0001-57", 100, 323),
        line("Nome/Razão Social: VÉRTICE CÓDIGO CONSULTORIA EM SOFTWARE LTDA", 100, 358),
        line("TOMADOR DE SERVIÇOS", 500, 475),
        line("CPF/CNPJ: 11.482.735/0001-09", 100, 519),
        line("Nome/Razão Social: MERCANTIL IPIRANGA DISTRIBUIDORA DE ALIMENTOS LTDA", 100, 554),
        line("VENCIMENTO: 31/03/2025", 100, 1155),
        line("Valor do ISS (R$)", 900, 1577),
        line("543,75", 900, 1598),
        line("Data de vencimento do ISS desta NFS-e: 10/04/2025", 100, 1850),
    )
    assert normalized(result, "invoice_number") == "00002318"
    assert text_of(result, "vendor_name") == "VÉRTICE CÓDIGO CONSULTORIA EM SOFTWARE LTDA"
    assert text_of(result, "customer_name") == "MERCANTIL IPIRANGA DISTRIBUIDORA DE ALIMENTOS LTDA"
    assert normalized(result, "due_date") == "2025-03-31"
    assert normalized(result, "tax") == "543.75"
    assert normalized(result, "currency") == "BRL"


def test_a_philippine_sales_invoices_number_beside_its_title_and_its_printers_permit_dates() -> None:
    """ "SALES INVOICE" with "No. 0012457" in the box beside it; "VATable Sales" is the
    net; the printer's "Date Issued: … Valid Until: …" in the footer is a permit's
    validity, not the invoice's date."""
    result = extract(
        line("SALES INVOICE", 500, 301, height=30),
        line("No. 0012457", 1000, 301, height=30),
        line("DATE:", 700, 374),
        line("March 7, 2025", 900, 372),
        line("VATable Sales", 100, 1055),
        line("26,245.54", 400, 1055),
        line("VAT Amount", 100, 1226),
        line("3,149.46", 400, 1226),
        line("TOTAL AMOUNT DUE", 700, 1311),
        line("₱ 29,395.00", 1000, 1311),
        line("Date Issued: 01-15-2024", 100, 1589, height=14),
        line("Valid Until: 01-14-2029", 400, 1589, height=14),
    )
    assert normalized(result, "invoice_number") == "0012457"
    assert normalized(result, "invoice_date") == "2025-03-07"
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["26245.54", "3149.46", "29395.00"]


def test_a_bracketed_heading_qualifier_a_customers_order_number_and_a_pty_ltd() -> None:
    """ "SOLD TO (ACCOUNT CUSTOMER):" heads the customer's block; "Customer Order No"
    keys a number, never a name; "(Pty) Ltd" is one legal form, brackets and all."""
    result = extract(
        line("HIGHVELD BUILD", 100, 94, height=40),
        line("Highveld Build & Hardware (Pty) Ltd", 700, 96),
        line("Customer Order No", 600, 471),
        line(": PO 2211", 850, 471),
        line("SOLD TO (ACCOUNT CUSTOMER):", 100, 652),
        line("Mokoena Building Contractors CC", 100, 690),
        line("Plot 42, Kaalfontein Road, Ivory Park, Midrand, 1689", 100, 725),
    )
    assert text_of(result, "vendor_name") == "Highveld Build & Hardware (Pty) Ltd"
    assert text_of(result, "customer_name") == "Mokoena Building Contractors CC"


def test_slovenian_and_indonesian_wordings_and_dots_grouping_rupiah_without_cents() -> None:
    """A Slovenian račun ("Račun št.", "Datum izdaje", "Rok plačila", "Skupaj brez DDV",
    "DDV 22 %", "Za plačilo") and an Indonesian faktur ("No. Faktur" beside "No. Faktur
    Pajak", the tax invoice's number; "Tanggal", "Jatuh Tempo", "PPN 11%", "Total
    Tagihan"; rupiah printed without cents, "Rp 21.500.000")."""
    slovenian = extract(
        line("Račun št. 2025-0187", 100, 300, height=30),
        line("Datum izdaje:", 700, 360),
        line("08.04.2025", 1000, 360),
        line("Rok plačila:", 700, 440),
        line("22.04.2025", 1000, 440),
        line("Skupaj brez DDV", 700, 1200),
        line("1.232,00 EUR", 1050, 1200),
        line("DDV 22 %", 700, 1240),
        line("271,04 EUR", 1050, 1240),
        line("Za plačilo", 700, 1280),
        line("1.503,04 EUR", 1050, 1280),
    )
    assert normalized(slovenian, "invoice_number") == "2025-0187"
    assert [normalized(slovenian, name) for name in ("invoice_date", "due_date")] == ["2025-04-08", "2025-04-22"]
    assert [normalized(slovenian, name) for name in ("subtotal", "tax", "total")] == ["1232.00", "271.04", "1503.04"]
    indonesian = extract(
        line("No. Faktur", 100, 300),
        line("INV/SEL/2410/0387", 350, 300),
        line("Tanggal", 100, 340),
        line("21 Oktober 2024", 350, 340),
        line("Jatuh Tempo", 100, 380),
        line("20 November 2024", 350, 380),
        line("No. Faktur Pajak", 100, 420),
        line("010.004-24.81236574", 350, 420),
        line("Subtotal", 700, 1200),
        line("Rp 21.500.000", 1000, 1200),
        line("PPN 11%", 700, 1240),
        line("Rp 2.365.000", 1000, 1240),
        line("Total Tagihan", 700, 1280),
        line("Rp 23.865.000", 1000, 1280),
    )
    assert normalized(indonesian, "invoice_number") == "INV/SEL/2410/0387"
    assert normalized(indonesian, "due_date") == "2024-11-20"
    assert [normalized(indonesian, name) for name in ("subtotal", "tax", "total")] == [
        "21500000.00",
        "2365000.00",
        "23865000.00",
    ]


def test_a_bare_dollar_sign_is_the_peso_of_the_country_whose_tax_number_is_printed() -> None:
    """ "$12.990" on a Chilean boleta beside its "RUT" is the Chilean peso; beside an
    Argentine "CUIT" the Argentine one; with neither, the US dollar."""
    total = line("TOTAL $23.450", 100, 900)
    assert detect_currency([total, line("RUT: 76.123.456-7", 100, 100)]).code == "CLP"
    assert detect_currency([total, line("CUIT: 30-71234567-9", 100, 100)]).code == "ARS"
    assert detect_currency([total]).code == "USD"


def test_a_bilingual_form_glossing_its_labels_in_brackets() -> None:
    """A Vietnamese VAT invoice glosses each label in English ("Số (No.):", "Ngày (Date)"),
    writes its date with unit words ("15 tháng (month) 04 năm (year) 2025"), groups dong
    without cents and without a mark on the sums ("26.070.000"), and names the buyer's
    contact before the buyer ("Họ tên người mua hàng (Buyer)", then "Tên đơn vị (Company
    name): CÔNG TY …")."""
    result = extract(
        line("HÓA ĐƠN GIÁ TRỊ GIA TĂNG", 450, 126, height=40),
        line("Ngày (Date) 15 tháng (month) 04 năm (year) 2025", 470, 215),
        line("Số (No.): 00001234", 1176, 214),
        line("Đơn vị bán hàng (Seller): CÔNG TY TNHH ĐIỆN TỬ AN PHÁT", 130, 323),
        line("Họ tên người mua hàng (Buyer): Nguyễn Văn Hùng", 130, 573),
        line("Tên đơn vị (Company name): CÔNG TY CỔ PHẦN XÂY DỰNG MINH TÂM", 130, 611),
        line("Số đơn hàng (Order No.): DH-2504-0317 ngày 08/04/2025", 840, 821),
        line("Cộng tiền hàng (Sub total):", 936, 1435),
        line("23.700.000", 1364, 1435),
        line("Tiền thuế GTGT (VAT amount):", 1012, 1500),
        line("2.370.000", 1380, 1500),
        line("Tổng cộng tiền thanh toán (Total payment):", 682, 1564),
        line("26.070.000", 1364, 1564),
    )
    assert normalized(result, "invoice_number") == "00001234"
    assert normalized(result, "invoice_date") == "2025-04-15"
    assert text_of(result, "customer_name") == "CÔNG TY CỔ PHẦN XÂY DỰNG MINH TÂM"
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == [
        "23700000.00",
        "2370000.00",
        "26070000.00",
    ]


def test_series_and_number_on_one_line() -> None:
    """Lithuanian and Romanian invoices print the series and the number in one line
    ("Serija AZD Nr. 002315", "Seria CTL nr. 0004587"): the invoice is cited by both."""
    for printed, cited in (("Serija AZD Nr. 002315", "AZD 002315"), ("Seria CTL nr. 0004587", "CTL 0004587")):
        result = extract(
            line("PVM SĄSKAITA FAKTŪRA", 500, 244, height=45),
            line(printed, 640, 303),
            line("Išrašymo data: 2025-05-09", 658, 346),
        )
        assert text_of(result, "invoice_number") == cited


def test_latvian_service_parties_in_quotes_and_the_net_sum() -> None:
    """A Latvian rēķins heads its parties "Pakalpojuma sniedzējs" / "Pakalpojuma
    saņēmējs" (service provider / recipient), writes the legal form before the quoted
    name (SIA "Baltijas Maiznīca") and sums the net as "Kopā bez PVN"."""
    result = extract(
        line("Zīmola Darbnīca.", 124, 80, height=60),
        line("PAKALPOJUMA SNIEDZĒJS", 126, 366),
        line("PAKALPOJUMA SAŅĒMĒJS", 867, 366),
        line('SIA "Zīmola Darbnīca"', 126, 401),
        line('SIA "Baltijas Maiznīca"', 867, 401),
        line("Reģ. nr.:", 126, 445),
        line("40203218841", 362, 445),
        line("Reģ. nr.:", 867, 445),
        line("40003571266", 1103, 445),
        line("Kopā bez PVN", 851, 1190),
        line("2 020,00 EUR", 1346, 1190),
        line("PVN 21%", 851, 1240),
        line("424,20 EUR", 1369, 1240),
        line("Pavisam apmaksai", 851, 1303),
        line("2 444,20 EUR", 1262, 1303),
    )
    assert text_of(result, "vendor_name") == 'SIA "Zīmola Darbnīca"'
    assert text_of(result, "customer_name") == 'SIA "Baltijas Maiznīca"'
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["2020.00", "424.20", "2444.20"]
    assert match_label("Iš viso be PVM").fields == {"subtotal": 3}


def test_a_utility_bill_numbered_by_its_bill_no_for_its_consumer() -> None:
    """An Indian electricity bill: "Bill No." in a key grid that also prints the last
    payment's "Receipt No.", the customer under "CONSUMER NAME & ADDRESS", and the total
    as "NET AMOUNT PAYABLE" beside the amount and the due day's words."""
    result = extract(
        line("SAHYADRI STATE POWER DISTRIBUTION COMPANY LIMITED", 150, 60, height=30),
        line("Consumer No.", 60, 180),
        line("4101 2207 8853", 230, 180),
        line("Bill No.", 420, 180),
        line("2503417729081", 560, 180),
        line("Bill Date", 760, 180),
        line("08-03-2025", 900, 180),
        line("CONSUMER NAME & ADDRESS", 60, 300),
        line("M/S KAVERI MEDICALS & GENERAL STORES", 60, 330),
        line("Shop No. 3, Shreeji Heights, Paud Road", 60, 355),
        line("PUNE 411038, Maharashtra", 60, 380),
        line("Receipt No.", 640, 600),
        line("OL250218-", 960, 600),
        line("Arrears as on 05-02-2025", 640, 630),
        line("Rs. 0.00", 960, 630),
        line("NET AMOUNT PAYABLE", 60, 1000),
        line("Rs. 9,436.00 Payable on or before", 480, 1000),
    )
    assert text_of(result, "invoice_number") == "2503417729081"
    assert text_of(result, "customer_name") == "M/S KAVERI MEDICALS & GENERAL STORES"
    assert normalized(result, "total") == "9436.00"


def test_a_return_address_that_says_so_and_a_direct_debits_date() -> None:
    """A Dutch telecom bill: "Retouradres: Postbus …" over the window names no sender but
    shows where the recipient is; "Incassodatum" is the day the bill is collected, and
    the window to dispute it ("binnen 30 dagen") is no payment term."""
    result = extract(
        line("zeedijk", 60, 40, height=50),
        line("Factuurnummer", 700, 120),
        line("2025030618847", 1000, 120),
        line("Factuurdatum", 700, 145),
        line("6 maart 2025", 1000, 145),
        line("Incassodatum", 700, 170),
        line("20-03-2025", 1000, 170),
        line("Retouradres: Postbus 40133, 3504 AC Utrecht", 60, 230, height=14),
        line("Bloemsierkunst Van der Heijden V.O.F.", 60, 260),
        line("T.a.v. mevrouw S. van der Heijden", 60, 285),
        line("Voorstraat 88", 60, 310),
        line("3311 ER Dordrecht", 60, 335),
        line("Niet eens met deze factuur? Laat het ons binnen 30 dagen na de factuurdatum weten.", 60, 1500),
    )
    assert text_of(result, "customer_name") == "Bloemsierkunst Van der Heijden V.O.F."
    assert normalized(result, "due_date") == "2025-03-20"
    assert text_of(result, "vendor_name") != "Postbus 40133"


def test_a_uk_window_with_an_fao_line_and_a_district_postcode() -> None:
    """ "FAO Accounts Payable" is a care-of line, and "LS1 4DL" a postcode (its digit is
    no misread l): the block is the recipient's, not the vendor's."""
    result = extract(
        line("Fernbrook", 60, 50, height=50),
        line("Fernbrook Networks Ltd, Unit 4 Calder Park, Wakefield WF2 7AW", 640, 50, height=14),
        line("Account number", 700, 180),
        line("FB-0048-2291", 1000, 180),
        line("Halden & Marsh Architects LLP", 60, 200),
        line("Invoice number", 700, 205),
        line("INV-7715093", 1000, 205),
        line("FAO Accounts Payable", 60, 225),
        line("2nd Floor, 31 Wellington Street", 60, 250),
        line("Leeds", 60, 275),
        line("LS1 4DL", 60, 300),
    )
    assert text_of(result, "customer_name") == "Halden & Marsh Architects LLP"
    assert text_of(result, "vendor_name") == "Fernbrook Networks Ltd"


def test_a_bilingual_belgian_letterhead_and_a_number_between_its_label_lines() -> None:
    """A Belgian bill: the letterhead's legal form in both languages ("BV/SRL"); its
    tagline beside the letterhead's address column is no return address; the number sits
    level with the middle of "Factuurnummer / N° de" over "facture", the customer's name
    in the next column."""
    result = extract(
        line("Clarys Facility Services", 60, 50, height=45),
        line("Clarys Facility Services BV/SRL", 850, 50),
        line("Bergensesteenweg 612 / Chaussée de Mons 612", 720, 75),
        line("Schoonmaak · Nettoyage · Glasreiniging · Lavage de vitres", 60, 100),
        line("1070 Anderlecht", 1000, 104),
        line("FACTUUR / FACTURE", 60, 250, height=40),
        line("Klant / Client", 640, 265),
        line("Factuurnummer / N° de", 60, 300),
        line("Cabinet Dentaire du Sablon SRL", 640, 295),
        line("F2025/0318", 300, 310),
        line("facture", 60, 320),
        line("Rue de Rollebeek 23", 640, 345),
        line("1000 Bruxelles", 640, 370),
    )
    assert text_of(result, "invoice_number") == "F2025/0318"
    assert text_of(result, "vendor_name") == "Clarys Facility Services BV/SRL"
    assert text_of(result, "customer_name") == "Cabinet Dentaire du Sablon SRL"


def test_a_sentence_opening_with_a_party_word_and_a_keyed_company_in_the_footer() -> None:
    """ "Fournisseur d'électricité titulaire de l'autorisation …" is a sentence, not the
    supplier's heading; "Berufshaftpflicht: Allverein Versicherungs-AG" names the insurer,
    not the company of the letterhead."""
    french = extract(
        line("Hélios Énergie Pro", 60, 50, height=45),
        line("Facture n°", 700, 60),
        line("FE-2504-00487123", 950, 60),
        line("Hélios Énergie Pro SAS au capital de 4 500 000 € – RCS Lyon 852 413 907", 60, 1600, height=14),
        line("Fournisseur d'électricité titulaire de l'autorisation ministérielle d'achat", 60, 1620, height=14),
    )
    assert text_of(french, "vendor_name") == "Hélios Énergie Pro SAS"
    german = extract(
        line("BRANDT & OELKERS", 700, 50, height=45),
        line("Vergütungsrechnung Nr. 25-00317", 60, 500),
        line("Berufshaftpflicht: Allverein Versicherungs-AG · HRB 4411 · USt-IdNr. DE123456789", 60, 1620, height=14),
    )
    assert text_of(german, "vendor_name") != "Berufshaftpflicht: Allverein Versicherungs-AG"


def test_the_amount_in_words_wrapped_under_its_heading_names_the_currency() -> None:
    """A scan loses the "₹" OCR does not know; "Indian Rupees Three Lakh …", wrapped onto
    the line under "AMOUNT CHARGEABLE (IN WORDS)", still names the rupee."""
    lines = [
        line("AMOUNT CHARGEABLE (IN WORDS)", 60, 900),
        line("Indian Rupees Three Lakh Sixty-Three Thousand Seven", 60, 925),
        line("Hundred Thirty-Three Only", 60, 950),
        line("Invoice Total", 700, 900),
        line("3,63,733.00", 1000, 900),
    ]
    assert detect_currency(lines[1:2]).code == "INR"
    assert normalized(extract(*lines), "currency") == "INR"


def test_a_number_whose_dash_ocr_read_as_an_equals_sign_on_the_next_page() -> None:
    """Page 2's header repeats the number with a dash misread ("R-250305=0884127"): the
    two readings agree, the number is not left out as contested."""
    result = extract(
        line("Rechnungsnummer", 700, 300),
        line("R-250305-0884127", 950, 300),
        more_pages=([line("Rechnungsnummer", 700, 200), line("R-250305=0884127", 950, 200)],),
    )
    assert text_of(result, "invoice_number") == "R-250305-0884127"


def test_a_uae_letterhead_with_its_form_wrapped_and_a_keyed_registration_beside_it() -> None:
    """ "Al Noor Crest Facilities Management" over "L.L.C." (a form with stops) beside a
    monogram logo, and "Supplier TRN:" keying the number under it, not naming a party."""
    result = extract(
        line("Al Noor Crest Facilities Management", 200, 60, height=30),
        line("TAX INVOICE", 850, 60, height=45),
        line("NC", 80, 90, height=36),
        line("L.L.C.", 200, 92, height=30),
        line("Office 1407, Al Saqr Business Tower, Sheikh Zayed Road", 200, 125),
        line("Supplier TRN:", 1000, 130),
        line("100384725600003", 960, 152),
        line("BILL TO", 80, 260),
        line("Marina Vista Owners Association", 80, 300),
    )
    assert text_of(result, "vendor_name") == "Al Noor Crest Facilities Management L.L.C."


def test_a_site_heading_and_a_details_column_beside_the_bill_to_heading() -> None:
    """ "INSTALLATION SITE" heads the site's block, "Details" a column of keys with their
    values ("PO number: NB-2025-044"): neither is the customer the "Bill to" beside them
    names; "Payment by ACH or card …" says how to pay, not by when."""
    nigerian = extract(
        line("BILL TO", 120, 400),
        line("INSTALLATION SITE", 700, 400),
        line("Mrs. Adaeze Nwankwo", 120, 430),
        line("Same as billing address", 700, 430),
        line("Plot 22, Chief Collins Street", 120, 455),
    )
    assert text_of(nigerian, "customer_name") == "Mrs. Adaeze Nwankwo"
    american = extract(
        line("Date due", 100, 220),
        line("March 31, 2025", 280, 220),
        line("Priya Raman Design LLC", 100, 300),
        line("Bill to", 460, 300),
        line("Details", 820, 300),
        line("Northbeam Analytics, Inc.", 460, 325),
        line("PO number: NB-2025-044", 820, 325),
        line("Payment by ACH or card via the link above.", 100, 1400),
        line("EIN on file with client (W-9 provided 01/14/2024).", 100, 1425),
    )
    assert text_of(american, "customer_name") == "Northbeam Analytics, Inc."
    assert normalized(american, "due_date") == "2025-03-31"


def test_a_slovenian_window_under_a_return_line_of_a_d_o_o() -> None:
    """ "Podatkovni Oblak d.o.o., Tehnološki park 24, 1000 Ljubljana" is a return line (its
    "d.o.o." a legal form, not "0.0" misread), over a window whose street is a "cesta"."""
    result = extract(
        line("Podatkovni Oblak d.o.o.", 60, 40, height=36),
        line("Račun št. 2025-0187", 60, 260, height=30),
        line("Podatkovni Oblak d.o.o., Tehnološki park 24, 1000 Ljubljana", 60, 320, height=14),
        line("Mizarstvo Zupan d.o.o.", 60, 345),
        line("Datum izdaje:", 700, 345),
        line("07.04.2025", 950, 345),
        line("Kidričeva cesta 56", 60, 370),
        line("4220 Škofja Loka", 60, 395),
    )
    assert text_of(result, "customer_name") == "Mizarstvo Zupan d.o.o."
    assert find_amounts("Podatkovni Oblak d.o.o.", require_decimals=True) == []


def test_an_argentine_factura_cited_by_its_point_of_sale() -> None:
    """An AFIP factura: "Punto de Venta: 00003" beside "Comp. Nro: 00001287" is cited
    "00003-00001287"; the seller's "Razón Social:" gives the legal name behind the logo
    "DELTA SUR" (after a trade word), and "Apellido y Nombre / Razón Social:" names the
    buyer."""
    result = extract(
        line("DELTA SUR", 60, 60, height=40),
        line("FACTURA", 800, 60, height=40),
        line("Punto de Venta: 00003", 640, 150),
        line("Comp. Nro: 00001287", 950, 150),
        line("Razón Social: Sistemas Delta Sur S.R.L.", 60, 180),
        line("Fecha de Emisión: 12/03/2025", 640, 180),
        line("CUIT: 30-70984127-3", 60, 400),
        line("Apellido y Nombre / Razón Social: Distribuidora Los Álamos S.A.", 400, 400),
    )
    assert text_of(result, "invoice_number") == "00003-00001287"
    assert text_of(result, "vendor_name") == "Sistemas Delta Sur S.R.L."
    assert text_of(result, "customer_name") == "Distribuidora Los Álamos S.A."


def test_a_return_line_that_shortens_the_letterheads_name() -> None:
    """A tax adviser's return line prints "Brandt & Oelkers StBG mbH"; its letterhead
    and side block spell the name out over two lines ("Brandt & Oelkers" over
    "Steuerberatungsgesellschaft mbH"): the name in full, as the firm writes it."""
    assert LEGAL_FORM.search(fold("Steuerberatungsgesellschaft mbH")) is not None
    result = extract(
        line("BRANDT & OELKERS", 900, 94, height=55),
        line("STEUERBERATUNGSGESELLSCHAFT MBH", 900, 155, height=25),
        line("Brandt & Oelkers", 1000, 317),
        line("Steuerberatungsgesellschaft mbH", 1000, 346),
        line("Brandt & Oelkers StBG mbH · Am Sande 12 · 21335 Lüneburg", 120, 371, height=16),
        line("Am Sande 12", 1000, 375),
        line("Bäckerei Hansen GmbH", 120, 413),
        line("21335 Lüneburg", 1000, 404),
        line("Bardowicker Straße 41", 120, 486),
        line("21335 Lüneburg", 120, 522),
        line("Vergütungsrechnung Nr. 25-00317", 120, 810),
        line("Rechnungsbetrag", 700, 1552),
        line("1.215,70 €", 1000, 1552),
    )
    assert text_of(result, "vendor_name") == "Brandt & Oelkers Steuerberatungsgesellschaft mbH"
    assert text_of(result, "customer_name") == "Bäckerei Hansen GmbH"


def test_a_hotel_folios_owner_under_its_tagline_and_a_slashed_bill_to() -> None:
    """ "(A unit of Suryakiran Hospitality Private Limited)" two rows under the sign, past
    its letter-spaced tagline, names the company; "Company / Bill To" heads the guest's
    company, whose "Pvt." wraps its "Ltd." onto the next line, and the folio's closing
    "Bill to Company – City Ledger" is the way it is settled."""
    result = extract(
        line("HOTEL SURYAKIRAN RESIDENCY", 350, 87, height=60),
        line("B U S I N E S S   H O T E L", 420, 150),
        line("(A unit of Suryakiran Hospitality Private Limited)", 400, 176),
        line("No. 14, 3rd Cross, Residency Road, Bengaluru - 560025", 380, 205),
        line("Company / Bill To", 104, 403),
        line("Kaveri Infotech Solutions Pvt.", 382, 403),
        line("Bill No.", 837, 403),
        line("SKR/24-25/04817", 1115, 403),
        line("Ltd.", 382, 430),
        line("Billing Address", 104, 470),
        line("Unit 702, Lodha Supremus, Road No.", 382, 470),
        line("Grand Total", 915, 1408),
        line("25,626.00", 1115, 1408),
        line("Bill to Company – City Ledger", 900, 1608),
    )
    assert text_of(result, "vendor_name") == "Suryakiran Hospitality Private Limited"
    assert text_of(result, "customer_name") == "Kaveri Infotech Solutions Pvt. Ltd."


def test_a_ride_receipts_issuer_in_a_sentence_and_a_far_invoice_to_cell() -> None:
    """ "Issued by Zipway Mobility UK Limited in its own name for …": the company, not the
    sentence; "Invoice to" with the name far right over "Ltd" and an address; "Client
    workshop, Canary Wharf" is an expense memo, not a client heading."""
    result = extract(
        line("zipway", 154, 114, height=58),
        line("Expense memo", 871, 300),
        line("Client workshop, Canary Wharf", 1181, 300),
        line("Issued by Zipway Mobility UK Limited in its own name for the service fee, and", 152, 400),
        line("Invoice number", 152, 460),
        line("ZWGB-2503-0418773", 447, 460),
        line("Invoice to", 873, 460),
        line("Harrow Lane Consulting", 1168, 460),
        line("Ltd", 1168, 489),
        line("3rd Floor, 18 Bride Lane", 1168, 518),
        line("Total", 152, 700),
        line("£27.10", 900, 700),
    )
    assert text_of(result, "vendor_name") == "Zipway Mobility UK Limited"
    assert text_of(result, "customer_name") == "Harrow Lane Consulting Ltd"


def test_a_monogram_letterhead_and_its_footers_imprint() -> None:
    """A firm's monogram ("M|G") over letter-spaced trades: the imprint whose name opens
    with those initials ("Meulenbelt & Gerritsen Accountants B.V. · Stationsweg 14 · …")."""
    result = extract(
        line("A C C O U N T A N T S", 339, 146),
        line("M|G", 206, 161, height=49),
        line("B E L A S T I N G A D V I S E U R S", 339, 177),
        line("Bakkerij Hoogendoorn V.O.F.", 189, 397),
        line("T.a.v. de heer J. Hoogendoorn", 189, 435),
        line("Langstraat 41", 189, 474),
        line("3771 BC BARNEVELD", 189, 512),
        line("Totaal", 800, 1500),
        line("€ 1.234,00", 1000, 1500),
        line("Meulenbelt & Gerritsen Accountants B.V. · Stationsweg 14 · 3811 ML Amersfoort", 284, 2195),
    )
    assert text_of(result, "vendor_name") == "Meulenbelt & Gerritsen Accountants B.V."


def test_a_deposit_invoices_title_and_its_number_box() -> None:
    """ "FACTURE D'ACOMPTE" is a title alone: the number is the code right-aligned under
    it ("N°" | "FA-2025-0042")."""
    result = extract(
        line("Menuiserie Garnier & Fils SARL", 110, 107, height=46),
        line("FACTURE D'ACOMPTE", 1306, 103, height=48),
        line("N°", 1220, 172),
        line("FA-2025-0042", 1361, 172),
        line("Total TTC", 851, 1127),
        line("4 680,00 €", 1300, 1127),
    )
    assert text_of(result, "invoice_number") == "FA-2025-0042"


def test_a_solicitors_disbursements_and_payments_on_account() -> None:
    """Fees and their VAT, then disbursements outside the scope of VAT: "TOTAL OF THIS
    INVOICE" is their sum, the balance after payments on account is not the invoice's."""
    result = extract(
        line("Ashdown Merrivale LLP", 1000, 100, height=40),
        line("Subtotal (professional charges and expenses)", 166, 1177),
        line("3,468.00", 1250, 1177),
        line("VAT at 20%", 166, 1210),
        line("693.60", 1270, 1210),
        line("Total disbursements", 166, 1387),
        line("1,394.00", 1250, 1387),
        line("TOTAL OF THIS INVOICE", 166, 1566),
        line("£5,555.60", 1212, 1566),
        line("Less: payment on account received 14th January 2025", 166, 1610),
        line("1,000.00", 1250, 1610),
        line("Less: payment on account received 28th February 2025", 166, 1650),
        line("1,000.00", 1250, 1650),
        line("BALANCE NOW DUE", 166, 1693),
        line("£3,555.60", 1185, 1693),
        line("Balance due: £3,555.60", 840, 2056),
    )
    assert normalized(result, "total") == "5555.60"


def test_a_registrars_pay_to_block_with_the_legal_name_in_brackets() -> None:
    """A billing panel's "Pay To" heads the seller ("nordhost (Nordhost OÜ)": the legal
    name in brackets, an Estonian OÜ), beside "Invoiced To"."""
    result = extract(
        line("nord/host", 110, 103, height=61),
        line("Invoiced To", 110, 459),
        line("Pay To", 890, 459),
        line("Brightfield Studio S.L.", 110, 511),
        line("nordhost (Nordhost OÜ)", 890, 511),
        line("Carrer de Russafa 27, 3o 2a", 110, 582),
        line("Telliskivi 60a/3", 890, 547),
        line("Total", 1270, 1389),
        line("€203.76 EUR", 1376, 1389),
    )
    assert text_of(result, "vendor_name") == "Nordhost OÜ"
    assert text_of(result, "customer_name") == "Brightfield Studio S.L."


def test_a_water_bills_window_past_its_department_line_and_a_nota() -> None:
    """ "If undelivered return to:" heads a window whose first line is the department
    the bill goes to ("The Accounts Payable Dept"): the company is the next line. A Dutch
    utility's "Notanummer" and "Notadatum" number and date its bill."""
    water = extract(
        line("brookmere", 156, 80, height=62),
        line("Invoice number", 917, 173),
        line("7004128836", 1379, 173),
        line("If undelivered return to: PO Box 7721, Wakefield WF1 9QP", 102, 387, height=21),
        line("The Accounts Payable Dept", 102, 424),
        line("Hollins & Pike Joinery Ltd", 102, 459),
        line("Unit 4, Tanyard Business Park", 102, 496),
        line("Sowerby Road", 102, 533),
        line("HALIFAX", 102, 570),
        line("HX6 2LT", 102, 607),
        line("Amount due", 900, 900),
        line("£871.56", 1300, 900),
    )
    assert text_of(water, "customer_name") == "Hollins & Pike Joinery Ltd"
    nota = extract(
        line("lingestroom", 254, 108, height=58),
        line("Notanummer", 179, 673),
        line("5401827736", 347, 673),
        line("Notadatum", 179, 707),
        line("14-10-2024", 347, 707),
        line("Datum", 167, 916),
        line("01-07-2024", 167, 954),
        line("Te betalen", 900, 1500),
        line("€ 116,60", 1300, 1500),
    )
    assert text_of(nota, "invoice_number") == "5401827736"
    assert normalized(nota, "invoice_date") == "2024-10-14"


def test_a_bill_number_a_counterfoil_wraps_and_a_customer_care_line() -> None:
    """The counterfoil repeats "Bill No: NFN/AMD/24-" cut at its dash by running text: it
    agrees with the header's whole number; "Customer care: 079-4890 2211" is a help line,
    not the customer's heading."""
    result = extract(
        line("NAVRANG FIBRENET PRIVATE LIMITED", 339, 80, height=51),
        line("Customer care: 079-4890 2211 | care@navrangfibre.example", 373, 192),
        line("Bill To:", 100, 296),
        line("Bill No", 840, 298),
        line("NFN/AMD/24-25/048213", 1262, 298),
        line("SHREEJI TEXTILES", 100, 321),
        line("14, Sardar Market, Ring Road", 100, 371),
        line("Amount payable", 900, 1200),
        line("Rs. 2,005.00", 1300, 1200),
        line("Bill No: NFN/AMD/24-", 683, 1837),
        line("25/048213", 90, 1860),
    )
    assert text_of(result, "invoice_number") == "NFN/AMD/24-25/048213"
    assert text_of(result, "customer_name") == "SHREEJI TEXTILES"
