"""The engine-neutral result types and the interface every OCR engine implements.

Everything downstream (extraction, API schemas) works on these dataclasses only, so the
HTTP layer never sees a PaddleOCR object and extraction can be unit-tested with
hand-built lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised text line: text, confidence in 0..1 and a 4-point polygon.

    The polygon is clockwise from the top-left corner, in integer pixels of the page as
    decoded (after EXIF orientation).
    """

    text: str
    confidence: float
    polygon: tuple[Point, Point, Point, Point]

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
    """The OCR result of one page image.

    `rotation` is how far (clockwise degrees) the image was turned before it was read;
    `width`, `height` and the lines' polygons are those of the turned, upright page.
    """

    width: int
    height: int
    lines: list[OcrLine] = field(default_factory=list)
    rotation: int = 0


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What an engine reports about itself for /health and responses."""

    engine: str
    model: str
    device: str
    using_gpu: bool


class OcrEngine(Protocol):
    """An OCR engine: BGR page images in, one OcrPage per image out, in order.

    Implementations are not required to be thread-safe: the inference worker owns each
    instance from a single thread.
    """

    info: EngineInfo

    def recognize(self, images: list[np.ndarray]) -> list[OcrPage]: ...
