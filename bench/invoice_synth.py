"""Synthetic invoices and receipts with exact ground truth, for `bench.fields`.

Each document comes from a seed: the seed picks a layout family, a locale (labels,
date and money formats, currency) and the content. Every string is drawn once through
`Canvas`, which records its box as a ground-truth `OcrLine` (the `truth` engine of the
benchmark) and, for documents that get a PDF, writes the same text into a PDF text layer
with fpdf2 at the same place.

Families: classic (vendor left, meta right), right_header (vendor right, "Label:value"
inline), stacked (labels over values), letter (sender line, recipient block, meta table),
minimal (one column, dot leaders), grid (ruled table), multipage (long table over pages),
receipt_my (narrow SROIE-like till slip), receipt_us (narrow US slip); from the extended
generator only: two_column (customer left, vendor right, each under a "Seller:"/"Nabywca:"
heading), boxed (label/value cells in a ruled grid, totals with labels far from values) and
receipt_plain (European and Indian till slips whose items have no header row,
"2 PC @ 4.90   9.80").

Seeds below `EXTENDED_FROM` give exactly the documents they always gave, so the older seed
sets, their scores and their OCR cache stay comparable. Seeds from it on come from the
extended generator, written after the extractor to measure robustness rather than agreement:
Dutch, Italian, Portuguese and Polish documents (1.234,56 and 1 234,56 zł) and Indian ones
(lakh grouping 1,23,456.78, Rs/₹, whole-rupee totals), label wordings the first generator
never used, legal forms, credit notes with negative totals, title lines that hold the number
and date, VAT ids, IBANs and customer numbers in the party blocks, footers repeating the
vendor's legal name and registration, and carried-forward sums where a table breaks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from invoice_ocr.page import OcrLine

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILIES = {
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}
A4 = (1240, 1754)  # pixels at 150 dpi
PDF_POINTS_PER_PIXEL = 72 / 150
CENT = Decimal("0.01")
FAMILIES = (
    "classic",
    "right_header",
    "stacked",
    "letter",
    "minimal",
    "grid",
    "multipage",
    "receipt_my",
    "receipt_us",
    "two_column",
    "boxed",
    "receipt_plain",
)
FIRST_GENERATION = 9  # FAMILIES[:9] are the first generator's; the rest come from seeds ≥ EXTENDED_FROM
EXTENDED_FROM = 60_000

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    # Polish dates put the month in the genitive: "5 marca 2024 r."
    "pl": [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
}


def _group(value: Decimal, thousands: str, decimal: str, lakh: bool = False) -> str:
    text = f"{value:,.2f}"
    if lakh:  # Indian grouping: the last three digits, then pairs (12,34,567.89)
        whole, cents = f"{value:.2f}".split(".")
        head = whole[:-3]
        pairs = [head[max(end - 2, 0) : end] for end in range(len(head), 0, -2)]
        text = ",".join([*reversed(pairs), whole[-3:]]) + f".{cents}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


@dataclass(frozen=True)
class Locale:
    """How one kind of document writes labels, dates and money."""

    name: str
    language: str
    currency: str
    symbol: str
    thousands: str
    decimal: str
    symbol_after: bool
    date_styles: tuple[str, ...]
    tax_rates: tuple[Decimal, ...]
    symbols: tuple[str, ...] = ()  # other ways of writing the currency, one per document
    lakh: bool = False

    def money(self, value: Decimal, with_symbol: bool = False, symbol: str | None = None, whole: bool = False) -> str:
        """`whole`: no decimals and no grouping, for a whole amount ("Rs 1939")."""
        digits = f"{abs(value):.0f}" if whole else _group(abs(value), self.thousands, self.decimal, self.lakh)
        sign = "-" if value < 0 else ""
        symbol = symbol or self.symbol
        if not with_symbol:
            return sign + digits
        return f"{sign}{digits} {symbol}" if self.symbol_after else f"{sign}{symbol}{digits}"

    def date(self, value: dt.date, style: str) -> str:
        month_name = MONTHS.get(self.language, MONTHS["en"])[value.month - 1]
        formats = {
            "iso": value.isoformat(),
            "dmy_slash": f"{value.day:02d}/{value.month:02d}/{value.year}",
            "dmy_dot": f"{value.day:02d}.{value.month:02d}.{value.year}",
            "mdy_slash": f"{value.month:02d}/{value.day:02d}/{value.year}",
            "dmy_dash": f"{value.day:02d}-{value.month:02d}-{value.year}",
            "long_dmy": f"{value.day} {month_name} {value.year}",
            "long_de": f"{value.day}. {month_name} {value.year}",
            "long_es": f"{value.day} de {month_name} de {value.year}",
            "long_mdy": f"{month_name} {value.day}, {value.year}",
            "long_pl": f"{value.day} {month_name} {value.year} r.",
            "dmy_mon": f"{value.day:02d}-{month_name[:3]}-{value.year}",
            "mdy_mon": f"{month_name[:3]} {value.day}, {value.year}",
            "dmy_short": f"{value.day:02d}.{value.month:02d}.{value.year % 100:02d}",
        }
        return formats[style]


LOCALES = {
    "en_US": Locale("en_US", "en", "USD", "$", ",", ".", False, ("mdy_slash", "long_mdy", "iso"), (Decimal("8.25"),)),
    "en_GB": Locale("en_GB", "en", "GBP", "£", ",", ".", False, ("dmy_slash", "long_dmy"), (Decimal(20),)),
    "en_ISO": Locale("en_ISO", "en", "EUR", "EUR", ",", ".", False, ("iso",), (Decimal(20), Decimal(10))),
    "de_DE": Locale("de_DE", "de", "EUR", "€", ".", ",", True, ("dmy_dot", "long_de"), (Decimal(19), Decimal(7))),
    "fr_FR": Locale("fr_FR", "fr", "EUR", "€", " ", ",", True, ("dmy_slash", "long_dmy"), (Decimal(20),)),
    "es_ES": Locale("es_ES", "es", "EUR", "€", ".", ",", True, ("dmy_slash", "long_es"), (Decimal(21),)),
    "en_MY": Locale("en_MY", "en", "MYR", "RM", ",", ".", False, ("dmy_slash", "dmy_dash"), (Decimal(6), Decimal(0))),
    # The extended generator's locales (seeds from EXTENDED_FROM on).
    "nl_NL": Locale("nl_NL", "nl", "EUR", "€ ", ".", ",", False, ("dmy_dash", "long_dmy"), (Decimal(21), Decimal(9))),
    "it_IT": Locale("it_IT", "it", "EUR", "€", ".", ",", True, ("dmy_slash", "long_dmy"), (Decimal(22), Decimal(10))),
    "pt_PT": Locale(
        "pt_PT", "pt", "EUR", "€", ".", ",", True, ("dmy_slash", "dmy_dash", "long_es"), (Decimal(23), Decimal(6))
    ),
    "pl_PL": Locale(
        "pl_PL",
        "pl",
        "PLN",
        "zł",
        " ",
        ",",
        True,
        ("dmy_dot", "iso", "long_pl"),
        (Decimal(23), Decimal(8)),
        ("zł", "PLN"),
    ),
    "en_IN": Locale(
        "en_IN",
        "en",
        "INR",
        "₹",
        ",",
        ".",
        False,
        ("dmy_slash", "dmy_mon", "dmy_dash"),
        (Decimal(18), Decimal(12), Decimal(5)),
        ("₹", "Rs ", "Rs. ", "INR "),
        lakh=True,
    ),
}
# More date styles per locale in the extended generator.
EXTRA_DATE_STYLES = {"en_GB": ("dmy_mon",), "en_US": ("mdy_mon",), "de_DE": ("dmy_short",), "es_ES": ("dmy_dash",)}

LABELS = {
    "en": {
        "title": ["INVOICE", "Invoice", "TAX INVOICE"],
        "number": ["Invoice No:", "Invoice #", "Invoice Number:", "Invoice No.:"],
        "date": ["Invoice Date:", "Date:", "Issue Date:"],
        "due": ["Due Date:", "Payment Due:", "Due:"],
        "bill_to": ["Bill To:", "Billed To:", "Invoice To:", "Customer:"],
        "subtotal": ["Subtotal", "Sub Total", "Net Amount"],
        "tax": ["VAT {rate}%", "Tax ({rate}%)", "Sales Tax {rate}%", "GST {rate}%"],
        "total": ["Total", "Total Due", "Amount Due", "Grand Total", "Balance Due"],
        "headers": [("Description", "Qty", "Unit Price", "Amount"), ("Item", "Quantity", "Rate", "Line Total")],
        "page": "Page {page} of {pages}",
    },
    "de": {
        "title": ["RECHNUNG", "Rechnung"],
        "number": ["Rechnungsnummer:", "Rechnungs-Nr.:", "Rechnung Nr."],
        "date": ["Rechnungsdatum:", "Datum:"],
        "due": ["Fällig am:", "Zahlbar bis:", "Fälligkeitsdatum:"],
        "bill_to": ["Rechnungsempfänger:", "Kunde:", "Rechnung an:"],
        "subtotal": ["Zwischensumme", "Nettobetrag", "Summe netto"],
        "tax": ["MwSt. {rate}%", "USt. {rate} %", "zzgl. {rate}% MwSt."],
        "total": ["Gesamtbetrag", "Rechnungsbetrag", "Summe", "Gesamtsumme"],
        "headers": [("Beschreibung", "Menge", "Einzelpreis", "Gesamt"), ("Artikel", "Anzahl", "E-Preis", "Betrag")],
        "page": "Seite {page} von {pages}",
    },
    "fr": {
        "title": ["FACTURE", "Facture"],
        "number": ["Facture N°", "Facture n°:", "N° de facture:"],
        "date": ["Date:", "Date de facture:", "Date d'émission:"],
        "due": ["Échéance:", "Date d'échéance:", "À payer avant le:"],
        "bill_to": ["Facturé à:", "Client:", "Adresse de facturation:"],
        "subtotal": ["Sous-total", "Total HT", "Montant HT"],
        "tax": ["TVA {rate} %", "TVA ({rate}%)"],
        "total": ["Total TTC", "Montant TTC", "Net à payer"],
        "headers": [
            ("Désignation", "Qté", "Prix unitaire", "Montant"),
            ("Description", "Quantité", "P.U. HT", "Total HT"),
        ],
        "page": "Page {page} sur {pages}",
    },
    "es": {
        "title": ["FACTURA", "Factura"],
        "number": ["Factura nº", "Factura N.º:", "Nº Factura:", "Número de factura:"],
        "date": ["Fecha:", "Fecha de factura:", "Fecha de emisión:"],
        "due": ["Vencimiento:", "Fecha de vencimiento:"],
        "bill_to": ["Cliente:", "Facturar a:"],
        "subtotal": ["Base imponible", "Subtotal"],
        "tax": ["IVA {rate}%", "IVA ({rate} %)"],
        "total": ["Total a pagar", "Total", "Importe total", "Total factura"],
        "headers": [
            ("Concepto", "Cantidad", "Precio", "Importe"),
            ("Descripción", "Cant.", "Precio unitario", "Total"),
        ],
        "page": "Página {page} de {pages}",
    },
    # The extended generator's languages.
    "nl": {
        "title": ["FACTUUR", "Factuur"],
        "number": ["Factuurnummer:", "Factuurnr.:", "Factuur nr."],
        "date": ["Factuurdatum:", "Datum:"],
        "due": ["Vervaldatum:", "Te betalen vóór:", "Uiterste betaaldatum:"],
        "bill_to": ["Klant:", "Factuur aan:", "Factuuradres:"],
        "subtotal": ["Subtotaal", "Totaal excl. BTW", "Bedrag excl. btw"],
        "tax": ["BTW {rate}%", "Btw {rate}%", "BTW ({rate}%)"],
        "total": ["Totaal", "Te betalen", "Totaal incl. BTW", "Totaalbedrag"],
        "headers": [("Omschrijving", "Aantal", "Prijs", "Bedrag"), ("Artikel", "Aantal", "Stukprijs", "Totaal")],
        "page": "Pagina {page} van {pages}",
    },
    "it": {
        "title": ["FATTURA", "Fattura"],
        "number": ["Fattura n.", "Numero fattura:", "N. fattura:", "Fattura nr."],
        "date": ["Data fattura:", "Data:", "Data documento:"],
        "due": ["Scadenza:", "Data scadenza:", "Scadenza pagamento:"],
        "bill_to": ["Cliente:", "Destinatario:", "Spett.le"],
        "subtotal": ["Imponibile", "Totale imponibile", "Subtotale"],
        "tax": ["IVA {rate}%", "IVA ({rate}%)"],
        "total": ["Totale", "Totale da pagare", "Totale documento", "Netto a pagare"],
        "headers": [
            ("Descrizione", "Quantità", "Prezzo unitario", "Importo"),
            ("Articolo", "Q.tà", "Prezzo", "Totale"),
        ],
        "page": "Pagina {page} di {pages}",
    },
    "pt": {
        "title": ["FATURA", "Fatura", "FATURA-RECIBO"],
        "number": ["Fatura n.º", "Fatura N.º:", "N.º da fatura:", "Número da fatura:"],
        "date": ["Data da fatura:", "Data:", "Data de emissão:"],
        "due": ["Data de vencimento:", "Vencimento:"],
        "bill_to": ["Cliente:", "Exmo.(s) Sr.(s)", "Faturar a:"],
        "subtotal": ["Subtotal", "Total ilíquido", "Base tributável", "Incidência"],
        "tax": ["IVA {rate}%", "IVA ({rate}%)"],
        "total": ["Total a pagar", "Total", "Total (EUR)", "Valor a pagar"],
        "headers": [("Descrição", "Qtd.", "Preço unit.", "Valor"), ("Artigo", "Quantidade", "Preço", "Total")],
        "page": "Página {page} de {pages}",
    },
    "pl": {
        "title": ["FAKTURA VAT", "Faktura", "FAKTURA"],
        "number": ["Faktura VAT nr", "Faktura nr", "Numer faktury:", "Nr faktury:"],
        "date": ["Data wystawienia:", "Data faktury:", "Data:"],
        "due": ["Termin płatności:", "Termin zapłaty:", "Płatne do:"],
        "bill_to": ["Nabywca:", "Odbiorca:", "Klient:"],
        "subtotal": ["Wartość netto", "Razem netto", "Suma netto"],
        "tax": ["VAT {rate}%", "Kwota VAT {rate}%", "Podatek VAT {rate}%"],
        "total": ["Razem do zapłaty", "Do zapłaty", "Razem brutto", "Wartość brutto"],
        "headers": [
            ("Nazwa towaru lub usługi", "Ilość", "Cena jedn.", "Wartość"),
            ("Nazwa", "Ilość", "Cena netto", "Wartość"),
        ],
        "page": "Strona {page} z {pages}",
    },
}
# What the extended generator adds to each language's labels: more wordings of the first
# generator's keys, and keys of its own (headings of the party blocks, a customer-number
# sub-line, title lines holding number and date, credit notes, carried-forward sums).
EXTRA_LABELS = {
    "en": {
        "number": ["Inv #", "Invoice ID:", "Reference:", "Bill No.", "Document No.:", "Inv. No."],
        "date": ["Date of issue:", "Invoice date", "Dated:"],
        "due": ["Payment due by:", "Pay by:"],
        "bill_to": ["Sold To:", "Client:", "Bill to"],
        "subtotal": ["Total excl. VAT", "Net total", "Amount before tax", "Taxable value"],
        "tax": ["VAT ({rate}%)", "Tax {rate}%", "Sales tax ({rate}%)"],
        "total": ["Amount payable", "Balance", "Total payable", "Invoice Total", "TOTAL"],
        "headers": [("Description", "Qty", "Unit Price", "Total"), ("Product", "Units", "Price/Unit", "Amount")],
        "rounding": ["Round Off", "Rounding", "Round off (+/-)"],
        "seller": ["From:", "Seller:", "Supplier:", "Issued by:"],
        "buyer": ["Bill To:", "Buyer:", "Customer:", "To:"],
        "account": ["Customer No: {n}", "Account: {n}", "Number: {n}"],
        "title_meta": ["Invoice {number} dated {date}", "INVOICE No. {number} of {date}"],
        "credit_title": ["CREDIT NOTE", "Credit Note"],
        "credit_number": ["Credit Note No:", "Credit note #", "Credit Memo No."],
        "carried": ["Carried forward", "Subtotal this page"],
        "brought": ["Brought forward"],
    },
    "de": {
        "number": ["Belegnummer:", "Rechnungs-Nr.", "Beleg-Nr.:", "Re.-Nr.:"],
        "date": ["Belegdatum:", "Ausstellungsdatum:", "Rechnungsdatum"],
        "due": ["Zahlbar bis zum:", "Zahlungsziel:"],
        "bill_to": ["Empfänger:", "An:"],
        "subtotal": ["Nettosumme", "Summe Netto", "Warenwert netto"],
        "tax": ["zzgl. USt. {rate}%", "Umsatzsteuer {rate}%", "MwSt {rate} %"],
        "total": ["Gesamtbetrag brutto", "Endbetrag", "Zu zahlen", "Zahlbetrag", "Rechnungsbetrag brutto"],
        "headers": [("Bezeichnung", "Menge", "Preis/Einheit", "Summe"), ("Leistung", "Std.", "Stundensatz", "Betrag")],
        "seller": ["Verkäufer:", "Lieferant:", "Rechnungssteller:", "Absender:"],
        "buyer": ["Käufer:", "Kunde:", "Rechnungsempfänger:", "An:"],
        "account": ["Nummer: {n}", "Kundennr.: {n}", "Kunden-Nr. {n}"],
        "title_meta": ["Rechnung Nr. {number} vom {date}", "Handelsrechnung Nr. {number} vom {date}"],
        "credit_title": ["GUTSCHRIFT", "Rechnungskorrektur"],
        "credit_number": ["Gutschrift Nr.", "Gutschriftsnummer:", "Korrektur-Nr.:"],
        "carried": ["Übertrag", "Zwischensumme Seite"],
        "brought": ["Übertrag"],
    },
    "fr": {
        "number": ["Facture n°", "Numéro :", "Réf. facture :", "N° :"],
        "date": ["Émise le :", "Date d'émission :", "Le :"],
        "due": ["Date limite de paiement :", "Payable avant le :"],
        "bill_to": ["Destinataire :", "Facturer à :"],
        "subtotal": ["Total HT :", "Montant total HT", "Base HT"],
        "tax": ["TVA à {rate} %", "Montant TVA ({rate}%)"],
        "total": ["Total TTC :", "Net à payer :", "Montant à régler", "Total à payer", "Reste à payer"],
        "headers": [
            ("Désignation", "Qté", "PU HT", "Montant HT"),
            ("Référence", "Quantité", "Prix unit. HT", "Total"),
        ],
        "seller": ["Vendeur :", "Émetteur :", "Fournisseur :"],
        "buyer": ["Acheteur :", "Client :", "Destinataire :"],
        "account": ["N° client : {n}", "Code client : {n}"],
        "title_meta": ["Facture n° {number} du {date}", "FACTURE N° {number} DU {date}"],
        "credit_title": ["AVOIR", "Facture d'avoir"],
        "credit_number": ["Avoir n°", "N° d'avoir :"],
        "carried": ["À reporter"],
        "brought": ["Report"],
    },
    "es": {
        "number": ["Nº:", "Número:", "Fra. nº", "Serie/Número:"],
        "date": ["Fecha expedición:", "F. emisión:", "Fecha"],
        "due": ["Fecha de pago:", "Vence:"],
        "bill_to": ["Datos del cliente:", "Destinatario:"],
        "subtotal": ["Base imponible:", "Importe neto", "Suma"],
        "tax": ["Cuota IVA {rate}%", "I.V.A. {rate}%"],
        "total": ["TOTAL FACTURA", "Total (€)", "Total a pagar:", "Líquido a percibir"],
        "headers": [
            ("Descripción", "Uds.", "Precio unidad", "Importe"),
            ("Artículo", "Cantidad", "P. Unitario", "Subtotal"),
        ],
        "seller": ["Emisor:", "Proveedor:", "Vendedor:"],
        "buyer": ["Cliente:", "Receptor:", "Comprador:"],
        "account": ["Nº cliente: {n}", "Código: {n}"],
        "title_meta": ["Factura nº {number} de fecha {date}", "Factura {number} del {date}"],
        "credit_title": ["FACTURA RECTIFICATIVA", "Abono"],
        "credit_number": ["Factura rectificativa nº", "Nº abono:"],
        "carried": ["Suma y sigue"],
        "brought": ["Suma anterior"],
    },
    "nl": {
        "seller": ["Leverancier:", "Verkoper:", "Van:"],
        "buyer": ["Klant:", "Factuur aan:", "Koper:"],
        "account": ["Klantnummer: {n}", "Debiteurnr.: {n}"],
        "title_meta": ["Factuur {number} d.d. {date}", "Factuur nr. {number} van {date}"],
        "credit_title": ["CREDITNOTA", "Creditfactuur"],
        "credit_number": ["Creditnota nr.:", "Creditnotanummer:"],
        "carried": ["Transport"],
        "brought": ["Transport"],
    },
    "it": {
        "seller": ["Fornitore:", "Cedente:", "Mittente:"],
        "buyer": ["Cliente:", "Destinatario:", "Cessionario:"],
        "account": ["Cod. cliente: {n}", "Codice: {n}"],
        "title_meta": ["Fattura n. {number} del {date}", "FATTURA N. {number} DEL {date}"],
        "credit_title": ["NOTA DI CREDITO", "Nota di credito"],
        "credit_number": ["Nota di credito n.", "N. nota:"],
        "carried": ["A riportare"],
        "brought": ["Riporto"],
    },
    "pt": {
        "seller": ["Fornecedor:", "Emitente:", "Vendedor:"],
        "buyer": ["Cliente:", "Adquirente:"],
        "account": ["N.º cliente: {n}", "Código: {n}"],
        "title_meta": ["Fatura n.º {number} de {date}", "FATURA {number} DE {date}"],
        "credit_title": ["NOTA DE CRÉDITO", "Nota de crédito"],
        "credit_number": ["Nota de crédito n.º", "N.º nota:"],
        "carried": ["A transportar"],
        "brought": ["Transporte"],
    },
    "pl": {
        "seller": ["Sprzedawca:", "Wystawca:", "Dostawca:"],
        "buyer": ["Nabywca:", "Odbiorca:"],
        "account": ["Numer klienta: {n}", "Nr: {n}"],
        "title_meta": ["Faktura VAT nr {number} z dnia {date}", "Faktura nr {number} z dnia {date}"],
        "credit_title": ["FAKTURA KORYGUJĄCA", "Korekta faktury"],
        "credit_number": ["Korekta nr", "Faktura korygująca nr"],
        "carried": ["Do przeniesienia"],
        "brought": ["Z przeniesienia"],
    },
}


def extended_labels(language: str) -> dict:
    """A language's labels in the extended generator: its own and EXTRA_LABELS merged."""
    base = LABELS[language]
    return {**base, **{key: [*base.get(key, []), *values] for key, values in EXTRA_LABELS[language].items()}}


