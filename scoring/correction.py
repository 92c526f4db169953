"""Corrections (复核) under 财政部令第87号 Art. 64: a summed result changes only for four recorded reasons.

Pure: a Correction is a value; `apply_corrections` gives the expert sheets as corrected (the original
workbooks are never written); `review_hints` points at what the data itself shows (objective items scored
differently, outliers flagged by R2.4), each with the command that records a correction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Sequence

from scoring.errors import Problem
from scoring.shell import argument

# Art. 64's four reasons: key -> the regulation's words.
REASONS = {
    "sum-error": "分值汇总计算错误",
    "out-of-range": "分项评分超出评分标准规定的分值范围",
    "objective-inconsistent": "客观评审因素评分不一致",
    "outlier": "经评审小组认定评分畸高、畸低",
}
BEFORE, AFTER = "签字前", "签字后"


@dataclass(frozen=True)
class Correction:
    """One changed score: who changed which expert's item, from what to what, why and when."""

    expert: str
    item: str  # item id
    old: Decimal
    new: Decimal
    reason: str  # a key of REASONS
    by: str
    at: datetime
    stage: str = BEFORE  # before or after the experts signed the summary

    def as_json(self) -> dict[str, str]:
        """interfaces.md §4: {"expert", "item", "old", "new", "reason", "by", "at"} (and the stage)."""
        from scoring.numbers import format_number

        return {"expert": self.expert, "item": self.item, "old": format_number(self.old),
                "new": format_number(self.new), "reason": self.reason, "by": self.by,
                "at": self.at.isoformat(timespec="seconds"), "stage": self.stage}


def reason_key(text: str) -> str | None:
    """The reason's key from its key or its Chinese name (Art. 64); None for anything else."""
    text = (text or "").strip()
    if text in REASONS:
        return text
    return next((key for key, name in REASONS.items() if name == text), None)


def apply_corrections(sheets: Sequence[Any], corrections: Sequence[Correction], rubric: Any) -> tuple[list[Any], list[Problem]]:
    """The sheets with every correction applied in order; a correction naming an unknown expert or item, or
    whose old score is not the score it replaces, is a problem (the record must follow the data)."""
    from scoring.numbers import format_number

    by_expert = {s.expert: s for s in sheets}
    items = {i.id for i in rubric.items}
    problems = []
    for c in corrections:
        sheet = by_expert.get(c.expert)
        if sheet is None:
            problems.append(Problem(f"复核记录的专家“{c.expert}”不在本考核组（{'、'.join(by_expert)}）", code="E-CORRECTION"))
            continue
        if c.item not in items:
            problems.append(Problem(f"复核记录的分项“{c.item}”不在考核办法中", code="E-CORRECTION"))
            continue
        current = sheet.scores.get(c.item)
        if current is not None and current != c.old:
            problems.append(Problem(f"复核记录中专家“{c.expert}”“{c.item}”的原分为 {format_number(c.old)}，"
                                    f"评分表为 {format_number(current)}", **sheet.place(f"score_{c.item}"), code="E-CORRECTION"))
            continue
        by_expert[c.expert] = replace(sheet, scores={**sheet.scores, c.item: c.new})
    return [by_expert[s.expert] for s in sheets], problems


@dataclass(frozen=True)
class ReviewHint:
    """A place where the data shows one of Art. 64's reasons: an objective item scored differently by the experts
    (`expert` and `score` None: the review group decides whose score is wrong) or one expert's outlying score."""

    item: str  # item id
    item_name: str
    reason: str  # a key of REASONS
    expert: str | None
    score: Decimal | None
    scores: dict[str, Decimal]  # every expert's score of the item
    text: str  # the terminal's line

    @property
    def options(self) -> str:
        """The options of `scorecard correct` this hint fixes: expert (a placeholder when the group decides), item
        and reason."""
        return f"--expert {argument(self.expert) if self.expert else '<专家>'} --item {self.item} --reason {self.reason}"

    def command(self, summary: str | None = None, inputs: Sequence[str] = (), contract: str | None = None) -> str:
        """The `scorecard correct` command that records the correction, with Chinese placeholders to fill:
        the run's inputs (sheets, evidence) and contract file are passed on, so it runs as printed."""
        return correct_command(self.options, summary, inputs, contract)

    def as_json(self, summary: str | None = None, inputs: Sequence[str] = (),
                contract: str | None = None) -> dict[str, Any]:
        """--json "review_hints": expert (null for an item-wide inconsistency), item, score, reason, command."""
        from scoring.numbers import format_number

        return {"expert": self.expert, "item": self.item, "item_name": self.item_name,
                "score": None if self.score is None else format_number(self.score),
                "scores": {e: format_number(v) for e, v in self.scores.items()},
                "reason": self.reason, "reason_text": REASONS[self.reason], "command": self.command(summary, inputs, contract),
                "message": self.text}


def review_hints(a: Any) -> list[ReviewHint]:
    """What Art. 64 names where the data shows it: an objective item (determined by the evidence, R1) scored
    differently, and scores flagged as far from the median (R2.4), each pointing to `scorecard correct`."""
    from scoring.numbers import format_number

    hints = []
    for r in a.panel.items:
        values = sorted(set(r.scores.values()))
        if (r.item.kind == "determined" or r.low == r.high) and len(values) > 1:
            hints.append(ReviewHint(
                r.item.id, r.item.name, "objective-inconsistent", None, None, dict(r.scores),
                f"“{r.item.name}”为客观评审因素，专家评分不一致（{'、'.join(map(format_number, values))}）："
                f"经评审小组复核后可用 scorecard correct --item {r.item.id} --reason objective-inconsistent 记录更正"))
        for expert in r.flagged:
            hints.append(ReviewHint(
                r.item.id, r.item.name, "outlier", expert, r.scores[expert], dict(r.scores),
                f"专家“{expert}”的“{r.item.name}”评分 {format_number(r.scores[expert])} 偏离中位数较大："
                f"经评审小组认定畸高、畸低的，可用 scorecard correct --expert {argument(expert)} --item {r.item.id} "
                "--reason outlier 记录更正"))
    return hints


def correct_command(options: str, summary: str | None = None, inputs: Sequence[str] = (),
                    contract: str | None = None) -> str:
    """`scorecard correct` with the run's summary, inputs (sheets, evidence) and contract file passed on, so that
    it runs as printed once the Chinese placeholders are filled; `options` name the expert, item and reason."""
    target = argument(str(summary)) if summary else "<汇总表.xlsx>"
    given = "".join(f" {argument(str(p))}" for p in inputs)
    contract_option = f" --contract {argument(str(contract))}" if contract else ""
    return (f"scorecard correct {target}{given}{contract_option} {options} "
            "--score <更正后的得分> --by <复核人> --out <新汇总表.xlsx>")


def art64_hints(a: Any, summary: str | None = None, inputs: Sequence[str] = (), contract: str | None = None) -> list[str]:
    """The terminal's lines of `review_hints` (87号令 Art. 64); with the run's summary, inputs and contract, a last
    line with the whole `scorecard correct` command, the options of a hint to put in (the hints name them)."""
    hints = review_hints(a)
    if not hints or summary is None:
        return [h.text for h in hints]
    whole = correct_command("--expert <专家> --item <分项> --reason <情形>", summary, inputs, contract)
    return [h.text for h in hints] + [f"完整命令（按上列提示填写 <…> 处）：{whole}"]
