"""Load xlwings Lite's main.py the way xlwings Lite does and answer a table of calls: the functions are
registered with xlwings' own custom_functions_meta and called through custom_functions_call, with the
arguments shaped as Office.js sends them (every argument a 2-D list, dates as serial numbers, blanks as
None). Runs inside Pyodide (tests/hosts/lite_pyodide.mjs) and, for debugging, under CPython.

    await run_async(main_dir, cases) -> {"registered": [...], "parameters": {...}, "results": [...]}
"""

import asyncio
import json
import os
import sys


async def run_async(main_dir: str, cases_json: str) -> str:
    os.environ["XLWINGS_ON_SERVER"] = "true"  # the decorators of xlwings.server, as in xlwings Lite
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    sys.path.insert(0, main_dir)
    import xlwings
    from xlwings.server import custom_functions_call, custom_functions_meta

    import main

    meta = custom_functions_meta(main)
    out = {
        "registered": sorted(f["name"] for f in meta["functions"]),
        "parameters": {f["name"]: [p["name"] for p in f["parameters"]] for f in meta["functions"]},
        "descriptions": {f["name"]: [p.get("description", "") for p in f["parameters"]] for f in meta["functions"]},
        "results": [],
    }

    if True:
        for case in json.loads(cases_json):
            data = {"func_name": case["func"], "args": case["args"], "version": xlwings.__version__,
                    "client": "Office.js", "caller_address": "Sheet1!A1", "culture_info_name": "zh-CN",
                    "date_format": "yyyy/m/d", "runtime": "1.4"}
            try:
                out["results"].append(await custom_functions_call(data, main))
            except Exception as exc:  # reported, compared by the test
                out["results"].append(f"EXCEPTION {type(exc).__name__}: {exc}")

    return json.dumps(out, ensure_ascii=False, default=str)


def run(main_dir: str, cases_json: str) -> str:
    """The same under CPython (Pyodide awaits run_async in its own event loop)."""
    return asyncio.run(run_async(main_dir, cases_json))
