"""Run xlwings' own "Import Functions" code (xlwings.udfs.import_udfs) on Linux and print the VBA module
it would import into Excel.

The Windows-only modules (pythoncom, pywintypes, win32com) are stubbed and the workbook is a stand-in
that captures the module file and the MacroOptions calls. Usage: python xlwings_vba.py MODULE_DIR MODULE
[WORKBOOK_NAME]; prints JSON {"vba": ..., "macro_options": [...]}.
"""

import json
import sys
import types


class ComError(Exception):
    pass


def stub(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


stub("pythoncom", CoInitialize=lambda: None, com_error=ComError)
stub("pywintypes", com_error=ComError)
win32com = stub("win32com")
win32com.client = stub("win32com.client", Dispatch=lambda obj: obj)

import xlwings  # noqa: E402
import xlwings.udfs as xludfs  # noqa: E402

# What xlwings/__init__.py binds on Windows: the decorators of xlwings.udfs.
xlwings.func, xlwings.arg, xlwings.ret = xludfs.xlfunc, xludfs.xlarg, xludfs.xlret

folder, module_name = sys.argv[1], sys.argv[2]
book_name = sys.argv[3] if len(sys.argv) > 3 else "scorecard.xlam"
sys.path.insert(0, folder)
captured = {"vba": None, "macro_options": []}


class Components:
    def Remove(self, component):
        pass

    def __call__(self, name):
        raise ComError("no such component")

    def Import(self, path):
        with open(path, encoding="utf-8") as f:
            captured["vba"] = f.read()


class Application:
    Version = "16.0"

    def MacroOptions(self, name, **options):
        captured["macro_options"].append({"name": name, **{k: v for k, v in options.items() if v is not None}})

    def Run(self, *args):
        raise AssertionError("fallback import used")


class Workbook:
    Name = book_name
    VBProject = types.SimpleNamespace(VBComponents=Components())
    Application = Application()


module = __import__(module_name)
# import_udfs looks the module up in its cache first (filetime None: not reloaded); with a real
# workbook it would also look for embedded code sheets, which needs Excel.
xludfs.udf_modules[module_name] = {"filename": module.__file__, "filetime": None, "module": module}
xludfs.import_udfs(module_name, Workbook())
print(json.dumps(captured, ensure_ascii=False))
