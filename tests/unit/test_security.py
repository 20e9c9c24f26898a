"""API keys (`OCR_API_KEYS`) and CORS (`OCR_CORS_ORIGINS`) over the HTTP stack, with a fake engine."""

from __future__ import annotations

import logging

import pytest
from PIL import Image
from pydantic import ValidationError

from invoice_ocr.api.security import ApiKeyVerifier, key_id
from invoice_ocr.config import Settings
from tests.conftest import png_bytes

KEY = "s3cret-key-0123456789abcdef"
OTHER_KEY = "another-key-fedcba9876543210"
PUBLIC_PATHS = {"/health", "/health/live", "/health/ready", "/metrics"}


@pytest.fixture(scope="module")
def image() -> bytes:
    return png_bytes(Image.new("RGB", (64, 32), "white"))


@pytest.fixture
def secured(fake_client_factory):
    return fake_client_factory(orientation=False, api_keys=f"{KEY},{OTHER_KEY}")


def post_ocr(client, image: bytes, path: str = "/ocr/", **headers: str):
    return client.post(path, files={"file": ("a.png", image, "image/png")}, headers=headers)


def test_without_keys_the_api_is_open_and_declares_no_auth(fake_client_factory, image):
    client = fake_client_factory(orientation=False)
    assert post_ocr(client, image).status_code == 200
    assert "securitySchemes" not in client.get("/openapi.json").json().get("components", {})


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": "wrong"},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {KEY}"},
        {"X-API-Key": "wrong", "Authorization": f"Bearer {KEY}"},
    ],
)
def test_missing_or_wrong_key_is_401_envelope(secured, image, headers):
    response = post_ocr(secured, image, **headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["success"] is False
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-API-Key": KEY},
        {"Authorization": f"Bearer {OTHER_KEY}"},
        {"X-API-Key": KEY, "Authorization": f"Bearer {KEY}"},
    ],
)
def test_either_header_with_a_configured_key_is_accepted(secured, image, headers):
    assert post_ocr(secured, image, **headers).status_code == 200


def test_every_route_but_health_and_metrics_needs_a_key(secured):
    """Guards a router added later without the auth dependency: each operation must refuse."""
    paths = secured.get("/openapi.json").json()["paths"]
    guarded = [(path, method) for path, item in paths.items() for method in item if path not in PUBLIC_PATHS]
    assert ("/ocr/", "post") in guarded
    for path, method in [*guarded, ("/ocr", "post")]:
        response = secured.request(method.upper(), path)
        assert response.status_code == 401, (method, path, response.text)
    for path in PUBLIC_PATHS:
        assert secured.get(path).status_code == 200, path


