"""The service-year terms of the contract as data: payment (R10), rectification (五, 六.1), year minimums (R9).

Every number the annual settlement, the rectification notice and the year-wide checks use is read
from the contract file's [payment], [deadlines], [rectification] and [year_minimums] tables; the defaults below are
the embedded contract's values and are used only when a contract file leaves a table out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from scoring.errors import Problem


@dataclass(frozen=True)
class Terms:
    """Numbers of the contract around the assessment."""

    due_working_days: int = 60  # 三.2: 60 个工作日内进行支付 (R10)
    late_daily_rate: Decimal = Decimal("0.0005")  # 八.2: 日万分之五 (R10)
    termination_days: int = 30  # 八.2: 逾期三十日以上, 30 included (R10)
    rectification_working_days: int = 5  # 五: 接到通知后 5 个工作日内整改完成
    delivery_working_days: int = 3  # 四.(二).2: 收到通知之后的 3 个工作日内完成交付
    rectification_below_share: Decimal = Decimal("0.6")  # items scored below this share of their points
    min_drills: int = 2  # R9: 每年不少于 2 次数据恢复应急演练
    min_training: int = 4  # R9: 厂家培训不少于 4 人次 / 年


# (table, key) -> (field, kind, lowest allowed)
KEYS = {
    ("payment", "due_working_days"): ("due_working_days", int, 1),
    ("payment", "late_daily_rate"): ("late_daily_rate", Decimal, 0),
    ("payment", "termination_days_late"): ("termination_days", int, 1),
    ("deadlines", "rectification_working_days"): ("rectification_working_days", int, 1),
    ("deadlines", "delivery_working_days"): ("delivery_working_days", int, 1),
    ("rectification", "below_share"): ("rectification_below_share", Decimal, 0),
    ("year_minimums", "drills"): ("min_drills", int, 0),
    ("year_minimums", "training_person_times"): ("min_training", int, 0),
}
TABLES = sorted({table for table, _ in KEYS})


def terms_from_dict(data: dict, problems: list[Problem], source: str = "") -> Terms:
    """The terms of a parsed contract file; every bad or unknown key of these tables becomes a problem."""
    values: dict[str, object] = {}
    for table in TABLES:
        raw = data.get(table, {})
        if not isinstance(raw, dict):
            problems.append(Problem(f"合同的 [{table}] 必须是表", file=source, key=table, code="E-DATA-TYPE"))
            continue
        for key, value in raw.items():
            place = {"file": source, "key": f"{table}.{key}"}
            spec = KEYS.get((table, key))
            if spec is None:
                problems.append(Problem(f"合同的 [{table}] 中没有“{key}”这一项", code="E-DATA-KEY", **place))
                continue
            field, kind, lowest = spec
            try:
                parsed = _parse(value, kind)
            except ValueError:
                parsed = None
            if parsed is None or parsed < lowest or (field.endswith(("rate", "share")) and parsed >= 1):
                shape = "整数" if kind is int else "带引号的小数（如 \"0.0005\"），小于 1"
                problems.append(Problem(f"“{value}”无效：应为不小于 {lowest} 的{shape}", code="E-DATA-TYPE", **place))
                continue
            values[field] = parsed
    return Terms(**values)


def _parse(value: object, kind: type) -> int | Decimal:
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(value)
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number
