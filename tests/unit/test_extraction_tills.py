"""Habits of European and US till slips found on Chromium prints of such layouts
(`bench/layouts/34_*` to `43_*`) and reproduced here with hand-placed lines: a zero-rated
row in the VAT summary, the Italian "di cui IVA" and the Polish "SUMA PTU", a shop's
name that opens with a payment word, the owner an Italian shop prints under its sign, a
US guest check's number, a total's sentence for the GST it includes, a sign's company
printed under it, a bare "Bon" number, a business customer's heading, a Kenyan
slip's shillings, opening hours under a sign, a date keyed as another day's, a TSE's
"Trans.-Nr.", a slip whose cash line is its total, a car park's times and operator, a
bill book's ringgit and sen columns, a card slip's own invoice number and a bare dollar
on a Singapore slip."""

from __future__ import annotations

from invoice_ocr.extraction.labels import match_label
from invoice_ocr.extraction.parties import PartyText, header_company
from invoice_ocr.page import OcrLine
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


def test_a_legal_name_that_opens_with_a_label_word_and_a_legal_form_wrapped_onto_a_line() -> None:
    """ "Netto Marken-Discount Stiftung & Co. KG" opens with the word "Netto" and is a
    name, not a net sum; a DIY store's logo "heimwerk" has its legal name wrapped before
    "GmbH & Co. KG"."""
    assert match_label("Netto Marken-Discount Stiftung & Co. KG") is None
    assert match_label("Bill to Acme Ltd") is not None
    netto = extract(
        centered("Netto", 40, height=40),
        centered("Marken-Discount", 85, height=30),
        centered("Netto Marken-Discount Stiftung & Co. KG", 125),
        centered("Industriepark Ponholz 1", 150),
        centered("93142 Maxhütte-Haidhof", 175),
        line("MILCH FRISCH 3,5% 1L", 60, 260),
        line("1,09 A", 400, 260),
    )
    assert text_of(netto, "vendor_name") == "Netto Marken-Discount Stiftung & Co. KG"
    diy = extract(
        centered("heimwerk", 40, height=40),
        centered("Bau- & Gartenmarkt · Regensburg-Ost", 85),
        centered("Heimwerk Bau- und Gartenmarkt Lindner", 110),
        centered("GmbH & Co. KG", 135),
        centered("Straubinger Str. 112", 160),
        line("SPAX Universal 4x40", 60, 260),
        line("9,98 A", 400, 260),
    )
    assert text_of(diy, "vendor_name") == "Heimwerk Bau- und Gartenmarkt Lindner GmbH & Co. KG"


def test_the_card_slips_number_is_not_the_receipts_and_a_till_and_receipt_line() -> None:
    """ "Kasse 3 Bon 4711" numbers the receipt; the "Beleg-Nr." among a card terminal's
    keys (Terminal-ID, TA-Nr., VU-Nr.) numbers the card payment."""
    result = extract(
        line("Kasse 3 Bon 4711", 60, 200),
        line("22.06.2024 10:17", 330, 200),
        line("ZU ZAHLEN EUR", 60, 300),
        line("46,87", 400, 300),
        line("Terminal-ID:", 60, 400),
        line("69284715", 300, 400),
        line("TA-Nr.:", 60, 425),
        line("004213", 300, 425),
        line("Beleg-Nr.:", 60, 450),
        line("0871", 300, 450),
        line("VU-Nr.:", 60, 475),
        line("455600098712", 300, 475),
    )
    assert normalized(result, "invoice_number") == "4711"


def test_a_banners_word_over_a_name_printed_alone_elsewhere_is_no_part_of_it() -> None:
    """ "INTERMARCHE" / "SUPER" is the banner; the company "VERNADIS SAS" under it is named
    alone in the footer, so "SUPER" is not the start of its name."""
    result = extract(
        centered("INTERMARCHE", 40, height=30),
        centered("SUPER", 75),
        centered("VERNADIS SAS", 100),
        centered("12 Avenue de la Libération", 125),
        centered("38200 VIENNE", 150),
        line("BAGUETTE TRADITION 250G", 60, 260),
        line("1,15 €", 400, 260),
        centered("VERNADIS SAS au capital de 150 000 €", 900),
    )
    assert text_of(result, "vendor_name") == "VERNADIS SAS"


