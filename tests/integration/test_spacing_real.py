"""The space prior on real pixels: spaces PP-OCR's recogniser drops come back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.metrics import WordScore, word_score
from bench.models import sroie_pages
from bench.peers import bench_pages
from invoice_ocr.config import Settings
from invoice_ocr.engine.paddle import build_engine
from invoice_ocr.extraction.layout import reading_order_text


@pytest.fixture(scope="module")
def engine_without_prior():
    engine, _ = build_engine(Settings(device="cpu", warmup=False, rec_space_prior=1))
    return engine


def read(engine, image) -> str:
    return reading_order_text(engine.recognize([image])[0].lines)


def test_noisy_render_keeps_the_spaces_between_amounts(ocr_engine, engine_without_prior):
    # Page 5 of the throughput benchmark's set: blurred and noisy, where the small
    # recogniser glues "19.30 19.30" into one word without the prior.
    page = bench_pages(8, seed=7)[5]
    without, default = read(engine_without_prior, page.image), read(ocr_engine, page.image)
    assert "19.3019.30" in without
    for phrase in ("Invoice No:", "19.30 19.30", "Subtotal: 17,617.46"):
        assert phrase in default, default


def test_real_receipts_read_better_with_the_prior(ocr_engine, engine_without_prior, sroie_dir: Path):
    with_prior, without = WordScore(), WordScore()
    for image, truth in sroie_pages():
        with_prior += word_score(read(ocr_engine, image), truth, upper=True)
        without += word_score(read(engine_without_prior, image), truth, upper=True)
    assert with_prior.f1 > without.f1 + 0.02, (with_prior.f1, without.f1)
