"""Load the demo municipality from gis_data/demo/ (synthetic data at a real place), idempotently.

Re-running updates the municipality and its addresses in place and resets the demo municipality's
incidents to the seed set, with times relative to now, so 'active' and 'next week' stay true however
old the database is. Only a municipality marked is_demo is ever reset.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.addresses.importer import ImportSummary
from statusmap.addresses.importer import import_addresses
from statusmap.gis.crs import to_wgs84
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import add_update
from statusmap.incidents.operations import create_incident
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import VulnerableCategory
from statusmap.models.audit import record
from statusmap.municipalities import MunicipalityInput
from statusmap.municipalities import get_municipality
from statusmap.municipalities import save_municipality
from statusmap.streets.importer import import_streets

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "gis_data" / "demo"
ACTOR = "demo"


@dataclass
class DemoResult:
    """What loading the demo did."""

    municipality: Municipality
    addresses: ImportSummary
    incidents: list[Incident]


def load_demo(session: Session, *, now: datetime, data_dir: Path = DEMO_DIR) -> DemoResult:
    """Create or refresh the demo municipality, its addresses and its seed incidents."""
    data = _municipality_input(data_dir)
    existing = get_municipality(session, data.slug)
    if existing is not None and not existing.is_demo:
        raise ValueError(
            f"A real municipality already uses the slug {data.slug!r}; the demo will not touch it."
        )
    municipality = save_municipality(session, data, actor=ACTOR)
    summary = import_addresses(session, municipality, data_dir / "addresses.csv", actor=ACTOR)
    import_streets(
        session,
        municipality,
        data_dir / "streets.geojson",
        actor=ACTOR,
        attribution="Gater: demodata (CC0)",
    )
    _flag_vulnerable(session, municipality, data_dir / "vulnerable.csv")
    _remove_seeded_incidents(session, municipality)
    incidents = [
        _seed_incident(session, municipality, item, now)
        for item in json.loads((data_dir / "incidents.json").read_text(encoding="utf-8"))
    ]
    return DemoResult(municipality, summary, incidents)


def _municipality_input(data_dir: Path) -> MunicipalityInput:
    meta = json.loads((data_dir / "municipality.json").read_text(encoding="utf-8"))
    frame = gpd.read_file(data_dir / "boundary.geojson")
    boundary = frame.to_crs(4326).geometry.union_all()
    return MunicipalityInput(
        slug=meta["slug"],
        kommunenummer=meta["kommunenummer"],
        name=meta["names"],
        boundary=boundary,
        utm_epsg=int(meta["utm_epsg"]),
        department=meta["department"],
        contact_phone=meta["contact"]["phone"],
        contact_email=meta["contact"]["email"],
        contact_url=meta["contact"]["url"],
        public_url=meta["public_url"],
        is_demo=bool(meta.get("is_demo", True)),
    )


def _flag_vulnerable(session: Session, municipality: Municipality, path: Path) -> None:
    session.execute(
        update(Address)
        .where(Address.municipality_id == municipality.id)
        .values(vulnerable_category=None, vulnerable_name="")
    )
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            session.execute(
                update(Address)
                .where(
                    Address.municipality_id == municipality.id, Address.source_id == row["lokalid"]
                )
                .values(
                    vulnerable_category=VulnerableCategory(row["category"]),
                    vulnerable_name=row["name"],
                )
            )


def _remove_seeded_incidents(session: Session, municipality: Municipality) -> None:
    """Delete the demo municipality's incidents (it is a sandbox the demo owns), with audit rows."""
    if not municipality.is_demo:
        raise ValueError("refusing to reset incidents of a municipality not marked as demo")
    for incident in session.scalars(
        select(Incident).where(Incident.municipality_id == municipality.id)
    ):
        record(
            session,
            actor=ACTOR,
            action="delete",
            obj=incident,
            municipality_id=municipality.id,
            reason="demo reload",
        )
        session.delete(incident)
    session.flush()


def _hours(now: datetime, offset: float | None) -> datetime | None:
    return None if offset is None else now + timedelta(hours=float(offset))


def _seed_incident(
    session: Session, municipality: Municipality, item: dict[str, Any], now: datetime
) -> Incident:
    area = to_wgs84(shapely.make_valid(shape(item["area"])), municipality.utm_epsg)
    status = IncidentStatus(item["status"])
    incident = create_incident(
        session,
        municipality,
        IncidentInput(
            kind=IncidentKind(item["kind"]),
            status=status,
            area=area,
            title=item["title"],
            summary=item["summary"],
            advice=item["advice"],
            cause=item["cause"],
            starts_at=_hours(now, item["starts_offset_hours"]),
            expected_end=_hours(now, item.get("expected_end_offset_hours")),
            resolved_at=_hours(now, item.get("resolved_offset_hours")),
        ),
        actor=ACTOR,
    )
    for entry in item.get("updates", []):
        add_update(
            session,
            incident,
            entry["body"],
            expected_version=incident.version,
            actor=ACTOR,
            at=_hours(now, entry["offset_hours"]),
        )
    return incident
