"""Memory soak: many requests of changing page sizes to a real server; does RSS keep growing?

    python -m bench.soak [--requests 1000] [--clients 3] [--warmup 100] [--server-env K=V] [--json out.json]

Every request gets a page of a new size (onnxruntime's CPU arena and memory patterns grow
per new input shape, the usual leak report against PaddleOCR/RapidOCR servers): receipts
(~600×1800), A4 scans (1240×1754), phone photos (~3000×4000 JPEG), small crops, and a few
bad inputs (empty, truncated, a text file) that must get their 4xx. Prints the server's
RSS (process and children) at start, after the warm-up requests, every `--every`
requests and at the end (each read when all requests sent so far have returned and the
server has been idle for a second), the growth after warm-up, the peak RSS under load
(sampled every 0.1 s) and every status seen; any status
other than 200, the bad inputs' 400/415 and a 503 carrying Retry-After is an error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import httpx
import numpy as np

from bench.peers import bench_pages
from bench.throughput import (
    DEFAULT_PRESET,
    MIB,
    exit_on_sigterm,
    post_file,
    run_threads,
    running_server,
    server_env,
)

# Share of each kind of request; the sizes come from `payload`.
KINDS = {"receipt": 0.3, "a4": 0.3, "photo": 0.1, "crop": 0.2, "bad": 0.1}
EXPECTED = {"bad": {400, 415}}
MAX_GROWTH_MB = 50
# Idle time before a checkpoint's RSS is read: the worker trims its heap when idle.
SETTLE_S = 1.0


@dataclass(frozen=True)
class Payload:
    kind: str
    data: bytes
    name: str


def _encode(image: np.ndarray, jpeg: bool) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85]) if jpeg else cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("could not encode a soak page")
    return data.tobytes()


def _resized(image: np.ndarray, width: int, height: int) -> np.ndarray:
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)


def payload(index: int, seed: int, bases: list[np.ndarray]) -> Payload:
    """Request `index`: a page of a size not sent before (in all likelihood), or a bad input."""
    rng = random.Random(seed * 1_000_003 + index)
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    base = rng.choice(bases)
    if kind == "receipt":
        image = _resized(base, rng.randint(480, 720), rng.randint(1400, 2200))
    elif kind == "a4":
        image = _resized(base, 1240 + rng.randint(-40, 40), 1754 + rng.randint(-40, 40))
    elif kind == "photo":
        image = _resized(base, rng.randint(2800, 3100), rng.randint(3700, 4100))
    elif kind == "crop":
        height, width = rng.randint(120, 500), rng.randint(200, 800)
        top, left = rng.randint(0, base.shape[0] - height), rng.randint(0, base.shape[1] - width)
        image = base[top : top + height, left : left + width]
    else:
        return _bad_payload(rng, base)
    jpeg = kind == "photo" or rng.random() < 0.5
    return Payload(kind, _encode(image, jpeg), "page.jpg" if jpeg else "page.png")


def _bad_payload(rng: random.Random, base: np.ndarray) -> Payload:
    choice = rng.randrange(3)
    if choice == 0:
        return Payload("bad", b"", "empty.png")
    if choice == 1:
        whole = _encode(base, jpeg=False)
        return Payload("bad", whole[: len(whole) // 3], "truncated.png")
    return Payload("bad", b"Invoice total: 12.00 EUR\n" * 20, "notes.txt")


@dataclass
class SoakLog:
    """What the soak saw: statuses per kind, unexpected answers, RSS checkpoints."""

    statuses: Counter = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    rss_mb: dict[int, float] = field(default_factory=dict)
    peak_mb: float = 0.0

    def record(self, kind: str, response: httpx.Response) -> None:
        status = response.status_code
        self.statuses[f"{kind} {status}"] += 1
        allowed = status in EXPECTED.get(kind, {200}) or (status == 503 and "retry-after" in response.headers)
        if not allowed:
            self.unexpected.append(f"{kind}: {status} {response.text[:200]}")


def soak(url: str, rss, args: argparse.Namespace, bases: list[np.ndarray]) -> SoakLog:
    """Send the requests in segments that end at the checkpoints; at each checkpoint every
    request has returned and the server has had `SETTLE_S` idle, so the RSS read there is
    what the server keeps, not what the requests in flight happen to hold."""
    log = SoakLog()
    log.rss_mb[0] = rss.current() / MIB
    rss.reset_peak()
    lock = threading.Lock()
    checkpoints = sorted({args.warmup, args.requests} | set(range(args.every, args.requests + 1, args.every)))
    pending: deque[int] = deque()

    def client(_: int) -> None:
        with httpx.Client(base_url=url, timeout=600) as http:
            while True:
                with lock:
                    if not pending:
                        return
                    index = pending.popleft()
                sent = payload(index, args.seed, bases)
                response = post_file(http, sent.data, sent.name)
                with lock:
                    log.record(sent.kind, response)

    start = 0
    for checkpoint in checkpoints:
        pending.extend(range(start, checkpoint))
        run_threads(client, args.clients)
        time.sleep(SETTLE_S)
        log.rss_mb[checkpoint] = rss.current() / MIB
        print(f"{checkpoint:6d} requests  RSS {log.rss_mb[checkpoint]:7.1f} MB", flush=True)
        start = checkpoint
    log.peak_mb = rss.peak / MIB
    return log


def report(log: SoakLog, args: argparse.Namespace, seconds: float) -> dict:
    start, end = log.rss_mb[0], log.rss_mb[args.requests]
    warm = log.rss_mb.get(args.warmup, start)
    growth = end - warm
    return {
        "requests": args.requests,
        "clients": args.clients,
        "seconds": seconds,
        "rss_start_mb": start,
        "rss_after_warmup_mb": warm,
        "rss_end_mb": end,
        "rss_peak_under_load_mb": log.peak_mb,
        "growth_after_warmup_mb": growth,
        "growth_target_met": growth < MAX_GROWTH_MB,
        "rss_checkpoints_mb": log.rss_mb,
        "statuses": dict(sorted(log.statuses.items())),
        "unexpected": log.unexpected,
    }


def print_report(result: dict, warmup: int) -> None:
    warm = f"RSS @{warmup}"
    print(
        f"\n{'requests':>8} {'clients':>7} {'RSS start':>9} {warm:>9} {'RSS end':>9} {'growth':>8} "
        f"{'peak under load':>15}  result"
    )
    verdict = "MET" if result["growth_target_met"] else "MISS"
    print(
        f"{result['requests']:8d} {result['clients']:7d} {result['rss_start_mb']:9.1f} "
        f"{result['rss_after_warmup_mb']:9.1f} {result['rss_end_mb']:9.1f} {result['growth_after_warmup_mb']:8.1f} "
        f"{result['rss_peak_under_load_mb']:15.1f}  "
        f"{verdict} (growth after warm-up < {MAX_GROWTH_MB} MB), {len(result['unexpected'])} unexpected answers"
    )
    print("statuses: " + ", ".join(f"{key} ×{count}" for key, count in result["statuses"].items()))
    for line in result["unexpected"][:10]:
        print(f"  unexpected {line}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="requests in all")
    parser.add_argument("--clients", type=int, default=3, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=100, help="requests before the baseline RSS is taken")
    parser.add_argument("--every", type=int, default=100, help="print the RSS every this many requests")
    parser.add_argument("--seed", type=int, default=11, help="seed of the request sequence")
    parser.add_argument("--preset", default=DEFAULT_PRESET, help="model preset of the server")
    parser.add_argument("--server-env", action="append", default=[], metavar="OCR_X=V", help="extra server setting")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    args.warmup = min(args.warmup, args.requests)
    return args


def main() -> None:
    args = parse_args()
    logging.disable(logging.WARNING)
    exit_on_sigterm()
    bases = [page.image for page in bench_pages(4, seed=args.seed)]
    extra_env = dict(item.split("=", 1) for item in args.server_env)
    print(f"# bench.soak: {args.requests} requests, {args.clients} clients, {os.cpu_count()} CPUs, env {extra_env}")
    with running_server(server_env(args.preset, extra_env)) as server:
        started = time.perf_counter()
        log = soak(server.url, server.rss, args, bases)
        result = report(log, args, time.perf_counter() - started)
    print_report(result, args.warmup)
    if args.json:
        args.json.write_text(json.dumps(result | {"server_env": extra_env}, indent=2))


if __name__ == "__main__":
    main()
