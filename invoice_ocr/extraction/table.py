"""The item table: found from its header row, read by column alignment.

The header row names the columns (description, quantity, unit price, amount, in EN, DE,
FR and ES). Each body row is cut into cells (numbers and words, located inside the OCR
box by character share, since one box may hold several cells); numbers go to the numeric
columns in their left-to-right order, each to the nearest column that order allows, and
words left of the first numeric column form the description. A row
without an amount continues the previous item's description (wrapped text). The table
ends at the first totals label or a wide vertical gap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from invoice_ocr.extraction.amounts import AmountMatch, find_amounts
from invoice_ocr.extraction.labels import fold, is_charge_label, is_label
from invoice_ocr.page import OcrLine

DESCRIPTION, QUANTITY, UNIT_PRICE, AMOUNT, OTHER = "description", "quantity", "unit_price", "amount", "other"
_NUMERIC_COLUMNS = (QUANTITY, UNIT_PRICE, AMOUNT, OTHER)

# In the order the alternatives are tried at one position: "Unit Price" must be read as
# the unit price before "Unit" alone could be read as a quantity column, "Total Price" as
# the amount before "Price" as the unit price.
_HEADER_WORDS = {
    DESCRIPTION: r"descriptions?(?:\s*of\s*(?:goods|services))?|desc\.?|items?|articles?|artikel|products?|produkt"
    r"|bezeichnung|beschreibung"
    r"|leistung(?:en)?|designation|libelle|concepto|descripcion|articulo|producto|detalle|services?|particulars"
    r"|omschrijving|descrizione|descricao|opis|nazwa|articolo|artigo|towar",
    AMOUNT: r"amount|amt|line\s*total|total\s*price|sub\s*-?\s*total|total(?:\s*ht)?|totaal|totale|betrag"
    r"|gesamt(?:preis)?|summe|montant(?:\s*ht)?"
    r"|importe|bedrag|importo|valor|wartosc|kwota",
    UNIT_PRICE: r"(?:price|prix|precio|preco|prezzo|prijs|cena)\s*(?:/|per|par|por)?\s*unit\w*\.?"
    r"|p\.?\s*unit\w*\.?|stukprijs|eenheidsprijs|stuckpreis|stuck\s*preis|unit\s*price|unit\s*cost|price|rate|u/\s*p(?:\s*\(\w+\))?|s/\s*price|einzelpreis|e-?preis|preis"
    r"|prix\s*unit(?:aire|\.)?(?:\s*ht)?|p\.?\s*u\.?(?:\s*ht)?|prix|precio(?:\s*unit(?:ario|\.))?|pvp"
    r"|prijs|prezzo(?:\s*unitario)?|preco(?:\s*unit(?:ario|\.))?|cena(?:\s*jedn\w*)?",
    QUANTITY: r"qty|quantity|qte|quantite|menge|anzahl|stk|cantidad|cant\.?|uds|units?|pcs|hours|hrs"
    r"|aantal|quantita|q\.?\s*ta|quantidade|qtd|ilosc",
    # Row numbers ("Pos.", India's "Sl No." / "S.No."), HSN/SAC tax codes and the unit ("per").
    OTHER: r"vat|tax|gst|mwst|ust|tva|iva|btw|disc(?:ount)?|rabatt|remise|descuento|korting|sconto|uom|unit|pos\.?|%"
    r"|(?:sl|sr|s)\.?\s*no\.?|hsn(?:\s*/\s*sac)?|sac|per",
}
_HEADER_PATTERN = re.compile(
    "|".join(rf"(?P<{name}>(?<![a-z])(?:{words})(?![a-z]))" for name, words in _HEADER_WORDS.items())
)
_MIN_HEADER_COVERAGE = 0.6
# What stands between a receipt line's quantity and unit price: "2 PC @ 4.90", "1 X 3.50".
_TIMES_NAME = re.compile(r"[x×*]\s+(?=[^\W\d_])")
_PRICE_JOINER = re.compile(r"(?:x|pc|pcs|pce|ea|each|unit|units|stk|st|kg|pz|szt|uds|un|stuks)?\.?\s*[@x*]?")
# How far quantity × price may be from the amount: a cent of rounding.
_TOLERANCE = Decimal("0.011")
# A gap above a row wider than this many line heights ends the table.
_MAX_ROW_GAP_IN_HEIGHTS = 4.0


@dataclass(frozen=True, slots=True)
class Column:
    """A header cell: what the column holds and where its title is printed."""

    kind: str
    left: float
    right: float


@dataclass(frozen=True, slots=True)
class Cell:
    """A number or a run of words inside an OCR line, with its estimated x-range."""

    text: str
    line: OcrLine
    start: int
    end: int
    left: float
    right: float
    number: Decimal | None

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2


@dataclass(slots=True)
class TableRow:
    """One item as read from the table: the description cells and a cell per numeric column."""

    description: list[Cell]
    numbers: dict[str, Cell]

    def description_parts(self) -> list[tuple[OcrLine, int, int]]:
        """(line, start, end) per OCR line of the description: one span per line, so
        words split around a number ("E8318", "BAG 15") stay whole."""
        spans: dict[OcrLine, tuple[int, int]] = {}
        for cell in self.description:
            start, end = spans.get(cell.line, (cell.start, cell.end))
            spans[cell.line] = (min(start, cell.start), max(end, cell.end))
        return [(line, start, end) for line, (start, end) in spans.items()]


def _x_range(line: OcrLine, start: int, end: int) -> tuple[float, float]:
    length = max(len(line.text), 1)
    width = line.right - line.left
    return line.left + width * start / length, line.left + width * end / length


def _header_columns(row: Sequence[OcrLine]) -> list[Column] | None:
    """The columns a row names, or None if the row is not an item-table header."""
    columns: list[Column] = []
    covered = letters = 0
    for line in row:
        folded = fold(line.text)
        letters += len(re.sub(r"[^a-z%]", "", folded))
        for match in _HEADER_PATTERN.finditer(folded):
            left, right = _x_range(line, match.start(), match.end())
            columns.append(Column(match.lastgroup, left, right))
            covered += len(re.sub(r"[^a-z%]", "", match.group()))
    kinds = {column.kind for column in columns}
    is_header = AMOUNT in kinds and len(kinds - {OTHER}) >= 2 and covered >= _MIN_HEADER_COVERAGE * max(letters, 1)
    return _one_amount_column(sorted(columns, key=lambda column: column.left)) if is_header else None


def _one_amount_column(columns: list[Column]) -> list[Column]:
    """The rightmost amount-like title is the amount; one further left ("Amount | Product |
    Price | Total", where "Amount" counts pieces) is the quantity when no column is
    titled as one, else another column."""
    amounts = [column for column in columns if column.kind == AMOUNT]
    if len(amounts) < 2:
        return columns
    has_quantity = any(column.kind == QUANTITY for column in columns)
    renamed = {id(column): OTHER if has_quantity else QUANTITY for column in amounts[:-1]}
    return [Column(renamed.get(id(column), column.kind), column.left, column.right) for column in columns]


def is_header_row(row: Sequence[OcrLine]) -> bool:
    """Whether a row is the header of an item table."""
    return _header_columns(row) is not None


def _cells(line: OcrLine) -> list[Cell]:
    """The numbers of a line, and the runs of other words between them."""
    cells: list[Cell] = []
    position = 0
    for amount in find_amounts(line.text):
        if _part_of_a_word(line.text, amount):
            continue
        cells += _word_cells(line, position, amount.start)
        cells.append(
            Cell(amount.text, line, amount.start, amount.end, *_x_range(line, amount.start, amount.end), amount.value)
        )
        position = amount.end
    return cells + _word_cells(line, position, len(line.text))


def _part_of_a_word(text: str, amount: AmountMatch) -> bool:
    """A whole number glued to the letter before it is part of a name ("Carta A4",
    "LED 9W"), not a cell; an amount with decimals ("RM8.60") is still one."""
    return not amount.has_decimals and amount.start > 0 and text[amount.start - 1].isalpha()


def _word_cells(line: OcrLine, start: int, end: int) -> list[Cell]:
    words = line.text[start:end]
    stripped = words.strip()
    if not stripped:
        return []
    first = start + words.index(stripped)
    last = first + len(stripped)
    return [Cell(stripped, line, first, last, *_x_range(line, first, last), None)]


def _distance(cell: Cell, column: Column) -> float:
    if column.left <= cell.center <= column.right:
        return 0.0
    return min(abs(cell.center - column.left), abs(cell.center - column.right), abs(cell.right - column.right))


def _read_row(row: Sequence[OcrLine], columns: Sequence[Column]) -> TableRow:
    # A row number left of the description ("Pos.") is no item value; a quantity there
    # ("Amount | Product | Price | Total") is.
    start = next((column.left for column in columns if column.kind == DESCRIPTION), float("-inf"))
    numeric = [
        column
        for column in columns
        if column.kind in _NUMERIC_COLUMNS and not (column.kind == OTHER and column.left < start)
    ]
    leading = any(column.left < start for column in numeric)
    description_edge = min((column.left for column in numeric if column.left > start), default=float("inf"))
    slack = max((line.height for line in row), default=0)
    description: list[Cell] = []
    values: list[Cell] = []
    for cell in (cell for line in row for cell in _cells(line)):
        if cell.number is not None and cell.right < start:
            if leading:
                values.append(cell)
            continue
        if cell.right < description_edge - slack or cell.number is None:
            if cell.center < description_edge:
                description.append(cell)
            continue
        values.append(cell)
    numbers = {column.kind: cell for cell, column in _in_column_order(values, numeric)}
    numbers.pop(OTHER, None)
    return TableRow(description, numbers)


def _in_column_order(cells: Sequence[Cell], columns: Sequence[Column]) -> list[tuple[Cell, Column]]:
    """Each number with its column, keeping both in their left-to-right order: as many
    numbers placed as the columns take, then the closest placement. Order decides where
    distance cannot: a header printed flush left over numbers printed flush right puts
    each number nearer the next column's title than its own ("Qty | Unit price" over
    "12  $99.00")."""
    cells = sorted(cells, key=lambda cell: cell.center)
    columns = sorted(columns, key=lambda column: column.left)
    # cost[i][j]: the best placement of the first i numbers into the first j columns, as
    # (numbers left out, total distance); a column may stay empty for free.
    cost = [[(i, 0.0)] + [(0, 0.0)] * len(columns) for i in range(len(cells) + 1)]
    for i in range(1, len(cells) + 1):
        for j in range(1, len(columns) + 1):
            left_out, distance = cost[i - 1][j - 1]
            placed = (left_out, distance + _distance(cells[i - 1], columns[j - 1]))
            skipped_cell = (cost[i - 1][j][0] + 1, cost[i - 1][j][1])
            cost[i][j] = min(placed, skipped_cell, cost[i][j - 1])
    pairs: list[tuple[Cell, Column]] = []
    i, j = len(cells), len(columns)
    while i and j:
        if cost[i][j] == cost[i][j - 1]:
            j -= 1
        elif cost[i][j] == (cost[i - 1][j][0] + 1, cost[i - 1][j][1]):
            i -= 1
        else:
            pairs.append((cells[i - 1], columns[j - 1]))
            i, j = i - 1, j - 1
    return pairs[::-1]


def _ends_table(row: Sequence[OcrLine], previous_bottom: float) -> bool:
    height = max(line.height for line in row)
    gap = min(line.top for line in row) - previous_bottom
    labelled = any(is_label(line.text) and not is_charge_label(line.text) for line in row[:2])
    return gap > _MAX_ROW_GAP_IN_HEIGHTS * height or labelled


def _merge_wrapped_descriptions(rows: Sequence[TableRow]) -> list[TableRow]:
    """Item rows (those with an amount), with the text of amount-less rows folded in.

    Text above an item row that has no description of its own is that item's
    description (receipts print the name, then the numbers); otherwise it continues the
    previous item's description (wrapped text), or starts the next one's at the top.
    """
    items: list[TableRow] = []
    pending: list[Cell] = []
    for row in rows:
        if AMOUNT not in row.numbers:
            pending.extend(row.description)
            continue
        if pending and items and row.description:
            items[-1].description.extend(pending)
            pending = []
        items.append(TableRow(pending + row.description, row.numbers))
        pending = []
    if pending and items:
        items[-1].description.extend(pending)
    return items


def read_item_table(rows: Sequence[Sequence[OcrLine]]) -> list[TableRow]:
    """The items of every item table on a page (rows from `group_into_rows`)."""
    items: list[TableRow] = []
    index = 0
    while index < len(rows):
        columns = _header_columns(rows[index])
        index += 1
        if columns is None:
            continue
        body: list[TableRow] = []
        previous_bottom = max(line.bottom for line in rows[index - 1])
        while index < len(rows) and not _ends_table(rows[index], previous_bottom):
            body.append(_read_row(rows[index], columns))
            previous_bottom = max(line.bottom for line in rows[index])
            index += 1
        items += _merge_wrapped_descriptions(body)
    return items


def _priced_item(row: Sequence[OcrLine], previous: Sequence[OcrLine] | None) -> TableRow | None:
    """A receipt line without a table header: "2 PC @ 4.90  9.80", "1 X 3.50 3.50" — a
    quantity, a unit price and an amount that is their product, with the name before the
    quantity or on the line above."""
    cells = sorted((cell for line in row for cell in _cells(line)), key=lambda cell: cell.left)
    for index in range(len(cells) - 2):
        quantity, rest = cells[index], cells[index + 1 :]
        if quantity.number is None or quantity.number <= 0:
            continue
        named = None
        if rest and rest[0].number is None and _PRICE_JOINER.fullmatch(fold(rest[0].text)):
            rest = rest[1:]
        elif rest and rest[0].number is None and (times := _TIMES_NAME.match(fold(rest[0].text))):
            # "2 x Laugenbrezel 0,90 1,80": the name between the quantity and the price.
            named, rest = _cell_from(rest[0], times.end()), rest[1:]
        if len(rest) != 2 or rest[0].number is None or rest[1].number is None:
            continue
        price, amount = rest
        if price.number <= 0 or abs(quantity.number * price.number - amount.number) > _TOLERANCE:
            continue
        description = [named] if named else [cell for cell in cells[:index] if cell.number is None]
        if not description and previous is not None:
            # The name line above may hold whole numbers ("A4 PAPER 500S", "DETERGENT 2KG"), never money.
            above = [cell for line in previous for cell in _cells(line)]
            names = any(cell.number is None for cell in above) and not any(_is_money(cell) for cell in above)
            description = above if names else []
        return TableRow(description, {QUANTITY: quantity, UNIT_PRICE: price, AMOUNT: amount})
    return None


def _cell_from(cell: Cell, offset: int) -> Cell:
    """The part of a word cell from `offset` on (its x-range shrunk in proportion)."""
    width = (cell.right - cell.left) / max(len(cell.text), 1)
    return Cell(
        cell.text[offset:], cell.line, cell.start + offset, cell.end, cell.left + width * offset, cell.right, None
    )


# What a till prints after an item's amount: its tax class ("1,99 B", "0,95 1", "2,49 *").
_TAX_CLASS = re.compile(r"[a-d]|[1-4]|\*|[a-d]\s*\*")
_SEPARATOR = re.compile(r"[-=_*.\s]+")
# A unit price's unit ("EUR/kg", "€/l", "/Stk"), and a till line that prints nothing else
# but numbers with units ("1,729 EUR/l", "42,31 l"): part of the item above.
_PER_UNIT = re.compile(r"(?:eur|€)?\s*/\s*(?:kg|g|l|stk|st|m)")
_MEASURE_ONLY = re.compile(r"(?:[\d.,]+\s*(?:eur|€)?\s*/?\s*(?:kg|g|l|stk|st|m)?\s*[x*]?\s*)+")


def _row_cells(row: Sequence[OcrLine]) -> list[Cell]:
    return sorted((cell for line in row for cell in _cells(line)), key=lambda cell: cell.left)


def _is_money(cell: Cell) -> bool:
    return cell.number is not None and re.search(r"[.,]\d{2}$", cell.text) is not None


def _without_tax_class(cells: list[Cell]) -> list[Cell]:
    if len(cells) >= 2 and _is_money(cells[-2]) and _TAX_CLASS.fullmatch(fold(cells[-1].text)):
        return cells[:-1]
    return cells


def _price_only_item(row: Sequence[OcrLine]) -> TableRow | None:
    """A till line "BANANE  1,99 B": words, then one amount (and the tax class)."""
    if is_label(row[0].text):
        return None
    cells = _without_tax_class(_row_cells(row))
    if len(cells) < 2 or not _is_money(cells[-1]):
        return None
    description = cells[:-1]
    if not any(len(re.sub(r"[^a-z]", "", fold(cell.text))) >= 2 for cell in description if cell.number is None):
        return None
    return TableRow(description, {AMOUNT: cells[-1]})


def is_till_item_row(row: Sequence[OcrLine]) -> bool:
    """Whether a row reads as a receipt's item: "Bananen  1,29 A", "2 PC @ 4.90  9.80"."""
    return _price_only_item(row) is not None or _priced_item(row, None) is not None


