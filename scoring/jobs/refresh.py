"""`refresh`: bring sheets already handed out (or filled) up to date with changed evidence (R5-R9, R11).

The secretary learns of a late 需求函 after the sheets went out: the pre-filled items and allowed
ranges no longer match the evidence. Each sheet is rebuilt from the current evidence, and every
entry the expert could make (every named cell unlocked in both the old and the new sheet: scores,
notes, the date, and any cell added later) is carried over unchanged. What the expert must look at
again is listed: scores now outside their new range, pre-filled items whose value changed, and items
that are now open to scoring. The inputs are never written: the refreshed sheets go to --out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from scoring.errors import InputError, Problem
from scoring.jobs.common import load_contract, resolve_period, sha256, write_workbook


@dataclass
class Refreshed:
    """One refreshed sheet: where it was written and what the expert must look at again."""

    source: Path
    target: Path
    expert: str
    kept: int = 0  # entries carried over
    attention: list[str] = field(default_factory=list)


def _entries(wb: Any) -> dict[str, Any]:
    """Every named single cell the expert could change (unlocked): name -> the cell."""
    from scoring.excel import names

    found = {}
    for name in list(wb.defined_names):
        place = names.locate(wb, name)
        if place is None or place[0] not in wb.sheetnames:
            continue
        cell = wb[place[0]][place[1]]
        if cell.protection is not None and cell.protection.locked is False:
            found[name] = cell
    return found


def _number(value: object) -> Decimal | None:
    from scoring.scores import score_from_cell

    try:
        return score_from_cell(value)
    except ValueError:
        return None


def _score_problem(value: object) -> str:
    """Why an entered score is no number (score_from_cell's reason), or ''."""
    from scoring.scores import score_from_cell

    try:
        score_from_cell(value)
    except ValueError as exc:
        return str(exc)
    return ""


def _carry(cell: Any, target: Any, label: str, is_score: bool, result: Refreshed) -> bool:
    """An expert's entry into the refreshed sheet's cell: people's text always as text, never a formula (a
    note "=cmd|…" typed as text stays text); a formula the expert entered is not carried as one. Whether it
    was carried; what needs the expert again goes to `result.attention`."""
    from scoring.excel.lean import percent_number
    from scoring.excel.text import write_text

    if cell.data_type == "f":
        shown = str(cell.value)[:30]
        if is_score:
            result.attention.append(f"“{label}”得分是公式（{shown}），未保留，请专家填写数字")
            return False
        write_text(target, cell.value)  # ValueError: longer than a cell holds
        result.attention.append(f"“{label}”是公式（{shown}），已作为文字保留，请专家核对")
        return True
    if is_score and percent_number(cell):  # 11 typed into a percent cell is 0.11: not a score to carry (R1.2)
        result.attention.append(f"“{label}”得分单元格是百分比格式（实际值 {cell.value}），未保留，请专家重新填写")
        return False
    if isinstance(cell.value, str):
        write_text(target, cell.value)
    else:
        target.value = cell.value
    return True


def refresh(inputs: Sequence[str | Path], evidence: str | Path, out: str | Path, *, year_end: bool = False,
            force: bool = False, contract_path: str | Path | None = None, policy: Sequence[str] = (),
            notices: list[str] | None = None) -> list[Refreshed]:
    """Rebuild each expert sheet of `inputs` with the evidence, keeping every expert entry; write to `out`."""
    import tempfile

    from scoring.excel import names
    from scoring.excel.convert import convert_to_xlsx
    from scoring.excel.discovery import discover
    from scoring.excel.expert_sheet import build_expert_workbook
    from scoring.excel.preflight import open_workbook
    from scoring.jobs.prepare import evaluate_evidence
    from scoring.numbers import format_number
    from scoring.policies import make_policies

    contract, rubric, _ = load_contract(contract_path)
    policies = make_policies(contract.policies, list(policy))
    out = Path(out)
    candidates, said, problems = discover(list(inputs), evidence_given=True, evidence=evidence)
    if notices is not None:
        notices += said
    sources = {c.path.resolve() for c in candidates}
    if out.exists() and not out.is_dir():
        problems.append(Problem("输出位置已存在且不是文件夹", file=str(out), code="E-OUTPUT"))
    results: list[Refreshed] = []
    books: dict[Path, Any] = {}
    evaluated: dict[tuple[str, bool], dict[str, Any] | None] = {}
    digest = sha256(evidence)  # recorded in every refreshed sheet: the evidence it now follows
    with tempfile.TemporaryDirectory(prefix="scorecard-refresh-") as tmp:
        for index, candidate in enumerate(candidates):
            path: Path | None = candidate.path
            if candidate.convert:
                path, problem = convert_to_xlsx(candidate.path, candidate.convert, Path(tmp) / str(index))
                if problem:
                    problems.append(problem)
                    continue
            assert path is not None
            found: list[Problem] = []
            wb = open_workbook(path, found)
            if wb is None:
                problems += [Problem(p.message, file=str(candidate.path), code=p.code) for p in found]
                continue
            cover = [names.locate(wb, key) for key in (names.EXPERT_NAME, names.PERIOD)]
            if cover[0] is None or cover[1] is None:
                problems.append(Problem("不是本系统生成的评分表（缺少 expert_name 或 period），无法更新",
                                        file=str(candidate.path), code="E-FILE-FOREIGN"))
                continue
            expert = str(wb[cover[0][0]][cover[0][1]].value or "").strip()
            period_text = str(wb[cover[1][0]][cover[1][1]].value or "").strip()
            try:
                period = resolve_period(period_text, contract)
            except InputError as exc:
                problems += [Problem(p.message, file=str(candidate.path), code=p.code) for p in exc.problems]
                continue
            is_year_end = year_end or contract.is_year_end(period)
            key = (period.code, is_year_end)
            if key not in evaluated:
                try:
                    evaluated[key] = evaluate_evidence(evidence, contract, rubric, period, is_year_end, policies,
                                                       notices).allowed
                except InputError as exc:
                    problems += exc.problems
                    evaluated[key] = None
            if evaluated[key] is None or not expert:
                if not expert:
                    problems.append(Problem("未填写评分专家姓名", file=str(candidate.path), code="E-FILE-FOREIGN"))
                continue
            allowed = evaluated[key]
            assert allowed is not None
            old = _entries(wb)
            new = build_expert_workbook(rubric, contract, period, expert, is_year_end, allowed,
                                        evidence_sha256=digest)
            target = out / f"{period.code}_{expert}.xlsx"
            result = Refreshed(candidate.path, target, expert)
            open_now = _entries(new)
            scores = {names.score_name(i.id) for i in rubric.items}
            labels = {names.score_name(i.id): i.name for i in rubric.items}
            labels.update({names.note_name(i.id): f"{i.name}”的“备注" for i in rubric.items})
            for name, cell in old.items():
                if name in open_now and cell.value is not None:
                    sheet, coord = names.locate(new, name) or ("", "")
                    try:
                        carried = _carry(cell, new[sheet][coord], labels.get(name, name), name in scores, result)
                    except ValueError as exc:  # text longer than a cell holds: never cut silently
                        problems.append(Problem(f"{exc}，无法更新", file=str(candidate.path), sheet=cell.parent.title,
                                                cell=cell.coordinate, code="E-NOTE"))
                        continue
                    result.kept += carried
            for item in rubric.items:
                name, guide = names.score_name(item.id), allowed[item.id]
                span = f"{format_number(guide.low)}–{format_number(guide.high)} 分"
                entered = _number(old[name].value) if name in old else None
                typed = old[name] if name in old else None
                if (name in open_now and typed is not None and typed.value is not None and typed.data_type != "f"
                        and entered is None):  # text, a date, a boolean: the expert must enter a number
                    result.attention.append(f"“{item.name}”{_score_problem(typed.value)}（需专家重新填写）")
                    continue
                if name not in open_now:  # now fixed by the evidence and pre-filled
                    where = names.locate(wb, name)
                    before = _number(wb[where[0]][where[1]].value) if where else None
                    if before is not None and before != guide.low:
                        result.attention.append(f"“{item.name}”由证据确定，由 {format_number(before)} 分改为 "
                                                f"{format_number(guide.low)} 分（{guide.rule}）")
                elif name not in old:
                    result.attention.append(f"“{item.name}”现在可以评分（允许 {span}），请专家填写")
                elif entered is not None and not guide.low <= entered <= guide.high:
                    result.attention.append(f"“{item.name}”得分 {format_number(entered)} 超出新的允许范围 {span}"
                                            f"（{guide.rule}），请专家重新评分")
            books[target] = new
            results.append(result)
            wb.close()
    targets = [r.target for r in results]
    for target in dict.fromkeys(t for t in targets if targets.count(t) > 1):
        same = [r.source for r in results if r.target == target]
        for source in same:  # each at its place, with the others named: which one to take out of the folder
            others = "、".join(str(o) for o in same if o != source)
            problems.append(Problem(f"多份评分表属于同一专家，更新后都会写成 {target.name}、互相覆盖（另见 {others}）：请只保留一份",
                                    file=str(source), code="E-PANEL-DUPLICATE"))
    for target in targets:
        if target.resolve() in sources:
            problems.append(Problem("输出文件夹不能是原评分表所在的文件夹（原评分表只读不写），请换一个文件夹", file=str(target),
                                    code="E-OUTPUT"))
        elif target.exists() and not force:
            problems.append(Problem("文件已存在，未覆盖；确需覆盖请加 --force", file=str(target), code="E-OUTPUT"))
    if not candidates and not problems:
        problems.append(Problem("没有可更新的评分表", code="E-FILE-MISSING"))
    if problems:
        raise InputError(problems)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from scoring.cli_text import os_reason

        raise InputError(Problem(f"无法创建输出文件夹：{os_reason(exc)}", file=str(out), code="E-OUTPUT")) from None
    for target, wb in books.items():
        write_workbook(target, wb)
    return results
