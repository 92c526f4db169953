"""The rectification notice job: `scorecard rectify` (整改通知书, contract 五 and 六.1).

From a (trusted) summary: the items chosen, or by default those scored below the contract's share of their
points; the deadline of 5 working days after the vendor receives the notice (R7, when the date is known);
a one-page notice plus the record the next period's `summarize --rectification FILE` reads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from scoring.errors import InputError, Problem

if TYPE_CHECKING:
    from scoring.assess import Assessment
    from scoring.rectification import Notice, Outcome
    from scoring.recorded import Recomputed


def holidays_beside(record_sources: Sequence[Recomputed], evidence: Sequence[str | Path],
                    problems: list[Problem]) -> tuple[list[tuple[date, str]], list[Path]]:
    """The user's holiday rows (R7) of the given evidence workbooks, or of those the summaries' audit records;
    and the workbooks read (named when a year is missing from them)."""
    from scoring.excel.evidence_reader import read_evidence
    from scoring.jobs.annual import locate_evidence

    rows, read = [], []
    for path in locate_evidence(record_sources, evidence, problems):
        ev, found = read_evidence(path)
        problems += found
        read.append(path)
        if ev is not None:
            rows += list(ev.holidays)
    return rows, read


def rectify(summary: str | Path, out: str | Path, *, items: str | None = None, received: str | None = None,
            evidence: Sequence[str | Path] = (), contract_path: str | Path | None = None,
            force: bool = False) -> Notice:
    """Write the notice and its record to `out`; returns the Notice. InputError lists every problem."""
    from scoring.calendar import CalendarYearMissing, make_calendar
    from scoring.excel.atomic import write_atomic
    from scoring.excel.rectification_sheet import build_notice_workbook
    from scoring.jobs.common import load_contract, not_xlsx
    from scoring.rectification import Notice, RectificationItem, deadline, items_below
    from scoring.numbers import format_number
    from scoring.recorded import read_and_check

    contract, rubric, _ = load_contract(contract_path)
    from scoring.year_terms import year_terms

    terms = year_terms(contract, rubric)
    summary, out = Path(summary), Path(out)
    from scoring.jobs.summarize import data_files

    results, problems = read_and_check([summary], contract, rubric, data=data_files(contract_path))
    day = None
    if received:
        try:
            day = date.fromisoformat(received)
        except ValueError:
            problems.append(Problem(f"--received “{received}”应写成 YYYY-MM-DD", code="E-ARGUMENT"))
    problems += not_xlsx(out)
    if out.resolve() == summary.resolve() or not out.parent.resolve().is_dir():
        problems.append(Problem("输出文件不能是汇总表，且其文件夹须存在", file=str(out), code="E-OUTPUT"))
    elif out.exists() and not force:  # the secretary types the receipt and completion dates into it
        problems.append(Problem("输出文件已存在（可能已填写送达日期和完成日期），未覆盖；确需覆盖请加 --force，或换一个文件名",
                                file=str(out), code="E-OUTPUT"))
    holidays, read = holidays_beside(results, evidence, problems) if day else ([], [])
    if problems:
        raise InputError(problems)
    r = results[0]
    panel: Any = r.panel
    by_key = {i.id: i for i in rubric.items} | {i.name: i for i in rubric.items}
    if items:
        chosen: list[str] = []
        unknown: list[str] = []
        for key in (k.strip() for k in items.replace("，", ",").split(",") if k.strip()):
            (chosen if key in by_key else unknown).append(key)
        if unknown:
            known = "、".join(f"{i.id}（{i.name}）" for i in rubric.items)
            raise InputError(Problem(f"--items 中的“{'、'.join(unknown)}”不是考核办法的分项，可用编号或名称：{known}",
                                     code="E-ARGUMENT"))
        picked = [RectificationItem(i.id, i.name, panel.item(i.id).panel, i.points)
                  for i in rubric.items if i.id in {by_key[k].id for k in chosen}]
    else:
        picked = items_below(panel.items, terms.rectification_below_share)
        if not picked:
            raise InputError(Problem(f"{r.record.period} 没有得分低于分值 {format_number(terms.rectification_below_share * 100)}% 的分项；"
                                     "如需整改请用 --items 指定分项", code="E-ARGUMENT"))
    due = None
    if day:
        try:
            due = deadline(day, terms.rectification_working_days, make_calendar(holidays))
        except CalendarYearMissing as exc:
            looked = "已读取的证据材料中没有；" if read else "没有找到证据材料；"
            raise InputError(Problem(f"计算整改期限：{exc}（{looked}用 --evidence 给出含该年“节假日调整”表的证据材料；"
                                     f"需要 {exc.year} 年的节假日安排）", file=str(read[0]) if read else "",
                                     sheet="节假日调整" if read else "", code="E-CALENDAR-YEAR")) from None
    notice = Notice(contract.id, r.record.period, tuple(picked), terms.rectification_working_days, day, due)
    data = build_notice_workbook(notice, contract, rubric, terms.rectification_below_share, chosen=bool(items))
    try:
        write_atomic(out, lambda handle: None if handle.write(data) else None)
    except PermissionError as exc:
        from scoring.jobs.common import unwritable

        raise unwritable(out, exc) from exc
    return notice


def rectification_check(path: str | Path, a: Assessment,
                        evidence: str | Path | None) -> tuple[list[Outcome], list[str], list[Problem]]:
    """(outcomes, warnings, problems) of an earlier period's notice against the current assessment `a`."""
    from dataclasses import replace

    from scoring.calendar import CalendarYearMissing, make_calendar
    from scoring.excel.rectification_sheet import read_notice
    from scoring.period import parse_period
    from scoring.rectification import outcome_warnings, outcomes

    notice = read_notice(path)
    problems = []
    if notice.contract_id != a.contract.id:
        problems.append(Problem(f"整改通知属于合同“{notice.contract_id}”，不是本次考核的合同“{a.contract.id}”",
                                file=str(path), code="E-RECTIFICATION"))
    try:
        earlier = parse_period(notice.period).start < a.period.start
    except ValueError:
        earlier = False
    if not earlier:
        problems.append(Problem(f"整改通知针对的考核期“{notice.period}”不早于本期 {a.period.code}",
                                file=str(path), code="E-RECTIFICATION"))
    if problems:
        return [], [], problems
    holidays: list[tuple[date, str]] = []
    if evidence is not None:
        from scoring.excel.evidence_reader import read_evidence

        ev, _ = read_evidence(evidence)
        holidays = list(ev.holidays) if ev else []
    notice = replace(notice, working_days=a.contract.deadlines.rectification_working_days)
    try:
        found = outcomes(notice, make_calendar(holidays))
    except CalendarYearMissing as exc:
        return [], [], [Problem(f"判断整改是否按时：{exc}（需要 {exc.year} 年的节假日安排，请在本期证据材料的“节假日调整”表中填写）",
                                file=str(path), code="E-CALENDAR-YEAR")]
    unknown = [] if notice.received or notice.deadline else [
        f"整改通知书 {path} 未填写送达日期（{notice.received_at}）：无法判断各项是否按时整改；请填写乙方签收的日期后重新汇总"]
    return found, unknown + outcome_warnings(notice, found), []
