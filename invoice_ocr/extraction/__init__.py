"""From OCR lines to structure: reading order, rows, invoice fields. Pure functions."""
