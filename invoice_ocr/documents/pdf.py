"""PDF bytes → pages with PDFium (pypdfium2): text-layer pages keep their exact text,
every other page is rendered for OCR.

- The page count is checked before anything is rendered (`TooManyPagesError`, 413).
- Password-protected PDFs are refused (`EncryptedDocumentError`, 422); PDFs that only
  restrict permissions (empty user password) open normally.
- Damaged or truncated PDFs that PDFium cannot repair are refused (`CorruptPdfError`, 400).
- A page is rendered at the configured DPI unless that would exceed `max_pixels`: then
  the DPI is lowered just enough to fit. A PDF page is vector data, so a lower DPI still
  gives a readable page, where refusing it would fail the whole document.
- Every page's render size is planned from its box before anything is rendered
  (`PageBudget`): a side past `max_side` lowers the DPI too, a sliver past
  `max_aspect_ratio` is refused, and so is a document whose planned pages together exceed
  `max_document_pixels` (twenty 14400 pt pages are 1 G pixels even at the reduced DPI).
- PDFium is not thread-safe, not even across documents: all PDFium calls hold one lock.
"""

from __future__ import annotations

import ctypes
import math
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from invoice_ocr.documents.errors import (
    CorruptPdfError,
    DocumentPixelsTooLargeError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    PageAspectRatioError,
    PageSideTooLongError,
    TooManyCharactersError,
    TooManyPagesError,
)
from invoice_ocr.documents.pages import DocumentPage, Page, TextPage
from invoice_ocr.documents.textlayer import Direction, Glyph, build_lines, page_characters
from invoice_ocr.page import OcrLine

POINTS_PER_INCH = 72
# A text layer with fewer visible characters than this is a stray label or watermark
# rather than the page's content.
MIN_TEXT_CHARS = 16
# Characters PDFium could not map to Unicode come out as U+FFFD, control or private-use
# code points; more than this share means the text layer is garbage.
MAX_GARBAGE_SHARE = 0.02
# Images covering this share of a page make it a scan: its text layer counts only when
# text lines cover a fair part of the scan (a searchable PDF: ~5% for a sparse invoice),
# not when they are a "Scanned by" footer or a page header (well under 1%).
SCAN_IMAGE_SHARE = 0.5
MIN_TEXT_COVER_OF_SCAN = 0.015
_GARBAGE_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})

_PDFIUM_LOCK = threading.Lock()

Rect = tuple[float, float, float, float]  # the low and high corner of a box, x then y


@dataclass(frozen=True)
class PdfOptions:
    """How PDF pages become page images or text-layer pages."""

    dpi: int = 200
    text_layer: bool = True
    max_page_chars: int = 250_000


@dataclass(frozen=True)
class PageBudget:
    """What one page and one document may cost in pixels, checked from image headers and
    PDF page boxes before any pixel is decoded or rendered."""

    max_pixels: int = 50_000_000
    max_side: int = 20_000
    max_aspect_ratio: float = 50.0
    max_document_pixels: float = 200_000_000  # math.inf: no document-wide limit

    def check_shape(self, width: float, height: float, what: str = "page") -> None:
        """Refuse a side past `max_side` or a sliver past `max_aspect_ratio` (either way round)."""
        if max(width, height) > self.max_side:
            raise PageSideTooLongError(
                f"the {what} is {width:g}×{height:g} pixels; the longest side allowed is {self.max_side:,} "
                "(OCR_MAX_PAGE_SIDE)"
            )
        self.check_aspect(width, height, what)

    def check_aspect(self, width: float, height: float, what: str = "page") -> None:
        ratio = max(width, height) / max(min(width, height), 1e-9)
        if ratio > self.max_aspect_ratio:
            raise PageAspectRatioError(
                f"the {what} is {width:g}×{height:g}, {ratio:,.0f} times longer than wide; the limit is "
                f"{self.max_aspect_ratio:g} (OCR_MAX_ASPECT_RATIO)"
            )

    def check_document(self, sizes: Sequence[tuple[int, int]]) -> None:
        """Refuse a document whose pages together hold more than `max_document_pixels`."""
        total = sum(width * height for width, height in sizes)
        if total > self.max_document_pixels:
            raise DocumentPixelsTooLargeError(
                f"the {len(sizes)} pages hold {total:,} pixels together; the limit is "
                f"{self.max_document_pixels:,} (OCR_MAX_DOCUMENT_PIXELS)"
            )


