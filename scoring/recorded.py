"""A summary workbook as a record of its period: what it says, and whether it still recomputes (R2-R5, R10).

`annual`, `--history` and `correct` trust a half-year summary only when the figures it shows follow
from the expert scores recorded in it (the 评分明细 sheet) under the options recorded in its 审计
sheet: a summary edited by hand is refused with the cell that no longer agrees. The comparison is pure
(`recompute`); reading the workbook is `read_summary`, the edge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from scoring.errors import InputError, Problem

DETAIL_SHEET, AUDIT_SHEET, CORRECTION_SHEET, SIGN_SHEET = "评分明细", "审计", "复核", "签字"
HISTORY, NOTICE = "历史汇总表", "整改通知书"  # --history and --rectification: what correct must give again
ROLES = ("专家评分表", "证据材料", "模板", HISTORY, NOTICE)  # the inputs of a summary
DATA_ROLES = ("合同", "考核办法")  # the data files it was computed under (SHA-256 rows of 审计)
MAX_ROWS = 5000
_VERSION_TEXT = re.compile(r"版本\s*([^）)\s]+)")


@dataclass(frozen=True)
class RecordedSummary:
    """What a summary workbook records: identity, options, every expert's scores and its named values."""

    source: str
    contract_id: str
    period: str
    rubric_version: str
    year_end: bool
    options: dict[str, str]
    scores: dict[str, dict[str, Decimal]]  # expert -> item id -> score, as recorded on 评分明细
    points: dict[str, Decimal]  # item id -> points, as recorded (the rubric version the summary was made with)
    values: dict[str, object]  # defined name -> stored value
    places: dict[str, tuple[str, str]]  # defined name -> (sheet, cell)
    inputs: tuple[tuple[str, str, str], ...] = ()  # (role, file name, sha256) from the audit sheet
    data_inputs: tuple[tuple[str, str, str], ...] = ()  # (role, file name, sha256) of its contract and rubric files
    input_places: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, sha256) -> place, relative
    # to the summary: sheets of one name in several folders (张三/评分表.xlsx, 李四/评分表.xlsx) each keep theirs
    corrections: tuple = ()  # scoring.correction.Correction, the rows of the 复核 sheet
    detail_places: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (expert, item) -> place
    seal_broken: bool = False  # the 评分明细 scores differ from those summarized (scores_digest)
    signed: bool = False  # an expert's signature or date is filled in on the 签字 sheet

    def place(self, name: str) -> dict[str, str]:
        """Problem place (file, sheet, cell) of a defined name of this summary."""
        sheet, cell = self.places.get(name, ("", ""))
        return {"file": self.source, "sheet": sheet, "cell": cell}


BUILT_IN = "（程序内置）"  # the place the audit sheet records for the shipped template, contract and rubric


def recorded_path(summary: str | Path, place: str, name: str) -> Path | None:
    """An input where the summary's audit sheet says it was (relative to the summary's folder), if it is still
    there: the file `verify` and `correct` check first, so that an unchanged copy elsewhere hides no change."""
    if not place or place.startswith("（"):  # （程序内置）: the shipped template, contract or rubric
        return None
    path = Path(summary).resolve().parent / place  # as summarize made it: from the resolved folder (symlinks)
    return path if path.name == name and path.is_file() else None


def found_by_name(summary: str | Path, places: Sequence[Path]) -> dict[str, list[Path]]:
    """The files that may be a summary's recorded inputs, by file name, in the order looked for: each of
    `places` (a file, or every file under a folder that a sheet may be read from: .xlsx, .ods, .xls ...), each
    file once, never the summary itself. For `verify` and `correct` (recorded_input chooses among them)."""
    from scoring.excel.discovery import READABLE

    itself = Path(summary).resolve()
    found: dict[str, list[Path]] = {}
    for place in places:
        candidates = [place] if place.is_file() else sorted(
            p for p in place.rglob("*") if p.suffix.lower() in READABLE) if place.is_dir() else []
        for candidate in candidates:
            same_name = found.setdefault(candidate.name, [])
            if candidate.resolve() != itself and not any(candidate.resolve() == k.resolve() for k in same_name):
                same_name.append(candidate)
    return found


