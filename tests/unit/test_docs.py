"""The documentation states what the code does: the settings table is the generated one."""

from pathlib import Path

import pytest

from invoice_ocr.config import settings_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("document", ["README.md", "DOCUMENTATION.md"])
def test_settings_table_is_current(document):
    text = (ROOT / document).read_text()
    start, end = "<!-- settings-table:start -->\n", "\n<!-- settings-table:end -->"
    table = text.split(start, 1)[1].split(end, 1)[0]
    assert table == settings_table(), f"regenerate {document}'s table with: python -m invoice_ocr.config"


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
