"""Habits of European and US till slips found on Chromium prints of such layouts
(`bench/layouts/34_*` to `43_*`) and reproduced here with hand-placed lines: a zero-rated
row in the VAT summary, the Italian "di cui IVA" and the Polish "SUMA PTU", a shop's
name that opens with a payment word, and the owner an Italian shop prints under its sign."""

from __future__ import annotations

from invoice_ocr.extraction.labels import match_label
from tests.unit.test_extraction_invoice import centered, extract, line, normalized
from tests.unit.test_extraction_layouts import text_of


def test_a_zero_rated_summary_row_joins_the_vat_tables_sum() -> None:
    """One taxed row and one zero-rated row: the taxed row's net, VAT and gross add up on
    their own, but the slip's total is both rows' gross, as "TOTAL" states."""
    result = extract(
        centered("TESCO", 40, height=36),
        line("PG TIPS 80 BAGS", 60, 120),
        line("£2.75", 660, 120),
        line("TOTAL", 60, 200, height=30),
        line("£9.60", 660, 200, height=30),
        line("VISA CONTACTLESS", 60, 240),
        line("£9.60", 660, 240),
        line("VAT", 60, 300),
        line("NET", 300, 300),
        line("VAT", 460, 300),
        line("TOTAL", 660, 300),
        line("A 20.00%", 60, 324),
        line("£3.17", 300, 324),
        line("£0.63", 460, 324),
        line("£3.80", 660, 324),
        line("Z", 60, 348),
        line("0.00%", 110, 348),
        line("£5.80", 300, 348),
        line("£0.00", 460, 348),
        line("£5.80", 660, 348),
    )
    assert normalized(result, "total") == "9.60"
    assert normalized(result, "tax") == "0.63"
    assert normalized(result, "subtotal") == "8.97"


def test_the_tax_a_total_includes_in_italian_and_polish() -> None:
    """ "di cui IVA" is the VAT the total includes; "SUMA PTU" is a Polish slip's tax and
    "SUMA PLN" its total."""
    assert match_label("di cui IVA") is not None and set(match_label("di cui IVA").fields) == {"tax"}
    italian = extract(
        centered("CAFFE CENTRALE", 40, height=36),
        line("CAPPUCCINO", 60, 120),
        line("1,50", 660, 120),
        line("TOTALE COMPLESSIVO", 60, 180, height=30),
        line("6,80", 660, 180, height=30),
        line("di cui IVA", 60, 214),
        line("0,62", 500, 214),
    )
    assert normalized(italian, "tax") == "0.62"
    assert normalized(italian, "total") == "6.80"
    polish = extract(
        centered("Jeronimo Martins Polska S.A.", 40),
        line("MLEKO 2% 1L  1 x3,49", 60, 120),
        line("3,49C", 660, 120),
        line("SUMA PTU", 60, 180),
        line("1,87", 660, 180),
        line("SUMA PLN", 60, 210, height=30),
        line("18,75", 660, 210, height=30),
    )
    assert normalized(polish, "tax") == "1.87"
    assert normalized(polish, "total") == "18.75"


def test_a_shops_name_may_open_with_a_payment_word() -> None:
    """ "Bar" is cash on a German slip and "BAR PASTICCERIA ROSSI" an Italian café: a line
    with no digit and two more words that are no payment's is a name; "BAR EUR 10,00" and
    "Cash tendered" stay payments."""
    assert match_label("BAR PASTICCERIA ROSSI") is None
    assert match_label("Cash & Carry Sdn Bhd") is None
    for payment in ("BAR EUR 10,00", "Cash tendered", "Bar gegeben", "CASH PAYMENT RECEIVED", "Bar"):
        assert set(match_label(payment).fields) == {"paid"}, payment
    result = extract(
        centered("BAR PASTICCERIA ROSSI", 40, height=36),
        centered("Via Garibaldi 21 - 40121 Bologna", 90),
        line("CAPPUCCINO", 60, 160),
        line("1,50", 660, 160),
        line("TOTALE", 60, 200),
        line("1,50", 660, 200),
    )
    assert result.fields["vendor_name"].value == "BAR PASTICCERIA ROSSI"


def test_an_italian_shops_owner_under_its_sign_is_not_the_vendor() -> None:
    """ "di Rossi Mario & C. s.n.c." under the sign names the owner, as "Inh." does on a
    German slip; the sign is the vendor. "DOCUMENTO COMMERCIALE" is the slip's title."""
    result = extract(
        centered("PASTICCERIA ROSSI", 40),
        centered("di Rossi Mario & C. s.n.c.", 84),
        centered("Via Garibaldi 21 - 40121 Bologna", 108),
        centered("DOCUMENTO COMMERCIALE", 150, height=36),
        centered("di vendita o prestazione", 194),
        line("CAPPUCCINO", 60, 240),
        line("1,50", 660, 240),
        line("TOTALE", 60, 280),
        line("1,50", 660, 280),
    )
    assert result.fields["vendor_name"].value == "PASTICCERIA ROSSI"


def test_a_brand_whose_legal_name_ends_in_a_form_of_two_words() -> None:
    """ "ALDI SÜD" over the items, "ALDI SÜD Dienstleistungs-SE & Co. oHG" in the footer:
    the legal name runs to the end of "Co. oHG", not to "Co."."""
    result = extract(
        centered("ALDI SÜD", 20, height=30),
        centered("Lindenallee 4", 56),
        centered("45127 Essen", 80),
        line("Waschmittel", 20, 130),
        line("4,95 B", 380, 130),
        line("Summe", 20, 160),
        line("4,95", 380, 160),
        centered("ALDI SÜD Dienstleistungs-SE & Co. oHG", 260),
        centered("Burgstraße 37, 45476 Mülheim an der Ruhr", 284),
    )
    assert text_of(result, "vendor_name") == "ALDI SÜD Dienstleistungs-SE & Co. oHG"


def test_the_tax_a_cafe_bill_says_its_sum_holds() -> None:
    result = extract(
        centered("Café Rosengarten", 20, height=30),
        line("Summe EUR", 20, 241),
        line("14,90", 255, 241),
        line("darin enth. MwSt 19%", 20, 262),
        line("2,38", 255, 262),
        line("Gegeben", 20, 283),
        line("20,00", 255, 283),
        line("Zurück", 20, 304),
        line("5,10", 255, 304),
    )
    assert normalized(result, "total") == "14.90"
    assert normalized(result, "tax") == "2.38"
