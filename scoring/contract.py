"""The contract as strictly checked data (interfaces.md §5): service year, fees, settlement, annex-1 lines,
grade bands (R3), deduction schedule (R4), year-end penalty (R5), payment terms and deadlines (R7, R10),
default policies. Every key is declared in ``KEYS`` (documented in docs/contract-data.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from scoring.errors import ContractError, Problem
from scoring.money import CENT, MAX_FEE, round_money
from scoring.period import Period
from scoring.policies import POLICY_KEYS, check_policy
from scoring.schema import Key, check
from scoring.terms import (DEADLINE_KEYS, GRADE_KEYS, PAYMENT_KEYS, TIER_KEYS, Deadlines, Grades, PaymentTerms,
                           Schedule, build_deadlines, build_grades, build_payment, build_schedule)
from scoring.tomlfile import packaged_toml, read_toml

DEFAULT_CONTRACT = "contract-hebi-backup-2026.toml"
HALF_YEARS = 2  # assessment and settlement periods are half-years (scoring.period)

LINE_KEYS = (
    Key("name", "text", "R10", "服务清单行的名称", "\"备份资源\""),
    Key("amount", "money", "R10", "含税金额（元）；included = true 的行不填", "\"784000.00\"", required=False),
    Key("tax_rate", "decimal", "R10", "增值税税率", "\"0.06\"", required=False),
    Key("included", "bool", "R10", "无单独价格、含在其他行中的服务", "true", required=False, default=False),
)

# Where the contract says what the generated texts cite (notice, expert sheet, rectification, trend warning);
# the defaults are the clause numbers of the embedded contract (contract-excerpt.md).
DEFAULT_CLAUSES = {"assessment": "附件 2", "evaluation": "第五条", "termination": "第十三条第 3 款"}
CLAUSE_KEYS = (
    Key("assessment", "text", "R1", "考核办法在合同中的位置，写入评分表、考核结果通知书和整改通知书",
        "\"附件 2\"", required=False, default=DEFAULT_CLAUSES["assessment"]),
    Key("evaluation", "text", "五, 六.1", "服务质量评价条款（按考核结果结算、限期整改），写入整改通知书",
        "\"第五条\"", required=False, default=DEFAULT_CLAUSES["evaluation"]),
    Key("termination", "text", "R4", "甲方解除合同的条件，连续两期低于不扣款线时在趋势提示中引用",
        "\"第十三条第 3 款\"", required=False, default=DEFAULT_CLAUSES["termination"]),
)

KEYS = (
    Key("id", "text", "R2.2", "合同编号，写入评分表，用于核对评分表属于本合同", "\"hebi-backup-2026\""),
    Key("name", "text", "§1", "合同名称（项目名称）", "\"鹤壁市数据备份云服务采购项目\""),
    Key("buyer", "text", "§1", "采购人", "\"鹤壁市行政审批和政务信息管理局\"", required=False, default=""),
    Key("rubric", "text", "R1", "考核办法文件（与合同文件在同一文件夹）", "\"rubric-hebi-backup-2026.toml\""),
    Key("service_start", "date", "R10", "服务期开始（1 月 1 日或 7 月 1 日）", "2026-07-01"),
    Key("service_end", "date", "R5, R10", "服务期结束（6 月 30 日或 12 月 31 日）；考核期在此结束的为年终考核", "2027-06-30"),
    Key("annual_fee", "money", "R10", "年服务费（元），须等于服务清单各行合计，不超过 1,999,999,999.98（每期不超过 999,999,999.99）", "\"1164000.00\""),
    Key("settlements_per_year", "int", "R10", "每年结算次数（考核期为半年，须为 2）；当次服务费默认 = 年服务费 / 结算次数（四舍五入到分；服务期最后一期取余下部分，各期合计等于年服务费）",
        "2"),
    Key("overdue_use_fee", "money", "R10", "超期使用费（单独支付，不参与考核）", "\"720225.00\"", required=False,
        default=Decimal("0.00")),
    Key("crypto_penalty", "money", "R5", "年终考核密评仍未通过时一次性扣除的服务费（元），不超过 999,999,999.99；"
        "大于 0 时须有分项绑定 crypto-assessment 证据规则；有这样的分项时必填（可为 \"0.00\"）", "\"20000.00\"",
        required=False, default=Decimal("0.00")),
    Key("grades", "table", "R3", "考核等级", children=GRADE_KEYS),
    Key("deduction", "table", "R4", "扣除服务费的档次", children=(
        Key("tiers", "tables", "R4", "扣款档次，从高到低；总分越低的档次扣款不能越少（每档的比例不低于上一档在其最低分时的比例）", "{ min = 80, label = \"不扣款\", rate = \"0\" }",
            children=TIER_KEYS),)),
    Key("payment", "table", "R10", "付款条件", children=PAYMENT_KEYS),
    Key("deadlines", "table", "R7", "其他期限", children=DEADLINE_KEYS),
    Key("rectification", "table", "五, 六.1", "整改通知书", required=False, default={"below_share": Decimal("0.6")},
        children=(Key("below_share", "decimal", "五, 六.1", "默认列入整改通知书的分项：小组得分低于分值的这一比例"
                      "（甲方的选择，合同未规定；0 到 1）", "\"0.6\""),)),
    Key("lines", "tables", "R10", "附件 1 服务清单", children=LINE_KEYS),
    Key("clauses", "table", "§1", "生成的文字引用的合同条款编号", required=False, default=dict(DEFAULT_CLAUSES),
        children=CLAUSE_KEYS),
    Key("policies", "table", "§1", "规则选项的默认值（--policy KEY=VALUE 可改）", children=POLICY_KEYS),
)


@dataclass(frozen=True)
class PricedLine:
    """One priced line of annex 1, VAT included, with its VAT rate."""

    name: str
    amount: Decimal
    tax_rate: Decimal


@dataclass(frozen=True)
class Clauses:
    """The contract's clause references that generated texts cite (``[clauses]``), e.g. 附件 2, 第五条."""

    assessment: str = DEFAULT_CLAUSES["assessment"]  # where the assessment method (rubric) is
    evaluation: str = DEFAULT_CLAUSES["evaluation"]  # quality evaluation: settlement on the result, rectification
    termination: str = DEFAULT_CLAUSES["termination"]  # the buyer's right to terminate


