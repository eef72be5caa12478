"""The API blueprint (mounted at /api/v1): every API view module attaches its routes here.

Report intake's view of a municipality (reports.places.ReportPlace: its boundary and the
incidents that could explain a report) is kept per worker until the municipality's change
stamp moves, read at most once per PUBLIC_STAMP_TTL_S: the hot path then asks the database only
for the client's own repeats and stores the row.
"""

from flask import Blueprint
from flask import abort
from flask import current_app

from statusmap import db
from statusmap.models import Municipality
from statusmap.municipalities import get_municipality
from statusmap.prepared import public_stamp
from statusmap.reports.places import ReportPlace
from statusmap.reports.places import load_place

bp = Blueprint("api", __name__)


def municipality_or_404(slug: str) -> Municipality:
    """The municipality an API URL names, or a JSON 404 that says which slug is unknown."""
    return get_municipality(db.session(), slug) or abort(404, f"No municipality {slug!r}.")


def report_place_or_404(slug: str) -> ReportPlace:
    """The place of the municipality an API URL names, or a JSON 404 naming the slug."""
    found = public_stamp(slug)
    if found is None:
        abort(404, f"No municipality {slug!r}.")
    municipality_id, stamp = found
    kept: dict[int, tuple[int, ReportPlace]] = current_app.extensions.setdefault(
        "report_places", {}
    )
    entry = kept.get(municipality_id)
    if entry is not None and entry[0] == stamp.serial:
        return entry[1]
    session = db.session()
    place = load_place(session, session.get_one(Municipality, municipality_id))
    kept[municipality_id] = (stamp.serial, place)
    return place
