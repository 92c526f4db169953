"""Benchmarks of scorecard (issue 15). Run from the repository root: python bench/run.py [--quick] [--before REV]

Every figure is printed as a ratio against its floor, measured side by side in the same run (these machines
are shared and noisy, so ratios are what we compare, not absolute seconds):

- the openpyxl floor: a process that imports openpyxl, loads the panel's six workbooks and saves one;
- the calamine + XlsxWriter floor: a process that reads the same six workbooks' cells with python-calamine
  and writes the summary's cells (values, formulas with their cached values) with XlsxWriter;
- the 5-expert run: `summarize` of a 5-expert panel made by the same writer, for the larger panels;
- a bare `python -c pass`, for `scorecard --help`;
- the serial batch (`--jobs 1`), for the batch on every core; numpy doing the same arithmetic, for the
  spreadsheet functions.

With --before REV (e.g. the commit before issue 15) the code of REV is exported to a temporary folder and
measured by the same script in the same run, giving the before/after table of the README. Medians of several
runs; every measured tree is byte-compiled first, as an installed package is (these machines set
PYTHONDONTWRITEBYTECODE=1); peak memory is the largest resident set of the process or of any of its children. Nothing here is a
test; nothing fails the build. Needs python-calamine, XlsxWriter and numpy (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import json
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

OPENPYXL_FLOOR = """
import sys
sys.modules["numpy"] = None  # as scoring.excel imports it: openpyxl without its optional numpy support
import openpyxl
paths = sys.argv[1:]
books = [openpyxl.load_workbook(p) for p in paths]
books[0].save(paths[0] + ".floor.xlsx")
"""
CALAMINE_FLOOR = """
import json, sys
from python_calamine import CalamineWorkbook
import xlsxwriter
cells_file, out, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
for p in paths:
    wb = CalamineWorkbook.from_path(p)
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
book = xlsxwriter.Workbook(out)
for sheet, cells in json.load(open(cells_file, encoding="utf-8")).items():
    ws = book.add_worksheet(sheet)
    for row, col, value, cached in cells:
        if isinstance(value, str) and value.startswith("="):
            ws.write_formula(row, col, value, None, cached)
        else:
            ws.write(row, col, value)
book.close()
"""
# Runs a scorecard command in-process and reports the peak resident set of it and its children.
PEAK = ("import resource, sys, runpy; sys.argv = ['scorecard'] + sys.argv[1:]; "
        "code = 0\ntry:\n    runpy.run_module('scoring', run_name='__main__')\nexcept SystemExit as e:\n    code = e.code\n"
        "s = open('/proc/self/status').read() if sys.platform.startswith('linux') else ''\n"
        "own = int(s.split('VmHWM:')[1].split()[0]) if 'VmHWM:' in s else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"  # batch's workers
        "print('PEAK', peak, 'CODE', code, file=sys.stderr)")  # VmHWM: ru_maxrss would include this parent's size (fork + exec)
# The spreadsheet functions as the add-in calls them (addin/udfs.py), in one process; prints JSON seconds.
FUNCTIONS = r"""
import json, random, statistics, sys, time
from datetime import date, datetime, timedelta
root, runs = sys.argv[1], int(sys.argv[2])
sys.path[:0] = [root, root + "/addin"]
import numpy as np
import udfs

def best(fn):
    # the fastest of several runs, as timeit advises for in-process timings: what the code costs when the
    # shared machine's other work does not interrupt it (the whole-process figures above are medians)
    times = []
    for _ in range(max(runs, 15)):  # 7 were all disturbed now and then on this shared 2-core machine
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)

rnd = random.Random(1)
out = {}
table = [[rnd.randint(0, 1200) / 100 for _ in range(9)] for _ in range(10_000)]
out["panel"] = best(lambda: udfs.sc_panel(table))
array = np.array(table)
out["panel_floor"] = best(lambda: np.median(np.array(table), axis=1).tolist())
received = [[date(2026, 1, 5) + timedelta(days=rnd.randint(0, 330))] for _ in range(10_000)]
replied = [[r[0] + timedelta(days=rnd.randint(0, 8))] for r in received]
out["late"] = best(lambda: udfs.sc_late_replies(received, replied))
out["late_floor"] = best(lambda: int((np.busday_count(np.array([r[0] for r in received], dtype="datetime64[D]"),
                                                      np.array([r[0] for r in replied], dtype="datetime64[D]")) > 3).sum()))
