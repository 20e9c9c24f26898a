"""`POST /ocr/` with `words=true` and `format=txt|hocr|pdf`, on real pixels through the real
engine and on born-digital PDFs: words inside their lines, hOCR that parses, and a searchable
PDF whose invisible words sit where the OCR found them."""

from __future__ import annotations

import ctypes
import io
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from PIL import Image, ImageDraw

from invoice_ocr.output.glyphless import FONT_NAME
from invoice_ocr.output.hocr import XHTML
from invoice_ocr.samples import load_font
from tests.conftest import png_bytes
from tests.documents_support import SAMPLE_TEXT_LINES, multipage_tiff, small_invoice, text_pdf, turned_clockwise

pytestmark = pytest.mark.integration

# Word boxes are integers rounded from shares of the line: a pixel or two either way.
INSIDE_TOLERANCE = 2
# PDFium reports character boxes in points, read back here as pixels of the rendered page.
POSITION_TOLERANCE = 3
GLYPHLESS = str(FONT_NAME)[1:]


def post(client, data: bytes, name: str = "doc", **params) -> object:
    response = client.post("/ocr/", files={"file": (name, data)}, params=params)
    assert response.status_code == 200, response.text
    return response


def bounds(polygon) -> tuple[int, int, int, int]:
    xs, ys = [x for x, _ in polygon], [y for _, y in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def assert_words_fit_their_lines(body: dict) -> list[dict]:
    lines = [line for page in body["pages"] for line in page["results"]]
    assert lines
    for line in lines:
        assert " ".join(word["text"] for word in line["words"]) == line["text"]
        left, top, right, bottom = bounds(line["bounding_box"])
        for word in line["words"]:
            assert 0 <= word["confidence"] <= 1
            word_left, word_top, word_right, word_bottom = bounds(word["bounding_box"])
            assert word_left >= left - INSIDE_TOLERANCE and word_right <= right + INSIDE_TOLERANCE, (word, line)
            assert word_top >= top - INSIDE_TOLERANCE and word_bottom <= bottom + INSIDE_TOLERANCE, (word, line)
    return [word for line in lines for word in line["words"]]


@pytest.fixture(scope="module")
def receipt(sroie_dir: Path) -> bytes:
    """A real scanned receipt (JPEG)."""
    return (sroie_dir / "img" / "003.jpg").read_bytes()


def test_words_of_a_real_receipt_lie_inside_their_lines(client, receipt):
    body = post(client, receipt, "receipt.jpg", words="true").json()
    words = assert_words_fit_their_lines(body)
    assert sum(" " in line["text"] for line in body["results"]) >= 5  # lines of several words were split
    assert len({round(word["confidence"], 3) for word in words}) > 5  # each word has its own confidence
    # Without words=true the body is as before: no `words` key at all.
    assert "words" not in post(client, receipt, "receipt.jpg").json()["results"][0]


def test_words_of_a_text_layer_pdf_lie_inside_their_lines(client):
    body = post(client, text_pdf(), "doc.pdf", words="true").json()
    assert body["pages"][0]["source"] == "pdf-text"
    words = assert_words_fit_their_lines(body)
    assert [word["text"] for word in words] == " ".join(SAMPLE_TEXT_LINES).split()


def test_words_of_a_page_scanned_sideways_are_on_the_page_as_uploaded(client):
    body = post(client, png_bytes(turned_clockwise(small_invoice(), 90)), "turned.png", words="true").json()
    assert body["pages"][0]["rotation"] == 270
    assert_words_fit_their_lines(body)
    # The text runs down the uploaded page: words of a line follow each other downwards.
    line = next(line for line in body["results"] if len(line["words"]) > 2)
    tops = [bounds(word["bounding_box"])[1] for word in line["words"]]
    assert tops == sorted(tops) and tops[0] < tops[-1]


def test_txt_is_the_json_text_with_pages_separated_by_form_feeds(client):
    document = multipage_tiff([small_invoice(), small_invoice().rotate(180)])
    json_body = post(client, document, "two.tiff").json()
    response = post(client, document, "two.tiff", format="txt")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.split("\f") == [page["text"] for page in json_body["pages"]]
    assert response.headers["X-Cache"] == "hit"  # rendered from the cached pages, not read again


def test_hocr_is_xhtml_with_pages_lines_and_words(client):
    document = png_bytes(small_invoice())
    json_body = post(client, document, "invoice.png", words="true").json()
    response = post(client, document, "invoice.png", format="hocr")
    assert response.headers["content-type"] == "application/xhtml+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    (page,) = [div for div in root.iter(f"{{{XHTML}}}div") if div.get("class") == "ocr_page"]
    assert page.get("title") == f"bbox 0 0 {json_body['width']} {json_body['height']}; ppageno 0"
    lines = [span for span in page.iter(f"{{{XHTML}}}span") if span.get("class") == "ocr_line"]
    assert len(lines) == len(json_body["results"])
    for element, line in zip(lines, json_body["results"], strict=True):
        assert element.get("title") == "bbox {} {} {} {}".format(*bounds(line["bounding_box"]))
        words = [span for span in element if span.get("class") == "ocrx_word"]
        assert [word.text for word in words] == [word["text"] for word in line["words"]]
        for element_word, word in zip(words, line["words"], strict=True):
            box = "bbox {} {} {} {}".format(*bounds(word["bounding_box"]))
            assert element_word.get("title") == f"{box}; x_wconf {round(word['confidence'] * 100)}"


# --- the searchable PDF -------------------------------------------------------------------


def to_pixels(page: pdfium.PdfPage, x: float, y: float, width: int, height: int) -> tuple[int, int]:
    """A point of the page's user space → a pixel of the page shown at `width`×`height`
    (PDFium applies the crop box and `/Rotate`, as a viewer does)."""
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    pdfium_raw.FPDF_PageToDevice(page.raw, 0, 0, width, height, 0, x, y, device_x, device_y)
    return device_x.value, device_y.value


def font_name(textpage: pdfium.PdfTextPage, index: int) -> str:
    buffer = ctypes.create_string_buffer(128)
    length = pdfium_raw.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), None)
    return buffer.value.decode() if length else ""


