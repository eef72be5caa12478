"""Operations that change incidents: validate -> mutate -> flush -> revision + audit. The caller
commits. The lifecycle's transitions (schedule, publish, resolve, ...) are in lifecycle.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import datetime

from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session
from sqlalchemy.orm import object_session
from sqlalchemy.orm.exc import StaleDataError

from statusmap.gis.validation import validate_area
from statusmap.incidents.history import Change
from statusmap.incidents.history import changes_since
from statusmap.incidents.history import describe_changes
from statusmap.incidents.history import record_revision
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import IncidentUpdate
from statusmap.models import Municipality
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.base import utcnow
from statusmap.notify.events import record_event


class IncidentError(ValueError):
    """Input that cannot become an incident; the message says why."""


class StaleEditError(IncidentError):
    """Someone else saved the incident after this editor opened it; nothing was changed.

    `changes` lists what each later save changed (empty when two saves overlapped in time).
    """

    def __init__(self, message: str, changes: Sequence[Change] = ()) -> None:
        super().__init__(message)
        self.changes = list(changes)


def flush_as(session: Session, incident: Incident, expected_version: int) -> None:
    """Flush an edit; another editor's save that overlapped it is refused like a stale one."""
    incident_id = incident.id  # after a failed flush the session must roll back before reading
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEditError(
            f"Incident {incident_id} was changed by someone else while you saved (you had "
            f"version {expected_version}). Open it again to see their change, then make yours."
        ) from exc


def check_version(incident: Incident, expected_version: int) -> None:
    """Refuse an edit made on an older version of the incident, saying what changed since."""
    if incident.version == expected_version:
        return
    session = object_session(incident)
    changes: list[Change] = []
    if session is not None and expected_version < incident.version:
        changes = changes_since(session, incident, expected_version)
    message = [
        f"Incident {incident.id} was changed by someone else after you opened it (you had "
        f"version {expected_version}, it is now at version {incident.version})."
    ]
    if changes:
        message.append(describe_changes(expected_version, changes, utcnow()))
    message.append("Nothing was saved: open it again to see their changes, then make yours.")
    raise StaleEditError(" ".join(message), changes)


def saved(
    session: Session,
    incident: Incident,
    *,
    actor: str | Actor,
    action: str,
    obj: object = None,
    **details: object,
) -> None:
    """After the flush that saved a version: its revision, the audit row (of obj or it), and
    the notification event when residents are to hear of this version (notify.events)."""
    record_revision(session, incident, actor=actor, action=action)
    record_event(session, incident, actor=actor)
    record(
        session,
        actor=actor,
        action=action,
        obj=incident if obj is None else obj,
        municipality_id=incident.municipality_id,
        version=incident.version,
        **details,
    )


@dataclass(frozen=True)
class GeometryLimits:
    """Limits on incoming areas, from configuration."""

    max_vertices: int = 20_000
    tolerance_m: float = 2_000.0


@dataclass
class IncidentInput:
    """Everything needed to create an incident. Texts are {"nb": ..., "nn": ..., "en": ...}."""

    kind: IncidentKind
    status: IncidentStatus
    title: dict[str, str]
    area: BaseGeometry | None = None
    summary: dict[str, str] = field(default_factory=dict)
    advice: dict[str, str] = field(default_factory=dict)
    cause: dict[str, str] = field(default_factory=dict)
    starts_at: datetime | None = None
    expected_end: datetime | None = None
    resolved_at: datetime | None = None
    # Resolve by itself at expected_end. None: no for a new incident, unchanged by an edit (so a
    # form that does not show the field cannot switch it off unseen).
    auto_resolve: bool | None = None


def check_incident_input(data: IncidentInput) -> None:
    """Reject inconsistent incident data with a message naming the field."""
    if not (data.title.get("nb") or "").strip():
        raise IncidentError("An incident needs a title in bokmål.")
    if data.status is not IncidentStatus.DRAFT and data.area is None:
        raise IncidentError("Only a draft may be without an area.")
    if data.status is not IncidentStatus.DRAFT and data.starts_at is None:
        raise IncidentError("A published incident needs a start time.")
    if data.starts_at and data.expected_end and data.expected_end <= data.starts_at:
        raise IncidentError("The expected end must come after the start.")
    if (data.status is IncidentStatus.RESOLVED) != (data.resolved_at is not None):
        raise IncidentError("A resolved incident, and only that, has a resolved time.")
    if data.starts_at and data.resolved_at and data.resolved_at < data.starts_at:
        raise IncidentError("An incident cannot be resolved before it starts.")
    if data.auto_resolve and data.expected_end is None:
        raise IncidentError("An incident that resolves by itself needs an expected end.")


