"""The decode sandbox: calls run in worker processes with a memory and a time limit; a
worker that overruns either is killed and replaced, and the next call works."""

from __future__ import annotations

import os
import time
import zlib

import numpy as np
import pytest

from invoice_ocr.documents import DecodeMemoryError, DecodeTimeoutError, DocumentLimits, EmptyDocumentError, load_pages
from invoice_ocr.documents.sandbox import DecodeSandbox, SandboxConfig
from invoice_ocr.engine import heap

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