def recorded_input(summary: str | Path, place: str, name: str, digest: str, found: Sequence[Path]) -> Path | None:
    """The input `verify` and `correct` check: the file at its recorded place when it is still there (a changed
    file there is reported, however many unchanged copies lie elsewhere); else, of the files `found` under the
    recorded name, the one with its recorded SHA-256 (README's step 2a leaves 评分表/ and 评分表_更新/ side by
    side with the same names), else the first one found."""
    from scoring.jobs.common import sha256

    at_place = recorded_path(summary, place, name)
    if at_place is not None:
        return at_place
    return next((path for path in found if sha256(path) == digest), found[0] if found else None)


@dataclass(frozen=True)
class Recomputed:
    """A summary's figures recomputed from its recorded scores (exact values, not the stored floats)."""

    record: RecordedSummary
    total: Fraction
    grade: str
    fee: Decimal
    rate: Fraction
    assessment: Decimal
    crypto_penalty: Decimal
    deduction_total: Decimal
    payable: Decimal
    panel: object  # scoring.panel.PanelResult


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


SEAL = "scorecard_scores_sha256"  # custom document property: the experts' scores as summarized
VERSION = "scorecard_rubric_version"  # custom document property: the rubric version of the assessment


def scores_digest(scores: dict[str, dict[str, Decimal]]) -> str:
    """SHA-256 of every (expert, item, score), order-independent: the seal of the scores a summary was made from.

    A summary whose 评分明细 scores are live inputs recomputes consistently after a hand edit; the seal, kept
    in the workbook's custom properties (which Excel and LibreOffice keep on save), still tells the edit.
    """
    import hashlib

    text = "".join(f"{e}\t{i}\t{v.normalize():f}\n" for e in sorted(scores) for i, v in sorted(scores[e].items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal(wb: Any, sheets: Sequence[Any], rubric_version: str = "") -> None:
    """Record the digest of the summarized (corrected) scores, and the rubric version they were assessed under,
    in the workbook's custom properties."""
    seal_properties(sheets, rubric_version)(wb)


def seal_properties(sheets: Sequence[Any], rubric_version: str = "") -> Any:
    """The seal as custom document properties (scoring/excel/properties.py): the digest of the summarized
    scores and the rubric version, for whichever writer makes the summary."""
    from scoring.excel.properties import CustomProperties

    digest = scores_digest({s.expert: dict(s.scores) for s in sheets})
    items = [(SEAL, digest)] + ([(VERSION, rubric_version)] if rubric_version else [])
    return CustomProperties(tuple(items))


@dataclass(frozen=True)
class Audit:
    """The rows of a summary's 审计 sheet: every file with its role, name, SHA-256 and recorded place (relative to
    the summary, BUILT_IN or ''), the options summarize ran with, and the rubric label row's text."""

    files: tuple[tuple[str, str, str, str], ...]
    options: dict[str, str]
    rubric_text: str = ""


def read_audit(ws: Any) -> Audit:
    """The 审计 sheet's records (the one reader of them, for `verify`, `correct`, `annual` and --history)."""
    files, options, rubric_text = [], {}, ""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, MAX_ROWS), max_col=4, values_only=True):
        key = row[0]
        if key in ROLES + DATA_ROLES and row[1] and row[2]:
            files.append((key, str(row[1]), str(row[2]), str(row[3] or "") if len(row) > 3 else ""))
        elif key == "考核办法" and row[1] and not row[2]:  # the label row, not the rubric file's audit row
            rubric_text = str(row[1])
        elif isinstance(key, str) and row[1] is not None and re.fullmatch(r"[a-z_]+", key):
            options[key] = str(row[1])
    return Audit(tuple(files), options, rubric_text)


