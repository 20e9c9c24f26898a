"""Writes the sample documents the README's curl lines use (`samples/`), from code:

    python scripts/make_samples.py

- `invoice.png`: the rendered sample invoice (`invoice_ocr.samples`), for `POST /ocr/`.
- `invoice.pdf`: the same invoice as a born-digital PDF (fpdf2, a real text layer).
- `xrechnung.xml` (written by hand, not by this script): a small UBL 2.1 XRechnung
  e-invoice, for `POST /invoice/`.

The files are committed so a new user can try the API without a document of their own;
rerun this script after changing the sample and commit what it writes.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from invoice_ocr.samples import SAMPLE_LINES, render_sample_invoice

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def invoice_pdf() -> bytes:
    """The sample invoice as real text at the rendered page's places (150 dpi → points)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    points_per_pixel, y = 72 / 150, 120
    for text, size, bold in SAMPLE_LINES:
        # The item rows are aligned with spaces in the rendering: a fixed-width font keeps them so.
        family = "courier" if "  " in text else "helvetica"
        pdf.set_font(family, style="B" if bold else "", size=size * points_per_pixel)
        pdf.text(110 * points_per_pixel, (y + size) * points_per_pixel, text)
        y += int(size * 2.1)
    return bytes(pdf.output())


def main() -> None:
    SAMPLES.mkdir(exist_ok=True)
    render_sample_invoice().image.save(SAMPLES / "invoice.png", optimize=True)
    (SAMPLES / "invoice.pdf").write_bytes(invoice_pdf())
    for path in sorted(SAMPLES.iterdir()):
        print(f"{path.relative_to(SAMPLES.parent)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
