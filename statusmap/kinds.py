"""How each incident kind looks on a map: colour and line pattern.

The line pattern and the text label on each zone tell kinds apart without colour
(WCAG 1.4.1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from statusmap.models import IncidentKind


@dataclass(frozen=True)
class KindStyle:
    """Map style of one incident kind."""

    colour: str
    dash: str  # SVG stroke-dasharray; "" is a solid line
    fill_opacity: float = 0.25


KIND_STYLES = {
    IncidentKind.BOIL_WATER: KindStyle("#a50f15", ""),
    IncidentKind.SHUTDOWN: KindStyle("#08306b", "10 6"),
    IncidentKind.PLANNED_WORKS: KindStyle("#7a4100", "2 6", 0.15),
    IncidentKind.LOW_PRESSURE: KindStyle("#54278f", "14 4 2 4"),
    IncidentKind.DISCOLOURED_WATER: KindStyle("#6b4c00", "4 4"),
    IncidentKind.SEWER: KindStyle("#00441b", "10 3 2 3 2 3"),
    IncidentKind.OTHER: KindStyle("#333333", "1 5"),
}


def kind_styles_json() -> str:
    """The styles as JSON for scripts that redraw zones (the live-updating public map)."""
    return json.dumps(
        {
            kind.value: {"colour": s.colour, "dash": s.dash, "fill_opacity": s.fill_opacity}
            for kind, s in KIND_STYLES.items()
        },
        separators=(",", ":"),
    )


# The one severity order of incident kinds, most severe first: lists sort by it, then by time.
# Health first (boil water), then no water at all, then sewage, then lesser supply troubles.
SEVERITY_ORDER = (
    IncidentKind.BOIL_WATER,
    IncidentKind.SHUTDOWN,
    IncidentKind.SEWER,
    IncidentKind.LOW_PRESSURE,
    IncidentKind.DISCOLOURED_WATER,
    IncidentKind.PLANNED_WORKS,
    IncidentKind.OTHER,
)
_SEVERITY_RANK = {kind: rank for rank, kind in enumerate(SEVERITY_ORDER)}


def severity_rank(kind: IncidentKind) -> int:
    """A kind's place in SEVERITY_ORDER: 0 is the most severe."""
    return _SEVERITY_RANK[kind]
