"""Reads expert scoring workbooks through their defined names (interfaces.md §2) into ExpertSheet values."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from decimal import Decimal
from dataclasses import replace
from pathlib import Path

from scoring.errors import Problem
from scoring.excel import names
from scoring.excel.cellref import coordinate_to_tuple
from scoring.excel.discovery import archive_kind, discover, settle_all, strip_copy_suffix, workbook_kind
from scoring.excel.lean import NotPlain, lean_view, percent_number, read_checked
from scoring.excel.preflight import defused, open_workbook, parser_message
from scoring.excel.text import as_shown, clean_text
from scoring.numbers import format_number
from scoring.panel import ExpertSheet
from scoring.rubric import Rubric
from scoring.scores import blank_or_type, check_score, score_code, score_from_cell


MAX_ROWS, MAX_COLUMNS = 1000, 60  # far beyond the scoring sheet; a larger declared dimension is not ours

# Our other workbooks, recognised by a defined name, are passed over when found in a folder.
OTHER_KINDS = {"crypto_passed": "证据材料", "total_score": "汇总表"}


def read_expert_workbook(path: str | Path, rubric: Rubric,
                         skip_others: bool = False) -> tuple[ExpertSheet | None, list[Problem]]:
    """One expert's workbook as values, with every problem found (R1.2: blank, text, range, decimals).

    Returns (None, problems) when the file is not a scoring workbook of ours; with `skip_others`,
    (None, []) when it is our evidence or summary workbook (found in a folder of expert sheets).
    """
    _, sheet, problems = read_candidate(Path(path), rubric, skip_others)
    return sheet, problems


def read_candidate(path: Path, rubric: Rubric, skip_others: bool = False,
                   pending: bool = False) -> tuple[str, ExpertSheet | None, list[Problem]]:
    """(kind, sheet, problems): read_expert_workbook, and for a file found by discover(defer=True) that is
    `pending`, first what the workbook is (discovery.workbook_kind): our evidence workbook, a summary or a Strict
    Open XML file is not read but settled by read_panel (discovery.settle_all).

    The file's bytes are read once and opened as a zip once, for the kind, the pre-flight check's members, the
    lean view (scoring/excel/lean.py; openpyxl's read-only workbook when it is not plain) and the audit
    sheet's SHA-256 of what was read.
    """
    from scoring.excel.properties import RUBRIC_PROPERTY, property_in

    problems: list[Problem] = []
    data = read_checked(path)  # None: refused by open_workbook below, with the reason
    archive = None
    points = None
    if data is not None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except Exception:  # damaged: open_workbook words it
            archive = None
    try:
        kind = "" if not pending else archive_kind(archive) if archive is not None else workbook_kind(path)
        if kind in ("strict", "evidence", "summary"):
            return kind, None, []
        wb = lean_view(archive) if archive is not None and defused() else None
        points = property_in(archive, RUBRIC_PROPERTY) if archive is not None else None
    finally:
        if archive is not None:
            archive.close()
    if wb is None:
        wb = open_workbook(path, problems, read_only=True)
        if wb is None:
            return kind, None, problems
    try:
        sheet, problems = _read_workbook(wb, path, rubric, skip_others, problems)
    except NotPlain:  # a named cell the lean view cannot cast as openpyxl would: openpyxl's reader decides
        wb.close()
        wb = open_workbook(path, problems, read_only=True)
        if wb is None:
            return kind, None, problems
        sheet, problems = _read_workbook(wb, path, rubric, skip_others, problems)
    finally:
        if wb is not None:
            wb.close()
    if sheet is None:
        return kind, None, problems
    digest = hashlib.sha256(data if data is not None else path.read_bytes()).hexdigest()
    return kind, replace(sheet, sha256=digest, rubric_points=points or ""), problems


def _read_workbook(wb, path: Path, rubric: Rubric, skip_others: bool,
                   problems: list[Problem]) -> tuple[ExpertSheet | None, list[Problem]]:
    """read_expert_workbook on an opened workbook; NotPlain (the lean view only) goes to the caller."""
    try:
        if skip_others and names.locate(wb, names.EXPERT_NAME) is None and any(
                names.locate(wb, name) for name in OTHER_KINDS):
            return None, []
        found: list[Problem] = []
        sheet = _read(wb, str(path), rubric, found)
        return sheet, problems + found
    except NotPlain:
        raise
    except Exception as exc:  # also what a lazy (read-only) parser raises while iterating
        return None, problems + [Problem(parser_message(exc), file=str(path), code="E-FILE-FORMAT")]


def _read(wb, source: str, rubric: Rubric, problems: list[Problem]) -> ExpertSheet | None:
    wanted = list(names.COVER_NAMES)
    for item in rubric.items:
        wanted += [names.score_name(item.id), names.note_name(item.id)]
    places = {name: names.locate(wb, name) for name in wanted}
    optional = {name: place for name in (names.DISSENT, names.DISSENT_REASON) if (place := names.locate(wb, name))}
    copies = [ws.title for ws in getattr(wb, "worksheets", ())  # openpyxl's view: a sheet's own names (the lean
              if any(name.startswith("score_") for name in getattr(ws, "defined_names", {}))]  # view declines them)
    if copies and all(places[names.score_name(item.id)] is None for item in rubric.items):  # the original's names
        # went with it (LibreOffice and Excel delete a sheet's names with the sheet): only the copy's are left
        problems.append(Problem(f"工作表“{copies[0]}”是复制出的评分表，原来的评分表工作表已被删除：程序只认原工作表中的"
                                "得分；请在 scorecard new-panel 生成的评分表文件中重新填写后提交", file=source,
                                sheet=copies[0], code="E-PANEL-DUPLICATE"))
        return None
    if copies:
        problems.append(Problem(f"工作簿中另有一张带得分的评分表“{copies[0]}”（复制出的工作表）：无法确定哪一张是专家的"
                                "评分，请删除多余的工作表后重新提交", file=source, sheet=copies[0],
                                code="E-PANEL-DUPLICATE"))
        return None
    missing = [name for name, place in places.items() if place is None]
    if missing:
        shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        if set(missing) & set(names.COVER_NAMES):
            problems.append(Problem(f"不是本系统生成的评分表：缺少定义名称 {shown}（请使用 scorecard new-panel 生成的评分表）",
                                    file=source, code="E-FILE-FOREIGN"))
        else:  # our cover is there: another contract's sheet, or rows deleted
            problems.append(_other_items(wb, source, rubric, places) or Problem(
                f"评分表缺少定义名称 {shown}（分项的单元格或其名称被删除，多因删除了行）：请在 scorecard new-panel 生成的"
                "评分表中填写，不要删除行", file=source, sheet=places[names.EXPERT_NAME][0], code="E-FILE-FOREIGN"))
        return None

    shared = _shared_cells({**places, **optional}, rubric, source)
    if shared:  # a score dragged or cut and pasted onto another: reading on would count one number twice
        problems.extend(shared)
        return None

    for sheet in {sheet for sheet, _ in places.values()}:
        ws = wb[sheet]
        rows, cols = ws.max_row or 0, ws.max_column or 0
        if rows > MAX_ROWS or cols > MAX_COLUMNS:
            problems.append(Problem(f"工作表声明的范围异常（{rows} 行 × {cols} 列），不是程序生成的评分表", file=source,
                                    sheet=sheet, code="E-FILE-FORMAT"))
            return None
    places.update(optional)
    cells = _cells(wb, places.values())

    def cell(name: str):
        return cells[places[name]]

    def place(name: str) -> dict[str, str]:
        sheet, coord = places[name]
        return {"file": source, "sheet": sheet, "cell": coord}

    cover = {}
    for name in names.COVER_NAMES:
        value = cell(name).value
        cover[name] = "" if value is None else str(value).strip()
    if not cover[names.EXPERT_NAME]:
        problems.append(Problem("未填写评分专家姓名", code="E-EXPERTS", **place(names.EXPERT_NAME)))
    stem = Path(source).stem
    named = re.match(r"^\d{4}[Hh][12]_(.+)$", strip_copy_suffix(stem))  # 张三(1).xlsx is still 张三,
    if (named and cover[names.EXPERT_NAME] and named.group(1) != cover[names.EXPERT_NAME]  # unless the expert
            and not stem.endswith(f"_{cover[names.EXPERT_NAME]}")):  # is 张伟(1) (new-panel names files by it)
        problems.append(Problem(f"文件名中的专家是“{named.group(1)}”，表内专家姓名却是“{cover[names.EXPERT_NAME]}”："
                                "评分表可能被改名或复制，请核实", code="E-PANEL-DUPLICATE", **place(names.EXPERT_NAME)))

    scores, notes = {}, {}
    for item in rubric.items:
        c = cell(names.score_name(item.id))
        where = place(names.score_name(item.id))
        label = f"专家“{cover[names.EXPERT_NAME]}”的“{item.name}”"
        score = _score(c, item, label, where)
        if isinstance(score, Problem):
            problems.append(score)
        else:
            scores[item.id] = score
        note_cell = cell(names.note_name(item.id))  # a bad note is listed beside a bad score, not after its fix
        if note_cell.data_type == "f":
            problems.append(Problem(f"{label}备注是公式（{str(note_cell.value)[:30]}），备注只能是文字", code="E-NOTE",
                                    **place(names.note_name(item.id))))
            continue
        try:
            notes[item.id] = clean_text(as_shown(note_cell.value))
        except ValueError as exc:
            problems.append(Problem(f"{label}备注{exc}", code="E-NOTE", **place(names.note_name(item.id))))

    pasted = _pasted_copy(wb, places, cover[names.EXPERT_NAME], scores, rubric, source)
    if pasted:
        problems.append(pasted)
    dissent, reason = _dissent({n: (cell(n), place(n)) for n in optional}, cover[names.EXPERT_NAME], problems)
    first_sheet = places[names.EXPERT_NAME][0]
    cells = {name: place[1] for name, place in places.items()}
    return ExpertSheet(
        expert=cover[names.EXPERT_NAME], scores=scores, notes=notes,
        period=cover[names.PERIOD], contract_id=cover[names.CONTRACT_ID],
        rubric_version=cover[names.RUBRIC_VERSION], source=source, sheet=first_sheet, cells=cells,
        dissent=dissent, dissent_reason=reason,
    )


def _pasted_copy(wb, places: dict[str, tuple[str, str]], expert: str, scores: dict[str, Decimal], rubric: Rubric,
                 source: str) -> Problem | None:
    """A copy of the score sheet pasted into another sheet (select all, copy, paste: no defined names come along),
    with scores there that differ from the named cells: the expert may have scored the copy, and only the named
    cells are read. Same scores in the copy change nothing and pass."""
    named = {sheet for sheet, _ in places.values()}
    wanted = {item.id: places[names.score_name(item.id)][1] for item in rubric.items}
    name_at = places[names.EXPERT_NAME][1]
    for title in getattr(wb, "sheetnames", ()):
        ws = wb[title]
        if title in named or not (hasattr(ws, "cell_at") or hasattr(ws, "iter_rows")):  # a chart sheet has no cells
            continue
        cells = _cells(wb, [(title, coord) for coord in [*wanted.values(), name_at]])
        if str(getattr(cells.get((title, name_at)), "value", None) or "").strip() != expert:  # a copy carries the name where
            continue  # the score sheet has it; an expert's own table of numbers (monitoring data) does not
        found = {}
        for item_id, coord in wanted.items():
            try:
                found[item_id] = score_from_cell(getattr(cells.get((title, coord)), "value", None))
            except ValueError:
                continue
        if len(found) * 2 <= len(wanted):  # not laid out as the score sheet: another sheet of the expert's own
            continue
        # the original's score blank (the expert filled only the copy) is a difference too, named beside the blanks
        differ = [i for i in rubric.items if i.id in found and found[i.id] != scores.get(i.id)]
        if differ:
            first = differ[0]
            mine = format_number(scores[first.id]) if first.id in scores else "空或无效"
            return Problem(f"工作表“{title}”是评分表的副本，其中的得分与“{places[names.EXPERT_NAME][0]}”不同（如“{first.name}”："
                           f"副本 {format_number(found[first.id])}，评分表 {mine}）：只有原评分表中的得分会被汇总；请把得分"
                           "填在原评分表中，删除副本（如只是参考，也请删除或移到其他文件）后重新提交", file=source, sheet=title,
                           cell=wanted[first.id], code="E-PANEL-DUPLICATE")
    return None


def _score(c, item, label: str, where: dict[str, str]) -> Decimal | Problem:
    """The score in an expert's cell for `item`, or the Problem with it (R1.2)."""
    if c.data_type == "f":
        return Problem(f"{label}得分是公式（{str(c.value)[:30]}），请直接填写数字", code="E-SCORE-TYPE", **where)
    if c.data_type == "e":
        return Problem(f"{label}得分是错误值 {c.value}，请填写数字", code="E-SCORE-TYPE", **where)
    if percent_number(c):
        return Problem(f"{label}得分单元格被设成了百分比格式（显示为 {format_number(Decimal(str(c.value)) * 100)}%，"
                       f"实际值是 {c.value}）：请把单元格格式改回“常规”或“数值”，再填写得分", code="E-SCORE-TYPE", **where)
    try:
        value = score_from_cell(c.value)
    except ValueError as exc:
        return Problem(f"{label}{exc}", code=blank_or_type(c.value), **where)
    reason = check_score(value, item.points)
    if reason:
        return Problem(f"{label}{reason}", code=score_code(value, item.points), **where)
    return value


def _shared_cells(places: dict[str, tuple[str, str]], rubric: Rubric, source: str) -> list[Problem]:
    """One problem for each cell that two of the sheet's defined names point to. LibreOffice and Excel move a
    name with its cell: a score dragged, or cut and pasted, onto another item's cell leaves both items' names
    on that one cell (and the first item's row blank), which read on gave one number for two items."""
    what = {names.DISSENT: "“有无异议”", names.DISSENT_REASON: "“异议理由”"}
    for item in rubric.items:
        what[names.score_name(item.id)] = f"“{item.name}”得分"
        what[names.note_name(item.id)] = f"“{item.name}”备注"
    by_cell: dict[tuple[str, str], list[str]] = {}
    for name, place in places.items():
        by_cell.setdefault(place, []).append(name)
    return [Problem(f"{'、'.join(what.get(n, n) for n in found)}指向同一个单元格（定义名称 {'、'.join(found)}）："
                    "评分表中的单元格被拖动或剪切粘贴过，无法分清各项的得分；请在原来的位置重新填写（可用 scorecard "
                    "new-panel 重新生成评分表）", file=source, sheet=sheet, cell=cell, code="E-FILE-FOREIGN")
            for (sheet, cell), found in by_cell.items() if len(found) > 1]


def _dissent(found: dict[str, tuple[object, dict]], expert: str, problems: list[Problem]) -> tuple[bool, str]:
    """The named cells `dissent` (是/否, blank 否) and `dissent_reason` (interfaces.md §4), as {name: (cell, place)};
    a sheet made before they existed has no dissent. A dissent needs a reason, which is text, never a formula."""
    if names.DISSENT not in found:
        return False, ""
    choice, where = found[names.DISSENT]
    value = "" if choice.value is None else str(choice.value).strip()
    if value not in ("", "是", "否"):
        problems.append(Problem(f"专家“{expert}”的“有无异议”应填“是”或“否”，现为“{value}”", **where, code="E-DISSENT"))
        return False, ""
    if value != "是":
        _reason_without_dissent(found, expert, value, problems)
        return False, ""
    text, where = found.get(names.DISSENT_REASON, (None, where))
    reason = ""
    if text is not None and text.data_type == "f":
        problems.append(Problem(f"专家“{expert}”的异议理由是公式，只能是文字", **where, code="E-DISSENT"))
        return True, ""
    try:
        reason = clean_text(None if text is None else as_shown(text.value)).strip()
    except ValueError as exc:
        problems.append(Problem(f"专家“{expert}”的异议理由{exc}", **where, code="E-DISSENT"))
        return True, ""
    if not reason:
        problems.append(Problem(f"专家“{expert}”声明对考核结果有异议，但未填写异议理由", **where, code="E-DISSENT"))
    return True, reason


NO_REASON = {"无", "没有", "无异议", "否", "不适用", "/", "-", "—", "－", "／"}  # what "no reason" is written as


def _reason_without_dissent(found: dict[str, tuple[object, dict]], expert: str, choice: str,
                            problems: list[Problem]) -> None:
    """A reason written while 有无异议 says 否 (or is blank, which is 否) is refused like a dissent without a
    reason: the signed summary would drop what the expert wrote. 无 and the like are no reason."""
    text, where = found.get(names.DISSENT_REASON, (None, {}))
    if text is None or text.data_type == "f":
        return
    try:
        reason = clean_text(as_shown(text.value)).strip()
    except ValueError:
        return
    if reason and reason not in NO_REASON:
        shown = reason if len(reason) <= 20 else reason[:20] + "…"
        problems.append(Problem(f"专家“{expert}”填写了异议理由“{shown}”，但“有无异议”为“{choice or '否'}”："
                                "如有异议请改选“是”，如无异议请清空异议理由", **where, code="E-DISSENT"))


class _Blank:
    """A cell the sheet does not store."""

    value = None
    data_type = "n"


def _other_items(wb, source: str, rubric: Rubric, places: dict) -> Problem | None:
    """The problem of one of our scoring workbooks (its cover names are all there) made for another contract or
    rubric version than `rubric`, whose items it lacks: most often another contract's sheet read without its
    --contract. It said "不是本系统生成的评分表", and secretaries made the experts' sheets again. None for a
    sheet of this very contract and version (a name deleted by hand: the missing names say it)."""
    from scoring.contract import contract_option

    cover = _cells(wb, [places[names.CONTRACT_ID], places[names.RUBRIC_VERSION]])
    contract, version = (str(cover[places[n]].value or "").strip() for n in (names.CONTRACT_ID, names.RUBRIC_VERSION))
    if (contract, version) == (rubric.id, rubric.version):
        return None
    sheet, cell = places[names.CONTRACT_ID]
    advice = (f"评分表属于另一份合同，请{contract_option(contract)}" if contract != rubric.id
              else "考核办法的分项改过时，请用 scorecard new-panel 重新生成评分表")
    return Problem(f"评分表属于合同“{contract}”（考核办法版本“{version}”），与本次使用的考核办法“{rubric.title}”"
                   f"（{rubric.id}，版本“{rubric.version}”）的分项不同：{advice}",
                   file=source, sheet=sheet, cell=cell, code="E-PANEL-MISMATCH")


def _cells(wb, places) -> dict[tuple[str, str], object]:
    """Only the cells the defined names point at, streamed row by row up to the last of them; the sheet's
    declared dimension and anything below are never read."""
    wanted: dict[str, set[str]] = {}
    for sheet, coord in places:
        wanted.setdefault(sheet, set()).add(coord)
    found: dict[tuple[str, str], object] = {}
    for sheet, coords in wanted.items():
        ws = wb[sheet]
        lookup = getattr(ws, "cell_at", None)  # the lean view finds a cell without converting the others
        if lookup is not None:
            for coord in coords:
                found[(sheet, coord)] = lookup(coord) or _Blank()
            continue
        bounds = [coordinate_to_tuple(c) for c in coords]
        for row in ws.iter_rows(min_row=min(r for r, _ in bounds), max_row=max(r for r, _ in bounds),
                                max_col=max(c for _, c in bounds)):
            for c in row:
                coordinate = getattr(c, "coordinate", None)
                if coordinate in coords:
                    found[(sheet, coordinate)] = c
        for coord in coords:
            found.setdefault((sheet, coord), _Blank())
    return found


def read_panel(inputs: list[str | Path], rubric: Rubric, contract_id: str, notices: list[str] | None = None,
               evidence_given: bool = True, evidence: str | Path | None = None, out: Path | None = None,
               evidence_folder: Path | None = None) -> tuple[list[ExpertSheet], list[Problem]]:
    """Read every expert workbook of a panel; checks each against the contract and rubric in use (R2.2).

    Every file of a folder is read, skipped with a notice or refused (scoring.excel.discovery); .xls,
    .ods and Strict Open XML files are converted through LibreOffice (scoring.excel.convert). A copy of
    a sheet with the same bytes (a browser's 张三(1).xlsx) counts once; `notices` gets one line each.
    """
    import tempfile

    from scoring.excel.convert import convert_to_xlsx
    from scoring.excel.properties import rubric_points
    from scoring.excel.sheet_pool import read_sheets

    current_points = rubric_points(rubric)  # what each sheet's recorded points are compared with (R1.1)

    candidates, said, problems = discover(inputs, evidence_given, evidence, defer=True, out=out,
                                          evidence_folder=evidence_folder)
    said = list(said)
    # every file is opened once, a large panel on every core (scoring/excel/sheet_pool.py): a pending file first
    # says what it is (evidence, a summary, Strict Open XML), and discovery's rules settle it here, in order
    direct = [c for c in candidates if not c.convert]
    reads = dict(zip([c.path for c in direct], read_sheets([(c.path, not c.explicit, c.pending) for c in direct],
                                                           rubric)))
    kinds = {path: kind for path, (kind, _, _) in reads.items()}
    candidates = settle_all(candidates, kinds, evidence_given, said, problems, evidence, evidence_folder)
    sheets: list[ExpertSheet] = []
    with tempfile.TemporaryDirectory(prefix="scorecard-convert-") as tmp:
        for index, candidate in enumerate(candidates):
            path = candidate.path
            if candidate.convert:
                path, problem = convert_to_xlsx(candidate.path, candidate.convert, Path(tmp) / str(index))
                if problem is not None:
                    problems.append(problem)
                    continue
                sheet, found = read_expert_workbook(path, rubric, skip_others=not candidate.explicit)
                said.append(f"{candidate.path}：{candidate.convert}，已用 LibreOffice 转换后读取" if sheet or found else
                            f"跳过 {candidate.path}：{candidate.convert}，转换后看到的不是评分表（可能是证据材料或汇总表）")
            else:
                _, sheet, found = reads[path]
            if path != candidate.path:  # name the file the person gave, not the converted copy
                found = [replace(p, file=str(candidate.path)) if p.file == str(path) else p for p in found]
                sheet = sheet and replace(sheet, source=str(candidate.path),
                                          sha256=hashlib.sha256(candidate.path.read_bytes()).hexdigest())
            problems += found
            if sheet is None:
                continue
            if sheet.contract_id != contract_id:
                problems.append(Problem(f"评分表属于合同“{sheet.contract_id}”，不是本次考核的合同“{contract_id}”",
                                        code="E-PANEL-MISMATCH", **sheet.place(names.CONTRACT_ID)))
            if sheet.rubric_version != rubric.version:
                problems.append(Problem(
                    f"评分表的考核办法版本为“{sheet.rubric_version}”，与当前版本“{rubric.version}”不一致",
                    code="E-PANEL-MISMATCH", **sheet.place(names.RUBRIC_VERSION)))
            elif sheet.rubric_points and sheet.rubric_points != current_points and sheet.contract_id == contract_id:
                problems += _points_changed(sheet, rubric)
            sheets.append(sheet)
    sheets = _drop_identical_copies(sheets, said)
    for sheet in sheets:
        stem = Path(sheet.source).stem
        if strip_copy_suffix(stem) != stem and sheet.expert and not stem.endswith(f"_{sheet.expert}"):
            said.append(f"{sheet.source}：文件名带有副本后缀，按表内专家姓名“{sheet.expert}”计")
    if notices is not None:
        notices += said
    return sheets, problems


def _points_changed(sheet: ExpertSheet, rubric: Rubric) -> list[Problem]:
    """The problem of a sheet made when the rubric's points were other than now, under the same version (R1.1:
    the expert scored against the points the sheet showed; a rubric edited without a new version was taken
    silently, with the new points)."""
    from scoring.numbers import format_number

    made = dict(part.split("=", 1) for part in sheet.rubric_points.split(";") if "=" in part)
    changed = [f"“{item.name}”{format_number(Decimal(made[item.id]))} 分，现为 {format_number(item.points)} 分"
               for item in rubric.items if item.id in made and Decimal(made[item.id]) != item.points]
    if not changed and set(made) == {item.id for item in rubric.items}:
        return []  # the same points, written another way
    what = "；".join(changed[:3]) + ("等" if len(changed) > 3 else "") if changed else "分项不同"
    return [Problem(f"评分表生成时的考核办法分值与现行考核办法不同（{what}），而版本号同为“{rubric.version}”："
                    "考核办法改动后请修改其 version，并用 scorecard new-panel 重新生成评分表；如改动有误，请改回原分值",
                    code="E-PANEL-MISMATCH", **sheet.place(names.RUBRIC_VERSION))]


def _drop_identical_copies(sheets: list[ExpertSheet], notices: list[str]) -> list[ExpertSheet]:
    """One expert's sheet found twice with the same bytes (a download saved twice) counts once (R2.2);
    two different sheets of one expert stay, for check_panel to refuse."""
    def is_copy(sheet: ExpertSheet) -> bool:
        return strip_copy_suffix(Path(sheet.source).stem) != Path(sheet.source).stem

    dropped: set[int] = set()
    seen: dict[tuple[str, str], ExpertSheet] = {}
    for sheet in sorted(sheets, key=is_copy):  # the original name is kept, its copies dropped
        first = seen.get((sheet.expert, sheet.sha256))
        if first is not None:
            notices.append(f"{sheet.source} 与 {first.source} 内容完全相同（同一份评分表的副本），只计一次")
            dropped.add(id(sheet))
            continue
        seen[(sheet.expert, sheet.sha256)] = sheet
    return [sheet for sheet in sheets if id(sheet) not in dropped]
