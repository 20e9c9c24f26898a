"""Pair labels with the text that holds their value: after the label on the same line
("Invoice No:INV-1"), in the next boxes of the same row ("TOTAL  :  RM  39.80"), or in the
first box below that shares the label's columns (a label stacked over its value).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from invoice_ocr.extraction.labels import LabelMatch, is_label, match_label
from invoice_ocr.extraction.table import is_header_row
from invoice_ocr.page import OcrLine

# Rows further below the label than this many label heights do not hold its value.
_MAX_ROWS_BELOW_IN_HEIGHTS = 2.5
# A dash before a digit is a minus sign ("ROUNDING -0.01"), not a separator.
_SEPARATORS = re.compile(r"^(?:[\s:;=#.|)]|[-–](?!\s?\d))*")


@dataclass(frozen=True, slots=True)
class ValueSource:
    """Text that may hold a label's value: a line, or the part of it after the label."""

    text: str
    line: OcrLine
    start: int
    relation: str  # "inline", "right" or "below"


@dataclass(frozen=True, slots=True)
class LabelledValue:
    """A label found on a page, with the candidate sources of its value, nearest first."""

    label: LabelMatch
    line: OcrLine
    page: int
    order: int
    sources: list[ValueSource]


def strip_separators(text: str) -> tuple[str, int]:
    """Text without the leading colons/dashes OCR keeps between label and value, and how
    many characters were dropped."""
    dropped = _SEPARATORS.match(text).end()
    return text[dropped:], dropped


def _inline_source(line: OcrLine, label: LabelMatch) -> ValueSource | None:
    rest, dropped = strip_separators(line.text[label.end :])
    if not rest.strip():
        return None
    return ValueSource(rest, line, label.end + dropped, "inline")


def _right_sources(row: Sequence[OcrLine], index: int) -> list[ValueSource]:
    sources = []
    for line in row[index + 1 :]:
        if is_label(line.text):
            break
        rest, dropped = strip_separators(line.text)
        if rest.strip():
            sources.append(ValueSource(rest, line, dropped, "right"))
    return sources


def _overlaps_horizontally(upper: OcrLine, lower: OcrLine) -> bool:
    slack = upper.height
    return lower.left <= upper.right + slack and lower.right >= upper.left - slack


def _below_source(rows: Sequence[Sequence[OcrLine]], row_index: int, line: OcrLine) -> ValueSource | None:
    limit = line.bottom + _MAX_ROWS_BELOW_IN_HEIGHTS * max(line.height, 1)
    for row in rows[row_index + 1 :]:
        if row[0].top > limit:
            return None
        below = [candidate for candidate in row if _overlaps_horizontally(line, candidate)]
        if below:
            nearest = min(below, key=lambda candidate: abs(candidate.left - line.left))
            if is_label(nearest.text):
                return None
            rest, dropped = strip_separators(nearest.text)
            return ValueSource(rest, nearest, dropped, "below") if rest.strip() else None
    return None


def _label_across_boxes(row: Sequence[OcrLine], index: int) -> tuple[LabelMatch, ValueSource | None] | None:
    """A label that OCR split over two boxes ("TOTAL SALES" + "(EXCLUDING GST)"): the
    longer label read across both, with what follows it in the second box."""
    if index + 1 >= len(row) or is_label(row[index + 1].text):
        return None
    first, second = row[index], row[index + 1]
    joined = match_label(f"{first.text} {second.text}")
    offset = len(first.text) + 1
    if joined is None or joined.end <= offset:
        return None
    rest, dropped = strip_separators(second.text[joined.end - offset :])
    source = ValueSource(rest, second, joined.end - offset + dropped, "inline") if rest.strip() else None
    return joined, source


def find_labelled_values(rows: Sequence[Sequence[OcrLine]], page: int, first_order: int = 0) -> list[LabelledValue]:
    """Every field label on a page (rows from `group_into_rows`) with its value sources.

    `order` numbers labels in reading order across pages, starting at `first_order`.
    """
    found: list[LabelledValue] = []
    for row_index, row in enumerate(rows):
        # Column titles such as "Total HT" or "Betrag" label the column, not one value.
        if is_header_row(row):
            continue
        for index, line in enumerate(row):
            label = match_label(line.text)
            if label is None:
                continue
            across = _label_across_boxes(row, index)
            if across:
                label, inline = across
                sources = ([inline] if inline else []) + _right_sources(row, index + 1)
            else:
                sources = [source for source in [_inline_source(line, label)] if source]
                sources += _right_sources(row, index)
            below = _below_source(rows, row_index, line)
            if below:
                sources.append(below)
            found.append(LabelledValue(label, line, page, first_order + len(found), sources))
    return found
