"""Where a report may be shown publicly in Open311: the centre of its grid cell, and only a cell
the public report layer would show too (statusmap/reports/cells.py: the same UTM grid, at least
`min_reports` different senders in the cell)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from statusmap.gis.crs import to_utm
from statusmap.gis.crs import to_wgs84
from statusmap.reports.cells import grid_cell

CELL_M = 100
MIN_REPORTS = 3


def generalised_points(
    points: Iterable[tuple[int, BaseGeometry, str]],
    utm_epsg: int,
    *,
    cell_m: int = CELL_M,
    min_reports: int = MIN_REPORTS,
) -> dict[int, tuple[float, float]]:
    """For each (id, WGS 84 point, sender) in a full cell: (lon, lat) of the cell's centre."""
    if cell_m < CELL_M or min_reports < MIN_REPORTS:
        raise ValueError(f"cells of at least {CELL_M} m holding at least {MIN_REPORTS} reports")
    cells = {}
    senders: dict[tuple[int, int], set[str]] = defaultdict(set)
    for key, point, sender in points:
        x, y = to_utm(point, utm_epsg).coords[0]
        cells[key] = cell = grid_cell(x, y, cell_m)
        senders[cell].add(sender or f"report-{key}")
    centres: dict[tuple[int, int], tuple[float, float]] = {}
    for cell, who in senders.items():
        if len(who) >= min_reports:
            middle = Point((cell[0] + 0.5) * cell_m, (cell[1] + 0.5) * cell_m)
            lon, lat = to_wgs84(middle, utm_epsg).coords[0]
            centres[cell] = (round(lon, 6), round(lat, 6))
    return {key: centres[cell] for key, cell in cells.items() if cell in centres}
