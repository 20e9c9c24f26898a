"""Invoice understanding: header fields, line items and arithmetic checks from OCR lines.

`extract_invoice` is the entry point. It works page by page on visual rows (see
`layout`), pairs labels with values (`pairing`), reads the item table (`table`), picks
subtotal/tax/total by arithmetic (`totals`) and finds the parties (`parties`). Every value
carries the page and polygon it was read from; a value that is missing, or ambiguous
between candidates, is None rather than a guess.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from invoice_ocr.extraction.amounts import find_amounts, format_money, format_quantity, format_unit_price
from invoice_ocr.extraction.checks import Adjustments, run_checks
from invoice_ocr.extraction.currency import detect_currency, is_money_alone
from invoice_ocr.extraction.dates import (
    DISCOUNT_TERM,
    DateMatch,
    find_dates,
    find_payment_terms,
    format_date,
    infer_day_first,
)
from invoice_ocr.extraction.labels import (
    CUSTOMER_NAME,
    DUE_DATE,
    INVOICE_DATE,
    INVOICE_NUMBER,
    LEGAL_FORM,
    NUMBER_AFTER_TITLE,
    SERIES,
    SERIES_BEFORE_NUMBER,
    TOTAL,
    VENDOR_NAME,
    VISIT_TO_COME_HEADING,
    fold,
    is_label,
    match_label,
)
from invoice_ocr.extraction.layout import (
    Levelling,
    first_in_column,
    group_into_rows,
    levelling,
    span_polygon,
    with_cents_joined,
)
from invoice_ocr.extraction.pairing import LabelledValue, ValueSource, find_labelled_values
from invoice_ocr.extraction.parties import (
    PartyText,
    as_written_elsewhere,
    customer_from_address_block,
    customer_from_window,
    header_company,
    imprint_name,
    labelled_party,
    legal_name,
    monogram_name,
    recipient_lines,
    same_party,
    sender_from_return_address,
    spelled_out_elsewhere,
    vendor_address,
    vendor_from_layout,
)
from invoice_ocr.extraction.results import (
    Check,
    ExtractedValue,
    InvoiceExtraction,
    LineItem,
    PageLines,
)
from invoice_ocr.extraction.table import (
    AMOUNT,
    QUANTITY,
    UNIT_PRICE,
    Cell,
    TableRow,
    read_item_table,
    read_priced_lines,
    read_till_lines,
)
from invoice_ocr.extraction.totals import (
    AMBIGUITY_MARGIN,
    TOLERANCE,
    AmountCandidate,
    AmountSelection,
    collect_candidates,
    items_add_up,
    rate_table_candidates,
    select_amounts,
    sum_row_candidate,
)
from invoice_ocr.page import OcrLine, lines_polygon

__all__ = ["Check", "ExtractedValue", "InvoiceExtraction", "LineItem", "PageLines", "extract_invoice"]

# Confidence ceilings by evidence: a value the arithmetic confirms, a labelled value, a
# value inferred from layout alone, a value whose reading depends on a locale guess.
_VERIFIED, _STRONG_LABEL, _WEAK_LABEL, _LAYOUT_ONLY, _GUESSED = 0.97, 0.9, 0.75, 0.6, 0.45
_PARTY_WITHOUT_LEGAL_FORM = 0.65
# Longer payment terms than this are no plain net term (a guarantee, a contract period).
_MAX_TERM_DAYS = 120
# A line that repeats a name's first words wraps it; one word may be any other party's.
_MIN_WRAPPED_NAME_WORDS = 2
# Usual payment terms in days: what the gap from an invoice date to its due date tells.
_USUAL_TERM_DAYS = frozenset({0, 7, 10, 14, 15, 20, 21, 28, 30, 31, 45, 60, 90})
# What a credit note calls itself: its amounts are negative, the tax included.
CREDIT_NOTE_TITLE = re.compile(
    r"(?<![a-z])(?:credit\s*note|gutschrift|rechnungskorrektur|stornorechnung|avoir|nota\s*de\s*credito"
    r"|nota\s*di\s*credito|creditnota|faktura\s*korygujaca|korekta|abono|factura\s*rectificativa)(?![a-z])"
)
# The words that put a date after an invoice number ("Nr. 4711 vom 05.03.2018").
_DATE_PREPOSITIONS = r"vom|du|del|dated|from|z\s*dnia"
_DATE_PREPOSITION_AT_END = re.compile(rf"(?<![a-z])(?:{_DATE_PREPOSITIONS}|of)\W*$")
_DATE_PREPOSITION_AT_START = re.compile(rf"\W*(?:{_DATE_PREPOSITIONS})\s+\d")
# A line about paying, and the deadline word right before a date in it. On folded text.
_PAYMENT_WORD = re.compile(
    r"(?<![a-z])(?:pay\w*|remit\w*|zahl\w*|uberweis\w*|paiement|payer|regler|pagamento|pagare|bonifico|betal\w*"
    r"|overmak\w*|pago|pagar|transferencia|platn\w*|zaplat\w*)"
)
_DEADLINE = re.compile(
    r"(?<![a-z])(?:by|before|no\s*later\s*than|bis(?:\s*zum)?|spatestens(?:\s*am)?|avant\s*le|au\s*plus\s*tard\s*le"
    r"|entro\s*il|entro\s*e\s*non\s*oltre\s*il|voor|uiterlijk(?:\s*op)?|antes\s*del?|do\s*dnia)\s+"
)
# A direct debit collected on a day: the due date. The verbs of collecting, not the noun
# ("Your Direct Debit review is on 14 June" sets no date to pay), and the words that put
# the day: "We'll collect £193.86 by Direct Debit on or just after 28 March 2025", "Wir
# buchen den Rechnungsbetrag … frühestens am 15.05.2025 ab", "sera prélevé le 05/06/2025".
_DEBIT_VERB = re.compile(
    r"(?<![a-z])(?:collect(?:ed)?|debited|will\s*debit|(?:ab)?buchen|abgebucht|einziehen|eingezogen|prelev\w*"
    r"|afschrijven|afgeschreven|incasseren|geincasseerd|addebit\w*|cargar\w*)(?![a-z])"
)
_DEBIT_DAY = re.compile(
    r"(?<![a-z])(?:(?:fruhestens\s*)?am|(?:on|from)(?:\s*or\s*(?:just\s*)?after)?|(?:a\s*partir\s*du|le)|rond|op|el|il)\s+"
)
# A debit already made ("Die vorige Rechnung … wurde am 15.04.2025 per Lastschrift
# beglichen", "was collected on") sets no date to pay this one.
_PAST_DEBIT = re.compile(r"(?<![a-z])(?:wurden?|was|were|been|a\s*ete|werd|beglichen|received|erhalten)(?![a-z])")
# The label of an order date: the invoice date only where nothing else gives one.
_ORDER_DATE = re.compile(r"\W*(?:order\s*date|date\s*of\s*order|bestelldatum|date\s*de\s*commande|fecha\s*de\s*pedido)")
_TITLE_BEFORE_CODE = re.compile(
    r"\W*(?:tax\s*)?(?:invoice|rechnung|facture|factura|fattura|factuur|faktura|fatura)\s+", re.IGNORECASE
)
# A series code of capitals may stand apart from its number ("FT 2026/154").
_SERIES_AND_NUMBER = re.compile(r"(?:[A-Z]{1,4}\s(?=[\w./-]*\d))?[A-Za-z0-9][\w./-]*[A-Za-z0-9]|\d")
# A key of its own before a date ("Nächste Mitgliederversammlung: 24.05.2025").
_OTHER_KEY_BEFORE = re.compile(r"[^\W\d]\s*:\s*$")
_YEAR = re.compile(r"(?:19|20)\d{2}")
# A title line that is nothing but the document word, or two of them ("Fatura-Recibo",
# "Invoice / Receipt", "Factura simplificada").
_DOCUMENT_WORD = (
    r"(?:invoice|rechnung|facture|factura|fattura|factuur|faktura|fatura|receipt|quittung|recibo|boleta"
    r"|cash\s*bill|bil\s*tunai|invois\s*cukai)"
)
# What a title says of its invoice after the document word ("FACTURE D'ACOMPTE").
_TITLE_QUALIFIER = r"d'acompte|de\s*solde|rectificative|definitive|pro\s*-?\s*forma|de\s*anticipo|di\s*acconto"
_TITLE_ALONE = re.compile(
    rf"\W*(?:(?:tax|sales|commercial|pro\s*-?\s*forma)\s*)?{_DOCUMENT_WORD}"
    rf"(?:\s*[-/]?\s*(?:{_DOCUMENT_WORD}|simplificad[ao]|electronica|{_TITLE_QUALIFIER}))?\W*"
)
# The keys of a card terminal's slip, within a few rows of each other.
_CARD_SLIP_KEY = re.compile(
    r"\W*(?:terminal\s*-?\s*(?:id|nr)|tid|ta\s*-?\s*nr|vu\s*-?\s*nr|genehmigungs\s*-?\s*(?:nr|nummer)|aid"
    r"|trace\s*-?\s*nr|auth(?:ori[sz]ation)?\s*code|merchant\s*id|mid|batch|appr(?:oval)?\s*code|rref|stan)(?![a-z])"
)
_CARD_SLIP_REACH, _MIN_CARD_SLIP_KEYS = 4, 2
# OCR may read a dash inside it as "=" ("R-250305=0884127").
_INVOICE_NUMBER = re.compile(r"(?<![\w-])(?=[\w./-]*\d)[A-Za-z0-9](?:[\w./-]|=(?=\w))*[A-Za-z0-9]|(?<!\w)\d(?!\w)")
# A value that is nothing but groups of digits is one number printed in groups, as
# telecoms and utilities print theirs ("Rechnungsnummer  2504 9128 7730").
# An invoice series: a few capitals, perhaps with digits ("CTL", "A", "FV25"), or a point
# of sale's digits ("00003").
_SERIES_CODE = re.compile(r"[A-Z]{1,5}\d{0,4}|\d{4,5}")
_WEAKEST_NUMBER_LABEL = 1
_GROUPED_NUMBER = re.compile(r"\d{2,6}(?: \d{2,6})+")
# A value that is a series of capitals and a number, nothing else: "CS 17/00881".
_SERIES_PREFIXED = re.compile(r"(?<!\S)[A-Z]{1,4} (?=[\w./-]*\d)[A-Za-z0-9][\w./-]*[A-Za-z0-9](?=\s*$)")


@dataclass(slots=True)
class _Page:
    """A page's rows and labelled values, computed once."""

    number: int
    height: int
    rows: list[list[OcrLine]]
    labelled: list[LabelledValue]


