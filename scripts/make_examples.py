"""Build workbooks/examples/函数示例.xlsx: each SC_* function beside the closest native formula, and the
秘书操作 sheet that the add-in's button reads. Run from the repository root: python scripts/make_examples.py

Both columns carry the Python engine's values as cached values, so the workbook shows numbers even
where the add-in is not installed (Excel then shows #NAME? after recalculating the SC_ column).
"""

import io
import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "addin"))

import udfs  # noqa: E402  (the add-in's functions, run here in Python for the cached values)

from scoring.excel import names, style  # noqa: E402
from scoring.excel.atomic import write_atomic  # noqa: E402
from scoring.excel.cached import with_cached_values  # noqa: E402

OUT = ROOT / "workbooks" / "examples" / "函数示例.xlsx"

# (label, inputs in C..G, native formula, SC_ formula, engine value, note); {r} is the row
ROWS = [
    ("考核等级（R3）", [79.5], '=IF(C{r}>=90,"优秀",IF(C{r}>=80,"良好",IF(C{r}>=60,"合格","不合格")))',
     "=sc_grade(C{r})", udfs.sc_grade(79.5), "相同"),
    ("扣款比例（R4）", [76.5], "=IF(C{r}>=80,0,IF(C{r}>=60,(80-C{r})/100,0.5))", "=sc_deduction_rate(C{r})",
     udfs.sc_deduction_rate(76.5), "相同"),
    ("扣款金额（R4，元）", [76.5, 582000], "=ROUND(D{r}*IF(C{r}>=80,0,IF(C{r}>=60,(80-C{r})/100,0.5)),2)",
     "=sc_deduction(C{r},D{r})", udfs.sc_deduction(76.5, 582000), "相同：20,370.00"),
    ("年终密评未通过（R5，元）", [76.5, 582000, "是"], '=ROUND(D{r}*(80-C{r})/100,2)+IF(E{r}="是",20000,0)',
     "=sc_deduction(C{r},D{r},E{r})", udfs.sc_deduction(76.5, 582000, "是"), "相同：40,370.00"),
    ("答复期限（R7）", [datetime(2026, 9, 30), 3], "=WORKDAY(C{r},D{r})", "=sc_deadline(C{r},D{r})",
     udfs.sc_deadline(datetime(2026, 9, 30), 3), "WORKDAY 不知道国庆假期和 10 月 10 日（周六）调休上班，得 10-05；正确为 10-10"),
    ("工作日数（R7）", [datetime(2026, 10, 1), datetime(2026, 10, 12)], "=NETWORKDAYS(C{r},D{r})",
     "=sc_workdays(C{r},D{r})", udfs.sc_workdays(datetime(2026, 10, 1), datetime(2026, 10, 12)),
     "NETWORKDAYS 得 8；按法定节假日和调休为 4（10-08、10-09、10-10、10-12）"),
    ("可用性档次（R6）", [0.999804], '=IF(C{r}>0.9998,"7–8",IF(C{r}>0.9986,"3–6","0–3"))',
     "=sc_availability_band(C{r})", udfs.sc_availability_band(0.999804), "相同"),
    ("故障等级（R8）", [3, 4, "否", "否"],
     '=IF(OR(C{r}>=5,D{r}>12,E{r}="是",F{r}="是"),"特大",IF(OR(C{r}>=2,D{r}>2),"严重","一般"))',
     "=sc_incident_level(C{r},D{r},E{r},F{r})", udfs.sc_incident_level(3, 4, "否", "否"), "相同"),
    ("逾期付款违约金（R10，元）", [579090, datetime(2027, 4, 1), datetime(2027, 5, 6)], "=ROUND(C{r}*0.0005*MAX(0,E{r}-D{r}),2)",
     "=sc_late_payment(C{r},D{r},E{r})", udfs.sc_late_payment(579090, datetime(2027, 4, 1), datetime(2027, 5, 6)),
     "相同：10,134.08（逾期 35 天，超过 30 天乙方可解除合同）"),
    ("得分检查", ["availability", 8, 0.99979], "", '=sc_check(C{r},D{r},E{r})',
     udfs.sc_check("availability", 8, 0.99979), "无对应的原生公式"),
]
PANEL = [[9.5, 9, 10.5, 8, 11], [5, 5, 5.5, 4, 6], [11, 10, 11, 9, 12]]


