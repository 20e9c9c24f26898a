"""Rendered invoice pages with exact ground truth, and the scan damage applied to them.

`degrade` is shared by every benchmark that needs realistic pages (blur, noise, JPEG
artefacts, slight skew), so each measures against the same kind of damage.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.invoice_synth import ITEMS as LANGUAGE_ITEMS
from invoice_ocr.samples import load_font

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansCondensed.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSerif-Bold.ttf",
)

COMPANIES = (
    "Acme Office Supplies Ltd.",
    "Nordwind Logistik GmbH",
    "Boulangerie Martin SARL",
    "Globex Corporation",
    "Ferreteria Lopez S.L.",
    "Initech Software Inc.",
    "Blue River Catering",
    "Kowalski & Sons",
)
STREETS = ("42 Market Street", "Hauptstrasse 17", "12 rue de la Paix", "Calle Mayor 8", "700 Industrial Way")
CITIES = ("Springfield, IL 62701", "10115 Berlin", "75002 Paris", "28013 Madrid", "Leeds LS1 4AP")
ITEMS = tuple(LANGUAGE_ITEMS["en"])


@dataclass
class RenderedPage:
    image: Image.Image
    text: str  # every word drawn, lines in drawing order


def font_for(rng: random.Random, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = rng.choice(FONT_FILES)
    if (DEJAVU / name).is_file():
        return ImageFont.truetype(str(DEJAVU / name), size)
    return load_font(size)


def invoice_lines(rng: random.Random) -> list[str]:
    number = f"INV-{rng.randint(2020, 2026)}-{rng.randint(1, 9999):04d}"
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2020, 2026)
    date = rng.choice(
        [f"{year}-{month:02d}-{day:02d}", f"{day:02d}.{month:02d}.{year}", f"{month:02d}/{day:02d}/{year}"]
    )
    lines = [
        rng.choice(COMPANIES),
        rng.choice(STREETS),
        rng.choice(CITIES),
        "INVOICE",
        f"Invoice No: {number}",
        f"Date: {date}",
        f"Bill to: {rng.choice(COMPANIES)}",
        "Description Qty Price Amount",
    ]
    subtotal = 0.0
    for _ in range(rng.randint(2, 8)):
        quantity, price = rng.randint(1, 20), rng.randint(100, 50000) / 100
        subtotal += quantity * price
        lines.append(f"{rng.choice(ITEMS)} {quantity} {price:,.2f} {quantity * price:,.2f}")
    tax = round(subtotal * 0.2, 2)
    lines += [f"Subtotal: {subtotal:,.2f}", f"VAT 20%: {tax:,.2f}", f"Total: {subtotal + tax:,.2f} EUR"]
    return lines


def render_invoice(rng: random.Random, width: int = 1240, height: int = 1754) -> RenderedPage:
    """An A4 page at 150 dpi with varied font, size and margins; text is exact truth."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    size = rng.randint(20, 34)
    font = font_for(rng, size)
    x, y = rng.randint(60, 160), rng.randint(60, 160)
    drawn = []
    for line in invoice_lines(rng):
        if y + size * 2 > height:
            break
        draw.text((x, y), line, fill="black", font=font)
        drawn.append(line)
        y += int(size * rng.uniform(1.6, 2.2))
    return RenderedPage(image, "\n".join(drawn))


def degrade(image: Image.Image, rng: random.Random) -> Image.Image:
    """Scan damage: slight skew, blur, sensor noise, JPEG re-encoding (each maybe)."""
    if rng.random() < 0.5:
        image = image.rotate(rng.uniform(-2.0, 2.0), expand=True, fillcolor="white", resample=Image.Resampling.BICUBIC)
    if rng.random() < 0.5:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.3)))
    if rng.random() < 0.5:
        pixels = np.asarray(image, dtype=np.int16)
        noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(4, 14), pixels.shape)
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    if rng.random() < 0.6:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=rng.randint(35, 85))
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def rendered_set(count: int, seed: int = 7) -> list[RenderedPage]:
    """`count` pages: the first half clean, the second half with scan damage."""
    rng = random.Random(seed)
    pages = []
    for index in range(count):
        page = render_invoice(rng)
        if index >= count // 2:
            page = RenderedPage(degrade(page.image, rng), page.text)
        pages.append(page)
    return pages
