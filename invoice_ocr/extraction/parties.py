"""Vendor and customer: names and the vendor's address.

A labelled party ("Bill to", "From", "Rechnungsempfänger") takes the first text beside or
below its label. An unlabelled customer is read from a letter's window (the line under
the sender's one-line return address), else, with a low confidence, from the first
block in the page's upper half that is a name over a street and a postcode and holds
none of the vendor's lines. An unlabelled vendor is the most prominent line near the top of the
first page: tall text, a company suffix (GmbH, Ltd, SDN BHD, S.L.) and an early position
all count, document titles and label lines do not; a legal form is spelt and spaced as
printed even where OCR glued or misread it. A brand without a legal form ("telvia", a
logo) takes the legal name a line elsewhere starts with it ("Telvia UK Limited,
registered in …"). Its address is the block of aligned
lines right under it, from the first line with a digit (street number, postcode) to the
first contact or registration line, with its street and place words repaired where OCR
misread a letter (`lexicon`).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from invoice_ocr.extraction.amounts import find_amounts
from invoice_ocr.extraction.currency import is_currency_alone
from invoice_ocr.extraction.dates import find_dates
from invoice_ocr.extraction.labels import CUSTOMER_NAME, LEGAL_FORM, VENDOR_NAME, fold, is_label
from invoice_ocr.extraction.layout import first_in_column, span_polygon
from invoice_ocr.extraction.lexicon import NAME_WORDS, repair_address, repair_name
from invoice_ocr.extraction.pairing import LabelledValue, ValueSource, named_by_its_key, overlaps_horizontally
from invoice_ocr.extraction.table import is_till_item_row
from invoice_ocr.page import OcrLine, lines_polygon

_DOCUMENT_TITLE = re.compile(
    r"^\W*(?:(?:tax|simplified\s*tax|proforma|pro\s*forma|commercial|sales|vat|official)?\s*(?:invoice|receipt)"
    r"|rechnung|quittung|kassenbon|arve|nota\s*fiscal|e\s*-?\s*arsiv\s*fatura"
    r"|facture|factura|recibo|recu|ticket|credit\s*note|gutschrift|avoir|page|seite"
    r"|factuur|creditnota|fattura|nota\s*di\s*credito|fatura|nota\s*de\s*credito|faktura|korekta|paragon"
    r"|scontrino|documento\s*commerciale|bon|rechnungskorrektur|handelsrechnung|proforma"
    r"|(?:cash|tax)\s*bill|bil\s*tunai|invois\s*cukai)\b"
)
# Greetings at the top or bottom of a till receipt: never the shop's name.
_COURTESY = re.compile(
    r"^\W*(?:vielen\s*dank|danke|herzlich|willkommen|thank\s*you|thanks|welcome|merci|bienvenue|grazie|benvenut"
    r"|gracias|bienvenid|obrigad|bem-vind|bedankt|welkom|dziekujemy|zapraszamy|auf\s*wiedersehen|bis\s*bald"
    r"|have\s*a\s*nice|see\s*you|please\s*come|sila\s*datang|terima\s*kasih)(?![a-z])"
)
# "Web" and "Mobile" are contact keys only as keys ("Web: …"): "Amazon Web Services, Inc." is a name.
_CONTACT = re.compile(
    r"(?<![a-z])(?:tel|phone|fax|hp|email|e-mail|www|http)(?![a-z])|(?<![a-z])(?:web(?:site)?|mobile)\s*:|@"
    r"|^[\d\s()+/-]{7,}$"
)
# A shop's opening hours ("Mo–Fr 9–20 Uhr · Sa 8–18 Uhr", "Open daily 8am-10pm"): no name,
# though a weekday may read as a legal form ("Sa" as S.A.).
_OPENING_HOURS = re.compile(
    r"(?<![a-z])(?:offnungszeiten|geoffnet|opening\s*(?:hours|times)|open\s*(?:daily|hours)|openingstijden|horaires"
    r"|orari|horario)(?![a-z])"
    r"|\d{1,2}(?:[:.]\d{2})?\s*(?:uhr|h|am|pm)?\s*[-–]\s*\d{1,2}(?:[:.]\d{2})?\s*(?:uhr|h|am|pm)(?![a-z])"
    r"|(?<![a-z])(?:mo|mon|di|tue|lu|lun|ma)\.?\s*[-–]\s*(?:fr|fri|sa|sat|so|sun|vr|za|ven|sam|sab|do)\.?(?![a-z])"
)
_REGISTRATION = re.compile(
    r"(?<![a-z])(?:gst|gstin|vat|tax|reg|roc|br|co\.?\s*no|company\s*(?:no|nr|reg\w*|number|id)|ust|steuer|hrb|siret|siren|tva|nif|cif|iban|bic"
    r"|swift|abn|p\.?\s?iva|partita\s*iva|codice\s*fiscale|kvk|btw\s*-?\s*(?:nr|nummer|id)"
    r"|firmenbuch|handelsregister|amtsgericht|registergericht|rcs|rpr|rpm|kbo|ondernemingsnummer"
    r"|btw\s*(?:[a-z]{2}\s*)?\d"
    r"|st\.?\s*-?\s*nr|steuer\s*-?\s*(?:nr|nummer)|uid|w-?idnr|org\.?\s*-?\s*nr|ico|dic|rfc|cvr)(?![a-z])"
    r"|^\W*[a-z]{0,3}\d[\w-]*\W*$"
    # Short registration keys that are also words ("PAN") only with their number.
    r"|(?<![a-z])(?:pan|cin|uen|ein|tin|nip|kvk|regon)\s*(?:no\.?|nr\.?|#)?\s*[:.]?\s*[a-z]*\d"
)
# A post-office box stands for the street ("Box 1182", "Postbus 41920", "P.O. Box 77").
_PO_BOX = re.compile(
    r"^\W*(?:p\.?\s?o\.?\s*box|box|postbus|postfach|postboks|postbox|boite\s*postale|b\.?\s?p\.|apartado"
    r"|casilla|caixa\s*postal|skrytka\s*pocztowa)\s*\d"
)
# A postcode of three and two digits before the town (SE, CZ, SK, GR): "721 29 Västerås".
_SPLIT_POSTCODE_TOWN = r"(?<![\d-])\d{3}\s\d{2}\s+[a-z]{3,}"
# An address line: a street number first ("NO.12, JALAN …", "3RD FLR", "LOT 3"), a
# postcode before the town ("81750 MASAI", "DE 80333 München"), a street word first
# ("JLN JEJAKA, TAMAN MALURI") or beside a number ("Lieferantenstraße 20"),
# or a post-office box.
_ADDRESS_START = re.compile(
    r"^\W*(?:(?:no|lot|unit|blk|block|level|suite)\b\.?\s*:?\s*\d|\d+\s*(?:[-,/]|st|nd|rd|th\b))"
    r"|(?<![\d-])\d{4,5}\s+[a-z]{3,}|(?<![\d-])\d{4}\s?[a-z]{2}\s+[a-z]{3,}"  # "2511 BT Den Haag"
    rf"|{_SPLIT_POSTCODE_TOWN}|{_PO_BOX.pattern}"
    # "Seattle, WA 98109", "San Francisco, California 94104-1234"; "London SW1A 1AA".
    r"|,\s*[a-z][a-z .]+\s+\d{5}(?:-\d{4})?\W*$|(?<![a-z\d])[a-z]{1,2}\d[a-z\d]?\s+\d[a-z]{2}\W*$"
)
_STREET_WORD = re.compile(
    r"(?<![a-z])(?:jalan|jln|lorong|taman|tmn|street|st|road|rd|avenue|ave|lane|drive|boulevard|blvd|floor|flr"
    r"|strasse|str|weg|platz|allee|gasse|ring|rue|chemin|via|viale|calle|avenida|rua|straat|laan|ulica|ul"
    r"|gracht|kade|plein|dijk|singel"
    # Central and Eastern European, Baltic and Turkish street words.
    r"|cesta|ulice|utca|iela|gatve|tanav|sokak|caddesi|strada|calea|bulevardul|trg|namesti)(?![a-z])"
    # A compound street name and its number: "Musterstraße 12", "Keizersgracht 150a".
    r"|[a-zß]{2}(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|straat|gracht|laan|kade|plein|dijk|singel"
    r"|gata|gatan|vagen|veien|gate|vej|katu|tie)"
    r"\s*\d+\s*[a-z]?(?![\w])"
)
# "Key: value" ("VALUED CUSTOMER: 1170…", "ORDER TIME : 17:57"): a field, not a name.
_KEY_VALUE = re.compile(r"\w\s*:\s*\S")
# A registration number in brackets after a company name: "SDN BHD (139386 X)", "(965752-T)",
# also keyed and in Malaysia's twelve-digit form with the old number beside it:
# "(Company No. 201901023456 (1332211-K))".
_TRAILING_REGISTRATION = re.compile(
    r"\s*\(\s*(?:(?:company|co|reg(?:istration)?)\.?\s*(?:reg\.?\s*)?(?:no|number)\.?:?\s*)?"
    r"[a-z]{0,3}\s*[\d!][\d\s-]*[a-z]?\s*(?:\(\s*[\d\s-]+[a-z]?\s*\)\s*)?\)\W*$",
    re.IGNORECASE,
)
# Single letters with spaces between them ("B A R"): a heading printed letter-spaced, not a name.
# A text layer splits a tracked word into pairs as well ("A N A LY T I C S").
_LETTER_SPACED = re.compile(r"(?:\w\s+){2,}\w|(?:\w{1,2}\s+){4,}\w{1,2}")
# OCR drops the space before a legal form ("(KL)SDN BHD", "STATIONERY SDN.BHD") and reads
# the D of "SDN" as I or l: the legal form is a word of its own with one spelling.
_GLUED_LEGAL_FORM = re.compile(r"(?<=[.)])(?=(?:sdn|bhd|ltd|gmbh|llc|inc|pte|pty|plc)\b)", re.IGNORECASE)
_MISREAD_SDN = re.compile(r"\bS[IlD1]N(?=\.?\s*BHD\b)")
# The small "l" of "S.r.l." and "S.a.r.l." read as a capital "I" or a "1".
_MISREAD_SRL = re.compile(r"\b(S\.\s?(?:a\.\s?)?r\.\s?)[I1|](?![A-Za-z])")
# The o's of the Polish "Sp. z o.o." read as zeros ("Sp. z 0.o."), which reads as an amount.
_MISREAD_SP_Z_OO = re.compile(r"\b(sp\.\s?z\s?)[0o](\.\s?)[0o]\.", re.IGNORECASE)
# The S of the Danish "ApS" read as a 5.
_MISREAD_APS = re.compile(r"\bAp5\b")
# A line in brackets under the name, without digits, names the branch as part of the
# trading name: "CHECKERS HYPERMARKET SDN BHD" over "(JALAN KLANG LAMA)".
_BRANCH = re.compile(r"\s*\([^\d()]{3,40}\)\s*")
# Between the parts of a return-address line ("Firma GmbH • Straße 1 • 12345 Ort").
# A lone mark: a run of them masks digits ("IBAN NL•• INGB •••• ••71"), parting nothing.
# A dash between spaces parts too: some letters print one, and OCR reads a middle dot so.
# A return address may say it is one ("Retouradres: Postbus 40133, 3504 AC Utrecht"): the
# word, then the sender's name or only a post box. On folded text; matches the empty
# prefix when the word is not printed.
_RETURN_ADDRESS_WORD = re.compile(
    r"(?:\W*(?:retouradres|return\s*address|(?:if\s*undelivered\s*)?return\s*to|absender|expediteur)\s*:\s*)?"
)
_RETURN_ADDRESS_SEPARATOR = re.compile(r"(?<![●•·|▪◦])[●•·|▪◦](?![●•·|▪◦])|(?<=\s)[-–](?=\s)")
_SALUTATIONS = r"herrn?|frau|mr\.?|mrs\.?|ms\.?|mme\.?|monsieur|madame|dhr\.?|mevr\.?"
# A salutation printed on a line of its own above a person's name, or a couple's
# ("Frau und Herrn" over "Sabine und Markus Wendt", "Mr & Mrs", "M. et Mme").
_SALUTATION = re.compile(
    rf"\s*(?:(?:{_SALUTATIONS})(?:\s*(?:und|u\.|and|&|\+|et|en)\s*(?:{_SALUTATIONS}))?|firma|familie)\s*", re.IGNORECASE
)
# The owner named under a shop's name ("Inh. Karl Schmidt e.K."): not the shop. On folded text.
_OWNER = re.compile(r"\W*(?:inh\.|inhaber(?:in)?|owner|prop\.|proprietor|proprietaire|titolare|eigenaar)(?![a-z])")
# An Italian shop prints its owner as "di Rossi Mario & C. s.n.c." under its sign; on the
# text as printed, since only the small "di" tells it from the surname in "DI MARTINO SRL".
_OWNER_OF = re.compile(r"\s*di\s+[A-Z]")
_CARE_OF = re.compile(
    r"\W*(?:attention|attn\.?|att\s*[:.]|c/o|care\s*of|z\.\s*hd\.?|zu\s*handen|t\.\s*a\.\s*v\.?|ter\s*attentie"
    r"|a\s*l'attention|all'attenzione|a/a\b|f\.?\s?a\.?\s?o\b\.?)"
)
# The department a letter is addressed to, over the company's name (on folded text).
_DEPARTMENT = re.compile(
    r"\W*(?:the\s*)?(?:accounts?\s*(?:payable\s*)?(?:department|dept\.?)?|finance\s*(?:department|dept\.?)"
    r"|(?:kreditoren)?buchhaltung|service\s*comptabilite|crediteurenadministratie)\W*"
)
# A salutation opening a line, alone or before a name ("Mr James Whitfield", "Herrn").
_SALUTATION_START = re.compile(rf"\s*(?:{_SALUTATIONS}|attn\.?:?)(?:\s|$)", re.IGNORECASE)
# The post's endorsement printed in a letter's window over the recipient: "Entgelt
# bezahlt", "Port payé", "Postage paid", "Port betalt", a mailing's "DV 05.25" code.
_POSTAL_MARK = re.compile(
    r"\W*(?:entgelt\s*bezah[li1]t|port\s*paye|postage\s*paid|port\s*betal[dt]|porto\s*betaald|taxe\s*percue"
    r"|premiumadress|dialogpost|infopost|(?:dv|pvst)\s*\d)"
)
# A store's number over its address ("Filiale 1234", "Store #0815"): not the address.
_BRANCH_NUMBER = re.compile(
    r"\W*(?:filiale|markt|store|branch|outlet|shop|niederlassung)\s*(?:nr\.?|no\.?|#)?\s*:?\s*\d+\W*$"
)
# A postcode as the countries print it: "LS6 2QT", "3511 LK", "1013 AB Amsterdam",
# "80331 München", "Boston, MA 02109".
_POSTCODE = re.compile(
    r"(?<![a-z\d])(?:[a-z]{1,2}\d[a-z\d]?\s+\d[a-z]{2}|\d{4}\s?[a-z]{2}|\d{4,5}(?:-\d{3,4})?)(?![a-z\d])"
    rf"|{_SPLIT_POSTCODE_TOWN}"
)
# A house number before the street's name: "14 Orchard Close", "Flat 3, 19 Elm Road".
_HOUSE_NUMBER_FIRST = re.compile(r"\W*(?:(?:flat|apt|apartment|unit|suite)\s*\d+\w*,?\s*)?\d+[a-z]?,?\s+[a-z]{3,}")
# A chain's branch after its name ("Sparfix Filiale 4127", "Brightmart Store #112"): the
# name is the chain's, as its legal name starts.
_BRANCH_TAIL = re.compile(
    r"\s+(?:filiale|fil\.|niederlassung|store|branch|outlet|succursale|sucursal|filiaal|vestiging)"
    r"\s*(?:nr\.?|no\.?|#)?\s*\d+\s*$",
    re.IGNORECASE,
)
_MAX_BLOCK_GAP_IN_HEIGHTS = 1.5
# Boxes of one printed line lie at most this many line heights apart.
_WORD_GAP_IN_HEIGHTS = 3
# A blank line between two blocks: the pitch from the block above at least this many times
# that block's own (OCR's line pitch jitters by a third).
_BLOCK_BREAK_PITCHES = 1.75
# A line this many times taller than the one under it is a heading or a logo, not a line
# of the same block: OCR's padded boxes may close the blank line between them.
_HEADING_RATIO = 1.5
# A return-address line is printed at most this size of the recipient's lines.
_SMALL_PRINT = 0.8
_HEADER_SHARE_OF_PAGE = 0.35
_MAX_HEADER_ROWS = 12
_MAX_ADDRESS_LINES = 5
_SUFFIX_BONUS, _ROW_PENALTY = 1.5, 0.1
# Between a brand's words and its legal form in the legal name: "Northfield Energy" +
# "Supply Ltd.", "Telvia" + "UK Limited", "heimwerk" + "Bau- und Gartenmarkt Lindner GmbH".
_MAX_WORDS_BEFORE_LEGAL_FORM = 4
# A number or code alone, without the key that says what it is.
_BARE_ID = re.compile(r"\W*[a-z]{0,3}\d[\w\s,./-]*\W*")
# The company a shop's sign belongs to, printed in brackets under it.
_UNIT_OF = re.compile(r"\(?\s*(?:an?\s+)?(?:unit|division|brand)\s+of\s+([^()]+?)\s*\)?", re.IGNORECASE)
# The words of a company's name before its legal form on an imprint line ("Drukkerij Van
# Damme & Zonen BV"); more are a sentence.
_MAX_IMPRINT_NAME_WORDS = 6
# A logo of two or three initials, perhaps parted by a bar, a stroke or an ampersand ("M|G").
_MONOGRAM = re.compile(r"[A-Z](?:\s?[|/&+·.]?\s?[A-Z]){1,2}")
# A sign's company is printed under it, perhaps under a tagline.
_MAX_ROWS_TO_THE_SIGNS_COMPANY = 2
# A footer that names the company behind a brand: "Liffeyhost is a trading name of
# Liffeyside Hosting Limited", "… is a brand of …", "… ist eine Marke der …", "… est une
# marque de …", "… is een handelsnaam van …". On folded text; the legal name follows.
_OWNED_BY = re.compile(
    r"\s*,?\s*(?:(?:is|are)\s+(?:a\s+)?(?:registered\s+)?(?:trading\s+(?:name|style)|business\s+name|brand|trade\s*mark"
    r"|division)\s+of|(?:is\s+)?(?:operated|owned)\s+by|ist\s+eine?\s+(?:marke|handelsname|geschaftsbereich)\s+de[rs]"
    r"|est\s+une\s+marque\s+(?:de|du)|is\s+een\s+(?:handelsnaam|merk)\s+van)\s+(?:the\s+)?"
)
# Two lines of one name share a type size; OCR's line heights jitter by about a fifth.
_SAME_TYPE_RATIO = 1.25
# Legal forms spelt out or written without a final full stop (on folded text).
_FORMS_WITHOUT_A_STOP = frozenset({
    "limited", "company", "corporation", "enterprise", "trading", "stiftung", "gmbh", "ag", "kg", "ohg", "ug",
    "llc", "plc", "llp", "kgaa", "gbr", "mbh",
})  # fmt: skip
# What completes a legal form: a limited partnership's general partner ("GmbH & Co. KG"),
# the German mini-GmbH's qualifier ("UG (haftungsbeschränkt)").
_FORM_QUALIFIER = re.compile(r"\s*\(haftungsbeschrankt\)")
_PARTNERSHIP_TAIL = re.compile(rf"\s*[&+]\s*co\.?\s*(?:kgaa|kg|ohg)\.?(?![a-z])|{_FORM_QUALIFIER.pattern}")


@dataclass(frozen=True, slots=True)
class PartyText:
    """A name or address: its text and the lines printing it."""

    text: str
    lines: tuple[OcrLine, ...]
    confidence: float


# What OCR reads into a drawn logo beside a name, or a symbol the logo prints ("✚ BRIGHTWELL"):
# a bracket that closes nothing ("( BOSPORUS"),
# a dot or bar after it ("Brenner•").
_LOGO_DEBRIS_BEFORE = re.compile(r"^[\s(\[{•·*|✚✛+★☆✦●○■□◆◇▲►✓✔❖]+(?=\w)(?![^()]*\))")
_LOGO_DEBRIS_AFTER = re.compile(r"(?<=\w)[\s•·*|]+$")
# OCR reads the first of a legal form's capitals small where its small letter has the same
# shape ("sARL", "sAS").
_SMALL_FIRST_CAPITAL = re.compile(r"(?<!\w)[cosuvwxz][A-Z]{1,4}(?!\w)")


def tidy_name(text: str) -> str:
    """A company name with its legal form and its listed trade words spelt and spaced as
    printed, not as OCR read them."""
    text = _MISREAD_APS.sub("ApS", _MISREAD_SP_Z_OO.sub(r"\1o\2o.", _GLUED_LEGAL_FORM.sub(" ", text)))
    text = _LOGO_DEBRIS_AFTER.sub("", _LOGO_DEBRIS_BEFORE.sub("", text)) or text
    text = _SMALL_FIRST_CAPITAL.sub(_form_in_capitals, text)
    return repair_name(_MISREAD_SRL.sub(r"\1l", _MISREAD_SDN.sub("SDN", text)))


def _form_in_capitals(word: re.Match[str]) -> str:
    # "oHG" is written so, as often as "OHG".
    found = word.group()
    return found.upper() if found != "oHG" and LEGAL_FORM.fullmatch(fold(found)) else found


def _reads_as_words(text: str) -> bool:
    """Whether a text reads as words rather than a date, an amount, a code or a title
    printed letter-spaced ("W A R E N R E C H N U N G")."""
    letters = sum(char.isalpha() for char in text)
    return (
        letters >= 2
        and letters >= len(text.replace(" ", "")) / 2
        and not find_dates(text)
        and not _is_letter_spaced(text)
    )


def _is_letter_spaced(text: str) -> bool:
    """Whether a line is printed letter-spaced, its parts perhaps parted by middle dots
    ("D R U KW E R K · B O E K B I N D E R I J · S I N D S 1 9 6 2")."""
    return _LETTER_SPACED.fullmatch(" ".join(_RETURN_ADDRESS_SEPARATOR.sub(" ", text).split())) is not None


def _is_text(line: OcrLine) -> bool:
    return _reads_as_words(line.text)


def _is_name(text: str) -> bool:
    text = tidy_name(text)
    return (
        _reads_as_words(text)
        and not find_amounts(text, require_decimals=True)
        and not is_label(text)
        and not _DOCUMENT_TITLE.search(fold(text))
    )


# A number word before a number: a party label's word keys another number ("Seller PA
# sales tax license no. 7829-", "Customer VAT reg. no: 123"), not a name. On folded text.
_KEYED_NUMBER = re.compile(r"(?<![a-z])(?:no|nr|number|num|id|#)\.?\s*:?\s*[a-z]{0,3}\s?\d")


# A value that opens with an identifier ("afnemer: NL812345671B01. De afnemer …", the
# buyer's VAT number): the label keys that number, not the party's name.
_OPENS_WITH_AN_ID = re.compile(r"\W*[a-z]{0,3}\d{5,}")


def _keys_a_number(item: LabelledValue) -> bool:
    """Whether a party label keys a number on its own line ("Customer:2", "Kunde: 10023",
    "Seller PA sales tax license no. 7829-", "Supplier TRN:" over its number): a customer
    number or a registration, so the lines under it are not that party's name."""
    inline = next((source for source in item.sources if source.relation == "inline"), None)
    return inline is not None and (
        not _reads_as_words(inline.text.strip())
        or inline.text.rstrip().endswith(":")
        or _KEYED_NUMBER.search(fold(inline.text)) is not None
        or _OPENS_WITH_AN_ID.match(fold(inline.text)) is not None
    )


