"""Rendered invoice pages with exact ground truth, and the scan damage applied to them.

`degrade` is shared by every benchmark that needs realistic pages (blur, noise, JPEG
artefacts, slight skew), so each measures against the same kind of damage; `photograph`
turns a page into a phone photo of the paper (desk, slant, turn, uneven light).
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


def photograph(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the printed paper: its print faded by up to a half, cut below it,
    lying on a darker desk and bowed (its rows curve), seen at a slant (each corner pulled
    in by its own amount), turned up to 8°, lit from one side, a little out of focus,
    saved as a phone's JPEG."""
    paper = _faded(_trimmed_to_print(image), rng.uniform(0.45, 1.0))
    pad = int(0.08 * max(paper.size))
    desk_colour = tuple(rng.randint(60, 150) for _ in range(3))
    canvas = Image.new("RGB", (paper.width + 2 * pad, paper.height + 2 * pad), desk_colour)
    canvas.paste(paper, (pad, pad))
    canvas = _bowed(canvas, rng.uniform(0, 0.02) * paper.width, desk_colour)
    width, height = canvas.size
    pull = [(rng.uniform(0, 0.06) * width, rng.uniform(0, 0.04) * height) for _ in range(4)]
    seen_corners = [
        (pull[0][0], pull[0][1]),
        (width - pull[1][0], pull[1][1]),
        (width - pull[2][0], height - pull[2][1]),
        (pull[3][0], height - pull[3][1]),
    ]
    paper_corners = [(0, 0), (width, 0), (width, height), (0, height)]
    canvas = canvas.transform(
        canvas.size,
        Image.Transform.PERSPECTIVE,
        _perspective_coefficients(seen_corners, paper_corners),
        Image.Resampling.BICUBIC,
        fillcolor=desk_colour,
    )
    turn = rng.uniform(-8.0, 8.0)
    canvas = canvas.rotate(turn, expand=True, fillcolor=desk_colour, resample=Image.Resampling.BICUBIC)
    canvas = _lit_from_one_side(canvas, rng)
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=rng.randint(70, 92))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _faded(image: Image.Image, ink: float) -> Image.Image:
    """The print at `ink` of its darkness: a thermal slip greys as it ages."""
    pixels = np.asarray(image, dtype=np.float32)
    return Image.fromarray((255 - (255 - pixels) * ink).astype(np.uint8))


def _trimmed_to_print(image: Image.Image) -> Image.Image:
    """The page cut a margin below its last printed row: a till slip ends where its print
    does, not at the bottom of the page it was printed on (nor does a photo of an A4 sheet
    need the blank half of it)."""
    printed_rows = np.flatnonzero((np.asarray(image.convert("L")) < 200).any(axis=1))
    if printed_rows.size == 0:
        return image
    bottom = min(int(printed_rows[-1]) + max(image.width // 25, 8), image.height)
    return image.crop((0, 0, image.width, bottom))


def _bowed(image: Image.Image, depth: float, background: tuple[int, ...]) -> Image.Image:
    """The picture with its middle columns pushed down by `depth` px and its edges not (a
    curled slip: each printed row becomes an arc)."""
    pixels = np.asarray(image)
    height, width = pixels.shape[:2]
    across = (np.arange(width) - width / 2) / (width / 2)
    shift = np.round(depth * (1 - across**2)).astype(int)
    rows = np.arange(height)[:, None] - shift[None, :]
    inside = (rows >= 0) & (rows < height)
    bowed = pixels[np.clip(rows, 0, height - 1), np.arange(width)[None, :]]
    bowed[~inside] = background
    return Image.fromarray(bowed)


def _perspective_coefficients(seen: list[tuple[float, float]], source: list[tuple[float, float]]) -> list[float]:
    """PIL's eight perspective coefficients that map each `seen` corner to its `source`."""
    matrix, target = [], []
    for (x, y), (u, v) in zip(seen, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        target += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(matrix), np.array(target))]


def _lit_from_one_side(image: Image.Image, rng: random.Random) -> Image.Image:
    """Brightness falling off linearly across the picture in a random direction, with
    sensor noise on top."""
    pixels = np.asarray(image, dtype=np.float32)
    height, width = pixels.shape[:2]
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ramp = (xs / width - 0.5) * np.cos(angle) + (ys / height - 0.5) * np.sin(angle)
    darkest = rng.uniform(0.55, 0.85)
    light = 1.0 - (1.0 - darkest) * (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(2, 8), pixels.shape)
    return Image.fromarray(np.clip(pixels * light[..., None] + noise, 0, 255).astype(np.uint8))


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
