"""engine/runtime.py: engines built, warmed, started behind one worker and stopped, from
narrow options; the API and the benchmarks use it instead of carrying their own copy."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import numpy as np
import pytest

from invoice_ocr.api import app as app_module
from invoice_ocr.config import Settings
from invoice_ocr.engine import runtime
from invoice_ocr.engine.device import DeviceReport
from invoice_ocr.engine.runtime import EngineRuntime, RuntimeOptions, build_engines, build_warm_engine
from tests.conftest import CPU_REPORT, FakeEngine

ROOT = Path(__file__).resolve().parents[2]


def counting_builder(built: list[FakeEngine], reports: list[DeviceReport] | None = None):
    def build() -> tuple[FakeEngine, DeviceReport]:
        built.append(FakeEngine())
        return built[-1], (reports or [CPU_REPORT])[len(built) - 1 if reports else 0]

    return build


def test_options_are_the_settings_the_runtime_needs() -> None:
    settings = Settings(engines=3, warmup=False, queue_size=5, max_batch=4, batch_wait_ms=7, heap_trim=False)
    options = RuntimeOptions.from_settings(settings)
    assert options == RuntimeOptions(
        engines=3,
        warmup=False,
        queue_size=5,
        max_batch=4,
        batch_wait_ms=7,
        heap_trim=False,
        shutdown_grace_s=settings.shutdown_grace_s,
    )


def test_engines_are_built_in_turn_and_warmed_up(monkeypatch: pytest.MonkeyPatch) -> None:
    warmed: list[FakeEngine] = []
    monkeypatch.setattr(runtime, "warm_up", warmed.append)
    built: list[FakeEngine] = []
    gpu = DeviceReport("auto", "gpu:0", cuda_available=True)
    engines, device = build_engines(counting_builder(built, [gpu, CPU_REPORT, CPU_REPORT]), 3, warmup=True)
    assert engines == built and len(built) == 3
    assert warmed == built
    assert device is gpu  # the first engine's report


def test_no_warm_up_when_off(monkeypatch: pytest.MonkeyPatch) -> None:
    warmed: list[FakeEngine] = []
    monkeypatch.setattr(runtime, "warm_up", warmed.append)
    build_engines(counting_builder([]), 2, warmup=False)
    assert warmed == []


def test_warm_up_reads_the_sample_page_twice() -> None:
    engine = FakeEngine()
    runtime.warm_up(engine)
    assert engine.calls == 2


def test_build_warm_engine_always_warms() -> None:
    engine = FakeEngine()
    assert build_warm_engine(Settings(warmup=False), lambda _settings: (engine, CPU_REPORT)) is engine
    assert engine.calls == 2


def test_the_runtime_starts_a_worker_over_wrapped_engines_and_stops_it() -> None:
    built: list[FakeEngine] = []
    wrapped: list[FakeEngine] = []

    def wrap(engine: FakeEngine) -> FakeEngine:
        wrapped.append(engine)
        return engine

    engine_runtime = EngineRuntime(
        counting_builder(built), RuntimeOptions(engines=2, warmup=False, heap_trim=False), wrap=wrap
    )
    with pytest.raises(RuntimeError, match="not been started"):
        _ = engine_runtime.worker
    worker = engine_runtime.start()
    try:
        assert worker.alive and worker.engines == built == wrapped
        assert engine_runtime.info is built[0].info and engine_runtime.device is CPU_REPORT
        assert engine_runtime.load_seconds >= 0
        (page,) = asyncio.run(worker.submit([np.zeros((8, 9, 3), np.uint8)]))
        assert page.width == 9
    finally:
        engine_runtime.stop()
    assert not worker.alive


def test_stop_before_start_is_harmless() -> None:
    EngineRuntime(counting_builder([]), RuntimeOptions()).stop()


def test_the_app_keeps_exporting_warm_up_and_the_factory() -> None:
    assert app_module.warm_up is runtime.warm_up
    assert app_module.default_engine_factory is runtime.default_engine_factory


def test_bench_scripts_start_engines_through_the_runtime_not_the_app() -> None:
    # A bench may build the app itself (bench/overhead.py times its HTTP path), never
    # borrow the app's engine start-up (warm_up and the like).
    for script in (ROOT / "bench").glob("*.py"):
        imported = re.findall(r"from invoice_ocr\.api\.app import ([\w, ]+)", script.read_text(encoding="utf-8"))
        assert {name.strip() for names in imported for name in names.split(",")} <= {"create_app"}, script.name
