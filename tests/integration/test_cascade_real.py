"""The cascade preset on a real receipt: the tiny recogniser reads every line, the small one
re-reads exactly those the tiny one was unsure of, and each line reports the more
confident of its readings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import cv2
import pytest

from invoice_ocr.config import Settings
from invoice_ocr.engine.cascade import CascadeRecogniser
from invoice_ocr.engine.paddle import build_engine, text_recogniser
from invoice_ocr.extraction.layout import reading_order_text

pytestmark = pytest.mark.integration

THRESHOLD = 0.97
# Receipt 017 of sroie-sample: lines of its box file (ground truth) and its total.
EXPECTED = ("LIGHTROOM GALLERY SDN BHD", "CREDIT NOTE", "CASHIER", "39.80")


class ScoreSpy:
    """Passes calls through to a recogniser and records the scores it gave."""

    def __init__(self, recogniser: Any) -> None:
        self.recogniser = recogniser
        self.scores: list[float] = []

    def __call__(self, images: Any, **kwargs: Any) -> list[Any]:
        results = list(self.recogniser(images, **kwargs))
        self.scores += [float(result["rec_score"]) for result in results]
        return results


def cascade_engine(engine: str) -> tuple[Any, ScoreSpy, ScoreSpy]:
    built, _ = build_engine(
        Settings(device="cpu", engine=engine, model_preset="pp-ocrv6-cascade", cascade_threshold=THRESHOLD)
    )
    cascade = text_recogniser(built._engine._pipeline)  # inside the page-orientation wrapper
    assert isinstance(cascade, CascadeRecogniser)
    cascade.first, cascade.second = ScoreSpy(cascade.first), ScoreSpy(cascade.second)
    return built, cascade.first, cascade.second


def receipt(sroie_dir: Path) -> Any:
    return cv2.imread(str(sroie_dir / "img" / "017.jpg"))


def test_the_cascade_reads_a_real_receipt_and_re_reads_the_doubtful_lines(sroie_dir: Path) -> None:
    engine, first, second = cascade_engine("onnxruntime")
    page = engine.recognize([receipt(sroie_dir)])[0]
    text = reading_order_text(page.lines).upper()
    for expected in EXPECTED:
        assert expected in text, text
    doubtful = [score for score in first.scores if score < THRESHOLD]
    assert doubtful and len(second.scores) == len(doubtful) < len(first.scores)
    # Every line reports the better of its readings (the pipeline keeps the lines' order
    # apart from the crops', so compare as multisets); some came from the second reader.
    kept = [score for score in first.scores if score >= THRESHOLD]
    kept += [max(pair) for pair in zip(doubtful, second.scores, strict=True)]
    reported = Counter(round(line.confidence, 6) for line in page.lines)
    assert not reported - Counter(round(score, 6) for score in kept)
    assert any(after > before for before, after in zip(doubtful, second.scores, strict=True))
    for line in page.lines:
        assert " ".join(word.text for word in line.words) == line.text


def test_the_cascade_runs_on_openvino(sroie_dir: Path) -> None:
    pytest.importorskip("openvino")
    engine, first, second = cascade_engine("openvino")
    assert engine.info.engine == "openvino" and engine.info.model == "pp-ocrv6-cascade"
    text = reading_order_text(engine.recognize([receipt(sroie_dir)])[0].lines).upper()
    for expected in EXPECTED:
        assert expected in text, text
    assert 0 < len(second.scores) < len(first.scores)