def _quantity_line(row: Sequence[OcrLine]) -> tuple[Cell, Cell] | None:
    """A till's quantity line under or over its item: "2 Stk x 0,89", "2 x 1,09",
    "0,456 kg x 2,99 EUR/kg"."""
    cells = _row_cells(row)
    if len(cells) > 2 and cells[-1].number is None and _PER_UNIT.fullmatch(fold(cells[-1].text)):
        cells = cells[:-1]
    if len(cells) == 3 and cells[1].number is None and _PRICE_JOINER.fullmatch(fold(cells[1].text)):
        cells = [cells[0], cells[2]]
    if len(cells) != 2 or cells[0].number is None or not _is_money(cells[1]) or cells[0].number <= 0:
        return None
    return cells[0], cells[1]


def _with_quantities(items: list[TableRow], quantities: dict[int, tuple[Cell, Cell]], positions: list[int]) -> None:
    """Gives an item the quantity line right below it (or else right above) whose
    quantity × price is its amount."""
    for item, position in zip(items, positions, strict=True):
        for neighbour in (position + 1, position - 1):
            found = quantities.get(neighbour)
            if found and abs(found[0].number * found[1].number - item.numbers[AMOUNT].number) <= _TOLERANCE:
                item.numbers[QUANTITY], item.numbers[UNIT_PRICE] = found
                del quantities[neighbour]
                break


