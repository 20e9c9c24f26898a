"""The PaddleOCR 3.x pipeline behind the `OcrEngine` interface.

Runs the ONNX presets through onnxruntime (no paddlepaddle needed), the same files
through OpenVINO on the CPU (`OCR_ENGINE=openvino`, engine/openvino.py), or Paddle-format
models through Paddle Inference (`OCR_ENGINE=paddle`, the GPU image). Document
orientation and unwarping are off: the pipeline layer turns pages upright itself
(engine/orientation.py). Text-line orientation (single upside-down lines) is on only
with `OCR_TEXTLINE_ORIENTATION`, using the wheel's 0/180 line classifier. A cascade
preset adds a second recogniser that re-reads the lines the first was unsure of
(engine/cascade.py).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from invoice_ocr.config import Settings
from invoice_ocr.engine.base import EngineInfo, OcrEngine
from invoice_ocr.engine.cascade import install_cascade
from invoice_ocr.engine.device import DeviceReport, start_on_device
from invoice_ocr.engine.models import StageFolder, custom_stage, get_preset, materialize_stage
from invoice_ocr.engine.normalize import lines_from_result
from invoice_ocr.engine.openvino import use_openvino
from invoice_ocr.engine.orientation import OrientingEngine, get_orientation_classifier, materialize_textline_stage
from invoice_ocr.engine.spacing import install_space_prior
from invoice_ocr.heap import limit_heap_retention
from invoice_ocr.page import OcrPage

logger = logging.getLogger(__name__)

# Without this PaddleX probes model hosting sites at import time; we never download.
os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")


@dataclass(frozen=True, slots=True)
class PipelineInfo(EngineInfo):
    """EngineInfo plus the recogniser's numeric precision (`bf16` or `f32`; detection is
    always f32), for /health."""

    precision: str = "f32"


class PaddleOcrEngine:
    """One PaddleOCR pipeline instance. Not thread-safe: one worker thread owns it."""

    def __init__(self, pipeline: Any, info: EngineInfo, *, nfkc: bool) -> None:
        self._pipeline = pipeline
        self._nfkc = nfkc
        self.info = info

    def recognize(self, images: list[np.ndarray]) -> list[OcrPage]:
        if not images:
            return []
        results = self._pipeline.predict(images)
        pages = []
        for image, result in zip(images, results, strict=True):
            height, width = image.shape[:2]
            lines = lines_from_result(result, width=width, height=height, nfkc=self._nfkc)
            pages.append(OcrPage(width=width, height=height, lines=lines))
        return pages


def model_label(settings: Settings) -> str:
    """The model name reported to clients: the preset, or `custom` for user folders."""
    if settings.det_model_dir or settings.rec_model_dir:
        return "custom"
    return settings.model_preset


def prepare_stage_folders(settings: Settings, workdir: Path) -> tuple[StageFolder, StageFolder, StageFolder | None]:
    """Detection and recognition folders, custom ones when set, else the preset's; and a
    cascade preset's second recogniser (a custom recogniser replaces both of its)."""
    needs_preset = settings.det_model_dir is None or settings.rec_model_dir is None
    preset = get_preset(settings.model_preset) if needs_preset else None
    det = (
        custom_stage(settings.det_model_dir)
        if settings.det_model_dir
        else materialize_stage(preset.det, workdir / "det")
    )
    if settings.rec_model_dir:
        return det, custom_stage(settings.rec_model_dir), None
    rec = materialize_stage(preset.rec, workdir / "rec")
    second = materialize_stage(preset.second_rec, workdir / "rec2") if preset.second_rec else None
    return det, rec, second


def cuda_problem(engine: str) -> str | None:
    """None when the engine can see a CUDA device, else a sentence saying why not."""
    if engine == "openvino":
        return "no CUDA: the openvino engine runs on the CPU"
    if engine == "paddle":
        try:
            import paddle
        except ImportError:
            return "no CUDA: paddlepaddle is not installed"
        if not paddle.device.is_compiled_with_cuda():
            return "no CUDA: this paddlepaddle build has no CUDA support"
        if paddle.device.cuda.device_count() < 1:
            return "no CUDA device visible (check the NVIDIA runtime and CUDA_VISIBLE_DEVICES)"
        return None
    import onnxruntime

    if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
        return "no CUDA: onnxruntime has no CUDAExecutionProvider (install onnxruntime-gpu)"
    return None


def paddle_available() -> bool:
    try:
        import paddle  # noqa: F401
    except ImportError:
        return False
    return True


def onnxruntime_options(settings: Settings) -> dict[str, Any]:
    """Session options for every onnxruntime model of the pipeline (PaddleX's
    `ONNXRuntimeRunnerConfig`).

    PaddleOCR's `cpu_threads` only reaches Paddle Inference: left alone, onnxruntime sizes
    its thread pool by the host's physical cores, ignoring CPU affinity (and container
    quotas), so a pinned or limited process oversubscribes its cores. One inference runs
    at a time (the worker), so inter-op parallelism would only add threads.
    """
    options: dict[str, Any] = {"intra_op_num_threads": settings.cpu_threads, "inter_op_num_threads": 1}
    if not settings.ort_memory_arena:
        # The arena keeps every block it ever grew for and the memory pattern caches one
        # plan per input shape: with page sizes that vary, RSS creeps up request by request.
        options |= {"enable_cpu_mem_arena": False, "enable_mem_pattern": False}
    return options


def pipeline_engine(engine: str) -> str:
    """The engine PaddleOCR is built with: the openvino engine starts as an onnxruntime
    pipeline whose sessions are then swapped (engine/openvino.py)."""
    return "onnxruntime" if engine == "openvino" else engine


