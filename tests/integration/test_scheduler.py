"""The scheduler on both backends: what is due is applied once, what is not due or stale is not."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from shapely.geometry import MultiPolygon
from shapely.geometry import box
from shapely.geometry import mapping
from sqlalchemy import select

from statusmap.incidents.history import revisions
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.incidents.operations import edit_incident
from statusmap.incidents.scheduler import CLOSING
from statusmap.incidents.scheduler import apply_due
from statusmap.incidents.scheduler import find_due
from statusmap.incidents.scheduler import run_due
from statusmap.models import AuditEvent
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from tests.factories import make_municipality
from tests.integration.test_incidents import _edit

AREA = MultiPolygon([box(8.08, 58.13, 8.09, 58.14)])
HOUR = timedelta(hours=1)


def planned(session, town, status, start, end=None, auto_resolve=False, title="Plan"):  # type: ignore[no-untyped-def]
    """A planned-works incident with the given status and times."""
    return create_incident(
        session,
        town,
        IncidentInput(
            kind=IncidentKind.PLANNED_WORKS,
            status=status,
            title={"nb": title},
            area=AREA,
            starts_at=start,
            expected_end=end,
            auto_resolve=auto_resolve,
        ),
        actor="kari",
    )


def _actions(session, incident: Incident) -> list[str]:  # type: ignore[no-untyped-def]
    query = select(AuditEvent.action).where(
        AuditEvent.object_type == "incident", AuditEvent.object_id == str(incident.id)
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


def test_what_is_due_is_applied_once_and_what_is_not_due_is_left(session) -> None:
    town = make_municipality(session)
    now = utcnow()
    scheduled, active = IncidentStatus.SCHEDULED, IncidentStatus.ACTIVE
    starts = planned(session, town, scheduled, now - HOUR, title="Starter")
    later = planned(session, town, scheduled, now + HOUR, now + 3 * HOUR, True, "Senere")
    ends = planned(session, town, active, now - 3 * HOUR, now - HOUR, True, "Slutter")
    stays = planned(session, town, active, now - 3 * HOUR, now - HOUR, False, "Blir")
    whole = planned(session, town, scheduled, now - 3 * HOUR, now - HOUR, True, "Hele")
    done = run_due(session, now)
    assert sorted((t.incident_id, t.action, t.version) for t in done) == sorted(
        [
            (starts.id, "activate", 2),
            (whole.id, "activate", 2),
            (ends.id, "resolve", 2),
            (whole.id, "resolve", 3),
        ]
    )
    assert run_due(session, now) == []  # nothing applies twice
    session.expire_all()
    assert [i.status for i in (starts, later, ends, stays, whole)] == [
        "active",
        "scheduled",
        "resolved",
        "active",
        "resolved",
    ]
    assert ends.resolved_at == ends.expected_end  # resolved at its planned end
    assert [(u.body, u.status, u.created_at) for u in ends.updates] == [
        (CLOSING, "resolved", ends.expected_end)
    ]
    assert _actions(session, whole) == ["create", "activate", "resolve"]
    assert [(r.version, r.action, r.actor) for r in revisions(session, whole.id)] == [
        (1, "create", "kari"),
        (2, "activate", "scheduler"),
        (3, "resolve", "scheduler"),
    ]
    assert revisions(session, whole.id)[-1].area.equals(AREA)


def test_a_transition_found_before_an_edit_is_skipped_quietly(session) -> None:
    """An editor moved the start on after the scheduler read it: the stale find changes nothing."""
    town = make_municipality(session)
    now = utcnow()
    incident = planned(session, town, IncidentStatus.SCHEDULED, now - HOUR)
    (found,) = [d for d in find_due(session, now) if d.incident_id == incident.id]
    edit_incident(
        session, incident, _edit(incident, starts_at=now + HOUR), expected_version=1, actor="kari"
    )
    assert apply_due(session, found, now) is None
    session.expire_all()
    assert (incident.status, incident.version) == (IncidentStatus.SCHEDULED, 2)
    assert _actions(session, incident) == ["create", "edit"]


def test_statusmap_tick_prints_what_it_did_and_exits_0_when_nothing_was_due(
    app, session, tmp_path: Path
) -> None:
    town = make_municipality(session)
    now = utcnow()
    starts = planned(session, town, IncidentStatus.SCHEDULED, now - HOUR, title="Graving")
    session.commit()
    runner = app.test_cli_runner()
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps(mapping(AREA)), encoding="utf-8")
    times = ["--starts", (now - 3 * HOUR).isoformat(), "--expected-end", (now - HOUR).isoformat()]
    created = runner.invoke(
        args=["incident", "create", "--municipality", town.slug, "--kind", "sewer"]
        + ["--title-nb", "Spyling", "--area", str(area), *times, "--auto-resolve"]
    )
    assert created.exit_code == 0, created.output
    ends = session.scalars(select(Incident).order_by(Incident.id.desc())).first()
    assert (ends.text("title", "nb"), ends.auto_resolve) == ("Spyling", True)
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Activated incident {starts.id} (its start: ")
    assert lines[0].endswith("): Graving")
    assert lines[1].startswith(f"Resolved incident {ends.id} (its expected end: ")
    assert lines[1].endswith("): Spyling") and len(lines) == 2
    session.expire_all()
    assert (starts.status, ends.status) == (IncidentStatus.ACTIVE, IncidentStatus.RESOLVED)
    again = runner.invoke(args=["tick"])
    assert (again.exit_code, again.output) == (0, "Nothing was due.\n")
