"""Summarizing a panel: read and check the experts' sheets, apply the evidence, assess, write the summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from scoring.errors import InputError, Problem, ScorecardError
from scoring.evidence.params import CRYPTO_RULE
from scoring.jobs.common import check_output, load_contract, read_fee, resolve_period, same_file, sha256
from scoring.jobs.prepare import evaluate_evidence

if TYPE_CHECKING:
    from scoring.assess import Assessment
    from scoring.contract import Contract


def assess_panel(inputs: Sequence[str | Path], *, evidence: str | Path | None = None, fee: str | None = None,
                 year_end: bool = False, policy: Sequence[str] = (), contract_path: str | Path | None = None,
                 out: Path | None = None, extra: list[Problem] | None = None,
                 notices: list[str] | None = None, payment: tuple[date, date] | None = None,
                 corrections: Sequence[Any] = (), evidence_folder: Path | None = None) -> Assessment:
    """Read and check a panel (R1.2, R2), apply the evidence (R5-R9) and assess it; writes nothing.

    Raises InputError listing every problem, with `extra` problems found by the caller. What was skipped
    or converted in the sheets folders goes to `notices` (scoring.excel.discovery). `payment` is
    (due, paid) for the late-payment damages (R10). `evidence_folder` is where batch takes a panel's evidence
    from (None: the --evidence option), for the messages that ask for it.
    """
    from scoring.assess import assess
    from scoring.excel.reader import read_panel
    from scoring.panel import check_panel
    from scoring.policies import make_policies

    contract, rubric, _ = load_contract(contract_path)
    problems: list[Problem] = list(extra or [])
    policies = fee_value = None
    try:
        policies = make_policies(contract.policies, list(policy))
    except InputError as exc:
        problems += exc.problems
    fee_value = read_fee(fee, problems)  # None: the period's, once it is known (below)
    sheets, found = read_panel(list(inputs), rubric, contract.id, notices=notices,
                               evidence_given=evidence is not None, evidence=evidence, out=out,
                               evidence_folder=evidence_folder)
    problems += found
    if corrections:  # 复核 under 87号令 Art. 64 (scoring/correction.py); the workbooks stay as they are
        from scoring.correction import apply_corrections

        sheets, found = apply_corrections(sheets, corrections, rubric)
        problems += found
    if out is not None:
        if evidence is not None and Path(evidence).resolve() == out.resolve():
            problems.append(Problem("输出文件不能是证据材料", file=str(out), code="E-OUTPUT"))
        check_output(out, inputs, [s.source for s in sheets], problems)

    period = None
    periods = [s.period for s in sheets if s.period]
    if periods:
        try:
            period = resolve_period(max(set(periods), key=periods.count), contract)
        except InputError as exc:
            problems += [Problem(p.message, code=p.code, **sheets[0].place("period")) for p in exc.problems]
    if fee is None and period is not None:
        fee_value = contract.fee_of(period)  # the year's last period takes the annual fee's odd cent (R10)
    is_year_end = period is not None and (year_end or contract.is_year_end(period))
    if is_year_end and evidence is None and period is not None and rubric.bound(CRYPTO_RULE):
        from scoring.excel.discovery import evidence_wanted

        problems.append(Problem(f"{period.code} 为服务期年终考核：{evidence_wanted(evidence_folder)}，"
                                "以确定密评是否通过（R5）", code="E-EVIDENCE-REQUIRED"))
    findings = None
    if evidence is not None and period is not None and policies is not None:
        try:
            findings = evaluate_evidence(evidence, contract, rubric, period, is_year_end, policies, notices)
        except InputError as exc:
            problems += exc.problems
    stale: list[Problem] = []
    if findings is not None and period is not None:  # with the other problems: every one in one round (README)
        from scoring.assess import check_ranges, of_period

        stale = check_ranges(of_period(sheets, period.code), rubric,
                             {k: (a.low, a.high) for k, a in findings.allowed.items()})
    if problems or stale or policies is None or period is None or fee_value is None:
        # no sheet read at all: the problems above say why; "评审专家只有 0 名" would only repeat it
        panel = check_panel(sheets, rubric) if sheets or not problems else []
        # sheets handed out before the evidence changed: say how to go on without losing scores
        advice = [_stale_hint(stale, sheets, evidence)] if stale else []
        raise InputError(problems + stale + panel or [Problem("没有可汇总的评分表", code="E-FILE-MISSING")],
                         advice=advice)
    ranges = {k: (a.low, a.high) for k, a in findings.allowed.items()} if findings else None
    return assess(sheets, rubric, contract, period, policies, fee_value, year_end=is_year_end,
                  crypto_penalty=bool(findings and findings.crypto_penalty), ranges=ranges, findings=findings,
                  payment=payment)


def _stale_hint(stale: list[Problem], sheets: Sequence[Any], evidence: str | Path | None) -> str:
    """What to do about scores outside the evidence's ranges (R6-R9): refresh sheets made from other evidence;
    sheets already made or refreshed from this very evidence need the experts, not another refresh."""
    from scoring.excel.properties import evidence_of_sheet

    digest = sha256(evidence) if evidence is not None else None
    files = list(dict.fromkeys(p.file for p in stale if p.file))
    if files and all(evidence_of_sheet(f) == digest for f in files):
        return (f"这些评分表已按当前证据材料（{evidence}）生成或更新，上列得分仍超出允许范围：请相关专家在评分表中"
                "重新填写这些得分后再汇总（评分表中注明了允许范围，无需再次 refresh）")
    from scoring.shell import argument, arguments

    folders = arguments(dict.fromkeys(str(Path(s.source).parent) for s in sheets))
    return (f"如果证据材料在发出评分表后有改动，请用 scorecard refresh {folders} --evidence {argument(str(evidence))} "
            "--out 新文件夹 更新评分表：保留专家已填写的得分和备注，并列出超出新范围的得分")


def relative(path: str | Path, out: str | Path) -> str:
    """Where an input is, as seen from the summary's folder (a path with / on every system), for `verify`."""
    return places([path], out)[0]


