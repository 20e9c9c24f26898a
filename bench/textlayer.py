"""PDF text layers: agreement with PDFium's own text per producer, and the cost per character.

    python -m bench.textlayer [--repeats 3] [--chars 20000,100000,200000]

1. **Agreement**: every page of the real e-invoice PDFs in `../shared/data/einvoice-dev/`
   read by `load_pdf` (words → lines) against pypdfium2's `get_text_range()` for the same
   page, as a word multiset F1, grouped by the PDF's `/Producer`. Micro F1 over the
   group's words and the worst page's F1.
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

from bench.metrics import WordScore, median, word_score
from invoice_ocr.documents import PdfOptions, TextPage
from invoice_ocr.documents.pdf import load_pdf

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


def _producer(document: pdfium.PdfDocument) -> str:
    producer = document.get_metadata_dict().get("Producer", "").strip()
    return producer.split("(")[0].strip()[:40] or "(none)"


def agreement() -> dict[str, tuple[WordScore, float, int]]:
    """Producer → (micro word score, worst page F1, pages)."""
    scores: dict[str, list[WordScore]] = defaultdict(list)
    for path in sorted(EINVOICES.glob("*.pdf")):
        data = path.read_bytes()
        reference = pdfium.PdfDocument(data)
        pages = load_pdf(data, max_pages=100, max_pixels=MAX_PIXELS, options=PdfOptions())
        for page in pages:
            if isinstance(page, TextPage):
                expected = reference[page.number - 1].get_textpage().get_text_range()
                ours = " ".join(line.text for line in page.lines)
                scores[_producer(reference)].append(word_score(ours, expected))
    return {
        producer: (sum(pages, WordScore()), min(score.f1 for score in pages), len(pages))
        for producer, pages in sorted(scores.items())
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
        print("| producer (einvoice-dev) | pages | words | micro F1 | worst page F1 |\n|---|---|---|---|---|")
        for producer, (score, worst, pages) in agreement().items():
            print(f"| {producer} | {pages} | {score.expected} | {score.f1:.4f} | {worst:.4f} |")
    else:
        print(f"(no agreement table: {EINVOICES} not found)")
    print("\n| characters on the page | seconds (median) | ms per 10k characters |\n|---|---|---|")
    for chars in (int(value) for value in args.chars.split(",")):
        seconds = cost(chars, args.repeats)
        print(f"| {chars:,} | {seconds:.2f} | {seconds / chars * 10_000 * 1000:.0f} |")


if __name__ == "__main__":
    main()
