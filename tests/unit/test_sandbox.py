"""The decode sandbox: calls run in worker processes with a memory and a time limit; a
worker that overruns either is killed and replaced, and the next call works."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from invoice_ocr import heap
from invoice_ocr.documents import (
    DecodeMemoryError,
    DecodeTimeoutError,
    DocumentLimits,
    EmptyDocumentError,
    Page,
    load_pages,
)
from invoice_ocr.documents import sandbox as sandbox_module
from invoice_ocr.documents.sandbox import SHM_DIR, SHM_PREFIX, DecodeSandbox, SandboxConfig

LIMITS = DocumentLimits(max_bytes=10**8, max_pixels=50_000_000)


def inflating_pdf(inflated_mib: int = 1024) -> bytes:
    """A one-page PDF whose content stream is ~1 MB of flate data inflating to `inflated_mib` MiB."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(compressor.compress(chunk) for _ in range(inflated_mib)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.7\n", []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    xref = b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return body + xref + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % len(body)


def hang(seconds: float) -> None:
    """A decoder that never finishes in time (top level: it travels to the worker by name)."""
    time.sleep(seconds)


def hanging_decoder(*_args: object) -> None:
    """Stands in for `load_pages` in the API test of a decoder that hangs."""
    hang(60)


def noise_pages(seed: int) -> list[Page]:
    """Pages of random pixels in every layout the decoders return (top level: it travels by name)."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (700, 500, 3), dtype=np.uint8)
    return [Page(pixels, 1), Page(np.ascontiguousarray(pixels[:, :, 0]), 2), Page(pixels[::2, ::3], 3)]


def our_call_files() -> list[str]:
    """The sandbox's call files in /dev/shm that this process made."""
    return [name for name in os.listdir(SHM_DIR) if name.startswith(f"{SHM_PREFIX}{os.getpid()}-")]


def png(width: int, height: int) -> bytes:
    rng = np.random.default_rng(3)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


needs_shm = pytest.mark.skipif(not os.path.isdir(SHM_DIR), reason="no /dev/shm: results come through the pipe")


@pytest.fixture
def sandbox():
    box = DecodeSandbox(SandboxConfig(workers=1, memory_mb=1024, timeout_s=1.0))
    box.warm()
    yield box
    box.close()


def test_calls_run_in_another_process_and_errors_come_back(sandbox):
    assert sandbox.call(os.getpid) != os.getpid()
    with pytest.raises(EmptyDocumentError):
        sandbox.call(load_pages, b"", LIMITS)


def test_an_inflating_pdf_costs_the_worker_not_the_caller():
    # A generous time limit: the memory limit, not the clock, must stop this one.
    sandbox = DecodeSandbox(SandboxConfig(workers=1, memory_mb=1024, timeout_s=60.0))
    data = inflating_pdf()
    assert len(data) < 1_100_000
    with pytest.raises(DecodeMemoryError, match="OCR_DECODE_MEMORY_MB"):
        sandbox.call(load_pages, data, LIMITS)
    assert sandbox.replaced == 1
    assert sandbox.call(load_pages, inflating_pdf(8), LIMITS)  # a fresh worker, a small stream: fine
    sandbox.close()


def test_a_hanging_decoder_is_killed_and_replaced(sandbox):
    with pytest.raises(DecodeTimeoutError, match="OCR_DECODE_TIMEOUT_S"):
        sandbox.call(hang, 30)
    assert sandbox.replaced == 1
    assert sandbox.call(os.getpid) > 0


def assert_same_pages(got: list, expected: list) -> None:
    assert len(got) == len(expected)
    for page, want in zip(got, expected, strict=True):
        assert page.number == want.number
        assert page.image.dtype == want.image.dtype and page.image.shape == want.image.shape
        assert np.array_equal(page.image, want.image)
        assert page.image.flags.writeable


