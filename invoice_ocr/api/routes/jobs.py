"""Async jobs: `POST /jobs` accepts a document and answers at once (202); `GET /jobs/{id}`
tells its progress, `GET /jobs/{id}/result` gives what `POST /ocr/` or `POST /invoice/`
would have answered, `DELETE /jobs/{id}` cancels it. The jobs themselves (store, runner,
queue, webhooks) live in `invoice_ocr/jobs/`; this module only translates HTTP."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from invoice_ocr.api.convert import job_status
from invoice_ocr.api.errors import ApiError
from invoice_ocr.api.schemas import ErrorResponse, InvoiceResponse, JobAccepted, JobStatusResponse, OcrResponse
from invoice_ocr.api.state import ServiceState, get_state
from invoice_ocr.api.uploads import (
    ERROR_RESPONSES,
    FORMAT_RESPONSES,
    ForceOcr,
    OutputFormat,
    UploadField,
    checked_format,
    read_upload,
)
from invoice_ocr.jobs.models import JOB_ID, MAX_PAGE_RANGE_CHARS, JobRecord, JobRequestError
from invoice_ocr.jobs.service import JobService
from invoice_ocr.jobs.webhooks import MAX_CALLBACK_URL_CHARS

router = APIRouter(tags=["jobs"])
JOBS_PATH = "/jobs"

Kind = Annotated[
    Literal["ocr", "invoice"],
    Query(description="`ocr`: the result of `POST /ocr/`; `invoice`: the result of `POST /invoice/`."),
]
Pages = Annotated[
    str | None,
    Query(
        max_length=MAX_PAGE_RANGE_CHARS,
        description="Pages of a PDF or TIFF to read, 1-based, e.g. `1-5,8`; all when absent.",
        examples=["1-5,8"],
    ),
]
CallbackUrl = Annotated[
    str | None,
    Query(
        max_length=MAX_CALLBACK_URL_CHARS,
        description="Called (POST, signed) when the job finishes; must match `OCR_JOBS_CALLBACK_ALLOW`.",
    ),
]
JobId = Annotated[str, Path(description="The id `POST /jobs` answered.")]

# What every look-up may answer besides its own statuses.
_NOT_FOUND = {
    **{status: ERROR_RESPONSES[status] for status in (401, 429)},
    404: {"model": ErrorResponse, "description": "Unknown job (`job_not_found`) or expired (`job_expired`)"},
    503: {"model": ErrorResponse, "description": "The job store is unreachable (`jobs_unavailable`) or not ready"},
}
_SUBMIT_RESPONSES = {
    **ERROR_RESPONSES,
    422: {
        "model": ErrorResponse,
        "description": "Bad parameter: `invalid_page_range`, `page_out_of_range`, `callback_not_allowed`, "
        "`invalid_request` (e.g. an unknown `kind`), or a password-protected PDF",
    },
    503: {
        "model": ErrorResponse,
        "description": "`too_many_jobs` (`OCR_JOBS_MAX_QUEUED` waiting), `jobs_unavailable` (Redis down) or not "
        "ready; retry after `Retry-After` seconds",
    },
}


def _jobs(state: ServiceState) -> JobService:
    if state.jobs is None:
        raise ApiError(503, "not_ready", "jobs are not accepted yet (starting or shutting down)")
    return state.jobs


async def _find(state: ServiceState, job_id: str) -> tuple[JobRecord, int | None]:
    found = await _jobs(state).get(job_id) if JOB_ID.match(job_id) else None
    if found is None:
        raise ApiError(404, "job_not_found", f"no job {job_id!r}")
    record, _ = found
    if record.expired():
        ttl = state.settings.jobs_result_ttl_s
        raise ApiError(
            404, "job_expired", f"the job finished over {ttl} s ago (OCR_JOBS_RESULT_TTL_S); its data is gone"
        )
    return found


@router.post(
    JOBS_PATH,
    status_code=202,
    response_model=JobAccepted,
    responses=_SUBMIT_RESPONSES,
    summary="Queue a document for OCR or invoice extraction; answers at once",
)
async def submit_job(
    file: UploadField,
    state: Annotated[ServiceState, Depends(get_state)],
    response: Response,
    kind: Kind = "ocr",
    force_ocr: ForceOcr = False,
    pages: Pages = None,
    callback_url: CallbackUrl = None,
) -> JobAccepted:
    """The document's type and page count are checked now (the same 4xx as `POST /ocr/`,
    with `OCR_JOBS_MAX_PAGES` and `OCR_JOBS_MAX_UPLOAD_BYTES` as limits); its pages are
    read later, behind synchronous requests. Poll `Location` (`GET /jobs/{job_id}`)."""
    data = await read_upload(file, state, limit=state.settings.jobs_max_upload_bytes)
    try:
        record, position = await _jobs(state).submit(
            data, kind, force_ocr=force_ocr, page_range=pages, callback_url=callback_url
        )
    except JobRequestError as error:
        raise ApiError(422, error.code, str(error)) from None
    response.headers["Location"] = f"{JOBS_PATH}/{record.id}"
    return JobAccepted(job_id=record.id, status=record.status, position=position, pages_total=record.pages_total)


@router.get(
    JOBS_PATH + "/{job_id}",
    response_model=JobStatusResponse,
    responses=_NOT_FOUND,
    summary="A job's status and progress",
)
async def get_job(job_id: JobId, state: Annotated[ServiceState, Depends(get_state)]) -> JobStatusResponse:
    """`queued` (with its `position`), `running`, `succeeded`, `failed` (with `error`) or
    `cancelled`; `pages_done` of `pages_total`; the webhook's delivery."""
    return job_status(*await _find(state, job_id))


