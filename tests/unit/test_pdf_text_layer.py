"""A PDF text layer read as words and visual lines (`load_pdf`), on PDFs made in the test process.

The producers (`tests/pdf_producers.py`): fpdf2 with a core and a TrueType font, hand-written
PDFs for exact cases, a page image under an invisible text layer (OCRmyPDF-like). What a
reader must give back, and the decisions behind it (ligatures, hyphens), are written down
in that module's docstring. Chromium's PDFs and real e-invoices:
`tests/integration/test_pdf_text_chromium.py`. `pytest -s` prints the per-producer F1 table.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator

import pytest

from invoice_ocr.documents.pages import TextPage
from tests.pdf_producers import (
    CROP_BOX,
    FAKE_BOLD_TEXT,
    FPDF2_VARIANTS,
    HELLO_WORLD,
    HYPHENATED_LINES,
    KERNING_PHRASES,
    LETTER_LINES,
    POINTS_PER_INCH,
    ROTATED_LINES,
    TEST_DPI,
    F1Table,
    ProducedPdf,
    box_problems,
    f1_problem,
    fold,
    fpdf2_variant,
    helvetica_width,
    image_pdf_with_invisible_text,
    ink_problems,
    line_problems,
    line_with,
    page_text,
    phrase_problems,
    printed_table,
    raw_cases,
    raw_hello,
    read_text_page,
    same_row,
    unclean_lines,
)

PRODUCED: dict[str, ProducedPdf] = {
    produced.name: produced
    for produced in [*raw_cases(), *map(fpdf2_variant, FPDF2_VARIANTS), image_pdf_with_invisible_text()]
}
HYPHENATION_AS_READ = {
    "raw:hyphenation": HYPHENATED_LINES,
    "fpdf2:dejavu-hyphenation": (
        "The pay-",
        "ment is due. A soft hyphen inside a line: payment.",
        "This amount is non-",
        "refundable after the due date.",
    ),
}
# Pages whose lines may run vertically: their polygons may start at the text's own top-left.
TURNED = [name for name in PRODUCED if name.startswith("raw:rotate-") or name == "raw:vertical-text"]


@functools.cache
def read(name: str) -> TextPage:
    return read_text_page(PRODUCED[name])


@pytest.fixture(scope="module")
def f1_table() -> Iterator[F1Table]:
    yield from printed_table("word F1 of load_pdf's lines against PDFium's text (fpdf2, raw, image+invisible)")


@pytest.mark.parametrize("name", PRODUCED)
def test_text_matches_pdfiums_own_text(name: str, f1_table: F1Table) -> None:
    """The words of all lines are PDFium's words for the page (F1 ≥ 0.99): nothing doubled,
    dropped or cut into pieces. Fake bold drawn word by word is scored against the printed
    text, as PDFium's own text keeps both copies there."""
    problem = f1_problem(PRODUCED[name], f1_table)
    assert not problem, problem


@pytest.mark.parametrize("name", PRODUCED)
def test_lines_are_the_printed_lines(name: str) -> None:
    """One line per run of words on a baseline, split at column gaps: exactly the lines
    printed, so the count of lines is the count of visual lines (no tolerance: every
    producer here lays its lines out with unambiguous gaps)."""
    problems = line_problems(read(name), PRODUCED[name].lines)
    assert not problems, f"{name}: {problems}"


@pytest.mark.parametrize("name", PRODUCED)
def test_line_text_is_clean(name: str) -> None:
    """Words single-spaced; no soft hyphen, PDFium hyphen mark (U+FFFE, U+0002), U+FFFD or control character."""
    assert not unclean_lines(read(name))


@pytest.mark.parametrize("name", ["raw:kerning-tj", "raw:kerning-td", "fpdf2:helvetica", "fpdf2:dejavu"])
def test_kerned_words_come_back_whole(name: str) -> None:
    """Kerning cuts runs inside words (`[(T) 120 (ravel)] TJ`, or Chromium's Td between
    runs that overlap): the words still read whole, once, and no line is a lone letter."""
    page = read(name)
    assert not phrase_problems(page, KERNING_PHRASES), [line.text for line in page.lines]


@pytest.mark.parametrize("name", ["raw:fake-bold-x2", "raw:fake-bold-x3", "raw:fake-bold-x2-by-word"])
def test_fake_bold_is_read_once(name: str) -> None:
    """The same run drawn two or three times a fraction of a point apart reads once:
    not "TToottaall 1199..9900", not "Total 19.90 Total 19.90", not two lines."""
    text = page_text(read(name))
    assert text.count(FAKE_BOLD_TEXT) == 1 and text.count("Total") == 1, text
    assert line_with(read(name), FAKE_BOLD_TEXT)


@pytest.mark.parametrize("name", ["raw:letter-by-letter", "raw:letter-by-letter-bold"])
def test_one_text_object_per_letter_reads_as_words(name: str) -> None:
    """Each letter its own text object (a hotel receipt's PDF; the second doubled as fake
    bold): the letters join into words, one space apart, one line per printed line."""
    page = read(name)
    assert [line.text for line in page.lines] == list(LETTER_LINES)


def test_a_word_split_across_text_objects_stays_one_word() -> None:
    page = read("raw:split-words")
    assert [line.text for line in page.lines] == ["Invoice number 2024-001", "Total amount: 1,234.56 EUR"]


