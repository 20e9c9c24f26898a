"""Habits of OCR on scans of the layouts in `bench/layouts`, found with `python -m
bench.layouts --scan` and reproduced here with hand-placed lines: padded boxes as tall as
a blank line, a till item whose price OCR lost, a date run into the time, a date cell
wrapped before its year with its comma read as a full stop, a column title right of a
party heading, an "₹" OCR dropped where the amount in words still names the rupee, and
the "l" of "S.r.l." read as "I", a return line's middle dots read as dashes, a tagline
closed up over the legal name, a trading name's return line beside a summary box, a
logo whose case OCR mixed up, a recipient's name over a care-of line, a wrapped date
label whose value sits level with its first line, an amount beside a number label, a
photo's title left without its letterhead, a trade word's banner closed up by OCR and a
legal form's first capital read small."""

from __future__ import annotations

from invoice_ocr.extraction.currency import detect_currency
from invoice_ocr.extraction.parties import tidy_name
from tests.unit.test_extraction_invoice import centered, extract, line, normalized
from tests.unit.test_extraction_layouts import text_of


def test_a_till_item_that_lost_its_price_is_not_the_shop_and_the_date_runs_into_the_time() -> None:
    """The shop's name is above what it sold: an item row ends the header, so "Paprika
    rot" (its price unread) is no name and the footer's company is the vendor."""
    result = extract(
        centered("Kaiserstr. 15", 20),
        centered("76133 Karlsruhe", 44),
        line("EUR", 20, 90),
        line("Gurken", 20, 110),
        line("0,69 A", 380, 110),
        line("Paprika rot", 20, 132),
        line("zu zahlen", 20, 210),
        line("7,92", 380, 210),
        line("0123 002/014 21.11.2609:15", 20, 340),
        centered("Lidl Vertriebs-GmbH & Co. KG", 380),
        centered("Rötelstraße 30, 74172 Neckarsulm", 404),
    )
    assert text_of(result, "vendor_name") == "Lidl Vertriebs-GmbH & Co. KG"
    assert normalized(result, "invoice_date") == "2026-11-21"
    assert normalized(result, "total") == "7.92"


def test_a_date_cell_wrapped_before_its_year_with_its_comma_read_as_a_stop() -> None:
    result = extract(
        line("Invoice Date:", 600, 276),
        line("November 2.", 900, 270, height=24),
        line("2026", 903, 294),
        line("December 2, 2026", 600, 341),
    )
    assert normalized(result, "invoice_date") == "2026-11-02"
    # Only a year continues a date: the next row's value does not.
    unwrapped = extract(line("Order date:", 600, 100), line("November 2", 900, 100), line("Ref 77", 900, 124))
    assert normalized(unwrapped, "invoice_date") is None


def test_a_column_title_right_of_a_party_heading_is_not_the_party() -> None:
    """ "Bill to" and "Details" head two columns: the labels under "Details" show it is a
    title, and the customer is the first line under "Bill to"."""
    result = extract(
        line("Google Cloud", 120, 119, height=41),
        line("Bill to", 120, 194, height=24),
        line("Details", 312, 194, height=24),
        line("Fjord Data AS", 116, 214, height=26),
        line("Invoice number", 315, 224, height=24),
        line("5184627391", 475, 225),
        line("Attn: Finance", 120, 238, height=24),
        line("Karl Johans gate 12", 118, 258, height=24),
    )
    assert text_of(result, "customer_name") == "Fjord Data AS"
    # A name right of the heading, with the address under it, is still the party.
    beside = extract(line("Bill to:", 60, 100), line("Atelier Dubois SRL", 200, 100), line("Rue Haute 120", 200, 124))
    assert text_of(beside, "customer_name") == "Atelier Dubois SRL"


