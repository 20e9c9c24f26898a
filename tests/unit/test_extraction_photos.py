"""Habits of phone photos of the layouts in `bench/layouts`, found with `python -m
bench.layouts --photo` and reproduced here with hand-placed lines: a page turned a few
degrees, whose axis-aligned boxes grow with the tilt, a curled page whose rows bow so
that a label and its amount across the page no longer share the page's slope, a
recipient's window under a logo whose padded boxes close the blank line between them, and
a recipient a tilted row puts beside the seller's heading."""

from __future__ import annotations

import math

from invoice_ocr.extraction.labels import VENDOR_NAME, match_label
from invoice_ocr.extraction.layout import group_into_rows, levelling
from invoice_ocr.extraction.pairing import LabelledValue, ValueSource
from invoice_ocr.extraction.parties import labelled_party
from invoice_ocr.page import OcrLine
from tests.unit.test_extraction_invoice import extract, line, normalized
from tests.unit.test_extraction_layouts import text_of

PAGE_CENTRE = (620, 877)  # of the 1240 × 1754 page `extract` reads


def turned(lines: list[OcrLine], degrees: float) -> list[OcrLine]:
    """The lines as a photo turned `degrees` clockwise about the page centre shows them."""
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    centre_x, centre_y = PAGE_CENTRE

    def turn(point: tuple[int, int]) -> tuple[int, int]:
        x, y = point[0] - centre_x, point[1] - centre_y
        return round(centre_x + x * cos - y * sin), round(centre_y + x * sin + y * cos)

    return [OcrLine(item.text, item.confidence, tuple(turn(point) for point in item.polygon)) for item in lines]


def bowed(lines: list[OcrLine], depth: int) -> list[OcrLine]:
    """The lines as a photo of the page curled about its length shows them: the middle
    of each row `depth` px lower than its ends."""

    def bow(point: tuple[int, int]) -> tuple[int, int]:
        across = (point[0] - PAGE_CENTRE[0]) / PAGE_CENTRE[0]
        return point[0], round(point[1] + depth * (1 - across**2))

    return [OcrLine(item.text, item.confidence, tuple(bow(point) for point in item.polygon)) for item in lines]


def french_invoice() -> list[OcrLine]:
    """An invoice whose totals stand in a column right of the middle, amounts flush right."""
    return [
        line("Atelier Moreau SARL", 127, 127, height=33),
        line("Client", 695, 143),
        line("14 rue des Lilas", 127, 159),
        line("Boulangerie Petit", 695, 164),
        line("69003 Lyon", 127, 179),
        line("3 place Bellecour", 695, 184),
        line("SIRET 812 345 678 00021", 127, 200),
        line("69002 Lyon", 695, 204),
        line("TVA intracom. FR45812345678", 127, 220),
        line("FACTURE N° 2026-118", 120, 268, height=30),
        line("Date : 04/11/2026", 127, 325),
        line("Échéance : 04/12/2026", 127, 357),
        line("Désignation", 278, 417),
        line("Qté", 590, 417),
        line("P.U. HT", 730, 417),
        line("Montant HT", 953, 417),
        line("Rénovation vitrine", 128, 451),
        line("1", 643, 451),
        line("1 450,00", 782, 451),
        line("1 450,00", 1058, 451),
        line("Peinture façade (m2)", 128, 485),
        line("24", 633, 485),
        line("32,50", 810, 485),
        line("780,00", 1081, 485),
        line("Total HT", 695, 535),
        line("2 230,00 €", 1036, 535),
        line("TVA 20 %", 695, 568),
        line("446,00 €", 1058, 568),
        line("Total TTC", 695, 601),
        line("2 676,00 €", 1036, 601),
        line("Acompte versé", 695, 634),
        line("-500,00 €", 1047, 634),
        line("Net à payer", 695, 667),
        line("2 176,00 €", 1036, 667),
        line("En cas de retard de paiement, une pénalité de 3 fois le taux légal", 120, 710),
        line("forfaitaire de 40 € pour frais de recouvrement.", 120, 731),
    ]


def test_a_curled_page_pairs_each_total_with_its_amount() -> None:
    """Curled and turned, the rows bow: the right-hand column's rows slope another way
    than the page's median line, so "Total HT" met the amount a row below. The rows'
    curve is fitted from the long lines and straightened before the page is read."""
    level = extract(*french_invoice())
    assert [normalized(level, name) for name in ("subtotal", "tax", "total")] == ["2230.00", "446.00", "2676.00"]
    photo = extract(*turned(bowed(french_invoice(), 40), 5))
    assert [normalized(photo, name) for name in ("subtotal", "tax", "total")] == ["2230.00", "446.00", "2676.00"]
    assert text_of(photo, "vendor_address") == text_of(level, "vendor_address")


