"""Pair labels with the text that holds their value: after the label on the same line
("Invoice No:INV-1"), in the next boxes of the same row ("TOTAL  :  RM  39.80"), or in the
first box below that shares the label's columns (a label stacked over its value). A line
OCR joined from one row's boxes may hold a second "key: value" pair after the first.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from invoice_ocr.extraction.amounts import find_amounts
from invoice_ocr.extraction.currency import is_money_alone
from invoice_ocr.extraction.dates import find_dates
from invoice_ocr.extraction.labels import (
    CUSTOMER_NAME,
    DUE_DATE,
    INVOICE_DATE,
    INVOICE_NUMBER,
    LEGAL_FORM,
    SHIP_TO,
    VENDOR_NAME,
    LabelMatch,
    fold,
    is_label,
    match_label,
)
from invoice_ocr.extraction.table import is_header_row
from invoice_ocr.page import OcrLine, lines_polygon

# Rows further below the label than this many label heights do not hold its value.
_MAX_ROWS_BELOW_IN_HEIGHTS = 2.5
# A summary table under a label has a row per tax rate and a sum row: a few cells. The cap
# keeps every label's walk down its column short on a page of thousands of rows.
_MAX_COLUMN_CELLS = 12
# Each summed amount of a summary-table column may be rounded by a cent.
_COLUMN_SUM_TOLERANCE = Decimal("0.011")
# A party heading ("Verkäufer:", "Bill to") heads a block of up to this many lines, each
# within this many line heights of the one above: the name may follow a customer number.
_MAX_PARTY_BLOCK_LINES = 6
_MAX_PARTY_BLOCK_GAP_IN_HEIGHTS = 1.5
# A heading may stand a blank line above its block ("Käufer:", blank, "Liselotte Müller").
_MAX_HEADING_GAP_IN_HEIGHTS = 3.0
# A box further right than this from a party heading is another column ("Käufer" …
# "WARENRECHNUNG" … "Seite 1"), not the party's name.
_MAX_PARTY_RIGHT_GAP_IN_HEIGHTS = 6.0
# A name's lines before its address's first line with a digit ("Ltd", then the street).
_MAX_ADDRESS_ROWS_UNDER_A_NAME = 3
# ... unless the label keys a row of a grid this many rows deep.
_MIN_GRID_ROWS = 2
_PARTY_FIELDS = frozenset({VENDOR_NAME, CUSTOMER_NAME, SHIP_TO})
_DATE_FIELDS = frozenset({INVOICE_DATE, DUE_DATE})
# A validity period on the row of a date label: a permit's or a quote's dates ("Date
# Issued: 01-15-2024  Valid Until: 01-14-2029" under a Philippine invoice's printer
# accreditation), not the document's. On folded text.
_VALIDITY = re.compile(
    r"(?<![a-z])(?:valid\s*(?:until|till|thru|through)|expiry\s*date|expires\s*on|gultig\s*bis|valable\s*jusqu)"
)
# "Key: value" inside a party block: a sub-label ("Nummer: 549910", "USt-IdNr.: DE1…") is
# not the name, except when the key says it is the name.
_KEY_VALUE = re.compile(r"^\s*([^:]{1,40}?)\s*:\s*(.*)$")
_NAME_KEYS = re.compile(
    r"^(?:name|firma|firmenname|company(?:\s*name)?|raison\s*sociale|nom|naam|nome|nazwa|nombre"
    r"|razon\s*social|ragione\s*sociale|denominazione|navn|namn"
    # The Brazilian "Nome/Razão Social", the Romanian, Turkish, Estonian and Baltic name keys.
    r"|nome\s*/\s*razao\s*social|razao\s*social|denumire|unvani?|nimi|nosaukums|pavadinimas)$"
)
# A word after white space may start a second "key: value" pair of the line: OCR joins
# the boxes of one row ("RECEIPT #: CS00251915 DATE: 29/10/2017").
_WORD_START = re.compile(r"(?<=\s)[^\W\d_]")
_KEY_END = re.compile(r"\s*:")
# The heading of a payment advice (remittance) slip cut off the bill's foot, and the
# "To:" in it, which names the payee.
_REMITTANCE = re.compile(r"\W*(?:payment|remittance)\s*(?:advice|slip)|\W*zahlungsavis|\W*avis\s*de\s*paiement")
_TO = re.compile(r"\W*to\s*:")
# A value cell wraps after a hyphen or a slash inside a word, or after a comma, onto a
# line flush under it (at most this far off, in line heights) and a line spacing below.
_WRAP_BREAK = re.compile(r"(?:\w[-/]|\w,)\s*$")
# A date cell wraps before its year ("November 2," over "2026"); OCR may read that comma
# as a full stop or lose it.
_MONTH_DAY_END = re.compile(r"[^\W\d_]{3,}\.?\s+\d{1,2}[.,]?\s*$")
_YEAR_ALONE = re.compile(r"(?:19|20)\d{2}\s*$")
_MAX_WRAP_INDENT_IN_HEIGHTS, _MAX_WRAP_GAP_IN_HEIGHTS = 0.5, 0.6
# A value set level with a two-line label's middle overlaps its first line by this share of it.
_MIN_WRAPPED_LABEL_OVERLAP = 0.25
# A dash before a digit, or glued to the currency symbol before one, is a minus sign
# ("ROUNDING -0.01", a credit note's "-€80.00"), not a separator.
_SEPARATORS = re.compile(r"^(?:[\s:;=#.|)]|[-–](?!\s?\d|[€$£¥₹]\s?\d))*")


@dataclass(frozen=True, slots=True)
class ValueSource:
    """Text that may hold a label's value: a line, or the part of it after the label."""

    text: str
    line: OcrLine
    start: int
    relation: str  # "inline", "right", "below" or "block" (further down a party heading's block)


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


