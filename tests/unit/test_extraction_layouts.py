"""Layout habits of real invoices the extractor generalises over (each found on real
documents, reproduced here with hand-placed lines): party headings over a block whose
first line is a sub-label, a company named after a party word, the number and date in
the title line, address lines that are not the vendor, registration numbers after the
legal form, label wordings in more languages, and checks that do not cry wolf."""

from __future__ import annotations

import pytest

from invoice_ocr.extraction.invoice import InvoiceExtraction
from invoice_ocr.extraction.labels import match_label
from tests.unit.test_extraction_invoice import centered, check, extract, line, normalized


def text_of(result: InvoiceExtraction, name: str) -> str | None:
    value = result.fields[name]
    return value.value if value else None


def party_blocks() -> list:
    """A German e-invoice visualisation: headings, a number sub-label, then the name."""
    return [
        line("Handelsrechnung Nr. 471102 vom 05.03.2018", 80, 100, height=35),
        line("Verkäufer:", 80, 200),
        line("Nummer", 80, 230),
        line(": 549910", 300, 230),
        line("Globale Nummer: 4000001123452 (GTIN)", 80, 260),
        line("Lieferant GmbH", 80, 290),
        line("Lieferantenstraße 20", 80, 320),
        line("Käufer:", 80, 400),
        line("Nummer", 80, 430),
        line(": GE2020211", 300, 430),
        line("Kunden AG Mitte", 80, 460),
        line("Kundenstraße 15", 80, 490),
    ]


def test_party_heading_skips_sub_labels_to_the_name() -> None:
    result = extract(*party_blocks())
    assert text_of(result, "vendor_name") == "Lieferant GmbH"
    assert text_of(result, "customer_name") == "Kunden AG Mitte"


def test_title_line_holds_number_and_date() -> None:
    result = extract(*party_blocks())
    assert normalized(result, "invoice_number") == "471102"
    assert normalized(result, "invoice_date") == "2018-03-05"


def test_a_party_word_with_a_legal_form_is_a_name_not_a_heading() -> None:
    assert match_label("Lieferant GmbH") is None
    assert match_label("Supplier Ltd.") is None
    assert match_label("Lieferant:") is not None


def test_labelled_name_without_legal_form_is_not_high_confidence() -> None:
    result = extract(*party_blocks())
    assert result.fields["vendor_name"].confidence >= 0.85  # "GmbH": a company for sure
    assert result.fields["customer_name"].confidence >= 0.85  # "AG"
    person = extract(line("Bill to:", 80, 200), line("Theodor Est", 80, 230))
    assert text_of(person, "customer_name") == "Theodor Est"
    assert person.fields["customer_name"].confidence < 0.9


def receipt_header(*top: str) -> list:
    lines = [line(text, 200, 40 + 30 * index) for index, text in enumerate(top)]
    return [*lines, line("TOTAL", 100, 600), line("12.50", 400, 600)]


def test_address_and_key_value_lines_are_not_the_vendor() -> None:
    result = extract(
        *receipt_header(
            "3RD FLR, AEON TAMAN MALURI SC",
            "JLN JEJAKA, TAMAN MALURI",
            "CHERAS, 55100 KUALA LUMPUR",
            "VALUED CUSTOMER: 1170086176",
            "AEON CO. (M) BHD (126926-H)",
        )
    )
    assert text_of(result, "vendor_name") == "AEON CO. (M) BHD"


def test_registration_number_after_the_legal_form_is_not_part_of_the_name() -> None:
    result = extract(*receipt_header("GARDENIA BAKERIES (KL) SDN BHD (139386 X)", "LOT 3, JALAN PELABUR 23/1"))
    assert text_of(result, "vendor_name") == "GARDENIA BAKERIES (KL) SDN BHD"


def test_legal_form_boxed_apart_on_the_same_row_joins_the_name() -> None:
    lines = [line("SUBANG HEALTHCARE SDN", 40, 60), line("BHD", 300, 60), line("B-8, JALAN SS15/4D", 40, 90)]
    result = extract(*lines, line("TOTAL", 40, 400), line("28.90", 300, 400))
    assert text_of(result, "vendor_name") == "SUBANG HEALTHCARE SDN BHD"


def test_invoice_number_and_total_labels_in_more_languages() -> None:
    cases = {
        "Factuurnummer": "invoice_number",
        "Fattura n.": "invoice_number",
        "Faktura VAT nr": "invoice_number",
        "Inv #": "invoice_number",
        "Belegnummer": "invoice_number",
        "Rechnungskorrektur Nr.": "invoice_number",
        "Te betalen": "total",
        "Razem do zapłaty": "total",
        "Zahlbetrag": "total",
        "Bruttosumme": "total",
        "Due payable:": "total",
        "Rechnungssumme ohne USt.": "subtotal",
        "Please remit until": "due_date",
        "Vervaldatum": "due_date",
        "Käufer:": "customer_name",
        "Sprzedawca": "vendor_name",
        "Datos del cliente:": "customer_name",
        "Destinataire :": "customer_name",
        "Spett.le": "customer_name",
        "An:": "customer_name",
        "Fecha de pago:": "due_date",
        "Réf. facture :": "invoice_number",
        "Nr faktury:": "invoice_number",
        "N.º da fatura:": "invoice_number",
        "Re.-Nr.:": "invoice_number",
        "Factura rectificativa nº": "invoice_number",
        "Nº abono": "invoice_number",
        "Faturar a:": "customer_name",
        "Cessionario:": "customer_name",
        "Exmo.(s) Sr.(s)": "customer_name",
        "Vencimento:": "due_date",
        "Total ilíquido": "subtotal",
        "Base tributável": "subtotal",
        "Subtotale": "subtotal",
        "Montant total HT": "subtotal",
        "Valor a pagar": "total",
        "Netto a pagare": "total",
        "Líquido a percibir": "total",
        "Total à payer": "total",
        "Korekta nr": "invoice_number",
        "Credit Memo No.": "invoice_number",
        "Tax Invoice No.": "invoice_number",
        "GST Invoice No:": "invoice_number",
        "Doc. No.": "invoice_number",
        "Statement No.": "invoice_number",
        "Fra. nº": "invoice_number",
        "FS n.º": "invoice_number",
        "Serie/Número": "invoice_number",
        "N. scontrino:": "invoice_number",
        "Paragon nr": "invoice_number",
        "Documento n.": "invoice_number",
        "Reference:": "invoice_number",
        "Nº: F09573": "invoice_number",
        "Nº ...... A/2024/5426": "invoice_number",
        "Te betalen vóór": "due_date",
        "Uiterste betaaldatum:": "due_date",
        "Zahlungsziel": "due_date",
        "Termin zapłaty:": "due_date",
        "Płatne do": "due_date",
        "Payable avant le :": "due_date",
        "Klant:": "customer_name",
        "Klient:": "customer_name",
        "Factuuradres:": "customer_name",
        "Billing address": "customer_name",
        "Kwota VAT 23%": "tax",
        "PTU A 8%": "tax",
        "I.V.A. 21%": "tax",
        "waarvan BTW 9%": "tax",
        "enth. MwSt. 19%": "tax",
        "Invoice Value": "total",
        "Gross amount": "total",
        "Rechnungsendbetrag": "total",
        "Endsumme": "total",
        "Te voldoen": "total",
        "New balance": "total",
        "Tax point": "invoice_date",
        "Please pay by": "due_date",
        "Betalen voor": "due_date",
        "Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum 28.11.2026": "due_date",
        "Invoiced to": "customer_name",
        "Bill-to party": "customer_name",
        "Customer details": "customer_name",
        "Purchaser": "customer_name",
        "Recipient": "customer_name",
        "Leistungsempfänger": "customer_name",
        "Besteller": "customer_name",
        "Adquirente": "customer_name",
    }
    for text, field in cases.items():
        label = match_label(text)
        assert label is not None and field in label.fields, text
    # A bare number word keys a number only as "Nº:" or with leaders, never a street's.
    for street in ("NO: 28, JALAN ASTANA 1C,", "No. 12, Jalan Kebudayaan", "No. of items: 3"):
        assert match_label(street) is None, street
    dutch = extract(line("Factuur F202501557 d.d. 09-05-2025", 80, 100, height=30))
    assert normalized(dutch, "invoice_number") == "F202501557"


