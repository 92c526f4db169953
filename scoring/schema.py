"""Strict checking of the data files (contract and rubric TOML) against a declared schema (interfaces.md §5).

A schema is a tuple of ``Key``: name, kind, rule number, meaning, example. ``check`` converts a parsed
TOML table into plain values (Decimal for money and rates, never float) and collects every problem
with its place ``FILE:key.path``: unknown keys and tables (``E-DATA-KEY``, naming the nearest valid
key, found with difflib), missing keys (``E-DATA-MISSING``) and wrong types (``E-DATA-TYPE``).
Consistency between values (bands, sums) is checked by the owners of the data (contract.py,
rubric.py, evidence/params.py) with ``E-DATA-VALUE``. ``markdown`` renders a schema for
docs/contract-data.md, so the documentation is generated from the same declaration.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from scoring.errors import Problem

# kinds: text, int, date, bool, money ("1164000.00"), decimal ("0.0005" or an integer), table, tables
KIND_TEXT = {"text": "文字", "int": "整数", "date": "日期", "bool": "true/false", "money": "带引号的金额",
             "decimal": "带引号的小数或整数", "table": "表", "tables": "表的数组"}


@dataclass(frozen=True)
class Key:
    """One key of a data file: its kind, whether it is required, its default, rule number, meaning and example."""

    name: str
    kind: str
    rule: str
    doc: str
    example: str = ""
    required: bool = True
    default: Any = None
    children: tuple["Key", ...] = ()  # for table and tables
    choices: tuple[str, ...] = ()  # allowed values of a text key
    open: bool = False  # a table whose keys are checked elsewhere (e.g. an evidence rule's parameters)


def join(prefix: str, name: str) -> str:
    """A key path: 'deduction' + 'tiers' -> 'deduction.tiers'."""
    return f"{prefix}.{name}" if prefix else name


def nearest(name: str, valid: list[str]) -> str | None:
    """The valid key closest to a mistyped one (difflib), or None when nothing is close."""
    found = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
    return found[0] if found else None


def _convert(value: Any, key: Key) -> Any:
    """The value converted to its kind, or ValueError with the Chinese reason."""
    kind = key.kind
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise ValueError("应为非空文字（带引号）")
        if key.choices and value not in key.choices:
            raise ValueError(f"“{value}”无效，可选：{'、'.join(key.choices)}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("应为整数（不带引号）")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("应为 true 或 false")
        return value
    if kind == "date":
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValueError("应为日期，如 2026-07-01（不带引号）")
        return value
    if kind in ("money", "decimal"):
        if kind == "money" and not isinstance(value, str):
            raise ValueError("应写成带引号的金额，如 \"582000.00\"（不用浮点数，以免误差）")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError("应写成带引号的小数或整数，如 \"0.06\"（不用浮点数，以免误差）")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
        if not number.is_finite():
            raise ValueError(f"“{value}”不是有限的数字")
        if kind == "money" and (number < 0 or number != number.quantize(Decimal("0.01"))):
            raise ValueError(f"金额“{value}”应为非负数，最多两位小数")
        return number
    if kind == "table":
        if not isinstance(value, dict):
            raise ValueError("应为表（[...] 或 { ... }）")
        return value
    if kind == "tables":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ValueError("应为表的数组（[[...]] 或 [{ ... }, ...]）")
        return value
    raise AssertionError(kind)


def check(data: Mapping[str, Any], keys: tuple[Key, ...], source: str, prefix: str = "",
          problems: list[Problem] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Check a parsed table against `keys`; (converted values with defaults filled in, problems).

    A key with a problem is absent from the result (or holds its default), so callers check
    consistency only on what is valid; every problem is collected, none stops the check.
    """
    problems = [] if problems is None else problems
    declared = {k.name: k for k in keys}
    result: dict[str, Any] = {}
    suggested = set()  # declared keys a mistyped key was taken for: not also reported missing
    for name in data:
        if name not in declared:
            near = nearest(name, list(declared))
            hint = f"，是否应为“{near}”？" if near else f"；可用的键：{'、'.join(declared)}"
            problems.append(Problem(f"未知的键“{name}”{hint}", file=source, key=join(prefix, name), code="E-DATA-KEY"))
            suggested.add(near)
    for key in keys:
        place = join(prefix, key.name)
        if key.name not in data:
            if key.required and key.name not in suggested:
                problems.append(Problem(f"缺少“{key.name}”（{key.doc}）", file=source, key=place, code="E-DATA-MISSING"))
            elif key.default is not None:
                result[key.name] = key.default
            continue
        try:
            value = _convert(data[key.name], key)
        except ValueError as exc:
            problems.append(Problem(f"“{key.name}”{exc}", file=source, key=place, code="E-DATA-TYPE"))
            continue
        if key.kind == "table" and not key.open:
            value, _ = check(value, key.children, source, place, problems)
        elif key.kind == "tables":
            value = [check(v, key.children, source, f"{place}[{i}]", problems)[0] for i, v in enumerate(value)]
        result[key.name] = value
    return result, problems


def markdown(keys: tuple[Key, ...], prefix: str = "") -> list[str]:
    """Table rows documenting every key (name, kind, required, rule, meaning, example), nested keys indented."""
    rows = []
    for key in keys:
        path = join(prefix, key.name) + ("[]" if key.kind == "tables" else "")
        shown = {"": '""', True: "true", False: "false"}.get(key.default, key.default) \
            if isinstance(key.default, (str, bool)) else key.default
        need = "必填" if key.required else ("可选，各键取默认值" if isinstance(key.default, dict) else
                                            f"可选，默认 {shown}" if key.default is not None else "可选")
        kind = KIND_TEXT[key.kind] + (f"：{' / '.join(key.choices)}" if key.choices else "")
        example = f"`{key.example}`" if key.example else ""
        rows.append(f"| `{path}` | {kind} | {need} | {key.rule} | {key.doc} | {example} |")
        if key.children:
            rows += markdown(key.children, join(prefix, key.name) + ("[]" if key.kind == "tables" else ""))
    return rows
