"""The public's view of reports: counts by kind in square cells of a fixed grid, never points.

Each report of the window is placed in the cell of the municipality's UTM grid (cell size a
multiple of 100 m) that holds it; a cell is published only when it holds enough reports, and
only as its square, whose four corners are grid points reprojected to WGS 84. No published
coordinate comes from a report.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import datetime

from pyproj import Transformer
from shapely.geometry import Polygon
from sqlalchemy.orm import Session

from statusmap.gis.crs import WGS84
from statusmap.gis.crs import to_wgs84
from statusmap.gis.queries.reports import public_report_points
from statusmap.gis.queries.streets import streets_meeting_bbox
from statusmap.models import Municipality
from statusmap.models import ReportKind
from statusmap.reports.settings import Generalisation

STREETS_PER_CELL = 2
Cell = tuple[int, int]  # (column, row): the square from (column, row) * size, east and north


@dataclass(frozen=True)
class ReportCell:
    """One published cell: where on the grid, its square in WGS 84, and its counts by kind."""

    column: int
    row: int
    polygon: Polygon
    counts: dict[ReportKind, int]
    streets: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Reports in the cell, all kinds together."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class ReportLayer:
    """The published cells of one municipality for one window."""

    start: datetime
    end: datetime
    cell_m: int
    cells: list[ReportCell]


def grid_cell(easting: float, northing: float, cell_m: int) -> Cell:
    """The grid cell holding a UTM position (a point on a grid line belongs to the cell east or
    north of it)."""
    return math.floor(easting / cell_m), math.floor(northing / cell_m)


def cell_square(cell: Cell, cell_m: int, utm_epsg: int) -> Polygon:
    """A cell's square in WGS 84: its four grid corners, reprojected, and nothing in between."""
    west, south = cell[0] * cell_m, cell[1] * cell_m
    corners = [
        (west, south),
        (west + cell_m, south),
        (west + cell_m, south + cell_m),
        (west, south + cell_m),
    ]
    square = to_wgs84(Polygon(corners), utm_epsg)
    assert isinstance(square, Polygon)
    return square


def count_cells(
    points: list[tuple[ReportKind, float, float, str]], utm_epsg: int, cell_m: int
) -> dict[Cell, tuple[Counter[ReportKind], set[str]]]:
    """Reports (kind, lon, lat, reporter) counted by kind in the cells of the UTM grid, with
    the distinct reporters of each cell."""
    counts: dict[Cell, tuple[Counter[ReportKind], set[str]]] = {}
    if not points:
        return counts
    to_utm = Transformer.from_crs(WGS84, utm_epsg, always_xy=True)
    eastings, northings = to_utm.transform([p[1] for p in points], [p[2] for p in points])
    for (kind, _, _, reporter), east, north in zip(points, eastings, northings, strict=True):
        kinds, reporters = counts.setdefault(grid_cell(east, north, cell_m), (Counter(), set()))
        kinds[kind] += 1
        reporters.add(reporter)
    return counts


def public_cells(
    session: Session, municipality: Municipality, rules: Generalisation, *, now: datetime
) -> ReportLayer:
    """The municipality's cells with at least `rules.min_reports` public reports in the window."""
    start = now - rules.window
    points = public_report_points(session, municipality.id, since=start, until=now)
    counted = count_cells(points, municipality.utm_epsg, rules.cell_m)
    cells = [
        ReportCell(
            column=cell[0],
            row=cell[1],
            polygon=cell_square(cell, rules.cell_m, municipality.utm_epsg),
            counts={kind: counts[kind] for kind in ReportKind if counts[kind]},
        )
        for cell, (counts, reporters) in sorted(counted.items())
        # Reports of at least min_reports different senders: one household's three reports
        # would otherwise publish a square around that home.
        if len(reporters) >= rules.min_reports
    ]
    named = [replace(c, streets=_street_names(session, municipality.id, c.polygon)) for c in cells]
    return ReportLayer(start=start, end=now, cell_m=rules.cell_m, cells=named)


def _street_names(session: Session, municipality_id: int, square: Polygon) -> list[str]:
    """The names of the streets through a cell (at most STREETS_PER_CELL), for "around ..."."""
    names: list[str] = []
    for street in streets_meeting_bbox(session, municipality_id, square.bounds):
        if street.name and street.name not in names and street.geometry.intersects(square):
            names.append(street.name)
    return names[:STREETS_PER_CELL]
