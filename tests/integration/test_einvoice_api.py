"""E-invoices through `POST /invoice/`: Factur-X / ZUGFeRD PDFs and bare XRechnung XML
(UBL and CII) read from their XML, hostile XML refused, `/ocr/` pointing XML to
`/invoice/`, and the check that flags an XML whose total the page does not print.

The real documents come from `../shared/data/einvoice-dev/` (see its README); each
`NAME.json` holds the exact fields of the embedded XML.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.conftest import SHARED_DATA, FakeEngine
from tests.documents_support import text_pdf
from tests.einvoice_samples import UBL_CREDIT_NOTE, UBL_INVOICE

EINVOICES = SHARED_DATA / "einvoice-dev"
# One document per generation and profile: ZUGFeRD 1 (CII 1p0), Factur-X / ZUGFeRD 2.x
# in three profiles, bare XRechnung and EN 16931 CII (a correction). The data holds no
# UBL file: UBL is covered by the documents written in `tests/einvoice_samples.py`.
CASES = {
    "4s4u_additional-data-sample-1.pdf": ("CII", "ZUGFERD 1 EXTENDED"),
    "BASIC_zugferd_2p1_BASIC_Einfach.pdf": ("CII", "BASIC"),
    "EN16931_zugferd_2p1_EN16931_Einfach.pdf": ("CII", "EN 16931"),
    "EXTENDED_zugferd_2p1_EXTENDED_Warenrechnung.pdf": ("CII", "EXTENDED"),
    "xml/XRECHNUNG_Elektron.cii.xml": ("CII", "XRECHNUNG"),
    "xml/EN16931_Rechnungskorrektur.cii.xml": ("CII", "EN 16931"),
}
FIELDS = ("invoice_number", "invoice_date", "due_date", "vendor_name", "customer_name", "currency")
AMOUNTS = ("subtotal", "tax", "total")

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&secret;</ID></Invoice>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>"""


def einvoice_path(name: str) -> Path:
    path = EINVOICES / name
    if not path.is_file():
        pytest.skip(f"real e-invoices not found at {EINVOICES} (the shared/ folder beside the checkout)")
    return path


def expected_fields(path: Path) -> dict[str, str]:
    name = path.name.removesuffix(".pdf").removesuffix(".xml")
    return json.loads(path.with_name(f"{name}.json").read_text())["fields"]


def post_invoice(client, data: bytes):
    return client.post("/invoice/", files={"file": ("upload", data, "application/octet-stream")})


def with_attachment(pdf: bytes, name: str, xml: bytes) -> bytes:
    """The PDF with its attachments replaced by one file `name` holding `xml`."""
    document = pdfium.PdfDocument(pdf)
    for index in reversed(range(document.count_attachments())):
        document.del_attachment(index)
    document.new_attachment(name).set_data(xml)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def client(fake_client_factory):
    # Text-layer pages and XML never reach the engine; the fake answers stray image pages.
    return fake_client_factory(FakeEngine())


@pytest.mark.parametrize("name", sorted(CASES))
def test_einvoice_fields_come_from_the_xml_exactly(client, name: str) -> None:
    path = einvoice_path(name)
    expected = expected_fields(path)
    response = post_invoice(client, path.read_bytes())
    assert response.status_code == 200, response.text
    body = response.json()
    syntax, profile = CASES[name]
    assert body["einvoice"]["syntax"] == syntax
    assert body["einvoice"]["profile"] == profile
    assert body["einvoice"]["embedded"] is (path.suffix == ".pdf")
    fields = body["fields"]
    for field in FIELDS + AMOUNTS:
        got = fields[field]
        if field not in expected:
            assert got is None, field
            continue
        assert got["source"] == "einvoice" and got["confidence"] == 1.0, field
        value = got["normalized"] if field in AMOUNTS or "date" in field or field == "currency" else got["value"]
        assert value == expected[field], field
    assert body["line_items"], "the XML's line items"
    assert all(item["amount"]["source"] == "einvoice" for item in body["line_items"] if item["amount"])