def read_till_lines(rows: Sequence[Sequence[OcrLine]], total_row: int) -> list[TableRow]:
    """The items of a till receipt: the block of "name  amount" lines right above its
    total row (labelled rows such as a subtotal or the tax between them skipped), with
    their quantity lines. The caller keeps them only if they add up."""
    items: list[TableRow] = []
    positions: list[int] = []
    quantities: dict[int, tuple[Cell, Cell]] = {}
    named_by_next: set[int] = set()
    for index in range(total_row - 1, -1, -1):
        row = rows[index]
        text = " ".join(line.text for line in row)
        if _SEPARATOR.fullmatch(text) or index in named_by_next:
            continue
        quantity = _quantity_line(row)
        if quantity:
            quantities[index] = quantity
            continue
        item = _priced_item(row, rows[index - 1] if index else None) or _price_only_item(row)
        if item:
            items.append(item)
            positions.append(index)
            if item.description and item.description[0].line not in row:
                named_by_next.add(index - 1)
        elif _MEASURE_ONLY.fullmatch(fold(text)):
            continue
        elif items or not is_label(row[0].text):
            break
    items.reverse()
    positions.reverse()
    _with_quantities(items, quantities, positions)
    return items


def read_priced_lines(rows: Sequence[Sequence[OcrLine]]) -> list[TableRow]:
    """Items printed as "quantity @ price  amount" lines, for pages without an item table."""
    items = []
    for index, row in enumerate(rows):
        item = _priced_item(row, rows[index - 1] if index else None)
        if item is not None:
            items.append(item)
    return items