def test_an_amount_in_words_names_the_currency_an_ocr_dropped_symbol_did_not() -> None:
    def code(*texts: str) -> str | None:
        found = detect_currency([line(text, 60, 40 + 30 * index) for index, text in enumerate(texts)])
        return found.code if found else None

    assert code("Total 59,000.00", "Total In Words: Indian Rupee Fifty-Nine Thousand Only") == "INR"
    assert code("TOTAL 10.00", "RINGGIT MALAYSIA : TEN ONLY") == "MYR"
    # Outside an amount in words a currency's name is an ordinary word.
    assert code("Euro-Palette 3 Stk", "Summe 12,00") is None
    assert code("Rupees are accepted at the counter") is None


def test_padded_ocr_boxes_do_not_join_a_recipient_block_to_the_vendors() -> None:
    """OCR's boxes are taller than the text, so a blank line between the vendor's block and
    the recipient's is less than a box high; the pitch still shows the break."""
    result = extract(
        line("FACTUUR", 926, 122, height=47),
        line("Bakkerij de Vries B.V.", 120, 132, height=35),
        line("Kerkstraat 12", 122, 169, height=19),
        line("3511 LK Utrecht", 118, 184, height=27),
        line("KvK 30123456", 118, 205, height=27),
        line("BTW NL812345678B01", 118, 223, height=30),
        line("Restaurant Het Anker", 118, 292, height=27),
        line("t.a.v. de administratie", 118, 313, height=27),
        line("Havenkade 3", 120, 332, height=29),
        line("1013 AB Amsterdam", 120, 353, height=27),
    )
    assert text_of(result, "vendor_name") == "Bakkerij de Vries B.V."
    assert text_of(result, "customer_name") == "Restaurant Het Anker"


def test_a_comma_return_address_over_an_address_block_whatever_its_box_height() -> None:
    result = extract(
        line("HOFMANN Maschinenbau", 705, 122, height=43),
        line("Hofmann Maschinenbau GmbH, Gewerbepark 4, 86150 Augsburg", 123, 199, height=30),
        line("Schreinerei Vogt", 119, 222, height=27),
        line("z. Hd. Herrn Peter Vogt", 117, 239, height=29),
        line("Lindenweg 9", 119, 262, height=29),
        line("87435 Kempten", 119, 283, height=27),
    )
    assert text_of(result, "customer_name") == "Schreinerei Vogt"
    letterhead = extract(
        line("Acme GmbH, Hauptstr. 1, 10115 Berlin", 60, 40),
        line("Tel. 030 123456", 60, 64),
        line("Invoice", 60, 120),
    )
    assert letterhead.fields["customer_name"] is None


def test_the_l_of_srl_read_as_a_capital_i() -> None:
    assert tidy_name("Tipografia Rossi S.r.I.") == "Tipografia Rossi S.r.l."
    assert tidy_name("Conseil Martin S.a.r.1.") == "Conseil Martin S.a.r.l."
    assert tidy_name("S.R.L. ITALIA") == "S.R.L. ITALIA"


def test_a_return_line_whose_middle_dots_ocr_read_as_dashes() -> None:
    """A Danish letter's "Nordhavn Kaffeservice ApS · Sandkaj 29 · 2150 Nordhavn" read with
    dashes for its dots and "Ap5" for "ApS": still the return line over the window."""
    result = extract(
        line("Nordhavn Kaffe", 860, 74, height=35),
        line("Nordhavn Kaffeservice ApS", 922, 140),
        line("Sandkaj 29", 1054, 166),
        line("Nordhavn Kaffeservice Ap5 - Sandkaj29 - 2150 Nordhavn", 116, 179),
        line("2150 Nordhavn", 1020, 188),
        line("Holmegaard & Friis Advokatpartnerselskab", 116, 212),
        line("Att.: Bogholderiet", 116, 241),
        line("Amaliegade 14, 2. sal", 118, 271),
        line("1256 København K", 120, 301),
    )
    assert text_of(result, "customer_name") == "Holmegaard & Friis Advokatpartnerselskab"
    assert text_of(result, "vendor_name") == "Nordhavn Kaffeservice ApS"
    assert tidy_name("Nordhavn Kaffeservice Ap5") == "Nordhavn Kaffeservice ApS"
    letterhead = extract(
        line("Acme GmbH", 60, 30, height=35),
        line("Hauptstr. 1 - 10115 Berlin - Tel. 030 123456", 60, 80),
        line("Invoice", 60, 160),
    )
    assert letterhead.fields["customer_name"] is None


