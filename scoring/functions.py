"""The SC_* spreadsheet functions (interfaces.md §3) as plain Python, shared by the xlwings add-in and
xlwings Lite. Arguments arrive the way Excel passes them (numbers as float, dates as datetime or
serial numbers, text, full-width digits, booleans, None for blanks, ranges as lists of rows); a bad
argument gives a short Chinese message for the cell, never an exception.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import chain
from typing import Any, Callable

from scoring import vectorized
from scoring.calendar import CalendarYearMissing
from scoring.errors import BadArgument, InputError, Problem, cell_text
from scoring.numbers import format_number, parse_decimal

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 date system, after its leap-year bug)
EXCEL_DIGITS = 15  # Excel keeps and shows 15 significant digits: 0.1 + 0.2 is 0.3 in a cell
# Error values as xlwings passes them (desktop with err_to_str, and Lite/Office.js always).
EXCEL_ERRORS = frozenset(("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!"))


CONTRACT_ENV = "SCORECARD_CONTRACT"  # a contract TOML for the SC_* functions; default: the embedded contract


def active_contract() -> tuple[Any, Any]:
    """(contract, rubric) the SC_* functions use: the file named by SCORECARD_CONTRACT, else the embedded one."""
    contract, rubric, _ = _load(_contract_path())
    return contract, rubric


def contract_policies() -> Any:
    """The active contract's own policies (R2.3 aggregation, R3 grade bounds): what a function's omitted
    aggregation or bounds argument means, as `summarize` without --policy."""
    return _policies_of(_contract_path())


def _contract_path() -> str | None:
    import os

    return os.environ.get(CONTRACT_ENV, "").strip() or None


@lru_cache(maxsize=4)
def _load(path: str | None) -> tuple[Any, Any, list[str]]:
    from scoring.jobs.common import load_contract

    return load_contract(path)


@lru_cache(maxsize=4)
def _policies_of(path: str | None) -> Any:
    return _policies(_load(path)[0])  # no overrides: the contract's own, made once per contract


def rule_params(rubric: Any, name: str) -> Any:
    """The parameters of evidence rule `name` in a rubric (None: the rule is not bound, the embedded defaults)."""
    bound = rubric.bound(name)
    return bound[0].params if bound else None


def evaluate(function: Callable[..., Any], *args: Any) -> Any:
    """Call one of the functions below: its value, or the Problem (errors.py) explaining why it cannot be computed."""
    try:
        return function(*args)
    except InputError as exc:  # BadArgument and any other collected problem
        return exc.problems[0]
    except CalendarYearMissing as exc:
        return Problem(str(exc), code="E-CALENDAR-YEAR")
    except Exception as exc:  # a cell must never show a traceback
        return Problem(f"无法计算（{type(exc).__name__}）", code="E-INPUT")


def safe(function: Callable[..., Any], *args: Any) -> Any:
    """Call one of the functions below for a cell: its value, or a short Chinese message, never a traceback."""
    result = evaluate(function, *args)
    return cell_text(result) if isinstance(result, Problem) else result


def excel_decimal(value: float) -> Decimal:
    """The number a cell shows for a float Excel sends: 15 significant digits, so binary artefacts
    (0.30000000000000004, 79.49999999999999) become what the user typed (0.3, 79.5)."""
    if not math.isfinite(value):
        raise BadArgument("不是有限的数字")
    return Decimal(format(value, f".{EXCEL_DIGITS}g")).normalize() + 0


def check_error(value: Any, what: str) -> None:
    """An Excel error value (#N/A, #DIV/0!, ...) in an argument, named in Chinese."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise BadArgument(f"{what}是错误值 {value.strip().upper()}，请先修正引用的单元格")


def to_number(value: Any, what: str) -> Decimal:
    """A cell value as an exact Decimal: numbers (15 significant digits, as Excel shows them),
    numeric text (also full-width digits)."""
    if isinstance(value, list):
        value = _single(value, what)
    check_error(value, what)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadArgument(f"{what}为空")
    if isinstance(value, bool):
        raise BadArgument(f"{what}应为数字，不是逻辑值")
    if isinstance(value, (datetime, date)):
        raise BadArgument(f"{what}应为数字，不是日期")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadArgument(f"{what}不是有限的数字")
        text = repr(value)  # the shortest text that reads back as this float; it always has "." or "e",
        # so 16 characters hold at most 15 significant digits: what Excel shows, no artefact to remove
        return Decimal(text) if len(text) <= EXCEL_DIGITS + 1 else excel_decimal(value)
    if isinstance(value, Decimal):
        return value
    try:
        return parse_decimal(str(value))
    except ValueError:
        raise BadArgument(f"{what}“{str(value)[:12]}”不是数字") from None


def to_date(value: Any, what: str) -> date:
    """A cell value as a date: a date cell, an Excel serial number, or ISO text."""
    if type(value) is date:  # a date cell, as xlwings passes it: nothing to check
        return value
    if isinstance(value, list):
        value = _single(value, what)
    check_error(value, what)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadArgument(f"{what}为空")
    if isinstance(value, bool):
        raise BadArgument(f"{what}应为日期")
    if isinstance(value, (int, float)) and 1 <= value < 2958466:
        return EXCEL_EPOCH + timedelta(days=int(value))
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip().replace("/", "-")[:10])
        except ValueError:
            pass
    raise BadArgument(f"{what}“{str(value)[:16]}”不是日期")


