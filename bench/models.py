"""Choose the default model preset: word accuracy and speed of every preset on rendered
invoices (clean and damaged) and on the real SROIE receipts.

    python -m bench.models [--renders 16] [--presets pp-ocrv6-tiny,...] [--space-priors 1,4,16]
                           [--cascade-thresholds 0.9,0.97] [--receipts N]
                           [--engine onnxruntime|openvino] [--precision auto|bf16|f32] [--json out.json]

Real receipts: the six of `sroie-sample/` (`sroie-real`) and the 80 of `sroie-dev/`, as
its fixed tuning and reporting halves (`sroie-dev-tune`, `sroie-dev-report`; see
bench/real_sets.py). Prints, per preset and per set, word precision/recall/F1 (SROIE
task-2 style: multiset of white-space words; both sides upper-cased for SROIE, whose
ground truth is upper-case) and the median wall and CPU seconds per page after warm-up,
then one weighted F1 per preset that chooses (the tuning receipts weigh as much as both
rendered sets together; the reporting half and the sample weigh nothing) beside the
reporting half's F1, which is only for quoting. `--space-priors` measures each preset
once per recogniser space prior (engine/spacing.py; 1 is off) instead of only at the
preset's own value; `--cascade-thresholds` measures a cascade preset once per
OCR_CASCADE_THRESHOLD instead of only at the default. `--engine openvino` reads with
OpenVINO (`--precision` is OCR_OPENVINO_PRECISION); every row records the engine and
precision that really ran.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np

from bench.metrics import WordScore, median, word_score
from bench.real_sets import Half, half_of
from bench.render import rendered_set
from invoice_ocr.config import Settings
from invoice_ocr.engine.models import PRESETS, get_preset
from invoice_ocr.engine.runtime import build_warm_engine
from invoice_ocr.extraction.layout import reading_order_text

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SROIE = DATA / "sroie-sample"
SROIE_DEV = DATA / "sroie-dev"


def sroie_pages(folder: Path = SROIE, half: Half | None = None) -> list[tuple[np.ndarray, str]]:
    """The receipts of a SROIE folder with their line transcripts; only one half of it
    (bench/real_sets.py's fixed split, by the folder's set name) when `half` is given."""
    import cv2

    pages = []
    for image_path in sorted((folder / "img").glob("*.jpg")):
        if half is not None and half_of(folder.name, image_path.stem) != half:
            continue
        rows = (folder / "box" / f"{image_path.stem}.csv").read_text(errors="replace").splitlines()
        truth = "\n".join(row.split(",", 8)[8] for row in rows if row.count(",") >= 8)
        pages.append((cv2.imread(str(image_path)), truth))
    return pages


def render_pages(count: int, clean: bool) -> list[tuple[np.ndarray, str]]:
    pages = rendered_set(count)
    chosen = pages[: count // 2] if clean else pages[count // 2 :]
    return [(np.asarray(page.image.convert("RGB"))[:, :, ::-1].copy(), page.text) for page in chosen]


def evaluate(engine, pages: list[tuple[np.ndarray, str]], upper: bool) -> tuple[WordScore, float, float]:
    """Word score, and median wall and CPU seconds per page (CPU seconds count every
    thread of the process: they say more than wall time on a shared machine)."""
    score, seconds, cpu_seconds = WordScore(), [], []
    for image, truth in pages:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = engine.recognize([image])[0]
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
        score += word_score(reading_order_text(result.lines), truth, upper=upper)
    return score, median(seconds), median(cpu_seconds)


def real_sets(limit: int | None = None) -> dict[str, tuple[list[tuple[np.ndarray, str]], bool]]:
    """The SROIE sets that are here (upper-cased scoring), at most `limit` receipts each;
    says which are not."""
    sets = {}
    for name, folder, half in (
        ("sroie-real", SROIE, None),
        ("sroie-dev-tune", SROIE_DEV, "tune"),
        ("sroie-dev-report", SROIE_DEV, "report"),
    ):
        if (folder / "img").is_dir():
            sets[name] = (sroie_pages(folder, half)[:limit], True)
        else:
            print(f"(skipping {name}: {folder} not found)")
    return sets


def variants(preset: str, priors: list[float | None], thresholds: list[float | None]) -> list[tuple[str, dict]]:
    """(label, Settings overrides) for each way a preset is measured: per space prior,
    and for a cascade preset per threshold too."""
    cascade = get_preset(preset).second_rec is not None
    result = []
    for prior in priors:
        for threshold in thresholds if cascade else [None]:
            label = preset + (f" x{prior:g}" if prior else "") + (f" @{threshold:g}" if threshold is not None else "")
            overrides = {"rec_space_prior": prior} | ({"cascade_threshold": threshold} if threshold is not None else {})
            result.append((label, overrides))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--renders", type=int, default=16, help="rendered pages (half clean, half damaged)")
    parser.add_argument("--presets", default=",".join(PRESETS), help="comma-separated preset names")
    parser.add_argument("--space-priors", default="", help="comma-separated space priors (default: the preset's)")
    parser.add_argument(
        "--cascade-thresholds", default="", help="comma-separated cascade thresholds (default: the setting's default)"
    )
    parser.add_argument("--receipts", type=int, help="at most this many receipts per real set (a quick run)")
    parser.add_argument(
        "--engine",
        default=Settings.model_fields["engine"].default,
        choices=("onnxruntime", "openvino"),
        help="OCR_ENGINE",
    )
    parser.add_argument("--precision", default="auto", choices=("auto", "bf16", "f32"), help="OpenVINO precision")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    sets = {
        "renders-clean": (render_pages(args.renders, clean=True), False),
        "renders-damaged": (render_pages(args.renders, clean=False), False),
    }
    sets |= real_sets(args.receipts)

    rows = []
    priors = [float(value) for value in args.space_priors.split(",") if value] or [None]
    thresholds = [float(value) for value in args.cascade_thresholds.split(",") if value] or [None]
    print(f"{'preset':36} {'set':16} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'s/page':>7} {'CPU s':>6}  engine")
    for preset in args.presets.split(","):
        for label, overrides in variants(preset, priors, thresholds):
            engine = build_warm_engine(
                Settings(
                    model_preset=preset,
                    device="cpu",
                    engine=args.engine,
                    openvino_precision=args.precision,
                    **overrides,
                )
            )
            for set_name, (pages, upper) in sets.items():
                rows.append(measure_set(engine, label, set_name, pages, upper))
    print_choice(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


def measure_set(engine, label: str, set_name: str, pages: list, upper: bool) -> dict:
    score, seconds, cpu_seconds = evaluate(engine, pages, upper)
    ran = f"{engine.info.engine} {getattr(engine.info, 'precision', '')}".strip()
    row = {
        "preset": label,
        "engine": ran,
        "set": set_name,
        "pages": len(pages),
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
        "words": {"matched": score.matched, "predicted": score.predicted, "expected": score.expected},
        "median_s_per_page": seconds,
        "median_cpu_s_per_page": cpu_seconds,
    }
    print(
        f"{label:36} {set_name:16} {len(pages):5d} {score.precision:6.3f} {score.recall:6.3f} "
        f"{score.f1:6.3f} {seconds:7.2f} {cpu_seconds:6.2f}  {ran}",
        flush=True,
    )
    return row


# Real scans are what users send: the tuning receipts count as much as both rendered sets
# together. The reporting half never chooses; the six sample receipts, on which the space
# priors were chosen, are shown for comparison with earlier tables.
SET_WEIGHTS = {"sroie-dev-tune": 0.5, "renders-clean": 0.25, "renders-damaged": 0.25}
REPORT_SET = "sroie-dev-report"


def print_choice(rows: list[dict]) -> None:
    """One line per preset: the weighted F1 that picks the default, the reporting half's
    F1 (for quoting only), and its speed."""
    print(f"\n{'preset':36} {'weighted F1':>11} {'F1 report':>9} {'s/page':>7} {'CPU s':>6}")
    for preset in dict.fromkeys(row["preset"] for row in rows):
        mine = [row for row in rows if row["preset"] == preset]
        chosen = [row for row in mine if row["set"] in SET_WEIGHTS]
        weights = sum(SET_WEIGHTS[row["set"]] for row in chosen)
        weighted = sum(SET_WEIGHTS[row["set"]] * row["f1"] for row in chosen) / weights
        report = next((f"{row['f1']:9.3f}" for row in mine if row["set"] == REPORT_SET), f"{'-':>9}")
        seconds = median([row["median_s_per_page"] for row in mine])
        cpu_seconds = median([row["median_cpu_s_per_page"] for row in mine])
        print(f"{preset:36} {weighted:11.3f} {report} {seconds:7.2f} {cpu_seconds:6.2f}")


if __name__ == "__main__":
    main()
