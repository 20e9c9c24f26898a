"""Currency from what is printed: ISO 4217 codes (EUR, USD), symbols (€, £, $) and local
abbreviations (RM for Malaysian ringgit, Fr. for Swiss francs).

A code is stronger evidence than a symbol: "$" is also the Canadian, Australian and
Singapore dollar, so a printed "CAD" or "S$" wins over a bare "$".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from invoice_ocr.extraction.amounts import find_amounts
from invoice_ocr.page import OcrLine

_ISO_CODES = [
    "EUR", "USD", "GBP", "CHF", "MYR", "SGD", "AUD", "CAD", "NZD", "JPY", "CNY", "HKD", "INR", "IDR",
    "THB", "PHP", "VND", "KRW", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY", "ZAR",
    "BRL", "MXN", "ARS", "CLP", "COP", "AED", "SAR", "ILS", "RUB",
    # Codes that are no common word or abbreviation on an invoice (not "ALL", "CUP", "PEN",
    # "GEL", "AMD", nor Malaysia's "BHD").
    "KES", "NGN", "GHS", "TZS", "UGX", "EGP", "MAD", "TND", "PKR", "LKR", "BDT", "NPR", "QAR", "KWD",
    "OMR", "JOD", "TWD", "ISK", "UAH", "RSD", "MKD", "BYN", "MDL", "KZT", "UZS", "AZN",
]  # fmt: skip
_PREFIXED_DOLLARS = {
    "US$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "S$": "SGD", "NZ$": "NZD", "HK$": "HKD",
    "R$": "BRL",
}  # fmt: skip
_SYMBOLS = {
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "฿": "THB", "₱": "PHP",
    "₦": "NGN", "₴": "UAH", "₫": "VND", "₪": "ILS", "₸": "KZT", "₵": "GHS", "$": "USD",
}  # fmt: skip
# Abbreviations that are also ordinary words elsewhere count only next to a number
# (upper-case "RM" on its own too: receipts print "TOTAL RM" and "AMOUNT (RM)"), and not
# after a word and a dash: "Mo.-Fr. 08.30 - 12.30 Uhr" is a range of weekdays in opening
# hours, while "-Rs. 1,60,335.78" is a negative amount.
_ABBREVIATIONS = {
    "RM": "MYR", "Rp": "IDR", "Fr.": "CHF", "zł": "PLN", "Kč": "CZK", "kr": "SEK",
    "Rs.": "INR", "Rs": "INR", "Ft": "HUF", "TL": "TRY", "lei": "RON", "KSh": "KES", "Ksh": "KES", "Kshs": "KES",
}  # fmt: skip
# The South African rand's "R" counts only before an amount with cents: "R 104 310.00",
# never in a road's name ("Cnr R44 & School Road").
_RAND = re.compile(r"(?<![A-Za-z])R\s?(?=\d{1,3}(?:[ ,]\d{3})*\.\d{2}(?!\d))")
# An amount written out in words names its currency ("Total In Words: Indian Rupee
# Fifty-Nine Thousand Only", "RINGGIT MALAYSIA TEN ONLY"): the one mark a scan keeps
# where OCR drops a "₹" it does not know. Only such lines count: "euro" alone is also a
# word ("Euro-Palette").
# A line the amount in words wraps over opens with the currency and a number word.
_AMOUNT_IN_WORDS = re.compile(
    r"in\s+words|\bonly\W*$|^\W*(?:[A-Za-z.]+\s+){0,2}(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand|lakh|crore|million)\b",
    re.IGNORECASE,
)
_CURRENCY_NAMES = {
    r"(?:indian\s+)?rupees?": "INR", r"ringgit": "MYR", r"euros?": "EUR", r"pounds?\s+sterling": "GBP",
    r"(?:us|u\.s\.)\s+dollars?": "USD", r"singapore\s+dollars?": "SGD", r"australian\s+dollars?": "AUD",
    r"canadian\s+dollars?": "CAD", r"dirhams?": "AED", r"riyals?": "SAR", r"swiss\s+francs?": "CHF",
}  # fmt: skip
_CURRENCY_NAME_PATTERN = re.compile(
    r"(?<![A-Za-z])(" + "|".join(f"(?:{name})" for name in _CURRENCY_NAMES) + r")(?![A-Za-z])", re.IGNORECASE
)
_CODE_WEIGHT, _SYMBOL_WEIGHT = 3, 1
# Marks several currencies print, with the one they count for unless the document names
# one of the others by code: the "$" of dollars and pesos, the "kr" of Nordic crowns.
_SHARED_MARKS = {
    "$": ("USD", ("CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP")),
    "kr": ("SEK", ("NOK", "DKK")),
}
_CANADIAN_TAX = re.compile(r"(?<![A-Za-z])(?:HST|PST|QST|TVQ)(?![A-Za-z])")
# Words only one country's invoices print, telling whose crowns a bare "kr" means: Norway's
# VAT word and payment reference ("MVA 25 %", "KID-nummer"), Denmark's company register.
# Words only one country's documents print, telling whose pesos or dollars a bare "$"
# means: Chile's tax number and tax office ("RUT", "SII"), Argentina's ("CUIT", "AFIP"),
# a Singapore address's six-digit postcode ("Singapore 129588"), Australia's business
# number ("ABN 12 345 678 901").
_DOLLAR_SIGN_COUNTRY = (
    (re.compile(r"(?<![A-Za-z])(?:RUT|SII)(?![A-Za-z])"), "CLP"),
    (re.compile(r"(?<![A-Za-z])(?:CUIT|AFIP)(?![A-Za-z])"), "ARS"),
    (re.compile(r"(?<![A-Za-z])Singapore\s*\d{6}(?!\d)", re.IGNORECASE), "SGD"),
    (re.compile(r"(?<![A-Za-z])ABN(?![A-Za-z])"), "AUD"),
)
_CROWN_COUNTRY = (
    (re.compile(r"(?<![A-Za-z])(?:MVA|KID|Foretaksregisteret)(?![A-Za-z])"), "NOK"),
    (re.compile(r"(?<![A-Za-z])(?:CVR|Momsbeløb)(?![A-Za-z])"), "DKK"),
)
# OCR reads the peso sign it does not know as a "P" ("P 29,395.00"); that "P" before an
# amount with cents counts for the peso only on a document the Philippine tax bureau's
# marks show to be Philippine: "BIR" (its permits) or a TIN in its 000-000-000-000 form.
_PESO_READ_AS_P = re.compile(r"(?<![A-Za-z])P\s?(?=\d{1,3}(?:,\d{3})*\.\d{2}(?!\d))")
_PHILIPPINE = re.compile(r"(?<![A-Za-z])BIR(?![A-Za-z])|(?<!\d)\d{3}-\d{3}-\d{3}-\d{3,5}(?!\d)")
# An Italian address ends in the province's code in brackets: "00186 Roma (RM)" is Rome.
_ITALIAN_PROVINCE = re.compile(r"\b\d{5}\s+[A-Z][a-zà-ù]+(?:\s+[A-Za-zà-ù']+)*\s*\(RM\)")

_CODE_PATTERN = re.compile(r"(?<![A-Za-z])(" + "|".join(_ISO_CODES) + r")(?![A-Za-z])")
_PREFIXED_PATTERN = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(key) for key in _PREFIXED_DOLLARS) + ")")
_SYMBOL_PATTERN = re.compile("[" + re.escape("".join(_SYMBOLS)) + "]")
_ABBREVIATION_PATTERN = re.compile(
    r"(?:(?<![A-Za-z])(?<![A-Za-z.][-–])(" + "|".join(re.escape(key) for key in _ABBREVIATIONS) + r")\s?(?=[-\d])"
    r"|(?<=\d)\s?(" + "|".join(re.escape(key) for key in _ABBREVIATIONS) + r")(?![A-Za-z]))"
    r"|(?<![A-Za-z])(RM)(?![A-Za-z])"
)


@dataclass(frozen=True, slots=True)
class CurrencyEvidence:
    """The document's currency: ISO code, the mark as printed and the line printing it."""

    code: str
    text: str
    line: OcrLine
    unanimous: bool


