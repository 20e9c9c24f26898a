"""Repair OCR misreads of words from short, closed lists: the words addresses, company
names and field labels are made of.

A receipt is printed small, and the recogniser swaps single letters inside its most
common words ("JALAU" for JALAN, "SELAUGOR" for SELANGOR, "Payakle" for Payable) or drops
the space after a street word ("JALANPELABUR"). A word one substituted letter away from
exactly one listed word, and not itself on the list, is that word; anything else is left
as read. A substitution keeps the text's length, so offsets into it stay valid.
"""

from __future__ import annotations

import re
from functools import cache

# Street and building words, then Malaysian states, federal territories and large towns
# (the receipts in the SROIE style), then the same kinds of words in English and German.
ADDRESS_WORDS = frozenset(
    (
        "JALAN",
        "LORONG",
        "LEBUH",
        "LEBUHRAYA",
        "PERSIARAN",
        "TAMAN",
        "BANDAR",
        "KAWASAN",
        "PERINDUSTRIAN",
        "INDUSTRI",
        "BUKIT",
        "KAMPUNG",
        "PUSAT",
        "PLAZA",
        "MENARA",
        "WISMA",
        "KOMPLEKS",
        "MEDAN",
        "TINGKAT",
        "SELANGOR",
        "JOHOR",
        "KEDAH",
        "KELANTAN",
        "MELAKA",
        "NEGERI",
        "SEMBILAN",
        "PAHANG",
        "PENANG",
        "PINANG",
        "PERAK",
        "PERLIS",
        "SABAH",
        "SARAWAK",
        "TERENGGANU",
        "KUALA",
        "LUMPUR",
        "PUTRAJAYA",
        "LABUAN",
        "DARUL",
        "EHSAN",
        "TAKZIM",
        "MALAYSIA",
        "BAHRU",
        "PETALING",
        "SUBANG",
        "KLANG",
        "CHERAS",
        "PUCHONG",
        "KEPONG",
        "AMPANG",
        "SERDANG",
        "KAJANG",
        "SEREMBAN",
        "SETAPAK",
        "SEGAMBUT",
        "STREET",
        "AVENUE",
        "BOULEVARD",
        "FLOOR",
        "BUILDING",
        "CENTRE",
        "CENTER",
        "SQUARE",
        "STRASSE",
        "ALLEE",
        "PLATZ",
    )
)
# Words of the field labels (labels.py) long enough to be told apart after one misread
# letter; on folded (lower-case, accent-free) text. No word another language inflects into
# a neighbour: Polish "faktury" is not a misread "faktura".
LABEL_WORDS = frozenset(
    (
        "total",
        "payable",
        "subtotal",
        "invoice",
        "amount",
        "balance",
        "discount",
        "receipt",
        "customer",
        "rechnung",
        "rechnungsbetrag",
        "gesamtbetrag",
        "zwischensumme",
        "tendered",
        "including",
        "excluding",
        "inclusive",
        "exclusive",
    )
)
# Generic words of company names printed in capitals on till slips (a trade, a kind of
# shop, a legal form written out), none a neighbour of a common word one letter away.
# No brands and no places: those are proper nouns, read as printed.
NAME_WORDS = frozenset(
    (
        "BAKERIES",
        "BAKERY",
        "TRADING",
        "TRADERS",
        "ENTERPRISE",
        "ENTERPRISES",
        "HARDWARE",
        "STATIONERY",
        "RESTORAN",
        "RESTAURANT",
        "MARKETING",
        "SUPERMARKET",
        "HYPERMARKET",
        "MINIMARKET",
        "PERNIAGAAN",
        "SYARIKAT",
        "INDUSTRIES",
        "HOLDINGS",
        "CORPORATION",
        "INTERNATIONAL",
        "SERVICES",
        "ENGINEERING",
        "ELECTRICAL",
        "FURNITURE",
        "PHARMACY",
        "FARMASI",
        "BOOKSTORE",
        "MACHINERY",
        "CONFECTIONERY",
        "BERHAD",
        "LIMITED",
        "COMPANY",
    )
)
# Words after which OCR drops the space before the street's name ("JALANPELABUR").
_LEADING_WORDS = ("JALAN", "LORONG", "PERSIARAN", "TAMAN", "BANDAR", "LEBUH")
# "LOT" before a lot number, too short for the list: its narrow "L" read as "1.", "I" or "E",
# its "O" as a zero.
_MISREAD_LOT = re.compile(r"(?<![\w.])(?:1\.?[Oo]|[IE][Oo]|[Ll]0)([Tt])(?=\s*\d)")
# Shorter words have too many neighbours one letter away.
_MIN_LENGTH = 5
_WORD = re.compile(r"[^\W\d_]{5,}")
# A word in capitals and the space before the next one: the halves of a split word.
_SPLIT_CAPITALS = re.compile(r"\b([A-Z]{2,}) (?=([A-Z]{2,})\b)")


