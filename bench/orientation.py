"""Page orientation: word F1 on invoices turned 0/90/180/270 degrees, read with and without
the orientation step, and what the step costs.

    python -m bench.orientation [--pages 4] [--textline]
    python -m bench.orientation --classifier-only

Each rendered invoice (bench.render, half clean, half with scan damage) is turned
clockwise as a scanner might deliver it, then read by the default engine twice: as
uploaded, and after the orientation classifier turned it upright (the service's path,
`invoice_ocr.engine.orientation.OrientingEngine`). Prints word F1 per turn, how often the classifier
chose the right rotation, and its median milliseconds per page (classify + turn).
`--textline` adds a column: read as uploaded by an engine with the text-line
orientation stage (OCR_TEXTLINE_ORIENTATION) instead, and its extra seconds per page.

`--classifier-only` runs no OCR: it counts the classifier's right rotations on the
`bench/layouts` prints as damaged scans and as phone photos (`bench.layouts.captured`) and
on the real receipts of `../shared/data/sroie-*` (those present), each turned 0/90/180/270.
"""

from __future__ import annotations

import argparse
import io
import logging
import time
from pathlib import Path

import numpy as np
from PIL import Image

from bench.metrics import WordScore, median, word_score
from bench.render import rendered_set
from invoice_ocr.config import Settings
from invoice_ocr.engine.orientation import get_orientation_classifier, turn_clockwise
from invoice_ocr.engine.runtime import build_warm_engine
from invoice_ocr.extraction.layout import reading_order_text

TURNS = (0, 90, 180, 270)


def _bgr_turned(image, degrees: int) -> np.ndarray:
    turned = image.rotate(-degrees, expand=True)  # PIL turns counter-clockwise
    return np.ascontiguousarray(np.asarray(turned)[:, :, ::-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=4, help="rendered invoices per turn (default 4)")
    parser.add_argument("--textline", action="store_true", help="also measure the text-line orientation stage")
    parser.add_argument("--classifier-only", action="store_true", help="count right rotations on layouts and receipts")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.classifier_only:
        classifier_table()
        return
    engine = build_warm_engine(Settings(device="cpu", orientation=False))
    textline_engine = (
        build_warm_engine(Settings(device="cpu", orientation=False, textline_orientation=True))
        if args.textline
        else None
    )
    classifier = get_orientation_classifier()  # loaded outside the timings
    pages = rendered_set(args.pages)
    extra = " | F1 text-line only | extra s/page" if textline_engine else ""
    header = f"{'turned':>7} | {'F1 without':>10} | {'F1 with':>8} | {'rotation right':>14} | {'ms/page':>7}{extra}"
    print(header)
    print("-|-".join("-" * len(cell) for cell in header.split(" | ")))
    for degrees in TURNS:
        without, with_step, textline = WordScore(), WordScore(), WordScore()
        right, costs, extra_seconds = 0, [], []
        for page in pages:
            image = _bgr_turned(page.image, degrees)
            started = time.perf_counter()
            [plain] = engine.recognize([image])
            plain_seconds = time.perf_counter() - started
            without += word_score(reading_order_text(plain.lines), page.text)
            if textline_engine:
                started = time.perf_counter()
                [lines_turned] = textline_engine.recognize([image])
                extra_seconds.append(time.perf_counter() - started - plain_seconds)
                textline += word_score(reading_order_text(lines_turned.lines), page.text)
            started = time.perf_counter()
            rotation = classifier.rotation(image)
            upright = turn_clockwise(image, rotation)
            costs.append((time.perf_counter() - started) * 1000)
            right += (rotation + degrees) % 360 == 0
            [read] = engine.recognize([upright])
            with_step += word_score(reading_order_text(read.lines), page.text)
        row = (
            f"{degrees:>6}° | {without.f1:>10.3f} | {with_step.f1:>8.3f} | "
            f"{right:>6} of {len(pages):<4} | {median(costs):>7.1f}"
        )
        if textline_engine:
            row += f" | {textline.f1:>18.3f} | {median(extra_seconds):>12.2f}"
        print(row)


def _opened(source: io.BytesIO | Path) -> Image.Image:
    """An RGB page at most 2000 px on its long side (the classifier sees 224 px; the real
    receipts are 600-dpi A4 scans)."""
    image = Image.open(source).convert("RGB")
    image.thumbnail((2000, 2000))
    return image


def _page_sets() -> dict[str, list[Image.Image]]:
    """Upright pages: the layout prints as scans and as photos, and the real receipts."""
    from bench.chromium import chromium_pdf
    from bench.layouts import LAYOUTS, captured
    from bench.real_sets import DATA

    sets: dict[str, list[Image.Image]] = {"layouts, scans": [], "layouts, photos": []}
    for path in sorted(LAYOUTS.glob("*.html")):
        pdf = chromium_pdf(path.read_text(encoding="utf-8"))
        for capture, name in (("scan", "layouts, scans"), ("photo", "layouts, photos")):
            sets[name] += [_opened(io.BytesIO(picture)) for picture in captured(pdf, path.stem, capture)]
    receipts = sorted(DATA.glob("sroie-*/img/*.jpg"))
    if receipts:
        sets["real receipts (SROIE)"] = [_opened(path) for path in receipts]
    return sets


def classifier_table() -> None:
    classifier = get_orientation_classifier()
    print("| pages | turned 0° | 90° | 180° | 270° |\n|---|---|---|---|---|")
    for name, pages in _page_sets().items():
        right = [
            sum((classifier.rotation(_bgr_turned(page, degrees)) + degrees) % 360 == 0 for page in pages)
            for degrees in TURNS
        ]
        print(f"| {name} | " + " | ".join(f"{count} of {len(pages)}" for count in right) + " |")


if __name__ == "__main__":
    main()
