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
    columns: tuple[Column, ...]
    hint: str


TABLES = (
    TableSpec("outages", "服务中断", (
        Column("开始时间", DATETIME, 18, True), Column("结束时间", DATETIME, 18, True), Column("说明", TEXT, 40),
        Column("通知日期", DATE, 12, optional=True)),
        "每次服务中断一行。计划检修若提前 7 个工作日通知，可填“通知日期”（仅在规则选项 exclude_announced_maintenance=on 时扣除）。"
        "规则选项 availability_period=service-year 时，请填写整个服务年度的中断。"),
    TableSpec("requests", "需求函", (
        Column("编号", TEXT, 12), Column("收到日期", DATE, 12, True), Column("答复日期", DATE, 12),
        Column("说明", TEXT, 40)),
        "每份需求函一行。收到后 3 个工作日内完成备份并答复为按时（收到当天不计）；未答复的按逾期计。"),
    TableSpec("reports", "运行月报", (
        Column("月份", MONTH, 10, True), Column("提交日期", DATE, 12), Column("完整无误", YESNO, 10)),
        "每月一行。月报应在次月 5 日（含）前提交；未填提交日期视为未提交。"),
    TableSpec("incidents", "故障", (
        Column("编号", TEXT, 10), Column("发生时间", DATETIME, 18, True), Column("响应时间", DATETIME, 18),
        Column("到场时间", DATETIME, 18),
        Column("恢复时间", DATETIME, 18, ask="故障等级取决于恢复用时（超过 12 小时为特大，R8），请填写恢复时间"),
        Column("影响系统数", COUNT, 10, ask="故障等级取决于受影响的系统或客户数（5 个以上为特大，R8），请填写数字"),
        Column("数据丢失无法恢复", YESNO, 10, ask="数据丢失无法恢复的为特大故障（R8），请填“是”或“否”"),
        Column("数据泄密", YESNO, 8, ask="数据泄密时“数据安全”不得分（R8），请填“是”或“否”"),
        Column("瞒报漏报", YESNO, 8, ask="瞒报漏报时“故障响应与处理”不得分（R8），请填“是”或“否”"),
        Column("说明", TEXT, 30), Column("发现时间", DATETIME, 18, optional=True)),
        "每起故障一行。要求发现故障后 10 分钟内响应、1 小时内到场、6 小时内排除（从“发现时间”起算，未填发现时间的按发生时间计算）；"
        "存在瞒报漏报的“故障响应与处理”不得分，数据泄密的“数据安全”不得分。"),
    TableSpec("complaints", "投诉与未接电话", (
        Column("日期", DATE, 12, True), Column("类型", CHOICE, 12, True, ("投诉", "未接电话")), Column("说明", TEXT, 40)),
        "每次投诉或未及时接听的服务电话一行；每次使“客户满意度”最高分降低 2 分。"),
    TableSpec("drills", "应急演练", (Column("日期", DATE, 12, True), Column("内容", TEXT, 50)),
              "每次数据恢复应急演练一行（每年不少于 2 次）。年终考核请填写整个服务年度的演练。"),
    TableSpec("trainings", "培训服务", (
        Column("日期", DATE, 12, True), Column("人次", COUNT, 8, True), Column("内容", TEXT, 50)),
        "每次厂家培训一行（每年不少于 4 人次）。年终考核请填写整个服务年度的培训。"),
    TableSpec("holidays", "节假日调整", (
        Column("日期", DATE, 12, True), Column("类型", CHOICE, 10, True, ("休息日", "工作日")), Column("说明", TEXT, 40)),
        "程序内置国务院公布的节假日安排（含调休）。尚未内置的年份（如 2027 年）请在此逐日填写法定节假日（休息日）"
        "和调休上班的周末（工作日）；填写的日期优先于内置安排。只填部分节日时，期限跨越未填写的法定节日"
        "（元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）会报错，请把用到的节日都填上。"),
)

SETTINGS_SHEET = "说明"
TEMPLATE_ROWS = 100  # blank rows each table starts with; rows typed below a table are read too
MAX_ROWS = 100_000  # rows read per table at most: a year of minute-level monitoring outages fits; beyond it a problem, never a silent cut
