"""The public report layer: counts by kind in grid cells, kept briefly by the clock.

Reports do not move the public change stamp (a surge of them must not invalidate the kept
pages), so this answer is not @prepared: it is made for a time step of REPORT_LAYER_MAX_AGE_S
(the window ends at the step's start, so every request in the step gets the same bytes and
ETag), kept in the worker for that step, and marked for browsers and caches to keep as long.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC
from datetime import datetime

from flask import Flask
from flask import Response
from flask import current_app

from statusmap import db
from statusmap.api.blueprint import bp
from statusmap.api.blueprint import municipality_or_404
from statusmap.feeds.report_geojson import report_cells_collection
from statusmap.models.base import utcnow
from statusmap.reports.cells import public_cells
from statusmap.reports.settings import generalisation

_MEMO = "statusmap.report_layer"
_LOCK = threading.Lock()


def layer_end(now: datetime, step_s: int) -> datetime:
    """The start of the time step holding `now`: the end of the window published during it."""
    if step_s <= 0:
        return now
    return datetime.fromtimestamp(now.timestamp() // step_s * step_s, UTC)


def _kept(app: Flask, key: tuple[int, datetime]) -> dict[tuple[int, datetime], bytes]:
    with _LOCK:
        memo: dict[tuple[int, datetime], bytes] = app.extensions.setdefault(_MEMO, {})
        for old in [k for k in memo if k[1] != key[1]]:  # only the current step is kept
            del memo[old]
        return memo


@bp.get("/<slug>/reports.geojson")
def reports_geojson(slug: str) -> Response:
    """Residents' reports, generalised: cells of the grid holding enough reports, as GeoJSON."""
    municipality = municipality_or_404(slug)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    step = int(app.config["REPORT_LAYER_MAX_AGE_S"])
    end = layer_end(utcnow(), step)
    key = (municipality.id, end)
    memo = _kept(app, key)
    body = memo.get(key)
    if body is None:
        layer = public_cells(db.session(), municipality, generalisation(app.config), now=end)
        body = json.dumps(report_cells_collection(layer), ensure_ascii=False).encode()
        memo[key] = body
    response = Response(body, mimetype="application/geo+json")
    response.headers["Cache-Control"] = f"public, max-age={step}"
    return response
