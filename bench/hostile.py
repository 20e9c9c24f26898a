"""Hostile inputs against the real server: each row of issue P3, then a good request.

    python -m bench.hostile [--json out.json]

Starts `uvicorn app:app` (as bench/throughput.py does, CPU, result cache off) with
`OCR_QUEUE_SIZE=4`, sends each hostile upload, and prints: the row, the status(es), the
seconds it took, the peak RSS of the server and its children (the decode sandbox's
workers included) while it ran, the server process's own peak, and whether a good one-page request right after was
answered within 5 s. Row 7 (a 20-page scan under a 3 s request timeout) runs against a
second server started with `OCR_REQUEST_TIMEOUT_S=3`. Row 1 runs against a third server,
sent SIGTERM while the 200k-character page is in flight: its "s" column is how long the
process took to exit, against the grace `SIGTERM_GRACE_S` (the compose file's and the
Kubernetes pod's), and its status is what the in-flight request got.
"""

from __future__ import annotations

import argparse
import io
import json
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import httpx
import psutil
from PIL import Image

from bench.textlayer import dense_text_pdf
from bench.throughput import DEFAULT_PRESET, MIB, Server, exit_on_sigterm, post_file, running_server, server_env
from invoice_ocr.samples import render_sample_invoice

GOOD_WITHIN_S = 5.0
# docker-compose.yml's stop_grace_period and deploy/k8s' terminationGracePeriodSeconds.
SIGTERM_GRACE_S = 90.0


@dataclass
class Row:
    row: str
    status: str
    seconds: float
    peak_rss_mb: float  # the server and its children (the decode sandbox's workers)
    peak_server_rss_mb: float  # the server process alone: what a bomb must never reach
    pages_read: int  # pages the engine read for the row and the good request, 3 s after both
    good_after: str  # the status and seconds of a good one-page request sent right after


