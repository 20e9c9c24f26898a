"""Turn PaddleOCR results, in either format the seed names, into `OcrLine` lists.

- PaddleOCR 2.x ("legacy"): `[[box, (text, score)], ...]`, often wrapped once more per
  image (`[[...lines of image 1...]]`), with `None` for an image without text.
- PaddleOCR 3.x: a dict-like result with parallel `rec_texts`, `rec_scores`, `rec_polys`.

Recognised text is NFKC-normalised by default because the PP-OCR dictionaries are
Chinese-first and emit full-width punctuation (`：`, `，`, `（`) on Latin documents.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from invoice_ocr.page import OcrLine, Point


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
        entries = _dict_entries(result)
    elif isinstance(result, Sequence):
        entries = _legacy_entries(result)
    else:
        raise TypeError(f"unrecognised OCR result type: {type(result).__name__}")
    lines = []
    for polygon, raw_text, score in entries:
        text = normalize_text(raw_text) if nfkc else raw_text.strip()
        if text:
            lines.append(OcrLine(text, min(max(score, 0.0), 1.0), _quad(polygon, width, height)))
    return lines
