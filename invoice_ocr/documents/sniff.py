"""Decide a document's type from its first bytes, never from its name or client header."""

from __future__ import annotations

from invoice_ocr.documents.einvoice import looks_like_xml

# (type, offset, magic bytes); WebP is RIFF....WEBP and checked separately.
_SIGNATURES: tuple[tuple[str, int, bytes], ...] = (
    ("jpeg", 0, b"\xff\xd8\xff"),
    ("png", 0, b"\x89PNG\r\n\x1a\n"),
    ("bmp", 0, b"BM"),
    ("tiff", 0, b"II*\x00"),
    ("tiff", 0, b"MM\x00*"),
    ("pdf", 0, b"%PDF-"),
    ("gif", 0, b"GIF87a"),
    ("gif", 0, b"GIF89a"),
)


def sniff_type(data: bytes) -> str | None:
    """`jpeg`, `png`, `bmp`, `tiff`, `webp`, `pdf`, `gif`, `xml`, or None when unknown."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    # PDF writers may put junk before the header; readers accept it within 1 KiB.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for kind, offset, magic in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return kind
    return "xml" if looks_like_xml(data) else None
