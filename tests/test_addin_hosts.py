"""The add-in in its hosts, through the hosts' own code (issue 10, interfaces.md §3):

- desktop Excel: xlwings' own "Import Functions" code writes the VBA wrapper module for addin/udfs.py
  (Windows-only modules stubbed, scripts/xlwings_vba.py) and the module parses with the ANTLR
  VBA grammar (antlr4-vba); every argument name is a safe VBA and Excel name.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.hosts.vba_parse import syntax_errors

ROOT = Path(__file__).resolve().parent.parent

# VBA reserved words and statement keywords (MS-VBAL 3.3.5.2 and the statements of chapter 5), the names
# of VBA's own functions that are parsed as keywords (Date, Error, Name ...), and the identifiers the
# xlwings wrapper itself uses inside every function (argsArray, k, failed).
VBA_RESERVED = frozenset("""
abs access addressof alias and any append array as assert attribute base beep begin binary boolean byref
byte byval call case cbool cbyte ccur cdate cdbl cdec cdecl chdir chdrive cint circle class clng clnglng
clngptr close compare const csng cstr currency cvar cverr date debug decimal declare defbool defbyte
defcur defdate defdbl defdec defint deflng deflnglng deflngptr defobj defsng defstr defvar dim do double
each else elseif empty end endif enum eqv erase error event exit explicit false filecopy fix for friend
function get global gosub goto if imp implements in input instrb int integer is kill len lenb let lib like
line lock long longlong longptr loop lset me mid midb mkdir mod module name new next not nothing null
object on open option optional or output paramarray preserve print private property ptrsafe public put
raiseevent random randomize read redim rem reset resume return rmdir rset savepicture savesetting scale
seek select sendkeys set setattr sgn shared single spc static step stop string sub tab text then time to
true type typeof unload until variant vb_name wend while width with withevents write xor
argsarray k failed
""".split())

# Names Excel reads as cell references (A1 style up to XFD1048576, R1C1 style, R and C alone).
CELL_LIKE = (re.compile(r"^[a-z]{1,3}[0-9]+$", re.I), re.compile(r"^r[0-9]*c[0-9]*$", re.I),
             re.compile(r"^[rc]$", re.I))


def unsafe_names(function) -> list[str]:
    """The argument names of `function` that would break the generated VBA or read as a cell."""
    bad = []
    for name in inspect.signature(function).parameters:
        if (name.lower() in VBA_RESERVED or any(p.match(name) for p in CELL_LIKE)
                or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,254}", name)):
            bad.append(name)
    return bad


def generated_vba(folder: Path, module: str) -> dict:
    """xlwings' import_udfs run on `module` in `folder`: the VBA module and the MacroOptions calls."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "xlwings_vba.py"), str(folder), module],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def desktop():
    return generated_vba(ROOT / "addin", "udfs")


def udf_functions():
    from tests.test_addin import udfs

    return {n: f for n, f in vars(udfs).items() if n.startswith("sc_") and callable(f)}


def test_every_argument_name_is_safe_in_vba_and_excel():
    functions = udf_functions()
    assert len(functions) >= 14
    assert {n: unsafe_names(f) for n, f in functions.items() if unsafe_names(f)} == {}


@pytest.mark.parametrize("name", ["end", "date", "type", "name", "print", "option", "step", "error", "a1",
                                  "fy2027", "r1c1", "R", "k", "_x"])
def test_the_name_check_refuses_reserved_and_cell_like_names(name):
    namespace: dict = {}
    exec(f"def f(start, {name}=None):\n    pass", namespace)
    assert unsafe_names(namespace["f"]) == [name]


def test_xlwings_writes_a_vba_module_that_parses_in_both_branches(desktop):
    vba = desktop["vba"]
    names = set(re.findall(r"^Function (\w+)\(", vba, re.M))
    assert names == set(udf_functions())
    assert syntax_errors(vba) == []  # Excel: #Const App = "Microsoft Excel"
    assert syntax_errors(vba, {"App": "Other"}) == []  # the #Else branch


def test_the_function_wizard_shows_chinese_descriptions_for_every_argument(desktop):
    options = {o["name"].split("!")[1]: o for o in desktop["macro_options"]}
    assert set(options) == set(udf_functions())
    for name, o in options.items():
        assert re.search(r"[\u4e00-\u9fff]", o["Description"]) and len(o["Description"]) <= 255, name
        for doc in o["ArgumentDescriptions"]:
            assert re.search(r"[\u4e00-\u9fff]", doc) and len(doc) <= 255, (name, doc)


def test_a_reserved_word_as_argument_breaks_the_generated_module(tmp_path):
    """The defect of issue 10: `end` as an argument name; xlwings writes it into the VBA signature."""
    (tmp_path / "badudfs.py").write_text(textwrap.dedent('''
        from xlwings import func

        @func
        def sc_workdays(start, end, holidays_range=None):
            """x"""
            return 0
    '''), encoding="utf-8")
    vba = generated_vba(tmp_path, "badudfs")["vba"]
    assert "Function sc_workdays(start, end, Optional holidays_range)" in vba
    assert syntax_errors(vba) != []