def places(paths: Sequence[str | Path], out: str | Path) -> list[str]:
    """relative() of many inputs: each folder resolved once (a panel's sheets share one; resolving walks every
    part of a path, 24 ms for 301 sheets). A file that is itself a link keeps its own name and place: that is
    the name the audit records, and where verify and correct look for it (recorded.recorded_path)."""
    import os

    base = Path(out).resolve().parent
    folders: dict[str, str] = {}
    found = []
    for path in map(str, paths):
        head, name = os.path.split(path)
        if head not in folders:  # as typed: a link in it is followed before any "..", as the system opens it
            folders[head] = os.path.realpath(head or os.curdir)
        real = os.path.join(folders[head], name)
        try:
            found.append(Path(os.path.relpath(real, base)).as_posix())
        except ValueError:  # another drive on Windows
            found.append(Path(real).as_posix())
    return found


def data_files(contract_path: str | Path | None) -> list[tuple[str, str, str]]:
    """(role, name, SHA-256) of the contract and rubric files in use, for the audit sheet and `verify` (§5)."""
    from importlib import resources

    from scoring.contract import DEFAULT_CONTRACT, load_contract as read
    from scoring.rubric import DEFAULT_RUBRIC

    if contract_path is None:
        folder = resources.files("scoring.data")
        with resources.as_file(folder.joinpath(DEFAULT_CONTRACT)) as c, resources.as_file(folder.joinpath(DEFAULT_RUBRIC)) as r:
            return [("合同", c.name, sha256(c)), ("考核办法", r.name, sha256(r))]
    path = Path(contract_path)
    rubric = path.parent / read(path).rubric
    return [("合同", path.name, sha256(path)), ("考核办法", rubric.name, sha256(rubric))]


def terms_context(contract: Contract) -> dict[str, Any]:
    """The contract's terms as plain values for the summary template (R3, R4, R10), so that its texts and
    formulas can follow the contract in use instead of the embedded contract's 80 / 60 / 0.05 %."""
    from scoring.report import number

    def cell(value: Fraction | None) -> object:
        return None if value is None else number(value)

    return {
        "grades": [{"min": cell(b.min), "grade": b.grade} for b in contract.grades.bands] + [
            {"min": 0, "grade": contract.grades.below}],
        "tiers": [{"min": cell(t.min), "top": cell(t.top), "label": t.label, "rate": cell(t.rate),
                   "per_point": cell(t.per_point)} for t in contract.schedule.tiers],
        "late_daily_rate": cell(contract.payment.late_daily_rate),
        "termination_days_late": contract.payment.termination_days_late,
        "due_working_days": contract.payment.due_working_days,
    }


