"""Subtotal, tax and total: every labelled amount is a candidate, and the arithmetic
decides between them.

A document often prints several "totals" (before and after rounding, a GST summary, the
amount paid). Each combination of one candidate per field is scored by its labels'
strength plus the relations it satisfies: subtotal + tax = total, the items sum to the
subtotal (or total), and on receipts paid - change = total (exactly, or after the
rounding line, which weighs less: a line printing the rounded total is the amount due).
The best combination wins;
a field is verified when a satisfied relation involves it, and ambiguous (None) when a
combination with another value for it scores the same.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from invoice_ocr.extraction.amounts import AmountMatch, find_amounts, parse_number
from invoice_ocr.extraction.dates import find_dates
from invoice_ocr.extraction.labels import (
    CHANGE,
    DISCOUNT,
    PAID,
    ROUNDING,
    SHIPPING,
    SUBTOTAL,
    TAX,
    TAX_INCLUDED,
    TOTAL,
    fold,
    match_label,
)
from invoice_ocr.extraction.pairing import LabelledValue, ValueSource
from invoice_ocr.page import OcrLine, lines_polygon

AMOUNT_FIELDS = (SUBTOTAL, TAX, TOTAL)
TOLERANCE = Decimal("0.011")
_MAX_OPTIONS_PER_FIELD = 4
_CURRENCY_MARK = re.compile(r"[€$£¥₹₦₱]|(?<![A-Za-z])(?:[A-Z]{2,3}|Rs\.?|Rp|zł|Ft|lei|Kč)(?![A-Za-z])")
# "Less : Round off 0.20": a rounding the line says is taken off.
_DEDUCTED = re.compile(r"\W*less\b", re.IGNORECASE)
_HYPHEN_FOR_POINT = re.compile(r"^(\s*(?:RM|[$€£])?\s*\d{1,7})-(\d{2})\s*$")
# A "Rounding" line holding at least a whole unit is the rounded total, weakly labelled.
_MIN_ROUNDED_TOTAL, _ROUNDED_TOTAL_STRENGTH = Decimal(1), 1
_MAX_COMBINED_TAXES, _COMBINED_TAX_PENALTY = 3, 0.5
# "CGST @ 9%", "Output CGST", "Add: CGST @ 2.5%".
_CENTRAL_GST = re.compile(r"\W*(?:(?:add|output)\W*)?cgst")
_STATE_GST = re.compile(r"\W*(?:(?:add|output)\W*)?(?:sgst|utgst)")
_GST_PAIR_BONUS = 0.25
# A tax line that is the sum of the other tax lines is their total ("MwSt gesamt 1,56"
# under "enth. MwSt 1,38" and "enth. MwSt 0,18"), more surely than any one of them.
_TAX_TOTAL_BONUS = 0.25
# A tax summary row's rate: "7%", "19,00 %", "@ 6%".
_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_RATE_ROW_PRIOR = 2.0
# The amount a tax rate is taken of ("MwSt 7% von 5,00 0,33", "VAT 20% on 12.00"): the
# base, not the tax.
_RATE_BASE = re.compile(
    r"%\s*(?:(?:sales\s*)?tax\s*)?(?:von|of|on|over|sur|su|de|van|od|auf|op|av|af|z)\s*(?:[€$£]\s?)?$", re.IGNORECASE
)
# Score terms. A satisfied relation outweighs a label's strength (1..3).
_SUM_RELATION, _ITEMS_RELATION, _PAYMENT_RELATION = 4.0, 3.0, 3.0
_MISMATCH, _IMPLAUSIBLE = -1.0, -3.0
_RANK_PENALTY, _BELOW_PENALTY, _CROWDED_ROW_PENALTY = 0.25, 0.3, 0.5
_LATER_TOTAL_BONUS = 0.05
AMBIGUITY_MARGIN = 0.15


@dataclass(frozen=True, slots=True)
class AmountCandidate:
    """One labelled amount that may be the value of a field."""

    field: str
    value: Decimal
    text: str
    line: OcrLine
    start: int
    end: int
    page: int
    prior: float
    # A tax its label says the amounts already include ("enthaltene MwSt").
    included: bool = False
    # The label's line (None for an unlabelled tax summary's cell).
    label: OcrLine | None = None


@dataclass(slots=True)
class AmountSelection:
    """The chosen candidate per amount field, with what the arithmetic says about it:
    `adjustment` is the rounding, discount or shipping that lies between subtotal + tax
    and the total when the chosen three add up through it."""

    chosen: dict[str, AmountCandidate | None]
    verified: set[str] = field(default_factory=set)
    margins: dict[str, float] = field(default_factory=dict)
    payment_total: Decimal | None = None
    adjustment: Decimal = Decimal(0)

    @property
    def tax_included(self) -> bool:
        tax = self.chosen.get(TAX)
        return bool(tax and tax.included)


def _amounts_in(source: ValueSource) -> list[AmountMatch]:
    # OCR reads a receipt's decimal point as a hyphen ("TOTAL" + "78-10"): a value that is
    # nothing but digits, a hyphen and two digits is an amount (same length, same offsets).
    text = _HYPHEN_FOR_POINT.sub(r"\1.\2", source.text)
    # A date's digits are no amount ("due on December 2, 2026 $12.34"): blanked, same length.
    for date in find_dates(text):
        text = text[: date.start] + " " * (date.end - date.start) + text[date.end :]
    # Bare integers are money only next to a currency mark ("Total: $12", "12 EUR").
    require_decimals = _CURRENCY_MARK.search(text) is None
    return find_amounts(text, require_decimals=require_decimals)


def _candidates_of(labelled: LabelledValue) -> Iterator[AmountCandidate]:
    beside = [
        (source, amount) for source in labelled.sources if source.relation != "below" for amount in _amounts_in(source)
    ]
    below = [
        (source, amount) for source in labelled.sources if source.relation == "below" for amount in _amounts_in(source)
    ]
    found, penalty = (beside, 0.0) if beside else (below, _BELOW_PENALTY)
    # Several amounts beside one label make a summary-table row ("TOTAL : 80.91 0.00").
    crowded = _CROWDED_ROW_PENALTY if len(found) > 1 else 0.0
    for label_field, label_strength in labelled.label.fields.items():
        # The value closest to the right edge comes first: totals columns are right-aligned.
        for rank, (source, amount) in enumerate(reversed(found)):
            field_name, strength = label_field, label_strength
            if field_name == TAX and _RATE_BASE.search(source.text, 0, amount.start):
                continue
            value = amount.value
            if field_name == ROUNDING and _DEDUCTED.match(labelled.line.text):
                value = -abs(value)
            if field_name == ROUNDING and abs(amount.value) >= _MIN_ROUNDED_TOTAL:
                # No rounding is that large: the line captions the rounded total.
                field_name, strength = TOTAL, _ROUNDED_TOTAL_STRENGTH
            prior = strength - penalty - crowded - _RANK_PENALTY * rank
            if field_name == TOTAL:
                prior += _LATER_TOTAL_BONUS * labelled.order
            included = field_name == TAX and TAX_INCLUDED.search(fold(labelled.line.text)) is not None
            yield AmountCandidate(
                field_name,
                value,
                amount.text,
                source.line,
                source.start + amount.start,
                source.start + amount.end,
                labelled.page,
                prior,
                included,
                labelled.line,
            )


def collect_candidates(
    labelled: Sequence[LabelledValue], unlabelled: Sequence[AmountCandidate] = ()
) -> dict[str, list[AmountCandidate]]:
    """Candidates per amount field (and the payment and adjustment lines), best prior
    first, one per value; `unlabelled` ones (a tax summary's) join them."""
    by_field: dict[str, dict[Decimal, AmountCandidate]] = {
        name: {} for name in (*AMOUNT_FIELDS, PAID, CHANGE, ROUNDING, DISCOUNT, SHIPPING)
    }
    candidates = [candidate for item in labelled for candidate in _candidates_of(item)]
    taxes = [candidate for candidate in candidates if candidate.field == TAX]
    combined = [found for found in (_combined_tax(taxes), _gst_pair(taxes), _tax_lines_total(taxes)) if found]
    for candidate in [*candidates, *combined, *unlabelled]:
        if candidate.field not in by_field:
            continue
        best = by_field[candidate.field].get(candidate.value)
        if best is None or candidate.prior > best.prior:
            by_field[candidate.field][candidate.value] = candidate
    return {name: sorted(values.values(), key=lambda item: -item.prior) for name, values in by_field.items()}


@dataclass(frozen=True, slots=True)
class _RateRow:
    net: AmountCandidate
    tax: AmountCandidate


def _cell(field_name: str, value: Decimal, line: OcrLine, amount: AmountMatch | None, page: int) -> AmountCandidate:
    if amount is None:  # a net the row implies (gross - tax) but does not print: boxed as the row
        return AmountCandidate(field_name, value, line.text, line, 0, len(line.text), page, _RATE_ROW_PRIOR)
    return AmountCandidate(field_name, value, amount.text, line, amount.start, amount.end, page, _RATE_ROW_PRIOR)


def _rate_row(row: Sequence[OcrLine], page: int) -> _RateRow | None:
    """A tax summary row: a rate and its net, tax and/or gross amounts, kept only when
    the tax is the rate of the net ("B 19% 0,24 1,25 1,49", "SR @ 6% 75.47 4.53"). A
    zero-rated row ("Z 0.00% 5.80 0.00 5.80", "ZR @ 0% 12.00 0.00") prints a tax of nought
    and counts too: its net belongs to the table's sum."""
    rates = [_RATE.search(line.text) for line in row]
    found = [parse_number(match.group(1)) for match in rates if match]
    if len(found) != 1 or found[0] is None or found[0] >= 100:
        return None
    rate = found[0] / 100
    amounts = [(line, amount) for line in row for amount in find_amounts(line.text, require_decimals=True)]
    if not 2 <= len(amounts) <= 3 or any(amount.value < 0 for _, amount in amounts):
        return None
    if not rate:
        return _zero_rated_row(amounts, page)
    if any(amount.value == 0 for _, amount in amounts):
        return None
    for (tax_line, tax), *rest in (
        (amounts[index], *amounts[:index], *amounts[index + 1 :]) for index in range(len(amounts))
    ):
        values = sorted(amount.value for _, amount in rest)
        net = values[0] if len(values) == 2 and _close(values[0] + tax.value, values[1]) else None
        if len(values) == 1:
            net = values[0] if _close(values[0] * rate, tax.value) else values[0] - tax.value
        if net is None or net <= 0 or not _close(net * rate, tax.value):
            continue
        net_line, net_amount = next(((line, amount) for line, amount in rest if amount.value == net), (row[0], None))
        return _RateRow(_cell(SUBTOTAL, net, net_line, net_amount, page), _cell(TAX, tax.value, tax_line, tax, page))
    return None


def _split_sum_row(rows: Sequence[Sequence[OcrLine]], page: int) -> list[AmountCandidate]:
    """The net and the tax of the one sum row that prints them side by side under an
    item table's value and VAT columns ("Total | 6.378,00 | 1.211,82"): a row opened by a
    sum word with two amounts after it, the smaller the larger at a rate the page prints,
    or with three, the largest the sum of the other two."""
    rates = {
        rate / 100
        for row in rows
        for line in row
        for match in _RATE.finditer(line.text)
        if (rate := parse_number(match.group(1))) and rate < 100
    }
    found = []
    for row in rows:
        opening = next((index for index, line in enumerate(row) if TOTAL in _fields_of(line.text)), None)
        if opening is None:
            continue
        amounts = [
            (line, amount) for line in row[opening:] for amount in find_amounts(line.text, require_decimals=True)
        ]
        values = sorted(amount.value for _, amount in amounts)
        summed = len(values) == 3 and _close(values[0] + values[1], values[2])
        at_a_rate = len(values) == 2 and any(_close(values[1] * rate, values[0]) for rate in rates)
        if not summed and not at_a_rate:
            continue
        tax, net = values[:2]
        cells = {amount.value: (line, amount) for line, amount in amounts}
        found.append([_cell(SUBTOTAL, net, *cells[net], page), _cell(TAX, tax, *cells[tax], page)])
    return found[0] if len(found) == 1 else []


def _fields_of(text: str) -> dict[str, int]:
    label = match_label(text)
    return label.fields if label else {}


def _zero_rated_row(amounts: Sequence[tuple[OcrLine, AmountMatch]], page: int) -> _RateRow | None:
    """A 0 % row: one net (printed again as its gross) and a tax of nought."""
    zeros = [(line, amount) for line, amount in amounts if amount.value == 0]
    nets = [(line, amount) for line, amount in amounts if amount.value > 0]
    if len(zeros) != 1 or not nets or len({amount.value for _, amount in nets}) != 1:
        return None
    (net_line, net), (tax_line, tax) = nets[0], zeros[0]
    return _RateRow(_cell(SUBTOTAL, net.value, net_line, net, page), _cell(TAX, tax.value, tax_line, tax, page))


def rate_table_candidates(rows: Sequence[Sequence[OcrLine]], page: int) -> list[AmountCandidate]:
    """The net and the tax that a page's tax summary rows add up to (one row per rate),
    or, with no such rows, that a table's sum row prints side by side: unlabelled, but
    each row's arithmetic vouches for its cells."""
    found = [item for row in rows if (item := _rate_row(row, page))]
    if not found:
        return _split_sum_row(rows, page)
    if len(found) > _MAX_COMBINED_TAXES:
        return []
    if len(found) == 1:
        return [found[0].net, found[0].tax]
    return [
        _summed([item.net for item in found], _RATE_ROW_PRIOR),
        _summed([item.tax for item in found], _RATE_ROW_PRIOR),
    ]


def sum_row_candidate(
    rows: Sequence[Sequence[OcrLine]], index: int, items_sum: Decimal, page: int
) -> AmountCandidate | None:
    """The subtotal an item table prints without a label: a row of one amount alone, one
    of the next two under row `index` (its last item), that is the items' sum (a Tally
    invoice's "58,390.00" under its Amount column, before the tax lines)."""
    for row in rows[index + 1 : index + 3]:
        amounts = find_amounts(row[0].text, require_decimals=True) if len(row) == 1 else []
        if len(amounts) == 1 and amounts[0].value == items_sum and not any(char.isalpha() for char in row[0].text):
            return _cell(SUBTOTAL, items_sum, row[0], amounts[0], page)
    return None


def _summed(parts: Sequence[AmountCandidate], prior: float) -> AmountCandidate:
    """Amounts of several lines as one candidate: its value reads "147.89 + 147.89",
    boxed around the lines it adds up."""
    parts = sorted(parts, key=lambda part: (part.page, part.line.top))
    text = " + ".join(part.text for part in parts)
    polygon = lines_polygon([part.line for part in parts if part.page == parts[-1].page])
    spanning = OcrLine(text, min(part.line.confidence for part in parts), polygon)
    value = sum((part.value for part in parts), Decimal(0))
    return dataclasses.replace(parts[-1], value=value, text=text, line=spanning, start=0, end=len(text), prior=prior)


def _best_per_line(taxes: Iterable[AmountCandidate]) -> list[AmountCandidate]:
    """One tax per line, the best labelled: a line may be read under two labels."""
    best: dict[OcrLine, AmountCandidate] = {}
    for tax in taxes:
        if tax.line not in best or tax.prior > best[tax.line].prior:
            best[tax.line] = tax
    return list(best.values())


def _combined_tax(taxes: Sequence[AmountCandidate]) -> AmountCandidate | None:
    """The sum of a few tax lines printed without a tax total (CGST + SGST, MwSt 7 % +
    MwSt 19 %), as one more, weaker tax candidate: the arithmetic decides. Lines of the
    tax the amounts include ("Enth. MwSt 7% … 0,33", "Enth. MwSt 19% … 0,38") add up to
    an included tax when no other tax lines do."""
    for included in (False, True):
        parts = _best_per_line(tax for tax in taxes if tax.value > 0 and tax.included == included)
        if 2 <= len(parts) <= _MAX_COMBINED_TAXES:
            return _summed(parts, min(tax.prior for tax in parts) - _COMBINED_TAX_PENALTY)
    return None


def _gst_pair(taxes: Sequence[AmountCandidate]) -> AmountCandidate | None:
    """Indian GST within a state is central and state tax at the same rate, equal by law:
    a CGST and an SGST (or UTGST) line of the same amount are the tax together, more
    surely than either alone (whatever else their crowded rows print)."""
    central = [tax for tax in taxes if tax.value > 0 and _labelled_with(tax, _CENTRAL_GST)]
    state = [tax for tax in taxes if tax.value > 0 and _labelled_with(tax, _STATE_GST)]
    pairs = [(a, b) for a in central for b in state if a.value == b.value and a.label is not b.label]
    if not pairs:
        return None
    best = max(pairs, key=lambda pair: pair[0].prior + pair[1].prior)
    return _summed(list(best), max(best[0].prior, best[1].prior) + _GST_PAIR_BONUS)


def _tax_lines_total(taxes: Sequence[AmountCandidate]) -> AmountCandidate | None:
    """The tax line whose amount is the sum of the other (two or three) tax lines'
    amounts: their total, included in the amounts when they are."""
    for total in taxes:
        parts = _best_per_line(tax for tax in taxes if tax.value > 0 and tax.line is not total.line)
        if 2 <= len(parts) <= _MAX_COMBINED_TAXES and abs(sum(part.value for part in parts) - total.value) <= TOLERANCE:
            included = total.included or all(part.included for part in parts)
            return dataclasses.replace(total, prior=total.prior + _TAX_TOTAL_BONUS, included=included)
    return None


def _labelled_with(tax: AmountCandidate, pattern: re.Pattern[str]) -> bool:
    return tax.label is not None and pattern.match(fold(tax.label.text)) is not None


def _payment_totals(candidates: dict[str, list[AmountCandidate]]) -> set[Decimal]:
    """What the payment lines say was due: paid - change, or paid alone (card)."""
    paid = [abs(item.value) for item in candidates[PAID]]
    change = [abs(item.value) for item in candidates[CHANGE]]
    if not change:
        return set(paid)
    return {amount - given_back for amount in paid for given_back in change if amount > given_back}


def _adjustments(candidates: dict[str, list[AmountCandidate]]) -> list[Decimal]:
    """What may lie between subtotal + tax and the total: nothing, a rounding, a discount,
    a shipping charge, or several of them; nothing first."""
    roundings = {Decimal(0)} | {item.value for item in candidates[ROUNDING]}
    discounts = {Decimal(0)} | {-abs(item.value) for item in candidates[DISCOUNT]}
    charges = {Decimal(0)} | {abs(item.value) for item in candidates[SHIPPING]}
    found = {rounding + discount + charge for rounding in roundings for discount in discounts for charge in charges}
    return sorted(found, key=abs)


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= TOLERANCE


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    combination: tuple[AmountCandidate | None, ...]
    verified: frozenset[str]
    payment_total: Decimal | None
    adjustment: Decimal


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What the document says besides the three fields themselves."""

    items_sum: Decimal | None
    payment_totals: set[Decimal]
    adjustments: list[Decimal]
    credit_note: bool
    roundings: frozenset[Decimal] = frozenset()


def _adjustment_between(expected: Decimal, total: Decimal, evidence: _Evidence) -> Decimal | None:
    """The rounding, discount or shipping (or nothing) that takes `expected` to `total`."""
    return next((item for item in evidence.adjustments if _close(expected + item, total)), None)


def _sum_relation(
    subtotal: AmountCandidate, tax: AmountCandidate | None, total: AmountCandidate, evidence: _Evidence
) -> tuple[float, set[str], Decimal]:
    """Score, verified fields and adjustment of subtotal + tax (+ rounding/discount/shipping)
    = total; a tax the amounts include adds nothing, unless the subtotal is the net it
    is included in (a tax summary's "7% von 5,00 0,33" rows give net and tax)."""
    if (subtotal.line, subtotal.start) == (total.line, total.start):
        # One printed amount read as both (a tax summary's "Gesamt" row under a "Netto"
        # column): it proves no sum.
        return _IMPLAUSIBLE, set(), Decimal(0)
    expected = subtotal.value + (tax.value if tax and not tax.included else 0)
    adjustment = _adjustment_between(expected, total.value, evidence)
    if adjustment is None and tax and tax.included:
        adjustment = _adjustment_between(subtotal.value + tax.value, total.value, evidence)
    if adjustment is not None:
        return _SUM_RELATION, {SUBTOTAL, TOTAL} | ({TAX} if tax else set()), adjustment
    if abs(subtotal.value) > abs(total.value) > 0:
        return _IMPLAUSIBLE, set(), Decimal(0)
    return (_MISMATCH if tax else 0.0), set(), Decimal(0)


def _items_relation(
    subtotal: AmountCandidate | None, total: AmountCandidate | None, evidence: _Evidence
) -> tuple[float, set[str]]:
    """Score and verified field of: the items sum to the subtotal, or to the total."""
    if evidence.items_sum is None:
        return 0.0, set()
    matched = _items_match(evidence.items_sum, subtotal, total, evidence.adjustments)
    return (_ITEMS_RELATION, matched) if matched else (0.0, set())


def _items_match(
    items_sum: Decimal, subtotal: AmountCandidate | None, total: AmountCandidate | None, adjustments: Sequence[Decimal]
) -> set[str]:
    """The field the items add up to: the subtotal, or else the total after its rounding,
    discount or shipping lines (prices that include the tax add up to the total, whatever
    the subtotal says)."""
    if subtotal and _close(items_sum, subtotal.value):
        return {SUBTOTAL}
    if total and any(_close(items_sum + extra, total.value) for extra in adjustments):
        return {TOTAL}
    return set()


def _tax_is_implausible(tax: AmountCandidate, others: Sequence[AmountCandidate | None], credit_note: bool) -> bool:
    """A tax not smaller than the amounts it is part of, or negative, unless the document
    is a credit note whose amounts are all negative."""
    if credit_note and tax.value < 0 and all(other is None or other.value < 0 for other in others):
        return any(other and abs(tax.value) >= abs(other.value) for other in others)
    return tax.value < 0 or any(other and tax.value >= other.value > 0 for other in others)


def _score(combination: tuple[AmountCandidate | None, ...], evidence: _Evidence) -> _Scored:
    subtotal, tax, total = combination
    score = sum(item.prior for item in combination if item)
    gain, verified = _items_relation(subtotal, total, evidence)
    score += gain
    adjustment = Decimal(0)
    if subtotal and total:
        gain, fields, adjustment = _sum_relation(subtotal, tax, total, evidence)
        score += gain
        verified |= fields
    elif total and tax and not tax.included and evidence.items_sum is not None:
        # No subtotal printed (an Indian GST invoice: the items, CGST and SGST, the total):
        # the items' sum stands in for it.
        found = _adjustment_between(evidence.items_sum + tax.value, total.value, evidence)
        if found is not None:
            score += _SUM_RELATION
            verified |= {TAX, TOTAL}
            adjustment = found
    if tax and _tax_is_implausible(tax, (subtotal, total), evidence.credit_note):
        score += _IMPLAUSIBLE
    payment_total = None
    if total:
        payment_total = next((paid for paid in evidence.payment_totals if paid == total.value), None)
        gain = _PAYMENT_RELATION
        if payment_total is None:
            # Paid - change is the total after its rounding line: the relation holds, but a
            # candidate printing the rounded total itself is the amount due.
            gain = _PAYMENT_RELATION / 2
            rounded = {total.value + rounding for rounding in evidence.roundings}
            payment_total = next((paid for paid in evidence.payment_totals if paid in rounded), None)
        if payment_total is not None:
            score += gain
            verified.add(TOTAL)
    return _Scored(score, combination, frozenset(verified), payment_total, adjustment)


def _paid_as_total(candidates: dict[str, list[AmountCandidate]], evidence: _Evidence) -> list[AmountCandidate | None]:
    """A slip that prints no total line states it as the amount paid ("BAR 28,28 €" over
    "GEG 30,00" and "ZUR 1,72"): a paid amount the subtotal and the tax, or the items,
    add up to."""
    sums = {item.value for item in candidates[SUBTOTAL]} | ({evidence.items_sum} if evidence.items_sum else set())
    sums |= {net.value + tax.value for net in candidates[SUBTOTAL] for tax in candidates[TAX] if not tax.included}
    return [
        paid
        for paid in candidates[PAID][:_MAX_OPTIONS_PER_FIELD]
        if any(_adjustment_between(expected, paid.value, evidence) is not None for expected in sums)
    ]


def select_amounts(
    candidates: dict[str, list[AmountCandidate]], items_sum: Decimal | None, credit_note: bool = False
) -> AmountSelection:
    """The best-scoring subtotal/tax/total combination, with per-field margins over the
    best combination that gives the field another value. On a `credit_note` the three may
    all be negative."""
    roundings = frozenset(item.value for item in candidates[ROUNDING])
    evidence = _Evidence(items_sum, _payment_totals(candidates), _adjustments(candidates), credit_note, roundings)
    options = []
    for name in AMOUNT_FIELDS:
        top: list[AmountCandidate | None] = list(candidates[name][:_MAX_OPTIONS_PER_FIELD])
        if name == TOTAL and not top:
            top = _paid_as_total(candidates, evidence)
        options.append([*top, None] if name != TOTAL or not top else top)
    scored = sorted(
        (_score(combination, evidence) for combination in itertools.product(*options)),
        key=lambda item: -item.score,
    )
    best = scored[0]
    margins = {}
    for index, name in enumerate(AMOUNT_FIELDS):
        chosen = best.combination[index]
        rival = next((item for item in scored[1:] if _value(item.combination[index]) != _value(chosen)), None)
        margins[name] = best.score - rival.score if rival else float("inf")
    return AmountSelection(
        dict(zip(AMOUNT_FIELDS, best.combination, strict=True)),
        set(best.verified),
        margins,
        best.payment_total,
        best.adjustment,
    )


def items_add_up(items_sum: Decimal, candidates: dict[str, list[AmountCandidate]], selection: AmountSelection) -> bool:
    """Whether items summing to `items_sum` are the chosen subtotal, or the chosen total
    (after its rounding, discount or shipping lines)."""
    chosen = selection.chosen
    return bool(_items_match(items_sum, chosen.get(SUBTOTAL), chosen.get(TOTAL), _adjustments(candidates)))


def _value(candidate: AmountCandidate | None) -> Decimal | None:
    return candidate.value if candidate else None