class ServerRss:
    """The peak RSS of the server process alone, sampled beside `Server.rss` (which sums
    the server and its children)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self._process = psutil.Process(pid)
        self._interval = interval
        self.peak = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                self.peak = max(self.peak, self._process.memory_info().rss)
            except psutil.NoSuchProcess:
                return
            time.sleep(self._interval)

    def reset_peak(self) -> None:
        self.peak = self._process.memory_info().rss


def png(width: int, height: int, mode: str = "L") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), 255).save(buffer, "PNG")
    return buffer.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    body, offsets = b"%PDF-1.7\n", []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return (
        body + xref + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(body))
    )


def inflating_pdf(inflated_mib: int) -> bytes:
    """One page whose flate content stream (~1 MB per GiB) inflates to `inflated_mib` MiB."""
    compressor = zlib.compressobj(9)
    chunk = b" " * MIB
    stream = b"".join(compressor.compress(chunk) for _ in range(inflated_mib)) + compressor.flush()
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


def huge_pages_pdf(pages: int, points: int) -> bytes:
    """`pages` empty pages of points×points: a few KB asking for gigapixels at 200 dpi."""
    kids = b" ".join(b"%d 0 R" % (3 + index) for index in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (points, points)
    tree = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    return _pdf(tree + [page] * pages)


def good_png() -> bytes:
    """The sample invoice at a third of its size: about a second of OCR on two cores, so
    the 5 s answer it is held to measures the service's recovery, not the model."""
    image = render_sample_invoice().image
    buffer = io.BytesIO()
    image.resize((image.width // 3, image.height // 3)).save(buffer, "PNG")
    return buffer.getvalue()


def scan_pdf(pages: int) -> bytes:
    image = render_sample_invoice().image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=150, save_all=True, append_images=[image] * (pages - 1))
    return buffer.getvalue()


def _statuses(responses: list[httpx.Response | str]) -> str:
    counts = Counter(
        response if isinstance(response, str) else f"{response.status_code} {_code(response)}" for response in responses
    )
    return ", ".join(f"{count}× {status}" if count > 1 else status for status, count in counts.items())


def _code(response: httpx.Response) -> str:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return "ok" if response.status_code == 200 else "?"


def _post(server: Server, data: bytes) -> httpx.Response | str:
    try:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            return post_file(client, data)
    except httpx.HTTPError as error:
        return type(error).__name__


def good_after(server: Server) -> str:
    started = time.perf_counter()
    response = _post(server, good_png())
    seconds = time.perf_counter() - started
    ok = not isinstance(response, str) and response.status_code == 200 and seconds < GOOD_WITHIN_S
    return f"{'yes' if ok else 'NO'} ({_statuses([response])}, {seconds:.1f} s)"


def pages_processed(server: Server) -> int:
    """The worker's page counter, from `GET /metrics`."""
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    return int(float(next(line.split()[-1] for line in text.splitlines() if line.startswith("ocr_pages_processed"))))


def measure(server: Server, name: str, send: Callable[[], list[httpx.Response | str]]) -> Row:
    alone = ServerRss(server.pid)
    server.rss.reset_peak()
    pages_before = pages_processed(server)
    started = time.perf_counter()
    responses = send()
    seconds = time.perf_counter() - started
    time.sleep(0.3)  # the samplers' last look at what the row left behind
    peaks = round(server.rss.peak / MIB), round(alone.peak / MIB)
    good = good_after(server)
    time.sleep(3)  # what is still read for a request that is gone shows up now
    read = pages_processed(server) - pages_before
    return Row(name, _statuses(responses), round(seconds, 2), *peaks, read, good)


def one(server: Server, data: bytes) -> Callable[[], list[httpx.Response | str]]:
    return lambda: [_post(server, data)]


def concurrent(server: Server, data: bytes, count: int) -> Callable[[], list[httpx.Response | str]]:
    def send() -> list[httpx.Response | str]:
        with ThreadPoolExecutor(count) as pool:
            return list(pool.map(lambda _: _post(server, data), range(count)))

    return send


def sigterm_row(base: dict[str, str]) -> Row:
    """Row 1: SIGTERM while the 200k-character page is in flight; seconds to exit."""
    with running_server(base) as server, ThreadPoolExecutor(1) as pool:
        alone = ServerRss(server.pid)
        in_flight = pool.submit(_post, server, dense_text_pdf(500, 400))
        time.sleep(0.5)
        started = time.perf_counter()
        process = psutil.Process(server.pid)
        process.terminate()
        try:
            process.wait(timeout=SIGTERM_GRACE_S)
            exited = f"exited in {time.perf_counter() - started:.1f} s (grace {SIGTERM_GRACE_S:g} s)"
        except psutil.TimeoutExpired:
            exited = f"NOT exited within the {SIGTERM_GRACE_S:g} s grace"
        seconds = round(time.perf_counter() - started, 2)
        status = _statuses([in_flight.result()])
        peaks = round(server.rss.peak / MIB), round(alone.peak / MIB)
    return Row("1 SIGTERM during a 200k-char page", status, seconds, *peaks, 0, exited)


def main_rows(server: Server) -> list[Row]:
    big = png(7000, 7000, "RGB")
    rows = [
        ("2 100000×10 PNG", one(server, png(100000, 10))),
        ("2 125000×8 PNG", one(server, png(125000, 8))),
        ("3 3000000×1 PNG", one(server, png(3000000, 1))),
        ("4 PDF stream → 1 GiB", one(server, inflating_pdf(1024))),
        ("4 PDF stream → 3 GiB", one(server, inflating_pdf(3072))),
        ("5 20 × 14400 pt pages", one(server, huge_pages_pdf(20, 14400))),
        ("6 16 × 7000×7000 PNG, queue 4", concurrent(server, big, 16)),
        ("8 200k-char text page", one(server, dense_text_pdf(500, 400))),
    ]
    return [measure(server, name, send) for name, send in rows]


def print_rows(rows: list[Row]) -> None:
    print(
        "| row | status | s | peak RSS MB, server + children | server alone | pages OCR'd (+ good) "
        "| good request after ≤ 5 s |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row.row} | {row.status} | {row.seconds:.2f} | {row.peak_rss_mb:.0f} | {row.peak_server_rss_mb:.0f} "
            f"| {row.pages_read} | {row.good_after} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    exit_on_sigterm()
    base = server_env(DEFAULT_PRESET, {"OCR_QUEUE_SIZE": "4"})
    with running_server(base) as server:
        rows = main_rows(server)
    with running_server(base | {"OCR_REQUEST_TIMEOUT_S": "3"}) as server:
        rows.insert(-1, measure(server, "7 20-page scan, 3 s timeout", one(server, scan_pdf(20))))
    rows.insert(0, sigterm_row(base))
    print_rows(rows)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump([asdict(row) for row in rows], out, indent=2)


if __name__ == "__main__":
    main()