@dataclass(frozen=True)
class Contract:
    """What the assessment needs to know of the contract."""

    id: str
    name: str
    buyer: str
    rubric: str
    service_start: date
    service_end: date
    annual_fee: Decimal
    settlements_per_year: int
    crypto_penalty: Decimal
    lines: tuple[PricedLine, ...]
    grades: Grades
    schedule: Schedule
    payment: PaymentTerms
    deadlines: Deadlines
    included_lines: tuple[str, ...] = ()
    overdue_use_fee: Decimal = Decimal("0.00")
    policies: dict[str, str] = field(default_factory=dict)
    rectification_below_share: Decimal = Decimal("0.6")  # [rectification] below_share (scorecard rectify)
    clauses: Clauses = Clauses()  # [clauses]: what the generated texts cite
    crypto_penalty_stated: bool = True  # crypto_penalty was written in the file (left out: 0, for a contract without 密评)

    @property
    def period_fee(self) -> Decimal:
        """The default fee F of one assessment period: the annual fee over the settlements (R10), rounded half up
        to the cent (R4; Decimal's own quantize rounds half to even: 1,164,000.01 / 2 gave 582,000.00)."""
        return round_money(Fraction(self.annual_fee) / self.settlements_per_year)

    def fee_of(self, period: Period) -> Decimal:
        """The default fee F of `period` (R10): period_fee, except that the service year's last period takes what
        the earlier ones leave of the annual fee, so the periods add up to it to the cent (R4: 1,357,913.57 a year
        is 678,956.79 + 678,956.78; both halves at 678,956.79 made the year a cent dearer than the contract)."""
        if self.is_year_end(period):
            return self.annual_fee - (self.settlements_per_year - 1) * self.period_fee
        return self.period_fee

    def covers(self, period: Period) -> bool:
        """Whether the period lies inside the service year."""
        return self.service_start <= period.start and period.end <= self.service_end

    def is_year_end(self, period: Period) -> bool:
        """Whether this is the 服务期年终考核: the period ends where the service year ends (R5)."""
        return period.end == self.service_end


def _lines(raw: list[dict[str, Any]], source: str, problems: list[Problem]
           ) -> tuple[list[PricedLine], list[str], bool]:
    """The priced and included lines (R10), and whether every line could be read (else no sum is checked)."""
    lines, included, complete = [], [], True
    reported = {p.key for p in problems}  # a key already refused (wrong type): not also "missing"
    for i, line in enumerate(raw):
        place = f"lines[{i}]"
        if "name" not in line:
            complete = False
            continue
        if line.get("included"):
            if "amount" in line or "tax_rate" in line:
                problems.append(Problem("included = true 的行不能有金额或税率", file=source, key=place, code="E-DATA-VALUE"))
            included.append(line["name"])
            continue
        for key in ("amount", "tax_rate"):
            if key not in line and f"{place}.{key}" not in reported:
                problems.append(Problem(f"服务清单“{line['name']}”缺少“{key}”", file=source, key=f"{place}.{key}",
                                        code="E-DATA-MISSING"))
        if "amount" not in line or "tax_rate" not in line:
            complete = False
            continue
        if line["amount"] <= 0:
            problems.append(Problem(f"服务清单“{line['name']}”金额必须大于 0", file=source, key=f"{place}.amount",
                                    code="E-DATA-VALUE"))
        if not 0 <= line["tax_rate"] < 1:
            problems.append(Problem(f"服务清单“{line['name']}”税率须在 0 到 1 之间", file=source,
                                    key=f"{place}.tax_rate", code="E-DATA-VALUE"))
        lines.append(PricedLine(line["name"], line["amount"].quantize(CENT), line["tax_rate"]))
    return lines, included, complete


