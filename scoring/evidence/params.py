"""The evidence rules' names and parameters as data (R5-R9): what a rubric item may bind with ``evidence = NAME``
and which ``params`` it must give. Parameters are checked strictly (scoring.schema) and become typed values;
the rule functions that use them are registered in scoring.evidence.registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

from scoring.errors import Problem
from scoring.schema import Key


CRYPTO_RULE = "crypto-assessment"  # R5: the year-end assessment needs evidence when an item binds it


@dataclass(frozen=True)
class Band:
    """Availability strictly above `above` (None: any other value) allows `low` to `high` points (R6)."""

    above: Fraction | None
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class AvailabilityParams:
    """R6: score bands, highest first, and the notice that excludes planned maintenance."""

    bands: tuple[Band, ...]
    notice_working_days: int


@dataclass(frozen=True)
class RequestParams:
    """R7: the reply limit in working days and the points each late reply costs."""

    reply_working_days: int
    points_per_late: Decimal


@dataclass(frozen=True)
class IncidentParams:
    """R8: the response / on-site / fix limits and the level thresholds."""

    response_minutes: int
    on_site_minutes: int
    fix_minutes: int
    major_systems: int
    major_hours: Fraction
    serious_systems: int
    serious_hours: Fraction


@dataclass(frozen=True)
class MinimumParams:
    """R9: a yearly minimum (drills, person-times of training) flagged at the year-end assessment."""

    min_per_year: int


@dataclass(frozen=True)
class ComplaintParams:
    """R9: the points each complaint or missed call takes off the cap."""

    points_per_complaint: Decimal


@dataclass(frozen=True)
class NoParams:
    """A rule without parameters."""


BAND_KEYS = (
    Key("above", "decimal", "R6", "可用性严格大于该值时适用本档（小数，如 \"0.9998\"）；最后一档不填，适用其余所有值",
        "\"0.9998\"", required=False),
    Key("low", "decimal", "R6", "本档允许的最低分", "7"),
    Key("high", "decimal", "R6", "本档允许的最高分（不超过该项分值）", "8"),
)


def _availability(v: dict[str, Any], item: Any, place: str, source: str, problems: list[Problem]) -> AvailabilityParams:
    bands: list[Band] = []
    for i, b in enumerate(v.get("bands", [])):
        if "low" not in b or "high" not in b:
            continue
        here = f"{place}.bands[{i}]"
        above = Fraction(b["above"]) if "above" in b else None
        if above is not None and not 0 <= above < 1:
            problems.append(Problem("above 须在 0 到 1 之间（可用性是比例，99.98% 写作 0.9998）", file=source,
                                    key=f"{here}.above", code="E-DATA-VALUE"))
        if not 0 <= b["low"] <= b["high"] <= item.points:
            problems.append(Problem(f"允许范围 {b['low']}–{b['high']} 须在 0 到该项分值 {item.points} 之内且 low 不大于 high",
                                    file=source, key=here, code="E-DATA-VALUE"))
        if bands and (bands[-1].above is None or (above is not None and above >= bands[-1].above)):
            problems.append(Problem("可用性档次须按 above 从高到低排列，只有最后一档不填 above（档次重叠）", file=source,
                                    key=f"{here}.above", code="E-DATA-VALUE"))
        bands.append(Band(above, b["low"], b["high"]))
    if not bands or bands[-1].above is not None:
        problems.append(Problem("最后一档不能填 above，否则低于它的可用性没有得分范围（档次有缺口）", file=source,
                                key=f"{place}.bands", code="E-DATA-VALUE"))
    return AvailabilityParams(tuple(bands), int(v.get("notice_working_days", 1)))


def _positive(v: dict[str, Any], place: str, source: str, problems: list[Problem]) -> None:
    for name, value in v.items():
        if isinstance(value, (int, Decimal)) and value <= 0:
            problems.append(Problem(f"{name} 须大于 0", file=source, key=f"{place}.{name}", code="E-DATA-VALUE"))


def _requests(v: dict[str, Any], item: Any, place: str, source: str, problems: list[Problem]) -> RequestParams:
    _positive(v, place, source, problems)
    return RequestParams(int(v.get("reply_working_days", 1)), v.get("points_per_late", Decimal(1)))


def _incidents(v: dict[str, Any], item: Any, place: str, source: str, problems: list[Problem]) -> IncidentParams:
    _positive(v, place, source, problems)
    if v.get("serious_systems", 0) > v.get("major_systems", 0) or v.get("serious_hours", 0) > v.get("major_hours", 0):
        problems.append(Problem("严重故障的阈值不能高于特大故障的阈值", file=source, key=place, code="E-DATA-VALUE"))
    return IncidentParams(
        response_minutes=int(v.get("response_minutes", 1)), on_site_minutes=int(v.get("on_site_minutes", 1)),
        fix_minutes=int(v.get("fix_minutes", 1)), major_systems=int(v.get("major_systems", 1)),
        major_hours=Fraction(v.get("major_hours", 1)), serious_systems=int(v.get("serious_systems", 1)),
        serious_hours=Fraction(v.get("serious_hours", 1)))


def _minimum(v: dict[str, Any], item: Any, place: str, source: str, problems: list[Problem]) -> MinimumParams:
    _positive(v, place, source, problems)
    return MinimumParams(int(v.get("min_per_year", 1)))


def _complaints(v: dict[str, Any], item: Any, place: str, source: str, problems: list[Problem]) -> ComplaintParams:
    _positive(v, place, source, problems)
    return ComplaintParams(v.get("points_per_complaint", Decimal(1)))


def _none(v: dict[str, Any], item: Any, place: str, source: str, problems: list[Problem]) -> NoParams:
    return NoParams()


@dataclass(frozen=True)
class RuleSpec:
    """An evidence rule as the data files see it: rule number, meaning, parameter keys, typed builder."""

    name: str
    rule: str
    doc: str
    keys: tuple[Key, ...]
    build: Callable[[dict[str, Any], Any, str, str, list[Problem]], object]


SPECS = {spec.name: spec for spec in (
    RuleSpec("uptime-bands", "R6", "系统可用性：按服务中断计算可用性，按档次限定得分范围", (
        Key("bands", "tables", "R6", "可用性档次，从高到低（按精确值比较）", "{ above = \"0.9998\", low = 7, high = 8 }",
            children=BAND_KEYS),
        Key("notice_working_days", "int", "R6, R7", "计划检修提前通知的工作日数（exclude_announced_maintenance 为 on 时不计停机）",
            "7"),
    ), _availability),
    RuleSpec("reply-deadline", "R7", "服务响应：需求函逾期答复每件扣分，得分固定", (
        Key("reply_working_days", "int", "R7", "收到后答复期限（工作日，收到当天不计）", "3"),
        Key("points_per_late", "decimal", "R7", "每逾期一件扣的分数", "1"),
    ), _requests),
    RuleSpec("incident-log", "R8", "故障响应与处理：列出故障等级和时限；有瞒报漏报的 0 分", (
        Key("response_minutes", "int", "R8", "响应时限（分钟，自发现故障起）", "10"),
        Key("on_site_minutes", "int", "R8", "到场时限（分钟）", "60"),
        Key("fix_minutes", "int", "R8", "排除故障时限（分钟）", "360"),
        Key("major_systems", "int", "R8", "影响系统或客户数达到该值为特大故障", "5"),
        Key("major_hours", "decimal", "R8", "恢复用时超过该小时数为特大故障", "12"),
        Key("serious_systems", "int", "R8", "影响系统或客户数达到该值为严重故障", "2"),
        Key("serious_hours", "decimal", "R8", "恢复用时超过该小时数为严重故障", "2"),
    ), _incidents),
    RuleSpec("data-leaks", "R8", "数据安全：无数据泄密得满分，有泄密 0 分，得分固定", (), _none),
    RuleSpec("monthly-reports", "R9", "运行报告：列出逾期或缺失的月报（截止日见规则选项 report_due_day）", (), _none),
    RuleSpec("drill-count", "R9", "应急演练：年终考核时服务年度演练次数少于最低次数予以提示", (
        Key("min_per_year", "int", "R9", "每个服务年度最少演练次数", "2"),), _minimum),
    RuleSpec("training-count", "R9", "培训服务：年终考核时服务年度培训人次少于最低人次予以提示", (
        Key("min_per_year", "int", "R9", "每个服务年度最少培训人次", "4"),), _minimum),
    RuleSpec("complaint-cap", "R9", "客户满意度：每次投诉或未接电话降低最高分", (
        Key("points_per_complaint", "decimal", "R9", "每次投诉或未接电话降低的最高分", "2"),), _complaints),
    RuleSpec(CRYPTO_RULE, "R5", "密评：年终考核仍未通过的 0 分，另扣合同的 crypto_penalty", (), _none),
    RuleSpec("mlps-certificate", "R1", "等保：显示是否取得三级等保证书（说明页 mlps_certified）", (), _none),
)}


def default_params(name: str) -> Any:
    """The parameters of rule `name` in the embedded rubric (for the spreadsheet functions' defaults)."""
    from scoring.rubric import default_rubric

    for item in default_rubric().items:
        if item.evidence == name:
            return item.params
    raise KeyError(name)