VENDOR_WORDS = {
    "en": (
        ["Acme", "Globex", "Blue River", "Northwind", "Summit", "Redwood", "Harbor"],
        ["Office Supplies", "Consulting", "Catering", "Print Works", "Logistics"],
        ["Ltd", "LLC", "Inc.", "Corporation", "Limited"],
    ),
    "de": (
        ["Nordwind", "Müller", "Schmidt & Partner", "Alpen", "Rheinland"],
        ["Logistik", "Bürobedarf", "Haustechnik", "Druckerei", "Software"],
        ["GmbH", "AG", "KG", "GmbH & Co. KG"],
    ),
    "fr": (
        ["Martin", "Dubois", "Lefèvre", "Atelier Lumière", "Provence"],
        ["Boulangerie", "Conseil", "Imprimerie", "Services"],
        ["SARL", "SAS", "SA"],
    ),
    "es": (
        ["López", "García", "Iberia", "Sol y Mar", "Castilla"],
        ["Ferretería", "Construcciones", "Asesores", "Distribuciones"],
        ["S.L.", "S.A."],
    ),
    "my": (
        ["KEDAI RUNCIT AH HOCK", "RESTORAN SRI MELAKA", "PASARAYA MURNI", "YONGFATT", "KEDAI BUKU CERIA"],
        [""],
        ["SDN BHD", "ENTERPRISE", "TRADING"],
    ),
    "nl": (
        ["Van Dijk", "De Boer", "Hollands", "Noordzee", "Oranje"],
        ["Techniek", "Drukkerij", "Advies", "Logistiek", "Kantoorartikelen"],
        ["B.V.", "N.V.", "V.O.F."],
    ),
    "it": (
        ["Rossi", "Ferrari", "Bianchi", "Adriatica", "Lombarda"],
        ["Forniture", "Servizi", "Tipografia", "Impianti", "Informatica"],
        ["S.r.l.", "S.p.A.", "S.n.c.", "S.r.l.s."],
    ),
    "pt": (
        ["Silva", "Ferreira", "Lusitana", "Atlântico", "Douro"],
        ["Papelaria", "Serviços", "Construções", "Informática"],
        ["Lda", "Lda.", "S.A.", "Unipessoal Lda"],
    ),
    "pl": (
        ["Kowalski", "Nowak", "Polmex", "Wisła", "Mazowsze"],
        ["Serwis", "Hurtownia", "Drukarnia", "Technika", "Usługi"],
        ["Sp. z o.o.", "S.A.", "sp.j.", "Sp. k."],
    ),
    "in": (
        ["Sharma", "Shree Ganesh", "Patel", "Lakshmi", "Kaveri"],
        ["Traders", "Electronics", "Stores", "Enterprises", "Textiles"],
        ["Pvt Ltd", "Private Limited", "LLP"],
    ),
}
# Legal forms the extended generator adds to the first languages ("" for none at all).
EXTRA_LEGAL_FORMS = {
    "en": ["Inc", "Ltd.", "PLC", "LLP", ""],
    "de": ["UG", "e.K.", "OHG", ""],
    "fr": ["EURL", "SNC", ""],
    "es": ["S.L.U.", "S.Coop.", ""],
    "my": ["Sdn. Bhd.", "Sdn Bhd"],
}
CUSTOMERS = {
    "en": [
        "Initech Software Inc.",
        "Umbrella Health Ltd",
        "Stark Design Studio",
        "Wayne Properties LLC",
        "Hooli Labs Inc.",
    ],
    "de": ["Bäckerei Schulz", "Weber Maschinenbau GmbH", "Praxis Dr. Hoffmann", "Kanzlei Becker & Wolf"],
    "fr": ["Cabinet Moreau", "Hôtel du Parc SARL", "Garage Laurent", "Mairie de Lyon"],
    "es": ["Talleres Ruiz S.L.", "Clínica Santa Ana", "Hotel Mirador S.A.", "Librería Pérez"],
    "nl": ["Bakkerij De Vries", "Jansen Installatietechniek B.V.", "Gemeente Utrecht", "Huisartsenpraktijk Bakker"],
    "it": ["Rossi Costruzioni S.r.l.", "Studio Legale Bianchi", "Trattoria da Mario", "Farmacia Colombo"],
    "pt": ["Silva & Filhos, Lda", "Clínica Dentária Sorriso", "Restaurante O Marinheiro", "Câmara Municipal de Braga"],
    "pl": ["Nowak Budownictwo Sp. z o.o.", "Apteka Pod Lipami", "Kancelaria Wiśniewski", "Piekarnia Zielińska"],
    "in": ["Infosys Technologies Ltd", "Apollo Clinic", "Hotel Saravana Bhavan", "Gupta & Sons"],
}
STREETS = {
    "en": ["{n} Market Street", "{n} Industrial Way", "Suite {n}, 200 Park Avenue", "{n} High Street"],
    "de": ["Hauptstraße {n}", "Bahnhofstr. {n}", "Am Markt {n}", "Industrieweg {n}"],
    "fr": ["{n} rue de la Paix", "{n} avenue Victor Hugo", "{n} boulevard Voltaire"],
    "es": ["Calle Mayor {n}", "Avenida de la Constitución {n}", "Plaza España {n}"],
    "my": ["NO {n}, JALAN MERDEKA 3", "LOT {n}, JALAN KENARI 5", "NO {n}-G JALAN TASIK UTAMA 4"],
    "nl": ["Keizersgracht {n}", "Stationsweg {n}", "Dorpsstraat {n}"],
    "it": ["Via Roma {n}", "Corso Vittorio Emanuele II {n}", "Piazza Garibaldi {n}"],
    "pt": ["Rua Augusta {n}", "Avenida da Liberdade {n}", "Rua de Santa Catarina {n}"],
    "pl": ["ul. Marszałkowska {n}", "ul. Długa {n}/3", "al. Jerozolimskie {n}"],
    "in": ["{n}, MG Road", "Plot No. {n}, Sector 18", "{n}/2, Nehru Nagar"],
}
CITIES = {
    "en": ["Springfield, IL 62701", "Leeds LS1 4AP", "Austin, TX 78701", "Manchester M1 2AB"],
    "de": ["10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg"],
    "fr": ["75002 Paris", "69001 Lyon", "13001 Marseille"],
    "es": ["28013 Madrid", "08001 Barcelona", "41001 Sevilla"],
    "my": ["47170 PUCHONG, SELANGOR", "81100 JOHOR BAHRU", "55100 KUALA LUMPUR"],
    "nl": ["1015 CJ Amsterdam", "3511 AB Utrecht", "2511 BT Den Haag"],
    "it": ["20121 Milano (MI)", "00184 Roma", "10121 Torino"],
    "pt": ["1100-053 Lisboa", "4000-447 Porto", "3000-150 Coimbra"],
    "pl": ["00-001 Warszawa", "31-042 Kraków", "80-831 Gdańsk"],
    "in": ["Bengaluru 560001", "Mumbai 400001", "New Delhi 110001", "Pune 411001"],
}
ITEMS = {
    "en": [
        "Printer paper A4",
        "Toner cartridge",
        "Consulting hours",
        "Delivery fee",
        "USB-C cable 2m",
        "Office chair",
        "Coffee beans 1kg",
        "Software licence",
        "Maintenance visit",
        "Desk lamp",
        "Website hosting (annual)",
        "Training session",
    ],
    "de": [
        "Druckerpapier A4",
        "Tonerkartusche",
        "Beratung (Std.)",
        "Versandkosten",
        "Bürostuhl",
        "Kaffeebohnen 1kg",
        "Softwarelizenz",
        "Wartung vor Ort",
        "Schreibtischlampe",
        "Montagearbeiten",
    ],
    "fr": [
        "Papier A4",
        "Cartouche de toner",
        "Heures de conseil",
        "Frais de livraison",
        "Chaise de bureau",
        "Café en grains 1kg",
        "Licence logiciel",
        "Visite de maintenance",
        "Lampe de bureau",
    ],
    "es": [
        "Papel A4",
        "Cartucho de tóner",
        "Horas de consultoría",
        "Gastos de envío",
        "Silla de oficina",
        "Café en grano 1kg",
        "Licencia de software",
        "Visita de mantenimiento",
        "Lámpara de escritorio",
    ],
    "my": [
        "MILO 1KG",
        "GARDENIA BREAD",
        "MINERAL WATER 1.5L",
        "NASI LEMAK",
        "TEH TARIK",
        "A4 PAPER 500S",
        "BATTERY AA 4S",
        "CHICKEN RICE",
        "ICE LEMON TEA",
        "DETERGENT 2KG",
    ],
    "nl": ["Printpapier A4", "Tonercartridge", "Adviesuren", "Verzendkosten", "Bureaustoel", "Koffiebonen 1kg"],
    "it": ["Carta A4", "Cartuccia toner", "Ore di consulenza", "Spese di spedizione", "Sedia da ufficio", "Caffè 1kg"],
    "pt": ["Papel A4", "Tinteiro", "Horas de consultoria", "Portes de envio", "Cadeira de escritório", "Café 1kg"],
    "pl": ["Papier A4", "Toner do drukarki", "Usługa doradcza", "Koszty wysyłki", "Krzesło biurowe", "Kawa 1kg"],
    "in": ["Basmati Rice 5kg", "Toor Dal 1kg", "Paneer Butter Masala", "Masala Dosa", "LED Bulb 9W", "Notebook A5"],
}
# Party identifiers per locale, '#' a digit drawn for each document: tax ids first, then a
# company registration or bank line; the footer's registration wording after them.
PARTY_IDS = {
    "en_US": ["EIN: ##-#######", "Tax ID: ##-#######"],
    "en_GB": ["VAT Reg No: GB ### #### ##", "Company No. ########"],
    "en_ISO": ["VAT ID: EU#########"],
    "en_IN": ["GSTIN: 29ABCDE####F1Z5", "PAN: ABCDE####F"],
    "en_MY": ["SST No: W10-####-########", "Co. Reg. No: ######-X"],
    "de_DE": ["USt-IdNr.: DE#########", "Steuernummer: ##/###/#####"],
    "fr_FR": ["N° TVA : FR## #########", "SIRET : ### ### ### #####"],
    "es_ES": ["CIF: B########", "NIF: ########Z"],
    "nl_NL": ["BTW-nr: NL#########B01", "KvK: ########"],
    "it_IT": ["P.IVA: IT###########", "C.F. ###########"],
    "pt_PT": ["NIF: #########", "Contribuinte n.º #########"],
    "pl_PL": ["NIP: ###-###-##-##", "REGON: #########"],
}
REGISTRATIONS = {  # per locale, else per language
    "en_US": "A Delaware corporation · File No. #######",
    "en_IN": "CIN: U#####KA####PTC######",
    "en_MY": "Company No. ######-X",
    "en": "Registered in England and Wales No. ########",
    "de": "Amtsgericht Berlin HRB ##### · Geschäftsführer: J. Weber",
    "fr": "RCS Paris B ### ### ### · capital social 10 000 €",
    "es": "Registro Mercantil de Madrid, Tomo ####, Folio ##",
    "nl": "KvK ######## · Handelsregister Amsterdam",
    "it": "REA MI-###### · Capitale sociale € 10.000 i.v.",
    "pt": "Conservatória do Registo Comercial de Lisboa n.º #########",
    "pl": "KRS ########## · Sąd Rejonowy dla m.st. Warszawy",
}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class ItemTruth:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass
class Content:
    """What a document says, before layout; `truth` fields are normalised."""

    locale: Locale
    labels: dict
    vendor: str
    vendor_address: list[str]
    vendor_contact: str
    customer: str | None
    customer_address: list[str]
    number: str
    issued: dt.date
    due: dt.date | None
    date_style: str
    items: list[ItemTruth]
    tax_rate: Decimal | None
    subtotal: Decimal
    tax: Decimal | None
    total: Decimal
    rounding: Decimal = Decimal(0)
    paid: Decimal | None = None
    subtotal_printed: bool = False  # set by the layout that prints it
    # Set by the extended generator only.
    symbol: str | None = None  # the currency as this document writes it
    whole_total: bool = False  # the total printed without decimals ("Rs 1939")
    vendor_ids: list[str] = field(default_factory=list)  # tax id, registration, IBAN
    customer_ids: list[str] = field(default_factory=list)
    registration: str = ""
    account: str = ""  # a customer or supplier number
    gross: bool = False  # item prices include the tax

    def truth(self) -> dict[str, str | None]:
        return {
            "invoice_number": self.number,
            "invoice_date": self.issued.isoformat(),
            "due_date": self.due.isoformat() if self.due else None,
            "vendor_name": self.vendor,
            "vendor_address": " ".join(self.vendor_address),
            "customer_name": self.customer,
            "currency": self.locale.currency,
            "subtotal": str(self.subtotal) if self.subtotal_printed else None,
            "tax": str(self.tax) if self.tax is not None else None,
            "total": str(self.total),
        }