def create_incident(
    session: Session,
    municipality: Municipality,
    data: IncidentInput,
    *,
    actor: str | Actor,
    limits: GeometryLimits | None = None,
) -> Incident:
    """Validate and add an incident to a municipality, with an audit row; nothing on failure."""
    check_incident_input(data)
    area = checked_area(data.area, municipality, limits or GeometryLimits())
    incident = Incident(
        municipality_id=municipality.id,
        kind=data.kind,
        status=data.status,
        area=area,
        title=dict(data.title),
        summary=dict(data.summary),
        advice=dict(data.advice),
        cause=dict(data.cause),
        starts_at=data.starts_at,
        expected_end=data.expected_end,
        resolved_at=data.resolved_at,
        auto_resolve=bool(data.auto_resolve),
        published_at=None if data.status is IncidentStatus.DRAFT else utcnow(),
    )
    session.add(incident)
    session.flush()
    saved(
        session,
        incident,
        actor=actor,
        action="create",
        kind=incident.kind.value,
        status=incident.status.value,
    )
    return incident


def checked_area(
    area: BaseGeometry | None, municipality: Municipality, limits: GeometryLimits
) -> MultiPolygon | None:
    """Validate an incident area against the limits and the municipality's boundary."""
    if area is None:
        return None
    return validate_area(
        area,
        max_vertices=limits.max_vertices,
        boundary=municipality.boundary,
        utm_epsg=municipality.utm_epsg,
        tolerance_m=limits.tolerance_m,
    )


def _fields(data: IncidentInput, area: MultiPolygon | None) -> dict[str, object]:
    """The incident's columns as an editor's input sets them."""
    return {
        "kind": data.kind,
        "status": data.status,
        "area": area,
        "title": dict(data.title),
        "summary": dict(data.summary),
        "advice": dict(data.advice),
        "cause": dict(data.cause),
        "starts_at": data.starts_at,
        "expected_end": data.expected_end,
        "resolved_at": data.resolved_at,
        "auto_resolve": data.auto_resolve,
    }


def edit_incident(
    session: Session,
    incident: Incident,
    data: IncidentInput,
    *,
    expected_version: int,
    actor: str | Actor,
    limits: GeometryLimits | None = None,
) -> Incident:
    """Replace an incident's fields with an editor's version of them; refuse a stale editor.

    The status changes only through the lifecycle's operations (schedule, publish, resolve).
    """
    check_version(incident, expected_version)
    if data.status is not incident.status:
        raise IncidentError(
            f"Incident {incident.id} is {incident.status.value}: an edit cannot make it "
            f"{data.status.value}. Schedule, publish or resolve it instead."
        )
    if data.auto_resolve is None:
        data = replace(data, auto_resolve=incident.auto_resolve)
    check_incident_input(data)
    area = checked_area(data.area, incident.municipality, limits or GeometryLimits())
    values = _fields(data, area)
    changed = sorted(key for key, value in values.items() if getattr(incident, key) != value)
    for key in changed:
        setattr(incident, key, values[key])
    if changed:
        incident.updated_at = utcnow()
        flush_as(session, incident, expected_version)  # the version moves on
        saved(session, incident, actor=actor, action="edit", changed=changed)
    return incident


def add_update(
    session: Session,
    incident: Incident,
    body: dict[str, str],
    *,
    expected_version: int,
    actor: str | Actor,
    at: datetime | None = None,
) -> IncidentUpdate:
    """Add a timeline entry to an incident, with an audit row; the incident's version moves on."""
    check_version(incident, expected_version)
    if not (body.get("nb") or "").strip():
        raise IncidentError("An update needs a text in bokmål.")
    now = utcnow()
    # The status the public saw when the entry was written (a started scheduled job is active).
    status = incident.status_at(now)
    update = IncidentUpdate(incident=incident, status=status, body=dict(body))
    if at is not None:
        update.created_at = at
    session.add(update)
    # Feeds and caches key on version and updated_at: a new timeline entry changes what they show.
    incident.updated_at = now
    flush_as(session, incident, expected_version)
    saved(session, incident, actor=actor, action="add_update", obj=update, incident_id=incident.id)
    return update
