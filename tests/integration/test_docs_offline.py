"""`/docs` and `/redoc` work without internet access: their scripts come from this server
(the pinned fastapi-offline wheel's files), never from a CDN, and stay public with keys on."""

from __future__ import annotations

import re

import pytest

from tests.conftest import FakeEngine

PAGES = ("/docs", "/redoc")


@pytest.mark.parametrize("page", PAGES)
def test_docs_pages_load_their_assets_from_this_server(fake_client_factory, page: str) -> None:
    client = fake_client_factory(FakeEngine())
    html = client.get(page)
    assert html.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html.text)
    assert sources, html.text
    for source in sources:
        assert source.startswith("/"), f"{page} loads {source} from elsewhere"
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 1000, source
    assert client.get("/openapi.json").json()["info"]["title"]


def test_docs_stay_public_when_keys_are_required(fake_client_factory) -> None:
    client = fake_client_factory(FakeEngine(), api_keys="secret-key")
    assert client.get("/docs").status_code == 200
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/ocr/").status_code == 401
