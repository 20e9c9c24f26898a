"""Field labels in English, German, French and Spanish, matched tolerantly.

Labels are matched at the start of a line's text after folding case and accents
("Fällig" -> "fallig", "N°"/"Nº" -> "n°"/"no") and repairing digit-for-letter OCR swaps
("T0TAL"). The longest matching label wins, so "Total qty" (not a money field) beats
"Total", and "Total excl. VAT" (the subtotal) beats "Total" too. A label may stand for more
than one field when wording differs by region ("Net total" is the subtotal on a European
invoice and the final total on a Malaysian receipt); the arithmetic checks decide later.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from invoice_ocr.extraction.lexicon import repair_label_words

# Field names, as keys of InvoiceExtraction.fields.
INVOICE_NUMBER = "invoice_number"
INVOICE_DATE = "invoice_date"
DUE_DATE = "due_date"
VENDOR_NAME = "vendor_name"
CUSTOMER_NAME = "customer_name"
SUBTOTAL = "subtotal"
TAX = "tax"
TOTAL = "total"
# Receipt payment lines: not output fields, but "paid - change = total" confirms a total.
PAID = "paid"
CHANGE = "change"
# Adjustments between subtotal + tax and the total.
ROUNDING = "rounding"
DISCOUNT = "discount"
SHIPPING = "shipping"
# A delivery address heading ("Ship to", "Lieferadresse"): no output field, but its block
# is a recipient's, never the vendor's.
SHIP_TO = "ship_to"
# An invoice series printed apart from its number ("Seria: CTL" over "Nr.: 0004587"): it
# belongs before the number.
SERIES = "series"

# A tax line that states the tax the amounts already include ("enthaltene MwSt 19%",
# "GST 6% included", "dont TVA", "di cui IVA"): the total is not the subtotal plus it. On folded text.
TAX_INCLUDED = re.compile(
    r"(?<![a-z])(?:incl\w*|inkl\w*|enthalten\w*|enth\.|dont|davon|waarvan|inclus\w*|incluid\w*|w\s*tym|di\s*cui)(?![a-z])"
)
# A company's legal form (GmbH, Ltd, SDN BHD, S.A.): on folded text; never right after a
# digit ("Koffiebonen 1kg" weighs, it is no KG).
LEGAL_FORM = re.compile(
    r"(?<![a-z\d])(?:sdn\.?\s*bhd|bhd|enterprise|trading|gmbh|ag|a\.\s?g|kg|ohg|ug|ltd|limited|llc|l\.\s?l\.\s?c|inc|corp(?:oration)?"
    r"|co\.|company|plc|llp|s\.?\s?a\.?\s?r\.?\s?l|sas|s\.?\s?a|s\.?\s?l|s\.?\s?r\.?\s?l|b\.?\s?v|n\.?\s?v|v\.\s?o\.\s?f|sp\.\s?z\s?o\.\s?o|s\.\s?k\.?\s?a|pty|pte"
    r"|stiftung|kgaa|gbr|e\.\s?[vk]|s\.\s?p\.\s?a|spa|srl|oy|oyj|a/s|aps|s\.\s?r\.\s?o|a\.\s?s|kft|zrt|nyrt"
    r"|d\.\s?o\.\s?o|bvba|sprl|eurl|sasu|ltda|lda|eireli|uab|(?:anonim|limited)\s*sirketi|tnhh|cong\s*ty"
    # Forms that are also short words ("ab Werk", "as of", "sia", a tax code "AB"): only
    # where they end a name, after a word.
    r"|(?<=[^\W\d]\s)(?:ab|as|asa|og|e\.\s?u|sia|sti|ou)(?=\.?\s*(?:\(publ\)|[,;·|)]|$))"
    # "mbH" closes a German company named "…gesellschaft mbH" ("Steuerberatungsgesellschaft mbH").
    r"|(?<=[^\W\d]\s)mbh"
    # Baltic forms open a name in quotes: SIA "Zīmola Darbnīca", AB „Šiaulių bankas“.
    r"|(?:sia|as|ab)(?=\s*[\"„“«]))\.?(?![a-z])"
)
# A visit to come, whose date is not the document's ("Ihr nächster Termin").
_VISIT_TO_COME = r"(?:ihr\s*)?nachster\s*termin|next\s*(?:appointment|visit)|prochain\s*rendez-vous|volgende\s*afspraak"
VISIT_TO_COME_HEADING = re.compile(rf"\W*(?:{_VISIT_TO_COME})\W*")
_NUM = r"(?:number|numero|nummer|num\.?|nbr\.?|nr\.?|no\.?|n\.?\s?[°o]\.?|#)"
# On folded text: the series code is the group.
SERIES_BEFORE_NUMBER = re.compile(rf"(?<![a-z])seri(?:ja|[ae])(?![a-z])\s*:?\s*([a-z]{{1,5}}\d{{0,4}})\s*{_NUM}")
# A document word, a few more words, then a number word, anywhere in a line: the title
# line of "Rechnung des Versicherers Nr. 01.234.567.8-2018-1", "Gutschrift (Selbst
# ausgestellte Rechnung) Nr. 47110818". On folded text; the number follows the match.
NUMBER_AFTER_TITLE = re.compile(
    r"(?<![a-z])(?:rechnung|gutschrift|invoice|facture|factura|fattura|factuur|faktura|fatura|avoir|credit\s*note"
    r"|quittung|kassenbon|beleg|receipt|recibo|ricevuta|scontrino|paragon|kwitantie|boleta|cash\s*bill|bil\s*tunai)"
    rf"(?![a-z])[^\d:]{{0,40}}?(?<![a-z]){_NUM}\s*:?\s*"
)
_AMOUNT_WORD = (
    r"(?:total|totaal|totale|amount|amt\.?|bedrag|importo|montante|summa|sum|celkem|belo[bp]"
    r"|toplam|tutar|valoare[a]?|valor|kokku|kopa|is\s*viso|ukupno|skupaj)"
)
_EXCLUDING = (
    r"(?:exc\w*\.?|exkl\w*\.?|eks\w*\.?|ex\.?|before|without|net|hors|ohne|zonder|senza|sem|s\s?/|bez|uden|utan"
    # Romanian, Estonian, Turkish and Lithuanian "without".
    r"|fara|ilma|haric|brez|be(?=\s*pvm))"
)
_TAX_WORD = (
    r"(?:tax|vat|gst|[csiu]gst|utgst|sst|hst|mwst\.?|ust|tva|iva|i\.v\.a\.?|igv|btw|ptu|mehrwertsteuer|umsatzsteuer"
    # Canada's provincial sales taxes beside its GST: BC's PST, Quebec's QST (TVQ beside TPS).
    r"|pst|qst|tvq|tps"
    r"|impuesto|imposta|podatek|moms|mva|alv|dph|afa"
    # Turkish, Estonian, Latvian and Lithuanian VAT, Brazil's service tax.
    r"|kdv|kaibemaks(?:u|ga)?|pvn|pvm|iss"
    # Slovenian, Croatian and Indonesian VAT, the Croatian word for tax.
    r"|ddv|pdv|ppn|porez)"
)
# What turns a tax word into something else: a registration number (named, or printed
# right after it with its country prefix: "BTW NL812345678B01", "VAT GB 812 4471 09"), a
# document title, a summary table, or the "incl./excl. tax" qualifier of another amount
# (but "VAT included @ 20%" states its rate: the tax the total includes).
_VAT_ID = r"[a-z]{2}\s?\d[\d\s]{6,13}\d(?![\d.,])"
_SUM_WORD = r"(?:total[et]?|totaal|summe|summa|sum|gesamt|razem|celkem|ukupno|skupaj)"
_NOT_A_TAX_AMOUNT = (
    r"(?!\.?\s*[-/]?\s*(?:no\b|nr|n\s?°|number|id|reg|ref\b|code|summary|invoice|incl(?!\w*\.?\s*@?\s*\d{1,2}(?:[.,]\d+)?\s?%)"
    r"|excl|exempt|intra|identif"
    rf"|rate\b|tarie?f|tarifa|tariff|satz|aliquota|stawka|di\s*bollo|:?\s*{_VAT_ID}))"
)

_AMOUNT_DUE_BY = r"(?:total\s*)?(?:amount|balance)\s*due\s*(?:by|on|before)"

# (field or None for "not a field label", pattern, strength). Strength ranks candidates
# of one field: 3 names the field unambiguously, 1 is a weak hint.
_LABELS: list[tuple[str | None, str, int]] = [
    # Invoice number.
    # "Tax Invoice No." is the number's label, not the "Tax Invoice" title.
    (INVOICE_NUMBER, rf"(?:(?:simplified\s*)?(?:tax|gst|vat)\s*)?invoice\s*{_NUM}", 3),
    (INVOICE_NUMBER, rf"{_NUM}\s*(?:of\s*)?invoice", 3),
    (INVOICE_NUMBER, rf"rechnungs?\s*-?\s*(?:{_NUM}|nummer)", 3),
    (INVOICE_NUMBER, rf"(?:facture\s*{_NUM}|{_NUM}\s*(?:de\s*)?(?:la\s*)?facture|numero\s*de\s*facture)", 3),
    (INVOICE_NUMBER, rf"(?:factura\s*{_NUM}|{_NUM}\s*(?:de\s*)?(?:la\s*)?factura|numero\s*de\s*factura)", 3),
    (INVOICE_NUMBER, rf"inv\.?\s*(?:{_NUM}|id)|invoice\s*(?:id|ref(?:erence)?)", 3),
    (INVOICE_NUMBER, rf"(?:\w*rechnung(?:skorrektur)?|gutschrift|storno\w*)\s*-?\s*{_NUM}", 3),
    (INVOICE_NUMBER, rf"belegnummer|beleg\s*-?\s*{_NUM}", 3),
    # "Bon-Nr. 4812", and a bare "Bon 0478" (not the French "Bon de livraison").
    (INVOICE_NUMBER, rf"(?:kassen)?bon(?:\s*-?\s*(?:{_NUM}|nummer)|(?=\s*:?\s*\d))", 2),
    # A German till's "Kasse 3 Bon 4711": the till's number, then the receipt's.
    (INVOICE_NUMBER, rf"kasse\s*:?\s*\d+\s*[,/]?\s*bon(?:\s*-?\s*(?:{_NUM}|nummer))?", 2),
    (INVOICE_NUMBER, rf"factuur\s*-?\s*(?:{_NUM}|nummer)|factuurnummer", 3),
    # A Dutch utility's bill is a "nota".
    (INVOICE_NUMBER, rf"nota\s*-?\s*(?:{_NUM}|nummer)", 3),
    (INVOICE_DATE, r"notadatum|datum\s*(?:van\s*de\s*)?nota", 3),
    (INVOICE_NUMBER, rf"fattura\s*(?:{_NUM}|n\.?)|numero\s*(?:di\s*)?fattura|nr?\.?\s*fattura", 3),
    (INVOICE_NUMBER, rf"fatura\s*(?:{_NUM}|n\.?\s*[°o]?)|(?:numero|{_NUM})\s*da\s*fatura", 3),
    (INVOICE_NUMBER, rf"faktura\s*(?:vat\s*)?(?:{_NUM}|nr)|(?:numer|nr)\.?\s*faktury", 3),
    (
        INVOICE_NUMBER,
        rf"(?:credit\s*(?:note|memo)|avoir|nota\s*de\s*credito|nota\s*di\s*credito|creditnota|abono|korekta)"
        rf"\s*(?:{_NUM}|n\.)",
        3,
    ),
    # German abbreviations ("Rechn.-Nr.", "Rg.-Nr."), a credit note's and a receipt's own
    # number words, and the invoice number's name in more languages (CZ, HU, FI).
    (INVOICE_NUMBER, rf"(?:rechn|rg)\.?\s*-?\s*{_NUM}|gutschriftsnummer|quittungs?\s*-?\s*(?:{_NUM}|nummer)", 3),
    (
        INVOICE_NUMBER,
        # Malaysia's MyInvois e-invoice prints "e-Invoice Code/Number".
        rf"(?:e\s*-?\s*)?invoice\s*(?:serial|code)(?:\s*/?\s*{_NUM})?|cislo\s*faktury|faktura\s*cislo|szamlaszam"
        r"|szamla\s*sorszama|laskun\s*numero",
        3,
    ),
    (INVOICE_NUMBER, rf"voucher\s*{_NUM}", 2),
    # A French till's "TICKET 004127", "Ticket n° 4127", "N° ticket : 4127".
    (INVOICE_NUMBER, rf"(?:{_NUM}\s*)?ticket(?:\s*{_NUM})?(?=\s*:?\s*\d)", 2),
    # A US restaurant's guest check: "Check #2093", "Chk 4471", "Guest check no. 12".
    (INVOICE_NUMBER, rf"(?:guest\s*)?(?:check|chk)\s*{_NUM}|chk(?=\s*\d)", 2),
    # Two document words over one number ("Order/Invoice No."), abbreviations ("Fact. n°"),
    # the Italian document number and the Brazilian "Nota fiscal nº".
    (
        INVOICE_NUMBER,
        rf"(?:order|receipt)\s*/\s*invoice\s*{_NUM}|invoice\s*/\s*(?:receipt|bill)\s*{_NUM}|fact\.\s*{_NUM}"
        rf"|nota\s*fiscal\s*{_NUM}",
        3,
    ),
    (INVOICE_NUMBER, r"numero\s*(?:del\s*)?documento", 2),
    # The Mexican CFDI's series and folio; "Faktura-Nr." hyphenated.
    (INVOICE_NUMBER, rf"serie\s*y\s*folio|faktura\s*-\s*{_NUM}", 3),
    # A reference with its number word is the document's when no named label is printed.
    (INVOICE_NUMBER, rf"ref(?:erence)?\.?\s*{_NUM}", 1),
    # Abbreviated document words: "Fra. nº" (factura), "FS n.º" / "FT n.º" (Portuguese
    # fatura simplificada / fatura), "Serie/Número", a till slip's "N. scontrino", "Paragon nr".
    (INVOICE_NUMBER, rf"fra\.?\s*{_NUM}", 3),
    (INVOICE_NUMBER, rf"f[srt]\s*{_NUM}|serie\s*/?\s*numero|n\.?\s*scontrino|scontrino\s*{_NUM}|paragon\s*{_NUM}", 2),
    (INVOICE_NUMBER, rf"{_NUM}\s*(?:de\s*(?:la\s*)?)?(?:abono|avoir|factura|fatura)", 3),
    (
        INVOICE_NUMBER,
        rf"factura\s*rectificativa\s*{_NUM}|ref(?:erence)?\.?\s*(?:de\s*la\s*)?facture|re\.?\s*-\s*nr\.?",
        3,
    ),
    (INVOICE_NUMBER, rf"documento\s*(?:{_NUM}|n\.)|numero(?=\s*:)|nr\.?\s*wydruku", 1),
    # Weakest: a bare number word or "Reference" opening a line as a key ("Nº: F09573",
    # "Reference: 65010", "Nº ...... A/2024/5426"), never as a street number ("No. 12,
    # Jalan …"); any named label wins over them.
    (INVOICE_NUMBER, rf"(?:{_NUM}|ref(?:erence)?\.?|transactie(?:nummer)?)(?=\s*:(?!\s*\d+\s*,)|\s*\.{{3}})", 1),
    # "Invoice SI/2024/2721 dated 30/01/2024": the title line names the number before its date.
    (
        INVOICE_NUMBER,
        r"(?:invoice|rechnung|facture|factura|factuur|fattura|fatura|faktura)"
        r"(?=\s+\S*\d\S*\s+(?:dated|of|from|vom|du|del|de|van|z|d\.\s?d\.)(?:\b|\s))",
        2,
    ),
    (INVOICE_NUMBER, r"(?:invoice|rechnung|facture|factura|factuur|fattura|fatura|faktura)(?=\s*[:#])", 2),
    (
        INVOICE_NUMBER,
        rf"(?:receipt|doc(?:ument)?\.?|ticket|recibo|recu|booking|order\s*confirmation|statement)\s*{_NUM}",
        1,
    ),
    # A bill's number is the number of the document it heads (a utility's, a restaurant's),
    # where a receipt's may be the payment's.
    (INVOICE_NUMBER, rf"bill\s*{_NUM}", 2),
    # A cash bill's own number, not a payment in cash ("Cash Bill No : CB 021574").
    (INVOICE_NUMBER, rf"cash\s*bill\s*{_NUM}", 3),
    (INVOICE_NUMBER, r"(?:booking|reservation|confirmation)\s*(?:id|ref\w*|code)", 1),
    # Dates.
    (INVOICE_DATE, r"(?:invoice|bill|billing|issue|document|receipt|statement)\s*date", 3),
    (INVOICE_DATE, r"date\s*(?:of\s*)?(?:issue|invoice)", 3),
    (INVOICE_DATE, r"(?:rechnungs|beleg|ausstellungs)datum", 3),
    (INVOICE_DATE, r"date\s*(?:de\s*)?(?:la\s*)?(?:facture|facturation|d'?emission)", 3),
    (INVOICE_DATE, r"fecha\s*(?:de\s*)?(?:la\s*)?(?:factura|emision|expedicion)", 3),
    (INVOICE_DATE, r"factuurdatum|data\s*(?:della\s*)?fattura|data\s*da\s*fatura|data\s*(?:wystawienia|faktury)", 3),
    # Nordic and Czech issue dates: "Fakturadato", "Fakturadatum", "Datum vystavení".
    (INVOICE_DATE, r"fakturadat(?:o|um)|faktureringsdato|datum\s*vystaveni|datum\s*vyst\.", 3),
    # The Hungarian invoice's "date of making out" and due date, and its date of supply.
    (INVOICE_DATE, r"(?:szamla\s*)?kelte|kiallitas\s*datuma", 3),
    (DUE_DATE, r"fizetesi\s*hatarido|esedekesseg(?:\s*datuma)?", 3),
    (None, r"teljesites\s*(?:datuma|idopontja)", 3),
    (INVOICE_DATE, r"(?:date|dated|datum|fecha|data)", 2),
    # A UK VAT invoice's tax point: the date of supply, the invoice date where none is printed.
    (INVOICE_DATE, r"tax\s*point(?:\s*date)?", 2),
    (DUE_DATE, r"(?:payment\s*)?due\s*(?:date|on|by)?|date\s*due|pay(?:ment)?\s*by|payable\s*by", 3),
    # "Amount due by Dec 15, 2026": the date the amount is due, and the amount when the
    # line goes on to print it ("TOTAL AMOUNT DUE ON December 2, 2026 $12.34").
    (DUE_DATE, _AMOUNT_DUE_BY, 3),
    (TOTAL, _AMOUNT_DUE_BY, 3),
    # One box for both ("Payment Terms / Due Date": "30 days / 05/06/2025"): its date is due.
    (DUE_DATE, r"(?:payment\s*)?terms\s*(?:/|&|and)\s*(?:payment\s*)?due(?:\s*date)?", 3),
    (DUE_DATE, r"(?:fall|faell)ig(?:keit(?:sdatum)?|\s*am|\s*bis)?|zahlbar\s*bis|zahlungsfrist", 3),
    # Payment terms as a sentence: "Bitte überweisen Sie den Betrag bis zum 24.07.2014",
    # "Zahlbar innerhalb 30 Tagen netto bis 04.04.2020".
    (
        DUE_DATE,
        r"bitte\s*(?:uberweisen|zahlen|bezahlen)\s*sie(?:\s*den\s*(?:rechnungs|gesamt)?betrag)?\s*bis(?:\s*zum)?",
        3,
    ),
    (
        DUE_DATE,
        r"zahlbar\s*(?:innerhalb\s*(?:von\s*)?\d+\s*tagen\s*(?:(?:rein\s*)?netto\s*|ohne\s*(?:jeden\s*)?abzug\s*)?)?"
        r"bis(?:\s*(?:zum|spatestens))?",
        3,
    ),
    (DUE_DATE, r"(?:date\s*d'?\s*)?echeance|a\s*payer\s*avant(?:\s*le)?|date\s*limite\s*de\s*paiement", 3),
    (DUE_DATE, r"(?:fecha\s*(?:de\s*)?)?vencimiento|fecha\s*limite\s*de\s*pago", 3),
    (DUE_DATE, r"(?:please\s*)?(?:remit|pay(?:ment)?|payable)\s*(?:until|before|no\s*later\s*than)", 3),
    (DUE_DATE, r"zahlbar\s*bis\s*(?:zum)?", 3),
    # How to pay, not by when: "Payment by ACH or card via the link above".
    (
        None,
        r"pay(?:ment)?\s*by\s*(?:ach|card|credit|debit|cheque|check|bank|wire|direct|paypal|transfer|bacs|sepa|cash|upi)",
        3,
    ),
    # The day a direct debit is collected is the day this invoice is paid (as a sentence
    # that says so, see `invoice._DEBIT_VERB`).
    (
        DUE_DATE,
        r"incassodatum|afschrijfdatum|abbuchungsdatum|einzugsdatum|lastschriftdatum|date\s*de\s*prelevement"
        r"|(?:direct\s*)?debit\s*date",
        3,
    ),
    # "Der Rechnungsbetrag ist bis zum 31.03.2025 fällig."
    (DUE_DATE, r"(?:der\s*)?(?:rechnungs|gesamt)?betrag\s*ist\s*(?:bis|spatestens)(?:\s*(?:zum|am|bis))*", 3),
    # Nordic and Czech due dates, and the Italian "(da pagare) entro il".
    (DUE_DATE, r"forfall(?:s)?dato|forfaldsdato|forfallodatum|betalingsfrist|betala\s*senast|erapaiva", 3),
    (DUE_DATE, r"datum\s*splatnosti|splatnost|(?:da\s*pagare\s*)?entro\s*il", 3),
    (DUE_DATE, r"fecha\s*de\s*pago|vence(?:\s*el)?|pagar\s*antes\s*de", 3),
    (DUE_DATE, r"vervaldatum|(?:data\s*(?:di\s*)?)?scadenza|(?:data\s*de\s*)?vencimento|termin\s*platnosci", 3),
    (DUE_DATE, r"(?:te\s*)?betalen\s*(?:voor|uiterlijk\s*op)|(?:uiterste\s*)?betaaldatum|zahlungsziel", 3),
    (DUE_DATE, r"please\s*pay\s*(?:by|before)", 3),
    (DUE_DATE, r"payable\s*avant(?:\s*le)?|termin\s*zaplaty|platne\s*do|platnosc\s*do", 3),
    (None, r"(?:delivery|order|service|ship(?:ping)?|supply)\s*date|(?:liefer|leistungs|bestell)datum", 3),
    (None, r"date\s*of\s*(?:delivery|order|service|shipping|supply|birth)", 3),
    # A stay's dates on a hotel bill are not the invoice's.
    (None, r"check\s*-?\s*(?:in|out)|arrival|departure|anreise|abreise|ankunft|abfahrt|arrivee|depart", 3),
    # A car park's entry and exit, and a visit to come ("Ihr nächster Termin").
    (None, r"einfahrt|ausfahrt|(?:entry|exit)\s*(?:time|date)?(?=\s*:?\s*\d)", 3),
    (None, _VISIT_TO_COME, 3),
    (None, r"date\s*de\s*(?:livraison|commande)|fecha\s*de\s*(?:entrega|pedido)", 3),
    (None, r"datum\s*uskutecneni(?:\s*zdanitelneho\s*plneni)?|duzp|leveringsdato|leveransdatum", 3),
    # Romanian, Turkish, Estonian, Latvian, Lithuanian and Brazilian numbers and dates.
    (SERIES, r"seri(?:ja|[ae])(?:\s*(?:factur(?:a|ii)|fatura))?", 3),
    # An Argentine invoice's point of sale, cited before its number: "00003-00001287".
    (SERIES, r"punto\s*de\s*venta", 3),
    # The series and the number on one line: "Seria CTL nr. 0004587", "Serija AZD Nr. 002315".
    (INVOICE_NUMBER, rf"{SERIES_BEFORE_NUMBER.pattern}\s*:?", 3),
    (
        INVOICE_NUMBER,
        rf"arve\s*{_NUM}|rekin[as]\s*{_NUM}|saskaitos?(?:\s*-?\s*fakturos?)?\s*{_NUM}"
        rf"|numero\s*da\s*nota(?:\s*fiscal)?|nota\s*fiscal\s*{_NUM}|fatura\s*numarasi",
        3,
    ),
    (
        INVOICE_DATE,
        r"data\s*(?:emiterii|facturii|emitere)|fatura\s*tarihi|duzenleme\s*tarihi|(?:arve\s*)?kuupaev|datums"
        r"|israsymo\s*data|data\s*(?:e\s*hora\s*)?(?:de\s*)?emissao",
        3,
    ),
    (INVOICE_DATE, r"tarih(?:i)?", 2),
    # An order's, a waybill's, a dispatch's and a card payment's dates on a Turkish e-Arşiv invoice.
    (None, r"(?:siparis|irsaliye|gonderim|odeme)\s*tarihi", 3),
    # A tax's own due date on a Brazilian service invoice ("Data de vencimento do ISS").
    (None, r"data\s*de\s*vencimento\s*do\s*(?:iss|imposto|tributo)", 3),
    (
        DUE_DATE,
        r"(?:data\s*)?scadent(?:ei|a)|termen\s*(?:de\s*)?plata|son\s*odeme\s*tarihi|vade\s*tarihi|maksetahtaeg"
        r"|tahtaeg|apmaksas\s*termins|apmoketi\s*iki|apmokejimo\s*terminas",
        3,
    ),
    # Slovenian, Croatian, Slovak, Indonesian, Vietnamese and Latin American numbers and dates.
    (
        INVOICE_NUMBER,
        r"racun\s*(?:st|br)\.?|broj\s*racuna|(?:no\.?|nomor)\s*(?:faktur|invoice)|comp(?:robante)?\.?\s*nro\.?"
        r"|trans(?:action)?\s*(?:no\.?|#|nr\.?)|doc\.?\s*n[.°o]",
        3,
    ),
    # A German till's "Trans.-Nr.": the receipt's number, or its TSE transaction's.
    (INVOICE_NUMBER, r"trans\.\s*-?\s*nr\.?", 2),
    (
        INVOICE_DATE,
        r"datum\s*(?:izdaje|racuna|vyhotovenia|vystavenia)|tanggal(?:\s*faktur)?|fecha\s*(?:de\s*)?emision",
        3,
    ),
    (
        DUE_DATE,
        r"rok\s*placila|rok\s*placanja|datum\s*dospijeca|jatuh\s*tempo|fecha\s*de\s*vto\.?\s*para\s*el\s*pago",
        3,
    ),
    (None, r"fecha\s*de\s*vto\.?\s*(?:de\s*(?:l\s*)?)?cae|datum\s*opravljene\s*storitve|datum\s*dodania", 3),
    # Indonesia's tax invoice number beside the invoice's own.
    (None, r"(?:no\.?|nomor)\s*(?:seri\s*)?faktur\s*pajak", 3),
    # Parties.
    (CUSTOMER_NAME, r"(?:bill(?:ed)?|invoice|sold)\s*to(?:\s*address)?|customer(?:\s*name)?|client(?:\s*name)?", 3),
    # A till's business customer is headed by the kind of customer ("PROFI-KUNDE", "Firmenkunde").
    (
        CUSTOMER_NAME,
        r"rechnungsempfanger|rechnung\s*an|(?:(?:profi|firmen|geschafts|gewerbe)\s*-?\s*)?kunde|empfanger",
        3,
    ),
    (CUSTOMER_NAME, r"auftraggeber", 3),
    # A Malaysian or Indian bill book's "Messrs" ("M/s :", "Tuan/Puan/M/s:").
    (CUSTOMER_NAME, r"(?:tuan\s*/\s*puan\s*/\s*)?m\s*/\s*s(?=\s*:)", 3),
    (CUSTOMER_NAME, r"factur(?:e|ee|er)\s*a|adresse\s*de\s*facturation|client", 3),
    (CUSTOMER_NAME, r"cliente|facturar\s*a|facturado\s*a|faturar\s*a|faturado\s*a|destinatario|cessionario", 3),
    # The Portuguese salutation that opens the customer's block: "Exmo.(s) Sr.(s)".
    (CUSTOMER_NAME, r"exm[oa]s?\.?(?:\(s\))?\s*sr[as]?\.?(?:\(s\))?\.?", 2),
    (CUSTOMER_NAME, r"(?<!ver)kaufer|buyer|acheteur|comprador|koper|afnemer|acquirente|committente|nabywca", 3),
    (CUSTOMER_NAME, r"datos\s*del\s*cliente|destinataire|spett(?:\.?\s*le|abile)|odbiorca", 3),
    (CUSTOMER_NAME, r"factuur\s*aan|klantgegevens|klant|klient|factuuradres|rechnungsadresse", 3),
    (CUSTOMER_NAME, r"(?:billing|invoice)\s*address", 3),
    # A utility's customer is its consumer ("Consumer Name & Address", "Name of Consumer").
    (CUSTOMER_NAME, r"consumer\s*name(?:\s*(?:&|and)\s*address)?|name\s*of\s*(?:the\s*)?consumer", 3),
    (CUSTOMER_NAME, r"invoiced\s*to|bill\s*-\s*to(?:\s*party)?|customer\s*details|purchaser|recipient", 3),
    (CUSTOMER_NAME, r"leistungsempfanger|besteller|adquirente", 3),
    # Nordic and Czech bill-to words, the Mexican CFDI's receiver and Italian account holder.
    (CUSTOMER_NAME, r"fakturamottak(?:er|are)|fakturamodtager|kundenavn|odberatel|receptor|intestatario|vevo", 3),
    (CUSTOMER_NAME, r"(?:an|to|aan|para)(?=\s*:)", 2),
    # A party word keying a number: "Customer Order No", "BUYER PIN", "Buyer's TIN".
    (
        None,
        rf"(?:customer|client|cliente|kunden?|klant|klient|buyer'?s?|purchaser'?s?)\s*-?\s*(?:order\s*)?"
        rf"(?:{_NUM}|id|code|vat|tax|ref\w*|nummer|nr|pin|tin|gstin|trn|abn)",
        3,
    ),
    (None, r"numer\s*klienta|klantnummer|nr\.?\s*klienta", 3),
    # Account, contract and meter numbers of utility and SaaS bills: keys, never a name.
    (None, rf"(?:account|contract|meter|customer)\s*(?:{_NUM}|id)|kontonummer|vertrags(?:konto|nummer)", 3),
    (None, r"zahlernummer", 3),
    # Terms and dispatch headings of an Indian invoice's grid: keys, never a party's name.
    (None, r"(?:mode\s*/\s*)?terms\s*of\s*(?:delivery|payment)|(?:delivery|payment)\s*terms|dispatched\s*through", 3),
    (
        SHIP_TO,
        r"ship(?:ped)?\s*to|deliver(?:ed)?\s*to|delivery\s*address|lieferadresse|lieferanschrift|livre\s*a"
        r"|adresse\s*de\s*livraison|enviar\s*a|direccion\s*de\s*entrega|afleveradres|leveringsadres"
        r"|indirizzo\s*di\s*consegna|adres\s*dostawy"
        # Where the work was done: a contractor's job or site address, a utility's supply address.
        r"|(?:job|site|installation|service|supply)\s*(?:/\s*site\s*)?address|job\s*site|baustelle|einsatzort"
        r"|(?:install(?:ed)?|installation|service|work\s*performed)\s*(?:at|location)|(?:installation|work)\s*site",
        3,
    ),
    # "Sold by" and "Billed by" head the seller's block on marketplace and Indian invoices.
    (VENDOR_NAME, r"from|seller|vendor|supplier|(?:issued|sold|billed)\s*by|bill\s*from", 3),
    (VENDOR_NAME, r"verkaufer|lieferant|absender|rechnungssteller", 3),
    # A car park's, a vending site's or a franchise's operator ("Betreiber: ParkServ GmbH").
    (VENDOR_NAME, r"betreiber(?:in)?|operated\s*by|exploitant", 3),
    # Whom the payment goes to: the seller, or the one it collects through.
    (VENDOR_NAME, r"pay\s*to|payee|remit\s*to", 2),
    (VENDOR_NAME, r"emetteur|vendeur|fournisseur|emisor|proveedor|vendedor", 3),
    (VENDOR_NAME, r"verkoper|leverancier|venditore|fornitore|cedente|fornecedor|prestador|sprzedawca|wystawca", 3),
    (VENDOR_NAME, r"service\s*provider|leistungserbringer|dienstleister|prestataire(?:\s*de\s*services?)?", 3),
    (VENDOR_NAME, r"dodavatel|leverandor|leverantor|elado|szallito", 3),
    # Romanian, Turkish, Estonian, Baltic and Brazilian sellers and buyers.
    (
        VENDOR_NAME,
        r"furnizor|prestator|vanzator|satici|muuja|pardavejas|tiekejas|pardevejs|piegadatajs"
        r"|prestador\s*de\s*servicos?|emitente|pakalpojuma\s*sniedzejs",
        3,
    ),
    (
        CUSTOMER_NAME,
        r"cumparator|sayin|alici|ostja|maksja|pirkejas|pircejs|(?:pakalpojuma\s*)?sanemejs|tomador(?:\s*de\s*servicos?)?",
        3,
    ),
    (VENDOR_NAME, r"prodajalec|dobavitelj|prodavatelj|dobavljac|don\s*vi\s*ban\s*hang", 3),
    (CUSTOMER_NAME, r"apellido\s*y\s*nombre\s*/?\s*razon\s*social", 3),
    (CUSTOMER_NAME, r"kupec|kupac|kepada\s*(?:yth\.?)?|senor(?:\(?es\)?)?|(?:don\s*vi\s*mua\s*hang|ten\s*don\s*vi)", 3),
    # Amounts.
    (
        SUBTOTAL,
        r"sub\s*-?\s*total|zwischen\s*summe|sous\s*-?\s*total|base\s*imponible|(?:importe|monto|valor)\s*neto",
        3,
    ),
    # "Total charges (exc. VAT)": what the sum is of may stand between.
    (SUBTOTAL, rf"{_AMOUNT_WORD}\s*(?:(?:charges|fees|costs)\s*)?(?:sales\s*)?\(?\s*{_EXCLUDING}\s*{_TAX_WORD}?", 3),
    (SUBTOTAL, r"net\s*amount|total\s*net|nettobetrag|summe\s*netto|gesamt\s*netto|netto(?:summe)?", 3),
    # A utility's "Current Charges" before the taxes on them; the arithmetic decides.
    (SUBTOTAL, r"current\s*charges", 1),
    # An Indian bill's "Net Amount" is what is paid after the tax and round-off: the
    # arithmetic tells it from a European net.
    (TOTAL, r"net\s*amount", 2),
    (SUBTOTAL, r"(?:rechnungs|gesamt)?(?:betrag|summe)\s*netto", 3),
    (SUBTOTAL, r"untaxed\s*amount|total\s*untaxed|amount\s*before\s*tax|total\s*before\s*tax", 3),
    (SUBTOTAL, rf"(?:rechnungs|gesamt)?(?:summe|betrag)\s*{_EXCLUDING}\.?\s*{_TAX_WORD}", 3),
    (SUBTOTAL, r"subtotaal|subtotale|imponibile|totale\s*imponibile|razem\s*netto|wartosc\s*netto", 3),
    (SUBTOTAL, r"total\s*iliquido|valor\s*iliquido|base\s*tributavel|incidencia", 3),
    (SUBTOTAL, r"(?:celkem\s*|spolu\s*)?bez\s*dph|zaklad\s*dane", 3),
    # The Danish taxable amount, the Finnish "tax-free total" and the Hungarian net value.
    (SUBTOTAL, r"momspligtigt\s*belob|veroton(?:\s*(?:yhteensa|hinta|summa))?|netto\s*ertek", 3),
    (SUBTOTAL, r"positionssumme|warenwert|summe\s*(?:der\s*)?positionen", 2),
    # A sum qualified in brackets: "Summe (netto)", "Gesamtbetrag (brutto)", "Total (gross)".
    (SUBTOTAL, r"(?:summe|total|gesamt(?:betrag|summe)?|betrag)\s*\(\s*(?:netto|net|exkl\.?[^)]*)\)", 3),
    (TOTAL, r"(?:summe|total|gesamt(?:betrag|summe)?|betrag)\s*\(\s*(?:brutto|gross|inkl\.?[^)]*)\)", 3),
    (SUBTOTAL, r"(?:total\s*)?taxable\s*(?:value|amount)|assessable\s*value", 3),
    (SUBTOTAL, r"total\s*h\.?\s*t\.?|montant\s*(?:total\s*)?h\.?\s*t\.?", 3),
    (SUBTOTAL, r"nett?\s*total", 1),
    (TOTAL, r"nett?\s*total", 1),
    # A US till's tax line opens with the state and the rate: "IN 7.000% TAX ON 36.24".
    (TAX, r"(?:[a-z]{2}\s+)?\d{1,2}(?:[.,]\d{1,3})?\s*%\s*(?:sales\s*)?tax", 3),
    # A sum word before the tax word names the tax total, not the invoice's: "Totale
    # IVA", "Totaal btw", "Summe USt", "Sum mva".
    # A pair of tax words ("GST/HST", "TPS/TVQ") is one; possessive, so that the number
    # after the pair ("GST/HST Reg. No.") cannot be dodged by reading the first word alone.
    # Indian ledgers print the tax as "Output CGST @ 9%", the seller's output tax.
    (
        TAX,
        rf"(?:{_SUM_WORD}\s*)?(?:(?:sales|output|service)\s*)?{_TAX_WORD}(?:\s*/\s*{_TAX_WORD})*+{_NOT_A_TAX_AMOUNT}",
        3,
    ),
    (TAX, rf"(?:zzgl\.?|zuzugl(?:\.|ich)|plus|\+|add\s*:?)\s*(?:\d+(?:[.,]\d+)?\s*%\s*)?{_TAX_WORD}", 3),
    (TAX, r"(?:montant|total)\s*(?:de\s*la\s*)?tva|(?:cuota|importe)\s*(?:de[l]?\s*)?iva|steuer(?:betrag)?", 3),
    (
        TAX,
        rf"(?:(?:darin\s*)?(?:enthaltene|enth\.)|inkl\.?|incl\.?|including|dont|davon|waarvan|di\s*cui|w\s*tym)"
        rf"\s*(?:\d+(?:[.,]\d+)?\s*%\s*)?"
        rf"{_TAX_WORD}",
        3,
    ),
    (TAX, rf"kwota\s*{_TAX_WORD}", 3),
    # A US bill's "State & Local Taxes", "Total County Tax".
    (TAX, r"(?:total\s*)?(?:(?:state|local|city|county|municipal|federal)\s*(?:&|and|/)?\s*)+tax(?:es)?", 3),
    # "Total includes GST of $129.88" states the tax a total includes; "Total Includes GST
    # 0%  8.20", without the "of", captions the total.
    (TAX, rf"(?:total|price|amount)s?\s*(?:includes?|inc\.?)\s*{_TAX_WORD}\s*of", 3),
    (TOTAL, r"grand\s*total|total\s*(?:amount\s*)?(?:due|payable|to\s*pay)|amount\s*(?:due|payable)|balance\s*due", 3),
    (
        TOTAL,
        r"due\s*payable|payable\s*amount|amount\s*to\s*pay|total\s*to\s*pay|net\s*(?:amount\s*)?payable|bill\s*amount",
        3,
    ),
    (TOTAL, r"invoice\s*total|(?:invoice\s*)?total\s*amount|rounded\s*total|total\s*rounded|nett\s*total", 3),
    (TOTAL, r"total\s*(?:of|for)\s*this\s*(?:invoice|bill)", 3),
    (TOTAL, r"gesamtbetrag|gesamtsumme|rechnungsbetrag|endbetrag|summe\s*brutto|bruttobetrag", 3),
    (TOTAL, r"zu\s*zahlen(?:der\s*betrag)?|zahlbetrag|bruttosumme|rechnungssumme|gesamtbrutto", 3),
    # A credit note's own total: "Gutschriftsbetrag", "Credit note total", "Montant de l'avoir".
    (
        TOTAL,
        r"gutschrift(?:s)?(?:betrag|summe)|erstattungsbetrag|credit\s*(?:note\s*)?(?:total|amount)"
        r"|total\s*credit(?:\s*note)?|montant\s*(?:total\s*)?de\s*l'?avoir|total\s*(?:de\s*l'?)?avoir|creditbedrag",
        3,
    ),
    (
        TOTAL,
        r"totaal(?:\s*bedrag)?|te\s*betalen|totale\s*(?:fattura|documento|da\s*pagare|bolletta)|importo\s*totale",
        3,
    ),
    (TOTAL, r"valor\s*total|total\s*a\s*pagar|razem\s*do\s*zaplaty|do\s*zaplaty|(?:wartosc|razem)\s*brutto", 3),
    (TOTAL, r"valor\s*a\s*pagar|netto\s*a\s*pagare|liquido\s*a\s*(?:percibir|pagar)|total\s*a\s*payer", 3),
    (TOTAL, r"invoice\s*(?:value|amount)|gross\s*amount|total\s*gross|rechnungsendbetrag|endsumme|te\s*voldoen", 3),
    (TOTAL, r"(?:new|closing)?\s*balance|brutto", 1),
    # Sums before tax, taxes and totals in Turkish, Estonian, Romanian, Baltic and Philippine wordings.
    (SUBTOTAL, r"mal\s*hizmet\s*toplam\s*tutari|(?:summa|kokku)\s*kaibemaksuta|baza\s*(?:de\s*)?impozitare", 3),
    (SUBTOTAL, r"vatable\s*sales|(?:amount\s*:?\s*)?net\s*of\s*vat|summa\s*bez\s*pvn|suma\s*be\s*pvm", 3),
    (TAX, rf"hesaplanan\s*{_TAX_WORD}|(?:valoare[a]?|valor)\s*(?:do\s*)?{_TAX_WORD}", 3),
    (
        TOTAL,
        r"odenecek\s*tutar|vergiler\s*dahil\s*toplam(?:\s*tutar)?|genel\s*toplam|(?:kokku\s*)?tasuda|kokku"
        r"|total\s*de\s*plata|total\s*general|kopa\s*apmaksai|summa\s*apmaksai|is\s*viso(?:\s*moketi)?|moketi",
        3,
    ),
    (SUBTOTAL, rf"skupaj\s*brez\s*{_TAX_WORD}|osnovica|ukupno\s*bez\s*{_TAX_WORD}|dasar\s*pengenaan\s*pajak", 3),
    (SUBTOTAL, r"cong\s*tien\s*hang|importe\s*neto\s*gravado|neto\s*gravado", 3),
    (TAX, rf"(?:znesek|iznos)\s*{_TAX_WORD}|tien\s*thue(?:\s*gtgt)?", 3),
    (
        TOTAL,
        r"za\s*placilo|za\s*platiti|celkom\s*k\s*uhrade|pavisam(?:\s*apmaksai)?|total\s*tagihan"
        r"|tong\s*cong(?:\s*tien\s*thanh\s*toan)?",
        3,
    ),
    (TOTAL, r"ukupno", 2),
    # "Suma" is the sum before tax in Spanish, the amount due on a Polish till slip.
    (TAX, r"suma\s*ptu", 3),
    (TOTAL, r"suma\s*(?:pln|zl)", 3),
    (SUBTOTAL, r"suma", 1),
    (TOTAL, r"suma", 1),
    (TOTAL, r"(?:montant|total)\s*t\.?\s*t\.?\s*c\.?|net\s*a\s*payer|montant\s*total", 3),
    (TOTAL, r"total\s*a\s*pagar|importe\s*total|total\s*(?:de\s*la\s*)?factura", 3),
    (TOTAL, r"total\s*(?:(?:sales|charges)\s*)?\(?\s*(?:incl\w*|inc\.?)", 2),
    (TOTAL, r"total[e]?|summe|gesamt|betrag|montant|importe|razem|totalt|celkem", 2),
    # The Czech "to pay" and, weaker as "Total incl. VAT" is, "with tax".
    (TOTAL, r"celkem\s*k\s*uhrade|k\s*uhrade", 3),
    (TOTAL, r"(?:celkem|spolu)\s*s\s*dph", 2),
    # "In all" and "to pay" in Danish/Norwegian, Finnish and Hungarian; the Hungarian and
    # Finnish sum words on their own are weaker, like "Total".
    (TOTAL, r"(?:belo[bp]\s*|total\s*)?i\s*alt|fizetendo(?:\s*osszeg)?|brutto\s*ertek|loppusumma", 3),
    (TOTAL, r"yhteensa|osszesen", 2),
    # "To pay" in more languages: Italian, Swedish, Danish/Norwegian, Finnish.
    (TOTAL, r"(?:please\s*|to\s*)pay|da\s*pagare|att\s*betala|a\s*betale|at\s*betale|maksettava", 2),
    (PAID, r"cash|paid|amount\s*(?:paid|tendered)|tendered|payment", 2),
    (PAID, r"visa|master\s*card|amex|debit|credit\s*card|card|upi", 2),
    (PAID, r"bar(?:zahlung)?|(?:geg\.|gegeben)(?:\s*(?:bar|ec\s*-?\s*cash|karte))?|especes|paye|efectivo|pagado", 2),
    (PAID, r"entregado|tarjeta|ec\s*-?\s*(?:cash|karte)|girocard|kreditkarte|karta|gotowka|pin(?:betaling)?", 2),
    (
        PAID,
        r"contanti|contante|carta\s*di\s*credito|carta\s*bancomat|bancomat|dinheiro|multibanco|numerario|contant",
        2,
    ),
    (CHANGE, r"change|ruckgeld|wechselgeld|rendu|monnaie(?:\s*rendue)?|cambio|vuelto", 3),
    (
        ROUNDING,
        r"(?:(?:less|add)\s*:?\s*)?round(?:ing)?(?:\s*(?:adj\w*\.?|off))?|rundung|arrondi|redondeo|zaokrouhleni"
        r"|\w*avrundning|afrunding",
        3,
    ),
    (DISCOUNT, r"(?:total\s*)?(?:discount|rabatt|remise|descuento|nachlass)", 3),
    (
        SHIPPING,
        r"shipping(?:\s*(?:&|and)\s*handling)?|delivery(?:\s*charges?)?|freight|postage|versand(?:kosten)?|fracht"
        r"|porto|frais\s*de\s*(?:port|livraison|transport)|envio|gastos\s*de\s*envio|verzendkosten|spedizione"
        r"|wysylka|portes",
        3,
    ),
    # Other charges added after the tax, like shipping: a tip, a gratuity, a service charge,
    # an Italian invoice's stamp duty ("Marca da bollo 2,00").
    (
        SHIPPING,
        r"tips?|gratuity|service\s*(?:charge|fee)|trinkgeld|bedienungsgeld|pourboire|propina|mancia|fooi|napiwek"
        r"|marca\s*da\s*bollo|(?:imposta\s*di\s*)?bollo",
        3,
    ),
    # A lawyer's disbursements, paid out for the client outside the scope of VAT.
    (SHIPPING, r"(?:total\s*)?(?:disbursements|debours)", 3),
    (None, r"total\s*(?:qty|quantity|items?|discount|savings?|units|pcs|weight|paid|tendered|change|number)", 3),
    (None, r"(?:tax|gst|vat)\s*invoice", 3),
    # A help line ("Customer care: 079-4890 2211"): no customer's heading.
    (None, r"customer\s*(?:care|service|support|helpline)|kundenservice|klantenservice|service\s*client", 3),
    # Which copy of a slip this is ("CUSTOMER COPY"): no customer's heading.
    (None, r"(?:customer|merchant|cardholder|client|store|office|bank)\s*copy", 3),
    # A utility or telecom bill's account history (the last bill, and the payment that
    # settled it) is not this invoice's total or a payment of it.
    (
        None,
        r"(?:balance|amount)\s*(?:from|brought|carried|b\s*/\s*f)\w*|(?:previous|prior|last|opening|old)\s*"
        r"(?:balance|bill|invoice|statement|amount)|payments?\s*(?:received|thank\s*you)|vorheriger\s*saldo"
        r"|saldovortrag|solde\s*(?:precedent|anterieur)|vorige\s*(?:factuur|saldo)",
        3,
    ),
    # Sums of charges, allowances and prepayments are not the invoice total.
    (None, r"gesamtbetrag\s*der\s*(?:zu|ab)schlage|summe\s*der\s*(?:zu|ab)schlage|erhaltene\s*anzahlung\w*", 3),
    (None, r"total\s*(?:des\s*)?(?:remises|frais|charges|allowances|prepaid|acomptes?)", 3),
]
# A label ends at a word boundary; an apostrophe continues the word ("Customer's payment").
# One ending in a symbol needs none: OCR drops the space in "Facture N°RE-2024-1".
_COMPILED = [
    (field, re.compile(rf"(?:{pattern})(?:(?<=[°#:])|(?![a-z'’]))"), strength) for field, pattern, strength in _LABELS
]
_WORDS_AND_SLASH = re.compile(r"[a-z]+(?:\s[a-z]+)?\s*/\s*")
_LEADING_NOISE = re.compile(r"[^a-z0-9#°]*")
# Letters whose base letter Unicode decomposition does not give ("zapłaty", "Søborg").
_UNDECOMPOSED_LETTERS = str.maketrans("łŁøØđĐı", "lLoOdDi")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """The fields a line's leading label names, and where the label ends in the text."""

    fields: dict[str, int]
    end: int


