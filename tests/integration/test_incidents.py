"""Creating incidents: validation changes nothing on bad input; stale editors cannot overwrite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import Polygon
from shapely.geometry import box
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from statusmap.gis.validation import GeometryError
from statusmap.incidents.operations import IncidentError
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import add_update
from statusmap.incidents.operations import create_incident
from statusmap.models import AuditEvent
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from tests.factories import make_incident
from tests.factories import make_municipality


def _incidents(session) -> int:
    return session.scalar(select(func.count(Incident.id)))


def _input(area, **changes):
    values = {
        "kind": IncidentKind.BOIL_WATER,
        "status": IncidentStatus.ACTIVE,
        "area": area,
        "title": {"nb": "Kokepålegg"},
        "starts_at": utcnow(),
    }
    values.update(changes)
    return IncidentInput(**values)


def test_self_intersecting_area_is_refused_and_nothing_changes(session) -> None:
    town = make_municipality(session)
    before, audit_before = _incidents(session), session.scalar(select(func.count(AuditEvent.id)))
    bowtie = Polygon([(8.08, 58.13), (8.09, 58.14), (8.09, 58.13), (8.08, 58.14)])
    with pytest.raises(GeometryError, match="crosses itself near longitude 8.085000"):
        create_incident(session, town, _input(bowtie), actor="test")
    assert _incidents(session) == before
    assert session.scalar(select(func.count(AuditEvent.id))) == audit_before


def test_area_in_another_part_of_norway_is_refused(session) -> None:
    town = make_municipality(session)
    with pytest.raises(GeometryError, match="outside the municipality"):
        create_incident(session, town, _input(box(10.7, 59.9, 10.8, 59.95)), actor="test")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": {"nb": " "}}, "title in bokmål"),
        ({"area": None}, "Only a draft"),
        ({"starts_at": None}, "start time"),
        ({"expected_end": utcnow() - timedelta(days=1)}, "expected end"),
        ({"resolved_at": utcnow()}, "resolved time"),
    ],
)
def test_inconsistent_input_is_refused(session, changes, message) -> None:
    town = make_municipality(session)
    with pytest.raises(IncidentError, match=message):
        create_incident(
            session,
            town,
            _input(**{"area": box(8.08, 58.13, 8.09, 58.14), **changes}),
            actor="test",
        )


def test_creation_is_audited(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, box(8.08, 58.13, 8.09, 58.14))
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "incident", AuditEvent.object_id == str(incident.id)
        )
    ).one()
    assert (event.action, event.actor, event.municipality_id) == ("create", "test", town.id)


def test_a_stale_editor_cannot_silently_overwrite(app, session) -> None:
    from statusmap.db import get_db

    town = make_municipality(session)
    incident = make_incident(session, town, box(8.08, 58.13, 8.09, 58.14))
    session.commit()
    assert incident.version == 1
    other = get_db(app).factory()  # a second editor's session on the same connection
    theirs = other.get(Incident, incident.id)
    theirs.title = {"nb": "Endret av den andre"}
    other.flush()
    assert theirs.version == 2
    incident.title = {"nb": "Min endring"}  # still believes version 1
    with pytest.raises(StaleDataError):
        session.flush()
    other.close()


def _edit(incident, **changes) -> IncidentInput:
    values = {
        "kind": incident.kind,
        "status": incident.status,
        "area": incident.area,
        "title": dict(incident.title),
        "starts_at": incident.starts_at,
        "expected_end": incident.expected_end,
    }
    values.update(changes)
    return IncidentInput(**values)


def test_an_editor_who_opened_an_older_version_is_refused(session) -> None:
    """Editor A opened version 1; B saved since. A's submit (saying version 1) changes nothing."""
    from statusmap.incidents.operations import StaleEditError
    from statusmap.incidents.operations import edit_incident

    town = make_municipality(session)
    incident = make_incident(session, town, box(8.08, 58.13, 8.09, 58.14))
    opened_by_a = incident.version
    edit_incident(
        session, incident, _edit(incident, title={"nb": "B sin"}), expected_version=1, actor="b"
    )
    assert incident.version == opened_by_a + 1
    with pytest.raises(StaleEditError, match="changed by someone else") as refused:
        edit_incident(
            session,
            incident,
            _edit(incident, title={"nb": "A sin"}),
            expected_version=opened_by_a,
            actor="a",
        )
    assert "Since you opened version 1, b at " in str(refused.value)
    assert str(refused.value).endswith(
        "changed: title (nb). Nothing was saved: open it again "
        "to see their changes, then make yours."
    )
    assert [(c.field, c.old, c.new, c.actor) for c in refused.value.changes] == [
        ("title.nb", "Testhendelse", "B sin", "b")
    ]
    session.expire_all()
    assert incident.text("title", "nb") == "B sin"
    with pytest.raises(StaleEditError):
        add_update(session, incident, {"nb": "A skriver"}, expected_version=opened_by_a, actor="a")
    assert incident.updates == []


def test_an_update_moves_the_version_and_the_time_on(session) -> None:
    """Feeds and caches key on version and updated_at: a timeline entry must change both."""
    town = make_municipality(session)
    incident = make_incident(session, town, box(8.08, 58.13, 8.09, 58.14))
    version, updated = incident.version, incident.updated_at
    add_update(session, incident, {"nb": "Vi graver."}, expected_version=version, actor="test")
    assert incident.version == version + 1
    assert incident.updated_at > updated
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "test")).all()
    assert "add_update" in events


def test_an_edit_is_validated_and_audited(session) -> None:
    from statusmap.incidents.operations import edit_incident

    town = make_municipality(session)
    incident = make_incident(session, town, box(8.08, 58.13, 8.09, 58.14))
    with pytest.raises(GeometryError, match="outside the municipality"):
        edit_incident(
            session,
            incident,
            _edit(incident, area=box(10.7, 59.9, 10.8, 59.95)),
            expected_version=incident.version,
            actor="test",
        )
    later = utcnow() + timedelta(hours=5)
    edit_incident(
        session, incident, _edit(incident, expected_end=later), expected_version=1, actor="ed"
    )
    event = session.scalars(select(AuditEvent).where(AuditEvent.actor == "ed")).one()
    assert (event.action, event.details["changed"]) == ("edit", ["expected_end"])


def test_two_editors_saving_at_once_get_a_clear_refusal(app, session) -> None:
    """Both passed the version check; the second flush finds the row moved on."""
    from statusmap.db import get_db
    from statusmap.incidents.operations import StaleEditError
    from statusmap.incidents.operations import edit_incident

    town = make_municipality(session)
    incident = make_incident(session, town, box(8.08, 58.13, 8.09, 58.14))
    session.commit()
    other = get_db(app).factory()
    theirs = other.get(Incident, incident.id)
    edit_incident(
        other, theirs, _edit(theirs, title={"nb": "Deres"}), expected_version=1, actor="b"
    )
    with pytest.raises(StaleEditError, match="while you saved"):
        edit_incident(
            session, incident, _edit(incident, title={"nb": "Min"}), expected_version=1, actor="a"
        )
    other.close()
