"""A rendered sample invoice with exact ground truth.

Used for the start-up warm-up, the smoke-test CLI (`test_api.py`) and the tests, so
that each of them sees the same realistic page instead of a blank image.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_FONT_FILES = {
    False: ("DejaVuSans.ttf", "Arial.ttf", "arial.ttf"),
    True: ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"),
}


@lru_cache(maxsize=64)
def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A TrueType font of `size` px: DejaVu/Arial when installed, else Pillow's built-in."""
    for folder in _FONT_DIRS:
        for name in _FONT_FILES[bold]:
            if (folder / name).is_file():
                return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


@dataclass(frozen=True)
class SampleInvoice:
    image: Image.Image
    invoice_number: str
    invoice_date: str
    total: str
    lines: tuple[str, ...]


SAMPLE_LINES = (
    ("ACME Office Supplies Ltd.", 48, True),
    ("42 Market Street, Springfield", 30, False),
    ("INVOICE", 56, True),
    ("Invoice Number: INV-2024-0042", 32, False),
    ("Invoice Date: 2024-03-15", 32, False),
    ("Bill To: Globex Corporation", 32, False),
    ("Description            Qty   Amount", 30, True),
    ("Printer paper A4        10   45.00", 30, False),
    ("Toner cartridge          2  189.56", 30, False),
    ("Subtotal: 234.56", 32, False),
    ("Tax: 1,000.00", 32, False),
    ("Total: 1,234.56", 36, True),
)


def render_sample_invoice(width: int = 1240, height: int = 1754) -> SampleInvoice:
    """An A4 page at 150 dpi with a short invoice in black on white."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    y = 120
    for text, size, bold in SAMPLE_LINES:
        draw.text((110, y), text, fill="black", font=load_font(size, bold))
        y += int(size * 2.1)
    return SampleInvoice(
        image=image,
        invoice_number="INV-2024-0042",
        invoice_date="2024-03-15",
        total="1,234.56",
        lines=tuple(text for text, _, _ in SAMPLE_LINES),
    )