def fold(text: str) -> str:
    """Lower-case, accent-free text of the same length, for label matching.

    Characters that decompose into more than one letter are kept as they are, so indexes
    into the folded text are indexes into the original.
    """
    folded = []
    for char in text.replace("’", "'").translate(_UNDECOMPOSED_LETTERS):
        base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
        folded.append(base.lower() if len(base) == 1 else char.lower())
    letters = "".join(folded)
    # OCR reads O as 0 and l as 1 or I inside words: "T0TAL", "Subtota1", "AnzahI". At a
    # word's end only after a few letters: "LS1 4DL" is a postcode.
    letters = "".join(
        "l" if char == "I" and index and text[index - 1].islower() else letter
        for index, (char, letter) in enumerate(zip(text, letters, strict=True))
    )
    return re.sub(
        r"(?<=[a-z])[01](?=[a-z])|(?<=[a-z]{3})[01]\b", lambda match: "o" if match.group() == "0" else "l", letters
    )


def _label_text(text: str) -> str:
    """Folded text with label words OCR misread by a letter spelt right, for matching."""
    return repair_label_words(fold(text))


def match_label(text: str) -> LabelMatch | None:
    """The label at the start of `text`, if any; None when it names no field."""
    folded = _label_text(text)
    best_end, fields = _longest_label(folded, _LEADING_NOISE.match(folded).end())
    if best_end < 0:
        best_end, fields = _glossed_label(folded)
    if best_end < 0:
        best_end, fields = _label_after_slash(folded)
    if best_end < 0 or "none" in fields or _not_a_party_heading(folded, best_end, fields):
        return None
    if (VENDOR_NAME in fields or CUSTOMER_NAME in fields) and _RUNNING_TEXT.match(text, best_end):
        return None
    if _starts_an_identifier(folded, best_end) or _names_a_business(folded, best_end, fields):
        return None
    if _ends_in_a_legal_form(folded, best_end, fields):
        return None
    if (VENDOR_NAME in fields or CUSTOMER_NAME in fields) and (tail := _HEADING_TAIL.match(folded, best_end)):
        best_end = tail.end()
    return LabelMatch(fields, best_end)