@router.get(
    JOBS_PATH + "/{job_id}/result",
    response_model=OcrResponse | InvoiceResponse,
    responses={
        **FORMAT_RESPONSES,
        **_NOT_FOUND,
        422: {"model": ErrorResponse, "description": "An unknown `format` (`invalid_format`)"},
        409: {
            "model": ErrorResponse,
            "description": "No result: the job is queued or running (`job_not_finished`), failed (`job_failed`, "
            "with its error) or was cancelled (`job_cancelled`)",
        },
    },
    summary="A finished job's result: the body of POST /ocr/ or POST /invoice/",
)
async def get_job_result(
    job_id: JobId,
    state: Annotated[ServiceState, Depends(get_state)],
    fmt: OutputFormat = "json",
) -> Response:
    """Readable until `expires_at` (`OCR_JOBS_RESULT_TTL_S`), as often as needed; with
    `format`, the job's pages as plain text, hOCR or a searchable PDF (of the pages the
    job read)."""
    fmt = checked_format(fmt)
    record, _ = await _find(state, job_id)
    if record.status in ("queued", "running"):
        raise ApiError(
            409,
            "job_not_finished",
            f"the job is {record.status} ({record.pages_done} of {record.pages_total} pages done); "
            f"poll {JOBS_PATH}/{job_id}",
        )
    if record.status == "failed":
        error = record.error
        detail = f"{error.code}: {error.message}" if error else "unknown error"
        raise ApiError(409, "job_failed", f"the job failed, so it has no result ({detail})")
    if record.status == "cancelled":
        raise ApiError(409, "job_cancelled", "the job was cancelled, so it has no result")
    if fmt != "json":
        rendered = await _jobs(state).rendered(job_id, fmt)
        if rendered is None:
            raise ApiError(404, "job_expired", "the job's result is gone (OCR_JOBS_RESULT_TTL_S)")
        return Response(rendered.body, media_type=rendered.media_type)
    body = await _jobs(state).result(job_id)
    if body is None:
        raise ApiError(404, "job_expired", "the job's result is gone (OCR_JOBS_RESULT_TTL_S)")
    return Response(body, media_type="application/json")


@router.delete(
    JOBS_PATH + "/{job_id}",
    response_model=JobStatusResponse,
    responses={
        **_NOT_FOUND,
        202: {"model": JobStatusResponse, "description": "Running: it stops at its next page"},
        409: {"model": ErrorResponse, "description": "It has finished already (`job_finished`)"},
    },
    summary="Cancel a job",
)
async def cancel_job(
    job_id: JobId, state: Annotated[ServiceState, Depends(get_state)], response: Response
) -> JobStatusResponse:
    """A queued job is cancelled at once (200); a running one stops at its next page (202,
    `cancel_requested`). Cancelling a cancelled job again is harmless."""
    record, _ = await _find(state, job_id)
    if record.status in ("succeeded", "failed"):
        raise ApiError(409, "job_finished", f"the job has {record.status} already; nothing to cancel")
    updated = await _jobs(state).cancel(job_id)
    if updated is None:
        raise ApiError(404, "job_not_found", f"no job {job_id!r}")
    if updated.status == "running":
        response.status_code = 202
    return job_status(updated, None)
