"""Migrations run on both backends, up and down, keep data on the way, and match the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from shapely.geometry import Point
from shapely.geometry import box
from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from statusmap.migrations import downgrade
from statusmap.migrations import upgrade
from statusmap.migrations.filters import include_object
from statusmap.models import Address
from statusmap.models import Base
from statusmap.models import Municipality
from tests.conftest import new_postgis_database

TABLES = {
    "municipality",
    "incident",
    "incident_update",
    "incident_revision",
    "address",
    "audit_event",
}


@pytest.fixture(params=["sqlite", "postgis"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """An engine on a new, empty database of each backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
        yield engine
        engine.dispose()
        return
    with new_postgis_database(request.getfixturevalue("postgis_server")) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_up_down_and_up_again(empty_database: sa.Engine) -> None:
    with empty_database.begin() as conn:
        upgrade(conn)
        assert set(sa.inspect(conn).get_table_names()) >= TABLES
        downgrade(conn, "base")
        assert not TABLES & set(sa.inspect(conn).get_table_names())
        upgrade(conn)
        assert set(sa.inspect(conn).get_table_names()) >= TABLES


def test_the_migrated_schema_matches_the_models(empty_database: sa.Engine) -> None:
    """Alembic finds no difference between the migrated database and the models."""
    with empty_database.begin() as conn:
        upgrade(conn)
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_the_way_back_from_0003_restores_the_shadow_columns(empty_database: sa.Engine) -> None:
    """Downgrading below 0003 recomputes lon/lat from the geometry, then upgrading works again."""
    with empty_database.begin() as conn:
        upgrade(conn)
        session = Session(bind=conn)
        town = Municipality(
            slug="x",
            kommunenummer="4204",
            name={"nb": "X"},
            boundary=box(8.0, 58.0, 8.2, 58.2).union(box(8.3, 58.0, 8.4, 58.1)),
            utm_epsg=25832,
            department={"nb": "VA"},
        )
        session.add(town)
        session.flush()
        session.add(
            Address(municipality_id=town.id, source_id="a", street="S", location=Point(8.1, 58.1))
        )
        session.flush()
        downgrade(conn, "0002")
        assert conn.exec_driver_sql("SELECT lon, lat FROM address").one() == (8.1, 58.1)
        upgrade(conn)
        from statusmap.gis.queries.addresses import address_ids_in_area

        session = Session(bind=conn)
        assert len(address_ids_in_area(session, town.id, box(8.05, 58.05, 8.15, 58.15))) == 1


def test_0006_gives_every_stored_incident_its_current_state_as_first_revision(
    empty_database: sa.Engine,
) -> None:
    """Incidents saved before revisions were kept get one, so stale edits can be explained."""
    from alembic.script import ScriptDirectory

    from statusmap.incidents.history import revisions
    from statusmap.incidents.operations import IncidentInput
    from statusmap.incidents.operations import edit_incident
    from statusmap.migrations import alembic_config
    from statusmap.models import Incident
    from statusmap.models import IncidentStatus
    from tests.factories import make_incident
    from tests.factories import make_municipality

    before = ScriptDirectory.from_config(alembic_config()).get_revision("0006").down_revision
    area = box(8.08, 58.13, 8.09, 58.14)
    with empty_database.begin() as conn:
        upgrade(conn)
        session = Session(bind=conn)
        incident = make_incident(session, make_municipality(session), area, title="Før")
        retitled = IncidentInput(
            kind=incident.kind,
            status=IncidentStatus.ACTIVE,
            title={"nb": "Stengt", "en": "Closed"},
            area=incident.area,
            starts_at=incident.starts_at,
        )
        edit_incident(session, incident, retitled, expected_version=1, actor="kari")
        session.commit()
        incident_id, created, starts = incident.id, incident.created_at, incident.starts_at
        downgrade(conn, str(before))  # as stored by a release without revisions
        upgrade(conn)
        session = Session(bind=conn)
        (first,) = revisions(session, incident_id)
        assert (first.version, first.status, first.actor) == (2, "active", "migration")
        assert first.snapshot["title"] == {"nb": "Stengt", "en": "Closed"}
        assert first.snapshot["starts_at"] == starts.isoformat()
        assert first.snapshot["auto_resolve"] is False and first.area.equals(area)
        stored = session.get_one(Incident, incident_id)
        assert stored.published_at == created and stored.auto_resolve is False
