"""The app factory. The lifespan loads and warms up the model before the server accepts
its first request, and drains the inference queue on shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import numpy as np
from fastapi import FastAPI

from invoice_ocr import SERVICE_NAME, __version__
from invoice_ocr.api.errors import install_error_handlers
from invoice_ocr.api.limits import BodySizeLimitMiddleware
from invoice_ocr.api.routes import health, ocr
from invoice_ocr.api.state import ServiceState
from invoice_ocr.config import Settings, get_settings
from invoice_ocr.engine.base import OcrEngine
from invoice_ocr.engine.device import DeviceReport
from invoice_ocr.engine.worker import InferenceWorker

logger = logging.getLogger(__name__)

EngineFactory = Callable[[Settings], tuple[OcrEngine, DeviceReport]]
SHUTDOWN_GRACE_SECONDS = 30.0
# Multipart framing around the file: boundaries and part headers.
MULTIPART_OVERHEAD_BYTES = 64 * 1024

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


def make_lifespan(settings: Settings, engine_factory: EngineFactory):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine, device = await asyncio.to_thread(engine_factory, settings)
        if settings.warmup:
            await asyncio.to_thread(warm_up, engine)
        worker = InferenceWorker(engine, settings.queue_size)
        worker.start()
        state = ServiceState(
            settings, worker, engine.info, device, paddle_available=await asyncio.to_thread(_paddle_available)
        )
        app.state.service = state
        state.ready = True
        logger.info("ready: %s on %s", engine.info.model, engine.info.device)
        try:
            yield
        finally:
            state.ready = False
            await asyncio.to_thread(worker.stop, SHUTDOWN_GRACE_SECONDS)

    return lifespan


def create_app(settings: Settings | None = None, engine_factory: EngineFactory = default_engine_factory) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = FastAPI(
        title=SERVICE_NAME,
        version=__version__,
        description=DESCRIPTION,
        lifespan=make_lifespan(settings, engine_factory),
    )
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(ocr.router)
    return app
