"""The inference worker: results routed back in order, backpressure, errors, shutdown."""

import asyncio
import threading

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from invoice_ocr.api.app import create_app
from invoice_ocr.config import Settings
from invoice_ocr.engine.base import EngineInfo
from invoice_ocr.engine.worker import InferenceWorker, QueueFullError, WorkerStoppedError
from invoice_ocr.page import OcrPage
from tests.conftest import CPU_REPORT, FakeEngine, png_bytes


class GatedEngine:
    """Blocks inside recognize until released, so tests control what is in flight."""

    info = EngineInfo("fake", "fake", "cpu", False)

    def __init__(self, fail: bool = False) -> None:
        self.gate = threading.Event()
        self.fail = fail
        self.batches: list[int] = []

    def recognize(self, images):
        self.gate.wait(5)
        self.batches.append(len(images))
        if self.fail:
            raise RuntimeError("model exploded")
        return [OcrPage(width=int(image[0, 0, 0]), height=1) for image in images]


def page(tag: int) -> np.ndarray:
    return np.full((2, 2, 3), tag, dtype=np.uint8)


def run(coroutine):
    return asyncio.run(coroutine)


def test_results_come_back_in_order_per_request():
    engine = GatedEngine()
    engine.gate.set()
    worker = InferenceWorker([engine], queue_size=8)
    worker.start()

    async def scenario():
        return await asyncio.gather(worker.submit([page(1), page(2)]), worker.submit([page(3)]))

    first, second = run(scenario())
    worker.stop(2)
    assert [p.width for p in first] == [1, 2]
    assert [p.width for p in second] == [3]
    assert worker.pages_processed == 3 and worker.queue_depth == 0


def test_full_queue_refuses_at_once_then_recovers():
    engine = GatedEngine()
    worker = InferenceWorker([engine], queue_size=2)
    worker.start()

    async def scenario():
        first = asyncio.ensure_future(worker.submit([page(1), page(2)]))
        await asyncio.sleep(0.05)
        with pytest.raises(QueueFullError):
            await worker.submit([page(3)])
        engine.gate.set()
        await first
        return await worker.submit([page(4)])

    assert run(scenario())[0].width == 4
    worker.stop(2)


def test_a_job_larger_than_the_queue_runs_when_the_queue_is_empty():
    engine = GatedEngine()
    engine.gate.set()
    worker = InferenceWorker([engine], queue_size=1)
    worker.start()
    assert len(run(worker.submit([page(1), page(2), page(3)]))) == 3
    worker.stop(2)


