"""A searchable PDF: the document's own pages with an invisible text layer on top.

- **PDF input**: every page is kept as it is; qpdf (through pikepdf) copies its content
  streams byte for byte, and OCR'd pages get one more content stream after them (the
  original content wrapped in `q … Q`, so its graphics state cannot leak into ours).
  Pages read from their own text layer get nothing: their text is already searchable.
- **Image input**: img2pdf makes the pages without recompressing what it can embed as
  is (JPEG and JPEG 2000 data passed through, PNG and TIFF data where their encoding
  allows), else losslessly; an EXIF orientation becomes the page's `/Rotate`. BMP, WebP
  and GIF, and images img2pdf refuses (transparency, a mirrored EXIF orientation), are
  embedded as decoded (EXIF applied, transparency on white), as PNG.

The text layer writes each word in render mode 3 (invisible) with the glyphless font
(output/glyphless.py), its text matrix mapping the font's em box onto the word's
polygon: selecting or searching in a viewer finds the word where it is printed, on
turned and skewed lines too. A space is drawn in the gap to the next word of the line,
so text extraction sees words, not one run. Coordinates go from page pixels (the
recognised page as uploaded) to PDF points through the page's crop box and `/Rotate`,
so they hold whatever DPI the page was rendered at.

pikepdf (qpdf) and img2pdf are chosen because they keep the original bytes: no other
library here can append to a PDF page without rewriting it (pypdfium2 regenerates a
page's whole content stream; fpdf2 only writes new documents), and img2pdf is the
lossless image-to-PDF converter OCRmyPDF relies on; both are well kept.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING

import img2pdf
import pikepdf
from pikepdf import Matrix, Name
from pikepdf.canvas import ContentStreamBuilder
from PIL import Image, ImageOps, ImageSequence

from invoice_ocr.documents.sniff import sniff_type
from invoice_ocr.output import glyphless
from invoice_ocr.page import OcrWord, line_to_uploaded, line_words, uploaded_size

if TYPE_CHECKING:
    from invoice_ocr.pipeline import RecognizedPage

# Kinds whose bytes img2pdf may embed as they are (or refuse, and then they are decoded).
_PASSED_TO_IMG2PDF = frozenset({"jpeg", "png", "tiff"})
INVISIBLE = 3  # text render mode: neither fill nor stroke
# A word or gap narrower than this (points) gets no text: its matrix would be degenerate.
_MIN_SIZE = 0.01
PointF = tuple[float, float]


def searchable_pdf(document: bytes, pages: Sequence[RecognizedPage]) -> bytes:
    """The document as a PDF with its recognised words as an invisible text layer: the
    pages in `pages` (by their `number`, from 1), each where the document has it."""
    source = document if sniff_type(document) == "pdf" else image_pdf(document)
    read = {page.number: page for page in pages}
    with pikepdf.open(io.BytesIO(source)) as pdf:
        font = glyphless.add_font(pdf)
        for number, pdf_page in enumerate(pdf.pages, start=1):
            page = read.get(number)
            if page is not None and page.source == "ocr":
                _add_text_layer(pdf, pdf_page, page, font)
        # Pages the caller did not read (a job over a page range) are left out.
        for index in reversed(range(len(pdf.pages))):
            if index + 1 not in read:
                del pdf.pages[index]
        out = io.BytesIO()
        # Streams pass through undecoded: the original pages keep their bytes, and a
        # decompression bomb in the input is never inflated here.
        pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def image_pdf(image: bytes) -> bytes:
    """An image file as a PDF, one page per page the pipeline reads (every TIFF frame,
    the first frame of anything else)."""
    if sniff_type(image) in _PASSED_TO_IMG2PDF:
        try:
            return img2pdf.convert(image, rotation=img2pdf.Rotation.auto)
        except (img2pdf.AlphaChannelError, img2pdf.ExifOrientationError, img2pdf.ImageOpenError, ValueError):
            pass  # embedded as decoded, below
    return img2pdf.convert(_decoded_frames(image))


def _decoded_frames(image: bytes) -> list[bytes]:
    """The image's pages as the pipeline decodes them (EXIF orientation applied,
    transparency flattened onto white), each as a PNG."""
    with Image.open(io.BytesIO(image)) as opened:
        count = getattr(opened, "n_frames", 1) if opened.format == "TIFF" else 1
        frames = []
        for frame in islice(ImageSequence.Iterator(opened), count):
            upright = ImageOps.exif_transpose(frame.convert("RGBA"))
            flat = Image.new("RGB", upright.size, "white")
            flat.paste(upright, mask=upright.getchannel("A"))
            out = io.BytesIO()
            flat.save(out, "PNG")
            frames.append(out.getvalue())
    return frames


def _add_text_layer(pdf: pikepdf.Pdf, pdf_page: pikepdf.Page, page: RecognizedPage, font: pikepdf.Object) -> None:
    ocr = page.ocr
    words = [line_words(line_to_uploaded(line, ocr.rotation, ocr.width, ocr.height)) for line in ocr.lines if line.text]
    if not any(words):
        return
    to_points = _pixels_to_points(pdf_page, *uploaded_size(ocr.width, ocr.height, ocr.rotation))
    font_name = pdf_page.add_resource(font, Name.Font, prefix="OcrText")
    text = ContentStreamBuilder()
    text.push()
    text.begin_text()
    text.set_text_font(font_name, 1)
    text.set_text_rendering(INVISIBLE)
    for line in words:
        _write_line(text, [_corners(word, to_points) for word in line], [word.text for word in line])
    text.end_text()
    text.pop()
    pdf_page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    pdf_page.contents_add(pdf.make_stream(b"\nQ\n" + text.build()))


def _corners(word: OcrWord, to_points: Matrix) -> tuple[PointF, ...]:
    return tuple(to_points.transform(point) for point in word.polygon)


def _write_line(text: ContentStreamBuilder, boxes: list[tuple[PointF, ...]], texts: list[str]) -> None:
    """Each word over its box, and a space over each gap between two words."""
    for index, (box, word) in enumerate(zip(boxes, texts, strict=True)):
        top_left, _, bottom_right, bottom_left = box
        _show(text, word, bottom_left, bottom_right, top_left)
        if index + 1 < len(boxes):
            next_bottom_left = boxes[index + 1][3]
            up = (top_left[0] - bottom_left[0], top_left[1] - bottom_left[1])
            _show(text, " ", bottom_right, next_bottom_left, (bottom_right[0] + up[0], bottom_right[1] + up[1]))


def _show(text: ContentStreamBuilder, word: str, origin: PointF, end: PointF, top: PointF) -> None:
    """`word` drawn from `origin` along the baseline to `end`, an em high up to `top`
    (font size 1: the text matrix scales the glyphs' em box onto the box)."""
    along = (
        (end[0] - origin[0]) / (len(word) * glyphless.ADVANCE),
        (end[1] - origin[1]) / (len(word) * glyphless.ADVANCE),
    )
    up = (top[0] - origin[0], top[1] - origin[1])
    if min(abs(along[0]) + abs(along[1]), abs(up[0]) + abs(up[1])) < _MIN_SIZE:
        return
    text.set_text_matrix(Matrix(along[0], along[1], up[0], up[1], origin[0], origin[1]))
    text.show_text(glyphless.encode(word))


def _pixels_to_points(pdf_page: pikepdf.Page, width: int, height: int) -> Matrix:
    """Pixels of the page as rendered (y down, `width` × `height`, the crop box turned by
    `/Rotate`) → the page's user space (points, y up)."""
    left, bottom, right, top = (float(value) for value in pdf_page.cropbox)
    box_width, box_height = right - left, top - bottom
    rotate = pdf_page.rotation % 360
    shown_width, shown_height = (box_height, box_width) if rotate in (90, 270) else (box_width, box_height)
    # Pixels → points on the page as shown (origin bottom-left, y up).
    shown = Matrix(shown_width / width, 0, 0, -shown_height / height, 0, shown_height)
    # The page as shown → its unrotated user space (PDF turns the page `rotate` degrees
    # clockwise to show it).
    unturn = {
        0: Matrix(1, 0, 0, 1, 0, 0),
        90: Matrix(0, 1, -1, 0, box_width, 0),
        180: Matrix(-1, 0, 0, -1, box_width, box_height),
        270: Matrix(0, -1, 1, 0, 0, box_height),
    }[rotate]
    return shown @ unturn @ Matrix(1, 0, 0, 1, left, bottom)
