"""Invoice fields on layouts of other producers, printed by Chromium: a robustness probe.

    python -m bench.layouts [--only NAME ...] [--json out.json]

`bench/layouts/*.html` are 33 invoices, bills and till slips written here in the layouts
of billing platforms, utilities, telecoms, accounting software, web shops, hotels and
shops in fifteen countries (US, UK, IE, DE, CH, NL, IT, PL, PT, ES, FR, BE, IN, AU, CA).
Each file ends in a `<!--TRUTH{...}-->` comment with the fields a reader would write
down (no currency where the page prints no currency mark). Each is printed to PDF by
headless Chromium (`bench/chromium.py`) and read through the PDF text layer and
`extract_invoice`, as the service reads a born-digital PDF.

They were written to find layout habits the extractor missed (every cause found is
fixed in general, with a hand-placed test in `tests/unit/test_extraction_bills.py`), so
the extractor has been tuned on all of them: the figure says the habits stay handled,
not how well unseen invoices are read. The real sets in `bench/fields.py` are that
figure. Some truths are judgement calls (a letterhead's brand or the footer's legal
name); the table shows what was written down. Needs `/usr/bin/chromium` (Debian:
chromium, fonts-dejavu-core).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from bench.chromium import chromium_pdf
from bench.real_sets import LIMITS, page_lines
from invoice_ocr.documents.loader import load_pages
from invoice_ocr.extraction.invoice import extract_invoice
from invoice_ocr.extraction.results import FIELD_NAMES

LAYOUTS = Path(__file__).resolve().parent / "layouts"
_TRUTH = re.compile(r"<!--TRUTH(.*?)-->", re.DOTALL)


def truth_of(html: str) -> dict[str, str]:
    """The fields a layout's TRUTH comment states (normalised as the API gives them)."""
    match = _TRUTH.search(html)
    if match is None:
        raise ValueError("the layout has no TRUTH comment")
    return json.loads(match.group(1))


def read_layout(path: Path) -> dict[str, tuple[str, str | None]]:
    """Each stated field of one layout: (expected, as read)."""
    html = path.read_text(encoding="utf-8")
    extraction = extract_invoice(page_lines(load_pages(chromium_pdf(html), LIMITS), None))
    read = {}
    for name, expected in truth_of(html).items():
        value = extraction.fields[name]
        read[name] = (expected, None if value is None else value.normalized or value.value)
    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="layout file stems to read (default: all)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    paths = sorted(LAYOUTS.glob("*.html"))
    if args.only:
        paths = [path for path in paths if path.stem in args.only]
    right, stated = Counter[str](), Counter[str]()
    results = {}
    print("| layout | fields right | misses (expected → read) |\n|---|---|---|")
    for path in paths:
        read = read_layout(path)
        results[path.stem] = read
        misses = [f"{name}: {want!r} → {got!r}" for name, (want, got) in read.items() if want != got]
        for name, (want, got) in read.items():
            stated[name] += 1
            right[name] += want == got
        print(f"| {path.stem} | {len(read) - len(misses)}/{len(read)} | {'; '.join(misses)} |")
    print("\n| field | right | stated |\n|---|---|---|")
    for name in FIELD_NAMES:
        if stated[name]:
            print(f"| {name} | {right[name]} | {stated[name]} |")
    print(f"| all | {sum(right.values())} | {sum(stated.values())} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
