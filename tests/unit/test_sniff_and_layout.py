from invoice_ocr.documents.sniff import sniff_type
from invoice_ocr.extraction.layout import group_into_rows, reading_order_text
from invoice_ocr.page import OcrLine


def line(text: str, x: int, y: int, w: int = 80, h: int = 20) -> OcrLine:
    return OcrLine(text, 0.9, ((x, y), (x + w, y), (x + w, y + h), (x, y + h)))


def test_types_are_sniffed_from_magic_bytes():
    assert sniff_type(b"\xff\xd8\xff\xe0rest") == "jpeg"
    assert sniff_type(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff_type(b"BM....") == "bmp"
    assert sniff_type(b"II*\x00....") == "tiff"
    assert sniff_type(b"MM\x00*....") == "tiff"
    assert sniff_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff_type(b"%PDF-1.7\n") == "pdf"
    assert sniff_type(b"\n\n%PDF-1.4") == "pdf"
    assert sniff_type(b"GIF89a") == "gif"
    assert sniff_type(b"hello world") is None
    assert sniff_type(b"") is None


def test_rows_read_top_to_bottom_left_to_right():
    lines = [line("Total:", 10, 200), line("Date:", 10, 100), line("99.00", 300, 203), line("2024-01-02", 300, 98)]
    rows = group_into_rows(lines)
    assert [[item.text for item in row] for row in rows] == [["Date:", "2024-01-02"], ["Total:", "99.00"]]
    assert reading_order_text(lines) == "Date: 2024-01-02\nTotal: 99.00"


def test_lines_on_different_rows_stay_apart():
    assert len(group_into_rows([line("a", 0, 0), line("b", 0, 25)])) == 2
    assert reading_order_text([]) == ""
