"""R8: incident levels (一般 / 严重 / 特大) and the 10 minutes / 1 hour / 6 hours commitments.

The commitments run from the discovery time (在发现故障后); where the log gives none, from the
occurrence time, and the check says so (`from_occurrence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from scoring.evidence.model import Incident

GENERAL, SERIOUS, MAJOR = "一般", "严重", "特大"
RESPONSE_LIMIT = timedelta(minutes=10)
ON_SITE_LIMIT = timedelta(hours=1)
FIX_LIMIT = timedelta(hours=6)


def incident_level(systems: int, recovery_hours: Fraction | float | int | None, data_lost: bool, leaked: bool) -> str:
    """The level of an incident (R8).

    特大: 5 or more systems or clients, data lost beyond recovery, recovery over 12 hours, or a leak;
    严重: 2 to 4 systems or clients, or recovery over 2 and at most 12 hours; otherwise 一般.
    An incident not yet recovered (`recovery_hours` None) is treated as over 12 hours.
    """
    hours = None if recovery_hours is None else Fraction(recovery_hours)
    if systems >= 5 or data_lost or leaked or hours is None or hours > 12:
        return MAJOR
    if systems >= 2 or hours > 2:
        return SERIOUS
    return GENERAL


@dataclass(frozen=True)
class IncidentCheck:
    """One incident with its level and which commitments were kept (None: not recorded)."""

    incident: Incident
    level: str
    recovery_hours: Fraction | None
    responded_in_time: bool | None
    on_site_in_time: bool | None
    fixed_in_time: bool | None
    from_occurrence: bool = False  # no 发现时间 given: the deadlines were counted from the occurrence time


def _within(start: datetime, end: datetime | None, limit: timedelta) -> bool | None:
    return None if end is None else end - start <= limit


def check_incident(incident: Incident) -> IncidentCheck:
    """Level and compliance of one incident: response <= 10 min, on site <= 1 h, fixed <= 6 h, counted from
    the discovery time, or the occurrence time where none is given (R8). The level's recovery time is
    counted from the occurrence (the outage the clients suffered)."""
    start = incident.discovered or incident.occurred
    hours = None
    if incident.recovered is not None:
        delta = incident.recovered - incident.occurred
        hours = Fraction(delta.days * 86400 + delta.seconds, 3600)
    return IncidentCheck(
        incident=incident,
        level=incident_level(incident.systems, hours, incident.data_lost, incident.leaked),
        recovery_hours=hours,
        responded_in_time=_within(start, incident.responded, RESPONSE_LIMIT),
        on_site_in_time=_within(start, incident.on_site, ON_SITE_LIMIT),
        fixed_in_time=_within(start, incident.recovered, FIX_LIMIT),
        from_occurrence=incident.discovered is None,
    )
