"""Reading order: group OCR lines into visual rows, then read rows top to bottom.

A row is a set of lines whose vertical centres lie within half a line height of the
row's running centre, so a label and its value printed side by side share a row even
when the detector boxes them separately or one box is a few pixels lower.

Scans are often a little skewed: across an A4 page a 2° tilt moves a line's right end
40 px, more than a line height, and rows would mix. The detector's quads are tilted with
the text, so the page's slope is read from them (the median over long lines) and
centres are compared after undoing it. A straight page has slope 0 and is unaffected.
A photographed page, tilted further than OCR's jitter or with curving rows, is levelled
before it is read (`levelling`).
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from invoice_ocr.page import OcrLine, Point, Polygon, lines_polygon

# Lines this many times wider than high give a reliable slope; fewer than this many
# such lines and the page is taken as straight.
_MIN_ASPECT_FOR_SLOPE = 4
_MIN_LINES_FOR_SLOPE = 3
# A curvature is fitted from this many long lines at least.
_MIN_LINES_FOR_CURVATURE = 8
# A curve is taken as real when it leaves at most this share of the slopes' spread.
_CURVE_LEFT_UNEXPLAINED = 0.5
_MAX_FAN_ACROSS_HALF_PAGE = 0.5
# Below this slope the page is read as it lies: a line ten times wider than high gains
# less than a fifth of its height from the tilt, within OCR's own jitter, and turning
# the page would tilt the upright boxes the detector gives short lines by as much.
_MIN_SLOPE_TO_LEVEL = 0.02


def _long_line_slopes(lines: Sequence[OcrLine]) -> list[tuple[float, float, float, int]]:
    """(centre x, centre y, slope dy/dx, width) of the top edge of each long line quad."""
    found = []
    for line in lines:
        (left_x, left_y), (right_x, right_y) = line.polygon[0], line.polygon[1]
        width = right_x - left_x
        if width > _MIN_ASPECT_FOR_SLOPE * max(upright_height(line), 1):
            found.append(((left_x + right_x) / 2, (left_y + right_y) / 2, (right_y - left_y) / width, width))
    return found


def page_slope(lines: Sequence[OcrLine]) -> float:
    """The page's text slope (dy/dx) from the top edges of its long line quads."""
    slopes = [slope for _, _, slope, _ in _long_line_slopes(lines)]
    return statistics.median(slopes) if len(slopes) >= _MIN_LINES_FOR_SLOPE else 0.0


def upright_height(line: OcrLine) -> float:
    """The line's text height measured along its own left and right edges."""
    top_left, top_right, bottom_right, bottom_left = line.polygon
    return ((bottom_left[1] - top_left[1]) + (bottom_right[1] - top_right[1])) / 2


@dataclass(frozen=True, slots=True)
class Levelling:
    """What makes a photographed page's text rows run level: a turn about the page's
    centre, then a straightening of rows that still curve or fan out.

    Extraction measures gaps, heights and columns on axis-aligned boxes; on a page turned
    a few degrees (a phone photo, a sheet fed askew) a wide line's box is taller by its
    width times the tilt, so a blank line between two blocks vanishes and columns drift.
    A photo also bends the rows: a curled slip bows them, a slanted camera fans them out
    (the far side's rows converge), so a label and its amount across the page no longer
    share one slope. After the turn, a row's slope at (x, y) from the centre is modelled
    as `rise + bend·x + fan·y`: rows are the curves y = v·(1 + fan·x) + rise·x +
    bend·x²/2, and each point is moved to its row's v, x unchanged. Reading the levelled
    lines, and mapping the boxes of what was found back, keeps the measures true."""

    cos: float
    sin: float
    centre_x: float
    centre_y: float
    rise: float = 0.0
    bend: float = 0.0
    fan: float = 0.0

    def level(self, polygon: Polygon) -> Polygon:
        return self._each(polygon, lambda x, y: self._straightened(*self._turned(x, y, -self.sin)))

    def unlevel(self, polygon: Polygon) -> Polygon:
        return self._each(polygon, lambda x, y: self._turned(*self._curved(x, y), self.sin))

    def level_line(self, line: OcrLine) -> OcrLine:
        words = tuple(replace(word, polygon=self.level(word.polygon)) for word in line.words)
        return replace(line, polygon=self.level(line.polygon), words=words)

    def _each(self, polygon: Polygon, move: Callable[[float, float], tuple[float, float]]) -> Polygon:
        def moved(point: Point) -> Point:
            x, y = move(point[0] - self.centre_x, point[1] - self.centre_y)
            return round(self.centre_x + x), round(self.centre_y + y)

        top_left, top_right, bottom_right, bottom_left = polygon
        return moved(top_left), moved(top_right), moved(bottom_right), moved(bottom_left)

    def _turned(self, x: float, y: float, sin: float) -> tuple[float, float]:
        return x * self.cos - y * sin, x * sin + y * self.cos

    def _straightened(self, x: float, y: float) -> tuple[float, float]:
        return x, (y - self.rise * x - self.bend * x * x / 2) / (1 + self.fan * x)

    def _curved(self, x: float, v: float) -> tuple[float, float]:
        return x, v * (1 + self.fan * x) + self.rise * x + self.bend * x * x / 2