@dataclass
class SynthDocument:
    seed: int
    family: str
    locale: str
    pages: list[Image.Image]
    lines: list[list[OcrLine]]
    truth: dict[str, str | None]
    items: list[ItemTruth]
    pdf: bytes | None = None
    damaged: bool = False


class Canvas:
    """Pages of one document; every string drawn is recorded as a truth line and, when a
    PDF is being written, placed in its text layer at the same position."""

    def __init__(self, size: tuple[int, int], font_family: str, with_pdf: bool) -> None:
        self.size = size
        self.font_paths = [str(DEJAVU / name) for name in FONT_FAMILIES[font_family]]
        self.pages: list[Image.Image] = []
        self.lines: list[list[OcrLine]] = []
        self.pdf = (
            FPDF(unit="pt", format=(size[0] * PDF_POINTS_PER_PIXEL, size[1] * PDF_POINTS_PER_PIXEL))
            if with_pdf
            else None
        )
        if self.pdf:
            self.pdf.set_auto_page_break(False)
            self.pdf.add_font("doc", "", self.font_paths[0])
            self.pdf.add_font("doc", "B", self.font_paths[1])
        self._fonts: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Image.new("RGB", self.size, "white"))
        self.lines.append([])
        self.draw = ImageDraw.Draw(self.pages[-1])
        if self.pdf:
            self.pdf.add_page()

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        key = (size, bold)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(self.font_paths[bold], size)
        return self._fonts[key]

    def width_of(self, text: str, size: int, bold: bool = False) -> float:
        return self.font(size, bold).getlength(text)

    def text(self, x: float, y: float, text: str, size: int, bold: bool = False, anchor: str = "left") -> None:
        font = self.font(size, bold)
        width = font.getlength(text)
        left = x - width if anchor == "right" else x - width / 2 if anchor == "center" else x
        self.draw.text((left, y), text, fill="black", font=font)
        x0, y0, x1, y1 = (round(value) for value in self.draw.textbbox((left, y), text, font=font))
        self.lines[-1].append(OcrLine(text, 1.0, ((x0, y0), (x1, y0), (x1, y1), (x0, y1))))
        if self.pdf:
            self.pdf.set_font("doc", "B" if bold else "", size * PDF_POINTS_PER_PIXEL)
            baseline = y + font.getmetrics()[0]
            self.pdf.text(left * PDF_POINTS_PER_PIXEL, baseline * PDF_POINTS_PER_PIXEL, text)

    def rule(self, x0: float, y: float, x1: float, width: int = 2) -> None:
        self.draw.line([(x0, y), (x1, y)], fill="black", width=width)
        if self.pdf:
            self.pdf.set_line_width(width * PDF_POINTS_PER_PIXEL)
            points = [value * PDF_POINTS_PER_PIXEL for value in (x0, y, x1, y)]
            self.pdf.line(*points)

    def vertical(self, x: float, y0: float, y1: float) -> None:
        self.draw.line([(x, y0), (x, y1)], fill="black", width=2)
        if self.pdf:
            self.pdf.line(*(value * PDF_POINTS_PER_PIXEL for value in (x, y0, x, y1)))

    def box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.rule(x0, y0, x1, width=1)
        self.rule(x0, y1, x1, width=1)
        self.vertical(x0, y0, y1)
        self.vertical(x1, y0, y1)

    def pdf_bytes(self) -> bytes | None:
        return bytes(self.pdf.output()) if self.pdf else None


