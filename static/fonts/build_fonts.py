"""Rebuild the PDF fonts of this folder from Debian's fonts-noto-cjk (README, "PDFs and fonts").

    apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb noto
    python -m venv /tmp/fonts && /tmp/fonts/bin/pip install fonttools
    /tmp/fonts/bin/python static/fonts/build_fonts.py noto/usr/share/fonts/opentype/noto

For Regular and Bold: the Simplified Chinese face (number 2) of the collection, subset to GB 2312 (6,763
characters and its symbols), ASCII, Latin-1 and the common punctuation and symbol blocks; without the
layout, vertical-metrics and baseline tables, which Chinese set horizontally does not need; and with
TrueType outlines instead of CFF, which WeasyPrint's own font subsetting (fontTools, when HarfBuzz's
subsetter is not installed) cuts three times faster. Takes about a minute.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

HERE = Path(__file__).resolve().parent
# The face of the collection NotoSansCJK-*.ttc that maps characters to their Simplified Chinese forms.
SC_FACE = 2
RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x21FF),  # letter-like symbols, number forms (Ⅻ), arrows
    (0x2460, 0x24FF),  # enclosed numbers (①)
    (0x2500, 0x26FF),  # box drawing, shapes, ballot boxes
    (0x2713, 0x2714),  # check marks
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF00, 0xFFEF),  # full-width forms
]
DROP_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]


def gb2312() -> set[int]:
    return {
        ord(char)
        for high in range(0xA1, 0xF8)
        for low in range(0xA1, 0xFF)
        for char in bytes([high, low]).decode("gb2312", "ignore")
    }


def to_truetype(font: TTFont) -> None:
    """CFF outlines to quadratic TrueType ones (after fontTools' Snippets/otf2ttf.py)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["head"].glyphDataFormat = 0
    del font["CFF "]
    font.sfntVersion = "\000\001\000\000"


def build(source: Path, weight: str) -> Path:
    options = subset.Options(layout_features=[], name_IDs=["*"])
    options.drop_tables += DROP_TABLES
    font = TTFont(source / f"NotoSansCJK-{weight}.ttc", fontNumber=SC_FACE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=gb2312() | {c for low, high in RANGES for c in range(low, high + 1)})
    subsetter.subset(font)
    to_truetype(font)
    target = HERE / f"NotoSansCJKsc-{weight}.subset.ttf"
    font.save(target)
    return target


if __name__ == "__main__":
    for weight in ("Regular", "Bold"):
        print(build(Path(sys.argv[1]), weight))
