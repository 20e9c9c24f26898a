"""Dates as printed: numeric (2024-03-15, 15.03.2024, 03/15/2024, 09/08/17) and with month
names in several languages ("15 March 2024", "15 mars 2024", "15. März 2024", "Mar 15, 2024").

Numeric dates are parsed here because their day/month order is a property of the whole
document (see `infer_day_first`); dates with month names go to `dateparser`, which knows
the month names and abbreviations of many languages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import dateparser

_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt", "pl"]
# The year may run into a time when OCR drops the space ("02/03/20241:37 PM",
# "21.11.2609:15" for "21.11.26 09:15").
_NUMERIC_DATE = re.compile(
    r"(?<![\d.,/-])(\d{1,4})\s?([./-])\s?(\d{1,2})\s?\2\s?"
    r"(\d{4}(?=\d{1,2}:)|\d{2}(?=(?:[01]\d|2[0-3]):[0-5]\d)|\d{2,4}(?![\d/]))(?!\.\d)"
)
_MONTH_WORD = r"[^\W\d_]{3,12}\.?"  # up to "października"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|º|°)?\.?"
# Hyphens may part day, month and year ("14-Nov-2026", "05-AUG-17").
_TEXT_DATE = re.compile(
    rf"(?<!\w)(?:{_DAY}(?:\s*|-)(?:de\s+)?{_MONTH_WORD}(?:\s*,?\s*(?:de\s+)?\d{{4}}|-(?:\d{{4}}|\d{{2}}))"
    rf"|{_MONTH_WORD}\s+{_DAY}\s*,?\s*\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# Numbers with unit words: Vietnamese "15 tháng 04 năm 2025" (a bracketed gloss may follow
# each word: "tháng (month) 04"), and Chinese, Japanese and Korean "2025年4月15日", "2025년 4월 15일".
_GLOSS = r"\s*(?:\([a-z]{2,6}\)\s*)?"
_UNIT_DATE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*th[aá]ng{_GLOSS}(?P<month>\d{{1,2}})\s*,?\s*n[aă]m{_GLOSS}(?P<year>\d{{4}})(?!\d)"
    r"|(?<!\d)(?P<cjk_year>\d{4})\s*[年년]\s*(?P<cjk_month>\d{1,2})\s*[月월]\s*(?P<cjk_day>\d{1,2})\s*[日일]?",
    re.IGNORECASE,
)
_COMPACT_DATE = re.compile(r"(?<!\w)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_MIN_YEAR, _MAX_YEAR = 1990, 2100


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text, with where it is printed."""

    value: dt.date
    start: int
    end: int
    text: str
    order_ambiguous: bool


def _two_digit_year(year: int) -> int:
    return 2000 + year if year < 70 else 1900 + year


def _valid(year: int, month: int, day: int) -> dt.date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric_parts(match: re.Match[str]) -> tuple[int, int, int, bool] | None:
    """(first, second, year, year_first) of a numeric date, or None if it is not one."""
    first, _, second, last = match.groups()
    if len(first) == 4:
        return int(second), int(last), int(first), True
    if len(last) not in (2, 4) or len(first) > 2:
        return None
    year = int(last) if len(last) == 4 else _two_digit_year(int(last))
    return int(first), int(second), year, False


def _parse_numeric(match: re.Match[str], day_first: bool) -> DateMatch | None:
    parts = _numeric_parts(match)
    if parts is None:
        return None
    first, second, year, year_first = parts
    if year_first:
        value = _valid(year, first, second)
        ambiguous = False
    elif match.group(2) == ".":
        # Dotted dates are day first wherever they are written (DE, FR, ES, ...).
        value = _valid(year, second, first)
        ambiguous = False
    else:
        day, month = (first, second) if day_first else (second, first)
        value = _valid(year, month, day) or _valid(year, day, month)
        ambiguous = first <= 12 and second <= 12 and first != second
    if value is None:
        return None
    return DateMatch(value, match.start(), match.end(), match.group(), ambiguous)


@lru_cache(maxsize=512)
def _parse_words(text: str) -> dt.date | None:
    parsed = dateparser.parse(
        text,
        languages=_LANGUAGES,
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"},
    )
    if parsed is None:
        return None
    return _valid(parsed.year, parsed.month, parsed.day)


def find_dates(text: str, day_first: bool = True, compact: bool = False) -> list[DateMatch]:
    """Every date printed in `text`, left to right; with `compact`, also year-month-day
    digits without separators ("20180428/191204"), which only a date label makes a date."""
    found = [parsed for match in _NUMERIC_DATE.finditer(text) if (parsed := _parse_numeric(match, day_first))]
    if compact:
        found += [
            DateMatch(value, match.start(), match.end(), match.group(), False)
            for match in _COMPACT_DATE.finditer(text)
            if (value := _valid(*map(int, match.groups())))
        ]
    for match in _UNIT_DATE.finditer(text):
        year, month, day = (
            int(part)
            for part in (
                match["year"] or match["cjk_year"],
                match["month"] or match["cjk_month"],
                match["day"] or match["cjk_day"],
            )
        )
        if value := _valid(year, month, day):
            found.append(DateMatch(value, match.start(), match.end(), match.group(), False))
    for match in _TEXT_DATE.finditer(text):
        value = _parse_words(match.group())
        if value is not None:
            found.append(DateMatch(value, match.start(), match.end(), match.group(), False))
    return sorted(found, key=lambda item: item.start)