@needs_shm
def test_large_results_come_back_identical_through_shared_memory_and_leave_no_file(sandbox, monkeypatch):
    reads = []
    real_read = sandbox_module._read
    monkeypatch.setattr(sandbox_module, "_read", lambda *args: reads.append(args) or real_read(*args))

    assert_same_pages(sandbox.call(noise_pages, 5), noise_pages(5))
    data = png(900, 700)
    assert_same_pages(sandbox.call(load_pages, data, LIMITS), load_pages(data, LIMITS))
    assert len(reads) == 2  # both through the file, not the pipe
    assert sandbox.call(os.getpid) > 0  # a small result: through the pipe
    assert len(reads) == 2
    assert our_call_files() == []


def test_without_shared_memory_results_come_through_the_pipe(sandbox, monkeypatch):
    monkeypatch.setattr(sandbox_module, "SHM_DIR", "/nonexistent-shm-dir")
    assert_same_pages(sandbox.call(noise_pages, 6), noise_pages(6))


def test_a_worker_that_cannot_write_the_file_returns_the_result_itself(tmp_path, monkeypatch):
    # The file gone (its caller gave up): the worker makes none and falls back to the pipe.
    assert_same_pages(sandbox_module._run(str(tmp_path / "gone"), noise_pages, (7,), {}), noise_pages(7))
    assert not (tmp_path / "gone").exists()
    # Too little room left in /dev/shm: the same, and nothing written.
    full = os.statvfs_result((4096, 4096, 100, 0, 0, 100, 0, 0, 0, 255))
    monkeypatch.setattr(sandbox_module.os, "fstatvfs", lambda _fd: full)
    (tmp_path / "call").touch()
    assert_same_pages(sandbox_module._run(str(tmp_path / "call"), noise_pages, (7,), {}), noise_pages(7))
    assert (tmp_path / "call").stat().st_size == 0


@needs_shm
def test_no_file_is_left_after_a_timeout_or_a_memory_kill():
    sandbox = DecodeSandbox(SandboxConfig(workers=1, memory_mb=1024, timeout_s=1.0))
    with pytest.raises(DecodeTimeoutError):
        sandbox.call(hang, 30)
    assert our_call_files() == []
    sandbox.config = SandboxConfig(workers=1, memory_mb=1024, timeout_s=60.0)
    with pytest.raises(DecodeMemoryError):
        sandbox.call(load_pages, inflating_pdf(), LIMITS)
    assert our_call_files() == []
    assert sandbox.replaced == 2
    assert_same_pages(sandbox.call(noise_pages, 8), noise_pages(8))  # the replacement works
    assert our_call_files() == []
    sandbox.close()


@needs_shm
def test_files_left_by_a_killed_server_are_removed_by_the_next(monkeypatch):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    stale = os.path.join(SHM_DIR, f"{SHM_PREFIX}{int(gone.stdout)}-0123456789abcdef")
    other = os.path.join(SHM_DIR, f"{SHM_PREFIX}{os.getppid()}-0123456789abcdef")  # a live server's
    for path in (stale, other):
        with open(path, "wb") as file:
            file.write(b"pixels")
    try:
        sandbox_module._remove_stale_files.cache_clear()
        DecodeSandbox(SandboxConfig(workers=1)).close()
        assert not os.path.exists(stale)
        assert os.path.exists(other)
    finally:
        for path in (stale, other):
            if os.path.exists(path):
                os.unlink(path)


def page_buffer_faults() -> int:
    """Minor page faults of the second of two page-sized decodes in a row (in the worker)."""
    import resource

    faults = 0
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        pixels = np.ones((1754, 1240, 3), np.uint8)  # an A4 page at 150 dpi, and its converted copy
        converted = pixels[:, :, ::-1].copy()
        del pixels, converted
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    return faults


@pytest.mark.skipif(heap._glibc() is None, reason="not glibc: the worker's heap is the C library's business")
def test_a_worker_reuses_its_page_buffers_instead_of_faulting_them_in_again(sandbox):
    # A fresh process hands such buffers back to the OS; 6.5 MB is 1,600 pages to fault in.
    assert sandbox.call(page_buffer_faults) < 200