def _box(text: str, left: int, top: int, right: int, bottom: int) -> OcrLine:
    return OcrLine(text, 0.98, ((left, top), (right, top), (right, bottom), (left, bottom)))


def test_one_printed_amount_is_not_both_the_subtotal_and_the_total() -> None:
    """A photographed slip whose tax summary lost its "MwSt" column title and a cell:
    "Gesamt 40,09" under "Netto" is a subtotal and, by its sum word, a total; as both it
    proved a sum of its own and outscored "ZU ZAHLEN EUR 46,87". (Boxes as OCR gave them.)"""
    result = extract(
        _box("ZU ZAHLEN EUR", 281, 1044, 442, 1074),
        _box("46,87", 711, 1044, 781, 1077),
        _box("Kartenzahlung girocard", 277, 1092, 549, 1125),
        _box("46,87", 714, 1092, 784, 1125),
        _box("MwSt", 287, 1194, 345, 1218),
        _box("Netto", 403, 1194, 476, 1227),
        _box("M , S", 525, 1188, 598, 1256),
        _box("Brutto", 637, 1194, 720, 1227),
        _box("A 19,0%", 284, 1215, 381, 1245),
        _box("33,11", 406, 1215, 476, 1248),
        _box("39,40", 646, 1215, 720, 1251),
        _box("B 7,0%", 283, 1232, 382, 1275),
        _box("6,98", 412, 1239, 476, 1271),
        _box("0,49", 534, 1239, 595, 1274),
        _box("7,47", 659, 1239, 723, 1274),
        _box("Gesamt", 290, 1265, 378, 1295),
        _box("40,09", 406, 1262, 479, 1295),
        _box("6,78", 537, 1262, 595, 1298),
        _box("46,87", 648, 1258, 724, 1302),
    )
    assert normalized(result, "total") == "46.87"


def test_a_guest_checks_number_a_tracked_subtitle_and_the_date_beside_the_number() -> None:
    """A US guest check: "Check #2093" numbers it, the date in the cell beside the number
    is still the check's date, and "K I T C H E N & B A R" under the sign is no party."""
    result = extract(
        centered("THE COPPER KETTLE", 50, height=40),
        line("K I T C H E N", 116, 105),
        line("&", 243, 105),
        line("B A R", 275, 105),
        centered("212 Court Street", 130),
        centered("Brooklyn, NY 11201", 155),
        line("Check #2093", 31, 269),
        line("03/08/2025 8:47 PM", 300, 269),
        line("Subtotal", 31, 638),
        line("151.00", 518, 638),
        line("Tax 8.875%", 31, 667),
        line("13.40", 532, 667),
        line("Total", 31, 733),
        line("$164.40", 475, 733),
    )
    assert normalized(result, "invoice_number") == "2093"
    assert normalized(result, "invoice_date") == "2025-03-08"
    assert result.fields["customer_name"] is None


def test_a_total_that_includes_gst_of_an_amount_states_the_tax() -> None:
    """An Australian "Total includes GST of $129.88" gives the tax the total includes; a
    Malaysian "Total Includes GST 0%  8.20" captions the total itself."""
    australian = extract(
        line("Total", 893, 1320),
        line("$1,428.70", 1300, 1320),
        line("Total includes GST of", 893, 1375),
        line("$129.88", 1300, 1375),
    )
    assert [normalized(australian, name) for name in ("tax", "total")] == ["129.88", "1428.70"]
    malaysian = extract(
        line("*Total Qty: 4.00", 86, 1431),
        line("8.20", 771, 1438),
        line("Total Includes GST 0%", 90, 1503),
        line("8.20", 771, 1505),
        line("Cash", 87, 1629),
        line("20.20", 748, 1631),
        line("Change", 86, 1682),
        line("12.00", 751, 1688),
    )
    assert normalized(malaysian, "total") == "8.20"


