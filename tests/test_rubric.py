"""R1 and R1.1: the rubric is data, validated on load."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources

import pytest

from scoring.errors import RubricError
from scoring.rubric import load_rubric, rubric_from_dict

SOURCE = tomllib.loads(resources.files("scoring.data").joinpath("rubric-hebi-backup-2026.toml").read_text("utf-8"))


def copy() -> dict:
    return {**SOURCE, "categories": [dict(c) for c in SOURCE["categories"]],
            "items": [dict(i) for i in SOURCE["items"]]}


def test_r1_embedded_rubric_has_13_items_in_4_categories_adding_up_to_100(rubric):
    assert [c.id for c in rubric.categories] == ["capability", "quality", "security", "other"]
    assert [c.points for c in rubric.categories] == [30, 28, 26, 16]
    assert [i.id for i in rubric.items] == [
        "report", "platform", "onsite", "policies", "availability", "incidents", "response",
        "drills", "mlps", "crypto", "data_security", "satisfaction", "training"]
    assert [i.points for i in rubric.items] == [12, 6, 12, 6, 8, 6, 8, 10, 4, 2, 10, 8, 8]
    assert sum(i.points for i in rubric.items) == Decimal(100)


def test_r1_criteria_are_the_source_text_verbatim(rubric):
    assert rubric.item("crypto").criteria == (
        "配合通过密码安全评估测评，取得相应测评报告和证书。服务期年终考核时仍未能通过的，"
        "除不得分以外，一次性扣除服务费 2 万元。")
    assert rubric.item("data_security").criteria == "未发生数据泄密得满分，发生一次数据泄密不得分。"
    assert rubric.item("availability").name == "系统可用性"


def test_r1_1_exact_repeat_of_source_rows_is_dropped_with_a_warning():
    data = copy()
    # The source document prints the rows of 服务质量 and 安全保障 twice.
    # The source document prints 制度建设 to 密评 (quality and security but 数据安全) twice.
    repeated = [dict(i) for i in data["items"]
                if i["category"] in ("quality", "security") and i["id"] != "data_security"]
    data["items"] += repeated
    rubric, warnings = rubric_from_dict(data)
    assert len(rubric.items) == 13
    assert len(warnings) == len(repeated) == 7
    assert "availability" in "".join(warnings) and "完全重复" in warnings[0]


def test_r1_1_repeated_item_with_different_content_is_rejected_naming_it():
    data = copy()
    changed = dict(next(i for i in data["items"] if i["id"] == "mlps"), points=5)
    data["items"].append(changed)
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data, source="r.toml")
    assert "mlps" in str(err.value) and "重复" in str(err.value)
    assert err.value.problems[0].file == "r.toml"


def test_r1_1_items_must_add_up_to_their_category():
    data = copy()
    next(i for i in data["items"] if i["id"] == "report")["points"] = 11
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    assert "capability" in str(err.value) and "29" in str(err.value)


def test_r1_1_categories_must_add_up_to_100():
    data = copy()
    data["categories"][3]["points"] = 17
    next(i for i in data["items"] if i["id"] == "training")["points"] = 9
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    assert "101" in str(err.value) and "100" in str(err.value)


def test_r1_1_the_total_is_100():
    """Grades, deduction tiers, the sheets and the functions are out of 100: a rubric of 99.5 printed 满分 99.5 分."""
    data = copy()
    data["total"] = "99.5"
    data["categories"][3]["points"] = "15.5"
    next(i for i in data["items"] if i["id"] == "training")["points"] = "7.5"
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    assert [(p.key, p.code) for p in err.value.problems] == [("total", "E-DATA-VALUE")]
    assert "应为 100 分" in err.value.problems[0].message


def test_r1_2_item_points_have_at_most_two_decimals():
    """A score has at most 2 decimals (R1.2): full marks of 12.505 could never be entered."""
    data = copy()
    data["categories"][3]["points"] = "16.005"
    next(i for i in data["items"] if i["id"] == "training")["points"] = "8.005"
    data["total"] = "100.005"
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    assert ("items[12].points", "E-DATA-VALUE") in [(p.key, p.code) for p in err.value.problems]
    data = copy()
    data["items"][0]["points"] = "1E+30"  # a typo: refused with its key, not a crash (quantize raised)
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    assert err.value.problems and all(p.code.startswith("E-DATA") for p in err.value.problems)


@pytest.mark.parametrize("points", [0, -2, "abc", 1.5, True])
def test_r1_1_points_must_be_positive_numbers(points):
    data = copy()
    data["items"][0]["points"] = points
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    assert "report" in str(err.value)


def test_r1_1_repeated_category_and_unknown_category_are_rejected_together():
    data = copy()
    data["categories"].append(dict(data["categories"][0]))
    data["items"][0]["category"] = "nowhere"
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    text = str(err.value)
    assert "“capability”重复" in text and "nowhere" in text


def test_r1_1_item_ids_must_be_usable_in_defined_names():
    data = copy()
    data["items"][0]["id"] = "运行报告"
    with pytest.raises(RubricError):
        rubric_from_dict(data)


def test_load_rubric_reports_unreadable_file(tmp_path):
    bad = tmp_path / "r.toml"
    bad.write_text("id = [unclosed", encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(bad)
    assert err.value.problems[0].file == str(bad)


@pytest.mark.parametrize("kind", ["banded", "determined", "capped"])
def test_r5_an_item_scored_from_evidence_binds_an_evidence_rule(kind):
    """A `determined` item without an evidence rule was accepted and then scored freely by the experts."""
    data = copy()
    item = next(i for i in data["items"] if i["id"] == "platform")
    item["kind"] = kind
    with pytest.raises(RubricError) as err:
        rubric_from_dict(data)
    assert [(p.key, p.code) for p in err.value.problems] == [("items[1].kind", "E-DATA-VALUE")]
