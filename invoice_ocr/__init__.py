"""Invoice OCR service: a FastAPI API around PaddleOCR for invoices, receipts and PDFs."""

__version__ = "1.1.0"
SERVICE_NAME = "PaddleOCR Invoice API"
