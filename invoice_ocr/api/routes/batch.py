"""`POST /ocr/batch` and `POST /invoice/batch`: several documents in one request, one
result or error per file.

Files are read one after another through the same path as `POST /ocr/` (or
`POST /invoice/`), so a batch
never holds more than one file's pages in the OCR queue and cannot starve other
clients. A bad file gets its own error entry and the others still succeed; the answer
is 200 whenever the batch itself was acceptable. Conditions of the service rather than
of a file (overloaded, shutting down) fail the whole request as on `POST /ocr/`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile
from pydantic import BaseModel

from invoice_ocr.api.convert import invoice_response, ocr_response
from invoice_ocr.api.errors import INTERNAL_ERROR_MESSAGE, ApiError, document_error_status
from invoice_ocr.api.schemas import (
    BatchFileResult,
    BatchResponse,
    ErrorDetail,
    InvoiceBatchFileResult,
    InvoiceBatchResponse,
    InvoiceResponse,
    OcrResponse,
)
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.api.uploads import (
    ERROR_RESPONSES,
    ForceOcr,
    Words,
    read_invoice_document,
    read_upload,
    recognize_document,
)
from invoice_ocr.documents import DocumentError
from invoice_ocr.engine.worker import QueueFullError, WorkerStoppedError

logger = logging.getLogger(__name__)

router = APIRouter()
BATCH_PATH = "/ocr/batch"
INVOICE_BATCH_PATH = "/invoice/batch"

FilesField = Annotated[
    list[UploadFile],
    File(description="The documents (repeat the `files` field): PDF, JPEG, PNG, BMP, TIFF, WebP or GIF."),
]
FileResult = BatchFileResult | InvoiceBatchFileResult
# Reads one file's bytes into its result, as the single-file endpoint would answer it.
FileReader = Callable[[bytes, float], Awaitable[BaseModel]]


async def _read_file(
    upload: UploadFile, state: ServiceState, read: FileReader, outcome: type[FileResult]
) -> FileResult:
    filename = upload.filename or ""
    started = time.perf_counter()

    def failed(status: int, code: str, message: str) -> FileResult:
        return outcome(filename=filename, success=False, status=status, error=ErrorDetail(code=code, message=message))

    try:
        result = await read(await read_upload(upload, state), started)
    except ApiError as error:
        return failed(error.status, error.code, error.message)
    except DocumentError as error:
        return failed(document_error_status(error), error.code, str(error))
    except (QueueFullError, WorkerStoppedError):
        raise
    except Exception:  # a file that trips a bug must not take the rest of the batch down
        logger.exception("batch file failed (file names are client data: never logged)")
        return failed(500, "internal_error", INTERNAL_ERROR_MESSAGE)
    return outcome(filename=filename, success=True, status=200, result=result)


async def _read_batch(
    files: list[UploadFile], state: ServiceState, read: FileReader, outcome: type[FileResult]
) -> dict[str, object]:
    """The files read one after another, so a batch never holds more than one file's pages."""
    limit = state.settings.batch_max_files
    if len(files) > limit:
        raise ApiError(413, "too_many_files", f"{len(files)} files sent; a batch takes at most {limit}")
    started = time.perf_counter()
    results = [await _read_file(upload, state, read, outcome) for upload in files]
    succeeded = sum(result.success for result in results)
    return {
        "total_files": len(results),
        "succeeded": succeeded,
        "failed": len(results) - succeeded,
        "files": results,
        "processing_time_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


@router.post(
    BATCH_PATH,
    response_model=BatchResponse,
    responses=ERROR_RESPONSES,
    summary="Read several documents in one request",
    tags=["ocr"],
)
async def ocr_batch(
    files: FilesField,
    state: Annotated[ServiceState, Depends(get_state)],
    force_ocr: ForceOcr = False,
    words: Words = False,
) -> BatchResponse:
    """One entry per uploaded file, in order: its result as `POST /ocr/` would give it
    (JSON; `words=true` adds each line's words), or its error. 413 `too_many_files` when
    more than `batch_max_files` files are sent."""

    async def read(data: bytes, started: float) -> OcrResponse:
        pages = await recognize_document(data, state, force_ocr=force_ocr)
        return ocr_response(pages, state.engine_info, _elapsed_ms(started), words=words)

    return BatchResponse(**await _read_batch(files, state, read, BatchFileResult))


@router.post(
    INVOICE_BATCH_PATH,
    response_model=InvoiceBatchResponse,
    responses=ERROR_RESPONSES,
    summary="Extract the invoice fields of several documents in one request",
    tags=["invoice"],
)
async def invoice_batch(
    files: FilesField, state: Annotated[ServiceState, Depends(get_state)], force_ocr: ForceOcr = False
) -> InvoiceBatchResponse:
    """One entry per uploaded file, in order: its result as `POST /invoice/` would give it
    (e-invoice XML files and hybrid PDFs included), or its error. 413 `too_many_files` when
    more than `batch_max_files` files are sent."""

    async def read(data: bytes, started: float) -> InvoiceResponse:
        invoice = await read_invoice_document(data, state, force_ocr=force_ocr)
        return invoice_response(invoice, state.engine_info, _elapsed_ms(started))

    return InvoiceBatchResponse(**await _read_batch(files, state, read, InvoiceBatchFileResult))
