"""A stale editor is refused with what changed since the version they opened: who, when, what."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from pyproj import Geod
from shapely.geometry import MultiPolygon
from shapely.geometry import box
from sqlalchemy import update

from statusmap.incidents.history import revisions
from statusmap.incidents.lifecycle import change_area
from statusmap.incidents.lifecycle import publish_incident
from statusmap.incidents.lifecycle import resolve_incident
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import StaleEditError
from statusmap.incidents.operations import add_update
from statusmap.incidents.operations import create_incident
from statusmap.incidents.operations import edit_incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentRevision
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.integration.test_incidents import _edit

AREA = MultiPolygon([box(8.08, 58.13, 8.09, 58.14)])
WIDER = MultiPolygon([box(8.07, 58.13, 8.10, 58.15)])
KARI = "Kari (kari@kommune.no)"
OLA = "Ola (ola@kommune.no)"
OSLO = ZoneInfo("Europe/Oslo")


def _clock(session, incident_id: int, version: int) -> str:  # type: ignore[no-untyped-def]
    saved = next(r for r in revisions(session, incident_id) if r.version == version)
    return f"{saved.at.astimezone(OSLO):%H:%M}"


def _km2(area: MultiPolygon) -> float:
    """The area on the ellipsoid, measured independently of the code under test."""
    return abs(Geod(ellps="GRS80").geometry_area_perimeter(area)[0]) / 1e6


def test_the_refusal_lists_every_change_since_the_editors_version(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, AREA, title="Vannet er stengt")
    opened = incident.version  # editor A opens version 1
    end = utcnow() + timedelta(hours=6)
    edit_incident(
        session,
        incident,
        _edit(incident, title={"nb": "Vannet er stengt i Storgata"}, expected_end=end),
        expected_version=1,
        actor=KARI,
    )
    change_area(session, incident, WIDER, expected_version=2, actor=OLA)
    add_update(session, incident, {"nb": "Vi graver."}, expected_version=3, actor="Per")
    with pytest.raises(StaleEditError) as refused:
        edit_incident(
            session,
            incident,
            _edit(incident, title={"nb": "A sin tittel"}),
            expected_version=opened,
            actor="A",
        )
    changes = refused.value.changes
    assert [(c.field, c.actor, c.version) for c in changes] == [
        ("title.nb", KARI, 2),
        ("expected_end", KARI, 2),
        ("area", OLA, 3),
        ("timeline", "Per", 4),
    ]
    assert (changes[0].old, changes[0].new) == ("Vannet er stengt", "Vannet er stengt i Storgata")
    assert (changes[1].old, changes[1].new) == (None, end)
    old_area, new_area = changes[2].old, changes[2].new
    for shown, area in ((old_area, AREA), (new_area, WIDER)):
        vertices, km2 = re.fullmatch(r"(\d+) vertices, ([\d.]+) km²", shown).groups()
        assert vertices == "5"
        assert float(km2) == pytest.approx(_km2(area), rel=0.01)
    message = str(refused.value)
    assert message.startswith(
        f"Incident {incident.id} was changed by someone else after you opened it "
        "(you had version 1, it is now at version 4)."
    )
    assert (
        f"Since you opened version 1, {KARI} at {_clock(session, incident.id, 2)} changed: "
        f"title (nb), expected end; {OLA} at {_clock(session, incident.id, 3)} changed: "
        f"area ({old_area} -> {new_area}); Per at {_clock(session, incident.id, 4)} changed: "
        "added a timeline entry."
    ) in message
    session.expire_all()
    assert incident.text("title", "nb") == "Vannet er stengt i Storgata"  # nothing overwritten


def test_every_lifecycle_operation_refuses_a_stale_version(session) -> None:
    town = make_municipality(session)
    draft = create_incident(
        session,
        town,
        IncidentInput(
            kind=IncidentKind.SHUTDOWN,
            status=IncidentStatus.DRAFT,
            title={"nb": "Stengt"},
            area=AREA,
        ),
        actor="test",
    )
    publish_incident(session, draft, expected_version=1, actor=KARI)
    with pytest.raises(StaleEditError, match=rf"{re.escape(KARI)} at \d\d:\d\d changed: status"):
        change_area(session, draft, WIDER, expected_version=1, actor="A")
    with pytest.raises(StaleEditError, match=r"changed: status \(active\), start"):
        resolve_incident(session, draft, {"nb": "Ferdig"}, expected_version=1, actor="A")
    with pytest.raises(StaleEditError, match="you had version 1, it is now at version 2"):
        add_update(session, draft, {"nb": "Oppdatering"}, expected_version=1, actor="A")
    assert draft.version == 2 and draft.status is IncidentStatus.ACTIVE


def test_changes_on_another_day_say_the_date(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, AREA)
    change_area(session, incident, WIDER, expected_version=1, actor=OLA)
    session.flush()
    two_days_ago = utcnow() - timedelta(days=2)
    session.execute(
        update(IncidentRevision)
        .where(IncidentRevision.incident_id == incident.id, IncidentRevision.version == 2)
        .values(at=two_days_ago)
    )
    local = two_days_ago.astimezone(OSLO)
    with pytest.raises(StaleEditError, match=f"{re.escape(OLA)} on {local:%Y-%m-%d at %H:%M}"):
        change_area(session, incident, AREA, expected_version=1, actor="A")