def _name_lines(first: ValueSource, following: Sequence[ValueSource]) -> list[ValueSource]:
    """A name's lines from a party block: a salutation line with the name under it
    ("Herrn" + "Max Mustermann"), or a name wrapped onto a line that ends in its legal
    form ("MVM Musterhafter" + "Versicherungsverein Musterstadt a.G.")."""
    if not following or following[0].relation != "block" or not _is_name(following[0].text):
        return [first]
    after = following[0].text
    if _SALUTATION.fullmatch(first.text) or (
        not LEGAL_FORM.search(fold(first.text)) and LEGAL_FORM.search(fold(after)) and not is_address_line(after)
    ):
        return [first, following[0]]
    return [first]


def _name_before_address(text: str) -> str:
    """A labelled name without the address a comma after its legal form starts
    ("Service provider: Example EMEA SARL, 38 Avenue John F. Kennedy, L-1855 Luxembourg")."""
    folded = fold(text)
    ends = [form.end() for form in LEGAL_FORM.finditer(folded) if folded.startswith(",", form.end())]
    # The last legal form before an address ("Example Co., Ltd., 5 Main Road" keeps "Ltd.").
    address_after = [end for end in ends if any(char.isdigit() for char in folded[end:])]
    if address_after:
        return text[: address_after[-1]]
    # A sentence going on after the name ("Issued by Zipway Mobility UK Limited in its own
    # name for the service fee, …").
    form = LEGAL_FORM.search(folded)
    if form and _SENTENCE_GOES_ON.match(text, end := _legal_form_end(folded, form)):
        return text[:end]
    return text