def test_a_tagline_of_trades_over_the_legal_name_is_no_part_of_it() -> None:
    """OCR closes up a letter-spaced tagline ("Web hosting·Domains·Managed servers") right
    over the legal name: a list of trades is not the start of a wrapped name."""
    result = extract(
        line("liffeyhost", 60, 40, height=40),
        line("Web hosting·Domains·Managed servers", 60, 95, height=22),
        line("Liffeyside Hosting Limited", 60, 125, height=22),
        line("Unit 4B, Grand Canal Quay", 60, 155, height=22),
        line("Total", 700, 900),
        line("€166.50", 1100, 900),
    )
    assert text_of(result, "vendor_name") == "Liffeyside Hosting Limited"


def test_a_trading_names_return_line_left_of_a_summary_box_over_the_window() -> None:
    """A UK bill's window on the left: "Hearthlight Energy, PO Box 7720, Leeds LS1 9QT" (a
    trading name, no legal form) over the recipient, beside the bill's summary box, is a
    return address; the footer gives the trading name's owner."""
    result = extract(
        line("Hearthlight", 111, 70, height=40),
        line("Your bill at a glance", 678, 205),
        line("Hearthlight Energy, PO Box 7720, Leeds LS1 9QT", 127, 228, height=22),
        line("Balance from your last bill", 675, 246),
        line("£171.20", 1101, 256),
        line("Mrs Eleanor Whitcombe", 129, 270, height=22),
        line("14 Orchard Rise", 128, 298, height=22),
        line("Kenilworth", 127, 328, height=22),
        line("Warwickshire", 126, 355, height=22),
        line("CV8 2LP", 127, 387, height=22),
        line("Total to pay", 674, 381),
        line("£193.86", 1076, 389),
        line("Hearthlight Energy is a trading name of Hearthlight Energy Supply Ltd, registered in England", 94, 1973),
    )
    assert text_of(result, "customer_name") == "Mrs Eleanor Whitcombe"
    assert text_of(result, "vendor_name") == "Hearthlight Energy Supply Ltd"


def test_a_name_whose_case_ocr_mixed_up_is_read_as_another_line_prints_it() -> None:
    """OCR read a logo as "CoaSTLINE SIGNs & GRaPHICs LTD."; the remittance line prints
    "Coastline Signs & Graphics Ltd.". One brand word in mixed case is the brand's own."""
    result = extract(
        line("CoaSTLINE SIGNs & GRaPHICs LTD.", 60, 40, height=40),
        line("1275 Venables Street, Unit 110", 60, 95),
        line("Total CAD", 700, 900),
        line("$4,631.55", 1100, 900),
        line("Remit to: Coastline Signs & Graphics Ltd.", 60, 1222),
    )
    assert text_of(result, "vendor_name") == "Coastline Signs & Graphics Ltd."
    brand = extract(
        line("McDonald's Restaurants Ltd", 60, 40, height=40),
        line("Total", 700, 900),
        line("£12.40", 1100, 900),
        line("Thank you for visiting McDONALD'S RESTAURANTS LTD", 60, 1222),
    )
    assert text_of(brand, "vendor_name") == "McDonald's Restaurants Ltd"


def test_a_name_over_a_care_of_line_is_the_recipients_not_the_letterhead() -> None:
    """On a scan OCR's padded boxes make a Dutch freelancer's logo "MEIJER" no taller than
    its customer's name; "t.a.v. crediteurenadministratie" under "Bouwbedrijf Kuipers &
    Zn. B.V." marks that block as the recipient's, so the footer's sole trader is the vendor."""
    result = extract(
        line("MEIJER", 111, 95, height=30),
        line("Meijer Houtwerk", 900, 99),
        line("houtwerk & afbouw", 110, 147),
        line("Bouwbedrijf Kuipers & Zn. B.V.", 108, 339, height=30),
        line("t.a.v. crediteurenadministratie", 108, 370, height=30),
        line("Industrieweg 34", 108, 400, height=30),
        line("3861 RD Nijkerk", 108, 429, height=30),
        line("Totaal", 700, 1200),
        line("€ 4.230,00", 1000, 1200),
        line("Meijer Houtwerk · eenmanszaak", 102, 1650, height=14),
        line("KvK 87402219", 388, 1656, height=14),
    )
    assert text_of(result, "vendor_name") == "Meijer Houtwerk"
    assert text_of(result, "customer_name") == "Bouwbedrijf Kuipers & Zn. B.V."


