"""Staff's moderation of reports: hide, spam, restore, link and unlink, each audited and kept
inside its municipality; reporters with a kept contact are marked to be told when their incident
is resolved, by staff or by the scheduler."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import box
from sqlalchemy import select

from statusmap.incidents.lifecycle import resolve_incident
from statusmap.incidents.scheduler import run_due
from statusmap.models import AuditEvent
from statusmap.models import IncidentStatus
from statusmap.models import MessageStatus
from statusmap.models import OutboxMessage
from statusmap.models import ReportStatus
from statusmap.models.base import utcnow
from statusmap.reports.cells import public_cells
from statusmap.reports.follow_up import send_follow_ups
from statusmap.reports.moderation import ReportNotFound
from statusmap.reports.moderation import hide_report
from statusmap.reports.moderation import link_reports
from statusmap.reports.moderation import mark_spam
from statusmap.reports.moderation import report_in
from statusmap.reports.moderation import restore_report
from statusmap.reports.moderation import unlink_report
from statusmap.reports.settings import Generalisation
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.integration.test_scheduler import planned
from tests.report_factories import make_report

AREA = box(8.07, 58.14, 8.09, 58.15)
OTHER_BOX = box(10.0, 60.0, 10.1, 60.1)


def _actions(session, report) -> list[str]:  # type: ignore[no-untyped-def]
    query = select(AuditEvent.action).where(
        AuditEvent.object_type == "report", AuditEvent.object_id == str(report.id)
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


def _three(session, town):  # type: ignore[no-untyped-def]
    at = utcnow() - timedelta(hours=1)
    made = [make_report(session, town, 8.0801 + i * 0.0001, 58.1451, at=at) for i in range(3)]
    session.flush()
    return made


def test_hidden_and_spam_reports_leave_the_public_layer_and_restore_brings_them_back(
    session,
) -> None:
    town = make_municipality(session)
    first, second, _ = _three(session, town)
    cells = lambda: public_cells(session, town, Generalisation(), now=utcnow()).cells  # noqa: E731
    assert [c.total for c in cells()] == [3]
    hide_report(session, town, first, actor="kari")
    assert cells() == [] and first.status is ReportStatus.HIDDEN
    mark_spam(session, town, second, actor="kari")
    restore_report(session, town, first, actor="kari")
    assert cells() == [] and second.status is ReportStatus.SPAM
    restore_report(session, town, second, actor="kari")
    assert [c.total for c in cells()] == [3] and second.status is ReportStatus.NEW
    assert _actions(session, first) == ["report_hide", "report_restore"]
    assert _actions(session, second) == ["report_spam", "report_restore"]


def test_link_and_unlink_stay_inside_the_municipality(session) -> None:
    town = make_municipality(session)
    other = make_municipality(session, "gran", "3446", OTHER_BOX, 25832)
    reports = _three(session, town)
    incident = make_incident(session, town, AREA)
    foreign_incident = make_incident(session, other, OTHER_BOX)
    with pytest.raises(ReportNotFound):
        link_reports(session, town, reports, foreign_incident.id, actor="kari")
    with pytest.raises(ReportNotFound):
        link_reports(session, other, reports, foreign_incident.id, actor="per")
    with pytest.raises(ReportNotFound):
        report_in(session, other, reports[0].id)
    with pytest.raises(ReportNotFound):
        hide_report(session, other, reports[0], actor="per")
    assert all(r.incident_id is None and r.status is ReportStatus.NEW for r in reports)
    link_reports(session, town, reports, incident.id, actor="kari")
    assert all(r.incident_id == incident.id and r.status is ReportStatus.LINKED for r in reports)
    restore_report(
        session, town, hide_report(session, town, reports[0], actor="kari"), actor="kari"
    )
    assert reports[0].status is ReportStatus.LINKED  # restored to what it was
    unlink_report(session, town, reports[0], actor="kari")
    assert reports[0].incident_id is None and reports[0].status is ReportStatus.NEW
    assert _actions(session, reports[0]) == [
        "report_link",
        "report_hide",
        "report_restore",
        "report_unlink",
    ]
    assert report_in(session, town, reports[1].id) is reports[1]


def _with_contacts(session, town, incident_id: int):  # type: ignore[no-untyped-def]
    at = utcnow() - timedelta(minutes=30)
    told = make_report(session, town, 8.08, 58.145, at=at, contact="kari@example.no")
    silent = make_report(session, town, 8.08, 58.145, at=at)
    spam = make_report(session, town, 8.08, 58.145, at=at, contact="spam@example.no")
    session.flush()
    link_reports(session, town, [told, silent, spam], incident_id, actor="kari")
    mark_spam(session, town, spam, actor="kari")
    assert not any(r.notify_pending for r in (told, silent, spam))
    return told, silent, spam


def test_resolving_an_incident_marks_its_reporters_with_a_contact_to_be_told(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, AREA)
    told, silent, spam = _with_contacts(session, town, incident.id)
    resolve_incident(
        session, incident, {"nb": "Vannet er tilbake."}, expected_version=incident.version,
        actor="kari",
    )  # fmt: skip
    session.expire_all()
    assert (told.notify_pending, silent.notify_pending, spam.notify_pending) == (True, False, False)


def test_the_scheduler_s_resolve_marks_them_too(session) -> None:
    town = make_municipality(session)
    now = utcnow()
    plan = planned(session, town, IncidentStatus.ACTIVE, now - timedelta(hours=3), now, True)
    told, silent, spam = _with_contacts(session, town, plan.id)
    run_due(session, now + timedelta(minutes=1))
    session.expire_all()
    assert plan.status is IncidentStatus.RESOLVED
    assert (told.notify_pending, silent.notify_pending, spam.notify_pending) == (True, False, False)


def test_linking_to_an_incident_already_resolved_marks_at_once(session) -> None:
    town = make_municipality(session)
    done = make_incident(session, town, AREA, status=IncidentStatus.RESOLVED)
    report = make_report(session, town, 8.08, 58.145, at=utcnow(), contact="+47 912 34 567")
    session.flush()
    link_reports(session, town, [report], done.id, actor="kari")
    assert report.notify_pending


def test_resolved_reporters_are_told_once_through_the_outbox(session) -> None:
    """The worker's follow-up step queues one message per marked reporter (e-mail or SMS as
    their contact is), clears the mark, and a second run queues nothing more."""
    town = make_municipality(session)
    incident = make_incident(session, town, AREA, title="Brudd på Elvegata")
    told, _silent, _spam = _with_contacts(session, town, incident.id)
    by_phone = make_report(session, town, 8.08, 58.145, at=utcnow(), contact="912 34 567")
    session.flush()
    link_reports(session, town, [by_phone], incident.id, actor="kari")
    resolve_incident(
        session, incident, {"nb": "Vannet er tilbake."}, expected_version=incident.version,
        actor="kari",
    )  # fmt: skip
    assert send_follow_ups(session, base_url="https://vann.example.no") == 2
    assert send_follow_ups(session, base_url="https://vann.example.no") == 0
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient)).all()
    assert [(m.channel, m.recipient) for m in messages] == [
        ("sms", "+4791234567"),
        ("email", "kari@example.no"),
    ]
    for message in messages:
        assert message.event_id is None and message.status is MessageStatus.QUEUED
        assert "Brudd på Elvegata er avsluttet" in (message.body or "")
        assert f"https://vann.example.no/h/{incident.id}" in (message.body or "")
    assert told.reference[:4] in (messages[1].body or "")
    session.expire_all()
    assert not told.notify_pending and not by_phone.notify_pending