def test_an_indian_till_rolls_company_gst_lines_and_net_amount() -> None:
    """An Indian shop's till roll: "(A unit of Lakshmi Retail Ventures LLP)" under its
    sign names its company; "Add: CGST @ 2.5%" and "Add: SGST @ 2.5%" are the tax, and
    "Net Amount" after the round-off is what is paid, as the arithmetic says."""
    result = extract(
        centered("SRI LAKSHMI TEXTILES", 58, height=40),
        centered("(A unit of Lakshmi Retail Ventures LLP)", 129),
        centered("No. 112, Usman Road, T. Nagar,", 154),
        line("Taxable Amount", 27, 861),
        line("3531.15", 518, 861),
        line("Add: CGST @ 2.5%", 27, 886),
        line("88.28", 542, 886),
        line("Add: SGST @ 2.5%", 27, 913),
        line("88.28", 542, 913),
        line("Round Off", 27, 938),
        line("0.29", 554, 938),
        line("Net Amount", 27, 998),
        line("Rs. 3708.00", 409, 998),
    )
    assert text_of(result, "vendor_name") == "Lakshmi Retail Ventures LLP"
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["3531.15", "176.56", "3708.00"]


def test_a_french_tickets_number() -> None:
    """ "TICKET 004127" beside "CAISSE 03" numbers a French till receipt; "TICKET CLIENT
    CB" heads the card slip."""
    result = extract(
        line("*** TICKET CLIENT CB ***", 31, 1094),
        line("TICKET 004127", 31, 1372),
        line("CAISSE 03", 486, 1372),
    )
    assert normalized(result, "invoice_number") == "004127"


def test_a_signs_company_printed_under_it_is_the_vendor_and_a_bare_bon_its_number() -> None:
    """A DIY store prints its sign, a letter-spaced tagline and the company it belongs to
    under it: that company is the vendor. "Bon 0417" without "Nr." is the slip's number,
    and a "PROFI-KUNDE" heads the business customer's block on it."""
    result = extract(
        centered("WERKHOF", 45, height=40),
        centered("B A U - U N D G A R T E N M A R K T", 108),
        centered("Schreiber Baumärkte GmbH & Co. KG", 148),
        centered("Filiale Paderborn · Frankfurter Weg 62", 175),
        centered("33106 Paderborn", 200),
        line("Kasse 06", 252, 277),
        line("Bon 0417", 510, 277),
        line("Datum 09.05.2025", 23, 304),
        line("PROFI-KUNDE", 37, 380),
        line("Kunden-Nr.: 2004517", 37, 407),
        line("Malerbetrieb Kowalski GmbH", 37, 436),
        line("Detmolder Str. 233", 37, 463),
        line("33100 Paderborn", 37, 492),
        line("TIEFENGRUND LF 10L", 23, 626),
        line("24,95", 502, 626),
        line("ZU ZAHLEN", 23, 1084),
        line("24,95", 496, 1084),
    )
    assert text_of(result, "vendor_name") == "Schreiber Baumärkte GmbH & Co. KG"
    assert normalized(result, "invoice_number") == "0417"
    assert text_of(result, "customer_name") == "Malerbetrieb Kowalski GmbH"
    assert match_label("Bon de livraison 123") is None


def test_a_signs_company_is_not_an_operator_named_after_an_owner_line() -> None:
    """ "Owned by" over the operator's name under the sign: the receipt's keys name the
    sign, so the company printed after such a line is not read as the sign's."""
    sign = centered("DOMINO'S PIZZA", 40, height=36)
    rows = [[sign], [centered("Owned by", 90)], [centered("Dommal Food Services Sdn Bhd", 115)]]
    assert header_company(PartyText(sign.text, (sign,), sign.confidence), rows, set()) is None
    rows[1] = [centered("Pizza · Pasta · Wings", 90)]
    company = header_company(PartyText(sign.text, (sign,), sign.confidence), rows, set())
    assert company is not None and company.text == "Dommal Food Services Sdn Bhd"


