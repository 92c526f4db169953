"""A service year on disk for the annual, correction, history and rectification tests.

2026H2: 3 experts agreeing on 76.5 (report 0.5 of 12, onsite 0 of 12): R4 deduction 3.5 % of 582,000.00
= 20,370.00, payable 561,630.00. 2027H1 (year-end, 密评 not passed): 62.25 (report 0.25, platform, onsite,
policies 0, crypto 0 by R5): 17.75 % = 103,305.00, plus 20,000.00 (R5) = 123,305.00, payable 458,695.00.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from scoring.cli import main
from tests.conftest import write_evidence_workbook, write_expert_workbook

EXPERTS = ("甲", "乙", "丙")
H2_SCORES = {"report": 0.5, "onsite": 0}
H1_SCORES = {"report": 0.25, "platform": 0, "onsite": 0, "policies": 0, "crypto": 0}
# 2027 statutory holidays (R7: the user's table; the official 2027 calendar is not packaged).
HOLIDAYS_2027 = ([date(2027, 1, 1)] + [date(2027, 2, d) for d in range(5, 12)] + [date(2027, 4, 5)]
                 + [date(2027, 5, d) for d in range(1, 6)] + [date(2027, 6, 9), date(2027, 9, 15)]
                 + [date(2027, 10, d) for d in range(1, 8)])


def panel(folder: Path, period: str, scores: dict, evidence_rows: dict | None = None, **overrides) -> tuple[Path, Path]:
    """Expert sheets and an evidence workbook for one period, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for expert in EXPERTS:
        write_expert_workbook(folder, expert, {**scores, **overrides.get(expert, {})}, period=period)
    evidence = write_evidence_workbook(folder.parent / f"{folder.name}_证据材料.xlsx", period, evidence_rows or {})
    return folder, evidence


def summarize(folder: Path, evidence: Path, out: Path, *extra: str) -> Path:
    code = main(["summarize", str(folder), "--evidence", str(evidence), "--out", str(out), *extra])
    assert code == 0
    return out


def service_year(root: Path) -> dict[str, Path]:
    """Both halves summarized: {'2026H2': summary, '2027H1': summary, 'evidence_h2': ..., 'evidence_h1': ...}."""
    h2, ev2 = panel(root / "h2", "2026H2", H2_SCORES, {"应急演练": [(date(2026, 9, 10), "备份还原演练")],
                                                      "培训服务": [(date(2026, 10, 20), 2, "备份平台培训")]})
    holidays = [(d, "休息日", "法定节假日") for d in HOLIDAYS_2027]
    h1, ev1 = panel(root / "h1", "2027H1", H1_SCORES, {"应急演练": [(date(2027, 3, 18), "数据恢复演练")],
                                                      "培训服务": [(date(2027, 4, 8), 1, "运维培训")],
                                                      "节假日调整": holidays})
    return {"2026H2": summarize(h2, ev2, root / "2026H2_汇总.xlsx"), "2027H1": summarize(h1, ev1, root / "2027H1_汇总.xlsx"),
            "evidence_h2": ev2, "evidence_h1": ev1, "h2": h2, "h1": h1}


def copy(path: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return target
