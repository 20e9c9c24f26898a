"""`repair_address`, `repair_name` and `repair_label_words`: listed address, company-name
and label words one OCR letter off (or address words glued to the street's name, name
words split in two) are spelt as printed; everything else is left as read."""

import pytest

from invoice_ocr.extraction.labels import match_label
from invoice_ocr.extraction.lexicon import repair_address, repair_label_words, repair_name
from tests.unit.test_extraction_invoice import centered, extract


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        (
            "LOT 3, JALAU PELABUR 23/1, 40300 SHAH ALAM, SELAUGOR",
            "LOT 3, JALAN PELABUR 23/1, 40300 SHAH ALAM, SELANGOR",
        ),
        ("LOT 3, JAIAN PELABUR 23/1", "LOT 3, JALAN PELABUR 23/1"),
        ("LOT 3 JALANPELABUR 23/1", "LOT 3 JALAN PELABUR 23/1"),
        ("12 Baker Stroet, London", "12 Baker Street, London"),
        ("1.OT 3, JALAN PELABUR 23/1", "LOT 3, JALAN PELABUR 23/1"),
        ("EOT 3, JALAN PELABUR 23/1", "LOT 3, JALAN PELABUR 23/1"),
        ("1.ot 3, Jalan Pelabur 23/1", "Lot 3, Jalan Pelabur 23/1"),
        ("NO 5, L0T 1851-A, JALAN KPB 6", "NO 5, LOT 1851-A, JALAN KPB 6"),
    ],
)
def test_misread_address_words_are_repaired(read: str, printed: str) -> None:
    assert repair_address(read) == printed


@pytest.mark.parametrize(
    "text",
    [
        "JALAN KLANG LAMA, 58000 KUALA LUMPUR",  # already right
        "Hauptstraße 5, 80331 München",  # not on the list
        "JAVA HOUSE, 1 JAYA ROAD",  # short words have too many neighbours
        "TAMANSARI",  # a street word glued to too little to be a name of its own
        "EOT HOUSE, 11.OT 3",  # no lot number after it, or part of a longer word
    ],
)
def test_other_words_are_left_as_read(text: str) -> None:
    assert repair_address(text) == text


def test_the_vendor_address_is_repaired_and_the_name_is_not() -> None:
    result = extract(
        centered("GARDENIA BAKERIES (KL) SDN BHD", 40, height=26),
        centered("LOT 3, JALAU PELABUR 23/1,", 80),
        centered("40300 SHAH ALAM, SELAUGOR.", 105),
    )
    assert result.fields["vendor_address"].value == "LOT 3, JALAN PELABUR 23/1, 40300 SHAH ALAM, SELANGOR."


@pytest.mark.parametrize(
    ("read", "field"),
    [("Total Payakle:", "total"), ("Sub Totai", "subtotal"), ("Involce No:", "invoice_number")],
)
def test_label_words_ocr_misread_by_a_letter_still_label(read: str, field: str) -> None:
    label = match_label(read)
    assert label is not None and field in label.fields
    assert label.end <= len(read)


def test_words_near_no_single_label_word_are_left_alone() -> None:
    assert repair_label_words("totals bounding box numer faktury") == "totals bounding box numer faktury"
    assert match_label("Totals") is None


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("GARDENIA BAKERLES (KL) SDN BHD", "GARDENIA BAKERIES (KL) SDN BHD"),
        ("GARDENIA BAK ERIES (KL) SDN BHD", "GARDENIA BAKERIES (KL) SDN BHD"),
        ("UNIQUE ENTERPRlSE", "UNIQUE ENTERPRISE"),
        ("KEDAI TRADINC SDN BHD", "KEDAI TRADING SDN BHD"),
    ],
)
def test_misread_company_name_words_are_repaired(read: str, printed: str) -> None:
    assert repair_name(read) == printed


@pytest.mark.parametrize(
    "text",
    [
        "SYARIKAT PERNIAGAAN GIN KEE",  # already right
        "Bakerles Ltd",  # not in capitals: a name OCR read in mixed case is left as read
        "GARDENFA BAKERIES",  # a brand is a proper noun, not on the list
        "AB ENTERPRISE",  # two words that are not the halves of a listed one
        "MEGAH JAYA MINI MARKET SDN BHD",  # a listed compound printed as two words
        "SUPER MARKET JAYA",
    ],
)
def test_other_name_words_are_left_as_read(text: str) -> None:
    assert repair_name(text) == text


def test_the_vendor_name_is_repaired() -> None:
    result = extract(
        centered("GARDENIA BAK ERIES (KL) SDN BHD", 40, height=26),
        centered("LOT 3, JALAN PELABUR 23/1,", 80),
        centered("40300 SHAH ALAM, SELANGOR.", 105),
    )
    assert result.fields["vendor_name"].value == "GARDENIA BAKERIES (KL) SDN BHD"