def _vendor_name(rng: random.Random, language: str, extended: bool = False) -> str:
    first, middle, suffixes = VENDOR_WORDS[language]
    if extended:
        suffixes = suffixes + EXTRA_LEGAL_FORMS.get(language, [])
    parts = (rng.choice(first), rng.choice(middle), rng.choice(suffixes))
    return " ".join(part for part in parts if part)


def _digits(rng: random.Random, template: str) -> str:
    return "".join(str(rng.randint(0, 9)) if char == "#" else char for char in template)


def _items(rng: random.Random, language: str, count: int, receipt: bool) -> list[ItemTruth]:
    items = []
    for _ in range(count):
        quantity = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 6, 10, 12, 20]))
        if rng.random() < 0.1:
            quantity = Decimal(rng.choice(["0.5", "1.5", "2.5", "7.5"]))
        price = Decimal(rng.randint(50, 5000 if receipt else 250000)) / 100
        items.append(ItemTruth(rng.choice(ITEMS[language]), quantity, price, _money(quantity * price)))
    return items


_WORD_SOURCES = {"en_MY": "my", "en_IN": "in"}  # vendor words, items and addresses other than the language's
CREDIT_SHARE = 0.08


def make_content(
    rng: random.Random, locale_name: str, item_count: int, receipt: bool, extended: bool = False, gross: bool = False
) -> Content:
    """`extended`: the extended generator's content (see `_extend`); `gross`: prices include the tax."""
    locale = LOCALES[locale_name]
    language = _WORD_SOURCES.get(locale_name, locale.language)
    labels = LABELS[locale.language]
    items = _items(rng, language, item_count, receipt)
    rate = rng.choice(locale.tax_rates) if rng.random() < 0.9 else None
    issued = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
    street = rng.choice(STREETS[language]).format(n=rng.randint(1, 250))
    prefix = rng.choice(["INV-", "RE-", "F", "FAC-", "CS", "", "2024/"])
    content = Content(
        locale=locale,
        labels=labels,
        vendor=_vendor_name(rng, language),
        vendor_address=[street, rng.choice(CITIES[language])],
        vendor_contact=f"Tel: +{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        customer=None if receipt else rng.choice(CUSTOMERS[locale.language]),
        customer_address=[
            rng.choice(STREETS[locale.language]).format(n=rng.randint(1, 99)),
            rng.choice(CITIES[locale.language]),
        ],
        number=f"{prefix}{rng.randint(2020, 2026) if rng.random() < 0.5 else ''}{rng.randint(10, 99999):05d}",
        issued=issued,
        due=None if receipt else issued + dt.timedelta(days=rng.choice([7, 14, 30, 45])),
        date_style=rng.choice(locale.date_styles),
        items=items,
        tax_rate=rate,
        subtotal=Decimal(0),
        tax=None,
        total=Decimal(0),
    )
    _amounts(content, gross=False)
    if locale_name == "en_MY":
        _round_total(content, 20)
        content.paid = Decimal((int(content.total) // 10 + 1) * 10)
    elif receipt:
        content.paid = content.total
    if extended:
        _extend(content, rng, locale_name, receipt, gross)
    return content


def _extend(content: Content, rng: random.Random, locale_name: str, receipt: bool, gross: bool) -> None:
    """The extended generator's content: its labels, vendor names, invoice numbers, date
    styles and currency symbols, party ids, credit notes, tax-inclusive prices and
    whole-rupee rounding."""
    locale = content.locale
    language = _WORD_SOURCES.get(locale_name, locale.language)
    content.gross = gross
    content.labels = extended_labels(locale.language)
    content.vendor = _vendor_name(rng, language, extended=True)
    if language in CUSTOMERS and language != locale.language:  # Indian customers at Indian addresses
        content.customer = content.customer and rng.choice(CUSTOMERS[language])
        content.customer_address = [
            rng.choice(STREETS[language]).format(n=rng.randint(1, 99)),
            rng.choice(CITIES[language]),
        ]
    content.date_style = rng.choice(locale.date_styles + EXTRA_DATE_STYLES.get(locale_name, ()))
    content.symbol = rng.choice(locale.symbols) if locale.symbols else None
    issued = content.issued
    if rng.random() < 0.5:
        pattern = rng.choice(NUMBER_PATTERNS.get(locale.language, NUMBER_PATTERNS["en"]))
        content.number = pattern.format(y=issued.year, m=issued.month, n=rng.randint(1, 9999))
    content.vendor_ids = [_digits(rng, template) for template in PARTY_IDS[locale_name]]
    if locale_name[3:] not in ("US", "IN", "MY", "ISO"):
        content.vendor_ids.append(_digits(rng, f"IBAN: {locale_name[3:]}## #### #### #### #### ##"))
    content.customer_ids = [_digits(rng, PARTY_IDS[locale_name][0])]
    registration = REGISTRATIONS.get(locale_name) or REGISTRATIONS[locale.language]
    content.registration = _digits(rng, registration)
    content.account = str(rng.randint(10000, 999999))
    credit = not receipt and rng.random() < CREDIT_SHARE
    if credit:
        content.labels = {
            **content.labels,
            "title": content.labels["credit_title"],
            "number": content.labels["credit_number"],
            "title_meta": [],
        }
        for item in content.items:
            item.unit_price, item.amount = -item.unit_price, -item.amount
    if credit or gross:
        _amounts(content, gross)
    if locale_name == "en_IN" and rng.random() < 0.6:
        _round_total(content, 1)
        content.whole_total = rng.random() < 0.5
    if receipt and locale_name != "en_MY":
        content.paid = content.total


def _round_total(content: Content, per_unit: int) -> None:
    """The total rounded to 1/`per_unit` of the currency, the difference kept as rounding."""
    rounded = (content.total * per_unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) / per_unit
    content.rounding, content.total = _money(rounded - content.total), _money(rounded)


def _amounts(content: Content, gross: bool) -> None:
    """Subtotal, tax and total from the items again; with `gross` the items include the tax."""
    lines = sum((item.amount for item in content.items), Decimal(0))
    rate = content.tax_rate
    if gross:
        content.tax = _money(lines * rate / (100 + rate)) if rate is not None else None
        content.subtotal, content.total = lines - (content.tax or 0), lines
    else:
        content.subtotal = lines
        content.tax = _money(lines * rate / 100) if rate is not None else None
        content.total = lines + (content.tax or 0)


# Invoice numbers of the extended generator, besides the first generator's ({y} year, {m} month).
NUMBER_PATTERNS = {
    "en": ["INV-{y}-{n:04d}", "{y}{m:02d}{n:04d}", "SI/{y}/{n}"],
    "de": ["RE{y}-{n:05d}", "{y}-{n:04d}", "R{n:06d}"],
    "fr": ["FA{y}{m:02d}-{n:04d}", "F-{y}-{n:05d}"],
    "es": ["A/{y}/{n:04d}", "FV{y}-{n:04d}"],
    "nl": ["{y}-{n:04d}", "F{y}{n:05d}"],
    "it": ["{n}/{y}", "{n}/PA", "FT{y}/{n:04d}"],
    "pt": ["FT{y}/{n}", "FR{y}/{n:04d}"],
    "pl": ["FV/{y}/{m:02d}/{n:04d}", "{n}/{m:02d}/{y}", "FS/{n}/{y}"],
}


# --- layout ----------------------------------------------------------------------------


@dataclass
class Variations:
    """What the extended generator varies in a layout; a first-generation document has none."""

    party_ids: bool = False  # tax ids, registration and IBAN under the parties' names
    footer: bool = False  # the vendor's legal name, address and registration at the foot of each page
    title_meta: bool = False  # number and date in the title line ("Rechnung Nr. 12 vom 05.03.2024")
    carried: bool = False  # carried-forward sums where the table breaks, the number on each page
    plain_items: bool = False  # receipt items without a header row ("2 PC @ 4.90   9.80")
    account: bool = False  # a customer-number sub-line before a party's name ("Nummer: 549910")


TITLE_META_FAMILIES = ("stacked", "letter", "minimal", "two_column", "boxed")


def _variations(rng: random.Random, family: str) -> Variations:
    receipt = family.startswith("receipt")
    return Variations(
        party_ids=not receipt and rng.random() < 0.5,
        footer=not receipt and rng.random() < (0.7 if family == "multipage" else 0.4),
        title_meta=family in TITLE_META_FAMILIES and rng.random() < 0.4,
        carried=family == "multipage" and rng.random() < 0.7,
        plain_items=family == "receipt_plain" or (receipt and rng.random() < 0.4),
        account=family in ("two_column", "boxed") and rng.random() < 0.6,
    )


@dataclass
class Writer:
    """A cursor over a canvas: font size, margins and the page-breaking table."""

    canvas: Canvas
    content: Content
    rng: random.Random
    size: int
    margin: int
    y: float = 0.0
    row_gap: float = 1.6
    table_row_gap: float = 1.6
    table_header: list = field(default_factory=list)
    vary: Variations = field(default_factory=Variations)
    reserve: float = 0.0  # kept free at the foot of each page for the footer
    extended: bool = False  # the extended generator's: also keeps labels off their values

    def fits(self, texts: list[str], size: int | None = None, bold: bool = False) -> float:
        """The width of the widest of `texts`, plus a gap of one character."""
        size = size or self.size
        return max(self.canvas.width_of(text, size, bold) for text in texts) + size

    @property
    def width(self) -> int:
        return self.canvas.size[0]

    @property
    def line_height(self) -> float:
        return self.size * self.row_gap

    @property
    def bottom(self) -> float:
        return self.canvas.size[1] - self.margin - self.reserve

    @property
    def meta_in_title(self) -> bool:
        return self.vary.title_meta and bool(self.content.labels.get("title_meta"))

    def money(self, value: Decimal, with_symbol: bool = False) -> str:
        return self.content.locale.money(value, with_symbol, self.content.symbol)

    def total_text(self) -> str:
        content = self.content
        return content.locale.money(content.total, True, content.symbol, whole=content.whole_total)

    def date(self, value: dt.date) -> str:
        return self.content.locale.date(value, self.content.date_style)

    def label(self, key: str, **values: object) -> str:
        return self.rng.choice(self.content.labels[key]).format(**values)

    def new_page(self) -> None:
        self.footer()
        self.canvas.new_page()
        self.y = self.margin

    def footer(self) -> None:
        """The vendor's legal name and address, its registration and its ids, centred at the foot."""
        if not self.vary.footer:
            return
        content, small = self.content, int(self.size * 0.7)
        y = self.bottom + self.size * 0.5
        for text in (
            " · ".join([content.vendor, *content.vendor_address]),
            content.registration,
            " · ".join(content.vendor_ids),
        ):
            self.canvas.text(self.width / 2, y, text, small, anchor="center")
            y += small * 1.4


def _meta_pairs(writer: Writer) -> list[tuple[str, str]]:
    content = writer.content
    pairs = []
    if not writer.meta_in_title:
        pairs = [(writer.label("number"), content.number), (writer.label("date"), writer.date(content.issued))]
    if content.due:
        pairs.append((writer.label("due"), writer.date(content.due)))
    if writer.rng.random() < 0.3:
        distractor = {
            "en": "Order No:",
            "de": "Bestellnummer:",
            "fr": "N° de commande:",
            "es": "Nº de pedido:",
            "nl": "Ordernummer:",
            "it": "Ordine n.:",
            "pt": "N.º encomenda:",
            "pl": "Nr zamówienia:",
        }
        pairs.insert(1, (distractor[content.locale.language], f"PO-{writer.rng.randint(1000, 9999)}"))
    return pairs


def _vendor_block(writer: Writer, x: float, anchor: str, with_contact: bool = True) -> None:
    canvas, content, size = writer.canvas, writer.content, writer.size
    canvas.text(x, writer.y, content.vendor, int(size * 1.4), bold=True, anchor=anchor)
    writer.y += size * 2.0
    ids = content.vendor_ids if writer.vary.party_ids else []
    for line in content.vendor_address + ([content.vendor_contact] if with_contact else []) + ids:
        canvas.text(x, writer.y, line, size, anchor=anchor)
        writer.y += writer.line_height


def _pairs_in_columns(
    writer: Writer,
    pairs: list[tuple[str, str]],
    x_label: float,
    x_value: float,
    anchor: str,
    box_right: float | None = None,
) -> None:
    """Label and value in two columns; with `box_right`, each in a ruled cell ending there.
    The extended generator's keep labels off values, in a smaller font where they must."""
    pad, size = writer.size * 0.4, writer.size
    labels, values = [label for label, _ in pairs], [value for _, value in pairs]
    if writer.extended and anchor == "left":
        right = box_right or writer.width - writer.margin
        while (
            size > writer.size * 0.7 and x_label + writer.fits(labels, size, True) + writer.fits(values, size) > right
        ):
            size -= 1
        x_value = max(x_value, x_label + writer.fits(labels, size, True))
    elif writer.extended:
        x_label = min(x_label, x_value - writer.fits([f"{label} {value}" for label, value in pairs], bold=True))
    for label, value in pairs:
        writer.canvas.text(x_label, writer.y, label, size, bold=writer.rng.random() < 0.5)
        writer.canvas.text(x_value, writer.y, value, size, anchor=anchor)
        if box_right is not None:
            top, low = writer.y - pad, writer.y - pad + writer.line_height
            writer.canvas.box(x_label - pad, top, x_value - pad, low)
            writer.canvas.box(x_value - pad, top, box_right, low)
        writer.y += writer.line_height


def _pairs_inline(writer: Writer, pairs: list[tuple[str, str]], x: float, leaders: bool = False) -> None:
    for label, value in pairs:
        if leaders:
            text = f"{label.rstrip(':')} {'.' * writer.rng.randint(4, 12)} {value}"
        else:
            text = f"{label}{'' if writer.rng.random() < 0.5 and label.endswith(':') else ' '}{value}"
        writer.canvas.text(x, writer.y, text, writer.size)
        writer.y += writer.line_height


def _pairs_stacked(writer: Writer, pairs: list[tuple[str, str]], x0: float, x1: float, boxed: bool = False) -> None:
    """Labels over values in a row; `boxed`: each pair in a ruled cell, the label smaller."""
    step = (x1 - x0) / len(pairs)
    pad, label_size = (writer.size * 0.4, int(writer.size * 0.8)) if boxed else (0, writer.size)
    while writer.extended and label_size > 12 and writer.fits([label for label, _ in pairs], label_size, True) > step:
        label_size -= 1
    for index, (label, value) in enumerate(pairs):
        x = x0 + index * step
        writer.canvas.text(x + pad, writer.y, label.rstrip(":"), label_size, bold=True)
        writer.canvas.text(x + pad, writer.y + writer.line_height, value, writer.size)
        if boxed:
            writer.canvas.box(x, writer.y - pad, x + step, writer.y + 2 * writer.line_height - pad)
    writer.y += 2 * writer.line_height


def _wrapped(writer: Writer, text: str, bold: bool, max_width: float | None, size: int | None = None) -> list[str]:
    """`text` in lines no wider than `max_width`, broken at spaces."""
    size = size or writer.size
    if max_width is None or writer.canvas.width_of(text, size, bold) <= max_width:
        return [text]
    words = text.split()
    lines = [words[0]]
    for word in words[1:]:
        longer = f"{lines[-1]} {word}"
        if writer.canvas.width_of(longer, size, bold) <= max_width:
            lines[-1] = longer
        else:
            lines.append(word)
    return lines


def _party(
    writer: Writer,
    x: float,
    anchor: str,
    heading: str,
    name: str,
    lines: list[str],
    bold_name: bool = False,
    account: str | None = None,
    max_width: float | None = None,
) -> None:
    """A party block: its heading, maybe a customer-number line, the name, then `lines`;
    with `max_width`, long lines wrap."""
    canvas = writer.canvas
    canvas.text(x, writer.y, heading, writer.size, bold=True, anchor=anchor)
    writer.y += writer.line_height
    rows = [(text, False) for text in ([writer.label("account", n=account)] if account else [])]
    rows += [(text, bold_name) for text in _wrapped(writer, name, bold_name, max_width)]
    rows += [(text, False) for line in lines for text in _wrapped(writer, line, False, max_width)]
    for text, bold in rows:
        canvas.text(x, writer.y, text, writer.size, bold=bold, anchor=anchor)
        writer.y += writer.line_height


def _bill_to(writer: Writer, x: float, inline: bool = False, max_width: float | None = None) -> None:
    content = writer.content
    label = writer.label("bill_to")
    lines = content.customer_address + (content.customer_ids if writer.vary.party_ids else [])
    if not inline:
        account = content.account if writer.vary.account else None
        _party(writer, x, "left", label, content.customer, lines, account=account, max_width=max_width)
        return
    writer.canvas.text(x, writer.y, f"{label} {content.customer}", writer.size)
    writer.y += writer.line_height
    for line in lines:
        writer.canvas.text(x, writer.y, line, writer.size)
        writer.y += writer.line_height


def _columns(writer: Writer, x0: float, x1: float) -> list[tuple[float, str]]:
    """(x, anchor) of description, quantity, unit price and amount."""
    span = x1 - x0
    return [(x0, "left"), (x0 + span * 0.58, "right"), (x0 + span * 0.8, "right"), (x1, "right")]


def _table_header(writer: Writer, x0: float, x1: float, grid: bool) -> None:
    headers = writer.table_header
    for (x, anchor), title in zip(_columns(writer, x0, x1), headers, strict=True):
        writer.canvas.text(x, writer.y, title, writer.size, bold=True, anchor=anchor)
    writer.y += writer.line_height
    if grid or writer.rng.random() < 0.5:
        writer.canvas.rule(x0, writer.y - writer.size * 0.3, x1)
        writer.y += writer.size * 0.3


def _carry(writer: Writer, x0: float, x1: float, key: str, amount: Decimal) -> None:
    """A carried-forward or brought-forward sum where the table breaks."""
    if not writer.vary.carried:
        return
    x_label = _columns(writer, x0, x1)[2][0]
    writer.canvas.text(x_label, writer.y, writer.label(key), writer.size, bold=True, anchor="right")
    writer.canvas.text(x1, writer.y, writer.money(amount), writer.size, bold=True, anchor="right")
    writer.y += writer.line_height


def _continued(writer: Writer, x0: float, x1: float) -> None:
    """The head of a continuation page: the vendor, and with `carried` the invoice number."""
    content = writer.content
    writer.canvas.text(x0, writer.y, content.vendor, writer.size, bold=True)
    if writer.vary.carried:
        number = f"{writer.label('number')} {content.number}"
        writer.canvas.text(x1, writer.y, number, writer.size, anchor="right")
    writer.y += writer.line_height * 2


def _table(writer: Writer, x0: float, x1: float, grid: bool = False, bottom: float | None = None) -> None:
    bottom = bottom or writer.canvas.size[1] - writer.margin * 2 - writer.reserve
    writer.table_header = list(writer.rng.choice(writer.content.labels["headers"]))
    _table_header(writer, x0, x1, grid)
    carried = Decimal(0)
    for item in writer.content.items:
        wrapped = writer.rng.random() < 0.15
        needed = writer.line_height * (2 if wrapped else 1)
        if writer.y + needed > bottom:
            _carry(writer, x0, x1, "carried", carried)
            writer.new_page()
            _continued(writer, x0, x1)
            _table_header(writer, x0, x1, grid)
            _carry(writer, x0, x1, "brought", carried)
        quantity = _quantity(item.quantity, writer.content.locale.decimal)
        cells = [item.description, quantity, writer.money(item.unit_price), writer.money(item.amount)]
        for (x, anchor), text in zip(_columns(writer, x0, x1), cells, strict=True):
            writer.canvas.text(x, writer.y, text, writer.size, anchor=anchor)
        writer.y += writer.size * writer.table_row_gap
        carried += item.amount
        if wrapped:
            extra = writer.rng.choice(["(incl. setup)", "ref. 4711", "- express", "(2 pcs)"])
            writer.canvas.text(x0, writer.y, extra, writer.size)
            item.description = f"{item.description} {extra}"
            writer.y += writer.line_height
        if grid:
            writer.canvas.rule(x0, writer.y - writer.size * 0.3, x1, width=1)
    writer.y += writer.line_height * 0.5


def _quantity(value: Decimal, decimal: str = ".") -> str:
    return f"{value.normalize():f}".replace(".", decimal)


def _totals(writer: Writer, x_label: float, x_value: float, label_anchor: str = "left", boxed: bool = False) -> None:
    """Subtotal, tax, rounding and total rows; `boxed`: ruled between rows."""
    content = writer.content
    if writer.y + writer.line_height * 4 > writer.bottom:
        writer.new_page()
    rows = []
    if content.tax is not None:
        content.subtotal_printed = True
        rows.append((writer.label("subtotal"), writer.money(content.subtotal)))
        rate = f"{content.tax_rate.normalize():f}".replace(".", content.locale.decimal)
        rows.append((writer.label("tax", rate=rate), writer.money(content.tax)))
    if content.rounding:
        rows.append((writer.label("rounding"), writer.money(content.rounding)))
    rows.append((writer.label("total"), writer.total_text()))
    if writer.extended:
        values = writer.fits([value for _, value in rows], bold=True)
        labels = writer.fits([label for label, _ in rows], bold=True) if label_anchor == "left" else 0
        x_label = min(x_label, x_value - values - labels)
    pad = writer.size * 0.4
    for index, (label, value) in enumerate(rows):
        last = index == len(rows) - 1
        writer.canvas.text(x_label, writer.y, label, writer.size, bold=last, anchor=label_anchor)
        writer.canvas.text(x_value, writer.y, value, writer.size, bold=last, anchor="right")
        if boxed:
            writer.canvas.box(x_label - pad, writer.y - pad, x_value + pad, writer.y - pad + writer.line_height)
        writer.y += writer.line_height


def _title(writer: Writer, x: float, anchor: str, beside_vendor: bool = False) -> None:
    """The title, or with `meta_in_title` a title line holding number and date; the
    extended generator's shrinks to fit the page, or beside the vendor's name."""
    content = writer.content
    if not writer.meta_in_title:
        text, size = writer.label("title"), int(writer.size * 1.9)
    else:
        text = writer.label("title_meta", number=content.number, date=writer.date(content.issued))
        size = int(writer.size * 1.3)
    room = writer.width - 2 * writer.margin
    if beside_vendor:
        room -= writer.fits([content.vendor], int(writer.size * 1.4), True) + writer.size
    while writer.extended and size > writer.size and writer.canvas.width_of(text, size, True) > room:
        size -= 1
    writer.canvas.text(x, writer.y, text, size, bold=True, anchor=anchor)


def layout_classic(writer: Writer, grid: bool = False) -> None:
    width, margin = writer.width, writer.margin
    writer.y = margin
    _title(writer, width - margin, "right", beside_vendor=True)
    _vendor_block(writer, margin, "left")
    vendor_end = writer.y
    writer.y = margin + writer.size * 3
    _pairs_in_columns(writer, _meta_pairs(writer), width * 0.55, width - margin, "right")
    writer.y = max(writer.y, vendor_end) + writer.line_height
    _bill_to(writer, margin)
    writer.y += writer.line_height
    _table(writer, margin, width - margin, grid=grid)
    _totals(writer, width * 0.58, width - margin)


def layout_right_header(writer: Writer) -> None:
    width, margin = writer.width, writer.margin
    writer.y = margin
    _vendor_block(writer, width - margin, "right")
    vendor_end, writer.y = writer.y, margin
    _title(writer, margin, "left", beside_vendor=True)
    writer.y += writer.size * 3
    _pairs_inline(writer, _meta_pairs(writer), margin)
    writer.y += writer.line_height
    if writer.extended:  # the vendor block grows with its ids
        writer.y = max(writer.y, vendor_end)
    _bill_to(writer, margin, inline=True)
    writer.y += writer.line_height * 2
    _table(writer, margin, width - margin)
    _totals(writer, width * 0.55, width - margin)


def layout_stacked(writer: Writer) -> None:
    width, margin = writer.width, writer.margin
    writer.y = margin
    _vendor_block(writer, width / 2, "center")
    writer.y += writer.line_height
    _title(writer, width / 2, "center")
    writer.y += writer.size * 3
    _pairs_stacked(writer, _meta_pairs(writer), margin, width - margin)
    writer.y += writer.line_height
    _bill_to(writer, margin)
    writer.y += writer.line_height
    _table(writer, margin, width - margin)
    _totals(writer, width * 0.6, width - margin)


def layout_letter(writer: Writer) -> None:
    width, margin = writer.width, writer.margin
    content = writer.content
    writer.y = margin
    _vendor_block(writer, width - margin, "right")
    sender = " · ".join([content.vendor, *content.vendor_address])
    writer.canvas.text(margin, writer.y, sender, int(writer.size * 0.7))
    writer.y += writer.line_height
    top = writer.y
    _bill_to(writer, margin)
    writer.y = top
    _pairs_in_columns(writer, _meta_pairs(writer), width * 0.52, width * 0.72, "left")
    writer.y = max(writer.y, top + writer.line_height * 4) + writer.line_height
    _title(writer, margin, "left")
    writer.y += writer.size * 3
    _table(writer, margin, width - margin)
    _totals(writer, width * 0.6, width - margin)


def layout_minimal(writer: Writer) -> None:
    width, margin = writer.width, writer.margin
    writer.y = margin
    _vendor_block(writer, margin, "left", with_contact=writer.rng.random() < 0.5)
    writer.y += writer.line_height
    _title(writer, margin, "left")
    writer.y += writer.size * 3
    _pairs_inline(writer, _meta_pairs(writer), margin, leaders=True)
    writer.y += writer.line_height
    _bill_to(writer, margin)
    writer.y += writer.line_height
    _table(writer, margin, width - margin)
    _totals(writer, margin, width - margin)


def layout_multipage(writer: Writer) -> None:
    writer.table_row_gap = 3.4
    layout_classic(writer)


def _receipt_pair(writer: Writer, label: str, value: str, bold: bool = False) -> None:
    writer.canvas.text(writer.margin, writer.y, label, writer.size, bold=bold)
    writer.canvas.text(writer.width - writer.margin, writer.y, value, writer.size, bold=bold, anchor="right")
    writer.y += writer.line_height


def _receipt_items(writer: Writer, header: tuple[str, str, str, str], split_rows: bool) -> None:
    x0, x1 = writer.margin, writer.width - writer.margin
    if writer.vary.plain_items:
        _plain_items(writer)
    else:
        _receipt_table(writer, header, split_rows)
    writer.canvas.rule(x0, writer.y, x1, width=1)
    writer.y += writer.size * 0.5
    writer.content.subtotal_printed = True  # both first-generation receipt layouts print it next


# Receipt item lines without a header row: quantity and unit price under the name.
PLAIN_QUANTITIES = {
    "en": ["{q} PC @ {p}", "{q} x {p}", "{q} X {p}", "{q} @ {p}"],
    "nl": ["{q} st x {p}", "{q} x {p}"],
    "it": ["{q} x {p}", "{q} PZ x {p}"],
    "pt": ["{q} un x {p}", "{q} x {p}"],
    "pl": ["{q} szt. x {p}", "{q} x{p}"],
    "de": ["{q} Stk x {p}", "{q} x {p}"],
}


def _plain_items(writer: Writer) -> None:
    """Items as "NAME   9.80", or the name over "2 PC @ 4.90   9.80"."""
    content, rng = writer.content, writer.rng
    pattern = rng.choice(PLAIN_QUANTITIES[content.locale.language])
    for item in content.items:
        amount = writer.money(item.amount)
        if item.quantity == 1 and rng.random() < 0.7:
            _receipt_pair(writer, item.description, amount)
            continue
        writer.canvas.text(writer.margin, writer.y, item.description, writer.size)
        writer.y += writer.line_height
        quantity = _quantity(item.quantity, content.locale.decimal)
        text = pattern.format(q=quantity, p=writer.money(item.unit_price))
        writer.canvas.text(writer.margin + writer.size * 1.5, writer.y, text, writer.size)
        writer.canvas.text(writer.width - writer.margin, writer.y, amount, writer.size, anchor="right")
        writer.y += writer.line_height


def _receipt_table(writer: Writer, header: tuple[str, str, str, str], split_rows: bool) -> None:
    writer.table_header = list(header)
    x0, x1 = writer.margin, writer.width - writer.margin
    columns = [(x0, "left"), (x0 + (x1 - x0) * 0.5, "right"), (x0 + (x1 - x0) * 0.75, "right"), (x1, "right")]
    for (x, anchor), title in zip(columns, header, strict=True):
        writer.canvas.text(x, writer.y, title, writer.size, bold=True, anchor=anchor)
    writer.y += writer.line_height
    writer.canvas.rule(x0, writer.y - writer.size * 0.3, x1, width=1)
    for item in writer.content.items:
        too_wide = writer.extended and writer.fits([item.description]) > columns[1][0] - x0 - writer.size * 2
        split = split_rows or too_wide
        if split:
            writer.canvas.text(x0, writer.y, item.description, writer.size)
            writer.y += writer.line_height
        numbers = [_quantity(item.quantity), writer.money(item.unit_price), writer.money(item.amount)]
        if not split:
            writer.canvas.text(x0, writer.y, item.description, writer.size)
        for (x, anchor), text in zip(columns[1:], numbers, strict=True):
            writer.canvas.text(x, writer.y, text, writer.size, anchor=anchor)
        writer.y += writer.line_height


def layout_receipt_my(writer: Writer) -> None:
    content, rng, center = writer.content, writer.rng, writer.width / 2
    writer.y = writer.margin
    name = content.vendor
    if rng.random() < 0.3 and " SDN BHD" in name:
        writer.canvas.text(center, writer.y, name.removesuffix(" SDN BHD"), writer.size, bold=True, anchor="center")
        writer.y += writer.line_height
        writer.canvas.text(center, writer.y, "SDN BHD", writer.size, bold=True, anchor="center")
    else:
        writer.canvas.text(center, writer.y, name, writer.size, bold=True, anchor="center")
    writer.y += writer.line_height
    writer.canvas.text(
        center, writer.y, f"({rng.randint(100000, 999999)}-{rng.choice('AHKVWX')})", writer.size, anchor="center"
    )
    writer.y += writer.line_height
    for line in [
        *content.vendor_address,
        f"TEL: 03-{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        f"GST ID: 000{rng.randint(100000000, 999999999)}",
    ]:
        writer.canvas.text(center, writer.y, line, writer.size, anchor="center")
        writer.y += writer.line_height
    writer.y += writer.line_height * 0.5
    writer.canvas.text(
        center,
        writer.y,
        rng.choice(["TAX INVOICE", "SIMPLIFIED TAX INVOICE", "RECEIPT"]),
        writer.size,
        bold=True,
        anchor="center",
    )
    writer.y += writer.line_height * 1.5
    time = f"{rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}"
    _receipt_pair(writer, rng.choice(["INVOICE NO:", "DOC NO:", "RECEIPT NO:", "BILL NO:"]), content.number)
    _receipt_pair(writer, "DATE:", f"{writer.date(content.issued)} {time}")
    _receipt_pair(writer, "CASHIER:", rng.choice(["NINI", "ANGELA", "01"]))
    _receipt_items(
        writer,
        rng.choice([("ITEM", "QTY", "PRICE", "AMOUNT"), ("DESCRIPTION", "QTY", "U/P", "TOTAL")]),
        rng.random() < 0.5,
    )
    _receipt_pair(
        writer, rng.choice(["SUBTOTAL", "SUB TOTAL", "TOTAL SALES (EXCLUDING GST)"]), writer.money(content.subtotal)
    )
    if content.tax is not None:
        _receipt_pair(
            writer,
            rng.choice(["GST 6%", "TOTAL GST", "SST 6%"]) if content.tax else "GST 0%",
            writer.money(content.tax),
        )
    _receipt_pair(writer, "ROUNDING ADJ", writer.money(content.rounding))
    _receipt_pair(
        writer,
        rng.choice(["TOTAL", "TOTAL (RM)", "NETT TOTAL", "ROUNDED TOTAL", "GRAND TOTAL", "TOTAL RM"]),
        writer.total_text(),
        bold=True,
    )
    _receipt_pair(writer, "CASH", writer.money(content.paid))
    _receipt_pair(writer, "CHANGE", writer.money(content.paid - content.total))
    writer.y += writer.line_height
    writer.canvas.text(center, writer.y, "THANK YOU. PLEASE COME AGAIN.", writer.size, anchor="center")
    writer.y += writer.line_height


def layout_receipt_us(writer: Writer) -> None:
    content, rng, center = writer.content, writer.rng, writer.width / 2
    writer.y = writer.margin
    size = int(writer.size * 1.3)
    room = writer.width - 2 * writer.margin if writer.extended else None
    for line in _wrapped(writer, content.vendor, True, room, size):
        writer.canvas.text(center, writer.y, line, size, bold=True, anchor="center")
        writer.y += writer.line_height * 1.3
    for line in [
        *content.vendor_address,
        f"({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
    ]:
        writer.canvas.text(center, writer.y, line, writer.size, anchor="center")
        writer.y += writer.line_height
    writer.y += writer.line_height * 0.5
    time = f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['AM', 'PM'])}"
    writer.canvas.text(writer.margin, writer.y, f"{writer.date(content.issued)} {time}", writer.size)
    writer.y += writer.line_height
    _receipt_pair(writer, rng.choice(["Receipt #:", "Receipt No:", "Ticket #"]), content.number)
    _receipt_items(writer, ("ITEM", "QTY", "PRICE", "TOTAL"), split_rows=False)
    _receipt_pair(writer, "SUBTOTAL", writer.money(content.subtotal))
    if content.tax is not None:
        rate = f"{content.tax_rate.normalize():f}"
        _receipt_pair(writer, rng.choice([f"SALES TAX {rate}%", f"TAX {rate}%", "TAX"]), writer.money(content.tax))
    _receipt_pair(
        writer,
        rng.choice(["TOTAL", "AMOUNT DUE", "GRAND TOTAL"]),
        writer.total_text(),
        bold=True,
    )
    _receipt_pair(writer, f"VISA ****{rng.randint(1000, 9999)}", writer.money(content.total))
    writer.y += writer.line_height
    writer.canvas.text(center, writer.y, "THANK YOU FOR SHOPPING WITH US", writer.size, anchor="center")
    writer.y += writer.line_height