def to_datetime(value: Any, what: str) -> datetime:
    """A cell value as a date and time (serial numbers keep their fraction of a day, to the second)."""
    if isinstance(value, list):
        value = _single(value, what)
    check_error(value, what)
    if isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        # Excel stores times as fractions of a day; round to the second as Excel displays them.
        seconds = round(float(value) * 86400)
        return datetime.combine(EXCEL_EPOCH, datetime.min.time()) + timedelta(seconds=seconds)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("/", "-"))
        except ValueError:
            pass
    return datetime.combine(to_date(value, what), datetime.min.time())


def to_flag(value: Any, what: str) -> bool:
    """是/否, TRUE/FALSE, 1/0 as a boolean; blank is 否."""
    if isinstance(value, list):
        value = _single(value, what) if value else None
    check_error(value, what)
    if value is None or value == "" or value is False or value == 0:
        return False
    if value is True or value == 1:
        return True
    text = str(value).strip().upper()
    if text in ("是", "TRUE", "Y", "YES"):
        return True
    if text in ("否", "FALSE", "N", "NO"):
        return False
    raise BadArgument(f"{what}应为“是”或“否”")


def rows(value: Any) -> list[list[Any]]:
    """A range as a list of rows: a single value is 1x1, a flat list one row; a whole-column or
    whole-row range (1,048,576 rows or 16,384 columns, mostly blank) is trimmed first (`trim`)."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [[value]]
    if value and not isinstance(value[0], list):
        value = [value]
    return trim(value)  # the caller's row lists, not copies (nothing here changes a row): 10,000 rows cost ~5 ms


def _blank_row(row: list) -> bool:
    return all(v is None or v == "" for v in row)


def trim(table: list[list[Any]]) -> list[list[Any]]:
    """The used part of a range: rows up to the last non-blank one, columns up to the last non-blank one.

    Excel users type whole columns (A:A); xlwings then sends a million rows. The data ends at the
    first block of blank rows, which is found and checked in C (list.index, list.count) rather than
    cell by cell, so a whole column costs a few milliseconds; if anything follows the gap, nothing is
    dropped (the rows up to the last non-blank one are kept and the functions skip blank rows as usual).
    """
    n = len(table)
    if n == 0:
        return table
    end = n
    if _blank_row(table[-1]):  # else the last row is used and every row is kept: nothing to search for
        width = len(table[0])
        # xlwings sends blanks as None, Office.js (xlwings Lite) as "": look for the kind the last row has first
        first, second = ([""] * width, [None] * width) if table[-1] == [""] * width else ([None] * width, [""] * width)
        for blank in (first, second):
            try:
                end = table.index(blank, 0, end)  # the second search stops where the first found one
            except ValueError:
                pass
        # no blank row comes before `end`, so counting the whole table counts the tail
        if end < n:
            count = table.count(first)
            if count != n - end and count + table.count(second) != n - end:
                end = n
        while end > 0 and _blank_row(table[end - 1]):  # blank rows that mix None and "" at the end
            end -= 1
    kept = table[:end]
    if kept and len(kept[0]) > 64:  # a whole-row range: drop the blank columns at the right
        last = max((max((j for j, v in enumerate(r) if v is not None and v != ""), default=-1) for r in kept),
                   default=-1)
        kept = [r[:last + 1] for r in kept]
    return kept


def cells(value: Any) -> list[Any]:
    """Every non-blank cell of a range, row by row (for one-column or one-row lists)."""
    flat = list(chain.from_iterable(rows(value)))
    kinds = set(map(type, flat))
    if type(None) not in kinds and str not in kinds:  # nothing blank: comparing each date with "" is half the time
        return flat
    return [v for v in flat if v is not None and v != ""]


def _single(value: list, what: str):
    flat = [v for r in rows(value) for v in r]
    if len(flat) != 1:
        raise BadArgument(f"{what}应为单个单元格")
    return flat[0]


def calendar_from(holidays: Any):
    """The working-day calendar with the user's table: one column of rest days, or (date, 休息日|工作日) rows."""
    if holidays is None:  # the common call: before any import statement (each costs a microsecond a call)
        return _official_calendar()
    from scoring.calendar import REST, make_calendar

    adjustments = []
    for r in rows(holidays):
        values = [v for v in r if v is not None and v != ""]
        if not values:
            continue
        day = to_date(values[0], "节假日表中的日期")
        kind = str(values[1]).strip() if len(values) > 1 else REST
        if kind not in ("休息日", "工作日"):
            raise BadArgument(f"节假日表中的类型“{kind}”应为“休息日”或“工作日”")
        adjustments.append((day, kind))
    return make_calendar(adjustments)


