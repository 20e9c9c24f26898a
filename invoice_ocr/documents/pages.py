"""What a document yields: pages that still need OCR, and pages that already have lines.

A PDF page with a usable text layer becomes a `TextPage` (its lines are exact, so it
never goes to the OCR worker); every other page becomes an image `Page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from invoice_ocr.page import OcrLine


@dataclass
class Page:
    """One page to recognise: BGR pixels and its 1-based number in the document."""

    image: np.ndarray
    number: int = 1

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


@dataclass
class TextPage:
    """A page read from a PDF text layer: lines in pixels of the page rendered at the
    document's DPI, confidence 1.0."""

    number: int
    width: int
    height: int
    lines: list[OcrLine] = field(default_factory=list)


DocumentPage = Page | TextPage
