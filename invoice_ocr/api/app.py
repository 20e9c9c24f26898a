"""The app factory. The lifespan loads and warms up the model before the server accepts
its first request, and drains the inference queue on shutdown."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import numpy as np
from fastapi import Depends, FastAPI, params
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from invoice_ocr import SERVICE_NAME, __version__
from invoice_ocr.api.cache import ResultCache, build_result_cache
from invoice_ocr.api.errors import install_error_handlers
from invoice_ocr.api.limits import BodySizeLimitMiddleware
from invoice_ocr.api.metrics import Metrics, metrics_router
from invoice_ocr.api.ratelimit import build_rate_limiter, rate_limit_dependency
from invoice_ocr.api.request_log import RequestContextMiddleware, log_access
from invoice_ocr.api.routes import batch, health, invoice, ocr, web
from invoice_ocr.api.security import (
    ApiKeyMiddleware,
    ApiKeyVerifier,
    api_key_dependency,
    cors_options,
    public_paths,
    trusted_proxies,
)
from invoice_ocr.api.state import ServiceState
from invoice_ocr.config import MULTIPART_OVERHEAD_BYTES, Settings, get_settings
from invoice_ocr.engine.base import OcrEngine
from invoice_ocr.engine.device import DeviceReport
from invoice_ocr.engine.heap import release_free_heap
from invoice_ocr.engine.worker import InferenceWorker

logger = logging.getLogger(__name__)

EngineFactory = Callable[[Settings], tuple[OcrEngine, DeviceReport]]

DESCRIPTION = """
Reads invoices, receipts and other business documents: upload a file to `POST /ocr/`
and get every text line with its confidence and 4-point box, plus the text in reading
order. Types are detected from the content. Errors share one JSON envelope:
`{"success": false, "error": {"code", "message"}}`.
"""


def default_engine_factory(settings: Settings) -> tuple[OcrEngine, DeviceReport]:
    from invoice_ocr.engine.paddle import build_engine

    return build_engine(settings)


def warm_up(engine: OcrEngine) -> None:
    """Two inferences on a realistic page: the first calls are ~2× slower than the rest."""
    from invoice_ocr.samples import render_sample_invoice

    page = np.asarray(render_sample_invoice().image)[:, :, ::-1].copy()
    for _ in range(2):
        engine.recognize([page])


def _paddle_available() -> bool:
    from invoice_ocr.engine.paddle import paddle_available

    return paddle_available()


async def start_engines(settings: Settings, engine_factory: EngineFactory) -> tuple[list[OcrEngine], DeviceReport]:
    """`settings.engines` engines, built and warmed up one after the other (building them
    side by side would only compete for the same cores), and the first one's device report."""
    first, device = await asyncio.to_thread(engine_factory, settings)
    engines = [first]
    for _ in range(settings.engines - 1):
        engines.append((await asyncio.to_thread(engine_factory, settings))[0])
    if settings.warmup:
        for engine in engines:
            await asyncio.to_thread(warm_up, engine)
    return engines, device


def make_lifespan(settings: Settings, engine_factory: EngineFactory, metrics: Metrics, cache: ResultCache | None):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        load_started = time.perf_counter()
        engines, device = await start_engines(settings, engine_factory)
        metrics.model_load.set(time.perf_counter() - load_started)
        worker = InferenceWorker(
            [metrics.instrument(each) for each in engines],
            settings.queue_size,
            settings.max_batch,
            settings.batch_wait_ms,
            on_idle=release_free_heap if settings.heap_trim else None,
        )
        worker.start()
        metrics.worker_collector.worker = worker
        state = ServiceState(
            settings,
            worker,
            engines[0].info,
            device,
            paddle_available=await asyncio.to_thread(_paddle_available),
            cache=cache,
        )
        app.state.service = state
        state.ready = True
        logger.info("ready: %d × %s on %s", len(engines), engines[0].info.model, engines[0].info.device)
        try:
            yield
        finally:
            state.ready = False
            await asyncio.to_thread(worker.stop, settings.shutdown_grace_s)
            if cache is not None:
                await cache.close()

    return lifespan


def access_guards(settings: Settings, metrics: Metrics) -> tuple[list[params.Depends], list[params.Depends]]:
    """The API-key check and the rate limit as router dependencies (empty lists when off)."""
    keys = settings.api_key_list
    limiter = build_rate_limiter(settings, metrics)
    auth = [Depends(api_key_dependency(keys))] if keys else []
    rate_limit = [Depends(rate_limit_dependency(limiter))] if limiter else []
    return auth, rate_limit


def create_app(settings: Settings | None = None, engine_factory: EngineFactory = default_engine_factory) -> FastAPI:
    settings = settings or get_settings()
    metrics = Metrics()
    cache = build_result_cache(settings, metrics)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = FastAPI(
        title=SERVICE_NAME,
        version=__version__,
        description=DESCRIPTION,
        lifespan=make_lifespan(settings, engine_factory, metrics, cache),
    )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES,
        path_limits={batch.BATCH_PATH: settings.max_batch_request_bytes},
    )
    metrics_routes = metrics_router(metrics)
    if keys := settings.api_key_list:
        # Outside the size limit: an anonymous client gets 401 before any body byte is read or
        # any limit is revealed. Inside CORS, so preflights pass and a browser can read the 401.
        public = [health.router, web.router] + ([] if settings.auth_protect_metrics else [metrics_routes])
        app.add_middleware(ApiKeyMiddleware, verifier=ApiKeyVerifier(keys), public_paths=public_paths(app, public))
    if origins := settings.cors_origin_list:
        app.add_middleware(CORSMiddleware, **cors_options(origins))
    # Outside all of the above: every response, errors included, gets its request id and log line.
    app.add_middleware(RequestContextMiddleware, observers=(log_access, metrics.observe_request))
    if proxies := trusted_proxies(settings):
        # Added last, so outermost: the log, the rate limiter and the key check all see the client the
        # proxy saw. Here rather than uvicorn's `--forwarded-allow-ips`, whose default trusts 127.0.0.1:
        # the launchers run uvicorn with `--no-proxy-headers` and leave the decision to `OCR_TRUSTED_PROXIES`.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    install_error_handlers(app)
    app.include_router(health.router)
    # The page is public: it only calls the API, with the key the user types in.
    app.include_router(web.router)
    auth, rate_limit = access_guards(settings, metrics)
    app.include_router(metrics_routes, dependencies=auth if settings.auth_protect_metrics else [])
    # Every router but health and metrics needs a key (when set) and counts against the rate
    # limit: a new router belongs in this tuple (tests/unit/test_security.py checks them all).
    for router in (ocr.router, batch.router, invoice.router):
        app.include_router(router, dependencies=auth + rate_limit)
    return app