def named_values(wb: Any) -> tuple[dict[str, object], dict[str, tuple[str, str]]]:
    """Every defined name of a workbook (opened with its stored values) that points at one cell: its value, and
    its (sheet, cell)."""
    from scoring.excel import names

    values, places = {}, {}
    for name in list(wb.defined_names):
        place = names.locate(wb, name)
        if place:
            places[name] = place
            values[name] = wb[place[0]][place[1]].value
    return values, places


def read_summary(path: str | Path, rubric: Any, contract_id: str | None = None,
                 advice: str | None = None) -> RecordedSummary:
    """Read a summary workbook made by `summarize` (or `correct`); InputError naming the file otherwise. With
    `contract_id` (the contract in use), a summary of another contract is refused in one line naming both and
    `advice` (default: the --contract to give; it listed the current contract's items as missing from 评分明细)."""
    from scoring.excel import names
    from scoring.excel.preflight import open_workbook

    path = Path(path)
    source = str(path)
    problems: list[Problem] = []
    if not path.is_file():
        raise InputError(Problem("文件不存在", file=source, code="E-FILE-MISSING"))
    wb = open_workbook(path, problems, data_only=True)
    if wb is None:
        raise InputError(problems)
    if AUDIT_SHEET not in wb.sheetnames or DETAIL_SHEET not in wb.sheetnames or names.locate(wb, "total_score") is None:
        raise InputError(Problem("不是本系统生成的汇总表（缺少“审计”“评分明细”工作表或 total_score）", file=source, code="E-FILE-FOREIGN"))
    values, places = named_values(wb)
    audit = read_audit(wb[AUDIT_SHEET])
    options, rubric_text = audit.options, audit.rubric_text
    inputs = [(role, name, digest) for role, name, digest, _ in audit.files if role in ROLES]
    data_inputs = tuple((role, name, digest) for role, name, digest, _ in audit.files if role in DATA_ROLES)
    input_places = {(name, digest): place for role, name, digest, place in audit.files if role in ROLES and place}
    properties = {p.name: p.value for p in wb.custom_doc_props}
    version = (options.get("rubric_version") or str(properties.get(VERSION) or "")
               or (m.group(1) if (m := _VERSION_TEXT.search(rubric_text)) else ""))
    recorded_contract = str(values.get("contract_id") or "")
    if contract_id is not None and recorded_contract and recorded_contract != contract_id:
        sheet, cell = places.get("contract_id", ("", ""))
        from scoring.contract import contract_option

        raise InputError(Problem(f"汇总表属于合同“{recorded_contract}”，不是合同“{contract_id}”："
                                 f"{advice or '请' + contract_option(recorded_contract)}", file=source, sheet=sheet,
                                 cell=cell, code="E-SUMMARY-SERIES"))
    scores, points, detail = _detail(wb[DETAIL_SHEET], rubric, source, problems, recorded_contract)
    sealed = properties.get(SEAL)
    corrections: tuple[Any, ...] = ()
    if CORRECTION_SHEET in wb.sheetnames:
        from scoring.excel.correction_sheet import read_corrections

        corrections = read_corrections(wb[CORRECTION_SHEET], source, problems)
    for key in ("period", "contract_id", "fee", "deduction_total", "payable"):
        if key not in places:
            problems.append(Problem(f"不是本系统生成的汇总表：缺少定义名称 {key}", file=source, code="E-FILE-FOREIGN"))
    if problems:
        raise InputError(problems)
    return RecordedSummary(
        source=source, contract_id=str(values["contract_id"]), period=str(values["period"]), rubric_version=version,
        year_end=options.get("year_end") == "on", options=options, scores=scores, points=points, values=values,
        places=places, inputs=tuple(inputs), data_inputs=data_inputs, input_places=input_places, corrections=corrections, detail_places=detail,
        seal_broken=sealed is not None and sealed != scores_digest(scores),
        signed=_signed(wb, set(scores)),
    )


