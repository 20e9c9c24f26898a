"""Take the README's screenshot of the web page: `docs/screenshot.png`.

Starts the real server (`uvicorn app:app`, OCR_DEVICE=cpu) on a free port, or uses
`--url`, uploads a rendered sample invoice through the page in headless Chromium, clicks
the "Total" field so its box is highlighted, and saves a small PNG.

    .venv/bin/python scripts/screenshot.py                # -> docs/screenshot.png
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:8080 --out /tmp/shot.png

Needs Debian's Chromium and ChromeDriver (`apt-get install chromium chromium-driver`)
and selenium (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from PIL import Image  # noqa: E402

from tests.integration import webui_support as ws  # noqa: E402

MAX_BYTES = 200 * 1024


def shrink_png(png: bytes, width: int) -> bytes:
    """Scale to `width` px and compress; past MAX_BYTES use a 256-colour palette (octree keeps
    the few coloured pixels, such as the boxes and legend, that median cut drops)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if out.tell() > MAX_BYTES:
        out = io.BytesIO()
        image.quantize(256, method=Image.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
    return out.getvalue()


def capture(driver, base_url: str, invoice: Path) -> bytes:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    # A still picture: no highlight pulse half-way through.
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}
    )
    state = ws.upload(driver, base_url, invoice)
    if state != "done":
        raise RuntimeError(f"the page ended in {state!r}: {driver.find_element(By.ID, 'error').text}")
    total = driver.find_elements(By.CSS_SELECTOR, "#fields tr[data-field=total].clickable")
    if total:
        total[0].click()
    else:  # no /invoice/ on this server: show a text line's box instead
        driver.find_element(By.CSS_SELECTOR, "#lines button").click()
    driver.execute_script("window.scrollTo(0, 0)")
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()  # no hover effects
    return driver.get_screenshot_as_png()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshot.png")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--width", type=int, default=1000, help="width of the saved PNG, px")
    parser.add_argument("--viewport", default="1280x960", help="browser viewport, WxH CSS px")
    args = parser.parse_args(argv)

    if not ws.chromium_available():
        print(ws.CHROMIUM_MISSING, file=sys.stderr)
        return 2
    vw, vh = (int(v) for v in args.viewport.lower().split("x"))

    with tempfile.TemporaryDirectory(prefix="invoice-ocr-shot-") as tmp:
        tmp_path = Path(tmp)
        invoice = ws.render_invoice(tmp_path / "sample-invoice.png").path
        server = None if args.url else ws.start_server(log_dir=tmp_path)
        base_url = args.url.rstrip("/") if args.url else server.url
        driver = None
        try:
            driver = ws.start_browser(tmp_path / "chromium-profile", vw, vh)
            png = shrink_png(capture(driver, base_url, invoice), args.width)
        finally:
            if driver is not None:
                driver.quit()
            if server is not None:
                server.stop()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(png)
    print(f"wrote {args.out} ({len(png) / 1024:.0f} KiB)")
    if len(png) > MAX_BYTES:
        print(f"warning: larger than {MAX_BYTES // 1024} KiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
