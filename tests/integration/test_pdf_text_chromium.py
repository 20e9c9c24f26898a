"""The PDF text layer of real-world producers: invoices printed by headless Chromium, and the
real e-invoice PDFs in shared/data/einvoice-dev.

Chromium (Skia) cuts every run at each kerning pair and overlaps the pieces, the case that
turned "500 Pine Street" into "500 P ine Str eet". The HTML variants
(`tests/pdf_producers.py`: `INVOICE_STYLES`) are printed once per module. What a reader must
give back and the decisions behind it are in that module's docstring. `pytest -s` prints the
per-producer F1 table. Needs `/usr/bin/chromium` (Debian: chromium, fonts-dejavu-core) and
the shared/ folder beside the checkout; the tests that need what is missing skip, saying so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.chromium import ChromiumUnavailable
from invoice_ocr.documents.pages import TextPage
from tests.pdf_producers import (
    INVOICE_STYLES,
    KERNING_PHRASES,
    MIN_F1,
    USABLE_CHARS,
    WRAPPED_LINES,
    F1Table,
    ProducedPdf,
    box_problems,
    chromium_invoice,
    f1_problem,
    fold,
    ink_problems,
    line_problems,
    line_with,
    pdfium_texts,
    phrase_problems,
    printed_table,
    producer_label,
    read_pdf,
    read_text_page,
    same_row,
    text_f1,
    unclean_lines,
    visible_chars,
)

EINVOICE_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "einvoice-dev"
REAL_PDFS = sorted(EINVOICE_DEV.glob("*.pdf")) if EINVOICE_DEV.is_dir() else []
STYLES = [style.name for style in INVOICE_STYLES]
LIGATURE_STYLE = "dejavu-serif-ligatures-bold"


@pytest.fixture(scope="module")
def invoices() -> dict[str, ProducedPdf]:
    """Every HTML invoice variant printed by Chromium, once for the module (about 1.5 s each)."""
    try:
        return {style.name: chromium_invoice(style) for style in INVOICE_STYLES}
    except ChromiumUnavailable as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def pages(invoices: dict[str, ProducedPdf]) -> dict[str, TextPage]:
    return {name: read_text_page(produced) for name, produced in invoices.items()}


@pytest.fixture(scope="module")
def f1_table() -> Iterator[F1Table]:
    yield from printed_table("word F1 of load_pdf's lines against PDFium's text (Chromium's PDFs)")


@pytest.mark.parametrize("style", STYLES)
def test_chromium_text_matches_pdfiums_own_text(
    style: str, invoices: dict[str, ProducedPdf], f1_table: F1Table
) -> None:
    problem = f1_problem(invoices[style], f1_table)
    assert not problem, problem


@pytest.mark.parametrize("style", STYLES)
def test_chromium_lines_are_the_printed_lines(
    style: str, invoices: dict[str, ProducedPdf], pages: dict[str, TextPage]
) -> None:
    """Every cell of the invoice is one line (cells of a row stand at least 4 em apart), the
    address block one line per <br>, the monospaced paragraph one line per wrapped line:
    the count of lines is the count of visual lines, no tolerance."""
    problems = line_problems(pages[style], invoices[style].lines)
    assert not problems, f"{style}: {problems}"


@pytest.mark.parametrize("style", STYLES)
def test_chromium_kerned_words_come_back_whole(style: str, pages: dict[str, TextPage]) -> None:
    """Not "500 P ine Str eet", "Bill To To: F abrik am Inc.", "Tr Travel e xpenses", and
    no one-letter lines; letter-spacing and bold do not cut words either."""
    problems = phrase_problems(pages[style], KERNING_PHRASES)
    assert not problems, (problems, [line.text for line in pages[style].lines])
    assert line_with(pages[style], "Bill To: Fabrikam Inc.")
    assert line_with(pages[style], "AVATAR WAVE Tours, Waverly Ave")


@pytest.mark.parametrize("style", STYLES)
def test_chromium_label_and_amount_are_two_lines(style: str, pages: dict[str, TextPage]) -> None:
    """Flexbox rows put the label at the left margin and the amount at the right one: two
    lines, each with its own box on the same row; a table row is one line per cell."""
    page = pages[style]
    for label, amount in (("Subtotal", "450.00"), ("Total due", "535.50"), ("Travel expenses", "90.00")):
        left, right = line_with(page, label), line_with(page, amount)
        assert left.right < right.left and same_row(left, right), (left, right)


@pytest.mark.parametrize("style", STYLES)
def test_chromium_boxes_are_sane_and_cover_the_ink(
    style: str, invoices: dict[str, ProducedPdf], pages: dict[str, TextPage]
) -> None:
    """Boxes inside the page, axis-aligned, not empty; rendered at the same DPI, each holds
    ink and (nearly) all ink lies in some box (the invoice has no rules or images)."""
    problems = box_problems(pages[style]) + ink_problems(invoices[style], pages[style])
    assert not problems, problems


def test_chromium_ligatures_read_as_their_letters(pages: dict[str, TextPage]) -> None:
    """DejaVu Serif with common ligatures: Chromium draws "ffi", "fl", "ff", "fi" as one glyph
    each; the words read whole and in plain letters (see the producers' docstring)."""
    page = pages[LIGATURE_STYLE]
    for text in ("Office supplies, fluffy towels", "Affiliate finance fee"):
        assert line_with(page, text).text == text
    assert not any("\ufb00" <= char <= "\ufb06" for line in page.lines for char in line.text)


@pytest.mark.parametrize("style", STYLES)
def test_chromium_wrapped_paragraph_keeps_its_line_breaks(style: str, pages: dict[str, TextPage]) -> None:
    """The paragraph wraps at known places (monospace, `hyphens: manual`); "nonrefund&shy;able"
    breaks at its soft hyphen, which Chromium prints as a hyphen (ToUnicode U+2010): the
    line ends "nonrefund-" (U+002D or U+2010) and the next starts "able", not joined, and
    no soft hyphen or PDFium hyphen mark appears in any line."""
    page = pages[style]
    texts = [fold(line.text) for line in page.lines]
    assert WRAPPED_LINES[0] in texts, texts
    start = texts.index(WRAPPED_LINES[0])
    assert texts[start : start + len(WRAPPED_LINES)] == list(WRAPPED_LINES)
    assert not unclean_lines(page)


@pytest.fixture(scope="module")
def real_f1_table() -> Iterator[F1Table]:
    yield from printed_table(f"word F1 of load_pdf's lines against PDFium's text, real PDFs in {EINVOICE_DEV}")


@pytest.mark.parametrize("path", REAL_PDFS or [None], ids=[path.name for path in REAL_PDFS] or ["absent"])
def test_real_einvoice_pages_match_pdfiums_own_text(path: Path | None, real_f1_table: F1Table) -> None:
    """Every page of a real e-invoice PDF with a usable text layer: a text page whose words
    are PDFium's (F1 ≥ 0.99) in sane boxes. Pages with fewer than 16 visible characters have
    no usable layer and are skipped by name (listed under the table)."""
    if path is None:
        pytest.skip(f"real e-invoice PDFs not found at {EINVOICE_DEV} (the shared/ folder beside the checkout)")
    data = path.read_bytes()
    producer = producer_label(data, "einvoice-dev")
    problems = []
    for index, (page, reference) in enumerate(zip(read_pdf(data), pdfium_texts(data), strict=True)):
        name = f"{path.name} page {index + 1}"
        if visible_chars(reference) < USABLE_CHARS:
            real_f1_table.skipped.append(f"{name} ({visible_chars(reference)} visible characters)")
            continue
        f1 = text_f1(page, reference)
        real_f1_table.add(producer, f1)
        if f1 < MIN_F1:
            problems.append(f"{name}: F1 {f1:.3f}")
        if isinstance(page, TextPage):
            problems.extend(f"{name}: {problem}" for problem in box_problems(page, upright=False)[:3])
    assert not problems, problems