def _value_at(
    line: OcrLine, start: int, end: int, page: int, normalized: str | None, confidence: float
) -> ExtractedValue:
    return ExtractedValue(
        line.text[start:end], normalized, round(min(confidence, 1.0), 3), page, span_polygon(line, start, end)
    )


def _labelled_for(pages: Sequence[_Page], field_name: str) -> list[LabelledValue]:
    """Labels of a field, strongest first, then in reading order."""
    found = [item for page in pages for item in page.labelled if field_name in item.label.fields]
    return sorted(found, key=lambda item: (-item.label.fields[field_name], item.order))


def _unanimous(candidates: list[tuple[int, str, ExtractedValue]]) -> ExtractedValue | None:
    """The best candidate, or None when an equally strong one says something else. OCR
    misreads a number's dashes and dots ("R-250305=0884127" on the next page's header):
    readings alike in their letters and digits agree, and so does one that running text
    cut at a dash or a slash (a counterfoil's "Bill No: NFN/AMD/24-" wrapped), which the
    whole reading stands for."""
    if not candidates:
        return None
    strength, normalized, best = candidates[0]
    readings = [(other, value) for level, other, value in candidates if level == strength]
    whole, whole_value = max(readings, key=lambda reading: len(reading[0]))
    if not all(_reads_as_part_of(other, whole) for other, _ in readings):
        return None
    return best if _letters_and_digits(normalized) == _letters_and_digits(whole) else whole_value


