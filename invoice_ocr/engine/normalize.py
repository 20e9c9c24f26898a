"""Turn PaddleOCR results, in either format the seed names, into `OcrLine` lists.

- PaddleOCR 2.x ("legacy"): `[[box, (text, score)], ...]`, often wrapped once more per
  image (`[[...lines of image 1...]]`), with `None` for an image without text.
- PaddleOCR 3.x: a dict-like result with parallel `rec_texts`, `rec_scores`, `rec_polys`.

A PaddleOCR 3.x line decoded by engine/spacing.py's decoder carries its words (a
`DecodedText`): they become `OcrWord`s whose polygons are the parts of the line's polygon
they cover, and the line's text is its words joined by single spaces.

Recognised text is NFKC-normalised by default because the PP-OCR dictionaries are
Chinese-first and emit full-width punctuation (`：`, `，`, `（`) on Latin documents.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from invoice_ocr.engine.spacing import WordSpan
from invoice_ocr.page import OcrLine, OcrWord, Point, Polygon, polygon_part


def normalize_text(text: str) -> str:
    """NFKC, then collapse the whitespace runs it can leave behind."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _quad(points: Any, width: int | None, height: int | None) -> tuple[Point, Point, Point, Point]:
    """Any polygon as 4 integer points clockwise from top-left, clipped to the page.

    A 4-point polygon keeps its corners (rotated text stays rotated); any other polygon
    becomes its axis-aligned bounding rectangle.
    """
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(array) != 4:
        (x0, y0), (x1, y1) = array.min(axis=0), array.max(axis=0)
        array = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    if width is not None and height is not None:
        array[:, 0] = array[:, 0].clip(0, max(width - 1, 0))
        array[:, 1] = array[:, 1].clip(0, max(height - 1, 0))
    corners = [(round(float(x)), round(float(y))) for x, y in array]
    return corners[0], corners[1], corners[2], corners[3]


def _reading_corners(polygon: Polygon, vertical: bool, upside_down: bool) -> Polygon:
    """The polygon's corners in the order the recogniser read its crop: PaddleX turns a
    crop over 1.5 times taller than wide a quarter turn counter-clockwise (its text runs
    down the page, its top on the right), and the text-line classifier turns a crop it
    finds upside down half a turn."""
    shift = (1 if vertical else 0) + (2 if upside_down else 0)
    corners = polygon[shift:] + polygon[:shift]
    return corners[0], corners[1], corners[2], corners[3]


def _is_vertical(points: Any) -> bool:
    """PaddleX's rule for turning a crop (`get_rotate_crop_image`), on the crop's size."""
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(array) != 4:
        return False
    norm = np.linalg.norm
    width = int(max(norm(array[0] - array[1]), norm(array[2] - array[3])))
    height = int(max(norm(array[0] - array[3]), norm(array[1] - array[2])))
    return width > 0 and height / width >= 1.5


def _words(spans: Sequence[WordSpan], polygon: Polygon, nfkc: bool) -> tuple[OcrWord, ...]:
    """The line's words on its polygon (in reading order); NFKC can split a word (a
    compatibility space), never join two."""
    words = []
    for span in spans:
        texts = normalize_text(span.text).split() if nfkc else [span.text]
        width = (span.end - span.start) / len(texts) if texts else 0
        confidence = min(max(span.confidence, 0.0), 1.0)
        for index, text in enumerate(texts):
            start = span.start + index * width
            words.append(OcrWord(text, confidence, polygon_part(polygon, start, start + width)))
    return tuple(words)


def _is_legacy_line(item: Any) -> bool:
    return (
        isinstance(item, Sequence)
        and len(item) == 2
        and isinstance(item[1], Sequence)
        and len(item[1]) == 2
        and isinstance(item[1][0], str)
    )


def _legacy_entries(result: Sequence[Any]) -> Iterable[tuple[Any, str, float]]:
    for item in result:
        if item is None:
            continue
        if _is_legacy_line(item):
            box, (text, score) = item
            yield box, text, float(score)
        else:
            yield from _legacy_entries(item)


def _dict_entries(result: Mapping[str, Any]) -> Iterable[tuple[Any, str, float]]:
    texts = result.get("rec_texts") or []
    scores = result.get("rec_scores")
    polys = result.get("rec_polys")
    if polys is None or len(polys) == 0:
        polys = result.get("rec_boxes")
    if scores is None or polys is None:
        return
    yield from zip(polys, texts, (float(score) for score in scores), strict=False)


def _upside_down(result: Any, count: int) -> list[bool]:
    """Which lines the text-line classifier turned half a turn (class 1) before reading;
    its list covers every detected line, which is every read line (PaddleOCR keeps lines
    of any score unless told otherwise)."""
    angles = result.get("textline_orientation_angles") if hasattr(result, "get") else None
    if angles is None or len(angles) != count:
        return [False] * count
    return [angle == 1 for angle in angles]


def lines_from_result(
    result: Any,
    *,
    width: int | None = None,
    height: int | None = None,
    nfkc: bool = True,
) -> list[OcrLine]:
    """The OCR lines of one page result in either format; `None` or empty gives `[]`.

    Lines whose text is empty after normalisation are dropped: they carry no evidence.
    """
    if result is None:
        return []
    if isinstance(result, Mapping) or hasattr(result, "keys"):
        entries = list(_dict_entries(result))
    elif isinstance(result, Sequence):
        entries = list(_legacy_entries(result))
    else:
        raise TypeError(f"unrecognised OCR result type: {type(result).__name__}")
    lines = []
    for (points, raw_text, score), upside_down in zip(entries, _upside_down(result, len(entries)), strict=True):
        polygon = _quad(points, width, height)
        spans = getattr(raw_text, "words", ())
        if spans:
            corners = _reading_corners(polygon, _is_vertical(points), upside_down)
            words = _words(spans, corners, nfkc)
            text = " ".join(word.text for word in words)
        else:
            words, text = (), normalize_text(raw_text) if nfkc else raw_text.strip()
        if text:
            lines.append(OcrLine(text, min(max(score, 0.0), 1.0), polygon, words))
    return lines
