"""The evidence workbook's tables, columns and kinds of value (interfaces.md §2), shared by writer and reader."""

from __future__ import annotations

from dataclasses import dataclass

DATETIME, DATE, MONTH, TEXT, YESNO, COUNT, CHOICE = "datetime", "date", "month", "text", "yesno", "count", "choice"
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header, kind of value, width, whether a row needs it, and its choices."""

    header: str
    kind: str
    width: int = 14
    required: bool = False
    choices: tuple[str, ...] = ()
    optional: bool = False  # a column added later: workbooks made before it still load without it
    ask: str = ""  # a blank here would change a result: the row is refused with this question (not a default)


@dataclass(frozen=True)
class TableSpec:
    """One Excel table (ListObject) of the evidence workbook, on its own sheet."""

    name: str
    sheet: str
    columns: tuple[Column, ...]  # the line of guidance above each: scoring/excel/evidence_hints.py


TABLES = (
    TableSpec("outages", "服务中断", (
        Column("开始时间", DATETIME, 18, True), Column("结束时间", DATETIME, 18, True), Column("说明", TEXT, 40),
        Column("通知日期", DATE, 12, optional=True))),
    TableSpec("requests", "需求函", (
        Column("编号", TEXT, 12), Column("收到日期", DATE, 12, True), Column("答复日期", DATE, 12),
        Column("说明", TEXT, 40))),
    TableSpec("reports", "运行月报", (
        Column("月份", MONTH, 10, True), Column("提交日期", DATE, 12), Column("完整无误", YESNO, 10))),
    TableSpec("incidents", "故障", (
        Column("编号", TEXT, 10), Column("发生时间", DATETIME, 18, True), Column("响应时间", DATETIME, 18),
        Column("到场时间", DATETIME, 18),
        Column("恢复时间", DATETIME, 18, ask="故障等级取决于恢复用时（R8），请填写恢复时间"),
        Column("影响系统数", COUNT, 10, ask="故障等级取决于受影响的系统或客户数（R8），请填写数字"),
        Column("数据丢失无法恢复", YESNO, 10, ask="数据丢失无法恢复的为特大故障（R8），请填“是”或“否”"),
        Column("数据泄密", YESNO, 8, ask="数据泄密与否决定数据安全的得分（R8），请填“是”或“否”"),
        Column("瞒报漏报", YESNO, 8, ask="瞒报漏报的故障处理不得分（R8），请填“是”或“否”"),
        Column("说明", TEXT, 30), Column("发现时间", DATETIME, 18, optional=True))),
    TableSpec("complaints", "投诉与未接电话", (
        Column("日期", DATE, 12, True), Column("类型", CHOICE, 12, True, ("投诉", "未接电话")), Column("说明", TEXT, 40))),
    TableSpec("drills", "应急演练", (Column("日期", DATE, 12, True), Column("内容", TEXT, 50))),
    TableSpec("trainings", "培训服务", (
        Column("日期", DATE, 12, True), Column("人次", COUNT, 8, True), Column("内容", TEXT, 50))),
    TableSpec("holidays", "节假日调整", (
        Column("日期", DATE, 12, True), Column("类型", CHOICE, 10, True, ("休息日", "工作日")), Column("说明", TEXT, 40))),
)

SETTINGS_SHEET = "说明"
TEMPLATE_ROWS = 100  # blank rows each table starts with; rows typed below a table are read too
MAX_ROWS = 100_000  # rows read per table at most: a year of minute-level monitoring outages fits; beyond it a problem, never a silent cut
