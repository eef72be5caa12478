"""CAP 1.2 alerts, validated against the OASIS schema: an incident's life gives Alert, Update,
Cancel with references to the earlier messages; an info per language; polygons as lat,lon."""

from __future__ import annotations

from datetime import timedelta

from shapely.geometry import MultiPolygon
from shapely.geometry import box

from statusmap.incidents.lifecycle import publish_incident
from statusmap.incidents.lifecycle import resolve_incident
from statusmap.incidents.lifecycle import schedule_incident
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import add_update
from statusmap.incidents.operations import create_incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from tests.conftest import rolled_back_app
from tests.factories import make_municipality
from tests.integration.feed_checks import CAP
from tests.integration.feed_checks import parse_atom
from tests.integration.feed_checks import text
from tests.integration.feed_checks import valid_cap

# Two parts, the second with a hole (CAP cannot say holes: only its outline is sent).
WEST = box(8.08, 58.13, 8.09, 58.14)
EAST = box(8.10, 58.13, 8.11, 58.14).difference(box(8.103, 58.133, 8.106, 58.136))
AREA = MultiPolygon([WEST, EAST])
TEXTS = {
    "title": {"nb": "Kokepålegg i Korsvik", "en": "Boil water in Korsvik"},
    "summary": {"nb": "E. coli funnet i en prøve.", "en": "E. coli found in a sample."},
    "advice": {"nb": "Kok vannet før du drikker det.", "en": "Boil the water before drinking."},
}


def _draft(session, town, kind=IncidentKind.BOIL_WATER):  # type: ignore[no-untyped-def]
    data = IncidentInput(kind=kind, status=IncidentStatus.DRAFT, area=AREA, **TEXTS)
    incident = create_incident(session, town, data, actor="kari")
    session.commit()
    return incident


def _sent_by(alert) -> str:  # type: ignore[no-untyped-def]
    return ",".join(text(alert, f"cap:{name}") or "" for name in ("sender", "identifier", "sent"))


def test_published_updated_resolved_gives_alert_update_cancel(client, session) -> None:
    town = make_municipality(session)
    incident = _draft(session, town)
    path = f"/api/v1/{town.slug}/cap/{incident.id}.xml"
    assert client.get(path).status_code == 404  # a draft was never public
    publish_incident(session, incident, expected_version=incident.version, actor="kari")
    session.commit()
    alert = valid_cap(client, path)
    body = {"nb": "Vi tar nye prøver.", "en": "We are taking new samples."}
    add_update(session, incident, body, expected_version=incident.version, actor="kari")
    session.commit()
    update = valid_cap(client, path)
    closing = {"nb": "Vannet er trygt igjen.", "en": "The water is safe again."}
    resolve_incident(session, incident, closing, expected_version=incident.version, actor="kari")
    session.commit()
    cancel = valid_cap(client, path)

    messages = [alert, update, cancel]
    assert [text(m, "cap:msgType") for m in messages] == ["Alert", "Update", "Cancel"]
    assert len({text(m, "cap:identifier") for m in messages}) == 3
    assert text(alert, "cap:references") is None
    assert text(update, "cap:references") == _sent_by(alert)
    assert text(cancel, "cap:references") == f"{_sent_by(alert)} {_sent_by(update)}"
    assert all(
        text(m, "cap:status") == "Actual" and text(m, "cap:scope") == "Public" for m in messages
    )
    assert text(update, "cap:info/cap:description").endswith("We are taking new samples.") is False
    info = {text(i, "cap:language"): i for i in cancel.findall("cap:info", CAP)}
    assert text(info["en-GB"], "cap:description").endswith("The water is safe again.")
    assert text(info["nb-NO"], "cap:responseType") == "AllClear"
    assert text(info["nb-NO"], "cap:urgency") == "Past"


