"""`repair_address` and `repair_label_words`: listed address and label words one OCR letter
off (or address words glued to the street's name) are spelt as printed; everything else is
left as read."""

import pytest

from invoice_ocr.extraction.labels import match_label
from invoice_ocr.extraction.lexicon import repair_address, repair_label_words
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
