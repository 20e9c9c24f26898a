"""Request ids and the access log: one JSON line per request on `invoice_ocr.access`.

This is pure ASGI middleware installed outermost, so every response carries
`X-Request-ID` — including the 413 of the body-size middleware, 404s and 500s — and
every request is logged and measured exactly once. Routes and dependencies add what
only they know (pages, API key id, cache outcome) to the `RequestContext` of the
request being served, found through a context variable.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import asdict, dataclass

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from invoice_ocr.api.errors import INTERNAL_ERROR_MESSAGE, error_response

access_logger = logging.getLogger("invoice_ocr.access")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# Error bodies are small envelopes; anything bigger is not one of ours.
_MAX_ERROR_BODY_BYTES = 4096
UNMATCHED_ROUTE = "unmatched"


@dataclass
class RequestContext:
    """What the access log line says about one request; filled in while it is served."""

    request_id: str
    method: str = ""
    route: str = UNMATCHED_ROUTE
    status: int = 0
    error: str | None = None
    pages: int = 0
    bytes: int = 0
    ms: float = 0.0
    key_id: str | None = None
    cache: str | None = None
    client: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("invoice_ocr_request", default=None)
# The request's ASGI `receive`: once the body is read, its next message is the client's
# disconnect (api/timeouts.py stops work nobody waits for on it).
_receive: ContextVar[Receive | None] = ContextVar("invoice_ocr_receive", default=None)


def request_context() -> RequestContext:
    """The context of the request being served (a detached one outside a request)."""
    return _current.get() or RequestContext(request_id="")


async def client_left() -> bool:
    """Waits for the client of the request being served to disconnect: True when it left
    before the response started, False when the response started first or outside a
    request (nothing to wait for then)."""
    receive, context = _receive.get(), _current.get()
    if receive is None or context is None:
        return False
    while (await receive())["type"] != "http.disconnect":
        pass
    return context.status == 0


def request_id_from(scope: Scope) -> str:
    """The client's `X-Request-ID` when it is safe to log and echo, else a new one."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            supplied = value.decode("latin-1")
            if _VALID_REQUEST_ID.fullmatch(supplied):
                return supplied
    return uuid.uuid4().hex


def error_code(body: bytes) -> str | None:
    """The `error.code` of our JSON error envelope, or None for any other body."""
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return None
    return error.get("code") if isinstance(error, dict) else None


def log_access(context: RequestContext) -> None:
    access_logger.info(json.dumps(asdict(context), separators=(",", ":")))


RequestObserver = Callable[[RequestContext], None]


class RequestContextMiddleware:
    """Assigns the request id, echoes it, and reports each finished request to observers."""

    def __init__(self, app: ASGIApp, observers: Sequence[RequestObserver] = (log_access,)) -> None:
        self.app = app
        self.observers = observers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        client = scope.get("client")
        context = RequestContext(
            request_id=request_id_from(scope), method=scope["method"], client=client[0] if client else None
        )
        token = _current.set(context)
        error_body = bytearray()

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                context.bytes += len(message.get("body", b""))
            return message

        receive_token = _receive.set(counting_receive)

        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                context.status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = context.request_id
            elif context.status >= 400 and len(error_body) < _MAX_ERROR_BODY_BYTES:
                error_body.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, tagging_send)
        except Exception:
            # Starlette's outermost ServerErrorMiddleware answers unhandled errors outside of
            # us, without our header; answering here first keeps the request id on 500s too.
            if not context.status:
                await error_response(500, "internal_error", INTERNAL_ERROR_MESSAGE)(scope, receive, tagging_send)
            raise
        finally:
            self._finish(context, scope, bytes(error_body), started)
            _receive.reset(receive_token)
            _current.reset(token)

    def _finish(self, context: RequestContext, scope: Scope, error_body: bytes, started: float) -> None:
        route = scope.get("route")
        context.route = getattr(route, "path", None) or UNMATCHED_ROUTE
        context.error = error_code(error_body) if error_body else None
        context.ms = round((time.perf_counter() - started) * 1000, 1)
        for observe in self.observers:
            observe(context)
