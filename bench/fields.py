"""Invoice-field accuracy: synthetic invoices and receipts through the real pipeline, plus
the six real SROIE receipts.

    python -m bench.fields [--seeds tune|report] [--n 216] [--engine ocr|truth] [--json out.json]

`--seeds tune` is the frozen set used while tuning the extractor; `--seeds report` is a
disjoint set run only to report. `--engine truth` feeds the renderer's exact line boxes
(and SROIE's box files) to the extractor, skipping OCR; `--engine ocr` renders each page
(with scan damage for half of the image documents), encodes it and runs the service's
own path: `load_pages` (PDFs with a text layer come back as text pages) and the OCR
engine. Prints per-field exact-match accuracy after normalisation and line-item F1.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np

from bench.invoice_synth import FAMILIES, SynthDocument, generate
from bench.render import degrade
from invoice_ocr.documents.loader import DocumentLimits, load_pages
from invoice_ocr.documents.pages import TextPage
from invoice_ocr.extraction.amounts import format_money, format_quantity
from invoice_ocr.extraction.dates import find_dates
from invoice_ocr.extraction.invoice import InvoiceExtraction, PageLines, extract_invoice
from invoice_ocr.extraction.results import FIELD_NAMES
from invoice_ocr.page import OcrLine

SROIE = Path(__file__).resolve().parents[2] / "shared" / "data" / "sroie-sample"
SEED_SETS = {"tune": 1000, "report": 50000}
TEXT_FIELDS = {"vendor_name", "vendor_address", "customer_name"}
LIMITS = DocumentLimits(max_bytes=50 * 1024 * 1024, max_pixels=60_000_000)

Recognize = Callable[[list[np.ndarray]], list]


@dataclass
class Tally:
    """Per-field counts: correct, wrong value, missed (None), spurious (value where none)."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    items: Counter = field(default_factory=Counter)
    documents: int = 0
    seconds: float = 0.0

    def add_field(self, name: str, predicted: str | None, expected: str | None) -> None:
        if expected is None:
            self.counts[name]["spurious" if predicted is not None else "absent_ok"] += 1
        elif predicted is None:
            self.counts[name]["missed"] += 1
        else:
            self.counts[name]["correct" if predicted == expected else "wrong"] += 1

    def accuracy(self, name: str) -> float | None:
        count = self.counts[name]
        total = count["correct"] + count["wrong"] + count["missed"] + count["spurious"] + count["absent_ok"]
        return (count["correct"] + count["absent_ok"]) / total if total else None

    def item_f1(self) -> float | None:
        predicted, expected, matched = self.items["predicted"], self.items["expected"], self.items["matched"]
        if not expected and not predicted:
            return None
        precision = matched / predicted if predicted else 0.0
        recall = matched / expected if expected else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def normalize_text(value: str | None) -> str | None:
    """Names and addresses compare upper-cased, white space collapsed, edge punctuation off."""
    if value is None:
        return None
    return re.sub(r"\s+", " ", value.upper()).strip(" .,;:")


def normalize_sroie_date(printed: str) -> str | None:
    dates = find_dates(printed, day_first=True)
    return dates[0].value.isoformat() if dates else None


def predicted_value(extraction: InvoiceExtraction, name: str) -> str | None:
    value = extraction.fields[name]
    if value is None:
        return None
    return normalize_text(value.value) if name in TEXT_FIELDS else value.normalized


def _item_key(description: str | None, quantity: str | None, unit: str | None, amount: str | None) -> tuple:
    return (normalize_text(description), quantity, unit, amount)


def score_items(tally: Tally, document: SynthDocument, extraction: InvoiceExtraction) -> None:
    expected = Counter(
        _item_key(
            item.description, format_quantity(item.quantity), format_money(item.unit_price), format_money(item.amount)
        )
        for item in document.items
    )
    predicted = Counter(
        _item_key(
            item.description.value if item.description else None,
            *(value.normalized if value else None for value in (item.quantity, item.unit_price, item.amount)),
        )
        for item in extraction.line_items
    )
    tally.items["expected"] += sum(expected.values())
    tally.items["predicted"] += sum(predicted.values())
    tally.items["matched"] += sum((expected & predicted).values())


def _bgr(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))[:, :, ::-1].copy()


def _encoded(document: SynthDocument) -> list[bytes]:
    """The files a client would upload: the PDF, or one image file per page."""
    if document.pdf is not None:
        return [document.pdf]
    files = []
    rng = random.Random(document.seed)
    for page in document.pages:
        image = degrade(page, rng) if document.damaged else page
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        files.append(buffer.getvalue())
    return files


def ocr_pages(document: SynthDocument, recognize: Recognize) -> list[PageLines]:
    pages: list[PageLines] = []
    for data in _encoded(document):
        for page in load_pages(data, LIMITS):
            number = len(pages) + 1
            if isinstance(page, TextPage):
                pages.append(PageLines(number, page.width, page.height, page.lines))
            else:
                result = recognize([page.image])[0]
                pages.append(PageLines(number, result.width, result.height, result.lines))
    return pages


