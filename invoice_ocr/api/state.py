"""What the running service knows about itself, shared by the routes."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from invoice_ocr.api.cache import ResultCache
from invoice_ocr.config import Settings
from invoice_ocr.engine.base import EngineInfo
from invoice_ocr.engine.device import DeviceReport
from invoice_ocr.engine.worker import InferenceWorker
from invoice_ocr.jobs.service import JobService


@dataclass
class ServiceState:
    settings: Settings
    worker: InferenceWorker
    engine_info: EngineInfo
    device: DeviceReport
    paddle_available: bool
    ready: bool = False
    cache: ResultCache | None = None
    jobs: JobService | None = None

    @property
    def saturated(self) -> bool:
        return self.worker.queue_depth >= self.settings.queue_size


def get_state(request: Request) -> ServiceState:
    """The state the lifespan created (routes only run after it has)."""
    return request.app.state.service
