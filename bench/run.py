"""Benchmarks of scorecard (issue: speed). Run from the repository root: python bench/run.py [--quick]

Prints the machine, then one row per figure with its target: medians of several runs, and ratios
measured side by side in the same run (these machines are shared and noisy, so ratios are what we
compare, not absolute seconds). Nothing here is a test; nothing fails the build.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "addin"))

FLOOR = """
import sys, openpyxl
paths = sys.argv[1:]
books = [openpyxl.load_workbook(p) for p in paths]
books[0].save(paths[0] + ".floor.xlsx")
"""
PEAK = ("import resource, sys, runpy; sys.argv = ['scorecard'] + sys.argv[1:]; "
        "code = 0\ntry:\n    runpy.run_module('scoring', run_name='__main__')\nexcept SystemExit as e:\n    code = e.code\n"
        "s = open('/proc/self/status').read() if sys.platform.startswith('linux') else ''\n"
        "peak = int(s.split('VmHWM:')[1].split()[0]) if 'VmHWM:' in s else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print('PEAK', peak, file=sys.stderr)")  # VmHWM: ru_maxrss would include this parent's size (fork + exec)


def median_seconds(command: list[str], runs: int, env=None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_call(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_mb(args: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if "PEAK" not in done.stderr or "Traceback" in done.stderr or "未汇总" in done.stderr:
        raise SystemExit(done.stderr)
    return elapsed, int(done.stderr.rsplit("PEAK", 1)[1].split()[0]) / 1024


def big_panel(folder: Path, experts: int) -> Path:
    """A valid panel of `experts` experts with varied scores, written by the real writer."""
    from scoring.contract import default_contract
    from scoring.excel import names
    from scoring.excel.atomic import save_workbook
    from scoring.excel.expert_sheet import build_expert_workbook
    from scoring.period import parse_period
    from scoring.rubric import default_rubric

    rubric, contract, period = default_rubric(), default_contract(), parse_period("2026H2")
    rnd = random.Random(42)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(experts):
        wb = build_expert_workbook(rubric, contract, period, f"专家{k:03d}")
        for item in rubric.items:
            sheet, cell = names.locate(wb, names.score_name(item.id))
            wb[sheet][cell].value = rnd.randint(int(item.points) // 2, int(item.points))
        save_workbook(wb, folder / f"2026H2_专家{k:03d}.xlsx")
    return folder


def row(name: str, figure: str, target: str, ok: bool | None) -> None:
    mark = "" if ok is None else ("达到" if ok else "未达到")
    print(f"| {name} | {figure} | {target} | {mark} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs and 20 panels instead of 200")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    panels = 20 if args.quick else 200
    import openpyxl

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"openpyxl {openpyxl.__version__}, date {date.today()}")
    print("| figure | measured | target | |\n|---|---|---|---|")
    scorecard = [sys.executable, "-m", "scoring"]
    work = Path(tempfile.mkdtemp(prefix="scorecard-bench-"))
    try:
        inputs = sorted(str(p) for p in SAMPLE.glob("*.xlsx")) + [str(EVIDENCE)]
        floor_file = work / "floor.py"
        floor_file.write_text(FLOOR, encoding="utf-8")
        shutil.copy(inputs[0], work / "floor-input.xlsx")
        floor_inputs = [str(work / "floor-input.xlsx")] + inputs[1:]
        summarize = [*scorecard, "summarize", str(SAMPLE), "--evidence", str(EVIDENCE), "--out", str(work / "s.xlsx")]
        floor = median_seconds([sys.executable, str(floor_file), *floor_inputs], runs)
        ours = median_seconds(summarize, runs)
        row("summarize 5 位专家含证据（整个进程）", f"{ours:.2f} s，I/O 下限 {floor:.2f} s，{ours / floor:.2f} 倍",
            "≤ 2.0 倍", ours / floor <= 2.0)

        bare = median_seconds([sys.executable, "-c", "pass"], runs)
        helped = median_seconds([*scorecard, "--help"], runs)
        row("scorecard --help", f"{helped * 1000:.0f} ms，python -c pass {bare * 1000:.0f} ms，{helped / bare:.2f} 倍",
            "≤ 4 倍", helped / bare <= 4)
        heavy = subprocess.run([sys.executable, "-c", "import sys, scoring.cli; "
                                "print(sorted(m for m in ('pandas','numpy','xlwings','jinja2','openpyxl') if m in sys.modules))"],
                               capture_output=True, text=True).stdout.strip()
        row("scorecard 启动时导入的重型模块", heavy or "[]", "无", heavy == "[]")

        import udfs
        rnd = random.Random(1)
        received = [[date(2026, 1, 5) + timedelta(days=rnd.randint(0, 330))] for _ in range(10_000)]
        replied = [[r[0] + timedelta(days=rnd.randint(0, 8))] for r in received]
        t = median_call(lambda: udfs.sc_late_replies(received, replied), runs)
        row("SC_LATE_REPLIES 10,000 行", f"{t * 1000:.0f} ms", "≤ 50 ms", t <= 0.05)
        starts = [[datetime(2026, 7, 1) + timedelta(minutes=rnd.randint(0, 260_000))] for _ in range(10_000)]
        ends = [[s[0] + timedelta(minutes=rnd.randint(1, 30))] for s in starts]
        t = median_call(lambda: udfs.sc_availability(date(2026, 7, 1), date(2026, 12, 31), starts, ends), runs)
        row("SC_AVAILABILITY 10,000 次中断", f"{t * 1000:.0f} ms", "≤ 50 ms", t <= 0.05)
        table = [[rnd.randint(0, 1200) / 100 for _ in range(9)] for _ in range(1000)]
        t = median_call(lambda: udfs.sc_panel(table), runs)
        row("SC_PANEL 1,000 项 × 9 位专家", f"{t * 1000:.0f} ms", "≤ 50 ms", t <= 0.05)
        # Excel-sized ranges as xlwings passes them (issue 10): A:A is 1,048,576 rows, mostly blank
        column = [[date(2026, 10, 8)], [date(2026, 10, 9)]] + [[None] for _ in range(1_048_574)]
        t = median_call(lambda: udfs.sc_workdays(date(2026, 10, 1), date(2026, 10, 31), column), runs)
        row("SC_WORKDAYS 节假日表为整列 A:A", f"{t * 1000:.0f} ms", "≤ 50 ms", t <= 0.05)
        two = [[date(2026, 10, 8), "休息日"]] + [[None, None] for _ in range(1_048_575)]
        t = median_call(lambda: udfs.sc_deadline(date(2026, 9, 30), 3, two), runs)
        row("SC_DEADLINE 节假日表为整列 A:B", f"{t * 1000:.0f} ms", "≤ 50 ms", t <= 0.05)
        del column, two  # a million rows each: not to be carried into the memory figures below
        from scoring.rubric import default_rubric
        block = [[rnd.randint(0, int(i.points)) for _ in range(5)] for i in default_rubric().items]
        t = median_call(lambda: udfs.sc_scorecard(block, 582000), runs)
        row("SC_SCORECARD 13 项 × 5 位专家", f"{t * 1000:.1f} ms", "≤ 50 ms", t <= 0.05)

        five = work / "five"
        shutil.copytree(SAMPLE, five, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples"))
        big = big_panel(work / "big", 101)
        t5 = median_seconds([*scorecard, "summarize", str(five), "--out", str(work / "f.xlsx")], max(1, runs // 2))
        t101, mb101 = peak_mb(["summarize", str(big), "--out", str(work / "b.xlsx")])
        row("101 位专家的考核组（整个进程）", f"{t101:.2f} s（5 位专家 {t5:.2f} s），峰值内存 {mb101:.0f} MB",
            "随人数近似线性增长", None)

        folders = []
        for k in range(panels):
            folder = work / "batch" / f"组{k:03d}"
            shutil.copytree(five, folder)
            folders.append(str(folder))
        (work / "out").mkdir()
        tb, mbb = peak_mb(["batch", *folders, "--out-dir", str(work / "out")])
        row(f"batch {panels} 个考核组（一个进程）", f"每组 {tb / panels * 1000:.0f} ms，峰值内存 {mbb:.0f} MB",
            "峰值内存 < 200 MB", mbb < 200)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
