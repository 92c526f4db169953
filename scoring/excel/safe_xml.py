"""Parsing a workbook's XML parts safely and fast.

defusedxml refuses entity declarations (billion laughs, external entities), but its parser is the pure-Python
ElementTree XMLParser: about 2.4 times slower than the C one, which is most of reading a panel of 300 expert
sheets. Entities can only be declared in a DTD, so a part with no DOCTYPE cannot declare any: such a part goes
to the C parser (which, like defusedxml, refuses an undeclared entity), anything else to defusedxml. The
DOCTYPE is looked for in the bytes, so only a part encoded compatibly with ASCII (UTF-8, with or without BOM,
as every spreadsheet program writes) takes the fast path; UTF-16 and the like go to defusedxml.
"""

from __future__ import annotations

import re
from typing import Any

_UTF8_BOM = b"\xef\xbb\xbf"
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)""")


def is_utf8(data: bytes) -> bool:
    """Whether the part is UTF-8 by its own account: "<" first (after a UTF-8 byte-order mark), no NUL among
    the first bytes (UTF-16 without a byte-order mark also begins with b"<"), and an XML declaration, if any,
    naming no other encoding. Only then does a bytes scan for "<!DOCTYPE" see every DTD."""
    head = data[3:] if data[:3] == _UTF8_BOM else data
    if head[:1] != b"<" or b"\x00" in head[:4]:
        return False
    if not head.startswith(b"<?xml"):
        return True
    declared = _ENCODING.search(head[:head.find(b"?>")])
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def parse(data: bytes) -> Any:
    """The root Element of an XML part; defusedxml's errors for DTDs with entities, ParseError for bad XML."""
    if is_utf8(data) and b"<!DOCTYPE" not in data:
        from xml.etree.ElementTree import fromstring

        return fromstring(data)
    from defusedxml.ElementTree import fromstring as defused_fromstring

    return defused_fromstring(data)