def _signed(wb: Any, experts: set[str]) -> bool:
    """Whether an expert's 签字 or 日期 cell on the signature sheet is filled in (a correction is then made
    after signing)."""
    if SIGN_SHEET not in wb.sheetnames:
        return False
    columns: list[int] = []
    for row in wb[SIGN_SHEET].iter_rows(min_row=1, max_row=200):
        values = [c.value for c in row]
        if not columns:
            columns = [k for k, v in enumerate(values) if v in ("签字", "日期")]
            continue
        if values and values[0] in experts and any(values[k] not in (None, "") for k in columns if k < len(values)):
            return True
    return False


def _detail(ws: Any, rubric: Any, source: str, problems: list[Problem], recorded_contract: str = "") -> tuple[
        dict[str, dict[str, Decimal]], dict[str, Decimal], dict[tuple[str, str], tuple[str, str]]]:
    """Expert scores of the 评分明细 sheet: the header row names the items, the 分值 row their points."""
    by_name = {item.name: item.id for item in rubric.items}
    rows = list(ws.iter_rows(min_row=1, max_row=min(ws.max_row, MAX_ROWS), values_only=False))
    columns: dict[int, str] = {}
    scores: dict[str, dict[str, Decimal]] = {}
    points: dict[str, Decimal] = {}
    detail: dict[tuple[str, str], tuple[str, str]] = {}
    for cells in rows:
        first = cells[0].value if cells else None
        if not columns:
            if first == "专家" and any(c.value in by_name for c in cells[1:]):
                columns = {k: by_name[c.value] for k, c in enumerate(cells) if c.value in by_name}
            continue
        if first == "中位数" or first is None:
            break
        label = str(first).strip()
        values = {}
        for k, item_id in columns.items():
            value = _decimal(cells[k].value) if k < len(cells) else None
            if value is None:
                problems.append(Problem(f"“{label}”的评分不是数字", file=source, sheet=ws.title,
                                        cell=cells[k].coordinate if k < len(cells) else "", code="E-SUMMARY-EDITED"))
                continue
            values[item_id] = value
            detail[(label, item_id)] = (ws.title, cells[k].coordinate)
        if label == "分值":
            points = values
        else:
            scores[label] = values
    missing = [item.name for item in rubric.items if item.id not in columns.values()]
    if not columns or missing:
        other = (f"汇总表记录的合同为“{recorded_contract}”，如不是当前合同，请用 --contract 指定该合同的文件；"
                 if recorded_contract else "")
        problems.append(Problem(f"“评分明细”表缺少分项：{'、'.join(missing) or '全部'}；{other}"
                                "汇总表的考核办法与当前合同的考核办法不同，或汇总表被改动", file=source, sheet=ws.title, code="E-FILE-FOREIGN"))
    return scores, points, detail


FIGURE_LABELS = {  # a summary's named figures as people call them
    "total_score": "总分", "grade": "等级", "fee": "当次服务费", "deduction_rate": "扣款比例",
    "deduction_assessment": "考核扣款", "deduction_crypto": "密评扣款", "deduction_total": "扣款合计",
    "payable": "应付服务费", "period": "考核期", "contract_id": "合同编号"}
# The figures the contract's terms decide (grades, tiers, the 密评 penalty); scores and policies decide the rest.
TERMS_FIGURES = ("grade", "deduction_rate", "deduction_assessment", "deduction_crypto", "deduction_total", "payable")
MONEY = ("fee", "deduction_assessment", "deduction_crypto", "deduction_total", "payable")


