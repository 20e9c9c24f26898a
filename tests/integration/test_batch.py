"""`POST /ocr/batch`: one result or error per file; a bad file never fails the others."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.conftest import FakeEngine, png_bytes
from tests.documents_support import encrypted_pdf, small_invoice, text_pdf

GOOD_PNG = png_bytes(Image.new("RGB", (64, 32), "white"))


def post_batch(client, files: list[tuple[str, bytes]], params: dict | None = None):
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return client.post("/ocr/batch", files=parts, params=params)


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code and body["error"]["message"]


@pytest.mark.integration
def test_batch_with_a_corrupt_file_returns_every_other_result(client):
    files = [
        ("invoice.pdf", text_pdf()),
        ("broken.png", GOOD_PNG[:40]),
        ("scan.png", png_bytes(small_invoice())),
        ("locked.pdf", encrypted_pdf()),
    ]
    response = post_batch(client, files)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total_files"], body["succeeded"], body["failed"]) == (4, 2, 2)
    items = body["files"]
    assert [item["filename"] for item in items] == [name for name, _ in files]
    statuses = [(item["success"], item["status"]) for item in items]
    assert statuses == [(True, 200), (False, 400), (True, 200), (False, 422)]
    assert items[0]["result"]["pages"][0]["source"] == "pdf-text"
    assert "INV-2024-0042" in items[2]["result"]["text"]
    assert items[1]["error"]["code"] == "undecodable_file" and items[1]["result"] is None
    assert items[3]["error"]["code"] == "encrypted_pdf"
    # the service is unharmed
    again = post_batch(client, [("invoice.pdf", text_pdf())])
    assert again.status_code == 200 and again.json()["succeeded"] == 1


def test_batch_result_matches_the_single_file_endpoint(fake_client_factory):
    client = fake_client_factory()
    single = client.post("/ocr/", files={"file": ("a.png", GOOD_PNG, "image/png")}).json()
    [item] = post_batch(client, [("a.png", GOOD_PNG)]).json()["files"]
    for body in (single, item["result"]):
        body.pop("processing_time_ms")
    assert item["result"] == single


def test_too_many_files_is_413(fake_client_factory):
    client = fake_client_factory(batch_max_files=2)
    assert_error(post_batch(client, [("a.png", GOOD_PNG)] * 3), 413, "too_many_files")
    assert post_batch(client, [("a.png", GOOD_PNG)] * 2).json()["succeeded"] == 2


def test_no_files_is_422(fake_client_factory):
    client = fake_client_factory()
    assert_error(client.post("/ocr/batch", data={"other": "x"}), 422, "invalid_request")
    assert post_batch(client, [("a.png", GOOD_PNG)]).status_code == 200


def test_batch_body_may_exceed_the_single_upload_limit_but_each_file_may_not(fake_client_factory):
    padded = png_bytes(Image.effect_noise((60, 60), 80).convert("RGB"))  # ≈ 11 kB
    client = fake_client_factory(max_upload_bytes=len(padded) + 100, batch_max_files=3)
    # Three files pass the batch body limit; the same body on /ocr/ would be refused.
    body = post_batch(client, [("a.png", padded)] * 3).json()
    assert body["succeeded"] == 3
    too_big = padded + b"\x00" * 200
    items = post_batch(client, [("a.png", padded), ("big.png", too_big)]).json()["files"]
    assert [(item["success"], item["status"]) for item in items] == [(True, 200), (False, 413)]
    assert items[1]["error"]["code"] == "too_large"
    # over the whole batch body limit: refused before parsing
    assert_error(post_batch(client, [("huge.bin", b"\x00" * 300_000)]), 413, "too_large")
    assert post_batch(client, [("a.png", padded)]).status_code == 200


def test_invoice_batch_reads_each_file_as_invoice_does(fake_client_factory) -> None:
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"
    client = fake_client_factory(FakeEngine())
    files = [
        ("files", ("invoice.pdf", (samples / "invoice.pdf").read_bytes(), "application/pdf")),
        ("files", ("xrechnung.xml", (samples / "xrechnung.xml").read_bytes(), "application/xml")),
        ("files", ("empty.png", b"", "image/png")),
    ]
    response = client.post("/invoice/batch", files=files)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total_files"], body["succeeded"], body["failed"]) == (3, 2, 1)
    pdf, xml, empty = body["files"]
    assert pdf["result"]["fields"]["invoice_number"]["value"] == "INV-2024-0042"
    assert xml["result"]["einvoice"]["syntax"] == "UBL"
    assert (empty["status"], empty["error"]["code"]) == (400, "empty_file")
    assert client.get("/health").status_code == 200