@lru_cache(maxsize=1)
def _official_calendar() -> Any:
    """The calendar without a user table (no holiday range given), built once."""
    from scoring.calendar import make_calendar

    return make_calendar()


def money_out(amount: Decimal) -> float:
    """A money result for a cell: the core's value (already rounded half up to the cent) as a number."""
    return float(amount)


def score_out(value: Fraction | Decimal) -> float:
    """A score for a cell."""
    return float(value)


# The functions ----------------------------------------------------------------------------------

def sc_grade(score, bounds=None):
    """考核等级（R3）：优秀、良好、合格、不合格（等级和边界按合同；不写边界时按合同的 grade_bounds）。"""
    from scoring.grading import grade
    from scoring.policies import GRADE_BOUNDS

    value = to_number(score, "总分")
    if not 0 <= value <= 100:
        raise BadArgument("总分应在 0 到 100 之间")
    bounds = bounds or contract_policies().grade_bounds
    if bounds not in GRADE_BOUNDS:
        raise BadArgument(f"等级边界应为 {' 或 '.join(GRADE_BOUNDS)}")
    return grade(value, bounds, active_contract()[0].grades)


def sc_deduction_rate(score):
    """扣款比例（R4，按合同的扣款档次；内置合同：80 分及以上 0，60 至 80 分 (80-总分)%，60 分以下 50%）。"""
    from scoring.settlement import deduction_rate

    value = to_number(score, "总分")
    if not 0 <= value <= 100:
        raise BadArgument("总分应在 0 到 100 之间")
    return float(deduction_rate(value, active_contract()[0].schedule))


