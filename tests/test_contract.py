"""The contract as strictly checked data (interfaces.md §5; R3, R4, R10): unknown keys, wrong types and
inconsistent values are refused with a code and the key's place; the embedded data reproduces rules.md."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.contract import DEFAULT_CONTRACT, default_contract, load_contract
from scoring.errors import ContractError
from scoring.rubric import DEFAULT_RUBRIC

SHIPPED = resources.files("scoring.data").joinpath(DEFAULT_CONTRACT).read_text(encoding="utf-8")


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped contract (with its rubric beside it) with one text replaced."""
    assert old in SHIPPED
    path = tmp_path / "contract.toml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    with resources.as_file(resources.files("scoring.data").joinpath(DEFAULT_RUBRIC)) as rubric:
        shutil.copyfile(rubric, tmp_path / DEFAULT_RUBRIC)
    return path


def problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ContractError) as err:
        load_contract(path)
    return [(p.code, p.key) for p in err.value.problems]


def test_the_shipped_contract_loads_and_a_verbatim_copy_too(tmp_path):
    assert load_contract(variant(tmp_path, "id =", "id =")) == default_contract()


@pytest.mark.parametrize("old, new, code, key, nearest", [
    ("annual_fee =", "anual_fee =", "E-DATA-KEY", "anual_fee", "annual_fee"),  # typo: no silent default
    ("[payment]", "[payments]", "E-DATA-KEY", "payments", "payment"),  # unknown table
    ('per_point = "0.01"', 'perpoint = "0.01"', "E-DATA-KEY", "deduction.tiers[1].perpoint", "per_point"),
    ("termination_days_late = 30", "termination_days_late = 30\nterminate_days = 30", "E-DATA-KEY",
     "payment.terminate_days", "termination_days_late"),
    ("aggregation = ", "agregation = ", "E-DATA-KEY", "policies.agregation", "aggregation"),
])
def test_unknown_keys_and_tables_name_the_key_and_the_nearest_valid_one(tmp_path, old, new, code, key, nearest):
    path = variant(tmp_path, old, new)
    with pytest.raises(ContractError) as err:
        load_contract(path)
    found = [p for p in err.value.problems if p.code == code]
    assert [p.key for p in found] == [key] and found[0].file == str(path)
    assert found[0].place == f"{path}:{key}" and f"“{nearest}”" in found[0].message


@pytest.mark.parametrize("old, new, code, key", [
    ('annual_fee = "1164000.00"', "annual_fee = 1164000.0", "E-DATA-TYPE", "annual_fee"),  # a float for money
    ("settlements_per_year = 2", 'settlements_per_year = "2"', "E-DATA-TYPE", "settlements_per_year"),
    ("service_start = 2026-07-01", 'service_start = "2026-07-01"', "E-DATA-TYPE", "service_start"),
    ('late_daily_rate = "0.0005"', 'late_daily_rate = "abc"', "E-DATA-TYPE", "payment.late_daily_rate"),
    ('{ min = 80, grade = "良好" }', '{ min = 95, grade = "良好" }', "E-DATA-VALUE", "grades.bands[1].min"),  # R3 overlap
    ('{ min = 0, label = "扣50%", rate = "0.5" }', '{ min = 10, label = "扣50%", rate = "0.5" }',
     "E-DATA-VALUE", "deduction.tiers[2].min"),  # R4 gap below 10
    ('{ min = 60, label = "按比例扣款", per_point = "0.01" }', '{ min = 60, label = "按比例扣款", per_point = "0.01", rate = "0.1" }',
     "E-DATA-VALUE", "deduction.tiers[1]"),  # two rates for one tier
    ('{ min = 0, label = "扣50%", rate = "0.5" }', '{ min = 0, label = "扣50%", rate = "1.5" }',
     "E-DATA-VALUE", "deduction.tiers[2].rate"),
    ('amount = "80000.00"', 'amount = "80000.01"', "E-DATA-VALUE", "annual_fee"),  # R10 lines do not add up
    ('annual_fee = "1164000.00"', 'annual_fee = "2000000000.00"', "E-DATA-VALUE", "annual_fee"),  # over 2 x MAX_FEE
    ('crypto_penalty = "20000.00"', 'crypto_penalty = "1000000000.00"', "E-DATA-VALUE", "crypto_penalty"),
    ('{ min = 0, label = "扣50%", rate = "0.5" }', '{ min = 0, label = "扣50%", rate = "0.1" }',
     "E-DATA-VALUE", "deduction.tiers[2]"),  # R4: 59 points would cost 10 %, 60 points 20 %
    ('outlier_share = "0.25"', 'outlier_share = "2"', "E-DATA-VALUE", "policies.outlier_share"),
    ("due_working_days = 60\n", "", "E-DATA-MISSING", "payment.due_working_days"),
    ("settlements_per_year = 2", "settlements_per_year = 4", "E-DATA-VALUE", "settlements_per_year"),  # half-years
    ("service_start = 2026-07-01", "service_start = 2026-08-01", "E-DATA-VALUE", "service_start"),
    ("service_end = 2027-06-30", "service_end = 2026-06-30", "E-DATA-VALUE", "service_end"),  # before the start
])
def test_wrong_types_and_inconsistent_values_name_their_place(tmp_path, old, new, code, key):
    assert (code, key) in problems(variant(tmp_path, old, new))