def levelling(lines: Sequence[OcrLine], width: int, height: int) -> Levelling | None:
    """What levels a page's rows, or None when they already run level (or too nearly for
    levelling to move a box by more than a pixel or two)."""
    slope = page_slope(lines)
    turn = math.atan(slope) if abs(slope) >= _MIN_SLOPE_TO_LEVEL else 0.0
    turned = Levelling(math.cos(turn), math.sin(turn), width / 2, height / 2)
    curvature = _row_curvature([turned.level_line(line) for line in lines], turned)
    if turn == 0.0 and curvature is None:
        return None
    rise, bend, fan = curvature or (0.0, 0.0, 0.0)
    return replace(turned, rise=rise, bend=bend, fan=fan)


def _row_curvature(lines: Sequence[OcrLine], frame: Levelling) -> tuple[float, float, float] | None:
    """(rise, bend, fan) of the slope field `rise + bend·x + fan·y` (x, y from the page
    centre) fitted to the top edges of the long lines, each weighted by its width squared
    (a wide line's slope is the surer); None when the rows are straight: too few lines,
    a field that explains less than half of the lines' spread of slopes (OCR's jitter,
    not a curve), or one that changes the slope by less than the levelling threshold
    between the lines' outermost positions."""
    samples = _long_line_slopes(lines)
    if len(samples) < _MIN_LINES_FOR_CURVATURE:
        return None
    points = np.array(samples, dtype=float) - [frame.centre_x, frame.centre_y, 0.0, 0.0]
    design = np.column_stack([np.ones(len(points)), points[:, 0], points[:, 1]])
    if np.linalg.matrix_rank(design) < 3:
        return None
    # Least-squares rows scaled by a line's width weigh it by its width squared.
    weights = points[:, 3]
    fit, *_ = np.linalg.lstsq(design * weights[:, None], points[:, 2] * weights, rcond=None)
    constant = np.average(points[:, 2], weights=weights**2)
    spread = float(np.sum(weights**2 * (points[:, 2] - constant) ** 2))
    left = float(np.sum(weights**2 * (points[:, 2] - design @ fit) ** 2))
    rise, bend, fan = (float(value) for value in fit)
    extent_x, extent_y = np.ptp(points[:, 0]), np.ptp(points[:, 1])
    if left > _CURVE_LEFT_UNEXPLAINED * spread or abs(bend) * extent_x + abs(fan) * extent_y < _MIN_SLOPE_TO_LEVEL:
        return None
    # Rows fanning out so far that one side's would cross are no photo of a flat page.
    if abs(fan) * frame.centre_x >= _MAX_FAN_ACROSS_HALF_PAGE:
        return None
    return rise, bend, fan


def _upright_centre(line: OcrLine, slope: float) -> float:
    centre_x = sum(x for x, _ in line.polygon) / 4
    centre_y = sum(y for _, y in line.polygon) / 4
    return centre_y - slope * centre_x


