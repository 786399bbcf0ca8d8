"""Reading a PDF the way a reader gets it: every character that is drawn, where it is drawn.

pdfminer.six gives each character's box. It does not read a Type0 font whose /Encoding is an
embedded CMap stream (pdfminer/pdfminer.six#1072), and WeasyPrint 70 writes its fonts that way,
so pdfminer would see no text at all. `_embedded_encoding` reads such a CMap (codes to CIDs, the
`begincidchar` and `begincidrange` blocks) and is used only for fonts that have one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pdfminer import pdffont
from pdfminer.cmapdb import CMap
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent
from pdfminer.pdftypes import PDFStream, resolve1

MM = 72 / 25.4  # PDF points per millimetre

_BLOCK = re.compile(rb"begincid(char|range)(.*?)endcid\1", re.S)
_CHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*(\d+)")
_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)")


def _embedded_encoding(data: bytes) -> CMap:
    cmap = CMap()

    def add(code: bytes, cid: int) -> None:
        node = cmap.code2cid
        for byte in code[:-1]:
            node = node.setdefault(byte, {})
        node[code[-1]] = cid

    for kind, body in _BLOCK.findall(data):
        if kind == b"char":
            for code, cid in _CHAR.findall(body):
                add(bytes.fromhex(code.decode()), int(cid))
        else:
            for low, high, cid in _RANGE.findall(body):
                width = len(low) // 2
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    add((int(low, 16) + offset).to_bytes(width, "big"), int(cid) + offset)
    return cmap


_original_get_cmap = pdffont.PDFCIDFont.get_cmap_from_spec


def _get_cmap_from_spec(self, spec, strict):
    encoding = resolve1(spec.get("Encoding"))
    if isinstance(encoding, PDFStream):
        return _embedded_encoding(encoding.get_data())
    return _original_get_cmap(self, spec, strict)


pdffont.PDFCIDFont.get_cmap_from_spec = _get_cmap_from_spec


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    baseline: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)

    def lines(self, *, left: float = 0, right: float | None = None) -> list[str]:
        """The text between x=left and x=right, line by line from the top (the characters on one
        baseline, left to right)."""
        rows = _rows(self, left, self.width if right is None else right)
        return ["".join(c.text for c in sorted(row, key=lambda c: c.x0))
                for _y, row in sorted(rows.items(), key=lambda item: -item[0])]

    @property
    def text(self) -> str:
        return "\n".join(self.lines())

    def find(self, text: str) -> Char | None:
        """The first character of `text` where it occurs on one line of this page."""
        rows: dict[float, list[Char]] = {}
        for char in self.chars:
            rows.setdefault(char.baseline, []).append(char)
        for _y, row in sorted(rows.items(), key=lambda item: -item[0]):
            row.sort(key=lambda c: c.x0)
            line = "".join(c.text for c in row)
            at = line.find(text)
            if at >= 0:
                # A character may stand for several code points (an emoji sequence).
                position = 0
                for char in row:
                    if position == at:
                        return char
                    position += len(char.text)
        return None


def read_pdf(content: bytes) -> list[Page]:
    pages = []
    # Characters only: no layout analysis (it would regroup text across columns).
    for number, layout in enumerate(extract_pages(io.BytesIO(content), laparams=None), start=1):
        page = Page(number, layout.width, layout.height)

        def walk(item, page=page):
            if isinstance(item, LTChar):
                page.chars.append(Char(item.get_text(), item.x0, item.x1, item.y0, item.y1,
                                       round(item.matrix[5], 1)))
            elif isinstance(item, LTComponent) and hasattr(item, "__iter__"):
                for child in item:
                    walk(child)

        for item in layout:
            walk(item)
        pages.append(page)
    return pages


def squeezed(text: str) -> str:
    """Text without any white space: where a line wraps is up to the layout."""
    return "".join(text.split())


def column_text(pages: list[Page], headers: list[str], column: str, *, until: str, top_margin: float,
                slack: float = 0.5) -> str:
    """The text of one column of a table whose header row is `headers`, page after page, down to
    the first line holding `until` (the text right after the table). The column lies between its
    header and the next one's, as found on the last page that showed the header row (a page that
    continues a long row may not repeat it); the page's top margin (its running header) is left out."""
    parts: list[str] = []
    wanted = squeezed("".join(headers))
    at = headers.index(column)
    left = right = None
    for page in pages:
        lines = sorted(_rows(page, 0, page.width).items(), key=lambda item: -item[0])
        row = next((row for _y, row in lines
                    if squeezed("".join(c.text for c in sorted(row, key=lambda c: c.x0))) == wanted), None)
        top = page.height - top_margin
        if row is not None:
            row.sort(key=lambda c: c.x0)
            # Where each header begins: after the characters of the headers before it.
            offsets = [len(squeezed("".join(headers[:n]))) for n in range(len(headers))]
            ink = [char for char in row if char.text.strip()]
            starts = [ink[offset].x0 for offset in offsets]
            left = starts[at] - slack
            right = starts[at + 1] - slack if at + 1 < len(headers) else page.width
            top = row[0].baseline
        if left is None:
            continue
        stop = page.find(until)
        floor = stop.baseline if stop is not None else -1.0
        parts.extend("".join(c.text for c in sorted(line, key=lambda c: c.x0))
                     for y, line in sorted(_rows(page, left, right).items(), key=lambda item: -item[0])
                     if floor < y < top)
        if stop is not None:
            break
    return "\n".join(parts)


def _rows(page: Page, left: float, right: float) -> dict[float, list[Char]]:
    rows: dict[float, list[Char]] = {}
    for char in page.chars:
        if left <= char.x0 and char.x1 <= right:
            rows.setdefault(char.baseline, []).append(char)
    return rows


def body_text(pages: list[Page], *, top_margin: float, bottom_margin: float) -> str:
    """The text inside the pages' margins, page after page: without the running header and footer,
    so that a paragraph broken over two pages reads on."""
    lines = []
    for page in pages:
        rows = _rows(page, 0, page.width)
        lines.extend("".join(c.text for c in sorted(row, key=lambda c: c.x0))
                     for y, row in sorted(rows.items(), key=lambda item: -item[0])
                     if bottom_margin <= y <= page.height - top_margin)
    return "\n".join(lines)
