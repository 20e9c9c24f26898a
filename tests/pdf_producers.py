"""PDFs made in the test process, each with the lines a text-layer reader must give back,
and the checks the text-layer tests share (`tests/unit/test_pdf_text_layer.py`,
`tests/integration/test_pdf_text_chromium.py`).

Producers: headless Chromium print-to-PDF (what most web invoices are), fpdf2 with a core
font and with a TrueType font, a page image with an invisible text layer over it (what
OCRmyPDF writes) and hand-written PDFs (`raw_pdf`) for exact cases: kerning, fake bold,
one text object per letter, column gaps, hyphens, rotation, crop boxes.

`ProducedPdf.lines` are the visual lines as a reader should give them: one entry per run
of words on one baseline, a wide column gap starting a new entry, single-spaced, after `fold`.
Decisions written down here and asserted by the tests:

- Ligatures read as their letters (NFKC: "ﬁnance" is "finance"), so words are searchable.
- Words are not joined across lines: a word hyphenated at a line end stays as printed,
  "non-" ending one line and "refundable" starting the next, whether the PDF drew a hyphen
  or a soft hyphen there (PDFium reports that hyphen as U+FFFE or U+0002; it reads "-").
- A soft hyphen (U+00AD) inside a line is dropped, never a stray "-" in the middle of a word.
- A printed hyphen may come back as U+002D or U+2010 HYPHEN (Chromium's ToUnicode says
  U+2010 for the hyphen it adds at a line break); `fold` treats both as "-".
"""

from __future__ import annotations

import collections
import dataclasses
import statistics
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw, ImageFont

from bench.chromium import chromium_pdf
from bench.textlayer import pdfium_text
from invoice_ocr.documents.pages import DocumentPage, TextPage
from invoice_ocr.documents.pdf import PdfOptions, load_pdf
from invoice_ocr.page import OcrLine, Polygon, box_polygon

DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LETTER = (612, 792)  # points
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class ProducedPdf:
    """A PDF and the lines it prints (see the module docstring), in drawing order."""

    name: str
    data: bytes
    lines: tuple[str, ...]
    # The text to score against where PDFium's own is known to be wrong, else None.
    reference: str | None = None

    def reference_text(self) -> str:
        return self.reference if self.reference is not None else pdfium_texts(self.data)[0]


def word_f1(a: str, b: str) -> float:
    """F1 of the multisets of whitespace-separated tokens of `a` and `b` (1.0 when both are empty)."""
    tokens_a, tokens_b = collections.Counter(a.split()), collections.Counter(b.split())
    total = sum(tokens_a.values()) + sum(tokens_b.values())
    return 2 * sum((tokens_a & tokens_b).values()) / total if total else 1.0


# ---------------------------------------------------------------- Chromium and HTML


@dataclass(frozen=True)
class InvoiceStyle:
    """How one HTML invoice variant looks: its font and extra CSS."""

    name: str
    font_family: str
    css: str = ""


INVOICE_STYLES = (
    InvoiceStyle("dejavu-sans", "DejaVu Sans"),
    InvoiceStyle(
        "liberation-sans-letter-spacing",
        "Liberation Sans",
        ".head, .address { letter-spacing: 0.12em; } .items td { letter-spacing: -0.02em; }",
    ),
    InvoiceStyle(
        "dejavu-serif-ligatures-bold",
        "DejaVu Serif",
        "body { font-variant-ligatures: common-ligatures; } .items td:first-child, .totals { font-weight: bold; }",
    ),
)

# Rows of an invoice: one visual line per cell; cells of one row stand far apart.
INVOICE_HEAD = (("INVOICE", "No. 2024-0042"), ("Contoso Travel Ltd.", "Date: 2024-03-15"))
INVOICE_ADDRESS = (
    "500 Pine Street",
    "Springfield, WA 98101",
    "Bill To: Fabrikam Inc.",
    "AVATAR WAVE Tours, Waverly Ave",
)
INVOICE_ITEMS = (
    ("Description", "Qty", "Unit price", "Amount"),
    ("Travel expenses", "2", "45.00", "90.00"),
    ("Office supplies, fluffy towels", "4", "12.50", "50.00"),
    ("Affiliate finance fee", "1", "310.00", "310.00"),
)
INVOICE_TOTALS = (("Subtotal", "450.00"), ("VAT 19%", "85.50"), ("Total due", "535.50"))
# A monospaced paragraph WRAP_WIDTH characters wide, so its breaks are known: these lines as
# printed. "nonrefund-" ends at a soft hyphen (&shy;), which Chromium prints as a hyphen.
WRAP_WIDTH = 46
WRAPPED_LINES = (
    "Please transfer the amount due to the account",
    "below and quote the invoice number. Deposits",
    "for bookings made at short notice: nonrefund-",
    "able and travel dates cannot be changed later.",
)
SOFT_HYPHEN = "\u00ad"


