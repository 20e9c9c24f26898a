"""Reading order: group OCR lines into visual rows, then read rows top to bottom.

A row is a set of lines whose vertical centres lie within half a line height of the
row's running centre, so a label and its value printed side by side share a row even
when the detector boxes them separately or one box is a few pixels lower.
"""

from __future__ import annotations

from collections.abc import Sequence

from invoice_ocr.engine.base import OcrLine


def group_into_rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Lines grouped into rows, rows top-to-bottom, lines in a row left-to-right."""
    rows: list[list[OcrLine]] = []
    row_centres: list[float] = []
    for line in sorted(lines, key=lambda item: (item.center_y, item.left)):
        tolerance = max(line.height, 1) / 2
        if rows and abs(line.center_y - row_centres[-1]) <= tolerance:
            rows[-1].append(line)
            row_centres[-1] = sum(item.center_y for item in rows[-1]) / len(rows[-1])
        else:
            rows.append([line])
            row_centres.append(line.center_y)
    return [sorted(row, key=lambda item: item.left) for row in rows]


def in_reading_order(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """The lines flattened in reading order (row by row, left to right)."""
    return [line for row in group_into_rows(lines) for line in row]


def reading_order_text(lines: Sequence[OcrLine]) -> str:
    """One text line per row; the lines of a row joined by a single space."""
    return "\n".join(" ".join(line.text for line in row) for row in group_into_rows(lines))
