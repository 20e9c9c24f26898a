"""Prometheus metrics, all named `ocr_*`, served by `GET /metrics`.

Each app has its own `CollectorRegistry` (tests build several apps in one process).
HTTP metrics come from the request-context middleware, inference metrics from a thin
wrapper around the engine (so every engine call is seen, whatever the worker batches),
and queue figures are read from the worker at scrape time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from invoice_ocr.api.request_log import RequestContext
from invoice_ocr.engine.base import OcrEngine
from invoice_ocr.engine.worker import InferenceWorker
from invoice_ocr.page import OcrPage

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)


class Metrics:
    """The service's metrics in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "ocr_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.errors = Counter(
            "ocr_http_errors",
            "Error responses (status >= 400) by route template, status and error code.",
            ["route", "status", "code"],
            registry=registry,
        )
        self.latency = Histogram(
            "ocr_http_request_duration_seconds",
            "Time from request start to response end, by route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.inference = Histogram(
            "ocr_inference_duration_seconds",
            "Duration of one engine call (one batch of pages).",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.batch_pages = Histogram(
            "ocr_inference_batch_pages", "Pages per engine call.", buckets=BATCH_BUCKETS, registry=registry
        )
        self.model_load = Gauge("ocr_model_load_seconds", "Time taken to load the OCR model.", registry=registry)
        self.cache_lookups = Counter(
            "ocr_cache_lookups", "Result-cache lookups by result (hit or miss).", ["result"], registry=registry
        )
        self.cache_errors = Counter(
            "ocr_cache_errors", "Redis errors that made the result cache step aside.", registry=registry
        )
        self.rate_limit_errors = Counter(
            "ocr_rate_limit_errors", "Redis errors that let requests through unlimited.", registry=registry
        )
        self.worker_collector = WorkerCollector()
        registry.register(self.worker_collector)

    def observe_request(self, context: RequestContext) -> None:
        """Request observer for `RequestContextMiddleware`."""
        status = str(context.status)
        self.requests.labels(context.method, context.route, status).inc()
        self.latency.labels(context.method, context.route).observe(context.ms / 1000)
        if context.status >= 400:
            self.errors.labels(context.route, status, context.error or "none").inc()

    def instrument(self, engine: OcrEngine) -> InstrumentedEngine:
        return InstrumentedEngine(engine, self)

    def exposition(self) -> Response:
        # The classic text format: every Prometheus version and most scrapers read it.
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_PLAIN_0_0_4)


class InstrumentedEngine:
    """An engine that times each call; runs on the worker thread (prometheus_client is thread-safe)."""

    def __init__(self, engine: OcrEngine, metrics: Metrics) -> None:
        self.engine = engine
        self.info = engine.info
        self._metrics = metrics

    def recognize(self, images: list[np.ndarray]) -> list[OcrPage]:
        started = time.perf_counter()
        try:
            return self.engine.recognize(images)
        finally:
            self._metrics.inference.observe(time.perf_counter() - started)
            self._metrics.batch_pages.observe(len(images))

    def __getattr__(self, name: str) -> Any:
        # Anything else a worker may use (options, batch limits) is the engine's own.
        return getattr(self.engine, name)


class WorkerCollector:
    """Reads the worker's counters when Prometheus scrapes; nothing until the lifespan sets it."""

    def __init__(self) -> None:
        self.worker: InferenceWorker | None = None

    def collect(self) -> Iterator[Metric]:
        worker = self.worker
        if worker is None:
            return
        yield CounterMetricFamily(
            "ocr_pages_processed", "Pages the OCR engine has processed.", value=worker.pages_processed
        )
        yield GaugeMetricFamily("ocr_queue_depth", "Pages queued or in inference now.", value=worker.queue_depth)
        yield GaugeMetricFamily(
            "ocr_queue_size", "Pages the queue holds before answering 503.", value=worker.queue_size
        )


def metrics_router(metrics: Metrics) -> APIRouter:
    router = APIRouter(tags=["metrics"])

    @router.get("/metrics", summary="Prometheus metrics (text exposition format)", response_class=Response)
    async def scrape() -> Response:
        return metrics.exposition()

    return router
