"""`invoice-ocr` command line: `serve` runs the API; `scan` reads files in-process.

`scan` uses the API's own document → pages → OCR path (`invoice_ocr.pipeline`) and
its page schema, so a JSONL record's `pages` match `POST /ocr/`'s `pages`. Formats:
`jsonl` (default) and `csv` write one stream (standard output or `--out FILE`) of records
for all files; `json`, `txt`, `hocr` and `pdf` write one file per input, as `POST /ocr/`
answers with that `format` (`json` with `words=true`), named `<input name>.ocr.<format>`
next to the input or in the folder `--out DIR`. Exit status: 0 every file read, 1 some
file failed, 2 usage error (bad option, missing path, no supported file found, two inputs
that would write the same output file).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from invoice_ocr.api.convert import invoice_response, ocr_response, page_result
from invoice_ocr.api.schemas import ErrorDetail, PageResult
from invoice_ocr.config import get_settings
from invoice_ocr.documents import DocumentError
from invoice_ocr.documents.loader import SUPPORTED_TYPES, SUPPORTED_TYPES_TEXT
from invoice_ocr.documents.sniff import sniff_type
from invoice_ocr.output import FORMATS, render
from invoice_ocr.page import OcrPage
from invoice_ocr.pipeline import PipelineOptions, RecognizedPage, read_invoice, recognize_document

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE = 0, 1, 2
SCAN_EXTENSIONS = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif"})
CSV_COLUMNS = ("path", "page", "source", "rotation", "text", "confidence", "bounding_box", "error")


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "invoice_ocr.api.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level=settings.log_level.lower(),
        # uvicorn would believe X-Forwarded-For from 127.0.0.1; the app applies OCR_TRUSTED_PROXIES instead.
        proxy_headers=False,
        # Our JSON access log (invoice_ocr.access) has every field uvicorn's would print.
        access_log=False,
    )
    return EXIT_OK


# --- scan: which files -------------------------------------------------------------


class UsageError(Exception):
    """A command-line mistake: reported in one line, exit status 2."""


def _looks_supported(path: Path, invoice: bool) -> bool:
    """A folder entry worth reading: a known extension, or content we can decode (with
    `--invoice`, e-invoice XML too)."""
    if path.suffix.lower() in SCAN_EXTENSIONS or (invoice and path.suffix.lower() == ".xml"):
        return True
    try:
        with path.open("rb") as handle:
            kind = sniff_type(handle.read(1024))
    except OSError:
        return False
    return kind in SUPPORTED_TYPES or (invoice and kind == "xml")


def _folder_files(folder: Path, invoice: bool) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden and _looks_supported(path, invoice):
            yield path


def collect_files(arguments: list[str], invoice: bool = False) -> list[Path]:
    """Files named on the command line (read whatever their name) and the supported
    files under named folders, recursively, each once, in order."""
    found: dict[Path, None] = {}
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found.update(dict.fromkeys(_folder_files(path, invoice)))
        elif path.is_file():
            found[path] = None
        else:
            raise UsageError(f"no such file or folder: {argument}")
    return list(found)


# --- scan: one file ------------------------------------------------------------------


@dataclass
class ScanRecord:
    """The outcome of one file: its pages (as the API returns them) or its error."""

    path: str
    pages: list[PageResult] | None = None
    error: ErrorDetail | None = None
    invoice: dict[str, Any] | None = None  # with --invoice: fields, line items, checks, einvoice
    recognized: list[RecognizedPage] | None = None  # the pipeline's pages, for the per-file formats

    @property
    def success(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"path": self.path, "success": self.success}
        if self.success:
            if self.invoice is not None:
                record["invoice"] = self.invoice
            record["pages"] = [page.model_dump() for page in self.pages or []]
        else:
            record["error"] = self.error.model_dump() if self.error else None
        return record


class Scanner:
    """The engine, built once, and the pipeline options every file is read with."""

    def __init__(self, force_ocr: bool, invoice: bool = False) -> None:
        from invoice_ocr.engine.paddle import build_engine  # loads PaddleOCR: only when scanning

        settings = get_settings()
        self.engine, _ = build_engine(settings)
        self.options = PipelineOptions.from_settings(settings, force_ocr=force_ocr)
        self.invoice = invoice

    async def _ocr(self, images: list[np.ndarray]) -> list[OcrPage]:
        return await asyncio.to_thread(self.engine.recognize, images)

    def scan(self, path: Path) -> ScanRecord:
        try:
            data = path.read_bytes()
            if self.invoice:
                return self._scan_invoice(path, data)
            pages = asyncio.run(recognize_document(data, self.options, self._ocr))
        except DocumentError as error:
            return ScanRecord(str(path), error=ErrorDetail(code=error.code, message=str(error)))
        except OSError as error:
            return ScanRecord(str(path), error=ErrorDetail(code="unreadable_file", message=str(error)))
        except Exception as error:  # one file tripping a bug must not end the whole scan
            return ScanRecord(str(path), error=ErrorDetail(code="internal_error", message=repr(error)))
        return ScanRecord(str(path), pages=[page_result(page) for page in pages], recognized=pages)

    def _scan_invoice(self, path: Path, data: bytes) -> ScanRecord:
        """The record `POST /invoice/` gives: fields, line items, checks and the e-invoice
        read, beside the pages."""
        read = asyncio.run(read_invoice(data, self.options, self._ocr))
        response = invoice_response(read, self.engine.info, 0.0)
        invoice = response.model_dump(include={"fields", "line_items", "checks", "einvoice"})
        return ScanRecord(str(path), pages=response.pages, invoice=invoice)


# --- scan: output --------------------------------------------------------------------

RecordWriter = Callable[[ScanRecord], None]


def _jsonl_writer(out: TextIO) -> RecordWriter:
    def write(record: ScanRecord) -> None:
        out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")

    return write


def _csv_writer(out: TextIO) -> RecordWriter:
    """One row per text line; a failed file gets one row with its error."""
    rows = csv.writer(out)
    rows.writerow(CSV_COLUMNS)

    def write(record: ScanRecord) -> None:
        if record.error is not None:
            rows.writerow([record.path, "", "", "", "", "", "", f"{record.error.code}: {record.error.message}"])
            return
        for page in record.pages or []:
            for line in page.results:
                box = json.dumps(line.bounding_box)
                rows.writerow([record.path, page.page, page.source, page.rotation, line.text, line.confidence, box, ""])

    return write


STREAM_WRITERS: dict[str, Callable[[TextIO], RecordWriter]] = {"jsonl": _jsonl_writer, "csv": _csv_writer}
FILE_FORMATS = ("json", *FORMATS)


def output_paths(files: list[Path], fmt: str, folder: Path | None) -> dict[Path, Path]:
    """Where each input's output goes: `<name>.ocr.<format>` in `folder`, or beside the
    input; two inputs that would write the same file are a usage error."""
    extension = "json" if fmt == "json" else FORMATS[fmt].extension
    targets = {path: (folder or path.parent) / f"{path.name}.ocr.{extension}" for path in files}
    seen: dict[Path, Path] = {}
    for path, target in targets.items():
        if target in seen:
            raise UsageError(f"{seen[target]} and {path} would both write {target}: scan them separately")
        seen[target] = path
    return targets


def _file_writer(scanner: Scanner, targets: dict[Path, Path], fmt: str) -> RecordWriter:
    """Each file read well gets its own output file; one that cannot be written is a
    failed file (`output_failed`), the scan goes on."""

    def write(record: ScanRecord) -> None:
        if record.recognized is None:
            return
        source = Path(record.path)
        try:
            if fmt == "json":
                body = ocr_response(record.recognized, scanner.engine.info, 0.0, words=True).model_dump_json(indent=2)
                data = body.encode("utf-8")
            else:
                data = render(source.read_bytes(), record.recognized, fmt).body
            targets[source].parent.mkdir(parents=True, exist_ok=True)
            targets[source].write_bytes(data)
        except Exception as error:  # one file's output must not end the whole scan
            record.error = ErrorDetail(code="output_failed", message=repr(error))

    return write


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    # The bar goes to stderr, so results piped from stdout stay clean.
    return tqdm(total=total, unit="file", disable=quiet or not sys.stderr.isatty(), file=sys.stderr)


def _report(records: list[ScanRecord], pages: int, seconds: float) -> None:
    failed = [record for record in records if not record.success]
    print(
        f"scanned {len(records)} files, {pages} pages in {seconds:.1f} s: "
        f"{len(records) - len(failed)} ok, {len(failed)} failed",
        file=sys.stderr,
    )
    for record in failed:
        print(f"  FAILED {record.path}: {record.error.code}: {record.error.message}", file=sys.stderr)


def _run_scan(files: list[Path], args: argparse.Namespace, writer: Callable[[Scanner], RecordWriter]) -> int:
    scanner = Scanner(force_ocr=args.force_ocr, invoice=args.invoice)
    write = writer(scanner)
    records: list[ScanRecord] = []
    pages = failed = 0
    started = time.perf_counter()
    with _progress(len(files), args.quiet) as bar:
        for path in files:
            record = scanner.scan(path)
            write(record)
            records.append(record)
            pages += len(record.pages or [])
            failed += not record.success
            bar.set_postfix(pages=pages, failed=failed)
            bar.update(1)
    _report(records, pages, time.perf_counter() - started)
    return EXIT_OK if all(record.success for record in records) else EXIT_FAILED_FILES


def _file_targets(files: list[Path], args: argparse.Namespace) -> dict[Path, Path]:
    if args.invoice:
        raise UsageError("--invoice adds the fields to jsonl or csv records, not to per-file formats")
    if args.out == "-":
        raise UsageError(f"--format {args.format} writes one file per input: --out names a folder")
    return output_paths(files, args.format, Path(args.out) if args.out else None)


def scan(args: argparse.Namespace) -> int:
    try:
        files = collect_files(args.paths, invoice=args.invoice)
        if not files:
            raise UsageError(f"no supported files found ({SUPPORTED_TYPES_TEXT})")
        targets = _file_targets(files, args) if args.format in FILE_FORMATS else None
    except UsageError as error:
        print(f"invoice-ocr scan: {error}", file=sys.stderr)
        return EXIT_USAGE
    if targets is not None:
        return _run_scan(files, args, lambda scanner: _file_writer(scanner, targets, args.format))
    stream = STREAM_WRITERS[args.format]
    if args.out in (None, "-"):
        return _run_scan(files, args, lambda _: stream(sys.stdout))
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        return _run_scan(files, args, lambda _: stream(out))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="invoice-ocr", description="Invoice OCR service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="serve the HTTP API (settings from OCR_* variables)")
    serve_parser.add_argument("--host", help="bind address (default: OCR_HOST or 0.0.0.0)")
    serve_parser.add_argument("--port", type=int, help="port (default: OCR_PORT, PORT or 8080)")
    serve_parser.set_defaults(handler=serve)
    scan_parser = commands.add_parser(
        "scan",
        help="read files and folders in-process, one record per file (settings from OCR_* variables)",
        description="Exit status: 0 all files read, 1 some file failed, 2 usage error.",
    )
    scan_parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders to walk recursively")
    scan_parser.add_argument(
        "--out",
        "-o",
        help="jsonl, csv: output file (default: standard output); json, txt, hocr, pdf: folder for the "
        "per-file outputs (default: beside each input)",
    )
    scan_parser.add_argument(
        "--format",
        "-f",
        choices=[*STREAM_WRITERS, *FILE_FORMATS],
        default="jsonl",
        help="jsonl (default) or csv: one stream of records; json, txt, hocr or pdf: one <input>.ocr.<format> "
        "file per input, as POST /ocr/?format= gives it",
    )
    scan_parser.add_argument("--force-ocr", action="store_true", help="OCR PDF pages even if they have a text layer")
    scan_parser.add_argument(
        "--invoice", action="store_true", help="also extract invoice fields (as POST /invoice/; e-invoice XML too)"
    )
    scan_parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    scan_parser.set_defaults(handler=scan)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
