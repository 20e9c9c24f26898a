"""Result cache and rate limits in a real `redis-server`, shared by two app instances,
and what happens when Redis dies under a running service."""

from __future__ import annotations

import logging

import pytest
import redis
from PIL import Image

from invoice_ocr.api.cache import REDIS_KEY_PREFIX
from tests.conftest import FakeEngine, png_bytes
from tests.redis_server import running_redis


@pytest.fixture(scope="module")
def image() -> bytes:
    return png_bytes(Image.new("RGB", (64, 32), "white"))


def post_ocr(client, data: bytes):
    return client.post("/ocr/", files={"file": ("a.png", data)})


def test_a_result_cached_by_one_instance_is_served_by_another(fake_client_factory, redis_url, image):
    engine_a, engine_b = FakeEngine(), FakeEngine()
    first = fake_client_factory(engine=engine_a, orientation=False, redis_url=redis_url, cache_ttl_s=600)
    second = fake_client_factory(engine=engine_b, orientation=False, redis_url=redis_url, cache_ttl_s=600)
    miss, hit = post_ocr(first, image), post_ocr(second, image)
    assert (miss.headers["X-Cache"], hit.headers["X-Cache"]) == ("miss", "hit")
    assert (engine_a.calls, engine_b.calls) == (1, 0)
    assert hit.json()["results"] == miss.json()["results"]
    [key] = redis.Redis.from_url(redis_url).keys(f"{REDIS_KEY_PREFIX}*")
    assert 0 < redis.Redis.from_url(redis_url).ttl(key) <= 600


def test_rate_limit_counters_are_shared(fake_client_factory, redis_url, image):
    first = fake_client_factory(orientation=False, redis_url=redis_url, rate_limit="2/minute")
    second = fake_client_factory(orientation=False, redis_url=redis_url, rate_limit="2/minute")
    assert [post_ocr(first, image).status_code, post_ocr(second, image).status_code] == [200, 200]
    refused = post_ocr(first, image)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_service_keeps_answering_when_redis_dies(fake_client_factory, image, caplog):
    with running_redis() as server:
        engine = FakeEngine()
        client = fake_client_factory(engine=engine, orientation=False, redis_url=server.url, rate_limit="100/second")
        assert post_ocr(client, image).headers["X-Cache"] == "miss"
        assert post_ocr(client, image).headers["X-Cache"] == "hit"
        server.stop()
        caplog.set_level(logging.WARNING)
        for _ in range(5):
            response = post_ocr(client, image)
            assert response.status_code == 200 and response.headers["X-Cache"] == "miss"
    assert engine.calls == 6
    warnings = [record.getMessage() for record in caplog.records if "redis unavailable" in record.getMessage()]
    assert len(warnings) == 2  # once for the cache, once for rate limiting: not once per request
    # One failure each across five requests: after it both features stepped aside, so a
    # dead Redis cost the other requests no socket timeout at all.
    metrics = client.get("/metrics").text
    assert "ocr_cache_errors_total 1.0" in metrics and "ocr_rate_limit_errors_total 1.0" in metrics
