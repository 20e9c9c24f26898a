"""Engine start-up and shutdown, apart from any web framework: build the engines, warm
them up, start the inference worker over them, stop it. The API's lifespan, the CLI and
the benchmarks share this code, so "the engine as the service runs it" means one thing.

`RuntimeOptions` holds the few settings this needs, not the service's whole `Settings`;
how one engine is built is the caller's `EngineBuilder` (the service's default is
`default_engine_factory`, i.e. `engine/paddle.py: build_engine`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from invoice_ocr.config import Settings
from invoice_ocr.engine.base import EngineInfo, OcrEngine
from invoice_ocr.engine.device import DeviceReport
from invoice_ocr.engine.worker import InferenceWorker
from invoice_ocr.heap import release_free_heap

EngineFactory = Callable[[Settings], tuple[OcrEngine, DeviceReport]]
EngineBuilder = Callable[[], tuple[OcrEngine, DeviceReport]]
T = TypeVar("T")


def default_engine_factory(settings: Settings) -> tuple[OcrEngine, DeviceReport]:
    from invoice_ocr.engine.paddle import build_engine  # loads PaddleOCR: only when an engine is built

    return build_engine(settings)


def warm_up(engine: OcrEngine) -> None:
    """Two inferences on a realistic page: the first calls are ~2× slower than the rest."""
    from invoice_ocr.samples import render_sample_invoice

    page = np.asarray(render_sample_invoice().image)[:, :, ::-1].copy()
    for _ in range(2):
        engine.recognize([page])


def build_warm_engine(settings: Settings, factory: EngineFactory = default_engine_factory) -> OcrEngine:
    """One engine, built and warmed up whatever `settings.warmup` says: for benchmarks and
    tests, which need an engine but no worker, and must not time its first calls."""
    engine, _ = factory(settings)
    warm_up(engine)
    return engine


def paddle_available() -> bool:
    from invoice_ocr.engine.paddle import paddle_available as available

    return available()


@dataclass(frozen=True)
class RuntimeOptions:
    """What the runtime needs to know: how many engines, warm-up, and the worker's queue,
    batching, idle and shutdown settings."""

    engines: int = 1
    warmup: bool = True
    queue_size: int = 16
    max_batch: int = 1
    batch_wait_ms: float = 0.0
    heap_trim: bool = True
    shutdown_grace_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RuntimeOptions:
        return cls(
            engines=settings.engines,
            warmup=settings.warmup,
            queue_size=settings.queue_size,
            max_batch=settings.max_batch,
            batch_wait_ms=settings.batch_wait_ms,
            heap_trim=settings.heap_trim,
            shutdown_grace_s=settings.shutdown_grace_s,
        )


def build_engines(build: EngineBuilder, count: int, warmup: bool) -> tuple[list[OcrEngine], DeviceReport]:
    """`count` engines, built and warmed up one after the other (building them side by
    side would only compete for the same cores), and the first one's device report."""
    first, device = build()
    engines = [first] + [build()[0] for _ in range(count - 1)]
    if warmup:
        for engine in engines:
            warm_up(engine)
    return engines, device


class EngineRuntime:
    """Builds, warms and starts the engines behind one `InferenceWorker`, and stops it.

    `start()` and `stop()` block (model loading, draining the queue): an async caller runs
    them in a thread. `wrap` decorates each engine before the worker owns it (the API
    times inference with it).
    """

    def __init__(
        self,
        build: EngineBuilder,
        options: RuntimeOptions,
        wrap: Callable[[OcrEngine], OcrEngine] | None = None,
    ) -> None:
        self._build = build
        self.options = options
        self._wrap = wrap or (lambda engine: engine)
        self._worker: InferenceWorker | None = None
        self._info: EngineInfo | None = None
        self._device: DeviceReport | None = None
        self.load_seconds = 0.0

    def start(self) -> InferenceWorker:
        options = self.options
        started = time.perf_counter()
        engines, self._device = build_engines(self._build, options.engines, options.warmup)
        self.load_seconds = time.perf_counter() - started
        self._info = engines[0].info
        self._worker = InferenceWorker(
            [self._wrap(engine) for engine in engines],
            options.queue_size,
            options.max_batch,
            options.batch_wait_ms,
            on_idle=release_free_heap if options.heap_trim else None,
        )
        self._worker.start()
        return self._worker

    def stop(self) -> None:
        """Refuse new work and let queued pages finish, up to `shutdown_grace_s`."""
        if self._worker is not None:
            self._worker.stop(self.options.shutdown_grace_s)

    @property
    def worker(self) -> InferenceWorker:
        return self._started(self._worker)

    @property
    def info(self) -> EngineInfo:
        return self._started(self._info)

    @property
    def device(self) -> DeviceReport:
        return self._started(self._device)

    @staticmethod
    def _started(value: T | None) -> T:
        if value is None:
            raise RuntimeError("the engine runtime has not been started")
        return value
