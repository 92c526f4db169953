"""The secretary's jobs, shared by the command line and the Excel buttons: prepare, hand out, summarize.

Each job checks everything first and raises InputError listing every problem; only then
does it write, atomically. Heavy modules are imported inside the jobs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from scoring.errors import InputError, Problem


def load_contract(path: str | Path | None = None):
    """(contract, rubric, warnings): the embedded contract, or a contract TOML with its rubric beside it."""
    from scoring.contract import default_contract, load_contract as load
    from scoring.rubric import default_rubric, load_rubric

    if path is None:
        return default_contract(), default_rubric(), []
    contract = load(path)
    rubric, warnings = load_rubric(Path(path).parent / contract.rubric)
    return contract, rubric, warnings


def resolve_period(text: str, contract):
    """The Period written as '2026H2', which must lie in the contract's service year."""
    from scoring.period import parse_period

    try:
        period = parse_period(text)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not contract.covers(period):
        raise InputError(f"考核期 {period.code} 不在合同服务期 {contract.service_start} 至 {contract.service_end} 内")
    return period


def expert_names(text: str) -> list[str]:
    """The experts' names from 'A,B,C' (Chinese commas too), checked for R2.1, R2.2 and use in file names."""
    names = [n.strip() for n in re.split(r"[,，、;；]", text) if n.strip()]
    problems = []
    for name in dict.fromkeys(names):
        if re.search(r'[\\/:*?"<>|\x00-\x1f]', name) or name.startswith("."):
            problems.append(Problem(f"专家姓名“{name}”含有不能用于文件名的字符"))
        if names.count(name) > 1:
            problems.append(Problem(f"专家“{name}”重复列出"))
    if len(names) < 3:
        problems.append(Problem(f"专家只有 {len(names)} 名，至少需要 3 名（3名以上（含3名）单数）"))
    elif len(names) % 2 == 0:
        problems.append(Problem(f"专家为 {len(names)} 名，须为单数（3名以上（含3名）单数）"))
    if problems:
        raise InputError(problems)
    return names


def _write(path: Path, wb) -> None:
    from scoring.excel.atomic import save_workbook

    try:
        save_workbook(wb, path)
    except PermissionError as exc:
        raise InputError(Problem("无法写入：文件被占用（请先在 Excel 中关闭）或没有写权限", file=str(path))) from exc
    except FileNotFoundError as exc:
        raise InputError(Problem("输出文件夹不存在", file=str(path.parent))) from exc


def evidence_template(period_text: str, out: str | Path, contract_path: str | Path | None = None) -> Path:
    """Write a blank evidence workbook for a period (interfaces.md §2)."""
    from scoring.excel.evidence_sheet import build_evidence_workbook

    contract, _, _ = load_contract(contract_path)
    period = resolve_period(period_text, contract)
    out = Path(out)
    if not out.parent.resolve().is_dir():
        raise InputError(Problem("输出文件夹不存在", file=str(out.parent)))
    _write(out, build_evidence_workbook(contract, period))
    return out


def evaluate_evidence(path: str | Path, contract, rubric, period, year_end: bool, policies):
    """Read an evidence workbook and apply R5-R9; InputError names every bad cell or a missing calendar year."""
    from scoring.calendar import CalendarYearMissing
    from scoring.evidence.allowed import evaluate
    from scoring.excel.evidence_reader import read_evidence

    evidence, problems = read_evidence(path)
    if evidence is None:
        raise InputError(problems)
    if evidence.period != period.code:
        raise InputError(Problem(f"证据材料的考核期为“{evidence.period}”，不是 {period.code}", file=str(path)))
    try:
        return evaluate(evidence, rubric, contract, period, year_end, policies)
    except CalendarYearMissing as exc:
        raise InputError(Problem(str(exc), file=str(path), sheet="节假日调整")) from None