def _reads_as_part_of(reading: str, whole: str) -> bool:
    if _letters_and_digits(reading) == _letters_and_digits(whole):
        return True
    return whole.startswith(reading) and whole[len(reading)] in _WRAP_BREAKS


_WRAP_BREAKS = ("-", "/")


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


def _series_prefixed(text: str) -> re.Match[str] | None:
    match = _SERIES_PREFIXED.search(text)
    return match if match and not text[: match.start()].strip(" :#") else None


def _on_a_card_slip(pages: Sequence[_Page], item: LabelledValue) -> bool:
    """Whether a label stands among the keys of a card terminal's slip printed on a till
    receipt (Terminal-ID, TA-Nr., VU-Nr., AID), with keys of it above and below: its
    "Beleg-Nr." numbers the card payment, not the receipt."""
    page = next(page for page in pages if page.number == item.page)
    index = next((index for index, row in enumerate(page.rows) if item.line in row), None)
    if index is None:
        return False
    above = _card_slip_keys(page.rows[max(index - _CARD_SLIP_REACH, 0) : index])
    below = _card_slip_keys(page.rows[index + 1 : index + _CARD_SLIP_REACH + 1])
    return bool(above) and bool(below) and len(above | below) >= _MIN_CARD_SLIP_KEYS


def _card_slip_keys(rows: Sequence[Sequence[OcrLine]]) -> set[str]:
    return {key.group() for row in rows for line in row if (key := _CARD_SLIP_KEY.match(fold(line.text)))}


def _invoice_number(pages: Sequence[_Page]) -> ExtractedValue | None:
    candidates = []
    for item in _labelled_for(pages, INVOICE_NUMBER):
        if _on_a_card_slip(pages, item):
            continue
        strength = item.label.fields[INVOICE_NUMBER]
        for source in item.sources:
            grouped = _GROUPED_NUMBER.search(source.text)
            whole = grouped is not None and grouped.group() == source.text.strip()
            match = grouped if whole else _series_prefixed(source.text) or _INVOICE_NUMBER.search(source.text)
            if (
                match
                and not find_dates(match.group())
                and not is_label(source.text)
                and not is_money_alone(source.text, marked=True)
            ):
                ceiling = _STRONG_LABEL if strength == 3 else _WEAK_LABEL if strength == 2 else _LAYOUT_ONLY
                value = _value_at(
                    source.line,
                    source.start + match.start(),
                    source.start + match.end(),
                    item.page,
                    match.group(),
                    ceiling * source.line.confidence,
                )
                candidates.append((strength, match.group(), value))
                break
    # A number a title prints after its document word ("Gutschrift … Nr. 47110818") is
    # surer than one a bare number word keys ("Nummer : 549910", a party's under its heading).
    if candidates and candidates[0][0] > _WEAKEST_NUMBER_LABEL:
        number = _unanimous(candidates)
    else:
        number = _number_in_title(pages) or _unanimous(candidates)
    return _with_series(pages, number) if number else None


def _with_series(pages: Sequence[_Page], number: ExtractedValue) -> ExtractedValue:
    """The number with the series its page prints apart ("Seria: CTL" over "Nr.: 0004587":
    "CTL 0004587"), as the invoice is cited; the number alone where it already starts
    with the series or the page prints none, or more than one."""
    on_page = [item for page in pages if page.number == number.page for item in page.labelled]
    series = {
        code.group()
        for item in on_page
        if SERIES in item.label.fields and item.sources
        if (code := _SERIES_CODE.fullmatch(item.sources[0].text.strip()))
    } | {
        item.line.text[code.start(1) : code.end(1)]
        for item in on_page
        if INVOICE_NUMBER in item.label.fields
        if (code := SERIES_BEFORE_NUMBER.search(fold(item.line.text)))
    }
    if len(series) != 1 or number.value.startswith(code := series.pop()):
        return number
    # A point of sale in digits is joined by a dash ("00003-00001287"), a series by a space.
    joined = f"{code}-" if code.isdigit() else f"{code} "
    normalized = number.normalized and f"{joined}{number.normalized}"
    return dataclasses.replace(number, value=f"{joined}{number.value}", normalized=normalized)


def _title_numbers(pages: Sequence[_Page]) -> Iterator[tuple[_Page, int, OcrLine, re.Match[str]]]:
    """Invoice numbers after a document word in the middle of a first-page line
    ("Rechnung des Versicherers Nr. 01.234.567.8-2018-1"): page, row index, line, number."""
    first = pages[0]
    for row_index, row in enumerate(first.rows):
        for line in row:
            title = NUMBER_AFTER_TITLE.search(fold(line.text))
            number = title and _INVOICE_NUMBER.match(line.text, title.end())
            if number and not find_dates(number.group()):
                yield first, row_index, line, number
            elif code := _code_after_title(line):
                yield first, row_index, line, code
            elif beside := _beside_a_title(line, row):
                yield first, row_index, *beside
            else:
                # A tall title spans the row under it: the number may open the row after.
                for offset, row_below in enumerate(first.rows[row_index + 1 : row_index + 3], start=1):
                    if below := _under_a_title(line, row_below):
                        yield first, row_index + offset, *below
                        break