def _in_brackets_with_form(text: str) -> str:
    """The legal name a brand gives in brackets after it ("nordhost (Nordhost OÜ)")."""
    bracketed = _BRAND_AND_BRACKETS.fullmatch(text.strip())
    if bracketed and not LEGAL_FORM.search(fold(bracketed.group(1))) and LEGAL_FORM.search(fold(bracketed.group(2))):
        return bracketed.group(2).strip()
    return text


_BRAND_AND_BRACKETS = re.compile(r"([^()]+?)\s*\(([^()]+)\)")
# A cash sale's buyer, whom a bill book's "M/s:" line leaves unnamed ("Cash", "Walk-in").
_NO_PARTY = re.compile(r"\W*(?:cash(?:\s*(?:customer|sales?|buyer))?|walk\s*-?\s*in(?:\s*customer)?|tunai)\W*")
_SENTENCE_GOES_ON = re.compile(r"\s+(?:[^\W\d_A-Z]+\s+){2}[^\W\d_A-Z]")
_MIN_STRIP_KEYS = 2


def _names_a_salesperson(item: LabelledValue, labelled: Sequence[LabelledValue]) -> bool:
    """Whether a seller's word is one key of a header strip of keys (dates, currency, page:
    "Data de emissão · Moeda · Vendedor · Pág.") with no address under its value: there
    it names the salesperson, not the vendor's block. (A customer's heading in such a
    strip still heads the customer's name: "Billed To · Date of Issue · Invoice Number".)"""
    if VENDOR_NAME not in item.label.fields or any(
        source.relation == "block" and _reads_as_words(source.text) and is_address_line(source.text)
        for source in item.sources
    ):
        return False
    keys = [
        other
        for other in labelled
        if other is not item
        and other.page == item.page
        and not {VENDOR_NAME, CUSTOMER_NAME} & other.label.fields.keys()
        and min(other.line.bottom, item.line.bottom) - max(other.line.top, item.line.top) > item.line.height / 2
    ]
    return len(keys) >= _MIN_STRIP_KEYS


