"""`extract_invoice` on hand-built line layouts: one test group per field family, with
missing and ambiguous values (None) and checks that flag a total that does not add up."""

from invoice_ocr.extraction.invoice import InvoiceExtraction, PageLines, extract_invoice
from invoice_ocr.extraction.layout import group_into_rows
from invoice_ocr.page import OcrLine

CHAR_WIDTH = 11
LINE_HEIGHT = 20


def line(text: str, x: int, y: int, height: int = LINE_HEIGHT, confidence: float = 0.98) -> OcrLine:
    """A line box as a detector returns it: text `x` px from the left, `y` px down."""
    width = CHAR_WIDTH * len(text)
    return OcrLine(text, confidence, ((x, y), (x + width, y), (x + width, y + height), (x, y + height)))


def extract(*lines: OcrLine, more_pages: tuple[list[OcrLine], ...] = ()) -> InvoiceExtraction:
    pages = [PageLines(1, 1240, 1754, list(lines))]
    pages += [PageLines(number, 1240, 1754, page) for number, page in enumerate(more_pages, start=2)]
    return extract_invoice(pages)


def normalized(result: InvoiceExtraction, name: str) -> str | None:
    value = result.fields[name]
    return value.normalized if value else None


def check(result: InvoiceExtraction, name: str) -> str:
    return next(item.status for item in result.checks if item.name == name)


def header_block() -> list[OcrLine]:
    return [
        line("Nordwind Logistik GmbH", 80, 60, height=32),
        line("Hauptstraße 17", 80, 100),
        line("10115 Berlin", 80, 125),
        line("Tel: +49 30 123456", 80, 150),
        line("RECHNUNG", 900, 60, height=40),
        line("Rechnungsnummer:", 680, 200),
        line("RE-2024-0042", 950, 200),
        line("Rechnungsdatum:", 680, 230),
        line("15.03.2024", 950, 230),
        line("Fällig am:", 680, 260),
        line("14.04.2024", 950, 260),
        line("Rechnungsempfänger:", 80, 300),
        line("Weber Maschinenbau GmbH", 80, 325),
        line("Industrieweg 5", 80, 350),
    ]


def item_table(y: int = 420) -> list[OcrLine]:
    return [
        line("Beschreibung", 80, y),
        line("Menge", 640, y),
        line("Einzelpreis", 800, y),
        line("Gesamt", 1060, y),
        line("Beratung (Std.)", 80, y + 35),
        line("10", 680, y + 35),
        line("95,00", 820, y + 35),
        line("950,00", 1060, y + 35),
        line("Druckerpapier A4", 80, y + 70),
        line("2", 690, y + 70),
        line("1.250,00", 800, y + 70),
        line("2.500,00", 1040, y + 70),
    ]


def totals(subtotal: str = "3.450,00", tax: str = "655,50", total: str = "4.105,50 €", y: int = 560) -> list[OcrLine]:
    return [
        line("Zwischensumme", 700, y),
        line(subtotal, 1040, y),
        line("MwSt. 19%", 700, y + 30),
        line(tax, 1060, y + 30),
        line("Gesamtbetrag", 700, y + 60),
        line(total, 1030, y + 60),
    ]


def test_header_fields_of_a_german_invoice():
    result = extract(*header_block(), *item_table(), *totals())
    assert normalized(result, "invoice_number") == "RE-2024-0042"
    assert normalized(result, "invoice_date") == "2024-03-15"
    assert normalized(result, "due_date") == "2024-04-14"
    assert result.fields["vendor_name"].value == "Nordwind Logistik GmbH"
    assert result.fields["vendor_address"].value == "Hauptstraße 17 10115 Berlin"
    assert result.fields["customer_name"].value == "Weber Maschinenbau GmbH"
    assert normalized(result, "currency") == "EUR"
    assert result.fields["invoice_date"].page == 1
    assert result.fields["invoice_date"].polygon == line("15.03.2024", 950, 230).polygon


def test_amounts_verified_by_arithmetic_are_confident():
    result = extract(*header_block(), *item_table(), *totals())
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["3450.00", "655.50", "4105.50"]
    assert result.fields["total"].confidence > 0.9
    assert result.fields["total"].value == "4.105,50"
    assert check(result, "subtotal_plus_tax_equals_total") == "passed"
    assert check(result, "line_items_sum_to_subtotal") == "passed"


def test_line_items_from_the_table_header_and_columns():
    result = extract(*header_block(), *item_table(), *totals())
    items = [
        (item.description.value, item.quantity.normalized, item.unit_price.normalized, item.amount.normalized)
        for item in result.line_items
    ]
    assert items == [("Beratung (Std.)", "10", "95.00", "950.00"), ("Druckerpapier A4", "2", "1250.00", "2500.00")]
    assert check(result, "line_item_quantity_times_unit_price") == "passed"


def test_wrapped_description_joins_its_item():
    table = item_table()
    table.insert(8, line("inkl. Anfahrt", 80, 475))
    result = extract(*header_block(), *table, *totals())
    assert result.line_items[0].description.value == "Beratung (Std.) inkl. Anfahrt"
    assert len(result.line_items) == 2


