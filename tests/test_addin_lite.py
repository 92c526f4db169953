"""xlwings Lite (issue 10): the generated main.py in real Pyodide (npm package `pyodide`, under Node),
its requirements.txt installed offline from the wheel cache scripts/test.sh downloads, every function
registered by xlwings' own custom_functions_meta and answering through custom_functions_call exactly
as the core does, on a table of cases shaped as Office.js sends them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from scoring import functions as F
from tests.test_addin_scorecard import ITEMS

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("SCORECARD_LITE_CACHE", ROOT / ".cache" / "lite"))
PYODIDE = CACHE / "node_modules" / "pyodide"
WHEELS = CACHE / "wheels"



def _sample_panel() -> list[list[float]]:
    """The shipped sample panel (workbooks/2026H2_*.xlsx) as a 13 x 5 block."""
    from scoring.excel.reader import read_panel
    from tests.conftest import CONTRACT, RUBRIC

    sheets, _ = read_panel(sorted((ROOT / "workbooks").glob("2026H2_*.xlsx")), RUBRIC, CONTRACT.id)
    return [[float(s.scores[i.id]) for s in sheets] for i in RUBRIC.items]


DEMO = _sample_panel()
HOLIDAYS = [[date(2027, 1, 1), "休息日"], [date(2027, 1, 4), "工作日"], [None, None]]

# (function, arguments as a user gives them in cells); dates become serial numbers on the way (Office.js).
CASES = [
    ("sc_grade", [79.5]), ("sc_grade", ["７９．５"]), ("sc_grade", [90, "upper-bound-inclusive"]), ("sc_grade", ["#N/A"]),
    ("sc_grade", [0.1 + 0.2 + 79.2]), ("sc_deduction_rate", [76.5]), ("sc_deduction", [76.5, 582000, "是"]),
    ("sc_deduction", [79.5, 582000]), ("sc_deduction", [70, "#DIV/0!"]),
    ("sc_panel", [[[7, 8, 9], [1, 2, 3]], "mean"]), ("sc_panel", [[[7, 8, 9], [1, 2, 30]]]),
    ("sc_scorecard", [DEMO, 582000]), ("sc_scorecard", [DEMO, None, "trimmed-mean", None, "是"]),
    ("sc_scorecard", [[[i.id] + row for i, row in zip(ITEMS, DEMO)]]), ("sc_scorecard", [DEMO[:3]]),
    ("sc_category", [DEMO, "服务质量"]), ("sc_category", [DEMO, "capability", "mean"]),
    ("sc_workdays", [date(2026, 10, 1), date(2026, 10, 12)]), ("sc_workdays", ["2026-11-02", "2026-11-06"]),
    ("sc_workdays", [date(2026, 12, 28), date(2027, 1, 8), HOLIDAYS]),
    ("sc_deadline", [date(2026, 9, 30), 3]), ("sc_deadline", [date(2026, 12, 30), 3, HOLIDAYS]),
    ("sc_deadline", [date(2026, 12, 30), 3]), ("sc_deadline", ["明天", 3]),
    ("sc_availability", [date(2026, 7, 1), date(2026, 12, 31), [[datetime(2026, 8, 1, 10)]],
                         [[datetime(2026, 8, 1, 11, 30)]]]),
    ("sc_availability_band", [0.99985]), ("sc_availability_band", [99.9]),
    ("sc_late_replies", [[[date(2026, 9, 30)], [date(2026, 11, 2)]], [[date(2026, 10, 12)], [None]]]),
    ("sc_incident_level", [2, 5, "否", "否"]), ("sc_incident_level", [1, None, "是"]),
    ("sc_check", ["availability", 7.5, 0.99981]), ("sc_check", ["response", 8, 2]), ("sc_check", ["nothing", 1]),
    ("sc_late_payment", [579090, date(2027, 4, 1), date(2027, 5, 6)]),
]


def serial(value):
    if isinstance(value, datetime):
        return (value - datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(value, date):
        return float((value - date(1899, 12, 30)).days)
    return value


def office_js(value):
    """An argument as Office.js passes it to xlwings: always a 2-D list; dates as serial numbers."""
    if isinstance(value, list):
        table = value if value and isinstance(value[0], list) else [value]
        return [[serial(v) for v in row] for row in table] if table else [[None]]
    return [[serial(value)]]


def expected(name: str, args: list):
    """The core's answer, as a 2-D list the way xlwings writes it back (dates as serial numbers)."""
    value = F.safe(getattr(F, name), *args)
    if isinstance(value, list):
        return value
    if isinstance(value, datetime):
        return [[serial(value)]]
    return [[value]]


@pytest.fixture(scope="module")
def lite(tmp_path_factory):
    node = shutil.which("node")
    if node is None or not (PYODIDE / "pyodide.mjs").exists() or not WHEELS.is_dir():
        pytest.skip(f"Pyodide or its wheel cache is missing ({CACHE}); scripts/test.sh installs them with npm and pip")
    import xlwings

    cases = tmp_path_factory.mktemp("lite") / "cases.json"
    cases.write_text(json.dumps([{"func": f, "args": [office_js(a) for a in args]} for f, args in CASES],
                                ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([node, str(ROOT / "tests" / "hosts" / "lite_pyodide.mjs"), str(PYODIDE.resolve()), str(WHEELS.resolve()),
                           str(Path(xlwings.__file__).parent), str(ROOT / "addin" / "lite"), str(ROOT / "tests" / "hosts"),
                           str(cases)], capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_function_registers_in_pyodide_with_its_safe_argument_names(lite):
    from tests.test_addin_hosts import udf_functions, unsafe_names

    functions = udf_functions()
    assert lite["registered"] == sorted(n.upper() for n in functions)
    for name, f in functions.items():
        assert lite["parameters"][name.upper()] == list(__import__("inspect").signature(f).parameters)
        assert not unsafe_names(f)
        assert all(not d.startswith("Positional argument") for d in lite["descriptions"][name.upper()])


def test_every_case_answers_in_pyodide_as_the_core_does(lite):
    assert len(lite["results"]) == len(CASES)
    for (name, args), got in zip(CASES, lite["results"]):
        want = expected(name, args)
        if isinstance(got, list) and got and isinstance(got[0][0], dict):  # a date written with its format
            got = [[cell["basicValue"] for cell in row] for row in got]
        assert got == want, (name, args)
    answered = {name for name, _ in CASES}
    assert answered == {k.lower() for k in lite["registered"]}  # every registered function is in the table
