"""HTML printed to PDF by headless Debian Chromium: the PDF producer of the Chromium tests
(`tests/pdf_producers.py`) and of the layout benchmark (`bench/layouts.py`)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


class ChromiumUnavailable(RuntimeError):
    """Chromium is not installed here: the tests that need it skip with this message."""


def chromium_pdf(html: str, *, timeout: float = 60.0) -> bytes:
    """`html` printed to PDF by headless Chromium (Letter, no header or footer)."""
    if not CHROMIUM.is_file():
        raise ChromiumUnavailable(f"{CHROMIUM} is not installed (Debian: apt-get install chromium fonts-dejavu-core)")
    with tempfile.TemporaryDirectory(prefix="chromium-pdf-") as folder:
        page, output = Path(folder, "page.html"), Path(folder, "page.pdf")
        page.write_text(html, encoding="utf-8")
        command = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={output}",
            page.as_uri(),
        ]
        environment = {**os.environ, "HOME": folder}
        result = subprocess.run(command, capture_output=True, timeout=timeout, env=environment, check=False)
        if result.returncode != 0 or not output.is_file():
            stderr = result.stderr.decode(errors="replace")[-2000:]
            raise RuntimeError(f"chromium exited {result.returncode} without a PDF:\n{stderr}")
        return output.read_bytes()
