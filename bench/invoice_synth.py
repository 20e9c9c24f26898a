"""Synthetic invoices and receipts with exact ground truth, for `bench.fields`.

Each document comes from a seed: the seed picks a layout family, a locale (labels,
date and money formats, currency) and the content. Every string is drawn once through
`Canvas`, which records its box as a ground-truth `OcrLine` (the `truth` engine of the
benchmark) and, for documents that get a PDF, writes the same text into a PDF text layer
with fpdf2 at the same place.

Families: classic (vendor left, meta right), right_header (vendor right, "Label:value"
inline), stacked (labels over values), letter (sender line, recipient block, meta table),
minimal (one column, dot leaders), grid (ruled table), multipage (long table over pages),
receipt_my (narrow SROIE-like till slip), receipt_us (narrow US slip).
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
)

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
}


def _group(value: Decimal, thousands: str, decimal: str) -> str:
    text = f"{value:,.2f}"
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

    def money(self, value: Decimal, with_symbol: bool = False) -> str:
        text = _group(abs(value), self.thousands, self.decimal)
        text = f"-{text}" if value < 0 else text
        if not with_symbol:
            return text
        return f"{text} {self.symbol}" if self.symbol_after else f"{self.symbol}{text}"

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
}

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
}

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
}
STREETS = {
    "en": ["{n} Market Street", "{n} Industrial Way", "Suite {n}, 200 Park Avenue", "{n} High Street"],
    "de": ["Hauptstraße {n}", "Bahnhofstr. {n}", "Am Markt {n}", "Industrieweg {n}"],
    "fr": ["{n} rue de la Paix", "{n} avenue Victor Hugo", "{n} boulevard Voltaire"],
    "es": ["Calle Mayor {n}", "Avenida de la Constitución {n}", "Plaza España {n}"],
    "my": ["NO {n}, JALAN MERDEKA 3", "LOT {n}, JALAN KENARI 5", "NO {n}-G JALAN TASIK UTAMA 4"],
}
CITIES = {
    "en": ["Springfield, IL 62701", "Leeds LS1 4AP", "Austin, TX 78701", "Manchester M1 2AB"],
    "de": ["10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg"],
    "fr": ["75002 Paris", "69001 Lyon", "13001 Marseille"],
    "es": ["28013 Madrid", "08001 Barcelona", "41001 Sevilla"],
    "my": ["47170 PUCHONG, SELANGOR", "81100 JOHOR BAHRU", "55100 KUALA LUMPUR"],
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

    def pdf_bytes(self) -> bytes | None:
        return bytes(self.pdf.output()) if self.pdf else None


def _vendor_name(rng: random.Random, language: str) -> str:
    first, middle, suffix = (rng.choice(words) for words in VENDOR_WORDS[language])
    return " ".join(part for part in (first, middle, suffix) if part)


def _items(rng: random.Random, language: str, count: int, receipt: bool) -> list[ItemTruth]:
    items = []
    for _ in range(count):
        quantity = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 6, 10, 12, 20]))
        if rng.random() < 0.1:
            quantity = Decimal(rng.choice(["0.5", "1.5", "2.5", "7.5"]))
        price = Decimal(rng.randint(50, 5000 if receipt else 250000)) / 100
        items.append(ItemTruth(rng.choice(ITEMS[language]), quantity, price, _money(quantity * price)))
    return items


def make_content(rng: random.Random, locale_name: str, item_count: int, receipt: bool) -> Content:
    locale = LOCALES[locale_name]
    language = "my" if locale_name == "en_MY" else locale.language
    labels = LABELS[locale.language]
    items = _items(rng, language, item_count, receipt)
    subtotal = sum((item.amount for item in items), Decimal(0))
    rate = rng.choice(locale.tax_rates) if rng.random() < 0.9 else None
    tax = _money(subtotal * rate / 100) if rate is not None else None
    total = subtotal + (tax or 0)
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
        subtotal=subtotal,
        tax=tax,
        total=total,
    )
    if locale_name == "en_MY":
        rounded = (total * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20
        content.rounding, content.total = _money(rounded - total), _money(rounded)
        content.paid = Decimal((int(content.total) // 10 + 1) * 10)
    elif receipt:
        content.paid = content.total
    return content


# --- layout ----------------------------------------------------------------------------


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

    @property
    def width(self) -> int:
        return self.canvas.size[0]

    @property
    def line_height(self) -> float:
        return self.size * self.row_gap

    def money(self, value: Decimal, with_symbol: bool = False) -> str:
        return self.content.locale.money(value, with_symbol)

    def date(self, value: dt.date) -> str:
        return self.content.locale.date(value, self.content.date_style)

    def label(self, key: str, **values: object) -> str:
        return self.rng.choice(self.content.labels[key]).format(**values)


def _meta_pairs(writer: Writer) -> list[tuple[str, str]]:
    content = writer.content
    pairs = [(writer.label("number"), content.number), (writer.label("date"), writer.date(content.issued))]
    if content.due:
        pairs.append((writer.label("due"), writer.date(content.due)))
    if writer.rng.random() < 0.3:
        distractor = {"en": "Order No:", "de": "Bestellnummer:", "fr": "N° de commande:", "es": "Nº de pedido:"}
        pairs.insert(1, (distractor[content.locale.language], f"PO-{writer.rng.randint(1000, 9999)}"))
    return pairs


def _vendor_block(writer: Writer, x: float, anchor: str, with_contact: bool = True) -> None:
    canvas, content, size = writer.canvas, writer.content, writer.size
    canvas.text(x, writer.y, content.vendor, int(size * 1.4), bold=True, anchor=anchor)
    writer.y += size * 2.0
    for line in content.vendor_address + ([content.vendor_contact] if with_contact else []):
        canvas.text(x, writer.y, line, size, anchor=anchor)
        writer.y += writer.line_height


def _pairs_in_columns(
    writer: Writer, pairs: list[tuple[str, str]], x_label: float, x_value: float, anchor: str
) -> None:
    for label, value in pairs:
        writer.canvas.text(x_label, writer.y, label, writer.size, bold=writer.rng.random() < 0.5)
        writer.canvas.text(x_value, writer.y, value, writer.size, anchor=anchor)
        writer.y += writer.line_height


def _pairs_inline(writer: Writer, pairs: list[tuple[str, str]], x: float, leaders: bool = False) -> None:
    for label, value in pairs:
        if leaders:
            text = f"{label.rstrip(':')} {'.' * writer.rng.randint(4, 12)} {value}"
        else:
            text = f"{label}{'' if writer.rng.random() < 0.5 and label.endswith(':') else ' '}{value}"
        writer.canvas.text(x, writer.y, text, writer.size)
        writer.y += writer.line_height


def _pairs_stacked(writer: Writer, pairs: list[tuple[str, str]], x0: float, x1: float) -> None:
    step = (x1 - x0) / len(pairs)
    for index, (label, value) in enumerate(pairs):
        writer.canvas.text(x0 + index * step, writer.y, label.rstrip(":"), writer.size, bold=True)
        writer.canvas.text(x0 + index * step, writer.y + writer.line_height, value, writer.size)
    writer.y += 2 * writer.line_height


def _bill_to(writer: Writer, x: float, inline: bool = False) -> None:
    content = writer.content
    label = writer.label("bill_to")
    if inline:
        writer.canvas.text(x, writer.y, f"{label} {content.customer}", writer.size)
    else:
        writer.canvas.text(x, writer.y, label, writer.size, bold=True)
        writer.y += writer.line_height
        writer.canvas.text(x, writer.y, content.customer, writer.size)
    writer.y += writer.line_height
    for line in content.customer_address:
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


def _table(writer: Writer, x0: float, x1: float, grid: bool = False, bottom: float | None = None) -> None:
    bottom = bottom or writer.canvas.size[1] - writer.margin * 2
    writer.table_header = list(writer.rng.choice(writer.content.labels["headers"]))
    _table_header(writer, x0, x1, grid)
    for item in writer.content.items:
        wrapped = writer.rng.random() < 0.15
        needed = writer.line_height * (2 if wrapped else 1)
        if writer.y + needed > bottom:
            writer.canvas.new_page()
            writer.y = writer.margin
            writer.canvas.text(x0, writer.y, writer.content.vendor, writer.size, bold=True)
            writer.y += writer.line_height * 2
            _table_header(writer, x0, x1, grid)
        quantity = _quantity(item.quantity, writer.content.locale.decimal)
        cells = [item.description, quantity, writer.money(item.unit_price), writer.money(item.amount)]
        for (x, anchor), text in zip(_columns(writer, x0, x1), cells, strict=True):
            writer.canvas.text(x, writer.y, text, writer.size, anchor=anchor)
        writer.y += writer.size * writer.table_row_gap
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


def _totals(writer: Writer, x_label: float, x_value: float) -> None:
    content = writer.content
    if writer.y + writer.line_height * 4 > writer.canvas.size[1] - writer.margin:
        writer.canvas.new_page()
        writer.y = writer.margin
    rows = []
    if content.tax is not None:
        content.subtotal_printed = True
        rows.append((writer.label("subtotal"), writer.money(content.subtotal)))
        rate = f"{content.tax_rate.normalize():f}".replace(".", content.locale.decimal)
        rows.append((writer.label("tax", rate=rate), writer.money(content.tax)))
    rows.append((writer.label("total"), writer.money(content.total, with_symbol=True)))
    for index, (label, value) in enumerate(rows):
        last = index == len(rows) - 1
        writer.canvas.text(x_label, writer.y, label, writer.size, bold=last)
        writer.canvas.text(x_value, writer.y, value, writer.size, bold=last, anchor="right")
        writer.y += writer.line_height


def _title(writer: Writer, x: float, anchor: str) -> None:
    writer.canvas.text(x, writer.y, writer.label("title"), int(writer.size * 1.9), bold=True, anchor=anchor)


def layout_classic(writer: Writer, grid: bool = False) -> None:
    width, margin = writer.width, writer.margin
    writer.y = margin
    _title(writer, width - margin, "right")
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
    writer.y = margin
    _title(writer, margin, "left")
    writer.y += writer.size * 3
    _pairs_inline(writer, _meta_pairs(writer), margin)
    writer.y += writer.line_height
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
    writer.table_header = list(header)
    x0, x1 = writer.margin, writer.width - writer.margin
    columns = [(x0, "left"), (x0 + (x1 - x0) * 0.5, "right"), (x0 + (x1 - x0) * 0.75, "right"), (x1, "right")]
    for (x, anchor), title in zip(columns, header, strict=True):
        writer.canvas.text(x, writer.y, title, writer.size, bold=True, anchor=anchor)
    writer.y += writer.line_height
    writer.canvas.rule(x0, writer.y - writer.size * 0.3, x1, width=1)
    for item in writer.content.items:
        if split_rows:
            writer.canvas.text(x0, writer.y, item.description, writer.size)
            writer.y += writer.line_height
        numbers = [_quantity(item.quantity), writer.money(item.unit_price), writer.money(item.amount)]
        if not split_rows:
            writer.canvas.text(x0, writer.y, item.description, writer.size)
        for (x, anchor), text in zip(columns[1:], numbers, strict=True):
            writer.canvas.text(x, writer.y, text, writer.size, anchor=anchor)
        writer.y += writer.line_height
    writer.canvas.rule(x0, writer.y, x1, width=1)
    writer.y += writer.size * 0.5
    writer.content.subtotal_printed = True  # both receipt layouts print it next


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
        writer.money(content.total, with_symbol=True),
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
    writer.canvas.text(center, writer.y, content.vendor, int(writer.size * 1.3), bold=True, anchor="center")
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
        writer.money(content.total, with_symbol=True),
        bold=True,
    )
    _receipt_pair(writer, f"VISA ****{rng.randint(1000, 9999)}", writer.money(content.total))
    writer.y += writer.line_height
    writer.canvas.text(center, writer.y, "THANK YOU FOR SHOPPING WITH US", writer.size, anchor="center")
    writer.y += writer.line_height


# --- documents -------------------------------------------------------------------------

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
}
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
}
RECEIPT_WIDTH = 600
PDF_SHARE = 0.15
DAMAGE_SHARE = 0.5


def generate(seed: int) -> SynthDocument:
    """The document of one seed: family and locale cycle with the seed, the rest is random."""
    rng = random.Random(seed)
    family = FAMILIES[seed % len(FAMILIES)]
    locale = rng.choice(_FAMILY_LOCALES[family])
    receipt = family.startswith("receipt")
    item_count = rng.randint(10, 15) if family == "multipage" else rng.randint(1, 8 if receipt else 9)
    content = make_content(rng, locale, item_count, receipt)
    with_pdf = not receipt and rng.random() < PDF_SHARE
    font_family = "mono" if family == "receipt_my" else rng.choice(["sans", "serif", "condensed"])
    size = (RECEIPT_WIDTH, 2600) if receipt else A4
    canvas = Canvas(size, font_family, with_pdf)
    writer = Writer(
        canvas,
        content,
        rng,
        size=rng.randint(18, 22) if receipt else rng.randint(20, 26),
        margin=rng.randint(30, 50) if receipt else rng.randint(70, 130),
    )
    _LAYOUTS[family](writer)
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
