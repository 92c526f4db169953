"""Preparing a period: the blank evidence workbook, the evidence rules applied, the experts' scoring workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from scoring.errors import InputError, Problem
from scoring.jobs.common import expert_names, load_contract, not_xlsx, resolve_period, write_workbook

if TYPE_CHECKING:
    from scoring.contract import Contract
    from scoring.evidence.allowed import Findings
    from scoring.period import Period
    from scoring.policies import Policies
    from scoring.rubric import Rubric


def refuse_overwrite(path: Path, what: str) -> None:
    """InputError unless `path` is free: a file a person may have filled is replaced only with --force."""
    if path.exists():
        raise InputError(Problem(f"文件已存在（{what}），为避免覆盖已填写的内容未生成；确需重新生成请加 --force，"
                                 "或换一个文件名", file=str(path), code="E-OUTPUT"))


def evidence_template(period_text: str, out: str | Path, contract_path: str | Path | None = None,
                      force: bool = False) -> Path:
    """Write a blank evidence workbook for a period (interfaces.md §2); an existing file only with `force`."""
    from scoring.excel.evidence_sheet import build_evidence_workbook

    contract, rubric, _ = load_contract(contract_path)
    period = resolve_period(period_text, contract)
    out = Path(out)
    if not out.parent.resolve().is_dir():
        raise InputError(Problem("输出文件夹不存在", file=str(out.parent), code="E-OUTPUT"))
    if not_xlsx(out):
        raise InputError(not_xlsx(out))
    if not force:
        refuse_overwrite(out, "可能是已填写的证据材料")
    write_workbook(out, build_evidence_workbook(contract, period, rubric))
    return out


def evaluate_evidence(path: str | Path, contract: Contract, rubric: Rubric, period: Period, year_end: bool,
                      policies: Policies, notices: list[str] | None = None) -> Findings:
    """Read an evidence workbook and apply R5-R9; InputError names every bad cell or a missing calendar year.
    Rows dated outside what the rules count are told in `notices` (evidence/outside.py)."""
    from scoring.calendar import CalendarYearMissing, HolidayNotListed
    from scoring.evidence.allowed import evaluate
    from scoring.excel.evidence_reader import read_evidence

    evidence, problems = read_evidence(path, contract.crypto_penalty, contract.id)
    if evidence is None:
        raise InputError(problems)
    if evidence.period != period.code:
        sheet, cell = evidence.period_cell
        raise InputError(Problem(f"证据材料的考核期为“{evidence.period}”，不是 {period.code}：请使用本期的证据材料"
                                 f"（可用 scorecard evidence-template --period {period.code} 生成）", file=str(path),
                                 sheet=sheet, cell=cell, code="E-EVIDENCE-PERIOD"))
    if notices is not None:
        from scoring.evidence.outside import outside_notice, outside_rows
        from scoring.policies import SERVICE_YEAR_SPAN

        year_first = contract.service_start
        outage_first = year_first if policies.availability_period == SERVICE_YEAR_SPAN else period.start
        rows = outside_rows(evidence, period.start, period.end, year_first, outage_first)
        notices += [n for n in [outside_notice(rows, period.code, period.start, period.end, year_first)] if n]
    try:
        return evaluate(evidence, rubric, contract, period, year_end, policies)
    except CalendarYearMissing as exc:
        code = "E-CALENDAR-HOLIDAY" if isinstance(exc, HolidayNotListed) else "E-CALENDAR-YEAR"
        raise InputError(Problem(str(exc), file=str(path), sheet="节假日调整", code=code)) from None


def new_panel(period_text: str, experts_text: str, out: str | Path, *, evidence: str | Path | None = None,
              year_end: bool = False, force: bool = False, contract_path: str | Path | None = None,
              policy: Sequence[str] = (), notices: list[str] | None = None) -> list[Path]:
    """Write one scoring workbook per expert, DIR/<P>_<expert>.xlsx; with evidence, allowed ranges narrowed (R5-R9).
    Without evidence a notice says so (`notices`): at the year end summarize will need it (R5)."""
    from scoring.excel.expert_sheet import build_expert_workbook
    from scoring.policies import make_policies

    contract, rubric, _ = load_contract(contract_path)
    period = resolve_period(period_text, contract)
    experts = expert_names(experts_text)
    year_end = year_end or contract.is_year_end(period)
    policies = make_policies(contract.policies, list(policy))
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(Problem("输出位置已存在且不是文件夹", file=str(out), code="E-OUTPUT"))
    targets = {name: out / f"{period.code}_{name}.xlsx" for name in experts}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not force:
        raise InputError([Problem("评分表已存在，为避免覆盖专家已填写的内容未生成；确需重新生成请加 --force",
                                  file=str(p), code="E-OUTPUT") for p in existing])
    allowed = digest = None
    if evidence is not None:
        from scoring.jobs.common import sha256

        allowed = evaluate_evidence(evidence, contract, rubric, period, year_end, policies, notices).allowed
        digest = sha256(evidence)
    books = {name: build_expert_workbook(rubric, contract, period, name, year_end, allowed, evidence_sha256=digest)
             for name in experts}
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from scoring.cli_text import os_reason

        raise InputError(Problem(f"无法创建输出文件夹：{os_reason(exc)}", file=str(out), code="E-OUTPUT")) from None
    for name, wb in books.items():
        write_workbook(targets[name], wb)
    if evidence is None and notices is not None:
        notices.append("※ 未提供证据材料：评分表中各分项只按 0 到分值限制，不显示证据和允许范围；"
                       + (f"{period.code} 为服务期年终考核，汇总时须用 --evidence 提供证据材料（R5），建议现在就用 "
                          "--evidence 重新生成评分表" if year_end else "如需按证据规则限制得分，请加 --evidence 证据材料.xlsx 重新生成"))
    return list(targets.values())
