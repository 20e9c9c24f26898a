"""Value parsers of invoice extraction: amounts, dates and labels, on plain strings."""

import datetime as dt
from decimal import Decimal

import pytest

from invoice_ocr.extraction.amounts import find_amounts, format_money, parse_amount
from invoice_ocr.extraction.dates import find_dates, infer_day_first
from invoice_ocr.extraction.labels import match_label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56 €", "1234.56"),
        ("1 234,56 €", "1234.56"),
        ("1'234.50", "1234.50"),
        ("RM39.80", "39.80"),
        ("USD1,234.00", "1234.00"),
        ("-9.60", "-9.60"),
        ("9.60-", "-9.60"),
        ("1O.5O", "10.50"),
        ("Total: $12", "12"),
        # A minus right before the symbol is the sign; a dash and a space before it separate.
        ("-€12.00", "-12.00"),
        ("Discount −$5.00", "-5.00"),
        ("€ -12,00", "-12.00"),
        ("Total – $12.00", "12.00"),
    ],
)
def test_amount_formats(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["12.03.2024", "2024-03-15", "INV-2024-0042", "19%", "6.00 %", "12:30"])
def test_dates_ids_percentages_and_times_are_not_money(text):
    assert find_amounts(text) == []


def test_a_space_groups_thousands_only_before_a_comma_decimal():
    assert [match.value for match in find_amounts("2 125.00")] == [Decimal(2), Decimal("125.00")]
    assert [match.value for match in find_amounts("2 125,00")] == [Decimal("2125.00")]


def test_integers_can_be_left_out_of_free_text():
    assert [match.text for match in find_amounts("Qty 2 at 12.50", require_decimals=True)] == ["12.50"]


def test_money_is_normalised_to_two_decimals():
    assert format_money(Decimal("1214.6")) == "1214.60"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date:2024-03-15", dt.date(2024, 3, 15)),
        ("15.03.2024", dt.date(2024, 3, 15)),
        ("15 March 2024", dt.date(2024, 3, 15)),
        ("Échéance : 15 mars 2024", dt.date(2024, 3, 15)),
        ("15. März 2024", dt.date(2024, 3, 15)),
        ("15 de marzo de 2024", dt.date(2024, 3, 15)),
        ("March 15, 2024", dt.date(2024, 3, 15)),
        ("14/03/2018 5:57:07PM", dt.date(2018, 3, 14)),
        ("DATE: 09/08/17", dt.date(2017, 8, 9)),
    ],
)
def test_date_formats(text, expected):
    assert find_dates(text)[0].value == expected


def test_numeric_date_order_follows_the_document():
    assert find_dates("03/04/2024", day_first=False)[0].value == dt.date(2024, 3, 4)
    assert find_dates("03/04/2024", day_first=True)[0].value == dt.date(2024, 4, 3)
    assert find_dates("03/04/2024")[0].order_ambiguous
    assert not find_dates("03/15/2024", day_first=True)[0].order_ambiguous
    assert infer_day_first(["03/04/2024", "due 03/19/2024"]) is False
    assert infer_day_first(["03/04/2024", "due 19/04/2024"], month_first_locale=True) is True
    assert infer_day_first(["03/04/2024"], month_first_locale=True) is False


@pytest.mark.parametrize("text", ["Total 12.50", "Due in 30 days", "TEL: 03-3362 4395", "Paid 2024"])
def test_non_dates(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Invoice No:INV-2024-0042", "invoice_number"),
        ("Rechnungsnummer:", "invoice_number"),
        ("Facture N°", "invoice_number"),
        ("Factura N.º:", "invoice_number"),
        ("Rechnungsdatum", "invoice_date"),
        ("Fecha de emisión:", "invoice_date"),
        ("Fällig am:", "due_date"),
        ("Date d'échéance", "due_date"),
        ("Vencimiento:", "due_date"),
        ("Bill To:", "customer_name"),
        ("Rechnungsempfänger", "customer_name"),
        ("Facturé à", "customer_name"),
        ("Zwischensumme", "subtotal"),
        ("Base imponible", "subtotal"),
        ("TOTAL SALES (EXCLUDING GST) :", "subtotal"),
        ("MwSt. 19%", "tax"),
        ("zzgl. 19% MwSt.", "tax"),
        ("TVA 20 %", "tax"),
        ("IVA 21%", "tax"),
        ("Gesamtbetrag", "total"),
        ("Montant TTC", "total"),
        ("Total a pagar", "total"),
        ("T0TAL (RM)", "total"),
        ("ROUNDED TOTAL", "total"),
    ],
)
def test_labels_in_four_languages(text, field):
    label = match_label(text)
    assert label is not None and field in label.fields


@pytest.mark.parametrize(
    "text", ["TOTAL QTY: 4", "GST NO.: 000123", "TAX INVOICE", "Customer No. 4711", "Delivery date", "CUSTOMER'S COPY"]
)
def test_look_alikes_are_not_field_labels(text):
    assert match_label(text) is None


def test_regional_wording_may_name_two_fields():
    assert set(match_label("Net total").fields) == {"subtotal", "total"}


def test_dates_written_with_unit_words() -> None:
    """Vietnamese "15 tháng 04 năm 2025" (glossed or with its accents lost) and the
    Chinese, Japanese and Korean year-month-day units."""
    for text in (
        "Ngày 15 tháng 04 năm 2025",
        "Ngày (Date) 15 tháng (month) 04 năm (year) 2025",
        "15 thang 4 nam 2025",
        "开票日期: 2025年04月15日",
        "2025년 4월 15일",
    ):
        assert [found.value for found in find_dates(text)] == [dt.date(2025, 4, 15)], text


def test_digits_grouped_twice_are_money_without_a_mark() -> None:
    """ "26.070.000" is an amount even where a bare number would be a quantity; one group
    ("450.000"), identifiers with check digits and phone numbers are not."""
    assert [found.value for found in find_amounts("26.070.000", require_decimals=True)] == [Decimal(26070000)]
    for text in ("450.000", "76.418.257-3", "12.345.678/0001-90", "Tel 0909.123.456"):
        assert find_amounts(text, require_decimals=True) == [], text


def test_slovak_sums_of_the_net_and_the_gross() -> None:
    """A Slovak faktúra sums its net as "Spolu bez DPH" and its gross as "Spolu s DPH"."""
    assert match_label("Spolu bez DPH").fields == {"subtotal": 3}
    assert match_label("Spolu s DPH").fields == {"total": 2}
