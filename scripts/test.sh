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

# the public API's types (files listed under [mypy] in setup.cfg)
python3 -m mypy
python3 -m pytest -q "$@"
