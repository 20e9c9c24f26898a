"""Entry point for `uvicorn app:app` (seed compatibility): the app, configured from OCR_* variables."""

from invoice_ocr.api.app import create_app

app = create_app()
