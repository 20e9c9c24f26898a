"""Choose the default model preset: word accuracy and speed of every preset on rendered
invoices (clean and damaged) and on the real SROIE receipts.

    python -m bench.models [--renders 16] [--presets pp-ocrv6-tiny,...] [--space-priors 1,4,16]
                           [--engine onnxruntime|openvino] [--precision auto|bf16|f32] [--json out.json]

Prints, per preset and per set, word precision/recall/F1 (SROIE task-2 style: multiset of
white-space words; both sides upper-cased for SROIE, whose ground truth is upper-case)
and the median seconds per page after warm-up, then one weighted F1 per preset (real
receipts weigh as much as both rendered sets together). `--space-priors` measures each
preset once per recogniser space prior (engine/spacing.py; 1 is off) instead of only at
the preset's own value. `--engine openvino` reads with OpenVINO (`--precision` is
OCR_OPENVINO_PRECISION); every row records the engine and precision that really ran.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np

from bench.metrics import WordScore, median, word_score
from bench.render import rendered_set
from invoice_ocr.config import Settings
from invoice_ocr.engine.models import PRESETS
from invoice_ocr.engine.runtime import build_warm_engine
from invoice_ocr.extraction.layout import reading_order_text

SROIE = Path(__file__).resolve().parents[2] / "shared" / "data" / "sroie-sample"


def sroie_pages() -> list[tuple[np.ndarray, str]]:
    import cv2

    pages = []
    for image_path in sorted((SROIE / "img").glob("*.jpg")):
        rows = (SROIE / "box" / f"{image_path.stem}.csv").read_text(errors="replace").splitlines()
        truth = "\n".join(row.split(",", 8)[8] for row in rows if row.count(",") >= 8)
        pages.append((cv2.imread(str(image_path)), truth))
    return pages


def render_pages(count: int, clean: bool) -> list[tuple[np.ndarray, str]]:
    pages = rendered_set(count)
    chosen = pages[: count // 2] if clean else pages[count // 2 :]
    return [(np.asarray(page.image.convert("RGB"))[:, :, ::-1].copy(), page.text) for page in chosen]


def evaluate(engine, pages: list[tuple[np.ndarray, str]], upper: bool) -> tuple[WordScore, float]:
    score, seconds = WordScore(), []
    for image, truth in pages:
        started = time.perf_counter()
        result = engine.recognize([image])[0]
        seconds.append(time.perf_counter() - started)
        score += word_score(reading_order_text(result.lines), truth, upper=upper)
    return score, median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--renders", type=int, default=16, help="rendered pages (half clean, half damaged)")
    parser.add_argument("--presets", default=",".join(PRESETS), help="comma-separated preset names")
    parser.add_argument("--space-priors", default="", help="comma-separated space priors (default: the preset's)")
    parser.add_argument("--engine", default="onnxruntime", choices=("onnxruntime", "openvino"), help="OCR_ENGINE")
    parser.add_argument("--precision", default="auto", choices=("auto", "bf16", "f32"), help="OpenVINO precision")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    sets = {
        "renders-clean": (render_pages(args.renders, clean=True), False),
        "renders-damaged": (render_pages(args.renders, clean=False), False),
    }
    if (SROIE / "img").is_dir():
        sets["sroie-real"] = (sroie_pages(), True)
    else:
        print(f"(skipping real receipts: {SROIE} not found)")

    rows = []
    priors = [float(value) for value in args.space_priors.split(",") if value] or [None]
    print(f"{'preset':36} {'set':16} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'s/page':>7}  engine")
    for preset in args.presets.split(","):
        for prior in priors:
            engine = build_warm_engine(
                Settings(
                    model_preset=preset,
                    device="cpu",
                    rec_space_prior=prior,
                    engine=args.engine,
                    openvino_precision=args.precision,
                )
            )
            label = f"{preset} x{prior:g}" if prior else preset
            for set_name, (pages, upper) in sets.items():
                rows.append(measure_set(engine, label, set_name, pages, upper))
    print_choice(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


def measure_set(engine, label: str, set_name: str, pages: list, upper: bool) -> dict:
    score, seconds = evaluate(engine, pages, upper)
    ran = f"{engine.info.engine} {getattr(engine.info, 'precision', '')}".strip()
    row = {
        "preset": label,
        "engine": ran,
        "set": set_name,
        "pages": len(pages),
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
        "median_s_per_page": seconds,
    }
    print(
        f"{label:36} {set_name:16} {len(pages):5d} {score.precision:6.3f} {score.recall:6.3f} "
        f"{score.f1:6.3f} {seconds:7.2f}  {ran}",
        flush=True,
    )
    return row


# Real scans are what users send: they count as much as both rendered sets together.
SET_WEIGHTS = {"sroie-real": 0.5, "renders-clean": 0.25, "renders-damaged": 0.25}


def print_choice(rows: list[dict]) -> None:
    """One line per preset: the weighted F1 that picks the default, and its speed."""
    print(f"\n{'preset':36} {'weighted F1':>11} {'s/page':>7}")
    for preset in dict.fromkeys(row["preset"] for row in rows):
        mine = [row for row in rows if row["preset"] == preset]
        weights = sum(SET_WEIGHTS[row["set"]] for row in mine)
        weighted = sum(SET_WEIGHTS[row["set"]] * row["f1"] for row in mine) / weights
        print(f"{preset:36} {weighted:11.3f} {median([row['median_s_per_page'] for row in mine]):7.2f}")


if __name__ == "__main__":
    main()