@cache
def _corrected(word: str, lexicon: frozenset[str]) -> str | None:
    """The one word of `lexicon` that `word` differs from by a single substituted letter."""
    if word in lexicon or len(word) < _MIN_LENGTH:
        return None
    near = [
        listed
        for listed in lexicon
        if len(listed) == len(word) and sum(a != b for a, b in zip(listed, word, strict=True)) == 1
    ]
    return near[0] if len(near) == 1 else None


def _split_leading(upper: str) -> str | None:
    for word in _LEADING_WORDS:
        if upper.startswith(word) and len(upper) - len(word) >= _MIN_LENGTH:
            return f"{word} {upper[len(word) :]}"
    return None


def _in_case_of(original: str, replacement: str) -> str:
    if original.isupper():
        return replacement
    return " ".join(part.capitalize() for part in replacement.split(" "))


def _repair_word(match: re.Match[str]) -> str:
    original = match.group()
    upper = original.upper()
    replacement = _corrected(upper, ADDRESS_WORDS) or (None if upper in ADDRESS_WORDS else _split_leading(upper))
    return _in_case_of(original, replacement) if replacement else original


def _spelt_lot(match: re.Match[str]) -> str:
    return "LOT" if match.group(1).isupper() else "Lot"


def repair_address(text: str) -> str:
    """`text` with the listed address words OCR misread by one letter, or glued to the
    next word, spelt as printed."""
    return _WORD.sub(_repair_word, _MISREAD_LOT.sub(_spelt_lot, text))


def _repair_name_word(match: re.Match[str]) -> str:
    word = match.group()
    # In capitals but for the one letter OCR may have misread ("ENTERPRlSE").
    in_capitals = sum(char.islower() for char in word) <= 1
    return (in_capitals and _corrected(word.upper(), NAME_WORDS)) or word


# Second halves of listed compounds that are words of their own: "MINI MARKET" and
# "SUPER MARKET" are printed so as often as joined, so only OCR's splits that leave a
# half that is no word ("BAK ERIES") are joined.
_WORD_HALVES = frozenset(("MARKET", "STORE", "WARE"))


def _join_split_name_word(match: re.Match[str]) -> str:
    joined = match.group(1) + match.group(2)
    return match.group(1) if joined in NAME_WORDS and match.group(2) not in _WORD_HALVES else match.group()


def repair_name(text: str) -> str:
    """`text` with the listed company-name words in capitals that OCR misread by one letter
    ("BAKERLES") or split with a space ("BAK ERIES") spelt as printed."""
    text = _SPLIT_CAPITALS.sub(_join_split_name_word, text)
    return _WORD.sub(_repair_name_word, text)


def repair_label_words(folded: str) -> str:
    """Folded text with the listed label words OCR misread by one letter spelt right
    ("total payakle:" → "total payable:"), the same length as before."""
    return _WORD.sub(lambda match: _corrected(match.group(), LABEL_WORDS) or match.group(), folded)
