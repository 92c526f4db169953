"""Regenerate the sample period in workbooks/: the evidence workbook and five experts' filled scoring workbooks.

Run from the repository root: python scripts/make_sample.py (the writer is sample_panel.py, shared with
make_hosting_sample.py).

The evidence is chosen to show every rule: two overlapping outages of 52 minutes together
(R6: 99.98037 %, 7-8 points), the request of rules.md's R7 example (received 2026-09-30,
replied 2026-10-12: late) and one more late reply (response fixed at 6), a 一般 and a 严重
incident, a late September report, one missed call (satisfaction at most 6). The scores give an
item-median total of 79.5 (0.5 % deduction, 2,910.00 yuan, as in R4), and flag one expert on
one item (R2.4).
"""

from datetime import date, datetime
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "workbooks"
EVIDENCE = {
    "服务中断": [
        (datetime(2026, 8, 1, 10, 0), datetime(2026, 8, 1, 10, 40), "存储网关故障"),
        (datetime(2026, 8, 1, 10, 30), datetime(2026, 8, 1, 10, 52), "同一故障的重复记录（与上一行重叠）"),
    ],
    "需求函": [
        ("XQ-2026-01", date(2026, 7, 15), date(2026, 7, 17), "新增备份系统"),
        ("XQ-2026-02", date(2026, 8, 20), date(2026, 8, 25), "扩容 20TB"),
        ("XQ-2026-03", date(2026, 9, 30), date(2026, 10, 12), "国庆前提交，调休后答复"),
        ("XQ-2026-04", date(2026, 11, 2), date(2026, 11, 6), "备份策略调整"),
        ("XQ-2026-05", date(2026, 12, 10), date(2026, 12, 14), "恢复演练数据准备"),
    ],
    "运行月报": [
        (date(2026, 7, 1), date(2026, 8, 3), "是"),
        (date(2026, 8, 1), date(2026, 9, 4), "是"),
        (date(2026, 9, 1), date(2026, 10, 8), "是"),
        (date(2026, 10, 1), date(2026, 11, 5), "是"),
        (date(2026, 11, 1), date(2026, 12, 2), "否"),
        (date(2026, 12, 1), date(2027, 1, 4), "是"),
    ],
    "故障": [
        ("GZ-01", datetime(2026, 8, 1, 10, 0), datetime(2026, 8, 1, 10, 8), datetime(2026, 8, 1, 10, 50),
         datetime(2026, 8, 1, 11, 0), 1, "否", "否", "否", "存储网关故障"),
        ("GZ-02", datetime(2026, 11, 18, 21, 0), datetime(2026, 11, 18, 21, 15), datetime(2026, 11, 18, 21, 55),
         datetime(2026, 11, 19, 1, 0), 3, "否", "否", "否", "专线中断，三个系统备份延迟"),
    ],
    "投诉与未接电话": [(date(2026, 10, 14), "未接电话", "夜间服务电话无人接听")],
    "应急演练": [(date(2026, 10, 20), "政务外网子中心数据恢复演练")],
    "培训服务": [(date(2026, 11, 15), 2, "备份平台操作培训")],
}
SCORES = {  # report platform onsite policies availability incidents response drills mlps crypto data_security satisfaction training
    "张三": ("9.5", "5", "11", "5", "7", "3.5", "6", "7", "4", "0", "10", "6", "4.5"),
    "李四": ("9", "5", "10", "5", "7", "5", "6", "6", "4", "0", "10", "6", "4"),
    "王五": ("10.5", "5.5", "11", "4.5", "7.5", "4", "6", "7", "4", "0", "10", "5", "6"),
    "赵六": ("8", "4", "9", "5", "7", "3", "6", "4", "3", "0", "10", "6", "5"),
    "钱七": ("11", "6", "12", "6", "8", "6", "6", "9", "4", "1", "10", "6", "7"),
}
NOTES = {
    "张三": {"report": "9 月月报 10 月 8 日才提交", "incidents": "GZ-02 响应超时"},
    "李四": {"onsite": "考勤表缺 11 月两天"},
    "赵六": {"drills": "仅见 1 次演练照片，预案未更新", "mlps": "测评报告未盖章"},
    "钱七": {"crypto": "密评已启动，尚未取得报告"},
}



def main() -> None:
    from sample_panel import Sample, write_sample  # scripts/ is on the path when this runs as a script

    write_sample(Sample(None, "2026H2", EVIDENCE, SCORES, OUT, date(2027, 1, 8), notes=NOTES,
                        flags={"mlps_certified": "是"}))


if __name__ == "__main__":
    main()