def _longest_label(folded: str, start: int) -> tuple[int, dict[str, int]]:
    """Where the longest label at `start` ends and the fields it names ("none" for a
    label that names none); -1 when no label starts there."""
    best_end = -1
    fields: dict[str, int] = {}
    for field, pattern, strength in _COMPILED:
        match = pattern.match(folded, start)
        if match is None or match.end() < best_end:
            continue
        if match.end() > best_end:
            best_end, fields = match.end(), {}
        if field is not None:
            fields[field] = max(strength, fields.get(field, 0))
        else:
            fields["none"] = strength
    return best_end, fields


# Bilingual forms gloss a label in brackets: "Số (No.): 00001234", "Tarikh (Date):",
# "Ngày (Date) 15 tháng 04 năm 2025". A few words of another language, then the bracket.
_GLOSS_OPENING = re.compile(r"[^\W\d_][^\W\d_\s]*(?:\s+[^\W\d_]+){0,5}\s*\(([^()]{1,30})\)\s*:?")


def _glossed_label(folded: str) -> tuple[int, dict[str, int]]:
    """The label a bracketed gloss states, when the whole gloss is one: its fields and
    where the gloss ends; (-1, {}) otherwise. The gloss is read as if a colon closed it,
    as the bracket does ("(No.)" as "No.:")."""
    gloss = _GLOSS_OPENING.match(folded, _LEADING_NOISE.match(folded).end())
    if gloss is None:
        return -1, {}
    inner = gloss.group(1).strip()
    end, fields = _longest_label(inner + ":", 0)
    if end < len(inner.rstrip(" .:#°")):
        return -1, {}
    return gloss.end(), fields