def _inline_source(line: OcrLine, label: LabelMatch, stop: int | None = None) -> ValueSource | None:
    rest, dropped = strip_separators(line.text[label.end : stop])
    if not rest.strip():
        return None
    return ValueSource(rest, line, label.end + dropped, "inline")


def _right_sources(row: Sequence[OcrLine], index: int, max_gap: float | None = None) -> list[ValueSource]:
    """The boxes right of the label's, up to the next label (and, given `max_gap` in line
    heights, up to a wider gap)."""
    sources = []
    previous = row[index]
    for line in row[index + 1 :]:
        if is_label(line.text):
            break
        if max_gap is not None and line.left - previous.right > max_gap * max(previous.height, 1):
            break
        previous = line
        rest, dropped = strip_separators(line.text)
        if rest.strip():
            sources.append(ValueSource(rest, line, dropped, "right"))
    return sources


def _flush_left(upper: OcrLine, lower: OcrLine) -> bool:
    """Whether a line starts where the one above it does: the same cell's next line."""
    return abs(lower.left - upper.left) <= _MAX_WRAP_INDENT_IN_HEIGHTS * max(upper.height, 1)


def _wrapped_continuation(rows: Sequence[Sequence[OcrLine]], row_index: int, value: OcrLine) -> OcrLine | None:
    """The line a narrow cell wrapped its value onto: flush under it, a line spacing
    below, when the value stops at a break a layout engine wraps at (after a hyphen, a
    slash or a comma: "EUINGB26-" over "1839204"), a date before its year, or a name
    before its legal form ("Kaveri Infotech Solutions Pvt." over "Ltd.")."""
    wraps = _WRAP_BREAK.search(value.text) and any(char.isalpha() for char in value.text)
    wraps_before_year = _MONTH_DAY_END.search(value.text)
    named = re.search(r"[^\W\d_]{3}", value.text) and not LEGAL_FORM.search(fold(value.text))
    if not wraps and not wraps_before_year and not named:
        return None
    for row in rows[row_index + 1 : row_index + 3]:
        for line in row:
            flush = _flush_left(value, line)
            close = -value.height / 2 <= line.top - value.bottom <= _MAX_WRAP_GAP_IN_HEIGHTS * max(value.height, 1)
            fits = (
                wraps
                or (wraps_before_year and _YEAR_ALONE.match(line.text))
                or (named and LEGAL_FORM.fullmatch(fold(line.text).strip()))
            )
            if flush and close and fits and line.text[:1].isalnum() and not is_label(line.text):
                return line
    return None


def _heads_a_column(rows: Sequence[Sequence[OcrLine]], row_index: int, line: OcrLine) -> bool:
    """Whether a box is the title of a column of labels: the box flush under it, a line
    spacing below, is a label or a key with its value ("Bill to   Details" over "…
    Invoice number", "… PO number: NB-2025-044")."""
    for row in rows[row_index + 1 : row_index + 3]:
        for below in row:
            flush = abs(below.left - line.left) <= max(line.height, 1)
            close = below.top - line.bottom <= _MAX_PARTY_BLOCK_GAP_IN_HEIGHTS * max(line.height, 1)
            if flush and close:
                return is_label(below.text) or _KEY_WITH_VALUE.match(below.text) is not None
    return False


