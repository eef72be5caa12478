"""`statusmap municipality`: set up from Kartverket's file; refusals store nothing; updates."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from sqlalchemy import func
from sqlalchemy import select

from statusmap.models import Address
from statusmap.models import AuditEvent
from statusmap.models import Municipality
from tests.conftest import DATA

AGDER = DATA / "kartverket" / "kommuner-agder-2020.geojson"
SAMPLE = DATA / "matrikkelen-adresse-sample.csv"
# Statistics Norway's area of Kristiansand (2020 borders), land and fresh water.
KRISTIANSAND_KM2 = 645


def _run(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def _create(app, slug: str, kommunenummer: str, *options: str, boundary: Path = AGDER):  # type: ignore[no-untyped-def]
    return _run(
        app, "municipality", "create", slug, "--kommunenummer", kommunenummer, "--boundary",
        boundary, *options,
    )  # fmt: skip


def _stored(session) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """How many municipalities and audit rows there are: a refusal changes neither."""
    session.expire_all()
    return (
        session.scalar(select(func.count(Municipality.id))),
        session.scalar(select(func.count(AuditEvent.id))),
    )


def _get(session, slug: str) -> Municipality:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalars(select(Municipality).where(Municipality.slug == slug)).one()


def test_kristiansand_from_kartverkets_file_then_its_addresses_and_its_page(
    app, session, client
) -> None:
    result = _create(app, "kristiansand", "4204", "--contact-email", "vann@kristiansand.example")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Created Kristiansand (kommunenummer 4204)."
    area = re.fullmatch(
        r"Boundary: 'Kristiansand' from kommuner-agder-2020\.geojson, ([\d.]+) km²\.", lines[1]
    )
    assert area and abs(float(area.group(1)) - KRISTIANSAND_KM2) < 0.02 * KRISTIANSAND_KM2
    assert lines[2].startswith("UTM zone: EPSG:25832 (EUREF89 UTM zone 32), the boundary's centre")
    assert "nearest to zone 32's central meridian (9°E)" in lines[2]
    assert "Public page: /kristiansand/" in lines
    stored = _get(session, "kristiansand")
    assert stored.name == {"nb": "Kristiansand", "nn": "Kristiansand", "en": "Kristiansand"}
    assert stored.department_in("nn") == "Vatn og avløp, Kristiansand kommune"

    result = _run(app, "import-addresses", SAMPLE, "--municipality", "kristiansand")
    assert result.exit_code == 0, result.output
    assert "Imported: 47 (47 new, 0 updated)" in result.output and "Rejected: 0" in result.output

    page = client.get("/kristiansand/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<p class="site-name">Kristiansand</p>' in text
    assert "vann@kristiansand.example" in text
    listed = _run(app, "municipality", "list")
    assert listed.exit_code == 0, listed.exception
    listed = listed.output
    assert re.search(r"^kristiansand +4204 +Kristiansand +25832 +47 +/kristiansand/$", listed, re.M)


def test_a_kommunenummer_not_in_the_file_lists_those_it_has(app, session) -> None:
    before = _stored(session)
    result = _create(app, "oslo", "0301")
    assert result.exit_code == 1
    assert (
        "kommuner-agder-2020.geojson has no feature with kommunenummer 0301 (read from its "
        "property 'kommunenummer'); it has 4204, 4205, 4215, 4216, 4223. Nothing was stored."
    ) in result.output
    assert _stored(session) == before


def test_addresses_of_another_municipality_are_refused_and_nothing_written(app, session) -> None:
    assert _create(app, "lillesand", "4215").exit_code == 0
    before = _stored(session)
    result = _run(app, "import-addresses", SAMPLE, "--municipality", "lillesand")
    assert result.exit_code == 1
    assert (
        "matrikkelen-adresse-sample.csv: all its 47 rows belong to kommunenummer 4204, not to "
        "Lillesand's 4215. Nothing was imported."
    ) in result.output
    assert _stored(session) == before  # not even an audit row of an empty import
    lillesand = _get(session, "lillesand")
    count = select(func.count(Address.id)).where(Address.municipality_id == lillesand.id)
    assert session.scalar(count) == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["kristiansand", "4215"],
            "slug 'kristiansand' is taken by Kristiansand (kommunenummer 4204)",
        ),
        (["krs", "4204"], "kommunenummer 4204 belongs to Kristiansand (/kristiansand/) already"),
        (["api", "4223"], "slug 'api' is reserved for the app's own pages"),
        (["Vennesla", "4223"], "slug 'Vennesla' must be 1-60 characters of a-z and 0-9"),
        (["vennesla", "423"], "kommunenummer '423' must be four digits"),
        (["vennesla", "4223", "--contact-email", "vann at vennesla"], "contact e-mail"),
        (["vennesla", "4223", "--contact-phone", "ring oss"], "may hold only digits, spaces"),
        (["vennesla", "4223", "--public-url", "www.vennesla.no"], "must be an https:// or http://"),
    ],
)
def test_refusals_say_why_and_store_nothing(app, session, arguments, message: str) -> None:
    assert _create(app, "kristiansand", "4204").exit_code == 0
    before = _stored(session)
    result = _create(app, arguments[0], arguments[1], *arguments[2:])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Nothing was stored." in result.output
    assert _stored(session) == before


def test_a_missing_boundary_file_is_named(app, session, tmp_path: Path) -> None:
    before = _stored(session)
    result = _create(app, "kristiansand", "4204", boundary=tmp_path / "kommuner.geojson")
    assert result.exit_code == 1
    assert f"No such file: {tmp_path / 'kommuner.geojson'}. Nothing was stored." in result.output
    assert _stored(session) == before


def _columns(municipality: Municipality) -> dict[str, object]:
    return {c.key: getattr(municipality, c.key) for c in Municipality.__table__.columns}


def test_update_changes_only_what_is_given_and_is_audited(app, session) -> None:
    assert (
        _create(app, "lillesand", "4215", "--contact-email", "vann@lillesand.example").exit_code
        == 0
    )
    before = _columns(_get(session, "lillesand"))
    result = _run(
        app, "municipality", "update", "lillesand", "--name-en", "Lillesand Municipality",
        "--contact-phone", "+47 37 26 15 00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Updated Lillesand (lillesand): contact_phone, name." in result.output
    after = _columns(_get(session, "lillesand"))
    assert after["name"] == {**before["name"], "en": "Lillesand Municipality"}
    assert after["contact_phone"] == "+47 37 26 15 00"
    unchanged = {k for k in before if k not in ("name", "contact_phone")}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.actor, event.action, event.object_type) == (
        "cli:municipality",
        "update",
        "municipality",
    )
    assert event.details == {"changed": ["contact_phone", "name"]}
    # The same values again change nothing, and leave no audit row.
    count = _stored(session)
    again = _run(app, "municipality", "update", "lillesand", "--name-en", "Lillesand Municipality")
    assert "Nothing changed" in again.output and _stored(session) == count


def test_update_rereads_the_boundary_for_the_stored_kommunenummer(
    app, session, tmp_path: Path
) -> None:
    assert _create(app, "lillesand", "4215").exit_code == 0
    lillesand, birkenes = box(8.30, 58.22, 8.40, 58.27), box(8.20, 58.30, 8.30, 58.40)
    frame = gpd.GeoDataFrame(
        {"kommunenummer": ["4216", "4215"]}, geometry=[birkenes, lillesand], crs=4326
    ).to_crs(25832)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(tmp_path / "kommuner.gpkg")
    result = _run(
        app, "municipality", "update", "lillesand", "--boundary", tmp_path / "kommuner.gpkg"
    )
    assert result.exit_code == 0, result.output
    assert "Updated Lillesand (lillesand): boundary." in result.output
    assert "UTM zone: EPSG:25832 (EUREF89 UTM zone 32), as stored." in result.output
    stored = _get(session, "lillesand")
    assert stored.boundary.symmetric_difference(lillesand).area < 1e-9
    assert (stored.kommunenummer, stored.name["nb"]) == ("4215", "Lillesand")
    result = _run(
        app, "municipality", "update", "lillesand", "--kommunenummer", "4216", "--boundary",
        tmp_path / "kommuner.gpkg",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = _get(session, "lillesand")
    assert stored.kommunenummer == "4216"
    assert stored.boundary.symmetric_difference(birkenes).area < 1e-9


def test_update_refusals_change_nothing(app, session) -> None:
    assert _create(app, "lillesand", "4215").exit_code == 0
    before, count = _columns(_get(session, "lillesand")), _stored(session)
    taken = _run(app, "municipality", "update", "lillesand", "--kommunenummer", "9999")
    assert taken.exit_code == 1
    assert "kommunenummer 9999 belongs to Demo kommune (/demo/) already" in taken.output
    email = _run(app, "municipality", "update", "lillesand", "--contact-email", "a@b@c")
    assert email.exit_code == 1 and "contact e-mail 'a@b@c'" in email.output
    nothing = _run(app, "municipality", "update", "lillesand")
    assert nothing.exit_code == 2 and "Nothing to change" in nothing.output
    unknown = _run(app, "municipality", "update", "atlantis", "--name-nb", "Atlantis")
    assert unknown.exit_code == 1 and "No municipality with slug 'atlantis'" in unknown.output
    assert _columns(_get(session, "lillesand")) == before and _stored(session) == count
