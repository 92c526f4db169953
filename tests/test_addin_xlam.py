"""The ribbon add-in addin/scorecard.xlam (issue 10), read back with oletools and resolved the way its own
VBA resolves its configuration at run time: project name, config sheet, user config file written by
`scorecard addin install`, interpreter, PYTHONPATH and UDF module; the buttons call macros that exist
and run functions of addin/scorecard_addin.py; no p-code, no foreign paths."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
import warnings

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names that pyparsing 3 deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

from tests.hosts.vba_parse import syntax_errors

ROOT = Path(__file__).resolve().parent.parent
XLAM = ROOT / "addin" / "scorecard.xlam"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def modules() -> dict[str, str]:
    """Module name -> source, as oletools extracts it from the add-in."""
    parser = VBA_Parser(str(XLAM))
    try:
        return {stream.split("/")[-1]: code.replace("\r\n", "\n") for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_the_addin_is_reproduced_by_its_script_from_the_sources():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_addin.py"), "--check"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr


def test_oletools_reads_back_every_module_as_its_source(modules):
    assert set(modules) == {"ThisWorkbook", "Sheet1", "xlwings", "xlwings_udfs", "ScorecardRibbon"}
    for name in ("xlwings", "xlwings_udfs", "ScorecardRibbon"):
        source = (ROOT / "addin" / "vba" / f"{name}.bas").read_text(encoding="ascii").replace("\r\n", "\n")
        assert modules[name].rstrip("\n") == source.rstrip("\n"), name
    for name in ("ThisWorkbook", "Sheet1"):
        code = "\n".join(line for line in modules[name].split("\n") if not line.startswith("Attribute "))
        assert code.strip("\n") == (ROOT / "addin" / "vba" / f"{name}.cls").read_text(encoding="ascii").strip("\n")


def test_no_p_code_or_performance_cache_that_could_disagree_with_the_source():
    """MS-OVBA 2.3.4.1: _VBA_PROJECT is 7 bytes with version 0xFFFF when there is no performance cache;
    each module stream then holds only its compressed source, from offset 0."""
    with zipfile.ZipFile(XLAM) as z:
        data = z.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(data)
    project = ole.openstream("VBA/_VBA_PROJECT").read()
    assert len(project) == 7 and project[:2] == b"\xcc\x61" and project[2:4] == b"\xff\xff"
    for name in ("xlwings", "xlwings_udfs", "ScorecardRibbon"):
        stream = ole.openstream(f"VBA/{name}").read()
        assert stream[0] == 1  # a CompressedContainer starts the stream: nothing before the source
        text = decompress_stream(bytearray(stream)).decode("ascii")
        assert text.startswith(f'Attribute VB_Name = "{name}"')


def _project_name(xlwings_vba: str) -> str:
    return re.search(r'^Public Const PROJECT_NAME As String = "([^"]+)"', xlwings_vba, re.M).group(1)


def _windows_branch(function: str, vba: str) -> str:
    """The expression assigned in the #Else (Windows) branch of a VBA function."""
    body = re.search(rf"^Function {function}\(\).*?^End Function", vba, re.M | re.S).group(0)
    return re.search(rf"#Else\s*\n\s*{function} = (.+)", body).group(1).strip()


def _evaluate(expression: str, constants: dict[str, str], environment: dict[str, str]) -> str:
    """A VBA string expression of literals, constants and Environ("X") joined with &."""
    parts = [p.strip() for p in re.split(r"&(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", expression)]
    out = []
    for part in parts:
        if m := re.fullmatch(r'"((?:[^"]|"")*)"', part):
            out.append(m.group(1).replace('""', '"'))
        elif m := re.fullmatch(r'Environ\("(\w+)"\)', part):
            out.append(environment[m.group(1)])
        else:
            out.append(constants[part])
    return "".join(out)


def _sheet_config(sheet_name: str) -> dict[str, str] | None:
    """GetConfigFromSheet: the add-in's sheet PROJECT_NAME.conf, A1 down to the first blank, keys upper case."""
    with zipfile.ZipFile(XLAM) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        sheet = next((s for s in book.iter(f"{MAIN}sheet") if s.get("name") == sheet_name), None)
        if sheet is None:
            return None
        rid = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        xml = ElementTree.fromstring(z.read(f"xl/{target}"))
    cells = {c.get("r"): "".join(t.text or "" for t in c.iter(f"{MAIN}t")) for c in xml.iter(f"{MAIN}c")}
    config, row = {}, 1
    while cells.get(f"A{row}"):
        config[cells[f"A{row}"].upper()] = cells.get(f"B{row}", "")
        row += 1
    return config