def labelled_party(labelled: Sequence[LabelledValue], field_name: str) -> PartyText | None:
    """The name printed beside or below the strongest label for `field_name` (of labels as
    strong, one whose value holds a legal form: "Buyer: Nguyễn Văn Hùng" then "Company
    name: CÔNG TY …" names a contact, then the party); a name with no legal form under a
    seller's word in a header strip of keys is no vendor's."""
    ranked = sorted(
        (item for item in labelled if field_name in item.label.fields and not _keys_a_number(item)),
        key=lambda item: (-item.label.fields[field_name], not _holds_a_legal_form(item)),
    )
    for item in ranked:
        salesperson = _names_a_salesperson(item, labelled)
        for index, source in enumerate(item.sources):
            if field_name == VENDOR_NAME and _addresses_a_person(source.text):
                continue  # a recipient's line the row put beside the seller's heading
            if _is_name(source.text.strip()):
                if (salesperson and not LEGAL_FORM.search(fold(source.text))) or _NO_PARTY.fullmatch(fold(source.text)):
                    break
                lines = _name_lines(source, item.sources[index + 1 :]) if source.relation == "block" else [source]
                text = _in_brackets_with_form(_name_before_address(" ".join(line.text.strip() for line in lines)))
                return PartyText(
                    tidy_name(text), tuple(line.line for line in lines), min(line.line.confidence for line in lines)
                )
    return None


def _holds_a_legal_form(item: LabelledValue) -> bool:
    """Whether a value names a company: a legal form, one that is also a word only after a
    word of the name ("Company – City Ledger" is a way to pay; "CÔNG TY …" is a company)."""
    return any(
        (form := LEGAL_FORM.search(folded := fold(source.text)))
        and (folded[: form.start()].strip() or form.group().strip(" .") not in _FORMS_THAT_ARE_WORDS)
        for source in item.sources
    )


_FORMS_THAT_ARE_WORDS = frozenset({"company", "corporation", "enterprise", "trading", "limited"})


def _addresses_a_person(text: str) -> bool:
    """Whether a line opens with a salutation ("Mr Daniel Okafor"); a company's name is
    none ("MR. D.I.Y. (M) SDN BHD")."""
    return _SALUTATION_START.match(text) is not None and not LEGAL_FORM.search(fold(text))


def _is_return_address(row: Sequence[OcrLine]) -> bool:
    """Whether a row is a letter's return-address line: the sender's name, street and
    postcode town on one line, parted by bullets or bars ("Bei Spiel GmbH ● Ecke 12 ●
    12345 Stadthausen ● Germany"), printed over the window the recipient shows through.
    A row a label opens ("Leveringsadres  Oudegracht 217, …") is a key with its value."""
    if is_label(row[0].text):
        return False
    # OCR may box the line in parts, but the sender's name is parted off in its own box or
    # at the start of the next: "EST. 1851" beside a tagline "Water · Electric · Sewer" is none.
    parted = _RETURN_ADDRESS_SEPARATOR.search(row[0].text) or (
        len(row) > 1 and _RETURN_ADDRESS_SEPARATOR.match(row[1].text.lstrip())
    )
    text = " ".join(line.text for line in _run_of_boxes(row))
    return (
        bool(parted)
        and len(_RETURN_ADDRESS_SEPARATOR.findall(text)) >= 2
        and _ADDRESS_START.search(fold(text)) is not None
    )


def _run_of_boxes(row: Sequence[OcrLine]) -> list[OcrLine]:
    """The row's first box and those that continue it, each within a few letters of the
    one before: one printed line OCR boxed in parts, not the next column's line ("1070
    Anderlecht" of the letterhead's address beside a tagline)."""
    run = [row[0]]
    for line in row[1:]:
        if line.left - run[-1].right > _WORD_GAP_IN_HEIGHTS * max(run[-1].height, 1):
            break
        run.append(line)
    return run


def _comma_parts(text: str) -> list[str]:
    """The parts of a line parted by commas. OCR reads a small comma as a full stop
    ("Hofmann Maschinenbau GmbH. Gewerbepark 4. 86150 Augsburg"), so where commas part
    off no name, street and town, full stops followed by a space do."""
    parts = text.split(", ")
    return parts if len(parts) >= 3 else re.split(r"(?<=\w)\.\s+", text)


def _address_line_parts(text: str) -> list[str]:
    """The parts of a line of a name and its address: parted by bullets or bars, else by commas."""
    parts = _RETURN_ADDRESS_SEPARATOR.split(text) if _RETURN_ADDRESS_SEPARATOR.search(text) else _comma_parts(text)
    return [part.strip() for part in parts]


def _is_comma_return_address(rows: Sequence[Sequence[OcrLine]], index: int, line: OcrLine) -> bool:
    """A return-address line parted by commas ("Hofmann Maschinenbau GmbH, Gewerbepark 4,
    86150 Augsburg"): a company first, then its address, over the recipient's address
    block. A letterhead's own address line is neither in smaller print than the lines
    under it nor straight over a name and a postal address; OCR's boxes are padded, so
    their heights alone do not show the smaller print of a scan. The line is alone on its
    row, or right of the other cells of the row (a window on the right, as Swiss letters
    have it, beside a key block) with no label's value in it, or left of them (a window
    on the left beside a summary box). A sender without a legal form (a trading name:
    "Hearthlight Energy, PO Box 7720, Leeds LS1 9QT") needs the address block under it."""
    row = rows[index]
    position = row.index(line)
    if index + 1 == len(rows) or position not in (0, len(row) - 1) or (position and is_label(row[position - 1].text)):
        return False
    name, *rest = _comma_parts(line.text)
    if len(rest) < 2 or not _is_name(name) or not _ADDRESS_START.search(fold(", ".join(rest))):
        return False
    if LEGAL_FORM.search(fold(name)) is None:
        return _over_an_address_block(rows, index, line)
    small_print = len(row) == 1 and line.height <= _SMALL_PRINT * rows[index + 1][0].height
    return small_print or _over_an_address_block(rows, index, line)


def _over_an_address_block(rows: Sequence[Sequence[OcrLine]], index: int, line: OcrLine) -> bool:
    """Whether the lines flush under a row's `line`, from a line spacing below it, are
    a name over a postal address (the rows between may hold other columns' lines only)."""
    below = next(
        ((start, first) for start in range(index + 1, len(rows)) if (first := first_in_column(rows[start], line))),
        None,
    )
    if below is None or below[1].top - line.bottom > _MAX_BLOCK_GAP_IN_HEIGHTS * max(line.height, 1):
        return False
    start, first = below
    rest = list(itertools.takewhile(_is_address_part, _column_block(rows, start, first)[1:]))
    return len(rest) >= 2 and _is_postal_address(rest)


def _return_address(rows: Sequence[Sequence[OcrLine]], page_height: int) -> tuple[int, OcrLine] | None:
    """The return-address line in the upper half of the page and its row's index, if any."""
    for index, row in enumerate(rows):
        if row[0].top > page_height / 2:
            return None
        if _is_return_address(row) or _is_comma_return_address(rows, index, row[0]):
            return index, row[0]
        if _RETURN_ADDRESS_WORD.match(fold(row[0].text)).end() and _over_an_address_block(rows, index, row[0]):
            return index, row[0]
        if len(row) > 1 and _is_comma_return_address(rows, index, row[-1]):
            return index, row[-1]
    return None


@dataclass(frozen=True, slots=True)
class Sender:
    """The sender a letter's return-address line names, and the address it gives."""

    name: PartyText
    address: PartyText | None


def _part_of(line: OcrLine, text: str) -> OcrLine:
    start = line.text.index(text)
    return OcrLine(text, line.confidence, span_polygon(line, start, start + len(text)))


def sender_from_return_address(rows: Sequence[Sequence[OcrLine]], page_height: int) -> Sender | None:
    """The sender named first on a letter's return-address line ("Hetzner Online GmbH ·
    Industriestr. 25 · 91710 Gunzenhausen"), each part boxed as that part of the line."""
    found = _return_address(rows, page_height)
    if found is None:
        return None
    line = found[1]
    name, *rest = _address_line_parts(line.text[_RETURN_ADDRESS_WORD.match(fold(line.text)).end() :])
    if not _is_name(name) or is_address_line(name) or _CONTACT.search(fold(name)):
        return None
    parts = [_part_of(line, part) for part in rest if part and is_address_line(part)]
    address = None
    if parts:
        address = PartyText(" ".join(part.text for part in parts), tuple(parts), line.confidence)
    return Sender(PartyText(tidy_name(name), (_part_of(line, name),), line.confidence), address)


