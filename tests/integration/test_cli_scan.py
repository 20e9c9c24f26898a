"""`invoice-ocr scan`: walks folders, one record per file, continues past bad files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pypdfium2 as pdfium
import pytest

from invoice_ocr import cli
from invoice_ocr.engine import paddle
from invoice_ocr.output.hocr import XHTML
from tests.conftest import CPU_REPORT, png_bytes
from tests.documents_support import SAMPLE_TEXT_LINES, small_invoice, text_pdf

REPO = Path(__file__).resolve().parents[2]
BROKEN_PDF = b"%PDF-1.7\n" + b"\x00" * 64


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a-invoice.pdf").write_bytes(text_pdf())
    (tmp_path / "b-broken.pdf").write_bytes(BROKEN_PDF)
    (tmp_path / "notes.txt").write_text("not a document")
    (tmp_path / ".hidden.png").write_bytes(png_bytes(small_invoice()))
    (tmp_path / "sub" / "scan-without-extension").write_bytes(png_bytes(small_invoice()))
    return tmp_path


@pytest.fixture
def shared_engine(monkeypatch, ocr_engine):
    """`scan` builds its engine with build_engine(); hand it the session's instead."""
    monkeypatch.setattr(paddle, "build_engine", lambda _settings: (ocr_engine, CPU_REPORT))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.integration
def test_scan_folder_writes_one_record_per_file_and_reports_failures(folder, tmp_path, shared_engine, client, capsys):
    out = tmp_path / "results.jsonl"
    assert cli.main(["scan", str(folder), "--out", str(out), "--quiet"]) == cli.EXIT_FAILED_FILES
    records = read_jsonl(out)
    assert [Path(record["path"]).name for record in records] == [
        "a-invoice.pdf",
        "b-broken.pdf",
        "scan-without-extension",
    ]
    digital, broken, scan = records
    assert digital["success"] is True and digital["pages"][0]["source"] == "pdf-text"
    assert digital["pages"][0]["text"].split("\n") == SAMPLE_TEXT_LINES
    assert broken == {"path": str(folder / "b-broken.pdf"), "success": False, "error": broken["error"]}
    assert broken["error"]["code"] == "corrupt_pdf"
    assert scan["success"] is True and "INV-2024-0042" in scan["pages"][0]["text"]
    # the same page shape as the HTTP API
    response = client.post("/ocr/", files={"file": ("a.pdf", text_pdf(), "application/pdf")})
    assert digital["pages"] == response.json()["pages"]
    summary = capsys.readouterr().err
    assert "scanned 3 files, 2 pages" in summary and "2 ok, 1 failed" in summary
    assert "FAILED" in summary and "b-broken.pdf: corrupt_pdf" in summary


@pytest.mark.integration
def test_csv_and_txt_formats(folder, tmp_path, shared_engine):
    files = [str(folder / "a-invoice.pdf"), str(folder / "b-broken.pdf")]
    csv_out, txt_folder = tmp_path / "out.csv", tmp_path / "texts"
    assert cli.main(["scan", *files, "-f", "csv", "-o", str(csv_out), "-q"]) == cli.EXIT_FAILED_FILES
    rows = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert [row["text"] for row in rows[:-1]] == SAMPLE_TEXT_LINES
    assert {row["source"] for row in rows[:-1]} == {"pdf-text"}
    assert len(json.loads(rows[0]["bounding_box"])) == 4
    assert rows[-1]["error"].startswith("corrupt_pdf: ") and rows[-1]["text"] == ""
    # txt is one file per input, in the --out folder; the broken file writes none.
    assert cli.main(["scan", *files, "-f", "txt", "-o", str(txt_folder), "-q"]) == cli.EXIT_FAILED_FILES
    assert [path.name for path in txt_folder.iterdir()] == ["a-invoice.pdf.ocr.txt"]
    assert (txt_folder / "a-invoice.pdf.ocr.txt").read_text(encoding="utf-8") == "\n".join(SAMPLE_TEXT_LINES)


