"""What the summary workbook shows, as plain values for its template (no Excel here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from scoring import __version__
from scoring.assess import Assessment
from scoring.capitals import rmb_capitals
from scoring.evidence.params import CRYPTO_RULE
from scoring.numbers import format_number, fraction_to_decimal, is_terminating
from scoring.policies import POLICY_TEXT
from scoring.sensitivity import tier


@dataclass(frozen=True)
class InputFile:
    """One input of the run, for the audit sheet and `verify`."""

    role: str  # 专家评分表 / 证据材料 / 模板 / 合同 / 考核办法
    name: str
    sha256: str
    place: str = ""  # where it was, relative to the summary's folder (verify looks there first)


def number(value: Fraction | Decimal) -> Decimal | float:
    """A score as a cell value: the exact Decimal when it terminates, else the closest float."""
    if isinstance(value, Fraction):
        return fraction_to_decimal(value) if is_terminating(value) else float(value)
    return value


EXPERTS_SHOWN = 15  # names on 汇总's one line (two at most, printed); every name is on 评分明细 and 签字


def experts_text(experts: list[str]) -> str:
    """汇总's 评审专家 line: every name for a usual panel; for a large one the first names and where the rest
    are, so the line stays within its printed row (31 names wrapped over the rows below)."""
    if len(experts) <= EXPERTS_SHOWN:
        return f"{len(experts)} 名：{'、'.join(experts)}"
    return f"{len(experts)} 名：{'、'.join(experts[:EXPERTS_SHOWN - 3])} 等（全部名单见“评分明细”和“签字”表）"


def policies_text(a: Assessment) -> str:
    """The policies used, in words and as KEY=VALUE."""
    p = a.policies.as_dict()
    bounds = "、".join(format_number(b.min) for b in a.contract.grades.bands)
    words = [POLICY_TEXT.get(k, {}).get(v) for k, v in p.items()]
    return "；".join(w.format(bounds=bounds) for w in words if w) \
        + f"；偏离阈值为分值的 {format_number(a.policies.outlier_share * 100)}%" \
        "；金额精确计算，最后四舍五入到分" + "（" + "，".join(f"{k}={v}" for k, v in p.items()) + "）"


def summary_context(a: Assessment, inputs: list[InputFile], options: dict[str, str],
                    generated: datetime | None = None, history: list[dict] | None = None) -> dict:
    """Every variable of the summary template (templates/summary.xlsx); late payment (R10) comes from the core."""
    s = a.settlement
    late = {"due": None, "paid": None, "days": 0, "interest": Decimal("0.00"), "terminate": "否"}
    if a.late and a.payment:
        late = {"due": a.payment[0], "paid": a.payment[1], "days": a.late.days_late, "interest": a.late.interest,
                "terminate": "是" if a.late.may_terminate else "否"}
    experts = list(a.panel.experts)
    findings = a.findings
    crypto = bool(a.rubric.bound(CRYPTO_RULE))
    items = []
    for r in a.panel.items:
        allowed = findings.allowed[r.item.id] if findings else None
        items.append({
            "id": r.item.id, "category": a.rubric.category(r.item.category).name, "name": r.item.name,
            "points": r.item.points, "panel": number(r.panel), "median": number(r.median),
            "range": f"{format_number(r.low)}–{format_number(r.high)}",
            "min": min(r.scores.values()), "max": max(r.scores.values()), "spread": r.spread,
            "flags": "、".join(r.flagged), "evidence": allowed.text if allowed else "未提供证据材料",
            "evidence_flags": "；".join(allowed.flags) if allowed else "",
        })
    generated = generated or datetime.now().replace(microsecond=0)
    return {
        "contract": {"id": a.contract.id, "name": a.contract.name, "buyer": a.contract.buyer},
        "clauses": {"assessment": a.contract.clauses.assessment, "evaluation": a.contract.clauses.evaluation,
                    "termination": a.contract.clauses.termination},  # what the notice cites ([clauses])
        "period": {"code": a.period.code, "start": a.period.start, "end": a.period.end,
                   "kind": "服务期年终考核" if a.year_end else "半年度考核"},
        "experts": experts,
        "experts_text": experts_text(experts),
        "policies_text": policies_text(a),
        "evidence_text": "已提供，已按证据规则（R5–R9）核定各项允许范围" if findings
        else "未提供证据材料：未应用证据规则，各项允许 0 至满分",
        "panel_note": a.panel.note,
        "items": items,
        "categories": [{"id": c.id, "name": c.name, "points": c.points, "value": number(a.panel.categories[c.id]),
                        "items": [i.id for i in c.items]} for c in a.rubric.categories],
        "total": number(a.panel.total), "grade": a.grade,
        "median_of_totals": number(a.median_of_totals),
        "scenarios": [{"label": sc.label, "total": number(sc.total), "exact_total": sc.total, "grade": sc.grade,
                       "deduction": sc.deduction,
                       "note": "；".join((["等级变化"] if sc.changes_grade else []) + (["扣款档次变化"] if sc.changes_tier else []))}
                      for sc in a.scenarios],
        "warnings": list(a.warnings),
        "expert_rows": [{"name": sh.expert, "scores": [sh.scores[i.id] for i in a.rubric.items], "total": sh.total}
                        for sh in a.sheets],
        "item_names": [i.name for i in a.rubric.items],
        "item_points": [i.points for i in a.rubric.items],
        "points_total": a.rubric.total,
        "medians": [number(r.median) for r in a.panel.items],
        "aggregation": a.policies.aggregation, "grade_bounds": a.policies.grade_bounds,
        "contract_terms": {"grades": a.contract.grades, "schedule": a.contract.schedule, "payment": a.contract.payment},
        "schedule_text": schedule_text(a.contract.schedule),
        "payment_text": (f"按当期应付款的日 {format_number(a.contract.payment.late_daily_rate * 100)}% 计；"
                         f"逾期 {a.contract.payment.termination_days_late} 日以上（含），乙方有权解除合同（R10）"),
        "notes": [{"expert": sh.expert, "item": i.name, "text": sh.notes[i.id]}
                  for sh in a.sheets for i in a.rubric.items if sh.notes.get(i.id)],
        "points": [i.points for i in a.rubric.items],
        "outlier_share": a.policies.outlier_share,
        "fee": s.fee, "rate": number(s.rate), "tier": tier(a.panel.total, a.contract.schedule),
        "assessment": s.assessment, "crypto_penalty": s.crypto_penalty, "deduction": s.total, "payable": s.payable,
        "overdue_fee": f"{a.contract.overdue_use_fee:,.2f}",
        "overdue_text": (f"另：合同期前超期使用的服务费 {a.contract.overdue_use_fee:,.2f} 元单独支付，不参与本考核的扣款（R10）。"
                         if a.contract.overdue_use_fee else ""),
        # a contract without 密评 (no item binds the rule) prints no 密评 on the notice it pays from
        "crypto_label": "密评未通过扣款（元）" if crypto else "其他扣款（元）",
        "crypto_text": ("年终考核时密评仍未通过，一次性扣除（R5）" if s.crypto_penalty else "不适用") if crypto
        else "本合同未约定密评扣款",
        "capitals": {"fee": rmb_capitals(s.fee), "assessment": rmb_capitals(s.assessment),
                     "crypto_penalty": rmb_capitals(s.crypto_penalty), "deduction": rmb_capitals(s.total),
                     "payable": rmb_capitals(s.payable)},
        "lines": [{"name": line.name, "price": price.amount, "tax_rate": line.tax_rate,
                   "share": line.share, "largest": 1 if line.takes_rounding else 0,
                   "amount": line.amount, "before_tax": line.before_tax,
                   "tax": line.tax, "capitals": rmb_capitals(line.amount)}
                  for line, price in zip(s.lines, a.contract.lines)],
        "price_total": sum(p.amount for p in a.contract.lines),
        "lines_total": {"share": sum(l.share for l in s.lines), "before_tax": sum(l.before_tax for l in s.lines),
                        "tax": sum(l.tax for l in s.lines)},
        "evidence": evidence_context(findings),
        "captions": evidence_captions(a),
        "late": late,
        "inputs": [{"role": f.role, "name": f.name, "sha256": f.sha256, "place": f.place} for f in inputs],
        "options": [{"key": k, "value": v} for k, v in options.items()],
        "rubric": {"id": a.rubric.id, "version": a.rubric.version, "title": a.rubric.title},
        "program": f"scorecard {__version__}",
        "generated": generated,
        "history": history or [],
        "review_hints": review_rows(a),
    }


def review_rows(a: Assessment) -> list[dict[str, str]]:
    """The 签字 sheet's Art. 64 rows (87号令): item, expert, score, reason and the `scorecard correct` options;
    one row saying there is none when the data shows no reason, so the block never prints as an empty table."""
    from scoring.correction import REASONS, review_hints

    rows = [{"item": h.item_name, "expert": h.expert or "（评审小组确定）",
             "score": format_number(h.score) if h.score is not None else "、".join(
                 f"{e} {format_number(v)}" for e, v in h.scores.items()),
             "reason": REASONS[h.reason], "command": h.options} for h in review_hints(a)]
    return rows or [{"item": "无", "expert": "", "score": "", "reason": "数据中未见客观评审因素评分不一致或评分偏离较大",
                     "command": ""}]


def schedule_text(schedule) -> str:
    """The contract's deduction schedule in words (R4), e.g. 总分 ≥ 80：不扣款；60 ≤ 总分 < 80：每低 1 分扣 1%……"""
    parts = []
    for step in schedule.tiers:
        where = f"总分 ≥ {format_number(step.min)}" if step.top is None else \
            (f"{format_number(step.min)} ≤ 总分 < {format_number(step.top)}" if step.min > 0 else
             f"总分 < {format_number(step.top)}")
        what = (f"扣当次服务费的 {format_number(step.rate * 100)}%" if step.rate else "不扣") if step.rate is not None \
            else f"比 {format_number(step.top)} 分每低 1 分扣当次服务费的 {format_number(step.per_point * 100)}%（不足 1 分按比例）"
        parts.append(f"{where}：{what}")
    return "；".join(parts) + "（R4）"


