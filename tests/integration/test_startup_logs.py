"""A CPU start is quiet: no PaddleX banner per model (and no GPU warning on a machine
without CUDA: tests/unit/test_device.py)."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.integration


def test_paddlex_banners_are_off_once_an_engine_is_built(ocr_engine) -> None:
    assert ocr_engine.info.engine
    assert logging.getLogger("paddlex").getEffectiveLevel() >= logging.WARNING