_KEY_WITH_VALUE = re.compile(r"[^\W\d_][^:]{0,30}:\s+\S")


def _in_a_key_grid(rows: Sequence[Sequence[OcrLine]], row_index: int, label: OcrLine, value: OcrLine) -> bool:
    """Whether a label and the box right of it are a row of a key-value grid: in each of
    the `_MIN_GRID_ROWS` rows under them a key is printed flush under the label, a line
    spacing below, and a value flush under the box ("Intestatario  Giulia Ferraresi" over
    "Codice fiscale  FRRGLI85M52F205X"), rows wholly left of the grid aside. A value is no
    key: no label, no closing colon."""

    def is_value(line: OcrLine) -> bool:
        return not is_label(line.text) and not line.text.rstrip().endswith(":")

    # Rows of a column beside the grid (a remittance slip's "To:" block) come between.
    in_the_grid = (row for row in rows[row_index + 1 :] if any(line.right > label.left for line in row))
    under = list(itertools.islice(in_the_grid, _MIN_GRID_ROWS))
    if len(under) < _MIN_GRID_ROWS or not is_value(value):
        return False
    previous = label
    for row in under:
        key = next((line for line in row if abs(line.left - label.left) <= max(label.height, 1)), None)
        if key is None or key.top - previous.bottom > _MAX_PARTY_BLOCK_GAP_IN_HEIGHTS * max(previous.height, 1):
            return False
        beside = [line for line in row if line is not key and abs(line.left - value.left) <= max(value.height, 1)]
        if not beside or not is_value(beside[0]):
            return False
        previous = key
    return True


def _key_grid_value(rows: Sequence[Sequence[OcrLine]], row_index: int, index: int) -> list[ValueSource]:
    """The value cell of a party label that keys a row of a key-value grid (not the
    columns past it), however far right the grid's value column lies."""
    row = rows[row_index]
    if index + 1 < len(row) and _in_a_key_grid(rows, row_index, row[index], row[index + 1]):
        return _right_sources(row, index)[:1]
    return []


def _far_name_over_address(rows: Sequence[Sequence[OcrLine]], row_index: int, index: int) -> list[ValueSource]:
    """The value of a party label whose name cell lies past the usual gap ("Invoice to"
    … "Harrow Lane Consulting" over "Ltd", "3rd Floor, 18 Bride Lane"): the next box, when
    the lines flush under it, up to the first with a digit, are no labels."""
    row = rows[row_index]
    if index + 1 >= len(row) or is_label(row[index + 1].text):
        return []
    value = row[index + 1]
    for lower in rows[row_index + 1 : row_index + 1 + _MAX_ADDRESS_ROWS_UNDER_A_NAME]:
        under = next((line for line in lower if _flush_left(value, line)), None)
        if under is None or is_label(under.text) or under.text.rstrip().endswith(":"):
            return []
        if re.search(r"\d", under.text):
            return _right_sources(row, index)[:1]
    return []


def _with_continuation(rows: Sequence[Sequence[OcrLine]], row_index: int, source: ValueSource) -> ValueSource:
    """A value box joined with the line its cell wrapped onto, if any."""
    lower = _wrapped_continuation(rows, row_index, source.line)
    if lower is None:
        return source
    joiner = "" if source.line.text.rstrip().endswith(("-", "/")) else " "
    text = source.line.text.rstrip() + joiner + lower.text
    joined = OcrLine(text, min(source.line.confidence, lower.confidence), lines_polygon([source.line, lower]))
    return ValueSource(text[source.start :], joined, source.start, source.relation)


def overlaps_horizontally(upper: OcrLine, lower: OcrLine) -> bool:
    slack = upper.height
    return lower.left <= upper.right + slack and lower.right >= upper.left - slack


def _column_below(rows: Sequence[Sequence[OcrLine]], row_index: int, line: OcrLine) -> list[OcrLine]:
    """The boxes stacked under a label in its column, nearest first: each within a few
    line heights of the one above, up to a label, a gap or `_MAX_COLUMN_CELLS`."""
    column: list[OcrLine] = []
    previous = line
    for row in rows[row_index + 1 :]:
        if row[0].top > previous.bottom + _MAX_ROWS_BELOW_IN_HEIGHTS * max(previous.height, 1):
            break
        below = [candidate for candidate in row if overlaps_horizontally(line, candidate)]
        if not below:
            continue
        nearest = min(below, key=lambda candidate: abs(candidate.left - line.left))
        if is_label(nearest.text):
            break
        column.append(nearest)
        previous = nearest
        if len(column) == _MAX_COLUMN_CELLS:
            break
    return column