def _code_after_title(line: OcrLine) -> re.Match[str] | None:
    """The code that is all a title line holds after its document word, without a number
    word: "Fatura FT 2026/154" (a Portuguese series and number), "Invoice INV-0042"."""
    title = _TITLE_BEFORE_CODE.match(line.text)
    return _series_code(line.text, title.end()) if title else None


def _series_code(text: str, start: int) -> re.Match[str] | None:
    """The code that is all of `text` from `start`: letters and digits, no year or date alone."""
    code = _SERIES_AND_NUMBER.fullmatch(text.rstrip(), start)
    if not code or not any(char.isdigit() for char in code.group()) or _YEAR.fullmatch(code.group()):
        return None
    return None if find_dates(code.group()) else code


def _under_a_title(title: OcrLine, row: Sequence[OcrLine]) -> tuple[OcrLine, re.Match[str]] | None:
    """The number opening the line under a title that is a document word alone ("FACTURE"
    over "N° F2026-0311", "INVOICE" over "# 10482"), or the code that line is ("Fatura"
    over "FT 2026/412"), in the title's column: flush left with it, flush right in a
    right-aligned header ("TAX INVOICE" over "# INV-000012") or centred under it, as a
    till slip centres its header ("BOLETA ELECTRÓNICA" over "N° 4587213")."""
    if not _TITLE_ALONE.fullmatch(fold(title.text)):
        return None
    line = first_in_column(row, title) or next(
        (
            item
            for item in row
            if min(abs(item.right - title.right), abs(item.left + item.right - title.left - title.right) / 2)
            <= max(item.height, 1)
        ),
        None,
    )
    return _number_in_box_after(title, line) if line else None


def _beside_a_title(title: OcrLine, row: Sequence[OcrLine]) -> tuple[OcrLine, re.Match[str]] | None:
    """The number in the box right of a title that is a document word alone, in its row
    ("SALES INVOICE" | "No. 0012457")."""
    index = row.index(title)
    if index + 1 == len(row) or not _TITLE_ALONE.fullmatch(fold(title.text)):
        return None
    return _number_in_box_after(title, row[index + 1])


def _number_in_box_after(title: OcrLine, line: OcrLine) -> tuple[OcrLine, re.Match[str]] | None:
    """The number a box after a title's gives, read on from the title ("N° F2026-0311",
    "# 10482"), or the code the box is ("FT 2026/412")."""
    joined = f"{fold(title.text)} {fold(line.text)}"
    found = NUMBER_AFTER_TITLE.search(joined)
    if found is None or found.end() <= len(title.text) + 1:
        code = None if is_label(line.text) else _series_code(line.text, 0)
        return (line, code) if code else None
    number = _INVOICE_NUMBER.match(line.text, found.end() - len(title.text) - 1)
    return (line, number) if number and not find_dates(number.group()) else None


def _number_in_title(pages: Sequence[_Page]) -> ExtractedValue | None:
    """The first title-line number when no label names the invoice number."""
    found = next(_title_numbers(pages), None)
    if found is None:
        return None
    page, _, line, number = found
    return _value_at(line, number.start(), number.end(), page.number, number.group(), _WEAK_LABEL * line.confidence)


def _first_date(
    sources: Sequence[ValueSource], day_first: bool, label: OcrLine | None = None
) -> tuple[ValueSource, DateMatch] | None:
    """The first date in the nearest source; in a box below the label holding several
    dates (OCR merged a row of stacked values), the one under the label. A date label's
    sources may print the date as bare digits ("20180428")."""
    for source in sources:
        dates = find_dates(source.text, day_first, compact=label is not None)
        if not dates:
            continue
        if label is None or source.relation != "below" or len(dates) == 1:
            return source, dates[0]
        return source, min(dates, key=lambda match: abs(_x_of(source, match.start) - label.left))
    return None


def _x_of(source: ValueSource, offset: int) -> float:
    line = source.line
    return line.left + (line.right - line.left) * (source.start + offset) / max(len(line.text), 1)


def _date_value(source: ValueSource, match: DateMatch, page: int, ceiling: float, order_known: bool) -> ExtractedValue:
    if match.order_ambiguous and not order_known:
        ceiling = min(ceiling, _GUESSED)
    return _value_at(
        source.line,
        source.start + match.start,
        source.start + match.end,
        page,
        format_date(match.value),
        ceiling * source.line.confidence,
    )


def _labelled_date(
    pages: Sequence[_Page], field_name: str, day_first: bool, order_known: bool
) -> ExtractedValue | None:
    candidates = []
    for item in _labelled_for(pages, field_name):
        found = _first_date(item.sources, day_first, item.line)
        if found:
            strength = item.label.fields[field_name]
            ceiling = _STRONG_LABEL if strength == 3 else _WEAK_LABEL
            candidates.append(
                (strength, format_date(found[1].value), _date_value(*found, item.page, ceiling, order_known))
            )
    return _unanimous(candidates)


def _title_line_date(pages: Sequence[_Page], day_first: bool, order_known: bool) -> ExtractedValue | None:
    """The date on the invoice number's own line ("Rechnung Nr. 4711 vom 05.03.2018",
    "Facture n° 12 du 01/02/2024", "Invoice 123 dated 1 Feb 2024"): the document's date."""
    for item in _labelled_for(pages, INVOICE_NUMBER):
        if item.label.fields[INVOICE_NUMBER] < 2:
            continue
        source = ValueSource(item.line.text[item.label.end :], item.line, item.label.end, "inline")
        # A date inside the number itself ("RE-20201121/508") is not the document's date.
        number = _INVOICE_NUMBER.search(source.text)
        dates = [found for found in find_dates(source.text, day_first) if not number or found.start >= number.end()]
        if len(dates) == 1:
            return _date_value(source, dates[0], item.page, _WEAK_LABEL, order_known)
    return None


