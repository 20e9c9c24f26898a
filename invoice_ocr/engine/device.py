"""Choosing the device: `auto` really tries the GPU, falls back to the CPU, and says why.

Kept free of any model code so the fallback rules are unit-tested on machines without a
GPU: callers pass the CUDA probe and the engine constructor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
GPU_DEVICE = "gpu:0"


class DeviceError(RuntimeError):
    """The requested device cannot be used (e.g. `OCR_DEVICE=gpu` without a usable GPU)."""


@dataclass(frozen=True)
class DeviceReport:
    """What happened at engine start-up, reported by /health."""

    requested: str
    current_device: str
    cuda_available: bool
    fallback_reason: str | None = None

    @property
    def using_gpu(self) -> bool:
        return self.current_device.startswith("gpu")


def start_on_device(
    requested: Literal["auto", "gpu", "cpu"],
    cuda_problem: Callable[[], str | None],
    build: Callable[[str], T],
) -> tuple[T, DeviceReport]:
    """Build the engine on the requested device.

    `cuda_problem()` returns None when a CUDA device looks usable, else why not.
    `build(device)` constructs the engine on "gpu:0" or "cpu" and raises on failure.
    """
    if requested == "cpu":
        return build("cpu"), DeviceReport(requested, "cpu", cuda_available=cuda_problem() is None)
    problem = cuda_problem()
    if problem is None:
        try:
            return build(GPU_DEVICE), DeviceReport(requested, GPU_DEVICE, cuda_available=True)
        except Exception as error:  # any GPU init failure is a reason to fall back
            problem = f"GPU initialisation failed: {type(error).__name__}: {error}"
    if requested == "gpu":
        raise DeviceError(f"OCR_DEVICE=gpu but the GPU cannot be used: {problem}")
    cuda_available = not problem.startswith("no CUDA")
    # No CUDA at all is the normal case on a CPU machine, not something to warn about.
    log = logger.warning if cuda_available else logger.info
    log("GPU not used, falling back to CPU: %s", problem)
    return build("cpu"), DeviceReport(requested, "cpu", cuda_available, fallback_reason=problem)
