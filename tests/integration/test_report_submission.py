"""Taking a report: stored with its exact point and a reference, refused with a reason when it
cannot be used, merged with the client's own repeats, and tied to a known incident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import box
from sqlalchemy import func
from sqlalchemy import select

from statusmap.models import IncidentKind
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models.base import utcnow
from statusmap.reports.places import load_place
from statusmap.reports.submission import REFERENCE_ALPHABET
from statusmap.reports.submission import ReportInput
from statusmap.reports.submission import ReportRefused
from statusmap.reports.submission import client_key
from statusmap.reports.submission import submit_report
from tests.factories import make_incident
from tests.factories import make_municipality

HERE = (8.08, 58.145)  # inside the Kristiansand test box
TOLERANCE = 2000


def _input(**changes: object) -> ReportInput:
    values: dict[str, object] = {
        "kind": ReportKind.NO_WATER,
        "lon": HERE[0],
        "lat": HERE[1],
        "observed_since": utcnow() - timedelta(minutes=30),
        "client_key": client_key("secret", "192.0.2.7"),
    }
    return ReportInput(**{**values, **changes})  # type: ignore[arg-type]


def _submit(session, town, now, **changes):  # type: ignore[no-untyped-def]
    return submit_report(session, town, _input(**changes), now=now, tolerance_m=TOLERANCE)


def _count(session) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count()).select_from(Report)))


def test_a_report_is_stored_exactly_with_a_reference(session) -> None:
    town = make_municipality(session)
    done = _submit(session, town, utcnow(), text="  Ingen vann siden sju  ")
    report = session.get_one(Report, done.report.id)
    assert not done.repeated and done.incident is None
    assert (report.location.x, report.location.y) == HERE
    assert report.status is ReportStatus.NEW and report.text == "Ingen vann siden sju"
    assert len(report.reference) == 8 and set(report.reference) <= set(REFERENCE_ALPHABET)
    assert report.contact is None and report.contact_consent is False


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"lon": 10.75, "lat": 59.91}, "outside"),  # Oslo
        ({"lon": 200.0}, "outside"),
        ({"text": "x" * 501}, "text_too_long"),
        ({"contact": "ikke en adresse", "consent": True}, "contact_invalid"),
        ({"contact": "kari@example.no"}, "consent_missing"),
        ({"observed_since": utcnow() + timedelta(hours=1)}, "since_future"),
        ({"observed_since": utcnow() - timedelta(days=30)}, "since_too_old"),
    ],
)
def test_an_unusable_report_is_refused_with_its_reason(session, changes, code) -> None:
    town = make_municipality(session)
    with pytest.raises(ReportRefused) as refused:
        _submit(session, town, utcnow(), **changes)
    assert refused.value.code == code
    assert _count(session) == 0


def test_a_contact_is_kept_with_consent(session) -> None:
    town = make_municipality(session)
    done = submit_report(
        session,
        town,
        _input(contact="+47 912 34 567", consent=True),
        now=utcnow(),
        tolerance_m=TOLERANCE,
    )
    assert done.report.contact == "+47 912 34 567" and done.report.contact_consent


def test_repeats_of_the_same_client_are_merged(session) -> None:
    town = make_municipality(session)
    now = utcnow()
    first = _submit(session, town, now)
    again = submit_report(
        session,
        town,
        _input(lon=HERE[0] + 0.001),
        now=now + timedelta(minutes=5),
        tolerance_m=TOLERANCE,
    )
    assert again.repeated and again.report.id == first.report.id and again.report.repeats == 1
    other_client = submit_report(
        session,
        town,
        _input(client_key=client_key("secret", "198.51.100.9")),
        now=now,
        tolerance_m=TOLERANCE,
    )
    far = _submit(session, town, now, lon=HERE[0] + 0.01)  # ~580 m
    other_kind = _submit(session, town, now, kind=ReportKind.WATER_OK)
    later = _submit(session, town, now + timedelta(hours=3))
    assert not any(d.repeated for d in (other_client, far, other_kind, later))
    assert _count(session) == 5


def test_a_repeat_with_words_or_a_contact_of_its_own_is_kept_as_its_own(session) -> None:
    """Behind one network address (a carrier's NAT, a care home's Wi-Fi) may be several people:
    what a repeat adds is never dropped, and its sender gets a reference of their own."""
    town = make_municipality(session)
    now = utcnow()
    first = _submit(session, town, now, text="Ingen vann")
    same = _submit(session, town, now + timedelta(minutes=1), text="Ingen vann")
    assert same.repeated and same.report.id == first.report.id
    words = _submit(session, town, now + timedelta(minutes=2), text="Lekker i kjelleren")
    phone = {"contact": "+47 912 34 567", "consent": True}
    contact = _submit(session, town, now + timedelta(minutes=3), **phone)
    assert not words.repeated and not contact.repeated
    assert len({first.report.id, words.report.id, contact.report.id}) == 3
    assert session.get_one(Report, words.report.id).text == "Lekker i kjelleren"
    assert session.get_one(Report, contact.report.id).contact == "+47 912 34 567"
    # The same contact again adds nothing: merged with the one that has it.
    again = _submit(session, town, now + timedelta(minutes=4), **phone)
    assert again.repeated and again.report.id == contact.report.id
    assert _count(session) == 3


def test_no_water_inside_a_known_incident_is_answered_with_it(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, box(8.07, 58.14, 8.09, 58.15))
    done = _submit(session, town, utcnow())
    assert done.incident is not None and done.incident.id == incident.id
    assert done.report.status is ReportStatus.LINKED and done.report.incident_id == incident.id
    fine = submit_report(
        session,
        town,
        _input(kind=ReportKind.WATER_OK, client_key=""),
        now=utcnow(),
        tolerance_m=TOLERANCE,
    )
    assert fine.incident is None and fine.report.status is ReportStatus.NEW


@pytest.mark.parametrize(
    ("incident_kind", "explained", "not_explained"),
    [
        (IncidentKind.PLANNED_WORKS, ReportKind.DISCOLOURED_WATER, ReportKind.SEWER),
        (IncidentKind.BOIL_WATER, None, ReportKind.NO_WATER),
        (IncidentKind.LOW_PRESSURE, ReportKind.LOW_PRESSURE, ReportKind.NO_WATER),
        (IncidentKind.SEWER, ReportKind.SEWER, ReportKind.LOW_PRESSURE),
    ],
)
@pytest.mark.parametrize("kept", [False, True], ids=["municipality", "kept-place"])
def test_an_incident_explains_only_what_its_kind_says(
    session, incident_kind, explained, not_explained, kept
) -> None:
    municipality = make_municipality(session)
    incident = make_incident(
        session, municipality, box(8.07, 58.14, 8.09, 58.15), kind=incident_kind
    )
    # The web app passes the place it keeps per worker; the CLI and tests the municipality.
    town = load_place(session, municipality) if kept else municipality
    if explained is not None:
        done = _submit(session, town, utcnow(), kind=explained)
        assert done.incident is not None and done.incident.id == incident.id
    other = _submit(session, town, utcnow(), kind=not_explained)
    assert other.incident is None and other.report.status is ReportStatus.NEW
