"""Security edges seen on the running service: forged `X-Forwarded-For`, the API key checked
before the body is read, repeated auth headers, and what error messages and logs may say.

The server tests start a real uvicorn (a subprocess on a free loopback port) over a fake
engine: `fake_app` below is the factory it loads, so no model is built (start-up ≈ 2 s).
The flags come from the launchers themselves (Dockerfile `CMD`, Makefile `run`), so a
launcher that loses its flag fails here.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest
from fastapi import FastAPI
from PIL import Image

from invoice_ocr.api.app import create_app
from invoice_ocr.config import Settings
from tests.conftest import FakeEngine, fixed_engine_factory, free_port, png_bytes
from tests.integration import webui_support

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
KEY = "edge-key-Zm9v/YmFy+0123456789=="
FACTORY = "tests.integration.test_security_edge:fake_app"
STARTUP_TIMEOUT_S = 60
INHERIT_NOT = ("OCR_", "FORWARDED_", "UVICORN_")


def fake_app() -> FastAPI:
    """The real app, configured from `OCR_*` variables, over a fake engine (uvicorn `--factory`)
    that takes `FAKE_ENGINE_DELAY_S` per call."""
    engine = FakeEngine(delay=float(os.environ.get("FAKE_ENGINE_DELAY_S", "0")))
    return create_app(Settings(), engine_factory=fixed_engine_factory(engine))


# --------------------------------------------------------------------------- launchers


def _flags_after_app(argv: list[str]) -> tuple[str, ...]:
    """The uvicorn options of a launch command, less the app and the bind address."""
    rest = argv[argv.index("app:app") + 1 :]
    flags: list[str] = []
    while rest:
        token = rest.pop(0)
        if token in ("--host", "--port"):
            rest.pop(0)
        else:
            flags.append(token)
    return tuple(flags)


def dockerfile_commands() -> list[list[str]]:
    lines = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    return [json.loads(line.removeprefix("CMD")) for line in lines if line.startswith("CMD [")]


def makefile_run_command() -> list[str]:
    lines = (REPO_ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    recipe = lines[next(i for i, line in enumerate(lines) if line.startswith("run:")) + 1]
    return shlex.split(recipe.strip())


def launcher_flags() -> dict[str, tuple[str, ...]]:
    launchers = {f"Dockerfile CMD {n}": _flags_after_app(cmd) for n, cmd in enumerate(dockerfile_commands(), 1)}
    launchers["make run"] = _flags_after_app(makefile_run_command())
    return launchers


def test_every_launcher_leaves_forwarded_headers_to_the_app(monkeypatch):
    """uvicorn believes `X-Forwarded-For` from 127.0.0.1 unless told not to; the app decides
    (`OCR_TRUSTED_PROXIES`), so every launcher turns uvicorn's own handling off."""
    flags = launcher_flags()
    assert len(flags) == 3, flags
    for launcher, options in flags.items():
        assert "--no-proxy-headers" in options, launcher
        assert not any(option.startswith("--forwarded-allow-ips") for option in options), launcher
    import uvicorn

    from invoice_ocr import cli

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(device="cpu"))  # not the cached process settings
    assert cli.main(["serve", "--port", "9999"]) == 0
    assert calls and calls[0]["proxy_headers"] is False


def test_every_launcher_logs_each_request_once(monkeypatch):
    """Our JSON access line has everything uvicorn's has: every launcher turns uvicorn's off."""
    for launcher, options in launcher_flags().items():
        assert "--no-access-log" in options, launcher
    import uvicorn

    from invoice_ocr import cli

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(device="cpu"))
    assert cli.main(["serve", "--port", "9999"]) == 0
    assert calls[0]["access_log"] is False


# --------------------------------------------------------------------------- servers


@dataclass
class Server(webui_support.Server):
    """The web-UI tests' server handle, with its port and the JSON access log."""

    port: int = 0

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def access_log(self) -> list[dict]:
        lines = [line.split("invoice_ocr.access: ", 1)[1] for line in self.log().splitlines() if "access: {" in line]
        return [json.loads(line) for line in lines]


def _wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.log()[-4000:]}")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"/health not 200 after {STARTUP_TIMEOUT_S} s:\n{server.log()[-4000:]}")


def start_server(log_path: Path, flags: tuple[str, ...], **env: str) -> Server:
    """uvicorn with a launcher's `flags` over the fake-engine app, configured by `env` alone
    (the test runner's own `OCR_*`, `FORWARDED_*` and `UVICORN_*` variables are dropped)."""
    port = free_port()
    inherited = {name: value for name, value in os.environ.items() if not name.startswith(INHERIT_NOT)}
    defaults = {"OCR_DEVICE": "cpu", "OCR_WARMUP": "false", "OCR_ORIENTATION": "false", "OCR_CACHE_MAX_ENTRIES": "0"}
    child_env = {**inherited, **defaults, "PYTHONUNBUFFERED": "1", **env}
    cmd = [sys.executable, "-m", "uvicorn", "--factory", FACTORY, "--host", "127.0.0.1", "--port", str(port), *flags]
    with log_path.open("wb") as log:
        process = subprocess.Popen(cmd, cwd=REPO_ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log_path, port)
    _wait_until_healthy(server)
    return server