def layout_two_column(writer: Writer) -> None:
    """The customer on the left and the vendor on the right, each under a heading, the
    title (maybe with number and date) above them, totals with labels far from values."""
    width, margin, content = writer.width, writer.margin, writer.content
    writer.y = margin
    _title(writer, margin, "left")
    writer.y += writer.size * 3
    top, column = writer.y, width * 0.48 - margin
    x, anchor = writer.rng.choice([(width * 0.52, "left"), (width - margin, "right")])
    lines = content.vendor_address + (content.vendor_ids if writer.vary.party_ids else [])
    account = content.account if writer.vary.account else None
    _party(writer, x, anchor, writer.label("seller"), content.vendor, lines, True, account, column)
    vendor_end, writer.y = writer.y, top
    lines = content.customer_address + (content.customer_ids if writer.vary.party_ids else [])
    _party(writer, margin, "left", writer.label("buyer"), content.customer, lines, max_width=column)
    writer.y = max(writer.y, vendor_end) + writer.line_height
    _pairs_inline(writer, _meta_pairs(writer), margin)
    writer.y += writer.line_height
    _table(writer, margin, width - margin)
    _totals(writer, width * 0.5, width - margin, label_anchor="right")


def layout_boxed(writer: Writer) -> None:
    """Label/value cells in a ruled grid (a row of cells, or a table beside the customer),
    a ruled item table and ruled totals whose labels stand far from their values."""
    width, margin = writer.width, writer.margin
    writer.y = margin
    _vendor_block(writer, margin, "left")
    writer.y += writer.line_height
    _title(writer, margin, "left")
    writer.y += writer.size * 3
    pairs = _meta_pairs(writer)
    if writer.rng.random() < 0.5:
        _pairs_stacked(writer, pairs, margin, width - margin, boxed=True)
        writer.y += writer.line_height
        _bill_to(writer, margin)
    else:
        top = writer.y
        _pairs_in_columns(writer, pairs, width * 0.45, width * 0.7, "left", box_right=width - margin)
        meta_end, writer.y = writer.y, top
        _bill_to(writer, margin, max_width=width * 0.42 - margin)
        writer.y = max(writer.y, meta_end)
    writer.y += writer.line_height
    _table(writer, margin, width - margin, grid=True)
    _totals(writer, width * 0.45, width - margin, boxed=True)


