"""hOCR (https://kba.github.io/hocr-spec/1.2/): XHTML with one `ocr_page` per page, its
`ocr_line`s in reading order and their `ocrx_word`s, each with its `bbox` in pixels of
the page as uploaded (as in the JSON) and words with `x_wconf` (confidence, 0-100).
A line that does not read left to right on the page as uploaded (a page scanned
sideways, a margin note) says how it is turned with `textangle` (degrees
counter-clockwise). Written with the standard library's ElementTree, so it is well-formed
XML whatever the text holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from invoice_ocr import __version__
from invoice_ocr.extraction.layout import in_reading_order
from invoice_ocr.page import OcrLine, Polygon, line_to_uploaded, line_words, uploaded_size

if TYPE_CHECKING:
    from invoice_ocr.pipeline import RecognizedPage

XHTML = "http://www.w3.org/1999/xhtml"
_PROLOGUE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"'
    ' "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
)


def _bbox(polygon: Polygon) -> str:
    xs, ys = [x for x, _ in polygon], [y for _, y in polygon]
    return f"bbox {min(xs)} {min(ys)} {max(xs)} {max(ys)}"


def _textangle(polygon: Polygon) -> int:
    """The quarter turn (counter-clockwise, as hOCR counts) the text's reading direction
    (first corner → second) is nearest to; y grows downwards."""
    (x0, y0), (x1, y1) = polygon[0], polygon[1]
    dx, dy = x1 - x0, y1 - y0
    if abs(dx) >= abs(dy):
        return 0 if dx >= 0 else 180
    return 90 if dy < 0 else 270


def _line(parent: ElementTree.Element, line: OcrLine, line_id: str) -> None:
    title = _bbox(line.polygon)
    if angle := _textangle(line.polygon):
        title += f"; textangle {angle}"
    element = ElementTree.SubElement(parent, "span", {"class": "ocr_line", "id": line_id, "title": title})
    words = line_words(line)
    for index, word in enumerate(words, start=1):
        title = f"{_bbox(word.polygon)}; x_wconf {round(word.confidence * 100)}"
        span = ElementTree.SubElement(
            element, "span", {"class": "ocrx_word", "id": f"word_{line_id[5:]}_{index}", "title": title}
        )
        span.text = word.text
        if index < len(words):
            span.tail = " "


def _page(body: ElementTree.Element, page: RecognizedPage) -> None:
    ocr = page.ocr
    width, height = uploaded_size(ocr.width, ocr.height, ocr.rotation)
    title = f"bbox 0 0 {width} {height}; ppageno {page.number - 1}"
    element = ElementTree.SubElement(body, "div", {"class": "ocr_page", "id": f"page_{page.number}", "title": title})
    for index, line in enumerate(in_reading_order(ocr.lines), start=1):
        _line(element, line_to_uploaded(line, ocr.rotation, ocr.width, ocr.height), f"line_{page.number}_{index}")


def hocr(pages: Sequence[RecognizedPage]) -> bytes:
    html = ElementTree.Element("html", {"xmlns": XHTML})
    head = ElementTree.SubElement(html, "head")
    ElementTree.SubElement(head, "title").text = "OCR result"
    ElementTree.SubElement(head, "meta", {"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"})
    ElementTree.SubElement(head, "meta", {"name": "ocr-system", "content": f"invoice-ocr {__version__}"})
    ElementTree.SubElement(head, "meta", {"name": "ocr-capabilities", "content": "ocr_page ocr_line ocrx_word"})
    body = ElementTree.SubElement(html, "body")
    for page in pages:
        _page(body, page)
    return (_PROLOGUE + ElementTree.tostring(html, encoding="unicode") + "\n").encode("utf-8")
