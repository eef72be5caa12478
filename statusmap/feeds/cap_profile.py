"""How incidents read in CAP 1.2 (OASIS), after MET Norway's CAP profile where it applies to us.

One table maps each incident kind to CAP's category, responseType and severity; the public
status (as of now) gives urgency and certainty. Languages are RFC 3066 codes with the region:
bokmål is "nb-NO", not MET's "no", because we also publish nynorsk ("nn-NO") and "no" covers
both written standards, so a reader choosing an `info` by language could not tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MIMETYPE = "application/cap+xml"
CAP_LANGUAGES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


@dataclass(frozen=True)
class CapKind:
    """CAP's reading of one incident kind."""

    category: str  # Geo Met Safety Security Rescue Fire Health Env Transport Infra CBRNE Other
    response: str  # what residents should do: Avoid, Prepare, Monitor, ...
    severity: str  # Extreme Severe Moderate Minor Unknown


# Boil-water notices and discoloured water concern health (do not drink it unboiled); shutdowns,
# works and low pressure are the utility's infrastructure; sewer spills pollute the surroundings.
CAP_KINDS = {
    IncidentKind.BOIL_WATER: CapKind("Health", "Avoid", "Severe"),
    IncidentKind.SHUTDOWN: CapKind("Infra", "Prepare", "Moderate"),
    IncidentKind.PLANNED_WORKS: CapKind("Infra", "Prepare", "Minor"),
    IncidentKind.LOW_PRESSURE: CapKind("Infra", "Monitor", "Minor"),
    IncidentKind.DISCOLOURED_WATER: CapKind("Health", "Avoid", "Minor"),
    IncidentKind.SEWER: CapKind("Env", "Avoid", "Moderate"),
    IncidentKind.OTHER: CapKind("Infra", "Monitor", "Minor"),
}

# By the status the public sees: what is happening now is Immediate and Observed; planned work
# ahead is Future and Likely (plans move); a resolved incident is Past, and residents are told
# AllClear instead of the kind's response.
URGENCY = {
    IncidentStatus.ACTIVE: "Immediate",
    IncidentStatus.SCHEDULED: "Future",
    IncidentStatus.RESOLVED: "Past",
}
CERTAINTY = {
    IncidentStatus.ACTIVE: "Observed",
    IncidentStatus.SCHEDULED: "Likely",
    IncidentStatus.RESOLVED: "Observed",
}


def response_type(kind: IncidentKind, status: IncidentStatus) -> str:
    """What residents should do: the kind's response, or AllClear once it is resolved."""
    return "AllClear" if status is IncidentStatus.RESOLVED else CAP_KINDS[kind].response


def alert_status(is_demo: bool) -> str:
    """CAP status: Actual for a real municipality; Test for the demo one.

    The demo municipality's incidents are made up and nobody is to act on them: CAP's Test
    ("technical testing only, all recipients disregard"). Exercise would ask designated exercise
    participants to act, and there are none.
    """
    return "Test" if is_demo else "Actual"
