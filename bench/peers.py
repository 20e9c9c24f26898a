"""OCR readers measured the same way: this project's engine without HTTP, and the peers
(RapidOCR with its bundled models, the Tesseract binary), each read one page at a time.

A reader takes a benchmark page (PNG bytes, decoded BGR array, exact text) and returns
the text it read; `measure` times it page after page, and scores the first pass over the
pages with word F1. Readers run one at a time, so they never share the CPU. A reader
that uses several cores by running processes side by side (Tesseract, one process per
core, as OCRmyPDF runs it) is given that many pages at once (`Reader.parallel`): its
pages/s is then pages over wall time, comparable with the service's.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cv2
import numpy as np

from bench.metrics import WordScore, word_score
from bench.render import RenderedPage, rendered_set
from invoice_ocr.config import available_cpus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchPage:
    """One benchmark page in every form a reader may want, with its exact text."""

    data: bytes  # the encoded file: PNG for renders, the original JPEG for real receipts
    image: np.ndarray  # BGR, decoded from `data`
    truth: str
    upper: bool = False  # score upper-cased (SROIE's ground truth is upper-case)


def bench_pages(count: int, seed: int = 7) -> list[BenchPage]:
    """`count` rendered invoices (first half clean, second half scan-damaged), fixed seed."""
    return [_bench_page(page) for page in rendered_set(count, seed)]


def sroie_bench_pages() -> list[BenchPage]:
    """The real SROIE receipts with their line transcripts; empty when the folder is absent."""
    from bench.models import SROIE, sroie_pages

    files = sorted((SROIE / "img").glob("*.jpg"))
    return [
        BenchPage(path.read_bytes(), image, truth, upper=True)
        for path, (image, truth) in zip(files, sroie_pages(), strict=True)
    ]


def _bench_page(page: RenderedPage) -> BenchPage:
    image = np.asarray(page.image.convert("RGB"))[:, :, ::-1].copy()
    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("could not encode a rendered page as PNG")
    return BenchPage(png.tobytes(), image, page.text)


ReadFunction = Callable[[BenchPage], str]


@dataclass
class Reader:
    """A named way to read a page; `skipped` says why it cannot run here (then `read` is None)."""

    name: str
    read: ReadFunction | None
    skipped: str = ""
    parallel: int = 1  # pages read at once (each `read` call in its own thread)


@dataclass
class Measurement:
    """Wall and CPU seconds of every page read, and the word score of the first pass.
    `wall_seconds` is set when pages were read side by side: then it, not the sum of the
    pages' seconds, is the time the pages took."""

    name: str
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    score: WordScore = field(default_factory=WordScore)
    skipped: str = ""
    parallel: int = 1
    wall_seconds: float | None = None

    @property
    def pages_per_s(self) -> float:
        return len(self.seconds) / (self.wall_seconds or sum(self.seconds)) if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.seconds, q)) if self.seconds else float("nan")

    def summary(self) -> dict:
        return {
            "name": self.name,
            "skipped": self.skipped,
            "parallel": self.parallel,
            "pages": len(self.seconds),
            "pages_per_s": self.pages_per_s,
            "p50_s": self.percentile(50),
            "p95_s": self.percentile(95),
            "p99_s": self.percentile(99),
            "cpu_s_per_page": float(np.median(self.cpu_seconds)) if self.cpu_seconds else float("nan"),
            "f1": self.score.f1,
            "precision": self.score.precision,
            "recall": self.score.recall,
        }


def _cycle(pages: list[BenchPage], seconds: float) -> Iterator[tuple[int, BenchPage]]:
    """Every page once, then round and round until `seconds` have passed."""
    deadline = time.perf_counter() + seconds
    index = 0
    while index < len(pages) or time.perf_counter() < deadline:
        yield index, pages[index % len(pages)]
        index += 1


