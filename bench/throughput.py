"""Service throughput against the library it wraps and against its peers, in one run.

    python -m bench.throughput [--seconds 20] [--levels 1,2,4,8] [--pages 8] [--preset NAME]
                               [--engine onnxruntime|openvino] [--also-preset pp-ocrv6-tiny] [--no-peers]
                               [--server-env K=V] [--json out.json]

1. The raw library loop: `build_engine(Settings(...))` then `engine.recognize([image])`
   page after page in this process (no HTTP, no queue), same preset, engine and settings.
2. The peers, one at a time: RapidOCR (onnxruntime, the models inside its wheel, which
   spreads one page over the cores itself) and the Tesseract binary, one single-threaded
   process per core reading pages side by side (Tesseract's way of using the cores the
   service uses; its "clients" column is the number of processes); a missing one is
   skipped with the reason in the table.
3. The real server (`uvicorn app:app`, as `make run` starts it, on a free port, CPU only,
   result cache off so repeated pages are really read) driven closed-loop by 1, 2, 4 and
   8 concurrent clients for `--seconds` each, with the peak RSS of the server process.
Steps 1-2 run while no server is up, so nothing shares the CPU. Every reader gets the
same rendered invoices (fixed seed, half scan-damaged), as PNG files it decodes itself,
and is scored with word F1; the targets are judged on those. Where ../shared/data is
present every reader is also scored, untimed, on the real SROIE receipts ("real F1"):
clean renders flatter Tesseract, real scans do not.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
import numpy as np
import psutil

from bench.metrics import WordScore, word_score
from bench.peers import (
    BenchPage,
    Reader,
    bench_pages,
    measure,
    paddle_reader,
    rapidocr_reader,
    score_pages,
    sroie_bench_pages,
    tesseract_per_core_reader,
    tesseract_version,
)
from invoice_ocr.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PRESET = Settings.model_fields["model_preset"].default
DEFAULT_ENGINE = Settings.model_fields["engine"].default
MIB = 1024 * 1024
# Targets of issue P5: service vs raw library, and vs the peers at equal or better F1.
MIN_THROUGHPUT_RATIO, MAX_P95_RATIO = 0.95, 1.10
MIN_SPEEDUP = {"rapidocr-onnxruntime": 1.5, "tesseract": 2.0}


class RssSampler:
    """Samples the RSS of a process and its children in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self._process = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self.peak = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def current(self) -> int:
        """Bytes resident now, the process and all its children."""
        total = 0
        for process in [self._process, *self._process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def reset_peak(self) -> None:
        self.peak = self.current()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.peak = max(self.peak, self.current())
            except psutil.NoSuchProcess:
                return

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Server:
    url: str
    pid: int
    rss: RssSampler
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(preset: str, extra: dict[str, str], engine: str = DEFAULT_ENGINE) -> dict[str, str]:
    """The environment of the benchmarked server: CPU, no result cache, no auth or limits."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("OCR_")}
    # The cache would answer repeated pages without reading them.
    env |= {"OCR_DEVICE": "cpu", "OCR_MODEL_PRESET": preset, "OCR_ENGINE": engine, "OCR_CACHE_MAX_ENTRIES": "0"}
    return env | extra


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before it was ready")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the server was not healthy within {timeout:.0f} s")


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so `running_server` still stops its server."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


@contextmanager
def running_server(env: dict[str, str], startup_timeout: float = 300) -> Iterator[Server]:
    """`uvicorn app:app` (as `make run`) on a free local port, until the block ends."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-server-", suffix=".log")[1])
    command = [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    sampler = RssSampler(process.pid)
    try:
        _wait_healthy(url, process, startup_timeout)
        yield Server(url, process.pid, sampler, log)
    finally:
        sampler.stop()
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def post_file(client: httpx.Client, data: bytes, name: str = "page.png") -> httpx.Response:
    return client.post("/ocr/", files={"file": (name, data, "application/octet-stream")})


@dataclass
class LevelResult:
    """One closed-loop run: latencies of successful requests, counts of every status."""

    concurrency: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    peak_rss: int = 0

    def summary(self) -> dict:
        ok = len(self.latencies)
        return {
            "concurrency": self.concurrency,
            "requests_ok": ok,
            "statuses": dict(self.statuses),
            "pages_per_s": ok / self.seconds if self.seconds else 0.0,
            "p50_s": _percentile(self.latencies, 50),
            "p95_s": _percentile(self.latencies, 95),
            "p99_s": _percentile(self.latencies, 99),
            "peak_rss_mb": self.peak_rss / MIB,
        }


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def closed_loop(server: Server, pages: list[BenchPage], concurrency: int, seconds: float) -> LevelResult:
    """`concurrency` clients, each sending its next page as soon as the last one returned."""
    result = LevelResult(concurrency)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=server.url, timeout=600) as http:
            index = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                status = post_file(http, pages[index % len(pages)].data).status_code
                with lock:
                    result.statuses[status] += 1
                    if status == 200:
                        result.latencies.append(time.perf_counter() - started)
                index += concurrency

    server.rss.reset_peak()
    started = time.perf_counter()
    run_threads(client, concurrency)
    result.seconds = time.perf_counter() - started
    result.peak_rss = server.rss.peak
    return result


