"""Regenerate the second contract's sample period in workbooks/hosting/panel/: its evidence workbook and five
experts' filled scoring workbooks, made by the same writer as the embedded contract's sample (sample_panel.py).

Run from the repository root: python scripts/make_hosting_sample.py

The contract (workbooks/hosting/contract-hosting-2026.toml, hypothetical) differs in shape from the
embedded one: 14 items in 5 categories, trimmed-mean aggregation, deduction tiers at 85/70/60, other
availability bands and deadlines. The evidence: overlapping outages of 100 minutes together (99.96163 %,
9-10 points), a work order received before the 劳动节 holiday and answered late (工单响应 fixed at 4), one
complaint (用户满意度 at most 12), a late June report.
"""

from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "workbooks" / "hosting"
CONTRACT = ROOT / "contract-hosting-2026.toml"
PANEL = ROOT / "panel"
PERIOD = "2026H1"
EVIDENCE = {
    "服务中断": [
        (datetime(2026, 3, 10, 2, 0), datetime(2026, 3, 10, 3, 30), "宿主机故障"),
        (datetime(2026, 3, 10, 3, 0), datetime(2026, 3, 10, 3, 40), "同一故障的迁移恢复"),
    ],
    "需求函": [
        ("GD-2026-01", date(2026, 2, 10), date(2026, 2, 12), "新建云主机 4 台"),
        ("GD-2026-02", date(2026, 4, 30), date(2026, 5, 8), "劳动节前提交的扩容工单"),
    ],
    "运行月报": [
        (date(2026, 1, 1), date(2026, 2, 6), "是"),
        (date(2026, 2, 1), date(2026, 3, 9), "是"),
        (date(2026, 3, 1), date(2026, 4, 8), "是"),
        (date(2026, 4, 1), date(2026, 5, 9), "是"),
        (date(2026, 5, 1), date(2026, 6, 10), "是"),
        (date(2026, 6, 1), date(2026, 7, 15), "是"),
    ],
    "故障": [
        ("GZ-H1", datetime(2026, 3, 10, 2, 0), datetime(2026, 3, 10, 2, 10), datetime(2026, 3, 10, 3, 0),
         datetime(2026, 3, 10, 3, 40), 1, "否", "否", "否", "宿主机故障"),
    ],
    "投诉与未接电话": [(date(2026, 5, 20), "投诉", "扩容工单逾期")],
}
# compute storage network scaling uptime tickets faults monthly firewall secrecy audit staffing records rating
SCORES = {
    "孙一": ("7", "6", "4", "4", "9", "4", "4", "3", "6", "8", "3", "6", "5", "10"),
    "周二": ("6", "5", "4", "3", "9.5", "4", "3", "3", "7", "8", "3", "7", "5", "11"),
    "吴三": ("7.5", "6", "5", "4", "10", "4", "4", "4", "6", "8", "4", "6", "6", "12"),
    "郑四": ("5", "4", "3", "3", "9", "4", "2", "2", "5", "8", "2", "5", "4", "8"),
    "冯五": ("8", "7", "5", "5", "10", "4", "5", "4", "8", "8", "4", "8", "7", "12"),
}



def main() -> None:
    from sample_panel import Sample, write_sample  # scripts/ is on the path when this runs as a script

    write_sample(Sample(CONTRACT, PERIOD, EVIDENCE, SCORES, PANEL, date(2026, 7, 20)))


if __name__ == "__main__":
    main()
