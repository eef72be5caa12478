"""The API blueprint (mounted at /api/v1): every API view module attaches its routes here."""

from flask import Blueprint
from flask import abort

from statusmap import db
from statusmap.models import Municipality
from statusmap.municipalities import get_municipality

bp = Blueprint("api", __name__)


def municipality_or_404(slug: str) -> Municipality:
    """The municipality an API URL names, or a JSON 404 that says which slug is unknown."""
    return get_municipality(db.session(), slug) or abort(404, f"No municipality {slug!r}.")