def sample_panel() -> list[list[float]]:
    """The sample panel (workbooks/2026H2_*.xlsx, read by the core): 13 items in rubric order by 5 experts."""
    from scoring.excel.reader import read_panel
    from scoring.rubric import default_rubric

    rubric = default_rubric()
    sheets, problems = read_panel(sorted((ROOT / "workbooks").glob("2026H2_*.xlsx")), rubric, "hebi-backup-2026")
    assert not problems, problems
    return [[float(sheet.scores[item.id]) for sheet in sheets] for item in rubric.items]


SCORECARD_FEE = 582000


def functions_sheet(wb):
    ws = wb.active
    ws.title = "函数示例"
    ws.merge_cells("A1:J1")
    ws["A1"] = "scorecard 函数与原生公式对照（安装 xlwings 插件后 SC_ 函数列会重新计算；WPS、LibreOffice 请看原生公式列和命令行结果）"
    ws["A1"].font, ws["A1"].alignment = style.HEADER, style.WRAP
    ws.row_dimensions[1].height = 32
    headers = ["用途", "", "输入 1", "输入 2", "输入 3", "输入 4", "原生公式", "SC_ 函数", "", "说明"]
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(2, col, text)
        cell.font, cell.fill = style.HEADER, style.HEADER_FILL
    cached = {}
    for r, (label, inputs, native, udf, value, note) in enumerate(ROWS, start=3):
        ws.cell(r, 1, label)
        for k, v in enumerate(inputs):
            cell = ws.cell(r, 3 + k, v)
            if isinstance(v, datetime):
                cell.number_format = "yyyy-mm-dd"
        if native:
            ws.cell(r, 7, native.format(r=r))
            cached[ws.cell(r, 7).coordinate] = value if "相同" in note else _native_value(label, value)
        ws.cell(r, 8, udf.format(r=r))
        cached[ws.cell(r, 8).coordinate] = value
        for col in (7, 8):
            if isinstance(value, datetime):
                ws.cell(r, col).number_format = "yyyy-mm-dd"
        ws.cell(r, 10, note).alignment = style.WRAP
    top = 3 + len(ROWS) + 1
    ws.cell(top, 1, "小组得分（R2.3）：每行一个分项、每列一位专家").font = style.BOLD
    for i, row in enumerate(PANEL):
        for k, v in enumerate(row):
            ws.cell(top + 1 + i, 3 + k, v)
        ws.cell(top + 1 + i, 8 + 1, f"=MEDIAN(C{top + 1 + i}:G{top + 1 + i})")
        cached[ws.cell(top + 1 + i, 9).coordinate] = udfs.sc_panel([row])[0][0]
    ws.cell(top + 1, 8, f"=sc_panel(C{top + 1}:G{top + len(PANEL)})")
    cached[ws.cell(top + 1, 8).coordinate] = udfs.sc_panel(PANEL)[0][0]
    ws.cell(top, 8, "SC_PANEL（溢出为一列）").font = style.BOLD
    ws.cell(top, 9, "MEDIAN（原生）").font = style.BOLD
    for col, width in zip("ABCDEFGHIJ", (24, 2, 14, 14, 12, 10, 14, 14, 14, 60)):
        ws.column_dimensions[col].width = width
    return ws, cached


