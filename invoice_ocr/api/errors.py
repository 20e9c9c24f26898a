"""One error envelope everywhere: `{"success": false, "error": {"code", "message"}}`.

Document and worker exceptions are mapped to statuses here, so neither the document
layer nor the engine knows about HTTP.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from invoice_ocr.documents import (
    DecodeTimeoutError,
    DocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NotAnEInvoiceError,
    UndecodableDocumentError,
    UnsupportedDocumentTypeError,
)
from invoice_ocr.engine.worker import QueueFullError, WorkerStoppedError
from invoice_ocr.jobs.service import JobsUnavailableError, TooManyJobsError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2
INTERNAL_ERROR_MESSAGE = "internal error; the server log has the details"
# Codes for the HTTP-level errors Starlette and FastAPI raise themselves. Their only 400 is a
# body that cannot be parsed (malformed multipart/form-data): a bad request like any other.
HTTP_ERROR_CODES = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}

_DOCUMENT_STATUS: dict[type[DocumentError], int] = {
    EmptyDocumentError: 400,
    UndecodableDocumentError: 400,
    DocumentTooLargeError: 413,
    EncryptedDocumentError: 422,
    NotAnEInvoiceError: 422,
    UnsupportedDocumentTypeError: 415,
    DecodeTimeoutError: 504,  # the decode sandbox killed a decoder that overran
}


class ApiError(Exception):
    """An error the API answers with its envelope; raise it from routes."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"success": False, "error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def document_error_status(error: DocumentError) -> int:
    return next((status for kind, status in _DOCUMENT_STATUS.items() if isinstance(error, kind)), 400)


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        parts.append(f"{location}: {item.get('msg', 'invalid')}" if location else item.get("msg", "invalid"))
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.exception_handler(DocumentError)
    async def _document_error(_: Request, error: DocumentError) -> JSONResponse:
        return error_response(document_error_status(error), error.code, str(error))

    @app.exception_handler(QueueFullError)
    async def _queue_full(_: Request, error: QueueFullError) -> JSONResponse:
        return error_response(503, "overloaded", str(error), {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(WorkerStoppedError)
    async def _stopped(_: Request, error: WorkerStoppedError) -> JSONResponse:
        return error_response(503, "not_ready", str(error), {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(TooManyJobsError)
    async def _too_many_jobs(_: Request, error: TooManyJobsError) -> JSONResponse:
        return error_response(503, "too_many_jobs", str(error), {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(JobsUnavailableError)
    async def _jobs_unavailable(_: Request, error: JobsUnavailableError) -> JSONResponse:
        return error_response(503, "jobs_unavailable", str(error), {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _validation_message(error))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        status = error.status_code
        # No undocumented code: any other status (none is raised today) still gets a documented one.
        code = HTTP_ERROR_CODES.get(status, "invalid_request" if status < 500 else "internal_error")
        message = f"the request body cannot be parsed: {error.detail}" if status == 400 else str(error.detail)
        headers = getattr(error, "headers", None)
        if status == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return error_response(status, code, message, headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", INTERNAL_ERROR_MESSAGE)


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path: Starlette's own 405 names only the first
    route that matched the path (`GET /jobs/{id}` and `DELETE /jobs/{id}` are two routes)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(methods))