def test_sums_of_charges_and_allowances_are_not_the_total() -> None:
    for text in ("Gesamtbetrag der Zuschläge", "Gesamtbetrag der Abschläge", "Erhaltene Anzahlungen"):
        assert match_label(text) is None, text


def test_rupees_are_indian_rupees() -> None:
    result = extract(line("Grand Total", 100, 600), line("Rs 1939.00", 400, 600))
    assert normalized(result, "currency") == "INR"
    assert normalized(result, "total") == "1939.00"


def table(*rows: tuple[str, str, str, str], y: int = 300) -> list:
    header = [line("Description", 80, y), line("Qty", 600, y), line("Unit Price", 750, y), line("Amount", 1000, y)]
    body = []
    for index, (description, quantity, price, amount) in enumerate(rows, start=1):
        top = y + 35 * index
        body += [line(description, 80, top), line(quantity, 620, top), line(price, 770, top), line(amount, 1010, top)]
    return header + body


def test_unit_price_column_is_not_read_as_quantity() -> None:
    result = extract(*table(("Paper", "2", "4.50", "9.00")), line("Total", 750, 600), line("9.00", 1010, 600))
    [item] = result.line_items
    assert (item.quantity.normalized, item.unit_price.normalized, item.amount.normalized) == ("2", "4.50", "9.00")
    assert check(result, "line_item_quantity_times_unit_price") == "passed"


def test_titles_flush_left_over_numbers_flush_right_keep_their_columns() -> None:
    """A billing platform's PDF (measured on a Chromium print): each title starts its column
    and each number ends it, so "12" ends right where "Unit price" begins."""
    titles = [
        line(text, x, 786) for text, x in (("Description", 160), ("Qty", 852), ("Unit price", 956), ("Amount", 1240))
    ]
    cells = [("Team plan", 160), ("12", 919), ("$99.00", 1138), ("$1,188.00", 1391)]
    result = extract(
        *titles, *(line(text, x, 851) for text, x in cells), line("Total", 640, 1000), line("$1,188.00", 1387, 1000)
    )
    [item] = result.line_items
    assert (item.quantity.normalized, item.unit_price.normalized, item.amount.normalized) == ("12", "99.00", "1188.00")
    assert check(result, "line_items_sum_to_subtotal") != "failed"


def test_a_row_number_column_left_of_the_description_is_no_item_value() -> None:
    """German "Pos." and Indian "Sl No." columns come first; an Indian GST table prints no
    subtotal: its items, CGST and SGST add up to the total, which verifies tax and total."""
    german = [("Pos.", 80), ("Bezeichnung", 160), ("Menge", 620), ("Einzelpreis", 770), ("Gesamtpreis", 1010)]
    body = [("1", 80), ("Wartung Therme", 160), ("2", 640), ("68,00 €", 780), ("136,00 €", 1020)]
    result = extract(*(line(t, x, 300) for t, x in german), *(line(t, x, 335) for t, x in body))
    [item] = result.line_items
    assert (item.description.value, item.quantity.normalized, item.amount.normalized) == (
        "Wartung Therme",
        "2",
        "136.00",
    )
    indian = [("Sl No.", 40), ("Description of Goods", 120), ("HSN/SAC", 500), ("Quantity", 620), ("Rate", 760)]
    rows = [line(t, x, 300) for t, x in [*indian, ("per", 860), ("Amount", 960)]]
    rows += [line(t, x, 335) for t, x in [("1", 40), ("Brake Pad Set", 120), ("8708", 500), ("20 Nos", 620)]]
    rows += [line("450.00", 760, 335), line("Nos", 860, 335), line("9,000.00", 960, 335)]
    rows += [
        line(t, x, 400 + 35 * i)
        for i, pair in enumerate((("CGST @ 9%", "810.00"), ("SGST @ 9%", "810.00"), ("Total", "₹ 10,620.00")))
        for t, x in zip(pair, (120, 960), strict=True)
    ]
    gst = extract(*rows)
    assert [item.amount.normalized for item in gst.line_items] == ["9000.00"]
    assert (normalized(gst, "tax"), normalized(gst, "total")) == ("1620.00", "10620.00")
    assert check(gst, "line_items_sum_to_subtotal") == "passed"


def test_items_sum_allows_a_cent_of_rounding_per_item_and_tax_inclusive_prices() -> None:
    rows = [("A", "1", "3.33", "3.33"), ("B", "1", "3.33", "3.33"), ("C", "1", "3.33", "3.33")]
    rounded = extract(*table(*rows), line("Subtotal", 750, 600), line("10.00", 1010, 600))
    assert check(rounded, "line_items_sum_to_subtotal") == "passed"
    inclusive = extract(
        *table(("A", "1", "11.90", "11.90")),
        line("Net", 750, 600),
        line("10.00", 1010, 600),
        line("VAT 19%", 750, 635),
        line("1.90", 1010, 635),
        line("Total", 750, 670),
        line("11.90", 1010, 670),
    )
    assert check(inclusive, "line_items_sum_to_subtotal") == "passed"


def test_a_doubtful_item_table_does_not_fail_the_items_sum() -> None:
    # "Amount" titles the quantity column here: quantity x price != "amount" in the rows.
    result = extract(*table(("Balloons", "1", "0.79", "400.00")), line("Subtotal", 750, 600), line("316.00", 1010, 600))
    assert check(result, "line_items_sum_to_subtotal") == "not_applicable"


def test_receipt_items_without_a_header_row() -> None:
    result = extract(
        line("MILO 1KG", 40, 300),
        line("2 PC @ 4.90", 40, 330),
        line("9.80", 400, 330),
        line("BREAD 1 X 3.50", 40, 360),
        line("3.50", 400, 360),
        line("TOTAL", 40, 420),
        line("13.30", 400, 420),
    )
    items = [
        (item.description.value, item.quantity.normalized, item.unit_price.normalized, item.amount.normalized)
        for item in result.line_items
    ]
    assert items == [("MILO 1KG", "2", "4.90", "9.80"), ("BREAD", "1", "3.50", "3.50")]
    assert check(result, "line_items_sum_to_subtotal") == "passed"
    italian = extract(line("Caffè 1kg", 46, 417), line("20 PZ x 11,25", 76, 450), line("225,00", 484, 450))
    assert [(item.quantity.normalized, item.unit_price.normalized) for item in italian.line_items] == [("20", "11.25")]


def test_amount_titled_quantity_column_and_a_sub_cent_unit_price() -> None:
    header = [line("Amount", 80, 300), line("Product", 250, 300), line("Price", 750, 300), line("Total", 1000, 300)]
    rows = [
        line("800.00", 80, 335),
        line("Hot air (litres)", 250, 335),
        line("0.025 €", 750, 335),
        line("20.00 €", 1000, 335),
    ]
    result = extract(*header, *rows, line("Net total:", 750, 400), line("20.00 €", 1000, 400))
    [item] = result.line_items
    assert (item.quantity.normalized, item.unit_price.normalized, item.amount.normalized) == ("800", "0.025", "20.00")
    assert check(result, "line_item_quantity_times_unit_price") == "passed"


def test_document_titles_in_more_languages_are_not_the_vendor() -> None:
    for title in ("FACTUUR", "FAKTURA VAT", "NOTA DI CREDITO", "FATURA", "PARAGON FISKALNY"):
        result = extract(*receipt_header(title, "De Boer Logistiek B.V."))
        assert text_of(result, "vendor_name") == "De Boer Logistiek B.V.", title


def totals_block(*rows: tuple[str, str]) -> InvoiceExtraction:
    """A totals block: each (label, amount) on its own row, label left, amount right."""
    lines = []
    for index, (label, amount) in enumerate(rows):
        lines += [line(label, 100, 500 + 35 * index), line(amount, 500, 500 + 35 * index)]
    return extract(*lines)


