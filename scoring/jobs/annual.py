"""The secretary's year-end job: `scorecard annual` (年度结算) from the half-year summaries of one service year.

Checks everything first (each summary recomputes from its own recorded scores, one contract and rubric
version, each period once, inside the service year) and raises InputError listing every problem; only
then writes, atomically. The rules are in scoring.annual; this module reads and writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from scoring.errors import InputError, Problem

if TYPE_CHECKING:
    from scoring.annual import AnnualSettlement, YearCheck
    from scoring.recorded import Recomputed


@dataclass(frozen=True)
class DateOption:
    """An --invoice-date / --paid value: a date for the whole year, or PERIOD=DATE for one half."""

    label: str  # a period code or annual.YEAR
    day: date
    text: str


def parse_dates(values: Sequence[str], option: str, problems: list[Problem]) -> list[DateOption]:
    """'2027-01-15' (the whole year) or '2026H2=2027-01-15' (one half); problems for anything else."""
    from scoring.annual import YEAR

    result = []
    for text in values:
        label, sep, day = text.partition("=")
        if not sep:
            label, day = YEAR, text
        try:
            result.append(DateOption(label.strip().upper() if sep else YEAR, date.fromisoformat(day.strip()), text))
        except ValueError:
            problems.append(Problem(f"{option}“{text}”应写成 YYYY-MM-DD 或 考核期=YYYY-MM-DD（如 2026H2=2027-01-15）", code="E-ARGUMENT"))
    labels = [d.label for d in result]
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        problems.append(Problem(f"{option} 对“{label}”给出了多次", code="E-ARGUMENT"))
    return result


def payment_options(invoice: Sequence[str], paid: Sequence[str], periods: set[str],
                    problems: list[Problem]) -> tuple[list[DateOption], dict[str, DateOption]]:
    """(invoice dates, paid dates by label): each for a period that has a summary, or for the whole year; a paid
    date needs its invoice date."""
    from scoring.annual import YEAR

    invoices = parse_dates(invoice, "--invoice-date", problems)
    payments = {d.label: d for d in parse_dates(paid, "--paid", problems)}
    for d in invoices + list(payments.values()):
        if d.label != YEAR and d.label not in periods:
            problems.append(Problem(f"“{d.text}”：没有 {d.label} 的汇总表", code="E-ARGUMENT"))
    for label in payments:
        if label not in {d.label for d in invoices}:
            problems.append(Problem(f"--paid 给出了“{label}”的付款日期，但没有对应的 --invoice-date", code="E-ARGUMENT"))
    return invoices, payments


def year_wide(evidences: Sequence[Any], contract: Any, terms: Any) -> tuple[YearCheck, ...]:
    """R9 over the service year: drills and training of every half's evidence, each counted once. A half whose
    own evidence is given is counted from that evidence alone: the year-end evidence holds the whole service year
    (its template asks so), and the earlier half's drills typed there again, in other words, were counted twice."""
    from scoring.annual import service_periods, year_checks

    if not evidences:
        return ()
    start, end = contract.service_start, contract.service_end
    periods, own = service_periods(contract), {ev.period for ev in evidences}

    def counted(ev: Any, day: Any) -> bool:
        half = next((p.code for p in periods if p.start <= day <= p.end), None)
        return start <= day <= end and (half == ev.period or half not in own)

    drills = [(d.day, d.content) for ev in evidences for d in ev.drills if counted(ev, d.day)]
    trainings = [(t.day, t.persons, t.content) for ev in evidences for t in ev.trainings if counted(ev, t.day)]
    days = [d[0] for d in drills] + [t[0] for t in trainings]
    # a half is absent when no evidence file is its own and none of the others lists a drill or training in it
    # (the year-end evidence may hold the whole service year, as its template asks)
    absent = [p.code for p in service_periods(contract) if p.code not in {ev.period for ev in evidences}
              and not any(p.start <= day <= p.end for day in days)]
    return year_checks(drills, trainings, terms, absent)


def locate_evidence(results: Sequence[Recomputed], given: Sequence[str | Path], problems: list[Problem]) -> list[Path]:
    """The half-years' evidence workbooks: as given, or found beside each summary under the name its audit
    sheet records, and then only if the bytes still match the recorded SHA-256."""
    from scoring.jobs.common import sha256
    from scoring.recorded import recorded_path

    if given:
        missing = [Path(p) for p in given if not Path(p).is_file()]
        problems += [Problem("文件不存在", file=str(p), code="E-FILE-MISSING") for p in missing]
        return [Path(p) for p in given if Path(p).is_file()]
    found = []
    for r in results:
        for role, name, digest in r.record.inputs:
            path = recorded_path(r.record.source, r.record.input_places.get((name, digest), ""), name) \
                or Path(r.record.source).parent / name
            if role != "证据材料" or not path.is_file():
                continue
            if sha256(path) != digest:
                problems.append(Problem("证据材料已修改（SHA-256 与汇总表的记录不同），请用 --evidence 指定或核实",
                                        file=str(path), code="E-FILE-CHANGED"))
            else:
                found.append(path)
    return list(dict.fromkeys(found))


