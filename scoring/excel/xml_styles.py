"""The template's styles.xml, kept as written, with the few cell formats rendering adds appended.

openpyxl's path gives a cell a new format when text could be read as a formula (quotePrefix, R: expert
text is text), when a date lands in a cell whose number format shows no date (yyyy-mm-dd, as openpyxl
sets it), and for the 图表 sheet's headers and amounts. Here each such format is a copy of the cell's
<xf> with that one change, appended to <cellXfs>; every other byte of styles.xml stays.
"""

from __future__ import annotations

import re

from scoring.excel.serials import builtin_format_code, is_date_format

_XF = re.compile(rb"<xf\b[^>]*?/>|<xf\b[^>]*?>.*?</xf>", re.S)
_CELLXFS = re.compile(rb"<cellXfs\b[^>]*?(?:/>|>(?P<body>.*?)</cellXfs>)", re.S)
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"|'
                     rb'<numFmt\b[^>]*?formatCode="([^"]*)"[^>]*?numFmtId="(\d+)"')
_FONTS = re.compile(rb"<fonts\b[^>]*?(?:/>|>.*?</fonts>)", re.S)
_BUILTIN_IDS = {builtin_format_code(n): n for n in range(0, 50) if builtin_format_code(n)}


def _unescape(value: bytes) -> str:
    from scoring.excel.xml_render import _unesc

    return _unesc(value.decode("utf-8"))


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _set(xf: bytes, attribute: str, value: str) -> bytes:
    """An <xf> with one attribute set (replaced or added)."""
    pattern = re.compile(rb"\s" + attribute.encode() + rb'="[^"]*"')
    new = f' {attribute}="{value}"'.encode()
    if pattern.search(xf):
        return pattern.sub(new, xf, count=1)
    return re.sub(rb"^<xf\b", b"<xf" + new, xf, count=1)


def _get(xf: bytes, attribute: str, default: str = "0") -> str:
    m = re.search(rb"\s" + attribute.encode() + rb'="([^"]*)"', xf)
    return m.group(1).decode() if m else default


