"""Imports openpyxl with numpy hidden; every module of ours that uses openpyxl imports this module first.

openpyxl imports numpy whenever it is installed, only to accept numpy scalars as cell values; we never write
one, and numpy (installed for the spreadsheet functions' fast paths) would add a tenth of a second to every
command that opens a workbook. Unless numpy is already loaded (then openpyxl uses it as usual). By name,
through importlib: where openpyxl is absent (xlwings Lite, scripts/make_lite.py) nothing is imported.

The summarize path (scoring/excel/lean.py, the evidence reader, the summary writer) does not import
openpyxl at all unless a workbook needs its full reader: that is why this is not done by the package's
__init__ any more.
"""

import importlib
import sys

if "openpyxl" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` raise ImportError
    try:
        importlib.import_module("openpyxl")
    except ImportError:
        pass
    finally:
        del sys.modules["numpy"]
