"""R1: the rubric (考核办法) as strictly checked data: categories, items, points, criteria, and each item's
kind and evidence rule with its parameters (R5-R9). Every key is declared below (docs/contract-data.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from scoring.errors import Problem, RubricError
from scoring.evidence.params import SPECS
from scoring.schema import Key, check
from scoring.tomlfile import packaged_toml, read_toml


DEFAULT_RUBRIC = "rubric-hebi-backup-2026.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
KINDS = ("discretionary", "banded", "determined", "capped")
EVIDENCE_KINDS = {"banded": "按证据分档", "determined": "由证据确定", "capped": "按证据封顶"}  # need an evidence rule

CATEGORY_KEYS = (
    Key("id", "text", "R1", "考核项目编号（小写字母、数字、下划线），用于名称 category_<id>", "\"capability\""),
    Key("name", "text", "R1", "考核项目名称", "\"服务能力\""),
    Key("points", "decimal", "R1.1", "分值，等于其分项分值之和", "30"),
)
ITEM_KEYS = (
    Key("id", "text", "R1", "分项指标编号（小写字母、数字、下划线），用于名称 score_<id>、panel_<id>", "\"availability\""),
    Key("category", "text", "R1", "所属考核项目的编号", "\"quality\""),
    Key("name", "text", "R1", "分项指标名称", "\"系统可用性\""),
    Key("points", "decimal", "R1.1", "分值（正数）", "8"),
    Key("kind", "text", "R1", "评分方式", "\"banded\"", choices=KINDS),
    Key("criteria", "text", "R1", "评分标准原文，原样显示给专家", "\"...\""),
    Key("evidence", "text", "R5–R9", "绑定的证据规则（见下文“证据规则”）", "\"uptime-bands\"", required=False,
        choices=tuple(SPECS)),
    Key("params", "table", "R5–R9", "证据规则的参数（各规则的键见下文）", "见下文", required=False, open=True),
)
KEYS = (
    Key("id", "text", "R1", "考核办法编号", "\"hebi-backup-2026\""),
    Key("version", "text", "R2.2", "考核办法版本，写入评分表，同一考核组须一致", "\"2026.1\""),
    Key("title", "text", "R1", "考核办法标题", "\"数据备份服务考核办法\""),
    Key("total", "decimal", "R1.1", "总分，须为 100，等于各考核项目分值之和", "100"),
    Key("categories", "tables", "R1", "考核项目，按显示顺序", children=CATEGORY_KEYS),
    Key("items", "tables", "R1", "分项指标，按显示顺序", children=ITEM_KEYS),
)


@dataclass(frozen=True)
class Item:
    """One 分项指标: a score from 0 to `points` (R1.2); `evidence` names its rule (R5-R9) with typed `params`."""

    id: str
    category: str
    name: str
    points: Decimal
    kind: str
    criteria: str
    evidence: str = ""
    params: Any = None


@dataclass(frozen=True)
class Category:
    """One 考核项目 with its items, in rubric order."""

    id: str
    name: str
    points: Decimal
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Rubric:
    """A validated assessment method: categories add up to `total`, items to their category (R1.1)."""

    id: str
    version: str
    title: str
    total: Decimal
    categories: tuple[Category, ...]

    @cached_property  # asked for per expert and per item; a frozen dataclass's own __dict__ keeps it
    def items(self) -> tuple[Item, ...]:
        """Every item, in rubric order."""
        return tuple(item for cat in self.categories for item in cat.items)

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def category(self, category_id: str) -> Category:
        """The category with this id (KeyError if none)."""
        for cat in self.categories:
            if cat.id == category_id:
                return cat
        raise KeyError(category_id)

    def bound(self, rule: str) -> tuple[Item, ...]:
        """The items bound to evidence rule `rule` (R5-R9)."""
        return tuple(item for item in self.items if item.evidence == rule)


def _params(item: dict[str, Any], raw: dict[str, Any], place: str, source: str, problems: list[Problem],
            points: Decimal) -> Any:
    spec = SPECS[item["evidence"]]
    values, _ = check(raw.get("params", {}), spec.keys, source, f"{place}.params", problems)
    return spec.build(values, Item(item["id"], "", "", points, "", ""), f"{place}.params", source, problems)


def _name_item(problem: Problem, data: dict[str, Any]) -> Problem:
    """A schema problem of items[i] names the item's id too, so the secretary finds it in the file."""
    found = re.match(r"items\[(\d+)\]", problem.key)
    items = data.get("items")
    if not found or not isinstance(items, list) or not isinstance(items[int(found.group(1))].get("id"), str):
        return problem
    return Problem(f"分项指标“{items[int(found.group(1))]['id']}”：{problem.message}", file=problem.file,
                   key=problem.key, code=problem.code)