# Till-slip wordings of the extended generator's receipts, per language.
RECEIPT_WORDS = {
    "en": {
        "title": ["TAX INVOICE", "CASH MEMO", "RETAIL INVOICE", "BILL OF SUPPLY"],
        "number": ["Bill No:", "Bill No.", "Inv No:", "Invoice No."],
        "subtotal": ["Sub Total", "Taxable Value", "Total Before Tax"],
        "tax": ["GST {rate}%", "IGST @{rate}%", "GST @ {rate}%"],
        "total": ["Grand Total", "Net Amount", "Total Amount", "Bill Amount", "Net Payable"],
        "paid": ["Cash", "UPI", "Card"],
        "thanks": ["Thank you, visit again!"],
    },
    "nl": {
        "title": ["KASSABON", "Bon"],
        "number": ["Bonnr:", "Bon nr.", "Transactie:"],
        "subtotal": ["Totaal excl. BTW", "Netto"],
        "tax": ["BTW {rate}%", "waarvan BTW {rate}%"],
        "total": ["TOTAAL", "Te betalen", "Totaal"],
        "paid": ["PIN", "Contant"],
        "thanks": ["Bedankt en tot ziens!"],
    },
    "it": {
        "title": ["DOCUMENTO COMMERCIALE", "SCONTRINO"],
        "number": ["Documento n.", "Doc. n.", "N. scontrino:"],
        "subtotal": ["Imponibile", "Totale imponibile"],
        "tax": ["di cui IVA {rate}%", "IVA {rate}%"],
        "total": ["TOTALE COMPLESSIVO", "TOTALE", "Totale EUR"],
        "paid": ["Pagamento elettronico", "Contanti"],
        "thanks": ["Grazie e arrivederci"],
    },
    "pt": {
        "title": ["FATURA SIMPLIFICADA", "FATURA-RECIBO"],
        "number": ["Fatura simplificada n.º", "Doc. n.º", "FS n.º"],
        "subtotal": ["Total s/ IVA", "Base"],
        "tax": ["IVA {rate}%", "IVA incluído {rate}%"],
        "total": ["TOTAL", "Total a pagar", "TOTAL EUR"],
        "paid": ["Multibanco", "Numerário"],
        "thanks": ["Obrigado pela preferência"],
    },
    "pl": {
        "title": ["PARAGON FISKALNY", "PARAGON"],
        "number": ["Nr paragonu:", "Nr wydruku:", "Paragon nr"],
        "subtotal": ["Wartość netto", "Suma netto"],
        "tax": ["PTU A {rate}%", "Kwota PTU {rate}%"],
        "total": ["SUMA PLN", "RAZEM", "Do zapłaty"],
        "paid": ["Karta", "Gotówka"],
        "thanks": ["Dziękujemy, zapraszamy ponownie"],
    },
    "de": {
        "title": ["KASSENBON", "Beleg", "Quittung"],
        "number": ["Beleg-Nr.:", "Bon-Nr.", "Belegnummer:"],
        "subtotal": ["Netto", "Summe netto"],
        "tax": ["MwSt {rate}%", "enth. MwSt. {rate}%"],
        "total": ["SUMME", "Summe EUR", "Gesamt", "Zu zahlen"],
        "paid": ["EC-Karte", "Bar"],
        "thanks": ["Vielen Dank für Ihren Einkauf"],
    },
}


