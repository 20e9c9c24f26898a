"""A PDF text layer as the page shows it: characters → words → visual lines.

PDFium hands out the page's characters in content-stream order, each with its Unicode
value and a box, plus the spaces and line breaks it generated where it saw gaps (the
same stream `get_text_range()` reads). Producers draw text in odd pieces: one text
object per letter (a hotel receipt), runs broken at every kerning pair (Chromium),
the same run drawn twice a fraction of a point apart ("fake bold"). Grouping PDFium's
text *rectangles* turned those into one-letter lines and doubled letters; grouping
characters does not:

1. **Characters**: NFKC-normalised (the `ﬁ` ligature reads `fi`; a soft hyphen is
   dropped; a hyphen at a line end stays as printed on its line: words are not joined
   across lines), control characters dropped.
2. **Overprint**: a character drawn again over the same character (same letter, boxes
   mostly overlapping) is a duplicate and is dropped. Consecutive characters sharing one
   box are kept: that is PDFium expanding a ligature glyph into its letters.
3. **Words**: consecutive characters until a space or line break (the producer's, or
   PDFium's own unless its gap is narrower than `SPURIOUS_SPACE_GAP` × the character
   height: letter spacing, not a word space), a jump back or onto another line, or a gap
   wider than `WORD_GAP` × the character height with no space between.
4. **Lines**: words whose vertical centres lie within half a word height of a row's
   running centre form a row (the rule `extraction/layout.py` uses for OCR lines); a row
   splits into separate lines at horizontal gaps wider than `COLUMN_GAP` × the height,
   so a label and an amount at the far ends of one row are two lines, as OCR gives them.
   Each line keeps its words (text and box, confidence 1), in reading order.

Every step is linear in the characters (plus one sort of the words), so a page of a
few hundred thousand characters costs seconds, not minutes. Coordinates are page pixels
(y down); the caller maps PDF points to pixels.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from invoice_ocr.page import OcrLine, OcrWord, Point, Polygon

# A gap between two characters with no space between them that is wider than this share
# of the character height still separates words (PDFium missed the space).
WORD_GAP = 0.6
# A gap between two words of one row wider than this share of their height starts a new
# line: about three spaces, the gap at which the OCR detector also splits a line.
COLUMN_GAP = 0.8
# A space PDFium generated in a gap narrower than this share of the character height (a
# word space is about a third of it) is letter spacing, not a word break.
SPURIOUS_SPACE_GAP = 0.14
# Two equal characters whose boxes overlap by more than this share are one overprinted glyph.
OVERPRINT_OVERLAP = 0.5
_DROPPED = frozenset({"\u00ad", "\ufeff", "\u200b", "\u200c", "\u200d", "\u2060"})
# PDFium reports a hyphen that ends a line inside a word as U+0002 (and joins the word in
# `get_text_range`); it is printed, so it reads as the hyphen it is.
_PDFIUM_LINE_END_HYPHEN = "\x02"


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character as PDFium placed it, in page pixels (y grows downwards), and which
    way its text runs on the page: a `Direction`."""

    char: str
    left: float
    top: float
    right: float
    bottom: float
    direction: int = 0
    generated: bool = False  # a space PDFium inserted where it saw a gap, not one the PDF draws

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class _Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    last_left: float  # where the word's last character starts

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


def normalize_char(char: str) -> str:
    """The text a character contributes: NFKC, without invisible and control characters."""
    if char in _DROPPED:
        return ""
    if char == _PDFIUM_LINE_END_HYPHEN:
        return "-"
    text = unicodedata.normalize("NFKC", char)
    return "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf"))


def page_characters(glyphs: Iterable[Glyph]) -> str:
    """The page's characters as PDFium decoded them (for judging the layer's quality),
    its line-end hyphen marker read as the hyphen it is."""
    return "".join("-" if glyph.char == _PDFIUM_LINE_END_HYPHEN else glyph.char for glyph in glyphs)


def _overlap_share(a: Glyph, b: Glyph) -> float:
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a.right - a.left) * a.height, (b.right - b.left) * b.height)
    return width * height / smaller if smaller > 0 else 0.0