def _wrap_source(lines: Sequence[str], width: int) -> str:
    """The paragraph `lines` came from: a line ending in "-" broke at a soft hyphen.

    Checks that a greedy wrapper `width` characters wide breaks it exactly there.
    """
    text = ""
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        assert len(line) <= width, line
        if following is None:
            return text + line
        next_word = following.split()[0]
        if line.endswith("-"):
            assert len(line) - 1 + len(next_word) > width, (line, next_word)
            text += line[:-1] + SOFT_HYPHEN
        else:
            assert len(line) + 1 + len(next_word) > width, (line, next_word)
            text += line + " "
    return text


def _cells_row(cells: Sequence[str], css_class: str) -> str:
    return f'<div class="{css_class}">' + "".join(f"<span>{escape(cell)}</span>" for cell in cells) + "</div>"


def invoice_html(style: InvoiceStyle) -> tuple[str, tuple[str, ...]]:
    """An invoice page in `style` and its visual lines as printed."""
    address = "<br>".join(escape(line) for line in INVOICE_ADDRESS).replace("Bill To:", "<b>Bill To:</b>")
    items = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in INVOICE_ITEMS)
    paragraph = escape(_wrap_source(WRAPPED_LINES, WRAP_WIDTH)).replace(SOFT_HYPHEN, "&shy;")
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: 8.5in 11in; margin: 0.6in; }}
body {{ margin: 0; font-family: '{style.font_family}'; font-size: 11pt; line-height: 1.6; color: #000; }}
.row {{ display: flex; justify-content: space-between; }}
.head span:first-child {{ font-size: 20pt; font-weight: bold; }}
.address {{ margin: 18pt 0; }}
.items {{ width: 100%; border-collapse: collapse; margin-bottom: 12pt; }}
.items td {{ padding: 2pt 0; width: 16%; text-align: right; }}
.items td:first-child {{ width: 52%; text-align: left; }}
.totals {{ display: flex; justify-content: space-between; }}
.terms {{ font-family: 'DejaVu Sans Mono'; font-size: 10pt; width: {WRAP_WIDTH + 0.5}ch; margin-top: 18pt;
  hyphens: manual; }}
{style.css}
</style></head><body>
{"".join(_cells_row(row, "row head") for row in INVOICE_HEAD)}
<div class="address">{address}</div>
<table class="items">{items}</table>
{"".join(_cells_row(row, "totals") for row in INVOICE_TOTALS)}
<p class="terms">{paragraph}</p>
</body></html>
"""
    cells = [cell for rows in (INVOICE_HEAD, INVOICE_ITEMS, INVOICE_TOTALS) for row in rows for cell in row]
    return html, (*cells, *INVOICE_ADDRESS, *WRAPPED_LINES)


def chromium_invoice(style: InvoiceStyle) -> ProducedPdf:
    html, lines = invoice_html(style)
    return ProducedPdf(f"chromium:{style.name}", chromium_pdf(html), lines)


# ---------------------------------------------------------------- fpdf2

FPDF2_LINES = (
    "INVOICE 2024-0042",
    "Contoso Travel Ltd., 500 Pine Street",
    "Bill To: Fabrikam Inc.",
    "AVATAR WAVE Tours, Waverly Avenue",
    "Travel expenses for March, 2 x 45.00",
    "Payment terms: 30 days net, no deductions.",
)
LIGATURE_LINES = ("\ufb01nance o\ufb03ce", "\ufb02u\ufb00y a\ufb00iliate \ufb02ow")  # ﬁnance oﬃce / ﬂuﬀy aﬀiliate ﬂow
# Soft hyphens in a TrueType font's ToUnicode: one at a line end, one inside a line.
SOFT_HYPHEN_LINES = (
    "The pay\u00ad",
    "ment is due. A soft hyphen inside a line: pay\u00adment.",
    "This amount is non-",
    "refundable after the due date.",
)
COLUMN_ROWS = (("Subtotal", "1,234.56"), ("VAT 19%", "234.57"), ("Total due", "1,469.13"))
LEFT_X, RIGHT_X = 72, 540  # points: the label column starts, the amount column ends


def fold(text: str) -> str:
    """`text` as the comparisons see it: NFKC, U+2010 HYPHEN as "-", soft hyphens dropped."""
    return unicodedata.normalize("NFKC", text).replace("\u2010", "-").replace(SOFT_HYPHEN, "")


def _as_read(line: str) -> str:
    """A drawn line as the reader should give it: a soft hyphen at its end reads "-"."""
    return fold(line[:-1] + "-" if line.endswith(SOFT_HYPHEN) else line)


def fpdf2_pdf(
    font: str = "helvetica",
    *,
    char_spacing: float = 0.0,
    stretching: float = 100.0,
    lines: Sequence[str] = FPDF2_LINES,
    name: str = "",
) -> ProducedPdf:
    """`lines` at 12 pt from x=72, then label/amount rows (amounts right-aligned at x=540).

    `font` is a core font name or a TrueType file; `char_spacing` (points) and `stretching`
    (percent) apply to every line but the label/amount rows.
    """
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    if font.endswith(".ttf"):
        pdf.add_font("body", fname=font)
        font = "body"
    pdf.set_font(font, size=12)
    pdf.set_char_spacing(char_spacing)
    pdf.set_stretching(stretching)
    for index, line in enumerate(lines):
        pdf.text(LEFT_X, 100 + 20 * index, line)
    pdf.set_char_spacing(0)
    pdf.set_stretching(100)
    for index, (label, amount) in enumerate(COLUMN_ROWS):
        y = 120 + 20 * (len(lines) + index)
        pdf.text(LEFT_X, y, label)
        pdf.text(RIGHT_X - pdf.get_string_width(amount), y, amount)
    printed = (*lines, *(cell for row in COLUMN_ROWS for cell in row))
    return ProducedPdf(f"fpdf2:{name or Path(font).stem}", bytes(pdf.output()), tuple(map(_as_read, printed)))


FPDF2_VARIANTS = {
    "helvetica": {},
    "helvetica-spaced": {"char_spacing": 1.0},
    "helvetica-tight-condensed": {"char_spacing": -0.3, "stretching": 80.0},
    "dejavu": {"font": str(DEJAVU_SANS)},
    "dejavu-spaced-stretched": {"font": str(DEJAVU_SANS), "char_spacing": 0.8, "stretching": 120.0},
    "dejavu-ligatures": {"font": str(DEJAVU_SANS), "lines": (*FPDF2_LINES[:3], *LIGATURE_LINES)},
    "dejavu-hyphenation": {"font": str(DEJAVU_SANS), "lines": SOFT_HYPHEN_LINES},
}


def fpdf2_variant(name: str) -> ProducedPdf:
    return fpdf2_pdf(name=name, **FPDF2_VARIANTS[name])


# ---------------------------------------------------------------- image + invisible text (OCRmyPDF-like)

SCAN_DPI = 200
SCAN_LINES = (
    "HOTEL WALDORF ASTORIA",
    "Guest folio 58213, Room 1204",
    "Arrival 2024-03-11, departure 2024-03-14",
    "Accommodation 3 nights x 119.00",
    "City tax 3 x 2.50",
    "Breakfast buffet 2 x 18.00",
    "Total amount due 400.50 EUR",
    "Paid by VISA **** 4242 on 2024-03-14",
    "Thank you for staying with us. We look forward to your next visit.",
)


def image_pdf_with_invisible_text(lines: Sequence[str] = SCAN_LINES) -> ProducedPdf:
    """A page image (Pillow, DejaVu Sans) filling a Letter page, under invisible text at the
    same places: what OCRmyPDF makes of a scan. Words are drawn one by one at the PDF's own
    advance widths, so the image and the text layer cannot drift apart along a line."""
    scale = SCAN_DPI / POINTS_PER_INCH
    image = Image.new("L", (round(LETTER[0] * scale), round(LETTER[1] * scale)), 255)
    draw = ImageDraw.Draw(image)
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.add_font("scan", fname=str(DEJAVU_SANS))
    pdf.set_font("scan", size=12)
    image_font = ImageFont.truetype(str(DEJAVU_SANS), size=round(12 * scale))
    for index, line in enumerate(lines):
        y = 90 + 24 * index
        for start, word in _words_with_offsets(line):
            x = LEFT_X + pdf.get_string_width(line[:start])
            draw.text((x * scale, y * scale), word, font=image_font, fill=0, anchor="ls")
    pdf.image(image, 0, 0, *LETTER)
    pdf.text_mode = TextMode.INVISIBLE
    for index, line in enumerate(lines):
        pdf.text(LEFT_X, 90 + 24 * index, line)
    return ProducedPdf("image+invisible-text", bytes(pdf.output()), tuple(lines))


def _words_with_offsets(line: str) -> list[tuple[int, str]]:
    words, start = [], 0
    for word in line.split(" "):
        if word:
            words.append((start, word))
        start += len(word) + 1
    return words


# ---------------------------------------------------------------- hand-written PDFs


def raw_pdf(
    content_stream: bytes,
    *,
    media_box: tuple[float, float, float, float] = (0, 0, *LETTER),
    crop_box: tuple[float, float, float, float] | None = None,
    rotate: int = 0,
) -> bytes:
    """A one-page PDF around `content_stream`, whose font /F1 is Helvetica (WinAnsiEncoding)."""

    def box(values: Sequence[float]) -> bytes:
        return b"[" + " ".join(f"{value:g}" for value in values).encode() + b"]"

    page = b"<< /Type /Page /Parent 2 0 R /MediaBox " + box(media_box)
    if crop_box is not None:
        page += b" /CropBox " + box(crop_box)
    page += b" /Rotate %d /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>" % rotate
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content_stream), content_stream),
    ]
    output, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


_HELVETICA = FPDF(unit="pt")


def helvetica_width(text: str, size: float) -> float:
    """The advance of `text` in Helvetica at `size` points (the core font's own metrics)."""
    _HELVETICA.set_font("helvetica", size=size)
    return _HELVETICA.get_string_width(text)


def pdf_string(text: str) -> str:
    """`text` as a PDF literal string (its bytes are WinAnsi, that is cp1252)."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def text_object(x: float, y: float, operations: str, size: float = 12) -> str:
    return f"BT /F1 {size:g} Tf {x:.3f} {y:.3f} Td {operations} ET\n"


def _raw(
    name: str,
    content: str,
    lines: Sequence[str],
    *,
    rotate: int = 0,
    crop_box: tuple[float, float, float, float] | None = None,
) -> ProducedPdf:
    data = raw_pdf(content.encode("cp1252"), rotate=rotate, crop_box=crop_box)
    return ProducedPdf(f"raw:{name}", data, tuple(lines))


def _lines_at(lines: Sequence[str], x: float = LEFT_X, top: float = 720, step: float = 20, size: float = 12) -> str:
    return "".join(
        text_object(x, top - step * index, pdf_string(line) + " Tj", size) for index, line in enumerate(lines)
    )


HELLO_WORLD = "Hello World"


def raw_hello() -> ProducedPdf:
    """`BT /F1 12 Tf 72 720 Td (Hello World) Tj ET` and one more line: boxes at known places."""
    return _raw(
        "hello", _lines_at((HELLO_WORLD, "A second line of plain text")), (HELLO_WORLD, "A second line of plain text")
    )


# Kerning in 1/1000 em after the first letter of each pair, as a font's kern table gives it.
KERN_PAIRS = {"AV": 150, "VA": 150, "AT": 120, "TA": 120, "WA": 110, "Tr": 120, "To": 100, "Fa": 90, "Pi": 80}
KERNED_LINES = ("500 Pine Street", "Travel expenses", "Bill To: Fabrikam Inc.", "AVATAR WAVE Tours")


def kerned_runs(text: str) -> list[tuple[str, int]]:
    """`text` cut after each kerning pair's first letter: (run, kerning after it)."""
    runs, start = [], 0
    for index in range(1, len(text)):
        kern = KERN_PAIRS.get(text[index - 1 : index + 1])
        if kern:
            runs.append((text[start:index], kern))
            start = index
    return [*runs, (text[start:], 0)]


def raw_kerning_tj() -> ProducedPdf:
    """Kerning as TJ arrays: `[(500 P) 80 (ine Street)] TJ`, `[(T) 120 (ravel expenses)] TJ`…"""
    content = "".join(
        text_object(
            LEFT_X,
            720 - 20 * index,
            "[" + " ".join(f"{pdf_string(run)} {kern}" for run, kern in kerned_runs(line)) + "] TJ",
        )
        for index, line in enumerate(KERNED_LINES)
    )
    return _raw("kerning-tj", content, KERNED_LINES)


def raw_kerning_td() -> ProducedPdf:
    """Kerning the way Chromium (Skia) writes it: y-down page matrix, a flipped text matrix,
    each kerned run its own Tj and a `Td` of the kerned advance to the next, so runs overlap."""
    size_px, px = 16, 0.75  # a 16 px font on a 0.75 pt pixel grid: 12 pt
    content = f"q {px} 0 0 -{px} 0 {LETTER[1]} cm\n"
    for index, line in enumerate(KERNED_LINES):
        operations = []
        for run, kern in kerned_runs(line):
            operations.append(f"{pdf_string(run)} Tj {helvetica_width(run, size_px) - kern * size_px / 1000:.4f} 0 Td")
        baseline = (LETTER[1] - 720 + 20 * index) / px
        content += f"BT /F1 {size_px} Tf 1 0 0 -1 {LEFT_X / px:.4f} {baseline:.4f} Tm {' '.join(operations)} ET\n"
    return _raw("kerning-td", content + "Q\n", KERNED_LINES)


FAKE_BOLD_TEXT = "Total 19.90"
FAKE_BOLD_LINES = (FAKE_BOLD_TEXT, "Thank you for your business")


def _words_object(x: float, y: float, text: str) -> str:
    """`text` drawn word by word, each word its own text object at its Helvetica position."""
    return "".join(
        text_object(x + helvetica_width(text[:start], 12), y, pdf_string(word) + " Tj")
        for start, word in _words_with_offsets(text)
    )


def raw_fake_bold(copies: int, *, by_word: bool = False) -> ProducedPdf:
    """`(Total 19.90) Tj` drawn `copies` times 0.3 pt apart (how some tools fake bold);
    `by_word` draws the copies after the first word by word (PDFium then keeps both copies
    in its own text)."""
    content = text_object(LEFT_X, 720, pdf_string(FAKE_BOLD_TEXT) + " Tj")
    for copy in range(1, copies):
        x = LEFT_X + 0.3 * copy
        content += (
            _words_object(x, 720, FAKE_BOLD_TEXT)
            if by_word
            else text_object(x, 720, pdf_string(FAKE_BOLD_TEXT) + " Tj")
        )
    content += _lines_at(FAKE_BOLD_LINES[1:], top=700)
    produced = _raw(f"fake-bold-x{copies}{'-by-word' if by_word else ''}", content, FAKE_BOLD_LINES)
    return dataclasses.replace(produced, reference=" ".join(FAKE_BOLD_LINES)) if by_word else produced


LETTER_LINES = ("PAYMENT RECEIPT", "Guest: Anna Schmidt", "Room 214, 2 nights")


def raw_letter_by_letter(*, bold: bool = False) -> ProducedPdf:
    """Every letter its own text object at its Helvetica advance, spaces only as gaps (like a
    hotel receipt's PDF); `bold` draws each letter twice 0.4 pt apart as well."""
    content = ""
    for index, (line, size) in enumerate(zip(LETTER_LINES, (16, 11, 11), strict=True)):
        for position, char in enumerate(line):
            if char != " ":
                x = LEFT_X + helvetica_width(line[:position], size)
                content += "".join(
                    text_object(x + 0.4 * copy, 720 - 24 * index, pdf_string(char) + " Tj", size)
                    for copy in range(1 + bold)
                )
    return _raw("letter-by-letter-bold" if bold else "letter-by-letter", content, LETTER_LINES)


SPLIT_LINES = (("Invo", "ice number 2024-001"), ("Total amount: 1,2", "34.56 EUR"))


def raw_split_words() -> ProducedPdf:
    """Each line two text objects cut inside a word, the second starting where the first ends."""
    content = ""
    for index, (first, second) in enumerate(SPLIT_LINES):
        y = 720 - 20 * index
        content += text_object(LEFT_X, y, pdf_string(first) + " Tj")
        content += text_object(LEFT_X + helvetica_width(first, 12), y, pdf_string(second) + " Tj")
    return _raw("split-words", content, ["".join(parts) for parts in SPLIT_LINES])


COLUMN_SENTENCE = "A normal sentence with single spaces stays one line."


def raw_columns() -> ProducedPdf:
    """Labels at x=72, amounts right-aligned at x=540 on the same baselines, then a sentence."""
    content = ""
    for index, (label, amount) in enumerate(COLUMN_ROWS):
        y = 720 - 20 * index
        content += text_object(LEFT_X, y, pdf_string(label) + " Tj")
        content += text_object(RIGHT_X - helvetica_width(amount, 12), y, pdf_string(amount) + " Tj")
    content += _lines_at((COLUMN_SENTENCE,), top=640)
    return _raw("columns", content, (*(cell for row in COLUMN_ROWS for cell in row), COLUMN_SENTENCE))


MIXED_SIZE_LINES = ("Total due EUR 1,469.13", "Price per m2 12.00")


def raw_mixed_sizes() -> ProducedPdf:
    """One line in three sizes ("EUR" at 8 pt between 14 pt words) and a superscript "2"
    (7 pt, raised 4 pt with Ts): each stays one line."""
    content = text_object(
        LEFT_X, 720, "(Total due ) Tj /F1 8 Tf (EUR ) Tj /F1 14 Tf (1,469.13) Tj", size=14
    ) + text_object(LEFT_X, 690, "(Price per m) Tj /F1 7 Tf 4 Ts (2) Tj 0 Ts /F1 12 Tf ( 12.00) Tj")
    return _raw("mixed-sizes", content, MIXED_SIZE_LINES)


TIGHT_LINES = tuple(f"{index} x Espresso doppio {2.5 * index:.2f}" for index in range(1, 9))


def raw_tight_leading() -> ProducedPdf:
    """Eight 10 pt lines 10.5 pt apart (a dense receipt): eight lines, none merged."""
    return _raw("tight-leading", _lines_at(TIGHT_LINES, step=10.5, size=10), TIGHT_LINES)


JUSTIFIED_LINES = (
    "Payment within fourteen days of the invoice date without any deduction,",
    "after that date interest is charged at the statutory rate on the amount.",
)


def raw_justified() -> ProducedPdf:
    """Justified lines: word spacing (Tw) of 1.5 and 2.5 pt widens every space to about
    half an em; still one line each, not split as if at a column gap."""
    content = "".join(
        text_object(LEFT_X, 720 - 14 * index, f"{spacing} Tw {pdf_string(line)} Tj 0 Tw", size=11)
        for index, (line, spacing) in enumerate(zip(JUSTIFIED_LINES, (1.5, 2.5), strict=True))
    )
    return _raw("justified", content, JUSTIFIED_LINES)


VERTICAL_TEXT = "Contoso Travel Ltd. - registered office Springfield"


def raw_vertical_text() -> ProducedPdf:
    """Upright lines and one reading bottom to top in the left margin (text matrix turned
    90 degrees), as German invoices print their register data: its own line, read in order."""
    content = _lines_at(FAKE_BOLD_LINES) + f"BT /F1 9 Tf 0 1 -1 0 40 200 Tm {pdf_string(VERTICAL_TEXT)} Tj ET\n"
    return _raw("vertical-text", content, (*FAKE_BOLD_LINES, VERTICAL_TEXT))


HYPHENATED_LINES = ("This amount is non-", "refundable after the due date.", "The pay-", "ment is due on receipt.")


def raw_hyphenation() -> ProducedPdf:
    """Words broken at line ends: "non-" with a hyphen (0x2D), "pay" with a soft hyphen (0xAD),
    which a PDF prints as a hyphen glyph like any other character."""
    drawn = [line.replace("pay-", "pay" + SOFT_HYPHEN) for line in HYPHENATED_LINES]
    return _raw("hyphenation", _lines_at(drawn, step=14), HYPHENATED_LINES)


ROTATED_LINES = ("Rotated invoice page", "Invoice number 2024-0042", "Total due 42.00 EUR")


def raw_rotated(rotation: int) -> ProducedPdf:
    """Three lines on a page with `/Rotate rotation`: shown turned clockwise by that much."""
    return _raw(f"rotate-{rotation}", _lines_at(ROTATED_LINES), ROTATED_LINES, rotate=rotation)


CROP_BOX = (100, 100, 512, 692)
CROPPED_LINES = ("Cropped invoice page", "Total due 42.00 EUR")


def raw_cropped() -> ProducedPdf:
    """A crop box 100 pt in from the left and bottom: text at x=172 sits 72 pt into the page shown."""
    return _raw("crop-box", _lines_at(CROPPED_LINES, x=172, top=620), CROPPED_LINES, crop_box=CROP_BOX)


def raw_cases() -> list[ProducedPdf]:
    return [
        raw_hello(),
        raw_kerning_tj(),
        raw_kerning_td(),
        raw_fake_bold(2),
        raw_fake_bold(3),
        raw_fake_bold(2, by_word=True),
        raw_letter_by_letter(),
        raw_letter_by_letter(bold=True),
        raw_split_words(),
        raw_columns(),
        raw_mixed_sizes(),
        raw_tight_leading(),
        raw_justified(),
        raw_vertical_text(),
        raw_hyphenation(),
        *(raw_rotated(rotation) for rotation in (90, 180, 270)),
        raw_cropped(),
    ]


# ---------------------------------------------------------------- checks shared by the tests

TEST_DPI = 200
DARK = 128  # a rendered pixel darker than this (any channel) is ink
MIN_F1 = 0.99
USABLE_CHARS = 16  # a page with fewer visible characters has no usable text layer (the reader's MIN_TEXT_CHARS)
KERNING_PHRASES = ("500 Pine Street", "Travel expenses", "Bill To", "Fabrikam Inc.")
BAD_CHARS = frozenset("\u00ad\ufffe\ufffd\x02")  # soft hyphen, PDFium's hyphen marks, undecodable


def read_pdf(data: bytes, dpi: int = TEST_DPI) -> list[DocumentPage]:
    return load_pdf(data, max_pages=50, max_pixels=10**9, options=PdfOptions(dpi=dpi))


def read_text_page(produced: ProducedPdf, dpi: int = TEST_DPI) -> TextPage:
    [page] = read_pdf(produced.data, dpi)
    assert isinstance(page, TextPage), f"{produced.name}: the text layer was not used ({type(page).__name__})"
    return page


def page_text(page: TextPage) -> str:
    return " ".join(line.text for line in page.lines)


def describe(page: DocumentPage) -> str:
    """A page for an assertion message: its lines, or that it went to OCR."""
    if isinstance(page, TextPage):
        return repr([line.text for line in page.lines])
    return f"an image page for OCR ({page.width}x{page.height}): the text layer was not used"


def reference_text(textpage: pdfium.PdfTextPage) -> str:
    """PDFium's own text of a page, as a reader should give it back.

    The documented differences (module docstring) are undone: PDFium joins a word hyphenated
    at a line end into one, marking the hyphen U+FFFE or U+0002 (we keep both lines as
    printed: "non-" and "refundable"); PDFium inserts spaces inside words a producer spaced
    a tenth of an em apart (we do not: `bench.textlayer.pdfium_text`); and both sides are
    compared after `fold`.
    """
    text = pdfium_text(textpage, letter_spacing_undone=True)
    return fold(text.replace("\ufffe", "-\n").replace("\x02", "-\n"))


def pdfium_texts(data: bytes) -> list[str]:
    """`reference_text` of every page of `data`."""
    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(reference_text(textpage))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def visible_chars(text: str) -> int:
    return sum(not char.isspace() for char in text)


def text_f1(page: DocumentPage, reference: str) -> float:
    """Word F1 of a page's lines against `reference`; 0.0 when the text layer was not used."""
    return word_f1(fold(page_text(page)), reference) if isinstance(page, TextPage) else 0.0


def _clockwise_box(polygon: Polygon) -> bool:
    xs, ys = {x for x, _ in polygon}, {y for _, y in polygon}
    corners = {(x, y) for x in xs for y in ys}
    edges = zip(polygon, polygon[1:] + polygon[:1], strict=True)
    axis_parallel = all(a[0] == b[0] or a[1] == b[1] for a, b in edges)
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(polygon, polygon[1:] + polygon[:1], strict=True))
    return len(xs) == len(ys) == 2 and set(polygon) == corners and axis_parallel and area > 0


def box_problems(page: TextPage, *, upright: bool = True) -> list[str]:
    """Lines whose polygon leaves the page, has no area or is not an axis-aligned box:
    clockwise from the top-left corner when `upright`, else from any corner (a turned
    page's lines may start their polygon at the text's own top-left)."""
    problems = []
    for line in page.lines:
        box = box_polygon(line.left, line.top, line.right, line.bottom)
        if line.polygon != box if upright else not _clockwise_box(line.polygon):
            problems.append(f"not an axis-aligned box: {line}")
        if not (0 <= line.left < line.right <= page.width - 1 and 0 <= line.top < line.bottom <= page.height - 1):
            problems.append(f"outside {page.width}x{page.height} or empty: {line}")
    return problems


def render_ink(data: bytes, index: int, dpi: int = TEST_DPI) -> np.ndarray:
    """Where page `index` of `data` rendered at `dpi` is dark (True), in page pixels."""
    document = pdfium.PdfDocument(data)
    try:
        bitmap = document[index].render(scale=dpi / POINTS_PER_INCH)
        return bitmap.to_numpy().min(axis=2) < DARK
    finally:
        document.close()


@dataclass(frozen=True)
class InkCover:
    ink_inside: float  # the share of the page's dark pixels inside some line's box
    blank_lines: tuple[str, ...]  # lines whose box holds no dark pixel


def ink_cover(page: TextPage, ink: np.ndarray, margin: int = 2) -> InkCover:
    """How the line boxes (grown by `margin` pixels for anti-aliasing) and the rendered ink agree."""
    assert ink.shape == (page.height, page.width), (ink.shape, page.width, page.height)
    inside = np.zeros_like(ink)
    blank = []
    for line in page.lines:
        rows = slice(max(line.top - margin, 0), line.bottom + margin + 1)
        columns = slice(max(line.left - margin, 0), line.right + margin + 1)
        inside[rows, columns] = True
        if not ink[rows, columns].any():
            blank.append(line.text)
    total = int(ink.sum())
    return InkCover(float((ink & inside).sum()) / total if total else 1.0, tuple(blank))


def ink_problems(produced: ProducedPdf, page: TextPage, dpi: int = TEST_DPI) -> list[str]:
    """Boxes that cover no ink, and whether over 1% of the rendered ink lies outside every box."""
    cover = ink_cover(page, render_ink(produced.data, 0, dpi))
    problems = [f"{produced.name}: boxes with no ink: {list(cover.blank_lines)}"] if cover.blank_lines else []
    if cover.ink_inside < 0.99:
        problems.append(f"{produced.name}: only {cover.ink_inside:.1%} of the ink lies inside the line boxes")
    return problems


def lone_letters(page: TextPage) -> list[str]:
    return [line.text for line in page.lines if len(line.text) == 1 and line.text.isalpha()]


def phrase_problems(page: TextPage, phrases: Sequence[str]) -> list[str]:
    """Phrases no line holds, and lines that are a lone letter."""
    missing = [phrase for phrase in phrases if not any(phrase in line.text for line in page.lines)]
    return [f"no line holds {phrase!r}" for phrase in missing] + [
        f"lone letter {text!r}" for text in lone_letters(page)
    ]


def line_problems(page: TextPage, expected: Sequence[str]) -> str:
    """'' when the page's lines (after `fold`) are `expected`, as multisets; else what differs."""
    got, want = collections.Counter(fold(line.text) for line in page.lines), collections.Counter(expected)
    if got == want:
        return ""
    return (
        f"{len(page.lines)} lines for {len(expected)} printed; unexpected {sorted((got - want).elements())}; "
        f"missing {sorted((want - got).elements())}"
    )


def unclean_lines(page: TextPage) -> list[str]:
    """Lines with runs of spaces, spaces at an end, control or PDFium marker characters."""
    return [
        line.text
        for line in page.lines
        if line.text != " ".join(line.text.split())
        or any(char in BAD_CHARS or unicodedata.category(char) == "Cc" for char in line.text)
    ]


def same_row(a: OcrLine, b: OcrLine) -> bool:
    """The two boxes share most of the smaller one's height: one baseline, give or take a descender."""
    return min(a.bottom, b.bottom) - max(a.top, b.top) >= 0.5 * min(a.height, b.height)


def line_with(page: TextPage, text: str) -> OcrLine:
    """The one line that reads `text` (after `fold`)."""
    matches = [line for line in page.lines if fold(line.text) == text]
    assert len(matches) == 1, f"{len(matches)} lines read {text!r}: {[line.text for line in page.lines]}"
    return matches[0]


@dataclass
class F1Table:
    """Per-producer word F1 against PDFium's text, printed as a table (`pytest -s`)."""

    title: str
    scores: dict[str, list[float]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, producer: str, f1: float) -> None:
        self.scores.setdefault(producer, []).append(f1)

    def render(self) -> str:
        width = max([len("producer"), *map(len, self.scores)])
        rows = [f"\n{self.title}", f"{'producer':<{width}}  pages  min F1  mean F1"]
        for producer, scores in sorted(self.scores.items()):
            rows.append(f"{producer:<{width}}  {len(scores):5d}  {min(scores):6.3f}  {statistics.fmean(scores):7.3f}")
        rows.extend(f"skipped (no usable text layer): {name}" for name in self.skipped)
        return "\n".join(rows)


def printed_table(title: str) -> Iterator[F1Table]:
    """The body of a module fixture: a table to fill, printed when the module is done."""
    table = F1Table(title)
    yield table
    if table.scores:
        print(table.render())


def f1_problem(produced: ProducedPdf, table: F1Table) -> str:
    """Scores `produced`'s one page into `table`: '' when its F1 is at least MIN_F1, else why not."""
    [page] = read_pdf(produced.data)
    f1 = text_f1(page, produced.reference_text())
    table.add(produced.name, f1)
    return "" if f1 >= MIN_F1 else f"{produced.name}: F1 {f1:.3f}: {describe(page)}"


def producer_label(data: bytes, prefix: str) -> str:
    """`prefix` and the PDF's /Producer up to its first parenthesis: how real PDFs are grouped."""
    document = pdfium.PdfDocument(data)
    try:
        producer = document.get_metadata_dict().get("Producer", "") or "unknown"
    finally:
        document.close()
    return f"{prefix}:{producer.split('(')[0].strip()[:32]}"
