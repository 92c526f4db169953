// Run xlwings Lite's main.py in real Pyodide under Node (issue 10): install requirements.txt offline
// from a folder of wheels, put xlwings' pure-Python package on the path (xlwings Lite provides it),
// load main.py and answer the cases with xlwings' own registration and call code (lite_driver.py).
//
//   node lite_pyodide.mjs PYODIDE_DIR WHEEL_DIR XLWINGS_DIR LITE_DIR HOSTS_DIR CASES_JSON_FILE
// prints one line of JSON.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, wheelDir, xlwingsDir, liteDir, hostsDir, casesFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: () => {} });
const mounts = { "/wheels": wheelDir, "/xlwings_src": xlwingsDir, "/lite": liteDir, "/hosts": hostsDir };
for (const [target, host] of Object.entries(mounts)) {
  pyodide.FS.mkdirTree(target);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: host }, target);
}
pyodide.globals.set("cases_json", readFileSync(casesFile, "utf8"));
let result;
try {
result = await pyodide.runPythonAsync(`
import os, shutil, site, sys, zipfile
target = site.getsitepackages()[0]
wanted = [line.split("#")[0].strip().lower().replace("-", "_") for line in open("/lite/requirements.txt", encoding="utf-8")]
wanted = [w for w in wanted if w]
for name in sorted(os.listdir("/wheels")):
    if name.endswith(".whl") and name.split("-")[0].lower() in wanted:
        zipfile.ZipFile(os.path.join("/wheels", name)).extractall(target)  # a pure-Python wheel: unpacked is installed
        wanted.remove(name.split("-")[0].lower())
if wanted:
    raise SystemExit("no wheel in the offline cache for " + ", ".join(wanted))
shutil.copytree("/xlwings_src", os.path.join(target, "xlwings"), ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
sys.path.insert(0, "/hosts")
import lite_driver
await lite_driver.run_async("/lite", cases_json)
`);
} catch (err) {
  // a Python error: its traceback only (Node would print the minified Pyodide runtime around it)
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
console.log(result);