def _wrapped_label(
    rows: Sequence[Sequence[OcrLine]], row_index: int, index: int
) -> tuple[LabelMatch, OcrLine, ValueSource] | None:
    """A date or number label its narrow cell wrapped onto the line flush under it ("Data"
    over "scadenței:", the Romanian due date), with its value: beside one of its two lines,
    not both (two stacked labels with a value each are two pairs)."""
    line = rows[row_index][index]
    if row_index + 1 == len(rows):
        return None
    lower_row = rows[row_index + 1]
    lower_index = next(
        (
            position
            for position, candidate in enumerate(lower_row)
            if _flush_left(line, candidate)
            and candidate.top - line.bottom <= _MAX_WRAP_GAP_IN_HEIGHTS * max(line.height, 1)
        ),
        None,
    )
    if lower_index is None:
        return None
    lower = lower_row[lower_index]
    joined = match_label(f"{line.text} {lower.text}")
    whole = len(line.text) + 1 + len(lower.text.rstrip(" :"))
    if joined is None or joined.end < whole or not joined.fields.keys() <= _DATE_FIELDS | {INVOICE_NUMBER}:
        return None
    values = _right_sources(rows[row_index], index)[:1] + _right_sources(lower_row, lower_index)[:1]
    return (joined, lower, values[0]) if len(values) == 1 else None


def _beside_a_wrapped_label(rows: Sequence[Sequence[OcrLine]], row_index: int, label: OcrLine) -> list[ValueSource]:
    """The value set level with the middle of a label its cell wrapped onto two lines
    ("Total de plată" over "(col. 5 + col. 6)", "7.589,82 lei" beside both): the first box
    right of the label in the next row that starts well before the label's line ends,
    with the label's second line (words, not a value nor another label) the next line
    flush under the label, lower than the value's middle."""
    if row_index + 1 == len(rows):
        return []
    level = label.bottom - _MIN_WRAPPED_LABEL_OVERLAP * label.height
    beside = [line for line in rows[row_index + 1] if line.left > label.right and line.top <= level]
    if not beside or is_label(beside[0].text):
        return []
    value = beside[0]
    under = [line for row in rows[row_index + 1 : row_index + 3] for line in row if _flush_left(label, line)]
    second = under[0] if under else None
    if second is None or second.center_y <= value.center_y or is_label(second.text):
        return []
    if not re.search(r"[^\W\d_]{2}", second.text):
        return []
    rest, dropped = strip_separators(value.text)
    return [ValueSource(rest, value, dropped, "right")] if rest.strip() else []


def _label_with_the_colon_beside(row: Sequence[OcrLine], index: int) -> LabelMatch | None:
    """A key whose colon a till slip prints in the value's column ("No." | ": CS 17/00881"):
    read as the key with its colon, as keys that need one to be a label ("No.:")."""
    if index + 1 == len(row) or not row[index + 1].text.lstrip().startswith(":"):
        return None
    text = row[index].text.rstrip()
    label = match_label(f"{text}:")
    return LabelMatch(label.fields, min(label.end, len(text))) if label else None


def _valued_beside(row: Sequence[OcrLine], index: int) -> bool:
    """Whether the box right of a line in a table header's row is an amount: a totals
    box's row level with the header ("VAT rate | Net amount | … | Total (excl. VAT) |
    £85.33"), whose label is a pair, not a column title."""
    return index + 1 < len(row) and is_money_alone(row[index + 1].text)


def _dates_per_row(rows: Sequence[Sequence[OcrLine]], row_index: int, title: OcrLine) -> bool:
    """Whether a date title's column holds a date in more than one row: the items' dates
    ("DATE | ACTIVITY | … " over a date per item), not the document's."""
    return sum(bool(find_dates(cell.text)) for cell in _column_below(rows, row_index, title)) > 1


def _single_amount(line: OcrLine) -> Decimal | None:
    amounts = find_amounts(line.text, require_decimals=True)
    return amounts[0].value if len(amounts) == 1 else None


