"""Which reports an incident explains: a report of such a kind inside its area is answered with
it ("we know; here is what to do") and linked to it.

Works and shutdowns stop or disturb the supply (discoloured water after). A boil-water notice
explains no missing water or pressure: such a report there may be a new break, so it stays new
evidence for staff and the leak localiser.
"""

from __future__ import annotations

from statusmap.models import IncidentKind
from statusmap.models import ReportKind

_SUPPLY = frozenset({ReportKind.NO_WATER, ReportKind.LOW_PRESSURE, ReportKind.DISCOLOURED_WATER})
EXPLAINS: dict[IncidentKind, frozenset[ReportKind]] = {
    IncidentKind.SHUTDOWN: _SUPPLY,
    IncidentKind.PLANNED_WORKS: _SUPPLY,
    IncidentKind.LOW_PRESSURE: frozenset({ReportKind.LOW_PRESSURE}),
    IncidentKind.DISCOLOURED_WATER: frozenset({ReportKind.DISCOLOURED_WATER}),
    IncidentKind.SEWER: frozenset({ReportKind.SEWER}),
}
# The report kinds some incident may explain (the others are never looked up).
EXPLAINABLE = frozenset().union(*EXPLAINS.values())


def explains(incident: IncidentKind, report: ReportKind) -> bool:
    """Whether an incident of this kind explains a report of that kind."""
    return report in EXPLAINS.get(incident, ())