def annual(summaries: Sequence[str | Path], out: str | Path | None, *, invoice: Sequence[str] = (),
           paid: Sequence[str] = (), evidence: Sequence[str | Path] = (),
           contract_path: str | Path | None = None, force: bool = False) -> AnnualSettlement:
    """The year's settlement (scoring.annual.AnnualSettlement); writes the workbook to `out` when given.

    Raises InputError listing every problem; nothing is written then.
    """
    from scoring.annual import YEAR, HalfYear, payment, settle_year, year_problems
    from scoring.calendar import CalendarYearMissing, make_calendar
    from scoring.excel.evidence_reader import read_evidence
    from scoring.recorded import check_series, read_and_check
    from scoring.jobs.common import load_contract, not_xlsx

    contract, rubric, _ = load_contract(contract_path)
    from scoring.year_terms import year_terms

    terms = year_terms(contract, rubric)
    problems: list[Problem] = []
    if not summaries:
        problems.append(Problem("没有给出汇总表", code="E-FILE-MISSING"))
    from scoring.jobs.summarize import data_files

    results, found = read_and_check(summaries, contract, rubric, data=data_files(contract_path))
    problems += found
    problems += check_series(results, contract)
    halves = [HalfYear(r.record.period, r.fee, r.total, r.grade, r.assessment, r.crypto_penalty, r.deduction_total,
                       r.payable, r.record.source, r.rate) for r in results]
    problems += year_problems(halves, contract)
    invoices, payments = payment_options(invoice, paid, {h.period for h in halves}, problems)
    if out is not None:
        out = Path(out)
        if any(out.resolve() == Path(s).resolve() for s in summaries):
            problems.append(Problem("输出文件不能是输入的汇总表之一", file=str(out), code="E-OUTPUT"))
        problems += not_xlsx(out)
        if not out.parent.resolve().is_dir():
            problems.append(Problem("输出文件夹不存在", file=str(out.parent), code="E-OUTPUT"))
        elif out.exists() and not force:  # finance may have typed fees or payment dates into it
            problems.append(Problem("输出文件已存在（可能已填写服务费或付款日期），未覆盖；确需覆盖请加 --force，或换一个文件名",
                                    file=str(out), code="E-OUTPUT"))
    evidences = []
    for path in locate_evidence(results, evidence, problems):
        ev, found = read_evidence(path, contract.crypto_penalty, contract.id)
        problems += found
        if ev is not None:
            evidences.append(ev)
    if problems:
        raise InputError(problems)

    checks = year_wide(evidences, contract, terms)
    calendar = make_calendar([row for ev in evidences for row in ev.holidays])
    settled = settle_year(halves, contract)
    amounts = {h.period: h.payable for h in halves} | {YEAR: settled.payable}
    planned = []
    for d in invoices:
        try:
            planned.append(payment(d.label, amounts[d.label], d.day, payments[d.label].day if d.label in payments else None,
                                   calendar, contract.payment))
        except CalendarYearMissing as exc:
            problems.append(Problem(f"计算 {d.label} 的付款到期日：{exc}（用 --evidence 给出含该年“节假日调整”表的证据材料；"
                                    f"需要 {exc.year} 年的节假日安排）", code="E-CALENDAR-YEAR"))
    if problems:
        raise InputError(problems)
    result = settle_year(halves, contract, planned, checks)
    if not checks and (terms.min_drills is not None or terms.min_training is not None):
        from dataclasses import replace

        result = replace(result, unchecked=True)
    if out is not None:
        from scoring.excel.annual_sheet import build_annual_workbook
        from scoring.excel.atomic import write_atomic

        data = build_annual_workbook(result, contract, {h.period: Path(h.source).name for h in halves}, terms)
        try:
            write_atomic(out, lambda handle: None if handle.write(data) else None)
        except PermissionError as exc:
            from scoring.jobs.common import unwritable

            raise unwritable(out, exc) from exc
    return result


def annual_table(a: AnnualSettlement) -> str:
    """The year's settlement as plain text for the terminal (Chinese labels)."""
    from scoring.numbers import format_number

    lines = [f"年度结算：合同 {a.contract_id}，服务年度 {a.service_start} 至 {a.service_end}"]
    if a.partial:
        lines.append(f"※ 部分年度：缺少 {'、'.join(a.missing)} 的汇总表")
    for h in a.periods:
        lines.append(f"  {h.period}  服务费 {h.fee:,.2f}  总分 {format_number(h.total)}  {h.grade}  "
                     f"扣款 {h.deduction_total:,.2f}  应付 {h.payable:,.2f}")
    crypto = f"（含密评扣款 {a.crypto_penalty:,.2f} 元）" if a.crypto_penalty else ""  # none charged: not named
    lines.append(f"全年服务费 {a.fee:,.2f} 元，扣款合计 {a.deduction_total:,.2f} 元{crypto}，应付 {a.payable:,.2f} 元")
    for line in a.lines:
        lines.append(f"  {line.name}（税率 {format_number(line.tax_rate * 100)}%）应付 {line.amount:,.2f} = "
                     f"不含税 {line.before_tax:,.2f} + 税额 {line.tax:,.2f}")
    for p in a.payments:
        text = f"  {p.label}：开票 {p.invoiced}，付款到期 {p.due}"
        if p.late:
            text += f"，实际付款 {p.paid}，逾期 {p.late.days_late} 天，违约金 {p.late.interest:,.2f} 元"
            text += "，※ 乙方有权解除合同" if p.late.may_terminate else ""
        lines.append(text)
    lines += [("  ※ " if c.short or not c.complete else "  ") + c.text for c in a.checks]
    if a.unchecked:
        lines.append("  ※ 未找到证据材料：未核对服务年度的应急演练次数和培训人次（R9；用 --evidence 给出两个半年度的证据材料，"
                     "或把证据材料放回汇总表旁边）")
    return "\n".join(lines)
