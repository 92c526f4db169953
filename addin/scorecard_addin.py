"""The secretary's buttons for the xlwings add-in (ribbon tab 数据备份考核): make the panel's expert
workbooks and summarize the collected ones, with the same code as the `scorecard` command.

The parameters come from named cells of the workbook the button is pressed in (sheet 秘书操作 of
workbooks/examples/函数示例.xlsx has them): sc_action (生成评分表 / 汇总), sc_period, sc_experts,
sc_evidence, sc_panel_folder, sc_out, sc_fee. The result or every problem goes to sc_status.
"""

from __future__ import annotations

import xlwings as xw
from xlwings import script

from scoring.errors import InputError, ScorecardError

PARAMETERS = ("sc_action", "sc_period", "sc_experts", "sc_evidence", "sc_panel_folder", "sc_out", "sc_fee")
NEW_PANEL, SUMMARIZE = "生成评分表", "汇总"


def run_action(params: dict[str, object]) -> str:
    """Run the secretary's action described by `params` (named cell -> value); the status text (Chinese)."""
    from scoring import workflow

    def text(key: str) -> str | None:
        value = params.get(key)
        return None if value is None or str(value).strip() == "" else str(value).strip()

    action = text("sc_action") or ""
    try:
        if action == NEW_PANEL:
            paths = workflow.new_panel(text("sc_period") or "", text("sc_experts") or "", text("sc_panel_folder") or "",
                                       evidence=text("sc_evidence"))
            return f"已生成 {len(paths)} 份评分表：{text('sc_panel_folder')}"
        if action == SUMMARIZE:
            fee = params.get("sc_fee")
            fee_text = None if fee in (None, "") else (f"{fee:.2f}" if isinstance(fee, float) else str(fee))
            a = workflow.summarize([text("sc_panel_folder") or ""], text("sc_out") or "", evidence=text("sc_evidence"),
                                   fee=fee_text)
            return (f"已汇总：总分 {float(a.panel.total):g}，等级 {a.grade}，扣款合计 {a.settlement.total} 元，"
                    f"应付 {a.settlement.payable} 元。汇总表：{text('sc_out')}")
        return f"请在 sc_action 中选择“{NEW_PANEL}”或“{SUMMARIZE}”"
    except InputError as exc:
        return "未完成，请修改后重试：\n" + "\n".join(str(p) for p in exc.problems)
    except ScorecardError as exc:
        return f"未完成：{exc}"


def _params(book: xw.Book) -> dict[str, object]:
    values = {}
    for key in PARAMETERS:
        try:
            values[key] = book.names[key].refers_to_range.value
        except Exception:  # a name the workbook does not have
            values[key] = None
    return values


@script
def sc_new_panel(book: xw.Book):
    """生成评分表：按“秘书操作”表的考核期、专家和证据材料，为每位专家生成评分表。"""
    book.names["sc_status"].refers_to_range.value = run_action({**_params(book), "sc_action": NEW_PANEL})


@script
def sc_summarize(book: xw.Book):
    """汇总：校验收回的评分表，生成汇总表，结果写入 sc_status。"""
    book.names["sc_status"].refers_to_range.value = run_action({**_params(book), "sc_action": SUMMARIZE})


def main():
    """The ribbon button: run the action chosen in sc_action of the calling workbook."""
    book = xw.Book.caller()
    book.names["sc_status"].refers_to_range.value = run_action(_params(book))


if __name__ == "__main__":
    xw.Book("函数示例.xlsx").set_mock_caller()
    main()