def summarize(inputs: Sequence[str | Path], out: str | Path, *, evidence: str | Path | None = None,
              fee: str | None = None, year_end: bool = False, policy: Sequence[str] = (),
              contract_path: str | Path | None = None, template: str | Path | None = None,
              history: Sequence[str | Path] = (), payment: tuple[str, str] | None = None,
              pdf: bool = False, notices: list[str] | None = None, failures: list[str] | None = None,
              force: bool = False, corrections: Sequence[Any] = (),
              rectification: str | Path | None = None, evidence_folder: Path | None = None) -> Assessment:
    """Validate and assess a panel (see assess_panel) and write the summary workbook, with `pdf` its PDF too
    (written together; a stale PDF beside it is removed: scoring.excel.outputs). `corrections` are 复核 records
    (scorecard correct), `rectification` an earlier period's notice to check (scoring/additions.py),
    `evidence_folder` where batch takes the panel's evidence from (assess_panel).

    `payment` is (due date, paid date) as 'YYYY-MM-DD' for the late-payment lines (R10). One-line notices
    for the secretary are added to `notices`, a PDF that could not be made to `failures`. An existing
    `out` that is not a summary of ours is replaced only with `force`.

    Returns the Assessment. Raises InputError listing every problem; nothing is written then.
    """
    from scoring.excel.outputs import is_summary, saved_by_others, write_summary
    from scoring.excel.summary import build_summary, default_template
    from scoring.recorded import BUILT_IN, HISTORY, NOTICE
    from scoring.report import InputFile, summary_context

    out = Path(out)
    problems: list[Problem] = []
    if out.is_file() and not force and not is_summary(out):
        problems.append(Problem("输出文件已存在且不是本程序生成的汇总表，未覆盖；确需覆盖请加 --force，或换一个文件名",
                                file=str(out), code="E-OUTPUT"))
    elif out.is_file() and not force and saved_by_others(out):
        problems.append(Problem("汇总表生成后被 Excel、WPS 或 LibreOffice 保存过（可能已填写签字、意见或付款日期），未覆盖；"
                                "确需覆盖请加 --force，或换一个文件名", file=str(out), code="E-OUTPUT"))
    from scoring.excel.locks import OpenElsewhere, lock_of

    lock = lock_of(out)
    if lock is not None:
        problems.append(Problem(OpenElsewhere(out, lock).chinese(), file=str(out), code="E-OUTPUT"))
    template = Path(template) if template else default_template()
    if not template.is_file():
        problems.append(Problem("模板文件不存在", file=str(template), code="E-FILE-MISSING"))
    for role, given in ((HISTORY, history), (NOTICE, [rectification] if rectification else []), ("模板", [template])):
        if any(same_file(out, Path(p)) for p in given):  # a signed record replaced by this period's summary
            problems.append(Problem(f"输出文件不能是输入的{role}", file=str(out), code="E-OUTPUT"))
    earlier: list[Any] = []
    if history:  # earlier summaries, each recomputed from its own scores (scoring/history.py)
        from scoring.history import read_history

        contract, rubric, _ = load_contract(contract_path)
        earlier, found = read_history(history, contract, rubric, data_files(contract_path))
        problems += found
    dates = None
    if payment:
        try:
            dates = (date.fromisoformat(payment[0]), date.fromisoformat(payment[1]))
        except ValueError:
            problems.append(Problem(f"付款日期“{payment[0]}”“{payment[1]}”应写成 YYYY-MM-DD", code="E-ARGUMENT"))
    a = assess_panel(inputs, evidence=evidence, fee=fee, year_end=year_end, policy=policy,
                     contract_path=contract_path, out=out, extra=problems, notices=notices, payment=dates,
                     corrections=corrections, evidence_folder=evidence_folder)
    files = [InputFile("专家评分表", Path(s.source).name, s.sha256 or sha256(s.source), place)
             for s, place in zip(a.sheets, places([s.source for s in a.sheets], out))]
    if evidence is not None:
        files.append(InputFile("证据材料", Path(evidence).name, sha256(evidence), relative(evidence, out)))
    shipped = template.resolve() == default_template().resolve()
    files.append(InputFile("模板", template.name, sha256(template), BUILT_IN if shipped else relative(template, out)))
    # the earlier summaries and the notice: `correct` gives them again (trend charts, 整改情况), verify checks them
    files += [InputFile(HISTORY, Path(p).name, sha256(p), relative(p, out)) for p in history]
    if rectification is not None:
        files.append(InputFile(NOTICE, Path(rectification).name, sha256(rectification), relative(rectification, out)))
    files += [InputFile(role, name, digest, BUILT_IN if not contract_path else
                        relative(contract_path, out) if role == "合同" else "（合同文件指定）")
              for role, name, digest in data_files(contract_path)]  # verify: "合同文件…不同" (§5)
    from scoring.terms_digest import KEY, terms_digest

    options = {"fee": str(a.settlement.fee), "year_end": "on" if a.year_end else "off",
               "evidence": "on" if evidence is not None else "off", **a.policies.as_dict(),
               KEY: terms_digest(a.contract, a.rubric)}  # the terms, whatever bytes their files are written in
    from scoring.additions import additions  # the service-year parts: trend, corrections, dissents, rectification

    a, past, extra_sheets = additions(a, earlier if history else None, corrections, rectification, evidence)
    context = summary_context(a, files, options, history=past)
    context["terms"] = terms_context(a.contract)
    context["notice_correction"] = notice_correction(corrections)
    try:
        data = build_summary(context, template, extra_sheets)
    except InputError as exc:  # the renderer's problems are the template's (a secretary's restyled copy)
        raise InputError([replace(p, code="E-TEMPLATE") if p.code == "E-INPUT" else p for p in exc.problems]) from None
    try:
        shown, failure = write_summary(out, data, pdf, print_pdf)
    except PermissionError as exc:
        from scoring.jobs.common import unwritable

        raise unwritable(out, exc) from exc
    if notices is not None:
        notices += shown
        s = a.settlement
        if s.payable < 0:  # R5's penalty is a fixed sum: a small period fee cannot carry it
            notices.append(f"扣款合计 {s.total:,.2f} 元超过当次服务费 {s.fee:,.2f} 元，应付服务费为负数（{s.payable:,.2f} 元）："
                           "请核对服务费；超出部分须另行向乙方收取")
    if failure and failures is not None:
        failures.append(f"未生成 PDF：{failure}。汇总表已写入 {out}，可在 Excel/WPS 中打印，或解决后加 --pdf 重新运行。")
    return a


def notice_correction(corrections: Sequence[Any]) -> str:
    """The 通知书 sheet's line on a corrected result (87号令 Art. 64), blank when nothing was corrected: the
    supplier and finance read the amounts there, and must see that they follow a 复核. It is sent to the
    supplier, so it says what happened, not what the buyer still has to do (re-signing: 汇总 and the screen)."""
    if not corrections:
        return ""
    return (f"上述考核结果经评审小组复核更正 {len(corrections)} 处评分后确定（财政部令第87号第六十四条，"
            "更正记录见本工作簿“复核”表）。")  # the re-signing after a late correction is ours to do: 汇总 says it


def print_pdf(workbook: Path, folder: Path) -> Path:
    """Print a workbook to PDF in `folder` through LibreOffice headless; ScorecardError (Chinese) on failure."""
    from scoring.excel.libreoffice import LibreOfficeMissing, convert

    folder.mkdir(exist_ok=True)
    try:
        return convert(workbook, "pdf", folder)
    except LibreOfficeMissing:
        raise ScorecardError("本机未安装 LibreOffice") from None
    except (RuntimeError, OSError):
        raise ScorecardError("LibreOffice 打印失败（文件可能过大或 LibreOffice 无响应）") from None