class Styles:
    """styles.xml with derived cell formats; `xml()` gives the bytes to write (the template's when none was added)."""

    def __init__(self, data: bytes):
        self.data = data
        m = _CELLXFS.search(data)
        self.xfs = [x.group(0) for x in _XF.finditer(m.group("body") or b"")] if m else []
        self.formats = {}
        for x in _NUMFMT.finditer(data):
            number, code = (x.group(1), x.group(2)) if x.group(1) else (x.group(4), x.group(3))
            self.formats[int(number)] = _unescape(code)
        self.added: list[bytes] = []
        self.new_formats: dict[str, int] = {}
        self.new_fonts: list[bytes] = []
        self.cache: dict[tuple, str] = {}
        self._sizes: list[float] | None = None  # each font's size, read when first asked (wrapped_size)

    def _xf(self, style: str | None) -> bytes:
        k = int(style or 0)
        if k < len(self.xfs):
            return self.xfs[k]
        return self.xfs[0] if self.xfs else b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'

    def wrapped_size(self, style: str | None) -> float | None:
        """The font size (points) of cells of this format when they wrap their text, else None (row_fit: only
        wrapped text needs taller rows)."""
        k = int(style or 0)
        xf = self.xfs[k] if k < len(self.xfs) else (self.added[k - len(self.xfs)] if k - len(self.xfs) < len(self.added)
                                                     else b"")
        if not re.search(rb"""wrapText=["'](?:1|true)["']""", xf):
            return None
        if self._sizes is None:
            fonts = _FONTS.search(self.data)
            self._sizes = [float(m.group(1)) if m else 11.0 for m in (
                re.search(rb"""<sz\b[^>]*\bval=["']([\d.]+)""", f.group(0))
                for f in re.finditer(rb"<font\b(?:[^>]*?/>|[^>]*>.*?</font>)", fonts.group(0) if fonts else b"", re.S))]
        font = re.search(rb"""\bfontId=["'](\d+)""", xf)
        index = int(font.group(1)) if font else 0
        return self._sizes[index] if index < len(self._sizes) else 11.0

    def _add(self, key: tuple, xf: bytes) -> str:
        if key not in self.cache:
            self.added.append(xf)
            self.cache[key] = str(len(self.xfs) + len(self.added) - 1)
        return self.cache[key]

    def format_code(self, style: str | None) -> str | None:
        number = int(_get(self._xf(style), "numFmtId"))
        return self.formats.get(number) or builtin_format_code(number)

    def quoted(self, style: str | None) -> str:
        """A format like `style` with quotePrefix (text that could be read as a formula)."""
        return self._add(("quote", style), _set(self._xf(style), "quotePrefix", "1"))

    def with_format(self, style: str | None, code: str) -> str:
        """A format like `style` showing numbers as `code` (a built-in id where there is one, as openpyxl does)."""
        number = _BUILTIN_IDS.get(code)
        if number is None:
            number = next((n for n, c in self.formats.items() if c == code and n >= 164), None)
        if number is None:
            number = self.new_formats.get(code)
        if number is None:
            number = max([163, *self.formats, *self.new_formats.values()]) + 1
            self.new_formats[code] = number
        xf = _set(_set(self._xf(style), "numFmtId", str(number)), "applyNumberFormat", "1")
        return self._add(("format", style, code), xf)

    def is_date(self, style: str | None) -> bool:
        return is_date_format(self.format_code(style))

    def with_font(self, key: str, font: bytes) -> str:
        """A plain format (like format 0) with its own font `font` (<font>...</font>)."""
        if ("font", key) not in self.cache:
            fonts = _FONTS.search(self.data)
            existing = len(re.findall(rb"<font\b", fonts.group(0))) if fonts else 0
            self.new_fonts.append(font)
            xf = _set(_set(self._xf(None), "fontId", str(existing + len(self.new_fonts) - 1)), "applyFont", "1")
            return self._add(("font", key), xf)
        return self.cache[("font", key)]

    def xml(self) -> bytes:
        data = self.data
        if not (self.added or self.new_formats or self.new_fonts):
            return data
        if self.new_fonts:
            fonts = _FONTS.search(data)
            if fonts is None:
                raise ValueError("styles.xml without fonts")
            body = fonts.group(0)
            count = len(re.findall(rb"<font\b", body)) + len(self.new_fonts)
            if body.endswith(b"/>"):
                new = b'<fonts count="%d">' % count + b"".join(self.new_fonts) + b"</fonts>"
            else:
                new = _count(body, count).replace(b"</fonts>", b"".join(self.new_fonts) + b"</fonts>")
            data = data[:fonts.start()] + new + data[fonts.end():]
        if self.new_formats:
            entries = b"".join(f'<numFmt numFmtId="{n}" formatCode="{_escape(c)}"/>'.encode()
                               for c, n in self.new_formats.items())
            m = re.search(rb"<numFmts\b[^>]*?(?:/>|>.*?</numFmts>)", data, re.S)
            if m:
                body = m.group(0)
                count = len(re.findall(rb"<numFmt\b", body)) + len(self.new_formats)
                new = (b'<numFmts count="%d">' % count + entries + b"</numFmts>" if body.endswith(b"/>")
                       else _count(body, count).replace(b"</numFmts>", entries + b"</numFmts>"))
                data = data[:m.start()] + new + data[m.end():]
            else:  # numFmts comes first in <styleSheet>
                m = re.search(rb"<styleSheet\b[^>]*>", data)
                new = b'<numFmts count="%d">' % len(self.new_formats) + entries + b"</numFmts>"
                data = data[:m.end()] + new + data[m.end():]
        m = _CELLXFS.search(data)
        count = len(self.xfs) + len(self.added)
        new = b'<cellXfs count="%d">' % count + b"".join(self.xfs + self.added) + b"</cellXfs>"
        return data[:m.start()] + new + data[m.end():]


def _count(element: bytes, count: int) -> bytes:
    """An element's start tag with count="n" set."""
    head_end = element.index(b">")
    head = element[:head_end]
    if re.search(rb'\scount="\d*"', head):
        head = re.sub(rb'\scount="\d*"', b' count="%d"' % count, head, count=1)
    else:
        head += b' count="%d"' % count
    return head + element[head_end:]