def test_a_total_that_does_not_add_up_is_flagged():
    result = extract(*header_block(), *item_table(), *totals(total="4.200,00 €"))
    assert check(result, "subtotal_plus_tax_equals_total") == "failed"
    assert result.fields["total"].confidence < 0.9


def test_items_that_miss_the_subtotal_are_flagged():
    result = extract(*header_block(), *item_table(), *totals(subtotal="3.500,00", tax="665,00", total="4.165,00 €"))
    assert check(result, "line_items_sum_to_subtotal") == "failed"


def test_missing_fields_are_none():
    result = extract(line("Acme Ltd", 80, 60, height=32), line("Total", 700, 300), line("$12.00", 1000, 300))
    for name in ("invoice_number", "invoice_date", "due_date", "customer_name", "subtotal", "tax", "vendor_address"):
        assert result.fields[name] is None, name
    assert normalized(result, "total") == "12.00"
    assert normalized(result, "currency") == "USD"
    assert result.line_items == []
    assert check(result, "subtotal_plus_tax_equals_total") == "not_applicable"


def test_two_equally_strong_conflicting_labels_give_none():
    result = extract(
        line("Invoice No: A-100", 80, 100),
        line("Invoice No: B-200", 80, 140),
        line("Invoice Date: 2024-01-05", 80, 180),
        line("Invoice Date: 2024-02-07", 80, 220),
    )
    assert result.fields["invoice_number"] is None
    assert result.fields["invoice_date"] is None


def test_two_unverifiable_totals_give_none():
    result = extract(
        line("Total", 700, 300), line("12.00", 1000, 300), line("Total", 700, 400), line("15.00", 1000, 400)
    )
    assert result.fields["total"] is None


def test_conflicting_currency_marks_give_none():
    result = extract(line("Total 12.00 EUR", 700, 300), line("Paid 14.00 USD", 700, 340))
    assert result.fields["currency"] is None


def test_weekdays_in_opening_hours_are_no_swiss_francs():
    """ "Mo.-Fr. 08.30 - 12.30 Uhr" in a German footer: "Fr." after a dash is Friday."""
    hours = [line("Mo.-Fr. 08.30 - 12.30 Uhr", 80, 1800), line("Mo.-Fr. 14.00 - 17.00 Uhr", 80, 1830)]
    result = extract(line("Währung", 80, 300), line(": EUR", 400, 300), *hours)
    assert normalized(result, "currency") == "EUR"
    assert normalized(extract(line("Betrag Fr. 12.50", 80, 300)), "currency") == "CHF"
    assert normalized(extract(line("Carried forward -Rs. 1,60,335.78", 80, 300)), "currency") == "INR"


def test_ambiguous_numeric_date_order_lowers_confidence():
    result = extract(line("Date: 03/04/2024", 80, 100))
    assert normalized(result, "invoice_date") == "2024-04-03"
    assert result.fields["invoice_date"].confidence < 0.5


def test_us_dates_are_month_first():
    result = extract(line("Invoice Date: 03/04/2024", 80, 100), line("Total", 700, 300), line("$1,200.00", 1000, 300))
    assert normalized(result, "invoice_date") == "2024-03-04"


def test_labels_with_values_below_and_without_spaces():
    result = extract(
        line("Invoice No:INV-7", 80, 100),
        line("Date", 400, 100),
        line("Due Date", 700, 100),
        line("2024-03-15", 400, 125),
        line("2024-04-14", 700, 125),
        line("Bill to:", 80, 180),
        line("Initech Inc.", 80, 205),
    )
    assert normalized(result, "invoice_number") == "INV-7"
    assert normalized(result, "invoice_date") == "2024-03-15"
    assert normalized(result, "due_date") == "2024-04-14"
    assert result.fields["customer_name"].value == "Initech Inc."


def test_french_and_spanish_totals():
    french = extract(
        line("Total HT", 700, 300), line("1 000,00", 1000, 300),
        line("TVA 20 %", 700, 330), line("200,00", 1020, 330),
        line("Total TTC", 700, 360), line("1 200,00 €", 990, 360),
    )  # fmt: skip
    assert [normalized(french, name) for name in ("subtotal", "tax", "total")] == ["1000.00", "200.00", "1200.00"]
    spanish = extract(
        line("Base imponible", 700, 300), line("100,00", 1000, 300),
        line("IVA 21%", 700, 330), line("21,00", 1010, 330),
        line("Total a pagar", 700, 360), line("121,00 €", 990, 360),
    )  # fmt: skip
    assert [normalized(spanish, name) for name in ("subtotal", "tax", "total")] == ["100.00", "21.00", "121.00"]