def _label_after_slash(folded: str) -> tuple[int, dict[str, int]]:
    """A heading that gives a label after a word and a slash ("Company / Bill To"), the
    label ending the heading: its fields and end; (-1, {}) otherwise."""
    opening = _WORDS_AND_SLASH.match(folded)
    if opening is None:
        return -1, {}
    end, fields = _longest_label(folded, opening.end())
    if end < 0 or folded[end:].strip(" .:#"):
        return -1, {}
    return end, fields


def _names_a_business(folded: str, end: int, fields: dict[str, int]) -> bool:
    """Whether a payment word opens a name, not a payment: no digit and two words more
    that are no label ("BAR PASTICCERIA ROSSI", "Cash & Carry Sdn Bhd"; but "BAR EUR
    10,00", "Cash tendered")."""
    if not set(fields) <= {PAID, CHANGE} or re.search(r"\d", folded):
        return False
    rest = folded[end:]
    return len(re.findall(r"[a-z]{3,}", rest)) >= 2 and match_label(rest) is None and not _PAYMENT_WORD.search(rest)


def _ends_in_a_legal_form(folded: str, end: int, fields: dict[str, int]) -> bool:
    """Whether a word of another label than a party's opens a company's name: words after
    it, no digit or colon, and a legal form at the end ("Netto Marken-Discount Stiftung &
    Co. KG", "Total Direct Energie SA"; but "Bill to Acme Ltd" names the customer)."""
    if {VENDOR_NAME, CUSTOMER_NAME, SHIP_TO} & fields.keys():
        return False
    rest = folded[end:]
    if not re.search(r"[a-z]{3,}", rest) or re.search(r"[\d:]", rest):
        return False
    forms = list(LEGAL_FORM.finditer(rest))
    return bool(forms) and not rest[forms[-1].end() :].strip(" .,")