def tally_invoice() -> list[OcrLine]:
    """A Tally-style grid: the seller's name and address lines set without a gap."""
    return [
        line("TAX INVOICE", 732, 140, height=39),
        line("Sahyadri Components Pvt. Ltd.", 148, 187, height=24),
        line("Invoice No.", 857, 187, height=24),
        line("Plot 22, MIDC Industrial Area", 148, 210, height=24),
        line("SC/2026-27/0417", 857, 210, height=24),
        line("Pune, Maharashtra 411019", 148, 233, height=24),
        line("GSTIN/UIN: 27AABCS1429B1ZB", 148, 256, height=24),
        line("Dated", 857, 256, height=24),
        line("14-Nov-2026", 857, 279, height=24),
        line("Taxable value", 600, 700),
        line("10,000.00", 950, 700),
        line("IGST @ 18%", 600, 730),
        line("1,800.00", 950, 730),
        line("Grand Total", 600, 760),
        line("11,800.00", 950, 760),
    ]


def test_a_page_photographed_at_a_tilt_reads_as_it_does_level() -> None:
    """Turned 4° anticlockwise, each wide line's box is taller by its width times the tilt, so the
    boxes of lines set without a gap overlap by half: the vendor's address lost its
    street. The page is read levelled, and what was found is boxed where the photo shows
    it."""
    level = extract(*tally_invoice())
    photo = extract(*turned(tally_invoice(), -4))
    assert text_of(level, "vendor_address") == "Plot 22, MIDC Industrial Area Pune, Maharashtra 411019"
    for name in ("vendor_name", "vendor_address", "invoice_number", "invoice_date", "subtotal", "tax", "total"):
        assert photo.fields[name] is not None and level.fields[name] is not None, name
        assert photo.fields[name].value == level.fields[name].value, name
    assert normalized(photo, "total") == "11800.00"
    # The total's box is where the turned page prints it, within a pixel or two.
    expected = turned([line("11,800.00", 950, 760)], -4)[0].polygon
    for (x, y), (want_x, want_y) in zip(photo.fields["total"].polygon, expected, strict=True):
        assert abs(x - want_x) <= 2 and abs(y - want_y) <= 2


def test_a_level_page_is_read_as_it_lies() -> None:
    assert levelling(tally_invoice(), 1240, 1754) is None
    # A tilt within OCR's jitter of a line's height is left alone too.
    assert levelling(turned(tally_invoice(), 0.5), 1240, 1754) is None
    assert levelling(turned(tally_invoice(), -3), 1240, 1754) is not None
    # OCR's quads jitter by a pixel or two at each end: no curve to straighten in that.
    jittered = [
        OcrLine(item.text, item.confidence, (item.polygon[0], (x, y + (-2, 1, 2, -1)[index % 4]), *item.polygon[2:]))
        for index, item in enumerate(french_invoice())
        for x, y in [item.polygon[1]]
    ]
    assert levelling(jittered, 1240, 1754) is None


def test_a_recipient_window_under_a_logo_is_the_customer_not_the_vendors_address() -> None:
    """A telecom bill's logo, then the window with the recipient's name and address; on a
    photo the padded boxes leave less than a line's height between logo and name, and
    the logo's name (no digit) would take the window as its address."""
    result = extract(
        line("telvia", 420, 364, height=66),
        line("Account no.", 1379, 484, height=31),
        line("7723 1190", 1535, 481, height=33),
        line("Ms Sarah O'Connor", 427, 473, height=33),
        line("Flat 3, 19 Elm Road", 425, 500, height=31),
        line("Bristol BS8 1QU", 425, 527, height=30),
        line("Total due", 450, 995, height=45),
        line("£43.80", 1246, 995, height=38),
        line("Telvia UK Limited, registered in England No. 2227758.", 461, 1100, height=40),
    )
    assert text_of(result, "customer_name") == "Ms Sarah O'Connor"
    assert text_of(result, "vendor_name") == "Telvia UK Limited"
    assert text_of(result, "vendor_address") is None


def test_the_seller_a_marketplace_invoice_names_under_sold_by_is_the_vendor() -> None:
    """The marketplace's logo is the biggest line, the seller its "Sold By" block: on a
    photo the logo's box grew and outscored the seller's legal name."""
    result = extract(
        line("amazon.in", 328, 330, height=90),
        line("Tax Invoice/Bill of Supply/Cash Memo", 800, 367, height=31),
        line("Sold By :", 334, 454, height=27),
        line("Billing Address :", 900, 448, height=31),
        line("Cloudtail India Private Limited", 332, 471, height=31),
        line("Rahul Verma", 950, 471, height=28),
        line("Plot No 12/P2, IT Sector, Hitech Defence Park", 330, 493, height=30),
        line("Bengaluru, Karnataka, 562149", 332, 514, height=35),
        line("TOTAL:", 330, 900),
        line("1,939.00", 1000, 900),
    )
    assert text_of(result, "vendor_name") == "Cloudtail India Private Limited"
    assert text_of(result, "customer_name") == "Rahul Verma"