def test_openapi_offers_both_schemes_for_the_authorize_button(secured):
    schema = secured.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["HTTPBearer"] == {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <key>`"}
    assert schemes["APIKeyHeader"]["in"] == "header" and schemes["APIKeyHeader"]["name"] == "X-API-Key"
    assert {"HTTPBearer": []} in schema["paths"]["/ocr/"]["post"]["security"]


def test_metrics_can_be_protected_too(fake_client_factory):
    client = fake_client_factory(orientation=False, api_keys=KEY, auth_protect_metrics=True)
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"X-API-Key": KEY}).status_code == 200
    assert client.get("/health/ready").status_code == 200


def test_the_key_never_reaches_the_logs(secured, image, caplog):
    caplog.set_level(logging.DEBUG)
    assert post_ocr(secured, image, **{"X-API-Key": KEY}).status_code == 200
    assert post_ocr(secured, image, Authorization=f"Bearer {OTHER_KEY}").status_code == 200
    assert post_ocr(secured, image, **{"X-API-Key": KEY[:-1]}).status_code == 401
    logged = caplog.text + "".join(f"{record.args}{record.__dict__}" for record in caplog.records)
    for secret in (KEY, OTHER_KEY, KEY[:-1]):
        assert secret not in logged
    assert key_id(KEY) in caplog.text and key_id(OTHER_KEY) in caplog.text


def test_keys_file_with_comments(tmp_path):
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(f"# production\n{KEY}\n\n  {OTHER_KEY}  \n")
    assert Settings(api_keys_file=keys_file).api_key_list == (KEY, OTHER_KEY)
    assert Settings(api_keys=f" {KEY} , ,{OTHER_KEY}").api_key_list == (KEY, OTHER_KEY)
    with pytest.raises(ValidationError, match="cannot be read"):
        Settings(api_keys_file=tmp_path / "missing.txt")


@pytest.mark.parametrize(
    "headers",
    [
        [("X-API-Key", KEY), ("X-API-Key", "wrong")],
        [("X-API-Key", "wrong"), ("X-API-Key", KEY)],
        [("X-API-Key", KEY), ("X-API-Key", KEY)],
        [("Authorization", f"Bearer {KEY}"), ("Authorization", "Bearer wrong")],
        [("Authorization", "Bearer wrong"), ("Authorization", f"Bearer {KEY}")],
    ],
)
def test_a_repeated_auth_header_is_refused(secured, image, headers):
    """Proxies and frameworks disagree on which copy of a header counts: refuse the ambiguity."""
    response = secured.post("/ocr/", files={"file": ("a.png", image, "image/png")}, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "duplicate_auth_header"
    assert KEY not in response.text


async def _asgi_call(app, scope: dict) -> tuple[list[dict], int]:
    """Calls `app` with a request whose body must never be read; returns what was sent and
    how often the body was asked for."""
    sent: list[dict] = []
    body_reads = 0

    async def receive() -> dict:
        nonlocal body_reads
        body_reads += 1
        raise AssertionError("the body was read")

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent, body_reads


def _http_scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test"), (b"content-type", b"multipart/form-data; boundary=x"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }


@pytest.mark.parametrize("path", ["/ocr/", "/ocr", "/ocr/batch", "/invoice/", "/no/such/path"])
def test_the_key_is_checked_before_any_body_byte_is_read(secured, path):
    import anyio

    huge = [(b"content-length", b"209715200")]
    sent, body_reads = anyio.run(_asgi_call, secured.app, _http_scope(path, huge))
    assert body_reads == 0
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 401
    assert b'"unauthorized"' in sent[1]["body"]
    duplicated = [*huge, (b"x-api-key", KEY.encode()), (b"x-api-key", KEY.encode())]
    sent, body_reads = anyio.run(_asgi_call, secured.app, _http_scope(path, duplicated))
    assert body_reads == 0 and sent[0]["status"] == 400


def test_docs_schema_and_web_page_stay_public(secured):
    for path in ("/", "/docs", "/openapi.json", "/health"):
        assert secured.get(path).status_code == 200, path
    # Behind the key, an unknown path tells an anonymous client nothing (401, not 404).
    assert secured.get("/no/such/path").status_code == 401
    assert secured.get("/no/such/path", headers={"X-API-Key": KEY}).status_code == 404


def test_verifier_and_key_id():
    verifier = ApiKeyVerifier([KEY, OTHER_KEY])
    assert verifier.accepts(KEY) and verifier.accepts(OTHER_KEY)
    assert not verifier.accepts("") and not verifier.accepts(KEY + "x") and not verifier.accepts("ключ")
    assert len(key_id(KEY)) == 8 and key_id(KEY) != key_id(OTHER_KEY)
    with pytest.raises(ValueError):
        ApiKeyVerifier([])


def test_cors_is_off_by_default_and_configurable(fake_client_factory):
    preflight = {
        "Origin": "https://app.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "X-API-Key",
    }
    closed = fake_client_factory(orientation=False)
    assert "access-control-allow-origin" not in closed.options("/ocr/", headers=preflight).headers
    open_ = fake_client_factory(orientation=False, cors_origins="https://app.example")
    answer = open_.options("/ocr/", headers=preflight)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-api-key" in answer.headers["access-control-allow-headers"].lower()
    exposed = open_.get("/health/live", headers={"Origin": "https://app.example"}).headers
    assert "X-Request-ID" in exposed["access-control-expose-headers"]
    refused = open_.options("/ocr/", headers={**preflight, "Origin": "https://evil.example"})
    assert refused.status_code == 400