def centered(text: str, y: int, height: int = LINE_HEIGHT, center: int = 230) -> OcrLine:
    """A line of a receipt whose header lines are centred."""
    return line(text, center - CHAR_WIDTH * len(text) // 2, y, height)


def sroie_like_receipt() -> list[OcrLine]:
    return [
        centered("TAN WOON YANN", 41, height=38),
        centered("YONGFATT ENTERPRISE", 107, height=26),
        centered("(JM0517726)", 137),
        centered("NO 122.124 JALAN DEDAP 13", 162),
        centered("81100 JOHOR BAHRU", 184),
        centered("TEL 07-3523888", 220),
        centered("SIMPLIFIED TAX INVOICE", 277),
        line("DATE", 276, 341),
        line("25/12/2018", 329, 341),
        line("TOTAL SALES (EXCLUDING GST) :", 66, 546),
        line("80.91", 334, 546),
        line("TOTAL GST :", 198, 599),
        line("0.00", 336, 599),
        line("ROUNDING", 202, 628),
        line("-0.01", 333, 628),
        line("TOTAL SALES (INCLUSIVE OF GST) :", 33, 658),
        line("80.90", 331, 658),
        line("CASH :", 227, 687),
        line("100.00", 326, 687),
        line("CHANGE :", 211, 712),
        line("19.10", 335, 712),
        line("TOTAL :", 140, 841),
        line("80.91", 256, 841),
        line("0.00", 371, 841),
    ]


def test_receipt_vendor_address_date_and_rounded_total():
    result = extract(*sroie_like_receipt())
    assert result.fields["vendor_name"].value == "YONGFATT ENTERPRISE"
    assert result.fields["vendor_address"].value == "NO 122.124 JALAN DEDAP 13 81100 JOHOR BAHRU"
    assert normalized(result, "invoice_date") == "2018-12-25"
    assert normalized(result, "total") == "80.90"
    assert check(result, "payment_minus_change_equals_total") == "passed"


def test_receipt_vendor_name_wrapped_before_its_suffix():
    result = extract(
        centered("PASARAYA BORONG PINTAR", 40, height=24),
        centered("SDN BHD", 70, height=24),
        centered("BR NO. :(124525-H)", 100),
        centered("NO 19-G JALAN TASIK UTAMA 4,", 125),
        centered("MEDAN NIAGA TASIK DAMAI", 150),
        centered("016-5498845", 175),
    )
    assert result.fields["vendor_name"].value == "PASARAYA BORONG PINTAR SDN BHD"
    assert result.fields["vendor_address"].value == "NO 19-G JALAN TASIK UTAMA 4, MEDAN NIAGA TASIK DAMAI"


def test_receipt_vendor_name_wrapped_over_the_line_with_its_legal_form():
    result = extract(
        centered("WESTERN EASTERN", 40),
        centered("STATIONERY SDN.BHD", 62),
        centered("CO REG NO :210038-K", 90),
        centered("42-46, JLN SULTAN AZLAN", 115),
        centered("SHAH 51200 KUALA LUMPUR", 140),
    )
    assert result.fields["vendor_name"].value == "WESTERN EASTERN STATIONERY SDN. BHD"


def test_receipt_brand_over_the_company_name_is_not_part_of_it():
    result = extract(
        centered("AEON", 40),
        centered("AEON CO. (M) BHD", 62),
        centered("3RD FLR, AEON TAMAN MALURI SC", 90),
        centered("CHERAS, 55100 KUALA LUMPUR", 115),
    )
    assert result.fields["vendor_name"].value == "AEON CO. (M) BHD"


def test_multi_page_table_and_totals_on_the_last_page():
    second_page = [line("Nordwind Logistik GmbH", 80, 60), *item_table(y=120), *totals(y=260)]
    second_page = [item for item in second_page if not item.text.startswith(("Druckerpapier", "2", "1.250"))]
    result = extract(*header_block(), *item_table(), more_pages=(second_page,))
    amounts = [item.amount.normalized for item in result.line_items]
    assert amounts == ["950.00", "2500.00", "950.00", "2500.00"][: len(amounts)]
    assert normalized(result, "total") == "4105.50"
    assert result.fields["total"].page == 2


def test_no_lines_at_all():
    result = extract()
    assert all(value is None for value in result.fields.values())
    assert {item.status for item in result.checks} == {"not_applicable"}


def tilted(text: str, x: int, y: int, slope: float) -> OcrLine:
    """A line box as the detector returns it on a page skewed by `slope` (dy/dx)."""
    width = CHAR_WIDTH * len(text)
    top_left, top_right = (x, round(y + slope * x)), (x + width, round(y + slope * (x + width)))
    return OcrLine(
        text,
        0.95,
        (top_left, top_right, (top_right[0], top_right[1] + LINE_HEIGHT), (top_left[0], top_left[1] + LINE_HEIGHT)),
    )


def test_rows_of_a_skewed_scan_stay_apart():
    slope = 0.035  # 2°: the right column drifts 35 px per 1000 px, more than a line height
    lines = [tilted(text, x, y, slope) for y in (300, 330, 360) for text, x in ((f"Label {y}", 80), (f"{y}.00", 1000))]
    rows = [[item.text for item in row] for row in group_into_rows(lines)]
    assert rows == [["Label 300", "300.00"], ["Label 330", "330.00"], ["Label 360", "360.00"]]
