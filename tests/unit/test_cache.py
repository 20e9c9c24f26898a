"""The in-process result cache and its key; Redis is covered in tests/integration/test_redis_cache.py."""

from __future__ import annotations

import asyncio

import pytest
from PIL import Image

from invoice_ocr.api.cache import MemoryStore, cache_key
from tests.conftest import FakeEngine, png_bytes


@pytest.fixture(scope="module")
def image() -> bytes:
    return png_bytes(Image.new("RGB", (64, 32), "white"))


def post_ocr(client, data: bytes, **params):
    return client.post("/ocr/", files={"file": ("a.png", data)}, params=params)


def test_second_identical_upload_skips_ocr(fake_client_factory, image):
    engine = FakeEngine(delay=0.3)
    client = fake_client_factory(engine=engine, orientation=False)
    first, second = post_ocr(client, image), post_ocr(client, image)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert engine.calls == 1
    assert first.json()["processing_time_ms"] >= 300 > second.json()["processing_time_ms"]
    assert {**first.json(), "processing_time_ms": 0} == {**second.json(), "processing_time_ms": 0}


def test_other_bytes_or_options_miss(fake_client_factory, image):
    engine = FakeEngine()
    client = fake_client_factory(engine=engine, orientation=False)
    other = png_bytes(Image.new("RGB", (64, 32), "black"))
    assert post_ocr(client, image).headers["X-Cache"] == "miss"
    assert post_ocr(client, other).headers["X-Cache"] == "miss"
    assert post_ocr(client, image, force_ocr="true").headers["X-Cache"] == "miss"
    assert post_ocr(client, image, force_ocr="true").headers["X-Cache"] == "hit"
    assert engine.calls == 3


def test_errors_are_not_cached_and_zero_entries_turns_caching_off(fake_client_factory, image):
    engine = FakeEngine()
    client = fake_client_factory(engine=engine, orientation=False, cache_max_entries=0)
    responses = [post_ocr(client, image) for _ in range(2)]
    assert all(response.status_code == 200 and "X-Cache" not in response.headers for response in responses)
    assert engine.calls == 2
    cached = fake_client_factory(orientation=False)
    assert [post_ocr(cached, b"not an image").status_code for _ in range(2)] == [415, 415]


def test_key_covers_bytes_route_and_options():
    base = cache_key("ocr", b"abc", {"model": "m", "force_ocr": False})
    assert base == cache_key("ocr", b"abc", {"force_ocr": False, "model": "m"})
    assert base.startswith("ba7816bf")  # sha256("abc")
    variants = [
        cache_key("ocr", b"abd", {"model": "m", "force_ocr": False}),
        cache_key("invoice", b"abc", {"model": "m", "force_ocr": False}),
        cache_key("ocr", b"abc", {"model": "n", "force_ocr": False}),
        cache_key("ocr", b"abc", {"model": "m", "force_ocr": True}),
    ]
    assert len({base, *variants}) == 5


def test_memory_store_is_bounded_by_entries_and_bytes():
    async def scenario() -> None:
        store = MemoryStore(max_entries=2, max_bytes=10)
        await store.set("a", b"1234")
        await store.set("b", b"1234")
        assert await store.get("a") == b"1234"  # "a" is now the most recent
        await store.set("c", b"12")
        assert await store.get("b") is None and await store.get("a") and await store.get("c")
        await store.set("d", b"123456")  # 4 + 2 + 6 > 10 bytes: the oldest go
        assert await store.get("a") is None and store.bytes <= 10
        await store.set("huge", b"x" * 11)
        assert await store.get("huge") is None

    asyncio.run(scenario())
