"""Workbook-level defined names (interfaces.md §2): adding them and finding their cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring.excel.cellref import absolute_coordinate, quote_sheetname

if TYPE_CHECKING:  # the readers (scoring/excel/lean.py) use locate() without importing openpyxl
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# Expert scoring workbook.
EXPERT_NAME, PERIOD, CONTRACT_ID, RUBRIC_VERSION = "expert_name", "period", "contract_id", "rubric_version"
COVER_NAMES = (EXPERT_NAME, PERIOD, CONTRACT_ID, RUBRIC_VERSION)
# Optional (interfaces.md §4): workbooks made before these names existed still load, without a dissent.
DISSENT, DISSENT_REASON = "dissent", "dissent_reason"


def score_name(item_id: str) -> str:
    """Defined name of an item's score cell in an expert workbook."""
    return f"score_{item_id}"


def note_name(item_id: str) -> str:
    """Defined name of an item's note cell in an expert workbook."""
    return f"note_{item_id}"


def define(wb: Workbook, name: str, ws: Worksheet, coordinate: str) -> None:
    """Give one cell of `ws` a workbook-level name."""
    import scoring.excel.openpyxl_without_numpy  # noqa: F401
    from openpyxl.workbook.defined_name import DefinedName

    ref = f"{quote_sheetname(ws.title)}!{absolute_coordinate(coordinate)}"
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def locate(wb: Workbook, name: str) -> tuple[str, str] | None:
    """(sheet title, cell coordinate) of a single-cell defined name, or None when missing or not one cell."""
    memo = getattr(wb, "located", None)  # the lean view's, shared by a panel's sheets (scoring/excel/lean.py)
    if memo is None:
        return _locate(wb, name)
    if name not in memo:
        memo[name] = _locate(wb, name)
    return memo[name]


def _locate(wb: Workbook, name: str) -> tuple[str, str] | None:
    defined = wb.defined_names.get(name)
    if defined is None:
        return None
    try:
        destinations = list(defined.destinations)
    except Exception:  # malformed reference text
        return None
    if len(destinations) != 1:
        return None
    sheet, ref = destinations[0]
    ref = ref.replace("$", "")
    if ":" in ref or sheet not in wb.sheetnames:
        return None
    return sheet, ref
