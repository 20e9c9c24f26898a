"""The neutral page types at the bottom of the package: what every layer speaks.

Documents produce them (text-layer pages), engines produce them (OCR'd pages),
extraction and the API read them; nothing here imports anything of ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[int, int]
Polygon = tuple[Point, Point, Point, Point]


def box_polygon(left: int, top: int, right: int, bottom: int) -> Polygon:
    """An axis-aligned box as a polygon, clockwise from the top-left corner."""
    return (left, top), (right, top), (right, bottom), (left, bottom)


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One text line: text, confidence in 0..1 and a 4-point polygon.

    The polygon is clockwise from the top-left corner, in integer pixels of the page as
    decoded (after EXIF orientation).
    """

    text: str
    confidence: float
    polygon: Polygon

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