def _column_total(column: Sequence[OcrLine]) -> OcrLine | None:
    """The last of the amounts that open a column when it is the sum of the ones above
    it: the total row of a summary table with a row per tax rate ("Nettobetrag" over
    321,40 / 127,59 / 448,99)."""
    amounts = list(itertools.takewhile(lambda amount: amount is not None, map(_single_amount, column)))
    parts = len(amounts) - 1
    if parts < 2 or abs(sum(amounts[:-1]) - amounts[-1]) > _COLUMN_SUM_TOLERANCE * parts:
        return None
    return column[parts]


def _heads_a_column_of_rows(column: Sequence[OcrLine]) -> bool:
    """Whether the boxes under a label open with two amounts or more that are not nought:
    a column of a table with a row per rate or item ("BTW" over 355,20 / 208,74), whose
    first row is not the label's value."""
    amounts = list(itertools.takewhile(lambda amount: amount is not None, map(_single_amount, column)))
    return sum(1 for amount in amounts if amount) >= 2


def _below_source(rows: Sequence[Sequence[OcrLine]], row_index: int, line: OcrLine) -> ValueSource | None:
    """The value stacked under a label: the nearest box below it, or, when the column
    below ends in the sum of the amounts above it, that sum; none when the label heads a
    column of rows without their sum."""
    column = _column_below(rows, row_index, line)
    if not column:
        return None
    total = _column_total(column)
    if total is None and _heads_a_column_of_rows(column):
        return None
    chosen = total or column[0]
    rest, dropped = strip_separators(chosen.text)
    return ValueSource(rest, chosen, dropped, "below") if rest.strip() else None


def named_by_its_key(text: str) -> str | None:
    """The name a "Name: …" line gives ("Razón Social: Sistemas Delta Sur S.R.L."), else None."""
    key_value = _KEY_VALUE.match(text)
    if key_value and _NAME_KEYS.match(fold(key_value.group(1))) and key_value.group(2).strip():
        return key_value.group(2).strip()
    return None


def _block_value(row: Sequence[OcrLine], index: int) -> ValueSource | None:
    """What a line of a party block offers as the party's name: the line, the value of a
    "Name: …" sub-label (or the cell after a bare "Name:"), or nothing for another
    sub-label or a line its row continues with a colon ("Nummer" + ": 549910")."""
    line = row[index]
    following = row[index + 1].text.lstrip() if index + 1 < len(row) else ""
    key_value = _KEY_VALUE.match(line.text)
    if key_value:
        key, value = key_value.groups()
        if not _NAME_KEYS.match(fold(key)):
            return None
        if value.strip():
            return ValueSource(value, line, key_value.start(2), "block")
        # A key-value grid prints the name in the next cell ("Nombre:" | "CONSTRUCCIONES …").
        return ValueSource(following, row[index + 1], 0, "block") if following else None
    if following.startswith(":") or is_label(line.text):
        return None
    if following and _NAME_KEYS.match(fold(line.text).strip()):
        # A grid's key without a colon ("Name" | "TEKNOLOGI AWAN SDN. BHD.").
        return ValueSource(following, row[index + 1], 0, "block")
    return ValueSource(line.text, line, 0, "block")


def _party_block(rows: Sequence[Sequence[OcrLine]], row_index: int, label: OcrLine) -> list[ValueSource]:
    """The lines under a party heading in its column, nearest first, up to the next label
    of a party or a gap."""
    sources: list[ValueSource] = []
    previous = label
    for row in rows[row_index + 1 :]:
        column = [index for index, line in enumerate(row) if overlaps_horizontally(label, line)]
        if not column:
            continue
        index = min(column, key=lambda item: abs(row[item].left - label.left))
        line = row[index]
        gap = _MAX_HEADING_GAP_IN_HEIGHTS if previous is label else _MAX_PARTY_BLOCK_GAP_IN_HEIGHTS
        if line.top - previous.bottom > gap * max(previous.height, line.height, 1):
            break
        heading = match_label(line.text)
        if heading and _PARTY_FIELDS & heading.fields.keys():
            break
        source = _block_value(row, index)
        if source:
            sources.append(source)
        previous = line
        if len(sources) == _MAX_PARTY_BLOCK_LINES:
            break
    return sources


