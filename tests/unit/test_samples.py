"""The README's first-contact files: the samples it curls and `test_api.py`, which must
run with the standard library alone (no virtual environment)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.conftest import FakeEngine

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def test_test_api_imports_only_the_standard_library() -> None:
    nodes = list(ast.walk(ast.parse((ROOT / "test_api.py").read_text())))
    modules = {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    modules = {name.split(".")[0] for name in modules}
    assert modules - {"__future__"} <= set(sys.stdlib_module_names), modules - set(sys.stdlib_module_names)


def test_readme_curls_the_shipped_samples() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in ("invoice.png", "invoice.pdf", "xrechnung.xml"):
        assert (SAMPLES / name).is_file()
        assert f"samples/{name}" in readme


def test_sample_pdf_and_e_invoice_give_their_fields(fake_client_factory) -> None:
    client = fake_client_factory(FakeEngine())
    pdf = client.post("/invoice/", files={"file": ("invoice.pdf", (SAMPLES / "invoice.pdf").read_bytes())}).json()
    assert pdf["pages"][0]["source"] == "pdf-text"
    assert pdf["fields"]["invoice_number"]["value"] == "INV-2024-0042"
    assert pdf["fields"]["total"]["normalized"] == "1234.56"
    xml = client.post("/invoice/", files={"file": ("x.xml", (SAMPLES / "xrechnung.xml").read_bytes())}).json()
    assert xml["einvoice"]["syntax"] == "UBL"
    assert xml["fields"]["invoice_number"]["value"] == "RE-2024-0815"
