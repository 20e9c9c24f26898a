"""The web page at `GET /`, driven in headless Chromium against the real server.

Starts `uvicorn app:app` (OCR_DEVICE=cpu, real model), uploads a rendered invoice through
the page's file input and checks what a user would see: the boxes drawn over the page,
the invoice fields, a plain-words error for an unsupported file, and a 320 px layout.

Needs Debian's Chromium and ChromeDriver (`apt-get install chromium chromium-driver`);
skipped without them. One server and one browser serve the whole module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration import webui_support as ws

pytestmark = pytest.mark.integration

if not ws.chromium_available():
    pytest.skip(ws.CHROMIUM_MISSING, allow_module_level=True)
pytest.importorskip("selenium", reason="selenium not installed: pip install -r requirements-dev.txt")

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

WIDE = (1280, 1000)
NARROW = (320, 700)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("webui")


@pytest.fixture(scope="module")
def server(workdir: Path, request: pytest.FixtureRequest) -> ws.Server:
    try:
        srv = ws.start_server(log_dir=workdir)
    except RuntimeError as exc:
        pytest.fail(f"the server did not start: {exc}")
    request.addfinalizer(srv.stop)
    status, content_type, _ = srv.get("/")
    assert status == 200 and content_type.startswith("text/html"), (
        f"GET / answered {status} {content_type!r}: it should serve invoice_ocr/web/index.html"
    )
    return srv


@pytest.fixture(scope="module")
def browser(workdir: Path, request: pytest.FixtureRequest):
    driver = ws.start_browser(workdir / "chromium-profile", *WIDE)
    request.addfinalizer(driver.quit)
    return driver


@pytest.fixture(scope="module")
def invoice(workdir: Path) -> ws.RenderedInvoice:
    return ws.render_invoice(workdir / "invoice.png")


def _text(driver, css: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, css).text


def _horizontal_overflow(driver) -> int:
    return driver.execute_script("return document.documentElement.scrollWidth")


def test_page_is_served_self_contained(server: ws.Server, browser) -> None:
    ws.set_viewport(browser, *WIDE)
    ws.open_page(browser, server.url)
    assert browser.find_element(By.CSS_SELECTOR, "label[for=file]").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "input#file[type=file]")
    # Everything the page loads comes from the server it was served by (works offline).
    foreign = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(u => !u.startsWith(location.origin + '/') && !u.startsWith('data:'))"
    )
    assert foreign == [], f"the page loads resources from elsewhere: {foreign}"


def test_keyboard_reaches_the_picker(server: ws.Server, browser) -> None:
    ws.set_viewport(browser, *WIDE)
    ws.open_page(browser, server.url)
    # Count the picker's openings instead of opening a file dialog.
    browser.execute_script(
        "window.pickerOpened = 0; document.getElementById('file')"
        ".addEventListener('click', e => { window.pickerOpened++; e.preventDefault(); });"
    )
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "drop", "the drop zone is not the first thing Tab reaches"
    assert browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    assert browser.execute_script("return window.pickerOpened") == 2, "Enter/Space on the drop zone did not open it"


def test_upload_draws_boxes_and_fields(server: ws.Server, browser, invoice: ws.RenderedInvoice, tmp_path: Path) -> None:
    ws.set_viewport(browser, *WIDE)
    state = ws.upload(browser, server.url, invoice.path)
    screenshot = tmp_path / "web-ui.png"
    browser.save_screenshot(str(screenshot))
    assert state == "done", f"page ended in {state!r}: {_text(browser, '#status')} {_text(browser, '#error')}"

    boxes = browser.find_elements(By.CSS_SELECTOR, "#overlay .box")
    assert len(boxes) >= 10, f"only {len(boxes)} boxes drawn"
    known = browser.find_elements(By.CSS_SELECTOR, f'#overlay .box[data-text*="{ws.INVOICE_NUMBER}"]')
    drawn = [b.get_attribute("data-text") for b in boxes]
    assert known, f"no box for {ws.INVOICE_NUMBER!r} among {drawn}"
    # The box sits over the page image, inside the area the image occupies on screen.
    rect = browser.execute_script(
        "const b = arguments[0].getBoundingClientRect(), s = document.querySelector('#stage').getBoundingClientRect();"
        "return {w: b.width, h: b.height, inside: b.left >= s.left - 1 && b.right <= s.right + 1"
        " && b.top >= s.top - 1 && b.bottom <= s.bottom + 1};",
        known[0],
    )
    assert rect["w"] > 20 and rect["h"] > 5 and rect["inside"], rect
    assert browser.find_element(By.CSS_SELECTOR, "#stage img").get_attribute("naturalWidth") == str(invoice.width)
    assert ws.INVOICE_NUMBER in _text(browser, "#lines")

    total_row = _text(browser, "#fields tr[data-field=total]")
    assert ws.TOTAL_VALUE in total_row.replace(",", ""), f"total row reads {total_row!r}"
    number_row = _text(browser, "#fields tr[data-field=invoice_number]")
    assert ws.INVOICE_NUMBER in number_row, f"invoice number row reads {number_row!r}"
    # Clicking the row highlights its box on the page.
    browser.find_element(By.CSS_SELECTOR, "#fields tr[data-field=total]").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#overlay .hl"), "clicking the total row drew no highlight"
    browser.save_screenshot(str(screenshot))


def test_unsupported_file_shows_plain_error(server: ws.Server, browser, workdir: Path) -> None:
    ws.set_viewport(browser, *WIDE)
    notes = workdir / "notes.txt"
    notes.write_text("These are meeting notes, not an invoice.\n")
    state = ws.upload(browser, server.url, notes, timeout=60)
    assert state == "error", f"page ended in {state!r}"
    error = browser.find_element(By.ID, "error")
    assert error.is_displayed()
    assert "Unsupported file type" in error.text, error.text
    assert "{" not in error.text, f"raw JSON shown to the user: {error.text!r}"
    assert "Unsupported file type" in _text(browser, "#status")  # announced in the live region


def test_usable_at_320px(server: ws.Server, browser, invoice: ws.RenderedInvoice, tmp_path: Path) -> None:
    ws.set_viewport(browser, *NARROW)
    ws.open_page(browser, server.url)
    assert _horizontal_overflow(browser) <= NARROW[0], "the empty page scrolls sideways at 320 px"
    assert browser.find_element(By.ID, "drop").is_displayed()

    state = ws.upload(browser, server.url, invoice.path)
    browser.save_screenshot(str(tmp_path / "web-ui-320.png"))
    assert state == "done", f"page ended in {state!r}: {_text(browser, '#error')}"
    assert _horizontal_overflow(browser) <= NARROW[0], "the result page scrolls sideways at 320 px"
    viewer = browser.find_element(By.ID, "viewer").rect
    assert viewer["x"] >= 0 and viewer["x"] + viewer["width"] <= NARROW[0], viewer
