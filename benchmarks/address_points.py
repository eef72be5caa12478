"""Generated address points for benchmarks: a municipality, a zone and exactly N points in it.

The points are spread uniformly over AREA; a fixed number lie inside a star-shaped zone of a few
hundred vertices (edges included). They are written through the app's schema (its migrations, its
indexes): COPY on PostGIS, a bulk INSERT on SQLite (whose R*Tree triggers index them).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry import box
from sqlalchemy import insert
from sqlalchemy import text
from sqlalchemy.orm import Session

from statusmap.gis.queries.spatial import postgis
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models.base import utcnow

AREA = (10.40, 60.25, 10.90, 60.50)  # lon/lat box the points are spread over (Gran, Hadeland)


def zone_polygon(share: float, vertices: int, seed: int = 7) -> Polygon:
    """A star-shaped zone of `vertices` vertices in the middle of AREA, `share` of its area."""
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    phases = rng.uniform(0, 2 * np.pi, 3)
    radius = (
        1
        + 0.30 * np.sin(3 * angles + phases[0])
        + 0.12 * np.sin(7 * angles + phases[1])
        + 0.04 * np.sin(31 * angles + phases[2])
    )
    unit = Polygon(np.column_stack((np.cos(angles) * radius, np.sin(angles) * radius)))
    min_x, min_y, max_x, max_y = AREA
    scale = np.sqrt(share * (max_x - min_x) * (max_y - min_y) / unit.area)
    centre = ((min_x + max_x) / 2, (min_y + max_y) / 2)
    return Polygon(np.asarray(unit.exterior.coords)[:-1] * scale + centre)


def generate_points(points: int, covered: int, zone: Polygon, seed: int = 1) -> np.ndarray:
    """Uniform points over AREA, exactly `covered` of them inside the zone (edges included)."""
    rng = np.random.default_rng(seed)
    shapely.prepare(zone)
    inside: list[np.ndarray] = []
    outside: list[np.ndarray] = []
    have_in = have_out = 0
    while have_in < covered or have_out < points - covered:
        batch = rng.uniform(AREA[:2], AREA[2:], (max(points // 4, 1000), 2))
        mask = shapely.intersects_xy(zone, batch[:, 0], batch[:, 1])
        inside.append(batch[mask][: covered - have_in])
        outside.append(batch[~mask][: points - covered - have_out])
        have_in += len(inside[-1])
        have_out += len(outside[-1])
    every = np.concatenate(inside + outside)
    return every[rng.permutation(len(every))]


def address_table(municipality_id: int, xy: np.ndarray, seed: int = 2) -> pd.DataFrame:
    """Address rows for the points: dwellings 1-12 (10 % unknown), 1 % vulnerable subscribers."""
    rng = np.random.default_rng(seed)
    n = len(xy)
    dwellings = rng.integers(1, 13, n).astype(float)
    dwellings[rng.random(n) < 0.10] = np.nan
    vulnerable = np.where(rng.random(n) < 0.01, "school", None)
    return pd.DataFrame(
        {
            "municipality_id": municipality_id,
            "source_id": [f"bench{k}" for k in range(n)],
            "street": "Benkveien",
            "number": np.arange(n) % 200 + 1,
            "letter": "",
            "postcode": "2750",
            "place": "GRAN",
            "dwellings": pd.array(dwellings, dtype="Int64"),
            "vulnerable_category": vulnerable,
            "vulnerable_name": "",
            "location": list(shapely.to_wkb(shapely.points(xy))),
        }
    )


def write_postgis(session: Session, rows: pd.DataFrame, chunk: int = 200_000) -> None:
    """COPY the rows in (hex EWKB locations), then ANALYZE as autovacuum would."""
    columns = [*rows.columns, "updated_at"]
    copy_sql = f"COPY address ({', '.join(columns)}) FROM STDIN"
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(copy_sql) as copy:
        for start in range(0, len(rows), chunk):
            part = rows.iloc[start : start + chunk].copy()
            points = shapely.from_wkb(part["location"].to_numpy())
            part["location"] = shapely.to_wkb(
                shapely.set_srid(points, 4326), hex=True, include_srid=True
            )
            part["updated_at"] = "2026-12-01 00:00:00+00"
            buffer = io.StringIO()
            part.to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N")
            copy.write(buffer.getvalue())
    session.execute(text("ANALYZE address"))


def write_sqlite(session: Session, rows: pd.DataFrame, chunk: int = 20_000) -> None:
    """Bulk INSERT the rows (WKB locations; the R*Tree triggers index them), then ANALYZE."""
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    now = utcnow()
    for start in range(0, len(records), chunk):
        part = [{**r, "updated_at": now} for r in records[start : start + chunk]]
        session.execute(insert(Address), part)
    session.execute(text("ANALYZE"))


def populate(session: Session, points: int, covered: int, vertices: int) -> tuple[int, Polygon]:
    """A municipality over AREA with the generated addresses; its id and the zone."""
    municipality = Municipality(
        slug="benk",
        kommunenummer="9998",
        name={"nb": "Benk kommune"},
        boundary=MultiPolygon([box(*AREA)]),
        utm_epsg=25832,
        department={"nb": "Vann og avløp"},
    )
    session.add(municipality)
    session.flush()
    zone = zone_polygon(covered / points, vertices)
    rows = address_table(municipality.id, generate_points(points, covered, zone))
    (write_postgis if postgis(session) else write_sqlite)(session, rows)
    return municipality.id, zone
