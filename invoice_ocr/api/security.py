"""API-key authentication for the OCR endpoints.

A key is accepted as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Both schemes
are declared through `fastapi.security`, so they appear in the OpenAPI schema and the
/docs "Authorize" button can send them. Keys are compared in constant time against every
configured key, and only a key id (a short hash) is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from fastapi import Depends
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from invoice_ocr.api.cache import CACHE_HEADER
from invoice_ocr.api.errors import ApiError
from invoice_ocr.api.request_log import REQUEST_ID_HEADER, request_context

API_KEY_HEADER = "X-API-Key"

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


def _unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        f"a valid API key is required: send `Authorization: Bearer <key>` or `{API_KEY_HEADER}: <key>`",
        {"WWW-Authenticate": "Bearer"},
    )


def api_key_dependency(keys: Sequence[str]) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency admitting requests that present one of `keys`."""
    verifier = ApiKeyVerifier(keys)

    async def require_api_key(bearer: BearerCredentials, api_key: ApiKeyHeaderValue) -> None:
        presented = [value for value in (api_key, bearer.credentials if bearer else None) if value]
        # A wrong key is refused even beside a right one: a request means one identity.
        if not presented or not all(verifier.accepts(value) for value in presented):
            raise _unauthorized()
        request_context().key_id = key_id(presented[0])

    return require_api_key


def cors_options(origins: list[str]) -> dict[str, object]:
    """`CORSMiddleware` options: browsers on `origins` may call the API with a key header."""
    return {
        "allow_origins": origins,
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["Authorization", API_KEY_HEADER, REQUEST_ID_HEADER, "Content-Type"],
        "expose_headers": [REQUEST_ID_HEADER, CACHE_HEADER, "Retry-After", "WWW-Authenticate"],
        "max_age": 600,
    }