@pytest.mark.parametrize("name", ["raw:columns", "fpdf2:helvetica", "fpdf2:dejavu-spaced-stretched"])
def test_label_and_amount_far_apart_are_two_lines(name: str) -> None:
    """A label at x=72 and its amount right-aligned at x=540 on one baseline are two
    lines with their own boxes (as OCR reads them); a sentence with single spaces is one."""
    page = read(name)
    label, amount = line_with(page, "Subtotal"), line_with(page, "1,234.56")
    assert label.right < amount.left and same_row(label, amount), (label, amount)
    assert amount.left - label.right > 300 * TEST_DPI / POINTS_PER_INCH, (label, amount)
    if name == "raw:columns":
        assert line_with(page, "A normal sentence with single spaces stays one line.")


@pytest.mark.parametrize("name", PRODUCED)
def test_boxes_are_inside_the_page_axis_aligned_and_not_empty(name: str) -> None:
    problems = box_problems(read(name), upright=name not in TURNED)
    assert not problems, problems


@pytest.mark.parametrize("dpi", [72, 200])
def test_box_of_a_known_string(dpi: int) -> None:
    """`BT /F1 12 Tf 72 720 Td (Hello World) Tj ET` on a 612×792 page: the box runs from
    x=72 to 72 + the string's advance, from about the cap height (720 + 8.6 pt) down to the
    baseline (720 pt) or the font's descent below it; a few pixels of slack each side."""
    page = read_text_page(raw_hello(), dpi)
    scale = dpi / POINTS_PER_INCH
    assert (page.width, page.height) == (math.ceil(612 * scale), math.ceil(792 * scale))
    line = line_with(page, HELLO_WORLD)
    slack = 2 * scale + 1
    assert abs(line.left - 72 * scale) <= slack, line
    assert abs(line.right - (72 + helvetica_width(HELLO_WORLD, 12)) * scale) <= slack, line
    assert abs(line.top - (792 - 720 - 8.6) * scale) <= 3 * scale + 1, line
    assert (792 - 720 - 1) * scale <= line.bottom <= (792 - 720 + 3.5) * scale + 1, line


@pytest.mark.parametrize("name", PRODUCED)
def test_boxes_cover_the_ink(name: str) -> None:
    """Rendered at the same DPI, every box holds ink and (nearly) all ink lies in a box:
    the boxes are where the text is drawn (for the scan: where the image shows it)."""
    problems = ink_problems(PRODUCED[name], read(name))
    assert not problems, problems


def test_ligatures_read_as_their_letters() -> None:
    """Decision: ligature characters (U+FB00–FB06, here "ﬁnance oﬃce ﬂuﬀy aﬀiliate ﬂow"
    in DejaVu Sans) read as their letters (NFKC), so "finance" and "office" are searchable;
    one word each, not "f inance"."""
    texts = [line.text for line in read("fpdf2:dejavu-ligatures").lines]
    assert "finance office" in texts and "fluffy affiliate flow" in texts, texts
    assert not any("\ufb00" <= char <= "\ufb06" for text in texts for char in text), texts


@pytest.mark.parametrize("name", ["raw:hyphenation", "fpdf2:dejavu-hyphenation"])
def test_hyphenated_words_stay_as_printed(name: str) -> None:
    """Decision: lines are not joined. A word hyphenated at a line end keeps its hyphen on
    its line ("non-" / "refundable", "pay-" / "ment"), whether the PDF drew "-" or a soft
    hyphen there; PDFium marks those hyphens U+FFFE, which must read "-" (and must not make
    the page look undecodable). A soft hyphen inside a line (U+00AD in a ToUnicode map) is
    dropped: "payment", no stray "-"."""
    texts = [line.text for line in read(name).lines]
    assert texts[:4] == list(HYPHENATION_AS_READ[name])
    assert not unclean_lines(read(name))


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_page_keeps_its_text_and_boxes(rotation: int) -> None:
    """A page with /Rotate: its size is that of the page shown, the text reads as drawn,
    boxes lie inside the page shown (ink checked by test_boxes_cover_the_ink), and a line
    turned a quarter is taller than wide."""
    page = read(f"raw:rotate-{rotation}")
    width, height = math.ceil(612 * TEST_DPI / POINTS_PER_INCH), math.ceil(792 * TEST_DPI / POINTS_PER_INCH)
    assert (page.width, page.height) == ((height, width) if rotation % 180 else (width, height))
    assert sorted(fold(line.text) for line in page.lines) == sorted(ROTATED_LINES)
    for line in page.lines:
        assert (line.bottom - line.top > line.right - line.left) == (rotation % 180 == 90), line


def test_crop_box_offsets_the_boxes() -> None:
    """Crop box (100, 100, 512, 692): the page is 412×592 pt and text drawn at x=172 sits 72 pt in."""
    page = read("raw:crop-box")
    scale = TEST_DPI / POINTS_PER_INCH
    crop_width, crop_height = CROP_BOX[2] - CROP_BOX[0], CROP_BOX[3] - CROP_BOX[1]
    assert (page.width, page.height) == (math.ceil(crop_width * scale), math.ceil(crop_height * scale))
    line = line_with(page, "Cropped invoice page")
    assert abs(line.left - 72 * scale) <= 2 * scale + 1, line
    assert abs(line.top - (692 - 620 - 8.6) * scale) <= 3 * scale + 1, line
