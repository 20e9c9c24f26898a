"""engine/openvino.py without the OCR models: precision choice, the session adapter, width
buckets, and the fallback to onnxruntime when OpenVINO is missing or cannot compile."""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from invoice_ocr.config import Settings
from invoice_ocr.engine import openvino as ov_engine
from invoice_ocr.engine import paddle
from invoice_ocr.engine.openvino import (
    BucketedWidthSession,
    OpenVinoSession,
    bucket_width,
    choose_precision,
    compile_config,
    use_openvino,
)
from invoice_ocr.engine.paddle import PipelineInfo
from tests.conftest import FakeEngine


@pytest.mark.parametrize(
    ("requested", "capabilities", "expected"),
    [
        ("auto", ["BF16", "FP32", "INT8"], "bf16"),
        ("auto", ["FP32", "INT8"], "f32"),
        ("f32", ["BF16", "FP32"], "f32"),
        ("bf16", ["BF16", "FP32"], "bf16"),
    ],
)
def test_bf16_where_the_cpu_has_it(requested: str, capabilities: list[str], expected: str) -> None:
    assert choose_precision(requested, capabilities) == expected


def test_bf16_asked_for_on_a_cpu_without_it_runs_f32_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert choose_precision("bf16", ["FP32"]) == "f32"
    assert "no bf16" in caplog.text


def test_only_the_recogniser_runs_bf16() -> None:
    assert ov_engine.model_precision("text_rec_model", "bf16") == "bf16"
    assert ov_engine.model_precision("text_det_model", "bf16") == "f32"
    assert ov_engine.model_precision("textline_orientation_model", "bf16") == "f32"


def test_compile_config_sets_precision_and_threads() -> None:
    config = compile_config("bf16", 3)
    assert config["INFERENCE_PRECISION_HINT"] == "bf16" and config["INFERENCE_NUM_THREADS"] == 3
    assert config["ENABLE_CPU_PINNING"] is False and config["NUM_STREAMS"] == 1
    # No per-shape kernel cache: pages of ever new sizes would grow it without end.
    assert config["CPU_RUNTIME_CACHE_CAPACITY"] == 0


def test_widths_are_bucketed_up() -> None:
    assert [bucket_width(width, 64) for width in (320, 321, 384, 385)] == [320, 384, 384, 448]


class EchoSession:
    """A recogniser stand-in: output (N, width / 8, 2) carrying the input's column sums."""

    def __init__(self) -> None:
        self.widths: list[int] = []
        self.fed: list[np.ndarray] = []

    def get_inputs(self) -> list[Any]:
        return [ov_engine.TensorInfo("x", [None, 3, 48, None], "f32")]

    def get_outputs(self) -> list[Any]:
        return [ov_engine.TensorInfo("y", [None, None, 2], "f32")]

    def run(self, output_names, feeds):
        (batch,) = feeds.values()
        self.widths.append(batch.shape[-1])
        self.fed.append(batch)
        steps = batch.shape[-1] // 8
        columns = batch.sum(axis=(1, 2))[:, ::8][:, :steps]
        return [np.stack([columns, columns], axis=-1)]


def test_bucketed_session_pads_with_zeros() -> None:
    inner = EchoSession()
    session = BucketedWidthSession(inner, bucket=64)
    batch = np.ones((1, 3, 48, 330), np.float32)
    (output,) = session.run(["y"], {"x": batch})
    assert inner.widths == [384]
    assert np.all(inner.fed[0][..., 330:] == 0) and np.all(inner.fed[0][..., :330] == 1)
    assert output.shape == (1, 48, 2)  # the padded steps stay: the decoder reads them as blanks


def test_bucketed_session_passes_bucket_widths_through_and_warms() -> None:
    inner = EchoSession()
    session = BucketedWidthSession(inner, bucket=64)
    (output,) = session.run(None, {"x": np.ones((1, 3, 48, 384), np.float32)})
    assert output.shape == (1, 48, 2)
    session.warm([320, 384])
    assert inner.widths == [384, 320, 384]
    assert session.get_inputs()[0].name == "x"


def test_openvino_session_quacks_like_onnxruntime() -> None:
    openvino = pytest.importorskip("openvino")
    from openvino import opset13 as ops

    x = ops.parameter(openvino.PartialShape([-1, 3, 4, -1]), np.float32, name="x")
    y = ops.relu(ops.reduce_sum(x, [1, 2], keep_dims=False))
    y.output(0).get_tensor().set_names({"y"})
    compiled = openvino.Core().compile_model(openvino.Model([y], [x]), "CPU", compile_config("f32", 1))
    session = OpenVinoSession(compiled)
    (info,) = session.get_inputs()
    assert info.name == "x" and info.shape == [None, 3, 4, None]
    assert [meta.name for meta in session.get_outputs()] == ["y"]
    first = session.run(["y"], {"x": np.ones((1, 3, 4, 5), np.float32)})[0]
    second = session.run(None, {"x": np.full((2, 3, 4, 7), -1, np.float32)})[0]
    assert first.tolist() == [[12.0] * 5]  # not overwritten by the second call
    assert second.shape == (2, 7) and not second.any()


class FakeRunner:
    def __init__(self, folder: Path) -> None:
        self.model_dir = folder
        self.model_file_prefix = "inference"
        self.session = "onnxruntime session"


def fake_pipeline(tmp_path: Path) -> tuple[Any, dict[str, FakeRunner]]:
    runners = {name: FakeRunner(tmp_path / name) for name in ("text_det_model", "text_rec_model")}
    inner = types.SimpleNamespace(**{name: types.SimpleNamespace(runner=runner) for name, runner in runners.items()})
    return types.SimpleNamespace(paddlex_pipeline=types.SimpleNamespace(_pipeline=inner)), runners


