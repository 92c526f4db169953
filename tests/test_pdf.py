"""What people sign and pay from, printed (issue 11): the summary's PDF and the expert sheet, rendered by
LibreOffice and read back with pdftotext -layout: no ###, every amount printed as formatted, 大写 equal to
the amount, and the pages each document promises."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.capitals import rmb_capitals
from scoring.excel.libreoffice import convert, find_soffice
from scoring.workflow import summarize
from tests.conftest import write_expert_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"
pytestmark = pytest.mark.skipif((find_soffice() is None or shutil.which("pdftotext") is None)
                                and not os.environ.get("CI"), reason="LibreOffice or poppler not installed")


def pdf_pages(workbook: Path, folder: Path) -> list[str]:
    """The text of every printed page (pdftotext -layout), in order."""
    pdf = convert(workbook, "pdf", folder)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def page_of(pages: list[str], *texts: str) -> list[int]:
    """The pages on which every one of `texts` is printed."""
    return [k for k, page in enumerate(pages) if all(t in page for t in texts)]


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def check_printed(pages: list[str], a) -> None:
    s = a.settlement
    text = "\n".join(pages)
    assert "###" not in text
    notice = page_of(pages, "扣款通知书", "（盖章）")
    assert len(notice) == 1, "the notice is exactly one page, from its title to the stamp"
    page = pages[notice[0]]
    for amount in (s.fee, s.assessment, s.crypto_penalty, s.total, s.payable):
        assert money(amount) in page and rmb_capitals(amount) in page, amount  # 大写 beside its amount
    assert f"{float(a.panel.total):.2f}" in page and a.grade in page
    finance = page_of(pages, "服务费扣款计算")
    assert len(finance) == 1
    for line in s.lines:
        assert money(line.amount) in pages[finance[0]] and rmb_capitals(line.amount) in pages[finance[0]]
    summary = page_of(pages, "绩效考核汇总表", "稳健性检查")
    assert len(summary) == 1, "汇总: the result and the robustness checks on one page"
    assert len(page_of(pages, "考核专家签字", "考核组织人")) == 1


def test_the_demo_summary_prints_every_amount_and_its_capitals_without_hashes(tmp_path):
    path = tmp_path / "summary.xlsx"
    a = summarize([SAMPLE], path, evidence=EVIDENCE)
    pages = pdf_pages(path, tmp_path)
    check_printed(pages, a)
    items = page_of(pages, "各分项得分", "培训服务")
    assert len(items) == 1  # 13 items on one page under their header
    evidence = page_of(pages, "证据材料与规则结论", "系统可用性（R6）")
    assert len(evidence) == 1 and pages[evidence[0]].count("99.98037%") == 3  # allowed range, value, conclusion
    # the conclusion in words on one printed line, not wrapped in a narrow cell and cut off after 允许 7–
    assert any("99.98037%（停机 52 分钟），允许 7–8 分" in line and "264960" in line
               for line in pages[evidence[0]].splitlines())
    # 87号令 Art. 64: the review hints print on their own page after the signatures, one line per outlier
    signing = page_of(pages, "考核专家签字", "“复核提示”表")
    hints = page_of(pages, "复核提示（财政部令第87号第六十四条）", "scorecard correct 的参数")
    assert len(signing) == 1 and len(hints) == 1 and hints[0] == signing[0] + 1
    assert "--expert 赵六 --item drills --reason outlier" in pages[hints[0]]


def test_a_corrected_summarys_notice_says_so_and_stays_one_page(tmp_path):
    """87号令 Art. 64: the 通知书 of a corrected summary says the result follows a 复核 (the supplier and
    finance are sent that page), still one page with every amount and its 大写."""
    from scoring.correction import BEFORE, Correction

    path = tmp_path / "corrected.xlsx"
    fix = Correction(expert="赵六", item="drills", old=Decimal("4"), new=Decimal("3"), reason="outlier", by="王秘书",
                     at=datetime(2027, 1, 5, 10, 0), stage=BEFORE)
    a = summarize([SAMPLE], path, evidence=EVIDENCE, corrections=[fix])
    pages = pdf_pages(path, tmp_path)
    check_printed(pages, a)
    [notice] = page_of(pages, "扣款通知书", "（盖章）")
    assert "复核更正1处评分后确定" in "".join(pages[notice].split())


def test_availability_is_cut_to_the_digits_of_the_evidence_text_not_rounded():
    """R6 compares exact values; 99.9754666...% prints 99.97546% in the text and the cell alike (issue 11)."""
    from fractions import Fraction

    from scoring.evidence.allowed import percent
    from scoring.report import availability_digits
    value = Fraction(99975466, 10**8) + Fraction(2, 3 * 10**8)
    assert percent(value) == "99.97546%" and availability_digits(value) == Decimal("0.9997546")


def test_a_panel_below_60_with_the_largest_fee_prints_without_hashes(tmp_path):
    """R4: below 60 points half the fee is deducted; 99,999,999.99 x 50 % = 49,999,999.995 -> 50,000,000.00."""
    low = {"report": 2, "platform": 1, "onsite": 3, "policies": 1, "availability": 2, "incidents": 1, "response": 2,
           "drills": 3, "mlps": 1, "crypto": 0, "data_security": 10, "satisfaction": 2, "training": 2}
    for k, expert in enumerate(("甲", "乙", "丙")):
        write_expert_workbook(tmp_path, expert, {**low, "report": 2 + k})
    path = tmp_path / "s.xlsx"
    a = summarize([tmp_path], path, fee="99999999.99")
    assert a.panel.total < 60 and a.settlement.total == Decimal("50000000.00")
    assert a.settlement.payable == Decimal("49999999.99")
    (tmp_path / "pdf").mkdir()
    check_printed(pdf_pages(path, tmp_path / "pdf"), a)


def test_the_expert_sheet_is_one_page_with_the_total_above_the_signature(tmp_path):
    from scoring.workflow import new_panel
    path = new_panel("2026H2", "张三,李四,王五", tmp_path / "panel", evidence=EVIDENCE)[0]
    pages = pdf_pages(path, tmp_path)
    assert len(pages) == 1 and "###" not in pages[0]
    lines = pages[0].splitlines()
    total = next(k for k, line in enumerate(lines) if line.strip().startswith("合计"))
    signature = next(k for k, line in enumerate(lines) if "专家签字" in line)
    assert total < signature


def test_long_tables_of_a_large_panel_repeat_their_own_header_on_every_page(tmp_path):
    """41 experts: the robustness checks, the scores and the signatures run over pages, each with its header."""
    for k in range(41):
        write_expert_workbook(tmp_path, f"专家{k:02d}", {"report": 4 + k % 9, "onsite": 12 - k % 5})
    path = tmp_path / "s.xlsx"
    summarize([tmp_path], path)
    (tmp_path / "pdf").mkdir()
    pages = pdf_pages(path, tmp_path / "pdf")
    # 汇总's 评审专家 line holds the first names and where the rest are, on one printed line
    [line] = [line for line in pages[0].splitlines() if "41 名：" in line]
    assert "专家00、专家01" in line and "等（全部名单见“评分明细”和“签字”表）" in line
    robustness = page_of(pages, "去掉专家“专家")
    assert len(robustness) > 1 and robustness == page_of(pages, "去掉专家“专家", "稳健性检查")
    signatures = page_of(pages, "□ 同意")
    assert len(signatures) > 1 and signatures == page_of(pages, "□ 同意", "异议及理由")
    import re
    details = [k for k, page in enumerate(pages) if re.search(r"专家\d\d +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d", page)]
    assert len(details) > 1 and all("分值" in pages[k] and "培训服务" in pages[k] for k in details)


def test_review_hints_that_run_over_pages_repeat_their_own_header(tmp_path):
    """87号令 Art. 64 hints of a large panel (README: each table on one page or its own header on every page):
    every page with hint rows shows the hint table's header, not the signatures' (found in review: they were
    under the signature table, whose header the 签字 sheet repeats; now a sheet of their own)."""
    for k in range(41):
        write_expert_workbook(tmp_path, f"专家{k:02d}", {"report": 4 + k % 9, "onsite": 12 - k % 5,
                                                          "drills": 2 + k % 9, "satisfaction": k % 9})
    path = tmp_path / "s.xlsx"
    summarize([tmp_path], path)
    (tmp_path / "pdf").mkdir()
    pages = pdf_pages(path, tmp_path / "pdf")
    hints = page_of(pages, "--reason outlier")
    assert len(hints) > 1
    assert all("scorecard correct 的参数" in pages[k] and "异议及理由" not in pages[k] for k in hints[1:])


def test_a_per_point_rate_prints_the_digits_it_has(tmp_path):
    """R4 as data: 0.5 % a point gives rates such as 2.375 % (0.125 % a point: 0.59375 %), which printed 2.38 % on
    the notice beside an amount that is 2.375 % of the fee (the supplier could recompute it and dispute it); up to
    six decimals of a per cent print. The shipped hosting sample: (85 - 244/3) x 0.5 % = 11/600 = 1.833333...%
    of 1,200,000.00 = 22,000.00."""
    hosting = SAMPLE / "hosting"
    path = tmp_path / "s.xlsx"
    a = summarize([hosting / "panel"], path, evidence=hosting / "panel" / "evidence" / "2026H1_证据材料.xlsx",
                  contract_path=hosting / "contract-hosting-2026.toml")
    assert a.settlement.assessment == Decimal("22000.00")
    pages = pdf_pages(path, tmp_path)
    [notice] = page_of(pages, "扣款通知书", "（盖章）")
    assert "1.833333%" in pages[notice] and "1.83%" not in pages[notice]