def _decimals(value: Decimal) -> int:
    """How many decimals a number has as written without trailing zeros (12.50 has 1; 1E+30 has 0): R1.2 allows a
    score 2, so an item's full marks may not have more (quantize would raise on 1E+30)."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def rubric_from_dict(data: dict[str, Any], source: str = "") -> tuple[Rubric, list[str]]:
    """Build and validate a rubric from parsed TOML (R1.1); returns it with its warnings.

    Raises RubricError listing every problem with its place: unknown keys, missing fields, wrong types,
    repeated or unknown ids, non-positive points, items not adding up to their category, categories
    not adding up to the total, evidence parameters that are missing or inconsistent. An exact repeat
    of an item is dropped with a warning.
    """
    values, problems = check(data, KEYS, source)
    problems = [_name_item(p, data) for p in problems]
    warnings: list[str] = []

    def fail(message: str, key: str, code: str = "E-DATA-VALUE") -> None:
        problems.append(Problem(message, file=source, key=key, code=code))

    total = values.get("total", Decimal(100))
    if total != 100:  # grades, deduction tiers, the sheets and the SC_* functions are all out of 100
        fail(f"考核办法总分“{total}”应为 100 分（R1.1：各考核项目分值合计 100 分）", "total")
    categories: dict[str, dict[str, Any]] = {}
    for i, cat in enumerate(values.get("categories", [])):
        cid = cat.get("id", "")
        if "id" in cat and not _ID.match(cid):
            fail(f"考核项目编号“{cid}”无效（只能用小写字母、数字和下划线）", f"categories[{i}].id")
            continue
        if cid in categories:
            fail(f"考核项目“{cid}”重复", f"categories[{i}].id")
            continue
        points = cat.get("points", Decimal(0))
        if "points" in cat and points <= 0:
            fail(f"考核项目“{cid}”的分值“{points}”必须是正数", f"categories[{i}].points")
        categories[cid] = {"name": cat.get("name", cid), "points": points, "items": []}
    if "categories" in values and not categories:
        fail("考核办法没有考核项目", "categories")

    seen: dict[str, dict[str, Any]] = {}
    raw_items = data.get("items", []) if isinstance(data.get("items"), list) else []
    for i, (item, raw) in enumerate(zip(values.get("items", []), raw_items)):
        place, iid = f"items[{i}]", item.get("id", "")
        if "id" in item and not _ID.match(iid):
            fail(f"分项指标编号“{iid}”无效（只能用小写字母、数字和下划线）", f"{place}.id")
            continue
        if iid in seen:
            if seen[iid] == raw:
                warnings.append(f"分项指标“{iid}”（{item.get('name', '')}）完全重复，已忽略重复的一行")
            else:
                fail(f"分项指标“{iid}”（{item.get('name', '')}）重复出现且内容不同", f"{place}.id")
            continue
        seen[iid] = raw
        if not {k.name for k in ITEM_KEYS if k.required} <= set(item):
            continue  # the schema check named what is missing or of the wrong type
        if item["category"] not in categories:
            fail(f"分项指标“{iid}”所属考核项目“{item['category']}”不存在", f"{place}.category")
            continue
        if item["points"] <= 0:
            fail(f"分项指标“{iid}”的分值“{item['points']}”必须是正数", f"{place}.points")
            continue
        if _decimals(item["points"]) > 2:
            fail(f"分项指标“{iid}”的分值“{item['points']}”最多两位小数：得分最多两位小数（R1.2），否则满分无法填写",
                 f"{place}.points")
            continue
        params = None
        if "evidence" in item:
            params = _params(item, raw, place, source, problems, item["points"])
        elif "params" in item:
            fail(f"分项指标“{iid}”没有绑定证据规则（evidence），不能有 params", f"{place}.params")
        elif item["kind"] in EVIDENCE_KINDS:  # nothing would band, cap or determine it: the experts score it freely
            fail(f"分项指标“{iid}”的评分方式 {item['kind']}（{EVIDENCE_KINDS[item['kind']]}）须绑定证据规则（evidence），"
                 "否则没有证据限定其得分；由专家自由评分的分项写 kind = \"discretionary\"", f"{place}.kind")
        categories[item["category"]]["items"].append(
            Item(iid, item["category"], item["name"], item["points"], item["kind"], item["criteria"],
                 item.get("evidence", ""), params))
    for rule in SPECS:
        bound = [i.id for c in categories.values() for i in c["items"] if i.evidence == rule]
        if len(bound) > 1:
            fail(f"证据规则“{rule}”绑定了多个分项：{'、'.join(bound)}", "items")

    built = []
    for index, (cid, cat) in enumerate(categories.items()):
        item_sum = sum((i.points for i in cat["items"]), Decimal(0))
        if not cat["items"]:
            fail(f"考核项目“{cid}”（{cat['name']}）没有分项指标", f"categories[{index}]")
        elif item_sum != cat["points"]:
            fail(f"考核项目“{cid}”（{cat['name']}）的分项分值合计 {item_sum}，与其分值 {cat['points']} 不符",
                 f"categories[{index}].points")
        built.append(Category(cid, cat["name"], cat["points"], tuple(cat["items"])))
    cat_sum = sum((c.points for c in built), Decimal(0))
    if built and cat_sum != total:
        fail(f"考核项目分值合计 {cat_sum}，不等于总分 {total}", "total")

    if problems:
        raise RubricError(problems)
    return Rubric(values["id"], values["version"], values["title"], total, tuple(built)), warnings


def load_rubric(path: str | Path) -> tuple[Rubric, list[str]]:
    """Read and validate a rubric TOML file (R1.1); returns the rubric and its warnings."""
    return rubric_from_dict(read_toml(path, RubricError, "考核办法"), source=str(path))


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """The rubric of the embedded contract (数据备份服务考核办法)."""
    rubric, _ = rubric_from_dict(packaged_toml(DEFAULT_RUBRIC), source=DEFAULT_RUBRIC)
    return rubric
