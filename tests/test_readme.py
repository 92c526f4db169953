"""Every command of the README works, in order, as written, on the layout it describes (issue 12).

The commands are parsed from README.md itself: the secretary's workflow block, and the `scorecard`
commands of the user's quick start. Between them the test does only what the README says people do
(the experts fill their sheets; the batch folders are laid out as described).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import openpyxl
import pytest

from scoring.cli import main
from scoring.excel import names
from scoring.excel.libreoffice import find_soffice

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"


def readme_commands() -> list[str]:
    """The scorecard commands of the README's user section, in order (quick start, then the workflow)."""
    text = README.read_text(encoding="utf-8")
    user = text[text.index("## 使用说明"):text.index("## Developers")]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", user, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("scorecard "):
                    commands.append(part)
    return commands


def test_the_readme_has_the_workflow_commands():
    verbs = [shlex.split(c)[1] for c in readme_commands()]
    assert verbs[:8] == ["demo", "evidence-template", "new-panel", "refresh", "summarize", "summarize", "verify", "batch"]


def experts_fill_their_sheets(folder: Path) -> None:
    """What the README's step 3 assumes happened: every expert typed a score (the top of the allowed range) and signed."""
    from datetime import date

    for path in sorted(folder.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        for name in list(wb.defined_names):
            if not name.startswith("score_"):
                continue
            sheet, cell = names.locate(wb, name)
            target = wb[sheet][cell]
            if target.protection.locked is False:  # open for the expert: its validation holds the allowed range
                top = next(float(dv.formula2) for dv in wb[sheet].data_validations.dataValidation if cell in dv.sqref)
                target.value = top
        sheet, cell = names.locate(wb, "sign_date")
        wb[sheet][cell].value = date(2027, 1, 8)
        wb.save(path)


def lay_out_batch_folders(here: Path) -> None:
    """README: each folder is a panel, its evidence in an evidence/ sub-folder."""
    for group in ("考核组1", "考核组2"):
        (here / group / "evidence").mkdir(parents=True)
        for sheet in (here / "评分表").glob("*.xlsx"):
            shutil.copyfile(sheet, here / group / sheet.name)
        shutil.copyfile(here / "2026H2_证据材料.xlsx", here / group / "evidence" / "2026H2_证据材料.xlsx")


@pytest.mark.skipif(find_soffice() is None and not os.environ.get("CI"), reason="the README's --pdf needs LibreOffice")
def test_every_readme_command_succeeds_in_order_in_a_fresh_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    filled: set[str] = set()
    laid_out = False
    for command in readme_commands():
        args = shlex.split(command)[1:]
        if args[0] == "summarize" and args[1] not in filled:  # each period's experts fill their own sheets
            experts_fill_their_sheets(tmp_path / args[1])
            filled.add(args[1])
        if args[0] == "batch" and not laid_out:
            lay_out_batch_folders(tmp_path)
            laid_out = True
        if any(a.startswith("workbooks/") for a in args) and not (tmp_path / "workbooks").exists():
            shutil.copytree(REPO / "workbooks", tmp_path / "workbooks")  # run from a clone of the project, as written
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 0, f"{command}\n{out}\n{err}"
        if args[0] == "verify":
            assert out.startswith("一致"), out
    assert (tmp_path / "2026H2_汇总.xlsx").is_file() and len(list((tmp_path / "评分表").glob("*.xlsx"))) == 5
    assert len(list((tmp_path / "评分表_更新").glob("*.xlsx"))) == 5
    # the second summarize of step 3 (no --pdf) left no PDF that disagrees with the workbook
    assert not (tmp_path / "2026H2_汇总.pdf").exists()
    assert sorted(p.name for p in (tmp_path / "汇总").iterdir()) == ["考核组1.xlsx", "考核组2.xlsx"]
    assert (tmp_path / "scorecard-demo" / "summary.xlsx").is_file()
    # the service year (issue 14): a corrected summary, a rectification notice, the year-end half, the settlement
    assert all((tmp_path / f).is_file() for f in ("2026H2_汇总_复核.xlsx", "2026H2_整改通知书.xlsx", "2027H1_汇总.xlsx",
                                                  "2026-2027_年度结算.xlsx"))
