"""Reports on the staff side: who reads and who acts, the exact points as GeoJSON, moderation,
linking, and a draft incident whose area is a hull around the selected reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from shapely.geometry import Point
from shapely.geometry import shape
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import AuditEvent
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models import Role
from statusmap.municipalities import get_municipality
from tests.factories import make_municipality
from tests.html_tree import parse
from tests.report_helpers import make_report
from tests.staff_helpers import csrf_token
from tests.staff_helpers import log_in
from tests.staff_helpers import make_user

# Inside the demo municipality (Gran), a few hundred metres apart.
POINTS = [(10.556, 60.361), (10.561, 60.362), (10.559, 60.3645)]


@pytest.fixture
def ids(app: Flask) -> dict[str, Any]:
    with app.app_context():
        session = get_db(app).session()
        demo = get_municipality(session, "demo")
        assert demo is not None
        other = make_municipality(session, slug="annen", kommunenummer="4215")
        make_user(session, "viewer@demo.test", Role.VIEWER, demo)
        make_user(session, "editor@demo.test", Role.EDITOR, demo)
        make_user(session, "admin@annen.test", Role.ADMIN, other)
        kinds = [ReportKind.NO_WATER, ReportKind.NO_WATER, ReportKind.LEAK_SEEN]
        reports = [
            make_report(session, demo, lon, lat, kind, text="Ingen vann <b>her</b>", contact=c)
            for (lon, lat), kind, c in zip(
                POINTS, kinds, ["kari@example.no", None, None], strict=True
            )
        ]
        old = make_report(session, demo, 10.56, 60.363, age=timedelta(days=2))
        foreign = make_report(session, other, 8.08, 58.145)
        incident = session.scalar(
            select(Incident).where(
                Incident.municipality_id == demo.id, Incident.status == IncidentStatus.ACTIVE
            )
        )
        assert incident is not None
        session.commit()
        return {
            "reports": [r.id for r in reports],
            "old": old.id,
            "foreign": foreign.id,
            "incident": incident.id,
        }


def _client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    log_in(client, email)
    return client


def _act(client: FlaskClient, action: str, report_ids: list[int], **extra: object):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/staff/demo/reports")
    data = {"csrf_token": token, "action": action, "report_ids": report_ids, **extra}
    return client.post("/staff/demo/reports/actions", data=data)


def _stored(app: Flask, report_id: int) -> Report:
    with app.app_context():
        report = get_db(app).session().get(Report, report_id)
        assert report is not None
        return report


def _audit(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action == action)
        return list(get_db(app).session().scalars(query))


def test_viewers_read_the_exact_points_with_their_facts(app: Flask, ids: dict[str, Any]) -> None:
    viewer = _client(app, "viewer@demo.test")
    answer = viewer.get("/staff/demo/reports.geojson?since=24h")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    features = {f["id"]: f for f in answer.get_json()["features"]}
    assert set(features) == set(ids["reports"])  # the two-day-old and the foreign one left out
    first = features[ids["reports"][0]]
    assert first["geometry"] == {"type": "Point", "coordinates": list(POINTS[0])}
    props = first["properties"]
    assert props["kind"] == "no_water" and props["status"] == "new"
    assert props["has_contact"] is True and props["repeats"] == 0
    assert props["text"] == "Ingen vann <b>her</b>" and props["created_at"].endswith("Z")
    assert features[ids["reports"][1]]["properties"]["has_contact"] is False
    week = viewer.get("/staff/demo/reports.geojson?since=7d&kinds=leak_seen,no_water")
    assert ids["old"] in [f["id"] for f in week.get_json()["features"]]
    leaks = viewer.get("/staff/demo/reports.geojson?since=7d&kinds=leak_seen").get_json()
    assert [f["id"] for f in leaks["features"]] == [ids["reports"][2]]
    assert viewer.get("/staff/demo/reports.geojson?since=yesterday").status_code == 400


def test_details_show_the_contact_to_staff_escaped(app: Flask, ids: dict[str, Any]) -> None:
    viewer = _client(app, "viewer@demo.test")
    page = viewer.get(f"/staff/demo/reports/{ids['reports'][0]}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "kari@example.no" in html and "Ingen vann &lt;b&gt;her&lt;/b&gt;" in html
    assert 'value="draft"' not in html  # a viewer is shown no actions
    listing = viewer.get("/staff/demo/reports").get_data(as_text=True)
    assert listing.count('name="report_ids"') == 0  # no action form for viewers


def test_viewers_cannot_act_and_others_learn_nothing(app: Flask, ids: dict[str, Any]) -> None:
    viewer = _client(app, "viewer@demo.test")
    assert _act(viewer, "hide", ids["reports"][:1]).status_code == 403
    outsider = _client(app, "admin@annen.test")
    assert outsider.get(f"/staff/demo/reports/{ids['reports'][0]}").status_code == 404
    assert outsider.get("/staff/demo/reports.geojson").status_code == 404
    # Their own municipality's address with demo's report: still not theirs.
    assert outsider.get(f"/staff/annen/reports/{ids['reports'][0]}").status_code == 404
    editor = _client(app, "editor@demo.test")
    no_token = editor.post(
        "/staff/demo/reports/actions", data={"action": "hide", "report_ids": ids["reports"][0]}
    )
    assert no_token.status_code == 400
    assert _stored(app, ids["reports"][0]).status is ReportStatus.NEW


def test_hide_spam_and_restore_are_audited(app: Flask, ids: dict[str, Any]) -> None:
    editor = _client(app, "editor@demo.test")
    first, second = ids["reports"][:2]
    assert _act(editor, "hide", [first]).status_code == 302
    assert _act(editor, "spam", [second]).status_code == 302
    assert _stored(app, first).status is ReportStatus.HIDDEN
    assert _stored(app, second).status is ReportStatus.SPAM
    shown = editor.get("/staff/demo/reports.geojson").get_json()["features"]
    assert {f["id"] for f in shown} == {ids["reports"][2]}
    assert _act(editor, "restore", [first, second]).status_code == 302
    assert _stored(app, first).status is ReportStatus.NEW
    assert [e.object_id for e in _audit(app, "report_hide")] == [str(first)]
    spam = _audit(app, "report_spam")
    assert [e.object_id for e in spam] == [str(second)] and spam[0].actor == "editor@demo.test"
    assert {e.object_id for e in _audit(app, "report_restore")} == {str(first), str(second)}


def test_another_municipalitys_report_refuses_the_whole_selection(
    app: Flask, ids: dict[str, Any]
) -> None:
    editor = _client(app, "editor@demo.test")
    answer = _act(editor, "hide", [ids["reports"][0], ids["foreign"]])
    assert answer.status_code == 302
    assert _stored(app, ids["reports"][0]).status is ReportStatus.NEW
    assert _stored(app, ids["foreign"]).status is ReportStatus.NEW
    assert _audit(app, "report_hide") == []


def test_linking_ties_reports_to_the_incident(app: Flask, ids: dict[str, Any]) -> None:
    editor = _client(app, "editor@demo.test")
    chosen = ids["reports"][:2]
    assert _act(editor, "link", chosen, incident_id=ids["incident"]).status_code == 302
    for report_id in chosen:
        report = _stored(app, report_id)
        assert report.status is ReportStatus.LINKED and report.incident_id == ids["incident"]
    # Nobody is told yet: the incident is not resolved (reports/follow_up.py tells them then).
    assert _stored(app, chosen[0]).notify_pending is False
    assert _stored(app, chosen[1]).notify_pending is False
    rows = _audit(app, "report_link")
    assert {e.object_id for e in rows} == {str(i) for i in chosen}
    assert all(e.details["incident"] == ids["incident"] for e in rows)


def test_linking_needs_a_choice_and_a_link_can_be_undone(app: Flask, ids: dict[str, Any]) -> None:
    editor = _client(app, "editor@demo.test")
    chosen = ids["reports"][:2]
    listing = parse(editor.get("/staff/demo/reports").get_data(as_text=True))
    first_choice = listing.find("select", id="link-incident").find("option")
    assert first_choice.attrs["value"] == ""  # nothing chosen until the editor chooses
    refused = _act(editor, "link", chosen, incident_id="", window="7d", statuses="linked")
    assert refused.headers["Location"].endswith("/staff/demo/reports?window=7d&statuses=linked")
    assert _stored(app, chosen[0]).incident_id is None
    _act(editor, "link", chosen, incident_id=ids["incident"])
    assert _act(editor, "unlink", [*chosen, ids["reports"][2]]).status_code == 302
    for report_id in chosen:
        report = _stored(app, report_id)
        assert report.status is ReportStatus.NEW and report.incident_id is None
    # Only the two that were tied are recorded as untied.
    untied = _audit(app, "report_unlink")
    assert sorted(e.object_id for e in untied) == sorted(str(i) for i in chosen)


def test_hidden_and_spam_reports_are_found_by_their_status(app: Flask, ids: dict[str, Any]) -> None:
    editor = _client(app, "editor@demo.test")
    first, second, third = ids["reports"]
    _act(editor, "hide", [first])
    _act(editor, "spam", [second])
    default = parse(editor.get("/staff/demo/reports").get_data(as_text=True))
    assert _listed(default) == {third}
    taken_off = editor.get("/staff/demo/reports?status=hidden&status=spam").get_data(as_text=True)
    page = parse(taken_off)
    assert _listed(page) == {first, second}
    boxes = page.find_all("input", name="status")
    assert {i.attrs["value"] for i in boxes if "checked" in i.attrs} == {"hidden", "spam"}
    assert page.find("input", name="statuses").attrs["value"] == "hidden,spam"


def _listed(page) -> set[int]:  # type: ignore[no-untyped-def]
    return {
        int(row.attrs["data-report-id"]) for row in page.find_all("tr", **{"data-report-id": True})
    }


def test_a_draft_from_the_selection_has_a_hull_around_every_point(
    app: Flask, ids: dict[str, Any]
) -> None:
    editor = _client(app, "editor@demo.test")
    answer = _act(editor, "draft", ids["reports"])
    assert answer.status_code == 302
    incident_id = int(answer.headers["Location"].rstrip("/").split("/")[-1])
    assert answer.headers["Location"].endswith(f"/staff/demo/incidents/{incident_id}")
    with app.app_context():
        incident = get_db(app).session().get_one(Incident, incident_id)
        area = incident.area
        assert incident.status is IncidentStatus.DRAFT
        assert area is not None and area.geom_type == "MultiPolygon" and area.is_valid
        for lon, lat in POINTS:
            assert area.contains(Point(lon, lat))
    for report_id in ids["reports"]:
        assert _stored(app, report_id).incident_id == incident_id
    made = _audit(app, "draft_from_reports")
    assert [e.object_id for e in made] == [str(incident_id)]
    assert sorted(made[0].details["reports"]) == sorted(ids["reports"])
    page = editor.get(f"/staff/demo/incidents/{incident_id}")
    assert page.status_code == 200  # opens in the editor, the area in its GeoJSON field
    field = page.get_data(as_text=True).split('name="area"', 1)[1]
    assert "MultiPolygon" in field.split("</textarea>", 1)[0]
    assert shape(area).equals(area)
    # The residents' confirmation pages do not show the draft (nor link to its 404).
    with app.app_context():
        reference = _stored(app, ids["reports"][0]).reference
    public = app.test_client().get(f"/demo/meld-fra/{reference}").get_data(as_text=True)
    assert f"/demo/hendelse/{incident_id}" not in public and "report-done__known" not in public


def test_a_cut_off_list_says_so(app: Flask, ids: dict[str, Any], monkeypatch) -> None:
    from statusmap.reports import staff_reads
    from statusmap.staff import report_views

    viewer = _client(app, "viewer@demo.test")
    assert "nyeste vises" not in viewer.get("/staff/demo/reports").get_data(as_text=True)
    monkeypatch.setattr(staff_reads, "STAFF_LIST_LIMIT", 2)
    monkeypatch.setattr(report_views, "STAFF_LIST_LIMIT", 2)
    page = parse(viewer.get("/staff/demo/reports").get_data(as_text=True))
    assert len(_listed(page)) == 2
    assert "Bare de 2 nyeste vises" in page.find("p", role="status").text()
