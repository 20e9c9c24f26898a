"""Where a request's milliseconds go besides the text models: one A4 page through each
stage of the service's path, timed apart.

    python -m bench.overhead [--pages 6] [--repeats 5] [--json out.json]

Every stage gets the same rendered A4 invoices (150 dpi, 1240×1754) as JPEG files, the
way phones and scanners send them. Rows, each the median over pages × repeats of the ms
for one page (after one warm-up pass):

- `sniff + budgets`: `count_pages` (type by magic bytes, header sizes, page budgets)
- `decode in process`: `load_pages` in this process (Pillow decode, EXIF, RGB array)
- `decode in sandbox`: the same through the decode sandbox (bytes to a worker process,
  the array back through /dev/shm), as the service runs it by default
- `orientation`: the page-orientation classifier (`engine/orientation.py`) on the array
- `response`: `ocr_response` + JSON for the page's lines (the lines the default engine
  read on the page, cached once up front)
- `HTTP request, null engine`: a whole `POST /ocr/` through the real app (multipart,
  routing, sandbox decode, queue, response) with an engine that answers at once with those
  lines, orientation off, result cache off; the rest of a request's time is the models'
- `HTTP request, null engine, no sandbox`: the same with `OCR_DECODE_SANDBOX=false`

The text models' own time per page (detection + recognition at the default preset) is
printed beside them for scale. The in-process HTTP client is Starlette's TestClient, so
the HTTP rows leave out uvicorn's own parsing and socket time.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from bench.render import render_invoice
from invoice_ocr.api.app import create_app
from invoice_ocr.api.convert import ocr_response
from invoice_ocr.config import Settings
from invoice_ocr.documents import count_pages, load_pages
from invoice_ocr.documents.sandbox import get_sandbox
from invoice_ocr.engine.base import EngineInfo
from invoice_ocr.engine.device import DeviceReport
from invoice_ocr.engine.orientation import get_orientation_classifier
from invoice_ocr.page import OcrPage
from invoice_ocr.pipeline import PipelineOptions, RecognizedPage

CPU = DeviceReport(requested="cpu", current_device="cpu", cuda_available=False)


class NullEngine:
    """Answers every page at once with the same lines: the service's path without models."""

    def __init__(self, page: OcrPage) -> None:
        self._page = page
        self.info = EngineInfo(engine="null", model="null", device="cpu", using_gpu=False)

    def recognize(self, images: list[np.ndarray]) -> list[OcrPage]:
        return [OcrPage(image.shape[1], image.shape[0], list(self._page.lines)) for image in images]


def jpeg_pages(count: int, seed: int = 11) -> list[bytes]:
    rng = random.Random(seed)
    pages = []
    for _ in range(count):
        buffer = io.BytesIO()
        render_invoice(rng).image.save(buffer, "JPEG", quality=90)
        pages.append(buffer.getvalue())
    return pages


def median_ms(step: Callable[[bytes], object], files: list[bytes], repeats: int) -> float:
    for data in files:  # warm-up: imports, worker start, first-call costs
        step(data)
    samples = []
    for _ in range(repeats):
        for data in files:
            started = time.perf_counter()
            step(data)
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def http_client(page: OcrPage, **overrides: object) -> TestClient:
    settings = Settings(device="cpu", warmup=False, orientation=False, cache_max_entries=0, **overrides)
    app = create_app(settings, engine_factory=lambda _settings: (NullEngine(page), CPU))
    return TestClient(app)


def post(client: TestClient, data: bytes) -> None:
    answer = client.post("/ocr/", files={"file": ("page.jpg", data)})
    answer.raise_for_status()


def model_ms(files: list[bytes], options: PipelineOptions) -> tuple[float, OcrPage]:
    """The default engine's median ms per page, and what it read on the first page."""
    from invoice_ocr.engine.paddle import build_engine

    engine, _ = build_engine(Settings(device="cpu", orientation=False))
    arrays = [load_pages(data, options.limits)[0].image for data in files]
    first = engine.recognize([arrays[0]])[0]
    samples = []
    for image in arrays:
        started = time.perf_counter()
        engine.recognize([image])
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), first


def measure(pages: int, repeats: int) -> dict[str, float]:
    files = jpeg_pages(pages)
    settings = Settings(device="cpu")
    options = PipelineOptions.from_settings(settings)
    models, lines_page = model_ms(files, options)
    sandbox = get_sandbox(options.sandbox)
    classifier = get_orientation_classifier()
    arrays = {data: load_pages(data, options.limits)[0].image for data in files}
    recognized = [RecognizedPage(1, lines_page)]
    info = EngineInfo(engine="null", model="null", device="cpu", using_gpu=False)
    rows = {
        "sniff + budgets": median_ms(lambda data: count_pages(data, options.limits), files, repeats),
        "decode in process": median_ms(lambda data: load_pages(data, options.limits), files, repeats),
        "decode in sandbox": median_ms(lambda data: sandbox.call(load_pages, data, options.limits), files, repeats),
        "orientation": median_ms(lambda data: classifier.rotation(arrays[data]), files, repeats),
        "response": median_ms(lambda _data: ocr_response(recognized, info, 0.0).model_dump_json(), files, repeats),
    }
    with http_client(lines_page) as client:
        rows["HTTP request, null engine"] = median_ms(lambda data: post(client, data), files, repeats)
    with http_client(lines_page, decode_sandbox=False) as client:
        rows["HTTP request, null engine, no sandbox"] = median_ms(lambda data: post(client, data), files, repeats)
    rows[f"text models ({settings.model_preset}, for scale)"] = models
    rows["lines on the page"] = float(len(lines_page.lines))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = measure(args.pages, args.repeats)
    print(f"pages={args.pages} repeats={args.repeats} (A4 JPEG, 1240×1754)\n")
    print("| stage | ms per page (median) |\n|---|---|")
    for name, value in rows.items():
        print(f"| {name} | {value:.0f} |" if name != "lines on the page" else f"| {name} | {value:.0f} lines |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
