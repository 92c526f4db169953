"""The rubric's evidence bindings as strictly checked data (R1.1, R5-R9, interfaces.md §5), and the
documentation generated from the declared keys."""

from __future__ import annotations

import copy
import tomllib
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest

from scoring.datadoc import contract_data_markdown
from scoring.errors import RubricError
from scoring.evidence.availability import band
from scoring.rubric import rubric_from_dict

SOURCE = tomllib.loads(resources.files("scoring.data").joinpath("rubric-hebi-backup-2026.toml").read_text("utf-8"))
ROOT = Path(__file__).resolve().parents[1]


def changed(item_id: str, **fields) -> dict:
    data = copy.deepcopy(SOURCE)
    item = next(i for i in data["items"] if i["id"] == item_id)
    for key, value in fields.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return data


def problems(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data, source="r.toml")
    assert all(p.file == "r.toml" for p in err.value.problems)
    return [(p.code, p.key) for p in err.value.problems]


def bands(*rows) -> dict:
    return {"notice_working_days": 7, "bands": [dict(r) for r in rows]}


def test_unknown_rubric_key_and_parameter_name_the_nearest_valid_one():
    data = copy.deepcopy(SOURCE)
    data["totl"] = 100
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data, source="r.toml")
    assert [(p.code, p.key) for p in err.value.problems] == [("E-DATA-KEY", "totl")]
    assert "“total”" in err.value.problems[0].message
    got = problems(changed("response", params={"reply_working_day": 3, "points_per_late": 1}))
    assert ("E-DATA-KEY", "items[6].params.reply_working_day") in got
    # one mistake, one problem: the key it was taken for is not also reported missing
    assert ("E-DATA-MISSING", "items[6].params.reply_working_days") not in got


@pytest.mark.parametrize("params, key", [
    (bands({"above": "0.9998", "low": 7, "high": 8}, {"above": "0.9999", "low": 3, "high": 6}, {"low": 0, "high": 3}),
     "items[4].params.bands[1].above"),  # R6 bands overlap (not falling)
    (bands({"above": "0.9998", "low": 7, "high": 8}, {"above": "0.9986", "low": 3, "high": 6}),
     "items[4].params.bands"),  # R6 gap: nothing below 99.86 %
    (bands({"above": "0.9998", "low": 7, "high": 9}, {"low": 0, "high": 3}), "items[4].params.bands[0]"),  # over 8 points
    (bands({"above": "99.98", "low": 7, "high": 8}, {"low": 0, "high": 3}), "items[4].params.bands[0].above"),  # a percent
])
def test_inconsistent_availability_bands_are_refused_with_their_place(params, key):
    assert ("E-DATA-VALUE", key) in problems(changed("availability", params=params))


def test_unknown_evidence_rule_and_params_without_rule_are_refused():
    assert ("E-DATA-TYPE", "items[0].evidence") in problems(changed("report", evidence="monthly-report"))
    assert ("E-DATA-VALUE", "items[1].params") in problems(changed("platform", params={"x": 1}))


def test_a_rule_bound_twice_is_refused():
    assert ("E-DATA-VALUE", "items") in problems(changed("platform", evidence="data-leaks"))


def test_r6_bands_come_from_the_data():
    """Changing the bands in the rubric changes the allowed range without touching code."""
    rubric, _ = rubric_from_dict(changed("availability", params=bands(
        {"above": "0.999", "low": 5, "high": 8}, {"low": 0, "high": 4})))
    params = rubric.item("availability").params
    assert band(Fraction(9995, 10000), params) == (Decimal(5), Decimal(8))
    assert band(Fraction(9995, 10000)) == (Decimal(3), Decimal(6))  # the embedded bands


def test_docs_contract_data_md_is_generated_from_the_declared_keys():
    """Every key the loader accepts is documented with its rule number (python scripts/make_contract_docs.py)."""
    assert (ROOT / "docs" / "contract-data.md").read_text(encoding="utf-8") == contract_data_markdown()
