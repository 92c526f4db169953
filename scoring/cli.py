"""The ``scorecard`` command: argument parsing, exit codes and messages (interfaces.md §1).

Exit status: 0 done; 2 invalid input or command line (every problem on stderr, one per
line, nothing written); 1 anything else. Heavy modules are imported inside the commands
so that ``scorecard --help`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scoring import __version__
from scoring.errors import InputError, Problem, ScorecardError

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
DEMO_OUT = "scorecard-demo"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: exit 2, in Chinese
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"命令行参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar of interfaces.md §1."""
    parser = _Parser(prog="scorecard", description="数据备份服务绩效考核：专家评分表、汇总、扣款计算。")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    demo = sub.add_parser("demo", help="用内置示例（5 名专家的评分表）运行一次完整汇总")
    demo.add_argument("--out", default=DEMO_OUT, help=f"输出文件夹（默认 ./{DEMO_OUT}）")

    panel = sub.add_parser("new-panel", help="为每位专家生成一份评分表")
    panel.add_argument("--period", required=True, help="考核期，如 2026H2、2027H1")
    panel.add_argument("--experts", required=True, help="专家姓名，用逗号分隔，如 \"张三,李四,王五\"")
    panel.add_argument("--year-end", action="store_true", help="按服务期年终考核处理")
    panel.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    panel.add_argument("--force", action="store_true", help="覆盖输出文件夹中已有的同名评分表")
    panel.add_argument("--out", required=True, help="输出文件夹")

    summ = sub.add_parser("summarize", help="校验并汇总专家评分表，生成汇总表")
    summ.add_argument("inputs", nargs="+", metavar="INPUT", help="专家评分表或其所在文件夹")
    summ.add_argument("--fee", help="当次服务费（元），默认为合同年服务费的一半")
    summ.add_argument("--year-end", action="store_true", help="按服务期年终考核处理")
    summ.add_argument("--policy", action="append", default=[], metavar="KEY=VALUE",
                      help="规则选项，如 aggregation=mean（可多次使用）")
    summ.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    summ.add_argument("--out", required=True, help="汇总表输出文件（.xlsx）")
    summ.add_argument("--json", action="store_true", help="在标准输出打印 JSON 结果")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    handlers = {"demo": _demo, "new-panel": _new_panel, "summarize": _summarize}
    try:
        return handlers[args.command](args)
    except InputError as exc:
        for line in _unique(exc.problems):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except ScorecardError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("已中断，未写入任何文件。", file=sys.stderr)
        return EXIT_FAILED


def _unique(problems: list[Problem]) -> list[str]:
    """One line per place: a cell already reported is not reported again by a later check."""
    seen, lines = set(), []
    for problem in problems:
        key = (problem.file, problem.sheet, problem.cell) if problem.cell else str(problem)
        if key not in seen:
            seen.add(key)
            lines.append(str(problem))
    return lines


def _load_contract(path: str | None):
    from scoring.contract import default_contract, load_contract
    from scoring.rubric import default_rubric, load_rubric

    if path is None:
        return default_contract(), default_rubric()
    contract = load_contract(path)
    rubric, warnings = load_rubric(Path(path).parent / contract.rubric)
    for warning in warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return contract, rubric


def _period(text: str, contract):
    from scoring.period import parse_period

    try:
        period = parse_period(text)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not contract.covers(period):
        raise InputError(f"考核期 {period.code} 不在合同服务期 {contract.service_start} 至 {contract.service_end} 内")
    return period


def _expert_names(text: str) -> list[str]:
    import re

    names = [n.strip() for n in re.split(r"[,，、;；]", text) if n.strip()]
    problems = []
    for name in names:
        if re.search(r'[\\/:*?"<>|\x00-\x1f]', name) or name.startswith("."):
            problems.append(Problem(f"专家姓名“{name}”含有不能用于文件名的字符"))
        if names.count(name) > 1 and Problem(f"专家“{name}”重复列出") not in problems:
            problems.append(Problem(f"专家“{name}”重复列出"))
    if len(names) < 3:
        problems.append(Problem(f"专家只有 {len(names)} 名，至少需要 3 名（3名以上（含3名）单数）"))
    elif len(names) % 2 == 0:
        problems.append(Problem(f"专家为 {len(names)} 名，须为单数（3名以上（含3名）单数）"))
    if problems:
        raise InputError(problems)
    return names


def _new_panel(args) -> int:
    from scoring.excel.atomic import save_workbook
    from scoring.excel.expert_sheet import build_expert_workbook

    contract, rubric = _load_contract(args.contract)
    period = _period(args.period, contract)
    experts = _expert_names(args.experts)
    year_end = args.year_end or contract.is_year_end(period)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(Problem("输出位置已存在且不是文件夹", file=str(out)))
    targets = {name: out / f"{period.code}_{name}.xlsx" for name in experts}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not args.force:
        raise InputError([Problem("评分表已存在，为避免覆盖专家已填写的内容未生成；确需重新生成请加 --force",
                                  file=str(p)) for p in existing])
    books = {name: build_expert_workbook(rubric, contract, period, name, year_end) for name in experts}
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, wb in books.items():
            save_workbook(wb, targets[name])
    except PermissionError as exc:
        raise InputError(Problem(f"无法写入（文件被占用或没有写权限）：{exc.strerror}", file=str(exc.filename or out))) from None
    for path in targets.values():
        print(path)
    return EXIT_OK


