"""大写金额 for the finance sheet and the deduction notice."""

from decimal import Decimal

import pytest

from scoring.capitals import rmb_capitals


@pytest.mark.parametrize("amount, text", [
    ("20370.00", "人民币贰万零叁佰柒拾元整"),
    ("2910.00", "人民币贰仟玖佰壹拾元整"),
    ("582000.00", "人民币伍拾捌万贰仟元整"),
    ("579090.00", "人民币伍拾柒万玖仟零玖拾元整"),
    ("100000", "人民币壹拾万元整"),
    ("1005", "人民币壹仟零伍元整"),
    ("10.05", "人民币壹拾元零伍分"),
    ("1320.75", "人民币壹仟叁佰贰拾元柒角伍分"),
    ("1.20", "人民币壹元贰角整"),
    ("0.5", "人民币伍角整"),
    ("0.05", "人民币伍分"),
    ("0", "人民币零元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("100001000", "人民币壹亿零壹仟元整"),
    ("100000001", "人民币壹亿零壹元整"),
    ("1164000", "人民币壹佰壹拾陆万肆仟元整"),
])
def test_capitals(amount, text):
    assert rmb_capitals(Decimal(amount)) == text
