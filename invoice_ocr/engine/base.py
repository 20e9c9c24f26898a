"""The engine-neutral result types and the interface every OCR engine implements.

Everything downstream (extraction, API schemas) works on these dataclasses only, so the
HTTP layer never sees a PaddleOCR object and extraction can be unit-tested with
hand-built lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from invoice_ocr.page import OcrPage


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
