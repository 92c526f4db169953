"""R8: incident levels at every boundary, and the 10 min / 1 h / 6 h commitments."""

from datetime import datetime, timedelta
from fractions import Fraction

import pytest

from scoring.evidence.incidents import check_incident, incident_level
from scoring.evidence.model import Incident


@pytest.mark.parametrize("systems, hours, lost, leaked, level", [
    (1, 2, False, False, "一般"),
    (1, Fraction(121, 60), False, False, "严重"),  # just over 2 hours
    (2, 1, False, False, "严重"),
    (4, 1, False, False, "严重"),
    (5, 1, False, False, "特大"),
    (1, 12, False, False, "严重"),
    (1, Fraction(721, 60), False, False, "特大"),  # just over 12 hours
    (1, 0, True, False, "特大"),
    (1, 0, False, True, "特大"),
    (1, None, False, False, "特大"),  # not recovered
])
def test_r8_levels(systems, hours, lost, leaked, level):
    assert incident_level(systems, hours, lost, leaked) == level


def test_r8_compliance_with_response_on_site_and_fix_limits():
    t = datetime(2026, 8, 1, 10, 0)
    ok = check_incident(Incident("A", t, t + timedelta(minutes=10), t + timedelta(hours=1), t + timedelta(hours=6),
                                 1, False, False, False))
    assert (ok.responded_in_time, ok.on_site_in_time, ok.fixed_in_time) == (True, True, True)
    assert ok.level == "严重" and ok.recovery_hours == 6
    late = check_incident(Incident("B", t, t + timedelta(minutes=11), None, t + timedelta(hours=6, seconds=1),
                                   1, False, False, False))
    assert (late.responded_in_time, late.on_site_in_time, late.fixed_in_time) == (False, None, False)