def same_party(a: PartyText, b: PartyText) -> bool:
    """Whether two readings name the same party (case and spacing aside), one perhaps
    with a first name as its initial (a return address's "Tischlerei H. Brandt" under the
    letterhead's "Tischlerei Holger Brandt") or with words of the other's left out
    between its first and its last ("Brüggemann GmbH & Co. KG" for "Brüggemann
    Haustechnik-Großhandel GmbH & Co. KG")."""
    words_a, words_b = fold(a.text).split(), fold(b.text).split()
    if len(words_a) == len(words_b):
        return all(map(_same_word, words_a, words_b))
    short, long = sorted((words_a, words_b), key=len)
    if len(short) < 2 or short[0] != long[0] or short[-1] != long[-1]:
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)


def spelled_out_elsewhere(name: PartyText, lines: Sequence[OcrLine]) -> PartyText | None:
    """The name in full where a letter's return line shortens a word of it ("Brandt &
    Oelkers StBG mbH" for the letterhead's "Brandt & Oelkers" over "Steuerberatungs-
    gesellschaft mbH", "Gebr." for "Gebrüder"): a line, or a line and the one right under
    it, with the same words, each the same or spelled out."""
    words = fold(name.text).split()
    readings = [
        reading
        for reading in _readings_elsewhere(
            name, lines, lambda text: _same_or_spelled_out(words[0], next(iter(fold(text).split()), ""))
        )
        if len(folded := fold(reading.text).split()) == len(words)
        and all(map(_same_or_spelled_out, words, folded))
        and any(short.rstrip(".") != long.rstrip(".") for short, long in zip(words, folded, strict=True))
    ]
    # A letterhead in capitals and a block in ordinary case: the case the company writes.
    return min(readings, key=lambda reading: reading.text.isupper(), default=None)


def _readings_elsewhere(
    name: PartyText, lines: Sequence[OcrLine], may_open: Callable[[str], bool]
) -> Iterator[PartyText]:
    """Each other line that `may_open` the name as a name, alone and with the line right
    under it (a name a block wraps: "Brandt & Oelkers" over "Steuerberatungsgesellschaft
    mbH"); the test spares looking for the block under every line of the document."""
    for line in lines:
        if line in name.lines or not may_open(tidy_name(line.text.strip())):
            continue
        for block in ([line], [line, *_lines_below(line, lines)[:1]]):
            text = tidy_name(" ".join(item.text.strip() for item in block))
            yield PartyText(text, tuple(block), min(item.confidence for item in block))


def _same_or_spelled_out(short: str, long: str) -> bool:
    """Whether a word is another or its abbreviation: the same first letter and its
    letters in order within the longer word ("stbg" in "steuerberatungsgesellschaft")."""
    letters = short.rstrip(".")
    if letters == long.rstrip("."):
        return True
    remaining = iter(long)
    return (
        len(letters) >= 2
        and len(letters) < len(long)
        and letters[0] == long[0]
        and all(char in remaining for char in letters)
    )


def _same_word(a: str, b: str) -> bool:
    return a == b or any(len(x) == 2 and x[1] == "." and y[0] == x[0] and y[1:].isalpha() for x, y in ((a, b), (b, a)))


def customer_from_window(rows: Sequence[Sequence[OcrLine]], page_height: int) -> PartyText | None:
    """The unlabelled recipient of a letter-style invoice: the first line under the
    return-address line in the upper half of the page, with its salutation line joined;
    none when that line is a heading the labels do not know ("Facturé à :")."""
    found = _return_address(rows, page_height)
    if found is None or found[0] + 1 == len(rows):
        return None
    index, sender = found
    # The recipient's name, past a key line printed over it ("Kunden-Nr. 262120") or the
    # department the letter goes to ("The Accounts Payable Dept").
    column = [line for line in (first_in_column(below, sender) for below in rows[index + 1 : index + 4]) if line]
    keys = list(
        itertools.takewhile(
            lambda line: (
                is_label(line.text)
                or _KEY_VALUE.search(line.text)
                or _POSTAL_MARK.match(fold(line.text))
                or _DEPARTMENT.fullmatch(fold(line.text))
            ),
            column,
        )
    )
    first = column[len(keys)] if len(column) > len(keys) else None
    above = keys[-1] if keys else sender
    if first is None or first.top - above.bottom > 3 * max(above.height, 1):
        return None
    if not _is_name(first.text) or first.text.rstrip().endswith(":"):
        return None
    lines = [first]
    if _SALUTATION.fullmatch(first.text):
        # The name under the salutation: rows of the other column alone may lie between.
        position = next(row_index for row_index in range(index + 1, len(rows)) if first in rows[row_index])
        below = (first_in_column(row, first) for row in rows[position + 1 : position + 3])
        name = next((line for line in below if line), None)
        if name is not None:
            lines.append(name)
    text = " ".join(line.text.strip() for line in lines)
    return PartyText(text, tuple(lines), min(line.confidence for line in lines))


def _column_block(rows: Sequence[Sequence[OcrLine]], start: int, first: OcrLine) -> list[OcrLine]:
    """`first` and the lines flush under it, each a line spacing below the one above, up to
    a label line or `_MAX_ADDRESS_LINES` more."""
    block = [first]
    for row in rows[start + 1 :]:
        below = first_in_column(row, first)
        if below is None:
            continue
        if below.top - block[-1].bottom > _MAX_BLOCK_GAP_IN_HEIGHTS * max(block[-1].height, 1) or is_label(below.text):
            break
        block.append(below)
        if len(block) > _MAX_ADDRESS_LINES:
            break
    return block


def _starts_a_block(rows: Sequence[Sequence[OcrLine]], index: int, line: OcrLine) -> bool:
    """Whether nothing but a document title ("TAX INVOICE") or a line in much larger type
    (a logo) is printed flush over `line` within a line spacing of its own height, or of
    the pitch of the lines above it: the first line of a block, not a line inside one.
    OCR pads its boxes, so on a scan a blank line may be less than a box high, but it
    still doubles the pitch."""
    above = [found for row in reversed(rows[max(index - 4, 0) : index]) if (found := first_in_column(row, line))]
    if not above:
        return True
    nearest = above[0]
    if _DOCUMENT_TITLE.search(fold(nearest.text)) or nearest.height > _HEADING_RATIO * line.height:
        return True
    if line.top - nearest.bottom > _MAX_BLOCK_GAP_IN_HEIGHTS * max(min(line.height, nearest.height), 1):
        return True
    return len(above) > 1 and line.top - nearest.top > _BLOCK_BREAK_PITCHES * (nearest.top - above[1].top)


def customer_from_address_block(
    rows: Sequence[Sequence[OcrLine]], page_height: int, taken: set[OcrLine]
) -> PartyText | None:
    """The unlabelled recipient of a bill without a return-address line: the first
    block in the upper half of the page that is a name over a postal address (a street
    line, then a postcode and town) and holds none of the vendor's or the labels' lines:
    the address a window envelope shows ("Mr Daniel Hughes" / "14 Orchard Close" /
    "Leeds" / "LS6 2QT")."""
    for index, row in enumerate(rows):
        if row[0].top > page_height / 2:
            return None
        for line in row:
            if line in taken or not _is_name(line.text) or line.text.rstrip().endswith(":"):
                continue
            if is_address_line(line.text) or _REGISTRATION.search(fold(line.text)) or _CONTACT.search(fold(line.text)):
                continue
            if not _starts_a_block(rows, index, line):
                continue
            # The block's address ends at a registration or contact line ("VAT: BE0987…").
            rest = list(itertools.takewhile(_is_address_part, _column_block(rows, index, line)[1:]))
            if len(rest) >= 2 and not taken.intersection(rest) and _is_postal_address(rest):
                # A salutation line over the name ("Herr" + "Thomas Huber") is part of it.
                lines = [line, rest[0]] if _SALUTATION.fullmatch(line.text) else [line]
                text = " ".join(item.text.strip() for item in lines)
                return PartyText(text, tuple(lines), min(item.confidence for item in lines))
    return None


def recipient_lines(rows: Sequence[Sequence[OcrLine]]) -> set[OcrLine]:
    """The lines of every block that opens with a salutation ("Mr James Whitfield" over
    "Whitfield Consulting Ltd", "Herrn" over a name), or whose name a care-of line follows
    ("Bouwbedrijf Kuipers & Zn. B.V." over "t.a.v. crediteurenadministratie"): a
    recipient's, never the vendor's. A company's name is no salutation ("MR. D.I.Y. (M)
    SDN BHD", a chain of shops)."""
    found: set[OcrLine] = set()
    for index, row in enumerate(rows):
        for line in row:
            if _addresses_a_person(line.text):
                found.update(_column_block(rows, index, line))
            elif index and _CARE_OF.match(fold(line.text)) and (name := first_in_column(rows[index - 1], line)):
                found.update(_column_block(rows, index - 1, name))
    return found


def _is_address_part(line: OcrLine) -> bool:
    """A line of a recipient's address: a care-of line ("Attention: Accounts", "z. Hd.
    Herrn Peter Vogt") is; a contact, registration or other key-value line is not."""
    folded = fold(line.text)
    if _CARE_OF.match(folded):
        return True
    return not (_CONTACT.search(folded) or _REGISTRATION.search(folded) or _KEY_VALUE.search(line.text))


def _is_postal_address(lines: Sequence[OcrLine]) -> bool:
    """Address lines (a care-of line aside), among them a street (or a post-office box) and
    a postcode."""
    folded = [fold(line.text) for line in lines]
    street = any(_STREET_WORD.search(text) or _HOUSE_NUMBER_FIRST.match(text) or _PO_BOX.match(text) for text in folded)
    return street and any(_POSTCODE.search(text) for text in folded)