def sc_deduction(score, fee, crypto_failed_at_year_end=None):
    """扣款金额（元，R4 加 R5）：服务费 x 扣款比例，四舍五入到分；年终考核密评未通过按合同另加密评扣款（crypto_penalty）。"""
    from scoring.settlement import assessment_deduction

    value = to_number(score, "总分")
    if not 0 <= value <= 100:
        raise BadArgument("总分应在 0 到 100 之间")
    amount = to_number(fee, "服务费")
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise BadArgument("服务费应为非负金额，最多两位小数")
    contract = active_contract()[0]
    total = assessment_deduction(value, amount, contract.schedule)
    if to_flag(crypto_failed_at_year_end, "密评未通过"):
        total += contract.crypto_penalty
    return money_out(total)


def sc_panel(scores_range, policy=None):
    """小组得分（R2.3）：每行一个分项、每列一位专家，返回每行的小组得分（一列）；不写汇总方式时按合同的
    aggregation（合同按总分中位数汇总时，每行取中位数）。"""
    from scoring.panel import ITEM_AGGREGATORS, median, trimmed_mean
    from scoring.policies import ITEM_MEDIAN, MEAN, TOTAL_MEDIAN, TRIMMED_MEAN

    choices = {k: v for k, v in ITEM_AGGREGATORS.items() if k != TOTAL_MEDIAN} | {"median": median}
    if policy is None or policy == "":
        policy = contract_policies().aggregation
        policy = policy if policy in choices else ITEM_MEDIAN
    pick = choices.get(str(policy).strip())
    if pick is None:
        raise BadArgument(f"汇总方式应为 {ITEM_MEDIAN}、{MEAN} 或 {TRIMMED_MEAN}")
    table = rows(scores_range)
    if not table:
        raise BadArgument("评分区域为空")
    fast = vectorized.panel(table, str(policy).strip())  # numpy when every cell is a plain score
    if fast is not None:
        return fast
    result = []
    for n, r in enumerate(table, start=1):
        values = [to_number(v, f"第 {n} 行的得分") for v in r if v is not None and v != ""]
        if not values:
            raise BadArgument(f"第 {n} 行没有得分")
        if pick is trimmed_mean and len(values) < 3:
            raise BadArgument("去掉最高最低分后平均至少需要 3 名专家")
        result.append([score_out(pick(values))])
    return result


def sc_workdays(start, end, holidays_range=None):
    """两日期之间的工作日数（含首尾，同 NETWORKDAYS），按法定节假日和调休（R7）。"""
    return calendar_from(holidays_range).working_days_between(to_date(start, "开始日期"), to_date(end, "结束日期"))


_WORKING_DAYS = frozenset(range(1, 1001))  # 3 and 3.0 are both in it (equal numbers hash alike)


def sc_deadline(received, working_days, holidays_range=None):
    """收到之日起第 N 个工作日（收到当天不计，R7），如答复期限 N=3、整改期限 N=5。"""
    if type(working_days) in (int, float) and working_days in _WORKING_DAYS:  # a plain whole number: no Decimal
        count = int(working_days)
    else:
        n = to_number(working_days, "工作日数")
        if n != int(n) or not 1 <= n <= 1000:
            raise BadArgument("工作日数应为 1 到 1000 的整数")
        count = int(n)
    day = calendar_from(holidays_range).deadline(to_date(received, "收到日期"), count)
    return datetime.combine(day, datetime.min.time())