def summarize(inputs: list[str], out: Path, *, fee: str | None = None, year_end: bool = False,
              policy: list[str] | None = None, contract_path: str | None = None):
    """Validate a panel's workbooks, assess them and write the summary workbook; returns the Assessment."""
    from scoring.assess import assess
    from scoring.excel.atomic import save_workbook
    from scoring.excel.reader import read_panel
    from scoring.excel.summary import build_summary_workbook
    from scoring.money import parse_money
    from scoring.policies import make_policies

    contract, rubric = _load_contract(contract_path)
    problems: list[Problem] = []
    try:
        policies = make_policies(contract.policies, policy)
    except InputError as exc:
        problems += exc.problems
        policies = None
    try:
        fee_value = contract.period_fee if fee is None else parse_money(fee)
    except ValueError as exc:
        problems.append(Problem(f"--fee：{exc}"))
    sheets, found = read_panel(inputs, rubric, contract.id)
    problems += found
    _check_output(out, inputs, problems)
    period = None
    periods = [s.period for s in sheets if s.period]
    if periods:
        try:
            period = _period(max(set(periods), key=periods.count), contract)
        except InputError as exc:
            problems += [Problem(p.message, **sheets[0].place("period")) for p in exc.problems]
    if period is not None and (year_end or contract.is_year_end(period)):
        problems.append(Problem(f"{period.code} 为服务期年终考核：需要证据材料确定密评是否通过（R5），"
                                "证据材料功能尚未提供，暂不能汇总年终考核"))
    if problems or policies is None or period is None:
        from scoring.panel import check_panel  # the panel's own problems too: size, repeats, mixed periods

        raise InputError(problems + check_panel(sheets, rubric) or [Problem("没有可汇总的评分表")])
    assessment = assess(sheets, rubric, contract, period, policies, fee_value,
                        year_end=year_end or contract.is_year_end(period))
    save_workbook(build_summary_workbook(assessment), out)
    return assessment


def _check_output(out: Path, inputs: list[str], problems: list[Problem]) -> None:
    """The output must not be one of the inputs (also one found in an input folder), and its folder must exist."""
    from scoring.excel.reader import expand_inputs

    target = out.resolve()
    paths, _ = expand_inputs(inputs)
    if any(target == path.resolve() for path in paths):
        problems.append(Problem("输出文件不能是输入的评分表之一", file=str(out)))
    if not out.parent.resolve().is_dir():
        problems.append(Problem("输出文件夹不存在", file=str(out.parent)))
    elif out.is_dir():
        problems.append(Problem("输出位置是文件夹，请给出 .xlsx 文件名", file=str(out)))


def _summarize(args) -> int:
    from scoring.assess import to_json

    assessment = summarize(args.inputs, Path(args.out), fee=args.fee, year_end=args.year_end,
                           policy=args.policy, contract_path=args.contract)
    if args.json:
        print(json.dumps(to_json(assessment), ensure_ascii=False, indent=2))
    else:
        print(result_table(assessment))
        print(f"\n汇总表：{args.out}")
    return EXIT_OK


def result_table(a) -> str:
    """The result as a plain-text table for the terminal (Chinese labels)."""
    from scoring.money import format_money
    from scoring.numbers import format_number

    experts = list(a.panel.experts)
    lines = [f"{a.contract.name}  考核期 {a.period.code}（{'服务期年终考核' if a.year_end else '半年度考核'}）",
             f"评审专家 {len(experts)} 名：{'、'.join(experts)}；汇总方式 {a.policies.aggregation}", ""]
    lines.append("分项指标\t分值\t" + "\t".join(experts) + "\t小组得分\t分差\t偏离提示")
    for r in a.panel.items:
        scores = "\t".join(format_number(r.scores[e]) for e in experts)
        lines.append(f"{r.item.name}\t{format_number(r.item.points)}\t{scores}\t{format_number(r.panel)}\t"
                     f"{format_number(r.spread)}\t{'、'.join(r.flagged)}")
    s = a.settlement
    lines += ["", "　".join(f"{c.name} {format_number(a.panel.categories[c.id])}" for c in a.rubric.categories),
              f"总分 {format_number(a.panel.total)}　等级 {a.grade}",
              f"当次服务费 {format_money(s.fee)} 元　扣款比例 {format_number(s.rate * 100)}%　"
              f"考核扣款 {format_money(s.assessment)} 元　密评扣款 {format_money(s.crypto_penalty)} 元　"
              f"扣款合计 {format_money(s.total)} 元　应付 {format_money(s.payable)} 元"]
    return "\n".join(lines)


def _demo(args) -> int:
    from importlib import resources

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sample = resources.files("scoring.sample")
    with resources.as_file(sample) as folder:
        assessment = summarize([str(folder)], out / "summary.xlsx")
    print(result_table(assessment))
    print(f"\n汇总表：{out / 'summary.xlsx'}")
    return EXIT_OK