def _vendor_score(line: OcrLine, row_index: int, median_height: float, all_lines: Sequence[OcrLine]) -> float:
    """Height, a legal form (on the line, or wrapped alone onto the line under it: "Al Noor
    Crest Facilities Management" over "L.L.C.") and an early row make a letterhead's name."""
    has_suffix = LEGAL_FORM.search(fold(line.text)) is not None or _form_wrapped_under(line, all_lines)
    return line.height / median_height + _SUFFIX_BONUS * has_suffix - _ROW_PENALTY * row_index


def _form_wrapped_under(line: OcrLine, all_lines: Sequence[OcrLine]) -> bool:
    # Looked for only where the line has no form of its own: the block under a line is
    # found by sorting the page's lines.
    below = _lines_below(line, all_lines)[:1]
    return bool(below) and _is_bare_suffix(below[0])


def _header_lines(rows: Sequence[Sequence[OcrLine]], page_height: int) -> list[tuple[int, OcrLine]]:
    limit = page_height * _HEADER_SHARE_OF_PAGE
    return [
        (index, line)
        for index, row in enumerate(rows[:_MAX_HEADER_ROWS])
        for line in row
        if line.top <= limit or index < 3
    ]


def is_address_line(text: str) -> bool:
    """Whether a line reads as part of a postal address rather than a name."""
    folded = fold(text)
    street = _STREET_WORD.search(folded)
    return bool(
        _ADDRESS_START.search(folded)
        or (street and (re.search(r"\d", folded) or not folded[: street.start()].strip(" .,")))
    )


def _eligible_vendor_line(line: OcrLine, excluded: set[OcrLine]) -> bool:
    folded = fold(line.text)
    return (
        line not in excluded
        and _reads_as_words(_without_registration(line.text))
        and not _KEY_VALUE.search(line.text)
        and not line.text.rstrip().endswith(":")
        and not is_label(line.text)
        and not _DOCUMENT_TITLE.search(folded)
        and not _COURTESY.search(folded)
        and not _CONTACT.search(folded)
        and not _REGISTRATION.search(folded)
        and not _OPENING_HOURS.search(folded)
        and not _OWNER.match(folded)
        and not _OWNER_OF.match(line.text)
        and not is_currency_alone(line.text)
        and not is_address_line(line.text)
    )


def _without_registration(text: str) -> str:
    """A company name without the registration number printed in brackets after its legal
    form ("GARDENIA BAKERIES (KL) SDN BHD (139386 X)")."""
    stripped = _TRAILING_REGISTRATION.sub("", text)
    return stripped if stripped != text and LEGAL_FORM.search(fold(stripped)) else text


def _alignments(upper: OcrLine, lower: OcrLine) -> set[str]:
    """How two lines are aligned: on the left edge, the right edge and/or the centre."""
    tolerance = max(upper.height, lower.height)
    offsets = {
        "left": abs(upper.left - lower.left),
        "right": abs(upper.right - lower.right),
        "center": abs((upper.left + upper.right) - (lower.left + lower.right)) / 2,
    }
    return {mode for mode, offset in offsets.items() if offset <= tolerance}


def _lines_below(line: OcrLine, lines: Sequence[OcrLine]) -> list[OcrLine]:
    """The block of lines under `line` in its column: each close under the previous and
    aligned with it the same way (left, right or centred) as the block so far, or lying
    within its width."""
    block = []
    previous = line
    modes = {"left", "right", "center"}
    for candidate in sorted(
        (item for item in lines if item.top >= line.bottom - line.height / 2), key=lambda item: item.top
    ):
        shared = modes & _alignments(previous, candidate)
        if candidate is line or not (shared or _within(candidate, previous)):
            continue
        if candidate.top - previous.bottom > 1.5 * min(previous.height, candidate.height):
            break
        block.append(candidate)
        previous, modes = candidate, shared or modes
    return block


def _within(lower: OcrLine, upper: OcrLine) -> bool:
    """Whether a line lies inside the width of the line above it: a centred receipt's
    shorter line, whose centre a printer's or scanner's skew moved off the block's."""
    tolerance = max(upper.height, lower.height)
    return upper.left - tolerance <= lower.left and lower.right <= upper.right + tolerance


def _lines_above(line: OcrLine, lines: Sequence[OcrLine]) -> list[OcrLine]:
    """The line right above `line` in its column, if any."""
    above = [
        item
        for item in lines
        if item.bottom <= line.top + line.height / 2 and item is not line and _alignments(item, line)
    ]
    nearest = max(above, key=lambda item: item.bottom, default=None)
    if nearest is None or line.top - nearest.bottom > 1.5 * max(line.height, nearest.height):
        return []
    return [nearest]


def _names_a_legal_form(line: OcrLine, excluded: set[OcrLine]) -> bool:
    """Whether a line can be the name over a bare legal form: a name line, or one that
    starts with a label word but holds no value ("Netto Marken-Discount" over "Stiftung &
    Co. KG")."""
    if _eligible_vendor_line(line, excluded):
        return True
    return is_label(line.text) and not re.search(r"[\d:]", line.text) and _reads_as_words(line.text)


def _is_bare_suffix(line: OcrLine) -> bool:
    """Whether a line holds little more than a company suffix ("SDN BHD", "CO. (M) SDN BHD")."""
    folded = fold(line.text)
    rest = LEGAL_FORM.sub(" ", folded)
    return rest != folded and len(re.findall(r"[a-z]{3,}", rest)) == 0 and not _is_letter_spaced(folded)


def vendor_from_layout(rows: Sequence[Sequence[OcrLine]], page_height: int, excluded: set[OcrLine]) -> PartyText | None:
    """The most prominent company-like line of the page header, joined with the line that
    its company suffix was wrapped onto ("PASARAYA BORONG PINTAR" + "SDN BHD")."""
    all_lines = [line for row in rows for line in row]
    if not all_lines:
        return None
    median_height = statistics.median(max(line.height, 1) for line in all_lines)
    item_rows = [index for index, row in enumerate(rows[:_MAX_HEADER_ROWS]) if is_till_item_row(row)]
    top = [
        (index, line)
        for index, line in _header_lines(rows, page_height)
        if _eligible_vendor_line(line, excluded) and index not in item_rows
    ]
    # A shop prints its name above what it sold: an item whose price OCR lost ("Paprika
    # rot" under "Gurken 0,69 A") is no name.
    first_item = item_rows[0] if item_rows else len(rows)
    header = [(index, line) for index, line in top if index < first_item]
    if not header:
        footer = _footer_company(rows, excluded)
        if footer is not None or not top:
            return footer
        header = top  # the shop's sign-off under the items ("Ihr REWE Markt")
    best_row, best = max(header, key=lambda item: _vendor_score(item[1], item[0], median_height, all_lines))
    # "DOMINO'S PIZZA" over "DOMINO'S PIZZA TAMAN UNIVERSITI": the longer line is the
    # name with its branch; the name is the line it starts with.
    best_row, best = min(
        ((row, line) for row, line in header if _starts_with_words(best.text, line.text)),
        key=lambda item: len(item[1].text),
        default=(best_row, best),
    )
    lines = _with_wrapped_suffix(best, rows[best_row], all_lines, excluded)
    text = tidy_name(_without_registration(" ".join(line.text.strip() for line in lines)))
    if trade := _spaced_trade_under(lines[-1], all_lines):
        lines, text = [*lines, trade], f"{text} {''.join(trade.text.split())}"
    # "(A unit of Lakshmi Retail Ventures LLP)" under a shop's sign names its company.
    if unit := _UNIT_OF.fullmatch(text):
        text = unit.group(1).strip()
    text = _BRANCH_TAIL.sub("", text) or text
    return PartyText(text, tuple(lines), min(line.confidence for line in lines))


def _spaced_trade_under(sign: OcrLine, all_lines: Sequence[OcrLine]) -> OcrLine | None:
    """The trade a sign prints letter-spaced right under it, a word of the shop's name
    ("PINE HOLLOW" over "H A R D W A R E", "✚ BRIGHTWELL" over "P H A R M A C Y")."""
    below = _lines_below(sign, all_lines)[:1]
    if not below or not _is_letter_spaced(below[0].text) or LEGAL_FORM.search(fold(sign.text)):
        return None
    return below[0] if "".join(below[0].text.split()).upper() in NAME_WORDS else None


