"""page.py's geometry: words inside a line, and words mapped onto the uploaded page with their line."""

from __future__ import annotations

from invoice_ocr.page import OcrLine, OcrWord, line_to_uploaded, line_words, polygon_part

LINE = ((10, 20), (110, 20), (110, 40), (10, 40))


def test_a_part_of_a_skewed_line_is_skewed_alike():
    skewed = ((0, 10), (100, 0), (102, 20), (2, 30))
    assert polygon_part(skewed, 0.5, 1.0) == ((50, 5), (100, 0), (102, 20), (52, 25))


def test_a_line_without_word_boxes_shares_its_box_out_by_characters():
    words = line_words(OcrLine("ab cdef g", 0.8, LINE))
    assert [word.text for word in words] == ["ab", "cdef", "g"]
    # 9 characters over 100 pixels: "ab" 0-2, "cdef" 3-7, "g" 8-9.
    assert [(word.polygon[0][0], word.polygon[1][0]) for word in words] == [(10, 32), (43, 88), (99, 110)]
    assert {word.confidence for word in words} == {0.8}


def test_words_given_by_the_reader_are_kept():
    word = OcrWord("ab", 0.5, ((12, 20), (30, 20), (30, 40), (12, 40)))
    assert line_words(OcrLine("ab", 0.9, LINE, (word,))) == (word,)


def test_words_turn_with_their_line_onto_the_uploaded_page():
    word = OcrWord("ab", 0.5, ((12, 20), (30, 20), (30, 40), (12, 40)))
    mapped = line_to_uploaded(OcrLine("ab", 0.9, LINE, (word,)), 90, 200, 100)
    assert mapped.polygon == ((20, 189), (20, 89), (40, 89), (40, 189))
    assert mapped.words == (OcrWord("ab", 0.5, ((20, 187), (20, 169), (40, 169), (40, 187))),)
