"""The statusmap command: import-addresses output, errors and all-or-nothing; demo idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from statusmap.demo import load_demo
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from tests.conftest import DATA
from tests.factories import make_municipality

SAMPLE = DATA / "matrikkelen-adresse-sample.csv"


def _addresses(session, slug: str) -> int:
    return session.scalar(
        select(func.count(Address.id)).join(Municipality).where(Municipality.slug == slug)
    )


def test_import_addresses_prints_a_summary(app, session) -> None:
    make_municipality(session)
    session.commit()
    result = app.test_cli_runner().invoke(
        args=["import-addresses", str(SAMPLE), "--municipality", "kristiansand"]
    )
    assert result.exit_code == 0, result.output
    assert "Rows read: 47" in result.output
    assert "Imported: 47 (47 new, 0 updated)" in result.output
    assert "Rejected: 0" in result.output
    assert _addresses(session, "kristiansand") == 47


def _postcodes(session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Address.source_id, Address.postcode)
        .join(Municipality)
        .where(Municipality.slug == "kristiansand")
        .order_by(Address.source_id)
    )
    return [tuple(row) for row in rows]


def _import(app, path: Path, *options: str):
    return app.test_cli_runner().invoke(
        args=["import-addresses", str(path), "--municipality", "kristiansand", *options]
    )


def test_import_of_a_malformed_file_says_why_and_changes_nothing(
    app, session, tmp_path: Path, monkeypatch
) -> None:
    import statusmap.addresses.reader as reader

    make_municipality(session)
    session.commit()
    assert _import(app, SAMPLE).exit_code == 0
    before = _postcodes(session)
    bad = tmp_path / "bad.csv"
    bad.write_text("lokalid,adressenavn\n1,Storgata\n", encoding="utf-8")
    result = _import(app, bad)
    assert result.exit_code == 1
    assert "lacks the column(s)" in result.output and "Nothing was imported" in result.output
    # A file that goes wrong only near its end, after good rows with changes in earlier chunks.
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    changed = [lines[0]] + [
        line.replace(";4638;KRISTIANSAND S;", ";4639;KRS;") for line in lines[1:]
    ]
    changed[-1] = changed[-1].replace(";KRS;", ";K;RS;")
    late = tmp_path / "late.csv"
    late.write_text("\n".join(changed) + "\n", encoding="utf-8")
    monkeypatch.setattr(reader, "CHUNK_ROWS", 10)
    result = _import(app, late)
    assert result.exit_code == 1 and "Nothing was imported" in result.output
    assert _addresses(session, "kristiansand") == 47
    assert _postcodes(session) == before


def test_import_of_a_complete_file_reports_retired_addresses(app, session, tmp_path: Path) -> None:
    make_municipality(session)
    session.commit()
    assert _import(app, SAMPLE).exit_code == 0
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("\n".join(lines[:41]) + "\n", encoding="utf-8")
    result = _import(app, fewer, "--retire-missing")
    assert result.exit_code == 0, result.output
    assert "Retired (no longer in the file): 7" in result.output
    assert "Retired" not in _import(app, fewer).output, "only said when asked for"


def test_unknown_municipality(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["import-addresses", str(SAMPLE), "--municipality", "atlantis"]
    )
    assert result.exit_code == 1 and "No municipality with slug 'atlantis'" in result.output


def test_failure_part_way_leaves_no_partial_import(app, session, monkeypatch) -> None:
    import statusmap.addresses.importer as importer

    make_municipality(session)
    session.commit()
    monkeypatch.setattr(importer, "BATCH", 10)  # several batches are written before the failure

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "record", fail)
    result = app.test_cli_runner().invoke(
        args=["import-addresses", str(SAMPLE), "--municipality", "kristiansand"]
    )
    assert isinstance(result.exception, RuntimeError)
    assert _addresses(session, "kristiansand") == 0


def test_demo_load_is_idempotent(session) -> None:
    before = _addresses(session, "demo")
    load_demo(session, now=utcnow())
    session.flush()
    assert _addresses(session, "demo") == before >= 3000
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    incidents = session.scalars(select(Incident).where(Incident.municipality_id == demo.id)).all()
    assert sorted(i.kind.value for i in incidents) == sorted(
        ["boil_water", "shutdown", "planned_works", "discoloured_water"]
    )


@pytest.mark.parametrize("command", [["db", "upgrade"]])
def test_db_upgrade_on_an_up_to_date_database(app, command) -> None:
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 0 and "up to date" in result.output


def _incident_count(session) -> int:
    return session.scalar(select(func.count(Incident.id)))


def _area_file(tmp_path: Path, ring: list[list[float]], name: str = "area.geojson") -> Path:
    import json

    path = tmp_path / name
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}), encoding="utf-8")
    return path


def _create(app, *args: str):
    base = [
        "incident",
        "create",
        "--municipality",
        "demo",
        "--kind",
        "shutdown",
        "--title-nb",
        "Vannet er stengt i Testveien",
    ]
    return app.test_cli_runner().invoke(args=[*base, *args])


def test_incident_create_refuses_a_self_intersecting_area(app, session, tmp_path: Path) -> None:
    before = _incident_count(session)
    bowtie = _area_file(
        tmp_path, [[10.55, 60.35], [10.57, 60.37], [10.57, 60.35], [10.55, 60.37], [10.55, 60.35]]
    )
    result = _create(app, "--area", str(bowtie))
    assert result.exit_code == 1
    assert "crosses itself near longitude 10.560000, latitude 60.360000" in result.output
    assert "Nothing was stored" in result.output
    assert _incident_count(session) == before


def test_incident_create_refuses_an_area_outside_norway(app, session, tmp_path: Path) -> None:
    before = _incident_count(session)
    stockholm = _area_file(tmp_path, [[18.0, 59.3], [18.1, 59.3], [18.1, 59.35], [18.0, 59.3]])
    result = _create(app, "--area", str(stockholm))
    assert result.exit_code == 1 and "outside Norway" in result.output
    assert _incident_count(session) == before


def test_incident_create_from_a_utm_file(app, session, client, tmp_path: Path) -> None:
    # A small square in the demo town, in EUREF89 UTM 32 as a GIS would export it.
    square = [
        [586000, 6692400],
        [586100, 6692400],
        [586100, 6692500],
        [586000, 6692500],
        [586000, 6692400],
    ]
    result = _create(
        app,
        "--area",
        str(_area_file(tmp_path, square)),
        "--crs",
        "25832",
        "--expected-end",
        "2099-01-01T12:00",
    )
    assert result.exit_code == 0, result.output
    assert "Created incident" in result.output
    features = client.get("/api/v1/demo/incidents.geojson").get_json()["features"]
    created = [f for f in features if f["properties"]["title"] == "Vannet er stengt i Testveien"]
    assert len(created) == 1
    assert created[0]["properties"]["expected_end"] == "2099-01-01T11:00:00+00:00"  # Oslo time
    lon, lat = created[0]["geometry"]["coordinates"][0][0][0]
    assert 10.5 < lon < 10.6 and 60.3 < lat < 60.4