def _date_after_title_number(pages: Sequence[_Page], day_first: bool, order_known: bool) -> ExtractedValue | None:
    """The date after a title-line number, on its line or opening the next row when the
    line ends in "vom" / "du" / "dated" ("… Nr. 01.234.567.8-2018-1 vom" + "06.12.2018")
    or the next row starts with one ("vom 31.10.2018")."""
    for page, row_index, line, number in _title_numbers(pages):
        rest = ValueSource(line.text[number.end() :], line, number.end(), "inline")
        sources = [rest]
        below = page.rows[row_index + 1][0] if row_index + 1 < len(page.rows) else None
        # The preposition ends the title line or opens the next ("… Nr. 47110818" + "vom 31.10.2018").
        if below and (
            _DATE_PREPOSITION_AT_END.search(fold(rest.text)) or _DATE_PREPOSITION_AT_START.match(fold(below.text))
        ):
            sources.append(ValueSource(below.text, below, 0, "below"))
        found = _first_date(sources, day_first)
        if found:
            return _date_value(*found, page.number, _WEAK_LABEL, order_known)
    return None


def _order_date(pages: Sequence[_Page], day_first: bool, order_known: bool) -> ExtractedValue | None:
    """The order date of a document that prints no invoice date (a web shop's "Invoice for
    Order #1045 … Order date: Nov 21, 2026"): on its line or in the next box of its row."""
    for page in pages:
        for row in page.rows:
            for index, line in enumerate(row):
                label = _ORDER_DATE.match(fold(line.text))
                if label is None:
                    continue
                sources = [ValueSource(line.text[label.end() :], line, label.end(), "inline")]
                sources += [ValueSource(item.text, item, 0, "right") for item in row[index + 1 : index + 2]]
                found = _first_date(sources, day_first)
                if found:
                    return _date_value(*found, page.number, _LAYOUT_ONLY, order_known)
    return None


def _unlabelled_date(pages: Sequence[_Page], day_first: bool, order_known: bool) -> ExtractedValue | None:
    """The first date in reading order that no label claims (receipts print it bare). A
    cell after a label that holds its own value ("Check #4471  11/21/2026 7:42 PM") is
    not that label's, nor is the line under a heading of another date ("Ihr nächster
    Termin"). A date a key of another kind names ("Nächste Mitgliederversammlung:
    24.05.2025") is some other day's: taken only where no date stands bare."""
    keyed = None
    for page in pages:
        for row_index, row in enumerate(page.rows):
            under_heading = row_index > 0 and _heads_another_day(page.rows[row_index - 1])
            for index, line in enumerate(row):
                if is_label(line.text) or (index and _is_bare_label(row[index - 1].text)):
                    continue
                if under_heading and index == 0:
                    continue
                source = ValueSource(line.text, line, 0, "inline")
                found = _first_date([source], day_first)
                if found and not _OTHER_KEY_BEFORE.search(line.text[: found[1].start]):
                    return _date_value(*found, page.number, _LAYOUT_ONLY, order_known)
                if found and keyed is None:
                    keyed = _date_value(*found, page.number, _LAYOUT_ONLY, order_known)
    return keyed


def _heads_another_day(row: Sequence[OcrLine]) -> bool:
    """Whether a row is a heading alone over a visit to come ("Ihr nächster Termin")."""
    return len(row) == 1 and VISIT_TO_COME_HEADING.fullmatch(fold(row[0].text)) is not None


def _is_bare_label(text: str) -> bool:
    """Whether a cell is a label without a value of its own (a key of no field counts)."""
    if not is_label(text):
        return False
    label = match_label(text)
    return label is None or not text[label.end :].strip(" :.#")


def _dates(pages: Sequence[_Page], currency: str | None) -> tuple[ExtractedValue | None, ExtractedValue | None]:
    """Invoice and due date. Numeric dates are read day first unless the document's own
    dates say otherwise, or the gap from the invoice date to the due date is a payment
    term in one order only ("11/04/2026" and "12/04/2026": 30 days month first, 1 day
    day first), or its currency is the US dollar; with no clue the order is a guess and
    the confidence says so."""
    texts = [line.text for page in pages for row in page.rows for line in row]
    settled = infer_day_first(texts, True) == infer_day_first(texts, False)
    day_first = infer_day_first(texts, month_first_locale=currency == "USD")
    if not settled and (in_term_order := _dates_in_term_order(pages)) is not None:
        return in_term_order
    order_known = currency is not None or settled
    invoice_date, due_date = _read_dates(pages, day_first, order_known)
    if due_date is None:
        due_date = _due_in_a_sentence(pages, day_first, order_known)
    if due_date is None and invoice_date is not None:
        due_date = _due_from_terms(pages, invoice_date)
    return invoice_date, due_date


def _due_in_a_sentence(pages: Sequence[_Page], day_first: bool, order_known: bool) -> ExtractedValue | None:
    """The date a payment sentence sets ("Modalità di pagamento: bonifico bancario entro
    il 15/12/2026", "Bitte überweisen Sie den Betrag bis zum 30.11.2026"): one date right
    after "by" / "bis" / "entro il" / "avant le" / "vóór" in a line about paying, or after
    "on" / "am" / "le" in one about collecting a direct debit; the sentence may go on to
    the next line. A weak reading; the only one of its kind in the document, or none."""
    found = []
    for page in pages:
        for index, row in enumerate(page.rows):
            following = page.rows[index + 1] if index + 1 < len(page.rows) else []
            for line in row:
                found += _sentence_due_dates(line, following, page.number, day_first, order_known)
    return found[0] if len({value.normalized for value in found}) == 1 else None