@pytest.mark.integration
def test_per_file_formats_are_written_beside_each_input(tmp_path, shared_engine):
    image = tmp_path / "scan.png"
    image.write_bytes(png_bytes(small_invoice()))
    for fmt in ("json", "hocr", "pdf"):
        assert cli.main(["scan", str(image), "-f", fmt, "-q"]) == cli.EXIT_OK
    result = json.loads((tmp_path / "scan.png.ocr.json").read_text(encoding="utf-8"))
    first = result["results"][0]
    assert " ".join(word["text"] for word in first["words"]) == first["text"]
    words = ElementTree.fromstring((tmp_path / "scan.png.ocr.hocr").read_bytes()).iter(f"{{{XHTML}}}span")
    assert first["words"][0]["text"] in [word.text for word in words]
    pdf = pdfium.PdfDocument((tmp_path / "scan.png.ocr.pdf").read_bytes())
    assert first["text"] in pdf[0].get_textpage().get_text_range()


def test_two_inputs_that_would_write_one_output_file_are_a_usage_error(tmp_path, capsys):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "scan.png").write_bytes(png_bytes(small_invoice()))
    arguments = ["scan", str(tmp_path / "one"), str(tmp_path / "two"), "-f", "pdf", "-o", str(tmp_path / "out")]
    assert cli.main(arguments) == cli.EXIT_USAGE
    assert "would both write" in capsys.readouterr().err


@pytest.mark.integration
def test_all_good_files_exit_0(folder, tmp_path, shared_engine):
    out = tmp_path / "out.jsonl"
    assert cli.main(["scan", str(folder / "a-invoice.pdf"), "-o", str(out), "-q"]) == cli.EXIT_OK
    assert len(read_jsonl(out)) == 1


@pytest.mark.parametrize("arguments", [["/no/such/file.pdf"], ["{empty}"]], ids=["missing-path", "nothing-to-read"])
def test_usage_errors_exit_2(tmp_path, capsys, arguments):
    (tmp_path / "notes.txt").write_text("not a document")
    paths = [argument.format(empty=tmp_path) for argument in arguments]
    assert cli.main(["scan", *paths]) == cli.EXIT_USAGE
    assert "invoice-ocr scan:" in capsys.readouterr().err


def test_bad_option_exits_2():
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["scan", "x.pdf", "--format", "xml"])
    assert exit_info.value.code == cli.EXIT_USAGE


@pytest.mark.integration
def test_scan_as_a_subprocess(folder):
    environment = {**os.environ, "PYTHONPATH": str(REPO), "OCR_DEVICE": "cpu"}
    completed = subprocess.run(
        [sys.executable, "-m", "invoice_ocr.cli", "scan", str(folder / "a-invoice.pdf"), str(folder / "b-broken.pdf")],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert completed.returncode == cli.EXIT_FAILED_FILES, completed.stderr
    records = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [record["success"] for record in records] == [True, False]
    assert "1 failed" in completed.stderr


@pytest.mark.integration
def test_scan_invoice_adds_the_fields_and_reads_e_invoice_xml(tmp_path, shared_engine):
    (tmp_path / "invoice.pdf").write_bytes((REPO / "samples" / "invoice.pdf").read_bytes())
    (tmp_path / "xrechnung.xml").write_bytes((REPO / "samples" / "xrechnung.xml").read_bytes())
    (tmp_path / "notes.txt").write_text("not a document")
    out = tmp_path / "out.jsonl"
    assert cli.main(["scan", str(tmp_path), "--invoice", "-o", str(out), "-q"]) == cli.EXIT_OK
    pdf, xml = read_jsonl(out)
    assert pdf["invoice"]["fields"]["invoice_number"]["value"] == "INV-2024-0042"
    assert pdf["pages"][0]["source"] == "pdf-text"
    assert xml["path"].endswith("xrechnung.xml") and xml["pages"] == []
    assert xml["invoice"]["einvoice"]["syntax"] == "UBL"
