"""Tune the CPU engine: detection input size, recognition batch size, onnxruntime threads
and memory arena, each varied alone around the defaults, against speed and word F1; then
dynamic batching (the inference worker's `max_batch` / `batch_wait_ms`) under concurrency.

    python -m bench.tuning [--pages 12] [--runs 1] [--sweeps det,rec,threads,arena,batching,profile]
                           [--seconds 10] [--no-sroie] [--json out.json]

Engine rows: word F1 on rendered invoices (exact truth) and on the real SROIE receipts
(upper-cased), median wall and CPU seconds per page after warm-up. CPU seconds (all
threads of this process) stay comparable on a busy machine when wall time does not.
Batching rows: pages/s and latency of `--concurrency` callers each submitting one page
at a time to an in-process worker (no HTTP), so only the engine call pattern differs.
Profile rows: where the milliseconds of one page go (detection, recognition, glue).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.metrics import median
from bench.peers import BenchPage, Measurement, bench_pages, measure, paddle_reader, sroie_bench_pages
from invoice_ocr.config import Settings
from invoice_ocr.engine.worker import InferenceWorker

# One factor at a time, around the defaults: (setting, values tried).
SWEEPS: dict[str, tuple[str, tuple]] = {
    "det": ("det_limit_side_len", (736, 960, 1280)),
    "rec": ("rec_batch_size", (1, 6, 16, 32)),
    "threads": ("inference_threads", (1, 0)),
    "arena": ("ort_memory_arena", (True, False)),
}
# (max_batch, batch_wait_ms) pairs for the batching sweep.
BATCHING = ((1, 0.0), (4, 5.0), (8, 10.0))
BATCHING_HEADER = (
    f"\n{'max_b':>5} {'wait ms':>7} {'clients':>7} {'pages/s':>8} {'p50 s':>7} {'p95 s':>7} "
    f"{'mean b':>6} {'cpu s/p':>7}"
)
TUNED = ("det_limit_side_len", "rec_batch_size", "inference_threads", "ort_memory_arena")


@dataclass
class EngineRow:
    variant: str
    settings: dict
    sets: dict[str, Measurement]

    def as_dict(self) -> dict:
        return {"variant": self.variant, "settings": self.settings} | {
            name: measurement.summary() for name, measurement in self.sets.items()
        }


def variants(base: Settings, sweeps: list[str]) -> list[tuple[str, dict]]:
    """The defaults first, then each swept value that differs from them."""
    rows = [("defaults", {})]
    for sweep in sweeps:
        if sweep not in SWEEPS:
            continue
        name, values = SWEEPS[sweep]
        rows += [(f"{name}={value}", {name: value}) for value in values if getattr(base, name) != value]
    return rows


def run_engine_variants(
    base: Settings, sets: dict[str, list[BenchPage]], sweeps: list[str], runs: int
) -> list[EngineRow]:
    rows = []
    for variant, overrides in variants(base, sweeps):
        settings = base.model_copy(update=overrides)
        reader = paddle_reader(settings, variant)
        measured = {}
        for set_name, pages in sets.items():
            measured[set_name] = measure(reader, pages * runs)
        rows.append(EngineRow(variant, {name: getattr(settings, name) for name in TUNED}, measured))
        print_engine_row(rows[-1], list(sets))
    return rows


def print_engine_header(set_names: list[str]) -> None:
    columns = "".join(f" {('F1 ' + name)[:14]:>14}" for name in set_names)
    print(f"{'variant':26} {'det':>5} {'recb':>4} {'thr':>3} {'arena':>5}{columns} {'wall s/p':>8} {'cpu s/p':>8}")


def print_engine_row(row: EngineRow, set_names: list[str]) -> None:
    settings = row.settings
    threads = settings["inference_threads"] or "all"
    scores = "".join(f" {row.sets[name].score.f1:14.3f}" for name in set_names)
    seconds = [s for m in row.sets.values() for s in m.seconds]
    cpu = [s for m in row.sets.values() for s in m.cpu_seconds]
    print(
        f"{row.variant:26} {settings['det_limit_side_len']:5d} {settings['rec_batch_size']:4d} {threads!s:>3} "
        f"{settings['ort_memory_arena']!s:>5}{scores} {median(seconds):8.3f} {median(cpu):8.3f}",
        flush=True,
    )


async def _closed_loop(worker: InferenceWorker, images: list[np.ndarray], concurrency: int, seconds: float):
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        index = offset
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await worker.submit([images[index % len(images)]])
            latencies.append(time.perf_counter() - started)
            index += concurrency

    started = time.perf_counter()
    await asyncio.gather(*(client(offset) for offset in range(concurrency)))
    return latencies, time.perf_counter() - started


def run_batching(base: Settings, pages: list[BenchPage], concurrency: int, seconds: float) -> list[dict]:
    """Pages/s of the in-process worker per (max_batch, batch_wait_ms), one engine for all."""
    from invoice_ocr.engine.runtime import build_warm_engine

    engine = build_warm_engine(base)
    images = [page.image for page in pages]
    rows = []
    print(BATCHING_HEADER)
    for max_batch, wait_ms in BATCHING:
        worker = InferenceWorker([engine], queue_size=4 * concurrency, max_batch=max_batch, batch_wait_ms=wait_ms)
        worker.start()
        cpu = time.process_time()
        latencies, elapsed = asyncio.run(_closed_loop(worker, images, concurrency, seconds))
        worker.stop(timeout=60)
        cpu = time.process_time() - cpu
        row = {
            "max_batch": max_batch,
            "batch_wait_ms": wait_ms,
            "concurrency": concurrency,
            "pages": len(latencies),
            "pages_per_s": len(latencies) / elapsed,
            "cpu_s_per_page": cpu / len(latencies),
            "p50_s": float(np.percentile(latencies, 50)),
            "p95_s": float(np.percentile(latencies, 95)),
            "mean_batch": float(np.mean(worker.batch_sizes)) if worker.batch_sizes else 0.0,
        }
        rows.append(row)
        print(
            f"{max_batch:5d} {wait_ms:7.1f} {concurrency:7d} {row['pages_per_s']:8.2f} {row['p50_s']:7.2f} "
            f"{row['p95_s']:7.2f} {row['mean_batch']:6.2f} {row['cpu_s_per_page']:7.3f}",
            flush=True,
        )
    return rows


class StageTimer:
    """Wall seconds spent in wrapped callables, per stage name."""

    def __init__(self) -> None:
        self.totals: Counter[str] = Counter()

    def wrap(self, owner: object, attribute: str, stage: str) -> None:
        inner = getattr(owner, attribute)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.totals[stage] += time.perf_counter() - started

        setattr(owner, attribute, timed)


def run_profile(base: Settings, pages: list[BenchPage]) -> dict[str, float]:
    """Milliseconds per page in each stage of the pipeline, on a throw-away engine whose
    detector and recogniser are wrapped with timers (PaddleX predictors: `process` is
    pre-processing + model + post-processing, `runner` the onnxruntime call alone)."""
    from invoice_ocr.engine.runtime import build_warm_engine

    engine = build_warm_engine(base)
    pipeline = engine._pipeline.paddlex_pipeline
    timer = StageTimer()
    for stage, predictor in (("det", pipeline.text_det_model), ("rec", pipeline.text_rec_model)):
        timer.wrap(predictor, "process", f"{stage} total")
        timer.wrap(predictor, "runner", f"{stage} model")
    timer.wrap(engine, "recognize", "page")
    for page in pages:
        engine.recognize([page.image])
    ms = {stage: 1000 * seconds / len(pages) for stage, seconds in timer.totals.items()}
    stages = {
        "detection model (onnxruntime)": ms["det model"],
        "detection pre/post-processing": ms["det total"] - ms["det model"],
        "recognition model (onnxruntime)": ms["rec model"],
        "recognition pre/post-processing": ms["rec total"] - ms["rec model"],
        "pipeline glue (crops, sorting, results)": ms["page"] - ms["det total"] - ms["rec total"],
        "whole page": ms["page"],
    }
    print(f"\n{'stage (ms per page)':42} {'ms':>8} {'share':>6}")
    for stage, value in stages.items():
        print(f"{stage:42} {value:8.1f} {value / ms['page']:6.1%}")
    return stages


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12, help="rendered pages (half clean, half damaged)")
    parser.add_argument("--runs", type=int, default=1, help="passes over the pages per variant")
    parser.add_argument("--sweeps", default="det,rec,threads,arena,batching,profile", help="comma-separated sweeps")
    parser.add_argument("--preset", default=Settings.model_fields["model_preset"].default, help="model preset")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per batching configuration")
    parser.add_argument("--concurrency", type=int, default=4, help="callers in the batching sweep")
    parser.add_argument("--no-sroie", action="store_true", help="skip the real SROIE receipts")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    logging.disable(logging.WARNING)
    base = Settings(device="cpu", model_preset=args.preset, warmup=False)
    sweeps = args.sweeps.split(",")
    sets = {"renders": bench_pages(args.pages)}
    if not args.no_sroie and (receipts := sroie_bench_pages()):
        sets["sroie"] = receipts
    load = os.getloadavg()[0]
    print(f"# bench.tuning: preset {args.preset}, {os.cpu_count()} CPUs, load {load:.1f}, ", end="")
    print(", ".join(f"{name} {len(pages)} pages" for name, pages in sets.items()))
    print_engine_header(list(sets))
    engine_rows = run_engine_variants(base, sets, sweeps, args.runs)
    batching = run_batching(base, sets["renders"], args.concurrency, args.seconds) if "batching" in sweeps else []
    profile = run_profile(base, sets["renders"]) if "profile" in sweeps else {}
    if args.json:
        report = {
            "preset": args.preset,
            "cpus": os.cpu_count(),
            "load_at_start": load,
            "engine": [row.as_dict() for row in engine_rows],
            "batching": batching,
            "profile_ms_per_page": profile,
        }
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