def test_an_info_per_language_with_the_area_as_lat_lon_polygons(client, session) -> None:
    town = make_municipality(session)
    incident = _draft(session, town)
    publish_incident(session, incident, expected_version=incident.version, actor="kari")
    session.commit()
    alert = valid_cap(client, f"/api/v1/{town.slug}/cap/{incident.id}.xml")
    infos = alert.findall("cap:info", CAP)
    # No nynorsk title: a nn-NO block would carry bokmål under nynorsk's name.
    assert [text(i, "cap:language") for i in infos] == ["nb-NO", "en-GB"]
    nb, en = infos
    assert text(nb, "cap:headline") == "Kokepålegg i Korsvik"
    assert text(en, "cap:headline") == "Boil water in Korsvik"
    assert text(en, "cap:instruction") == "Boil the water before drinking."
    assert text(nb, "cap:event") == "Kokepålegg"
    expected = {"cap:category": "Health", "cap:severity": "Severe", "cap:urgency": "Immediate"}
    assert {path: text(nb, path) for path in expected} == expected
    assert text(nb, "cap:certainty") == "Observed" and text(nb, "cap:responseType") == "Avoid"
    assert text(nb, "cap:web") == f"http://localhost/{town.slug}/hendelse/{incident.id}"
    assert text(nb, "cap:senderName") == "Vann og avløp, Kristiansand"
    assert text(nb, "cap:area/cap:geocode/cap:value") == "4204"
    rings = [p.text for p in nb.findall("cap:area/cap:polygon", CAP)]
    assert len(rings) == 2
    for ring, part in zip(rings, AREA.geoms, strict=True):
        pairs = [tuple(float(v) for v in pair.split(",")) for pair in ring.split()]
        assert pairs[0] == pairs[-1] and len(pairs) == len(part.exterior.coords)
        assert {(round(lon, 6), round(lat, 6)) for lat, lon in pairs} == {
            (round(x, 6), round(y, 6)) for x, y in part.exterior.coords
        }


def test_planned_works_are_a_future_alert(client, session) -> None:
    town = make_municipality(session)
    incident = _draft(session, town, IncidentKind.PLANNED_WORKS)
    start = utcnow() + timedelta(days=2)
    schedule_incident(
        session, incident, starts_at=start, expected_end=start + timedelta(hours=3),
        expected_version=incident.version, actor="kari",
    )  # fmt: skip
    session.commit()
    alert = valid_cap(client, f"/api/v1/{town.slug}/cap/{incident.id}.xml")
    info = alert.find("cap:info", CAP)
    assert text(alert, "cap:msgType") == "Alert"
    assert (text(info, "cap:urgency"), text(info, "cap:certainty")) == ("Future", "Likely")
    assert text(info, "cap:onset").endswith(("+01:00", "+02:00"))  # Norwegian time, never "Z"


def test_every_demo_alert_is_valid_a_test_and_listed_in_the_index(client) -> None:
    index = parse_atom(client, "/api/v1/demo/cap.atom")
    assert len(index.entries) == 4
    for entry in index.entries:
        assert (entry.links[0].rel, entry.links[0].type) == ("alternate", "application/cap+xml")
        alert = valid_cap(client, entry.links[0].href.removeprefix("http://localhost"))
        assert text(alert, "cap:status") == "Test"  # made-up data: nobody is to act on it
        assert entry.id.endswith(":cap:" + text(alert, "cap:identifier"))
        assert entry.tags[0].term == text(alert, "cap:msgType")
    assert valid_cap(client, "/api/v1/demo/cap/1.xml") is not None
    assert client.get("/api/v1/other/cap/1.xml").status_code == 404


def test_identifiers_take_the_configured_prefix(database_url) -> None:
    with rolled_back_app(database_url, CAP_IDENTIFIER_PREFIX="2.49.0.0.578.99") as app:
        alert = valid_cap(app.test_client(), "/api/v1/demo/cap/1.xml")
    assert text(alert, "cap:identifier").startswith("2.49.0.0.578.99.1.")
