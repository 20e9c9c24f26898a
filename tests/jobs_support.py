"""Helpers shared by the job tests: numbered test documents, polling, an engine shared by
several apps, and a webhook listener."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from invoice_ocr.api.app import create_app
from invoice_ocr.config import Settings
from invoice_ocr.engine.base import OcrEngine
from invoice_ocr.samples import load_font
from tests.conftest import fixed_engine_factory
from tests.documents_support import small_invoice

FINISHED = ("succeeded", "failed", "cancelled")


def numbered_pages(count: int) -> list[Image.Image]:
    """The half-size sample invoice, each copy marked `Sheet N` in large type."""
    pages = []
    for number in range(1, count + 1):
        page = small_invoice().copy()
        ImageDraw.Draw(page).text((40, page.height - 90), f"Sheet {number}", fill="black", font=load_font(44, True))
        pages.append(page)
    return pages


def wait_for(client: TestClient, job_id: str, done: Callable[[dict], bool], timeout: float = 180) -> dict:
    """Poll `GET /jobs/{id}` until `done(body)`; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/jobs/{job_id}").json()
        if done(body):
            return body
        assert time.monotonic() < deadline, f"job never reached the expected state: {body}"
        time.sleep(0.05)


def finished(body: dict) -> bool:
    return body["status"] in FINISHED


class SharedEngine:
    """The session's one real engine for several apps at once: it counts the pages it reads
    and lets one thread in at a time (a PaddleOCR pipeline is not thread-safe)."""

    _lock = threading.Lock()

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.info = engine.info
        self.pages = 0

    def recognize(self, images):
        with self._lock:
            self.pages += len(images)
            return self.engine.recognize(images)


class Apps:
    """Starts app instances over one engine with the same base settings, and stops them
    (each at most once: a test may stop one itself, the fixture stops the rest)."""

    def __init__(self, engine: OcrEngine, **settings: object) -> None:
        self.engine = engine
        self.settings = settings
        self.running: list[TestClient] = []

    def start(self, **overrides: object) -> TestClient:
        settings = Settings(**{**self.settings, **overrides})
        client = TestClient(create_app(settings, engine_factory=fixed_engine_factory(self.engine)))
        client.__enter__()
        self.running.append(client)
        return client

    def stop(self, client: TestClient) -> None:
        self.running.remove(client)
        client.__exit__(None, None, None)

    def stop_all(self) -> None:
        for client in list(self.running):
            self.stop(client)


class WebhookListener:
    """A local HTTP server that records every POST and answers the statuses it is given
    (the last one repeats)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                listener.received.append((dict(self.headers), body))
                status = listener.statuses[min(len(listener.received), len(listener.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookListener:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]