def new_panel(period_text: str, experts_text: str, out: str | Path, *, evidence: str | Path | None = None,
              year_end: bool = False, force: bool = False, contract_path: str | Path | None = None,
              policy: Sequence[str] = ()) -> list[Path]:
    """Write one scoring workbook per expert, DIR/<P>_<expert>.xlsx; with evidence, allowed ranges narrowed (R5-R9)."""
    from scoring.excel.expert_sheet import build_expert_workbook
    from scoring.policies import make_policies

    contract, rubric, _ = load_contract(contract_path)
    period = resolve_period(period_text, contract)
    experts = expert_names(experts_text)
    year_end = year_end or contract.is_year_end(period)
    policies = make_policies(contract.policies, list(policy))
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(Problem("输出位置已存在且不是文件夹", file=str(out)))
    targets = {name: out / f"{period.code}_{name}.xlsx" for name in experts}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not force:
        raise InputError([Problem("评分表已存在，为避免覆盖专家已填写的内容未生成；确需重新生成请加 --force",
                                  file=str(p)) for p in existing])
    allowed = None
    if evidence is not None:
        allowed = evaluate_evidence(evidence, contract, rubric, period, year_end, policies).allowed
    books = {name: build_expert_workbook(rubric, contract, period, name, year_end, allowed) for name in experts}
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(Problem(f"无法创建输出文件夹：{exc.strerror}", file=str(out))) from None
    for name, wb in books.items():
        _write(targets[name], wb)
    return list(targets.values())


def _check_output(out: Path, inputs: Sequence[str | Path], sheets, problems: list[Problem]) -> None:
    """The output must not be an input (named, or an expert sheet found in a folder), and its folder must exist."""
    target = out.resolve()
    taken = [Path(p) for p in inputs if not Path(p).is_dir()] + [Path(s.source) for s in sheets]
    if any(target == path.resolve() for path in taken):
        problems.append(Problem("输出文件不能是输入的评分表之一", file=str(out)))
    if not out.parent.resolve().is_dir():
        problems.append(Problem("输出文件夹不存在", file=str(out.parent)))
    elif out.is_dir():
        problems.append(Problem("输出位置是文件夹，请给出 .xlsx 文件名", file=str(out)))


def sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, for the audit sheet and `verify`."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def assess_panel(inputs: Sequence[str | Path], *, evidence: str | Path | None = None, fee: str | None = None,
                 year_end: bool = False, policy: Sequence[str] = (), contract_path: str | Path | None = None,
                 out: Path | None = None, extra: list[Problem] | None = None, corrections: Sequence = ()):
    """Read and check a panel (R1.2, R2), apply the evidence (R5-R9) and assess it; writes nothing.

    Raises InputError listing every problem, with `extra` problems found by the caller.
    """
    from scoring.assess import assess
    from scoring.excel.reader import read_panel
    from scoring.money import parse_money
    from scoring.panel import check_panel
    from scoring.policies import make_policies

    contract, rubric, _ = load_contract(contract_path)
    problems: list[Problem] = list(extra or [])
    policies = fee_value = None
    try:
        policies = make_policies(contract.policies, list(policy))
    except InputError as exc:
        problems += exc.problems
    try:
        fee_value = contract.period_fee if fee is None else parse_money(fee)
    except ValueError as exc:
        problems.append(Problem(f"--fee：{exc}"))
    sheets, found = read_panel(list(inputs), rubric, contract.id)
    problems += found
    if corrections:  # 复核 under 87号令 Art. 64 (scoring/correction.py); the workbooks stay as they are
        from scoring.correction import apply_corrections

        sheets, found = apply_corrections(sheets, corrections, rubric)
        problems += found
    if out is not None:
        if evidence is not None and Path(evidence).resolve() == out.resolve():
            problems.append(Problem("输出文件不能是证据材料", file=str(out)))
        _check_output(out, inputs, sheets, problems)

    period = None
    periods = [s.period for s in sheets if s.period]
    if periods:
        try:
            period = resolve_period(max(set(periods), key=periods.count), contract)
        except InputError as exc:
            problems += [Problem(p.message, **sheets[0].place("period")) for p in exc.problems]
    is_year_end = period is not None and (year_end or contract.is_year_end(period))
    if is_year_end and evidence is None:
        problems.append(Problem(f"{period.code} 为服务期年终考核：须用 --evidence 提供证据材料，"
                                "以确定密评是否通过（R5）"))
    findings = None
    if evidence is not None and period is not None and policies is not None:
        try:
            findings = evaluate_evidence(evidence, contract, rubric, period, is_year_end, policies)
        except InputError as exc:
            problems += exc.problems
    if problems or policies is None or period is None or fee_value is None:
        raise InputError(problems + check_panel(sheets, rubric) or [Problem("没有可汇总的评分表")])
    ranges = {k: (a.low, a.high) for k, a in findings.allowed.items()} if findings else None
    return assess(sheets, rubric, contract, period, policies, fee_value, year_end=is_year_end,
                  crypto_penalty=bool(findings and findings.crypto_penalty), ranges=ranges, findings=findings)


