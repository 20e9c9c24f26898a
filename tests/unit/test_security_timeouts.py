"""`OCR_REQUEST_TIMEOUT_S`: a slow request gets a 504 and its queued work is dropped."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from tests.conftest import FakeEngine, png_bytes


def test_slow_requests_time_out_and_queued_work_is_skipped(fake_client_factory):
    engine = FakeEngine(delay=1.0)
    client = fake_client_factory(engine=engine, orientation=False, request_timeout_s=0.3, cache_max_entries=0)
    image = png_bytes(Image.new("RGB", (64, 32), "white"))
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: client.post("/ocr/", files={"file": ("a.png", image)}), range(2)))
    assert time.monotonic() - started < 0.9  # neither waited for the 1 s engine
    for answer in answers:
        assert answer.status_code == 504
        assert answer.json()["error"]["code"] == "timeout"
    time.sleep(1.2)  # the running call ends; the second job's future was cancelled, so it never runs
    assert engine.calls == 1
    engine.delay = 0
    assert client.post("/ocr/", files={"file": ("a.png", image)}).status_code == 200
    assert client.get("/health/ready").json()["queue_depth"] == 0
