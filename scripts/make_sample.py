"""Regenerate the sample panel in workbooks/: five experts' filled scoring workbooks for 2026H2.

Run from the repository root: python scripts/make_sample.py
The scores are chosen so that the item-median total is 79.5 (0.5 % deduction, 2,910.00 yuan, as in R4)
and one expert is flagged on one item (R2.4).
"""

from decimal import Decimal
from pathlib import Path

from scoring.contract import default_contract
from scoring.excel import names
from scoring.excel.atomic import save_workbook
from scoring.excel.expert_sheet import build_expert_workbook
from scoring.excel.text import write_text
from scoring.period import parse_period
from scoring.rubric import default_rubric

ITEMS = ("report", "platform", "onsite", "policies", "availability", "incidents", "response",
         "drills", "mlps", "crypto", "data_security", "satisfaction", "training")
SCORES = {
    "张三": ("9.5", "5", "11", "5", "7", "3.5", "6", "7", "4", "0", "10", "6", "4.5"),
    "李四": ("9", "5", "10", "5", "7", "5", "6", "6", "4", "0", "10", "6", "4"),
    "王五": ("10.5", "5.5", "11", "4.5", "7.5", "4", "6", "7", "4", "0", "10", "5", "6"),
    "赵六": ("8", "4", "9", "5", "7", "3", "6", "4", "3", "0", "10", "6", "5"),
    "钱七": ("11", "6", "12", "6", "8", "6", "6", "9", "4", "1", "10", "7", "7"),
}
NOTES = {
    "张三": {"report": "9 月月报 10 月 8 日才提交", "incidents": "8 月故障处理记录不完整"},
    "李四": {"onsite": "考勤表缺 11 月两天"},
    "赵六": {"drills": "仅见 1 次演练照片，预案未更新", "mlps": "测评报告未盖章"},
    "钱七": {"crypto": "密评已启动，尚未取得报告"},
}


def main() -> None:
    rubric, contract, period = default_rubric(), default_contract(), parse_period("2026H2")
    out = Path(__file__).resolve().parent.parent / "workbooks"
    for expert, scores in SCORES.items():
        wb = build_expert_workbook(rubric, contract, period, expert)
        for item_id, text in zip(ITEMS, scores):
            sheet, cell = names.locate(wb, names.score_name(item_id))
            value = Decimal(text)
            wb[sheet][cell].value = int(value) if value == int(value) else float(value)
            note = NOTES.get(expert, {}).get(item_id)
            if note:
                sheet, cell = names.locate(wb, names.note_name(item_id))
                write_text(wb[sheet][cell], note)
        sheet, cell = names.locate(wb, "sign_date")
        wb[sheet][cell].value = __import__("datetime").date(2027, 1, 8)
        save_workbook(wb, out / f"{period.code}_{expert}.xlsx")
        print(out / f"{period.code}_{expert}.xlsx")


if __name__ == "__main__":
    main()
