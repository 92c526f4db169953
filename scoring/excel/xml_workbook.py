"""The package-level parts of the XML renderer (scoring/excel/xml_render.py): workbook.xml with its defined
names moved and the added sheet listed, relationships, custom document properties, content types."""

from __future__ import annotations

import re

from scoring.excel.cellref import SHEETRANGE_RE, absolute_coordinate, quote_sheetname
from scoring.excel.template_logic import Plan
from scoring.excel.template_refs import map_area, map_range, map_row
from scoring.excel.xml_package import TemplatePackage, Unsupported, _attr


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defined_names(pkg: TemplatePackage, plans: dict[str, Plan], names: dict[str, tuple[str, str]]) -> str:
    """<definedNames>: the template's names moved with their rows, print titles and areas, and the `named` cells."""
    titles = [s.title for s in pkg.sheets]
    out = []
    for attrs, text in pkg.names:
        name = attrs.get("name", "")
        if "localSheetId" in attrs:
            title = titles[int(attrs["localSheetId"])]
            plan = plans[title]
            if name == "_xlnm.Print_Titles":
                rows = re.search(r"\$?(\d+):\$?(\d+)", text.split("!")[-1])
                text = (f"{quote_sheetname(title)}!${map_row(plan, int(rows.group(1)), False, None)}:"
                        f"${map_row(plan, int(rows.group(2)), True, None)}")
            else:
                area = text.split(",")[0].split("!")[-1].replace("$", "")
                text = f"{quote_sheetname(title)}!{absolute_coordinate(map_area(area, plan))}"
        elif name in names:
            continue
        else:
            text = _moved(text, plans)
        out.append("<definedName" + "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items()) + f">{_esc(text)}</definedName>")
    for name, (title, coordinate) in names.items():
        out.append(f'<definedName name="{_attr(name)}">{_esc(quote_sheetname(title))}!{absolute_coordinate(coordinate)}'
                   "</definedName>")
    return f"<definedNames>{''.join(out)}</definedNames>" if out else ""


def _moved(text: str, plans: dict[str, Plan]) -> str:
    """A workbook name's references moved (template.py _remap_defined_names); other names as they were."""
    parts = []
    for piece in text.split(","):
        m = SHEETRANGE_RE.fullmatch(piece.strip())
        if not m:
            return text
        title = m.group("notquoted") or (m.group("quoted") or "").replace("''", "'")
        ref = m.group("cells")
        plan = plans.get(title)
        if plan is None:
            return text
        parts.append(f"{quote_sheetname(title)}!{map_area(ref, plan) if ':' in ref else map_range(ref, plan)}")
    return ",".join(parts) if parts else text


def rels(targets: list[tuple[str, str]]) -> bytes:
    body = "".join(f'<Relationship Type="{t}" Target="{target}" Id="rId{n}"/>' for n, (t, target) in enumerate(targets, 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>').encode()


def custom_xml(properties, existing: bytes | None = None) -> bytes:
    """docProps/custom.xml with `properties` added as text properties (after the template's own, if any)."""
    first = max([1] + [int(p) for p in re.findall(rb'\spid="(\d+)"', existing or b"")]) + 1
    body = "".join(f'<property name="{_attr(name)}" fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{k}">'
                   f"<vt:lpwstr>{_esc(str(value))}</vt:lpwstr></property>"
                   for k, (name, value) in enumerate(properties, first)).encode()
    if existing is not None:
        if b"</Properties>" not in existing or not re.search(rb'xmlns:vt="', existing):
            raise Unsupported("custom document properties written in another form")
        return existing.replace(b"</Properties>", body + b"</Properties>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns:vt="http://schemas.openxmlformats.org/'
            'officeDocument/2006/docPropsVTypes" xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
            'properties">').encode() + body + b"</Properties>"


_BOOK_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
               "functionGroups", "externalReferences")


def workbook_xml(pkg: TemplatePackage, names: str, sheet: str) -> bytes:
    """workbook.xml with the defined names replaced, the 图表 sheet listed and openpyxl's calcPr (full calculation on load)."""
    parts = [pkg.workbook_head.decode("utf-8")]
    placed = after_sheets = False
    for name, raw in pkg.workbook_children:
        xml = raw.decode("utf-8")
        if name == "definedNames":
            xml, placed = names, True
        elif name == "calcPr":
            xml = ('' if placed else names) + '<calcPr calcId="124519" fullCalcOnLoad="1"/>'
            placed = True
        elif name == "sheets":
            after_sheets = True
            if sheet:
                xml = xml.replace("</sheets>", sheet + "</sheets>")
        elif after_sheets and name not in _BOOK_ORDER and not placed:  # definedNames follows sheets
            xml, placed = names + xml, True
        parts.append(xml)
    if not placed:
        parts.append(names)
    parts.append("</workbook>")
    return "".join(parts).encode("utf-8")


_OVERRIDE = re.compile(rb'<Override\b[^>]*?PartName="/?([^"]*)"[^>]*/>')


def content_types(data: bytes, dropped: set[str], added: list[tuple[str, str]]) -> bytes:
    """[Content_Types].xml without the dropped parts, with the added ones."""
    gone = {part.encode() for part in dropped}
    data = _OVERRIDE.sub(lambda m: b"" if m.group(1) in gone else m.group(0), data)
    new = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in added).encode()
    return data.replace(b"</Types>", new + b"</Types>")
