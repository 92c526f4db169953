"""Regenerate docs/contract-data.md from the declared keys. Run from the repository root:
python scripts/make_contract_docs.py"""

from pathlib import Path

from scoring.datadoc import contract_data_markdown

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "contract-data.md"
    target.write_text(contract_data_markdown(), encoding="utf-8")
    print(target)