def shown(name: str, value: object) -> str:
    """A recorded or recomputed value as people read it: yuan with separators, a rate in per cent, no None."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return "（空）"
    if isinstance(value, str) or isinstance(value, bool):
        return f"“{value}”"
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if name in MONEY:
        return f"{exact:,.2f} 元"
    if name == "deduction_rate":
        exact *= 100
    if not exact.is_finite():
        return str(value)
    if exact != exact.quantize(Decimal("0.000001"), rounding="ROUND_DOWN"):  # a float of a repeating decimal (81.33333333333333): six places, as shown
        exact = exact.quantize(Decimal("0.000001"))
    return f"{exact.normalize():f}" + ("%" if name == "deduction_rate" else "")


def data_changes(record: RecordedSummary, data: Sequence[tuple[str, str, str]]) -> list[str]:
    """The contract and rubric files in use (`data`: role, name, SHA-256) that differ from those the summary
    records in its 审计 sheet (§5), each as "合同文件 NAME（汇总时为 OLD）"; [] when they are the same or unknown."""
    current = {role: (name, digest) for role, name, digest in data}
    return [f"{role}文件 {current[role][0]}" + (f"（汇总时为 {name}）" if name != current[role][0] else "")
            for role, name, digest in record.data_inputs if role in current and current[role][1] != digest]


def recompute(record: RecordedSummary, rubric: Any, contract: Any,
              data: Sequence[tuple[str, str, str]] = ()) -> tuple[Recomputed | None, list[Problem]]:
    """Recompute a recorded summary from its scores and options; every named figure that disagrees is a problem.

    Pinned to the rubric version the summary records: a different version, or item points that differ
    from the rubric in use, is refused rather than recomputed under other rules (R1.1). `data`: the
    (role, name, SHA-256) of the contract and rubric files in use (jobs.summarize.data_files); a figure
    that disagrees because they differ from those the summary records is said so (§5), not called a hand edit.
    """
    from scoring.grading import grade
    from scoring.money import CENT
    from scoring.numbers import format_number
    from scoring.panel import ExpertSheet, aggregate, check_panel
    from scoring.policies import Policies, make_policies
    from scoring.settlement import settle

    from scoring.terms_digest import KEY, terms_digest

    problems: list[Problem] = []
    # a summary that records its terms' digest: the terms decide (a comment, a BOM or a clause's wording in the
    # files changes nothing); an older one: the files' bytes, and then the figures the terms decide
    recorded_terms = record.options.get(KEY)
    changed = [] if recorded_terms else data_changes(record, data)
    moved: list[tuple[str, str]] = []  # (figure, its text) that differ under a changed contract: one problem

    def differs(name: str, recorded: object, expected: Any) -> None:
        if changed and name in TERMS_FIGURES:  # the terms moved under the summary: re-summarizing would settle a
            moved.append((name, f"{FIGURE_LABELS[name]} {shown(name, recorded)} → {shown(name, expected)}"))  # past
            return  # period on new terms; a panel score, which no term decides, is still a hand edit
        shown_expected = expected if isinstance(expected, (str, Decimal)) else format_number(expected)
        problems.append(Problem(f"{name} 为“{'空' if recorded is None else recorded}”，按表内记录的专家评分和参数重新计算应为"
                                f"“{shown_expected}”：汇总表可能被手工修改，请用原始评分表重新汇总", **record.place(name),
                                code="E-SUMMARY-EDITED"))

    problems += record_edits(record)
    if record.contract_id != contract.id:
        problems.append(Problem(f"汇总表属于合同“{record.contract_id}”，不是合同“{contract.id}”", **record.place("contract_id"), code="E-SUMMARY-SERIES"))
    if record.rubric_version != rubric.version:
        problems.append(Problem(f"汇总表按考核办法版本“{record.rubric_version or '未记录'}”计算，"
                                f"当前合同的考核办法为版本“{rubric.version}”：不能按其他版本的规则核算", file=record.source,
                                sheet=AUDIT_SHEET, code="E-SUMMARY-SERIES"))
    for item in rubric.items:
        if item.id in record.points and record.points[item.id] != item.points:
            problems.append(Problem(f"“{item.name}”的分值记录为 {format_number(record.points[item.id])}，"
                                    f"与考核办法版本“{rubric.version}”的 {format_number(item.points)} 不符",
                                    file=record.source, sheet=DETAIL_SHEET, code="E-SUMMARY-SERIES"))
    if recorded_terms and not problems and recorded_terms != terms_digest(contract, rubric):
        files = "、".join(data_changes(record, data)) or "合同或考核办法文件"
        problems.append(Problem(f"{files} 的条款在汇总后被改动（等级、扣款档次、服务清单及税率、密评扣款、付款期限或考核办法的"
                                "分值和证据规则与“审计”表记录的不同）：已汇总的考核期不能按新条款重算，请用 --contract "
                                "指定汇总时的合同文件", file=record.source, sheet=AUDIT_SHEET, code="E-FILE-CHANGED"))
        return None, problems
    keys = {f for f in Policies.__dataclass_fields__}
    try:
        policies = make_policies(contract.policies, [f"{k}={v}" for k, v in record.options.items() if k in keys])
    except InputError as exc:
        problems += [Problem(p.message, file=record.source, sheet=AUDIT_SHEET, code=p.code) for p in exc.problems]
        policies = None
    fee = _decimal(record.values.get("fee"))
    crypto = _decimal(record.values.get("deduction_crypto", 0))
    allowed = {Decimal(0)} | ({contract.crypto_penalty} if record.year_end else set())
    if crypto is not None and crypto not in allowed and changed and record.year_end:  # the contract's penalty moved
        differs("deduction_crypto", crypto, contract.crypto_penalty)
    elif crypto not in allowed:
        problems.append(Problem(f"密评扣款为“{record.values.get('deduction_crypto')}”，只能是 0"
                                + (f" 或 {contract.crypto_penalty:.2f}（年终考核，R5）" if record.year_end else "（非年终考核，R5）"),
                                **record.place("deduction_crypto"), code="E-SUMMARY-EDITED"))
    sheets = [ExpertSheet(expert=e, scores=s, period=record.period, contract_id=record.contract_id,
                          rubric_version=record.rubric_version, source=record.source, sheet=DETAIL_SHEET)
              for e, s in record.scores.items()]
    panel_problems = check_panel(sheets, rubric)
    problems += [Problem(p.message, file=record.source, sheet=DETAIL_SHEET, code=p.code) for p in panel_problems]
    if [p for p in problems if p.sheet != DETAIL_SHEET or p.code != "E-SUMMARY-EDITED"] or policies is None \
            or fee is None or crypto is None:
        return None, problems
    fee = fee.quantize(CENT)
    crypto = crypto.quantize(CENT)
    panel = aggregate(sheets, rubric, policies.aggregation, policies.outlier_share)
    result_grade = grade(panel.total, policies.grade_bounds, contract.grades)
    s = settle(panel.total, fee, contract.lines, crypto, contract.schedule)
    expected: dict[str, Any] = {"total_score": panel.total, "grade": result_grade, "deduction_rate": s.rate,
                                   "deduction_assessment": s.assessment, "deduction_total": s.total, "payable": s.payable}
    expected.update({f"panel_{r.item.id}": r.panel for r in panel.items})
    expected.update({f"category_{k}": v for k, v in panel.categories.items()})
    unsaved = _unsaved_results(record, [n for n in expected if n in record.values])
    if unsaved:  # not an edit: the program that saved the file left its formulas without results
        return None, problems + [unsaved]
    for name, value in expected.items():
        if name not in record.values:
            problems.append(Problem(f"汇总表缺少定义名称 {name}", file=record.source, code="E-SUMMARY-EDITED"))
        elif not _agrees(record.values[name], value):
            differs(name, record.values[name], value)
    if moved:
        problems.append(Problem(f"{'、'.join(changed)} 在汇总后被改动（SHA-256 与“审计”表的记录不同），按改动后的条款重新"
                                f"计算，{len(moved)} 项结果与汇总表不同（{'；'.join(text for _, text in moved)}）：已汇总的考核期"
                                "不能按新条款重算，请用 --contract 指定汇总时的合同文件", **record.place(moved[0][0]),
                                code="E-FILE-CHANGED"))
    if problems:
        return None, problems
    return Recomputed(record, panel.total, result_grade, fee, s.rate, s.assessment, crypto, s.total, s.payable,
                      panel), []


def unsaved_results(values: dict[str, object], figures: Sequence[str]) -> tuple[str, str] | None:
    """(figure, message) when a summary's figures are stored as no result at all (openpyxl and other programs
    that do not calculate save formulas without one) or as error values (a program that cannot evaluate
    INDEX(range, 0, k), as Gnumeric): to open and save it once in a spreadsheet program is what to do, not to
    re-summarize after a "hand edit". None when the results are there."""
    figures = [n for n in figures if n in values]
    errors = [n for n in figures if str(values[n]).startswith("#")]
    if figures and all(values[n] is None for n in figures):
        return figures[0], ("汇总表中的公式没有保存计算结果（文件被不计算公式的程序保存过）：请在 Excel、WPS 或 LibreOffice "
                            "中打开并保存一次后重试")
    if errors:
        return errors[0], (f"汇总表中的公式算出了错误值（{errors[0]} 为 {values[errors[0]]}）：保存它的程序不支持其中的公式"
                           "（如 Gnumeric）；请用原汇总表，或在 Excel、WPS 或 LibreOffice 中打开并保存一次后重试")
    return None


def _unsaved_results(record: RecordedSummary, figures: list[str]) -> Problem | None:
    found = unsaved_results(record.values, figures)
    return None if found is None else Problem(found[1], **record.place(found[0]), code="E-SUMMARY-EDITED")


def record_edits(record: RecordedSummary) -> list[Problem]:
    """What was typed into a summary's records after it was made: expert scores on 评分明细 (the seal), 复核 rows
    (corrections_disagree), the service fee (finance's fee cell differs from the fee summarized). These hold
    whether or not the program that saved the summary stored its formulas' values; `correct` refuses them, and
    `recompute` reports them with the figures that no longer agree."""
    from scoring.money import CENT, MAX_FEE

    problems: list[Problem] = []
    if record.seal_broken:
        problems.append(Problem("“评分明细”中的专家评分与汇总时的评分不同：汇总表被手工修改；更正评分须用 scorecard correct "
                                "记录复核理由（财政部令第87号第六十四条）", file=record.source, sheet=DETAIL_SHEET,
                                code="E-SUMMARY-EDITED"))
    problems += corrections_disagree(record)
    fee = _decimal(record.values.get("fee"))
    if fee is None or fee != fee.quantize(CENT) or fee < 0:
        problems.append(Problem(f"服务费“{record.values.get('fee')}”不是金额", **record.place("fee"), code="E-SUMMARY-EDITED"))
    elif fee > MAX_FEE:  # a summary made before the options recorded the fee: the bound --fee has (R4)
        problems.append(Problem(f"服务费 {fee:,.2f} 元超过 {MAX_FEE:,} 元：汇总表的公式和金额栏只为此以内的当次服务费设计",
                                **record.place("fee"), code="E-SUMMARY-EDITED"))
    elif "fee" in record.options and _decimal(record.options["fee"]) != fee:
        summarized = _decimal(record.options["fee"]) or Decimal(0)
        problems.append(Problem(f"当次服务费（fee）汇总时为 {summarized:,.2f} 元，汇总表中已改为 {fee:,.2f} 元：按实际服务费结算时，"
                                f"请用原始评分表重新汇总（scorecard summarize <评分表文件夹> --evidence <证据材料.xlsx> "
                                f"--fee {fee:.2f} --out <新汇总表.xlsx>，未用证据材料的不加 --evidence），"
                                "再对新汇总表复核或结算", **record.place("fee"), code="E-SUMMARY-EDITED"))
    return problems


def corrections_disagree(record: RecordedSummary) -> list[Problem]:
    """The 复核 rows that do not lead to the (sealed) 评分明细 scores: each correction of an expert's item starts
    from the score the previous one gave it, and the last one gives the score 评分明细 records (R2.3). A 复核 row
    edited by hand would otherwise be carried into the next correction, or a history, as if it were the record."""
    from scoring.excel.correction_sheet import HEADER_ROW
    from scoring.numbers import format_number

    problems: list[Problem] = []
    last: dict[tuple[str, str], tuple[Any, int]] = {}
    for k, c in enumerate(record.corrections):
        row = HEADER_ROW + 1 + k
        before = last.get((c.expert, c.item))
        if before is not None and before[0] != c.old:
            problems.append(Problem(f"复核记录中专家“{c.expert}”“{c.item}”的原分 {format_number(c.old)} 不是上一次复核"
                                    f"（第 {before[1]} 行）的新分 {format_number(before[0])}：复核记录被改动", file=record.source,
                                    sheet=CORRECTION_SHEET, cell=f"D{row}", code="E-SUMMARY-EDITED"))
        last[(c.expert, c.item)] = (c.new, row)
    for (expert, item), (new, row) in last.items():
        recorded = record.scores.get(expert, {}).get(item)
        if recorded is not None and recorded != new:
            problems.append(Problem(f"复核记录中专家“{expert}”“{item}”的新分为 {format_number(new)}，“评分明细”中为 "
                                    f"{format_number(recorded)}：复核记录被改动", file=record.source,
                                    sheet=CORRECTION_SHEET, cell=f"E{row}", code="E-SUMMARY-EDITED"))
    return problems


def _agrees(stored: object, exact: Any) -> bool:
    """A stored cell value agrees with the exact figure: text equal, money to the cent, scores to 1e-9."""
    if isinstance(exact, str):
        return str(stored) == exact
    value = _decimal(stored)
    if value is None:
        return False
    if isinstance(exact, Decimal):
        return value == exact
    return abs(Fraction(value) - Fraction(exact)) <= Fraction(1, 10 ** 9)


def read_and_check(paths: Sequence[Any], contract: Any, rubric: Any, advice: str | None = None,
                   data: Sequence[tuple[str, str, str]] = ()) -> tuple[list[Recomputed], list[Problem]]:
    """Read and recompute several summaries; every problem of every file, and the ones that passed. `advice`:
    what to do about a summary of another contract (default: give that contract's --contract); `data`: the
    contract and rubric files in use, as recompute() takes them."""
    done, problems = [], []
    for path in paths:
        try:
            record = read_summary(path, rubric, contract.id, advice)
        except InputError as exc:
            problems += exc.problems
            continue
        result, found = recompute(record, rubric, contract, data)
        problems += found
        if result is not None:
            done.append(result)
    return done, problems


def check_series(results: list[Recomputed], contract: Any, current: str | None = None) -> list[Problem]:
    """Summaries that can stand side by side: one contract and rubric version, each period once, inside the
    service year of the contract, none after `current` (the period being summarized now)."""
    from scoring.period import parse_period

    problems: list[Problem] = []
    seen: dict[str, str] = {}
    versions = {r.record.rubric_version for r in results}
    for r in results:
        rec = r.record
        if rec.period in seen:
            problems.append(Problem(f"考核期 {rec.period} 重复：与 {seen[rec.period]} 是同一考核期的汇总表；每期只给一份"
                                    "（复核过的，给复核后生成的新汇总表）",
                                    **rec.place("period"), code="E-SUMMARY-SERIES"))
        seen.setdefault(rec.period, rec.source)
        try:
            period = parse_period(rec.period)
        except ValueError as exc:
            problems.append(Problem(str(exc), **rec.place("period"), code="E-PERIOD"))
            continue
        if not contract.covers(period):
            problems.append(Problem(f"考核期 {rec.period} 不在合同服务期 {contract.service_start} 至 "
                                    f"{contract.service_end} 内", **rec.place("period"), code="E-SUMMARY-SERIES"))
        if current is not None and (period.start, rec.period) >= (parse_period(current).start, current):
            problems.append(Problem(f"考核期 {rec.period} 不早于本期 {current}：历史汇总表只能是以前各期",
                                    **rec.place("period"), code="E-SUMMARY-SERIES"))
    if len(versions) > 1:
        problems += [Problem(f"考核办法版本“{r.record.rubric_version}”与其他汇总表不同（{'、'.join(sorted(versions))}）",
                             file=r.record.source, sheet=AUDIT_SHEET, code="E-SUMMARY-SERIES") for r in results]
    return problems
