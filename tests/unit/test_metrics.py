"""`GET /metrics`: per-app registries whose counters follow the traffic."""

from __future__ import annotations

import pytest
from PIL import Image
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import FakeEngine, png_bytes


@pytest.fixture(scope="module")
def image() -> bytes:
    return png_bytes(Image.new("RGB", (64, 32), "white"))


def scrape(client) -> dict[tuple[str, frozenset], float]:
    """Every sample as {(name, labels): value}."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_counters_move_with_requests(fake_client_factory, image):
    client = fake_client_factory(orientation=False, cache_max_entries=0)
    before = scrape(client)
    assert value(before, "ocr_queue_depth") == 0 and value(before, "ocr_queue_size") == 16
    assert value(before, "ocr_model_load_seconds") > 0
    for _ in range(3):
        assert client.post("/ocr/", files={"file": ("a.png", image)}).status_code == 200
    assert client.post("/ocr/", files={"file": ("a.txt", b"plain text")}).status_code == 415
    assert client.get("/no/such/path").status_code == 404
    after = scrape(client)

    ok = {"method": "POST", "route": "/ocr/", "status": "200"}
    assert value(after, "ocr_http_requests_total", **ok) - value(before, "ocr_http_requests_total", **ok) == 3
    assert value(after, "ocr_http_errors_total", route="/ocr/", status="415", code="unsupported_media_type") == 1
    assert value(after, "ocr_http_errors_total", route="unmatched", status="404", code="not_found") == 1
    assert value(after, "ocr_http_request_duration_seconds_count", method="POST", route="/ocr/") == 4
    assert value(after, "ocr_pages_processed_total") - value(before, "ocr_pages_processed_total") == 3
    assert value(after, "ocr_inference_duration_seconds_count") == 3
    assert value(after, "ocr_inference_batch_pages_sum") == 3
    assert value(after, "ocr_queue_depth") == 0


def test_cache_lookups_are_counted(fake_client_factory, image):
    client = fake_client_factory(orientation=False)
    for _ in range(3):
        client.post("/ocr/", files={"file": ("a.png", image)})
    samples = scrape(client)
    assert value(samples, "ocr_cache_lookups_total", result="miss") == 1
    assert value(samples, "ocr_cache_lookups_total", result="hit") == 2
    assert value(samples, "ocr_cache_errors_total") == 0


def test_each_app_has_its_own_registry(fake_client_factory, image):
    busy, idle = fake_client_factory(orientation=False), fake_client_factory(orientation=False, engine=FakeEngine())
    busy.post("/ocr/", files={"file": ("a.png", image)})
    assert value(scrape(busy), "ocr_pages_processed_total") == 1
    assert value(scrape(idle), "ocr_pages_processed_total") == 0
