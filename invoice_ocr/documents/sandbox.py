"""Decode untrusted bytes in worker processes, not in the server process.

A decompression bomb (a 1 MB PDF content stream inflating to 1 GiB, a crafted image) or a
decoder that loops must cost a child process, never the server: each of `workers` slots is
one process with an address-space limit (`RLIMIT_AS`, `memory_mb`) and every call has a
wall-clock limit (`timeout_s`). A process that runs out of memory, crashes or overruns is
killed and replaced; the caller gets `DecodeMemoryError` (413) or `DecodeTimeoutError`
(504). A worker keeps its freed page buffers for the next page (`keep_heap_between_decodes`):
a fresh process would hand them back and fault them in again for every page.

Each slot is a `concurrent.futures.ProcessPoolExecutor` of one process: the stdlib pool
does the process plumbing, and one process per executor means killing an overrunning call
never breaks another request's. Processes fork from a forkserver that has already imported
the decoders, so replacing one costs milliseconds, not an import; the pool starts on first
use and stays warm.

What comes back is the decoded pages (numpy arrays), within the budgets `count_pages`
checked. A result of `SHM_MIN_BYTES` or more skips the pool's pipe (64 KiB at a time, copied
again on each side, unpickled holding the server's GIL): the worker pickles it with protocol
5, the arrays' pixels out of band, and writes the stream and the pixels to a file in
`/dev/shm` (memory), one `write` each; the server reads each straight into a buffer of its
own (one copy), which the arrays then wrap. The caller makes the empty file before the call
and keeps it open, the worker only opens it by name, and the caller unlinks it when the call
ends, however it ends: a worker killed mid-write (timeout, out of memory) leaves nothing
behind, as the memory goes with the last open descriptor. Only a server killed itself
mid-call leaves a name, which the next server removes on start. A `/dev/shm` too full for
the result (Docker's default is 64 MB; docker-compose.yml sets 1 GB), or none, sends it
through the pipe as before. Not `multiprocessing.shared_memory`: its blocks are sized by
their creator and registered with the resource tracker (bpo-39959); this file needs neither.

`call` blocks (run it in a thread): it is independent of any event loop, so the API, the
CLI (a loop per file) and tests share one sandbox.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import queue
import resource
import secrets
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError as FutureCancelledError
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any, ParamSpec, TypeVar

import numpy as np

from invoice_ocr.documents.errors import DecodeMemoryError, DecodeTimeoutError
from invoice_ocr.heap import keep_heap_between_decodes

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
MIB = 1024 * 1024
# Imported once in the forkserver, so every worker forked from it starts with them.
_PRELOAD = ["invoice_ocr.documents"]
# How soon a worker notices that the server is gone, and a call that its request is.
WATCHDOG_INTERVAL_S = 0.5
CANCEL_POLL_S = 0.1
# Results this large (decoded pages) come back through a file in SHM_DIR, not the pipe.
SHM_DIR = "/dev/shm"
SHM_PREFIX = "invoice-ocr-decode-"
SHM_MIN_BYTES = 256 * 1024


@dataclass(frozen=True)
class SandboxConfig:
    workers: int = 2
    memory_mb: int = 1536
    timeout_s: float = 30.0
    # Separate lanes never share processes: the quick page counts that admission waits on
    # get their own worker instead of queueing behind full decodes.
    lane: str = "decode"

    def inspect_lane(self) -> SandboxConfig:
        return replace(self, workers=1, lane="inspect")


def _init_worker(limit_bytes: int, server_pid: int) -> None:
    """Worker initializer: past `limit_bytes` of address space, allocations fail
    (MemoryError) or the decoder aborts; either way only this process is lost."""
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    keep_heap_between_decodes()  # else each page's buffers are faulted in afresh
    # SIGINT goes to the whole process group on Ctrl-C: let the server decide, not us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(server_pid,), name="sandbox-watchdog", daemon=True).start()


def _exit_with(server_pid: int) -> None:
    """End this worker once the server is gone. The pool's clean shutdown needs the
    server's exit hooks, which a server killed by its signal (uvicorn re-raises SIGTERM)
    never runs, and a worker holds both ends of its own task pipe, so it would wait forever."""
    while True:
        time.sleep(WATCHDOG_INTERVAL_S)
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            os._exit(0)


@dataclass(frozen=True)
class _InFile:
    """A result the worker wrote to the call's file: the sizes of its pickle stream and of
    each out-of-band buffer (the arrays' pixels), in file order."""

    sizes: tuple[int, ...]


def _run(path: str | None, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    """A call, in the worker: `fn(*args, **kwargs)`, a large result written to the file at
    `path` (the caller's) and an `_InFile` returned in its stead."""
    result = fn(*args, **kwargs)
    if path is None:
        return result
    buffers: list[pickle.PickleBuffer] = []
    parts = [memoryview(pickle.dumps(result, protocol=5, buffer_callback=buffers.append))]
    parts += [buffer.raw() for buffer in buffers]
    size = sum(part.nbytes for part in parts)
    if size < SHM_MIN_BYTES:
        return result
    try:
        fd = os.open(path, os.O_WRONLY)  # never O_CREAT: once the caller gave up, nothing is made
        try:
            room = os.fstatvfs(fd)
            if room.f_bavail * room.f_frsize < size:
                return result  # a 20-page PDF in Docker's 64 MB /dev/shm: not worth half a copy
            for part in parts:
                while part:
                    part = part[os.write(fd, part) :]
        finally:
            os.close(fd)
    except OSError:  # /dev/shm is full, or the file is gone: the pipe still works
        return result
    return _InFile(tuple(part.nbytes for part in parts))


def _read(fd: int, sizes: tuple[int, ...]) -> Any:
    """The result a worker wrote to the call's file (`fd`): each part read straight into
    its own buffer, which the unpickled arrays then wrap (writable, like the decoder's)."""
    parts = [np.empty(size, np.uint8) for size in sizes]
    offset = 0
    for part in parts:
        view = memoryview(part)
        while view:
            count = os.preadv(fd, [view], offset)
            if not count:
                raise EOFError("the decode worker's result file is shorter than it said")
            view, offset = view[count:], offset + count
    return pickle.loads(parts[0], buffers=parts[1:])


def _call_file() -> tuple[str, int] | None:
    """A new empty file for one call's result, and the caller's descriptor of it; None
    where there is no /dev/shm (the result comes through the pipe)."""
    path = os.path.join(SHM_DIR, f"{SHM_PREFIX}{os.getpid()}-{secrets.token_hex(8)}")
    try:
        return path, os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None


@cache
def _remove_stale_files() -> None:
    """Call files left by a server killed mid-call (SIGKILL runs no `finally`): those of a
    process that is gone, and those of this pid (a container's server is pid 1 every time)
    before this process made any. Once per process, before its first sandbox."""
    with contextlib.suppress(OSError):
        for name in os.listdir(SHM_DIR):
            pid = name.removeprefix(SHM_PREFIX).partition("-")[0]
            if name.startswith(SHM_PREFIX) and pid.isdigit() and not _another_live_process(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(SHM_DIR, name))


def _another_live_process(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


class _Slot:
    """One worker process, started and warmed up (its pid known) before use."""

    def __init__(self, config: SandboxConfig) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        self.executor = ProcessPoolExecutor(
            1, mp_context=context, initializer=_init_worker, initargs=(config.memory_mb * MIB, os.getpid())
        )
        self.pid = self.executor.submit(os.getpid).result(timeout=60)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # it died already (out of memory, crashed)
            os.kill(self.pid, signal.SIGKILL)
        self.executor.shutdown(wait=False, cancel_futures=True)


class DecodeSandbox:
    """`workers` decoding processes; `call(fn, *args)` runs `fn` in a free one."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self._free: queue.SimpleQueue[_Slot | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []
        self.replaced = 0  # processes killed and replaced since start: for tests and metrics
        _remove_stale_files()
        for _ in range(config.workers):
            self._free.put(None)  # started on first use: importing the server starts nothing

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args)` in a worker process; its `DocumentError`s come back as raised."""
        return self.call_cancellable(None, fn, *args, **kwargs)

    def call_cancellable(
        self, cancel: threading.Event | None, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`call`, which also kills the worker once `cancel` is set (the request is gone):
        a decode nobody waits for must not hold a worker until it ends."""
        slot = self._take()
        file = _call_file()
        try:
            result = self._wait(slot.executor.submit(_run, file and file[0], fn, args, kwargs), cancel)
            return _read(file[1], result.sizes) if file and isinstance(result, _InFile) else result
        except FutureTimeoutError:
            slot = self._replace(slot, "timed out")
            raise DecodeTimeoutError(
                f"decoding took longer than {self.config.timeout_s:g} s (OCR_DECODE_TIMEOUT_S)"
            ) from None
        except FutureCancelledError:
            slot = self._replace(slot, "was abandoned by its request")
            raise
        except (BrokenProcessPool, MemoryError):
            slot = self._replace(slot, "ran out of memory or crashed")
            raise DecodeMemoryError(
                f"decoding the document needed more than {self.config.memory_mb:,} MB (OCR_DECODE_MEMORY_MB) "
                "or crashed the decoder"
            ) from None
        finally:
            if file is not None:  # the worker may still hold it open (killed): the memory goes with it
                os.close(file[1])
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(file[0])
            self._free.put(slot)

    def _wait(self, future: Future[T], cancel: threading.Event | None) -> T:
        """The call's result; `FutureTimeoutError` past the time limit, `FutureCancelledError`
        once `cancel` is set."""
        deadline = time.monotonic() + self.config.timeout_s
        while True:
            remaining = deadline - time.monotonic()
            step = remaining if cancel is None else min(remaining, CANCEL_POLL_S)
            try:
                return future.result(timeout=max(step, 0))
            except FutureTimeoutError:
                if cancel is not None and cancel.is_set():
                    raise FutureCancelledError from None
                if time.monotonic() >= deadline:
                    raise

    def _take(self) -> _Slot:
        """A free worker, started now if its slot is empty; waits while all are busy."""
        slot = self._free.get()
        if slot is not None:
            return slot
        try:
            return self._start_slot()
        except BaseException:
            self._free.put(None)  # a failed start must not lose the slot
            raise

    def _start_slot(self) -> _Slot:
        slot = _Slot(self.config)
        with self._lock:
            self._slots.append(slot)
        return slot

    def _replace(self, slot: _Slot, why: str) -> _Slot | None:
        """Kill the slot's process; its replacement starts when next needed."""
        logger.warning("decode worker %d %s; replacing it", slot.pid, why)
        slot.kill()
        with self._lock:
            self._slots.remove(slot)
            self.replaced += 1
        return None

    def warm(self) -> None:
        """Start every worker now (server start-up), not on the first requests."""
        slots = [self._take() for _ in range(self.config.workers)]
        for slot in slots:
            self._free.put(slot)

    def close(self) -> None:
        with self._lock:
            slots, self._slots = self._slots, []
        for slot in slots:
            slot.kill()


@lru_cache(maxsize=4)
def get_sandbox(config: SandboxConfig) -> DecodeSandbox:
    """The process-wide sandbox for this configuration, created on first use."""
    return DecodeSandbox(config)
