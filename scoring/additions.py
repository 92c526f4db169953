"""What the service-year work adds to a summary, in one place: the trusted trend (scoring/history.py) and
the 复核 sheet (scoring/correction.py), the experts' dissents on the signature sheet, and whether an earlier
notice's items were rectified in time (scoring/rectification.py). Called by `summarize` after the assessment."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Sequence

from scoring.errors import InputError

if TYPE_CHECKING:
    from scoring.assess import Assessment


def additions(a: Assessment, earlier: Sequence[Any] | None, corrections: Sequence[Any] = (), rectification: Any = None,
              evidence: Any = None) -> tuple[Assessment, list[dict[str, Any]], list[Callable[[Any], None]]]:
    """(assessment with the extra warnings, history rows for the trend chart, extra-sheet writers).

    `earlier` are the recomputed earlier summaries (None: no --history); one of the current or a later
    period is an InputError. `rectification` is an earlier period's notice record (scoring/jobs/rectify.py),
    judged with the current evidence's holiday table.
    """
    from scoring.excel.correction_sheet import add_correction_sheet
    from scoring.history import trend

    rows: list[dict[str, Any]] = []
    warnings: list[str] = []
    if earlier is not None:
        rows, problems, warnings = trend(earlier, a.contract, a.period.code, a.panel.total, a.settlement.total)
        if problems:
            raise InputError(problems)
    a = replace(a, warnings=a.warnings + tuple(warnings))
    from scoring.recorded import seal_properties

    # the scores as summarized, so a later hand edit shows (data: the XML writer adds it too)
    sheets: list[Callable[[Any], None]] = [seal_properties(a.sheets, a.rubric.version)]
    if corrections:
        from scoring.correction import AFTER

        sheets.append(lambda wb: add_correction_sheet(wb, corrections, a.rubric))
        # said on the first page, where people sign (the 复核 sheet is the last)
        again = "；专家签字后复核的，须由评审专家重新签字确认" if any(c.stage == AFTER for c in corrections) else ""
        a = replace(a, warnings=a.warnings + (f"本汇总表经复核更正 {len(corrections)} 处评分（财政部令第87号第六十四条，见“复核”表）{again}",))
    if rectification is not None:
        from scoring.excel.rectification_sheet import add_outcome_sheet
        from scoring.jobs.rectify import rectification_check

        found, notes, problems = rectification_check(rectification, a, evidence)
        if problems:
            raise InputError(problems)
        a = replace(a, warnings=a.warnings + tuple(notes))
        days, clause = a.contract.deadlines.rectification_working_days, a.contract.clauses.evaluation
        sheets.append(lambda wb: add_outcome_sheet(wb, found, days, clause))
    dissents = {sh.expert: sh.dissent_reason for sh in a.sheets if sh.dissent}
    if dissents:
        from scoring.excel.dissent_display import show_dissents

        sheets.append(lambda wb: show_dissents(wb, dissents))
    return a, rows, sheets