def availability_digits(value: Fraction) -> Decimal:
    """Availability cut (not rounded) to 5 decimals of a percent, the digits the evidence text shows (R6)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0000001"), rounding=ROUND_DOWN)


def _duration(minutes: int) -> str:
    return f"{minutes // 60} 小时" if minutes % 60 == 0 else f"{minutes} 分钟"


def evidence_captions(a: Assessment) -> dict[str, str]:
    """The evidence sheet's table captions with the limits of the method in use (R7, R8, R9)."""
    params = {item.evidence: item.params for item in a.rubric.items if getattr(item, "evidence", None)}
    reply = params.get("reply-deadline")
    incident = params.get("incident-log")
    unused = "（本合同的考核办法不按此评分）"  # a table of a rule no item binds: said, so its blank is no omission
    return {
        "requests": "需求函" + ("（R7：" + (f"收到后 {reply.reply_working_days} 个工作日内答复，" if reply else "")
                             + "收到当天不计，按法定节假日和调休）" if "reply-deadline" in params else unused),
        "incident_log": "故障" + ("（R8" + (f"：{_duration(incident.response_minutes)}响应、{_duration(incident.on_site_minutes)}"
                                          f"到场、{_duration(incident.fix_minutes)}排除" if incident else "") + "）"
                                if "incident-log" in params or "data-leaks" in params else unused),
        "reports": (f"运行月报（R9：次月 {a.policies.report_due_day} 日前提交）" if "monthly-reports" in params
                    else "运行月报" + unused),
    }


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


