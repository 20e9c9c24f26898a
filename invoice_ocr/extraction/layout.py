"""Reading order: group OCR lines into visual rows, then read rows top to bottom.

A row is a set of lines whose vertical centres lie within half a line height of the
row's running centre, so a label and its value printed side by side share a row even
when the detector boxes them separately or one box is a few pixels lower.

Scans are often a little skewed: across an A4 page a 2° tilt moves a line's right end
40 px, more than a line height, and rows would mix. The detector's quads are tilted with
the text, so the page's slope is read from them (the median over long lines) and
centres are compared after undoing it. A straight page has slope 0 and is unaffected.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from invoice_ocr.page import OcrLine, Point

# Lines this many times wider than high give a reliable slope; fewer than this many
# such lines and the page is taken as straight.
_MIN_ASPECT_FOR_SLOPE = 4
_MIN_LINES_FOR_SLOPE = 3


def page_slope(lines: Sequence[OcrLine]) -> float:
    """The page's text slope (dy/dx) from the top edges of its long line quads."""
    slopes = []
    for line in lines:
        (left_x, left_y), (right_x, right_y) = line.polygon[0], line.polygon[1]
        width = right_x - left_x
        if width > _MIN_ASPECT_FOR_SLOPE * max(upright_height(line), 1):
            slopes.append((right_y - left_y) / width)
    return statistics.median(slopes) if len(slopes) >= _MIN_LINES_FOR_SLOPE else 0.0


def upright_height(line: OcrLine) -> float:
    """The line's text height measured along its own left and right edges."""
    top_left, top_right, bottom_right, bottom_left = line.polygon
    return ((bottom_left[1] - top_left[1]) + (bottom_right[1] - top_right[1])) / 2


def _upright_centre(line: OcrLine, slope: float) -> float:
    centre_x = sum(x for x, _ in line.polygon) / 4
    centre_y = sum(y for _, y in line.polygon) / 4
    return centre_y - slope * centre_x


def group_into_rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Lines grouped into rows, rows top-to-bottom, lines in a row left-to-right."""
    slope = page_slope(lines)
    centres = {id(line): _upright_centre(line, slope) for line in lines}
    rows: list[list[OcrLine]] = []
    row_centres: list[float] = []
    for line in sorted(lines, key=lambda item: (centres[id(item)], item.left)):
        centre = centres[id(line)]
        tolerance = max(upright_height(line), 1) / 2
        if rows and abs(centre - row_centres[-1]) <= tolerance:
            rows[-1].append(line)
            row_centres[-1] = sum(centres[id(item)] for item in rows[-1]) / len(rows[-1])
        else:
            rows.append([line])
            row_centres.append(centre)
    return [sorted(row, key=lambda item: item.left) for row in rows]


def in_reading_order(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """The lines flattened in reading order (row by row, left to right)."""
    return [line for row in group_into_rows(lines) for line in row]


def reading_order_text(lines: Sequence[OcrLine]) -> str:
    """One text line per row; the lines of a row joined by a single space."""
    return "\n".join(" ".join(line.text for line in row) for row in group_into_rows(lines))


def span_polygon(line: OcrLine, start: int, end: int) -> tuple[Point, Point, Point, Point]:
    """The part of a line's polygon covering characters `start:end` of its text.

    OCR gives one box per line, so a value printed after its label on the same line is
    located by the share of characters before and inside it; exact for monospaced text,
    close enough elsewhere to highlight the value.
    """
    length = max(len(line.text), 1)
    if start <= 0 and end >= length:
        return line.polygon
    top_left, top_right, bottom_right, bottom_left = line.polygon

    def along(a: Point, b: Point, share: float) -> Point:
        return (round(a[0] + (b[0] - a[0]) * share), round(a[1] + (b[1] - a[1]) * share))

    first, last = start / length, end / length
    return (
        along(top_left, top_right, first),
        along(top_left, top_right, last),
        along(bottom_left, bottom_right, last),
        along(bottom_left, bottom_right, first),
    )


def first_in_column(row: Sequence[OcrLine], line: OcrLine) -> OcrLine | None:
    """The box of `row` that starts where `line` does, if any."""
    return next((item for item in row if abs(item.left - line.left) <= 3 * max(item.height, 1)), None)
