"""Public route: the archive of resolved incidents, searched by street and date (a GET form)."""

from __future__ import annotations

from flask import abort
from flask import render_template
from flask import request

from statusmap import db
from statusmap.i18n import FALLBACK_NOTES
from statusmap.i18n import KIND_LABELS
from statusmap.incidents.archive import ARCHIVE_ARGS
from statusmap.incidents.archive import parse_archive_args
from statusmap.incidents.archive import search_archive
from statusmap.kinds import KIND_STYLES
from statusmap.municipalities import get_municipality
from statusmap.prepared import prepared
from statusmap.public.blueprint import bp


@bp.get("/<slug>/arkiv")
@prepared(vary_args=ARCHIVE_ARGS)
def archive_page(slug: str) -> tuple[str, int]:
    """Resolved incidents, newest first, 20 a page; a wrong field is said and left out (400)."""
    session = db.session()
    municipality = get_municipality(session, slug) or abort(404)
    query, errors = parse_archive_args(request.args)
    found = search_archive(session, municipality.id, query)
    html = render_template(
        "public/archive.html",
        municipality=municipality,
        found=found,
        errors=errors,
        kind_labels=KIND_LABELS,
        kind_styles=KIND_STYLES,
        fallback_notes=FALLBACK_NOTES,
    )
    return html, 400 if errors else 200