def test_a_kenyan_till_slips_shillings_and_its_buyers_pin_line() -> None:
    """ "TOTAL KES" names the Kenyan shilling; "BUYER PIN: -" keys the buyer's tax number
    (none here), so the item table under it is no customer."""
    result = extract(
        centered("MAVUNO RETAIL STORES LTD", 117),
        line("RECEIPT NO:", 31, 325),
        line("0412-0086215", 452, 325),
        line("BUYER PIN:", 31, 394),
        line("-", 586, 394),
        line("DESCRIPTION", 31, 435),
        line("AMOUNT", 525, 435),
        line("COOKING OIL GOLDEN 3L", 31, 477),
        line("879.00 A", 501, 500),
        line("TOTAL KES", 31, 1035),
        line("879.00", 465, 1035),
    )
    assert normalized(result, "currency") == "KES"
    assert result.fields["customer_name"] is None


def test_an_italian_documento_commerciales_and_a_uk_tills_numbers() -> None:
    """ "DOC. N." with the number in the cell beside it numbers an Italian documento
    commerciale; "TRANS NO." a UK till's receipt (not the store's or the till's number)."""
    italian = extract(
        centered("AURORA S.N.C. DI RINALDI MARCO & C.", 104),
        line("DOC. N.", 19, 902),
        line("0412-0087", 400, 902),
    )
    assert normalized(italian, "invoice_number") == "0412-0087"
    british = extract(centered("COPPERFIELDS", 40, height=36), line("TRANS NO. 4821", 20, 900))
    assert normalized(british, "invoice_number") == "4821"