def test_indian_grouping_and_whole_rupee_totals() -> None:
    result = totals_block(
        ("Amount before tax", "2,07,861.80"),
        ("GST (18%)", "37,415.12"),
        ("Rounding", "0.08"),
        ("Total Due", "Rs 245277"),
    )
    assert (normalized(result, "subtotal"), normalized(result, "total")) == ("207861.80", "245277.00")


def test_sum_words_that_differ_by_language_are_settled_by_arithmetic() -> None:
    spanish = totals_block(("Suma", "39.602,18"), ("Cuota IVA 21%", "8.316,46"), ("Total a pagar:", "47.918,64 €"))
    assert (normalized(spanish, "subtotal"), normalized(spanish, "total")) == ("39602.18", "47918.64")
    polish = totals_block(
        ("Razem netto", "114 836,07"), ("Podatek VAT 8%", "9 186,89"), ("Wartość brutto", "124 022,96 zł")
    )
    assert normalized(polish, "total") == "124022.96"
    dutch = totals_block(("Bedrag excl. btw", "17.647,32"), ("Btw 9%", "1.588,26"), ("Totaal", "€ 19.235,58"))
    assert (normalized(dutch, "subtotal"), normalized(dutch, "total")) == ("17647.32", "19235.58")


def test_invoice_number_and_date_in_a_title_line_without_a_colon() -> None:
    result = extract(line("Invoice SI/2024/2721 dated 30/01/2024", 80, 100, height=32))
    assert normalized(result, "invoice_number") == "SI/2024/2721"
    assert normalized(result, "invoice_date") == "2024-01-30"


def test_an_invoice_number_that_starts_with_a_tax_word_is_a_number() -> None:
    """A Tally-style grid (labels over values, side by side) with an Indian number series
    "GST/23-24/001": a tax word glued to digits by a slash is no tax label."""
    grid = [("Invoice No.", 620), ("Dated", 900)]
    for number in ("GST/23-24/001", "VAT-2024-0117"):
        cells = [line(label, x, 150) for label, x in grid] + [line(number, 620, 180), line("12-Mar-2024", 900, 180)]
        result = extract(line("SHARMA TRADERS PVT LTD", 80, 60, height=40), *cells)
        assert (normalized(result, "invoice_number"), normalized(result, "invoice_date")) == (number, "2024-03-12")
    assert match_label("GST/6%") is not None and match_label("Total-12.00") is not None


def test_a_number_word_under_a_title_alone_gives_the_number() -> None:
    """ "FACTURE" over "N° F2026-0311" (and "INVOICE" over "# 10482"): the title's number
    opens the next line of its column, without a colon."""
    for title, printed, number in (("FACTURE", "N° F2026-0311", "F2026-0311"), ("INVOICE", "# 10482", "10482")):
        result = extract(
            line("Atelier SARL", 80, 60, height=40), line(title, 800, 60, height=40), line(printed, 800, 110)
        )
        assert normalized(result, "invoice_number") == number, printed
    lone = extract(line("INVOICE", 800, 60, height=40), line("Bill to", 800, 110), line("No. 12, Jalan Besar", 80, 110))
    assert normalized(lone, "invoice_number") is None


