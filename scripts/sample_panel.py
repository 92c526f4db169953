"""The writer shared by make_sample.py and make_hosting_sample.py: one sample period of a contract, its evidence
workbook and its experts' filled scoring workbooks, made by the same writers a secretary's `evidence-template`
and `new-panel` use (so the samples always have the current layout).

Each expert's score must lie in the range the evidence allows (R5-R9); a sample that breaks its own evidence
stops with the expert and item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from scoring.evidence.allowed import evaluate
from scoring.excel import names
from scoring.excel.atomic import save_workbook
from scoring.excel.evidence_reader import read_evidence
from scoring.excel.evidence_sheet import HEADER_ROW, build_evidence_workbook
from scoring.excel.expert_sheet import build_expert_workbook
from scoring.excel.text import write_text
from scoring.jobs.common import load_contract
from scoring.period import parse_period
from scoring.policies import make_policies


@dataclass(frozen=True)
class Sample:
    """One sample period: the contract file (None: the embedded contract), the evidence rows by sheet, each
    expert's scores in rubric order, the notes, the evidence's yes/no cells, the folder and the signing date."""

    contract: Path | None
    period: str
    evidence: dict[str, list[tuple]]
    scores: dict[str, tuple[str, ...]]
    folder: Path
    sign_date: date
    notes: dict[str, dict[str, str]] = field(default_factory=dict)  # expert -> item id -> note
    flags: dict[str, str] = field(default_factory=dict)  # defined name of the evidence workbook -> 是/否


def write_evidence(sample: Sample, contract, path: Path) -> None:
    """The evidence workbook of the period with the sample's rows and yes/no cells filled in."""
    wb = build_evidence_workbook(contract, parse_period(sample.period))
    for sheet, rows in sample.evidence.items():
        for r, values in enumerate(rows, start=HEADER_ROW + 1):
            for c, value in enumerate(values, start=1):
                wb[sheet].cell(r, c).value = value
    for name, value in sample.flags.items():
        sheet, cell = names.locate(wb, name)
        wb[sheet][cell].value = value
    save_workbook(wb, path)


def write_sample(sample: Sample) -> Path:
    """Write FOLDER/evidence/<P>_证据材料.xlsx and FOLDER/<P>_<expert>.xlsx; returns the evidence path."""
    contract, rubric, _ = load_contract(sample.contract)
    period = parse_period(sample.period)
    (sample.folder / "evidence").mkdir(parents=True, exist_ok=True)
    evidence_path = sample.folder / "evidence" / f"{period.code}_证据材料.xlsx"
    write_evidence(sample, contract, evidence_path)
    evidence, problems = read_evidence(evidence_path, contract.crypto_penalty)
    assert not problems, problems
    allowed = evaluate(evidence, rubric, contract, period, False, make_policies(contract.policies)).allowed
    for expert, scores in sample.scores.items():
        wb = build_expert_workbook(rubric, contract, period, expert, guides=allowed)
        for item, text in zip(rubric.items, scores, strict=True):
            value = Decimal(text)
            assert allowed[item.id].low <= value <= allowed[item.id].high, (expert, item.id, allowed[item.id])
            sheet, cell = names.locate(wb, names.score_name(item.id))
            wb[sheet][cell].value = int(value) if value == int(value) else float(value)
            note = sample.notes.get(expert, {}).get(item.id)
            if note:
                sheet, cell = names.locate(wb, names.note_name(item.id))
                write_text(wb[sheet][cell], note)
        sheet, cell = names.locate(wb, "sign_date")
        wb[sheet][cell].value = sample.sign_date
        save_workbook(wb, sample.folder / f"{period.code}_{expert}.xlsx")
    print(f"wrote {evidence_path} and {len(sample.scores)} expert workbooks in {sample.folder}")
    return evidence_path