@pytest.mark.parametrize("name", [name for name in sorted(CASES) if name.endswith(".pdf")])
def test_hybrid_pdf_returns_its_pages_and_finds_the_total_printed(client, name: str) -> None:
    body = post_invoice(client, einvoice_path(name).read_bytes()).json()
    assert body["pages"] and body["pages"][0]["source"] == "pdf-text"
    total = body["fields"]["total"]
    assert total["page"] is not None and total["bounding_box"] is not None
    checks = {check["name"]: check for check in body["checks"]}
    assert checks["einvoice_total_printed"]["status"] == "passed", checks["einvoice_total_printed"]


def test_bare_xml_has_no_pages_and_no_total_comparison(client) -> None:
    body = post_invoice(client, einvoice_path("xml/XRECHNUNG_Elektron.cii.xml").read_bytes()).json()
    assert body["pages"] == [] and body["text"] == ""
    checks = {check["name"]: check["status"] for check in body["checks"]}
    assert checks["einvoice_total_printed"] == "not_applicable"


def test_xml_total_the_page_does_not_print_is_flagged(client) -> None:
    path = einvoice_path("4s4u_additional-data-sample-1.pdf")
    original = pdfium.PdfDocument(path.read_bytes())
    xml = bytes(original.get_attachment(0).get_data())
    total = expected_fields(path)["total"]
    assert total.encode() in xml
    tampered = with_attachment(path.read_bytes(), "ZUGFeRD-invoice.xml", xml.replace(total.encode(), b"9999.99"))
    body = post_invoice(client, tampered).json()
    assert body["fields"]["total"]["normalized"] == "9999.99"
    checks = {check["name"]: check for check in body["checks"]}
    assert checks["einvoice_total_printed"]["status"] == "failed"
    assert "9999.99" in checks["einvoice_total_printed"]["detail"]


def test_pdf_without_attachment_is_read_by_layout(client) -> None:
    body = post_invoice(client, text_pdf()).json()
    assert body["einvoice"] is None
    assert all(value is None or value["source"] == "layout" for value in body["fields"].values())


def test_pdf_with_a_hostile_attachment_falls_back_to_layout(client) -> None:
    body = post_invoice(client, with_attachment(text_pdf(), "factur-x.xml", XXE)).json()
    assert body["success"] is True and body["einvoice"] is None
    assert body["pages"][0]["source"] == "pdf-text"


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (XXE, 400, "unsafe_xml"),
        (BILLION_LAUGHS, 400, "unsafe_xml"),
        (
            b"<?xml version='1.0'?><Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>",
            400,
            "malformed_xml",
        ),
        (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", 422, "not_an_einvoice"),
    ],
    ids=["xxe", "billion-laughs", "truncated", "not-an-invoice"],
)
def test_bad_xml_gets_a_clear_error_and_the_service_goes_on(client, data: bytes, status: int, code: str) -> None:
    response = post_invoice(client, data)
    assert response.status_code == status, response.text
    assert response.json() == {
        "success": False,
        "error": {"code": code, "message": response.json()["error"]["message"]},
    }
    assert "passwd" not in response.text and "0x" not in response.text
    assert post_invoice(client, text_pdf()).status_code == 200


def test_ocr_endpoint_points_xml_to_invoice(client) -> None:
    response = client.post("/ocr/", files={"file": ("x.xml", b"<?xml version='1.0'?><Invoice/>", "text/xml")})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert "/invoice/" in response.json()["error"]["message"]


def test_einvoice_off_reads_hybrid_pdfs_by_layout(fake_client_factory) -> None:
    client = fake_client_factory(FakeEngine(), einvoice=False)
    body = post_invoice(client, einvoice_path("BASIC_zugferd_2p1_BASIC_Einfach.pdf").read_bytes()).json()
    assert body["einvoice"] is None
    assert post_invoice(client, b"<?xml version='1.0'?><Invoice/>").status_code == 415


def test_bare_ubl_invoice_and_credit_note(client) -> None:
    invoice = post_invoice(client, UBL_INVOICE.encode()).json()
    assert invoice["einvoice"]["syntax"] == "UBL" and invoice["einvoice"]["profile"] == "XRECHNUNG"
    assert invoice["einvoice"]["document_type"] == "invoice"
    assert invoice["fields"]["invoice_number"]["value"] == "RE-2024-0815"
    assert invoice["fields"]["invoice_date"]["normalized"] == "2024-11-15"
    credit = post_invoice(client, UBL_CREDIT_NOTE.encode()).json()
    assert credit["einvoice"]["document_type"] == "credit_note"
    assert credit["fields"]["total"]["source"] == "einvoice"
