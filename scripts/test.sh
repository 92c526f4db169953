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

# openpyxl writes different XML when lxml is installed (issue 11): the summary, its cached values and the demo
# run again in the other environment. Without lxml here: a second venv that adds it; with lxml: lxml switched off.
[ $# -eq 0 ] || exit 0
# (the demo, every summary test without LibreOffice, one recalculation after an edit, the printed pages, both summary writers)
xml_tests=(tests/test_cached.py tests/test_summary.py tests/test_pdf.py tests/test_xml_render.py tests/test_cli.py::test_demo_summarizes_the_shipped_sample
           -k "not changing_fee and not every_policy and not libreoffice and not late_payment and not year_end")
if python3 -c "import lxml" 2>/dev/null; then
  echo "again without lxml (OPENPYXL_LXML=False)" >&2
  OPENPYXL_LXML=False python3 -m pytest -q -p no:cacheprovider "${xml_tests[@]}"
else
  env=".venv-ci-lxml"
  [ -x "$env/bin/python" ] || python3 -m venv --system-site-packages "$env"
  # the package and pytest too, in case python3 is itself a venv whose packages the new one cannot see
  "$env/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]' lxml
  echo "again with lxml ($env)" >&2
  "$env/bin/python" -m pytest -q -p no:cacheprovider "${xml_tests[@]}"
fi
