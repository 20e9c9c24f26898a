"""Job webhooks: where a callback may go, how it is signed, and its delivery with retries.

- **Allow-list** (`OCR_JOBS_CALLBACK_ALLOW`): a callback URL must match an entry, either a
  host (`hooks.example.com`, any port, http or https) or a URL prefix
  (`https://example.com/ocr/`: same scheme, host and port, and a path under the prefix's).
  Empty, or no signing secret: every callback is refused. URLs with user info are refused
  (`https://allowed@other` is a classic confusion), and redirects are never followed, so an
  allowed host cannot bounce the request to an internal one.
- **Signature**: `X-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body with
  `OCR_JOBS_WEBHOOK_SECRET`. The body carries `sent_at` (Unix seconds): a receiver that
  checks the signature and refuses old `sent_at` values is safe from replays.
- **Delivery**: up to `attempts` POSTs, waiting `backoff_s`, then twice as long each time;
  a 2xx ends it, a 5xx, 408, 429 or a network error is retried, any other status is final.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from invoice_ocr.jobs.models import JobRequestError, WebhookOutcome

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Signature"
RETRIED_STATUSES = frozenset({408, 429})
MAX_ERROR_CHARS = 200
MAX_CALLBACK_URL_CHARS = 2048


def sign(body: bytes, secret: str) -> str:
    """The `X-Signature` value of `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Entry:
    host: str
    # Set for URL-prefix entries only.
    scheme: str | None = None
    port: int | None = None
    path: str = ""

    def allows(self, url: httpx.URL) -> bool:
        if url.host != self.host:
            return False
        if self.scheme is None:
            return True
        if (url.scheme, url.port or _default_port(url.scheme)) != (self.scheme, self.port):
            return False
        prefix = self.path.rstrip("/")
        return not prefix or url.path == prefix or url.path.startswith(prefix + "/")


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _entry(text: str) -> _Entry:
    if "://" not in text:
        return _Entry(host=text.lower())
    url = httpx.URL(text)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"OCR_JOBS_CALLBACK_ALLOW: {text!r} is not an http(s) URL prefix")
    return _Entry(host=url.host, scheme=url.scheme, port=url.port or _default_port(url.scheme), path=url.path)


class CallbackPolicy:
    """Which callback URLs jobs may name."""

    def __init__(self, allow: str, secret: SecretStr | None) -> None:
        self.entries = [_entry(entry) for part in allow.split(",") if (entry := part.strip())]
        self.secret = secret.get_secret_value() if secret is not None and secret.get_secret_value() else None

    @property
    def enabled(self) -> bool:
        return bool(self.entries) and self.secret is not None

    def check(self, url: str) -> None:
        """Raises `JobRequestError` (`callback_not_allowed`) unless `url` may be called."""
        if not self.enabled:
            raise JobRequestError(
                "callback_not_allowed",
                "callbacks are turned off on this server (OCR_JOBS_CALLBACK_ALLOW and OCR_JOBS_WEBHOOK_SECRET)",
            )
        if len(url) > MAX_CALLBACK_URL_CHARS:
            raise JobRequestError("callback_not_allowed", f"callback_url is longer than {MAX_CALLBACK_URL_CHARS}")
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise JobRequestError("callback_not_allowed", f"callback_url is not a URL: {error}") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise JobRequestError("callback_not_allowed", "callback_url must be an http or https URL")
        if parsed.userinfo:
            raise JobRequestError("callback_not_allowed", "callback_url must not carry a user name or password")
        if not any(entry.allows(parsed) for entry in self.entries):
            raise JobRequestError("callback_not_allowed", "callback_url is not on this server's allow-list")


class WebhookSender:
    """Delivers one job's webhook, retrying with exponential backoff."""

    def __init__(
        self,
        policy: CallbackPolicy,
        attempts: int,
        backoff_s: float,
        timeout_s: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.policy = policy
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self.sleep = sleep

    async def deliver(
        self,
        url: str,
        body_for: Callable[[WebhookOutcome], bytes],
        on_attempt: Callable[[WebhookOutcome], Awaitable[None]],
    ) -> WebhookOutcome:
        """POST `body_for(outcome so far)` to `url` until it is taken or the attempts are
        spent; `on_attempt` sees the outcome after each try (the last one included)."""
        outcome = WebhookOutcome()
        try:
            self.policy.check(url)  # again: the allow-list may have changed since the job was accepted
        except JobRequestError as error:
            outcome.state, outcome.last_error = "failed", str(error)
            await on_attempt(outcome)
            return outcome
        async with httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=False) as client:
            for attempt in range(1, self.attempts + 1):
                retry = await self._attempt(client, url, body_for(outcome), outcome)
                outcome.attempts, outcome.last_attempt_at = attempt, time.time()
                if outcome.state == "delivered" or not retry or attempt == self.attempts:
                    break
                await on_attempt(outcome)
                await self.sleep(self.backoff_s * 2 ** (attempt - 1))
        if outcome.state != "delivered":
            outcome.state = "failed"
            logger.warning("webhook not delivered after %d attempt(s): %s", outcome.attempts, outcome.last_error)
        await on_attempt(outcome)
        return outcome

    async def _attempt(self, client: httpx.AsyncClient, url: str, body: bytes, outcome: WebhookOutcome) -> bool:
        """One POST; records its outcome and says whether another attempt may help."""
        assert self.policy.secret is not None  # check() passed
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, self.policy.secret)}
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            outcome.last_status_code = None
            outcome.last_error = f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS]
            return True
        outcome.last_status_code = response.status_code
        if response.is_success:
            outcome.state, outcome.last_error = "delivered", None
            return False
        outcome.last_error = f"HTTP {response.status_code}"
        return response.status_code >= 500 or response.status_code in RETRIED_STATUSES
