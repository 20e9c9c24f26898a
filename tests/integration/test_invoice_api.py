"""POST /invoice/ over the real model: rendered invoices, a text-layer PDF, a bad total."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from invoice_ocr.samples import load_font, render_sample_invoice
from tests.conftest import png_bytes

pytestmark = pytest.mark.integration


def post_invoice(client, data: bytes, name: str = "invoice.png"):
    response = client.post("/invoice/", files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == 200, response.text
    return response.json()


def normalized(body: dict, name: str) -> str | None:
    field = body["fields"][name]
    return field and field["normalized"]


def render_lines(rows: list[tuple[int, int, str]], size=(1240, 1100)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for x, y, text in rows:
        draw.text((x, y), text, fill="black", font=load_font(30))
    return image


def test_sample_invoice_fields_and_evidence(client):
    body = post_invoice(client, png_bytes(render_sample_invoice().image))
    assert normalized(body, "invoice_number") == "INV-2024-0042"
    assert normalized(body, "invoice_date") == "2024-03-15"
    assert normalized(body, "total") == "1234.56"
    total = body["fields"]["total"]
    assert total["page"] == 1 and 0 < total["confidence"] <= 1
    for x, y in total["bounding_box"]:
        assert 0 <= x < 1240 and 0 <= y < 1754
    assert body["pages"][0]["results"], "the OCR evidence comes with the fields"
    assert {check["name"] for check in body["checks"]} >= {"subtotal_plus_tax_equals_total"}


def test_german_invoice_with_table_and_consistent_checks(client):
    rows = [
        (80, 60, "Nordwind Logistik GmbH"),
        (80, 110, "Hauptstrasse 17, 10115 Berlin"),
        (660, 220, "Rechnungsnummer: RE-2024-118"),
        (660, 270, "Rechnungsdatum: 05.03.2024"),
        (80, 400, "Beschreibung"),
        (640, 400, "Menge"),
        (800, 400, "Preis"),
        (1000, 400, "Betrag"),
        (80, 460, "Transport Berlin"),
        (660, 460, "2"),
        (800, 460, "150,00"),
        (1000, 460, "300,00"),
        (80, 520, "Verpackung"),
        (660, 520, "1"),
        (800, 520, "45,50"),
        (1000, 520, "45,50"),
        (660, 640, "Zwischensumme: 345,50"),
        (660, 690, "MwSt 19%: 65,65"),
        (660, 740, "Gesamtbetrag: 411,15 EUR"),
    ]
    body = post_invoice(client, png_bytes(render_lines(rows)))
    assert normalized(body, "invoice_number") == "RE-2024-118"
    assert normalized(body, "invoice_date") == "2024-03-05"
    assert normalized(body, "total") == "411.15"
    assert normalized(body, "subtotal") == "345.50"
    assert normalized(body, "currency") == "EUR"
    amounts = [item["amount"]["normalized"] for item in body["line_items"] if item["amount"]]
    assert amounts == ["300.00", "45.50"]
    statuses = {check["name"]: check["status"] for check in body["checks"]}
    assert statuses["subtotal_plus_tax_equals_total"] == "passed"


def test_total_that_does_not_add_up_is_flagged(client):
    rows = [
        (80, 60, "Initech Software Inc."),
        (660, 200, "Invoice No: 7731"),
        (660, 250, "Date: 2024-06-30"),
        (660, 500, "Subtotal: 100.00"),
        (660, 550, "Tax: 20.00"),
        (660, 600, "Total: 150.00"),
    ]
    body = post_invoice(client, png_bytes(render_lines(rows)))
    statuses = {check["name"]: check["status"] for check in body["checks"]}
    assert statuses["subtotal_plus_tax_equals_total"] == "failed", body["checks"]


def test_text_layer_pdf_invoice(client):
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 writes the test PDF (requirements-dev.txt)")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for y, text in enumerate(
        [
            "Blue River Catering",
            "Invoice Number: BRC-5521",
            "Invoice Date: 2024-02-29",
            "Subtotal: 80.00",
            "VAT: 16.00",
            "Total: 96.00 GBP",
        ]
    ):
        pdf.text(20, 30 + y * 12, text)
    body = post_invoice(client, bytes(pdf.output()), "invoice.pdf")
    assert body["pages"][0]["source"] == "pdf-text"
    assert normalized(body, "invoice_number") == "BRC-5521"
    assert normalized(body, "invoice_date") == "2024-02-29"
    assert normalized(body, "total") == "96.00"
    assert normalized(body, "currency") == "GBP"


def test_page_without_invoice_text_gives_nulls_not_guesses(client):
    body = post_invoice(client, png_bytes(render_lines([(100, 100, "Meeting notes"), (100, 160, "Bring coffee")])))
    for name in ("invoice_number", "invoice_date", "total", "subtotal", "tax"):
        assert body["fields"][name] is None, (name, body["fields"][name])


def test_bad_upload_gets_the_error_envelope(client):
    response = client.post("/invoice/", files={"file": ("x.txt", io.BytesIO(b"hello"), "text/plain")})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