@pytest.mark.parametrize("old, new, expected", [
    ('{ min = 80, grade = "良好" }', '{ min = 80, grad = "良好" }', [("E-DATA-KEY", "grades.bands[1].grad")]),
    ('tax_rate = "0.06"', "tax_rate = 0.06", [("E-DATA-TYPE", "lines[0].tax_rate")]),
    ('per_point = "0.01"', 'per_pont = "0.01"', [("E-DATA-KEY", "deduction.tiers[1].per_pont")]),  # not also "须给出"
    ('rate = "0.5"', "rate = 0.5", [("E-DATA-TYPE", "deduction.tiers[2].rate")]),
    ('rate = "0.5"', 'rate = "50%"', [("E-DATA-TYPE", "deduction.tiers[2].rate")]),
    ("[deduction]", "[deductions]", [("E-DATA-KEY", "deductions")]),  # not also "扣款档次为空"
    ("[deduction]", "[deducton]", [("E-DATA-KEY", "deducton")]),
    ('rate = "0.5"', 'rate = "1.5"', [("E-DATA-VALUE", "deduction.tiers[2].rate")]),  # not also "低于上一档"
    # R1.1, R4: a tier above full marks deducted 5 % from a perfect 100 (it was accepted)
    ('{ min = 80, label = "不扣款", rate = "0" }', '{ min = 110, label = "不扣款", rate = "0" }',
     [("E-DATA-VALUE", "deduction.tiers[0].min")]),
    # R3: a grade above full marks can never be reached (accepted)
    ('{ min = 90, grade = "优秀" }', '{ min = 110, grade = "优秀" }', [("E-DATA-VALUE", "grades.bands[0].min")]),
    # tiers out of order: the order is the problem, not also "每分比例 0.01 使本档扣款比例超出 0 到 1"
    ('{ min = 60, label = "按比例扣款", per_point = "0.01" }', '{ min = 85, label = "按比例扣款", per_point = "0.01" }',
     [("E-DATA-VALUE", "deduction.tiers[1].min")]),
])
def test_one_mistake_is_one_problem_without_follow_ons(tmp_path, old, new, expected):
    """A mistyped key was also "missing"; a float tax rate was also "missing" and the lines "did not add up"."""
    assert problems(variant(tmp_path, old, new)) == expected


def test_every_problem_of_a_contract_is_reported_at_once(tmp_path):
    path = variant(tmp_path, 'annual_fee = "1164000.00"', 'annual_fee = 1\nfee_typo = 1\n[colour]\nx = 1\n')
    got = problems(path)
    assert {("E-DATA-TYPE", "annual_fee"), ("E-DATA-KEY", "fee_typo")} <= set(got)


def test_cli_refuses_a_bad_contract_with_exit_2_and_the_key_named(tmp_path, capsys):
    path = variant(tmp_path, "[payment]", "[payments]")
    for command in (["new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--out", str(tmp_path / "p")],
                    ["evidence-template", "--period", "2026H2", "--out", str(tmp_path / "e.xlsx")],
                    ["summarize", str(tmp_path), "--out", str(tmp_path / "s.xlsx"), "--json"]):
        code = main([*command, "--contract", str(path)])
        out, err = capsys.readouterr()
        assert code == 2 and f"{path}:payments" in err
        assert not (tmp_path / "p").exists() and not (tmp_path / "e.xlsx").exists()
    assert {"code": "E-DATA-KEY", "place": f"{path}:payments"}.items() <= json.loads(out)["errors"][0].items()


def test_the_embedded_terms_are_those_of_rules_md():
    c = default_contract()
    assert [(b.min, b.grade) for b in c.grades.bands] + [c.grades.below] == [(90, "优秀"), (80, "良好"), (60, "合格"), "不合格"]  # R3
    assert c.schedule.bounds == (80, 60)  # R4
    assert c.schedule.tier(Decimal("79.5")).share(Fraction(159, 2)) == Fraction(1, 200)
    assert (c.payment.due_working_days, c.payment.late_daily_rate, c.payment.termination_days_late) == (
        60, Fraction(5, 10000), 30)  # R10
    assert c.deadlines.rectification_working_days == 5  # R7
    assert c.crypto_penalty == Decimal("20000.00")  # R5