def fake_openvino(fail_on: str | None = None, capabilities: tuple[str, ...] = ("FP32",)) -> Any:
    """A stand-in `openvino` module: its CPU lists `capabilities`; compiling the model whose path
    contains `fail_on` fails; `compiled` records each model folder's compile config."""

    class Compiled:
        inputs = outputs = ()

        def create_infer_request(self):
            return None

    class Core:
        def get_property(self, device: str, name: str) -> list[str]:
            return list(capabilities)

        def compile_model(self, path: str, device: str, config: dict) -> Compiled:
            if fail_on and fail_on in path:
                raise RuntimeError(f"cannot compile {path}")
            compiled[Path(path).parent.name] = config
            return Compiled()

    compiled: dict[str, dict] = {}
    return types.SimpleNamespace(Core=Core, compiled=compiled)


def test_missing_openvino_leaves_the_pipeline_on_onnxruntime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "openvino", None)  # `import openvino` raises ImportError
    pipeline, runners = fake_pipeline(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert use_openvino(pipeline, "auto", 2) is None
    assert all(runner.session == "onnxruntime session" for runner in runners.values())
    assert "using onnxruntime" in caplog.text


def test_a_model_that_does_not_compile_replaces_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "openvino", fake_openvino(fail_on="text_rec_model"))
    pipeline, runners = fake_pipeline(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert use_openvino(pipeline, "auto", 2) is None
    assert all(runner.session == "onnxruntime session" for runner in runners.values())  # det was compiled: not used
    assert "cannot compile" in caplog.text


@pytest.mark.parametrize(("capabilities", "precision"), [(("FP32",), "f32"), (("BF16", "FP32"), "bf16")])
def test_compiled_models_replace_every_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capabilities: tuple[str, ...], precision: str
) -> None:
    openvino = fake_openvino(capabilities=capabilities)
    monkeypatch.setitem(sys.modules, "openvino", openvino)
    monkeypatch.setattr(BucketedWidthSession, "warm", lambda self, widths: None)
    pipeline, runners = fake_pipeline(tmp_path)
    assert use_openvino(pipeline, "auto", 2) == precision
    assert isinstance(runners["text_det_model"].session, OpenVinoSession)
    assert isinstance(runners["text_rec_model"].session, BucketedWidthSession)
    assert openvino.compiled["text_rec_model"]["INFERENCE_PRECISION_HINT"] == precision
    assert openvino.compiled["text_det_model"]["INFERENCE_PRECISION_HINT"] == "f32"
    assert openvino.compiled["text_det_model"]["INFERENCE_NUM_THREADS"] == 2


def test_a_cascade_s_second_recogniser_moves_with_the_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    openvino = fake_openvino(capabilities=("BF16", "FP32"))
    monkeypatch.setitem(sys.modules, "openvino", openvino)
    monkeypatch.setattr(BucketedWidthSession, "warm", lambda self, widths: None)
    pipeline, runners = fake_pipeline(tmp_path)
    second = types.SimpleNamespace(runner=FakeRunner(tmp_path / "rec2"))
    assert use_openvino(pipeline, "auto", 2, [second]) == "bf16"
    assert isinstance(second.runner.session, BucketedWidthSession)
    assert isinstance(runners["text_rec_model"].session, BucketedWidthSession)
    assert openvino.compiled["rec2"]["INFERENCE_PRECISION_HINT"] == "bf16"  # run as the pipeline's recogniser


def test_a_second_recogniser_that_does_not_compile_replaces_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openvino", fake_openvino(fail_on="rec2"))
    pipeline, runners = fake_pipeline(tmp_path)
    second = types.SimpleNamespace(runner=FakeRunner(tmp_path / "rec2"))
    assert use_openvino(pipeline, "auto", 2, [second]) is None
    assert all(runner.session == "onnxruntime session" for runner in [*runners.values(), second.runner])


def test_a_pipeline_laid_out_otherwise_stays_as_it_is(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert use_openvino(object(), "auto", 2) is None
    assert "no onnxruntime runner" in caplog.text


def test_the_engine_reports_what_really_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paddle, "use_openvino", lambda pipeline, precision, threads, recognisers: None)
    assert paddle.runtime_of(Settings(engine="openvino"), object()) == ("onnxruntime", "f32")
    monkeypatch.setattr(paddle, "use_openvino", lambda pipeline, precision, threads, recognisers: "bf16")
    assert paddle.runtime_of(Settings(engine="openvino"), object()) == ("openvino", "bf16")
    assert paddle.runtime_of(Settings(engine="onnxruntime"), object()) == ("onnxruntime", "f32")


def test_openvino_builds_an_onnxruntime_pipeline_on_the_cpu_only() -> None:
    assert paddle.pipeline_engine("openvino") == "onnxruntime"
    assert paddle.pipeline_engine("paddle") == "paddle"
    assert paddle.cuda_problem("openvino").startswith("no CUDA")


def test_health_reports_the_precision(fake_client_factory) -> None:
    engine = FakeEngine()
    engine.info = PipelineInfo(engine="openvino", model="fake", device="cpu", using_gpu=False, precision="bf16")
    body = fake_client_factory(engine).get("/health").json()
    assert body["engine"] == "openvino" and body["precision"] == "bf16"
    assert fake_client_factory().get("/health").json()["precision"] is None  # an engine that does not say