def _later_labels(text: str, searched_to: int) -> list[tuple[int, LabelMatch]]:
    """The labels inside a line after `searched_to` (the end of its leading label), each
    with where it starts. Only a key that a colon closes after a value with a digit
    ("RECEIPT #: CS00251915 DATE: 29/10/2017") starts a pair: a label word inside a
    label or a name ("VAT total: 75.04", "Total Loading Charges") does not."""
    found: list[tuple[int, LabelMatch]] = []
    # The cheap tests first: a key needs a colon after it and a digit before it, and most
    # lines have neither, so most words never reach the label patterns.
    for word in _WORD_START.finditer(text, searched_to, max(text.rfind(":"), 0)):
        start = word.start()
        if start < searched_to or not any(char.isdigit() for char in text[searched_to:start]):
            continue
        label = match_label(text[start:])
        if label is None:
            continue
        end = start + label.end
        if text[end - 1] != ":" and not _KEY_END.match(text, end):
            continue
        found.append((start, LabelMatch(label.fields, end)))
        searched_to = end
    return found


def _mid_line_values(line: OcrLine, later: list[tuple[int, LabelMatch]], page: int, order: int) -> list[LabelledValue]:
    """The later labels of a line, each with the text up to the next one as its value."""
    stops = [start for start, _ in later[1:]]
    values = []
    for number, (_, label) in enumerate(later):
        source = _inline_source(line, label, stops[number] if number < len(stops) else None)
        if source:
            values.append(LabelledValue(label, line, page, order + len(values), [source]))
    return values


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
    remittance = False
    wrapped_halves: set[int] = set()
    for row_index, row in enumerate(rows):
        # A payment advice slip's "To:" is the payee: the vendor.
        remittance = remittance or any(_REMITTANCE.match(fold(line.text)) for line in row)
        # Column titles such as "Total HT" or "Betrag" label the column, not one value; a
        # date title in such a row ("Beschreibung | Fälligkeit | Teilzahlung") still
        # labels the date under it.
        header_row = is_header_row(row)
        validity = any(_VALIDITY.search(fold(line.text)) for line in row)
        for index, line in enumerate(row):
            if id(line) in wrapped_halves:
                continue
            if not header_row and (wrapped := _wrapped_label(rows, row_index, index)):
                joined, lower, value = wrapped
                wrapped_halves.add(id(lower))
                found.append(LabelledValue(joined, line, page, first_order + len(found), [value]))
                continue
            label = match_label(line.text) or _label_with_the_colon_beside(row, index)
            header = header_row and not _valued_beside(row, index)
            if label and validity and label.fields.keys() <= _DATE_FIELDS:
                continue
            if label and remittance and _TO.match(fold(line.text)):
                label = LabelMatch({VENDOR_NAME: label.fields[CUSTOMER_NAME]}, label.end)
            later = [] if header else _later_labels(line.text, label.end if label else 0)
            if label is None:
                found += _mid_line_values(line, later, page, first_order + len(found))
                continue
            if header:
                below = _below_source(rows, row_index, line) if label.fields.keys() <= _DATE_FIELDS else None
                if below and not _dates_per_row(rows, row_index, line):
                    found.append(LabelledValue(label, line, page, first_order + len(found), [below]))
                continue
            across = _label_across_boxes(row, index)
            if across:
                label, inline = across
                later = []
                sources = ([inline] if inline else []) + _right_sources(row, index + 1)
            elif later:
                # The row's boxes to the right belong to the line's last pair.
                sources = [source for source in [_inline_source(line, label, later[0][0])] if source]
            else:
                party = bool(_PARTY_FIELDS & label.fields.keys())
                sources = [source for source in [_inline_source(line, label)] if source]
                right = _right_sources(row, index, _MAX_PARTY_RIGHT_GAP_IN_HEIGHTS if party else None)
                if party and not right:
                    right = _key_grid_value(rows, row_index, index) or _far_name_over_address(rows, row_index, index)
                if not party and not any(re.search(r"\d", source.text) for source in (*sources, *right)):
                    # Words beside a value's label are a gloss of it ("Factuurnummer / N° de"
                    # over "facture") or the next column: the value may sit between its lines.
                    right = _beside_a_wrapped_label(rows, row_index, line) or right
                if party:
                    right = [source for source in right if not _heads_a_column(rows, row_index, source.line)]
                sources += [_with_continuation(rows, row_index, source) for source in right]
            if _PARTY_FIELDS & label.fields.keys():
                sources += _party_block(rows, row_index, line)
            elif below := _below_source(rows, row_index, line):
                sources.append(below)
            found.append(LabelledValue(label, line, page, first_order + len(found), sources))
            found += _mid_line_values(line, later, page, first_order + len(found))
    return found
