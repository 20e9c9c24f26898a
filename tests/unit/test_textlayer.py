"""Characters → words → lines (`documents/textlayer.py`) on hand-placed glyphs, and the
per-page character budget through `load_pdf`."""

from __future__ import annotations

import pytest

from bench.textlayer import dense_text_pdf
from invoice_ocr.documents import PdfOptions, TextPage, TooManyCharactersError
from invoice_ocr.documents.pdf import load_pdf
from invoice_ocr.documents.textlayer import Direction, Glyph, build_lines, drop_overprint

WIDTH, HEIGHT = 1000, 1000


def run(text: str, x: float = 100, y: float = 100, advance: float = 10, size: float = 20) -> list[Glyph]:
    """One glyph per character, left to right, spaces included (as PDFium lists them)."""
    return [Glyph(char, x + i * advance, y, x + (i + 1) * advance, y + size) for i, char in enumerate(text)]


def texts(glyphs: list[Glyph]) -> list[str]:
    return [line.text for line in build_lines(glyphs, WIDTH, HEIGHT)]


def test_letters_drawn_one_by_one_make_one_word_per_word() -> None:
    assert texts(run("PAYMENT RECEIPT")) == ["PAYMENT RECEIPT"]


def test_kerned_pieces_join_into_words() -> None:
    # "Tr" and "avel" drawn as two runs, the second pulled 2 px left by kerning.
    glyphs = run("Tr", x=100) + run("avel expenses", x=118)
    assert texts(glyphs) == ["Travel expenses"]


def test_fake_bold_overprint_is_read_once() -> None:
    glyphs = run("Total 19.90") + run("Total 19.90", x=100.6, y=100.3)
    assert len(drop_overprint(glyphs)) == len("Total 19.90") + 1  # the second run's space is harmless
    assert texts(glyphs) == ["Total 19.90"]


def test_repeated_letters_and_ligature_expansions_are_kept() -> None:
    # PDFium lists the letters of a ligature glyph with one shared box.
    ligature = [Glyph(char, 120, 100, 135, 120) for char in "ffi"]
    glyphs = [*run("o", x=110), *ligature, *run("ce", x=135), *run(" all", x=155)]
    assert texts(glyphs) == ["office all"]


def test_wide_gap_on_one_row_splits_label_and_value() -> None:
    glyphs = run("Total:", x=100) + run("19.90", x=700)
    lines = build_lines(glyphs, WIDTH, HEIGHT)
    assert [line.text for line in lines] == ["Total:", "19.90"]
    assert lines[0].right < lines[1].left


def test_rows_are_told_apart_and_ordered_top_down() -> None:
    glyphs = run("second line", y=200) + run("first line", y=100)
    assert texts(glyphs) == ["first line", "second line"]


def test_missing_space_with_a_gap_still_separates_words() -> None:
    glyphs = run("Net", x=100) + run("amount", x=145)  # 15 px gap, no space glyph
    assert texts(glyphs) == ["Net amount"]


def test_ligature_and_soft_hyphen_characters_read_as_text() -> None:
    glyphs = run("\ufb01nance") + run("co\u00adop", y=200)
    assert texts(glyphs) == ["finance", "coop"]


def test_upward_margin_text_is_one_line_with_its_corners_in_reading_order() -> None:
    # Text running bottom to top: each glyph is above the previous one.
    glyphs = [Glyph(char, 20, 800 - (i + 1) * 10, 40, 800 - i * 10, Direction.UP) for i, char in enumerate("Page 1")]
    [line] = build_lines(glyphs, WIDTH, HEIGHT)
    assert line.text == "Page 1"
    first, second = line.polygon[0], line.polygon[1]
    assert second[1] < first[1]  # reading runs up the page
    assert all(0 <= x < WIDTH and 0 <= y < HEIGHT for x, y in line.polygon)


def test_a_page_over_the_character_budget_is_refused_before_it_is_read() -> None:
    data = dense_text_pdf(lines=100, per_line=400)  # 40 000 characters
    with pytest.raises(TooManyCharactersError, match="max_page_chars"):
        load_pdf(data, max_pages=5, max_pixels=50_000_000, options=PdfOptions(max_page_chars=10_000))


def test_a_dense_page_is_read_whole() -> None:
    [page] = load_pdf(dense_text_pdf(lines=50, per_line=400), max_pages=5, max_pixels=50_000_000, options=PdfOptions())
    assert isinstance(page, TextPage)
    assert len(page.lines) == 50
    assert page.lines[0].text.split() == ["word123"] * 50


def test_a_space_pdfium_generated_in_letter_spacing_does_not_split_the_word() -> None:
    # "Ver" + generated space + "käufer", 1 px apart at a 20 px height (PDFium's "Ver käufer").
    tight = [*run("Ver", x=100), Glyph(" ", 130, 100, 130, 120, generated=True), *run("käufer", x=131)]
    # The same with a word-sized gap of 6 px: a real word break.
    wide = [*run("Ver", x=100), Glyph(" ", 130, 100, 130, 120, generated=True), *run("käufer", x=136)]
    assert texts(tight) == ["Verkäufer"]
    assert texts(wide) == ["Ver käufer"]