@pytest.fixture
def launch(tmp_path) -> Iterator[Callable[..., Server]]:
    """Starts servers (`start_server`) for one test; stops them after it."""
    servers: list[Server] = []

    def start(flags: tuple[str, ...], **env: str) -> Server:
        servers.append(start_server(tmp_path / f"server-{len(servers)}.log", flags, **env))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"OCR_API_KEYS": " , "}, "OCR_API_KEYS is set but holds no key"),
        ({"OCR_API_KEYS": KEY, "OCR_TRUSTED_PROXIES": "proxy.local"}, "is not an IP address"),
        ({"OCR_API_KEYS": KEY, "OCR_DET_MODEL_DIR": "/nonexistent/det"}, "is not a folder"),
    ],
    ids=["no-key-after-parsing", "bad-proxy-beside-a-key", "bad-setting-beside-a-key"],
)
def test_a_start_up_error_names_the_setting_never_the_key(env, expected):
    inherited = {name: value for name, value in os.environ.items() if not name.startswith(INHERIT_NOT)}
    cmd = [sys.executable, "-m", "uvicorn", "--factory", FACTORY, "--port", str(free_port())]
    done = subprocess.run(cmd, cwd=REPO_ROOT, env={**inherited, **env}, capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode != 0 and expected in output, output[-3000:]
    assert KEY not in output and "Zm9v" not in output


@pytest.fixture(scope="module")
def image() -> bytes:
    return png_bytes(Image.new("RGB", (64, 32), "white"))


def post_forwarded(server: Server, image: bytes, count: int) -> list[int]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        return [
            client.post(
                "/ocr/", files={"file": ("a.png", image, "image/png")}, headers={"X-Forwarded-For": f"10.0.0.{i}"}
            ).status_code
            for i in range(1, count + 1)
        ]


@pytest.mark.parametrize("launcher", sorted(launcher_flags()))
def test_forged_forwarded_for_does_not_change_the_rate_limited_client(launch, image, launcher):
    server = launch(launcher_flags()[launcher], OCR_RATE_LIMIT="5/minute")
    statuses = post_forwarded(server, image, 10)
    assert statuses == [200] * 5 + [429] * 5, server.log()[-3000:]
    clients = {entry["client"] for entry in server.access_log() if entry["route"] == "/ocr/"}
    assert clients == {"127.0.0.1"}


def test_forwarded_for_from_a_trusted_proxy_is_the_client(launch, image):
    flags = launcher_flags()["Dockerfile CMD 1"]
    server = launch(flags, OCR_RATE_LIMIT="5/minute", OCR_TRUSTED_PROXIES="127.0.0.1")
    assert post_forwarded(server, image, 10) == [200] * 10, server.log()[-3000:]
    clients = [entry["client"] for entry in server.access_log() if entry["route"] == "/ocr/"]
    assert clients == [f"10.0.0.{i}" for i in range(1, 11)]


# --------------------------------------------------------------------------- raw HTTP


def raw_exchange(port: int, head: str, body_start: bytes, timeout: float) -> bytes:
    """Sends a request head and the first bytes of its body, never the rest; returns what
    the server answered within `timeout` (b"" when it kept waiting for the body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body_start)
        answer = b""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and not _complete(answer):
                chunk = connection.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pass
        return answer


def _complete(answer: bytes) -> bool:
    head, separator, body = answer.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return bool(separator and match and len(body) >= int(match.group(1)))


def request_head(path: str, *headers: str, length: int | None = 200 * 1024 * 1024) -> str:
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: multipart/form-data; boundary=b", framing]
    return "\n".join([*lines, *headers]) + "\n"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory) -> Iterator[Server]:
    log_path = tmp_path_factory.mktemp("keyed") / "server.log"
    server = start_server(log_path, launcher_flags()["Dockerfile CMD 1"], OCR_API_KEYS=KEY)
    yield server
    server.stop()


@pytest.mark.parametrize("length", [200 * 1024 * 1024, None], ids=["content-length-200MB", "chunked"])
def test_a_request_without_key_is_refused_before_its_body_is_sent(keyed_server, length):
    first_bytes = b"--b\r\n" if length else b"5\r\n--b\r\n\r\n"  # chunked: one chunk, never the last
    started = time.monotonic()
    answer = raw_exchange(keyed_server.port, request_head("/ocr/batch", length=length), first_bytes, timeout=10)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:300]
    assert time.monotonic() - started < 5
    assert b'"code":"unauthorized"' in answer and b"www-authenticate: bearer" in answer.lower()
    assert KEY.encode() not in keyed_server.log().encode()


def test_with_the_key_the_server_waits_for_the_body(keyed_server):
    """The control for the test above: the same unfinished request, keyed, gets no early answer."""
    head = request_head("/ocr/batch", f"X-API-Key: {KEY}")
    assert raw_exchange(keyed_server.port, head, b"--b\r\n", timeout=1.5) == b""


@pytest.mark.parametrize(
    "headers",
    [(f"X-API-Key: {KEY}", "X-API-Key: wrong"), ("X-API-Key: wrong", f"X-API-Key: {KEY}")],
    ids=["right-then-wrong", "wrong-then-right"],
)
def test_repeated_key_headers_are_refused_on_the_wire(keyed_server, headers):
    answer = raw_exchange(keyed_server.port, request_head("/ocr/", *headers, length=4), b"--b\r", timeout=10)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:300]
    assert b'"code":"duplicate_auth_header"' in answer


# --------------------------------------------------------------------------- message hygiene

HEAP_ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}|object at")


def test_an_undecodable_image_message_names_no_heap_address(fake_client_factory):
    """Fails until documents/loader.py stops putting Pillow's `repr(BytesIO)` in the message."""
    client = fake_client_factory(orientation=False)
    response = client.post("/ocr/", files={"file": ("a.jpg", b"\xff\xd8\xff" + b"garbage" * 10, "image/jpeg")})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "undecodable_file"
    assert not HEAP_ADDRESS.search(response.json()["error"]["message"]), response.json()


class FailingEngine(FakeEngine):
    def recognize(self, images: list[np.ndarray]):
        raise RuntimeError("engine bug")


def test_a_failed_batch_file_is_logged_without_its_name(fake_client_factory, image, caplog):
    caplog.set_level(logging.DEBUG)
    client = fake_client_factory(FailingEngine(), orientation=False)
    name = "acme-payroll-2024-confidential.png"
    response = client.post("/ocr/batch", files=[("files", (name, image, "image/png"))])
    assert response.status_code == 200
    assert response.json()["files"][0]["error"]["code"] == "internal_error"
    assert "batch file" in caplog.text and "engine bug" in caplog.text
    logged = caplog.text + "".join(f"{record.args}{record.msg}" for record in caplog.records)
    assert name not in logged and "acme-payroll" not in logged


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/ocr/", "multipart/form-data", b"garbage"),
        ("/ocr/batch", "multipart/form-data; boundary=xyz", b"garbage"),
        ("/invoice/", "multipart/form-data; boundary=xyz", b"--xyz\r\nno headers"),
    ],
)
def test_a_malformed_multipart_body_is_a_documented_400(fake_client_factory, path, content_type, body):
    client = fake_client_factory(orientation=False)
    response = client.post(path, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith("the request body cannot be parsed")


def _errors_table(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start:end]


def every_error_code() -> set[str]:
    """Codes the API can answer: document errors, `ApiError`s and envelopes in the API code,
    and the codes the HTTP-level handler maps statuses to."""
    from invoice_ocr.api.errors import HTTP_ERROR_CODES
    from invoice_ocr.documents import errors as document_errors

    codes = {
        kind.code
        for kind in vars(document_errors).values()
        if isinstance(kind, type) and issubclass(kind, document_errors.DocumentError)
    }
    codes.discard(document_errors.DocumentError.code)  # the abstract base: never raised itself
    pattern = re.compile(r'(?:ApiError|error_response)\(\s*\d{3},\s*"([a-z_]+)"')
    for source in (REPO_ROOT / "invoice_ocr" / "api").rglob("*.py"):
        codes.update(pattern.findall(source.read_text(encoding="utf-8")))
    return codes | set(HTTP_ERROR_CODES.values())


def test_every_error_code_is_documented():
    codes = every_error_code()
    assert {"duplicate_auth_header", "unauthorized", "invalid_request", "too_large"} <= codes
    documentation = _errors_table((REPO_ROOT / "DOCUMENTATION.md").read_text(encoding="utf-8"), "### Errors")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for code in sorted(codes):
        assert f"`{code}`" in documentation, f"{code} missing from DOCUMENTATION.md's Errors table"
        assert f"`{code}`" in readme, f"{code} missing from README.md's error table"


# --------------------------------------------------------------------------- client leaves


def multipart_request(path: str, name: str, content: bytes) -> bytes:
    boundary = "edge-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def engine_pages_read(server: Server) -> float:
    metrics = httpx.get(f"{server.url}/metrics", timeout=5).text
    return float(re.search(r"^ocr_inference_batch_pages_sum (\S+)$", metrics, re.M).group(1))


def test_a_client_that_leaves_stops_its_remaining_pages(launch, image):
    pages = 8
    server = launch((), FAKE_ENGINE_DELAY_S="0.5", OCR_MAX_BATCH="1", OCR_REQUEST_TIMEOUT_S="60")
    frames = [Image.new("RGB", (64, 32), "white") for _ in range(pages)]
    tiff = png_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(multipart_request("/ocr/", "scan.tiff", tiff))
        deadline = time.monotonic() + 30
        while engine_pages_read(server) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)  # leave once the engine has started on the document
    answer = httpx.post(f"{server.url}/ocr/", files={"file": ("a.png", image)}, timeout=30)
    assert answer.status_code == 200  # served once the page in the engine is done, not after all 8
    read = engine_pages_read(server)
    assert read < pages + 1, f"the engine read {read} pages: the left request's queued pages were not dropped"
    left = [entry for entry in server.access_log() if entry["error"] == "client_disconnected"]
    assert left and left[0]["status"] == 499
