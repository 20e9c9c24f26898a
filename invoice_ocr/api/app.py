"""The app factory. The lifespan loads and warms up the model before the server accepts
its first request, and drains the inference queue on shutdown (both through
`engine/runtime.py`, which owns engine start-up and shutdown)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import Depends, FastAPI, params
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from invoice_ocr import SERVICE_NAME, __version__, pipeline
from invoice_ocr.api.cache import ResultCache, build_result_cache
from invoice_ocr.api.convert import JobJson
from invoice_ocr.api.docs import docs_router
from invoice_ocr.api.errors import install_error_handlers
from invoice_ocr.api.limits import BodySizeLimitMiddleware
from invoice_ocr.api.metrics import Metrics, metrics_router
from invoice_ocr.api.ratelimit import build_rate_limiter, rate_limit_dependency
from invoice_ocr.api.request_log import RequestContextMiddleware, log_access
from invoice_ocr.api.routes import batch, health, invoice, jobs, ocr, web
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
from invoice_ocr.engine.runtime import (
    EngineFactory,
    EngineRuntime,
    RuntimeOptions,
    default_engine_factory,
    paddle_available,
    warm_up,  # noqa: F401 (re-exported: the test fixtures import it from here)
)
from invoice_ocr.jobs.service import build_job_service

logger = logging.getLogger(__name__)

DESCRIPTION = """
Reads invoices, receipts and other business documents: upload a file to `POST /ocr/`
and get every text line with its confidence and 4-point box, plus the text in reading
order. Types are detected from the content. Errors share one JSON envelope:
`{"success": false, "error": {"code", "message"}}`.
"""


def make_lifespan(settings: Settings, engine_factory: EngineFactory, metrics: Metrics, cache: ResultCache | None):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = EngineRuntime(
            partial(engine_factory, settings), RuntimeOptions.from_settings(settings), wrap=metrics.instrument
        )
        worker = await asyncio.to_thread(runtime.start)
        await asyncio.to_thread(pipeline.warm_sandbox, settings)
        metrics.model_load.set(runtime.load_seconds)
        metrics.worker_collector.worker = worker
        state = ServiceState(
            settings,
            worker,
            runtime.info,
            runtime.device,
            paddle_available=await asyncio.to_thread(paddle_available),
            cache=cache,
        )
        app.state.service = state
        # Before the server takes requests, after the worker: a job left queued or running by the
        # last process starts now, and its pages need the worker.
        state.jobs = build_job_service(settings, worker, JobJson(runtime.info))
        await state.jobs.start()
        state.ready = True
        logger.info("ready: %d × %s on %s", len(worker.engines), runtime.info.model, runtime.info.device)
        try:
            yield
        finally:
            state.ready = False
            # Jobs first: running ones stop at their next page (which needs the worker) and go back to the queue.
            await state.jobs.stop()
            await asyncio.to_thread(runtime.stop)
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
        # Served from this server by `api/docs.py`: FastAPI's own pages load their scripts from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    docs_routes = docs_router(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES,
        path_limits={
            **{path: settings.max_batch_request_bytes for path in (batch.BATCH_PATH, batch.INVOICE_BATCH_PATH)},
            jobs.JOBS_PATH: settings.jobs_max_upload_bytes + MULTIPART_OVERHEAD_BYTES,
        },
    )
    metrics_routes = metrics_router(metrics)
    if keys := settings.api_key_list:
        # Outside the size limit: an anonymous client gets 401 before any body byte is read or
        # any limit is revealed. Inside CORS, so preflights pass and a browser can read the 401.
        public = [health.router, web.router, docs_routes] + ([] if settings.auth_protect_metrics else [metrics_routes])
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
    app.include_router(docs_routes)
    auth, rate_limit = access_guards(settings, metrics)
    app.include_router(metrics_routes, dependencies=auth if settings.auth_protect_metrics else [])
    # Every router but health and metrics needs a key (when set) and counts against the rate
    # limit: a new router belongs in this tuple (tests/unit/test_security.py checks them all).
    for router in (ocr.router, batch.router, invoice.router, jobs.router):
        app.include_router(router, dependencies=auth + rate_limit)
    return app