def test_a_wrapped_date_label_whose_value_a_scan_sets_level_with_its_first_line() -> None:
    """ "Data" over "scadenței:" in a narrow cell is the due date; on a scan the date sits
    level with "Data", so the two lines are read as one label, not "Data" as the invoice
    date and "scadenței:" without a value."""
    result = extract(
        line("Data emiterii:", 490, 336),
        line("07.03.2025", 642, 335),
        line("Data", 495, 372),
        line("06.04.2025", 644, 374),
        line("scadenței:", 491, 391),
        line("Cota TVA:", 495, 419),
        line("19%", 646, 413),
    )
    assert [normalized(result, name) for name in ("invoice_date", "due_date")] == ["2025-03-07", "2025-04-06"]


def test_an_amount_a_tilted_row_sets_beside_the_number_label_is_no_number() -> None:
    """On a photo "INVOICE NO" shares a row with the amount due "€1,695.00": an amount
    with its currency is no invoice number, so the number under the label is read."""
    result = extract(
        line("INVOICE NO", 100, 575),
        line("€1,695.00", 900, 580),
        line("BW-2025-01877", 100, 606),
    )
    assert normalized(result, "invoice_number") == "BW-2025-01877"


def test_a_sales_invoice_title_and_a_trade_word_banner_are_no_names() -> None:
    """A photo cut above the letterhead leaves "SALES INVOICE" at the top: a document
    title, never the vendor. A till's letter-spaced "S U P E R M A R K E T", closed up
    by OCR over the company's line, is a banner, not the start of its name."""
    invoice = extract(
        line("SALES INVOICE", 500, 509, height=30),
        line("No. 0012457", 900, 509, height=30),
        line("DATE:", 700, 579),
        line("March 7, 2025", 900, 577),
        line("TOTAL AMOUNT DUE", 700, 1311),
        line("29,395.00", 1000, 1311),
    )
    assert invoice.fields["vendor_name"] is None
    receipt = extract(
        centered("MAVUNO", 271, height=34),
        centered("SUPERMARKET", 309, height=28),
        centered("MAVUNO RETAIL STORES LTD", 343, height=28),
        centered("NAKURU TOWN BRANCH (04)", 371),
        centered("KENYATTA AVENUE, NAKURU", 396),
        line("TOTAL KES", 31, 1035),
        line("3,486.00", 465, 1035),
    )
    assert text_of(receipt, "vendor_name") == "MAVUNO RETAIL STORES LTD"


def test_the_peso_sign_ocr_reads_as_a_p_on_a_philippine_invoice() -> None:
    """The recogniser does not know "₱" and reads "P 29,395.00": on a document whose BIR
    permit or TIN shows it Philippine that "P" is the peso; elsewhere it is no currency."""
    total = line("P 29,395.00", 995, 981)
    assert detect_currency([total]) is None
    evidence = detect_currency([total, line("BIR Permit No. 0324-116-00871-CBA/AR", 129, 1616)])
    assert evidence is not None and evidence.code == "PHP"


def test_a_legal_forms_first_capital_read_small() -> None:
    """OCR reads the S of "SARL" as a small s, whose shape is the same: the form is spelt
    in capitals again; "oHG", which firms write so, is kept."""
    assert tidy_name("Menuiserie Garnier & Fils sARL") == "Menuiserie Garnier & Fils SARL"
    assert tidy_name("Lindner & Haas oHG") == "Lindner & Haas oHG"