def render_scale(page_width: float, page_height: float, dpi: int, max_pixels: int) -> float:
    """Points → pixels factor: `dpi / 72`, lowered so the rendered page fits `max_pixels`.

    PDFium renders ceil(width × scale) × ceil(height × scale) pixels; the reduced scale
    solves (w·s + 1)(h·s + 1) = max_pixels so the rounding up can never overshoot.
    """
    scale = dpi / POINTS_PER_INCH
    if math.ceil(page_width * scale) * math.ceil(page_height * scale) <= max_pixels:
        return scale
    area, perimeter = page_width * page_height, page_width + page_height
    return (-perimeter + math.sqrt(perimeter**2 + 4 * area * (max_pixels - 1))) / (2 * area)


def page_scale(page_width: float, page_height: float, dpi: int, budget: PageBudget) -> float:
    """`render_scale`, lowered further so the longest rendered side fits `budget.max_side`
    (vector pages stay readable at a lower DPI); a sliver of a page is refused instead."""
    if page_width <= 0 or page_height <= 0:
        raise CorruptPdfError("a page has no area")
    budget.check_aspect(page_width, page_height, "PDF page (in points)")
    # One pixel under the cap: PDFium rounds the rendered size up.
    side_scale = (budget.max_side - 1) / max(page_width, page_height)
    return min(render_scale(page_width, page_height, dpi, budget.max_pixels), side_scale)


def rendered_size(page_width: float, page_height: float, scale: float) -> tuple[int, int]:
    """The pixel size PDFium renders a page of this many points at `scale` (it rounds up)."""
    return math.ceil(page_width * scale), math.ceil(page_height * scale)


def is_usable_text(text: str) -> bool:
    """Enough visible characters and (almost) none that PDFium failed to decode."""
    visible = [char for char in text if not char.isspace()]
    if len(visible) < MIN_TEXT_CHARS:
        return False
    garbage = sum(char == "\ufffd" or unicodedata.category(char) in _GARBAGE_CATEGORIES for char in visible)
    return garbage <= MAX_GARBAGE_SHARE * len(visible)


def _bounds(rects: list[Rect]) -> Rect | None:
    if not rects:
        return None
    return (
        min(rect[0] for rect in rects),
        min(rect[1] for rect in rects),
        max(rect[2] for rect in rects),
        max(rect[3] for rect in rects),
    )


def _area(rect: Rect) -> float:
    return max(rect[2] - rect[0], 0.0) * max(rect[3] - rect[1], 0.0)


def _intersection(a: Rect, b: Rect) -> Rect:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def text_covers_scan(text_rects: list[Rect], image_rects: list[Rect], page_area: float) -> bool:
    """False for a scanned page whose text layer covers only a sliver of the scan."""
    images = _bounds(image_rects)
    if images is None or _area(images) < SCAN_IMAGE_SHARE * page_area:
        return True
    covered = sum(_area(_intersection(rect, images)) for rect in text_rects)
    return covered >= MIN_TEXT_COVER_OF_SCAN * _area(images)


@contextmanager
def _open(data: bytes) -> Iterator[pdfium.PdfDocument]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedDocumentError("the PDF is password-protected; send it without the password") from None
        raise CorruptPdfError(f"the PDF cannot be opened: {error}") from None
    try:
        yield document
    finally:
        document.close()


