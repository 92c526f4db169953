"""R5-R9 together: allowed ranges from a period's evidence."""

from datetime import date, datetime, timedelta

import pytest

from scoring.calendar import CalendarYearMissing
from scoring.evidence.allowed import evaluate, percent
from scoring.evidence.model import Complaint, Drill, Evidence, Incident, Outage, Report, Request, Training
from scoring.evidence.others import check_reports
from scoring.period import parse_period
from scoring.policies import Policies
from tests.conftest import CONTRACT, RUBRIC

H2, H1 = parse_period("2026H2"), parse_period("2027H1")
T = datetime(2026, 8, 1, 10, 0)


def run(evidence: Evidence, period=H2, year_end=False, policies=Policies()):
    return evaluate(evidence, RUBRIC, CONTRACT, period, year_end, policies)


def rng(findings, item):
    a = findings.allowed[item]
    return (a.low, a.high)


def incident(**kw):
    fields = dict(id="G1", occurred=T, responded=T + timedelta(minutes=5), on_site=T + timedelta(minutes=30),
                  recovered=T + timedelta(hours=1), systems=1, data_lost=False, leaked=False, concealed=False)
    fields.update(kw)
    return Incident(**fields)


def test_blank_evidence_allows_everything_but_fixes_response_and_data_security():
    f = run(Evidence())
    assert rng(f, "response") == (8, 8) and rng(f, "data_security") == (10, 10)
    assert rng(f, "availability") == (7, 8)  # no outage: 100 %
    assert rng(f, "satisfaction") == (0, 8) and rng(f, "incidents") == (0, 6) and rng(f, "crypto") == (0, 2)
    assert not f.crypto_penalty


def test_r6_availability_text_shows_the_exact_figure():
    f = run(Evidence(outages=(Outage(T, T + timedelta(minutes=52)),)))
    assert f.allowed["availability"].text == "本期可用性 99.98037%（停机 52 分钟），允许 7–8 分"
    assert percent(f.availability.value) == "99.98037%"
    f = run(Evidence(outages=(Outage(T, T + timedelta(minutes=53)),)))
    assert rng(f, "availability") == (3, 6) and "99.97999%" in f.allowed["availability"].text


def test_r6_service_year_policy_uses_the_whole_year_so_far():
    outages = (Outage(T, T + timedelta(minutes=60)),)  # in 2026H2
    holidays = ((date(2027, 1, 1), "休息日"),)
    period_only = run(Evidence(outages=outages, holidays=holidays), H1, year_end=True)
    whole_year = run(Evidence(outages=outages, holidays=holidays), H1, year_end=True,
                     policies=Policies(availability_period="service-year"))
    assert rng(period_only, "availability") == (7, 8)  # no outage in 2027H1
    assert whole_year.availability.total_minutes == 365 * 1440
    assert rng(whole_year, "availability") == (7, 8)  # 60 / 525,600 -> 99.98858 %
    assert "服务年度累计可用性" in whole_year.allowed["availability"].text


def test_r7_late_replies_fix_the_response_score():
    requests = (Request("R1", date(2026, 9, 30), date(2026, 10, 12)),  # late (deadline 10-10)
                Request("R2", date(2026, 9, 30), date(2026, 10, 10)),  # on the deadline: on time
                Request("R3", date(2026, 11, 2), None),  # never answered: late
                Request("R4", date(2026, 6, 29), date(2026, 7, 30)))  # received before the period: not counted
    f = run(Evidence(requests=requests))
    assert [(c.request.id, c.deadline, c.late) for c in f.requests] == [
        ("R1", date(2026, 10, 10), True), ("R2", date(2026, 10, 10), False), ("R3", date(2026, 11, 5), True)]
    assert rng(f, "response") == (6, 6) and "R1、R3" in f.allowed["response"].text


def test_r7_response_never_below_zero():
    requests = tuple(Request(f"R{i}", date(2026, 8, 3), None) for i in range(10))
    assert rng(run(Evidence(requests=requests)), "response") == (0, 0)


def test_r7_deadline_in_an_uncovered_year_is_an_error_naming_it():
    with pytest.raises(CalendarYearMissing) as err:
        run(Evidence(requests=(Request("R9", date(2026, 12, 30), date(2027, 1, 4)),)))
    assert err.value.year == 2027
    ok = run(Evidence(requests=(Request("R9", date(2026, 12, 30), date(2027, 1, 4)),),
                      holidays=((date(2027, 1, 1), "休息日"),)))
    assert [c.deadline for c in ok.requests] == [date(2027, 1, 5)] and rng(ok, "response") == (8, 8)


