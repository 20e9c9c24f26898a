"""`POST /ocr/batch`: several documents in one request, one result or error per file.

Files are read one after another through the same path as `POST /ocr/`, so a batch
never holds more than one file's pages in the OCR queue and cannot starve other
clients. A bad file gets its own error entry and the others still succeed; the answer
is 200 whenever the batch itself was acceptable. Conditions of the service rather than
of a file (overloaded, shutting down) fail the whole request as on `POST /ocr/`.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile

from invoice_ocr.api.convert import ocr_response
from invoice_ocr.api.errors import INTERNAL_ERROR_MESSAGE, ApiError, document_error_status
from invoice_ocr.api.schemas import BatchFileResult, BatchResponse, ErrorDetail
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.api.uploads import ERROR_RESPONSES, ForceOcr, read_upload, recognize_document
from invoice_ocr.documents import DocumentError
from invoice_ocr.engine.worker import QueueFullError, WorkerStoppedError

logger = logging.getLogger(__name__)

router = APIRouter(tags=["ocr"])
BATCH_PATH = "/ocr/batch"

FilesField = Annotated[
    list[UploadFile],
    File(description="The documents (repeat the `files` field): PDF, JPEG, PNG, BMP, TIFF, WebP or GIF."),
]


def _failed(filename: str, status: int, code: str, message: str) -> BatchFileResult:
    return BatchFileResult(
        filename=filename, success=False, status=status, error=ErrorDetail(code=code, message=message)
    )


async def _recognize_file(upload: UploadFile, state: ServiceState, force_ocr: bool) -> BatchFileResult:
    filename = upload.filename or ""
    started = time.perf_counter()
    try:
        data = await read_upload(upload, state)
        pages = await recognize_document(data, state, force_ocr=force_ocr)
    except ApiError as error:
        return _failed(filename, error.status, error.code, error.message)
    except DocumentError as error:
        return _failed(filename, document_error_status(error), error.code, str(error))
    except (QueueFullError, WorkerStoppedError):
        raise
    except Exception:  # a file that trips a bug must not take the rest of the batch down
        logger.exception("batch file failed (file names are client data: never logged)")
        return _failed(filename, 500, "internal_error", INTERNAL_ERROR_MESSAGE)
    result = ocr_response(pages, state.engine_info, (time.perf_counter() - started) * 1000)
    return BatchFileResult(filename=filename, success=True, status=200, result=result)


@router.post(
    BATCH_PATH,
    response_model=BatchResponse,
    responses=ERROR_RESPONSES,
    summary="Read several documents in one request",
)
async def ocr_batch(
    files: FilesField, state: Annotated[ServiceState, Depends(get_state)], force_ocr: ForceOcr = False
) -> BatchResponse:
    """One entry per uploaded file, in order: its result as `POST /ocr/` would give it, or
    its error. 413 `too_many_files` when more than `batch_max_files` files are sent."""
    limit = state.settings.batch_max_files
    if len(files) > limit:
        raise ApiError(413, "too_many_files", f"{len(files)} files sent; a batch takes at most {limit}")
    started = time.perf_counter()
    results = [await _recognize_file(upload, state, force_ocr) for upload in files]
    succeeded = sum(result.success for result in results)
    return BatchResponse(
        total_files=len(results),
        succeeded=succeeded,
        failed=len(results) - succeeded,
        files=results,
        processing_time_ms=round((time.perf_counter() - started) * 1000, 1),
    )
