"""OpenVINO under the PaddleOCR pipeline (`OCR_ENGINE=openvino`): the same ONNX files,
compiled by OpenVINO for the CPU, the recogniser in bf16 where the CPU has it.

How it plugs in. PaddleX 3.7.2 does have an engine registry
(`paddlex/inference/models/engines/`), but PaddleOCR 3.7 accepts only the engine names
of its own `SUPPORTED_INFERENCE_ENGINE_LIST`, and every model needs a per-engine entry
in PaddleX's binding registry: a new engine name would mean patching both. So the
pipeline is built with `engine="onnxruntime"`, and the `session` of each of its
`ONNXRuntimeRunner`s is then replaced by `OpenVinoSession`, which quacks like the
onnxruntime `InferenceSession` the runner calls (`run(output_names, feeds)`;
`get_inputs()` / `get_outputs()`), backed by an OpenVINO compiled model of the same file.
Pre- and post-processing stay PaddleX's own, so the space prior (engine/spacing.py, a
swap of the decoder) and the page orientation step (engine/orientation.py, its own
onnxruntime session: a few ms per page) work as before. The price: onnxruntime
sessions are built first and dropped (well under a second at start-up).

Precision. Only the recogniser (most of a page's time with the default preset) runs in
bf16; the detector and the line classifier stay f32. Measured here (DOCUMENTATION.md,
"OpenVINO engine"): the detector in bf16 lost words (word F1 0.941 → 0.933 on 4 damaged
renders, 0.905 → 0.900 on real receipts) for a few per cent of a page's time, while the
recogniser in bf16 reads the same to within a few words and runs about twice as fast.
A cascade preset's second recogniser (engine/cascade.py) lives outside the pipeline's
objects: it is handed in, and runs as the pipeline's own recogniser does.

Fallback: when openvino is missing, or a model does not compile or fails its first
inference, nothing is replaced (all models or none) and the pipeline runs on
onnxruntime, with a warning.

Shapes. OpenVINO pays more for the first call at a new input shape than for a repeat.
With its per-shape kernel cache on it also kept those kernels (about 5 MB RSS each, and
every new page size is a new detector shape), so the cache is off (`compile_config`): a
new width then costs the small recogniser about twice a repeat's time instead of three
times, and RSS no longer grows with page sizes (DOCUMENTATION.md, "OpenVINO engine").
Text lines reach the recogniser at height 48 and any width from 320 to 3200, so their
width is padded to a multiple of `REC_WIDTH_BUCKET` (`BucketedWidthSession`): at most 46
shapes instead of one per width. The buckets up to 1280 are run once when the engine is
built, which also proves each compiled model runs.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

logger = logging.getLogger(__name__)

Precision = Literal["bf16", "f32"]
# PaddleX's predictors inside the OCR pipeline that run an ONNX model through a runner.
PIPELINE_MODELS = ("text_det_model", "text_rec_model", "textline_orientation_model")
RECOGNISER = "text_rec_model"
REC_WIDTH_BUCKET = 64
# PaddleX never makes a line narrower than 320 (48 × its 320/48 ratio). Buckets past 1280
# are first run by a live line.
WARM_WIDTHS = range(320, 1280 + 1, REC_WIDTH_BUCKET)


def choose_precision(requested: str, capabilities: Sequence[str]) -> Precision:
    """bf16 where the CPU has it (OpenVINO lists "BF16" for AVX512-BF16 and AMX), else f32.
    `requested` is `OCR_OPENVINO_PRECISION`: auto, bf16 or f32."""
    if requested == "f32":
        return "f32"
    if "BF16" in capabilities:
        return "bf16"
    if requested == "bf16":
        logger.warning("OCR_OPENVINO_PRECISION=bf16 but this CPU has no bf16 support: using f32")
    return "f32"


def compile_config(precision: Precision, threads: int) -> dict[str, Any]:
    """CPU plugin properties. One inference at a time per engine (the worker), so one
    stream tuned for latency. Pinning is off: with several engines (`OCR_ENGINES`), each
    pinning its threads could stack them on the same cores."""
    return {
        "INFERENCE_PRECISION_HINT": precision,
        "INFERENCE_NUM_THREADS": threads,
        "PERFORMANCE_HINT": "LATENCY",
        "NUM_STREAMS": 1,
        "ENABLE_CPU_PINNING": False,
        # The CPU plugin keeps the kernels it builds for every input shape it has seen, and
        # pages of ever new sizes make ever new detector shapes: with that cache on, RSS grew
        # page by page (bench.soak). Off, a shape's kernels are rebuilt per call, for little time.
        "CPU_RUNTIME_CACHE_CAPACITY": 0,
    }


@dataclass(frozen=True)
class TensorInfo:
    """What onnxruntime's `NodeArg` tells: name, shape (None where dynamic), element type."""

    name: str
    shape: list[int | None]
    type: str


def _tensor_info(port: Any) -> TensorInfo:
    shape = [dim.get_length() if dim.is_static else None for dim in port.get_partial_shape()]
    return TensorInfo(port.get_any_name(), shape, port.get_element_type().get_type_name())