def pdf_words(page: pdfium.PdfPage, width: int, height: int, *, ocr_layer: bool = True) -> list[tuple[str, tuple]]:
    """The words of the page's OCR layer (characters in our glyphless font) or of its own
    text (every other font), split at white space and at characters of the other layer,
    each with the pixel box (page as shown at `width`×`height`) of its characters."""
    textpage = page.get_textpage()
    words: list[tuple[str, tuple]] = []
    text, box = "", None
    for index in range(textpage.count_chars()):
        char = chr(pdfium_raw.FPDFText_GetUnicode(textpage, index))
        if char.isspace() or (font_name(textpage, index) == GLYPHLESS) != ocr_layer:
            if text:
                words.append((text, box))
            text, box = "", None
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        corners = [to_pixels(page, x, y, width, height) for x, y in ((left, bottom), (right, top))]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        char_box = (min(xs), min(ys), max(xs), max(ys))
        box = char_box if box is None else (*map(min, box[:2], char_box[:2]), *map(max, box[2:], char_box[2:]))
        text += char
    if text:
        words.append((text, box))
    return words


def assert_pdf_words_match(pdf_page: pdfium.PdfPage, body_page: dict) -> None:
    """The PDF's OCR layer holds exactly the OCR words, each over its box. (PDFium orders
    the characters of a turned page by position, so the order is not compared.)"""
    expected = [word for line in body_page["results"] for word in line["words"]]
    found = pdf_words(pdf_page, body_page["width"], body_page["height"])
    assert Counter(text for text, _ in found) == Counter(word["text"] for word in expected)
    for word in expected:
        want = bounds(word["bounding_box"])
        assert any(
            text == word["text"] and all(abs(a - b) <= POSITION_TOLERANCE for a, b in zip(box, want, strict=True))
            for text, box in found
        ), (word, [found_word for found_word in found if found_word[0] == word["text"]])