def _marks_in(text: str) -> list[tuple[str, str, int]]:
    """(code, printed mark, weight) for every currency mark in a text."""
    marks = [(match.group(1), match.group(1), _CODE_WEIGHT) for match in _CODE_PATTERN.finditer(text)]
    prefixed_spans = []
    for match in _PREFIXED_PATTERN.finditer(text):
        marks.append((_PREFIXED_DOLLARS[match.group(1)], match.group(1), _CODE_WEIGHT))
        prefixed_spans.append(match.end() - 1)
    for match in _SYMBOL_PATTERN.finditer(text):
        if match.start() not in prefixed_spans:
            marks.append((_SYMBOLS[match.group()], match.group(), _SYMBOL_WEIGHT))
    for match in _ABBREVIATION_PATTERN.finditer(text):
        printed = next(group for group in match.groups() if group)
        if printed == "RM" and _ITALIAN_PROVINCE.search(text):
            continue
        marks.append((_ABBREVIATIONS[printed], printed, _CODE_WEIGHT))
    marks += [("ZAR", "R", _CODE_WEIGHT) for _ in _RAND.finditer(text)]
    if _AMOUNT_IN_WORDS.search(text):
        marks += [
            (_named_currency(match.group(1)), match.group(1), _SYMBOL_WEIGHT)
            for match in _CURRENCY_NAME_PATTERN.finditer(text)
        ]
    return marks


