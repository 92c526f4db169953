"""Named policies: the documented readings of ambiguous rules, changeable by the user.

Each has a default in the contract file and can be overridden with ``--policy KEY=VALUE``;
every output states the policies it used (rules.md, preamble).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from scoring.errors import InputError, Problem

AGGREGATIONS = ("item-median", "total-median", "mean", "trimmed-mean")  # R2.3
GRADE_BOUNDS = ("lower-bound-inclusive", "upper-bound-inclusive")  # R3
AVAILABILITY_PERIODS = ("period", "service-year")  # R6
ON_OFF = {"on": True, "off": False, "true": True, "false": False, "yes": True, "no": False, "是": True, "否": False}


@dataclass(frozen=True)
class Policies:
    """The policies of one assessment."""

    aggregation: str = "item-median"
    grade_bounds: str = "lower-bound-inclusive"
    outlier_share: Decimal = Decimal("0.25")
    availability_period: str = "period"
    exclude_announced_maintenance: bool = False
    report_due_day: int = 5

    def as_dict(self) -> dict[str, str]:
        """Policy names and values as text, for outputs."""
        def text(value: object) -> str:
            return ("on" if value else "off") if isinstance(value, bool) else str(value)

        return {f.name: text(getattr(self, f.name)) for f in fields(self)}


def _check(key: str, value: str) -> object:
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
            problems.append(Problem(f"--policy “{text}” 应写成 KEY=VALUE，如 aggregation=mean", code="E-POLICY"))
            continue
        pairs.append((key.strip().replace("-", "_"), value.strip()))
    for key, value in pairs:
        try:
            values[key] = _check(key, value)
        except ValueError as exc:
            problems.append(Problem(f"--policy：{exc}", code="E-POLICY"))
    if problems:
        raise InputError(problems)
    return replace(Policies(), **values)
