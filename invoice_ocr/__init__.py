"""Invoice OCR service: a FastAPI API around PaddleOCR for invoices, receipts and PDFs."""

__version__ = "1.0.0"
SERVICE_NAME = "PaddleOCR Invoice API"