def _file_config(path: Path, key: str) -> str | None:
    """GetConfigFromFile: `Input #` pairs, the first key equal without case."""
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition(",")
        if name.strip().strip('"').lower() == key.lower():
            return value.strip().strip('"')
    return None


def test_the_config_the_vba_finds_names_interpreter_pythonpath_and_udf_module(modules, tmp_path):
    """GetConfig's layers: the active workbook's sheet, the add-in's sheet, the workbook's folder, the user file."""
    vba = modules["xlwings"]
    name = _project_name(vba)
    assert name == "scorecard"
    home, xlstart = tmp_path / "home", tmp_path / "XLSTART"
    done = subprocess.run([sys.executable, "-m", "scoring", "addin", "install", "--xlstart", str(xlstart)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env={"USERPROFILE": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert (xlstart / "scorecard.xlam").read_bytes() == XLAM.read_bytes()
    user_file = Path(_evaluate(_windows_branch("GetConfigFilePath", vba), {"PROJECT_NAME": name},
                               {"USERPROFILE": str(home)}).replace("\\", "/"))
    assert user_file == home / ".scorecard" / "scorecard.conf" and user_file.is_file()
    # addin/README.md names the same path the VBA reads
    documented = _evaluate(_windows_branch("GetConfigFilePath", vba), {"PROJECT_NAME": name},
                           {"USERPROFILE": "%USERPROFILE%"})
    assert f"`{documented}`" in (ROOT / "addin" / "README.md").read_text(encoding="utf-8")
    assert re.search(r'SheetExists\(ThisWorkbook, PROJECT_NAME & "\.conf"\)', vba)  # the add-in's own sheet
    sheet = _sheet_config(f"{name}.conf")
    assert sheet is not None, "the add-in has no sheet the VBA looks for"

    def get_config(key: str) -> str | None:
        if key in sheet:
            return sheet[key]
        return _file_config(user_file, key)

    interpreter = Path(get_config("INTERPRETER_WIN"))
    assert interpreter.name == "pythonw.exe"
    # XLPyLoadDLL loads the xlwings DLL from the interpreter's folder or its parent (a venv): sys.prefix
    assert Path(sys.prefix).resolve() in (interpreter.parent.resolve(), interpreter.parent.parent.resolve())
    pythonpath = Path(get_config("PYTHONPATH"))
    udf_module = get_config("UDF MODULES")
    assert udf_module == "udfs" and (pythonpath / "udfs.py").is_file() and (pythonpath / "scorecard_addin.py").is_file()
    assert "Interpreter_Win" not in str(sheet) and "INTERPRETER_WIN" not in sheet  # machine paths only in the user file


def test_ribbon_buttons_call_macros_that_run_the_secretarys_actions(modules):
    with zipfile.ZipFile(XLAM) as z:
        ui = z.read("customUI/customUI.xml").decode("utf-8")
    actions = re.findall(r'onAction="([\w.]+)"', ui)
    assert len(actions) == 5 and 'label="数据备份考核"' in ui
    ribbon = modules["ScorecardRibbon"]
    import importlib.util

    spec = importlib.util.spec_from_file_location("scorecard_addin_test", ROOT / "addin" / "scorecard_addin.py")
    actions_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(actions_module)
    for macro in actions:
        body = re.search(rf"^Sub {macro}\(control As IRibbonControl\)\n(.*?)^End Sub", ribbon, re.M | re.S)
        assert body, macro
        call = re.search(r'RunPython "import scorecard_addin; scorecard_addin\.(\w+)\(\)"', body.group(1))
        if call:
            assert callable(getattr(actions_module, call.group(1))), call.group(1)
        else:
            assert body.group(1).strip() == "ImportPythonUDFsToAddin" and "Sub ImportPythonUDFsToAddin()" in modules["xlwings"]
    assert syntax_errors(ribbon) == [] and syntax_errors(modules["xlwings_udfs"]) == []


def test_no_foreign_paths_or_template_names_inside():
    with zipfile.ZipFile(XLAM) as z:
        text = b"".join(z.read(n) for n in z.namelist() if n != "xl/vbaProject.bin").decode("utf-8")
    for marker in ("felix", "C:\\Users", "myaddin", "absPath"):
        assert marker not in text
    parser = VBA_Parser(str(XLAM))
    code = "".join(c for *_, c in parser.extract_macros())
    parser.close()
    assert "myaddin" not in code and "felix" not in code.lower()


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=9000), st.text("ab \r\n", max_size=12000).map(str.encode),
                 st.lists(st.sampled_from([b"Sub ", b"End Sub\r\n", b"Dim x As ", b"'", b"x", b"\r\n"]), max_size=3000)
                 .map(b"".join)))
