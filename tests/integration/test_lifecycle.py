"""The incident lifecycle on both backends: each transition, each refusal, and the history kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import MultiPolygon
from shapely.geometry import box
from sqlalchemy import func
from sqlalchemy import select

from statusmap.incidents.history import area_history
from statusmap.incidents.history import revisions
from statusmap.incidents.lifecycle import change_area
from statusmap.incidents.lifecycle import delete_draft
from statusmap.incidents.lifecycle import publish_incident
from statusmap.incidents.lifecycle import resolve_incident
from statusmap.incidents.lifecycle import schedule_incident
from statusmap.incidents.operations import IncidentError
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import add_update
from statusmap.incidents.operations import create_incident
from statusmap.incidents.operations import edit_incident
from statusmap.incidents.scheduler import run_due
from statusmap.models import AuditEvent
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentRevision
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.integration.test_incidents import _edit

AREA = MultiPolygon([box(8.08, 58.13, 8.09, 58.14)])
WIDER = MultiPolygon([box(8.07, 58.13, 8.10, 58.15)])
SMALLER = MultiPolygon([box(8.08, 58.13, 8.085, 58.135)])
CLOSING = {"nb": "Vannet er tilbake.", "nn": "Vatnet er tilbake.", "en": "The water is back."}


def make_draft(session, town, area=AREA, **fields) -> Incident:  # type: ignore[no-untyped-def]
    """A draft planned works in the test town, with an area unless told otherwise."""
    values = {
        "kind": IncidentKind.PLANNED_WORKS,
        "status": IncidentStatus.DRAFT,
        "area": area,
        "title": {"nb": "Graving i Storgata", "en": "Digging in Storgata"},
        **fields,
    }
    return create_incident(session, town, IncidentInput(**values), actor="kari")


def _audit(session, incident: Incident) -> list[str]:  # type: ignore[no-untyped-def]
    query = select(AuditEvent.action).where(
        AuditEvent.object_type == "incident", AuditEvent.object_id == str(incident.id)
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


def _saved(session, incident: Incident) -> list[tuple[int, str, str, str]]:  # type: ignore[no-untyped-def]
    return [(r.version, r.action, r.status.value, r.actor) for r in revisions(session, incident.id)]


def test_draft_scheduled_activated_on_time_then_resolved_with_a_closing_message(session) -> None:
    town = make_municipality(session)
    now = utcnow()
    draft = make_draft(session, town)
    assert (draft.status, draft.published_at) == (IncidentStatus.DRAFT, None)
    start, end = now + timedelta(hours=1), now + timedelta(hours=4)
    schedule_incident(
        session, draft, starts_at=start, expected_end=end, expected_version=1, actor="kari", now=now
    )
    assert (draft.status, draft.starts_at, draft.expected_end) == ("scheduled", start, end)
    assert draft.published_at == now and draft.version == 2

    assert [t.incident_id for t in run_due(session, now + timedelta(minutes=59))] == []
    activated = run_due(session, start + timedelta(seconds=30))
    assert [(t.incident_id, t.action, t.at) for t in activated] == [(draft.id, "activate", start)]
    session.refresh(draft)
    assert (draft.status, draft.version) == (IncidentStatus.ACTIVE, 3)

    done = start + timedelta(hours=2)
    resolve_incident(session, draft, CLOSING, expected_version=3, actor="ola", now=done)
    session.refresh(draft)
    assert (draft.status, draft.resolved_at, draft.version) == ("resolved", done, 4)
    last = draft.updates[0]
    assert (last.body, last.status, last.created_at) == (CLOSING, "resolved", done)
    assert _saved(session, draft) == [
        (1, "create", "draft", "kari"),
        (2, "schedule", "scheduled", "kari"),
        (3, "activate", "active", "scheduler"),
        (4, "resolve", "resolved", "ola"),
    ]
    assert _audit(session, draft) == ["create", "schedule", "activate", "resolve"]


def test_publishing_starts_a_future_or_unset_start_now_and_keeps_a_past_one(session) -> None:
    town = make_municipality(session)
    now = utcnow()
    for start in (None, now + timedelta(days=2)):
        draft = make_draft(session, town, starts_at=start)
        publish_incident(session, draft, expected_version=1, actor="kari", now=now)
        assert (draft.status, draft.starts_at, draft.published_at) == ("active", now, now)
    earlier = now - timedelta(hours=3)
    begun = make_draft(session, town, starts_at=earlier)
    publish_incident(session, begun, expected_version=1, actor="kari", now=now)
    assert begun.starts_at == earlier
    assert _saved(session, begun) == [
        (1, "create", "draft", "kari"),
        (2, "publish", "active", "kari"),
    ]


def test_a_scheduled_incident_may_be_published_early_and_keeps_its_first_publication(
    session,
) -> None:
    town = make_municipality(session)
    now = utcnow()
    draft = make_draft(session, town)
    schedule_incident(
        session,
        draft,
        starts_at=now + timedelta(days=1),
        expected_version=1,
        actor="kari",
        now=now,
    )
    later = now + timedelta(hours=2)
    publish_incident(session, draft, expected_version=2, actor="ola", now=later)
    assert (draft.status, draft.starts_at, draft.published_at) == ("active", later, now)
    assert _audit(session, draft) == ["create", "schedule", "publish"]


def _public(session, town, status: IncidentStatus) -> Incident:  # type: ignore[no-untyped-def]
    return make_incident(session, town, AREA, status=status)


def _scheduled_ahead(session, town) -> Incident:  # type: ignore[no-untyped-def]
    draft = make_draft(session, town)
    start = utcnow() + timedelta(days=1)
    return schedule_incident(session, draft, starts_at=start, expected_version=1, actor="kari")


REFUSALS = [
    ("resolve a draft", lambda s, t: make_draft(s, t), "resolve", "delete it, or publish it"),
    ("resolve twice", lambda s, t: _public(s, t, IncidentStatus.RESOLVED), "resolve", "already"),
    ("resolve ahead", _scheduled_ahead, "resolve", "has not started yet"),
    ("publish twice", lambda s, t: _public(s, t, IncidentStatus.ACTIVE), "publish", "already"),
    (
        "publish resolved",
        lambda s, t: _public(s, t, IncidentStatus.RESOLVED),
        "publish",
        "cannot be published again",
    ),
    ("publish no area", lambda s, t: make_draft(s, t, area=None), "publish", "no area yet"),
    (
        "publish past end",
        lambda s, t: make_draft(s, t, expected_end=utcnow() - timedelta(minutes=1)),
        "publish",
        "change it before publishing",
    ),
    ("schedule active", lambda s, t: _public(s, t, IncidentStatus.ACTIVE), "schedule", "already"),
    (
        "schedule started",
        lambda s, t: _public(s, t, IncidentStatus.SCHEDULED),  # its start was an hour ago
        "schedule",
        "already active",
    ),
    ("schedule past", lambda s, t: make_draft(s, t), "schedule_past", "starts in the future"),
    ("auto no end", lambda s, t: make_draft(s, t), "schedule_auto", "needs an expected end"),
    (
        "area of resolved",
        lambda s, t: _public(s, t, IncidentStatus.RESOLVED),
        "change_area",
        "no longer changes",
    ),
    ("area removed", lambda s, t: _public(s, t, IncidentStatus.ACTIVE), "no_area", "Only a draft"),
    ("delete public", lambda s, t: _public(s, t, IncidentStatus.ACTIVE), "delete", "only a draft"),
    ("delete resolved", lambda s, t: _public(s, t, IncidentStatus.RESOLVED), "delete", "record"),
    ("no closing", lambda s, t: _public(s, t, IncidentStatus.ACTIVE), "resolve_empty", "bokmål"),
    ("status by edit", lambda s, t: make_draft(s, t), "edit_status", "publish or resolve it"),
]


def _attempt(session, incident: Incident, what: str) -> None:  # type: ignore[no-untyped-def]
    version = incident.version
    soon = utcnow() + timedelta(hours=1)
    attempts = {
        "resolve": lambda: resolve_incident(
            session, incident, CLOSING, expected_version=version, actor="x"
        ),
        "resolve_empty": lambda: resolve_incident(
            session, incident, {"en": "Done"}, expected_version=version, actor="x"
        ),
        "publish": lambda: publish_incident(session, incident, expected_version=version, actor="x"),
        "schedule": lambda: schedule_incident(
            session, incident, starts_at=soon, expected_version=version, actor="x"
        ),
        "schedule_past": lambda: schedule_incident(
            session, incident, starts_at=utcnow(), expected_version=version, actor="x"
        ),
        "schedule_auto": lambda: schedule_incident(
            session,
            incident,
            starts_at=soon,
            auto_resolve=True,
            expected_version=version,
            actor="x",
        ),
        "change_area": lambda: change_area(
            session, incident, WIDER, expected_version=version, actor="x"
        ),
        "no_area": lambda: change_area(
            session, incident, None, expected_version=version, actor="x"
        ),
        "delete": lambda: delete_draft(session, incident, expected_version=version, actor="x"),
        "edit_status": lambda: edit_incident(
            session,
            incident,
            _edit(incident, status=IncidentStatus.ACTIVE, starts_at=utcnow()),
            expected_version=version,
            actor="x",
        ),
    }
    attempts[what]()


@pytest.mark.parametrize(
    ("make", "what", "message"),
    [pytest.param(m, w, msg, id=name) for name, m, w, msg in REFUSALS],
)
def test_a_transition_that_is_not_allowed_is_refused_and_changes_nothing(
    session, make, what: str, message: str
) -> None:
    town = make_municipality(session)
    incident = make(session, town)
    session.flush()
    before = (incident.status, incident.version, incident.area, incident.updated_at)
    saved_before = session.scalar(select(func.count(IncidentRevision.id)))
    audit_before = session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(IncidentError, match=message):
        _attempt(session, incident, what)
    session.flush()
    session.refresh(incident)
    assert (incident.status, incident.version, incident.area, incident.updated_at) == before
    assert session.scalar(select(func.count(IncidentRevision.id))) == saved_before
    assert session.scalar(select(func.count(AuditEvent.id))) == audit_before


def test_every_earlier_area_is_kept_in_the_history(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, AREA)
    change_area(session, incident, WIDER, expected_version=1, actor="kari")
    assert incident.area.equals(WIDER) and incident.version == 2
    change_area(session, incident, WIDER, expected_version=2, actor="kari")  # the same: no save
    add_update(session, incident, {"nb": "Vi graver."}, expected_version=2, actor="ola")
    edit_incident(session, incident, _edit(incident, area=SMALLER), expected_version=3, actor="per")
    session.expire_all()
    history = area_history(session, incident.id)
    assert [(r.version, r.actor) for r in history] == [(1, "test"), (2, "kari"), (4, "per")]
    assert all(r.area.equals(a) for r, a in zip(history, (AREA, WIDER, SMALLER), strict=True))
    assert _saved(session, incident) == [
        (1, "create", "active", "test"),
        (2, "change_area", "active", "kari"),
        (3, "add_update", "active", "ola"),
        (4, "edit", "active", "per"),
    ]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "change_area")).one()
    assert event.details["before"].startswith("5 vertices, 0.")
    assert event.details["version"] == 2


def test_a_revision_snapshot_holds_the_editable_fields(session) -> None:
    town = make_municipality(session)
    start = utcnow() + timedelta(days=1)
    draft = make_draft(session, town, starts_at=start, expected_end=start + timedelta(hours=3))
    schedule_incident(session, draft, auto_resolve=True, expected_version=1, actor="kari")
    latest = revisions(session, draft.id)[-1]
    assert latest.snapshot == {
        "kind": "planned_works",
        "title": {"nb": "Graving i Storgata", "en": "Digging in Storgata"},
        "summary": {},
        "advice": {},
        "cause": {},
        "starts_at": draft.starts_at.isoformat(),
        "expected_end": draft.expected_end.isoformat(),
        "resolved_at": None,
        "auto_resolve": True,
    }
    assert latest.area.equals(AREA)


def test_a_draft_may_be_deleted_with_its_history_and_the_audit_row_stays(session) -> None:
    town = make_municipality(session)
    draft = make_draft(session, town)
    change_area(session, draft, WIDER, expected_version=1, actor="kari")
    incident_id = draft.id
    delete_draft(session, draft, expected_version=2, actor="kari")
    session.expire_all()
    assert session.get(Incident, incident_id) is None
    assert revisions(session, incident_id) == []
    deleted = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "delete", AuditEvent.object_id == str(incident_id)
        )
    ).one()
    assert (deleted.actor, deleted.details["title"]) == ("kari", "Graving i Storgata")


def test_an_edit_that_does_not_say_keeps_auto_resolve(session) -> None:
    """A form without the field must not switch resolving by itself off unseen."""
    town = make_municipality(session)
    start = utcnow() + timedelta(days=1)
    draft = make_draft(session, town, starts_at=start, expected_end=start + timedelta(hours=3))
    schedule_incident(session, draft, auto_resolve=True, expected_version=1, actor="kari")
    edit_incident(
        session, draft, _edit(draft, title={"nb": "Ny tittel"}), expected_version=2, actor="ola"
    )
    assert (draft.auto_resolve, draft.version) == (True, 3)
    with pytest.raises(IncidentError, match="resolves by itself needs an expected end"):
        edit_incident(
            session, draft, _edit(draft, expected_end=None), expected_version=3, actor="o"
        )
    edit_incident(
        session,
        draft,
        _edit(draft, expected_end=None, auto_resolve=False),
        expected_version=3,
        actor="ola",
    )
    assert (draft.auto_resolve, draft.expected_end, draft.version) == (False, None, 4)