def summarize(inputs: Sequence[str | Path], out: str | Path, *, evidence: str | Path | None = None,
              fee: str | None = None, year_end: bool = False, policy: Sequence[str] = (),
              contract_path: str | Path | None = None, template: str | Path | None = None,
              history: Sequence[str | Path] = (), payment: tuple[str, str] | None = None,
              corrections: Sequence = ()):
    """Validate and assess a panel (see assess_panel) and write the summary workbook.

    `payment` is (due date, paid date) as 'YYYY-MM-DD' for the late-payment lines (R10).

    Returns the Assessment. Raises InputError listing every problem; nothing is written then.
    """
    from scoring.excel.atomic import write_atomic
    from scoring.excel.summary import build_summary, default_template
    from scoring.report import InputFile, summary_context

    out = Path(out)
    problems: list[Problem] = []
    template = Path(template) if template else default_template()
    if not template.is_file():
        problems.append(Problem("模板文件不存在", file=str(template)))
    earlier = []
    if history:  # earlier summaries, each recomputed from its own scores (scoring/history.py)
        from scoring.history import read_history

        contract, rubric, _ = load_contract(contract_path)
        earlier, found = read_history(history, contract, rubric)
        problems += found
    dates = None
    if payment:
        from datetime import date

        try:
            dates = (date.fromisoformat(payment[0]), date.fromisoformat(payment[1]))
        except ValueError:
            problems.append(Problem(f"付款日期“{payment[0]}”“{payment[1]}”应写成 YYYY-MM-DD"))
    a = assess_panel(inputs, evidence=evidence, fee=fee, year_end=year_end, policy=policy,
                     contract_path=contract_path, out=out, extra=problems, corrections=corrections)
    files = [InputFile("专家评分表", Path(s.source).name, sha256(s.source)) for s in a.sheets]
    if evidence is not None:
        files.append(InputFile("证据材料", Path(evidence).name, sha256(evidence)))
    files.append(InputFile("模板", template.name, sha256(template)))
    options = {"fee": str(a.settlement.fee), "year_end": "on" if a.year_end else "off",
               "evidence": "on" if evidence is not None else "off", **a.policies.as_dict()}
    from scoring.additions import additions  # the service-year parts: trend, corrections

    a, past, extra_sheets = additions(a, earlier if history else None, corrections)
    data = build_summary(summary_context(a, files, options, history=past, payment=dates), template, extra_sheets)
    try:
        write_atomic(out, lambda handle: handle.write(data))
    except PermissionError as exc:
        raise InputError(Problem("无法写入：文件被占用（请先在 Excel 中关闭）或没有写权限", file=str(out))) from exc
    return a


def export_pdf(workbook: Path, target: Path) -> Path:
    """Print a workbook to PDF through LibreOffice headless, atomically; ScorecardError when LibreOffice is missing."""
    import os
    import tempfile

    from scoring.errors import ScorecardError
    from scoring.excel.libreoffice import LibreOfficeMissing, convert

    with tempfile.TemporaryDirectory(prefix=".pdf-", dir=target.parent) as folder:
        try:
            made = convert(workbook, "pdf", folder)
        except LibreOfficeMissing:
            raise ScorecardError(f"未生成 PDF：本机未安装 LibreOffice。汇总表已写入 {workbook}，"
                                 "可安装 LibreOffice 后重新运行，或在 Excel/WPS 中打印。") from None
        except (RuntimeError, OSError) as exc:
            raise ScorecardError(f"未生成 PDF：{exc}。汇总表已写入 {workbook}") from None
        os.replace(made, target)
    return target


AUDIT_SHEET = "审计"
ROLES = ("专家评分表", "证据材料", "模板")
MAX_AUDIT_ROWS = 5000


def _audit(summary: Path) -> tuple[list[tuple[str, str, str]], dict[str, str], dict[str, object]]:
    """(inputs (role, name, sha256), options, named values) recorded in a summary workbook."""
    from scoring.excel import names
    from scoring.excel.preflight import open_workbook

    problems: list[Problem] = []
    wb = open_workbook(summary, problems, data_only=True)
    if wb is None:
        raise InputError(problems)
    if AUDIT_SHEET not in wb.sheetnames:
        raise InputError(Problem("不是本系统生成的汇总表：没有“审计”工作表", file=str(summary)))
    ws = wb[AUDIT_SHEET]
    files, options = [], {}
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, MAX_AUDIT_ROWS), max_col=3, values_only=True):
        key = row[0]
        if key in ROLES and row[1] and row[2]:
            files.append((key, str(row[1]), str(row[2])))
        elif isinstance(key, str) and row[1] is not None and re.fullmatch(r"[a-z_]+", key):
            options[key] = str(row[1])
    values = {}
    for name in wb.defined_names:
        place = names.locate(wb, name)
        if place:
            values[name] = wb[place[0]][place[1]].value
    return files, options, values


