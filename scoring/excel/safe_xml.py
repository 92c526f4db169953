"""Parsing a workbook's XML parts safely and fast.

defusedxml refuses entity declarations (billion laughs, external entities), but its parser is the pure-Python
ElementTree XMLParser: about 2.4 times slower than the C one, which is most of reading a panel of 300 expert
sheets. Entities can only be declared in a DTD, so a part with no DOCTYPE cannot declare any: such a part goes
to the C parser (which, like defusedxml, refuses an undeclared entity), anything else to defusedxml. The
DOCTYPE is looked for in the bytes, so only a part encoded compatibly with ASCII (UTF-8, with or without BOM,
as every spreadsheet program writes) takes the fast path; UTF-16 and the like go to defusedxml.
"""

from __future__ import annotations

from typing import Any

_UTF8_BOM = b"\xef\xbb\xbf"


def parse(data: bytes) -> Any:
    """The root Element of an XML part; defusedxml's errors for DTDs with entities, ParseError for bad XML."""
    if (data[:1] == b"<" or data[:3] == _UTF8_BOM) and b"<!DOCTYPE" not in data:
        from xml.etree.ElementTree import fromstring

        return fromstring(data)
    from defusedxml.ElementTree import fromstring as defused_fromstring

    return defused_fromstring(data)