def legal_name(vendor: PartyText, lines: Sequence[OcrLine]) -> PartyText | None:
    """The full legal name a line elsewhere gives a letterhead's brand without a legal
    form: "telvia" (a logo) and "Telvia UK Limited, registered in England No. …" in the
    footer, or "Razón Social: Sistemas Delta Sur S.R.L." beside the logo "DELTA SUR"; the
    brand's words first (after one trade word at most), then a few more up to the legal form."""
    if LEGAL_FORM.search(fold(vendor.text)):
        return None
    brand = fold(vendor.text).split()
    for index, line in enumerate(lines):
        if line in vendor.lines:
            continue
        name_lines = [line]
        text = named_by_its_key(line.text) or line.text
        lead = _words_before_brand(text, brand)
        if lead is None:
            continue
        wrapped = lines[index + 1] if index + 1 < len(lines) else None
        if not LEGAL_FORM.search(fold(text)) and wrapped and wrapped.top > line.top and _opens_with_legal_form(wrapped):
            # The legal form wrapped onto the next line ("… Lindner" + "GmbH & Co. KG, Sitz …").
            name_lines.append(wrapped)
            text = f"{text} {wrapped.text}"
        elif wrapped and wrapped.top > line.top and _FORM_QUALIFIER.fullmatch(fold(wrapped.text)):
            # A narrow slip wraps the form's qualifier: "… Grill Haus UG" + "(haftungsbeschränkt)".
            name_lines.append(wrapped)
            text = f"{text} {wrapped.text.strip()}"
        folded = fold(text)
        start, words_before = 0, lead + len(brand)
        after_brand = re.match(r"\s*(?:\S+\s+)?" * lead + r"\s+".join(map(re.escape, brand)), folded).end()
        owner = _OWNED_BY.search(folded, after_brand)
        if owner and len(folded[after_brand : owner.start()].split()) <= _MAX_WORDS_BEFORE_LEGAL_FORM:
            # The brand's owner ("Hearthlight Energy is a trading name of …"): its name is the legal one.
            start, words_before = owner.end(), 0
        form = LEGAL_FORM.search(folded, start)
        if form and len(folded[start : form.start()].split()) <= words_before + _MAX_WORDS_BEFORE_LEGAL_FORM:
            confidence = min(item.confidence for item in name_lines)
            name = text[start : _legal_form_end(folded, form)].strip()
            return PartyText(tidy_name(name), tuple(name_lines), confidence)
    return None


def monogram_name(vendor: PartyText, lines: Sequence[OcrLine]) -> PartyText | None:
    """The company a monogram stands for ("M|G" over a footer's "Meulenbelt & Gerritsen
    Accountants B.V. · Stationsweg 14 · …"): the first line whose name, up to its legal
    form, opens with words that have the monogram's letters as their initials."""
    if not _MONOGRAM.fullmatch(vendor.text.strip()):
        return None
    letters = [char for char in fold(vendor.text) if char.isalpha()]
    for line in lines:
        if line in vendor.lines:
            continue
        # The name is the first part of an imprint line ("… B.V. · Stationsweg 14 · …").
        text = next(iter(_address_line_parts(line.text)), line.text)
        folded = fold(text)
        form = LEGAL_FORM.search(folded)
        if form is None or len(folded[: form.start()].split()) > _MAX_IMPRINT_NAME_WORDS:
            continue
        initials = [word[0] for word in folded[: form.start()].split() if word[0].isalpha()]
        if initials[: len(letters)] == letters:
            return PartyText(tidy_name(text[: _legal_form_end(folded, form)].strip()), (line,), line.confidence)
    return None


def _words_before_brand(text: str, brand: list[str]) -> int | None:
    """How many words a line prints before a brand it starts with: none, or one trade word
    ("Drogeriemarkt Brenner GmbH & Co. KG" for the sign "Brenner"); None if it does not."""
    words = fold(text).split()
    if words[: len(brand)] == brand:
        return 0
    first = text.split()[0] if text.split() else ""
    if words[1 : 1 + len(brand)] == brand and first[:1].isupper() and first.isalpha() and len(first) >= 5:
        return 1
    return None


def header_company(vendor: PartyText, rows: Sequence[Sequence[OcrLine]], excluded: set[OcrLine]) -> PartyText | None:
    """The company a sign without a legal form stands for, printed right under it in the
    header: "WERKHOF" over a letter-spaced "B A U - U N D G A R T E N M A R K T" over
    "Schreiber Baumärkte GmbH & Co. KG". The line must be that name alone, within the
    rows under the sign and not after an owner's line ("Owned by" over a receipt's
    operator, whose sign stays the vendor)."""
    if LEGAL_FORM.search(fold(vendor.text)):
        return None
    sign_row = next((index for index, row in enumerate(rows) if vendor.lines[-1] in row), None)
    if sign_row is None:
        return None
    for row in rows[sign_row + 1 : sign_row + 1 + _MAX_ROWS_TO_THE_SIGNS_COMPANY]:
        for line in row:
            if line in excluded or not overlaps_horizontally(vendor.lines[-1], line):
                continue
            folded = fold(line.text)
            if (
                _OWNER.match(folded)
                or _OWNER_OF.match(line.text)
                or re.search(r"(?<![a-z])(?:by|von|of)\s*:?\s*$", folded)
            ):
                return None
            # "(A unit of Suryakiran Hospitality Private Limited)" under the sign and its tagline.
            text = unit.group(1) if (unit := _UNIT_OF.fullmatch(line.text)) else line.text
            folded = fold(text)
            form = LEGAL_FORM.search(folded)
            if form is None or _is_letter_spaced(folded) or not _is_name(text):
                continue
            end = _legal_form_end(folded, form)
            if text[end:].strip(" .,") or len(folded[: form.start()].split()) > _MAX_IMPRINT_NAME_WORDS:
                return None
            return PartyText(tidy_name(text[:end].strip()), (line,), line.confidence)
    return None


def imprint_name(vendor: PartyText, rows: Sequence[Sequence[OcrLine]], excluded: set[OcrLine]) -> PartyText | None:
    """The legal name a footer's imprint line gives a letterhead whose brand it does not
    repeat: "Pichler Gastronomie GmbH · Marktplatz 4 · 5611 Großarl · UID: ATU68123456"
    under "Gasthof Goldener Hirsch". Only a line that opens with a name in a legal form and
    goes on to a registration (a register, a tax number, an IBAN) is an imprint, and no
    other party's line is. A name over its registration on a line of its own is not: a
    receipt's operator ("Owned by" / "Dommal Food Services Sdn Bhd" / "Co. No. 419060-A")
    leaves its sign ("DOMINO'S PIZZA") the vendor, as the receipts' keys have it. A sole
    trader's imprint has no legal form: its name is the brand's words with more ("Meijer
    Houtwerk · eenmanszaak · KvK 87402219" under the logo "MEIJER"). The line's parts
    may stand in cells of their own along its row."""
    if LEGAL_FORM.search(fold(vendor.text)):
        return None
    for row in rows:
        for index, line in enumerate(row):
            if line in vendor.lines or line in excluded:
                continue
            first, *rest = _address_line_parts(line.text)
            name = _imprint_company(first, vendor)
            # A cell of its own names its key ("KvK 87402219"): a bare number may be an item's.
            keyed_cells = [cell.text for cell in row[index + 1 :] if not _BARE_ID.fullmatch(fold(cell.text))]
            if name and any(_REGISTRATION.search(fold(part)) for part in [*rest, *keyed_cells]):
                return PartyText(tidy_name(name), (_part_of(line, name),), line.confidence)
    return None


# A name after a key ("Berufshaftpflicht: Allverein Versicherungs-AG", the insurer a
# profession must name) is another party's.
_KEYED_NAME = re.compile(r"[^\W\d_][\w.-]*:\s")


def _imprint_company(first: str, vendor: PartyText) -> str | None:
    """The company an imprint line's first part names: up to its legal form, or, without
    one, the whole part where it is the brand's name with more words."""
    if not _is_name(first) or _KEYED_NAME.match(first):
        return None
    folded = fold(first)
    form = LEGAL_FORM.search(folded)
    if form is None:
        words, brand = folded.split(), fold(vendor.text).split()
        return first if len(words) > len(brand) and words[: len(brand)] == brand else None
    if len(folded[: form.start()].split()) > _MAX_IMPRINT_NAME_WORDS:
        return None
    return first[: _legal_form_end(folded, form)].strip()


def _opens_with_legal_form(line: OcrLine) -> bool:
    return LEGAL_FORM.match(fold(line.text).lstrip()) is not None


# OCR mixes up the case of letters whose capital has the small one's shape: a name with
# two words in no case a printer uses (capitals, small letters, a capital first) reads
# as misread ("CoaSTLINE SIGNs & GRaPHICs LTD."); one such word may be a brand's own
# ("McDonald's"), and legal forms mix case ("GmbH").
_MIN_MIXED_UP_WORDS = 2


def _mixed_up_words(text: str) -> int:
    return sum(
        1
        for word in re.findall(r"[^\W\d_]{3,}", text)
        if not (word.isupper() or word.islower() or word.istitle() or LEGAL_FORM.fullmatch(fold(word)))
    )


def as_written_elsewhere(vendor: PartyText, lines: Sequence[OcrLine]) -> PartyText:
    """A name with a word in capitals (a logo's "BRÄNDLI" over "Gebäudetechnik AG", a
    letterhead in capitals) as another line, or a block of two, prints it in ordinary case
    ("Brändli Gebäudetechnik AG" in the sender's block); else the name as read."""
    words = vendor.text.split()
    if _mixed_up_words(vendor.text) >= _MIN_MIXED_UP_WORDS:
        return _printed_inside_another_line(vendor, lines) or vendor
    if not any(len(word) >= 3 and word.isupper() for word in words):
        return vendor
    wanted = vendor.text.casefold()
    return next(
        (
            reading
            for reading in _readings_elsewhere(vendor, lines, lambda text: wanted.startswith(text.casefold()))
            if not reading.text.isupper() and reading.text != vendor.text and reading.text.casefold() == wanted
        ),
        vendor,
    )


