"""The public report layer as RFC 7946 GeoJSON: one Polygon Feature per published cell."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from statusmap.feeds.geojson import rfc7946_geometry
from statusmap.models import ReportKind
from statusmap.reports.cells import ReportLayer


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def report_cells_collection(layer: ReportLayer) -> dict[str, Any]:
    """Published cells: their squares, counts by kind (every kind, 0 included) and the window."""
    window = {"window_start": _iso(layer.start), "window_end": _iso(layer.end)}
    features = [
        {
            "type": "Feature",
            "id": f"{layer.cell_m}:{cell.column}:{cell.row}",
            "geometry": rfc7946_geometry(cell.polygon),
            "properties": {
                "counts": {kind.value: cell.counts.get(kind, 0) for kind in ReportKind},
                "total": cell.total,
                "cell_m": layer.cell_m,
                "streets": cell.streets,
                **window,
            },
        }
        for cell in layer.cells
    ]
    return {"type": "FeatureCollection", **window, "cell_m": layer.cell_m, "features": features}
