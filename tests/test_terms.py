"""The contract's service-year terms as data (R9, R10, 五): read from the contract file, strictly checked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.contract import contract_from_dict
from scoring.errors import ContractError
from scoring.terms import Terms
from scoring.tomlfile import packaged_toml
from tests.conftest import CONTRACT


def test_the_embedded_contract_states_the_numbers_of_the_service_year():
    # R10: 60 working days, 日万分之五, 30 days; 五: 5 working days; R9: 2 drills, 4 person-times
    assert CONTRACT.terms == Terms(60, Decimal("0.0005"), 30, 5, 3, Decimal("0.6"), 2, 4)


def test_a_changed_number_is_used():
    data = packaged_toml("contract-hebi-backup-2026.toml")
    data["payment"] = {**data["payment"], "due_working_days": 30, "late_daily_rate": "0.001"}
    terms = contract_from_dict(data, "c.toml").terms
    assert (terms.due_working_days, terms.late_daily_rate, terms.termination_days) == (30, Decimal("0.001"), 30)


@pytest.mark.parametrize("table, key, value, text", [
    ("payment", "due_workdays", 60, "c.toml:payment.due_workdays: 合同的 [payment] 中没有“due_workdays”"),
    ("payment", "late_daily_rate", 0.0005, "c.toml:payment.late_daily_rate: “0.0005”无效"),
    ("deadlines", "rectification_working_days", 0, "c.toml:deadlines.rectification_working_days: “0”无效"),
    ("year_minimums", "drills", "2", "c.toml:year_minimums.drills: “2”无效"),
    ("rectification", "below_share", "1.5", "c.toml:rectification.below_share: “1.5”无效"),
])
def test_unknown_keys_and_wrong_types_are_refused_with_the_key(table, key, value, text):
    data = packaged_toml("contract-hebi-backup-2026.toml")
    data[table] = {**data[table], key: value}
    with pytest.raises(ContractError) as caught:
        contract_from_dict(data, "c.toml")
    assert any(str(p).startswith(text) for p in caught.value.problems), caught.value.problems