def _sentence_due_dates(
    line: OcrLine, following: Sequence[OcrLine], page: int, day_first: bool, order_known: bool
) -> list[ExtractedValue]:
    """The due dates one line's payment or debit sentence sets, its date perhaps at the
    start of the line under it in the `following` row ("… by Direct Debit on or just" over
    "after 28 March 2025."); not an early-payment discount's ("Bei Zahlung bis 24.03.2025
    gewähren wir 2 % Skonto")."""
    folded = fold(line.text)
    if DISCOUNT_TERM.search(folded):
        return []
    if _DEBIT_VERB.search(folded) and not _PAST_DEBIT.search(folded):
        deadlines = _DEBIT_DAY
    elif _PAYMENT_WORD.search(folded):
        deadlines = _DEADLINE
    else:
        return []
    parts = [(line, 0)]
    # The line under it is looked up only for a sentence about paying, not for every line.
    continued = None if line.text.rstrip().endswith(".") else first_in_column(following, line)
    if continued is not None:
        parts.append((continued, len(line.text) + 1))
    text = " ".join(part.text for part, _ in parts)
    found = []
    for deadline in deadlines.finditer(fold(text)):
        dates = find_dates(text[deadline.end() :], day_first)
        if not dates or dates[0].start != 0:
            continue
        part, offset = next((part, offset) for part, offset in reversed(parts) if offset <= deadline.end())
        source = ValueSource(text[deadline.end() :], part, deadline.end() - offset, "inline")
        found.append(_date_value(source, dates[0], page, _WEAK_LABEL, order_known))
    return found


def _read_dates(
    pages: Sequence[_Page], day_first: bool, order_known: bool
) -> tuple[ExtractedValue | None, ExtractedValue | None]:
    """The invoice date by the first rule that finds one, and the labelled due date."""
    invoice_date = _labelled_date(pages, INVOICE_DATE, day_first, order_known)
    if invoice_date is None:
        invoice_date = _title_line_date(pages, day_first, order_known)
    if invoice_date is None:
        invoice_date = _date_after_title_number(pages, day_first, order_known)
    if invoice_date is None:
        invoice_date = _order_date(pages, day_first, order_known)
    if invoice_date is None:
        invoice_date = _unlabelled_date(pages, day_first, order_known)
    return invoice_date, _labelled_date(pages, DUE_DATE, day_first, order_known)


def _dates_in_term_order(pages: Sequence[_Page]) -> tuple[ExtractedValue, ExtractedValue] | None:
    """The invoice and due date read in the one numeric order (day or month first) that
    puts the due date a usual payment term after the invoice date; None when both orders
    or neither do."""
    in_term = []
    for day_first in (True, False):
        issued, due = _read_dates(pages, day_first, True)
        if issued and due:
            gap = (dt.date.fromisoformat(due.normalized) - dt.date.fromisoformat(issued.normalized)).days
            if gap in _USUAL_TERM_DAYS:
                in_term.append((issued, due))
    return in_term[0] if len(in_term) == 1 else None


def _due_from_terms(pages: Sequence[_Page], invoice_date: ExtractedValue) -> ExtractedValue | None:
    """The due date the payment terms give ("Zahlbar innerhalb von 14 Tagen", "Net 30"):
    that many days after the invoice date, when the document states one term only. It is
    computed, not printed: no more than a weak label's confidence, nor the date's."""
    terms = [
        (page.number, line, term)
        for page in pages
        for row in page.rows
        for line in row
        for term in find_payment_terms(fold(line.text))
        if 0 < term.days <= _MAX_TERM_DAYS
    ]
    if len({term.days for _, _, term in terms}) != 1:
        return None
    page, line, term = terms[0]
    due = dt.date.fromisoformat(invoice_date.normalized) + dt.timedelta(days=term.days)
    confidence = min(_WEAK_LABEL * line.confidence, invoice_date.confidence)
    return _value_at(line, term.start, term.end, page, format_date(due), confidence)


def _party_value(party: PartyText | None, page: int, ceiling: float) -> ExtractedValue | None:
    """A name as a field. A labelled name without a legal form ("Kunden AG", "Ltd") is
    often a sub-heading or a person's line rather than the party: a lower ceiling."""
    if party is None:
        return None
    if ceiling == _STRONG_LABEL and not LEGAL_FORM.search(fold(party.text)):
        ceiling = _PARTY_WITHOUT_LEGAL_FORM
    first = party.lines[0]
    polygon = first.polygon if len(party.lines) == 1 else lines_polygon(party.lines)
    return ExtractedValue(party.text, None, round(ceiling * party.confidence, 3), page, polygon)


def _claimed_lines(labelled: Sequence[LabelledValue]) -> set[OcrLine]:
    """Lines the labels claim (label rows, their values, the customer block): not the
    vendor. A label with its value beside it does not claim the box below it ("Date due
    November 15" over the vendor's name)."""
    claimed = {item.line for item in labelled}
    for item in labelled:
        beside = any(source.relation in ("inline", "right") for source in item.sources)
        claimed |= {source.line for source in item.sources if not (beside and source.relation == "below")}
    return claimed


@dataclass(frozen=True, slots=True)
class _Vendor:
    name: PartyText | None
    address: PartyText | None
    ceiling: float
    # The lines read as the vendor's (letterhead, address): no other party's.
    lines: frozenset[OcrLine]


