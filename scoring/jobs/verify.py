"""`verify`: recompute a summary from its inputs and list every difference (changed files, changed numbers)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from scoring.errors import InputError, Problem
from scoring.jobs.common import sha256
from scoring.jobs.summarize import assess_panel, data_files
from scoring.recorded import (AUDIT_SHEET, BUILT_IN, DATA_ROLES, FIGURE_LABELS, HISTORY, NOTICE, found_by_name,
                              recorded_input, shown)

if TYPE_CHECKING:
    from scoring.rubric import Rubric


def _audit(summary: Path) -> tuple[tuple[tuple[str, str, str, str], ...], dict[str, str], dict[str, object]]:
    """(inputs (role, name, sha256, place relative to the summary's folder or ''), options, named values)
    recorded in a summary workbook."""
    from scoring.excel.preflight import open_workbook
    from scoring.recorded import named_values, read_audit

    problems: list[Problem] = []
    wb = open_workbook(summary, problems, data_only=True)
    if wb is None:
        raise InputError(problems)
    if AUDIT_SHEET not in wb.sheetnames:
        raise InputError(Problem("不是本系统生成的汇总表：没有“审计”工作表", file=str(summary), code="E-FILE-FOREIGN"))
    audit = read_audit(wb[AUDIT_SHEET])
    return audit.files, audit.options, named_values(wb)[0]


def _corrections_edited(summary: Path, rubric: object) -> list[str]:
    """The 复核 rows that no longer lead to the 评分明细 scores (recorded.corrections_disagree), as differences."""
    from scoring.recorded import corrections_disagree, read_summary

    try:
        record = read_summary(summary, rubric)
    except InputError:  # 评分明细 unreadable: the comparison of every named figure below says what differs
        return []
    return [f"{p.sheet}!{p.cell}：{p.message}" for p in corrections_disagree(record)]


def _scores_only(summary: Path, experts: list[Path], rubric: Rubric, contract_id: str, changed: bool) -> list[str]:
    """The experts' scores against 评分明细 when the figures cannot be recomputed (the evidence is missing): a
    score typed over in the summary, or changed in a sheet, is still found."""
    from scoring.excel.reader import read_panel
    from scoring.excel.summary import score_differences

    sheets, problems = read_panel(list(experts), rubric, contract_id)
    return [] if problems else score_differences(summary, sheets, rubric, sheets_changed=changed)


def _same(recorded: object, computed: object) -> bool:
    from decimal import Decimal, InvalidOperation

    if isinstance(computed, str) or isinstance(recorded, str):
        return str(recorded) == str(computed)
    try:
        return abs(Decimal(str(recorded)) - Decimal(str(computed))) <= Decimal("1e-9")
    except (InvalidOperation, TypeError):
        return False


def verify(summary: str | Path, inputs: Sequence[str | Path] = (), contract_path: str | Path | None = None,
           evidence_path: str | Path | None = None) -> list[str]:
    """Recompute a summary from its inputs; the differences, in Chinese (none: everything agrees).

    Checks the PDF beside the summary (printed from this very workbook: scoring.excel.outputs), every input
    recorded in the audit sheet (missing, changed bytes; looked for in INPUTs, then beside the summary), the contract and rubric
    files when the audit records them, then recomputes with the recorded options and the contract
    `contract_path` (default: the embedded one) and compares every named number of the summary.
    `evidence_path` is the evidence to check, whatever its name now (--evidence).
    """
    from scoring.excel.summary import default_template
    from scoring.policies import Policies
    from scoring.report import number

    summary = Path(summary)
    files, options, values = _audit(summary)
    if not files:
        raise InputError(Problem("汇总表的“审计”表中没有输入文件记录", file=str(summary), code="E-FILE-FOREIGN"))
    # the given files and folders (else the summary's folder), then the evidence beside the summary (README)
    found = found_by_name(summary, [*([Path(p) for p in inputs] or [summary.parent]), *sorted(summary.parent.glob("*.xlsx"))])
    from scoring.excel.outputs import pdf_mismatch
    from scoring.jobs.common import load_contract

    contract, rubric, _ = load_contract(contract_path)
    recorded = values.get("contract_id")
    if recorded is not None and str(recorded) != contract.id:
        # the wrong contract given (or none): a usage error, exit 2, not a summary that disagrees with its inputs
        from scoring.contract import contract_option

        raise InputError(Problem(f"汇总表属于合同“{recorded}”，不是“{contract.id}”：请{contract_option(str(recorded))}后重新核对",
                                 file=str(summary), code="E-ARGUMENT"))
    if evidence_path is not None and not any(role == "证据材料" for role, *_ in files):
        raise InputError(Problem("这份汇总表生成时没有使用证据材料（未应用证据规则），--evidence 无从核对；"
                                 "如要应用证据规则，请用 summarize --evidence 重新汇总", file=str(summary), code="E-ARGUMENT"))
    differences = [m for m in [pdf_mismatch(summary)] if m]
    roles = {role for role, *_ in files}
    if "专家评分表" not in roles:  # nothing to recompute from: never "一致"
        differences.append("“审计”表中没有专家评分表的记录（审计记录被改动或删除），无法核对汇总表")
    if options.get("evidence") == "on" and "证据材料" not in roles:
        differences.append("“审计”表记录汇总时使用了证据材料（evidence = on），但没有证据材料的文件记录（审计记录被改动或删除），"
                           "无法核对证据材料")
    experts: list[Path] = []
    evidence: Path | None = None
    unscored = False  # a sheet or the evidence is missing (an earlier summary or a notice does not stop the check)
    sheet_missing = False
    changed_lines: dict[int, str] = {}  # index in differences -> role of each changed file
    shipped = default_template()
    current = {role: (name, digest) for role, name, digest in data_files(contract_path)}
    from scoring.terms_digest import KEY, terms_digest

    same_terms = options.get(KEY) == terms_digest(contract, rubric)  # other bytes, the same terms: no difference
    for role, name, digest, place in files:
        if role in DATA_ROLES:
            if current[role][1] != digest and not same_terms:
                differences.append(f"{role}文件与汇总表记录的不同：{current[role][0]}（SHA-256 不同，请用 --contract 指定当时的合同）")
            continue
        path = recorded_input(summary, place, name, digest, found.get(name, []))
        if role == "证据材料" and evidence_path is not None:
            path = Path(evidence_path)
            if not path.is_file():
                raise InputError(Problem("证据材料文件不存在", file=str(path), code="E-FILE-MISSING"))
        if role == "模板" and place == BUILT_IN:  # the shipped template, never a file of that name found nearby
            path = shipped
        elif role == "模板" and not place and (path is None or not inputs):  # a summary older than the places
            path = shipped if name == shipped.name else None
        if path is None:
            where = f"（汇总时位于 {place}）" if place and not place.startswith("（") else ""
            hint = ("：如已移动，请在命令后加上它的路径，如 scorecard verify 汇总表.xlsx 评分表文件夹 --evidence 证据材料.xlsx"
                    if role == "证据材料" else "：如已移动，请在命令后加上它所在的文件夹" if role != "模板" else "")
            looked = "给出的文件和文件夹" if inputs else "汇总表所在文件夹及其子文件夹"
            differences.append(f"缺少输入文件：{name}（{role}）{where}，在{looked}中没有找到{hint}")
            unscored = unscored or role in ("专家评分表", "证据材料")
            sheet_missing = sheet_missing or role == "专家评分表"
            continue
        if sha256(path) != digest and path == shipped:  # the program's own template, changed by an upgrade: layout,
            continue  # not figures (the engine computes them and the check below compares every one)
        if sha256(path) != digest:
            unchecked = "；其结论（趋势、整改情况）不在此重新核对，请用修改后的文件重新汇总" if role in (HISTORY, NOTICE) else ""
            changed_lines[len(differences)] = role
            differences.append(f"文件已修改：{path}（{role}，SHA-256 与汇总表的记录不同）{unchecked}")
        if role == "专家评分表":
            experts.append(path)
        elif role == "证据材料":
            evidence = path
    if not experts or unscored:  # a panel with a sheet or its evidence missing cannot be recomputed meaningfully;
        if not sheet_missing:  # without the evidence, every score is still compared with 评分明细
            differences += _scores_only(summary, experts, rubric, contract.id, "专家评分表" in changed_lines.values())
        return differences
    policy_keys = {f for f in Policies.__dataclass_fields__}
    from scoring.excel.correction_sheet import corrections_of

    changed = bool(set(changed_lines.values()) & {"专家评分表", "证据材料"})  # what the figures come from
    corrections = corrections_of(summary)  # a corrected summary: inputs plus its 复核 records
    try:
        a = assess_panel(experts, evidence=evidence, fee=options.get("fee"), year_end=options.get("year_end") == "on",
                         policy=[f"{k}={v}" for k, v in options.items() if k in policy_keys],
                         contract_path=contract_path, corrections=corrections)
    except InputError as exc:
        if not changed:
            raise
        # an input changed since the summary, and no longer valid (a score typed out of range): the change is
        # the finding (exit 1), the reason it cannot be recomputed comes with it
        return differences + [f"修改后的输入无法重新计算：{problem}" for problem in exc.problems]
    from scoring.assess import assess
    from scoring.excel.summary import edited_inputs

    edited_record = _corrections_edited(summary, a.rubric) if corrections else []
    differences += edited_record
    # finance's fee, a score typed over 评分明细 (not when a 复核 row was typed over: its score is no evidence)
    edits, fee, sheets = edited_inputs(summary, a, scores=not changed and not edited_record)
    moved: list[str] = []
    if "专家评分表" in changed_lines.values():  # each score the sheets hold now, against 评分明细: one that moves
        from scoring.excel.summary import score_differences  # no median changes no figure, and is a difference

        moved = score_differences(summary, a.sheets, a.rubric)
        differences += moved
    if edits:
        differences += edits
        from scoring.excel.outputs import pdf_beside

        if pdf_beside(summary).exists() and pdf_mismatch(summary) is None:  # printed before the edits
            differences.append(f"{pdf_beside(summary)} 打印自修改前的汇总表，不含上列修改：请勿用于签字，请打印修改后的汇总表")
        try:
            a = assess(sheets, a.rubric, a.contract, a.period, a.policies, fee, year_end=a.year_end,
                       crypto_penalty=bool(a.settlement.crypto_penalty), findings=a.findings)
        except InputError as exc:  # e.g. a score above the item's points typed into 评分明细
            return differences + [f"按汇总表中修改后的输入无法重新计算：{p.message}" for p in exc.problems]
    s = a.settlement
    computed: dict[str, object] = {
        "total_score": number(a.panel.total), "grade": a.grade, "fee": s.fee, "deduction_rate": number(s.rate),
        "deduction_assessment": s.assessment, "deduction_crypto": s.crypto_penalty, "deduction_total": s.total,
        "payable": s.payable, "period": a.period.code, "contract_id": a.contract.id,
    }
    computed.update({f"panel_{r.item.id}": number(r.panel) for r in a.panel.items})
    computed.update({f"category_{k}": number(v) for k, v in a.panel.categories.items()})
    labels = {**FIGURE_LABELS, **{f"panel_{i.id}": f"“{i.name}”小组得分" for i in a.rubric.items},
              **{f"category_{c.id}": f"{c.name}得分" for c in a.rubric.categories}}
    before = len(differences)
    from scoring.recorded import unsaved_results

    unsaved = unsaved_results(values, [n for n in computed if n not in ("fee", "deduction_crypto", "period", "contract_id")])
    if unsaved:  # one line for the program that saved it, not a "difference" on every figure
        return differences + [unsaved[1]]
    for name, value in computed.items():
        label = labels.get(name, name)
        if name not in values:
            differences.append(f"汇总表缺少{label}（名称 {name}）")
        elif not _same(values[name], value):
            differences.append(f"{label}：汇总表为 {shown(name, values[name])}，按当前输入重新计算为 {shown(name, value)}")
    if changed and len(differences) == before and not edits and not moved:
        # said on each recomputed file's own line: one change, one difference ("共 1 处不一致")
        for k, role in changed_lines.items():
            if role in ("专家评分表", "证据材料"):
                differences[k] += "；按修改后的文件重新计算，各项得分和金额与汇总表相同（可能只是被另存过）"
    return differences