class OrderedEngine(GatedEngine):
    """A GatedEngine that records the tag of every page it reads, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[int] = []

    def recognize(self, images):
        self.gate.wait(5)
        self.read += [int(image[0, 0, 0]) for image in images]
        return [OcrPage(width=int(image[0, 0, 0]), height=1) for image in images]


def test_background_pages_wait_for_every_foreground_page():
    engine = OrderedEngine()
    worker = InferenceWorker([engine], queue_size=2)
    worker.start()

    async def scenario():
        first = asyncio.ensure_future(worker.submit_background([page(1)]))
        await asyncio.sleep(0.05)  # page 1 is on the engine (gated)
        background = asyncio.ensure_future(worker.submit_background([page(2), page(3)]))
        await asyncio.sleep(0.01)
        # Background pages take none of the foreground room: a full-size request is admitted.
        foreground = asyncio.ensure_future(worker.submit([page(4), page(5)]))
        await asyncio.sleep(0.01)
        assert (worker.queue_depth, worker.background_depth) == (2, 3)
        engine.gate.set()
        return await asyncio.gather(first, background, foreground)

    _, background, foreground = run(scenario())
    worker.stop(2)
    assert engine.read == [1, 4, 5, 2, 3]
    assert [p.width for p in background] == [2, 3] and [p.width for p in foreground] == [4, 5]
    assert (worker.queue_depth, worker.background_depth) == (0, 0)


def test_a_cancelled_background_page_leaves_the_lane():
    engine = OrderedEngine()
    worker = InferenceWorker([engine], queue_size=2)
    worker.start()

    async def scenario():
        running = asyncio.ensure_future(worker.submit([page(1)]))
        await asyncio.sleep(0.05)
        waiting = asyncio.ensure_future(worker.submit_background([page(2)]))
        await asyncio.sleep(0.01)
        waiting.cancel()
        await asyncio.sleep(0.01)
        assert worker.background_depth == 0
        engine.gate.set()
        await running

    run(scenario())
    worker.stop(2)
    assert engine.read == [1]


def test_engine_errors_reach_the_caller_and_the_worker_lives_on():
    engine = GatedEngine(fail=True)
    engine.gate.set()
    worker = InferenceWorker([engine], queue_size=4)
    worker.start()
    with pytest.raises(RuntimeError, match="exploded"):
        run(worker.submit([page(1)]))
    engine.fail = False
    assert run(worker.submit([page(5)]))[0].width == 5
    worker.stop(2)


def test_stopped_worker_refuses_work():
    worker = InferenceWorker([GatedEngine()], queue_size=4)
    worker.start()
    worker.stop(2)
    assert not worker.alive
    with pytest.raises(WorkerStoppedError):
        run(worker.submit([page(1)]))


def test_waiting_jobs_are_batched_and_routed_back():
    engine = GatedEngine()
    worker = InferenceWorker([engine], queue_size=16, max_batch=4, batch_wait_ms=0)
    worker.start()

    async def scenario():
        blocker = asyncio.ensure_future(worker.submit([page(9)]))
        await asyncio.sleep(0.05)  # the worker is now inside recognize() for the blocker
        waiting = [asyncio.ensure_future(worker.submit([page(tag)])) for tag in (1, 2, 3)]
        await asyncio.sleep(0.05)
        engine.gate.set()
        await blocker
        return await asyncio.gather(*waiting)

    results = run(scenario())
    worker.stop(2)
    assert [[p.width for p in pages] for pages in results] == [[1], [2], [3]]
    assert engine.batches == [1, 3]
    assert list(worker.batch_sizes) == [1, 3]


def test_batch_window_gathers_jobs_that_arrive_while_waiting():
    engine = GatedEngine()
    engine.gate.set()
    worker = InferenceWorker([engine], queue_size=16, max_batch=8, batch_wait_ms=300)
    worker.start()

    async def scenario():
        first = asyncio.ensure_future(worker.submit([page(1)]))
        await asyncio.sleep(0.05)
        return await asyncio.gather(first, worker.submit([page(2)]))

    run(scenario())
    worker.stop(2)
    assert engine.batches == [2]


def test_batches_never_exceed_max_batch_pages():
    engine = GatedEngine()
    worker = InferenceWorker([engine], queue_size=16, max_batch=2, batch_wait_ms=0)
    worker.start()

    async def scenario():
        blocker = asyncio.ensure_future(worker.submit([page(9)]))
        await asyncio.sleep(0.05)
        waiting = [asyncio.ensure_future(worker.submit([page(tag)])) for tag in (1, 2, 3)]
        await asyncio.sleep(0.05)
        engine.gate.set()
        await blocker
        return await asyncio.gather(*waiting)

    run(scenario())
    worker.stop(2)
    assert max(engine.batches) <= 2 and sum(engine.batches) == 4


def test_a_failing_batch_is_retried_job_by_job():
    class PickyEngine(GatedEngine):
        def recognize(self, images):
            self.batches.append(len(images))
            if any(image[0, 0, 0] == 66 for image in images):
                raise ValueError("bad page")
            return [OcrPage(width=int(image[0, 0, 0]), height=1) for image in images]

    engine = PickyEngine()
    worker = InferenceWorker([engine], queue_size=16, max_batch=4, batch_wait_ms=100)
    worker.start()

    async def scenario():
        return await asyncio.gather(
            worker.submit([page(1)]), worker.submit([page(66)]), worker.submit([page(3)]), return_exceptions=True
        )

    good, bad, other = run(scenario())
    worker.stop(2)
    assert good[0].width == 1 and other[0].width == 3
    assert isinstance(bad, ValueError)


def test_idle_hook_runs_once_after_a_burst_never_between_its_requests():
    engine = GatedEngine()
    engine.gate.set()
    idle_calls: list[list[int]] = []
    worker = InferenceWorker(
        [engine], queue_size=8, on_idle=lambda: idle_calls.append(list(engine.batches)), idle_delay_s=0.2
    )
    worker.start()

    async def scenario():
        for tag in (1, 2, 3):  # one client, page after page: the queue empties between them
            await worker.submit([page(tag)])
            await asyncio.sleep(0.02)
        assert idle_calls == []
        await asyncio.sleep(0.5)  # now idle for longer than the delay

    run(scenario())
    worker.stop(2)
    assert idle_calls == [[1, 1, 1]]


class MeetingEngine:
    """Waits inside recognize until `parties` calls are inside at once: proof of parallelism."""

    info = EngineInfo("fake", "fake", "cpu", False)

    def __init__(self, barrier: threading.Barrier) -> None:
        self.barrier = barrier
        self.threads: set[str] = set()

    def recognize(self, images):
        self.threads.add(threading.current_thread().name)
        self.barrier.wait(5)
        return [OcrPage(width=int(image[0, 0, 0]), height=1) for image in images]


def test_several_engines_read_pages_at_the_same_time_each_on_its_own_thread():
    barrier = threading.Barrier(2)
    engines = [MeetingEngine(barrier), MeetingEngine(barrier)]
    worker = InferenceWorker(engines, queue_size=8)
    worker.start()
    assert worker.alive

    async def scenario():
        return await asyncio.gather(worker.submit([page(1)]), worker.submit([page(2)]))

    first, second = run(scenario())  # a single engine thread would break the barrier
    worker.stop(2)
    assert [first[0].width, second[0].width] == [1, 2]
    assert len(engines[0].threads | engines[1].threads) == 2
    assert worker.pages_processed == 2 and not worker.alive


def test_a_worker_needs_an_engine():
    with pytest.raises(ValueError):
        InferenceWorker([], queue_size=1)


def test_the_service_builds_one_engine_per_setting_and_answers():
    built: list[FakeEngine] = []

    def factory(_settings):
        built.append(FakeEngine())
        return built[-1], CPU_REPORT

    app = create_app(Settings(device="cpu", warmup=False, engines=3), engine_factory=factory)
    with TestClient(app) as client:
        for width in (40, 41, 42):  # different pages: the result cache must not answer
            response = client.post(
                "/ocr/", files={"file": ("p.png", png_bytes(Image.new("RGB", (width, 20))), "image/png")}
            )
            assert response.status_code == 200, response.text
        assert client.get("/health").json()["status"] == "healthy"
    assert len(built) == 3
    assert sum(engine.calls for engine in built) == 3