def test_a_credit_note_has_negative_subtotal_tax_and_total() -> None:
    result = extract(
        line("GUTSCHRIFT", 80, 100, height=40),
        line("Nettobetrag", 100, 500),
        line("-7,67", 500, 500),
        line("MwSt 19%", 100, 535),
        line("-1,46", 500, 535),
        line("Gesamtbetrag", 100, 570),
        line("-9,13", 500, 570),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["-7.67", "-1.46", "-9.13"]
    assert check(result, "subtotal_plus_tax_equals_total") == "passed"


def sum_check(result: InvoiceExtraction) -> tuple[list[str | None], str]:
    amounts = [normalized(result, name) for name in ("subtotal", "tax", "total")]
    return amounts, check(result, "subtotal_plus_tax_equals_total")


def test_rounding_discount_and_shipping_lines_do_not_fail_the_sum_check() -> None:
    rounded = totals_block(("Sub Total", "45.46"), ("GST 6%", "2.73"), ("Rounding Adj", "-0.04"), ("Total", "48.15"))
    assert sum_check(rounded) == (["45.46", "2.73", "48.15"], "passed")
    discounted = totals_block(("Subtotal", "100.00"), ("Discount", "-10.00"), ("VAT 20%", "18.00"), ("Total", "108.00"))
    assert sum_check(discounted) == (["100.00", "18.00", "108.00"], "passed")
    for wording in ("Shipping & Handling", "Versandkosten", "Frais de port", "Verzendkosten"):
        shipped = totals_block(("Subtotal", "100.00"), (wording, "5.00"), ("VAT 20%", "21.00"), ("Total", "126.00"))
        assert sum_check(shipped) == (["100.00", "21.00", "126.00"], "passed"), wording


def test_a_tax_the_amounts_include_is_read_and_not_added() -> None:
    german = totals_block(("Zwischensumme", "10,00"), ("enthaltene MwSt 19%", "1,60"), ("Summe EUR", "10,00"))
    assert sum_check(german) == (["10.00", "1.60", "10.00"], "passed")
    english = totals_block(("Subtotal", "21.20"), ("GST 6% included", "1.20"), ("Total", "21.20"))
    assert sum_check(english) == (["21.20", "1.20", "21.20"], "passed")


def test_a_sum_that_does_not_add_up_still_fails() -> None:
    wrong = totals_block(("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total", "150.00"))
    assert sum_check(wrong) == (["100.00", "20.00", "150.00"], "failed")
    included = totals_block(("Zwischensumme", "10,00"), ("enthaltene MwSt 19%", "1,60"), ("Summe EUR", "12,00"))
    assert sum_check(included) == (["10.00", "1.60", "12.00"], "failed")


def test_a_summary_table_with_a_row_per_tax_rate_gives_its_sum_row() -> None:
    headers = [("Nettobetrag", 600), ("MwSt-Betrag", 800), ("Endbetrag", 1000)]
    rows = [("321,40", "61,07", "382,47"), ("127,59", "8,93", "136,52"), ("448,99", "70,00", "518,99")]
    lines = [line(text, x, 500) for text, x in headers]
    for index, row in enumerate(rows):
        lines += [line(text, x + 20, 535 + 35 * index) for text, (_, x) in zip(row, headers, strict=True)]
    lines.append(line("Amtsgericht Musterstadt HRB 372876", 600, 535 + 35 * len(rows)))
    assert sum_check(extract(*lines)) == (["448.99", "70.00", "518.99"], "passed")


def test_a_letter_spaced_title_is_not_a_party_name() -> None:
    result = extract(
        line("Rechnungsempfänger:", 80, 200),
        line("W A R E N R E C H N U N G", 80, 235),
        line("Muster-Kunde GmbH", 80, 270),
    )
    assert text_of(result, "customer_name") == "Muster-Kunde GmbH"


def test_number_after_a_document_word_mid_line_and_its_date_on_the_next_line() -> None:
    result = extract(
        line("ZUGFeRD-Version: 2.1 vom 24.03.2020", 80, 60),
        line("Rechnung des Versicherers Nr. 01.234.567.8-2018-1 vom", 80, 120, height=32),
        line("06.12.2018", 80, 160),
    )
    assert normalized(result, "invoice_number") == "01.234.567.8-2018-1"
    assert normalized(result, "invoice_date") == "2018-12-06"
    credit = extract(line("Gutschrift (Selbst ausgestellte Rechnung) Nr. 47110818", 80, 120, height=32))
    assert normalized(credit, "invoice_number") == "47110818"
    receipt = extract(line("Beleg-Nr", 700, 100), line(": R87654321012345", 820, 100))
    assert normalized(receipt, "invoice_number") == "R87654321012345"


def test_due_dates_in_payment_sentences_and_under_a_column_title() -> None:
    for sentence in (
        "Bitte überweisen Sie bis zum 24.07.2014.",
        "Zahlbar innerhalb 30 Tagen netto bis 24.07.2014, 3% Skonto innerhalb 10 Tagen bis 15.07.2014.",
        "Please remit until 24.07.2014.",
    ):
        result = extract(line("Rechnungsdatum: 03.07.2014", 80, 100), line(sentence, 80, 900))
        assert normalized(result, "due_date") == "2014-07-24", sentence
    table = extract(
        line("Rechnungsdatum: 03.07.2014", 80, 100),
        line("Beschreibung", 80, 900),
        line("Fälligkeit", 500, 900),
        line("Betrag", 800, 900),
        line("24.07.2014", 500, 935),
    )
    assert normalized(table, "due_date") == "2014-07-24"


def test_a_second_key_value_pair_in_one_ocr_line() -> None:
    """OCR joins the boxes of one receipt row: "DATE:" after the receipt number still
    labels the date, and the number ends where the second key starts."""
    result = extract(line("RECEIPT #: CS00251915 DATE: 29/10/2017", 80, 100))
    assert normalized(result, "invoice_number") == "CS00251915"
    assert normalized(result, "invoice_date") == "2017-10-29"
    no_leading_label = extract(line("CS00251915 Date: 29/10/2017", 80, 100))
    assert normalized(no_leading_label, "invoice_date") == "2017-10-29"


def test_a_label_word_inside_a_longer_key_is_not_a_second_pair() -> None:
    """ "VAT total:" is one key (a tax), not "VAT" followed by a "total:" pair, and a key
    after a name without digits ("Bill to: ACME Ship to: …") starts nothing."""
    result = extract(line("Net total: 496.00 €", 80, 100), line("VAT total: 75.04 €", 80, 130))
    assert normalized(result, "total") != "75.04"
    party = extract(line("Bill to: Initech Inc. Total: 5.00", 80, 100))
    assert normalized(party, "total") is None


def centred_receipt_header(name: str, *lines_below: str) -> InvoiceExtraction:
    """A receipt's centred header: the shop's name in taller type, then lines under it."""
    below = [centered(text, 70 + 30 * index) for index, text in enumerate(lines_below)]
    return extract(centered(name, 40, height=26), *below)


def test_legal_form_spaced_and_spelt_as_printed_and_a_branch_line_in_brackets() -> None:
    """OCR glues the legal form to the word before it and reads the D of SDN as I; a
    branch in brackets under the name is part of the trading name."""
    for printed, expected in (
        ("GARDENIA BAKERIES (KL)SDN BHD (139386 X)", "GARDENIA BAKERIES (KL) SDN BHD"),
        ("WESTERN EASTERN STATIONERY SDN.BHD", "WESTERN EASTERN STATIONERY SDN. BHD"),
        ("SUBANG HEALTHCARE SIN BHD", "SUBANG HEALTHCARE SDN BHD"),
    ):
        result = extract(centered(printed, 40, height=26), centered("LOT 3, JALAN PELABUR 23/1,", 80))
        assert text_of(result, "vendor_name") == expected, printed
    branch = centred_receipt_header(
        "CHECKERS HYPERMARKET SDN BHD",
        "(JALAN KLANG LAMA)",
        "LOT 2942 & 2945, JLN SERI SENTOSA 8,",
        "58000 KUALA LUMPUR.",
    )
    assert text_of(branch, "vendor_name") == "CHECKERS HYPERMARKET SDN BHD (JALAN KLANG LAMA)"
    assert text_of(branch, "vendor_address") == "LOT 2942 & 2945, JLN SERI SENTOSA 8, 58000 KUALA LUMPUR."
    # "GST REF NO" between the name and the address is a registration line, not a tax amount.
    registered = centred_receipt_header(
        "DOMINO'S PIZZA", "GST REF NO : 001694261248", "30, Jln Kebudayaan 7, Tmn Universiti", "81300 Skudai, Johor"
    )
    assert text_of(registered, "vendor_address") == "30, Jln Kebudayaan 7, Tmn Universiti 81300 Skudai, Johor"
    # A skewed centred slip: the postcode line's centre is off the block's, inside its width.
    skewed = extract(
        line("CHECKERS HYPERMARKET SDN BHD", 88, 40, height=26),
        line("LOT 2942 & 2945, JLN SERI SENTOSA 8,", 50, 70),
        line("SERI SENTOSA, OFF JLN KLANG LAMA,", 74, 100),
        line("58000 KUALA LUMPUR.", 114, 130),
    )
    assert text_of(skewed, "vendor_address").endswith("OFF JLN KLANG LAMA, 58000 KUALA LUMPUR.")
    web_shop = extract(centered("Amazon.com", 40, height=26), centered("410 Terry Ave N, Seattle", 80))
    assert text_of(web_shop, "vendor_name") == "Amazon.com"


def test_keyed_registration_number_on_the_line_under_the_name_is_no_part_of_it() -> None:
    """Malaysia's twelve-digit company number, keyed and with the old number in brackets,
    printed on its own line under a name that ends in its legal form."""
    result = centred_receipt_header(
        "SELERA KAMPUNG HOLDINGS SDN. BHD.",
        "(Company No. 201901023456 (1332211-K))",
        "LOT 12, JALAN MEDAN 3,",
        "43300 SERI KEMBANGAN, SELANGOR",
    )
    assert text_of(result, "vendor_name") == "SELERA KAMPUNG HOLDINGS SDN. BHD."


def test_party_blocks_a_blank_line_under_their_heading_with_salutation_and_wrapped_name() -> None:
    """The ZUGFeRD viewer's layout: a blank line under "Verkäufer:" / "Käufer:", a name
    wrapped onto a line ending in its legal form, a salutation on a line of its own, and
    "Verkäufer-Kontoname" (a qualifier of the account, not a heading)."""
    result = extract(
        line("Verkäufer:", 138, 845),
        line("MVM Musterhafter", 138, 907),
        line("Versicherungsverein Musterstadt a.G.", 138, 939),
        line("Musterstr. 12", 138, 1001),
        line("Käufer:", 138, 1157),
        line("Herrn", 138, 1220),
        line("Max Mustermann", 138, 1252),
        line("Musterstr. 11", 138, 1314),
        line("Verkäufer-Kontoname", 138, 2400),
        line("Kontoname", 420, 2400),
    )
    assert text_of(result, "vendor_name") == "MVM Musterhafter Versicherungsverein Musterstadt a.G."
    assert text_of(result, "customer_name") == "Herrn Max Mustermann"


def test_a_party_label_that_keys_a_number_or_stands_columns_away_gives_no_name() -> None:
    """A label "Customer:2" keys a customer number: "Your order AB321" under it is no name; a heading
    alone in its box takes its block below, not the title and page number far right."""
    numbered = extract(line("Customer:2", 158, 851), line("Your order AB321", 158, 925))
    assert text_of(numbered, "customer_name") is None
    columns = extract(
        line("Käufer", 584, 177),
        line("W A R E N R E C H N U N G", 1017, 177),
        line("Seite", 1457, 176),
        line("GLN 4304171000002", 584, 201),
        line("MUSTER-KUNDE GMBH", 584, 226),
    )
    assert text_of(columns, "customer_name") == "MUSTER-KUNDE GMBH"


def test_an_unlabelled_recipient_under_the_return_address_line() -> None:
    """A letter-style invoice prints the sender's return address in one small line over
    the envelope window; the recipient's first line under it is the customer, with a
    salutation line joined. Without such a line no unlabelled customer is guessed."""
    window = [
        line("Bei Spiel GmbH", 228, 433, height=14),
        line("●", 365, 433, height=14),
        line("Ecke 12", 394, 433, height=14),
        line("●", 473, 433, height=14),
        line("12345 Stadthausen ● Germany", 502, 433, height=14),
        line("Theodor Est", 197, 467, height=30),
        line("Bahnstr. 42", 197, 547, height=30),
    ]
    result = extract(*window)
    assert text_of(result, "customer_name") == "Theodor Est"
    assert result.fields["customer_name"].confidence < 0.9
    salutation = extract(
        line("Kanzlei Ruhe | Hauptstraße 5 | 80331 München", 120, 300, height=14),
        line("Frau", 120, 330),
        line("Erika Musterfrau", 120, 355),
        line("Lindenweg 3", 120, 380),
    )
    assert text_of(salutation, "customer_name") == "Frau Erika Musterfrau"
    plain = extract(line("Theodor Est", 197, 467, height=30), line("Bahnstr. 42", 197, 547, height=30))
    assert text_of(plain, "customer_name") is None


def test_title_dates_past_a_date_inside_the_number_or_on_the_next_line() -> None:
    """ "RE-20201121/508" holds a date of its own, and "Date of delivery" is no invoice
    date; a credit note's title may put "vom 31.10.2018" on the next line."""
    issued = extract(
        line("Invoice # RE-20201121/508 issued at 2020-11-21", 158, 977),
        line("Date of delivery 2020-11-10", 158, 1014),
    )
    assert normalized(issued, "invoice_date") == "2020-11-21"
    credit = extract(
        line("Codelisten-Version: 3.0 vom 15.11.2019", 136, 270),
        line("Gutschrift (Selbst ausgestellte Rechnung) Nr. 47110818", 138, 399, height=35),
        line("vom 31.10.2018", 138, 445, height=35),
    )
    assert normalized(credit, "invoice_date") == "2018-10-31"


def test_address_under_a_name_whose_legal_form_ocr_boxed_apart() -> None:
    """The address block aligns with the whole name row, not with the "BHD" box alone."""
    result = extract(
        line("SUBANG HEALTHCARE SDN", 46, 231, height=25),
        line("BHD", 300, 231, height=25),
        line("1118258-K", 46, 256),
        line("B-8, JALAN SS15/4D,", 43, 306),
        line("47500 SUBANG JAYA, SELANGOR", 48, 332),
        line("TEL: 03-56127718", 46, 356),
    )
    assert text_of(result, "vendor_name") == "SUBANG HEALTHCARE SDN BHD"
    assert text_of(result, "vendor_address") == "B-8, JALAN SS15/4D, 47500 SUBANG JAYA, SELANGOR"


def test_a_receipt_total_is_the_amount_paid_after_rounding() -> None:
    """Cash 20.00 pays a total of 19.99 after its rounding line: the rounded amount is the
    total where a line prints it (even under a "Rounding" caption), and the unrounded one
    is still verified by the payment where none does."""
    captioned = totals_block(
        ("TOTAL", "19.99"), ("Rounding Adj", "0.01"), ("Rounding", "20.00"), ("CASH", "20.00"), ("CHANGE", "0.00")
    )
    assert normalized(captioned, "total") == "20.00"
    assert check(captioned, "payment_minus_change_equals_total") == "passed"
    unrounded = totals_block(("TOTAL", "19.99"), ("Rounding Adj", "0.01"), ("CASH", "50.00"), ("CHANGE", "30.00"))
    assert normalized(unrounded, "total") == "19.99"
    assert check(unrounded, "payment_minus_change_equals_total") == "passed"
    off_by_a_cent = totals_block(("TOTAL", "19.99"), ("CASH", "50.00"), ("CHANGE", "30.00"))
    assert check(off_by_a_cent, "payment_minus_change_equals_total") == "not_applicable"


def test_a_decimal_point_ocr_read_as_a_hyphen() -> None:
    """ "78-10" alone beside TOTAL is 78.10; the arithmetic then agrees."""
    result = totals_block(("SUB-TOTAL", "74.06"), ("GST", "4.04"), ("TOTAL", "78-10"), ("DEBIT CARD", "78-10"))
    assert sum_check(result) == (["74.06", "4.04", "78.10"], "passed")


def test_a_saas_invoice_with_labels_over_the_sellers_block() -> None:
    """A hosted-billing layout: "Date due" and its date sit right above the seller's name,
    which is the vendor (not claimed as the label's value), and "City, State ZIP" is an
    address line, never the vendor."""
    result = extract(
        line("Invoice", 60, 60, height=34),
        line("Invoice number", 60, 130),
        line("7F3A2B1C-0004", 260, 130),
        line("Date of issue", 60, 155),
        line("November 1, 2026", 260, 155),
        line("Date due", 60, 180),
        line("November 15, 2026", 260, 180),
        line("Acme Cloud, Inc.", 60, 220),
        line("Bill to", 500, 220),
        line("548 Market Street", 60, 245),
        line("Jane Doe", 500, 245),
        line("San Francisco, California 94104", 60, 270),
        line("Subtotal", 600, 610),
        line("$20.00", 950, 610),
        line("Tax (20%)", 600, 635),
        line("$4.00", 950, 635),
        line("Amount due", 600, 685),
        line("$24.00 USD", 950, 685),
    )
    assert text_of(result, "vendor_name") == "Acme Cloud, Inc."
    assert text_of(result, "vendor_address") == "548 Market Street San Francisco, California 94104"
    assert (normalized(result, "invoice_date"), normalized(result, "due_date")) == ("2026-11-01", "2026-11-15")
    assert text_of(result, "customer_name") == "Jane Doe"


def test_an_indian_gst_invoice_with_taxable_value_and_split_tax() -> None:
    """CGST + SGST lines without a tax total add up to the tax; "Taxable Value" is the
    subtotal; a GSTIN line is a registration, not the address; "14-Nov-2026" is a date."""
    result = extract(
        line("Sharma Electronics Pvt. Ltd.", 60, 90, height=28),
        line("GSTIN: 27AAPFU0939F1ZV", 60, 125),
        line("Invoice No.", 700, 125),
        line(": SE/2026/0412", 860, 125),
        line("Invoice Date", 700, 150),
        line(": 14-Nov-2026", 860, 150),
        line("Taxable Value", 600, 700),
        line("1,643.22", 950, 700),
        line("CGST @ 9%", 600, 725),
        line("147.89", 950, 725),
        line("SGST @ 9%", 600, 750),
        line("147.89", 950, 750),
        line("Grand Total", 600, 780),
        line("Rs. 1,939.00", 950, 780),
    )
    assert normalized(result, "invoice_date") == "2026-11-14"
    assert text_of(result, "vendor_address") is None
    assert sum_check(result) == (["1643.22", "295.78", "1939.00"], "passed")
    assert text_of(result, "tax") == "147.89 + 147.89"
    single = totals_block(("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total VAT", "20.00"), ("Total", "120.00"))
    assert sum_check(single) == (["100.00", "20.00", "120.00"], "passed")


def test_the_vendor_is_the_name_its_branch_line_starts_with() -> None:
    result = extract(
        centered("TAX INVOICE", 20),
        centered("DOMINO'S PIZZA", 45),
        centered("GST REF NO : 001694261248", 70),
        centered("DOMINO'S PIZZA TAMAN UNIVERSITI", 95, height=26),
        centered("30, Jln Kebudayaan 7, Tmn Universiti", 125),
    )
    assert text_of(result, "vendor_name") == "DOMINO'S PIZZA"
    # The branch line names where the shop is: the address starts with it.
    assert text_of(result, "vendor_address") == "DOMINO'S PIZZA TAMAN UNIVERSITI 30, Jln Kebudayaan 7, Tmn Universiti"


def test_utility_and_european_wordings_for_dates_customers_and_registrations() -> None:
    """ "Amount due by <date>" is a due date, "Statement date" an invoice date, "Aan:" a
    customer heading, and "P.IVA …" a registration line that ends the address."""
    utility = extract(
        line("PACIFIC POWER & LIGHT", 60, 50, height=30),
        line("Statement date: 11/20/2026", 700, 115),
        line("Total amount due", 600, 480),
        line("$84.12", 950, 480),
        line("Amount due by Dec 15, 2026", 600, 510),
    )
    assert normalized(utility, "invoice_date") == "2026-11-20"
    assert normalized(utility, "due_date") == "2026-12-15"
    assert normalized(utility, "total") == "84.12"
    dutch = extract(line("Aan:", 60, 200), line("Café Het Hoekje", 60, 225))
    assert text_of(dutch, "customer_name") == "Café Het Hoekje"
    italian = extract(
        line("Rossi & Figli S.r.l.", 60, 50, height=30),
        line("Via Roma 1, 20121 Milano", 60, 90),
        line("P.IVA 01234567890", 60, 115),
    )
    assert text_of(italian, "vendor_address") == "Via Roma 1, 20121 Milano"


def test_a_german_till_receipt_number_and_a_branch_line_over_the_address() -> None:
    result = extract(
        centered("dm-drogerie markt", 40, height=30),
        centered("Filiale 1234", 80),
        centered("Hauptstr. 5, 76133 Karlsruhe", 105),
        line("Datum: 28.11.2026", 40, 380),
        line("Bon-Nr.:4711", 230, 380),
    )
    assert text_of(result, "vendor_name") == "dm-drogerie markt"
    assert text_of(result, "vendor_address") == "Hauptstr. 5, 76133 Karlsruhe"
    assert normalized(result, "invoice_number") == "4711"
    assert result.fields["invoice_number"].confidence < 0.9


def test_a_weight_is_no_legal_form_and_compound_street_names_are_addresses() -> None:
    """ "Koffiebonen 1kg" weighs (no KG company), and "Keizersgracht 150" is a street
    line, so the receipt's vendor stays the name at the top."""
    result = extract(
        centered("Oranje Advies V.O.F.", 49, height=21),
        centered("Keizersgracht 150", 81, height=21),
        centered("1015 CJ Amsterdam", 113),
        centered("KASSABON", 178, height=16),
        line("Datum:", 46, 258, height=16),
        line("2 oktober 2024 12:04", 358, 257, height=17),
        line("Koffiebonen 1kg", 46, 289, height=21),
        line("98,06", 502, 322, height=18),
    )
    assert text_of(result, "vendor_name") == "Oranje Advies V.O.F."
    assert text_of(result, "vendor_address") == "Keizersgracht 150 1015 CJ Amsterdam"
    assert match_label("Musterstraße 12") is None


def test_a_dutch_postcode_line_dotted_legal_forms_and_facturer_a() -> None:
    """ "2511 BT Den Haag" is an address line and "N.V." a legal form, so the small name
    above them is the vendor; "Facturer à :" labels the customer, and an unknown heading
    under a return-address line is never taken as the customer."""
    receipt = extract(
        centered("De Boer Advies N.V.", 51, height=15),
        centered("Dorpsstraat 47", 83, height=19),
        centered("2511 BT Den Haag", 115, height=19),
    )
    assert text_of(receipt, "vendor_name") == "De Boer Advies N.V."
    assert text_of(receipt, "vendor_address") == "Dorpsstraat 47 2511 BT Den Haag"
    letter = extract(
        line("Lefèvre Services SARL · 212 rue de la Paix · 69001 Lyon", 82, 234, height=15),
        line("Facturer à :", 82, 270, height=18),
        line("Cabinet Moreau", 82, 306, height=17),
    )
    assert text_of(letter, "customer_name") == "Cabinet Moreau"
    unknown_heading = extract(
        line("Lefèvre Services SARL · 212 rue de la Paix · 69001 Lyon", 82, 234, height=15),
        line("Adressat:", 82, 270, height=18),
    )
    assert text_of(unknown_heading, "customer_name") is None


def test_a_bare_balance_line_is_a_weak_total_the_arithmetic_settles() -> None:
    result = totals_block(("Taxable value", "1,000.00"), ("IGST @ 18%", "180.00"), ("Balance", "Rs 1,180.00"))
    assert sum_check(result) == (["1000.00", "180.00", "1180.00"], "passed")


def test_polish_month_names_and_a_due_date_under_its_label() -> None:
    result = extract(
        line("Faktura nr INV-202412082 z dnia 21 października 2024 r.", 80, 100, height=30),
        line("Termin płatności:", 80, 200),
        line("6 września 2024 r.", 80, 225),
    )
    assert normalized(result, "invoice_date") == "2024-10-21"
    assert normalized(result, "due_date") == "2024-09-06"


def test_dutch_and_abbreviated_german_included_taxes_are_not_added() -> None:
    for wording in ("waarvan BTW 21%", "enth. MwSt. 19%"):
        receipt = totals_block(("Subtotaal", "119,00"), (wording, "19,00"), ("Totaal", "119,00"))
        assert sum_check(receipt) == (["119.00", "19.00", "119.00"], "passed"), wording


def test_a_customer_number_line_between_the_return_address_and_the_name() -> None:
    result = extract(
        line("Bäckerei Krause GmbH · Lindenstr. 4 · 10115 Berlin", 82, 234, height=15),
        line("Kunden-Nr. 262120", 82, 262),
        line("Bäckerei Schulz", 82, 290),
        line("Nowak Budownictwo Sp. z o.o.", 700, 60, height=30),
    )
    assert text_of(result, "customer_name") == "Bäckerei Schulz"
    assert match_label("Kunden-Nr. 262120") is None and match_label("Numer klienta: 899704") is None


def test_item_table_headers_in_more_languages_and_a_model_number_in_the_name() -> None:
    """Unit-price titles with "unit" in them are one column ("Price/Unit", "Preço unit.",
    "P. Unitario"), "Totaal"/"Totale" title the amount, and "A4" stays in the name."""
    for header in (
        ("Articolo", "Q.tà", "Prezzo", "Totale"),
        ("Artikel", "Aantal", "Stukprijs", "Totaal"),
        ("Descrição", "Qtd.", "Preço unit.", "Valor"),
        ("Product", "Units", "Price/Unit", "Amount"),
        ("Artículo", "Cantidad", "P. Unitario", "Subtotal"),
    ):
        result = extract(
            *(line(title, x, 500) for title, x in zip(header, (100, 600, 780, 1050), strict=True)),
            line("Carta A4", 100, 540),
            line("3", 620, 540),
            line("12,50", 800, 540),
            line("37,50", 1060, 540),
        )
        items = [
            (item.description.value, item.quantity.normalized, item.unit_price.normalized, item.amount.normalized)
            for item in result.line_items
        ]
        assert items == [("Carta A4", "3", "12.50", "37.50")], header


def test_amount_due_on_a_date_gives_both_and_the_dates_digits_are_no_amount() -> None:
    """ "TOTAL AMOUNT DUE ON December 2, 2026  $12.34": the due date and the total; the
    day and the year are never amount candidates."""
    result = extract(
        line("Invoice Date: November 2, 2026", 700, 125),
        line("TOTAL AMOUNT DUE ON December 2, 2026", 60, 300),
        line("$12.34", 900, 300),
    )
    assert normalized(result, "due_date") == "2026-12-02"
    assert normalized(result, "total") == "12.34"
    dated = extract(line("Total due 15.12.2026", 60, 300), line("84.12", 900, 300))
    assert normalized(dated, "total") == "84.12"


def test_a_date_label_reads_year_month_day_digits_and_nothing_else_does() -> None:
    labelled = extract(line("Date/Time", 40, 300), line("20180428/191204", 300, 300))
    assert normalized(labelled, "invoice_date") == "2018-04-28"
    bare = extract(line("Ref 20180428", 40, 300))
    assert normalized(bare, "invoice_date") is None


def till_rows(*rows: tuple[str, str], top: int = 200) -> list:
    """A till receipt's rows: the name at the left, the amount (and tax class) right-aligned."""
    placed = []
    for index, (left, right) in enumerate(rows):
        y = top + 28 * index
        placed.append(line(left, 40, y))
        if right:
            placed.append(line(right, 560 - 11 * len(right), y))
    return placed


def test_till_receipt_items_are_the_name_amount_lines_that_add_up_to_the_total() -> None:
    """A German till prints "BANANE 1,99 B" (the tax class after the amount) with a
    quantity line under an item, then the total, the payment and a tax summary that
    repeats the total: the items are the lines above the first total, because they sum
    to it."""
    result = extract(
        centered("REWE", 40, height=40),
        centered("Musterstraße 12", 95),
        centered("12345 Berlin", 120),
        *till_rows(
            ("", "EUR"),
            ("BANANE", "1,99 B"),
            ("MILCH 1,5%", "1,19 B"),
            ("LAUGENBREZEL", "1,78 B"),
            ("2 Stk x", "0,89"),
            ("--------------------------------", ""),
            ("SUMME", "EUR 4,96"),
            ("Geg. EC-Cash", "EUR 4,96"),
            ("Steuer %   Netto   Steuer", "Brutto"),
            ("B=  7,0%   4,64    0,32", "4,96"),
            ("Gesamtbetrag  4,64  0,32", "4,96"),
        ),
    )
    items = [
        (item.description.value, item.quantity and item.quantity.normalized, item.amount.normalized)
        for item in result.line_items
    ]
    assert items == [("BANANE", None, "1.99"), ("MILCH 1,5%", None, "1.19"), ("LAUGENBREZEL", "2", "1.78")]
    assert normalized(result, "total") == "4.96"
    assert result.fields["total"].confidence >= 0.9  # the items confirm it
    assert check(result, "line_items_sum_to_subtotal") == "passed"
    assert check(result, "line_item_quantity_times_unit_price") == "passed"


def test_till_lines_that_do_not_add_up_are_no_items() -> None:
    """A name-amount block whose sum is not the total (a line OCR lost, a deposit
    refund) gives no items: null, not a guess."""
    result = extract(
        *till_rows(
            ("Bananen", "1,29 A"), ("Butter", "2,19 A"), ("zu zahlen", "6,93"), ("Bar", "10,00"), ("Rückgeld", "3,07")
        )
    )
    assert normalized(result, "total") == "6.93"
    assert result.line_items == []


def test_greetings_item_rows_and_tax_numbers_are_not_the_shop() -> None:
    """A receipt whose header OCR missed: the greeting, the first item and the tax
    number are not the shop's name or address; the shop signs off at the foot."""
    items = till_rows(("Bananen", "1,29 A"), ("Butter", "2,19 A"), ("SUMME", "3,48"), top=300)
    result = extract(
        centered("HERZLICH WILLKOMMEN", 40),
        *items,
        centered("Vielen Dank für Ihren Einkauf", 470),
        centered("Ihr REWE Markt", 495),
    )
    assert text_of(result, "vendor_name") == "Ihr REWE Markt"
    restaurant = extract(
        centered("Gasthaus zur Linde", 40, height=30),
        centered("Dorfstr. 1", 80),
        centered("79100 Freiburg", 105),
        centered("St.-Nr. 12345/67890", 130),
        *items,
    )
    assert text_of(restaurant, "vendor_address") == "Dorfstr. 1 79100 Freiburg"


def test_a_label_word_starts_the_name_over_a_wrapped_legal_form() -> None:
    """ "Netto" labels net amounts, but over a bare legal form it starts the name."""
    result = extract(
        centered("Netto Marken-Discount", 40, height=30),
        centered("Stiftung & Co. KG", 75),
        centered("Industriepark Ponholz 1", 100),
        centered("93142 Maxhütte-Haidhof", 125),
    )
    assert text_of(result, "vendor_name") == "Netto Marken-Discount Stiftung & Co. KG"


def test_till_weight_and_unit_price_lines_belong_to_the_item_above() -> None:
    result = extract(
        *till_rows(
            ("Tomaten", "1,36 A"),
            ("0,456 kg x 2,99 EUR/kg", ""),
            ("Super E10 42,31 l", "73,20 A"),
            ("1,729 EUR/l", ""),
            ("Summe", "74,56"),
            ("EC-Karte", "74,56"),
        )
    )
    items = [(item.quantity and item.quantity.normalized, item.amount.normalized) for item in result.line_items]
    assert items == [("0.456", "1.36"), (None, "73.20")]
    assert check(result, "line_items_sum_to_subtotal") == "passed"


def test_a_till_tax_summary_gives_the_net_and_the_tax_of_every_rate() -> None:
    """German tills print no tax total, only a row per rate ("A 7% 0,15 2,13 2,28"):
    the tax is the sum of the rows' tax cells, each row vouched for by its arithmetic."""
    result = extract(
        *till_rows(
            ("Bio Bananen", "1,29 A"),
            ("Vollmilch 3,5%", "0,99 A"),
            ("Spülmittel", "1,49 B"),
            ("Summe", "3,77"),
            ("Bar", "5,00"),
            ("Rückgeld", "1,23"),
            ("MwSt-Satz MwSt Netto", "Umsatz"),
            ("A 7% 0,15 2,13", "2,28"),
            ("B 19% 0,24 1,25", "1,49"),
        )
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["3.38", "0.39", "3.77"]
    assert text_of(result, "tax") == "0,15 + 0,24"
    assert result.fields["tax"].confidence >= 0.9
    assert check(result, "subtotal_plus_tax_equals_total") == "passed"


def test_a_gst_summary_row_of_net_and_tax_and_rows_whose_tax_is_not_the_rate() -> None:
    gst = extract(
        line("GST Summary", 40, 500),
        line("Amount(RM)", 250, 500),
        line("Tax(RM)", 400, 500),
        line("SR @ 6%", 40, 530),
        line("75.47", 250, 530),
        line("4.53", 400, 530),
        line("TOTAL", 40, 400),
        line("80.00", 400, 400),
    )
    assert [normalized(gst, name) for name in ("subtotal", "tax", "total")] == ["75.47", "4.53", "80.00"]
    # 19 % of 10,00 is not 5,00: a discount row, not a tax summary.
    discount = extract(line("Rabatt 19% 5,00 10,00", 40, 300), line("Summe", 40, 400), line("10,00", 400, 400))
    assert discount.fields["tax"] is None


def test_till_totals_and_payments_in_more_languages() -> None:
    """ "RAZEM" (Polish), "Net Payable" (Indian) and "Quittung Nr." label a receipt; "Karta",
    "UPI" and "Geg. EC-Cash" are payments, while "Carta A4" (paper) stays an item."""
    polish = extract(
        *till_rows(("Papier A4", "43,86"), ("RAZEM", "43,86 zł"), ("Karta", "43,86")),
        line("Quittung Nr. 55", 40, 100),
    )
    assert normalized(polish, "total") == "43.86"
    assert check(polish, "payment_minus_change_equals_total") == "passed"
    assert normalized(polish, "invoice_number") == "55"
    indian = extract(*till_rows(("Notebook A5", "40.35"), ("Net Payable", "INR 40.35"), ("UPI", "40.35")))
    assert normalized(indian, "total") == "40.35"
    italian = extract(
        *till_rows(("Carta A4", "28,70"), ("TOTALE", "28,70 €"), ("Contanti", "30,00"), ("Resto", "1,30"))
    )
    assert [item.description.value for item in italian.line_items] == ["Carta A4"]


def test_tax_inclusive_till_items_add_up_to_the_total_beside_a_net_subtotal() -> None:
    result = extract(
        *till_rows(
            ("Druckerpapier A4", "47,47"),
            ("Bürostuhl", "207,96"),
            ("Gesamt", "255,43 €"),
            ("enth. MwSt. 19%", "40,78"),
            ("Netto", "214,65"),
            ("Bar", "255,43"),
        )
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["214.65", "40.78", "255.43"]
    assert len(result.line_items) == 2


def test_a_cloud_bill_vendor_with_web_in_its_name_and_an_account_key() -> None:
    """ "Amazon Web Services, Inc." is a name ("Web" is a contact key only as "Web:"); a
    key ending in a colon ("Account number:") is never the vendor; "Bill to Address:"
    labels the customer block, whose "ATTN:" line is skipped."""
    result = extract(
        line("Account number:", 60, 40),
        line("123456789012", 260, 40),
        line("Amazon Web Services, Inc.", 60, 80, height=28),
        line("Bill to Address:", 60, 240),
        line("ATTN: Accounts Payable", 60, 265),
        line("Example Corp", 60, 290),
        line("1 Main St", 60, 315),
    )
    assert text_of(result, "vendor_name") == "Amazon Web Services, Inc."
    assert text_of(result, "customer_name") == "Example Corp"


def test_a_return_address_names_the_sender_and_bracketed_net_and_gross_sums() -> None:
    """A German letter whose only sender line is the small return address over the
    window: its first part is the vendor and the rest its address, not the recipient
    below; "Summe (netto)" is the subtotal and "Gesamtbetrag (brutto)" the total."""
    result = extract(
        line("Hetzner Online GmbH · Industriestr. 25 · 91710 Gunzenhausen", 60, 130, height=12),
        line("Max Muster GmbH", 60, 160),
        line("Musterweg 1", 60, 185),
        line("10115 Berlin", 60, 210),
        line("Summe (netto)", 700, 470),
        line("3,79 €", 950, 470),
        line("zzgl. 19 % USt.", 700, 495),
        line("0,72 €", 950, 495),
        line("Gesamtbetrag (brutto)", 700, 520),
        line("4,51 €", 950, 520),
    )
    assert text_of(result, "vendor_name") == "Hetzner Online GmbH"
    assert text_of(result, "vendor_address") == "Industriestr. 25 91710 Gunzenhausen"
    assert text_of(result, "customer_name") == "Max Muster GmbH"
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["3.79", "0.72", "4.51"]


def test_company_in_a_name_and_a_hotel_stay_dates() -> None:
    """ "Company" ends a utility's name (only "Company No." is a registration); the stay's
    check-in date is not the invoice date."""
    utility = extract(
        line("Pacific Gas and Electric Company", 60, 40, height=26),
        line("Account No: 1234567890-1", 60, 90),
        line("Total Amount Due", 600, 400),
        line("$142.18", 900, 400),
    )
    assert text_of(utility, "vendor_name") == "Pacific Gas and Electric Company"
    assert normalized(utility, "invoice_number") is None
    hotel = extract(line("Check In", 60, 40), line("12.11.2026", 300, 40), line("Hotel Adlon", 400, 120, height=26))
    assert normalized(hotel, "invoice_date") is None


@pytest.mark.parametrize(
    "label",
    [
        "Rechn.-Nr.:",
        "Rg.-Nr.",
        "Gutschriftsnummer",
        "Quittung Nr.",
        "Nota di credito n.",
        "Invoice Code",
        "Invoice Serial No.",
        "Voucher No.",
        "Číslo faktury:",
        "Számlaszám:",
        "Laskun numero",
        "Invoice Nbr",
        "Order/Invoice No.",
        "Fact. n°",
        "Nr. fattura",
        "Numero documento",
        "Nota fiscal nº",
        "Gutschrift-Nr.",
        "Reference No.",
    ],
)
def test_more_wordings_of_the_invoice_number(label: str) -> None:
    result = extract(line(label, 700, 200), line("AB-2026-0417", 950, 200), line("Total", 700, 600))
    assert normalized(result, "invoice_number") == "AB-2026-0417"


def test_the_tax_added_spelt_out_zuzueglich() -> None:
    result = extract(
        line("Summe netto: 496,00 €", 158, 1422),
        line("Zuzügl. USt: 75,04 €", 158, 1460),
        line("Summe inkl. USt: 571,04 €", 158, 1575),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["496.00", "75.04", "571.04"]
    assert normalized(extract(line("zuzüglich MwSt", 158, 100), line("19,00 €", 500, 100)), "tax") == "19.00"


@pytest.mark.parametrize(
    ("tax_label", "total_label"),
    [
        ("Importe IVA", "Total factura"),
        ("Imposta", "Da pagare"),
        ("Moms 25%", "Att betala"),
        ("ALV 24%", "Please pay"),
        ("MVA 25%", "To pay"),
    ],
)
def test_more_wordings_of_the_tax_and_the_total(tax_label: str, total_label: str) -> None:
    result = extract(
        line("Subtotal", 600, 700),
        line("100.00", 950, 700),
        line(tax_label, 600, 730),
        line("20.00", 950, 730),
        line(total_label, 600, 760),
        line("120.00", 950, 760),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["100.00", "20.00", "120.00"]


@pytest.mark.parametrize(
    ("subtotal_label", "tax_label", "total_label"),
    [
        ("Totale imponibile", "Totale IVA", "Totale bolletta"),
        ("Totaal excl. btw", "Totaal btw", "Te betalen"),
        ("Summe netto", "Summe USt", "Rechnungsbetrag"),
        ("Sum eks. mva", "Sum mva", "Å betale NOK"),
        ("Summa exkl. moms", "Moms 25 %", "Att betala"),
        ("Celkem bez DPH:", "DPH celkem:", "Celkem k úhradě:"),
    ],
)
def test_a_sum_word_before_the_tax_word_names_the_tax_total(
    subtotal_label: str, tax_label: str, total_label: str
) -> None:
    """A section's sum ("Totale spesa per la materia energia") is a weak total; the named
    sums and the arithmetic decide."""
    result = totals_block(
        ("Totale spesa per la materia energia", "83,99"),
        (subtotal_label, "136,78"),
        (tax_label, "14,85"),
        (total_label, "151,63"),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["136.78", "14.85", "151.63"]


def test_a_rate_base_after_av_or_op_is_not_the_tax() -> None:
    result = totals_block(
        ("Sum eks. mva", "17 015,00"),
        ("Mva 15 % av 9 765,00", "1 464,75"),
        ("Btw 25 % op 7 250,00", "1 812,50"),
        ("Å betale", "20 292,25"),
    )
    assert normalized(result, "tax") == "3277.25"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Datum vystavení:", "invoice_date"),
        ("Fakturadato", "invoice_date"),
        ("Fakturadatum", "invoice_date"),
        ("Datum splatnosti:", "due_date"),
        ("Forfallsdato", "due_date"),
        ("Förfallodatum", "due_date"),
        ("Betalingsfrist", "due_date"),
        ("Betala senast", "due_date"),
        ("entro il", "due_date"),
        ("Fakturamottaker", "customer_name"),
        ("Odběratel:", "customer_name"),
        ("RECEPTOR", "customer_name"),
        ("Intestatario", "customer_name"),
        ("Dodavatel:", "vendor_name"),
        ("Serie y folio:", "invoice_number"),
        ("Faktura-Nr.", "invoice_number"),
        ("Zaokrouhlení:", "rounding"),
        ("Öresavrundning", "rounding"),
    ],
)
def test_nordic_czech_mexican_and_italian_labels(label: str, field: str) -> None:
    found = match_label(label)
    assert found is not None and field in found.fields


def test_a_tax_point_date_is_not_the_invoice_date() -> None:
    result = extract(
        line("Datum uskutečnění zdanitelného plnění:", 500, 300),
        line("31.10.2026", 900, 300),
        line("Datum vystavení:", 500, 330),
        line("04.11.2026", 900, 330),
    )
    assert normalized(result, "invoice_date") == "2026-11-04"


def test_a_party_word_opening_a_wrapped_sentence_is_no_heading() -> None:
    assert match_label("afnemer ten aanzien van die voorwaarden aansprakelijk voor de betaling") is None
    assert match_label("Customer service is open from 9 to 5") is None
    assert match_label("Kunde: Müller GmbH") is not None


def test_the_amount_to_pay_after_rounding_beats_the_total_with_tax() -> None:
    result = totals_block(
        ("Celkem bez DPH:", "23 025,00 Kč"),
        ("DPH celkem:", "3 633,75 Kč"),
        ("Celkem s DPH:", "26 658,75 Kč"),
        ("Zaokrouhlení:", "0,25 Kč"),
        ("Celkem k úhradě:", "26 659,00 Kč"),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["23025.00", "3633.75", "26659.00"]
    assert normalized(result, "currency") == "CZK"


def test_an_organisation_number_ends_the_vendor_address() -> None:
    result = extract(
        line("Bergen Catering AS", 60, 40, height=30),
        line("Strandkaien 8, 5013 Bergen", 60, 80),
        line("Org.nr. 915 836 208 MVA", 60, 105),
        line("Invoice No: 24117", 700, 200),
    )
    assert text_of(result, "vendor_address") == "Strandkaien 8, 5013 Bergen"
