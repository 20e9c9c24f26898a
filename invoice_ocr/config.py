"""Service settings: one object, every knob read from `OCR_*` environment variables.

Each field's description is the documentation: the README's configuration table lists
the same names and defaults.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class Settings(BaseSettings):
    """All configuration of the service. Environment variables use the `OCR_` prefix."""

    model_config = SettingsConfigDict(env_prefix="OCR_", env_file=None, extra="ignore", frozen=True)

    host: str = Field("0.0.0.0", description="Interface the server binds to.")
    port: int = Field(
        8080,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("OCR_PORT", "PORT"),
        description="TCP port; `PORT` is honoured too (PaaS convention).",
    )
    engine: Literal["onnxruntime", "paddle"] = Field(
        "onnxruntime",
        description="Inference engine: `onnxruntime` (CPU default, no paddlepaddle needed) "
        "or `paddle` (Paddle Inference, the GPU image's engine).",
    )
    device: Literal["auto", "gpu", "cpu"] = Field(
        "auto",
        description="`auto` tries the GPU first and falls back to the CPU; `gpu` fails "
        "startup without one; `cpu` never touches a GPU.",
    )
    model_preset: str = Field(
        "pp-ocrv6-tiny",
        description="Model preset (see DOCUMENTATION.md); ignored for a stage whose custom model folder is set.",
    )
    det_model_dir: Path | None = Field(
        None, description="Custom detection model folder (inference.onnx/.json + inference.yml)."
    )
    rec_model_dir: Path | None = Field(
        None, description="Custom recognition model folder (inference.onnx/.json + inference.yml)."
    )
    max_upload_bytes: int = Field(20 * MIB, gt=0, description="Largest accepted upload, bytes (413 past it).")
    max_image_pixels: int = Field(
        50_000_000,
        gt=0,
        description="Largest accepted page, width × height (413 past it, checked before decoding).",
    )
    queue_size: int = Field(16, ge=1, description="Pages waiting for inference before new requests get 503.")
    inference_threads: int = Field(
        0, ge=0, description="CPU threads per engine; 0 uses the cores this process may run on."
    )
    det_limit_side_len: int = Field(
        960, ge=32, description="Detection input: longest page side is scaled down to this (pixels)."
    )
    text_normalization: bool = Field(
        True,
        description="Apply Unicode NFKC to recognised text (full-width `：` becomes `:`).",
    )
    warmup: bool = Field(True, description="Run a warm-up inference at startup before reporting ready.")
    log_level: str = Field("INFO", description="Python logging level.")

    @model_validator(mode="after")
    def _check_model_dirs(self) -> Settings:
        for name in ("det_model_dir", "rec_model_dir"):
            folder = getattr(self, name)
            if folder is not None and not folder.is_dir():
                raise ValueError(f"OCR_{name.upper()} is not a folder: {folder}")
        return self

    @property
    def cpu_threads(self) -> int:
        """The thread count engines should use: the setting, or the cores we may run on."""
        if self.inference_threads:
            return self.inference_threads
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()


def _env_name(name: str, field) -> str:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return " / ".join(f"`{choice}`" for choice in alias.choices)
    return f"`OCR_{name.upper()}`"


def settings_table() -> str:
    """The configuration table of README.md, generated so the two cannot drift apart."""
    rows = ["| Variable | Default | Description |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "unset" if field.default is None else f"`{field.default}`"
        rows.append(f"| {_env_name(name, field)} | {default} | {field.description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_table())