class OpenVinoSession:
    """The part of `onnxruntime.InferenceSession` that PaddleX's `ONNXRuntimeRunner` uses,
    on an OpenVINO compiled model. One infer request: not thread-safe, like the pipeline
    (one worker thread owns each engine)."""

    def __init__(self, compiled: Any) -> None:
        self._compiled = compiled
        self._request = compiled.create_infer_request()

    def get_inputs(self) -> list[TensorInfo]:
        return [_tensor_info(port) for port in self._compiled.inputs]

    def get_outputs(self) -> list[TensorInfo]:
        return [_tensor_info(port) for port in self._compiled.outputs]

    def run(self, output_names: Sequence[str] | None, feeds: dict[str, np.ndarray], *_: Any) -> list[np.ndarray]:
        # Outputs are copied out of the request (`share_outputs=False`, the default): the
        # next call reuses its buffers while the caller may still hold these arrays.
        results = self._request.infer(feeds, share_inputs=True)
        names = output_names or [info.name for info in self.get_outputs()]
        return [np.asarray(results[name]) for name in names]


def bucket_width(width: int, bucket: int = REC_WIDTH_BUCKET) -> int:
    return math.ceil(width / bucket) * bucket


def pad_to_bucket(batch: np.ndarray, bucket: int = REC_WIDTH_BUCKET) -> np.ndarray:
    """`batch` with its width (last axis) padded with zeros to a multiple of `bucket`."""
    width = batch.shape[-1]
    padded = bucket_width(width, bucket)
    if padded == width:
        return batch
    return np.pad(batch, [(0, 0)] * (batch.ndim - 1) + [(0, padded - width)])


class BucketedWidthSession:
    """A recogniser session that pads each input's width (last axis) to a multiple of
    `bucket` with zeros, the value PaddleX itself pads lines narrower than 320 with. The
    output keeps the padded steps, as PaddleX's padded lines do: the CTC decoder reads
    them as blanks. (Cutting them back to the unpadded width's steps read worse: word F1
    0.966 against 0.970 on 12 damaged renders.)"""

    def __init__(self, session: Any, bucket: int = REC_WIDTH_BUCKET) -> None:
        self._session = session
        self.bucket = bucket

    def get_inputs(self) -> list[Any]:
        return self._session.get_inputs()

    def get_outputs(self) -> list[Any]:
        return self._session.get_outputs()

    def run(self, output_names: Sequence[str] | None, feeds: dict[str, np.ndarray], *_: Any) -> list[np.ndarray]:
        ((name, batch),) = feeds.items()
        return self._session.run(output_names, {name: pad_to_bucket(batch, self.bucket)})

    def warm(self, widths: Iterable[int]) -> None:
        """Run each bucket once, so live lines do not pay its first-call penalty."""
        (info,) = self.get_inputs()
        channels, height = info.shape[1:3]
        for width in widths:
            self.run(None, {info.name: np.zeros((1, channels, height, width), np.float32)})


def onnx_runners(pipeline: Any) -> Iterator[tuple[str, Any]]:
    """(name, runner) for every PaddleX predictor of a `PaddleOCR` object that runs an
    onnxruntime session; nothing if this PaddleOCR release lays its objects out otherwise."""
    inner = getattr(getattr(pipeline, "paddlex_pipeline", None), "_pipeline", None)
    for name in PIPELINE_MODELS:
        runner = getattr(getattr(inner, name, None), "runner", None)
        if runner is not None and hasattr(runner, "session"):
            yield name, runner


def _model_path(runner: Any) -> Path:
    return Path(runner.model_dir) / f"{runner.model_file_prefix}.onnx"


def model_precision(name: str, precision: Precision) -> Precision:
    """The recogniser runs at `precision`, every other model at f32 (see the module doc)."""
    return precision if name == RECOGNISER else "f32"


def compile_sessions(runners: list[tuple[str, Any]], precision: Precision, threads: int) -> list[Any]:
    """One OpenVINO session per runner, in order (recognisers' width-bucketed); raises
    when openvino is missing or any model fails to compile."""
    import openvino

    core = openvino.Core()
    sessions: list[Any] = []
    for name, runner in runners:
        config = compile_config(model_precision(name, precision), threads)
        session: Any = OpenVinoSession(core.compile_model(str(_model_path(runner)), "CPU", config))
        sessions.append(BucketedWidthSession(session) if name == RECOGNISER else session)
    return sessions


def cpu_capabilities() -> list[str]:
    import openvino

    return list(openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES"))


def use_openvino(
    pipeline: Any, requested_precision: str, threads: int, recognisers: Sequence[Any] = ()
) -> Precision | None:
    """Run the pipeline's models, and `recognisers` outside it (a cascade's second one,
    engine/cascade.py; run like the pipeline's own), on OpenVINO. Returns the
    recognisers' precision, or None when everything stays on onnxruntime (openvino
    missing, or a model did not compile; logged as a warning). All models are replaced,
    or none."""
    runners = list(onnx_runners(pipeline))
    if not runners:
        logger.warning("OCR_ENGINE=openvino: no onnxruntime runner found in the pipeline; staying on onnxruntime")
        return None
    runners += [(RECOGNISER, recogniser.runner) for recogniser in recognisers]
    try:
        precision = choose_precision(requested_precision, cpu_capabilities())
        sessions = compile_sessions(runners, precision, threads)
        for session in sessions:
            if isinstance(session, BucketedWidthSession):
                session.warm(WARM_WIDTHS)  # also proves the compiled model runs
    except Exception as error:  # ImportError, or whatever OpenVINO raises for a model it cannot run
        logger.warning("OCR_ENGINE=openvino unavailable (%s: %s); using onnxruntime", type(error).__name__, error)
        return None
    for (_, runner), session in zip(runners, sessions, strict=True):
        runner.session = session
    return precision
