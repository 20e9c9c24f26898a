"""API-key authentication for the OCR endpoints, and which proxies' forwarded headers count.

A key is accepted as `Authorization: Bearer <key>` or `X-API-Key: <key>`. `ApiKeyMiddleware`
checks it from the request headers before a byte of the body is read, on every path but
the public ones (health, web page, docs, and `/metrics` unless protected). Both schemes are
also declared through `fastapi.security` dependencies, so they appear in the OpenAPI schema
and the /docs "Authorize" button can send them. Keys are compared in constant time against
every configured key, and only a key id (a short hash) is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from invoice_ocr.api.cache import CACHE_HEADER
from invoice_ocr.api.errors import ApiError, error_response
from invoice_ocr.api.request_log import REQUEST_ID_HEADER, request_context
from invoice_ocr.config import Settings

API_KEY_HEADER = "X-API-Key"
# The headers a key travels in, as ASGI spells them (lower case) and as messages name them.
_AUTH_HEADERS = {b"x-api-key": API_KEY_HEADER, b"authorization": "Authorization"}

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")
_api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="`X-API-Key: <key>`")

BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
ApiKeyHeaderValue = Annotated[str | None, Depends(_api_key_header)]


def key_id(key: str) -> str:
    """A short, stable, non-secret name for a key: safe to log and to count requests by."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


class ApiKeyVerifier:
    """Checks a presented key against the configured ones without leaking timing."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one API key is needed")
        self._keys = tuple(key.encode() for key in keys)

    def accepts(self, presented: str) -> bool:
        candidate = presented.encode()
        # Compare with every key, not up to the first match, so timing says nothing either.
        matches = [hmac.compare_digest(key, candidate) for key in self._keys]
        return any(matches)


def admits(verifier: ApiKeyVerifier, presented: Sequence[str]) -> bool:
    # A wrong key is refused even beside a right one: a request means one identity.
    return bool(presented) and all(verifier.accepts(value) for value in presented)


def presented_keys(api_key: str | None, authorization: str | None) -> list[str]:
    """The keys a request presents, parsed as `APIKeyHeader` and `HTTPBearer` parse them."""
    scheme, credentials = get_authorization_scheme_param(authorization)
    bearer = credentials if scheme.lower() == "bearer" else None
    return [value for value in (api_key, bearer) if value]


def _unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        f"a valid API key is required: send `Authorization: Bearer <key>` or `{API_KEY_HEADER}: <key>`",
        {"WWW-Authenticate": "Bearer"},
    )


def _as_response(error: ApiError) -> JSONResponse:
    return error_response(error.status, error.code, error.message, error.headers)


def _duplicate_header(name: str, count: int) -> ApiError:
    return ApiError(
        400,
        "duplicate_auth_header",
        f"the `{name}` header is sent {count} times; send each authentication header at most once",
    )


def api_key_dependency(keys: Sequence[str]) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency admitting requests that present one of `keys`. `ApiKeyMiddleware`
    has refused the others already; this declares the schemes in OpenAPI and names the key id."""
    verifier = ApiKeyVerifier(keys)

    async def require_api_key(bearer: BearerCredentials, api_key: ApiKeyHeaderValue) -> None:
        presented = [value for value in (api_key, bearer.credentials if bearer else None) if value]
        if not admits(verifier, presented):
            raise _unauthorized()
        request_context().key_id = key_id(presented[0])

    return require_api_key


def _route_path(scope: Scope) -> str:
    """The path routes are matched on: without the `root_path` prefix, as Starlette matches."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class ApiKeyMiddleware:
    """Answers 401 (or 400 for a repeated auth header) from the headers alone, before the body
    is received: an anonymous client cannot make the server read a 200 MB upload only to refuse
    it. Every path but `public_paths` is guarded, so a route added later is closed until made
    public on purpose, and an anonymous client cannot tell existing paths from missing ones."""

    def __init__(self, app: ASGIApp, verifier: ApiKeyVerifier, public_paths: Iterable[str]) -> None:
        self.app = app
        self.verifier = verifier
        self.public_paths = frozenset(public_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = self._refusal(scope) if scope["type"] == "http" else None
        if refusal is None:
            await self.app(scope, receive, send)
            return
        await _as_response(refusal)(scope, receive, send)

    def _refusal(self, scope: Scope) -> ApiError | None:
        if _route_path(scope) in self.public_paths:
            return None
        found = _auth_headers(scope)
        # Servers, proxies and frameworks disagree on which copy of a repeated header wins:
        # checking one and letting another through would be a bypass, so refuse the ambiguity.
        for name, values in found.items():
            if len(values) > 1:
                return _duplicate_header(_AUTH_HEADERS[name], len(values))
        first = {name: values[0] if values else None for name, values in found.items()}
        presented = presented_keys(first[b"x-api-key"], first[b"authorization"])
        return None if admits(self.verifier, presented) else _unauthorized()


def _auth_headers(scope: Scope) -> dict[bytes, list[str]]:
    """Every value of each auth header, in order, decoded as Starlette decodes headers."""
    found: dict[bytes, list[str]] = {name: [] for name in _AUTH_HEADERS}
    for name, value in scope["headers"]:
        if name in found:
            found[name].append(value.decode("latin-1"))
    return found


def public_paths(app: FastAPI, routers: Iterable[APIRouter]) -> set[str]:
    """The exact paths of `routers` plus the docs pages: what `ApiKeyMiddleware` lets through."""
    docs = (app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url)
    return {route.path for router in routers for route in router.routes} | {url for url in docs if url}


def trusted_proxies(settings: Settings) -> list[str]:
    """`OCR_TRUSTED_PROXIES` as uvicorn's `ProxyHeadersMiddleware` takes it (validated in config)."""
    return [entry for entry in settings.trusted_proxies.split(",") if entry]


def cors_options(origins: list[str]) -> dict[str, object]:
    """`CORSMiddleware` options: browsers on `origins` may call the API with a key header."""
    return {
        "allow_origins": origins,
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["Authorization", API_KEY_HEADER, REQUEST_ID_HEADER, "Content-Type"],
        "expose_headers": [REQUEST_ID_HEADER, CACHE_HEADER, "Retry-After", "WWW-Authenticate"],
        "max_age": 600,
    }
