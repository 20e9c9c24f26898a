"""The neutral page types at the bottom of the package: what every layer speaks.

Documents produce them (text-layer pages), engines produce them (OCR'd pages),
extraction, the API and the output renderers read them; nothing here imports anything
of ours. The geometry every reader needs lives here too: mapping boxes from the upright
page (as read) back onto the page as uploaded, and placing words inside a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Point = tuple[int, int]
Polygon = tuple[Point, Point, Point, Point]


def box_polygon(left: int, top: int, right: int, bottom: int) -> Polygon:
    """An axis-aligned box as a polygon, clockwise from the top-left corner."""
    return (left, top), (right, top), (right, bottom), (left, bottom)


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word of a line: text without spaces, confidence in 0..1 and a 4-point polygon
    (same convention as the line's)."""

    text: str
    confidence: float
    polygon: Polygon


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One text line: text, confidence in 0..1 and a 4-point polygon.

    The polygon is clockwise from the top-left corner, in integer pixels of the page as
    decoded (after EXIF orientation). `words`, when the reader gives them, are the line's
    words in reading order: their texts joined by single spaces are the line's text.
    """

    text: str
    confidence: float
    polygon: Polygon
    words: tuple[OcrWord, ...] = ()

    @property
    def left(self) -> int:
        return min(x for x, _ in self.polygon)

    @property
    def right(self) -> int:
        return max(x for x, _ in self.polygon)

    @property
    def top(self) -> int:
        return min(y for _, y in self.polygon)

    @property
    def bottom(self) -> int:
        return max(y for _, y in self.polygon)

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2


def lines_polygon(lines: Sequence[OcrLine]) -> Polygon:
    """The axis-aligned box around some lines (a name wrapped over two, a sum of rows)."""
    return box_polygon(
        min(line.left for line in lines),
        min(line.top for line in lines),
        max(line.right for line in lines),
        max(line.bottom for line in lines),
    )


@dataclass(slots=True)
class OcrPage:
    """The lines of one page.

    `rotation` is how far (clockwise degrees) the image was turned before it was read;
    `width`, `height` and the lines' polygons are those of the turned, upright page.
    """

    width: int
    height: int
    lines: list[OcrLine] = field(default_factory=list)
    rotation: int = 0


# --- words inside a line ----------------------------------------------------------------


def _between(a: Point, b: Point, share: float) -> Point:
    return round(a[0] + (b[0] - a[0]) * share), round(a[1] + (b[1] - a[1]) * share)


def polygon_part(polygon: Polygon, start: float, end: float) -> Polygon:
    """The part of a line's polygon between two shares (0..1) of its length, measured
    along its reading direction (corner 0 → 1 on top, 3 → 2 below): a skewed or turned
    line gives equally skewed or turned word boxes."""
    top_left, top_right, bottom_right, bottom_left = polygon
    return (
        _between(top_left, top_right, start),
        _between(top_left, top_right, end),
        _between(bottom_left, bottom_right, end),
        _between(bottom_left, bottom_right, start),
    )


def line_words(line: OcrLine) -> tuple[OcrWord, ...]:
    """The line's words; for a line read without word boxes (an engine that gives none),
    its text split at spaces with boxes shared out along the line by character count,
    each word with the line's confidence."""
    if line.words:
        return line.words
    texts = line.text.split()
    total = sum(len(text) for text in texts) + len(texts) - 1
    words, start = [], 0
    for text in texts:
        end = start + len(text)
        words.append(OcrWord(text, line.confidence, polygon_part(line.polygon, start / total, end / total)))
        start = end + 1
    return tuple(words)


# --- the upright page (as read) → the page as uploaded -----------------------------------


def uploaded_size(upright_width: int, upright_height: int, rotation: int) -> tuple[int, int]:
    """Width and height of the uploaded page, from those of its upright version."""
    return (upright_height, upright_width) if rotation in (90, 270) else (upright_width, upright_height)


def point_to_uploaded(point: Point, rotation: int, upright_width: int, upright_height: int) -> Point:
    """A pixel of the upright page → the same pixel of the page as uploaded.

    The inverse of turning the uploaded page `rotation` degrees clockwise (cv2.rotate),
    so pixel centres map exactly and a point inside the upright page stays inside the
    uploaded one.
    """
    x, y = point
    if rotation == 90:
        return y, upright_width - 1 - x
    if rotation == 180:
        return upright_width - 1 - x, upright_height - 1 - y
    if rotation == 270:
        return upright_height - 1 - y, x
    return x, y


def polygon_to_uploaded(polygon: Polygon, rotation: int, upright_width: int, upright_height: int) -> Polygon:
    first, second, third, fourth = (
        point_to_uploaded(point, rotation, upright_width, upright_height) for point in polygon
    )
    return first, second, third, fourth


def line_to_uploaded(line: OcrLine, rotation: int, upright_width: int, upright_height: int) -> OcrLine:
    """The line, and its words, with their polygons on the uploaded page. The corners keep
    their reading order (first is the text's top-left as read), so a box still says which
    way the text runs."""
    if rotation == 0:
        return line
    size = (rotation, upright_width, upright_height)
    words = tuple(OcrWord(word.text, word.confidence, polygon_to_uploaded(word.polygon, *size)) for word in line.words)
    return OcrLine(line.text, line.confidence, polygon_to_uploaded(line.polygon, *size), words)
