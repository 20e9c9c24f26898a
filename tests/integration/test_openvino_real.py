"""The openvino engine on real pixels reads what the onnxruntime engine reads: the same
ONNX files, PaddleX's pre- and post-processing, bf16 (where the CPU has it) or f32."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.metrics import WordScore, word_score
from bench.models import sroie_pages
from invoice_ocr.config import Settings
from invoice_ocr.engine.openvino import cpu_capabilities
from invoice_ocr.engine.paddle import build_engine
from invoice_ocr.extraction.layout import reading_order_text
from invoice_ocr.samples import render_sample_invoice

pytestmark = pytest.mark.integration
pytest.importorskip("openvino")


@pytest.fixture(scope="module")
def onnxruntime_engine():
    """The reference: the same models on onnxruntime (the default engine is openvino)."""
    engine, _ = build_engine(Settings(device="cpu", engine="onnxruntime", warmup=False))
    assert engine.info.engine == "onnxruntime"
    return engine


@pytest.fixture(scope="module", params=["auto", "f32"])
def openvino_engine(request):
    engine, _ = build_engine(Settings(device="cpu", engine="openvino", openvino_precision=request.param, warmup=False))
    return engine


def read(engine, image: np.ndarray) -> str:
    return reading_order_text(engine.recognize([image])[0].lines)


def test_the_engine_is_openvino_at_the_cpu_s_precision(openvino_engine) -> None:
    info = openvino_engine.info
    assert info.engine == "openvino" and not info.using_gpu
    assert info.precision in {"bf16", "f32"}
    if info.precision == "bf16":
        assert "BF16" in cpu_capabilities()


def test_the_sample_invoice_reads_as_with_onnxruntime(onnxruntime_engine, openvino_engine) -> None:
    sample = render_sample_invoice()
    image = np.asarray(sample.image)[:, :, ::-1].copy()
    reference, text = read(onnxruntime_engine, image), read(openvino_engine, image)
    assert word_score(text, reference).f1 >= 0.98, (text, reference)
    for expected in (sample.invoice_number, sample.invoice_date, sample.total, "Globex Corporation", "189.56"):
        assert expected in text, text


def test_real_receipts_read_as_with_onnxruntime(onnxruntime_engine, openvino_engine, sroie_dir: Path) -> None:
    agreement = WordScore()
    for image, _truth in sroie_pages():
        agreement += word_score(read(openvino_engine, image), read(onnxruntime_engine, image))
    # Real scans are where bf16 rounding can flip a character; most words must still agree.
    assert agreement.f1 >= 0.95
