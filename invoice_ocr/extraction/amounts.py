"""Money amounts as printed on invoices: 1,234.56 · 1.234,56 · 1 234,56 · 1'234.56 · -9.60.

The decimal separator is decided per number, not per document: the last of `.`/`,` is the
decimal mark when it is followed by one or two digits; followed by exactly three digits it
groups thousands ("1.234" and "1,234" both mean one thousand two hundred and thirty-four,
the usual reading on invoices, which rarely print three decimals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Digits with optional grouping (`.`/`,`/`'`/thin space, Indian `2,45,276.43`; a plain space only before a comma
# decimal or after a currency mark, so "2 125.00" stays a quantity and a price) and an optional 1-2 digit decimal
# part; a fraction of a unit may have up to four ("0.025": a price per litre), since a
# leading 0 cannot start a thousands group. The look-arounds keep dates (12.03.2024),
# times, percentages and identifiers (INV-2024-0042) from being read as money. A minus may
# stand right before the currency symbol ("-€12.00", "−$5.00": discounts and credits as web
# shops and billing platforms print them); a dash and a space before it separate ("Total – $12.00").
# Indian accounting software prints a minus in brackets: "ROUND OFF (-)0.20".
# Right after a currency mark and a space, space-grouped digits with a decimal point are
# one amount: "R 104 310.00" (South Africa), "CHF 1 940.50".
_AFTER_CURRENCY = (
    r"(?:(?<=[$€£¥₹]\s)|(?<=(?<![A-Za-z])R\s)|(?<=(?<![A-Za-z])(?:CHF|ZAR|USD|EUR|GBP|AUD|NZD|CAD|SGD)\s))"
)
_AMOUNT_PATTERN = re.compile(
    r"(?<![\d_])(?<!\d[.,/:-])(?<![A-Za-z][-/])"
    r"(?P<sign>(?<![\w.,/:-])[-−–](?:[€$£¥₹]\s?|\s)?|\(-\)\s?)?"
    r"(?P<number>\d{1,3}(?: \d{3})+(?:,\d{1,2})?(?![.\d])"
    rf"|{_AFTER_CURRENCY}\d{{1,3}}(?: \d{{3}})+\.\d{{1,2}}(?![.\d])"
    r"|(?!0[.,'’])\d{1,3}(?:[.,'’\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?"
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?"
    r"|0[.,]\d{3,4}(?![.,]\d)"
    r"|\d+(?:[.,]\d{1,2})?)"
    r"(?P<trailing_sign>-(?!\d))?"
    r"(?![\w%]|[.,/:-]\d|\s?%)"
)
_OCR_DIGIT_FIXES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "S": "5"})
_DIGIT_LOOKALIKE = re.compile(r"(?<=\d)[OoDlIS](?=[\d.,])|(?<=[\d.,])[OoDlIS](?=\d|\b)")
_CENT = Decimal("0.01")
_RUN_WITH_A_DIGIT = re.compile(r"[\w.,]*\d[\w.,]*")
# Digits grouped in thousands twice or more by one mark ("26.070.000", "1,250,000") are money
# even without a cent part or a currency mark: currencies without minor units print so, and
# quantities, years and references are not grouped.
_MILLIONS = re.compile(r"\d{1,3}([.,'’])\d{3}(?:\1\d{3})+")


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """An amount found in a text: its value and where it is printed."""

    value: Decimal
    start: int
    end: int
    text: str
    has_decimals: bool


def repair_digits(text: str) -> str:
    """Undo OCR letter-for-digit swaps inside numbers ("1O.5O" -> "10.50"): only in a
    run of letters, dots and commas that holds a digit, so "d.o.o." stays a legal form."""

    def repaired(run: re.Match[str]) -> str:
        return _DIGIT_LOOKALIKE.sub(lambda match: match.group().translate(_OCR_DIGIT_FIXES), run.group())

    return _RUN_WITH_A_DIGIT.sub(repaired, text)


def parse_number(number: str) -> Decimal | None:
    """The value of a digit string with grouping and an optional decimal part."""
    compact = re.sub(r"[\s'’\u00a0\u202f]", "", number)
    decimal_match = re.search(r"^0[.,](\d{3,4})$", compact) or re.search(r"[.,](\d{1,2})$", compact)
    if decimal_match:
        integer_part = compact[: decimal_match.start()]
        fraction = decimal_match.group(1)
    else:
        integer_part, fraction = compact, ""
    grouped = r"\d{1,3}(?:[.,]\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}"  # thousands, or Indian lakh/crore groups
    if re.search(r"[.,]", integer_part) and not re.fullmatch(grouped, integer_part):
        return None
    if len(set(re.findall(r"[.,]", integer_part))) > 1:
        return None
    digits = re.sub(r"[.,]", "", integer_part)
    try:
        return Decimal(f"{digits}.{fraction}" if fraction else digits)
    except InvalidOperation:
        return None


def find_amounts(text: str, require_decimals: bool = False) -> list[AmountMatch]:
    """Every amount printed in `text`, left to right.

    With `require_decimals`, bare integers are skipped: in free text they are more often
    quantities, years or reference numbers than money.
    """
    repaired = repair_digits(text)
    matches: list[AmountMatch] = []
    for match in _AMOUNT_PATTERN.finditer(repaired):
        value = parse_number(match.group("number"))
        if value is None:
            continue
        has_decimals = re.search(r"[.,]\d{1,2}$", match.group("number")) is not None
        if require_decimals and not has_decimals and not _MILLIONS.fullmatch(match.group("number")):
            continue
        if match.group("sign") or match.group("trailing_sign"):
            value = -value
        matches.append(AmountMatch(value, match.start(), match.end(), text[match.start() : match.end()], has_decimals))
    return matches


def parse_amount(text: str) -> Decimal | None:
    """The single amount in `text` (currency symbols and labels allowed), else None."""
    matches = find_amounts(text)
    if len(matches) != 1:
        return None
    return matches[0].value


def format_money(value: Decimal) -> str:
    """The normalised money string: two decimals, no grouping ("1234.50")."""
    return str(value.quantize(_CENT))


def format_unit_price(value: Decimal) -> str:
    """A unit price: two decimals, more when it has them ("0.025" stays, "19.9" is "19.90")."""
    exact = value.normalize()
    return format_money(value) if exact.as_tuple().exponent >= -2 else f"{exact:f}"


def format_quantity(value: Decimal) -> str:
    """The normalised quantity string: no trailing zeros ("2", "1.5")."""
    normalized = value.normalize()
    return f"{normalized:f}"