def _printed_inside_another_line(vendor: PartyText, lines: Sequence[OcrLine]) -> PartyText | None:
    """The name as another line prints it within its text ("Remit to: Coastline Signs &
    Graphics Ltd." for a logo OCR read as "CoaSTLINE SIGNs & GRaPHICs LTD."), in a case
    no word of which OCR mixed up."""
    wanted = " ".join(vendor.text.split()).casefold()
    for line in lines:
        text = " ".join(line.text.split())
        start = text.casefold().find(wanted)
        written = text[start : start + len(wanted)] if start >= 0 else ""
        if line not in vendor.lines and written and not _mixed_up_words(written):
            return PartyText(written, (line,), line.confidence)
    return None


def _legal_form_end(folded: str, form: re.Match[str]) -> int:
    """Where a name's legal form ends: after a limited partnership's general partner
    ("GmbH & Co. KG") or a form of two words ("& Co. oHG")."""
    tail = _PARTNERSHIP_TAIL.match(folded, form.end())
    end = tail.end() if tail else form.end()
    following = LEGAL_FORM.search(folded, end)
    # "(Pty) Ltd": a form in brackets before the main one; "BV/SRL": a Belgian name's form
    # in both languages.
    if following and not folded[end : following.start()].strip(" )/"):
        form, end = following, following.end()
    # "… Communications Limited. Registered in England": a form never written with a
    # full stop leaves it to the sentence.
    if folded[end - 1] == "." and folded[form.start() : end - 1] in _FORMS_WITHOUT_A_STOP:
        end -= 1
    return end


def _footer_company(rows: Sequence[Sequence[OcrLine]], excluded: set[OcrLine]) -> PartyText | None:
    """A receipt whose header prints no name (the shop's logo is a picture, the first
    text its address) names the company in its footer: the first line with a legal form
    ("Lidl Vertriebs-GmbH & Co. KG")."""
    for row in rows:
        for line in row:
            if _eligible_vendor_line(line, excluded) and LEGAL_FORM.search(fold(line.text)):
                return PartyText(tidy_name(_without_registration(line.text.strip())), (line,), line.confidence)
    return None


def _starts_with_words(text: str, prefix: str) -> bool:
    """Whether `text` starts with all of `prefix`'s words and has more after them."""
    words, leading = fold(text).split(), fold(prefix).split()
    return len(leading) >= 2 and len(words) > len(leading) and words[: len(leading)] == leading


def _with_wrapped_suffix(
    best: OcrLine, row: Sequence[OcrLine], all_lines: Sequence[OcrLine], excluded: set[OcrLine]
) -> list[OcrLine]:
    """The name's lines: with the legal form OCR boxed apart on the same row ("SUBANG
    HEALTHCARE SDN" + "BHD") or wrapped onto the next line, a branch in brackets on the
    next line, or, for a bare legal form, the name above it."""
    index = row.index(best)
    after = row[index + 1] if index + 1 < len(row) else None
    if after is not None and _is_bare_suffix(after) and after.left - best.right < 3 * max(best.height, 1):
        return [best, after]
    if after is not None and _split_off_word(best, after):
        return [best, after]
    if _is_bare_suffix(best):
        before = row[index - 1] if index else None
        if before is not None and _eligible_vendor_line(before, excluded):
            return [before, best]
        return [line for line in _lines_above(best, all_lines) if _names_a_legal_form(line, excluded)] + [best]
    following = _lines_below(best, all_lines)[:1]
    if following and (_is_bare_suffix(following[0]) or _BRANCH.fullmatch(following[0].text)):
        return [best, *following]
    return [*_name_wrapped_above(best, all_lines, excluded), best]


def _split_off_word(name: OcrLine, after: OcrLine) -> bool:
    """Whether the detector cut the name's last word off into a box of its own ("Sakura
    Sushi" + "Bar"): a box of letters that touches the name's (its gap under half the
    height of the smaller box) and lies within the name's height."""
    height = max(min(name.height, after.height), 1)
    return (
        after.left - name.right < height / 2
        and after.top >= name.top - height / 4
        and after.bottom <= name.bottom + height / 4
        and re.fullmatch(r"[^\W\d_]+(?:[\s'&.-][^\W\d_]+)*\.?", after.text.strip()) is not None
    )


def _name_wrapped_above(best: OcrLine, all_lines: Sequence[OcrLine], excluded: set[OcrLine]) -> list[OcrLine]:
    """The start of a company name wrapped over the line with its legal form ("WESTERN
    EASTERN" over "STATIONERY SDN.BHD"): the line right above, in the same type, a name
    without a digit or a legal form of its own. A brand over the company's full name
    ("AEON" over "AEON CO. (M) BHD") is no part of it, nor is a bigger logo line, nor a
    banner's word over a name another line prints alone ("SUPER" over "VERNADIS SAS",
    and "VERNADIS SAS au capital de …" in the footer), nor a tagline listing trades
    ("Web hosting · Domains · Managed servers", "ASADOR · RESTAURANTE"), nor a banner of
    trade words alone ("SUPERMARKET" over "MAVUNO RETAIL STORES LTD"), nor a motto in small
    letters over a name in capitals ("tu farmacia de barrio" over "FARMACÉUTICA CRUZ DEL SUR SpA")."""
    if not LEGAL_FORM.search(fold(best.text)):
        return []
    above = _lines_above(best, all_lines)
    if not above:
        return []
    upper = above[0]
    folded = fold(upper.text)
    same_type = 1 / _SAME_TYPE_RATIO <= upper.height / max(best.height, 1) <= _SAME_TYPE_RATIO
    # A firm's kind under its wordmark ("BRANDT & OELKERS" over the smaller
    # "STEUERBERATUNGSGESELLSCHAFT MBH") completes the name in any type size.
    same_type = same_type or _names_a_firms_kind(best)
    repeated = set(folded.split()) <= set(fold(best.text).split())
    if (
        same_type
        and not repeated
        and _eligible_vendor_line(upper, excluded)
        and not re.search(r"\d", upper.text)
        and not _RETURN_ADDRESS_SEPARATOR.search(upper.text)
        and not LEGAL_FORM.search(folded)
        and not _opens_another_line(best, all_lines)
        and not set(upper.text.upper().split()) <= NAME_WORDS
        and not (upper.text.islower() and sum(char.isupper() for char in best.text) > len(best.text) / 2)
    ):
        return [upper]
    return []


def _names_a_firms_kind(line: OcrLine) -> bool:
    """Whether a line is a kind of company and its legal form, without a name of its own
    ("Steuerberatungsgesellschaft mbH", "Wirtschaftsprüfungsgesellschaft AG")."""
    folded = fold(line.text)
    form = LEGAL_FORM.search(folded)
    words = folded[: form.start()].split() if form else []
    return len(words) == 1 and words[0].endswith("gesellschaft")


def _opens_another_line(name: OcrLine, all_lines: Sequence[OcrLine]) -> bool:
    words = fold(name.text).split()
    return any(line is not name and fold(line.text).split()[: len(words)] == words for line in all_lines)


def _last_row_of(party: PartyText) -> OcrLine:
    """The name's last row as one box: OCR may box its legal form apart on that row
    ("SUBANG HEALTHCARE SDN" + "BHD"), and the address aligns with the whole row."""
    last = party.lines[-1]
    row = [line for line in party.lines if abs(line.top - last.top) < last.height / 2]
    if len(row) == 1:
        return last
    return OcrLine(" ".join(line.text for line in row), min(line.confidence for line in row), lines_polygon(row))


def vendor_address(vendor: PartyText, lines: Sequence[OcrLine]) -> PartyText | None:
    """The address block under the vendor's name: registration lines and lines without a
    digit before it are skipped, a contact, registration, label or title line ends it, as
    does a salutation ("Ms Sarah O'Connor": the recipient's window under a logo). A
    branch line that repeats the name before the place ("DOMINO'S PIZZA TAMAN
    UNIVERSITI" under "DOMINO'S PIZZA") opens the address: it names where the shop is."""
    block: list[OcrLine] = []
    for line in _lines_below(_last_row_of(vendor), lines):
        folded = fold(line.text)
        ends_address = (
            _CONTACT.search(folded)
            or is_label(line.text)
            or _DOCUMENT_TITLE.search(folded)
            or _SALUTATION_START.match(line.text)
        )
        if ends_address or (block and _REGISTRATION.search(folded)):
            break
        branch = _starts_with_words(line.text, vendor.text)
        if (
            not block
            and not branch
            and (
                _REGISTRATION.search(folded)
                or _BRANCH_NUMBER.match(folded)
                or not re.search(r"\d", line.text)
                or _is_letter_spaced(line.text)
            )
        ):
            continue
        block.append(line)
        if len(block) == _MAX_ADDRESS_LINES:
            break
    if not block:
        return None
    text = repair_address(" ".join(line.text.strip() for line in block))
    return PartyText(text, tuple(block), min(line.confidence for line in block))