# Words that go on a payment line ("Cash payment received", "Bar gegeben").
_PAYMENT_WORD = re.compile(
    r"(?<![a-z])(?:payment|paid|received|tendered|given|amount|due|change|back|refund|gegeben|zahlung|bezahlt|rendu"
    r"|pagato|pagado|ontvangen|betaald)(?![a-z])"
)


# Four words in lower case after a party word: a wrapped sentence that happens to start
# with it ("afnemer ten aanzien van die voorwaarden …", "Fournisseur d'électricité titulaire
# de l'autorisation …"), not a heading.
# So is a word in lower case and a comma right after it: the party word as an adjective
# ("Client workshop, Canary Wharf").
_RUNNING_TEXT = re.compile(r"\s+(?:(?:[^\W\d_A-Z]+(?:['’][^\W\d_A-Z]+)?[,;]?\s+){3}[^\W\d_A-Z]|[^\W\d_A-Z]{3,}[,;]\s)")
# A party word with a second wording (up to three words) after a slash, up to a colon or
# the line's end, is one heading: the Italian "Cedente/prestatore (fornitore)", a
# bilingual "Käufer / Buyer:"; so is one with a bracketed qualifier ("SOLD TO (ACCOUNT CUSTOMER):").
_HEADING_TAIL = re.compile(r"(?:\s*/\s*[^\W\d_]+(?:\s+\(?[^\W\d_]+\)?){0,2}|\s*\([^\W\d_][^()\d]{0,40}\))(?:\s*:|\s*$)")


