"""The service year's numbers come from the contract and rubric data (R9, R10, 合同五), never from code."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from scoring.contract import contract_from_dict
from scoring.errors import ContractError
from scoring.tomlfile import packaged_toml
from scoring.year_terms import YearTerms, year_terms
from tests.conftest import CONTRACT, RUBRIC


def test_the_embedded_contract_and_rubric_state_the_numbers_of_the_service_year():
    # R10: 60 working days, 日万分之五, 30 days; 五: 5 working days, the buyer's 60 % share; R9: 2 drills, 4 person-times
    assert year_terms(CONTRACT, RUBRIC) == YearTerms(60, Fraction(1, 2000), 30, 5, Decimal("0.6"), 2, 4)


def test_a_changed_share_is_used_and_a_contract_without_the_table_gets_the_default():
    data = packaged_toml("contract-hebi-backup-2026.toml")
    data["rectification"] = {"below_share": "0.5"}
    assert contract_from_dict(data, "c.toml").rectification_below_share == Decimal("0.5")
    del data["rectification"]
    assert contract_from_dict(data, "c.toml").rectification_below_share == Decimal("0.6")


@pytest.mark.parametrize("table, code", [({"below_share": "1.5"}, "E-DATA-VALUE"), ({"share": "0.5"}, "E-DATA-KEY"),
                                         ({"below_share": 0.5}, "E-DATA-TYPE")])
def test_bad_rectification_data_is_refused_with_the_key(table, code):
    data = packaged_toml("contract-hebi-backup-2026.toml")
    data["rectification"] = table
    with pytest.raises(ContractError) as caught:
        contract_from_dict(data, "c.toml")
    assert code in caught.value.codes and any(p.place.startswith("c.toml:rectification") for p in caught.value.problems)