starts = [[datetime(2026, 7, 1) + timedelta(minutes=rnd.randint(0, 260_000))] for _ in range(10_000)]
ends = [[s[0] + timedelta(minutes=rnd.randint(1, 30))] for s in starts]
out["availability"] = best(lambda: udfs.sc_availability(date(2026, 7, 1), date(2026, 12, 31), starts, ends))
out["availability_floor"] = best(lambda: float((np.array([e[0] for e in ends], dtype="datetime64[s]")
                                                - np.array([s[0] for s in starts], dtype="datetime64[s]")).sum().astype(int)))
days = [date(2025, 1, 2) + timedelta(days=rnd.randint(0, 600)) for _ in range(10_000)]
udfs.sc_workdays(days[0], days[1]); udfs.sc_deadline(days[0], 3)
out["workdays"] = best(lambda: [udfs.sc_workdays(d, d + timedelta(days=45)) for d in days]) / len(days)
out["deadline"] = best(lambda: [udfs.sc_deadline(d, 3) for d in days]) / len(days)
# Excel-sized ranges as xlwings passes them: A:A is 1,048,576 rows, mostly blank
column = [[date(2026, 10, 8)], [date(2026, 10, 9)]] + [[None] for _ in range(1_048_574)]
out["whole_column"] = best(lambda: udfs.sc_workdays(date(2026, 10, 1), date(2026, 10, 31), column))
two = [[date(2026, 10, 8), "休息日"]] + [[None, None] for _ in range(1_048_575)]
out["whole_columns"] = best(lambda: udfs.sc_deadline(date(2026, 9, 30), 3, two))
del column, two
from scoring.rubric import default_rubric
block = [[rnd.randint(0, int(i.points)) for _ in range(5)] for i in default_rubric().items]
out["scorecard"] = best(lambda: udfs.sc_scorecard(block, 582000)) if hasattr(udfs, "sc_scorecard") else float("nan")
out["call_floor"] = best(lambda: [udfs.safe(abs, 1) for d in days]) / len(days)
print(json.dumps(out))
"""


FUNCTION_PROCESSES = 3  # processes per tree for the spreadsheet functions' timings (see main)


# What the machine gives two processes right now: pure computation on a pool against one process.
CPU_FLOOR = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
def burn(n):
    s = 0
    for i in range(n):
        s += i * i
    return s
if __name__ == "__main__":
    tasks = [2_000_000] * int(sys.argv[1])
    t = time.perf_counter(); [burn(n) for n in tasks]; serial = time.perf_counter() - t
    t = time.perf_counter()
    with ProcessPoolExecutor(len(os.sched_getaffinity(0))) as pool:
        list(pool.map(burn, tasks))
    print((time.perf_counter() - t) / serial)
"""


class Code:
    """One version of scorecard to measure: this checkout, or a folder holding another commit's tree."""

    def __init__(self, name: str, root: Path):
        self.name, self.root = name, root
        self.env = dict(os.environ, PYTHONPATH=str(root))
        # Measured as installed: pip compiles an installed package's modules (as openpyxl's were for the
        # floors), but an editable checkout under PYTHONDONTWRITEBYTECODE=1 (as on these machines) would
        # compile every module of ours again in every process, about 140 ms of a summarize.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "scoring"), str(root / "addin")],
                       check=True, stdout=subprocess.DEVNULL)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "scoring", *args]

    def time(self, args: list[str], runs: int) -> float:
        return median_seconds(self.command(*args), runs, cwd=self.root, env=self.env)

    def peak(self, args: list[str]) -> tuple[float, float]:
        """(seconds, peak MB) of one run, in-process with its children; self.refused: it exited 2."""
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True, cwd=self.root,
                              env=self.env)
        elapsed = time.perf_counter() - started
        if "PEAK" not in done.stderr or "Traceback" in done.stderr:
            raise SystemExit(done.stderr[-3000:])
        self.refused = done.stderr.rsplit("CODE", 1)[1].split()[0] == "2"
        return elapsed, int(done.stderr.rsplit("PEAK", 1)[1].split()[0]) / 1024