def evidence_context(f) -> dict:
    """The evidence sheet's rows: what each rule of R6-R9 concluded (empty lists without evidence)."""
    if f is None:
        return {"given": "未提供证据材料", "uptime": [], "outages": [], "requests": [], "incident_log": [],
                "reports": [], "counts": []}
    av = f.availability
    return {
        "given": "已提供",
        "uptime": [{"start": av.start, "end": av.end, "total": number(av.total_minutes),
                    "down": number(av.outage_minutes), "value": availability_digits(av.value),
                    "text": f.availability_text}] if av else [],
        "outages": [{"start": a, "end": b, "minutes": number(Fraction((b - a).total_seconds()) / 60)}
                    for a, b in (av.intervals if av else ())],
        "requests": [{"id": c.request.id, "received": c.request.received, "deadline": c.deadline,
                      "replied": c.request.replied or "未答复", "late": _yes(c.late)} for c in f.requests],
        "incident_log": [{"id": c.incident.id, "occurred": c.incident.occurred, "level": c.level,
                       "hours": "未恢复" if c.recovery_hours is None else number(c.recovery_hours),
                       "responded": _yes(c.responded_in_time), "on_site": _yes(c.on_site_in_time),
                       "fixed": _yes(c.fixed_in_time), "concealed": _yes(c.incident.concealed),
                       "leaked": _yes(c.incident.leaked)} for c in f.incidents],
        "reports": [{"month": f"{r.month:%Y-%m}", "due": r.due, "submitted": r.submitted or "未提交",
                     "status": r.status, "complete": _yes(r.complete)} for r in f.reports],
        "counts": [{"name": "投诉（次）", "period": f.complaints, "year": ""},
                   {"name": "未接电话（次）", "period": f.missed_calls, "year": ""},
                   {"name": "应急演练（次）", "period": f.drills_period, "year": f.drills_year},
                   {"name": "厂家培训（人次）", "period": f.training_period, "year": f.training_year}],
    }
