"""Where a report may be shown publicly: the centre of its grid cell, and only a full cell.

The cell arithmetic of the public generalisation, behind one function
(`generalised_points`) so that it can be swapped for the shared one
(statusmap/reports/cells.py) without touching the Open311 answers. Cells are squares of
`cell_m` metres in the municipality's UTM zone, aligned on multiples of `cell_m`; a cell is
shown only when it holds at least `min_reports` of the reports counted.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from statusmap.gis.crs import to_utm
from statusmap.gis.crs import to_wgs84

CELL_M = 100
MIN_REPORTS = 3


def generalised_points(
    points: Iterable[tuple[int, BaseGeometry]],
    utm_epsg: int,
    *,
    cell_m: float = CELL_M,
    min_reports: int = MIN_REPORTS,
) -> dict[int, tuple[float, float]]:
    """For each (id, WGS 84 point) in a full cell: (lon, lat) of its cell's centre, 6 decimals."""
    if cell_m < CELL_M or min_reports < MIN_REPORTS:
        raise ValueError(f"cells of at least {CELL_M} m holding at least {MIN_REPORTS} reports")
    cells = {key: _cell(to_utm(point, utm_epsg), cell_m) for key, point in points}
    counts = Counter(cells.values())
    centres: dict[tuple[int, int], tuple[float, float]] = {}
    for cell, count in counts.items():
        if count >= min_reports:
            middle = Point((cell[0] + 0.5) * cell_m, (cell[1] + 0.5) * cell_m)
            lon, lat = to_wgs84(middle, utm_epsg).coords[0]
            centres[cell] = (round(lon, 6), round(lat, 6))
    return {key: centres[cell] for key, cell in cells.items() if cell in centres}


def _cell(point: BaseGeometry, cell_m: float) -> tuple[int, int]:
    x, y = point.coords[0]
    return math.floor(x / cell_m), math.floor(y / cell_m)