def test_a_scanned_receipt_becomes_a_searchable_pdf_with_its_jpeg_unchanged(client, receipt):
    body = post(client, receipt, "receipt.jpg", words="true").json()
    response = post(client, receipt, "receipt.jpg", format="pdf")
    assert response.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert image.Filter == pikepdf.Name.DCTDecode and image.read_raw_bytes() == receipt
    document = pdfium.PdfDocument(response.content)
    assert len(document) == 1
    width, height = document[0].get_size()
    assert width / height == pytest.approx(body["width"] / body["height"], rel=1e-3)
    assert_pdf_words_match(document[0], body["pages"][0])


def test_a_page_scanned_sideways_gets_its_words_where_they_are_printed(client):
    document = png_bytes(turned_clockwise(small_invoice(), 90))
    body = post(client, document, "turned.png", words="true").json()
    pdf = pdfium.PdfDocument(post(client, document, "turned.png", format="pdf").content)
    assert_pdf_words_match(pdf[0], body["pages"][0])


@pytest.mark.parametrize("rotate", [0, 90])
def test_a_born_digital_pdf_keeps_its_page_and_text_under_the_ocr_layer(client, rotate):
    with pikepdf.open(io.BytesIO(text_pdf())) as original:
        original.pages[0].rotate(rotate, relative=False)
        content = original.pages[0].obj.Contents.read_raw_bytes()
        buffer = io.BytesIO()
        original.save(buffer)
    source = buffer.getvalue()
    body = post(client, source, "doc.pdf", words="true", force_ocr="true").json()
    assert body["pages"][0]["source"] == "ocr"
    response = post(client, source, "doc.pdf", format="pdf", force_ocr="true")
    before, after = pdfium.PdfDocument(source), pdfium.PdfDocument(response.content)
    assert len(after) == len(before) == 1
    assert after[0].get_size() == before[0].get_size()
    # The original content stream is there byte for byte, and its text is still first.
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert content in [stream.read_raw_bytes() for stream in pdf.pages[0].obj.Contents]
    size = body["pages"][0]["width"], body["pages"][0]["height"]
    original_words = [text for text, _ in pdf_words(before[0], *size, ocr_layer=False)]
    assert Counter(original_words) == Counter(" ".join(SAMPLE_TEXT_LINES).split())
    assert [text for text, _ in pdf_words(after[0], *size, ocr_layer=False)] == original_words
    # Over it, the OCR words, each where the OCR found it on the page as shown.
    assert_pdf_words_match(after[0], body["pages"][0])


def test_a_pdf_read_from_its_text_layer_is_returned_with_no_second_layer(client):
    source = text_pdf(pages=2)
    response = post(client, source, "doc.pdf", format="pdf")
    before, after = pdfium.PdfDocument(source), pdfium.PdfDocument(response.content)
    assert len(after) == 2
    for page_before, page_after in zip(before, after, strict=True):
        assert page_after.get_textpage().get_text_range() == page_before.get_textpage().get_text_range()


def test_text_beyond_latin1_survives_the_pdf_layer(client):
    image = Image.new("RGB", (900, 260), "white")
    draw = ImageDraw.Draw(image)
    for row, text in enumerate(["Straße Łódź Müller", "Summe €12,50 für Ærø"]):
        draw.text((40, 40 + 110 * row), text, fill="black", font=load_font(40))
    document = png_bytes(image)
    body = post(client, document, "unicode.png", words="true").json()
    assert any(ord(char) > 0xFF for char in body["text"]), body["text"]  # Ł, €: not Latin-1
    pdf = pdfium.PdfDocument(post(client, document, "unicode.png", format="pdf").content)
    assert_pdf_words_match(pdf[0], body["pages"][0])
