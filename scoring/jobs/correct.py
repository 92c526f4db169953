"""The secretary's correction job: `scorecard correct` (复核 under 财政部令第87号 Art. 64).

Reads the summary and the inputs its audit sheet records (their bytes must be unchanged), records one
more correction after the ones the summary already carries, and writes a NEW summary recomputed from the
inputs plus every correction, with the 复核 sheet. The original summary is never written.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from scoring.errors import InputError, Problem

if TYPE_CHECKING:
    from scoring.assess import Assessment
    from scoring.correction import Correction
    from scoring.recorded import RecordedSummary


def locate_inputs(record: RecordedSummary, search: Sequence[Path], problems: list[Problem],
                  evidence: Path | None = None) -> dict[str, list[Path]]:
    """The files the summary's audit sheet records, each with the recorded SHA-256; role -> paths. A file
    still at its recorded place is the one (an unchanged copy elsewhere hides no change); else found by name
    in `search` (files or folders); the evidence is `evidence` when given (--evidence, renamed or moved).
    A missing or changed file is a problem."""
    from scoring.excel.summary import default_template
    from scoring.jobs.common import sha256
    from scoring.recorded import found_by_name, recorded_input

    found = found_by_name(record.source, search)  # .ods and .xls sheets too, as summarize read them
    shipped = default_template()
    roles: dict[str, list[Path]] = {}
    if evidence is not None and not any(role == "证据材料" for role, _, _ in record.inputs):
        problems.append(Problem("这份汇总表生成时没有使用证据材料（未应用证据规则），复核不能改用 --evidence；"
                                "如要应用证据规则，请用 summarize --evidence 重新汇总", file=record.source,
                                code="E-ARGUMENT"))
    for role, name, digest in record.inputs:
        path = recorded_input(record.source, record.input_places.get((name, digest), ""), name, digest,
                              found.get(name, []))
        if role == "证据材料" and evidence is not None:
            path = evidence if evidence.is_file() else None
        if role == "模板" and (path is None or sha256(path) != digest) and name == shipped.name:
            path = shipped
        if path is None:
            hint = "用 --evidence 指定" if role == "证据材料" else "请在命令中给出其所在文件夹"
            problems.append(Problem(f"找不到汇总表记录的输入文件 {name}（{role}）：{hint}",
                                    file=str(evidence) if role == "证据材料" and evidence else record.source,
                                    code="E-FILE-MISSING"))
        elif sha256(path) != digest and path != shipped:  # the shipped template changes with the program: layout only
            problems.append(Problem(f"文件已修改（{role}，SHA-256 与汇总表的记录不同），不能据此复核", file=str(path), code="E-FILE-CHANGED"))
        else:
            roles.setdefault(role, []).append(path)
    return roles


def correct(summary: str | Path, out: str | Path, *, expert: str, item: str, score: str, reason: str, by: str,
            inputs: Sequence[str | Path] = (), after_signing: bool = False,
            contract_path: str | Path | None = None, force: bool = False, pdf: bool = False,
            evidence: str | Path | None = None,
            failures: list[str] | None = None) -> tuple[Assessment, tuple[Correction, ...]]:
    """Record one correction and write the recomputed summary to `out` (with `pdf` its PDF, as summarize;
    `force` replaces an output that is no summary of ours); (Assessment, all corrections).

    Raises InputError listing every problem (a fifth reason, an unknown expert or item, a score outside
    the item's points, changed inputs); nothing is written then.
    """
    from scoring.correction import AFTER, BEFORE, REASONS, Correction, reason_key
    from scoring.numbers import parse_decimal
    from scoring.recorded import HISTORY, NOTICE, read_summary, recompute, record_edits
    from scoring.scores import check_score
    from scoring.jobs.common import load_contract
    from scoring.jobs.summarize import data_files, summarize

    contract, rubric, _ = load_contract(contract_path)
    summary, out = Path(summary), Path(out)
    record = read_summary(summary, rubric, contract.id)
    # records typed into the summary (评分明细, 复核, finance's fee) are not corrected: the new summary would drop
    # the edit silently, or carry it as if it were the record
    problems: list[Problem] = record_edits(record)
    # the contract's or rubric's terms changed since: the new summary would settle the period on them (tiers, the
    # 密评 penalty, the lines' split and tax) under the name of a correction; a correction keeps the summary's terms
    # (a summary older than the terms' digest: refused where a figure the terms decide moved)
    problems += [p for p in recompute(record, rubric, contract, data_files(contract_path))[1] if p.code == "E-FILE-CHANGED"]
    key = reason_key(reason)
    if key is None:
        allowed = "；".join(f"{k}（{v}）" for k, v in REASONS.items())
        problems.append(Problem(f"--reason “{reason}”不是财政部令第87号第六十四条允许的情形，只能是：{allowed}", code="E-CORRECTION"))
    items = {i.id: i for i in rubric.items} | {i.name: i for i in rubric.items}
    target = items.get(item.strip())
    if target is None:
        known = "、".join(f"{i.id}（{i.name}）" for i in rubric.items)
        problems.append(Problem(f"--item “{item}”不是考核办法的分项，可用编号或名称：{known}", code="E-CORRECTION"))
    if expert not in record.scores:
        problems.append(Problem(f"--expert “{expert}”不是本汇总表的评审专家（{'、'.join(record.scores)}）", code="E-CORRECTION"))
    new = None
    try:
        new = parse_decimal(score)
    except ValueError:
        problems.append(Problem(f"--score “{score}”不是数字", code="E-CORRECTION"))
    if new is not None and target is not None:
        why = check_score(new, target.points)
        if why:
            problems.append(Problem(f"--score {score}：“{target.name}”{why}", code="E-CORRECTION"))
        elif expert in record.scores and record.scores[expert].get(target.id) == new:
            problems.append(Problem(f"--score {score} 与原分相同，无需复核", code="E-CORRECTION"))
    if not by.strip():
        problems.append(Problem("--by 须写明复核人", code="E-CORRECTION"))
    if out.resolve() == summary.resolve():
        problems.append(Problem("复核结果须写入新的汇总表，不能覆盖原汇总表", file=str(out), code="E-OUTPUT"))
    roles = locate_inputs(record, [Path(p) for p in inputs] + [summary.parent], problems,  # given places first
                          evidence=Path(evidence) if evidence else None)
    if problems or target is None or new is None or key is None:
        raise InputError(problems)
    correction = Correction(expert, target.id, record.scores[expert][target.id], new, key, by.strip(),
                            datetime.now().replace(microsecond=0), AFTER if after_signing or record.signed else BEFORE)
    corrections = record.corrections + (correction,)
    options = record.options
    from scoring.policies import Policies

    evidences: list[Any] = roles.get("证据材料") or [None]
    templates: list[Any] = roles.get("模板") or [None]
    outside = _outside_evidence(evidences[0], contract, rubric, record, target, new, score, correction.old)
    if outside:
        raise InputError(outside)
    a = summarize(roles.get("专家评分表", []), out, evidence=evidences[0],
                  fee=options.get("fee"), year_end=options.get("year_end") == "on",
                  policy=[f"{k}={v}" for k, v in options.items() if k in Policies.__dataclass_fields__],
                  contract_path=contract_path, template=templates[0], corrections=corrections,
                  history=roles.get(HISTORY, []), rectification=next(iter(roles.get(NOTICE, [])), None),
                  force=force, pdf=pdf, failures=failures)
    return a, corrections


def _outside_evidence(evidence: Path | None, contract: Any, rubric: Any, record: RecordedSummary, item: Any,
                      new: Decimal, score: str, old: Decimal) -> list[Problem]:
    """R5-R9: the corrected score must lie in the range the summary's evidence allows; outside it, the problem is
    the --score given (the expert's sheet still holds the old score, and no refresh would help)."""
    if evidence is None:
        return []
    from scoring.jobs.common import resolve_period
    from scoring.jobs.prepare import evaluate_evidence
    from scoring.numbers import format_number
    from scoring.policies import Policies, make_policies

    period = resolve_period(record.period, contract)
    policies = make_policies(contract.policies, [f"{k}={v}" for k, v in record.options.items()
                                                 if k in Policies.__dataclass_fields__])
    allowed = evaluate_evidence(evidence, contract, rubric, period, record.year_end or contract.is_year_end(period),
                                policies).allowed[item.id]
    if allowed.low <= new <= allowed.high:
        return []
    return [Problem(f"--score {score}：“{item.name}”得分 {format_number(new)} 超出允许范围 {format_number(allowed.low)}–"
                    f"{format_number(allowed.high)} 分（证据规则允许的范围；专家原分 {format_number(old)}）", code="E-CORRECTION")]


def correction_lines(a: Assessment, corrections: Sequence[Correction]) -> list[str]:
    """The corrections in words, for the terminal."""
    from scoring.correction import REASONS
    from scoring.numbers import format_number

    names = {i.id: i.name for i in a.rubric.items}
    return [f"复核：专家“{c.expert}”的“{names.get(c.item, c.item)}” {format_number(c.old)} → {format_number(c.new)}，"
            f"{REASONS[c.reason]}（{c.reason}），复核人 {c.by}，{c.at:%Y-%m-%d %H:%M}，{c.stage}" for c in corrections]
