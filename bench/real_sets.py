"""The real document sets in `../shared/data/`, each split into a fixed tuning half and a
fixed reporting half, as uniform `RealDocument`s for `bench.fields`.

    python -m bench.real_sets --list    # every set's halves, by document name

Sets (a folder that is absent is skipped, and `load_sets` says why):

- `sroie-sample/` (6), `sroie-dev/` (80): scanned Malaysian receipts, `img/NNN.jpg`,
  `box/NNN.csv` (ground-truth lines), `key/NNN.json`; company → vendor_name, address →
  vendor_address, date → invoice_date, total → total. Read by their layout only.
- `einvoice-dev/` (43): Factur-X / ZUGFeRD PDFs with `NAME.json`; a key the JSON lacks is
  a field the invoice lacks. Read two ways: `xml` (the embedded XML, with the text-layer
  pages as evidence) and `layout` (the attachments removed first, then the pages alone).
  The layout path is not scored on a value the pages do not print (PRINT_CHECKED_FIELDS),
  nor on a due date the XML states only in its payment terms' words (_PAYMENT_TERMS).
- `einvoice-dev/xml/` (14): bare CII XML, read by the `xml` path only (no pages).

Halves: a file goes to the tuning half (`tune`) when

    int(hashlib.sha1(f"{set_name}/{file_stem}".encode()).hexdigest(), 16) % 2 == 0

and to the reporting half (`report`) otherwise. `set_name` is the folder below
`shared/data/` ("sroie-dev", "einvoice-dev/xml"), `file_stem` the file name without its
last suffix ("300", "EN16931_Einfach.cii"). The rule reads only the name, so adding files
never moves one that is already placed, and both paths of one e-invoice PDF fall in the
same half. Tune the extractor on `tune`; `report` is for reporting only: never look at its
failures (bench.fields prints examples from the tuning half alone).

Expected values are normalised the way bench.fields compares them: names and addresses
upper-cased with white space collapsed and edge punctuation off; dates ISO (SROIE prints
them day-first, also as "20180428" or "05-AUG-2017"); amounts as two-decimal strings
without grouping or currency ("RM 8.60" → "8.60", "1,007.50" → "1007.50", signs kept);
currency codes upper-cased; invoice numbers with all white space removed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np
import pypdfium2 as pdfium

from invoice_ocr.config import Settings
from invoice_ocr.documents import DocumentPage, FoundEInvoice, TextPage, load_einvoice, load_pages
from invoice_ocr.documents.loader import DocumentLimits
from invoice_ocr.extraction.amounts import format_money
from invoice_ocr.extraction.dates import find_dates
from invoice_ocr.extraction.einvoice import extract_einvoice
from invoice_ocr.extraction.results import PageLines
from invoice_ocr.page import OcrLine, OcrPage

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LIMITS = DocumentLimits(max_bytes=50 * 1024 * 1024, max_pixels=60_000_000)
EINVOICE_MAX_BYTES: int = Settings.model_fields["einvoice_max_bytes"].default

Half = Literal["tune", "report"]
HALVES: tuple[Half, ...] = ("tune", "report")
ReadPath = Literal["layout", "xml"]
Recognize = Callable[[list[np.ndarray]], list[OcrPage]]
# Pages of a document: OCR'd by `recognize`, or without it the exact lines (SROIE's box
# files, a PDF's text layer; image pages of a PDF are then left out).
PageLoader = Callable[[Recognize | None], list[PageLines]]

TEXT_FIELDS = frozenset({"vendor_name", "vendor_address", "customer_name"})
# Fields read from the printed value itself rather than the extractor's normalised form
# (free text has none; the e-invoice path leaves the invoice number's unset).
VERBATIM_FIELDS = TEXT_FIELDS | {"invoice_number"}
EINVOICE_FIELDS = (
    "invoice_number",
    "invoice_date",
    "due_date",
    "vendor_name",
    "customer_name",
    "currency",
    "subtotal",
    "tax",
    "total",
)
# The fields whose XML value the layout path is scored on only where the page prints it:
# a few sample PDFs show another invoice than their XML states (another number, dates or
# amounts), and no reading of such a page can give the XML's value. Free text is not
# checked (the page may wrap or abbreviate a name), nor the currency (printed as a sign).
PRINT_CHECKED_FIELDS = ("invoice_number", "invoice_date", "due_date", "subtotal", "tax", "total")
# A due date the XML leaves out (BT-9) while its payment terms (BT-20) state one in words
# ("Zahlbar innerhalb 30 Tagen netto bis 04.04.2018"): the page prints that date, so the
# truth for the layout path is unknown and the field is not scored there.
_PAYMENT_TERMS = re.compile(
    rb"<(?:\w+:)?SpecifiedTradePaymentTerms>.*?</(?:\w+:)?SpecifiedTradePaymentTerms>|<(?:\w+:)?PaymentTerms>.*?"
    rb"</(?:\w+:)?PaymentTerms>",
    re.S,
)
SROIE_KEYS = {"company": "vendor_name", "address": "vendor_address", "date": "invoice_date", "total": "total"}


@dataclass(frozen=True)
class RealDocument:
    """One real document: its set, half and name, the expected value of every field the
    set annotates (normalised; None = the document has no such field), how to get its
    pages, which read paths apply, and its e-invoice XML for the `xml` path."""

    set: str
    half: Half
    name: str
    expected: dict[str, str | None]
    load_pages: PageLoader
    paths: tuple[ReadPath, ...] = ("layout",)
    einvoice: Callable[[], FoundEInvoice | None] | None = None
    # Fields whose truth is unknown on the layout path (see _PAYMENT_TERMS).
    unknown: frozenset[str] = frozenset()

    def layout_expected(self) -> dict[str, str | None]:
        """The expected values the layout path is scored on: those of `expected` that the
        pages print, as the service's e-invoice reading locates them (see
        PRINT_CHECKED_FIELDS), less the `unknown` ones; a set without XML keeps them all."""
        found = self.einvoice() if self.einvoice else None
        if found is None:
            return self.expected
        located = extract_einvoice(found.einvoice, self.load_pages(None)).fields
        return {
            name: value
            for name, value in self.expected.items()
            if name not in self.unknown
            and (
                name not in PRINT_CHECKED_FIELDS
                or value is None
                or (located[name] is not None and located[name].page is not None)
            )
        }


def half_of(set_name: str, file_stem: str) -> Half:
    """The fixed half of a file (see the module docstring)."""
    return "tune" if int(hashlib.sha1(f"{set_name}/{file_stem}".encode()).hexdigest(), 16) % 2 == 0 else "report"


# --- normalisation ------------------------------------------------------------------------


def normalize_text(value: str | None) -> str | None:
    """Names and addresses compare upper-cased, white space collapsed, edge punctuation off."""
    if value is None:
        return None
    return re.sub(r"\s+", " ", value.upper()).strip(" .,;:")


def normalize_date(printed: str) -> str | None:
    """ISO day of a printed date, read day-first; the compact and dashed-month forms some
    SROIE keys use are not ones the extractor's date finder reads, so they are tried too."""
    dates = find_dates(printed, day_first=True)
    if dates:
        return dates[0].value.isoformat()
    for pattern in ("%Y%m%d", "%d-%b-%Y"):
        try:
            return dt.datetime.strptime(printed.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return None


def normalize_amount(printed: str) -> str:
    """ "RM 1,007.50" → "1007.50": ground truth here always writes a decimal point."""
    return format_money(Decimal(re.sub(r"[^\d.\-]", "", printed)))


def _compact(value: str) -> str:
    return "".join(value.split())


_NORMALIZERS: dict[str, Callable[[str], str | None]] = {
    "invoice_number": _compact,
    "invoice_date": normalize_date,
    "due_date": normalize_date,
    "currency": lambda value: value.strip().upper(),
    "subtotal": normalize_amount,
    "tax": normalize_amount,
    "total": normalize_amount,
} | dict.fromkeys(TEXT_FIELDS, normalize_text)


def normalize_field(name: str, value: str | None) -> str | None:
    return None if value is None else _NORMALIZERS[name](value)


# --- pages --------------------------------------------------------------------------------


def page_lines(pages: list[DocumentPage], recognize: Recognize | None, start: int = 1) -> list[PageLines]:
    """Decoded pages as extraction reads them, numbered from `start`: text-layer pages as
    they are, image pages through `recognize` (left out when it is None)."""
    result: list[PageLines] = []
    for number, page in enumerate(pages, start=start):
        if isinstance(page, TextPage):
            result.append(PageLines(number, page.width, page.height, page.lines))
        elif recognize is not None:
            read = recognize([page.image])[0]
            result.append(PageLines(number, read.width, read.height, read.lines))
    return result


def _box_lines(path: Path) -> list[OcrLine]:
    """SROIE's `x1,y1,...,y4,text` rows; the text may hold commas, so split 8 times at most."""
    lines = []
    for row in path.read_text(errors="replace").splitlines():
        parts = row.split(",", 8)
        if len(parts) == 9:
            x1, y1, x2, y2, x3, y3, x4, y4 = (int(value) for value in parts[:8])
            lines.append(OcrLine(parts[8], 1.0, ((x1, y1), (x2, y2), (x3, y3), (x4, y4))))
    return lines


def _sroie_pages(folder: Path, stem: str, recognize: Recognize | None) -> list[PageLines]:
    if recognize is None:
        return [PageLines(1, 0, 0, _box_lines(folder / "box" / f"{stem}.csv"))]
    return page_lines(load_pages((folder / "img" / f"{stem}.jpg").read_bytes(), LIMITS), recognize)


def without_attachments(data: bytes) -> bytes:
    """The PDF with every embedded file removed, so only its pages say what it states."""
    document = pdfium.PdfDocument(data)
    try:
        for index in reversed(range(document.count_attachments())):
            document.del_attachment(index)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def _attachments(data: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(data)
    try:
        return [bytes(document.get_attachment(index).get_data()) for index in range(document.count_attachments())]
    finally:
        document.close()


def _due_date_in_terms_only(path: Path, expected: dict[str, str | None]) -> bool:
    """Whether the embedded XML has no due date but its payment terms name a date."""
    if expected.get("due_date") is not None:
        return False
    terms = [match.group() for xml in _attachments(path.read_bytes()) for match in _PAYMENT_TERMS.finditer(xml)]
    return any(find_dates(re.sub(r"<[^>]+>", " ", text.decode("utf-8", "replace"))) for text in terms)


def _pdf_pages(path: Path, recognize: Recognize | None) -> list[PageLines]:
    return page_lines(load_pages(without_attachments(path.read_bytes()), LIMITS), recognize)


def _no_pages(_recognize: Recognize | None) -> list[PageLines]:
    return []


def _einvoice(path: Path) -> FoundEInvoice | None:
    return load_einvoice(path.read_bytes(), EINVOICE_MAX_BYTES)


# --- sets ---------------------------------------------------------------------------------


def sroie_documents(folder: Path, set_name: str) -> list[RealDocument]:
    documents = []
    for key_path in sorted((folder / "key").glob("*.json")):
        key = json.loads(key_path.read_text())
        expected = {name: normalize_field(name, key[printed]) for printed, name in SROIE_KEYS.items()}
        stem = key_path.stem
        documents.append(
            RealDocument(set_name, half_of(set_name, stem), stem, expected, partial(_sroie_pages, folder, stem))
        )
    return documents


def _einvoice_expected(json_path: Path) -> dict[str, str | None]:
    fields = json.loads(json_path.read_text())["fields"]
    return {name: normalize_field(name, fields.get(name)) for name in EINVOICE_FIELDS}


def _einvoice_document(set_name: str, path: Path, load: PageLoader, paths: tuple[ReadPath, ...]) -> RealDocument:
    """A PDF or bare XML whose ground truth is the `.json` beside it."""
    expected = _einvoice_expected(path.with_suffix(".json"))
    return RealDocument(
        set_name, half_of(set_name, path.stem), path.stem, expected, load, paths, partial(_einvoice, path)
    )


def einvoice_pdf_documents(folder: Path, set_name: str) -> list[RealDocument]:
    documents = []
    for pdf in sorted(folder.glob("*.pdf")):
        document = _einvoice_document(set_name, pdf, partial(_pdf_pages, pdf), ("xml", "layout"))
        if _due_date_in_terms_only(pdf, document.expected):
            document = dataclasses.replace(document, unknown=frozenset({"due_date"}))
        documents.append(document)
    return documents


def einvoice_xml_documents(folder: Path, set_name: str) -> list[RealDocument]:
    return [_einvoice_document(set_name, xml, _no_pages, ("xml",)) for xml in sorted(folder.glob("*.xml"))]


# Set name (its folder below shared/data) → what each of its documents must have, loader.
SETS: dict[str, tuple[str, Callable[[Path, str], list[RealDocument]]]] = {
    "sroie-sample": ("key", sroie_documents),
    "sroie-dev": ("key", sroie_documents),
    "einvoice-dev": (".", einvoice_pdf_documents),
    "einvoice-dev/xml": (".", einvoice_xml_documents),
}


def load_sets(root: Path = DATA) -> tuple[list[RealDocument], list[str]]:
    """Every real document, in set order, and a sentence for each set that is absent."""
    documents: list[RealDocument] = []
    skipped: list[str] = []
    for set_name, (inside, loader) in SETS.items():
        folder = root / set_name
        if not (folder / inside).is_dir():
            skipped.append(f"{set_name}: skipped, {folder / inside} is not there")
            continue
        documents.extend(loader(folder, set_name))
    return documents, skipped


def print_halves(documents: list[RealDocument]) -> None:
    for set_name in dict.fromkeys(document.set for document in documents):
        for half in HALVES:
            names = [document.name for document in documents if document.set == set_name and document.half == half]
            print(f"{set_name} {half} ({len(names)}): {' '.join(names)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print every set's tuning and reporting halves")
    args = parser.parse_args()
    documents, skipped = load_sets()
    for reason in skipped:
        print(reason)
    if args.list:
        print_halves(documents)
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