def _same_box(a: Glyph, b: Glyph) -> bool:
    return (a.left, a.top, a.right, a.bottom) == (b.left, b.top, b.right, b.bottom)


def drop_overprint(glyphs: Sequence[Glyph]) -> list[Glyph]:
    """The glyphs without those drawn again over an equal glyph ("fake bold").

    Glyphs are filed in a grid of cells one character high; a duplicate's centre lies
    within half a cell of the original's, so the 2×2 cells around a centre hold every
    candidate and the cost stays linear however many characters the page has.
    """
    kept: list[Glyph] = []
    grid: dict[tuple[str, int, int], list[int]] = {}
    for index, glyph in enumerate(glyphs):
        if glyph.char.isspace():
            kept.append(glyph)
            continue
        cell = max(glyph.height, 1.0)
        x, y = (glyph.left + glyph.right) / (2 * cell), (glyph.top + glyph.bottom) / (2 * cell)
        column, row = math.floor(x - 0.5), math.floor(y - 0.5)
        if not any(
            _is_overprint(glyphs[other], glyph, other == index - 1)
            for key in (
                (glyph.char, column, row),
                (glyph.char, column + 1, row),
                (glyph.char, column, row + 1),
                (glyph.char, column + 1, row + 1),
            )
            for other in grid.get(key, ())
        ):
            grid.setdefault((glyph.char, math.floor(x), math.floor(y)), []).append(index)
            kept.append(glyph)
    return kept


def _is_overprint(earlier: Glyph, glyph: Glyph, adjacent: bool) -> bool:
    # Adjacent glyphs sharing one box are PDFium's expansion of a ligature glyph.
    ligature = adjacent and _same_box(earlier, glyph)
    return not ligature and _overlap_share(earlier, glyph) > OVERPRINT_OVERLAP


def _continues(word: _Word, glyph: Glyph) -> bool:
    """Whether `glyph` (no space before it) carries on `word` rather than starting another:
    on the same line, and neither far ahead nor back before the word's last character
    (which a ligature's letters, sharing its box, are not)."""
    height = max(min(word.height, glyph.height), 1.0)
    vertical = min(word.bottom, glyph.bottom) - max(word.top, glyph.top)
    if vertical < 0.5 * height:
        return False
    gap = glyph.left - word.right
    return gap <= WORD_GAP * height and (gap >= -0.5 * height or glyph.left >= word.last_left)


def _spurious_space(word: _Word, glyph: Glyph) -> bool:
    """Whether a space PDFium generated before `glyph` sits in a gap too narrow for one
    (some producers space letters a tenth of an em apart: "Ver käufer")."""
    return glyph.left - word.right < SPURIOUS_SPACE_GAP * max(min(word.height, glyph.height), 1.0)


def build_words(glyphs: Iterable[Glyph]) -> list[_Word]:
    """Characters in stream order → words (see the module docstring, step 3)."""
    words: list[_Word] = []
    current: _Word | None = None
    generated_space = False
    for glyph in glyphs:
        text = normalize_char(glyph.char)
        if not text:  # an invisible character: neither part of a word nor a break
            continue
        if text.isspace():
            if glyph.generated and text == " " and current is not None:
                generated_space = True  # decided by the gap to the next character
            else:
                current = None
            continue
        if current is not None and generated_space and not _spurious_space(current, glyph):
            current = None
        generated_space = False
        if current is not None and _continues(current, glyph):
            current.text += text
            current.left, current.top = min(current.left, glyph.left), min(current.top, glyph.top)
            current.right, current.bottom = max(current.right, glyph.right), max(current.bottom, glyph.bottom)
            current.last_left = glyph.left
        else:
            current = _Word(text, glyph.left, glyph.top, glyph.right, glyph.bottom, glyph.left)
            words.append(current)
    return words


def _rows(words: Sequence[_Word]) -> list[list[_Word]]:
    rows: list[list[_Word]] = []
    centres: list[float] = []
    for word in sorted(words, key=lambda item: (item.centre, item.left)):
        if rows and abs(word.centre - centres[-1]) <= word.height / 2:
            rows[-1].append(word)
            count = len(rows[-1])
            centres[-1] += (word.centre - centres[-1]) / count
        else:
            rows.append([word])
            centres.append(word.centre)
    return rows


