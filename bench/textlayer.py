"""PDF text layers: agreement with PDFium's own text per producer, and the cost per character.

    python -m bench.textlayer [--repeats 3] [--chars 20000,100000,200000]

1. **Agreement**: every page of the real e-invoice PDFs in `../shared/data/einvoice-dev/`
   read by `load_pdf` (words → lines) against pypdfium2's `get_text_range()` for the same
   page, as a word multiset F1, grouped by the PDF's `/Producer`: micro F1 over the
   group's words, then the same against PDFium's text without the spaces it generates
   inside letter-spaced words ("Ver käufer", which we read "Verkäufer"), and that
   comparison's worst page.
2. **Cost**: one page holding N characters (1 pt Helvetica, 400 a line) read whole;
   median of `--repeats` runs, and milliseconds per 10 000 characters.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections import defaultdict
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bench.metrics import WordScore, median, word_score
from invoice_ocr.documents import PdfOptions, TextPage
from invoice_ocr.documents.pdf import load_pdf
from invoice_ocr.documents.textlayer import SPURIOUS_SPACE_GAP

EINVOICES = Path(__file__).resolve().parents[2] / "shared" / "data" / "einvoice-dev"
MAX_PIXELS = 60_000_000
CHARS_PER_LINE = 400


def dense_text_pdf(lines: int, per_line: int) -> bytes:
    """A one-page PDF with `lines` × `per_line` characters of 1 pt Helvetica."""
    text = b"word123 " * (per_line // 8)
    rows = [b"1 0 0 1 10 %.2f Tm (%s) Tj" % (780 - row * 770 / lines, text) for row in range(lines)]
    stream = zlib.compress(b"BT /F1 1 Tf\n" + b"\n".join(rows) + b"\nET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _letter_spacing_space(textpage: pdfium.PdfTextPage, index: int, count: int) -> bool:
    """Whether character `index` is a space PDFium generated in a gap narrower than
    `SPURIOUS_SPACE_GAP` × the character height ("Ver käufer" from a letter-spaced PDF)."""
    if not (0 < index < count - 1) or not pdfium_c.FPDFText_IsGenerated(textpage, index):
        return False
    before, after = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage, index - 1, before)
    pdfium_c.FPDFText_GetLooseCharBox(textpage, index + 1, after)
    height = min(before.top - before.bottom, after.top - after.bottom)
    return after.left - before.right < SPURIOUS_SPACE_GAP * max(height, 1.0)


def pdfium_text(textpage: pdfium.PdfTextPage, *, letter_spacing_undone: bool) -> str:
    """PDFium's text of a page (`get_text_range()`), or the same characters without the
    spaces PDFium generates inside letter-spaced words, which our text layer leaves out."""
    if not letter_spacing_undone:
        return textpage.get_text_range()
    count = pdfium_c.FPDFText_CountChars(textpage)
    codes = [pdfium_c.FPDFText_GetUnicode(textpage, index) for index in range(count)]
    spaces = (index for index, code in enumerate(codes) if code == 0x20)
    spaced = {index for index in spaces if _letter_spacing_space(textpage, index, count)}
    return "".join(chr(code) for index, code in enumerate(codes) if index not in spaced)


def _producer(document: pdfium.PdfDocument) -> str:
    producer = document.get_metadata_dict().get("Producer", "").strip()
    return producer.split("(")[0].strip()[:40] or "(none)"


def agreement() -> dict[str, tuple[WordScore, WordScore, float, int]]:
    """Producer → (micro word score against `get_text_range()`, the same against PDFium's
    text with its letter-spacing spaces undone, worst page F1 of the latter, pages)."""
    raw: dict[str, list[WordScore]] = defaultdict(list)
    undone: dict[str, list[WordScore]] = defaultdict(list)
    for path in sorted(EINVOICES.glob("*.pdf")):
        data = path.read_bytes()
        reference = pdfium.PdfDocument(data)
        pages = load_pdf(data, max_pages=100, max_pixels=MAX_PIXELS, options=PdfOptions())
        for page in pages:
            if isinstance(page, TextPage):
                textpage = reference[page.number - 1].get_textpage()
                ours = " ".join(line.text for line in page.lines)
                producer = _producer(reference)
                raw[producer].append(word_score(ours, pdfium_text(textpage, letter_spacing_undone=False)))
                undone[producer].append(word_score(ours, pdfium_text(textpage, letter_spacing_undone=True)))
    return {
        producer: (sum(raw[producer], WordScore()), sum(pages, WordScore()), min(s.f1 for s in pages), len(pages))
        for producer, pages in sorted(undone.items())
    }


def cost(chars: int, repeats: int) -> float:
    """Median seconds to read one page of `chars` characters."""
    data = dense_text_pdf(max(chars // CHARS_PER_LINE, 1), CHARS_PER_LINE)
    options = PdfOptions(max_page_chars=chars * 2)
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        load_pdf(data, max_pages=1, max_pixels=MAX_PIXELS, options=options)
        seconds.append(time.perf_counter() - started)
    return median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chars", default="20000,100000,200000")
    args = parser.parse_args()
    if EINVOICES.is_dir():
        print(
            "| producer (einvoice-dev) | pages | words | F1 vs get_text_range | F1, letter-spacing spaces undone "
            "| worst page (undone) |\n|---|---|---|---|---|---|"
        )
        for producer, (raw, undone, worst, pages) in agreement().items():
            print(f"| {producer} | {pages} | {raw.expected} | {raw.f1:.4f} | {undone.f1:.4f} | {worst:.4f} |")
    else:
        print(f"(no agreement table: {EINVOICES} not found)")
    print("\n| characters on the page | seconds (median) | ms per 10k characters |\n|---|---|---|")
    for chars in (int(value) for value in args.chars.split(",")):
        seconds = cost(chars, args.repeats)
        print(f"| {chars:,} | {seconds:.2f} | {seconds / chars * 10_000 * 1000:.0f} |")


if __name__ == "__main__":
    main()
