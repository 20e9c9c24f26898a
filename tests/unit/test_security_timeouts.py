"""`OCR_REQUEST_TIMEOUT_S`: a slow request gets a 504 and its queued work is dropped."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from invoice_ocr.page import OcrPage
from tests.conftest import FakeEngine, png_bytes


class GatedEngine(FakeEngine):
    """Holds every page until the test opens the gate, and counts the calls that ended:
    an answer that arrives while the gate is shut did not wait for the engine."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.finished = 0

    def recognize(self, images: list[np.ndarray]) -> list[OcrPage]:
        self.gate.wait(timeout=60)
        pages = super().recognize(images)
        self.finished += 1
        return pages


def test_slow_requests_time_out_and_queued_work_is_skipped(fake_client_factory):
    engine = GatedEngine()
    client = fake_client_factory(engine=engine, orientation=False, request_timeout_s=0.3, cache_max_entries=0)
    image = png_bytes(Image.new("RGB", (64, 32), "white"))
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: client.post("/ocr/", files={"file": ("a.png", image)}), range(2)))
    assert engine.finished == 0  # both were answered while the engine still held the first page
    for answer in answers:
        assert answer.status_code == 504
        assert answer.json()["error"]["code"] == "timeout"
    engine.gate.set()
    for _ in range(100):  # the running call ends; the second job's future was cancelled
        if engine.finished:
            break
        time.sleep(0.05)
    assert (engine.calls, engine.finished) == (1, 1)
    assert client.post("/ocr/", files={"file": ("a.png", image)}).status_code == 200
    assert client.get("/health/ready").json()["queue_depth"] == 0