def _vendor(pages: Sequence[_Page], labelled: Sequence[LabelledValue]) -> _Vendor:
    """The vendor: labelled, else a letter's return-address line, else the letterhead
    (with the legal name a line elsewhere gives its brand, or the company its monogram's
    initials open), and its address; a word the name shortens ("StBG") as another line
    spells it out."""
    first = pages[0]
    labelled_vendor = labelled_party(labelled, VENDOR_NAME)
    first_lines = [line for row in first.rows for line in row]
    if labelled_vendor:
        address = vendor_address(labelled_vendor, first_lines)
        return _Vendor(labelled_vendor, address, _STRONG_LABEL, _lines_of(labelled_vendor, address))
    others = _claimed_lines(labelled) | recipient_lines(first.rows)
    letterhead = vendor_from_layout(first.rows, first.height, others)
    all_lines = [line for page in pages for row in page.rows for line in row]
    all_rows = [row for page in pages for row in page.rows]
    legal = letterhead and (
        legal_name(letterhead, all_lines)
        or header_company(letterhead, first.rows, others)
        or imprint_name(letterhead, all_rows, others)
        or monogram_name(letterhead, all_lines)
    )
    # A letter's return-address line names the sender; a letterhead of the same name (or
    # whose legal name the line shortens) is the better reading: its address block is complete.
    sender = sender_from_return_address(first.rows, first.height)
    if sender and not any(same_party(sender.name, reading) for reading in (letterhead, legal) if reading):
        name = legal_name(sender.name, all_lines) or sender.name
        name = spelled_out_elsewhere(name, all_lines) or name
        return _Vendor(name, sender.address, _LAYOUT_ONLY, _lines_of(sender.name, sender.address) | set(name.lines))
    if letterhead is None:
        return _Vendor(None, None, _LAYOUT_ONLY, frozenset())
    # The same sender's return address where the letterhead prints none under its name.
    address = vendor_address(letterhead, first_lines) or (sender.address if sender else None)
    name = as_written_elsewhere(legal or letterhead, all_lines)
    name = spelled_out_elsewhere(name, all_lines) or name
    return _Vendor(name, address, _LAYOUT_ONLY, _lines_of(letterhead, address) | set(name.lines))


def _lines_of(*parties: PartyText | None) -> frozenset[OcrLine]:
    return frozenset(line for party in parties if party for line in party.lines)


def _customer(first: _Page, labelled: Sequence[LabelledValue], vendor: _Vendor) -> tuple[PartyText | None, float]:
    """The customer and its confidence ceiling: labelled, else in a letter's window under
    the return address, else an unheaded address block that is not the vendor's."""
    customer = labelled_party(labelled, CUSTOMER_NAME)
    if customer:
        return customer, _STRONG_LABEL
    customer = customer_from_window(first.rows, first.height)
    if customer:
        return customer, _LAYOUT_ONLY
    # The vendor's name printed again over its address ("Meijer Houtwerk" in the letterhead's
    # side block, or its first words where the block wraps it) is no customer's block.
    named_again = {line for row in first.rows for line in row if vendor.name and _names_again(line, vendor.name)}
    taken = _claimed_lines(labelled) | vendor.lines | named_again
    return customer_from_address_block(first.rows, first.height, taken), _GUESSED


def _names_again(line: OcrLine, vendor: PartyText) -> bool:
    words, name = fold(line.text).split(), fold(vendor.text).split()
    wrapped = len(words) >= _MIN_WRAPPED_NAME_WORDS and name[: len(words)] == words
    return wrapped or same_party(PartyText(line.text, (line,), line.confidence), vendor)


def _parties(pages: Sequence[_Page], labelled: Sequence[LabelledValue]) -> dict[str, ExtractedValue | None]:
    first = pages[0]
    vendor = _vendor(pages, labelled)
    customer, customer_ceiling = _customer(first, labelled, vendor)
    return {
        "vendor_name": _party_value(vendor.name, first.number, vendor.ceiling),
        "vendor_address": _party_value(vendor.address, first.number, _LAYOUT_ONLY),
        "customer_name": _party_value(customer, first.number, customer_ceiling),
    }


def _amount_value(
    candidate: AmountCandidate | None, selection: AmountSelection, field_name: str
) -> ExtractedValue | None:
    if candidate is None or selection.margins[field_name] < AMBIGUITY_MARGIN:
        return None
    if field_name in selection.verified:
        ceiling = _VERIFIED
    elif selection.margins[field_name] >= 1:
        ceiling = _WEAK_LABEL
    else:
        ceiling = _GUESSED
    return _value_at(
        candidate.line,
        candidate.start,
        candidate.end,
        candidate.page,
        format_money(candidate.value),
        ceiling * candidate.line.confidence,
    )


def _cell_value(cell: Cell | None, page: int, normalized: str | None, confidence: float) -> ExtractedValue | None:
    if cell is None:
        return None
    return _value_at(cell.line, cell.start, cell.end, page, normalized, confidence * cell.line.confidence)


def _line_item(row: TableRow, page: int) -> LineItem:
    quantity, unit_price, amount = (row.numbers.get(kind) for kind in (QUANTITY, UNIT_PRICE, AMOUNT))
    consistent = (
        quantity is not None
        and unit_price is not None
        and amount is not None
        and abs(quantity.number * unit_price.number - amount.number) <= TOLERANCE
    )
    ceiling = _VERIFIED if consistent else _WEAK_LABEL
    parts = row.description_parts()
    description = None
    if parts:
        text = " ".join(line.text[start:end] for line, start, end in parts)
        first_line, start, end = parts[0]
        polygon = (
            span_polygon(first_line, start, end) if len(parts) == 1 else lines_polygon([line for line, _, _ in parts])
        )
        confidence = ceiling * min(line.confidence for line, _, _ in parts)
        description = ExtractedValue(text, None, round(confidence, 3), page, polygon)
    return LineItem(
        description,
        _cell_value(quantity, page, quantity and format_quantity(quantity.number), ceiling),
        _cell_value(unit_price, page, unit_price and format_unit_price(unit_price.number), ceiling),
        _cell_value(amount, page, amount and format_money(amount.number), ceiling),
    )