def test_r8_concealment_zeroes_incidents_and_leak_zeroes_data_security():
    f = run(Evidence(incidents=(incident(concealed=True, id="G7"),)))
    assert rng(f, "incidents") == (0, 0) and "G7" in f.allowed["incidents"].text
    assert rng(f, "data_security") == (10, 10)
    f = run(Evidence(incidents=(incident(leaked=True, id="G8"),)))
    assert rng(f, "data_security") == (0, 0) and rng(f, "incidents") == (0, 6)
    assert f.incidents[0].level == "特大"


def test_r8_incidents_outside_the_period_do_not_count():
    f = run(Evidence(incidents=(incident(occurred=datetime(2026, 6, 30, 23), recovered=datetime(2026, 7, 1, 1),
                                         concealed=True, leaked=True),)))
    assert rng(f, "incidents") == (0, 6) and rng(f, "data_security") == (10, 10)


@pytest.mark.parametrize("complaints, missed, cap", [(0, 0, 8), (1, 0, 6), (1, 1, 4), (2, 2, 0), (3, 2, 0)])
def test_r9_satisfaction_cap(complaints, missed, cap):
    rows = tuple(Complaint(date(2026, 9, 1), "投诉") for _ in range(complaints)) + tuple(
        Complaint(date(2026, 9, 2), "未接电话") for _ in range(missed))
    assert rng(run(Evidence(complaints=rows)), "satisfaction") == (0, cap)


def test_r9_reports_on_time_late_missing_and_incomplete():
    reports = [Report(date(2026, 7, 1), date(2026, 8, 5), True),  # the 5th itself is on time
               Report(date(2026, 8, 15), date(2026, 9, 6), True),  # late
               Report(date(2026, 9, 1), date(2026, 10, 2), False)]  # on time, incomplete
    checks = check_reports(reports, H2.start, H2.end)
    assert [(c.month.month, c.status, c.complete) for c in checks] == [
        (7, "按时", True), (8, "逾期", True), (9, "按时", False), (10, "未提交", False), (11, "未提交", False),
        (12, "未提交", False)]
    assert checks[5].due == date(2027, 1, 5)


def test_r9_drill_and_training_shortfall_flagged_only_at_year_end():
    ev = Evidence(drills=(Drill(date(2026, 10, 1)),), trainings=(Training(date(2026, 9, 1), 3),),
                  holidays=((date(2027, 1, 1), "休息日"),), crypto_passed=True)
    mid = run(ev)
    assert mid.allowed["drills"].flags == () and mid.allowed["training"].flags == ()
    end = run(ev, H1, year_end=True)
    assert end.drills_year == 1 and end.training_year == 3
    assert end.allowed["drills"].flags and end.allowed["training"].flags
    assert rng(end, "drills") == (0, 10)  # a flag, not a cap


def test_r5_year_end_without_crypto_forces_zero_and_penalty():
    holidays = ((date(2027, 1, 1), "休息日"),)
    f = run(Evidence(holidays=holidays), H1, year_end=True)
    assert rng(f, "crypto") == (0, 0) and f.crypto_penalty
    assert "另扣服务费 20,000.00 元" in f.allowed["crypto"].text
    passed = run(Evidence(holidays=holidays, crypto_passed=True), H1, year_end=True)
    assert rng(passed, "crypto") == (0, 2) and not passed.crypto_penalty


def test_r5_mid_year_without_crypto_has_no_penalty():
    f = run(Evidence(crypto_passed=False))
    assert rng(f, "crypto") == (0, 2) and not f.crypto_penalty


def test_r9_a_year_end_evidence_without_the_earlier_half_says_so_instead_of_a_bare_shortfall():
    """R9: the 2027H1 evidence held only 2027H1's one drill; the experts were told "服务年度演练 1 次，少于 2 次"
    though 2026H2 had its drill in the secretary's other file. The text now says the earlier half is absent."""
    holidays = ((date(2027, 1, 1), "休息日"),)
    only_h1 = run(Evidence(drills=(Drill(date(2027, 3, 1), "恢复演练"),), holidays=holidays), H1, year_end=True)
    text = only_h1.allowed["drills"].text
    assert text.startswith("本期演练 1 次，服务年度累计 1 次（服务年度演练 1 次，少于 2 次（仅含本期记录：")
    assert "本证据材料中没有 2026-07-01 至 2026-12-31 的演练记录，年终考核须填写整个服务年度的演练" in text
    whole = run(Evidence(drills=(Drill(date(2026, 9, 1), "恢复演练"), Drill(date(2027, 3, 1), "恢复演练")),
                         holidays=holidays), H1, year_end=True)
    assert whole.allowed["drills"].text == "本期演练 1 次，服务年度累计 2 次；允许 0–10 分"  # both halves: no note
    training = only_h1.allowed["training"].text  # no training row at all: the gap is named, with the shortfall
    assert "服务年度培训 0 人次，少于 4 人次（仅含本期记录" in training
    assert "本期演练 0 次" in run(Evidence(), H2).allowed["drills"].text  # not the year end: no note at all
    assert "记录" not in run(Evidence(), H2).allowed["drills"].text