def _named_currency(name: str) -> str:
    return next(code for pattern, code in _CURRENCY_NAMES.items() if re.fullmatch(pattern, name, re.IGNORECASE))


def is_currency_alone(text: str) -> bool:
    """Whether a text is nothing but currency marks ("EUR", a till receipt's column head)."""
    rest = text
    for _, printed, _ in _marks_in(text):
        rest = rest.replace(printed, " ")
    return rest != text and not rest.strip(" .:()")


def is_money_alone(text: str, *, marked: bool = False) -> bool:
    """Whether a text is one amount with decimals and nothing else but currency marks
    ("£85.33", "85.33"); with `marked`, only with its mark printed ("€1,695.00")."""
    amounts = find_amounts(text, require_decimals=True)
    if len(amounts) != 1:
        return False
    rest = text[: amounts[0].start] + text[amounts[0].end :]
    return is_currency_alone(rest) or (not marked and not rest.strip())


def _shared_marks_join_their_code(votes: Counter[str], bare: Counter[str], country: dict[str, str]) -> None:
    """Bare shared marks count for the one other currency of theirs the document names by
    code ("Amount Due (CAD)" over "$3,360.00", "Å betale NOK" over "kr 20 292,25"), or
    that the document's words tell (`country`: a "$" for the Canadian dollar on a document
    that charges a tax only Canada levies, HST, PST, QST or TVQ; a "kr" for Norway's crown
    beside "MVA"), not for their default."""
    for mark, (default, others) in _SHARED_MARKS.items():
        named = [code for code in others if votes[code]] or ([country[mark]] if mark in country else [])
        if bare[mark] and len(named) == 1:
            weight = bare[mark] * (_SYMBOL_WEIGHT if mark in _SYMBOLS else _CODE_WEIGHT)
            votes[default] -= weight
            votes[named[0]] += weight
            if votes[default] <= 0:
                del votes[default]


def _countries_told(lines: Sequence[OcrLine]) -> dict[str, str]:
    """The currency each shared mark stands for by the document's words, where they tell."""
    told = {}
    dollars = {code for pattern, code in _DOLLAR_SIGN_COUNTRY if any(pattern.search(line.text) for line in lines)}
    if any(_CANADIAN_TAX.search(line.text) for line in lines):
        told["$"] = "CAD"
    elif len(dollars) == 1:
        told["$"] = dollars.pop()
    crowns = {code for pattern, code in _CROWN_COUNTRY if any(pattern.search(line.text) for line in lines)}
    if len(crowns) == 1:
        told["kr"] = crowns.pop()
    return told


def detect_currency(lines: Sequence[OcrLine]) -> CurrencyEvidence | None:
    """The currency the document is written in, by weighted vote over all its marks."""
    votes: Counter[str] = Counter()
    first_seen: dict[str, tuple[str, OcrLine]] = {}
    bare: Counter[str] = Counter()
    philippine = any(_PHILIPPINE.search(line.text) for line in lines)
    for line in lines:
        marks = _marks_in(line.text)
        if philippine:
            marks += [("PHP", "P", _SYMBOL_WEIGHT) for _ in _PESO_READ_AS_P.finditer(line.text)]
        for code, printed, weight in marks:
            votes[code] += weight
            bare[printed] += 1
            first_seen.setdefault(code, (printed, line))
    if not votes:
        return None
    _shared_marks_join_their_code(votes, bare, _countries_told(lines))
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    code = ranked[0][0]
    # A currency a shared mark counts for is printed as that mark ("$", "kr").
    printed, line = first_seen.get(code) or next(
        first_seen[default] for default, _ in _SHARED_MARKS.values() if default in first_seen
    )
    return CurrencyEvidence(code, printed, line, unanimous=len(ranked) == 1)
