"""Helpers shared by the web page's browser test and `scripts/screenshot.py`.

- `render_invoice()`: draws a known invoice with Pillow (exact ground truth).
- `start_server()`: runs the real service (`uvicorn app:app`) on a free port and waits
  for `GET /health` to answer 200.
- `start_browser()`: headless Debian Chromium driven by Selenium (no browser download).
- `upload()`: sends a file through the page's `<input type=file>` and waits for the result.

Both import it as `tests.integration.webui_support` (the script puts the repository root
on `sys.path` first).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from invoice_ocr.samples import load_font
from tests.conftest import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver"))
CHROMIUM_MISSING = "Chromium not installed: apt-get install chromium chromium-driver"

# The sample invoice's ground truth (what the page should end up showing).
INVOICE_NUMBER = "INV-2024-0042"
TOTAL_TEXT = "1,234.56"
TOTAL_VALUE = "1234.56"
LINE_ITEMS = [  # description, quantity, unit price, amount
    ("Widget A", "4", "125.00", "500.00"),
    ("Service hours", "6", "75.50", "453.00"),
    ("Shipping", "1", "75.80", "75.80"),
]
SUBTOTAL_TEXT = "1,028.80"
TAX_TEXT = "205.76"


# --------------------------------------------------------------------------- invoice


@dataclass
class RenderedInvoice:
    path: Path
    width: int
    height: int
    lines: list[tuple[str, list[list[int]]]] = field(default_factory=list)
    """Every drawn text line with its box (four [x, y] points, clockwise from top-left)."""


def render_invoice(path: Path, width: int = 1240, height: int = 1754) -> RenderedInvoice:
    """Draw an A4-at-150-dpi invoice with large, clear text; the format follows the suffix."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    out = RenderedInvoice(path=Path(path), width=width, height=height)

    def text(xy: tuple[int, int], s: str, size: int = 34, bold: bool = False, anchor: str = "la") -> None:
        font = load_font(size, bold)
        draw.text(xy, s, fill="black", font=font, anchor=anchor)
        x0, y0, x1, y1 = (round(v) for v in draw.textbbox(xy, s, font=font, anchor=anchor))
        out.lines.append((s, [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))

    left, right = 90, width - 90
    text((left, 90), "Acme Supplies Ltd", 46, bold=True)
    text((left, 150), "12 Harbour Road, Bristol BS1 4DJ")
    text((right, 90), "INVOICE", 60, bold=True, anchor="ra")

    text((left, 300), f"Invoice No: {INVOICE_NUMBER}")
    text((left, 355), "Invoice Date: 2024-03-15")
    text((left, 410), "Due Date: 2024-04-14")
    text((left, 500), "Bill To:", bold=True)
    text((left, 550), "Globex Corporation")
    text((left, 600), "742 Evergreen Terrace, Springfield")

    cols = (left, 600, 860, right)  # description | qty (right edge) | unit (right) | amount (right)
    y = 740
    draw.line((left, y - 15, right, y - 15), fill="black", width=3)
    text((cols[0], y), "Description", bold=True)
    text((cols[1], y), "Qty", bold=True, anchor="ra")
    text((cols[2], y), "Unit Price", bold=True, anchor="ra")
    text((cols[3], y), "Amount", bold=True, anchor="ra")
    y += 60
    draw.line((left, y - 12, right, y - 12), fill="black", width=2)
    for description, qty, unit, amount in LINE_ITEMS:
        text((cols[0], y), description)
        text((cols[1], y), qty, anchor="ra")
        text((cols[2], y), unit, anchor="ra")
        text((cols[3], y), amount, anchor="ra")
        y += 60
    draw.line((left, y, right, y), fill="black", width=2)

    y += 40
    for label, value, bold in (
        ("Subtotal:", SUBTOTAL_TEXT, False),
        ("Tax (20%):", TAX_TEXT, False),
        ("Total:", TOTAL_TEXT, True),
    ):
        text((760, y), label, bold=bold)
        text((right, y), value, bold=bold, anchor="ra")
        y += 60
    text((left, y + 80), "Currency: GBP")
    text((left, y + 135), "Payment within 30 days. Thank you for your business.", 30)

    out.path.parent.mkdir(parents=True, exist_ok=True)
    image.save(out.path)
    return out


# --------------------------------------------------------------------------- server


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log_path: Path

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def get(self, path: str, timeout: float = 10) -> tuple[int, str, bytes]:
        """GET `path`: (status, content type, body)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as resp:
                return resp.status, resp.headers.get("content-type", ""), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("content-type", ""), exc.read()

    def get_json(self, path: str, timeout: float = 10) -> tuple[int, dict | None]:
        """GET a JSON document from the server: (status, body or None)."""
        status, _, body = self.get(path, timeout)
        try:
            return status, json.loads(body or b"null")
        except ValueError:
            return status, None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(
    log_dir: Path | None = None,
    env: dict[str, str] | None = None,
    startup_timeout: float = 120.0,
    python: str | None = None,
    app: str = "app:app",
) -> Server:
    """Start `python -m uvicorn app:app` (repo root, `OCR_DEVICE=cpu`) and wait for /health 200.

    Raises RuntimeError with the server's log tail if it exits or is not healthy in time.
    """
    port = free_port()
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="invoice-ocr-web-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / "server.log"
    child_env = {**os.environ, "OCR_DEVICE": "cpu", "PYTHONUNBUFFERED": "1", **(env or {})}
    log = open(log_path, "wb")  # noqa: SIM115 - handed to the child, closed below
    cmd = [python or sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(cmd, cwd=REPO_ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    server = Server(process=process, url=f"http://127.0.0.1:{port}", log_path=log_path)

    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log_tail()}")
        try:
            status, _ = server.get_json("/health", timeout=5)
            if status == 200:
                return server
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"/health not 200 after {startup_timeout:.0f} s:\n{server.log_tail()}")


# --------------------------------------------------------------------------- browser


def chromium_available() -> bool:
    return CHROMIUM.is_file() and CHROMEDRIVER.is_file() and shutil.which(str(CHROMIUM)) is not None


def start_browser(profile_dir: Path, width: int = 1280, height: int = 1000):
    """Headless Chromium via Selenium, fresh profile, no network side traffic."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile_dir}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    set_viewport(driver, width, height)
    return driver


def set_viewport(driver, width: int, height: int) -> None:
    """Make the *viewport* (not the window) width × height CSS pixels."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def page_state(driver) -> str:
    """The page's `data-state` on <body>: loading, idle, uploading, reading, done or error."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").get_attribute("data-state")


def open_page(driver, base_url: str) -> None:
    """Load the page and wait until its script is ready."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base_url + "/")
    WebDriverWait(driver, 15).until(lambda d: page_state(d) == "idle")


def upload(driver, base_url: str, file_path: Path, timeout: float = 120.0) -> str:
    """Open the page, pick `file_path` in its file input, wait until it is done.

    Returns the page's final state: "done" or "error" (`data-state` on <body>).
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(driver, base_url)
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(Path(file_path).resolve()))
    WebDriverWait(driver, timeout).until(lambda d: page_state(d) in ("done", "error"))
    return page_state(driver)
