"""R8: incident levels (一般 / 严重 / 特大) and the 10 minutes / 1 hour / 6 hours commitments.

The commitments run from the discovery time (在发现故障后); where the log gives none, from the
occurrence time, and the check says so (`from_occurrence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from scoring.evidence.model import Incident
from scoring.evidence.params import IncidentParams, default_params

GENERAL, SERIOUS, MAJOR = "一般", "严重", "特大"


def _params(params: IncidentParams | None) -> IncidentParams:
    return params or default_params("incident-log")


def incident_level(systems: int, recovery_hours: Fraction | float | int | None, data_lost: bool, leaked: bool,
                   params: IncidentParams | None = None) -> str:
    """The level of an incident (R8), with the rule's thresholds (embedded rubric below).

    特大: 5 or more systems or clients, data lost beyond recovery, recovery over 12 hours, or a leak;
    严重: 2 to 4 systems or clients, or recovery over 2 and at most 12 hours; otherwise 一般.
    An incident not yet recovered (`recovery_hours` None) is treated as over the major limit.
    """
    p = _params(params)
    hours = None if recovery_hours is None else Fraction(recovery_hours)
    if systems >= p.major_systems or data_lost or leaked or hours is None or hours > p.major_hours:
        return MAJOR
    if systems >= p.serious_systems or hours > p.serious_hours:
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


def check_incident(incident: Incident, params: IncidentParams | None = None) -> IncidentCheck:
    """Level and compliance of one incident with the rule's limits: response <= 10 min, on site <= 1 h,
    fixed <= 6 h in the embedded rubric, counted from the discovery time, or the occurrence time where none
    is given (R8). The level's recovery time is counted from the occurrence (the outage clients suffered)."""
    p = _params(params)
    start = incident.discovered or incident.occurred
    hours = None
    if incident.recovered is not None:
        delta = incident.recovered - incident.occurred
        hours = Fraction(delta.days * 86400 + delta.seconds, 3600)
    return IncidentCheck(
        incident=incident,
        level=incident_level(incident.systems, hours, incident.data_lost, incident.leaked, p),
        recovery_hours=hours,
        responded_in_time=_within(start, incident.responded, timedelta(minutes=p.response_minutes)),
        on_site_in_time=_within(start, incident.on_site, timedelta(minutes=p.on_site_minutes)),
        fixed_in_time=_within(start, incident.recovered, timedelta(minutes=p.fix_minutes)),
        from_occurrence=incident.discovered is None,
    )