def run_threads(target: Callable[[int], None], count: int) -> None:
    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def sequential_pass(server: Server, pages: list[BenchPage]) -> tuple[WordScore, float]:
    """One pass over the pages, one at a time (it also warms the HTTP path up): the
    service's word score, and the median milliseconds a request spends outside the route
    handler (HTTP, multipart parsing, JSON encoding: client latency - processing_time_ms)."""
    score, outside_ms = WordScore(), []
    with httpx.Client(base_url=server.url, timeout=600) as http:
        for page in pages:
            started = time.perf_counter()
            response = post_file(http, page.data)
            response.raise_for_status()
            body = response.json()
            outside_ms.append(1000 * (time.perf_counter() - started) - body["processing_time_ms"])
            score += word_score(body["text"], page.truth, upper=page.upper)
    return score, float(np.median(outside_ms))


def bench_service(
    preset: str,
    pages: list[BenchPage],
    real: list[BenchPage],
    levels: list[int],
    seconds: float,
    extra_env: dict,
    engine: str = DEFAULT_ENGINE,
) -> dict:
    with running_server(server_env(preset, extra_env, engine)) as server:
        health = httpx.get(f"{server.url}/health", timeout=10).json()
        idle_rss = server.rss.current()
        score, outside_ms = sequential_pass(server, pages)
        real_f1 = sequential_pass(server, real)[0].f1 if real else None
        results = []
        for concurrency in levels:
            results.append(closed_loop(server, pages, concurrency, seconds).summary())
            print_service_row(preset, results[-1], score.f1, real_f1)
    return {
        "preset": preset,
        # What the server really ran (an openvino engine that could not start says onnxruntime).
        "engine": health.get("engine"),
        "precision": health.get("precision"),
        "idle_rss_mb": idle_rss / MIB,
        "f1": score.f1,
        "real_f1": real_f1,
        "outside_handler_ms": outside_ms,
        "levels": results,
    }


def bench_reader(
    make_reader: Callable[[], Reader], pages: list[BenchPage], real: list[BenchPage], seconds: float
) -> dict:
    """Build one reader, measure it (and score it on the real receipts), and free it
    before the next one runs."""
    reader = make_reader()
    summary = measure(reader, pages, seconds).summary()
    summary["real_f1"] = score_pages(reader, real).f1 if real and reader.read else None
    del reader
    gc.collect()
    print_reader_row(summary)
    return summary


HEADER = (
    f"{'system':42} {'clients':>7} {'pages':>5} {'pages/s':>7} {'p50 s':>6} {'p95 s':>6} {'p99 s':>6} "
    f"{'F1':>6} {'real F1':>7} {'peak RSS MB':>11}"
)


def _real(f1: float | None) -> str:
    return f"{f1:7.3f}" if f1 is not None else f"{'-':>7}"


def print_reader_row(summary: dict) -> None:
    if summary["skipped"]:
        print(f"{summary['name']:42} skipped: {summary['skipped']}", flush=True)
        return
    print(
        f"{summary['name']:42} {summary['parallel']:7d} {summary['pages']:5d} {summary['pages_per_s']:7.2f} "
        f"{summary['p50_s']:6.2f} {summary['p95_s']:6.2f} {summary['p99_s']:6.2f} {summary['f1']:6.3f} "
        f"{_real(summary['real_f1'])} {'-':>11}",
        flush=True,
    )


def print_service_row(preset: str, row: dict, f1: float, real_f1: float | None) -> None:
    errors = {status: count for status, count in row["statuses"].items() if status != 200}
    print(
        f"{'service ' + preset:42} {row['concurrency']:7d} {row['requests_ok']:5d} {row['pages_per_s']:7.2f} "
        f"{row['p50_s']:6.2f} {row['p95_s']:6.2f} {row['p99_s']:6.2f} {f1:6.3f} {_real(real_f1)} "
        f"{row['peak_rss_mb']:11.0f}" + (f"  errors {errors}" if errors else ""),
        flush=True,
    )


