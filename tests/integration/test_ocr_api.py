"""/ocr/ and /health over the real model on real pixels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from invoice_ocr.samples import load_font, render_sample_invoice
from tests.conftest import png_bytes

pytestmark = pytest.mark.integration


def post(client, data: bytes, name: str = "upload.bin", path: str = "/ocr/"):
    return client.post(path, files={"file": (name, data, "application/octet-stream")})


def assert_boxes_inside(body: dict) -> None:
    for result in body["results"]:
        assert len(result["bounding_box"]) == 4
        for x, y in result["bounding_box"]:
            assert 0 <= x < body["width"] and 0 <= y < body["height"], result


def test_health_is_ready_and_seed_compatible(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    seed_fields = {
        "status",
        "service",
        "version",
        "paddleocr_initialized",
        "paddle_available",
        "cuda_available",
        "current_device",
        "using_gpu",
        "ocr_ready",
        "message",
    }
    assert seed_fields <= body.keys()
    assert body["ocr_ready"] is True and body["status"] == "healthy"
    assert body["current_device"] == "cpu" and body["using_gpu"] is False
    assert body["queue_depth"] == 0
    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").status_code == 200


def test_rendered_invoice_png_is_read(client):
    sample = render_sample_invoice()
    response = post(client, png_bytes(sample.image), "invoice.png")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert body["width"] == 1240 and body["height"] == 1754
    assert body["total_text_regions"] == len(body["results"]) >= 10
    for expected in (sample.invoice_number, sample.invoice_date, sample.total):
        assert expected in body["text"], body["text"]
    assert_boxes_inside(body)
    assert all(0 < result["confidence"] <= 1 for result in body["results"])
    assert body["pages"][0]["source"] == "ocr" and body["pages"][0]["page"] == 1
    assert body["model"] == "pp-ocrv6-tiny-det-small-rec" and body["device"] == "cpu"
    assert body["processing_time_ms"] > 0


def test_text_is_in_reading_order(client):
    body = post(client, png_bytes(render_sample_invoice().image)).json()
    text = body["text"]
    assert text.index("INV-2024-0042") < text.index("2024-03-15") < text.index("1,234.56")


def test_blurred_jpeg_photo_like_invoice_is_read(client):
    image = Image.new("RGB", (900, 700), (236, 232, 220))
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for row, text in enumerate(
        ["RECHNUNG", "Rechnungsnummer: RE-7731", "Datum: 02.05.2024", "Gesamtbetrag: 89,90 EUR"]
    ):
        draw.text((60, 60 + row * 90), text, fill=(30, 30, 30), font=load_font(38))
    image = image.rotate(1.5, expand=True, fillcolor=(236, 232, 220)).filter(ImageFilter.GaussianBlur(1))
    body = post(client, png_bytes(image, "JPEG", quality=70), "photo.jpg").json()
    compact = body["text"].replace(" ", "")
    for expected in ("RE-7731", "02.05.2024", "89,90"):
        assert expected in compact, body["text"]
    assert_boxes_inside(body)


@pytest.mark.parametrize("fmt", ["JPEG", "BMP", "TIFF", "WEBP"])
def test_every_seed_image_type_is_accepted(client, fmt):
    sample = render_sample_invoice()
    small = sample.image.crop((0, 0, 1240, 700))
    body = post(client, png_bytes(small, fmt)).json()
    assert sample.invoice_number in body["text"], (fmt, body)


def test_exif_orientation_is_applied(client):
    sample = render_sample_invoice()
    crop = sample.image.crop((0, 0, 1240, 700))
    # Stored sideways with an EXIF tag saying "rotate 90° CW to display" (orientation 6).
    stored = crop.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    body = post(client, png_bytes(stored, "JPEG", exif=exif, quality=95)).json()
    assert (body["width"], body["height"]) == (1240, 700)
    assert sample.invoice_number in body["text"]


def test_slashless_path_answers_directly(client):
    response = post(client, png_bytes(render_sample_invoice().image.crop((0, 0, 1240, 500))), path="/ocr")
    assert response.status_code == 200
    assert response.history == []


def test_real_receipt_total_and_date_are_found(client, sroie_dir: Path):
    key = json.loads((sroie_dir / "key" / "003.json").read_text())
    body = post(client, (sroie_dir / "img" / "003.jpg").read_bytes(), "003.jpg").json()
    text = body["text"].upper()
    assert key["total"] in text, (key, text)
    assert key["date"] in text, (key, text)
    assert_boxes_inside(body)


def test_real_receipts_word_recall(client, sroie_dir: Path):
    """Most ground-truth words of every sample receipt are read (SROIE task-2 style)."""
    for image_path in sorted((sroie_dir / "img").glob("*.jpg")):
        truth_lines = (sroie_dir / "box" / f"{image_path.stem}.csv").read_text(errors="replace").splitlines()
        truth_words = [
            word for row in truth_lines if row.count(",") >= 8 for word in row.split(",", 8)[8].upper().split()
        ]
        body = post(client, image_path.read_bytes()).json()
        read_words = set(re.split(r"\s+", body["text"].upper()))
        recall = sum(word in read_words for word in truth_words) / len(truth_words)
        assert recall > 0.6, (image_path.name, recall)


def test_eight_simultaneous_requests_all_succeed(client):
    from concurrent.futures import ThreadPoolExecutor

    data = png_bytes(render_sample_invoice().image.crop((0, 0, 1240, 600)))
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: post(client, data), range(8)))
    assert [response.status_code for response in responses] == [200] * 8
    assert all("INV-2024-0042" in response.json()["text"] for response in responses)
