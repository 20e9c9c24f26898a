"""An invisible font for the searchable PDF's text layer, built in memory (no font file).

The text layer is drawn in render mode 3 (neither filled nor stroked), so its glyphs are
never seen: what matters is that every character can be written, copied and searched,
whatever the script. This is OCRmyPDF's approach (its `GlyphLessFont`, after
Tesseract's): a composite (Type0) font with `Identity-H` encoding, so each character is
written as its 2-byte UTF-16 code; a `ToUnicode` map that reads each code back as that
same character; and one glyph, half an em wide and an em high, that every code draws.
Unlike OCRmyPDF's, that glyph is not empty but the whole em box: PDFium (Chrome's viewer,
and pypdfium2) dropped single-character runs such as `:` and the spaces between words
whose glyphs had no outline, and with one it reports each character's box as the word's
box. Render mode 3 never paints it. The TrueType program is built here with fontTools,
so no font file is shipped or looked up at run time.
"""

from __future__ import annotations

import io
import zlib
from functools import lru_cache

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from pikepdf import Dictionary, Name, Pdf

FONT_NAME = Name("/GlyphLessFont")
UNITS_PER_EM = 1000
# Every glyph's advance: text of n characters at size 1 is n × ADVANCE wide (text space).
ADVANCE = 0.5
_ADVANCE_UNITS = round(ADVANCE * UNITS_PER_EM)
# The encoding writes 2-byte codes, so only the Basic Multilingual Plane has codes; the
# rare character beyond it is written as U+FFFD.
_REPLACEMENT = "\ufffd"
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _em_box() -> object:
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, UNITS_PER_EM))
    pen.lineTo((_ADVANCE_UNITS, UNITS_PER_EM))
    pen.lineTo((_ADVANCE_UNITS, 0))
    pen.closePath()
    return pen.glyph()


@lru_cache(maxsize=1)
def font_program() -> bytes:
    """The TrueType program: an empty `.notdef` and the em-box glyph, both half an em wide."""
    builder = FontBuilder(UNITS_PER_EM, isTTF=True)
    glyphs = [".notdef", "box"]
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({0x20: "box"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "box": _em_box()})
    builder.setupHorizontalMetrics({name: (_ADVANCE_UNITS, 0) for name in glyphs})
    builder.setupHorizontalHeader(ascent=UNITS_PER_EM, descent=0)
    builder.setupNameTable({"familyName": "GlyphLessFont", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=UNITS_PER_EM, sTypoDescender=0, usWinAscent=UNITS_PER_EM, usWinDescent=0)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def encode(text: str) -> bytes:
    """`text` as the font's codes (UTF-16BE, one code per character)."""
    return "".join(char if ord(char) <= 0xFFFF else _REPLACEMENT for char in text).encode("utf-16-be")


def add_font(pdf: Pdf) -> Dictionary:
    """The font's dictionaries, added to `pdf` once; put the returned font in a page's
    `/Resources /Font` to use it there."""
    descriptor = pdf.make_indirect(
        Dictionary(
            Type=Name.FontDescriptor,
            FontName=FONT_NAME,
            Flags=5,  # fixed pitch, symbolic
            FontBBox=[0, 0, _ADVANCE_UNITS, UNITS_PER_EM],
            ItalicAngle=0,
            Ascent=UNITS_PER_EM,
            Descent=0,
            CapHeight=UNITS_PER_EM,
            StemV=80,
            FontFile2=pdf.make_stream(font_program()),
        )
    )
    glyph_one = pdf.make_stream(zlib.compress(b"\x00\x01" * 65536), Filter=Name.FlateDecode)
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=FONT_NAME,
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=descriptor,
        DW=_ADVANCE_UNITS,
        CIDToGIDMap=glyph_one,  # every code draws the empty glyph
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=FONT_NAME,
            Encoding=Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(cid_font)],
            ToUnicode=pdf.make_stream(_TO_UNICODE),
        )
    )
