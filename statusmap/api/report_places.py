"""The report intake's view of a municipality, kept per worker until its public data changes.

Taking a report reads the municipality's boundary and the incidents that could explain it; both
bump the change stamp when they change, so one ReportPlace is kept per municipality and serial
and the stamp (read at most once per PUBLIC_STAMP_TTL_S) says when to read it again.
"""

from __future__ import annotations

from flask import abort
from flask import current_app

from statusmap import db
from statusmap.models import Municipality
from statusmap.prepared import public_stamp
from statusmap.reports.places import ReportPlace
from statusmap.reports.places import load_place


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