# A label word glued to digits by a slash, or by a hyphen before more groups, starts a
# number ("GST/23-24/001", an Indian invoice number; "VAT-2024-0117"), not a rate
# ("GST/6%") or an amount ("Total-12.00").
_GLUED_NUMBER = re.compile(r"/\d(?!\d?(?:[.,]\d+)?\s?%)|-\d+[-/]\w")


def _starts_an_identifier(folded: str, end: int) -> bool:
    return _GLUED_NUMBER.match(folded, end) is not None


def _not_a_party_heading(folded: str, end: int, fields: dict[str, int]) -> bool:
    """A party word followed by a legal form alone is a company's name, not a heading:
    "Lieferant GmbH", "Supplier Ltd"; one joined by a hyphen to another word is that word's
    qualifier ("Verkäufer-IBAN", "Käufer-Referenz"), not a heading either."""
    if not (VENDOR_NAME in fields or CUSTOMER_NAME in fields):
        return False
    rest = folded[end:].strip(" .,")
    return (bool(rest) and LEGAL_FORM.fullmatch(rest) is not None) or re.match(r"-\s?[a-z]", folded[end:]) is not None


def is_charge_label(text: str) -> bool:
    """Whether the text starts with a shipping-charge label alone ("Versandkosten"): an
    item table may list such a charge as one of its rows."""
    label = match_label(text)
    return label is not None and label.fields.keys() == {SHIPPING}


def is_label(text: str) -> bool:
    """Whether the text starts with a field label or a non-field label such as "Total qty"."""
    folded = _label_text(text)
    start = _LEADING_NOISE.match(folded).end()
    matches = [(field, match) for field, pattern, _ in _COMPILED if (match := pattern.match(folded, start))]
    if not matches:
        return False
    end = max(match.end() for _, match in matches)
    fields = {field or "none": 0 for field, match in matches if match.end() == end}
    if (
        _starts_an_identifier(folded, end)
        or _names_a_business(folded, end, fields)
        or _ends_in_a_legal_form(folded, end, fields)
    ):
        return False
    return not _not_a_party_heading(folded, end, fields)