def test_the_ovba_compressor_round_trips_through_oletools(data):
    """MS-OVBA 2.4.1: whatever scripts/ovba_compress.py writes, oletools' decompressor reads back unchanged."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from ovba_compress import compress

    assert decompress_stream(bytearray(compress(data))) == data


def test_install_keeps_the_users_other_settings_and_refuses_what_vba_cannot_read(tmp_path):
    from scoring.addin_install import read_config, write_config
    from scoring.errors import InputError

    path = tmp_path / ".scorecard" / "scorecard.conf"
    write_config(path, {"LICENSE_KEY": "k", "INTERPRETER_WIN": "old"}, "utf-8")
    write_config(path, {"INTERPRETER_WIN": "new", "UDF MODULES": "udfs"}, "utf-8")
    assert read_config(path, "utf-8") == [("LICENSE_KEY", "k"), ("INTERPRETER_WIN", "new"), ("UDF MODULES", "udfs")]
    assert path.read_bytes().count(b"\r\n") == 3  # as VBA's Write # writes it
    with pytest.raises(InputError, match="系统编码"):
        write_config(path, {"PYTHONPATH": r"C:\用户\张三\scorecard\addin"}, "cp1252")
    assert read_config(path, "utf-8")[1] == ("INTERPRETER_WIN", "new")  # unchanged after the refusal


def test_every_module_has_its_attributes_before_its_code(modules):
    """Excel writes Attribute lines first; an attribute after code does not compile."""
    for name, code in modules.items():
        lines = [line for line in code.split("\n") if line.strip()]
        attributes = [k for k, line in enumerate(lines) if line.startswith("Attribute ")]
        assert attributes == list(range(len(attributes))), name
        assert lines[0] == f'Attribute VB_Name = "{name}"', name


def test_the_function_wizard_gets_the_descriptions_xlwings_import_would_set(modules):
    """Workbook_Open calls MacroOptions with the docstrings and @arg docs of udfs.py, decoded here from the
    UTF-16 code units the cp1252 project stores, equal to what xlwings' own import_udfs passes."""
    from tests.test_addin_hosts import generated_vba

    code = modules["ThisWorkbook"]
    body = code.split("Private Sub Workbook_Open()")[1].split("End Sub")[0]
    values: dict[str, str] = {}
    calls = {}
    for line in body.split("\n"):
        line = line.strip()
        if m := re.fullmatch(r'(\w+(?:\(\d+\))?) = ""', line):
            values[m.group(1)] = ""
        elif m := re.fullmatch(r'(\w+(?:\(\d+\))?) = \1 & U\("([0-9A-F ]+)"\)', line):
            values[m.group(1)] += "".join(chr(int(c, 16)) for c in m.group(2).split())
        elif line.startswith("ReDim a("):
            values = {k: v for k, v in values.items() if not k.startswith("a(")}
        elif m := re.match(r"""Application\.MacroOptions Macro:="'" & ThisWorkbook\.Name & "'!(\w+)", """
                           r"Description:=d, Category:=c(, ArgumentDescriptions:=a)?$", line):
            args = [values[k] for k in sorted((k for k in values if k.startswith("a(")), key=lambda k: int(k[2:-1]))]
            calls[m.group(1)] = (values["d"], values["c"], args)
    expected = {o["name"].split("!")[1]: (o["Description"], o.get("ArgumentDescriptions") or [])
                for o in generated_vba(ROOT / "addin", "udfs")["macro_options"]}
    assert {n: (d, a) for n, (d, _, a) in calls.items()} == expected
    assert {c for _, c, _ in calls.values()} == {"数据备份考核"}
    # a document module parses as a class file; the grammar does not know three attributes Excel writes into
    # document modules (their block is compared with Excel's own below), so they are left out here
    header = "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
    unknown = ("Attribute VB_Base", "Attribute VB_TemplateDerived", "Attribute VB_Customizable")
    assert syntax_errors(header + "\n".join(line for line in code.split("\n") if not line.startswith(unknown))) == []


def test_document_modules_carry_the_attributes_excel_writes(modules):
    """The attribute block of a workbook and a sheet module as Excel saved them in xlwings' quickstart add-in."""
    import xlwings

    parser = VBA_Parser(str(Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"))
    excel = {name: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    parser.close()
    for ours, theirs in (("ThisWorkbook", "ThisWorkbook.cls"), ("Sheet1", "Sheet2.cls")):
        block = [line for line in modules[ours].split("\n") if line.startswith("Attribute ")]
        assert block == excel[theirs].replace("Sheet2", "Sheet1").strip("\n").split("\n")