def _same(recorded: object, computed: object) -> bool:
    from decimal import Decimal, InvalidOperation

    if isinstance(computed, str) or isinstance(recorded, str):
        return str(recorded) == str(computed)
    try:
        return abs(Decimal(str(recorded)) - Decimal(str(computed))) <= Decimal("1e-9")
    except (InvalidOperation, TypeError):
        return False


def verify(summary: str | Path, inputs: Sequence[str | Path] = ()) -> list[str]:
    """Recompute a summary from its inputs; the differences, in Chinese (none: everything agrees).

    Checks every input recorded in the audit sheet (missing, changed bytes), then recomputes with the
    recorded options and compares every named number of the summary (scores, grade, money).
    """
    from scoring.policies import Policies
    from scoring.report import number

    summary = Path(summary)
    files, options, values = _audit(summary)
    if not files:
        raise InputError(Problem("汇总表的“审计”表中没有输入文件记录", file=str(summary)))
    search = [Path(p) for p in inputs] or [summary.parent]
    found: dict[str, Path] = {}
    for place in search:
        candidates = [place] if place.is_file() else sorted(place.rglob("*.xlsx")) if place.is_dir() else []
        for path in candidates:
            found.setdefault(path.name, path)
    differences = []
    experts, evidence = [], None
    from scoring.excel.summary import default_template

    shipped = default_template()
    for role, name, digest in files:
        path = found.get(name)
        if role == "模板" and (path is None or not inputs):
            path = shipped if name == shipped.name else None
        if path is None:
            differences.append(f"缺少输入文件：{name}（{role}）")
            continue
        if sha256(path) != digest:
            differences.append(f"文件已修改：{path}（{role}，SHA-256 与汇总表的记录不同）")
        if role == "专家评分表":
            experts.append(path)
        elif role == "证据材料":
            evidence = path
    if not experts or any(d.startswith("缺少输入文件") for d in differences):
        return differences  # a panel with a sheet missing cannot be recomputed meaningfully
    policy_keys = {f for f in Policies.__dataclass_fields__}
    from scoring.excel.correction_sheet import corrections_of

    a = assess_panel(experts, evidence=evidence, fee=options.get("fee"), year_end=options.get("year_end") == "on",
                     policy=[f"{k}={v}" for k, v in options.items() if k in policy_keys],
                     corrections=corrections_of(summary))
    s = a.settlement
    computed: dict[str, object] = {
        "total_score": number(a.panel.total), "grade": a.grade, "fee": s.fee, "deduction_rate": number(s.rate),
        "deduction_assessment": s.assessment, "deduction_crypto": s.crypto_penalty, "deduction_total": s.total,
        "payable": s.payable, "period": a.period.code, "contract_id": a.contract.id,
    }
    computed.update({f"panel_{r.item.id}": number(r.panel) for r in a.panel.items})
    computed.update({f"category_{k}": number(v) for k, v in a.panel.categories.items()})
    for name, value in computed.items():
        if name not in values:
            differences.append(f"汇总表缺少名称 {name}")
        elif not _same(values[name], value):
            differences.append(f"{name}：汇总表为 {values[name]}，按当前输入重新计算为 {value}")
    return differences


def batch(folders: Sequence[str | Path], out_dir: str | Path, *, fee: str | None = None,
          policy: Sequence[str] = (), contract_path: str | Path | None = None):
    """Summarize many panels in one process: each folder is a panel (its evidence, if any, in evidence/*.xlsx);
    the summary goes to OUT_DIR/<folder name>.xlsx. Yields (folder, Assessment or InputError) in order,
    so one bad panel does not stop the others."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputError(Problem("输出文件夹不存在", file=str(out_dir)))
    names = [Path(f).name for f in folders]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError([Problem(f"多个评分表文件夹同名“{n}”，汇总表会互相覆盖") for n in repeated])
    for folder in map(Path, folders):
        evidence = sorted(p for p in (folder / "evidence").glob("*.xlsx") if not p.name.startswith("~$")) \
            if (folder / "evidence").is_dir() else []
        try:
            if len(evidence) > 1:
                raise InputError(Problem("evidence 文件夹中只能有一份证据材料", file=str(folder / "evidence")))
            yield folder, summarize([folder], out_dir / f"{folder.name}.xlsx", evidence=evidence[0] if evidence else None,
                                    fee=fee, policy=policy, contract_path=contract_path)
        except InputError as exc:
            yield folder, exc
