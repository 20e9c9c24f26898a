"""glibc heap handling: trimming hands freed memory back, and is harmless anywhere."""

from __future__ import annotations

import ctypes

import numpy as np
import psutil
import pytest

from invoice_ocr.heap import _glibc, limit_heap_retention, release_free_heap


@pytest.mark.skipif(_glibc() is None, reason="not glibc: release_free_heap does nothing here")
def test_release_free_heap_returns_freed_heap_memory_to_the_os(monkeypatch: pytest.MonkeyPatch):
    # An operator's MALLOC_* variables would make limit_heap_retention step aside; mallopt
    # overrides them at run time, so without them here the heap layout below is ours.
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    limit_heap_retention()  # the service's fixed 8 MiB mmap threshold, so the blocks below sit in the heap
    process = psutil.Process()
    # 200 blocks of 400 KiB (below the mmap threshold, so they live in the heap), every
    # other one freed: the holes stay resident until the heap is trimmed.
    blocks = [np.ones(50_000) for _ in range(200)]
    del blocks[::2]
    before = process.memory_info().rss
    release_free_heap()
    after = process.memory_info().rss
    assert before - after > 20 * 1024 * 1024, (before, after)
    del blocks


def test_release_free_heap_without_glibc_does_nothing(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ctypes, "CDLL", lambda _name: (_ for _ in ()).throw(OSError("no libc")))
    _glibc.cache_clear()
    try:
        release_free_heap()
        assert _glibc() is None
    finally:
        monkeypatch.undo()
        _glibc.cache_clear()
