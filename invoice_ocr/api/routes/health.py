"""Health endpoints: `/health` (seed-compatible), `/health/live` and `/health/ready`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from invoice_ocr import SERVICE_NAME, __version__
from invoice_ocr.api.errors import RETRY_AFTER_SECONDS
from invoice_ocr.api.schemas import HealthResponse
from invoice_ocr.api.state import ServiceState, get_state

router = APIRouter(tags=["health"])


def health_report(state: ServiceState) -> HealthResponse:
    ready = state.ready and state.worker.alive
    if ready:
        message = "All systems operational"
        if state.device.fallback_reason:
            message += f" (on CPU: {state.device.fallback_reason})"
    elif state.ready:
        message = "the inference worker has stopped"
    else:
        message = "not accepting work (starting or shutting down)"
    return HealthResponse(
        status="healthy" if ready else "unhealthy",
        service=SERVICE_NAME,
        version=__version__,
        paddleocr_initialized=True,
        paddle_available=state.paddle_available,
        cuda_available=state.device.cuda_available,
        current_device=state.device.current_device,
        using_gpu=state.device.using_gpu,
        ocr_ready=ready,
        message=message,
        engine=state.engine_info.engine,
        model=state.engine_info.model,
        # Engines built by engine/paddle.py say (PipelineInfo); test doubles may not.
        precision=getattr(state.engine_info, "precision", None),
        device_requested=state.device.requested,
        device_fallback_reason=state.device.fallback_reason,
        queue_depth=state.worker.queue_depth,
        queue_size=state.settings.queue_size,
    )


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "OCR not ready"}},
    summary="Service health: 200 only when OCR is ready",
)
async def health(state: Annotated[ServiceState, Depends(get_state)]) -> JSONResponse:
    report = health_report(state)
    status = 200 if report.ocr_ready else 503
    headers = None if report.ocr_ready else {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse(report.model_dump(), status_code=status, headers=headers)


@router.get("/health/live", summary="Liveness: 200 while the process serves HTTP")
async def live() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/health/ready", summary="Readiness: 200 when OCR is ready and the queue has room")
async def ready(state: Annotated[ServiceState, Depends(get_state)]) -> JSONResponse:
    is_ready = state.ready and state.worker.alive and not state.saturated
    body = {"status": "ready" if is_ready else "not_ready", "queue_depth": state.worker.queue_depth}
    headers = None if is_ready else {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse(body, status_code=200 if is_ready else 503, headers=headers)
