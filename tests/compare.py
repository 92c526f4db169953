"""Semantic workbook comparison for golden tests, in the manner of XlsxWriter's comparison tests:
cell values and formulas, number formats, merged cells, defined names, data validations and
conditional formats, sheet by sheet; never byte for byte."""

from __future__ import annotations

import openpyxl


def _cells(ws) -> dict[str, tuple]:
    result = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            value = cell.value
            if isinstance(value, float):
                value = round(value, 9)
            result[cell.coordinate] = (value, cell.number_format)
    return result


def describe(path, ignore: set[tuple[str, str]] = frozenset()) -> dict:
    """Everything the comparison looks at, as plain data; `ignore` names (sheet, cell) pairs to leave out."""
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    sheets = {}
    for ws in wb.worksheets:
        cells = {k: v for k, v in _cells(ws).items() if (ws.title, k) not in ignore}
        values = {k: v for k, v in _cells(cached[ws.title]).items() if (ws.title, k) not in ignore}
        sheets[ws.title] = {
            "cells": cells,
            "cached": values,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted((str(d.sqref), d.type, d.formula1, d.formula2) for d in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), tuple(r.formula[0] if r.formula else "" for r in cf.rules))
                                  for cf in ws.conditional_formatting),
            "print_titles": ws.print_title_rows,
        }
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    return {"sheets": list(wb.sheetnames), "names": names, "detail": sheets}


def differences(got, expected, ignore: set[tuple[str, str]] = frozenset()) -> list[str]:
    """Readable differences between two workbooks (empty when they agree)."""
    a, b = describe(got, ignore), describe(expected, ignore)
    out = []
    if a["sheets"] != b["sheets"]:
        out.append(f"sheets {a['sheets']} != {b['sheets']}")
    for name in sorted(set(a["names"]) | set(b["names"])):
        if a["names"].get(name) != b["names"].get(name):
            out.append(f"name {name}: {a['names'].get(name)} != {b['names'].get(name)}")
    for sheet in b["detail"]:
        if sheet not in a["detail"]:
            continue
        x, y = a["detail"][sheet], b["detail"][sheet]
        for key in ("merged", "validations", "conditional", "print_titles"):
            if x[key] != y[key]:
                out.append(f"{sheet} {key}: {x[key]} != {y[key]}")
        for key in ("cells", "cached"):
            for coord in sorted(set(x[key]) | set(y[key])):
                if x[key].get(coord) != y[key].get(coord):
                    out.append(f"{sheet}!{coord} {key}: {x[key].get(coord)!r} != {y[key].get(coord)!r}")
    return out