def layout_receipt_plain(writer: Writer) -> None:
    """A European or Indian till slip: items without a header row; European prices
    include the tax, shown after the total; Indian bills add tax and round to the rupee."""
    content, rng, center = writer.content, writer.rng, writer.width / 2
    words = {key: rng.choice(values) for key, values in RECEIPT_WORDS[content.locale.language].items()}
    writer.y = writer.margin
    for line in _wrapped(writer, content.vendor, True, writer.width - 2 * writer.margin):
        writer.canvas.text(center, writer.y, line, writer.size, bold=True, anchor="center")
        writer.y += writer.line_height
    for line in [*content.vendor_address, content.vendor_ids[0], words["title"]]:
        writer.canvas.text(center, writer.y, line, writer.size, bold=line == words["title"], anchor="center")
        writer.y += writer.line_height
    writer.y += writer.line_height * 0.5
    time = f"{rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}"
    _receipt_pair(writer, words["number"], content.number)
    _receipt_pair(writer, writer.label("date"), f"{writer.date(content.issued)} {time}")
    _receipt_items(writer, ("", "", "", ""), split_rows=False)
    # The currency is on the slip: in the total's label ("SUMA PLN") or by its amount.
    in_label = content.locale.currency in words["total"]
    total = (words["total"], writer.money(content.total) if in_label else writer.total_text())
    content.subtotal_printed = content.tax is not None and (not content.gross or rng.random() < 0.5)
    tax = []
    if content.tax is not None:
        rate = f"{content.tax_rate.normalize():f}".replace(".", content.locale.decimal)
        tax = [(words["tax"].format(rate=rate), writer.money(content.tax))]
    subtotal = [(words["subtotal"], writer.money(content.subtotal))] if content.subtotal_printed else []
    rounding = [(writer.label("rounding"), writer.money(content.rounding))] if content.rounding else []
    rows = [total, *tax, *subtotal] if content.gross else [*subtotal, *tax, *rounding, total]
    for label, value in rows:
        _receipt_pair(writer, label, value, bold=label == words["total"])
    _receipt_pair(writer, words["paid"], writer.money(content.paid))
    writer.y += writer.line_height
    writer.canvas.text(center, writer.y, words["thanks"], writer.size, anchor="center")
    writer.y += writer.line_height