def contract_from_dict(data: dict[str, Any], source: str = "") -> Contract:
    """Build and check a contract from parsed TOML; raises ContractError listing every problem with its key."""
    values, problems = check(data, KEYS, source)
    start, end = values.get("service_start"), values.get("service_end")
    if start is not None and end is not None and start >= end:
        problems.append(Problem("服务期开始须早于结束", file=source, key="service_end", code="E-DATA-VALUE"))
    if values.get("settlements_per_year", HALF_YEARS) != HALF_YEARS:
        problems.append(Problem(f"考核期按半年划分（如 2026H1、2026H2），settlements_per_year 须为 {HALF_YEARS}",
                                file=source, key="settlements_per_year", code="E-DATA-VALUE"))
    if start is not None and (start.month, start.day) not in ((1, 1), (7, 1)):
        problems.append(Problem("服务期须从 1 月 1 日或 7 月 1 日开始，才能分成半年考核期", file=source,
                                key="service_start", code="E-DATA-VALUE"))
    if end is not None and (end.month, end.day) not in ((6, 30), (12, 31)):
        problems.append(Problem("服务期须在 6 月 30 日或 12 月 31 日结束，才能分成半年考核期", file=source,
                                key="service_end", code="E-DATA-VALUE"))
    grades = build_grades(values.get("grades", {}), source, problems)
    schedule = build_schedule(values.get("deduction", {}).get("tiers", []), source, problems,
                              stated="tiers" in values.get("deduction", {}))
    payment = build_payment(values.get("payment", {}), source, problems)
    deadlines = build_deadlines(values.get("deadlines", {}), source, problems)
    lines, included, complete = _lines(values.get("lines", []), source, problems)
    for key, what, bound, why in (("annual_fee", "年服务费", HALF_YEARS * MAX_FEE, f"：每期服务费不能超过 {MAX_FEE:,} 元"),
                                  ("crypto_penalty", "密评扣款", MAX_FEE, "")):
        if isinstance(values.get(key), Decimal) and values[key] > bound:  # the summary's formulas and columns
            problems.append(Problem(f"{what} {values[key]:,} 元超过 {bound:,} 元{why}（汇总表的公式和金额栏只为此以内的"
                                    "金额设计）", file=source, key=key, code="E-DATA-VALUE"))
    if "lines" in values and not lines and complete:
        problems.append(Problem("合同没有计价的服务清单行（附件 1）", file=source, key="lines", code="E-DATA-VALUE"))
    elif complete and lines and "annual_fee" in values and sum(line.amount for line in lines) != values["annual_fee"]:
        problems.append(Problem(f"服务清单合计 {sum(line.amount for line in lines)} 与年服务费 {values['annual_fee']} 不符",
                                file=source, key="annual_fee", code="E-DATA-VALUE"))
    share = values.get("rectification", {}).get("below_share", Decimal("0.6"))
    if not 0 < share <= 1:
        problems.append(Problem("below_share 须大于 0、不大于 1", file=source, key="rectification.below_share",
                                code="E-DATA-VALUE"))
    policies = {str(k): str(v) for k, v in values.get("policies", {}).items()}
    for key, value in policies.items():
        try:
            check_policy(key, value)
        except ValueError as exc:
            problems.append(Problem(str(exc), file=source, key=f"policies.{key}", code="E-DATA-VALUE"))
    if problems:
        raise ContractError(problems)
    return Contract(
        id=values["id"], name=values["name"], buyer=values["buyer"], rubric=values["rubric"],
        service_start=values["service_start"], service_end=values["service_end"],
        annual_fee=values["annual_fee"], settlements_per_year=values["settlements_per_year"],
        crypto_penalty=values["crypto_penalty"], lines=tuple(lines), grades=grades, schedule=schedule,
        payment=payment, deadlines=deadlines, included_lines=tuple(included),
        overdue_use_fee=values["overdue_use_fee"], policies=policies, rectification_below_share=share,
        clauses=Clauses(**values.get("clauses", DEFAULT_CLAUSES)), crypto_penalty_stated="crypto_penalty" in data,
    )


def load_contract(path: str | Path) -> Contract:
    """Read and check a contract TOML file (every key declared in KEYS)."""
    return contract_from_dict(read_toml(path, ContractError, "合同"), source=str(path))


def contract_option(contract_id: str) -> str:
    """What to give on the command line for the files of contract `contract_id`: its --contract file, or no
    --contract for the embedded contract (the secretary has no file of it)."""
    if contract_id == default_contract().id:
        return "不加 --contract（它属于内置合同）"
    return f"用 --contract 指定合同“{contract_id}”的文件"


@lru_cache(maxsize=1)
def default_contract() -> Contract:
    """The embedded contract of contract-excerpt.md."""
    return contract_from_dict(packaged_toml(DEFAULT_CONTRACT), source=DEFAULT_CONTRACT)