def infer_day_first(texts: Iterable[str], month_first_locale: bool = False) -> bool:
    """Whether the document writes numeric dates day first.

    A date whose first number exceeds 12 settles it (day first), as does one whose second
    number does (month first); otherwise the locale decides: month first only where
    the document's currency says US.
    """
    votes_day_first = votes_month_first = 0
    for text in texts:
        for match in _NUMERIC_DATE.finditer(text):
            parts = _numeric_parts(match)
            if parts is None or parts[3] or match.group(2) == ".":
                continue
            first, second = parts[0], parts[1]
            votes_day_first += first > 12 >= second
            votes_month_first += second > 12 >= first
    if votes_day_first != votes_month_first:
        return votes_day_first > votes_month_first
    return not month_first_locale


def format_date(value: dt.date) -> str:
    """The normalised date string (ISO 8601, "YYYY-MM-DD")."""
    return value.isoformat()


# Terms to the end of a month ("30 jours fin de mois") are no plain count of days.
_MONTH_END = r"\W*(?:fin\s*de\s*mois|end\s*of\s*(?:the\s*)?month|eom|zum\s*monatsende|fine\s*mese|f\.?\s*m\.?\b)"
# Payment terms that set the due date a number of days after the invoice date ("Net 30",
# "payable within 14 days", "Zahlbar innerhalb von 14 Tagen", the Swiss "innert 30 Tagen",
# "binnen 30 dagen", "à 30 jours", "entro 30 giorni", "30 Tage netto"). On folded text.
_TERM_DAYS = re.compile(
    r"(?<![a-z])(?:(?:net|within|innerhalb(?:\s*von)?|innert|binnen|sous|a|entro|in|en|dentro\s*de|w\s*ciagu)\s*"
    rf"(?P<days>\d{{1,3}})\s*(?:calendar\s*)?(?:days?|tagen?|dagen|jours|giorni|gg|dias|dni)(?![a-z])(?!{_MONTH_END})"
    r"|(?P<net_days>\d{1,3})\s*(?:days?|tage)\s*(?:net(?:to)?|rein|ohne\s*abzug)(?![a-z])"
    r"|net\s*(?P<net>\d{1,3})(?![\d.,%])(?!\s*(?:[%€$£¥₹]|[a-z])))"
)
# An early-payment discount's period is not the due date: a clause that names a discount
# anywhere ("2 % Skonto innerhalb 10 Tagen", "Bei Zahlung innerhalb 14 Tagen gewähren wir
# 2,0% Skonto", "Skontovereinbarung: …") sets none. Clauses end at "; " ", " ". ".
DISCOUNT_TERM = re.compile(r"(?<![a-z])(?:skonto|discount|escompte|sconto|korting|rabatt|descuento|remise)")
# Nor is a till slip's window for exchanges and returns ("Umtausch innerhalb von 30 Tagen",
# "Returns within 28 days", "Échange sous 30 jours"), or the window to dispute the invoice
# ("Niet eens met deze factuur? Laat het ons binnen 30 dagen … weten", "Einwendungen …
# innerhalb von 8 Wochen").
_RETURN_TERM = re.compile(
    r"(?<![a-z])(?:umtausch|ruckgabe|returns|return\s*(?:policy|period|within)|exchanges?|refunds?|echange|retour"
    r"|cambio|devolucion|reso(?![a-z])|ruilen|zwrot"
    r"|niet\s*eens|bezwaar|dispute|quer(?:y|ies)|reclam\w*|beanstand\w*|einwend\w*|einspruch|widerspruch|contest\w*)"
)
_CLAUSE_END = re.compile(r"[;,.](?:\s|$)")


@dataclass(frozen=True, slots=True)
class PaymentTerm:
    """Days to pay after the invoice date, and where a text prints them."""

    days: int
    start: int
    end: int


def find_payment_terms(folded: str) -> list[PaymentTerm]:
    """The net payment terms in a folded text, without an early-payment discount's or a
    return window's."""
    found = []
    ends = [0, *(end.end() for end in _CLAUSE_END.finditer(folded)), len(folded)]
    for match in _TERM_DAYS.finditer(folded):
        start = max(end for end in ends if end <= match.start())
        stop = min(end for end in ends if end >= match.end())
        if DISCOUNT_TERM.search(folded, start, stop) or _RETURN_TERM.search(folded, start, stop):
            continue
        days = int(next(group for group in match.groups() if group))
        found.append(PaymentTerm(days, match.start(), match.end()))
    return found