class _PageTransform:
    """PDF points → page pixels: PDFium's own page→device mapping (which honours /Rotate
    and crop-box offsets) read once per page as an affine map, so each character costs
    arithmetic rather than a PDFium call."""

    # FPDF_PageToDevice rounds to integers: map onto a device this many times larger to
    # keep sub-pixel precision.
    _PRECISION = 64

    def __init__(self, page: pdfium.PdfPage, width: int, height: int) -> None:
        origin, unit_x, unit_y = (self._device(page, width, height, x, y) for x, y in ((0, 0), (1000, 0), (0, 1000)))
        self.xx, self.xy = (unit_x[0] - origin[0]) / 1000, (unit_y[0] - origin[0]) / 1000
        self.yx, self.yy = (unit_x[1] - origin[1]) / 1000, (unit_y[1] - origin[1]) / 1000
        self.x0, self.y0 = origin
        self.upright = self.direction(2 * math.pi)

    @classmethod
    def _device(cls, page: pdfium.PdfPage, width: int, height: int, x: float, y: float) -> tuple[float, float]:
        device_x, device_y = ctypes.c_int(), ctypes.c_int()
        scale = cls._PRECISION
        pdfium_c.FPDF_PageToDevice(page, 0, 0, width * scale, height * scale, 0, x, y, device_x, device_y)
        return device_x.value / scale, device_y.value / scale

    def direction(self, angle: float) -> int:
        """The reading direction on the page of text at PDFium's character angle (radians,
        clockwise in PDF space; -1 when unknown, read as upright)."""
        if angle <= 0:  # upright text on an unturned page: most characters, no trigonometry
            return self.upright
        dx, dy = math.cos(angle), -math.sin(angle)
        return Direction.nearest(self.xx * dx + self.xy * dy, self.yx * dx + self.yy * dy)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A box in points → (left, top, right, bottom) in pixels; quarter turns keep it a box."""
        xs = (self.x0 + self.xx * left + self.xy * bottom, self.x0 + self.xx * right + self.xy * top)
        ys = (self.y0 + self.yx * left + self.yy * bottom, self.y0 + self.yx * right + self.yy * top)
        return min(xs), min(ys), max(xs), max(ys)


class _PdfPageReader:
    """One open page at a fixed scale: its text layer as lines, or its pixels."""

    def __init__(self, page: pdfium.PdfPage, scale: float) -> None:
        self.page = page
        self.scale = scale
        page_width, page_height = page.get_size()
        # The same rounding as PdfPage.render, so text boxes and rendered pixels agree.
        self.width, self.height = rendered_size(page_width, page_height, scale)
        self.transform = _PageTransform(page, self.width, self.height)

    def render(self) -> np.ndarray:
        bitmap = self.page.render(scale=self.scale)  # BGR, the engine's channel order
        try:
            return np.array(bitmap.to_numpy(), copy=True)  # the view dies with the bitmap
        finally:
            bitmap.close()

    def text_lines(self, max_chars: int) -> list[OcrLine] | None:
        """The text layer as lines in page pixels, or None when it is not usable."""
        textpage = self.page.get_textpage()
        try:
            glyphs = self._glyphs(textpage, max_chars)
        finally:
            textpage.close()
        if not is_usable_text(page_characters(glyphs)):
            return None
        lines = build_lines(glyphs, self.width, self.height)
        line_rects = [(line.left, line.top, line.right, line.bottom) for line in lines]
        if not text_covers_scan(line_rects, self._image_rects(), self.width * self.height):
            return None
        return lines

    def _glyphs(self, textpage: pdfium.PdfTextPage, max_chars: int) -> list[Glyph]:
        """Every character PDFium found, in stream order, with its box in pixels.

        The loose box spans the font's ascent to descent, so the characters of one line
        share a top and bottom whatever their shapes."""
        count = pdfium_c.FPDFText_CountChars(textpage)
        if count > max_chars:
            raise TooManyCharactersError(
                f"a page's text layer has {count:,} characters; the limit is {max_chars:,} (max_page_chars)"
            )
        rect = pdfium_c.FS_RECTF()
        glyphs = []
        for index in range(count):
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
            char = chr(code) if code < 0x110000 else "\ufffd"
            box = self.transform.box(rect.left, rect.bottom, rect.right, rect.top)
            direction = self.transform.direction(pdfium_c.FPDFText_GetCharAngle(textpage, index))
            generated = char == " " and bool(pdfium_c.FPDFText_IsGenerated(textpage, index))
            glyphs.append(Glyph(char, *box, direction, generated))
        return glyphs

    def _image_rects(self) -> list[Rect]:
        images = self.page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
        return [self.transform.box(*image.get_bounds()) for image in images]


def _read_page(document: pdfium.PdfDocument, index: int, budget: PageBudget, options: PdfOptions) -> DocumentPage:
    page = document[index]
    try:
        reader = _PdfPageReader(page, page_scale(*page.get_size(), options.dpi, budget))
        lines = reader.text_lines(options.max_page_chars) if options.text_layer else None
        if lines is not None:
            return TextPage(number=index + 1, width=reader.width, height=reader.height, lines=lines)
        return Page(reader.render(), number=index + 1)
    finally:
        page.close()


def _check_pages(document: pdfium.PdfDocument, max_pages: int, budget: PageBudget, dpi: int) -> int:
    """The page count, after every page's planned render size passed the budget: read from
    the page boxes (no page is loaded, nothing is rendered or inflated)."""
    count = len(document)
    if count == 0:
        raise CorruptPdfError("the PDF has no pages")
    if count > max_pages:
        raise TooManyPagesError(f"the PDF has {count} pages; the limit is {max_pages}")
    sizes = []
    for index in range(count):
        width, height = document.get_page_size(index)
        sizes.append(rendered_size(width, height, page_scale(width, height, dpi, budget)))
    budget.check_document(sizes)
    return count


@contextmanager
def _damaged_pages() -> Iterator[None]:
    try:
        yield
    except pdfium.PdfiumError as error:  # a damaged page object (found by the fuzz tests)
        raise CorruptPdfError(f"a PDF page cannot be read: {error}") from None


def count_pdf_pages(data: bytes, *, max_pages: int, budget: PageBudget, dpi: int) -> int:
    """The pages `load_pdf` would return, with every limit checked, and nothing rendered."""
    with _PDFIUM_LOCK, _open(data) as document, _damaged_pages():
        return _check_pages(document, max_pages, budget, dpi)


def load_pdf(
    data: bytes,
    *,
    max_pages: int,
    options: PdfOptions,
    budget: PageBudget | None = None,
    max_pixels: int | None = None,
    numbers: Sequence[int] | None = None,
) -> list[DocumentPage]:
    """Every page of a PDF (or those of the 1-based `numbers` within it), in order; raises
    a `DocumentError` subclass saying why not.

    `max_pixels` alone (the older call) is a budget of that many pixels per page and no
    document-wide limit."""
    if budget is None:
        budget = PageBudget(max_pixels=max_pixels or PageBudget.max_pixels, max_document_pixels=math.inf)
    with _PDFIUM_LOCK, _open(data) as document, _damaged_pages():
        count = _check_pages(document, max_pages, budget, options.dpi)
        indexes = range(count) if numbers is None else [number - 1 for number in numbers if 1 <= number <= count]
        return [_read_page(document, index, budget, options) for index in indexes]


def embedded_file(data: bytes, names: Sequence[str], *, max_bytes: int) -> bytes | None:
    """The first attachment of the PDF whose name is one of `names` (case-insensitive, in
    the order given), or None. An attachment over `max_bytes` is refused before it is copied."""
    wanted = [name.lower() for name in names]
    with _PDFIUM_LOCK, _open(data) as document:
        attachments = {}
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            attachments.setdefault(attachment.get_name().lower(), attachment)
        name = next((name for name in wanted if name in attachments), None)
        if name is None:
            return None
        return _attachment_bytes(attachments[name], max_bytes)


def _attachment_bytes(attachment: pdfium.PdfAttachment, max_bytes: int) -> bytes | None:
    size = ctypes.c_ulong()
    pdfium_c.FPDFAttachment_GetFile(attachment, None, 0, size)
    if size.value > max_bytes:
        raise DocumentTooLargeError(
            f"the PDF's embedded e-invoice is {size.value:,} bytes; the limit is {max_bytes:,} (einvoice_max_bytes)"
        )
    try:
        return bytes(attachment.get_data())
    except pdfium.PdfiumError:  # an empty or unreadable attachment: read the pages instead
        return None
