"""What every job needs: the contract in use, the period, the experts' names, file hashes, atomic writes."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from scoring.errors import InputError, Problem

if TYPE_CHECKING:
    from scoring.contract import Contract
    from scoring.period import Period
    from scoring.rubric import Rubric


def load_contract(path: str | Path | None = None) -> tuple[Contract, Rubric, list[str]]:
    """(contract, rubric, warnings): the embedded contract, or a contract TOML with its rubric beside it."""
    from scoring.contract import default_contract, load_contract as load
    from scoring.rubric import default_rubric, load_rubric

    if path is None:
        return default_contract(), default_rubric(), []
    contract = load(path)
    rubric_path = Path(path).parent / contract.rubric
    if not rubric_path.is_file():  # the contract's own key is what to fix: name it, not only the missing file
        from scoring.errors import ContractError

        raise ContractError(Problem(f"rubric 键指向的考核办法文件不存在：{rubric_path}（应与合同文件在同一文件夹）",
                                    file=str(path), key="rubric", code="E-DATA-READ"))
    rubric, warnings = load_rubric(rubric_path)
    from scoring.errors import ContractError
    from scoring.evidence.params import CRYPTO_RULE

    if rubric.bound(CRYPTO_RULE) and not contract.crypto_penalty_stated:  # R5: a silent 0 for a 密评 not passed
        raise ContractError(Problem(f"考核办法 {rubric_path.name} 中有分项绑定 {CRYPTO_RULE} 证据规则，合同须写明 crypto_penalty"
                                    "（年终考核密评仍未通过时扣除的服务费，不扣写 \"0.00\"）", file=str(path),
                                    key="crypto_penalty", code="E-DATA-MISSING"))
    if contract.crypto_penalty and not rubric.bound(CRYPTO_RULE):  # R5: nothing would ever say 密评 was not passed
        raise ContractError(Problem(f"合同规定了密评扣款 {contract.crypto_penalty:,.2f} 元，但考核办法 {rubric_path.name} 中没有分项"
                                    f"绑定 {CRYPTO_RULE} 证据规则，密评是否通过无从判断，这笔扣款永远不会执行：请在考核办法中"
                                    "绑定该规则，或删去 crypto_penalty（默认 0）", file=str(path), key="crypto_penalty",
                                    code="E-DATA-VALUE"))
    return contract, rubric, warnings


def resolve_period(text: str, contract: Contract) -> Period:
    """The Period written as '2026H2', which must lie in the contract's service year."""
    from scoring.period import parse_period

    try:
        period = parse_period(text)
    except ValueError as exc:
        raise InputError(Problem(str(exc), code="E-PERIOD")) from None
    if not contract.covers(period):
        raise InputError(Problem(f"考核期 {period.code} 不在合同服务期 {contract.service_start} 至 {contract.service_end} 内",
                                 code="E-PERIOD"))
    return period


def read_fee(fee: str | None, problems: list[Problem]) -> Decimal | None:
    """--fee as an amount of yuan (None: not given, the period's default applies); a bad one is added to
    `problems` (R4, R10)."""
    from scoring.money import parse_money

    try:
        return None if fee is None else parse_money(fee)
    except ValueError as exc:
        problems.append(Problem(f"--fee：{exc}", code="E-FEE"))
        return None


def expert_names(text: str) -> list[str]:
    """The experts' names from 'A,B,C' (Chinese commas too), checked for R2.1, R2.2 and use in file names."""
    names = [n.strip() for n in re.split(r"[,，、;；]", text) if n.strip()]
    problems = []
    listed = "；已列出：" + ("、".join(names) if names else "无")
    for name in dict.fromkeys(names):  # the option is the place (interfaces.md §5: FILE:key, here the option)
        if re.search(r'[\\/:*?"<>|\x00-\x1f]', name) or name.startswith("."):
            problems.append(Problem(f"专家姓名“{name}”含有不能用于文件名的字符", key="--experts", code="E-EXPERTS"))
        if names.count(name) > 1:
            problems.append(Problem(f"专家“{name}”重复列出", key="--experts", code="E-EXPERTS"))
    if len(names) < 3:
        problems.append(Problem(f"专家只有 {len(names)} 名，至少需要 3 名（合同规定：3名以上（含3名）单数）{listed}", key="--experts",
                                code="E-PANEL-SIZE"))
    elif len(names) % 2 == 0:
        problems.append(Problem(f"专家为 {len(names)} 名，须为单数（合同规定：3名以上（含3名）单数）{listed}", key="--experts",
                                code="E-PANEL-SIZE"))
    if problems:
        raise InputError(problems)
    return names


def unwritable(path: Path, exc: PermissionError) -> InputError:
    """The Chinese problem of an output that could not be replaced: open elsewhere, or no permission."""
    from scoring.excel.locks import OpenElsewhere

    message = exc.chinese() if isinstance(exc, OpenElsewhere) else "无法写入：文件被占用（请先在 Excel 中关闭）或没有写权限"
    return InputError(Problem(message, file=str(path), code="E-OUTPUT"))


def write_workbook(path: Path, wb: object) -> None:
    """Save an openpyxl workbook atomically; InputError naming the file when it is locked or its folder missing."""
    from scoring.excel.atomic import save_workbook

    try:
        save_workbook(wb, path)
    except PermissionError as exc:
        raise unwritable(path, exc) from exc
    except FileNotFoundError as exc:
        raise InputError(Problem("输出文件夹不存在", file=str(path.parent), code="E-OUTPUT")) from exc


def not_xlsx(out: Path) -> list[Problem]:
    """An output named without .xlsx (written so, Excel and WPS do not open it by a double click): its problem."""
    if out.suffix.lower() == ".xlsx":
        return []
    other = out.suffix[1:].isascii() and out.suffix[1:].isalpha()  # 汇总.xls: 汇总.xlsx; 汇总结果: 汇总结果.xlsx
    name = out.with_suffix(".xlsx").name if other else out.name + ".xlsx"
    return [Problem(f"输出文件名应以 .xlsx 结尾，如 {name}", file=str(out), code="E-OUTPUT")]


def check_output(out: Path, inputs: Sequence[str | Path], sources: Sequence[str], problems: list[Problem]) -> None:
    """The output must not be an input (named, or a sheet found in a folder), and its folder must exist."""
    taken = [Path(p) for p in inputs if not Path(p).is_dir()] + [Path(s) for s in sources]
    if any(same_file(out, path) for path in taken):
        problems.append(Problem("输出文件不能是输入的评分表之一", file=str(out), code="E-OUTPUT"))
    if not out.parent.resolve().is_dir():
        problems.append(Problem("输出文件夹不存在", file=str(out.parent), code="E-OUTPUT"))
    elif out.is_dir():
        problems.append(Problem("输出位置是文件夹，请给出 .xlsx 文件名", file=str(out), code="E-OUTPUT"))
    else:
        problems += not_xlsx(out)


def same_file(out: Path, path: Path) -> bool:
    """Whether `out` exists and is the file `path` (through any link or spelling: os.path.samestat); an output
    that does not exist yet is none of the inputs, which were read."""
    try:
        return os.path.samestat(os.stat(out), os.stat(path))
    except OSError:
        return False


def sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, for the audit sheet and `verify`."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
