"""The Excel edge: workbook writers and readers. The rules never import from here.

openpyxl imports numpy whenever it is installed, only to accept numpy scalars as cell values; this
package never writes one, and numpy (installed for the spreadsheet functions' fast paths) would add
a tenth of a second to every command that opens a workbook. So openpyxl is first imported here with
numpy hidden, unless numpy is already loaded (then openpyxl uses it as usual). By name, through
importlib: where openpyxl is absent (xlwings Lite, scripts/make_lite.py) nothing is imported.
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