def sc_availability(period_start, period_end, outage_starts, outage_ends):
    """系统可用性（R6）：考核期内正常服务时间 / 总服务时间；重叠的中断合并计算。"""
    from scoring.evidence.availability import availability
    from scoring.evidence.model import Outage

    starts, ends = cells(outage_starts), cells(outage_ends)
    if len(starts) != len(ends):
        raise BadArgument(f"中断开始时间 {len(starts)} 个，结束时间 {len(ends)} 个，数量不一致")

    def period() -> tuple[date, date]:
        first, last = to_date(period_start, "考核期开始"), to_date(period_end, "考核期结束")
        if last < first:
            raise BadArgument("考核期结束早于开始")
        return first, last

    fast = vectorized.availability(starts, ends, period)  # numpy when every cell is a date and time in order
    if fast is not None:
        return fast
    outages = []
    for k, (a, b) in enumerate(zip(starts, ends), start=1):
        s, e = to_datetime(a, f"第 {k} 个开始时间"), to_datetime(b, f"第 {k} 个结束时间")
        if e < s:
            raise BadArgument(f"第 {k} 个中断的结束时间早于开始时间")
        outages.append(Outage(s, e))
    first, last = period()
    return float(availability(outages, first, last).value)


def sc_availability_band(availability):
    """可用性对应的允许得分（R6，按合同；内置合同：>99.98% 为 7–8 分，>99.86% 为 3–6 分，其余 0–3 分）。"""
    from scoring.evidence.availability import band

    value = to_number(availability, "可用性")
    if value > 1:
        value = value / 100  # typed as a percentage number
    if not 0 <= value <= 1:
        raise BadArgument("可用性应在 0 到 1（或 0% 到 100%）之间")
    low, high = band(Fraction(value), rule_params(active_contract()[1], "uptime-bands"))
    return f"{low}–{high}"


def sc_late_replies(received_range, replied_range, holidays_range=None):
    """逾期答复的需求函件数（R7：收到后合同规定的工作日内答复，内置合同为 3 个；未答复计为逾期）。"""
    from scoring.evidence.model import Request
    from scoring.evidence.params import default_params
    from scoring.evidence.requests import check_requests

    params = rule_params(active_contract()[1], "reply-deadline") or default_params("reply-deadline")
    received, replied = rows(received_range), rows(replied_range)
    flat_received = [v for r in received for v in r]
    flat_replied = [v for r in replied for v in r]
    if len(flat_replied) < len(flat_received):
        flat_replied += [None] * (len(flat_received) - len(flat_replied))
    if vectorized.plain_dates(flat_received) and vectorized.plain_dates(flat_replied):
        fast = vectorized.late_replies(flat_received, flat_replied, calendar_from(holidays_range),
                                       params.reply_working_days)  # the contract's limit, as the exact path
        if fast is not None:
            return fast
    requests = []
    for k, (a, b) in enumerate(zip(flat_received, flat_replied), start=1):
        if a is None or a == "":
            continue
        got = to_date(a, f"第 {k} 个收到日期")
        answered = None if b is None or b == "" else to_date(b, f"第 {k} 个答复日期")
        requests.append(Request(str(k), got, answered))
    return sum(1 for c in check_requests(requests, calendar_from(holidays_range), params) if c.late)


def sc_incident_level(systems, recovery_hours, data_lost=None, leaked=None):
    """故障等级（R8）：一般、严重、特大。"""
    from scoring.evidence.incidents import incident_level

    count = to_number(systems, "影响系统数")
    if count != int(count) or count < 0:
        raise BadArgument("影响系统数应为 0 或正整数")
    hours = None
    if not (recovery_hours is None or recovery_hours == ""):
        hours = Fraction(to_number(recovery_hours, "恢复用时"))
        if hours < 0:
            raise BadArgument("恢复用时不能为负")
    return incident_level(int(count), hours, to_flag(data_lost, "数据丢失"), to_flag(leaked, "数据泄密"),
                          rule_params(active_contract()[1], "incident-log"))


