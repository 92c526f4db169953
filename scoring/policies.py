"""Named policies: the documented readings of ambiguous rules, changeable by the user.

Every policy name and value is defined here and nowhere else (other modules use the constants
below). Each has a default in the contract file and can be overridden with ``--policy KEY=VALUE``;
every output states the policies it used (rules.md, preamble).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from scoring.errors import InputError, Problem
from scoring.schema import Key

# R2.3 aggregation policies, with how the summary and the terminal describe them
ITEM_MEDIAN, TOTAL_MEDIAN, MEAN, TRIMMED_MEAN = "item-median", "total-median", "mean", "trimmed-mean"
AGGREGATIONS = (ITEM_MEDIAN, TOTAL_MEDIAN, MEAN, TRIMMED_MEAN)
AGGREGATION_LABELS = {ITEM_MEDIAN: "各项中位数", TOTAL_MEDIAN: "总分中位数", MEAN: "平均分",
                      TRIMMED_MEAN: "去掉最高最低分后平均"}
# R3 grade boundary policies
LOWER_INCLUSIVE, UPPER_INCLUSIVE = "lower-bound-inclusive", "upper-bound-inclusive"
GRADE_BOUNDS = (LOWER_INCLUSIVE, UPPER_INCLUSIVE)
# R6 availability span
PERIOD_SPAN, SERVICE_YEAR_SPAN = "period", "service-year"
AVAILABILITY_PERIODS = (PERIOD_SPAN, SERVICE_YEAR_SPAN)
ON_OFF = {"on": True, "off": False, "true": True, "false": False, "yes": True, "no": False, "是": True, "否": False}

# The words the summary uses for each policy value ({bounds}: the contract's grade minimums, e.g. 90、80、60)
POLICY_TEXT = {
    "aggregation": {ITEM_MEDIAN: "各分项取中位数后相加", TOTAL_MEDIAN: "取总分居中专家的评分",
                    MEAN: "各分项取平均", TRIMMED_MEAN: "各分项去掉一个最高分和一个最低分后平均"},
    "grade_bounds": {LOWER_INCLUSIVE: "{bounds} 分计入较高等级", UPPER_INCLUSIVE: "{bounds} 分计入较低等级"},
    "availability_period": {PERIOD_SPAN: "可用性按本考核期计算", SERVICE_YEAR_SPAN: "可用性按服务年度累计计算"},
}


@dataclass(frozen=True)
class Policies:
    """The policies of one assessment."""

    aggregation: str = ITEM_MEDIAN
    grade_bounds: str = LOWER_INCLUSIVE
    outlier_share: Decimal = Decimal("0.25")
    availability_period: str = PERIOD_SPAN
    exclude_announced_maintenance: bool = False
    report_due_day: int = 5

    def as_dict(self) -> dict[str, str]:
        """Policy names and values as text, for outputs."""
        def text(value: object) -> str:
            return ("on" if value else "off") if isinstance(value, bool) else str(value)

        return {f.name: text(getattr(self, f.name)) for f in fields(self)}


# The contract file's [policies] table (documented in docs/contract-data.md)
POLICY_KEYS = (
    Key("aggregation", "text", "R2.3", "汇总方式", f"\"{ITEM_MEDIAN}\"", required=False, choices=AGGREGATIONS),
    Key("grade_bounds", "text", "R3", "等级边界", f"\"{LOWER_INCLUSIVE}\"", required=False, choices=GRADE_BOUNDS),
    Key("outlier_share", "text", "R2.4", "偏离提示阈值（占分值的比例，0 到 1）", "\"0.25\"", required=False),
    Key("availability_period", "text", "R6", "可用性计算区间", f"\"{PERIOD_SPAN}\"", required=False,
        choices=AVAILABILITY_PERIODS),
    Key("exclude_announced_maintenance", "text", "R6", "提前通知的计划检修不计入停机（on/off）", "\"off\"",
        required=False),
    Key("report_due_day", "text", "R9", "月报截止日（次月几号，当天按时）", "\"5\"", required=False),
)


def check_policy(key: str, value: str) -> object:
    """The typed value of one policy, or ValueError with a Chinese reason (unknown key or invalid value)."""
    if key == "aggregation":
        if value not in AGGREGATIONS:
            raise ValueError(f"汇总方式“{value}”无效，可选：{'、'.join(AGGREGATIONS)}")
        return value
    if key == "grade_bounds":
        if value not in GRADE_BOUNDS:
            raise ValueError(f"等级边界“{value}”无效，可选：{'、'.join(GRADE_BOUNDS)}")
        return value
    if key == "outlier_share":
        try:
            share = Decimal(value)
        except InvalidOperation:
            share = Decimal(-1)
        if not share.is_finite() or not (0 <= share <= 1):
            raise ValueError(f"偏离阈值“{value}”必须是 0 到 1 之间的小数，如 0.25")
        return share
    if key == "availability_period":
        if value not in AVAILABILITY_PERIODS:
            raise ValueError(f"可用性计算区间“{value}”无效，可选：{'、'.join(AVAILABILITY_PERIODS)}")
        return value
    if key == "exclude_announced_maintenance":
        if value.lower() not in ON_OFF:
            raise ValueError(f"exclude_announced_maintenance“{value}”无效，可选：on、off")
        return ON_OFF[value.lower()]
    if key == "report_due_day":
        if not value.isdigit() or not 1 <= int(value) <= 28:
            raise ValueError(f"月报截止日“{value}”须是 1 到 28 的整数")
        return int(value)
    names = "、".join(f.name for f in fields(Policies))
    raise ValueError(f"未知的规则选项“{key}”，可选：{names}")


def make_policies(defaults: dict[str, str], overrides: list[str] | None = None) -> Policies:
    """Policies from the contract's defaults and 'KEY=VALUE' overrides; InputError lists every bad one."""
    values: dict[str, object] = {}
    problems: list[Problem] = []
    pairs = list(defaults.items())
    for text in overrides or []:
        key, sep, value = text.partition("=")
        if not sep:
            problems.append(Problem(f"--policy “{text}” 应写成 KEY=VALUE，如 aggregation={MEAN}", code="E-POLICY"))
            continue
        pairs.append((key.strip().replace("-", "_"), value.strip()))
    for key, value in pairs:
        try:
            values[key] = check_policy(key, value)
        except ValueError as exc:
            problems.append(Problem(f"--policy：{exc}", code="E-POLICY"))
    if problems:
        raise InputError(problems)
    return replace(Policies(), **values)  # type: ignore[arg-type]