def _split_at_gaps(row: list[_Word]) -> list[list[_Word]]:
    lines: list[list[_Word]] = []
    for word in sorted(row, key=lambda item: item.left):
        if lines:
            previous = lines[-1][-1]
            if word.left - previous.right <= COLUMN_GAP * min(previous.height, word.height):
                lines[-1].append(word)
                continue
        lines.append([word])
    return lines


class Direction:
    """Which way a run of text goes on the page, in quarter turns clockwise from
    left-to-right: 1 reads downwards, 2 upside down, 3 upwards (a margin note)."""

    RIGHT, DOWN, LEFT, UP = range(4)

    @staticmethod
    def nearest(dx: float, dy: float) -> int:
        """The quarter turn nearest to a reading direction in page pixels."""
        if abs(dx) >= abs(dy):
            return Direction.RIGHT if dx >= 0 else Direction.LEFT
        return Direction.DOWN if dy > 0 else Direction.UP


def _turn(x: float, y: float, direction: int) -> tuple[float, float]:
    """Page pixels → the frame in which text of `direction` reads left to right."""
    return ((x, y), (y, -x), (-x, -y), (-y, x))[direction]


def _unturn(x: float, y: float, direction: int) -> Point:
    page_x, page_y = ((x, y), (-y, x), (-x, -y), (y, -x))[direction]
    return round(page_x), round(page_y)


def _upright(glyph: Glyph) -> Glyph:
    """The glyph in the frame where its text reads left to right (a quarter turn keeps a box a box)."""
    if glyph.direction == Direction.RIGHT:
        return glyph
    corners = (_turn(glyph.left, glyph.top, glyph.direction), _turn(glyph.right, glyph.bottom, glyph.direction))
    (x0, y0), (x1, y1) = corners
    return Glyph(glyph.char, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), glyph.direction)


def _polygon(left: float, top: float, right: float, bottom: float, direction: int, width: int, height: int) -> Polygon:
    """A box of the frame where the text reads left to right, as a page polygon with its
    corners in reading order (the first is the top-left of the text as read), as the OCR
    engine reports turned text, clamped to the page."""
    corners = [_unturn(x, y, direction) for x, y in ((left, top), (right, top), (right, bottom), (left, bottom))]
    clamped = [(min(max(x, 0), width - 1), min(max(y, 0), height - 1)) for x, y in corners]
    return clamped[0], clamped[1], clamped[2], clamped[3]


def _ocr_line(words: Sequence[_Word], direction: int, width: int, height: int) -> OcrLine:
    """A line, and its words, with their polygons on the page (`_polygon`)."""
    left, top = min(word.left for word in words), min(word.top for word in words)
    right, bottom = max(word.right for word in words), max(word.bottom for word in words)
    ocr_words = tuple(
        OcrWord(word.text, 1.0, _polygon(word.left, word.top, word.right, word.bottom, direction, width, height))
        for word in words
    )
    polygon = _polygon(left, top, right, bottom, direction, width, height)
    return OcrLine(" ".join(word.text for word in words), 1.0, polygon, ocr_words)


def _run_directions(glyphs: Sequence[Glyph]) -> list[int]:
    """Each glyph's direction, a space taking that of the text before it: PDFium's
    generated spaces carry no angle, but they separate the words of a turned run too."""
    directions, current = [], Direction.RIGHT
    for glyph in glyphs:
        if not glyph.char.isspace():
            current = glyph.direction
        directions.append(current)
    return directions


def build_lines(glyphs: Sequence[Glyph], width: int, height: int) -> list[OcrLine]:
    """The page's visual lines, boxes inside the page: left-to-right text first, top to
    bottom and left to right, then any turned text (margin notes), each in its own frame."""
    lines: list[OcrLine] = []
    directions = _run_directions(glyphs)
    for direction in range(4):
        upright = [_upright(glyph) for glyph, turn in zip(glyphs, directions, strict=True) if turn == direction]
        if not upright:
            continue
        words = build_words(drop_overprint(upright))
        lines += [_ocr_line(line, direction, width, height) for row in _rows(words) for line in _split_at_gaps(row)]
    return lines