def test_a_croatian_fiscal_receipts_tax_total_row() -> None:
    """ "Ukupno porez | 87,44 | 14,06" under the PDV rows sums the tax (the net beside
    it), while "UKUPNO:" is the receipt's total."""
    result = extract(
        centered("MLINAR d.o.o.", 60),
        line("UKUPNO:", 20, 700, height=28),
        line("101,50 EUR", 400, 700, height=28),
        line("PDV", 20, 800),
        line("13%", 120, 800),
        line("65,04", 300, 800),
        line("8,46", 480, 800),
        line("PDV", 20, 830),
        line("25%", 120, 830),
        line("22,40", 300, 830),
        line("5,60", 480, 830),
        line("Ukupno porez", 20, 860),
        line("87,44", 300, 860),
        line("14,06", 480, 860),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["87.44", "14.06", "101.50"]


def test_a_chains_branch_line_and_its_legal_name_in_the_small_print() -> None:
    """The sign's line names the branch ("Sparfix Filiale 4127") or the sign is a logo
    OCR reads with debris ("Brenner•", "( BOSPORUS"); the small print names the company:
    the chain's words first, or after a trade word ("Drogeriemarkt Brenner GmbH & Co. KG"),
    with a qualifier a narrow slip wraps ("UG" + "(haftungsbeschränkt)")."""
    cases = (
        ("Sparfix Filiale 4127", ["Sparfix Markt GmbH"], "Sparfix Markt GmbH"),
        ("Brenner•", ["Drogeriemarkt Brenner GmbH & Co. KG"], "Drogeriemarkt Brenner GmbH & Co. KG"),
        (
            "( BOSPORUS",
            ["Bosporus Grill Haus UG", "(haftungsbeschränkt)"],
            "Bosporus Grill Haus UG (haftungsbeschränkt)",
        ),
    )
    for sign, small_print, name in cases:
        footer = [line(text, 60, 1500 + 22 * row) for row, text in enumerate(small_print)]
        result = extract(
            centered(sign, 60, height=40),
            centered("Bonner Straße 212", 110),
            centered("50968 Köln", 135),
            line("SUMME EUR", 20, 700, height=28),
            line("23,45", 400, 700, height=28),
            *footer,
        )
        assert text_of(result, "vendor_name") == name, sign


def test_a_key_whose_colon_stands_with_its_value_and_a_service_tax() -> None:
    """A Malaysian slip prints its keys' colons in the value column ("No." | ": CS
    17/00881", a series and a number), and Malaysia's SST as "Service Tax 6%"."""
    result = extract(
        centered("SIN WAH BOOK & STATIONERY ENTERPRISE", 60),
        line("No.", 20, 300),
        line(": CS 17/00881", 130, 300),
        line("Date", 20, 325),
        line(": 05/01/2017 10:16AM", 130, 325),
        line("Sub Total", 20, 700),
        line("69.70", 400, 700),
        line("Service Charge 10%", 20, 725),
        line("6.97", 400, 725),
        line("Service Tax 6%", 20, 750),
        line("4.60", 400, 750),
        line("TOTAL", 20, 800, height=28),
        line("RM 81.27", 380, 800, height=28),
    )
    assert text_of(result, "invoice_number") == "CS 17/00881"
    assert normalized(result, "tax") == "4.60"
    assert match_label("Service Tax No: W10-1808-31002478") is None


def test_a_chilean_boleta_centred_under_its_title_with_a_motto_over_the_company() -> None:
    """ "BOLETA ELECTRÓNICA" over a centred "N° 4587213" numbers the slip; the motto in
    small letters over "FARMACÉUTICA CRUZ DEL SUR SpA" is no start of the name; "Monto
    Neto" is the net."""
    result = extract(
        centered("FARMACIAS CRUZ DEL SUR", 40, height=34),
        centered("tu farmacia de barrio", 80),
        centered("FARMACÉUTICA CRUZ DEL SUR SpA", 105),
        centered("BOLETA ELECTRÓNICA", 250, height=26),
        centered("N° 4587213", 280, height=26),
        line("Monto Neto", 20, 800),
        line("$19.706", 380, 800),
        line("IVA (19%)", 20, 825),
        line("$3.744", 380, 825),
        line("TOTAL", 20, 850, height=28),
        line("$23.450", 380, 850, height=28),
    )
    assert text_of(result, "invoice_number") == "4587213"
    assert text_of(result, "vendor_name") == "FARMACÉUTICA CRUZ DEL SUR SpA"
    assert normalized(result, "subtotal") == "19706.00"


def test_a_us_till_with_its_trade_letter_spaced_under_the_sign_and_a_state_rate_line() -> None:
    """ "✚ BRIGHTWELL" (a cross drawn before it) over "P H A R M A C Y" is the shop's whole
    name; "IN 7.000% TAX ON 36.24" opens with the state and the rate: the tax is the amount
    right of it, not the base it is taken on."""
    result = extract(
        centered("✚ BRIGHTWELL", 40, height=40),
        centered("P H A R M A C Y", 90),
        centered("STORE #5382", 120),
        centered("2210 E 86TH STREET", 145),
        line("SUBTOTAL", 20, 800),
        line("47.53", 420, 800),
        line("IN 7.000% TAX ON 36.24", 20, 825),
        line("2.54", 430, 825),
        line("TOTAL", 20, 850, height=28),
        line("50.07", 420, 850, height=28),
    )
    assert text_of(result, "vendor_name") == "BRIGHTWELL PHARMACY"
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["47.53", "2.54", "50.07"]


def test_a_shops_opening_hours_are_no_name() -> None:
    """ "Mo–Fr 9–20 Uhr · Sa 8–18 Uhr" under the sign: "Sa" (Saturday) reads like the
    legal form S.A., but a line of opening hours names no one."""
    result = extract(
        centered("GETRÄNKE QUELLE", 44, height=40),
        centered("B R A N D T", 103),
        centered("Gewerbestraße 14 · 33659 Bielefeld", 152),
        centered("Tel. 0521 / 94 87 310", 181),
        centered("Mo–Fr 9–20 Uhr · Sa 8–18 Uhr", 210),
        line("Hofbrunn Pils 20x0,5l", 20, 260),
        line("14,99", 420, 260),
        line("SUMME EUR", 20, 300, height=30),
        line("14,99", 420, 300, height=30),
    )
    assert text_of(result, "vendor_name") == "GETRÄNKE QUELLE"


def test_a_date_keyed_as_another_days_and_one_under_a_visit_to_come() -> None:
    """A date after a key of another kind ("Nächste Mitgliederversammlung:") or under a
    heading of a visit to come ("Ihr nächster Termin") is not the slip's: the bare date
    is, and failing one, a keyed one (the TSE's start)."""
    member_slip = extract(
        centered("grünkorb", 40, height=40),
        line("Hafermilch", 20, 120),
        line("1,99", 420, 120),
        line("SUMME", 20, 160, height=30),
        line("1,99", 420, 160, height=30),
        line("Nächste Mitgliederversammlung: 24.05.2025", 20, 220),
        line("05.03.2025", 20, 260),
        line("18:12:40", 380, 260),
    )
    assert normalized(member_slip, "invoice_date") == "2025-03-05"
    salon_slip = extract(
        centered("HAARWERK", 40, height=40),
        line("Intensiv-Pflegekur", 20, 120),
        line("12,00", 420, 120),
        line("Gesamt", 20, 160, height=30),
        line("12,00 €", 400, 160, height=30),
        centered("Ihr nächster Termin", 220),
        centered("Mi., 25.06.2025 · 10:00 Uhr · bei Lena", 245),
        line("Start: 2025-05-28T14:39:51.000Z", 20, 300),
    )
    assert normalized(salon_slip, "invoice_date") == "2025-05-28"


def test_a_german_tills_trans_nr_gives_way_to_its_receipt_number() -> None:
    """ "Trans.-Nr." is the slip's number where it prints no other, but a TSE block's
    "Trans.-Nr.:" under a "Beleg-Nr." is the signature device's count."""
    alone = extract(
        centered("TechnoPunkt", 40, height=40),
        line("Trans.-Nr. 18834", 20, 100),
        line("Gesamt EUR", 20, 160, height=30),
        line("213,96", 420, 160, height=30),
    )
    assert text_of(alone, "invoice_number") == "18834"
    with_tse = extract(
        centered("Fleischerei Wimmer e.K.", 40, height=40),
        line("Beleg-Nr. 20931", 20, 100),
        line("Zu zahlen", 20, 160, height=30),
        line("23,41", 420, 160, height=30),
        line("Trans.-Nr.: 56102", 20, 400),
        line("Sig.-Zähler: 112874", 280, 400),
    )
    assert text_of(with_tse, "invoice_number") == "20931"


def test_a_slip_without_a_total_line_states_it_as_the_cash_paid() -> None:
    """A market stall's mobile printer prints "BAR 28,28 €" (cash) over "GEG 30,00" and
    "ZUR 1,72", no total line: the amount paid that net and tax add up to is the total."""
    result = extract(
        centered("HOF LINDENBRINK", 30, height=33),
        line("Kartoffeln festk. 2,5kg", 20, 170),
        line("5,00", 380, 170),
        line("Blumenstrauß", 20, 200),
        line("8,00", 380, 200),
        line("BAR", 20, 376, height=33),
        line("28,28 €", 330, 376, height=33),
        line("GEG", 20, 410),
        line("30,00", 372, 410),
        line("ZUR", 20, 437),
        line("1,72", 384, 437),
        line("MWST", 20, 482),
        line("NETTO", 217, 482),
        line("STEUER", 371, 482),
        line("7%", 20, 503),
        line("26,43", 217, 503),
        line("1,85", 392, 503),
    )
    assert normalized(result, "total") == "28.28"


def test_a_car_parks_entry_and_exit_and_its_operator() -> None:
    """A car park's "Einfahrt" and "Ausfahrt" times are the stay's, not the receipt's date
    ("Gebucht" is); "Betreiber:" names the company that runs it, over the site's sign."""
    result = extract(
        centered("Parkhaus Stadtgalerie", 120, height=35),
        line("Beleg-Nr.", 20, 310),
        line("2-024877", 400, 310),
        line("Einfahrt", 20, 423),
        line("13.06.2025 18:52", 330, 423),
        line("Ausfahrt", 20, 454),
        line("14.06.2025 09:31", 330, 454),
        line("Betrag", 20, 640, height=39),
        line("18,00 EUR", 380, 640, height=39),
        line("Gebucht", 20, 832),
        line("14.06.2025 09:31:12", 300, 832),
        centered("Betreiber: ParkServ Deutschland GmbH", 980),
    )
    assert normalized(result, "invoice_date") == "2025-06-14"
    assert text_of(result, "vendor_name") == "ParkServ Deutschland GmbH"


def test_a_bill_books_amounts_in_ringgit_and_sen_columns() -> None:
    """A Malaysian cash bill prints its amounts in two columns, "RM" | "sen", parted by a
    rule ("925" | "00", or one box across it, "95 10"): each is one amount; the bill's
    own "Cash Bill No" is its number, not a payment in cash; "CUSTOMER COPY" heads no
    customer, and "M/s : Cash" names none."""
    columns = [line("RM", 1403, 452), line("| sen", 1472, 452)]
    result = extract(
        line("KIM HENG HARDWARE SDN. BHD.", 268, 52, height=42),
        line("CUSTOMER COPY", 898, 20),
        line("Cash Bill No : CB 021574", 1100, 110),
        line("M/s :", 89, 249),
        line("Cash", 160, 241),
        line("Amount (Excl. GST)", 1364, 429),
        *columns,
        line("Cement OPC 50kg", 238, 491),
        line("925", 1434, 491),
        line("00", 1514, 491),
        line("Total Excl. GST", 1109, 801),
        line("1,605", 1407, 791),
        line("00", 1514, 791),
        line("GST @ 6%", 1161, 845),
        line("96", 1452, 835),
        line("30", 1514, 835),
        line("Total Incl. GST", 1114, 891),
        line("1,701 30", 1398, 881),
    )
    assert [normalized(result, name) for name in ("subtotal", "tax", "total")] == ["1605.00", "96.30", "1701.30"]
    assert text_of(result, "invoice_number") == "CB 021574"
    assert text_of(result, "vendor_name") == "KIM HENG HARDWARE SDN. BHD."
    assert result.fields["customer_name"] is None


def test_a_card_slips_invoice_number_under_its_merchant_and_batch_keys() -> None:
    """A card terminal's slip under a pharmacy's receipt prints its own "INVOICE: 000458"
    among "MID", "TID", "BATCH" and "APPR CODE": the receipt's number is the till's."""
    result = extract(
        centered("BIG PHARMACY SDN BHD", 40, height=36),
        line("Receipt No : R02-0123987", 31, 310),
        line("TOTAL INCL GST", 31, 900, height=30),
        line("RM105.81", 430, 900, height=30),
        line("MID: 000008812345678", 31, 1578),
        line("TID: 40012345", 31, 1602),
        line("BATCH: 000123", 31, 1626),
        line("INVOICE: 000458", 399, 1626),
        line("DATE: OCT 27, 17", 31, 1651),
        line("APPR CODE: 093511", 31, 1723),
    )
    assert text_of(result, "invoice_number") == "R02-0123987"


def test_a_bare_dollar_on_a_singapore_slip() -> None:
    """ "$85.22" on a slip whose address ends in a Singapore postcode is the Singapore
    dollar."""
    result = extract(
        centered("HOMEWARE HUB PTE LTD", 40, height=36),
        centered("Singapore 129588", 80),
        line("TOTAL incl. GST", 31, 879, height=30),
        line("$85.22", 498, 879, height=30),
    )
    assert normalized(result, "currency") == "SGD"