def _pipeline_factory(settings: Settings, det: StageFolder, rec: StageFolder, textline: StageFolder | None = None):
    engine = pipeline_engine(settings.engine)

    def build(device: str) -> Any:
        from paddleocr import PaddleOCR

        # PaddleX logs a coloured "Creating model" banner per model at INFO, set on import.
        logging.getLogger("paddlex").setLevel(logging.WARNING)
        return PaddleOCR(
            engine=engine,
            engine_config=onnxruntime_options(settings) if engine == "onnxruntime" else None,
            device=device,
            cpu_threads=settings.cpu_threads,
            enable_mkldnn=False,
            text_detection_model_name=det.name,
            text_detection_model_dir=str(det.path),
            text_recognition_model_name=rec.name,
            text_recognition_model_dir=str(rec.path),
            text_recognition_batch_size=settings.rec_batch_size,
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=textline is not None,
            textline_orientation_model_name=textline.name if textline else None,
            textline_orientation_model_dir=str(textline.path) if textline else None,
            text_det_limit_type="max",
            text_det_limit_side_len=settings.det_limit_side_len,
        )

    return build


def pipeline_inner(pipeline: Any) -> Any:
    """The PaddleX OCR pipeline inside a `PaddleOCR` object (None if this PaddleOCR version
    lays its objects out differently: then nothing is patched)."""
    return getattr(getattr(pipeline, "paddlex_pipeline", None), "_pipeline", None)


def text_recogniser(pipeline: Any) -> Any:
    """The PaddleX text-recognition predictor inside a `PaddleOCR` object, or None."""
    return getattr(pipeline_inner(pipeline), "text_rec_model", None)


def second_recogniser(pipeline: Any, folder: StageFolder, batch_size: int) -> Any:
    """A cascade's second recogniser, made by the pipeline's own factory so that it runs on
    the first one's engine, device and session options; None (logged) when the pipeline
    is laid out otherwise."""
    inner = pipeline_inner(pipeline)
    if not hasattr(inner, "create_model"):
        logger.warning("cannot build the cascade's second recogniser here; reading with the first alone")
        return None
    config = {"model_name": folder.name, "model_dir": str(folder.path), "batch_size": batch_size}
    return inner.create_model(config, input_shape=None)


def decode_with_space_prior(recogniser: Any, folder: StageFolder, settings: Settings) -> None:
    """Our decoder on one recogniser: the setting's space prior, else its own."""
    space_prior = settings.rec_space_prior or folder.space_prior
    if install_space_prior(recogniser, space_prior):
        logger.info("space prior %.0f on %s's decoding, with word boxes", space_prior, folder.name)


def runtime_of(settings: Settings, pipeline: Any, recognisers: Sequence[Any] = ()) -> tuple[str, str]:
    """The engine that really runs the models and its precision: `openvino` moves the
    pipeline (and `recognisers` outside it) onto OpenVINO here, or stays on onnxruntime
    when it cannot (logged)."""
    if settings.engine != "openvino":
        return settings.engine, "f32"
    precision = use_openvino(pipeline, settings.openvino_precision, settings.cpu_threads, recognisers)
    return ("openvino", precision) if precision else ("onnxruntime", "f32")


def prepare_recognition(
    settings: Settings, pipeline: Any, rec: StageFolder, second_rec: StageFolder | None
) -> tuple[str, str]:
    """Decoders, engine and, for a cascade preset, the cascade: in that order, because the
    decoder and OpenVINO swaps reach into each PaddleX recogniser, which the cascade hides.
    Returns the engine that runs and its precision, as `runtime_of`."""
    decode_with_space_prior(text_recogniser(pipeline), rec, settings)
    second = second_recogniser(pipeline, second_rec, settings.rec_batch_size) if second_rec else None
    if second is None:
        return runtime_of(settings, pipeline)
    decode_with_space_prior(second, second_rec, settings)
    ran = runtime_of(settings, pipeline, [second])
    if install_cascade(pipeline_inner(pipeline), second, settings.cascade_threshold):
        logger.info("cascade: %s re-reads lines under confidence %.2f", second_rec.name, settings.cascade_threshold)
    return ran


def build_engine(settings: Settings, workdir: Path | None = None) -> tuple[OcrEngine, DeviceReport]:
    """Verify the models, start the pipeline on the configured device and report how."""
    started = time.perf_counter()
    limit_heap_retention()
    workdir = workdir or Path(tempfile.mkdtemp(prefix="invoice-ocr-models-"))
    det, rec, second_rec = prepare_stage_folders(settings, workdir)
    textline = materialize_textline_stage(workdir / "textline") if settings.textline_orientation else None
    pipeline, report = start_on_device(
        settings.device, lambda: cuda_problem(settings.engine), _pipeline_factory(settings, det, rec, textline)
    )
    engine_name, precision = prepare_recognition(settings, pipeline, rec, second_rec)
    info = PipelineInfo(
        engine=engine_name,
        model=model_label(settings),
        device=report.current_device,
        using_gpu=report.using_gpu,
        precision=precision,
    )
    logger.info(
        "OCR engine ready: %s/%s (%s) on %s (det %s, rec %s) in %.1f s",
        info.engine,
        info.model,
        info.precision,
        info.device,
        det.name,
        f"{rec.name} then {second_rec.name}" if second_rec else rec.name,
        time.perf_counter() - started,
    )
    engine: OcrEngine = PaddleOcrEngine(pipeline, info, nfkc=settings.text_normalization)
    if settings.orientation:
        engine = OrientingEngine(engine, get_orientation_classifier())
    return engine, report