def _stacked(line: OcrLine, other: OcrLine, centres: dict[int, float]) -> bool:
    """Whether two lines stand one above the other: most of the narrower one's width
    shared, their centres apart by more than a quarter of a line (a box printed twice at
    one place, as fake bold, is one row)."""
    shared = min(line.right, other.right) - max(line.left, other.left)
    narrower = max(min(line.right - line.left, other.right - other.left), 1)
    apart = abs(centres[id(line)] - centres[id(other)])
    return shared > narrower / 2 and apart > max(upright_height(line), upright_height(other)) / 4


def group_into_rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Lines grouped into rows, rows top-to-bottom, lines in a row left-to-right. A row's
    centre moves as lines join it, so where two columns' lines are offset by half a line
    it could take the next line of a column it already holds; a line stacked under one
    of the row's starts the next row instead."""
    slope = page_slope(lines)
    centres = {id(line): _upright_centre(line, slope) for line in lines}
    rows: list[list[OcrLine]] = []
    row_centres: list[float] = []
    for line in sorted(lines, key=lambda item: (centres[id(item)], item.left)):
        centre = centres[id(line)]
        tolerance = max(upright_height(line), 1) / 2
        joins = rows and abs(centre - row_centres[-1]) <= tolerance
        if joins and not any(_stacked(line, item, centres) for item in rows[-1]):
            rows[-1].append(line)
            row_centres[-1] = sum(centres[id(item)] for item in rows[-1]) / len(rows[-1])
        else:
            rows.append([line])
            row_centres.append(centre)
    return [sorted(row, key=lambda item: item.left) for row in rows]


# A bill book's amount columns parted by a rule: "RM" | "sen" over "925" | "00".
_CURRENCY_HEADING = re.compile(r"\W*(?:rm|rs\.?|s?\$|inr|myr)\W*", re.IGNORECASE)
_CENTS_HEADING = re.compile(r"\W*(?:sen|cts|cents|paise|ps|¢)\W*", re.IGNORECASE)
_WHOLE_UNITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_CENTS = re.compile(r"\d{2}")
_UNITS_AND_CENTS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)\s+(\d{2})")
# The whole units end this many of their heights short of the cents, at most.
_MAX_GAP_TO_CENTS = 3


def with_cents_joined(rows: Sequence[Sequence[OcrLine]]) -> list[list[OcrLine]]:
    """Rows with each amount a bill book prints in two columns, whole units under a
    currency heading and cents under "sen" (a Malaysian cash bill's "RM" | "sen", an
    Indian one's "Rs." | "paise"), read as one amount: "925" | "00" as "925.00"."""
    result = [list(row) for row in rows]
    for index, row in enumerate(result):
        cents_column = _cents_heading(row)
        if cents_column is None:
            continue
        for later in result[index + 1 :]:
            _join_cents(later, cents_column)
    return result


def _cents_heading(row: Sequence[OcrLine]) -> OcrLine | None:
    for before, heading in itertools.pairwise(row):
        if _CENTS_HEADING.fullmatch(heading.text) and _CURRENCY_HEADING.fullmatch(before.text):
            return heading
    return None


def _join_cents(row: list[OcrLine], heading: OcrLine) -> None:
    for position, box in enumerate(row):
        # One box across the rule ("95 10"): the cents are its last two digits.
        split = _UNITS_AND_CENTS.fullmatch(box.text.strip())
        if split and heading.left <= box.right <= heading.right + heading.height:
            row[position] = OcrLine(f"{split.group(1)}.{split.group(2)}", box.confidence, box.polygon)
    for position in range(len(row) - 1, 0, -1):
        units, cents = row[position - 1], row[position]
        middle = (cents.left + cents.right) / 2
        in_column = heading.left - heading.height <= middle <= heading.right + heading.height
        close = cents.left - units.right <= _MAX_GAP_TO_CENTS * max(cents.height, 1)
        if in_column and close and _CENTS.fullmatch(cents.text.strip()) and _WHOLE_UNITS.fullmatch(units.text.strip()):
            text = f"{units.text.strip()}.{cents.text.strip()}"
            row[position - 1 : position + 1] = [
                OcrLine(text, min(units.confidence, cents.confidence), lines_polygon([units, cents]))
            ]


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
