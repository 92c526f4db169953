"""The ``scorecard`` command: argument parsing, exit codes and messages (interfaces.md §1).

Exit status: 0 done; 2 invalid input or command line (every problem on stderr, one per
line, nothing written); 1 anything else. Heavy modules are imported inside the commands
so that ``scorecard --help`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scoring import __version__

TYPE_CHECKING = False  # not typing's: importing typing alone costs `scorecard --help` a tenth of its time
if TYPE_CHECKING:  # imported where used: `scorecard --help` loads argparse and little else
    from typing import Any, NoReturn

    from scoring.errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
DEMO_OUT = "scorecard-demo"
SAMPLE_EVIDENCE = "evidence/2026H2_证据材料.xlsx"


class _Parser(argparse.ArgumentParser):
    json_errors = False  # set by main when --json was asked for: the errors go to stdout as JSON too

    def __init__(self, *args, **kwargs) -> None:
        from scoring.cli_text import ChineseHelpFormatter, install

        install()  # before argparse builds its -h help text
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # argparse's own errors: exit 2, in Chinese
        self.print_usage(sys.stderr)
        if _Parser.json_errors:
            from scoring.errors import Problem, json_errors

            print(_json(json_errors([Problem(f"命令行参数错误：{message}", code="E-ARGUMENT")])))
        self.exit(EXIT_INVALID, f"命令行参数错误：{message}\n")


def _streams_that_cannot_fail() -> None:
    """Output to a code page that lacks a character (Windows writes a redirected `> 结果.txt` in cp936, which has
    no room for a rare character of an expert's name) prints "?" for it instead of failing after the work."""
    for stream in (sys.stdout, sys.stderr):
        if not _utf(stream) and getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _utf(stream: object) -> bool:
    return str(getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def _json(value: object) -> str:
    """The --json text: every character as it is on a UTF-8 stdout; escaped (\\uXXXX, still the same JSON) on a
    code page such as cp936, which would otherwise turn a name's rare character into "?"."""
    import json

    return json.dumps(value, ensure_ascii=not _utf(sys.stdout), indent=2)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"“{text}”应为正整数")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar of interfaces.md §1."""
    parser = _Parser(prog="scorecard", description="云服务绩效考核：专家评分表、汇总、扣款计算（内置合同为数据备份服务，--contract 换用其他合同）。")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}", help="显示程序版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", title="命令", parser_class=_Parser)
    sub.required = True

    demo = sub.add_parser("demo", help="用内置示例（5 名专家的评分表）运行一次完整汇总")
    demo.add_argument("--out", default=DEMO_OUT, help=f"输出文件夹（默认 ./{DEMO_OUT}）")
    demo.add_argument("--force", action="store_true", help="覆盖示例文件夹中被改动过的示例评分表")

    template = sub.add_parser("evidence-template", help="生成某一考核期的空白证据材料表")
    template.add_argument("--period", required=True, help="考核期，如 2026H2、2027H1")
    template.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    template.add_argument("--force", action="store_true", help="覆盖已存在的文件（可能是已填写的证据材料）")
    template.add_argument("--out", required=True, help="输出文件（.xlsx）")

    panel = sub.add_parser("new-panel", help="为每位专家生成一份评分表")
    panel.add_argument("--period", required=True, help="考核期，如 2026H2、2027H1")
    panel.add_argument("--experts", required=True, help="专家姓名，用逗号分隔，如 \"张三,李四,王五\"")
    panel.add_argument("--evidence", help="证据材料（.xlsx）：写入各项证据和允许范围")
    panel.add_argument("--year-end", action="store_true", help="按服务期年终考核处理")
    panel.add_argument("--policy", action="append", default=[], metavar="选项=值", help="规则选项（可多次使用）")
    panel.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    panel.add_argument("--force", action="store_true", help="覆盖输出文件夹中已有的同名评分表")
    panel.add_argument("--out", required=True, help="输出文件夹")

    summ = sub.add_parser("summarize", help="校验并汇总专家评分表，生成汇总表")
    summ.add_argument("inputs", nargs="+", metavar="评分表", help="专家评分表或其所在文件夹")
    summ.add_argument("--evidence", help="证据材料（.xlsx）：按证据规则（R5–R9）核对得分范围")
    summ.add_argument("--fee", help="当次服务费（元），默认为合同年服务费的一半（四舍五入到分；服务期最后一期为年服务费减去前一期）")
    summ.add_argument("--year-end", action="store_true", help="按服务期年终考核处理")
    summ.add_argument("--policy", action="append", default=[], metavar="选项=值",
                      help="规则选项，如 aggregation=mean（可多次使用）")
    summ.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    summ.add_argument("--out", required=True, help="汇总表输出文件（.xlsx）")
    summ.add_argument("--template", help="汇总表模板（.xlsx），默认内置模板")
    summ.add_argument("--history", action="append", default=[], metavar="汇总表",
                      help="以前各期的汇总表，用于趋势图（可多次使用）")
    summ.add_argument("--payment", nargs=2, metavar=("到期日", "付款日"),
                      help="付款到期日和实际付款日（YYYY-MM-DD），计算逾期付款违约金（R10）")
    summ.add_argument("--rectification", metavar="整改通知书",
                      help="上期的整改通知书（scorecard rectify 生成、填写了完成日期）：在汇总表上显示是否按时整改")
    summ.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF（与汇总表同名）")
    summ.add_argument("--json", action="store_true", help="在标准输出打印 JSON 结果")
    summ.add_argument("--force", action="store_true", help="覆盖已存在的、不是本程序生成的汇总表的输出文件")
    many = sub.add_parser("batch", help="一次汇总多个考核组（每个文件夹一个考核组）")
    many.add_argument("folders", nargs="+", metavar="考核组文件夹", help="考核组文件夹（证据材料放在其中的 evidence/ 子文件夹）")
    many.add_argument("--fee", help="当次服务费（元），默认为合同年服务费的一半（四舍五入到分；服务期最后一期为年服务费减去前一期）")
    many.add_argument("--policy", action="append", default=[], metavar="选项=值", help="规则选项（可多次使用）")
    many.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    many.add_argument("--force", action="store_true", help="覆盖输出文件夹中已存在的、不是本程序生成的汇总表的同名文件")
    many.add_argument("--out-dir", required=True, help="汇总表输出文件夹（每个考核组一个 .xlsx）")
    many.add_argument("--jobs", type=_positive, metavar="进程数", help="同时汇总的进程数（默认为本机处理器核数）")

    year = sub.add_parser("annual", help="年度结算：由一个服务年度的半年度汇总表计算全年扣款、应付和各行开票金额")
    year.add_argument("summaries", nargs="+", metavar="汇总表", help="半年度汇总表（.xlsx）")
    year.add_argument("--out", required=True, help="年度结算表输出文件（.xlsx）")
    year.add_argument("--invoice-date", action="append", default=[], metavar="日期",
                      help="开票日期 YYYY-MM-DD（全年一张发票），或 考核期=YYYY-MM-DD（可多次使用）")
    year.add_argument("--paid", action="append", default=[], metavar="日期",
                      help="实际付款日期，写法同 --invoice-date；计算逾期付款违约金（R10）")
    year.add_argument("--evidence", action="append", default=[], metavar="证据材料",
                      help="各半年度的证据材料（默认按汇总表的审计记录在其旁边查找）：演练、培训和节假日调整")
    year.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    year.add_argument("--force", action="store_true", help="覆盖已存在的年度结算表")
    year.add_argument("--json", action="store_true", help="在标准输出打印 JSON 结果")

    fix = sub.add_parser("correct", help="复核（财政部令第87号第六十四条）：更正一位专家的一项评分，生成新的汇总表")
    fix.add_argument("summary", metavar="汇总表", help="原汇总表（.xlsx，不会被修改）")
    fix.add_argument("inputs", nargs="*", metavar="评分表", help="评分表、证据材料或其所在文件夹（另在汇总表所在文件夹中查找）")
    fix.add_argument("--expert", required=True, metavar="姓名", help="专家姓名")
    fix.add_argument("--item", required=True, metavar="分项", help="分项编号（如 report）或分项名称")
    fix.add_argument("--score", required=True, metavar="得分", help="更正后的得分")
    fix.add_argument("--reason", required=True, metavar="情形",
                     help="sum-error、out-of-range、objective-inconsistent、outlier 之一（或其中文名称）")
    fix.add_argument("--by", required=True, metavar="复核人", help="复核人")
    fix.add_argument("--after-signing", action="store_true", help="专家已在汇总表上签字后复核（签字页已填写签字或日期时自动判定）")
    fix.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    fix.add_argument("--out", required=True, help="新汇总表（.xlsx）")
    fix.add_argument("--evidence", metavar="证据材料", help="证据材料（默认按审计记录查找；改名或移动后用此指定）")
    fix.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF（与新汇总表同名）")
    fix.add_argument("--force", action="store_true", help="覆盖已存在的、不是本程序生成的输出文件")
    fix.add_argument("--json", action="store_true", help="在标准输出打印 JSON 结果")

    fixup = sub.add_parser("rectify", help="整改通知书：列出需整改的分项和期限（合同的服务质量评价条款），并生成下期汇总时核对的整改记录")
    fixup.add_argument("summary", metavar="汇总表", help="本期汇总表（.xlsx）")
    fixup.add_argument("--items", metavar="分项", help="需整改的分项（编号或名称，逗号分隔）；默认为得分低于合同规定比例的分项")
    fixup.add_argument("--received", metavar="日期", help="乙方收到通知的日期 YYYY-MM-DD（给出时计算整改期限）")
    fixup.add_argument("--evidence", action="append", default=[], metavar="证据材料",
                       help="含节假日调整表的证据材料（默认按汇总表的审计记录在其旁边查找）")
    fixup.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    fixup.add_argument("--force", action="store_true", help="覆盖已存在的整改通知书（其中填写的日期会丢失）")
    fixup.add_argument("--out", required=True, help="整改通知书（.xlsx）")
    fixup.add_argument("--json", action="store_true", help="在标准输出打印 JSON 结果")

    upd = sub.add_parser("refresh", help="证据材料有变动时，更新已发出（或已填写）的评分表，保留专家已填的内容")
    upd.add_argument("inputs", nargs="+", metavar="评分表", help="已发出的评分表或其所在文件夹")
    upd.add_argument("--evidence", required=True, help="更新后的证据材料（.xlsx）")
    upd.add_argument("--year-end", action="store_true", help="按服务期年终考核处理")
    upd.add_argument("--policy", action="append", default=[], metavar="选项=值", help="规则选项（可多次使用）")
    upd.add_argument("--contract", help="合同文件（TOML），默认内置合同")
    upd.add_argument("--force", action="store_true", help="覆盖输出文件夹中已有的同名评分表")
    upd.add_argument("--out", required=True, help="更新后的评分表的输出文件夹（不能是原文件夹）")

    addin = sub.add_parser("addin", help="Excel 插件：install 安装到 Excel 并写入配置（Windows）")
    addin.add_argument("action", choices=["install"], help="install：复制插件到 Excel 启动文件夹，写入用户配置")
    addin.add_argument("--xlstart", metavar="文件夹", help="Excel 启动文件夹（默认 %%APPDATA%%\\Microsoft\\Excel\\XLSTART）")
    ver = sub.add_parser("verify", help="按输入文件重新计算汇总表并报告差异")
    ver.add_argument("summary", metavar="汇总表", help="汇总表（.xlsx）")
    ver.add_argument("inputs", nargs="*", metavar="评分表", help="评分表、证据材料或其所在文件夹（默认汇总表所在文件夹）")
    ver.add_argument("--evidence", metavar="证据材料", help="证据材料（.xlsx），默认按审计记录在汇总表所在文件夹中查找")
    ver.add_argument("--contract", metavar="合同文件", help="合同文件（TOML），默认内置合同")
    return parser


def _stop_cleanly_on_termination() -> dict[int, object]:
    """Ctrl-C, SIGTERM and SIGHUP end a command by one KeyboardInterrupt, so that a half-written output is
    removed and the message says nothing was written: SIGTERM and SIGHUP ended the process at once and left the
    temporary file of the summary being written, and a second Ctrl-C during that clean-up printed an English
    "Exception ignored" traceback. Any later one is ignored. Returns the handlers replaced (none off the main
    thread)."""
    import signal

    from scoring.stopping import STOP_SIGNALS

    previous: dict[int, object] = {}

    def interrupted(signum: int, frame: object) -> None:
        for number in previous:  # the first one stops the command; the clean-up is not interrupted again
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt

    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:  # Windows has no SIGHUP
            continue
        try:
            if signal.getsignal(number) == signal.SIG_IGN:  # `nohup scorecard …`, a background job: theirs to keep
                continue
            previous[number] = signal.signal(number, interrupted)
        except (ValueError, OSError):  # not the main thread (the add-in's server): leave them be
            break
    return previous


def _interrupted(previous: dict[int, object]) -> bool:
    """Whether a stop signal has ended this run (its handler then ignores the stop signals: see above)."""
    import signal

    return any(signal.getsignal(number) == signal.SIG_IGN for number in previous)


def _restore_signals(previous: dict[int, object]) -> None:
    import signal

    for number, handler in previous.items():
        if handler is not None:  # None: set outside Python, nothing to put back
            signal.signal(number, handler)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    import warnings

    warnings.simplefilter("ignore")  # library warnings (openpyxl's UserWarning ...) are English and not for the secretary
    _streams_that_cannot_fail()
    _Parser.json_errors = "--json" in (sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    from scoring.errors import InputError, ScorecardError

    handlers = {"demo": _demo, "evidence-template": _evidence_template, "new-panel": _new_panel,
                "summarize": _summarize, "verify": _verify, "batch": _batch, "refresh": _refresh, "addin": _addin,
                "annual": _annual, "correct": _correct, "rectify": _rectify}
    previous = _stop_cleanly_on_termination()
    try:
        return handlers[args.command](args)
    except InputError as exc:
        try:
            report_problems(exc, as_json=getattr(args, "json", False))
        except BrokenPipeError:  # `summarize … --json | head`: the status still says the input was invalid
            _quiet_stdout()
        return EXIT_INVALID
    except ScorecardError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        done = ("已列出结果的考核组的汇总表已写入，其余的可能未写入：请重新运行 batch（已写入的会被替换）" if args.command == "batch"
                else "未写入任何文件")  # each of a batch's summaries is written whole, as it is listed
        print(f"已中断，{done}。", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `scorecard … | head`: the reader stopped reading; the work itself is done
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        from scoring.cli_text import os_reason

        where = f"{exc.filename}：" if exc.filename else ""
        print(f"错误：{where}{os_reason(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except Exception:  # a bug: a Chinese line, the traceback only on request
        import os

        if os.environ.get("SCORECARD_DEBUG"):
            raise
        print("程序内部错误，未完成本次操作。请把所用的命令和输入文件发给维护人员"
              "（设置环境变量 SCORECARD_DEBUG=1 可看到详细信息）。", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if argv is not None or not _interrupted(previous):  # the command line ends here: an interrupted run keeps
            _restore_signals(previous)  # ignoring them, or a second Ctrl-C in its last milliseconds killed it (-2)


def _quiet_stdout() -> None:
    """Send what is left of standard output nowhere (the pipe's reader is gone), so that Python's own flush
    at exit adds no second error."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _addin(args: argparse.Namespace) -> int:
    from scoring.addin_install import install

    for line in install(Path(args.xlstart) if args.xlstart else None):
        print(line)
    return EXIT_OK


def report_problems(exc: InputError, as_json: bool = False) -> None:
    """Every problem of the run (interfaces.md §5): `place: message` lines on stderr, one per place;
    then what to do about them (advice); with --json also {"errors": [{"code", "place", "message"}]} on stdout,
    and "advice" when there is some."""
    from scoring.errors import json_errors, unique

    for problem in unique(exc.problems):
        print(problem, file=sys.stderr)
    for line in exc.advice:
        print(line, file=sys.stderr)
    if as_json:
        print(_json(json_errors(exc.problems, exc.advice)))


def _evidence_template(args) -> int:
    from scoring.jobs.prepare import evidence_template

    print(evidence_template(args.period, args.out, args.contract, force=args.force))
    return EXIT_OK


def _new_panel(args) -> int:
    from scoring.jobs.prepare import new_panel

    notices: list[str] = []
    for path in new_panel(args.period, args.experts, args.out, evidence=args.evidence, year_end=args.year_end,
                          force=args.force, contract_path=args.contract, policy=args.policy, notices=notices):
        print(path)
    for line in notices:
        print(line, file=sys.stderr)
    return EXIT_OK


def _summarize(args) -> int:

    from scoring.assess import to_json
    from scoring.errors import InputError

    from scoring.jobs.summarize import summarize

    notices: list[str] = []
    failures: list[str] = []
    try:
        assessment = summarize(args.inputs, args.out, evidence=args.evidence, fee=args.fee, year_end=args.year_end,
                               policy=args.policy, contract_path=args.contract, template=args.template,
                               history=args.history, payment=args.payment, pdf=args.pdf, notices=notices,
                               failures=failures, force=args.force,
                               rectification=args.rectification)
    except InputError:
        for line in notices:  # what was skipped or converted explains many a problem (a panel one short)
            print(line, file=sys.stderr)
        raise
    for line in notices + failures:
        print(line, file=sys.stderr)
    if args.json:
        given = [*args.inputs, *([args.evidence] if args.evidence else [])]  # the hints' commands run as printed
        result = to_json(assessment, str(args.out), given, args.contract)
        print(_json({**result, "notices": notices} if notices else result))  # stderr's notices, for a script too
    else:
        from scoring.correction import art64_hints

        print(result_table(assessment))
        given = [str(p) for p in [*args.inputs, *([args.evidence] if args.evidence else [])]]
        hints = art64_hints(assessment, str(args.out), given, args.contract)  # 87号令 Art. 64, where the data shows it
        if hints:
            print("\n复核提示（财政部令第87号第六十四条）：\n" + "\n".join(f"  {h}" for h in hints))
        print(f"\n汇总表：{args.out}")
        if args.pdf and not failures:
            print(f"PDF：{Path(args.out).with_suffix('.pdf')}")
        for line in failures:  # again at the end, where the eye lands: above 40 lines of table it was missed
            print(f"※ {line}")
    return EXIT_FAILED if failures else EXIT_OK


def _refresh(args) -> int:
    from scoring.jobs.refresh import refresh

    notices: list[str] = []
    results = refresh(args.inputs, args.evidence, args.out, year_end=args.year_end, force=args.force,
                      contract_path=args.contract, policy=args.policy, notices=notices)
    for line in notices:
        print(line, file=sys.stderr)
    attention = 0
    for r in results:
        print(f"{r.target}（{r.expert}，保留已填写的 {r.kept} 项）")
        for line in r.attention:
            print(f"  ※ {r.expert}：{line}")
        attention += len(r.attention)
    print(f"共更新 {len(results)} 份评分表" + (f"；{attention} 处需专家重新查看（见上）。请把更新后的评分表发回给相关专家。"
                                          if attention else "；已填写的得分都在新的允许范围内。"))
    return EXIT_OK


def _batch(args) -> int:
    from scoring.errors import InputError
    from scoring.jobs.batch import batch

    failed = 0
    notices: list[str] = []
    reading = True  # `batch … | head`: the reader may go; every panel is still summarized, the status still told
    for folder, result in batch(args.folders, args.out_dir, fee=args.fee, policy=args.policy,
                                contract_path=args.contract, force=args.force, notices=notices, jobs=args.jobs):
        failed += isinstance(result, InputError)
        try:
            if reading:
                _batch_lines(folder, result, notices)
        except BrokenPipeError:
            _quiet_stdout()
            reading = False
        notices.clear()
    if reading:
        print(f"共 {len(args.folders)} 个考核组，{len(args.folders) - failed} 个已汇总，{failed} 个有问题。")
    return EXIT_INVALID if failed else EXIT_OK


def _batch_lines(folder: Path, result: object, notices: list[str]) -> None:
    """One panel of a batch on the terminal: its notices, then its result or its problems."""
    from scoring.errors import InputError
    from scoring.numbers import format_number

    for line in notices:
        print(line, file=sys.stderr)
    if isinstance(result, InputError):
        print(f"{folder}：未汇总，问题如下：", file=sys.stderr)  # first: a problem may name no file of the panel
        report_problems(result)
    else:
        a: Any = result
        unchecked = "\t未应用证据规则（没有 evidence 子文件夹中的证据材料）" if not a.evidence_given else ""
        print(f"{folder}\t总分 {format_number(a.panel.total)}\t{a.grade}\t"
              f"扣款 {a.settlement.total:,.2f}\t应付 {a.settlement.payable:,.2f}{unchecked}")


def _annual(args) -> int:

    from scoring.annual import to_json
    from scoring.jobs.annual import annual, annual_table

    result = annual(args.summaries, args.out, invoice=args.invoice_date, paid=args.paid, evidence=args.evidence,
                    contract_path=args.contract, force=args.force)
    if args.json:
        print(_json(to_json(result)))
    else:
        print(annual_table(result))
        print(f"\n年度结算表：{args.out}")
    return EXIT_OK


def _correct(args) -> int:

    from scoring.assess import to_json
    from scoring.jobs.correct import correct, correction_lines

    failures: list[str] = []
    assessment, corrections = correct(args.summary, args.out, expert=args.expert, item=args.item, score=args.score,
                                      reason=args.reason, by=args.by, inputs=args.inputs,
                                      after_signing=args.after_signing, contract_path=args.contract,
                                      force=args.force, pdf=args.pdf, failures=failures, evidence=args.evidence)
    for line in failures:
        print(line, file=sys.stderr)
    if args.json:
        print(_json({**to_json(assessment, str(args.out), args.inputs, args.contract),
                     "corrections": [c.as_json() for c in corrections]}))
    else:
        print(result_table(assessment))
        print("\n" + "\n".join(correction_lines(assessment, corrections)))
        print(f"\n新汇总表：{args.out}（原汇总表 {args.summary} 未改动）")
        from scoring.correction import AFTER

        if corrections[-1].stage == AFTER:  # the new summary's 签字 sheet is blank: the result changed after signing
            print("※ 本次复核在专家签字后进行：新汇总表的“签字”页须由评审专家重新签字确认")
        if args.pdf and not failures:
            print(f"PDF：{Path(args.out).with_suffix('.pdf')}")
    return EXIT_FAILED if failures else EXIT_OK


def _rectify(args) -> int:

    from scoring.jobs.rectify import rectify
    from scoring.numbers import format_number, json_number

    inexact: dict[str, str] = {}
    notice = rectify(args.summary, args.out, items=args.items, received=args.received, evidence=args.evidence,
                     contract_path=args.contract, force=args.force)
    if args.json:
        print(_json({"contract": notice.contract_id, "period": notice.period,
                     "working_days": notice.working_days,
                     "received": notice.received.isoformat() if notice.received else None,
                     "deadline": notice.deadline.isoformat() if notice.deadline else None,
                     "items": [{"item": i.item, "name": i.name,
                                "score": json_number(i.score, f"items[{k}].score", inexact),
                                "points": format_number(i.points)} for k, i in enumerate(notice.items)],
                     "fractions": inexact}))
    else:
        print(f"整改通知书（{notice.period}）：" + "、".join(i.name for i in notice.items))
        print(f"整改期限：{notice.deadline or f'收到通知之日起 {notice.working_days} 个工作日内'}")
        print(f"\n整改通知书：{args.out}（完成后在“整改记录”表中填写完成日期，下期汇总时用 --rectification 读取）")
    return EXIT_OK


def _verify(args) -> int:
    from scoring.jobs.verify import verify

    differences = verify(args.summary, args.inputs, contract_path=args.contract, evidence_path=args.evidence)
    try:
        for line in differences:
            print(line)
    except BrokenPipeError:  # `verify … | head`: the status still says whether the summary agrees
        _quiet_stdout()
        return EXIT_FAILED
    if differences:
        print(f"共 {len(differences)} 处不一致。")
        return EXIT_FAILED
    pdf = Path(args.summary).with_suffix(".pdf")
    print("一致：输入文件未改动，重新计算的得分、等级和金额与汇总表相同" + ("；旁边的 PDF 打印自这份汇总表。" if pdf.exists() else "。"))
    return EXIT_OK


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(rows: list[list[str]]) -> list[str]:
    """Rows aligned in columns on a terminal, Chinese characters counted double width."""
    widths = [max(_width(r[k]) for r in rows if k < len(r)) for k in range(max(map(len, rows)))]
    return ["  ".join(cell + " " * (widths[k] - _width(cell)) for k, cell in enumerate(r)).rstrip() for r in rows]


def result_table(a) -> str:
    """The result as a plain-text table for the terminal (Chinese labels)."""
    from scoring.numbers import format_number

    def money(amount) -> str:
        return f"{amount:,.2f}"

    experts = list(a.panel.experts)
    shown = experts if len(experts) <= 9 else []  # a large panel: the summary workbook has every score
    named = f"：{'、'.join(experts)}" if shown else "（各专家的评分见汇总表“评分明细”）"
    lines = [f"{a.contract.name}  考核期 {a.period.code}（{'服务期年终考核' if a.year_end else '半年度考核'}）",
             f"评审专家 {len(experts)} 名{named}；汇总方式 {a.policies.aggregation}"]
    if not a.evidence_given:  # said only on the summary's first page, it went unnoticed: 服务响应 then allows 0-8
        lines.append("※ 未提供证据材料：未应用证据规则（R5–R9），各分项只按 0 到分值核对；如需应用，请加 --evidence 证据材料.xlsx")
    lines.append("")
    rows = [["分项指标", "分值", *shown, "小组得分", "允许范围", "分差", "偏离提示"]]
    for r in a.panel.items:
        rows.append([r.item.name, format_number(r.item.points), *(format_number(r.scores[e]) for e in shown),
                     format_number(r.panel), f"{format_number(r.low)}–{format_number(r.high)}",
                     format_number(r.spread), "、".join(r.flagged)])
    lines += _columns(rows)
    s = a.settlement
    lines += ["", "　".join(f"{c.name} {format_number(a.panel.categories[c.id])}" for c in a.rubric.categories),
              f"总分 {format_number(a.panel.total)}　等级 {a.grade}", ""]
    crypto = [["密评扣款", money(s.crypto_penalty), "元"]] if a.contract.crypto_penalty or s.crypto_penalty else []
    lines += _columns([["当次服务费", money(s.fee), "元"],
                       ["扣款比例", f"{format_number(s.rate * 100)}%", ""],
                       ["考核扣款", money(s.assessment), "元"],
                       *crypto,  # a contract without the R5 penalty: no line of zeros to wonder about
                       ["扣款合计", money(s.total), "元"],
                       ["应付服务费", money(s.payable), "元"]])
    if a.late is not None and a.payment is not None:  # R10: written to 扣款; finance should not have to open it
        due, paid = a.payment
        late = a.late
        lines += ["", f"付款：到期日 {due:%Y-%m-%d}，付款日 {paid:%Y-%m-%d}，" + (
            f"逾期 {late.days_late} 天，逾期付款违约金 {money(late.interest)} 元"
            + (f"；逾期 {a.contract.payment.termination_days_late} 日及以上，乙方有权解除合同" if late.may_terminate else "")
            if late.days_late else "未逾期")]
    if a.warnings:
        lines += ["", "提示（详见汇总表“汇总”页的稳健性检查）："] + [f"  ※ {w}" for w in a.warnings]
    dissents = [f"  {s.expert}：{s.dissent_reason or '（未写理由）'}" for s in a.sheets if s.dissent]
    if dissents:  # 87号令: a dissent is signed beside the result; the secretary should see it before printing
        lines += ["", "专家异议（已写入汇总表“签字”页）："] + dissents
    return "\n".join(lines)


def _demo(args) -> int:
    from importlib import resources

    from scoring.errors import InputError, Problem

    from scoring.jobs.summarize import summarize

    import shutil

    from scoring.excel.libreoffice import find_soffice

    out = Path(args.out)
    inputs = out / "sample"
    (inputs / "evidence").mkdir(parents=True, exist_ok=True)
    with resources.as_file(resources.files("scoring.sample")) as folder:
        pairs = [(p, inputs / p.relative_to(folder)) for p in sorted(Path(folder).glob("*.xlsx")) + [Path(folder) / SAMPLE_EVIDENCE]]
        changed = [t for s, t in pairs if t.exists() and t.read_bytes() != s.read_bytes()]
        if changed and not args.force:
            raise InputError([Problem("示例文件已被改动，未覆盖；确需恢复示例请加 --force", file=str(t)) for t in changed])
        for source, target in pairs:
            shutil.copyfile(source, target)
    summary = out / "summary.xlsx"
    notices: list[str] = []
    failures: list[str] = []
    pdf = find_soffice() is not None
    assessment = summarize([inputs], summary, evidence=inputs / SAMPLE_EVIDENCE, pdf=pdf, notices=notices,
                           failures=failures, force=args.force)
    print(result_table(assessment))
    print(f"\n示例输入：{inputs}\n汇总表：{summary}")
    for line in notices + failures:
        print(line, file=sys.stderr)
    if not pdf:
        print("未安装 LibreOffice，未生成 PDF。", file=sys.stderr)
    elif not failures:
        print(f"PDF：{summary.with_suffix('.pdf')}")
    return EXIT_FAILED if failures else EXIT_OK