def _items_sum(rows: Sequence[tuple[int, TableRow]]) -> Decimal | None:
    return sum((row.numbers[AMOUNT].number for _, row in rows), Decimal(0)) if rows else None


def _items_sum_row(pages: Sequence[_Page], tables: Sequence[tuple[int, TableRow]]) -> AmountCandidate | None:
    """An item table's unlabelled sum row, as a subtotal candidate: under the item whose
    amount ends the longest run of items (from the first) that it is the sum of. A page
    may print more than one table (an HSN tax summary after the items)."""
    if not tables:
        return None
    row_of = {(page.number, id(line)): index for page in pages for index, row in enumerate(page.rows) for line in row}
    rows_of = {page.number: page.rows for page in pages}
    running, found = Decimal(0), None
    for number, item in tables:
        amount = item.numbers[AMOUNT]
        running += amount.number
        index = row_of.get((number, id(amount.line)))
        # The longest such run: a lone amount under one item may repeat that item's own.
        if index is not None:
            found = sum_row_candidate(rows_of[number], index, running, number) or found
    return found


def _prints_labelled(row: Sequence[OcrLine], value: Decimal) -> bool:
    return is_label(row[0].text) and any(amount.value == value for line in row for amount in find_amounts(line.text))


def _till_items(
    pages: Sequence[_Page], candidates: dict[str, list[AmountCandidate]], selection: AmountSelection
) -> list[tuple[int, TableRow]]:
    """A till receipt's "name  amount" lines above the first line that prints its total
    (a till repeats it: "SUMME", the payment, the tax summary), kept only when they add up
    to the chosen subtotal or total (after rounding): the sum is the evidence that they
    are the items."""
    total = selection.chosen.get(TOTAL)
    if total is None:
        return []
    page = next(page for page in pages if page.number == total.page)
    row_index = next((index for index, row in enumerate(page.rows) if _prints_labelled(row, total.value)), None)
    if row_index is None:
        return []
    items = [(page.number, row) for row in read_till_lines(page.rows, row_index)]
    items_sum = _items_sum(items)
    return items if items_sum is not None and items_add_up(items_sum, candidates, selection) else []


def extract_invoice(pages: Sequence[PageLines]) -> InvoiceExtraction:
    """Header fields, line items and arithmetic checks of one document's OCR lines.
    Skewed pages are read levelled; the boxes found on them are turned back onto the page
    as it was read."""
    turns = {page.page: turn for page in pages if (turn := levelling(page.lines, page.width, page.height))}
    level = [
        replace(page, lines=[turns[page.page].level_line(line) for line in page.lines]) if page.page in turns else page
        for page in pages
    ]
    return _turned_back(_extract(level), turns)


def _turned_back(result: InvoiceExtraction, turns: dict[int, Levelling]) -> InvoiceExtraction:
    """The result with each value's box turned from its levelled page back onto the page."""

    def back(value: ExtractedValue | None) -> ExtractedValue | None:
        if value is None or value.page not in turns or value.polygon is None:
            return value
        return replace(value, polygon=turns[value.page].unlevel(value.polygon))

    if turns:
        result.fields = {name: back(value) for name, value in result.fields.items()}
        result.line_items = [
            LineItem(back(item.description), back(item.quantity), back(item.unit_price), back(item.amount))
            for item in result.line_items
        ]
    return result


def _extract(pages: Sequence[PageLines]) -> InvoiceExtraction:
    result = InvoiceExtraction()
    analysed: list[_Page] = []
    for page in pages:
        rows = with_cents_joined(group_into_rows(page.lines))
        order = sum(len(item.labelled) for item in analysed)
        analysed.append(_Page(page.page, page.height, rows, find_labelled_values(rows, page.page, order)))
    if not any(page.rows for page in analysed):
        result.checks = run_checks(result)
        return result
    labelled = [item for page in analysed for item in page.labelled]

    tables = [(page.number, row) for page in analysed for row in read_item_table(page.rows)]
    table_rows = tables or [(page.number, row) for page in analysed for row in read_priced_lines(page.rows)]
    all_lines = [line for page in analysed for row in page.rows for line in row]
    credit_note = any(CREDIT_NOTE_TITLE.search(fold(line.text)) for line in all_lines)
    unlabelled = [candidate for page in analysed for candidate in rate_table_candidates(page.rows, page.number)]
    unlabelled += [candidate for candidate in [_items_sum_row(analysed, tables)] if candidate]
    candidates = collect_candidates(labelled, unlabelled)
    selection = select_amounts(candidates, _items_sum(table_rows), credit_note)
    till_rows = [] if tables else _till_items(analysed, candidates, selection)
    if till_rows:
        table_rows = till_rows
        selection = select_amounts(candidates, _items_sum(till_rows), credit_note)
    result.line_items = [_line_item(row, number) for number, row in table_rows]
    for field_name, candidate in selection.chosen.items():
        result.fields[field_name] = _amount_value(candidate, selection, field_name)

    currency = detect_currency([line for page in analysed for row in page.rows for line in row])
    if currency:
        page_of_line = {id(line): page.number for page in analysed for row in page.rows for line in row}
        confidence = (_STRONG_LABEL if currency.unanimous else _GUESSED) * currency.line.confidence
        start = currency.line.text.find(currency.text)
        result.fields["currency"] = _value_at(
            currency.line, start, start + len(currency.text), page_of_line[id(currency.line)], currency.code, confidence
        )
    invoice_date, due_date = _dates(analysed, currency.code if currency else None)
    result.fields["invoice_date"] = invoice_date
    result.fields["due_date"] = due_date
    result.fields["invoice_number"] = _invoice_number(analysed)
    result.fields.update(_parties(analysed, labelled))
    adjustments = Adjustments(selection.adjustment, selection.tax_included)
    result.checks = run_checks(result, selection.payment_total, adjustments=adjustments)
    return result