# --- documents -------------------------------------------------------------------------

_NEW_LOCALES = ["nl_NL", "it_IT", "pt_PT", "pl_PL", "en_IN"]
_FAMILY_LOCALES = {
    "classic": ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "en_ISO"],
    "right_header": ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "en_ISO"],
    "stacked": ["en_GB", "de_DE", "fr_FR", "es_ES", "en_ISO"],
    "letter": ["de_DE", "fr_FR", "es_ES", "en_GB"],
    "minimal": ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "en_ISO"],
    "grid": ["en_US", "de_DE", "fr_FR", "es_ES", "en_ISO"],
    "multipage": ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES"],
    "receipt_my": ["en_MY"],
    "receipt_us": ["en_US"],
    "two_column": ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "en_MY", *_NEW_LOCALES],
    "boxed": ["en_GB", "de_DE", "fr_FR", "es_ES", "en_ISO", *_NEW_LOCALES],
    "receipt_plain": ["en_IN", "nl_NL", "it_IT", "pt_PT", "pl_PL", "de_DE"],
}
# Locales the extended generator adds to the first generator's invoice families.
_EXTENDED_LOCALES = dict.fromkeys(FAMILIES[:7], _NEW_LOCALES)
_LAYOUTS = {
    "classic": layout_classic,
    "right_header": layout_right_header,
    "stacked": layout_stacked,
    "letter": layout_letter,
    "minimal": layout_minimal,
    "grid": lambda writer: layout_classic(writer, grid=True),
    "multipage": layout_multipage,
    "receipt_my": layout_receipt_my,
    "receipt_us": layout_receipt_us,
    "two_column": layout_two_column,
    "boxed": layout_boxed,
    "receipt_plain": layout_receipt_plain,
}
RECEIPT_WIDTH = 600
PDF_SHARE = 0.15
DAMAGE_SHARE = 0.5


def generate(seed: int) -> SynthDocument:
    """The document of one seed: family and locale cycle with the seed, the rest is random.
    Seeds from EXTENDED_FROM on come from the extended generator (all FAMILIES, more
    locales, wordings and variations); seeds below it from the first one, unchanged."""
    rng = random.Random(seed)
    extended = seed >= EXTENDED_FROM
    families = FAMILIES if extended else FAMILIES[:FIRST_GENERATION]
    family = families[seed % len(families)]
    locale = rng.choice(_FAMILY_LOCALES[family] + (_EXTENDED_LOCALES.get(family, []) if extended else []))
    receipt = family.startswith("receipt")
    if family == "multipage":  # the extended generator's always run over two pages or three
        item_count = rng.randint(15, 24) if extended else rng.randint(10, 15)
    else:
        item_count = rng.randint(1, 8 if receipt else 9)
    gross = family == "receipt_plain" and locale != "en_IN"
    content = make_content(rng, locale, item_count, receipt, extended, gross)
    with_pdf = not receipt and rng.random() < PDF_SHARE
    mono = family == "receipt_my" or (family == "receipt_plain" and rng.random() < 0.4)
    font_family = "mono" if mono else rng.choice(["sans", "serif", "condensed"])
    size = (RECEIPT_WIDTH, 2600) if receipt else A4
    canvas = Canvas(size, font_family, with_pdf)
    writer = Writer(
        canvas,
        content,
        rng,
        size=rng.randint(18, 22) if receipt else rng.randint(20, 26),
        margin=rng.randint(30, 50) if receipt else rng.randint(70, 130),
    )
    if extended:
        writer.extended = True
        writer.vary = _variations(rng, family)
        writer.reserve = writer.size * 3.6 if writer.vary.footer else 0.0
    _LAYOUTS[family](writer)
    writer.footer()
    if receipt:
        canvas.pages[0] = canvas.pages[0].crop((0, 0, RECEIPT_WIDTH, int(writer.y + writer.margin)))
    return SynthDocument(
        seed=seed,
        family=family,
        locale=locale,
        pages=canvas.pages,
        lines=canvas.lines,
        truth=content.truth(),
        items=content.items,
        pdf=canvas.pdf_bytes(),
        damaged=not with_pdf and rng.random() < DAMAGE_SHARE,
    )
