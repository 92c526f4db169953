"""R6: availability from the outage log, exact bands."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, strategies as st

from scoring.calendar import make_calendar
from scoring.evidence.availability import availability, band, merge
from scoring.evidence.model import Outage

H2 = (date(2026, 7, 1), date(2026, 12, 31))
T0 = datetime(2026, 8, 1, 10, 0)


def outage(start: datetime, minutes: float, **kw) -> Outage:
    return Outage(start, start + timedelta(minutes=minutes), **kw)


def test_r6_worked_example_52_and_53_minutes_over_184_days():
    a52 = availability([outage(T0, 52)], *H2)
    assert a52.total_minutes == 264_960
    assert a52.value == Fraction(264_960 - 52, 264_960)
    assert band(a52.value) == (Decimal(7), Decimal(8))  # 99.98037 %
    a53 = availability([outage(T0, 53)], *H2)
    assert band(a53.value) == (Decimal(3), Decimal(6))  # 99.97999 %


def test_r6_bands_compare_the_exact_value_at_the_boundaries():
    assert band(Fraction(9998, 10000)) == (3, 6)  # exactly 99.98 % is not above it
    assert band(Fraction(9998, 10000) + Fraction(1, 10**12)) == (7, 8)
    assert band(Fraction(9986, 10000)) == (0, 3)
    assert band(Fraction(9986, 10000) + Fraction(1, 10**12)) == (3, 6)
    assert band(Fraction(0)) == (0, 3)


def test_r6_overlapping_and_repeated_outages_count_once():
    logs = [outage(T0, 40), outage(T0 + timedelta(minutes=30), 22), outage(T0, 40)]
    a = availability(logs, *H2)
    assert a.outage_minutes == 52 and len(a.intervals) == 1


def test_r6_outages_are_clipped_to_the_period():
    start = datetime(2026, 6, 30, 23, 30)  # 30 minutes before the period
    end = datetime(2026, 12, 31, 23, 50)  # 10 minutes inside, 20 after
    a = availability([outage(start, 45), outage(end, 30)], *H2)
    assert a.outage_minutes == 15 + 10


def test_r6_service_year_span_and_seconds_are_exact():
    a = availability([outage(T0, 0.5)], date(2026, 7, 1), date(2027, 6, 30))
    assert a.total_minutes == 365 * 1440 and a.outage_minutes == Fraction(1, 2)


def test_r6_announced_maintenance_excluded_only_with_the_policy():
    cal = make_calendar()
    planned = Outage(datetime(2026, 11, 20, 22), datetime(2026, 11, 20, 23), "检修", announced=date(2026, 11, 10))
    late_notice = Outage(datetime(2026, 11, 20, 22), datetime(2026, 11, 20, 23), "检修", announced=date(2026, 11, 12))
    assert availability([planned], *H2).outage_minutes == 60
    # 2026-11-10 + 7 working days = 11-19 <= 11-20: announced in time
    assert availability([planned], *H2, exclude_announced=True, calendar=cal).outage_minutes == 0
    # 2026-11-12 + 7 working days = 11-23 > 11-20: counts
    assert availability([late_notice], *H2, exclude_announced=True, calendar=cal).outage_minutes == 60


intervals = st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 600)), max_size=12).map(
    lambda xs: [outage(T0 + timedelta(minutes=a), b) for a, b in xs])


@given(intervals, st.tuples(st.integers(-10_000, 300_000), st.integers(1, 5_000)))
def test_property_adding_an_outage_never_raises_availability(log, extra):
    before = availability(log, *H2).value
    after = availability(log + [outage(T0 + timedelta(minutes=extra[0]), extra[1])], *H2).value
    assert after <= before


@given(intervals, st.randoms())
def test_property_merge_is_idempotent_and_order_independent(log, rnd):
    pairs = [(o.start, o.end) for o in log]
    once = merge(pairs)
    assert merge(once) == once
    shuffled = pairs[:]
    rnd.shuffle(shuffled)
    assert merge(shuffled) == once
    assert all(a < b for a, b in once) and all(once[i][1] < once[i + 1][0] for i in range(len(once) - 1))
