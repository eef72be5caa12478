"""Contact details stay until their retention has passed and are gone after `statusmap purge`
(issue 9, must-show): 30 days after the linked incident is resolved, or after the report when
none is linked; an open incident keeps its reporters' contacts."""

from __future__ import annotations

from datetime import timedelta

from shapely.geometry import box
from sqlalchemy import select

from statusmap.models import AuditEvent
from statusmap.models import IncidentStatus
from statusmap.models import Report
from statusmap.models.base import utcnow
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.report_factories import make_report

AREA = box(8.07, 58.14, 8.09, 58.15)
DAY = timedelta(days=1)


def _contacts(session) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return {r.text: r.contact for r in session.scalars(select(Report).order_by(Report.id))}


def test_contacts_are_kept_until_their_time_and_deleted_by_statusmap_purge(app, session) -> None:
    town = make_municipality(session)
    now = utcnow()
    open_incident = make_incident(session, town, AREA)
    old_resolved = make_incident(session, town, AREA, status=IncidentStatus.RESOLVED)
    new_resolved = make_incident(session, town, AREA, status=IncidentStatus.RESOLVED)
    old_resolved.resolved_at = now - 31 * DAY
    new_resolved.resolved_at = now - 29 * DAY

    def report(text: str, age: timedelta, incident_id: int | None = None) -> Report:
        made = make_report(
            session, town, 8.08, 58.145, at=now - age, contact="kari@example.no",
            incident_id=incident_id,
        )  # fmt: skip
        made.text = text
        return made

    report("unlinked, 31 days", 31 * DAY)
    report("unlinked, 29 days", 29 * DAY)
    report("open incident, 60 days", 60 * DAY, open_incident.id)
    report("resolved 31 days ago", 40 * DAY, old_resolved.id)
    purged_one = report("resolved 29 days ago", 40 * DAY, new_resolved.id)
    purged_one.notify_pending = True
    session.commit()

    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted the contact details of 2 report(s)." in result.output
    assert f"after incident {old_resolved.id} was resolved" in result.output
    assert "after the report" in result.output and "linked to no incident" in result.output
    assert _contacts(session) == {
        "unlinked, 31 days": None,
        "unlinked, 29 days": "kari@example.no",
        "open incident, 60 days": "kari@example.no",
        "resolved 31 days ago": None,
        "resolved 29 days ago": "kari@example.no",
    }
    gone = session.scalars(select(Report).where(Report.contact.is_(None))).all()
    assert all(r.contact_purged_at is not None and not r.contact_consent for r in gone)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "purge_contact")).all()
    assert sorted(e.object_id for e in events) == sorted(str(r.id) for r in gone)
    assert all("kari@example.no" not in str(e.details) for e in events)

    again = app.test_cli_runner().invoke(args=["purge"])
    assert again.exit_code == 0 and "Nothing was due" in again.output


def test_the_retention_is_configurable(database_url) -> None:
    from statusmap.db import get_db
    from tests.conftest import rolled_back_app

    with rolled_back_app(database_url, REPORT_CONTACT_RETENTION_DAYS=7) as app:
        with app.app_context():
            session = get_db(app).session()
            town = make_municipality(session)
            for days, text in ((8, "8 days"), (6, "6 days")):
                made = make_report(
                    session, town, 8.08, 58.145, at=utcnow() - days * DAY, contact="+47 912 34 567"
                )
                made.text = text
            session.commit()
        result = app.test_cli_runner().invoke(args=["purge"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            assert _contacts(get_db(app).session()) == {"8 days": None, "6 days": "+47 912 34 567"}