def targets(raw: dict, service: dict, peers: list[dict]) -> list[dict]:
    """The P5 targets, each with the measured value and whether it is met."""
    by_level = {row["concurrency"]: row for row in service["levels"]}
    checks = []
    if 4 in by_level and raw["pages_per_s"]:
        ratio = by_level[4]["pages_per_s"] / raw["pages_per_s"]
        target = MIN_THROUGHPUT_RATIO
        checks.append(_check("service pages/s at c=4 / raw pages/s", ratio, f">= {target}", ratio >= target))
    if 1 in by_level and raw["p95_s"]:
        ratio = by_level[1]["p95_s"] / raw["p95_s"]
        checks.append(_check("service p95 at c=1 / raw p95", ratio, f"<= {MAX_P95_RATIO}", ratio <= MAX_P95_RATIO))
    service_rate = by_level.get(4, max(service["levels"], key=lambda row: row["pages_per_s"]))["pages_per_s"]
    for peer in peers:
        if peer["skipped"] or not peer["pages_per_s"]:
            continue
        speedup, needed = service_rate / peer["pages_per_s"], MIN_SPEEDUP.get(peer["name"], 1.0)
        met = speedup >= needed and service["f1"] >= peer["f1"]
        name = f"service pages/s / {peer['name']} (F1 {service['f1']:.3f} vs {peer['f1']:.3f}"
        if service["real_f1"] is not None and peer["real_f1"] is not None:
            name += f"; real receipts, not a target: {service['real_f1']:.3f} vs {peer['real_f1']:.3f}"
        name += ")"
        checks.append(_check(name, speedup, f">= {needed} at >= F1", met))
    return checks


def _check(name: str, value: float, target: str, met: bool) -> dict:
    return {"check": name, "value": value, "target": target, "met": met}


def print_targets(checks: list[dict], service: dict) -> None:
    print(f"\nHTTP, multipart and JSON outside the route handler: {service['outside_handler_ms']:.1f} ms per request")
    print("targets")
    for check in checks:
        verdict = "MET " if check["met"] else "MISS"
        print(f"  {verdict} {check['check']}: {check['value']:.2f} (target {check['target']})")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per concurrency level and per reader")
    parser.add_argument("--levels", default="1,2,4,8", help="comma-separated client counts")
    parser.add_argument("--pages", type=int, default=8, help="rendered pages (half clean, half damaged)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the rendered pages")
    parser.add_argument("--preset", default=DEFAULT_PRESET, help="model preset of the service and raw loop")
    parser.add_argument(
        "--engine",
        default=DEFAULT_ENGINE,
        choices=("onnxruntime", "openvino"),
        help="inference engine of the service and raw loop (OCR_ENGINE)",
    )
    parser.add_argument("--also-preset", default="", help="comma-separated presets measured the same way")
    parser.add_argument("--no-peers", action="store_true", help="skip RapidOCR and Tesseract")
    parser.add_argument("--no-real", action="store_true", help="skip the real-receipt F1 column")
    parser.add_argument("--server-env", action="append", default=[], metavar="OCR_X=V", help="extra server setting")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    logging.disable(logging.WARNING)
    exit_on_sigterm()
    pages = bench_pages(args.pages, args.seed)
    real = [] if args.no_real else sroie_bench_pages()
    levels = [int(level) for level in args.levels.split(",")]
    extra_env = dict(item.split("=", 1) for item in args.server_env)
    presets = [args.preset, *filter(None, args.also_preset.split(","))]
    machine = {"cpus": os.cpu_count(), "load_at_start": os.getloadavg()[0], "tesseract": tesseract_version()}
    print(f"# bench.throughput: {len(pages)} pages, {args.seconds:.0f} s per level, engine {args.engine}, {machine}")
    print(HEADER)
    report: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "machine": machine, "presets": []}
    for preset in presets:
        settings = Settings(device="cpu", model_preset=preset, engine=args.engine, warmup=False)
        raw = bench_reader(partial(paddle_reader, settings, f"raw library {preset}"), pages, real, args.seconds)
        service = bench_service(preset, pages, real, levels, args.seconds, extra_env, args.engine)
        report["presets"].append({"preset": preset, "raw": raw, "service": service})
    peer_readers = () if args.no_peers else (rapidocr_reader, tesseract_per_core_reader)
    peers = [bench_reader(make, pages, real, args.seconds) for make in peer_readers]
    report["peers"] = peers
    main_preset = report["presets"][0]
    report["targets"] = targets(main_preset["raw"], main_preset["service"], peers)
    print_targets(report["targets"], main_preset["service"])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
