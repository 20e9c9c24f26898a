"""deploy/nginx/nginx.conf: limits in step with the API settings; syntax and behaviour
checked with a real nginx when one is installed (Debian package `nginx-light`)."""

from __future__ import annotations

import http.client
import http.server
import json
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from invoice_ocr.config import MULTIPART_OVERHEAD_BYTES, Settings
from invoice_ocr.documents.errors import DocumentTooLargeError
from tests.conftest import free_port

from .helpers import REPO

CONF = REPO / "deploy" / "nginx" / "nginx.conf"
TEXT = CONF.read_text(encoding="utf-8")


def directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", TEXT, re.M)


def seconds(value: str) -> int:
    match = re.fullmatch(r"(\d+)(s?)", value.strip())
    assert match, value
    return int(match.group(1))


def size_bytes(value: str) -> int:
    match = re.fullmatch(r"(\d+)([kKmMgG]?)", value.strip())
    assert match, value
    return int(match.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]


def test_limits_match_the_api_settings() -> None:
    """nginx refuses exactly what the API would refuse, no more: the API's body limit is
    the upload limit plus MULTIPART_OVERHEAD_BYTES (batch: that times OCR_BATCH_MAX_FILES)."""
    settings = Settings()
    assert settings.max_upload_bytes == 20 * 1024 * 1024
    single, batch = (size_bytes(value) for value in directive("client_max_body_size"))
    assert single == settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES
    assert batch == settings.max_batch_request_bytes
    assert re.search(r"location ~ \^/\(ocr\|invoice\)/batch\$ \{\s*client_max_body_size", TEXT)
    for name in ("proxy_read_timeout", "proxy_send_timeout"):
        values = [seconds(value) for value in directive(name)]
        assert values and min(values) > settings.request_timeout_s, f"{name} must exceed the API's own timeout"


def test_tls_redirect_and_headers() -> None:
    assert "return 301 https://$host$request_uri;" in TEXT
    (protocols,) = directive("ssl_protocols")
    assert protocols.split() == ["TLSv1.2", "TLSv1.3"]
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in TEXT
    assert "proxy_set_header X-Request-ID $req_id;" in TEXT
    assert re.search(r"map \$http_x_request_id \$req_id \{[^}]*default \$http_x_request_id;", TEXT)


# ---------------------------------------------------------------- with a real nginx

NGINX = shutil.which("nginx") or (Path("/usr/sbin/nginx") if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")
needs_nginx = pytest.mark.skipif(
    NGINX is None or OPENSSL is None, reason="nginx/openssl not installed (apt-get install nginx-light openssl)"
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """nginx.conf rewritten only where a test must: ports, paths, upstream address."""
    root = tmp_path_factory.mktemp("nginx")
    (root / "tls").mkdir()
    (root / "logs").mkdir()
    subprocess.run(
        [
            str(OPENSSL),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(root / "tls" / "privkey.pem"),
            "-out",
            str(root / "tls" / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    ports = {"http": free_port(), "https": free_port(), "upstream": free_port()}
    conf = (
        TEXT.replace("/etc/nginx/tls/", f"{root}/tls/")
        .replace("/var/log/nginx/", f"{root}/logs/")
        .replace("pid /tmp/nginx.pid;", f"pid {root}/nginx.pid;")
        .replace("server invoice-ocr:8080;", f"server 127.0.0.1:{ports['upstream']};")
        .replace("listen [::]:80;", "")
        .replace("listen [::]:443 ssl http2;", "")
        .replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;")
        .replace("root /var/www/certbot;", f"root {root};")
    )
    assert conf.count(f"127.0.0.1:{ports['https']}") == 1
    (root / "nginx.conf").write_text(conf, encoding="utf-8")
    return root, ports


@needs_nginx
def test_nginx_accepts_the_config(sandbox) -> None:
    root, _ = sandbox
    result = subprocess.run(
        [str(NGINX), "-t", "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "logs" / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


class Upstream(http.server.BaseHTTPRequestHandler):
    """Answers every request with the headers it received, as JSON."""

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({key.lower(): value for key, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _reply
    do_POST = _reply

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def running(sandbox):
    root, ports = sandbox
    server = http.server.ThreadingHTTPServer(("127.0.0.1", ports["upstream"]), Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    process = subprocess.Popen(
        [
            str(NGINX),
            "-p",
            str(root),
            "-c",
            str(root / "nginx.conf"),
            "-e",
            str(root / "logs" / "error.log"),
            "-g",
            "daemon off;",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", ports["https"]), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx exited: {process.stderr.read().decode()}")
            time.sleep(0.05)
    yield ports
    process.terminate()
    process.wait(timeout=10)
    server.shutdown()


def https(ports, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", ports["https"], context=context, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


@needs_nginx
def test_http_redirects_to_https(running) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", running["http"], timeout=10)
    connection.request("GET", "/ocr/?x=1", headers={"Host": "ocr.example.com"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://ocr.example.com/ocr/?x=1"


@needs_nginx
def test_proxy_passes_request_id_and_forwarded_headers(running) -> None:
    response, data = https(running, "GET", "/health", headers={"X-Request-ID": "abc-123"})
    assert response.status == 200
    seen = json.loads(data)
    assert seen["x-request-id"] == "abc-123" and response.getheader("X-Request-ID") == "abc-123"
    assert seen["x-forwarded-for"] == "127.0.0.1" and seen["x-forwarded-proto"] == "https"
    assert "max-age=" in response.getheader("Strict-Transport-Security")

    response, data = https(running, "GET", "/health")
    generated = json.loads(data)["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated) and response.getheader("X-Request-ID") == generated


def post_headers_only(running, path: str, length: int) -> tuple[http.client.HTTPResponse, bytes]:
    """nginx judges the size from Content-Length alone: send only the headers."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection(("127.0.0.1", running["https"]), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        tls.sendall(
            f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Length: {length}\r\n\r\n".encode()
        )
        response = http.client.HTTPResponse(tls)
        response.begin()
        return response, response.read()


@needs_nginx
def test_upload_limit(running) -> None:
    settings = Settings()
    limit = settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES
    response, _ = https(running, "POST", "/ocr/", body=b"x" * limit)
    assert response.status == 200, "a body the API accepts passes nginx"
    response, data = post_headers_only(running, "/ocr/", limit + 1)
    assert response.status == 413
    assert response.getheader("Content-Type") == "application/json"
    error = json.loads(data)
    assert error["success"] is False and error["error"]["code"] == DocumentTooLargeError.code
    # The batch route takes several files, up to its own limit.
    response, _ = https(running, "POST", "/ocr/batch", body=b"x" * (2 * limit))
    assert response.status == 200
    response, _ = post_headers_only(running, "/ocr/batch", settings.max_batch_request_bytes + 1)
    assert response.status == 413