def sc_check(item, score, *evidence):
    """说明得分是否允许（R1.2、R5–R9）。证据按分项绑定的证据规则给出：可用性；逾期件数；投诉加未接电话次数；
    泄密次数；瞒报漏报次数；密评是否通过、是否年终。"""
    from scoring.evidence.registry import RULES
    from scoring.scores import check_score

    rubric = active_contract()[1]
    try:
        it = rubric.item(str(item).strip())
    except KeyError:
        raise BadArgument(f"分项“{item}”不存在，可用：{'、'.join(i.id for i in rubric.items)}") from None
    value = to_number(score, "得分")
    reason = check_score(value, it.points)
    if reason:
        return f"不允许：{reason}"
    low, high, why = Decimal(0), it.points, "无证据限制"
    given = [e for e in evidence if e is not None and e != ""]
    rule = RULES.get(it.evidence)
    if rule is not None and rule.quick is not None and len(given) >= 1:
        read = {"number": lambda v: to_number(v, "证据"), "flag": lambda v: to_flag(v, "证据")}
        args = [read[kind](v) for kind, v in zip(rule.quick_args, given)]
        low, high, why = rule.quick(it, it.params, args)
    allowed = f"{format_number(low)}–{format_number(high)} 分"
    if low <= value <= high:
        return f"允许：{it.name}（{why}）允许 {allowed}"
    return f"不允许：{it.name}（{why}）只允许 {allowed}"


def sc_late_payment(amount, due_date, paid_date):
    """逾期付款违约金（元，R10）：应付金额 x 合同的日违约金比例（内置合同万分之五）x 逾期天数，四舍五入到分。"""
    from scoring.settlement import late_payment

    value = to_number(amount, "应付金额")
    if value < 0:
        raise BadArgument("应付金额不能为负")
    return money_out(late_payment(value.quantize(Decimal("0.01")), to_date(due_date, "到期日"),
                                  to_date(paid_date, "付款日"), active_contract()[0].payment).interest)


# The whole scorecard ------------------------------------------------------------------------------

def _panel_sheets(scores_range: Any, what: str = "评分区域"):
    """The experts' score block (one row per rubric item in rubric order, one column per expert; an
    optional first column of item ids or names) as the core's ExpertSheets, checked as the CLI checks
    a panel (R1.2, R2.1, R2.2)."""
    from scoring.panel import ExpertSheet, check_panel
    from scoring.scores import check_score

    rubric = active_contract()[1]
    table = rows(scores_range)
    items = rubric.items
    if table and all(isinstance(r[0], str) and not _numeric_text(r[0]) for r in table if r):
        names = {i.id: i for i in items} | {i.name: i for i in items}
        order = []
        for n, r in enumerate(table, start=1):
            key = str(r[0]).strip()
            if key not in names:
                raise BadArgument(f"{what}第 {n} 行的分项“{key[:12]}”不存在")
            order.append(names[key])
        if sorted(i.id for i in order) != sorted(i.id for i in items):
            raise BadArgument(f"{what}应每个分项一行（共 {len(items)} 项），不重复")
        table = [r[1:] for r in table]
    else:
        order = list(items)
    if len(table) != len(items):
        raise BadArgument(f"{what}应有 {len(items)} 行（每个分项一行，按考核办法的顺序），现有 {len(table)} 行")
    width = max(len(r) for r in table)
    columns = [j for j in range(width) if any(j < len(r) and r[j] not in (None, "") for r in table)]
    if not columns:
        raise BadArgument(f"{what}没有得分")
    sheets = []
    for k, j in enumerate(columns, start=1):
        scores = {}
        for it, r in zip(order, table):
            value = r[j] if j < len(r) else None
            scores[it.id] = to_number(value, f"第 {k} 位专家的“{it.name}”得分")
            reason = check_score(scores[it.id], it.points)
            if reason:
                raise BadArgument(f"第 {k} 位专家的“{it.name}”{reason}")
        sheets.append(ExpertSheet(expert=f"专家{k}", scores=scores))
    problems = check_panel(sheets, rubric)
    if problems:
        raise BadArgument("；".join(getattr(p, "message", str(p)) for p in problems[:3]))
    return sheets, rubric


def _numeric_text(text: str) -> bool:
    try:
        parse_decimal(text)
        return True
    except ValueError:
        return False


