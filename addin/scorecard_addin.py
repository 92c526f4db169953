"""The secretary's buttons of the ribbon add-in (tab 数据备份考核, addin/vba/ScorecardRibbon.bas): prepare
the period, hand out the expert workbooks, summarize the collected ones, open the last summary; each
runs the same code as the `scorecard` command (scoring.workflow).

The parameters come from named cells of the workbook that is active when a button is pressed (sheet
秘书操作 of workbooks/examples/函数示例.xlsx has them): sc_period, sc_experts, sc_evidence,
sc_panel_folder, sc_out, sc_fee; the result, or every problem, goes to sc_status.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from scoring.errors import InputError, ScorecardError
from scoring.numbers import format_number

PARAMETERS = ("sc_action", "sc_period", "sc_experts", "sc_evidence", "sc_panel_folder", "sc_out", "sc_fee")
PREPARE, NEW_PANEL, SUMMARIZE, OPEN = "准备考核期", "生成评分表", "汇总", "打开汇总表"


def _text(params: dict[str, object], key: str) -> str | None:
    value = params.get(key)
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _told(notices: list[str]) -> str:
    """The notices the command line prints on stderr, under the result the button shows (a year typed 2025 in the
    evidence is told here too, not dropped in silence)."""
    return "".join(f"\n{line}" for line in notices)


def _fee(value: object) -> str | None:
    """The fee cell as the CLI's --fee text (a float from Excel: its 15-digit value, to the cent)."""
    if value in (None, ""):
        return None
    if isinstance(value, float):
        from scoring.functions import excel_decimal

        return str(excel_decimal(value))
    return str(value).strip()


def last_summary(params: dict[str, object]) -> Path | None:
    """sc_out if it exists, else the newest .xlsx summary in its folder (or in the panel folder)."""
    out = _text(params, "sc_out")
    if out and Path(out).is_file():
        return Path(out)
    folder = Path(out).parent if out else Path(_text(params, "sc_panel_folder") or ".")
    candidates = sorted((p for p in folder.glob("*汇总*.xlsx") if not p.name.startswith("~$")),
                        key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def run_action(params: dict[str, object]) -> str:
    """Run the secretary's action named by sc_action; the status text (Chinese)."""
    from scoring import workflow

    action = _text(params, "sc_action") or ""
    try:
        if action == PREPARE:
            evidence = _text(params, "sc_evidence") or ""
            if evidence and Path(evidence).exists():  # a filled evidence workbook is never overwritten
                return f"证据材料表已存在，未覆盖：{evidence}（需要新表请换一个文件名）"
            path = workflow.evidence_template(_text(params, "sc_period") or "", _text(params, "sc_evidence") or "")
            return f"已生成空白证据材料表：{path}（填写后再分发评分表）"
        notices: list[str] = []  # what the command line prints on stderr (rows outside the period, skipped files)
        if action == NEW_PANEL:
            paths = workflow.new_panel(_text(params, "sc_period") or "", _text(params, "sc_experts") or "",
                                       _text(params, "sc_panel_folder") or "", evidence=_text(params, "sc_evidence"),
                                       notices=notices)
            return f"已生成 {len(paths)} 份评分表：{_text(params, 'sc_panel_folder')}" + _told(notices)
        if action == SUMMARIZE:
            a = workflow.summarize([_text(params, "sc_panel_folder") or ""], _text(params, "sc_out") or "",
                                   evidence=_text(params, "sc_evidence"), fee=_fee(params.get("sc_fee")), notices=notices)
            return (f"已汇总：总分 {format_number(a.panel.total)}，等级 {a.grade}，扣款合计 {a.settlement.total:,.2f} 元，"
                    f"应付 {a.settlement.payable:,.2f} 元。汇总表：{_text(params, 'sc_out')}" + _told(notices))
        if action == OPEN:
            path = last_summary(params)
            if path is None:
                return "还没有汇总表：请先点“汇总”"
            if sys.platform.startswith("win"):
                os.startfile(path)  # noqa: S606 - opens the workbook in Excel
            return f"已打开：{path}"
        return f"请在 sc_action 中选择“{PREPARE}”“{NEW_PANEL}”“{SUMMARIZE}”或“{OPEN}”"
    except InputError as exc:
        return "未完成，请修改后重试：\n" + "\n".join([str(p) for p in exc.problems] + exc.advice)
    except ScorecardError as exc:
        return f"未完成：{exc}"


def _params(book) -> dict[str, object]:
    values = {}
    for key in PARAMETERS:
        try:
            values[key] = book.names[key].refers_to_range.value
        except Exception:  # a name the workbook does not have
            values[key] = None
    return values


def _button(action: str | None) -> None:
    """A ribbon button: the action on the active workbook's named cells, the status into sc_status."""
    import xlwings as xw

    book = xw.Book.caller()
    params = _params(book)
    if action is not None:
        params["sc_action"] = action
    status = run_action(params)
    try:
        book.names["sc_status"].refers_to_range.value = status
    except Exception:  # no sc_status cell: tell the user in a message box
        xw.apps.active.alert(status, title="数据备份考核")


def prepare_period():
    """准备考核期：生成本期的空白证据材料表（sc_period -> sc_evidence）。"""
    _button(PREPARE)


def hand_out_sheets():
    """分发评分表：为每位专家生成评分表（sc_period、sc_experts、sc_evidence -> sc_panel_folder）。"""
    _button(NEW_PANEL)


def summarize_panel():
    """汇总：校验收回的评分表，生成汇总表（sc_panel_folder、sc_evidence、sc_fee -> sc_out）。"""
    _button(SUMMARIZE)


def open_last_summary():
    """打开最近的汇总表（sc_out，或其文件夹中最新的汇总表）。"""
    _button(OPEN)


def main():
    """Run the action chosen in sc_action (kept for workbooks that bind a button to it)."""
    _button(None)
