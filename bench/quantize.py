"""Probe: the default recogniser quantised to int8 (NNCF post-training quantisation for
OpenVINO) against the recogniser as the service runs it, on the same pages, in one run.

    python -m bench.quantize [--calibration-pages 24] [--samples 300] [--renders 16] [--json out.json]

Not a service feature: `nncf` is no dependency of the project. Install it beside the
venv to run this (`pip install --target .nncf --no-deps nncf==3.4.0 tabulate==0.10.0
networkx==3.6.1 safetensors==0.8.0 scipy==1.17.1`, then `PYTHONPATH=.nncf`; the folder is
git-ignored); without it the script says so and exits 0.

1. Calibration: the recogniser's inputs (line crops as PaddleX prepares them, width
   padded to the engine's buckets) captured while the engine reads `--calibration-pages`
   rendered invoices of their own seed (not the scored renders, no real receipt).
2. Quantisation: `nncf.quantize` on the preset's recogniser, as a transformer model (its
   SVTR blocks have attention), the classifier head (the graph's last MatMul) left in
   float: quantised too, every line read as noise.
3. Scoring: word F1 and median seconds per page of the engine with its own recogniser,
   then with the int8 one swapped in (same detector, decoder and space prior), on the
   renders of `bench.models` (clean and damaged) and the real SROIE receipts (the
   sroie-dev halves; bench/real_sets.py's fixed split). Decide on the tuning half; the
   reporting half is for quoting.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from bench.models import SROIE_DEV, evaluate, render_pages, sroie_pages
from bench.peers import bench_pages
from invoice_ocr.config import Settings
from invoice_ocr.engine import openvino as ov_engine
from invoice_ocr.engine.runtime import build_warm_engine

CALIBRATION_SEED = 13


class CapturingSession:
    """Passes calls through to a recogniser session and keeps each input as the model
    receives it (padded to the width bucket)."""

    def __init__(self, session: ov_engine.BucketedWidthSession) -> None:
        self._session = session
        self.inputs: list[np.ndarray] = []

    def get_inputs(self) -> list[Any]:
        return self._session.get_inputs()

    def get_outputs(self) -> list[Any]:
        return self._session.get_outputs()

    def run(self, output_names: Any, feeds: dict[str, np.ndarray], *rest: Any) -> list[np.ndarray]:
        ((_, batch),) = feeds.items()
        self.inputs.append(ov_engine.pad_to_bucket(batch, self._session.bucket).astype(np.float32))
        return self._session.run(output_names, feeds, *rest)


def recogniser_runner(engine: Any) -> Any:
    """The PaddleX runner of the engine's text recogniser (through the orientation
    wrapper and the PaddleOCR object the engine holds)."""
    pipeline = engine._engine._pipeline  # bench-only reach into the engine's objects
    return dict(ov_engine.onnx_runners(pipeline))[ov_engine.RECOGNISER]


def quantized_recogniser(model_path: Path, samples: list[np.ndarray], threads: int) -> ov_engine.BucketedWidthSession:
    import nncf
    import openvino

    core = openvino.Core()
    model = core.read_model(str(model_path))
    head = [op.get_friendly_name() for op in model.get_ordered_ops() if op.get_type_name() == "MatMul"][-1]
    quantized = nncf.quantize(
        model,
        nncf.Dataset(samples),
        subset_size=len(samples),
        model_type=nncf.ModelType.TRANSFORMER,
        ignored_scope=nncf.IgnoredScope(names=[head]),
    )
    compiled = core.compile_model(quantized, "CPU", ov_engine.compile_config("f32", threads))
    session = ov_engine.BucketedWidthSession(ov_engine.OpenVinoSession(compiled))
    session.warm(ov_engine.WARM_WIDTHS)
    return session


def scored_sets(renders: int) -> dict[str, tuple[list[tuple[np.ndarray, str]], bool]]:
    sets = {
        "renders-clean": (render_pages(renders, True), False),
        "renders-damaged": (render_pages(renders, False), False),
    }
    if (SROIE_DEV / "img").is_dir():
        for half in ("tune", "report"):
            sets[f"sroie-dev-{half}"] = (sroie_pages(SROIE_DEV, half), True)
    else:
        print(f"(skipping the real receipts: {SROIE_DEV} not found)")
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calibration-pages", type=int, default=24)
    parser.add_argument("--samples", type=int, default=300, help="calibration line crops (drawn from those captured)")
    parser.add_argument("--renders", type=int, default=16)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    try:
        import nncf  # noqa: F401
    except ImportError:
        print("skipped: nncf is not installed (see this script's docstring)")
        return

    settings = Settings(engine="openvino")
    engine = build_warm_engine(settings)
    runner = recogniser_runner(engine)
    own = runner.session
    runner.session = capturing = CapturingSession(own)
    for page in bench_pages(args.calibration_pages, seed=CALIBRATION_SEED):
        engine.recognize([cv2.imdecode(np.frombuffer(page.data, np.uint8), cv2.IMREAD_COLOR)])
    samples = random.Random(0).sample(capturing.inputs, min(args.samples, len(capturing.inputs)))
    int8 = quantized_recogniser(
        Path(runner.model_dir) / f"{runner.model_file_prefix}.onnx", samples, settings.cpu_threads
    )

    precision = getattr(engine.info, "precision", "f32")
    rows = []
    for name, (pages, upper) in scored_sets(args.renders).items():
        for label, session in ((precision, own), ("int8", int8)):
            runner.session = session
            score, seconds, cpu_seconds = evaluate(engine, pages, upper)
            rows.append(
                {
                    "set": name,
                    "recogniser": label,
                    "pages": len(pages),
                    "f1": score.f1,
                    "s_page": seconds,
                    "cpu_s_page": cpu_seconds,
                }
            )
    print(
        f"\nbench.quantize: {settings.model_preset}, calibration {len(samples)} of {len(capturing.inputs)} line crops"
    )
    print("| set | recogniser | pages | word F1 | s/page | CPU s/page |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        figures = f"{row['f1']:.3f} | {row['s_page']:.3f} | {row['cpu_s_page']:.3f}"
        print(f"| {row['set']} | {row['recogniser']} | {row['pages']} | {figures} |")
    if args.json:
        args.json.write_text(json.dumps({"preset": settings.model_preset, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