def _policies(contract: Any, aggregation: Any = None, bounds: Any = None) -> Any:
    """The contract's default policies with the cell's overrides, checked by the core as --policy is (R2.3, R3)."""
    from scoring.policies import make_policies

    overrides = []
    for key, value, what in (("aggregation", aggregation, "汇总方式"), ("grade_bounds", bounds, "等级边界")):
        if isinstance(value, list):
            value = _single(value, what)
        check_error(value, what)
        if value is not None and str(value).strip():
            overrides.append(f"{key}={str(value).strip()}")
    try:
        return make_policies(contract.policies, overrides)
    except InputError as exc:  # the command line's wording names --policy; a cell names the argument
        raise BadArgument(exc.problems[0].message.removeprefix("--policy：")) from None


def scorecard(scores_range, fee=None, aggregation=None, bounds=None, crypto_failed_at_year_end=None):
    """The whole scorecard of a panel, computed by the core as `scorecard summarize` does (R2.3, R3, R4,
    R5): (label, value) pairs for each item's panel score, each category, the total, the grade, the
    deduction rate, the assessment deduction, the 密评 deduction, the total deduction and the payable."""
    from scoring.grading import grade
    from scoring.panel import aggregate
    from scoring.settlement import settle

    sheets, rubric = _panel_sheets(scores_range)
    contract = active_contract()[0]
    if fee in (None, "") or (isinstance(fee, list) and not cells(fee)):
        amount = contract.period_fee
    else:
        amount = to_number(fee, "服务费")
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise BadArgument("服务费应为非负金额，最多两位小数")
        amount = amount.quantize(Decimal("0.01"))
    policies = _policies(contract, aggregation, bounds)
    panel = aggregate(sheets, rubric, policies.aggregation, policies.outlier_share)
    penalty = contract.crypto_penalty if to_flag(crypto_failed_at_year_end, "密评未通过") else Decimal("0.00")
    s = settle(panel.total, amount, contract.lines, penalty, contract.schedule)  # as assess() does
    result: list[tuple[str, Any]] = [(r.item.name, r.panel) for r in panel.items]
    result += [(f"{c.name}（小计）", panel.categories[c.id]) for c in rubric.categories]
    result += [("总分", panel.total), ("等级", grade(panel.total, policies.grade_bounds, contract.grades)), ("扣款比例", s.rate),
               ("服务费", s.fee), ("考核扣款", s.assessment), ("密评扣款", s.crypto_penalty),
               ("扣款合计", s.total), ("应付服务费", s.payable)]
    return result


def sc_scorecard(scores_range, fee=None, aggregation=None, bounds=None, crypto_failed_at_year_end=None):
    """整张考核表（R2.3、R3、R4、R5）：每行一个分项、每列一位专家的评分区域 -> 两列的结果
    （各分项小组得分、各考核项目、总分、等级、扣款比例、服务费、考核扣款、密评扣款、扣款合计、应付服务费）。"""
    out = []
    for label, value in scorecard(scores_range, fee, aggregation, bounds, crypto_failed_at_year_end):
        out.append([label, value if isinstance(value, str) else score_out(value)])
    return out


def sc_category(scores_range, category, aggregation=None):
    """一个考核项目的小组得分（R2.3）：评分区域同 SC_SCORECARD，考核项目写 id 或中文名，如 quality 或 服务质量。"""
    from scoring.panel import aggregate

    sheets, rubric = _panel_sheets(scores_range)
    key = "" if category is None else str(_single(category, "考核项目") if isinstance(category, list) else category)
    check_error(key, "考核项目")
    found = [c for c in rubric.categories if key.strip() in (c.id, c.name)]
    if not found:
        raise BadArgument(f"考核项目“{key[:12]}”不存在，可用：{'、'.join(c.id + ' ' + c.name for c in rubric.categories)}")
    policies = _policies(active_contract()[0], aggregation)
    return score_out(aggregate(sheets, rubric, policies.aggregation).categories[found[0].id])
