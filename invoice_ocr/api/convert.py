"""Engine results → wire schemas (the only place that knows both)."""

from __future__ import annotations

from dataclasses import dataclass

from invoice_ocr.api.schemas import OcrResponse, PageResult, TextResult
from invoice_ocr.engine.base import EngineInfo, OcrLine, OcrPage
from invoice_ocr.extraction.layout import in_reading_order, reading_order_text


@dataclass
class RecognizedPage:
    """One page's OCR lines with where they came from."""

    number: int
    ocr: OcrPage
    rotation: int = 0
    source: str = "ocr"


def text_result(line: OcrLine, page: int) -> TextResult:
    return TextResult(
        text=line.text,
        confidence=round(line.confidence, 4),
        bounding_box=[[x, y] for x, y in line.polygon],
        page=page,
    )


def page_result(page: RecognizedPage) -> PageResult:
    ordered = in_reading_order(page.ocr.lines)
    return PageResult(
        page=page.number,
        width=page.ocr.width,
        height=page.ocr.height,
        rotation=page.rotation,
        source=page.source,
        results=[text_result(line, page.number) for line in ordered],
        text=reading_order_text(ordered),
    )


def ocr_response(pages: list[RecognizedPage], info: EngineInfo, elapsed_ms: float) -> OcrResponse:
    page_results = [page_result(page) for page in pages]
    results = [result for page in page_results for result in page.results]
    return OcrResponse(
        device=info.device,
        model=info.model,
        engine=info.engine,
        results=results,
        total_text_regions=len(results),
        text="\n\n".join(page.text for page in page_results),
        width=page_results[0].width if page_results else 0,
        height=page_results[0].height if page_results else 0,
        pages=page_results,
        processing_time_ms=round(elapsed_ms, 1),
    )