def test_a_threshold_in_the_file_changes_the_deduction(tmp_path):
    """R4 as data: moving the no-deduction threshold from 80 to 85 deducts 1 % per point below 85."""
    from scoring.settlement import assessment_deduction

    c = load_contract(variant(tmp_path, '{ min = 80, label = "不扣款", rate = "0" }',
                              '{ min = 85, label = "不扣款", rate = "0" }'))
    assert assessment_deduction(Decimal("79.5"), Decimal("582000.00"), c.schedule) == Decimal("32010.00")
    assert assessment_deduction(Decimal("79.5"), Decimal("582000.00")) == Decimal("2910.00")


from hypothesis import given, settings, strategies as st  # noqa: E402

from scoring.jobs.common import load_contract as load_with_rubric  # noqa: E402

HOSTING = Path(__file__).resolve().parents[1] / "workbooks" / "hosting" / "contract-hosting-2026.toml"


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=0, max_value=100), st.fractions(min_value=0, max_value=100))
def test_r4_a_higher_total_never_costs_more_under_either_contract(a, b):
    """R4 as data: both shipped schedules are non-increasing in the total (the cliffs only go down)."""
    from scoring.settlement import deduction_rate

    low, high = min(a, b), max(a, b)
    for schedule in (default_contract().schedule, load_with_rubric(HOSTING)[0].schedule):
        assert 0 <= deduction_rate(high, schedule) <= deduction_rate(low, schedule) <= 1


TIER = st.one_of(st.fractions(min_value=0, max_value=1, max_denominator=100).map(lambda r: {"rate": r}),
                 st.fractions(min_value=0, max_value=Fraction(1, 20), max_denominator=1000).map(lambda p: {"per_point": p}))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=99), min_size=0, max_size=3, unique=True),
       st.lists(TIER, min_size=4, max_size=4), st.lists(st.fractions(min_value=0, max_value=100), min_size=2, max_size=2))
def test_r4_any_schedule_the_loader_accepts_never_costs_more_for_a_higher_total(mins, rates, totals):
    """R4 as data: whatever schedule a contract file states, if it loads, a lower total is never deducted less."""
    from scoring.settlement import deduction_rate
    from scoring.terms import build_schedule

    bounds = sorted(mins, reverse=True) + [0]
    raw = [{"min": Decimal(m), "label": f"档{i}", **{k: Decimal(v.numerator) / v.denominator for k, v in r.items()}}
           for i, (m, r) in enumerate(zip(bounds, rates))]
    found: list = []
    schedule = build_schedule(raw, "c.toml", found)
    if found:
        return
    low, high = min(totals), max(totals)
    assert 0 <= deduction_rate(high, schedule) <= deduction_rate(low, schedule) <= 1


@settings(max_examples=50, deadline=None)
@given(st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True))
def test_any_key_the_schema_does_not_declare_is_refused(name):
    from scoring.contract import KEYS, contract_from_dict
    import tomllib

    if name in {k.name for k in KEYS}:
        return
    data = tomllib.loads(SHIPPED)
    data[name] = "x"
    with pytest.raises(ContractError) as err:
        contract_from_dict(data, "c.toml")
    assert [(p.code, p.key) for p in err.value.problems] == [("E-DATA-KEY", name)]


def test_the_period_fee_is_half_the_annual_fee_rounded_half_up_to_the_cent():
    """R4, R10: 1,164,000.01 / 2 = 582,000.005 is 582,000.01 (Decimal's quantize rounded half to even: .00)."""
    from dataclasses import replace
    from decimal import Decimal

    from scoring.contract import default_contract

    contract = default_contract()
    assert contract.period_fee == Decimal("582000.00")
    assert replace(contract, annual_fee=Decimal("1164000.01")).period_fee == Decimal("582000.01")
    assert replace(contract, annual_fee=Decimal("1164000.03")).period_fee == Decimal("582000.02")


def test_the_periods_of_a_year_add_up_to_the_annual_fee_to_the_cent():
    """R4, R10: an annual fee with an odd cent; each half rounded up made the year a cent dearer than the
    contract (1,164,000.01 -> 582,000.01 twice = 1,164,000.02). The last period takes what the first leaves."""
    from dataclasses import replace
    from decimal import Decimal

    from scoring.contract import default_contract
    from scoring.period import parse_period

    contract = default_contract()  # service year 2026-07-01 to 2027-06-30: 2027H1 is the year-end period
    for annual, first, last in (("1164000.00", "582000.00", "582000.00"), ("1164000.01", "582000.01", "582000.00"),
                                ("1164000.03", "582000.02", "582000.01"), ("0.01", "0.01", "0.00")):
        c = replace(contract, annual_fee=Decimal(annual))
        fees = (c.fee_of(parse_period("2026H2")), c.fee_of(parse_period("2027H1")))
        assert fees == (Decimal(first), Decimal(last)) and sum(fees) == Decimal(annual)