def median_seconds(command: list[str], runs: int, cwd=None, env=None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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


def big_evidence(path: Path, rows: int) -> Path:
    """The sample evidence with `rows` outage rows in all (its two and `rows` - 2 more, the most the reader
    takes: evidence_tables.MAX_ROWS), all inside the sample's 40-minute outage of 2026-08-01 10:00, so the
    result (and every allowed range) stays the sample's."""
    import openpyxl

    wb = openpyxl.load_workbook(EVIDENCE)
    ws = wb["服务中断"]
    top = 5  # below the sample's two rows
    rows -= 2
    start = datetime(2026, 8, 1, 10, 0)
    for k in range(rows):
        begin = start + timedelta(seconds=k % 2000)
        ws.cell(top + k, 1, begin)
        ws.cell(top + k, 2, begin + timedelta(seconds=60))
        ws.cell(top + k, 3, "监控记录")
    ws.tables["outages"].ref = f"A2:D{top + rows - 1}"
    wb.save(path)
    return path


def summary_cells(summary: Path, target: Path) -> None:
    """The summary's cells as [row, col, value or formula, cached value] per sheet, for the XlsxWriter floor."""
    import openpyxl

    formulas = openpyxl.load_workbook(summary)
    values = openpyxl.load_workbook(summary, data_only=True)
    cells = {}
    for ws in formulas.worksheets:
        rows = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                value = c.value if isinstance(c.value, (int, float, str)) else str(c.value)
                cached = values[ws.title][c.coordinate].value
                rows.append([c.row - 1, c.column - 1, value, cached if isinstance(cached, (int, float, str)) else None])
        cells[ws.title] = rows
    target.write_text(json.dumps(cells, ensure_ascii=False), encoding="utf-8")


def export(rev: str, folder: Path) -> Path:
    """The tree of commit `rev` in `folder`."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    # setup.cfg maps the package scoring.templates to templates/; the editable install's finder would give
    # this checkout's template to the old code, which may refuse it: the old tree's own, found first
    if (folder / "templates").is_dir() and not (folder / "scoring" / "templates").exists():
        (folder / "scoring" / "templates").symlink_to(folder / "templates", target_is_directory=True)
    return folder


class Table:
    def __init__(self, codes: list[Code]):
        self.codes = codes
        head = " | ".join(c.name for c in codes)
        print(f"| figure | {head} | floor (same run) | target | |\n|---|{'---|' * len(codes)}---|---|---|")

    def row(self, name: str, cells: list[str], floor: str, target: str, ok: bool | None) -> None:
        mark = "" if ok is None else ("达到" if ok else "未达到")
        print(f"| {name} | {' | '.join(cells)} | {floor} | {target} | {mark} |", flush=True)


def times(ratio: float) -> str:
    """A ratio as the table prints it: two significant digits below 10 (0.18, 5.6), whole numbers above."""
    return f"{ratio:.2g}" if ratio < 10 else f"{ratio:.0f}"


def ms(seconds: float) -> str:
    if seconds != seconds:  # not measured: the code has no such function
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, 20 batch panels, 101 instead of 301 experts")
    parser.add_argument("--before", metavar="REV", help="also measure the code of this commit (before/after table)")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    panels = 20 if args.quick else 60
    largest = 101 if args.quick else 301
    sys.path.insert(0, str(ROOT))
    import openpyxl

    work = Path(tempfile.mkdtemp(prefix="scorecard-bench-"))
    try:
        codes = [Code("after", ROOT)]
        if args.before:
            codes.insert(0, Code(f"before ({args.before})", export(args.before, work / "before")))
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"openpyxl {openpyxl.__version__}, load {os.getloadavg()[0]:.1f}, date {date.today()}\n")
        table = Table(codes)
        last = codes[-1]

        # summarize, 5 experts + evidence, against the two I/O floors
        inputs = sorted(str(p) for p in SAMPLE.glob("*.xlsx")) + [str(EVIDENCE)]
        shutil.copy(inputs[0], work / "floor-input.xlsx")
        floor_inputs = [str(work / "floor-input.xlsx")] + inputs[1:]
        (work / "openpyxl_floor.py").write_text(OPENPYXL_FLOOR, encoding="utf-8")
        (work / "calamine_floor.py").write_text(CALAMINE_FLOOR, encoding="utf-8")
        summarize = ["summarize", str(SAMPLE), "--evidence", str(EVIDENCE), "--out", str(work / "s.xlsx")]
        subprocess.run(last.command(*summarize), check=True, capture_output=True, cwd=last.root, env=last.env)
        summary_cells(work / "s.xlsx", work / "cells.json")
        floors_o, floors_c, runs_of = [], [], {c.name: [] for c in codes}  # not `times`: the ratio formatter
        for _ in range(runs):  # interleaved, so a burst of load hits every command alike
            floors_o.append(median_seconds([sys.executable, str(work / "openpyxl_floor.py"), *floor_inputs], 1))
            floors_c.append(median_seconds([sys.executable, str(work / "calamine_floor.py"), str(work / "cells.json"),
                                            str(work / "c.xlsx"), *inputs], 1))
            for c in codes:
                runs_of[c.name].append(c.time(summarize, 1))
        floor_o, floor_c = statistics.median(floors_o), statistics.median(floors_c)
        ours = {name: statistics.median(t) for name, t in runs_of.items()}
        table.row("summarize 5 位专家含证据 ÷ openpyxl 下限", [f"{ours[c.name] / floor_o:.2f} 倍" for c in codes],
                  f"openpyxl {ms(floor_o)}", "≤ 1.0 倍", ours[last.name] / floor_o <= 1.0)
        table.row("summarize 5 位专家含证据 ÷ calamine+XlsxWriter 下限",
                  [f"{ours[c.name] / floor_c:.2f} 倍（{ms(ours[c.name])}）" for c in codes],
                  f"calamine+XlsxWriter {ms(floor_c)}", "≤ 2.0 倍", ours[last.name] / floor_c <= 2.0)

        # start-up
        bare = median_seconds([sys.executable, "-c", "pass"], runs * 3)
        helped = {c.name: c.time(["--help"], runs * 3) for c in codes}
        table.row("scorecard --help ÷ python -c pass", [f"{helped[c.name] / bare:.2f} 倍" for c in codes],
                  f"python -c pass {ms(bare)}", "≤ 2.0 倍", helped[last.name] / bare <= 2.0)
        probe = ("import sys, scoring.cli; print(sorted(m for m in "
                 "('pandas','numpy','xlwings','jinja2','openpyxl','python_calamine','xlsxwriter') if m in sys.modules))")
        heavy = {c.name: subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=c.root,
                                        env=c.env).stdout.strip() for c in codes}
        table.row("启动时导入的重型模块", [heavy[c.name] for c in codes], "—", "无", heavy[last.name] == "[]")

        # panels of 5 .. 301 experts against the 5-expert run
        sizes = [5, 51, largest]
        folders = {n: big_panel(work / f"panel{n}", n) for n in sizes}
        for c in codes:
            # interleaved rounds (5, 51, 301 experts back to back) and the median of each size's ratios to its own
            # round's 5-expert run: the three meet the machine in the same state, as the floors above do
            sized = {n: ["summarize", str(folders[n]), "--out", str(work / f"p{n}.xlsx")] for n in sizes}
            rounds = [{n: c.time(sized[n], 1) for n in sizes} for _ in range(runs)]
            ratios = {n: statistics.median(r[n] / r[5] for r in rounds) for n in sizes[1:]}
            five = statistics.median(r[5] for r in rounds)
            peaks = [c.peak(sized[n])[1] for n in sizes[1:]]  # the peak from one more run
            ok = ratios[largest] <= 3.0 and max(peaks) <= 200 if c is last else None
            table.row(f"考核组人数 ÷ 5 位专家（{c.name}）",
                      [", ".join(f"{n} 位 {ratios[n]:.2f} 倍" for n in sizes[1:]) + f"；峰值 {max(peaks):.0f} MB"]
                      + [""] * (len(codes) - 1), f"5 位专家 {ms(five)}", f"{largest} 位 ≤ 3 倍，≤ 200 MB", ok)

        # an evidence log of 100,000 outage rows
        rows = 20_000 if args.quick else 100_000
        log = big_evidence(work / "big-evidence.xlsx", rows)
        read = median_seconds([sys.executable, "-c", "import sys; from python_calamine import CalamineWorkbook as W; "
                               "W.from_path(sys.argv[1]).get_sheet_by_name('服务中断').to_python()", str(log)], runs)
        cells = []
        for c in codes:
            t, mb = c.peak(["summarize", str(SAMPLE), "--evidence", str(log), "--out", str(work / "e.xlsx")])
            cells.append(f"{ms(t)}（{t / read:.0f} 倍），峰值 {mb:.0f} MB" + ("，拒绝：超过读取上限" if c.refused else ""))
        table.row(f"证据材料 {rows:,} 行中断记录（summarize 整个进程）", cells, f"calamine 读取 {ms(read)}",
                  "≤ 5 s，≤ 200 MB", t <= 5 and mb <= 200 and not last.refused)

        # the spreadsheet functions
        # in FUNCTION_PROCESSES processes per tree, interleaved, each figure the best of all: a best of 15 in one
        # process still met the machine in one state for the whole second it took (one run in four measured
        # SC_AVAILABILITY and SC_PANEL half again slower, both trees alike, and the numpy floors too)
        results: dict[str, dict[str, float]] = {}
        for _ in range(FUNCTION_PROCESSES):
            for c in codes:
                done = subprocess.run([sys.executable, "-c", FUNCTIONS, str(c.root), str(runs)], capture_output=True,
                                      text=True, env=c.env)
                if done.returncode:
                    raise SystemExit(done.stderr[-3000:])
                got = json.loads(done.stdout)
                results[c.name] = {k: min(v, results.get(c.name, got)[k]) for k, v in got.items()}
        now = results[last.name]
        for key, label, target, limit, floor in (
                ("panel", "SC_PANEL 10,000 项 × 9 位专家", "≤ 20 ms", 0.020, "panel_floor"),
                ("late", "SC_LATE_REPLIES 10,000 行", "≤ 10 ms", 0.010, "late_floor"),
                ("availability", "SC_AVAILABILITY 10,000 次中断", "≤ 10 ms", 0.010, "availability_floor"),
                ("whole_column", "SC_WORKDAYS 节假日表为整列 A:A", "≤ 50 ms", 0.050, None),
                ("whole_columns", "SC_DEADLINE 节假日表为整列 A:B", "≤ 50 ms", 0.050, None),
                ("scorecard", "SC_SCORECARD 13 项 × 5 位专家", "≤ 50 ms", 0.050, None)):
            table.row(label, [f"{ms(results[c.name][key])}" + (f"（{times(results[c.name][key] / results[c.name][floor])} 倍）"
                                                              if floor else "") for c in codes],
                      f"numpy {ms(now[floor])}" if floor else "—", target, now[key] <= limit)
        for key, label in (("workdays", "SC_WORKDAYS 每次调用"), ("deadline", "SC_DEADLINE 每次调用")):
            table.row(label, [f"{results[c.name][key] * 1e6:.1f} µs（{times(results[c.name][key] / results[c.name]['call_floor'])} 倍）"
                              for c in codes],
                      f"空函数经 safe() {now['call_floor'] * 1e6:.1f} µs", "≤ 5 µs（10,000 次）", now[key] <= 5e-6)

        # batch: the pool against one process
        five = work / "five"
        shutil.copytree(SAMPLE, five, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
        batch_folders = []
        for k in range(panels):
            folder = work / "batch" / f"组{k:03d}"
            shutil.copytree(five, folder)
            batch_folders.append(str(folder))
        cells = []

        def batch_run(c: Code, *extra: str) -> tuple[float, float]:
            out = work / "batch-out"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            return c.peak(["batch", *batch_folders, "--out-dir", str(out), *extra])

        for c in codes:
            if c is last:
                # serial and pooled runs in pairs, the ratio of each pair (the two runs meet the machine in the same
                # state), and the median of the ratios: one pair of single runs moved by ±0.1 with the machine
                pairs = [(batch_run(c, "--jobs", "1"), batch_run(c)) for _ in range(runs)]
                ratio = statistics.median(p[1][0] / p[0][0] for p in pairs)
                serial = statistics.median(p[0][0] for p in pairs)
                pooled = statistics.median(p[1][0] for p in pairs)
                mb = max(p[1][1] for p in pairs)
                cells.append(f"{ratio:.2f} 倍（{ms(pooled)}，每组 {pooled / panels * 1000:.0f} ms），峰值 {mb:.0f} MB")
            else:
                serial = batch_run(c)[0]
                cells.append(f"1.00 倍（一个进程 {ms(serial)}）")
        (work / "cpu_floor.py").write_text(CPU_FLOOR, encoding="utf-8")
        cpu = float(subprocess.run([sys.executable, str(work / "cpu_floor.py"), "8"], capture_output=True, text=True,
                                   check=True).stdout)
        table.row(f"batch {panels} 个考核组 ÷ 一个进程", cells,
                  f"--jobs 1：{ms(serial)}；纯计算进程池 ÷ 一个进程 {cpu:.2f} 倍（本机此刻能给的并行）", "≤ 0.6 倍，≤ 200 MB",
                  ratio <= 0.6 and mb <= 200)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
