"""A long job end to end against the real server, and what it costs synchronous requests.

    python -m bench.jobs [--pages 100] [--sync 5] [--json out.json]

Starts `uvicorn app:app` (as bench/throughput.py does: CPU, default preset, result cache
off) with a fresh `OCR_DATA_DIR`, builds a PDF of `--pages` scanned pages (the rendered
sample invoice, A4 at 150 dpi, as images: every page is OCR'd), then:

1. `--sync` one-page `POST /ocr/` requests one after another, nothing else running: the
   baseline latency;
2. submits the PDF to `POST /jobs` and, while it runs, sends one-page `POST /ocr/`
   requests one after another with a pause of `--pause` s between them, polling
   `GET /jobs/{id}` until it has succeeded; then reads `GET /jobs/{id}/result`.

Prints submit→202, submit→done, the job's pages/s (from its `started_at` to
`finished_at`), and the synchronous latency alone and while the job ran (median, p90,
max).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
from datetime import datetime

import httpx

from bench.throughput import DEFAULT_PRESET, exit_on_sigterm, post_file, running_server, server_env
from invoice_ocr.samples import render_sample_invoice


def scanned_pdf(pages: int) -> bytes:
    """`pages` copies of the rendered invoice as image-only PDF pages (A4 at 150 dpi)."""
    image = render_sample_invoice().image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=150, save_all=True, append_images=[image] * (pages - 1))
    return buffer.getvalue()


def page_png() -> bytes:
    buffer = io.BytesIO()
    render_sample_invoice().image.save(buffer, "PNG")
    return buffer.getvalue()


def timed_ocr(client: httpx.Client, data: bytes) -> float:
    started = time.perf_counter()
    response = post_file(client, data)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def seconds_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def run(pages: int, sync: int, pause: float) -> dict:
    document = scanned_pdf(pages)
    one_page = page_png()
    data_dir = tempfile.mkdtemp(prefix="bench-jobs-")
    env = server_env(DEFAULT_PRESET, {"OCR_DATA_DIR": data_dir, "OCR_JOBS_MAX_UPLOAD_BYTES": str(256 * 1024 * 1024)})
    with running_server(env) as server, httpx.Client(base_url=server.url, timeout=600) as client:
        timed_ocr(client, one_page)  # first request after start-up: not counted
        alone = [timed_ocr(client, one_page) for _ in range(sync)]

        submitted = time.perf_counter()
        accepted = client.post("/jobs", files={"file": ("scan.pdf", document, "application/pdf")})
        accepted.raise_for_status()
        accept_ms = (time.perf_counter() - submitted) * 1000
        job_id = accepted.json()["job_id"]
        during = []
        while (status := client.get(f"/jobs/{job_id}").json())["status"] in ("queued", "running"):
            during.append(timed_ocr(client, one_page))
            time.sleep(pause)
        done_s = time.perf_counter() - submitted
        assert status["status"] == "succeeded", status
        result = client.get(f"/jobs/{job_id}/result")
        result.raise_for_status()
        assert len(result.json()["pages"]) == pages
    run_s = seconds_between(status["started_at"], status["finished_at"])
    return {
        "pages": pages,
        "document_bytes": len(document),
        "submit_to_202_ms": round(accept_ms, 1),
        "submit_to_done_s": round(done_s, 1),
        "job_run_s": round(run_s, 1),
        "job_pages_per_s": round(pages / run_s, 3),
        "sync_alone": summary(alone),
        "sync_during_job": summary(during),
    }


def print_table(figures: dict) -> None:
    print(f"\nbench.jobs: a {figures['pages']}-page scanned PDF ({figures['document_bytes'] / 1e6:.1f} MB)")
    print("| measure | value |\n|---|---|")
    print(f"| submit → 202 | {figures['submit_to_202_ms']:.0f} ms |")
    print(f"| submit → succeeded | {figures['submit_to_done_s']:.1f} s |")
    print(f"| job run (started → finished) | {figures['job_run_s']:.1f} s, {figures['job_pages_per_s']:.2f} pages/s |")
    for name, label in (("sync_alone", "alone"), ("sync_during_job", "while the job runs")):
        row = figures[name]
        print(
            f"| one-page POST /ocr/, {label} (n={row['n']}) | median {row['median_ms']:.0f} ms, "
            f"p90 {row['p90_ms']:.0f} ms, max {row['max_ms']:.0f} ms |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--sync", type=int, default=5, help="baseline one-page requests")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between requests while the job runs")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    exit_on_sigterm()
    figures = run(args.pages, args.sync, args.pause)
    print_table(figures)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=2)


if __name__ == "__main__":
    main()