def measure(reader: Reader, pages: list[BenchPage], seconds: float = 0.0, warmup: int = 2) -> Measurement:
    """Read `warmup` pages untimed, then every page (scored) and more until `seconds` pass,
    `reader.parallel` pages at a time."""
    result = Measurement(reader.name, skipped=reader.skipped, parallel=reader.parallel)
    if reader.read is None:
        return result
    for page in pages[:warmup]:
        reader.read(page)
    if reader.parallel > 1:
        _measure_side_by_side(reader.read, pages, seconds, reader.parallel, result)
        return result
    for index, page in _cycle(pages, seconds):
        wall, cpu = time.perf_counter(), time.process_time()
        text = reader.read(page)
        result.seconds.append(time.perf_counter() - wall)
        result.cpu_seconds.append(time.process_time() - cpu)
        if index < len(pages):
            result.score += word_score(text, page.truth, upper=page.upper)
    return result


def _measure_side_by_side(
    read: ReadFunction, pages: list[BenchPage], seconds: float, workers: int, result: Measurement
) -> None:
    """`workers` threads take the next page as soon as they are done with one. CPU seconds
    are not recorded: the work happens in child processes."""
    lock = threading.Lock()
    queue = _cycle(pages, seconds)

    def work() -> None:
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            index, page = item
            started = time.perf_counter()
            text = read(page)
            with lock:
                result.seconds.append(time.perf_counter() - started)
                if index < len(pages):
                    result.score += word_score(text, page.truth, upper=page.upper)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
    result.wall_seconds = time.perf_counter() - started


def score_pages(reader: Reader, pages: list[BenchPage]) -> WordScore:
    """Word score of one untimed pass over `pages` (the real receipts beside the renders)."""
    score = WordScore()
    for page in pages:
        score += word_score(reader.read(page), page.truth, upper=page.upper)
    return score


def paddle_reader(settings, name: str = "") -> Reader:
    """This project's engine (PaddleOCR pipeline), called directly: no HTTP, no queue.

    Each page is decoded from its file bytes with OpenCV, as `PaddleOCR.predict(path)`
    reads a file, so the loop does the work a library user's loop does. Not warmed up
    here: `measure` reads its warm-up pages first.
    """
    from invoice_ocr.engine.runtime import default_engine_factory
    from invoice_ocr.extraction.layout import reading_order_text

    engine, _ = default_engine_factory(settings)

    def read(page: BenchPage) -> str:
        image = cv2.imdecode(np.frombuffer(page.data, np.uint8), cv2.IMREAD_COLOR)
        return reading_order_text(engine.recognize([image])[0].lines)

    return Reader(name or f"paddleocr {settings.model_preset}", read)


def rapidocr_reader() -> Reader:
    """RapidOCR 1.4 (onnxruntime) with the PP-OCRv4 models inside its wheel, its defaults."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return Reader("rapidocr-onnxruntime", None, "not installed (pip install rapidocr-onnxruntime==1.4.4)")
    engine = RapidOCR()

    def read(page: BenchPage) -> str:
        lines, _ = engine(page.image)
        return "\n".join(line[1] for line in lines or [])

    return Reader("rapidocr-onnxruntime", read)


def tesseract_reader(processes: int = 1) -> Reader:
    """The Tesseract binary (`tesseract stdin stdout`), English, its default page segmentation.

    With `processes` > 1, that many pages are read at once, each by its own single-threaded
    process (`OMP_THREAD_LIMIT=1`, as OCRmyPDF runs it: Tesseract's own threads only fight
    over the cores the other processes use)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return Reader("tesseract", None, "binary not found (apt-get install tesseract-ocr tesseract-ocr-eng)")
    env = os.environ | {"OMP_THREAD_LIMIT": "1"} if processes > 1 else None

    def read(page: BenchPage) -> str:
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", "eng"],
            input=page.data,
            capture_output=True,
            check=True,
            timeout=120,
            env=env,
        )
        return done.stdout.decode("utf-8", errors="replace")

    return Reader("tesseract", read, parallel=processes)


def tesseract_per_core_reader() -> Reader:
    """Tesseract using the cores as the service does: one process per core it may use."""
    return tesseract_reader(available_cpus())


def tesseract_version() -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        return ""
    return subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