def test_the_polish_legal_form_with_its_os_read_as_zeros() -> None:
    """ "Sp. z 0.o.": the zero made the name read as holding an amount (0.0), so the
    seller's block gave its street instead."""
    result = extract(
        line("Sprzedawca:", 368, 579),
        line("Nabywca:", 1035, 579),
        line("Drukarnia Nowak Sp. z 0.o.", 369, 606),
        line("Kowalski i Wspólnicy Sp.j.", 1035, 606),
        line("ul. Długa 15", 366, 632),
        line("ul. Marszałkowska 84", 1035, 632),
        line("31-147 Kraków", 368, 657),
        line("00-514 Warszawa", 1035, 657),
    )
    assert text_of(result, "vendor_name") == "Drukarnia Nowak Sp. z o.o."
    assert text_of(result, "customer_name") == "Kowalski i Wspólnicy Sp.j."


def test_a_row_does_not_take_the_next_line_of_a_column_it_holds() -> None:
    """The recipient's lines and the key column beside them are offset by half a line;
    each key joining the row moved its centre down until the recipient's next line
    ("Bristol BS8 1QU", under "Flat 3, 19 Elm Road") joined it too, and the address block
    lost its postcode line."""
    lines = [
        line("telvia", 274, 338, height=60),
        line("Ms Sarah O'Connor", 280, 442, height=30),
        line("Account no.", 964, 451, height=32),
        line("7723 1190", 1128, 443, height=38),
        line("Flat 3, 19 Elm Road", 283, 469, height=30),
        line("Bristol BS8 1QU", 283, 493, height=32),
        line("Invoice no.", 964, 488, height=33),
        line("VB-99817263", 1126, 483, height=35),
        line("Total due", 299, 903, height=42),
        line("£43.80", 1107, 916, height=29),
    ]
    rows = group_into_rows(lines)
    row_of = {item.text: index for index, row in enumerate(rows) for item in row}
    assert row_of["Bristol BS8 1QU"] == row_of["Flat 3, 19 Elm Road"] + 1
    assert text_of(extract(*lines), "customer_name") == "Ms Sarah O'Connor"


def test_a_return_address_whose_commas_ocr_read_as_full_stops() -> None:
    result = extract(
        line("HOFMANN Maschinenbau", 1080, 310, height=57),
        line("Hofmann Maschinenbau GmbH. Gewerbepark 4. 86150 Augsburg", 362, 412, height=33),
        line("Schreinerei Vogt", 360, 441, height=27),
        line("z. Hd. Herrn Peter Vogt", 354, 460, height=37),
        line("Lindenweg 9", 358, 489, height=29),
        line("87435 Kempten", 356, 511, height=34),
    )
    assert text_of(result, "customer_name") == "Schreinerei Vogt"
    assert text_of(result, "vendor_name") == "Hofmann Maschinenbau GmbH"
    # A letterhead's own line with full stops is no return address either.
    letterhead = extract(
        line("Acme GmbH. Hauptstr. 1. 10115 Berlin", 60, 40),
        line("Tel. 030 123456", 60, 64),
        line("Invoice", 60, 120),
    )
    assert letterhead.fields["customer_name"] is None


def test_a_name_whose_last_word_the_detector_boxed_apart() -> None:
    """A receipt's big heading, "Sakura Sushi Bar", boxed as "Sakura Sushi" and "Bar"
    (the boxes touch); a word further off on the row is no part of the name."""
    result = extract(
        line("Sakura Sushi", 220, 110, height=50),
        line("Bar", 345, 112, height=29),
        line("88 King St W", 303, 166),
        line("Toronto ON M5H 1J9", 267, 190),
        line("TOTAL", 100, 600),
        line("12.50", 400, 600),
    )
    assert text_of(result, "vendor_name") == "Sakura Sushi Bar"
    apart = extract(line("Sakura Sushi", 220, 110, height=50), line("Bar", 600, 112, height=29))
    assert text_of(apart, "vendor_name") == "Sakura Sushi"


def test_a_recipient_a_tilted_row_puts_beside_the_sellers_heading_is_no_seller() -> None:
    """On a tilted photo of a marketplace invoice the delivery block's "Mr Daniel Okafor"
    shares a row with "SOLD BY" (its value to the right): a line opened by a salutation is
    never the seller, the block under the heading is."""
    heading = line("SOLD BY", 337, 453)
    values = [
        ("right", line("Mr Daniel Okafor", 1206, 446)),
        ("block", line("Hartwell & Finch Homewares", 337, 494)),
        ("block", line("Ltd", 342, 531)),
        ("block", line("Unit 4, Brindley Court", 339, 561)),
    ]
    labelled = LabelledValue(
        match_label(heading.text), heading, 1, 0, [ValueSource(box.text, box, 0, relation) for relation, box in values]
    )
    party = labelled_party([labelled], VENDOR_NAME)
    assert party is not None and party.text == "Hartwell & Finch Homewares Ltd"