def truth_pages(document: SynthDocument) -> list[PageLines]:
    return [
        PageLines(number, image.width, image.height, lines)
        for number, (image, lines) in enumerate(zip(document.pages, document.lines, strict=True), start=1)
    ]


def run_synthetic(seeds: Iterable[int], recognize: Recognize | None) -> dict[str, Tally]:
    """Tallies per family and overall ("all")."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for seed in seeds:
        document = generate(seed)
        started = time.perf_counter()
        pages = truth_pages(document) if recognize is None else ocr_pages(document, recognize)
        extraction = extract_invoice(pages)
        elapsed = time.perf_counter() - started
        for key in ("all", document.family):
            tally = tallies[key]
            tally.documents += 1
            tally.seconds += elapsed
            for name in FIELD_NAMES:
                expected = document.truth[name]
                expected = normalize_text(expected) if name in TEXT_FIELDS else expected
                tally.add_field(name, predicted_value(extraction, name), expected)
            score_items(tally, document, extraction)
    return tallies


def _sroie_lines(stem: str) -> list[OcrLine]:
    lines = []
    for row in (SROIE / "box" / f"{stem}.csv").read_text(errors="replace").splitlines():
        parts = row.split(",", 8)
        if len(parts) == 9:
            x1, y1, x2, y2, x3, y3, x4, y4 = (int(value) for value in parts[:8])
            lines.append(OcrLine(parts[8], 1.0, ((x1, y1), (x2, y2), (x3, y3), (x4, y4))))
    return lines


def run_sroie(recognize: Recognize | None) -> Tally:
    """company→vendor_name, address→vendor_address, date→invoice_date, total→total."""
    tally = Tally()
    for key_path in sorted((SROIE / "key").glob("*.json")):
        key = json.loads(key_path.read_text())
        started = time.perf_counter()
        if recognize is None:
            pages = [PageLines(1, 0, 0, _sroie_lines(key_path.stem))]
        else:
            image_pages = load_pages((SROIE / "img" / f"{key_path.stem}.jpg").read_bytes(), LIMITS)
            result = recognize([image_pages[0].image])[0]
            pages = [PageLines(1, result.width, result.height, result.lines)]
        extraction = extract_invoice(pages)
        tally.seconds += time.perf_counter() - started
        tally.documents += 1
        expected = {
            "vendor_name": normalize_text(key["company"]),
            "vendor_address": normalize_text(key["address"]),
            "invoice_date": normalize_sroie_date(key["date"]),
            "total": str(Decimal(key["total"])),
        }
        for name, value in expected.items():
            tally.add_field(name, predicted_value(extraction, name), value)
    return tally


def _cell(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def print_table(tallies: dict[str, Tally], sroie: Tally | None) -> None:
    rows = [("all", tallies["all"])] + [(family, tallies[family]) for family in FAMILIES if family in tallies]
    if sroie is not None:
        rows.append(("SROIE (6 real)", sroie))
    short = {
        "invoice_number": "number",
        "invoice_date": "date",
        "due_date": "due",
        "vendor_name": "vendor",
        "vendor_address": "v_addr",
        "customer_name": "customer",
        "currency": "cur",
        "subtotal": "subtot",
    }
    names = [short.get(name, name) for name in FIELD_NAMES]
    print(f"| set | docs | {' | '.join(names)} | items F1 | s/doc |")
    print("|" + "---|" * (len(names) + 4))
    for label, tally in rows:
        cells = [_cell(tally.accuracy(name)) for name in FIELD_NAMES]
        seconds = tally.seconds / max(tally.documents, 1)
        print(f"| {label} | {tally.documents} | {' | '.join(cells)} | {_cell(tally.item_f1())} | {seconds:.2f} |")


def _report(tallies: dict[str, Tally], sroie: Tally | None) -> dict:
    def one(tally: Tally) -> dict:
        return {
            "documents": tally.documents,
            "accuracy": {name: tally.accuracy(name) for name in FIELD_NAMES if tally.accuracy(name) is not None},
            "counts": {name: dict(counts) for name, counts in tally.counts.items()},
            "line_item_f1": tally.item_f1(),
            "seconds_per_document": tally.seconds / max(tally.documents, 1),
        }

    return {"synthetic": {key: one(value) for key, value in tallies.items()}, "sroie": one(sroie) if sroie else None}


def _build_recognizer() -> Recognize:
    from invoice_ocr.config import Settings
    from invoice_ocr.engine.paddle import build_engine

    engine, _ = build_engine(Settings())
    return engine.recognize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", choices=sorted(SEED_SETS), default="tune")
    parser.add_argument("--n", type=int, default=216, help="documents (spread evenly over the families)")
    parser.add_argument("--engine", choices=["ocr", "truth"], default="ocr")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    recognize = _build_recognizer() if args.engine == "ocr" else None
    first = SEED_SETS[args.seeds]
    tallies = run_synthetic(range(first, first + args.n), recognize)
    sroie = run_sroie(recognize) if (SROIE / "key").is_dir() else None
    print(f"seeds={args.seeds} n={args.n} engine={args.engine}")
    print_table(tallies, sroie)
    if args.json:
        args.json.write_text(json.dumps(_report(tallies, sroie), indent=2))


if __name__ == "__main__":
    main()
