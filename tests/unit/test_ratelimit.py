"""Rate limits (`OCR_RATE_LIMIT`) per API key or client IP, and the Redis outage guard."""

from __future__ import annotations

import time

import pytest
from PIL import Image
from pydantic import ValidationError

from invoice_ocr.api.redis_support import OutageGuard
from invoice_ocr.config import Settings
from tests.conftest import png_bytes

KEY_A = "key-a-0123456789abcdef"
KEY_B = "key-b-0123456789abcdef"


@pytest.fixture(scope="module")
def image() -> bytes:
    return png_bytes(Image.new("RGB", (64, 32), "white"))


def post_ocr(client, image: bytes, **headers: str):
    return client.post("/ocr/", files={"file": ("a.png", image, "image/png")}, headers=headers)


def test_over_the_limit_is_429_then_recovers(fake_client_factory, image):
    client = fake_client_factory(orientation=False, rate_limit="2/second")
    assert [post_ocr(client, image).status_code for _ in range(2)] == [200, 200]
    refused = post_ocr(client, image)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    retry_after = int(refused.headers["Retry-After"])
    assert retry_after == 1
    # Health and metrics never count against the limit.
    assert client.get("/health/ready").status_code == 200 and client.get("/metrics").status_code == 200
    time.sleep(retry_after)
    assert post_ocr(client, image).status_code == 200


def test_each_key_has_its_own_budget(fake_client_factory, image):
    client = fake_client_factory(orientation=False, rate_limit="1/minute", api_keys=f"{KEY_A},{KEY_B}")
    assert post_ocr(client, image, **{"X-API-Key": KEY_A}).status_code == 200
    refused = post_ocr(client, image, **{"X-API-Key": KEY_A})
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert post_ocr(client, image, Authorization=f"Bearer {KEY_B}").status_code == 200
    # Unauthenticated requests are refused before they can use anyone's budget.
    assert post_ocr(client, image).status_code == 401


def test_malformed_rule_fails_at_startup():
    with pytest.raises(ValidationError, match="rate limit"):
        Settings(rate_limit="lots/fortnight")
    assert Settings(rate_limit=" 5/second;100/hour ").rate_limit == "5/second;100/hour"


def test_outage_guard_warns_once_and_pauses(caplog):
    now = [100.0]
    failures = []
    guard = OutageGuard("the test feature", lambda: failures.append(1), pause_s=5, clock=lambda: now[0])
    assert guard.should_try
    guard.failed(ConnectionError("refused"))
    guard.failed(ConnectionError("refused"))
    assert len(failures) == 2
    assert sum("unavailable" in record.getMessage() for record in caplog.records) == 1
    assert not guard.should_try
    now[0] += 5
    assert guard.should_try
    guard.succeeded()
    assert "is back" in caplog.text and guard.should_try
