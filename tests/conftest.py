"""Shared fixtures. The real OCR engine is built once per test session and shared."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from invoice_ocr.api.app import create_app
from invoice_ocr.config import Settings
from invoice_ocr.engine.base import EngineInfo, OcrEngine
from invoice_ocr.engine.device import DeviceReport
from invoice_ocr.page import OcrLine, OcrPage

# Every app the tests start (in process or as a server) keeps its jobs in a throw-away folder,
# never in the checkout's data/.
if "OCR_DATA_DIR" not in os.environ:
    os.environ["OCR_DATA_DIR"] = tempfile.mkdtemp(prefix="invoice-ocr-test-jobs-")
    atexit.register(shutil.rmtree, os.environ["OCR_DATA_DIR"], ignore_errors=True)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SROIE = SHARED_DATA / "sroie-sample"

CPU_REPORT = DeviceReport(requested="cpu", current_device="cpu", cuda_available=False)


class FakeEngine:
    """Answers every page with one fixed line after an optional delay: for HTTP edge cases."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls = 0
        self.info = EngineInfo(engine="fake", model="fake", device="cpu", using_gpu=False)

    def recognize(self, images: list[np.ndarray]) -> list[OcrPage]:
        self.calls += 1
        time.sleep(self.delay)
        line = OcrLine("FAKE TEXT", 0.9, ((1, 1), (20, 1), (20, 8), (1, 8)))
        return [OcrPage(width=img.shape[1], height=img.shape[0], lines=[line]) for img in images]


def fixed_engine_factory(engine: OcrEngine):
    """An engine factory for `create_app` that hands out an already-built engine."""
    return lambda _settings: (engine, CPU_REPORT)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def png_bytes(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def ocr_engine() -> OcrEngine:
    """The real default engine (CPU, wheel models), loaded once for the whole session."""
    from invoice_ocr.api.app import warm_up
    from invoice_ocr.engine.paddle import build_engine

    engine, _ = build_engine(Settings(device="cpu"))
    warm_up(engine)
    return engine


@pytest.fixture(scope="session")
def client(ocr_engine: OcrEngine) -> Iterator[TestClient]:
    """A client of the real app over the shared real engine."""
    app = create_app(Settings(device="cpu", warmup=False), engine_factory=fixed_engine_factory(ocr_engine))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def fake_client_factory():
    """Builds clients of the app over a FakeEngine with the given settings overrides."""
    clients: list[TestClient] = []

    def make(engine: FakeEngine | None = None, **overrides) -> TestClient:
        settings = Settings(device="cpu", warmup=False, **overrides)
        app = create_app(settings, engine_factory=fixed_engine_factory(engine or FakeEngine()))
        test_client = TestClient(app, raise_server_exceptions=False)
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def sroie_dir() -> Path:
    if not (SROIE / "img").is_dir():
        pytest.skip(f"real receipts not found at {SROIE} (the shared/ folder beside the checkout)")
    return SROIE