def scorecard_sheet(wb):
    """SC_SCORECARD beside native formulas that compute the same rows (R2.3 item median, R3, R4): MEDIAN per
    item, SUM per category, IF for the grade and the rate, ROUND(fee x rate, 2) for the deduction."""
    from scoring.rubric import default_rubric

    rubric = default_rubric()
    ws = wb.create_sheet("整张考核表")
    ws.merge_cells("A1:J1")
    ws["A1"] = ("整张考核表：B–F 为 5 位专家的评分（示例评分表），G 为原生公式（WPS、LibreOffice 可用），"
                "I:J 为 SC_SCORECARD（数组公式，占 I3:J27 两列；Excel 365 中也可在 I3 输入公式自动溢出）")
    ws["A1"].font, ws["A1"].alignment = style.HEADER, style.WRAP
    ws.row_dimensions[1].height = 48
    for col, text in enumerate(["项目", "专家1", "专家2", "专家3", "专家4", "专家5", "原生公式", "", "SC_SCORECARD"], 1):
        cell = ws.cell(2, col, text)
        cell.font, cell.fill = style.HEADER, style.HEADER_FILL
    panel = sample_panel()
    rows = udfs.sc_scorecard(panel, SCORECARD_FEE)
    cached, r = {}, 3
    item_row = {}
    for item, scores in zip(rubric.items, panel):
        ws.cell(r, 1, item.name)
        for k, v in enumerate(scores):
            ws.cell(r, 2 + k, v)
        ws.cell(r, 7, f"=MEDIAN(B{r}:F{r})")
        item_row[item.id] = r
        r += 1
    for category in rubric.categories:
        ws.cell(r, 1, f"{category.name}（小计）")
        ws.cell(r, 7, "=" + "+".join(f"G{item_row[i.id]}" for i in category.items))
        r += 1
    first, last = 3 + len(rubric.items), r - 1
    total, grade, rate, fee, assessment, crypto, deduction, payable = range(r, r + 8)
    natives = [
        ("总分", f"=SUM(G{first}:G{last})"),
        ("等级", f'=IF(G{total}>=90,"优秀",IF(G{total}>=80,"良好",IF(G{total}>=60,"合格","不合格")))'),
        ("扣款比例", f"=IF(G{total}>=80,0,IF(G{total}>=60,(80-G{total})/100,0.5))"),
        ("服务费", SCORECARD_FEE),
        ("考核扣款", f"=ROUND(G{fee}*G{rate},2)"),
        ("密评扣款", 0),
        ("扣款合计", f"=G{assessment}+G{crypto}"),
        ("应付服务费", f"=G{fee}-G{deduction}"),
    ]
    for label, formula in natives:
        ws.cell(r, 1, label)
        ws.cell(r, 7, formula)
        r += 1
    for k, (label, value) in enumerate(rows, start=3):
        assert ws.cell(k, 1).value == label, (k, label)
        if isinstance(ws.cell(k, 7).value, str) and ws.cell(k, 7).value.startswith("="):
            cached[ws.cell(k, 7).coordinate] = value
    # a legacy array formula over the result's 25 x 2 cells: every Excel version shows the whole table
    # (openpyxl writes no cached values for it; Excel and the add-in compute them)
    last = 2 + len(rows)
    ws["I3"] = ArrayFormula(f"I3:J{last}", f"=sc_scorecard(B3:F{2 + len(rubric.items)},G{fee})")
    for col, width in zip("ABCDEFGHIJ", (20, 8, 8, 8, 8, 8, 14, 2, 20, 14)):
        ws.column_dimensions[col].width = width
    return cached


def _native_value(label, value):
    if label.startswith("答复期限"):
        return datetime(2026, 10, 5)
    if label.startswith("工作日数"):
        return 8
    return value


def secretary_sheet(wb):
    ws = wb.create_sheet("秘书操作")
    ws.merge_cells("A1:C1")
    ws["A1"] = "秘书操作（Windows 版 Excel 安装 scorecard 插件后，点“数据备份考核”选项卡上的按钮：准备考核期、分发评分表、汇总、打开最近的汇总表）"
    ws["A1"].font = style.HEADER
    rows = [("操作", "sc_action", "汇总", "按钮已指定操作；此格供自己绑定的按钮（scorecard_addin.main）使用"),
            ("考核期", "sc_period", "2026H2", "如 2026H2、2027H1"),
            ("专家", "sc_experts", "张三,李四,王五,赵六,钱七", "逗号分隔，3 名以上单数"),
            ("证据材料", "sc_evidence", r"C:\考核\2026H2\证据材料.xlsx", "可留空"),
            ("评分表文件夹", "sc_panel_folder", r"C:\考核\2026H2\评分表", "生成到这里，也从这里汇总"),
            ("汇总表", "sc_out", r"C:\考核\2026H2\汇总.xlsx", "汇总时写入"),
            ("当次服务费（元）", "sc_fee", 582000, "留空为合同年服务费的一半"),
            ("结果", "sc_status", "", "程序写入")]
    for r, (label, name, value, hint) in enumerate(rows, start=3):
        ws.cell(r, 1, label).font = style.BOLD
        cell = ws.cell(r, 2, value)
        cell.fill = style.INPUT_FILL if name != "sc_status" else style.TOTAL_FILL
        ws.cell(r, 3, hint).font = style.SMALL
        names.define(wb, name, ws, cell.coordinate)
    dv = DataValidation(type="list", formula1='"准备考核期,生成评分表,汇总,打开汇总表"', allow_blank=False)
    dv.add("B3")
    ws.add_data_validation(dv)
    ws["B10"].alignment = style.WRAP_TOP
    ws.row_dimensions[10].height = 80
    for col, width in zip("ABC", (18, 48, 30)):
        ws.column_dimensions[col].width = width


def main():
    wb = Workbook()
    _, cached = functions_sheet(wb)
    whole = scorecard_sheet(wb)
    secretary_sheet(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = with_cached_values(buffer.getvalue(), {"函数示例": cached, "整张考核表": whole})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(OUT, lambda handle: handle.write(data))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
