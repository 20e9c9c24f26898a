#!/usr/bin/env python3
"""Smoke test against a running server: health, then OCR of a file (or the sample invoice).

    python3 test_api.py                       # localhost:8080, samples/invoice.png
    python3 test_api.py invoice.jpg --url http://host:8080 --api-key KEY

Needs nothing but the Python standard library (any Python 3.11+, no virtual environment).
Prints the health summary, the recognised text and the response time; exits non-zero
when the service is not healthy or the OCR request fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=300) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


SAMPLE = Path(__file__).resolve().parent / "samples" / "invoice.png"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=SAMPLE, help="image or PDF (default: %(default)s)")
    parser.add_argument("--url", default="http://localhost:8080", help="service base URL")
    parser.add_argument("--api-key", help="sent as X-API-Key when the service requires keys")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    auth = {"X-API-Key": args.api_key} if args.api_key else {}

    status, health = request(f"{base}/health")
    print(f"health: {status} {health.get('status')} device={health.get('current_device')} model={health.get('model')}")
    if status != 200:
        print(f"  not ready: {health.get('message')}", file=sys.stderr)
        return 1

    filename, content = args.file.name, args.file.read_bytes()
    body, content_type = multipart(filename, content)
    started = time.perf_counter()
    status, result = request(f"{base}/ocr/", body, {"Content-Type": content_type, **auth})
    elapsed = time.perf_counter() - started
    if status != 200:
        print(f"ocr: {status} {result.get('error')}", file=sys.stderr)
        return 1
    print(
        f"ocr: {result['total_text_regions']} lines from {filename} in {elapsed:.2f}s "
        f"(server {result['processing_time_ms']:.0f} ms)"
    )
    print(result["text"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
