"""An incident's history: one revision per saved version, and what changed between versions.

Every operation that saves an incident records its revision (record_revision); a stale editor is
told what changed since the version they opened (changes_since, describe_changes), and the area
history is read from the same rows (area_history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.crs import to_utm
from statusmap.models import Incident
from statusmap.models import IncidentRevision
from statusmap.models.audit import Actor
from statusmap.models.base import LANGUAGES
from statusmap.models.base import utcnow
from statusmap.oslo_time import OSLO

TEXT_FIELDS = ("title", "summary", "advice", "cause")
TIME_FIELDS = ("starts_at", "expected_end", "resolved_at")
LABELS = {
    "status": "status",
    "kind": "kind",
    "starts_at": "start",
    "expected_end": "expected end",
    "resolved_at": "resolved time",
    "auto_resolve": "resolves by itself",
    "area": "area",
    "timeline": "timeline entry",
}
# Operations whose version adds an entry to the public timeline.
TIMELINE_ACTIONS = ("add_update", "resolve")

Value = str | bool | datetime | None


@dataclass(frozen=True)
class Change:
    """One field that changed in one saved version: old and new value, who saved it, and when."""

    field: str  # "title.nb", "expected_end", "area", ...
    old: Value
    new: Value
    actor: str
    at: datetime
    version: int

    @property
    def label(self) -> str:
        """The field as a person names it: 'title (nb)', 'expected end'."""
        name, _, language = self.field.partition(".")
        return f"{name} ({language})" if language else LABELS.get(name, name)


def snapshot(incident: Incident) -> dict[str, Any]:
    """The incident's editable fields as JSON: kind, texts per language, times in UTC, flags."""
    data: dict[str, Any] = {"kind": incident.kind.value, "auto_resolve": incident.auto_resolve}
    data.update({name: dict(getattr(incident, name) or {}) for name in TEXT_FIELDS})
    data.update({name: _iso(getattr(incident, name)) for name in TIME_FIELDS})
    return data


def record_revision(
    session: Session,
    incident: Incident,
    *,
    actor: str | Actor,
    action: str,
    at: datetime | None = None,
) -> IncidentRevision:
    """Add the revision of the incident's current version (call after the flush that saved it)."""
    who = actor if isinstance(actor, Actor) else Actor(actor)
    revision = IncidentRevision(
        incident_id=incident.id,
        version=incident.version,
        status=incident.status,
        snapshot=snapshot(incident),
        area=incident.area,
        actor=who.label,
        actor_user_id=who.user_id,
        action=action,
        at=at or utcnow(),
    )
    session.add(revision)
    return revision


def revisions(session: Session, incident_id: int, since: int = 0) -> list[IncidentRevision]:
    """The incident's revisions from version `since` on, oldest first."""
    query = select(IncidentRevision).where(
        IncidentRevision.incident_id == incident_id, IncidentRevision.version >= since
    )
    return list(session.scalars(query.order_by(IncidentRevision.version)))


def area_history(session: Session, incident_id: int) -> list[IncidentRevision]:
    """The revisions that brought a new area (the first one included), oldest first."""
    kept: list[IncidentRevision] = []
    for revision in revisions(session, incident_id):
        if not kept or not _same_area(kept[-1].area, revision.area):
            kept.append(revision)
    return kept


def changes_since(session: Session, incident: Incident, version: int) -> list[Change]:
    """What every version saved after `version` changed, oldest first."""
    rows = revisions(session, incident.id, since=version)
    base = rows[0] if rows and rows[0].version == version else None
    later = [row for row in rows if row.version > version]
    changes: list[Change] = []
    for before, after in zip([base, *later], later, strict=False):
        changes += _diff(before, after, incident.municipality.utm_epsg)
    return changes


def describe_changes(version: int, changes: list[Change], now: datetime) -> str:
    """'Since you opened version 3, Kari at 14:02 changed: title (nb), expected end; ...'."""
    saves: dict[int, list[Change]] = {}
    for change in changes:
        saves.setdefault(change.version, []).append(change)
    parts = [
        f"{found[0].actor} {_when(found[0].at, now)} changed: "
        + ", ".join(_shown(change) for change in found)
        for found in saves.values()
    ]
    return f"Since you opened version {version}, " + "; ".join(parts) + "."


def area_summary(area: BaseGeometry | None, utm_epsg: int) -> str | None:
    """'57 vertices, 0.42 km²', measured in the municipality's UTM zone; None for no area."""
    if area is None:
        return None
    km2 = to_utm(area, utm_epsg).area / 1_000_000
    return f"{shapely.get_num_coordinates(area)} vertices, {km2:.3g} km²"


def _diff(before: IncidentRevision | None, after: IncidentRevision, utm: int) -> list[Change]:
    """The fields `after` changed from `before` (a save we cannot compare is shown as such)."""

    def change(field: str, old: Value, new: Value) -> Change:
        return Change(field, old, new, after.actor, after.at, after.version)

    if before is None:  # history from before revisions were kept
        return [change("saved", None, after.action)]
    old, new = before.snapshot, after.snapshot
    found = [change("status", before.status.value, after.status.value)]
    found.append(change("kind", old.get("kind"), new.get("kind")))
    for name in TEXT_FIELDS:
        for language in _languages(old.get(name) or {}, new.get(name) or {}):
            texts = (old.get(name) or {}).get(language, ""), (new.get(name) or {}).get(language, "")
            found.append(change(f"{name}.{language}", *texts))
    found += [change(n, _time(old.get(n)), _time(new.get(n))) for n in TIME_FIELDS]
    found.append(change("auto_resolve", bool(old.get("auto_resolve")), new.get("auto_resolve")))
    if not _same_area(before.area, after.area):
        found.append(change("area", area_summary(before.area, utm), area_summary(after.area, utm)))
    changed = [c for c in found if c.field == "area" or c.old != c.new]
    if after.action in TIMELINE_ACTIONS:
        changed.append(change("timeline", None, "added"))
    return changed or [change("saved", None, after.action)]


def _shown(change: Change) -> str:
    if change.field == "status":
        return f"status ({change.new})"
    if change.field == "area":
        return f"area ({change.old or 'none'} -> {change.new or 'none'})"
    if change.field == "timeline":
        return "added a timeline entry"
    if change.field == "saved":
        return f"saved ({change.new})"
    return change.label


def _languages(*texts: dict[str, str]) -> list[str]:
    present = {language for text in texts for language in text}
    return [lang for lang in LANGUAGES if lang in present] + sorted(present - set(LANGUAGES))


def _same_area(a: BaseGeometry | None, b: BaseGeometry | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(a.equals(b))


def _when(at: datetime, now: datetime) -> str:
    local = at.astimezone(OSLO)
    if local.date() == now.astimezone(OSLO).date():
        return f"at {local:%H:%M}"
    return f"on {local:%Y-%m-%d} at {local:%H:%M}"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
