"""glibc heap settings for a process that reads pages of ever-changing size.

Slow RSS growth until the OOM killer is the most reported complaint against PaddleOCR and
RapidOCR servers; here it comes from glibc keeping freed image and tensor buffers, not
from a leak (bench/soak.py measures it). Both functions do nothing where the C library
is not glibc (musl, macOS). It sits at the bottom of the package, beside `page.py`: the
engine and the decode sandbox's workers both set it, and neither imports the other.
"""

from __future__ import annotations

import ctypes
import os
from functools import cache

# glibc's mallopt parameters (malloc.h) and the values bench/soak.py chose.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
_MMAP_THRESHOLD_BYTES, _ARENA_MAX = 8 * 1024 * 1024, 2
# A decode worker's: glibc's own ceilings for its self-raising thresholds.
_WORKER_MMAP_THRESHOLD_BYTES, _WORKER_TRIM_THRESHOLD_BYTES = 32 * 1024 * 1024, 64 * 1024 * 1024


@cache
def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def _set_unless_overridden(parameters: dict[int, int], variables: set[str]) -> None:
    """`mallopt` each parameter, unless the operator set one of `variables` (glibc's own
    environment knobs for them) or the C library is not glibc."""
    libc = _glibc()
    if libc is None or variables & os.environ.keys():
        return
    for parameter, value in parameters.items():
        libc.mallopt(parameter, value)


def limit_heap_retention() -> None:
    """Let freed page buffers go back to the OS (glibc only; process-wide, once, early).

    Left alone, glibc gives every decoding thread its own malloc arena and, after the first
    large free, raises its mmap threshold so later multi-MB image and tensor buffers come
    from those arenas and stay there: a server reading pages of varying size then sits at
    about 1 GB RSS instead of about 400 MB (bench/soak.py). A fixed 8 MiB threshold maps
    the largest buffers (phone photos and their tensors) and unmaps them on free; two
    arenas bound the rest. The threshold is a trade: at 1 MiB every A4 page's tensors were
    mapped and unmapped and inference ran 1.8× slower (0.98 s against 0.54 s per page),
    at glibc's default RSS grew 116 MB over a 400-request soak, at 8 MiB it grew 41 MB.
    Operators who set MALLOC_ARENA_MAX or MALLOC_MMAP_THRESHOLD_ themselves keep their values.
    """
    _set_unless_overridden(
        {_M_MMAP_THRESHOLD: _MMAP_THRESHOLD_BYTES, _M_ARENA_MAX: _ARENA_MAX},
        {"MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_"},
    )


def keep_heap_between_decodes() -> None:
    """Keep a decode worker's freed page buffers for its next page (glibc only; once, early).

    A fresh process gives freed heap back to the OS past a small threshold that glibc only
    raises as the process makes and frees large blocks; a sandbox worker (documents/sandbox.py)
    starts fresh and frees its few page buffers after every call, so every page it decoded
    faulted its buffers in again: about 5,000 minor faults and 10-13 ms more per A4 page
    than the same decode in the server (measured on the 2-core machine). These are the
    thresholds glibc would grow to by itself; a worker then keeps up to 64 MiB of free heap.
    Operators who set MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_ keep their values.
    """
    _set_unless_overridden(
        {_M_MMAP_THRESHOLD: _WORKER_MMAP_THRESHOLD_BYTES, _M_TRIM_THRESHOLD: _WORKER_TRIM_THRESHOLD_BYTES},
        {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"},
    )


def release_free_heap() -> None:
    """Hand the free pages inside the heap back to the OS (`malloc_trim`).

    Freed buffers below the mmap threshold stay resident in the arenas until the next
    allocation reuses them; after a burst of large pages that is a few hundred MB held for
    nothing. Trimming takes under a millisecond but makes the next page fault its buffers
    in again, so the inference worker calls it only after half a second with no work.
    """
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
