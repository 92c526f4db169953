"""The terms a summary's figures follow from, as one digest (§5, R1-R10).

A summary records the SHA-256 of its contract and rubric files, and that changes with a comment, a byte-order
mark, CRLF line ends or a clause's wording. What `correct`, `annual`, `rectify`, `--history` and `verify` must
know is whether the terms changed: the grades, the deduction tiers, the fee and its lines with their tax rates,
the 密评 penalty, the payment terms, the default policies, and the rubric's items with their points and evidence
rules. This digest covers those and nothing else, from the parsed data, so it is the same for every way of
writing the same contract.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

KEY = "terms_digest"  # the audit sheet's option row that records it


def _params(params: Any) -> list[list[str]]:
    return sorted([key, str(value)] for key, value in vars(params).items()) if params is not None else []


def terms_digest(contract: Any, rubric: Any) -> str:
    """SHA-256 (hex) of the contract's and rubric's terms, written canonically (sorted JSON of their values)."""
    terms = {
        "annual_fee": str(contract.annual_fee), "settlements_per_year": contract.settlements_per_year,
        "crypto_penalty": str(contract.crypto_penalty), "overdue_use_fee": str(contract.overdue_use_fee),
        "service": [contract.service_start.isoformat(), contract.service_end.isoformat()],
        "grades": [[str(b.min), b.grade] for b in contract.grades.bands] + [contract.grades.below],
        "tiers": [[str(t.min), t.label, str(t.rate), str(t.per_point)] for t in contract.schedule.tiers],
        "lines": [[line.name, str(line.amount), str(line.tax_rate)] for line in contract.lines],
        "included": list(contract.included_lines),
        "payment": [contract.payment.due_working_days, str(contract.payment.late_daily_rate),
                    contract.payment.termination_days_late],
        "default_policies": sorted([k, str(v)] for k, v in contract.policies.items()),
        "rubric": [rubric.id, rubric.version, str(rubric.total)],
        "items": [[i.id, i.category, str(i.points), i.kind, i.evidence, _params(i.params)] for i in rubric.items],
    }
    text = json.dumps(terms, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
