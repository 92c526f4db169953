"""The contract as data: service year, fees, annex-1 priced lines, default policies (R10)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from scoring.tomlfile import packaged_toml, read_toml
from scoring.errors import ContractError, Problem
from scoring.money import CENT
from scoring.period import Period
from scoring.terms import Terms, terms_from_dict

DEFAULT_CONTRACT = "contract-hebi-backup-2026.toml"


@dataclass(frozen=True)
class PricedLine:
    """One priced line of annex 1, VAT included, with its VAT rate."""

    name: str
    amount: Decimal
    tax_rate: Decimal


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
    included_lines: tuple[str, ...] = ()
    overdue_use_fee: Decimal = Decimal("0.00")
    policies: dict[str, str] = field(default_factory=dict)
    terms: Terms = Terms()  # payment, rectification and year minimums (scoring/terms.py)

    @property
    def period_fee(self) -> Decimal:
        """The default fee F of one assessment period: the annual fee over the settlements (R10)."""
        return (self.annual_fee / self.settlements_per_year).quantize(CENT)

    def covers(self, period: Period) -> bool:
        """Whether the period lies inside the service year."""
        return self.service_start <= period.start and period.end <= self.service_end

    def is_year_end(self, period: Period) -> bool:
        """Whether this is the 服务期年终考核: the period ends where the service year ends (R5)."""
        return period.end == self.service_end


def _money(value: object, what: str, problems: list[Problem], source: str) -> Decimal:
    try:
        amount = Decimal(str(value)) if isinstance(value, str) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        problems.append(Problem(f"{what}“{value}”必须写成带引号的金额，如 \"582000.00\"", file=source))
        return Decimal("0.00")
    return amount.quantize(CENT)


def _rate(value: object, what: str, problems: list[Problem], source: str) -> Decimal:
    try:
        rate = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not (0 <= rate < 1):
        problems.append(Problem(f"{what}“{value}”必须写成带引号的小数，如 \"0.06\"", file=source))
        return Decimal(0)
    return rate


def contract_from_dict(data: dict, source: str = "") -> Contract:
    """Build and check a contract from parsed TOML; raises ContractError listing every problem."""
    problems: list[Problem] = []
    for key in ("id", "name", "rubric"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(Problem(f"合同缺少“{key}”", file=source))
    start, end = data.get("service_start"), data.get("service_end")
    if not isinstance(start, date) or not isinstance(end, date) or start >= end:
        problems.append(Problem("合同服务期 service_start / service_end 必须是日期，且开始早于结束", file=source))
        start, end = date(2000, 1, 1), date(2000, 12, 31)
    annual_fee = _money(data.get("annual_fee"), "年服务费", problems, source)
    crypto_penalty = _money(data.get("crypto_penalty", "0.00"), "密评扣款", problems, source)
    overdue = _money(data.get("overdue_use_fee", "0.00"), "超期使用费", problems, source)
    settlements = data.get("settlements_per_year", 2)
    if not isinstance(settlements, int) or settlements < 1:
        problems.append(Problem("settlements_per_year 必须是正整数", file=source))
        settlements = 1
    lines, included = [], []
    for raw in data.get("lines", []):
        name = str(raw.get("name", ""))
        if raw.get("included"):
            included.append(name)
            continue
        amount = _money(raw.get("amount"), f"服务清单“{name}”金额", problems, source)
        rate = _rate(raw.get("tax_rate"), f"服务清单“{name}”税率", problems, source)
        if amount <= 0:
            problems.append(Problem(f"服务清单“{name}”金额必须大于 0", file=source))
        lines.append(PricedLine(name, amount, rate))
    if not lines:
        problems.append(Problem("合同没有计价的服务清单行（附件 1）", file=source))
    elif sum(line.amount for line in lines) != annual_fee:
        problems.append(Problem(f"服务清单合计 {sum(line.amount for line in lines)} 与年服务费 {annual_fee} 不符", file=source))
    policies = {str(k): str(v) for k, v in data.get("policies", {}).items()}
    terms = terms_from_dict(data, problems, source)
    if problems:
        raise ContractError(problems)
    return Contract(
        id=data["id"], name=data["name"], buyer=str(data.get("buyer", "")), rubric=data["rubric"],
        service_start=start, service_end=end, annual_fee=annual_fee,
        settlements_per_year=settlements, crypto_penalty=crypto_penalty,
        lines=tuple(lines), included_lines=tuple(included), overdue_use_fee=overdue, policies=policies,
        terms=terms,
    )


def load_contract(path: str | Path) -> Contract:
    """Read and check a contract TOML file."""
    return contract_from_dict(read_toml(path, ContractError, "合同"), source=str(path))


def default_contract() -> Contract:
    """The embedded contract of contract-excerpt.md."""
    return contract_from_dict(packaged_toml(DEFAULT_CONTRACT), source=DEFAULT_CONTRACT)
