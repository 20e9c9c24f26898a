"""Both PaddleOCR result formats, and the degenerate ones, become the same OcrLine list."""

import numpy as np
import pytest

from invoice_ocr.engine.normalize import lines_from_result, normalize_text
from invoice_ocr.engine.spacing import DecodedText, WordSpan

BOX = [[10, 20], [110, 20], [110, 50], [10, 50]]


def test_legacy_format_per_image():
    result = [[BOX, ("Invoice #12345", 0.987)], [[[5, 60], [90, 60], [90, 80], [5, 80]], ("Total", 0.95)]]
    lines = lines_from_result(result)
    assert [line.text for line in lines] == ["Invoice #12345", "Total"]
    assert lines[0].confidence == pytest.approx(0.987)
    assert lines[0].polygon == ((10, 20), (110, 20), (110, 50), (10, 50))


def test_legacy_format_wrapped_per_page_and_none_pages():
    assert [line.text for line in lines_from_result([[[BOX, ("A", 0.9)]]])] == ["A"]
    assert lines_from_result([None]) == []


def test_dict_format_with_numpy_polys():
    result = {
        "rec_texts": ["Total: $299.99", "Date"],
        "rec_scores": np.array([0.956, 0.5]),
        "rec_polys": [np.array(BOX), np.array(BOX) + 100],
    }
    lines = lines_from_result(result)
    assert [line.text for line in lines] == ["Total: $299.99", "Date"]
    assert lines[1].polygon[0] == (110, 120)
    assert all(isinstance(value, int) for point in lines[1].polygon for value in point)


def test_dict_format_falls_back_to_rec_boxes():
    result = {"rec_texts": ["X"], "rec_scores": [0.8], "rec_polys": [], "rec_boxes": np.array([[1, 2, 30, 40]])}
    assert lines_from_result(result)[0].polygon == ((1, 2), (30, 2), (30, 40), (1, 40))


@pytest.mark.parametrize("empty", [None, [], {}, {"rec_texts": [], "rec_scores": [], "rec_polys": []}, [[]]])
def test_empty_results_give_no_lines(empty):
    assert lines_from_result(empty) == []


def test_unknown_result_type_is_an_error():
    with pytest.raises(TypeError):
        lines_from_result(42)


def test_full_width_punctuation_becomes_ascii():
    assert normalize_text("TOTAL：１２．５０（RM）") == "TOTAL:12.50(RM)"
    lines = lines_from_result({"rec_texts": ["Date：2024"], "rec_scores": [0.9], "rec_polys": [BOX]})
    assert lines[0].text == "Date:2024"


def test_normalisation_can_be_turned_off():
    lines = lines_from_result({"rec_texts": ["Date：2024"], "rec_scores": [0.9], "rec_polys": [BOX]}, nfkc=False)
    assert lines[0].text == "Date：2024"


def test_blank_lines_are_dropped_and_scores_clamped():
    lines = lines_from_result({"rec_texts": ["  ", "ok"], "rec_scores": [0.9, 1.2], "rec_polys": [BOX, BOX]})
    assert [(line.text, line.confidence) for line in lines] == [("ok", 1.0)]


def test_boxes_are_clipped_to_the_page():
    result = {"rec_texts": ["edge"], "rec_scores": [0.9], "rec_polys": [[[-5, -3], [120, -3], [120, 60], [-5, 60]]]}
    line = lines_from_result(result, width=100, height=50)[0]
    assert line.polygon == ((0, 0), (99, 0), (99, 49), (0, 49))


def test_many_point_polygon_becomes_its_bounding_rectangle():
    poly = [[0, 5], [10, 0], [20, 5], [20, 15], [10, 20], [0, 15]]
    line = lines_from_result({"rec_texts": ["x"], "rec_scores": [0.9], "rec_polys": [poly]})[0]
    assert line.polygon == ((0, 0), (20, 0), (20, 20), (0, 20))


def _decoded(text: str, *spans: tuple[str, float, float]) -> DecodedText:
    return DecodedText(text, tuple(WordSpan(word, start, end, 0.9) for word, start, end in spans))


def test_decoded_words_become_parts_of_the_line_polygon():
    text = _decoded("Total： 12", ("Total：", 0.0, 0.5), ("12", 0.75, 1.0))
    (line,) = lines_from_result({"rec_texts": [text], "rec_scores": [0.9], "rec_polys": [np.array(BOX)]})
    # NFKC on each word, and the line's text is its words joined by spaces.
    assert line.text == "Total: 12" == " ".join(word.text for word in line.words)
    assert [word.polygon for word in line.words] == [
        ((10, 20), (60, 20), (60, 50), (10, 50)),
        ((85, 20), (110, 20), (110, 50), (85, 50)),
    ]
    assert all(word.confidence == pytest.approx(0.9) for word in line.words)


def test_words_of_crops_paddlex_turned_follow_the_reading_direction():
    tall = np.array([[10, 10], [40, 10], [40, 110], [10, 110]])  # read top to bottom, its top on the right
    result = {"rec_texts": [_decoded("ab", ("ab", 0.0, 0.5))], "rec_scores": [0.9], "rec_polys": [tall]}
    assert lines_from_result(result)[0].words[0].polygon == ((40, 10), (40, 60), (10, 60), (10, 10))
    # A line the text-line classifier found upside down is read right to left.
    flipped = {**result, "rec_polys": [np.array(BOX)], "textline_orientation_angles": [1]}
    assert lines_from_result(flipped)[0].words[0].polygon == ((110, 50), (60, 50), (60, 20), (110, 20))
