"""The embed page: a municipality's current incidents in a small page other sites may frame."""

from __future__ import annotations

from flask import abort
from flask import render_template
from flask import request

from statusmap import db
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.prepared import prepared
from statusmap.public.blueprint import bp
from statusmap.public.embed import EmbedOptions
from statusmap.public.embed import build_embed_page
from statusmap.public.embed import parse_flag
from statusmap.web import frameable


@bp.get("/embed/<slug>")
@frameable
@prepared(vary_args=("map", "compact"))
def embed_page(slug: str) -> str:
    """For an iframe: ?lang=nb|nn|en, ?map=0|1 (a mini map, default on), ?compact=1."""
    municipality = get_municipality(db.session(), slug) or abort(404)
    options = EmbedOptions(
        map=parse_flag(request.args.get("map"), default=True),
        compact=parse_flag(request.args.get("compact"), default=False),
    )
    page = build_embed_page(db.session(), municipality, options, now=utcnow())
    return render_template(
        "public/embed.html",
        page=page,
        lang=current_language(),
        lang_given=request.args.get("lang") == current_language(),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )
