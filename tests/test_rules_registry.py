"""One place per rule: the registry of R1-R11 resolves to the functions, evidence rules are bound by the
rubric's data, and no item id of the embedded rubric or policy name appears in the code outside its data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.evidence.params import SPECS
from scoring.evidence.registry import RULES as EVIDENCE_RULES
from scoring.rules import RULES, rule
from tests.conftest import RUBRIC

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_of_rules_md_is_registered_and_resolves():
    assert [n for n in RULES if "." not in n] == [f"R{k}" for k in range(1, 12)]
    for number in RULES:
        assert all(callable(f) for f in rule(number).resolve())
    with pytest.raises(KeyError):
        rule("R12")


def test_evidence_rules_are_registered_by_name_and_bound_by_data():
    assert set(EVIDENCE_RULES) == set(SPECS)
    bound = {i.evidence for i in RUBRIC.items if i.evidence}
    assert bound == set(SPECS)  # the embedded rubric binds every rule once
    assert not {i.id for i in RUBRIC.items} & set(SPECS)  # rule names are not item ids


def code_lines():
    for path in sorted((ROOT / "scoring").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield path.relative_to(ROOT), n, line


def test_no_item_id_of_the_embedded_rubric_in_the_rule_code():
    """Part 4: the rules know items only through the rubric's data. The summary renderer (report.py, owned by
    the summary template's work) and the evidence table names of interfaces.md §2 are not rule code."""
    ids = {i.id for i in RUBRIC.items} | {c.id for c in RUBRIC.categories}
    skip = {Path("scoring/report.py"), Path("scoring/excel/evidence_tables.py"), Path("scoring/excel/evidence_reader.py"),
            Path("scoring/excel/evidence_hints.py")}  # keyed by the §2 table names (drills, incidents, ...)
    found = [(str(p), n, line) for p, n, line in code_lines() if p not in skip
             for i in ids if re.search(rf"[\"']{i}[\"']", line)
             and not re.search(rf"facts|Key\(\"{i}\"|\"{i}\": \[|values.get\(\"{i}\"|data.get\(\"{i}\"|a\.policies", line)]
    assert found == []


def test_policy_names_are_defined_once():
    names = ("item-median", "total-median", "trimmed-mean", "lower-bound-inclusive", "upper-bound-inclusive",
             "service-year")
    found = [(str(p), n) for p, n, line in code_lines() if p != Path("scoring/policies.py")
             for name in names if f'"{name}"' in line]
    assert found == []
