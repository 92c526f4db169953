"""R1: the rubric (考核办法) as data: categories, items, points, criteria; loading and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from scoring.tomlfile import packaged_toml, read_toml
from scoring.errors import Problem, RubricError

DEFAULT_RUBRIC = "rubric-hebi-backup-2026.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ITEM_FIELDS = ("id", "category", "name", "points", "kind", "criteria")


@dataclass(frozen=True)
class Item:
    """One 分项指标: a score from 0 to `points` (R1.2)."""

    id: str
    category: str
    name: str
    points: Decimal
    kind: str
    criteria: str


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

    @property
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


def _points(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(value)
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(value) from None
    if not points.is_finite() or points <= 0:
        raise ValueError(value)
    return points


def rubric_from_dict(data: dict, source: str = "") -> tuple[Rubric, list[str]]:
    """Build and validate a rubric from parsed TOML (R1.1); returns it with its warnings.

    Raises RubricError listing every problem: missing fields, repeated or unknown ids,
    non-positive points, items not adding up to their category, categories not adding
    up to the total. An exact repeat of an item is dropped with a warning.
    """
    problems: list[Problem] = []
    warnings: list[str] = []

    def fail(message: str) -> None:
        problems.append(Problem(message, file=source))

    for key in ("id", "version", "title"):
        if not isinstance(data.get(key), str) or not data.get(key):
            fail(f"考核办法缺少“{key}”")
    try:
        total = _points(data.get("total", 100))
    except ValueError:
        fail(f"考核办法总分“{data.get('total')}”必须是正数")
        total = Decimal(100)

    categories: dict[str, dict] = {}
    for raw in data.get("categories", []):
        cid = raw.get("id", "")
        if not isinstance(cid, str) or not _ID.match(cid):
            fail(f"考核项目编号“{cid}”无效（只能用小写字母、数字和下划线）")
            continue
        if cid in categories:
            fail(f"考核项目“{cid}”重复")
            continue
        try:
            points = _points(raw.get("points"))
        except ValueError:
            fail(f"考核项目“{cid}”的分值“{raw.get('points')}”必须是正数")
            points = Decimal(0)
        categories[cid] = {"name": str(raw.get("name", cid)), "points": points, "items": []}
    if not categories:
        fail("考核办法没有考核项目")

    seen: dict[str, dict] = {}
    for raw in data.get("items", []):
        iid = raw.get("id", "")
        if not isinstance(iid, str) or not _ID.match(iid):
            fail(f"分项指标编号“{iid}”无效（只能用小写字母、数字和下划线）")
            continue
        if iid in seen:
            if all(seen[iid].get(k) == raw.get(k) for k in _ITEM_FIELDS):
                warnings.append(f"分项指标“{iid}”（{raw.get('name', '')}）完全重复，已忽略重复的一行")
            else:
                fail(f"分项指标“{iid}”（{raw.get('name', '')}）重复出现且内容不同")
            continue
        seen[iid] = raw
        missing = [k for k in _ITEM_FIELDS if k not in raw]
        if missing:
            fail(f"分项指标“{iid}”缺少：{'、'.join(missing)}")
            continue
        if raw["category"] not in categories:
            fail(f"分项指标“{iid}”所属考核项目“{raw['category']}”不存在")
            continue
        try:
            points = _points(raw["points"])
        except ValueError:
            fail(f"分项指标“{iid}”的分值“{raw['points']}”必须是正数")
            continue
        item = Item(iid, raw["category"], str(raw["name"]), points, str(raw["kind"]), str(raw["criteria"]))
        categories[raw["category"]]["items"].append(item)

    built = []
    for cid, cat in categories.items():
        item_sum = sum((i.points for i in cat["items"]), Decimal(0))
        if not cat["items"]:
            fail(f"考核项目“{cid}”（{cat['name']}）没有分项指标")
        elif item_sum != cat["points"]:
            fail(f"考核项目“{cid}”（{cat['name']}）的分项分值合计 {item_sum}，与其分值 {cat['points']} 不符")
        built.append(Category(cid, cat["name"], cat["points"], tuple(cat["items"])))
    cat_sum = sum((c.points for c in built), Decimal(0))
    if built and cat_sum != total:
        fail(f"考核项目分值合计 {cat_sum}，不等于总分 {total}")

    if problems:
        raise RubricError(problems)
    rubric = Rubric(data["id"], data["version"], data["title"], total, tuple(built))
    return rubric, warnings


def load_rubric(path: str | Path) -> tuple[Rubric, list[str]]:
    """Read and validate a rubric TOML file (R1.1); returns the rubric and its warnings."""
    return rubric_from_dict(read_toml(path, RubricError, "考核办法"), source=str(path))


def default_rubric() -> Rubric:
    """The rubric of the embedded contract (数据备份服务考核办法)."""
    rubric, _ = rubric_from_dict(packaged_toml(DEFAULT_RUBRIC), source=DEFAULT_RUBRIC)
    return rubric
