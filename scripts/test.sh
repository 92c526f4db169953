#!/usr/bin/env bash
# The project's test command (README.md): installs what the tests need on a bare machine, then runs them.
# Python packages through pip; LibreOffice (formula recalculation, PDF) and poppler (pdftotext) through apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${need[*]} (apt-get)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# xlwings Lite's host check (tests/test_addin_lite.py): Pyodide from the npm registry, and the wheels of
# addin/lite/requirements.txt in an offline cache that Pyodide installs from (no network inside the test).
lite_cache=.cache/lite
if command -v npm >/dev/null 2>&1; then
  if [ ! -f "$lite_cache/node_modules/pyodide/pyodide.mjs" ]; then
    mkdir -p "$lite_cache"
    npm install --prefix "$lite_cache" --no-save --no-audit --no-fund --loglevel=error pyodide@314.0.7 >/dev/null \
      || echo "npm could not install pyodide: the xlwings Lite check will be skipped" >&2
  fi
else
  echo "npm is missing: the xlwings Lite check (Pyodide under Node) will be skipped" >&2
fi
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  -d "$lite_cache/wheels" -r addin/lite/requirements.txt \
  || echo "pip could not download the Lite wheels: the xlwings Lite check will be skipped" >&2

# the public API's types (files listed under [mypy] in setup.cfg)
python3 -m mypy
python3 -m pytest -q "$@"
